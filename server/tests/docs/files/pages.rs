//! The Files page's server functions follow the REST API's rules (they share its service).

use super::*;
use crate::common::TestServer;

async fn call(
    client: &reqwest::Client,
    srv: &TestServer,
    fun: &str,
    form: &[(&str, &str)],
) -> (u16, Value) {
    let res = client
        .post(srv.url(&format!("/api/files/{fun}")))
        .form(form)
        .send()
        .await
        .expect("server fn");
    status_json(res).await
}

#[tokio::test]
async fn the_pages_server_functions_list_and_delete_by_the_same_rules() {
    let srv = TestServer::start(&["--upload-max-bytes", "1048576"]).await;
    let shared = uploaded(&srv, USER_A, "shared.txt", "tenant", b"s").await;
    uploaded(&srv, ADMIN_A, "admins-only.txt", "private", b"p").await;
    let id = shared["id"].as_str().unwrap_or_default().to_string();

    let member = srv.signed_in("user_a").await;
    let (status, listing) = call(&member, &srv, "list", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(listing["can_delete"], false);
    let names: Vec<&str> = listing["page"]["documents"]
        .as_array()
        .map(|d| d.iter().filter_map(|f| f["filename"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(names, ["shared.txt"]);
    let (status, settings) = call(&member, &srv, "upload_settings", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(settings["max_bytes"], 1_048_576);

    let (status, body) = call(&member, &srv, "delete", &[("id", &id)]).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["code"], "forbidden");

    let other = srv.signed_in("admin_b").await;
    let (status, body) = call(&other, &srv, "delete", &[("id", &id)]).await;
    assert_eq!(status, 404, "{body}");
    let (_, listing) = call(&other, &srv, "list", &[]).await;
    assert_eq!(listing["page"]["documents"], serde_json::json!([]));

    let admin = srv.signed_in("admin_a").await;
    let (_, listing) = call(&admin, &srv, "list", &[]).await;
    assert_eq!(listing["can_delete"], true);
    assert_eq!(
        listing["page"]["documents"].as_array().map(Vec::len),
        Some(2)
    );
    let (status, _) = call(&admin, &srv, "delete", &[("id", &id)]).await;
    assert_eq!(status, 200);
    assert_eq!(listed(&srv, USER_A).await, Vec::<String>::new());
    assert_eq!(entries(&srv, "company_a").len(), 1);

    let anonymous = srv.browser();
    let (status, _) = call(&anonymous, &srv, "list", &[]).await;
    assert_eq!(status, 401);
}

/// On a multi-threaded runtime, as in production: a render is cleaned up on whichever thread
/// finishes it, so the page must not create browser-only (thread-local) values on the server —
/// one that did cut responses short with a panic now and then.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_files_page_renders_whole_on_the_server_every_time() {
    let srv = TestServer::start(&[]).await;
    uploaded(&srv, USER_A, "rendered.txt", "tenant", b"r").await;
    let client = srv.signed_in("admin_a").await;
    let renders: Vec<_> = (0..24)
        .map(|_| {
            let (client, url) = (client.clone(), srv.url("/files"));
            tokio::spawn(async move {
                let res = client.get(url).send().await.expect("page");
                (res.status().as_u16(), res.text().await.unwrap_or_default())
            })
        })
        .collect();
    for render in renders {
        let (status, html) = render.await.expect("render task");
        assert_eq!(status, 200);
        for part in [
            "<h1 class=\"page-title\">Files</h1>",
            "Upload a file",
            "rendered.txt",
            "</html>",
        ] {
            assert!(html.contains(part), "missing {part:?}");
        }
    }
}
