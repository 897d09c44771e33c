//! Collaborative documents' settings.

use app::docs::collab::state::CollabState;
use clap::Args;

#[derive(Args, Clone, Debug)]
pub struct CollabConfig {}

impl CollabConfig {
    /// The state the collaborative document handlers read.
    pub fn build_state(&self) -> CollabState {
        CollabState::default()
    }
}
