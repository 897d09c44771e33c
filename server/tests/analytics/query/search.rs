//! `GET /api/v1/tenants/{tenant_id}/orders/search`: filters, projection, streaming formats,
//! keyset paging under concurrent inserts, text search, validation, tenant isolation.

use crate::common::{error_code, TestServer};
use reqwest::header::CONTENT_TYPE;
use serde_json::{json, Value};
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

const SEARCH: &str = "/api/v1/tenants/company_a/orders/search";

/// An order for the ingest API; `at` is minutes after 2026-03-01T00:00Z.
fn order(id: &str, customer: (&str, &str), status: &str, at: u32, items: Value) -> Value {
    let created = format!("2026-03-01T{:02}:{:02}:00.000Z", at / 60 % 24, at % 60);
    let created = if at >= 24 * 60 {
        format!("2026-03-{:02}T{}", 1 + at / (24 * 60), &created[11..])
    } else {
        created
    };
    json!({"order_id": id, "tenant_id": "company_a", "customer_id": format!("c-{}", customer.0.len()),
           "customer_name": customer.0, "customer_email": customer.1, "status": status,
           "created_at": created, "currency": "EUR", "items": items})
}

fn item(product: &str, quantity: u32, price: &str) -> Value {
    json!({"product_id": product, "quantity": quantity, "unit_price": price})
}

async fn ingest(srv: &TestServer, token: &str, rows: &[Value]) {
    let tenant = if token.ends_with("_b") {
        "company_b"
    } else {
        "company_a"
    };
    let body: String = rows
        .iter()
        .map(|r| {
            let mut r = r.clone();
            r["tenant_id"] = json!(tenant);
            format!("{r}\n")
        })
        .collect();
    let res = reqwest::Client::new()
        .post(srv.url("/api/v1/ingest/orders/"))
        .bearer_auth(token)
        .header(CONTENT_TYPE, "application/x-ndjson")
        .body(body)
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 200);
    let report: Value = res.json().await.expect("report");
    assert_eq!(report["rows_failed"], 0, "{report}");
}

async fn get(srv: &TestServer, query: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(srv.url(&format!("{SEARCH}?{query}")))
        .bearer_auth("token_user_a")
        .send()
        .await
        .expect("send")
}

/// The NDJSON orders and the final `next_cursor`.
async fn search(srv: &TestServer, query: &str) -> (Vec<Value>, Option<String>) {
    let res = get(srv, query).await;
    assert_eq!(res.status(), 200, "{query}");
    assert_eq!(res.headers()[CONTENT_TYPE], "application/x-ndjson");
    let text = res.text().await.expect("body");
    let mut lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    let last = lines.pop().expect("the cursor line");
    let next = last["next_cursor"].as_str().map(str::to_string);
    assert!(last.get("next_cursor").is_some(), "{last}");
    (lines, next)
}

async fn ids(srv: &TestServer, query: &str) -> Vec<String> {
    let (orders, _) = search(srv, &format!("fields=order_id&{query}")).await;
    orders
        .iter()
        .map(|o| o["order_id"].as_str().expect("id").to_string())
        .collect()
}

const ADA: (&str, &str) = ("Ada Lovelace", "ada@analytical.example");
const ZOE: (&str, &str) = ("Zoë Brontë", "zoe.b@mail.example");
const ALAN: (&str, &str) = ("Alan Turing", "alan@bletchley.example");

async fn seeded() -> TestServer {
    let srv = TestServer::start(&[]).await;
    let rows = [
        order("o-1", ADA, "paid", 60, json!([item("p-1", 2, "5.00")])),
        order(
            "o-2",
            ZOE,
            "shipped",
            120,
            json!([item("p-2", 1, "20.00"), item("p-3", 1, "0.50")]),
        ),
        order(
            "o-3",
            ALAN,
            "pending",
            24 * 60 + 5,
            json!([item("p-1", 1, "99.99")]),
        ),
        order(
            "o-4",
            ADA,
            "cancelled",
            2 * 24 * 60,
            json!([item("p-3", 4, "2.50")]),
        ),
    ];
    ingest(&srv, "token_admin_a", &rows).await;
    let other = order("o-b", ADA, "paid", 60, json!([item("p-1", 1, "1.00")]));
    ingest(&srv, "token_admin_b", &[other]).await;
    srv
}

#[tokio::test]
async fn each_filter_narrows_the_newest_first_listing() {
    let srv = seeded().await;
    assert_eq!(ids(&srv, "").await, ["o-4", "o-3", "o-2", "o-1"]);
    assert_eq!(ids(&srv, "start_date=2026-03-02").await, ["o-4", "o-3"]);
    assert_eq!(ids(&srv, "end_date=2026-03-01").await, ["o-2", "o-1"]);
    let instants = "start_date=2026-03-01T02:00:00Z&end_date=2026-03-02T00:05:00%2B00:00";
    assert_eq!(ids(&srv, instants).await, ["o-2"]);
    assert_eq!(ids(&srv, "product_ids=p-1").await, ["o-3", "o-1"]);
    assert_eq!(ids(&srv, "product_ids=p-2,p-3").await, ["o-4", "o-2"]);
    assert_eq!(
        ids(&srv, "min_total=10&max_total=20.50").await,
        ["o-4", "o-2", "o-1"]
    );
    assert_eq!(ids(&srv, "min_total=20.51").await, ["o-3"]);
    assert_eq!(ids(&srv, "status=paid,pending").await, ["o-3", "o-1"]);
    assert_eq!(
        ids(&srv, "status=paid&product_ids=p-2").await,
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn text_search_matches_words_of_names_and_emails() {
    let srv = seeded().await;
    assert_eq!(ids(&srv, "q=ada").await, ["o-4", "o-1"]);
    assert_eq!(
        ids(&srv, "q=LOVE").await,
        ["o-4", "o-1"],
        "prefix, any case"
    );
    assert_eq!(
        ids(&srv, "q=zoe%20bronte").await,
        ["o-2"],
        "diacritics folded"
    );
    assert_eq!(ids(&srv, "q=bletchley").await, ["o-3"], "email words");
    assert_eq!(ids(&srv, "q=alan@bletch").await, ["o-3"]);
    assert_eq!(ids(&srv, "q=ada%20turing").await, Vec::<String>::new());
    // FTS syntax is only ever text.
    assert_eq!(ids(&srv, "q=ada%20OR%20alan").await, Vec::<String>::new());
    assert_eq!(ids(&srv, "q=%22ada*%20NEAR(").await, Vec::<String>::new());
}

#[tokio::test]
async fn a_renamed_customer_leaves_the_text_index_with_its_last_order() {
    let srv = seeded().await;
    let tuples = |name: &'static str| {
        let pool = srv.state.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT count(*) FROM sales_customers WHERE name = ?")
                .bind(name)
                .fetch_one(&pool)
                .await
                .expect("count")
        }
    };
    let renamed = ("Alan M. Turing", "alan@bletchley.example");
    let again = order(
        "o-3",
        renamed,
        "pending",
        24 * 60 + 5,
        json!([item("p-1", 1, "99.99")]),
    );
    ingest(&srv, "token_admin_a", &[again]).await;
    assert_eq!(ids(&srv, "q=alan%20m").await, ["o-3"]);
    assert_eq!(
        tuples("Alan Turing").await,
        0,
        "swept in the re-ingest's batch"
    );
    // Ada still has o-4 after o-1 moves to Zoë, so her tuple stays until o-4 goes too.
    let moved = order("o-1", ZOE, "paid", 60, json!([item("p-1", 2, "5.00")]));
    ingest(&srv, "token_admin_a", &[moved]).await;
    assert_eq!(
        tuples("Ada Lovelace").await,
        2,
        "company_a's (o-4) and company_b's"
    );
    assert_eq!(ids(&srv, "q=ada").await, ["o-4"]);
    let moved = order(
        "o-4",
        ZOE,
        "cancelled",
        2 * 24 * 60,
        json!([item("p-3", 4, "2.50")]),
    );
    ingest(&srv, "token_admin_a", &[moved]).await;
    assert_eq!(tuples("Ada Lovelace").await, 1, "only company_b's is left");
    assert_eq!(ids(&srv, "q=ada").await, Vec::<String>::new());
}

#[tokio::test]
async fn projection_and_the_json_form() {
    let srv = seeded().await;
    let (orders, next) = search(&srv, "fields=total,items,order_id&limit=1").await;
    assert_eq!(
        orders,
        [
            json!({"total": "10.00", "items": [{"product_id": "p-3", "quantity": 4, "unit_price": "2.50"}],
                "order_id": "o-4"})
        ]
    );
    // Keys come in the order asked for.
    let raw = get(&srv, "fields=total,items,order_id&limit=1").await;
    assert!(raw
        .text()
        .await
        .expect("body")
        .starts_with("{\"total\":\"10.00\",\"items\""));
    assert!(next.is_some());
    let (all, _) = search(&srv, "product_ids=p-2").await;
    let keys: Vec<&str> = all[0]
        .as_object()
        .expect("obj")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys.len(), 10, "{keys:?}");
    assert_eq!(all[0]["total_cents"], 2050);
    assert_eq!(all[0]["customer_name"], "Zoë Brontë");
    assert_eq!(all[0]["items"].as_array().expect("items").len(), 2);

    let res = get(&srv, "format=json&fields=order_id&limit=3").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()[CONTENT_TYPE], "application/json");
    let page: Value = res.json().await.expect("json");
    assert_eq!(
        page["items"],
        json!([{"order_id": "o-4"}, {"order_id": "o-3"}, {"order_id": "o-2"}])
    );
    let cursor = page["next_cursor"].as_str().expect("more");
    let rest: Value = get(
        &srv,
        &format!("format=json&fields=order_id&cursor={cursor}"),
    )
    .await
    .json()
    .await
    .expect("json");
    assert_eq!(
        rest,
        json!({"items": [{"order_id": "o-1"}], "next_cursor": null})
    );
    let empty: Value = get(&srv, "format=json&status=paid&q=turing")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(empty, json!({"items": [], "next_cursor": null}));
}

#[tokio::test]
async fn bad_parameters_are_422_naming_the_field() {
    let srv = seeded().await;
    let cases = [
        ("limit=0", "limit"),
        ("limit=100001", "limit"),
        ("limit=ten", "limit"),
        ("fields=order_id,password", "fields"),
        ("format=xml", "format"),
        ("cursor=garbage", "cursor"),
        ("start_date=March", "start_date"),
        ("start_date=2026-03-02&end_date=2026-03-01", "end_date"),
        ("min_total=1.001", "min_total"),
        ("min_total=5&max_total=4", "max_total"),
        ("status=lost", "status"),
        ("product_ids=p-1,,p-2", "product_ids"),
        ("q=%2A%2A", "q"),
    ];
    for (query, field) in cases {
        let res = get(&srv, query).await;
        assert_eq!(res.status(), 422, "{query}");
        let body: Value = res.json().await.expect("envelope");
        assert_eq!(body["error"]["code"], "validation", "{query}");
        assert!(
            body["error"]["details"].get(field).is_some(),
            "{query}: {body}"
        );
    }
}

#[tokio::test]
async fn another_tenant_is_404_and_no_credentials_401() {
    let srv = seeded().await;
    let other = reqwest::Client::new()
        .get(srv.url(SEARCH))
        .bearer_auth("token_admin_b")
        .send()
        .await
        .expect("send");
    assert_eq!(other.status(), 404);
    assert_eq!(error_code(other).await, "not_found");
    let anon = reqwest::get(srv.url(SEARCH)).await.expect("send");
    assert_eq!(anon.status(), 401);
    // company_b sees only its own order.
    let own = reqwest::Client::new()
        .get(srv.url("/api/v1/tenants/company_b/orders/search?fields=order_id"))
        .bearer_auth("token_admin_b")
        .send()
        .await
        .expect("send");
    let text = own.text().await.expect("body");
    assert_eq!(text, "{\"order_id\":\"o-b\"}\n{\"next_cursor\":null}\n");
}

#[tokio::test]
async fn paging_under_concurrent_inserts_has_no_gaps_or_repeats() {
    let srv = TestServer::start(&[]).await;
    // 1,200 orders over 20 hours, two per minute (same created_at: ties broken by order id).
    let seeded: Vec<Value> = (0..1200u32)
        .map(|n| {
            order(
                &format!("s-{n:05}"),
                ADA,
                "paid",
                n / 2,
                json!([item("p-1", 1, "1.00")]),
            )
        })
        .collect();
    ingest(&srv, "token_admin_a", &seeded).await;
    let stop = Arc::new(AtomicBool::new(false));
    let inserted = Arc::new(AtomicUsize::new(0));
    let writer = {
        let (stop, inserted) = (stop.clone(), inserted.clone());
        let srv_url = srv.url("/api/v1/ingest/orders/");
        tokio::spawn(async move {
            let mut n = 0u32;
            while !stop.load(Ordering::SeqCst) {
                // Spread over the whole range (and newer): above and below the walk's cursor.
                let rows: String = (0..20)
                    .map(|k| {
                        let at = (n * 37 + k * 61) % 1300;
                        format!(
                            "{}\n",
                            order(
                                &format!("new-{n}-{k}"),
                                ZOE,
                                "paid",
                                at,
                                json!([item("p-2", 1, "1.00")])
                            )
                        )
                    })
                    .collect();
                let res = reqwest::Client::new()
                    .post(&srv_url)
                    .bearer_auth("token_admin_a")
                    .header(CONTENT_TYPE, "application/x-ndjson")
                    .body(rows)
                    .send()
                    .await
                    .expect("send");
                assert_eq!(res.status(), 200);
                inserted.fetch_add(20, Ordering::SeqCst);
                n += 1;
            }
        })
    };
    let mut seen: Vec<String> = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        // Each page waits for a fresh insert batch, so every page boundary sees new rows.
        let before = inserted.load(Ordering::SeqCst);
        while inserted.load(Ordering::SeqCst) == before {
            tokio::task::yield_now().await;
        }
        let query = match &cursor {
            Some(c) => format!("limit=97&cursor={c}"),
            None => "limit=97".to_string(),
        };
        let (orders, next) = search(&srv, &format!("fields=order_id,created_at&{query}")).await;
        seen.extend(
            orders
                .iter()
                .map(|o| o["order_id"].as_str().expect("id").to_string()),
        );
        pages += 1;
        match next {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    stop.store(true, Ordering::SeqCst);
    writer.await.expect("writer");
    assert!(pages > 12, "{pages} pages");
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "no order twice");
    let old: Vec<&String> = seen.iter().filter(|id| id.starts_with("s-")).collect();
    assert_eq!(old.len(), 1200, "every pre-existing order exactly once");
    let mut expected: Vec<String> = (0..1200u32).map(|n| format!("s-{n:05}")).collect();
    expected.reverse();
    let old: Vec<String> = old.into_iter().cloned().collect();
    assert_eq!(old, expected, "newest first, ties by id descending");
    assert!(seen.len() > 1200, "some new orders landed below the cursor");
}
