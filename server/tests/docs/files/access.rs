//! Who sees, downloads and deletes what.

use super::*;
use crate::common::{error_code, TestServer};
use reqwest::Method;

#[tokio::test]
async fn the_briefs_scenario_user_uploads_admin_downloads_other_tenant_and_member_cannot() {
    let srv = TestServer::start(&[]).await;
    let data = sample(10_000);
    let meta = uploaded(&srv, USER_A, "contract.pdf", "tenant", &data).await;
    assert_eq!(meta["tenant_id"], "company_a");
    assert_eq!(meta["filename"], "contract.pdf");
    assert_eq!(meta["uploaded_by"], "user_a");
    assert_eq!(meta["uploader_name"], "User A");
    assert_eq!(meta["access_level"], "tenant");
    assert_eq!(meta["size"], 10_000);
    assert_eq!(meta["sha256"], sha256_hex(&data));
    assert!(meta["upload_date"]
        .as_str()
        .is_some_and(|d| d.ends_with('Z')));
    let id = meta["id"].as_str().expect("id").to_string();
    let path = format!("/documents/{id}");

    // admin_a (same tenant) can download it: the same bytes.
    let res = with_token(&srv, Method::GET, &path, ADMIN_A)
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), 200);
    let body = res.bytes().await.expect("bytes");
    assert_eq!(sha256_hex(&body), sha256_hex(&data));
    assert_eq!(body.as_ref(), data.as_slice());

    // admin_b (another tenant) cannot: 404, not 403, and the listing does not show it.
    let res = with_token(&srv, Method::GET, &path, ADMIN_B)
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), 404);
    let (_, body) = status_json(res).await;
    assert_eq!(body["error"]["code"], "not_found");
    assert_eq!(body["error"]["message"], "File not found.");
    assert!(listed(&srv, ADMIN_B).await.is_empty());
    let res = with_token(&srv, Method::DELETE, &path, ADMIN_B)
        .send()
        .await
        .expect("delete");
    assert_eq!(res.status(), 404);
    assert_eq!(error_code(res).await, "not_found");

    // The regular user cannot delete: 403 with a message that says why.
    let res = with_token(&srv, Method::DELETE, &path, USER_A)
        .send()
        .await
        .expect("delete");
    let (status, body) = status_json(res).await;
    assert_eq!(status, 403);
    assert_eq!(body["error"]["code"], "forbidden");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("Only tenant admins"),
        "{body}"
    );
    assert!(body["error"]["request_id"]
        .as_str()
        .is_some_and(|r| !r.is_empty()));
    assert_eq!(entries(&srv, "company_a").len(), 1);

    // The admin can: 204, and the file leaves the disk and the table.
    let res = with_token(&srv, Method::DELETE, &path, ADMIN_A)
        .send()
        .await
        .expect("delete");
    assert_eq!(res.status(), 204);
    assert!(entries(&srv, "company_a").is_empty());
    assert_eq!(file_rows(&srv).await, 0);
    let res = with_token(&srv, Method::GET, &path, ADMIN_A)
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), 404);
    let res = with_token(&srv, Method::DELETE, &path, ADMIN_A)
        .send()
        .await
        .expect("again");
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn members_see_tenant_files_and_only_their_own_private_ones() {
    let srv = TestServer::start(&[]).await;
    let admins = uploaded(&srv, ADMIN_A, "salaries.xlsx", "private", b"secret").await;
    let mine = uploaded(&srv, USER_A, "my-notes.txt", "private", b"mine").await;
    uploaded(&srv, ADMIN_A, "handbook.txt", "tenant", b"for all").await;
    let admins_path = format!("/documents/{}", admins["id"].as_str().unwrap_or_default());
    let mine_path = format!("/documents/{}", mine["id"].as_str().unwrap_or_default());

    // The member: tenant files and their own private one; the admin's private file is 404.
    let mut seen = listed(&srv, USER_A).await;
    seen.sort();
    assert_eq!(seen, ["handbook.txt", "my-notes.txt"]);
    for (method, expected) in [(Method::GET, 404), (Method::DELETE, 404)] {
        let res = with_token(&srv, method, &admins_path, USER_A)
            .send()
            .await
            .expect("req");
        assert_eq!(res.status(), expected);
        assert_eq!(error_code(res).await, "not_found");
    }
    let res = with_token(&srv, Method::GET, &mine_path, USER_A)
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), 200);
    assert_eq!(res.bytes().await.expect("bytes").as_ref(), b"mine");

    // The admin: everything in the tenant, the member's private file included.
    let mut seen = listed(&srv, ADMIN_A).await;
    seen.sort();
    assert_eq!(seen, ["handbook.txt", "my-notes.txt", "salaries.xlsx"]);
    let res = with_token(&srv, Method::GET, &mine_path, ADMIN_A)
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), 200);

    // Another tenant's admin: nothing.
    assert!(listed(&srv, ADMIN_B).await.is_empty());
    for path in [&admins_path, &mine_path] {
        let res = with_token(&srv, Method::GET, path, ADMIN_B)
            .send()
            .await
            .expect("get");
        assert_eq!(res.status(), 404);
    }
    // And their own files stay theirs.
    uploaded(&srv, ADMIN_B, "b-only.txt", "tenant", b"b").await;
    assert_eq!(listed(&srv, ADMIN_B).await, ["b-only.txt"]);
    assert!(!listed(&srv, ADMIN_A)
        .await
        .contains(&"b-only.txt".to_string()));
    assert_eq!(entries(&srv, "company_b").len(), 1);
    assert_eq!(entries(&srv, "company_a").len(), 3);
}

#[tokio::test]
async fn listings_are_newest_first_and_page_by_cursor() {
    let srv = TestServer::start(&[]).await;
    for i in 0..5 {
        uploaded(&srv, USER_A, &format!("file-{i}.txt"), "tenant", b"x").await;
    }
    assert_eq!(
        listed(&srv, ADMIN_A).await,
        [
            "file-4.txt",
            "file-3.txt",
            "file-2.txt",
            "file-1.txt",
            "file-0.txt"
        ]
    );

    let mut names = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut path = "/documents?limit=2".to_string();
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let page: serde_json::Value = with_token(&srv, Method::GET, &path, USER_A)
            .send()
            .await
            .expect("list")
            .json()
            .await
            .expect("json");
        pages += 1;
        for d in page["documents"].as_array().cloned().unwrap_or_default() {
            names.push(d["filename"].as_str().unwrap_or_default().to_string());
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(
        names,
        [
            "file-4.txt",
            "file-3.txt",
            "file-2.txt",
            "file-1.txt",
            "file-0.txt"
        ]
    );

    for bad in [
        "/documents?limit=0",
        "/documents?limit=101",
        "/documents?cursor=nonsense",
    ] {
        let res = with_token(&srv, Method::GET, bad, USER_A)
            .send()
            .await
            .expect("list");
        assert_eq!(res.status(), 422, "{bad}");
        assert_eq!(error_code(res).await, "validation");
    }
    let res = with_token(&srv, Method::GET, "/documents?limit=many", USER_A)
        .send()
        .await
        .expect("list");
    assert_eq!(res.status(), 400);
    assert_eq!(error_code(res).await, "bad_request");
}

#[tokio::test]
async fn every_endpoint_needs_credentials() {
    let srv = TestServer::start(&[]).await;
    let meta = uploaded(&srv, USER_A, "a.txt", "tenant", b"a").await;
    let path = format!("/documents/{}", meta["id"].as_str().unwrap_or_default());
    let http = reqwest::Client::new();
    let (content_type, body) = form(&[Part::File(Name::Quoted("b.txt"), b"b")]);
    let requests = [
        http.get(srv.url("/documents")),
        http.post(srv.url("/documents"))
            .header("content-type", content_type.clone())
            .body(body.clone()),
        http.get(srv.url(&path)),
        http.delete(srv.url(&path)),
        // A wrong token is refused as well, never treated as anonymous.
        http.get(srv.url(&path)).bearer_auth("token_nobody"),
        http.post(srv.url("/documents"))
            .bearer_auth("token_nobody")
            .header("content-type", content_type)
            .body(body),
    ];
    for req in requests {
        let res = req.send().await.expect("request");
        let (status, body) = status_json(res).await;
        assert_eq!(status, 401, "{body}");
        assert_eq!(body["error"]["code"], "unauthorized");
        assert_eq!(
            body["error"]["message"],
            "Sign in or provide a valid API token."
        );
    }
    assert_eq!(file_rows(&srv).await, 1);
    assert_eq!(entries(&srv, "company_a").len(), 1);
}

#[tokio::test]
async fn session_cookies_work_and_cross_site_uploads_are_refused() {
    let srv = TestServer::start(&[]).await;
    let client = srv.signed_in("user_a").await;
    let (content_type, body) = form(&[
        Part::Text("access_level", "private"),
        Part::File(Name::Quoted("from-the-browser.txt"), b"hello"),
    ]);

    // From another site: refused by the CSRF guard before anything is read.
    let res = client
        .post(srv.url("/documents"))
        .header("origin", "http://evil.test")
        .header("content-type", content_type.clone())
        .body(body.clone())
        .send()
        .await
        .expect("upload");
    assert_eq!(res.status(), 403);
    assert_eq!(error_code(res).await, "csrf_rejected");
    assert!(entries(&srv, "company_a").is_empty());

    // From Atrium's own page: stored, listed and downloadable with the cookie.
    let res = client
        .post(srv.url("/documents"))
        .header("sec-fetch-site", "same-origin")
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("upload");
    assert_eq!(res.status(), 201);
    let location = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let meta: serde_json::Value = res.json().await.expect("json");
    assert_eq!(
        location,
        format!("/documents/{}", meta["id"].as_str().unwrap_or_default())
    );
    assert_eq!(meta["access_level"], "private");
    let page: serde_json::Value = client
        .get(srv.url("/documents"))
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    assert_eq!(page["documents"][0]["filename"], "from-the-browser.txt");
    let res = client
        .get(srv.url(&location))
        .send()
        .await
        .expect("download");
    assert_eq!(res.status(), 200);
    assert_eq!(res.bytes().await.expect("bytes").as_ref(), b"hello");

    // Deleting from another site is refused too, even for an admin.
    let admin = srv.signed_in("admin_a").await;
    let res = admin
        .delete(srv.url(&location))
        .header("origin", "http://evil.test")
        .send()
        .await
        .expect("delete");
    assert_eq!(res.status(), 403);
    assert_eq!(error_code(res).await, "csrf_rejected");
    assert_eq!(file_rows(&srv).await, 1);
}
