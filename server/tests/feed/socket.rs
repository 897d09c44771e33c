//! A test WebSocket client of `/ws/feed`.

use crate::common::TestServer;
use futures_util::StreamExt;
use serde_json::Value;
use std::time::Duration;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

type Stream =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

pub struct FeedSocket {
    pub stream: Stream,
}

fn request(
    srv: &TestServer,
    query: &str,
    cookie: Option<&str>,
    origin: Option<&str>,
) -> tokio_tungstenite::tungstenite::handshake::client::Request {
    let url = format!("{}/ws/feed{query}", srv.base.replacen("http", "ws", 1));
    let mut req = url.into_client_request().expect("ws request");
    if let Some(c) = cookie {
        req.headers_mut()
            .insert("cookie", c.parse().expect("cookie"));
    }
    if let Some(o) = origin {
        req.headers_mut()
            .insert("origin", o.parse().expect("origin"));
    }
    req
}

impl FeedSocket {
    /// Connects (asserting the upgrade succeeded).
    pub async fn open(srv: &TestServer, query: &str, cookie: Option<&str>) -> FeedSocket {
        let (stream, _) = tokio_tungstenite::connect_async(request(srv, query, cookie, None))
            .await
            .expect("websocket connects");
        FeedSocket { stream }
    }

    /// Reconnects to an open tenant's feed from `after` in `epoch`.
    pub async fn resume(srv: &TestServer, tenant: &str, epoch: &str, after: u64) -> FeedSocket {
        let query = format!("?tenant={tenant}&epoch={epoch}&after={after}");
        FeedSocket::open(srv, &query, None).await
    }

    /// Connects with a tiny receive buffer and then never reads: a stuck browser. Keep the
    /// returned stream alive for as long as the client should stay stuck.
    pub async fn stuck(
        srv: &TestServer,
        query: &str,
    ) -> tokio_tungstenite::WebSocketStream<tokio::net::TcpStream> {
        let addr = srv
            .base
            .trim_start_matches("http://")
            .parse()
            .expect("addr");
        let socket = tokio::net::TcpSocket::new_v4().expect("socket");
        socket.set_recv_buffer_size(4096).expect("rcvbuf");
        let tcp = socket.connect(addr).await.expect("connect");
        tokio_tungstenite::client_async(request(srv, query, None, None), tcp)
            .await
            .expect("handshake")
            .0
    }

    /// The HTTP status of a refused upgrade.
    pub async fn refused(
        srv: &TestServer,
        query: &str,
        cookie: Option<&str>,
        origin: Option<&str>,
    ) -> u16 {
        match tokio_tungstenite::connect_async(request(srv, query, cookie, origin)).await {
            Err(tokio_tungstenite::tungstenite::Error::Http(res)) => res.status().as_u16(),
            Err(e) => panic!("unexpected error: {e}"),
            Ok(_) => panic!("upgrade was accepted"),
        }
    }

    /// The next JSON text frame (5 s at most).
    pub async fn next_json(&mut self) -> Value {
        loop {
            let frame = tokio::time::timeout(Duration::from_secs(5), self.stream.next())
                .await
                .expect("a frame within 5 s")
                .expect("socket open")
                .expect("frame");
            if let Message::Text(text) = frame {
                return serde_json::from_str(text.as_str()).expect("json frame");
            }
        }
    }

    /// Waits for the server's close frame (skipping data) and returns its code.
    pub async fn close_code(&mut self) -> u16 {
        loop {
            let frame = tokio::time::timeout(Duration::from_secs(5), self.stream.next())
                .await
                .expect("closed within 5 s");
            match frame {
                Some(Ok(Message::Close(Some(close)))) => return close.code.into(),
                Some(Ok(_)) => continue,
                other => panic!("expected a close frame, got {other:?}"),
            }
        }
    }

    /// The messages of the next `n` live events.
    pub async fn messages(&mut self, n: usize) -> Vec<String> {
        let mut out = Vec::new();
        while out.len() < n {
            let msg = self.next_json().await;
            assert_eq!(msg["type"], "event", "{msg}");
            out.push(
                msg["event"]["message"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            );
        }
        out
    }
}
