//! In-memory state of the Challenges area: the runner, the submission queue, the per-user
//! submission limit, live-update channels per submission, and which tenants are seeded.

use super::feedback::FeedbackSettings;
use super::run::{CodeRunner, RunOutcome, RunPlan};
use super::views::SubmissionView;
use crate::rate_limit::KeyedRateLimit;
use governor::Quota;
use std::collections::{HashMap, HashSet};
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex, RwLock};
use tokio::sync::{broadcast, mpsc};

/// Updates buffered per live-update subscriber (a submission has at most a handful).
const CHANNEL_CAPACITY: usize = 16;

/// Settings from the server's configuration.
#[derive(Clone, Copy, Debug)]
pub struct ChallengeSettings {
    /// Submissions graded at once.
    pub workers: usize,
    /// Submissions waiting for a worker before new ones are refused (503).
    pub queue_capacity: usize,
    /// Runs and submissions one user may start per minute (then 429).
    pub submissions_per_minute: u32,
}

impl Default for ChallengeSettings {
    fn default() -> Self {
        Self {
            workers: 2,
            queue_capacity: 64,
            submissions_per_minute: 20,
        }
    }
}

/// Used until a real sandbox is wired in: every run fails as a sandbox error.
#[derive(Debug, Default)]
pub struct UnwiredRunner;

impl CodeRunner for UnwiredRunner {
    fn run(&self, _plan: RunPlan) -> futures::future::BoxFuture<'static, RunOutcome> {
        Box::pin(async {
            RunOutcome {
                sandbox_error: Some("sandbox not wired".into()),
                ..RunOutcome::default()
            }
        })
    }
}

/// Shared by every request and the worker pool.
pub struct ChallengesState {
    pub settings: ChallengeSettings,
    pub feedback: FeedbackSettings,
    runner: RwLock<Arc<dyn CodeRunner>>,
    queue: mpsc::Sender<String>,
    receiver: Mutex<Option<mpsc::Receiver<String>>>,
    /// Keyed by `tenant/user`.
    pub submit_limit: KeyedRateLimit,
    channels: Mutex<HashMap<String, broadcast::Sender<SubmissionView>>>,
    seeded: Mutex<HashSet<String>>,
}

impl std::fmt::Debug for ChallengesState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChallengesState")
            .field("settings", &self.settings)
            .field("runner", &self.runner())
            .finish_non_exhaustive()
    }
}

impl ChallengesState {
    /// State with this runner; the queue's receiver waits for [`Self::take_receiver`].
    pub fn new(
        settings: ChallengeSettings,
        feedback: FeedbackSettings,
        runner: Arc<dyn CodeRunner>,
    ) -> Self {
        let (queue, receiver) = mpsc::channel(settings.queue_capacity.max(1));
        let quota = Quota::per_minute(
            NonZeroU32::new(settings.submissions_per_minute).unwrap_or(NonZeroU32::MIN),
        );
        Self {
            settings,
            feedback,
            runner: RwLock::new(runner),
            queue,
            receiver: Mutex::new(Some(receiver)),
            submit_limit: KeyedRateLimit::new(quota),
            channels: Mutex::new(HashMap::new()),
            seeded: Mutex::new(HashSet::new()),
        }
    }

    /// The runner used for the next job.
    pub fn runner(&self) -> Arc<dyn CodeRunner> {
        self.runner
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Replaces the runner (the server wires the sandbox; tests a direct runner).
    pub fn set_runner(&self, runner: Arc<dyn CodeRunner>) {
        *self.runner.write().unwrap_or_else(|e| e.into_inner()) = runner;
    }

    /// The queue's sending side.
    pub fn queue(&self) -> &mpsc::Sender<String> {
        &self.queue
    }

    /// The queue's receiving side, once (for the worker pool).
    pub fn take_receiver(&self) -> Option<mpsc::Receiver<String>> {
        self.receiver
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
    }

    /// A receiver of the submission's next states.
    pub fn subscribe(&self, submission_id: &str) -> broadcast::Receiver<SubmissionView> {
        let mut map = self.channels.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(submission_id.to_string())
            .or_insert_with(|| broadcast::channel(CHANNEL_CAPACITY).0)
            .subscribe()
    }

    /// Sends a committed state to the submission's subscribers; the channel is dropped after
    /// the final state or when nobody listens.
    pub fn publish(&self, view: &SubmissionView, last: bool) {
        let mut map = self.channels.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(tx) = map.get(&view.id) {
            if tx.send(view.clone()).is_err() || last {
                map.remove(&view.id);
            }
        }
    }

    /// True the first time a tenant is asked about in this process.
    pub fn first_visit(&self, tenant_id: &str) -> bool {
        self.seeded
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(tenant_id.to_string())
    }

    /// Forgets that a tenant was seeded (its seeding failed).
    pub fn forget_visit(&self, tenant_id: &str) {
        self.seeded
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(tenant_id);
    }
}

impl Default for ChallengesState {
    fn default() -> Self {
        Self::new(
            ChallengeSettings::default(),
            FeedbackSettings::default(),
            Arc::new(UnwiredRunner),
        )
    }
}
