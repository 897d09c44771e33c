//! The authoring server functions behind `/challenges/new` and `/challenges/:id/edit`: the same
//! rules as REST, and the full spec (solutions, hidden expected output) only for who may edit.

use super::*;

/// Calls `/api/challenges/{fun}` as `token` (None: no auth) with a form or a JSON body.
async fn call(
    srv: &TestServer,
    token: Option<&str>,
    fun: &str,
    form: &[(&str, &str)],
    json: Option<&Value>,
) -> reqwest::Response {
    let mut req = http().post(srv.url(&format!("/api/challenges/{fun}")));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req = match json {
        Some(body) => req.json(body),
        None => req.form(form),
    };
    req.send().await.expect("server fn")
}

/// The REST body without what the form does not send (`is_public` stays, the slug is never sent).
fn input(title: &str) -> Value {
    task(title, false)
}

#[tokio::test]
async fn instructors_create_edit_and_delete_through_the_server_functions() {
    let srv = server(&[]).await;
    let res = call(
        &srv,
        Some(INSTRUCTOR),
        "create",
        &[],
        Some(&json!({"input": input("Doubles")})),
    )
    .await;
    assert_eq!(res.status(), 200);
    let created: Value = res.json().await.expect("json");
    let id = created["summary"]["id"].as_str().expect("id").to_string();
    assert_eq!(created["can_edit"], true);
    assert_eq!(created["summary"]["is_public"], false);

    // The editor gets everything back, hidden expected output included.
    let res = call(&srv, Some(INSTRUCTOR), "editable", &[("id", &id)], None).await;
    assert_eq!(res.status(), 200);
    let full: Value = res.json().await.expect("json");
    assert_eq!(full["tests"][1]["checks"][0]["expected"], -42);
    assert_eq!(
        full["variants"][0]["solution"],
        "def double(x):\n    return 2 * x\n"
    );
    assert_eq!(full["is_public"], false);

    // Every invalid field at once, keyed by its path.
    let mut bad = full.clone();
    bad["title"] = json!("");
    bad["tests"][0]["name"] = json!("");
    let res = call(
        &srv,
        Some(INSTRUCTOR),
        "update",
        &[],
        Some(&json!({"id": id, "input": bad})),
    )
    .await;
    assert_eq!(res.status(), 422);
    let err: Value = res.json().await.expect("json");
    // Server functions answer the AppError itself (REST wraps it in "error").
    let details = &err["details"];
    assert!(
        details["title"].is_string() && details["tests[0].name"].is_string(),
        "{err}"
    );

    let mut renamed = full.clone();
    renamed["title"] = json!("Doubles, renamed");
    renamed["is_public"] = json!(true);
    let res = call(
        &srv,
        Some(INSTRUCTOR),
        "update",
        &[],
        Some(&json!({"id": id, "input": renamed})),
    )
    .await;
    assert_eq!(res.status(), 200);
    let updated: Value = res.json().await.expect("json");
    assert_eq!(updated["summary"]["title"], "Doubles, renamed");

    let res = call(&srv, Some(INSTRUCTOR), "delete", &[("id", &id)], None).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.expect("json"), "hard");
    let gone = call(&srv, Some(INSTRUCTOR), "editable", &[("id", &id)], None).await;
    assert_eq!(gone.status(), 404);
}

#[tokio::test]
async fn students_other_tenants_and_visitors_never_get_the_full_spec() {
    let srv = server(&[]).await;
    let id = create_ok(&srv, INSTRUCTOR, &task("Public doubles", true)).await;

    let res = call(&srv, Some(STUDENT), "editable", &[("id", &id)], None).await;
    assert_eq!(res.status(), 403);
    let body = res.text().await.expect("body");
    assert!(
        !body.contains("-42") && !body.contains("return 2 * x"),
        "{body}"
    );
    let other = call(&srv, Some(OTHER_TENANT), "editable", &[("id", &id)], None).await;
    assert_eq!(other.status(), 404);
    let nobody = call(&srv, None, "editable", &[("id", &id)], None).await;
    assert_eq!(nobody.status(), 401);
    assert_eq!(
        nobody.json::<Value>().await.expect("json")["code"],
        "unauthorized"
    );

    // Built-in challenges are read-only, even for admins.
    let list: Value = get_as(&srv, ADMIN, "/api/v1/challenges?limit=5")
        .await
        .json()
        .await
        .expect("json");
    let builtin = list["challenges"]
        .as_array()
        .expect("list")
        .iter()
        .find(|c| c["builtin"] == true)
        .and_then(|c| c["id"].as_str())
        .expect("a built-in challenge")
        .to_string();
    let res = call(&srv, Some(ADMIN), "editable", &[("id", &builtin)], None).await;
    assert_eq!(res.status(), 403);
    // The admin may edit the instructor's challenge.
    let res = call(&srv, Some(ADMIN), "editable", &[("id", &id)], None).await;
    assert_eq!(res.status(), 200);

    let res = call(
        &srv,
        Some(STUDENT),
        "create",
        &[],
        Some(&json!({"input": input("Mine")})),
    )
    .await;
    assert_eq!(res.status(), 403);
    let res = call(&srv, Some(STUDENT), "delete", &[("id", &id)], None).await;
    assert_eq!(res.status(), 403);
    let res = call(&srv, Some(OTHER_TENANT), "delete", &[("id", &id)], None).await;
    assert_eq!(res.status(), 404);

    // The list tells the page who may author.
    assert_eq!(can_author(&srv, STUDENT).await, false);
    assert_eq!(can_author(&srv, INSTRUCTOR).await, true);
}

async fn can_author(srv: &TestServer, token: &str) -> Value {
    let res = call(srv, Some(token), "list", &[("query[limit]", "1")], None).await;
    assert_eq!(res.status(), 200);
    res.json::<Value>().await.expect("json")["can_author"].clone()
}
