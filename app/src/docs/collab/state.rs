//! Collaborative documents' server state held in `AppState`.

/// Live rooms and their limits; built by the server from its config.
#[derive(Debug, Default)]
pub struct CollabState {}
