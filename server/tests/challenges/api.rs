//! Listing, redaction, authoring rules, private challenges, deletion, tenancy and 401s.

use super::*;
use crate::common::error_code;

#[tokio::test]
async fn the_library_is_seeded_and_the_list_filters_sorts_and_pages() {
    let srv = server(&[]).await;
    let all: Value = get_as(&srv, STUDENT, "/api/v1/challenges?limit=100")
        .await
        .json()
        .await
        .expect("json");
    let builtin = all["pagination"]["total"].as_u64().expect("total");
    assert!(builtin >= 1, "library seeded: {all}");
    assert!(all["challenges"]
        .as_array()
        .expect("list")
        .iter()
        .all(|c| c["builtin"] == true && c["status"] == "NOT_STARTED"));

    for (title, level) in [("Alpha sums", 2), ("Beta sums", 3), ("Gamma sums", 1)] {
        let mut body = task(title, true);
        body["level"] = json!(level);
        body["tools"] = json!(["Python", "Sums"]);
        create_ok(&srv, INSTRUCTOR, &body).await;
    }
    let page: Value = get_as(
        &srv,
        STUDENT,
        "/api/v1/challenges?search=SUMS&sort_by=title&sort_order=desc&limit=2&page=1",
    )
    .await
    .json()
    .await
    .expect("json");
    assert_eq!(page["pagination"]["total"], 3);
    assert_eq!(page["pagination"]["pages"], 2);
    let titles: Vec<&str> = page["challenges"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|c| c["title"].as_str())
        .collect();
    assert_eq!(titles, ["Gamma sums", "Beta sums"]);
    let second: Value = get_as(
        &srv,
        STUDENT,
        "/api/v1/challenges?search=sums&sort_by=title&sort_order=desc&limit=2&page=2",
    )
    .await
    .json()
    .await
    .expect("json");
    assert_eq!(second["challenges"][0]["title"], "Alpha sums");

    let by_level: Value = get_as(
        &srv,
        STUDENT,
        "/api/v1/challenges?tags=sums,python&difficulty=BEGINNER&category=basics&sort_by=level",
    )
    .await
    .json()
    .await
    .expect("json");
    let levels: Vec<u64> = by_level["challenges"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|c| c["level"].as_u64())
        .collect();
    assert_eq!(levels, [1, 2, 3]);
    let none: Value = get_as(&srv, STUDENT, "/api/v1/challenges?tags=sums,nope")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(none["pagination"]["total"], 0);

    let bad = get_as(&srv, STUDENT, "/api/v1/challenges?sort_by=drop").await;
    assert_eq!(bad.status(), 422);
    let cats: Vec<String> = get_as(&srv, STUDENT, "/api/v1/challenges/categories")
        .await
        .json()
        .await
        .expect("json");
    assert!(cats.contains(&"Basics".to_string()), "{cats:?}");
}

#[tokio::test]
async fn students_get_no_solutions_creators_and_admins_do() {
    let srv = server(&[]).await;
    let id = create_ok(&srv, INSTRUCTOR, &task("Redacted", true)).await;
    let path = format!("/api/v1/challenges/{id}");
    let student: Value = get_as(&srv, STUDENT, &path)
        .await
        .json()
        .await
        .expect("json");
    assert!(student["variants"][0]["solution"].is_null(), "{student}");
    assert_eq!(student["can_edit"], false);
    let raw = student.to_string();
    assert!(
        // Not "-42" alone: a random uuid in the body can contain it.
        !raw.contains("2 * x") && !raw.contains("double(-21)") && !raw.contains("\"expected\""),
        "leak: {raw}"
    );
    assert_eq!(student["tests"][1]["public"], false);
    assert_eq!(student["tests"][1]["description"], "a negative number");

    for token in [INSTRUCTOR, ADMIN] {
        let v: Value = get_as(&srv, token, &path).await.json().await.expect("json");
        assert_eq!(
            v["variants"][0]["solution"],
            "def double(x):\n    return 2 * x\n"
        );
        assert_eq!(v["can_edit"], true);
    }
}

#[tokio::test]
async fn authoring_is_for_instructors_and_admins_and_edits_for_owners_and_admins() {
    let srv = server(&[]).await;
    let res = create_as(&srv, STUDENT, &task("Nope", true)).await;
    assert_eq!(res.status(), 403);
    assert_eq!(error_code(res).await, "forbidden");

    let mut invalid = task("", true);
    invalid["level"] = json!(42);
    let res = create_as(&srv, INSTRUCTOR, &invalid).await;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.expect("json");
    assert!(body["error"]["details"]["title"].is_string(), "{body}");
    assert!(body["error"]["details"]["level"].is_string(), "{body}");

    let id = create_ok(&srv, INSTRUCTOR, &task("Owned", true)).await;
    let path = format!("/api/v1/challenges/{id}");
    let put = |token: &'static str, title: &'static str| {
        let url = srv.url(&path);
        async move {
            http()
                .put(url)
                .bearer_auth(token)
                .json(&task(title, true))
                .send()
                .await
                .expect("put")
        }
    };
    assert_eq!(put(STUDENT, "Student edit").await.status(), 403);
    // admin_b is an admin, but of another tenant: not found.
    assert_eq!(put(OTHER_TENANT, "Other edit").await.status(), 404);
    assert_eq!(put(INSTRUCTOR, "Owner edit").await.status(), 200);
    let res = put(ADMIN, "Admin edit").await;
    assert_eq!(res.status(), 200);
    let v: Value = res.json().await.expect("json");
    assert_eq!(v["summary"]["title"], "Admin edit");

    // Another instructor (admin_a made one for the test) may not edit the owner's challenge.
    let (uid,): (String,) = sqlx::query_as("SELECT id FROM users WHERE username = 'user_a'")
        .fetch_one(&srv.state.pool)
        .await
        .expect("user");
    sqlx::query("INSERT INTO challenge_roles VALUES ('company_a', ?, 'instructor')")
        .bind(&uid)
        .execute(&srv.state.pool)
        .await
        .expect("role");
    assert_eq!(put(STUDENT, "Other instructor").await.status(), 403);

    // Built-in challenges are read-only, even for admins.
    let list: Value = get_as(&srv, ADMIN, "/api/v1/challenges?limit=100")
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
        .expect("a builtin challenge");
    let res = http()
        .delete(srv.url(&format!("/api/v1/challenges/{builtin}")))
        .bearer_auth(ADMIN)
        .send()
        .await
        .expect("delete");
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn private_challenges_are_seen_by_creator_and_admins_only() {
    let srv = server(&[]).await;
    let id = create_ok(&srv, INSTRUCTOR, &task("Zyxq secret", false)).await;
    let path = format!("/api/v1/challenges/{id}");
    assert_eq!(get_as(&srv, STUDENT, &path).await.status(), 404);
    assert_eq!(get_as(&srv, INSTRUCTOR, &path).await.status(), 200);
    assert_eq!(get_as(&srv, ADMIN, &path).await.status(), 200);
    for (token, n) in [(STUDENT, 0), (INSTRUCTOR, 1), (ADMIN, 1)] {
        let v: Value = get_as(&srv, token, "/api/v1/challenges?search=zyxq")
            .await
            .json()
            .await
            .expect("json");
        assert_eq!(v["pagination"]["total"], n, "{token}");
    }
    let res = http()
        .post(srv.url("/api/v1/submissions"))
        .bearer_auth(STUDENT)
        .json(&json!({"challenge_id": id, "language": "python", "code": "x = 1"}))
        .send()
        .await
        .expect("submit");
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn delete_is_hard_without_submissions_and_soft_with_them() {
    let srv = server(&[]).await;
    let del = |id: String| {
        let url = srv.url(&format!("/api/v1/challenges/{id}"));
        async move {
            let res = http()
                .delete(url)
                .bearer_auth(INSTRUCTOR)
                .send()
                .await
                .expect("delete");
            assert_eq!(res.status(), 200);
            let v: Value = res.json().await.expect("json");
            v["deleted"].as_str().unwrap_or_default().to_string()
        }
    };
    let count = |id: String| {
        let pool = srv.state.pool.clone();
        async move {
            let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM challenges WHERE id = ?")
                .bind(id)
                .fetch_one(&pool)
                .await
                .expect("count");
            n
        }
    };
    let fresh = create_ok(&srv, INSTRUCTOR, &task("Fresh", true)).await;
    assert_eq!(del(fresh.clone()).await, "hard");
    assert_eq!(count(fresh).await, 0);

    let used = create_ok(&srv, INSTRUCTOR, &task("Used", true)).await;
    let sub = submit(
        &srv,
        STUDENT,
        &used,
        "def double(x):\n    return 2 * x\n",
        "run",
    )
    .await;
    follow(&srv, STUDENT, &sub).await;
    assert_eq!(del(used.clone()).await, "soft");
    assert_eq!(count(used.clone()).await, 1);
    let path = format!("/api/v1/challenges/{used}");
    assert_eq!(get_as(&srv, ADMIN, &path).await.status(), 404);
    // The submission stays readable by its author.
    let res = get_as(&srv, STUDENT, &format!("/api/v1/submissions/{sub}")).await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn every_route_needs_credentials_and_other_tenants_get_404() {
    let srv = server(&[]).await;
    let id = create_ok(&srv, INSTRUCTOR, &task("Qwzx mine", true)).await;
    let sub = submit(
        &srv,
        STUDENT,
        &id,
        "def double(x):\n    return 2 * x\n",
        "submit",
    )
    .await;
    follow(&srv, STUDENT, &sub).await;

    let c = format!("/api/v1/challenges/{id}");
    let s = format!("/api/v1/submissions/{sub}");
    let routes: Vec<(reqwest::Method, String)> = vec![
        (reqwest::Method::GET, "/api/v1/challenges".into()),
        (reqwest::Method::POST, "/api/v1/challenges".into()),
        (reqwest::Method::GET, "/api/v1/challenges/categories".into()),
        (
            reqwest::Method::GET,
            "/api/v1/challenges/leaderboard".into(),
        ),
        (reqwest::Method::GET, c.clone()),
        (reqwest::Method::PUT, c.clone()),
        (reqwest::Method::DELETE, c.clone()),
        (reqwest::Method::PUT, format!("{c}/draft")),
        (reqwest::Method::GET, "/api/v1/submissions".into()),
        (reqwest::Method::POST, "/api/v1/submissions".into()),
        (reqwest::Method::GET, s.clone()),
        (reqwest::Method::GET, format!("{s}/events")),
        (reqwest::Method::POST, format!("{s}/feedback/regenerate")),
        (reqwest::Method::GET, "/api/v1/users/me/progress".into()),
    ];
    for (method, path) in &routes {
        let res = http()
            .request(method.clone(), srv.url(path))
            .json(&json!({}))
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), 401, "{method} {path}");
    }

    // company_b: company_a's challenge and submission do not exist.
    for (method, path) in [
        (reqwest::Method::GET, c.clone()),
        (reqwest::Method::DELETE, c.clone()),
        (reqwest::Method::GET, s.clone()),
        (reqwest::Method::GET, format!("{s}/events")),
        (reqwest::Method::POST, format!("{s}/feedback/regenerate")),
    ] {
        let res = http()
            .request(method.clone(), srv.url(&path))
            .bearer_auth(OTHER_TENANT)
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), 404, "{method} {path}");
    }
    let res = http()
        .put(srv.url(&format!("{c}/draft")))
        .bearer_auth(OTHER_TENANT)
        .json(&json!({"language": "python", "code": "x"}))
        .send()
        .await
        .expect("draft");
    assert_eq!(res.status(), 404);
    let res = http()
        .post(srv.url("/api/v1/submissions"))
        .bearer_auth(OTHER_TENANT)
        .json(&json!({"challenge_id": id, "language": "python", "code": "x = 1"}))
        .send()
        .await
        .expect("submit");
    assert_eq!(res.status(), 404);
    let list: Value = get_as(&srv, OTHER_TENANT, "/api/v1/challenges?search=qwzx")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(list["pagination"]["total"], 0);
    let board: Value = get_as(&srv, OTHER_TENANT, "/api/v1/challenges/leaderboard")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(board, json!([]));
    // The challenge's creator may read submissions to it.
    assert_eq!(get_as(&srv, INSTRUCTOR, &s).await.status(), 200);
}

#[tokio::test]
async fn the_pages_server_functions_answer_like_the_rest_api() {
    let srv = server(&[]).await;
    let id = create_ok(&srv, INSTRUCTOR, &task("Server fns", true)).await;
    let client = srv.signed_in("user_a").await;
    let call = |fun: &'static str, form: Vec<(&'static str, String)>| {
        let client = client.clone();
        let url = srv.url(&format!("/api/challenges/{fun}"));
        async move { client.post(url).form(&form).send().await.expect("call") }
    };
    let res = call("get", vec![("id", id.clone())]).await;
    assert_eq!(res.status(), 200);
    let detail: Value = res.json().await.expect("json");
    assert_eq!(detail["summary"]["title"], "Server fns");
    assert!(detail["variants"][0]["solution"].is_null());

    let res = call("list", vec![("query[search]", "server fns".into())]).await;
    assert_eq!(res.status(), 200);
    let list: Value = res.json().await.expect("json");
    assert_eq!(list["pagination"]["total"], 1, "{list}");

    let res = call(
        "draft",
        vec![
            ("challenge_id", id.clone()),
            ("language", "python".into()),
            ("code", "def double(x): ...".into()),
        ],
    )
    .await;
    assert_eq!(res.status(), 200);
    let detail: Value = call("get", vec![("id", id.clone())])
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(detail["draft"]["code"], "def double(x): ...");

    let res = call("get", vec![("id", "nope".into())]).await;
    assert_eq!(res.status(), 404);
    let anonymous = http()
        .post(srv.url("/api/challenges/categories"))
        .send()
        .await
        .expect("call");
    assert_eq!(anonymous.status(), 401);
}

#[tokio::test]
async fn the_api_reference_documents_every_challenges_route() {
    let srv = server(&[]).await;
    let doc: Value = http()
        .get(srv.url("/api-docs/openapi.json"))
        .send()
        .await
        .expect("doc")
        .json()
        .await
        .expect("json");
    for path in [
        "/api/v1/challenges",
        "/api/v1/challenges/categories",
        "/api/v1/challenges/leaderboard",
        "/api/v1/challenges/{id}",
        "/api/v1/challenges/{id}/draft",
        "/api/v1/submissions",
        "/api/v1/submissions/{id}",
        "/api/v1/submissions/{id}/events",
        "/api/v1/submissions/{id}/feedback/regenerate",
        "/api/v1/users/me/progress",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} missing");
    }
}
