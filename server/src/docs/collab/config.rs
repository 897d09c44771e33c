//! Collaborative documents' settings.

use app::docs::collab::hub::CollabLimits;
use app::docs::collab::state::CollabState;
use clap::Args;
use std::time::Duration;

#[derive(Args, Clone, Debug)]
pub struct CollabConfig {
    /// Docs: largest Yjs WebSocket message accepted, in bytes; a bigger one closes the socket.
    #[arg(long, env = "ATRIUM_COLLAB_MAX_MESSAGE_BYTES", default_value_t = 8 * 1024 * 1024)]
    pub collab_max_message_bytes: usize,

    /// Docs: frames queued for one connection before it counts as too slow and is dropped.
    #[arg(long, env = "ATRIUM_COLLAB_CONNECTION_QUEUE", default_value_t = 1024)]
    pub collab_connection_queue: usize,

    /// Docs: seconds between WebSocket pings; a client silent for three intervals is dropped.
    #[arg(long, env = "ATRIUM_COLLAB_PING_SECS", default_value_t = 15)]
    pub collab_ping_secs: u64,

    /// Docs: compaction into a snapshot this many milliseconds after the last edit...
    #[arg(long, env = "ATRIUM_COLLAB_COMPACT_IDLE_MS", default_value_t = 2000)]
    pub collab_compact_idle_ms: u64,

    /// Docs: ...and at least this often (milliseconds) while edits continue.
    #[arg(long, env = "ATRIUM_COLLAB_COMPACT_MAX_MS", default_value_t = 10_000)]
    pub collab_compact_max_ms: u64,

    /// Docs: a periodic revision is saved on compaction when the newest is older than this
    /// many minutes and the content changed.
    #[arg(long, env = "ATRIUM_COLLAB_REVISION_MINUTES", default_value_t = 10)]
    pub collab_revision_minutes: i64,
}

impl CollabConfig {
    /// The limits the rooms and sockets apply.
    pub fn limits(&self) -> CollabLimits {
        CollabLimits {
            max_message_bytes: self.collab_max_message_bytes.max(1024),
            connection_queue: self.collab_connection_queue.max(8),
            ping_every: Duration::from_secs(self.collab_ping_secs.max(1)),
            compact_idle: Duration::from_millis(self.collab_compact_idle_ms.max(10)),
            compact_max: Duration::from_millis(self.collab_compact_max_ms.max(10)),
            revision_every_minutes: self.collab_revision_minutes.max(0),
        }
    }

    /// The state the collaborative document handlers read.
    pub fn build_state(&self, pool: sqlx::SqlitePool) -> CollabState {
        CollabState::new(pool, self.limits())
    }
}
