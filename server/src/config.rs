//! Typed configuration from `ATRIUM_*` environment variables (or flags), with defaults that run
//! as-is. `atrium --help` lists every variable.

use clap::{ArgAction, Parser, Subcommand, ValueEnum};
use std::net::SocketAddr;

/// Atrium: a multi-tenant web platform (storefront, dashboards, live feed, documents, challenges).
#[derive(Parser, Clone)]
#[command(name = "atrium", version, about)]
pub struct Config {
    /// Address to listen on [default: $LEPTOS_SITE_ADDR or 127.0.0.1:3000].
    #[arg(long, env = "ATRIUM_ADDR")]
    pub addr: Option<SocketAddr>,

    /// SQLite database URL; the file is created when missing.
    #[arg(
        long,
        env = "ATRIUM_DATABASE_URL",
        default_value = "sqlite://atrium.db"
    )]
    pub database_url: String,

    /// Folder with the built site (pkg/, icons, sw.js) [default: $LEPTOS_SITE_ROOT or target/site].
    #[arg(long, env = "ATRIUM_SITE_ROOT")]
    pub site_root: Option<String>,

    /// Public base URL; `https://` turns on Secure cookies.
    #[arg(
        long,
        env = "ATRIUM_PUBLIC_URL",
        default_value = "http://127.0.0.1:3000"
    )]
    pub public_url: String,

    /// HS256 secret for API JWTs. The default is for development only.
    #[arg(long, env = "ATRIUM_JWT_SECRET", default_value = DEV_JWT_SECRET, hide_default_value = true, hide_env_values = true)]
    pub jwt_secret: String,

    /// Demo mode: load demo tenants and users at start and list them on the sign-in page.
    #[arg(long, env = "ATRIUM_DEMO", default_value_t = true, action = ArgAction::Set)]
    pub demo: bool,

    /// Sessions end after this many minutes without a request.
    #[arg(long, env = "ATRIUM_SESSION_IDLE_MINUTES", default_value_t = 720)]
    pub session_idle_minutes: i64,

    /// Sign-in attempts allowed per minute for one IP and username (5x that per IP).
    #[arg(long, env = "ATRIUM_SIGN_IN_PER_MINUTE", default_value_t = 10)]
    pub sign_in_per_minute: u32,

    /// Feed: events kept in memory per tenant, for resuming and `GET /events`.
    #[arg(long, env = "ATRIUM_FEED_BUFFER", default_value_t = 1000)]
    pub feed_buffer: usize,

    /// Feed: events sent in a fresh snapshot (the newest ones).
    #[arg(long, env = "ATRIUM_FEED_SNAPSHOT", default_value_t = 100)]
    pub feed_snapshot: usize,

    /// Feed: live events queued per connection before it is told it lagged and resynced.
    #[arg(long, env = "ATRIUM_FEED_CONNECTION_QUEUE", default_value_t = 256)]
    pub feed_connection_queue: usize,

    /// Feed: events per second one tenant may post (sustained).
    #[arg(long, env = "ATRIUM_FEED_RATE_PER_SECOND", default_value_t = 20)]
    pub feed_rate_per_second: u32,

    /// Feed: events one tenant may post in a burst before the rate applies.
    #[arg(long, env = "ATRIUM_FEED_RATE_BURST", default_value_t = 40)]
    pub feed_rate_burst: u32,

    /// Feed: comma-separated tenants reachable with the brief's simple auth (`X-Tenant-Id`,
    /// `?tenant=`) and no credentials [default: tenant_a,tenant_b in demo mode, none otherwise].
    #[arg(long, env = "ATRIUM_FEED_OPEN_TENANTS")]
    pub feed_open_tenants: Option<String>,

    /// Feed: seconds a WebSocket may refuse writes before it is closed.
    #[arg(long, env = "ATRIUM_FEED_SEND_TIMEOUT_SECS", default_value_t = 10)]
    pub feed_send_timeout_secs: u64,

    /// Feed: seconds between WebSocket pings; credentials are re-checked as often, and a client
    /// silent for three intervals is dropped.
    #[arg(long, env = "ATRIUM_FEED_PING_SECS", default_value_t = 25)]
    pub feed_ping_secs: u64,

    /// Log filter (tracing EnvFilter syntax).
    #[arg(long, env = "ATRIUM_LOG", default_value = "info,sqlx=warn")]
    pub log: String,

    /// Log format: JSON lines for machines, pretty for people.
    #[arg(long, env = "ATRIUM_LOG_FORMAT", value_enum, default_value_t = LogFormat::Json)]
    pub log_format: LogFormat,

    #[command(flatten)]
    pub storefront: crate::storefront::config::StorefrontConfig,

    #[command(flatten)]
    pub files: crate::docs::files::config::FilesConfig,

    #[command(flatten)]
    pub collab: crate::docs::collab::config::CollabConfig,

    #[command(flatten)]
    pub catalog: crate::analytics::catalog::config::CatalogConfig,

    #[command(flatten)]
    pub ingest: crate::analytics::ingest::config::IngestConfig,

    #[command(flatten)]
    pub export: crate::analytics::query::export_config::ExportConfig,

    #[command(flatten)]
    pub challenges: crate::challenges::config::ChallengesConfig,

    #[command(flatten)]
    pub challenge_feedback: crate::challenges::feedback_config::FeedbackConfig,

    #[command(flatten)]
    pub sandbox: crate::challenges::sandbox::config::SandboxConfig,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// What to do (default: serve).
#[derive(Subcommand, Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Start the web server (the default).
    Serve,
    /// Apply migrations, load the demo data, and exit.
    SeedDemo,
}

/// Log output format.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Json,
    Pretty,
}

/// The development-only JWT secret used when none is configured.
pub const DEV_JWT_SECRET: &str = "atrium-dev-secret-change-me";

impl Config {
    /// The listen address.
    pub fn listen_addr(&self) -> SocketAddr {
        self.addr
            .or_else(|| std::env::var("LEPTOS_SITE_ADDR").ok()?.parse().ok())
            .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 3000)))
    }

    /// The built site's folder.
    pub fn site_root(&self) -> String {
        self.site_root
            .clone()
            .or_else(|| std::env::var("LEPTOS_SITE_ROOT").ok())
            .unwrap_or_else(|| "target/site".to_string())
    }

    /// Cookies get `Secure` when Atrium is served over TLS.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    /// The open feed tenants: as configured, else the demo tenants in demo mode.
    pub fn feed_open_tenants(&self) -> Vec<String> {
        match &self.feed_open_tenants {
            Some(list) => list
                .split(',')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .collect(),
            None if self.demo => vec!["tenant_a".to_string(), "tenant_b".to_string()],
            None => Vec::new(),
        }
    }

    /// Config with all defaults, for tests.
    pub fn defaults() -> Self {
        Config::parse_from(["atrium"])
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("addr", &self.listen_addr())
            .field("database_url", &self.database_url)
            .field("site_root", &self.site_root())
            .field("public_url", &self.public_url)
            .field("jwt_secret", &"<redacted>")
            .field("demo", &self.demo)
            .field("session_idle_minutes", &self.session_idle_minutes)
            .field("sign_in_per_minute", &self.sign_in_per_minute)
            .field("feed_buffer", &self.feed_buffer)
            .field("feed_snapshot", &self.feed_snapshot)
            .field("feed_connection_queue", &self.feed_connection_queue)
            .field("feed_rate_per_second", &self.feed_rate_per_second)
            .field("feed_rate_burst", &self.feed_rate_burst)
            .field("storefront", &self.storefront)
            .field("files", &self.files)
            .field("collab", &self.collab)
            .field("feed_open_tenants", &self.feed_open_tenants())
            .field("log", &self.log)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_run_as_is() {
        let c = Config::defaults();
        assert!(c.demo);
        assert!(!c.secure_cookies());
        assert_eq!(c.jwt_secret, DEV_JWT_SECRET);
    }

    #[test]
    fn debug_redacts_the_secret() {
        let c = Config::parse_from(["atrium", "--jwt-secret", "s3cr3t-value"]);
        assert!(!format!("{c:?}").contains("s3cr3t-value"));
    }

    #[test]
    fn open_feed_tenants_default_to_the_demo_ones_in_demo_mode_only() {
        assert_eq!(
            Config::defaults().feed_open_tenants(),
            ["tenant_a", "tenant_b"]
        );
        let prod = Config::parse_from(["atrium", "--demo", "false"]);
        assert!(prod.feed_open_tenants().is_empty());
        let none = Config::parse_from(["atrium", "--feed-open-tenants", ""]);
        assert!(none.feed_open_tenants().is_empty());
        let some = Config::parse_from(["atrium", "--feed-open-tenants", " x, y ,"]);
        assert_eq!(some.feed_open_tenants(), ["x", "y"]);
    }

    #[test]
    fn https_public_url_means_secure_cookies() {
        let c = Config::parse_from(["atrium", "--public-url", "https://atrium.example"]);
        assert!(c.secure_cookies());
    }
}
