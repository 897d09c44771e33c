//! A real Atrium server on a random loopback port with a fresh database, for integration tests.

pub mod openai_stub;

use clap::Parser;
use server::config::Config;

pub struct TestServer {
    pub base: String,
    pub state: app::state::AppState,
    _dir: tempfile::TempDir,
    _shutdown: tokio::sync::oneshot::Sender<()>,
}

impl TestServer {
    /// Starts a server; `extra` are extra command-line flags.
    pub async fn start(extra: &[&str]) -> TestServer {
        Self::start_in(tempfile::tempdir().expect("temp dir"), extra).await
    }

    /// Starts a server whose database, site and uploads live in `dir`.
    async fn start_in(dir: tempfile::TempDir, extra: &[&str]) -> TestServer {
        let db = format!("sqlite://{}", dir.path().join("atrium.db").display());
        let site = dir.path().join("site").display().to_string();
        let uploads = dir.path().join("uploads").display().to_string();
        let mut args = vec![
            "atrium",
            "--database-url",
            &db,
            "--site-root",
            &site,
            "--jwt-secret",
            "test-secret",
            "--upload-dir",
            &uploads,
        ];
        args.extend_from_slice(extra);
        let config = Config::parse_from(args);
        let state = server::build_state(&config).await.expect("state");
        let sessions = server::session_layer(&state, &config)
            .await
            .expect("sessions");
        let router = server::router(state.clone(), sessions);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(server::serve(listener, router, async move {
            let _ = rx.await;
        }));
        TestServer {
            base,
            state,
            _dir: dir,
            _shutdown: tx,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A client that keeps cookies, like a browser.
    pub fn browser(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .expect("client")
    }

    /// Signs in through the sign-in server function; returns the status.
    pub async fn sign_in(
        &self,
        client: &reqwest::Client,
        user: &str,
        password: &str,
    ) -> reqwest::Response {
        client
            .post(self.url("/api/auth/sign_in"))
            .form(&[("username", user), ("password", password)])
            .send()
            .await
            .expect("sign-in request")
    }

    /// A cookie-keeping client already signed in as `user` (asserts the sign-in succeeded).
    pub async fn signed_in(&self, user: &str) -> reqwest::Client {
        let client = self.browser();
        assert_eq!(
            self.sign_in(&client, user, "atrium-demo").await.status(),
            200
        );
        client
    }

    /// Signs `user` in and returns the session cookie (`name=value`), for raw WebSocket clients.
    pub async fn session_cookie(&self, user: &str) -> String {
        let res = self
            .sign_in(&reqwest::Client::new(), user, "atrium-demo")
            .await;
        assert_eq!(res.status(), 200);
        res.headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with("atrium_session="))
            .and_then(|c| c.split(';').next())
            .expect("session cookie")
            .to_string()
    }

    /// `GET /api/me` through a (session) client, as JSON.
    pub async fn me_json(&self, client: &reqwest::Client) -> serde_json::Value {
        client
            .get(self.url("/api/me"))
            .send()
            .await
            .expect("me")
            .json()
            .await
            .expect("json")
    }

    /// `GET /api/me` with a bearer credential.
    pub async fn me_with(&self, bearer: &str) -> reqwest::Response {
        reqwest::Client::new()
            .get(self.url("/api/me"))
            .bearer_auth(bearer)
            .send()
            .await
            .expect("me request")
    }
}

/// The body's `error.code`.
pub async fn error_code(res: reqwest::Response) -> String {
    let body: serde_json::Value = res.json().await.expect("json body");
    body["error"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

impl TestServer {
    /// Stops this server abruptly — its database pool is closed at once, so nothing more is
    /// written (like a crash) — and starts a fresh one on the same database and folders.
    /// Close test clients first: the old server's shutdown waits for open connections.
    pub async fn restart(self, extra: &[&str]) -> TestServer {
        let TestServer {
            state,
            _dir: dir,
            _shutdown,
            ..
        } = self;
        drop(_shutdown);
        state.pool.close().await;
        Self::start_in(dir, extra).await
    }
}
