//! Collaborative documents' REST API: create, list, rename, share and delete, with every
//! access rule (owner, tenant admin, collaborator by permission, other tenant).

use crate::common::{error_code, TestServer};
use reqwest::{Method, Response};
use serde_json::{json, Value};

/// A bearer-token client of one demo user.
struct Api<'a> {
    srv: &'a TestServer,
    token: &'a str,
    http: reqwest::Client,
}

impl<'a> Api<'a> {
    fn new(srv: &'a TestServer, token: &'a str) -> Self {
        Api {
            srv,
            token,
            http: reqwest::Client::new(),
        }
    }

    async fn send(&self, method: Method, path: &str, body: Option<Value>) -> Response {
        let mut req = self
            .http
            .request(method, self.srv.url(path))
            .bearer_auth(self.token);
        if let Some(body) = body {
            req = req.json(&body);
        }
        req.send().await.expect("request")
    }

    async fn create(&self, title: &str) -> String {
        let res = self
            .send(
                Method::POST,
                "/api/v1/docs",
                Some(json!({ "title": title })),
            )
            .await;
        assert_eq!(res.status(), 201);
        let doc: Value = res.json().await.expect("json");
        doc["id"].as_str().expect("id").to_string()
    }

    async fn share(&self, id: &str, user: &str, permission: &str) -> Response {
        self.send(
            Method::PUT,
            &format!("/api/v1/docs/{id}/collaborators/{user}"),
            Some(json!({ "permission": permission })),
        )
        .await
    }

    async fn status(&self, method: Method, path: &str, body: Option<Value>) -> u16 {
        self.send(method, path, body).await.status().as_u16()
    }
}

#[tokio::test]
async fn owners_create_list_rename_and_delete_their_documents() {
    let srv = TestServer::start(&[]).await;
    let user = Api::new(&srv, "token_user_a");
    let id = user.create("  Roadmap  ").await;
    let list: Value = user
        .send(Method::GET, "/api/v1/docs", None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(list["docs"][0]["title"], "Roadmap");
    assert_eq!(list["docs"][0]["owned"], true);
    assert_eq!(list["docs"][0]["permission"], "admin");

    let renamed: Value = user
        .send(
            Method::PATCH,
            &format!("/api/v1/docs/{id}"),
            Some(json!({ "title": "Roadmap 2027" })),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(renamed["title"], "Roadmap 2027");
    let path = format!("/api/v1/docs/{id}");
    assert_eq!(user.status(Method::DELETE, &path, None).await, 204);
    assert_eq!(user.status(Method::GET, &path, None).await, 404);
}

#[tokio::test]
async fn bad_titles_and_anonymous_callers_get_clear_errors() {
    let srv = TestServer::start(&[]).await;
    let user = Api::new(&srv, "token_user_a");
    for title in ["", "   ", &"x".repeat(201)] {
        let res = user
            .send(
                Method::POST,
                "/api/v1/docs",
                Some(json!({ "title": title })),
            )
            .await;
        assert_eq!(res.status(), 422);
        let body: Value = res.json().await.expect("envelope");
        assert!(body["error"]["details"]["title"].is_string(), "{body}");
    }
    let res = reqwest::Client::new()
        .get(srv.url("/api/v1/docs"))
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), 401);
    assert_eq!(error_code(res).await, "unauthorized");
}

#[tokio::test]
async fn another_tenant_gets_404_for_every_operation() {
    let srv = TestServer::start(&[]).await;
    let a = Api::new(&srv, "token_user_a");
    let b = Api::new(&srv, "token_admin_b");
    let id = a.create("Company A only").await;
    let path = format!("/api/v1/docs/{id}");
    let title = Some(json!({ "title": "taken" }));
    assert_eq!(b.status(Method::GET, &path, None).await, 404);
    assert_eq!(b.status(Method::PATCH, &path, title).await, 404);
    assert_eq!(b.status(Method::DELETE, &path, None).await, 404);
    assert_eq!(b.share(&id, "admin_b", "edit").await.status(), 404);
    let listed: Value = b
        .send(Method::GET, "/api/v1/docs", None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(listed["docs"], json!([]));
    // Still there, unchanged, for its owner.
    let doc: Value = a
        .send(Method::GET, &path, None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(doc["title"], "Company A only");
}

#[tokio::test]
async fn sharing_grants_exactly_the_permission_given() {
    let srv = TestServer::start(&[]).await;
    let admin = Api::new(&srv, "token_admin_a");
    let user = Api::new(&srv, "token_user_a");
    let id = admin.create("Board minutes").await;
    let path = format!("/api/v1/docs/{id}");
    let title = || Some(json!({ "title": "Renamed" }));

    // Not shared: a member of the same tenant cannot see it.
    assert_eq!(user.status(Method::GET, &path, None).await, 404);

    assert_eq!(admin.share(&id, "user_a", "view").await.status(), 200);
    let seen: Value = user
        .send(Method::GET, &path, None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(seen["permission"], "view");
    assert_eq!(seen["owned"], false);
    assert_eq!(user.status(Method::PATCH, &path, title()).await, 403);
    assert_eq!(user.share(&id, "user_a", "admin").await.status(), 403);
    assert_eq!(user.status(Method::DELETE, &path, None).await, 403);

    let detail: Value = admin
        .share(&id, "user_a", "edit")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(detail["collaborators"][0]["username"], "user_a");
    assert_eq!(detail["collaborators"][0]["permission"], "edit");
    assert_eq!(user.status(Method::PATCH, &path, title()).await, 403);

    assert_eq!(admin.share(&id, "user_a", "admin").await.status(), 200);
    assert_eq!(user.status(Method::PATCH, &path, title()).await, 200);

    assert_eq!(admin.share(&id, "user_a", "none").await.status(), 200);
    assert_eq!(user.status(Method::GET, &path, None).await, 404);
}

#[tokio::test]
async fn sharing_refuses_other_tenants_users_the_owner_and_unknown_permissions() {
    let srv = TestServer::start(&[]).await;
    let admin = Api::new(&srv, "token_admin_a");
    let id = admin.create("Plan").await;
    let res = admin.share(&id, "admin_b", "view").await;
    assert_eq!(res.status(), 404);
    assert_eq!(error_code(res).await, "not_found");
    assert_eq!(admin.share(&id, "admin_a", "view").await.status(), 422);
    let res = admin.share(&id, "user_a", "owner").await;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.expect("envelope");
    assert!(body["error"]["details"]["permission"].is_string(), "{body}");
}

#[tokio::test]
async fn tenant_admins_manage_every_document_of_their_tenant() {
    let srv = TestServer::start(&[]).await;
    let user = Api::new(&srv, "token_user_a");
    let admin = Api::new(&srv, "token_admin_a");
    let id = user.create("Member's notes").await;
    let listed: Value = admin
        .send(Method::GET, "/api/v1/docs", None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(listed["docs"][0]["id"], id.as_str());
    assert_eq!(listed["docs"][0]["owned"], false);
    assert_eq!(listed["docs"][0]["permission"], "admin");
    let path = format!("/api/v1/docs/{id}");
    assert_eq!(admin.status(Method::DELETE, &path, None).await, 204);
    assert_eq!(user.status(Method::GET, &path, None).await, 404);
}
