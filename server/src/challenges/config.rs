//! Challenges settings: the grading worker pool, its queue, and the per-user submission limit.

use app::challenges::feedback::FeedbackSettings;
use app::challenges::run::CodeRunner;
use app::challenges::state::{ChallengeSettings, ChallengesState};
use clap::Args;
use std::sync::Arc;

#[derive(Args, Clone, Debug)]
pub struct ChallengesConfig {
    /// Challenges: submissions graded at once.
    #[arg(long, env = "ATRIUM_CHALLENGE_WORKERS", default_value_t = 2)]
    pub challenge_workers: usize,

    /// Challenges: submissions waiting for a worker before new ones get 503 (with Retry-After).
    #[arg(long, env = "ATRIUM_CHALLENGE_QUEUE", default_value_t = 64)]
    pub challenge_queue: usize,

    /// Challenges: runs and submissions one user may start per minute (then 429).
    #[arg(
        long,
        env = "ATRIUM_CHALLENGE_SUBMISSIONS_PER_MINUTE",
        default_value_t = 20
    )]
    pub challenge_submissions_per_minute: u32,
}

impl ChallengesConfig {
    /// The shared state, with the reviewer's settings and the runner (the sandbox).
    pub fn build_state(
        &self,
        feedback: FeedbackSettings,
        runner: Arc<dyn CodeRunner>,
    ) -> ChallengesState {
        ChallengesState::new(
            ChallengeSettings {
                workers: self.challenge_workers.max(1),
                queue_capacity: self.challenge_queue.max(1),
                submissions_per_minute: self.challenge_submissions_per_minute,
            },
            feedback,
            runner,
        )
    }
}
