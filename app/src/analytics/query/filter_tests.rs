use super::*;
use crate::analytics::query::cursor::{OrderCursor, ORDER_BY};
use crate::error::ErrorCode;
use sqlx::sqlite::SqlitePoolOptions;
use sqlx::SqlitePool;

fn params(pairs: &[(&str, &str)]) -> OrderFilterParams {
    let query: String = pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    serde_json::from_value(serde_json::Value::Object(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), serde_json::Value::String(v.to_string())))
            .collect(),
    ))
    .unwrap_or_else(|e| panic!("{query}: {e}"))
}

fn field_of(err: AppError) -> String {
    assert_eq!(err.code, ErrorCode::Validation);
    let details = err.details.expect("details");
    let obj = details.as_object().expect("object");
    obj.keys().next().expect("a field").clone()
}

#[test]
fn parses_every_parameter() {
    let f = OrderFilter::parse(&params(&[
        ("start_date", "2026-01-01"),
        ("end_date", "2026-01-31"),
        ("product_ids", " p-1, p-2 ,p-1"),
        ("min_total", "10.5"),
        ("max_total", "99.99"),
        ("status", "paid,Shipped,paid"),
        ("q", "ali"),
    ]))
    .expect("valid");
    assert_eq!(f.from.as_deref(), Some("2026-01-01T00:00:00.000Z"));
    assert_eq!(f.until.as_deref(), Some("2026-02-01T00:00:00.000Z"));
    assert_eq!(f.product_ids, vec!["p-1", "p-2"]);
    assert_eq!(
        (f.min_total_cents, f.max_total_cents),
        (Some(1050), Some(9999))
    );
    assert_eq!(f.statuses, vec!["paid", "shipped"]);
    assert_eq!(f.text_match.as_deref(), Some("\"ali\"*"));
    assert_eq!(
        OrderFilter::parse(&OrderFilterParams::default()).expect("empty"),
        OrderFilter::default()
    );
}

#[test]
fn timestamps_become_utc_milliseconds_rounded_up() {
    let f = OrderFilter::parse(&params(&[
        ("start_date", "2026-01-01T01:00:00+01:00"),
        ("end_date", "2026-01-02T00:00:00.0000001Z"),
    ]))
    .expect("valid");
    assert_eq!(f.from.as_deref(), Some("2026-01-01T00:00:00.000Z"));
    assert_eq!(f.until.as_deref(), Some("2026-01-02T00:00:00.001Z"));
}

#[test]
fn bad_parameters_name_their_field() {
    let cases: [(&[(&str, &str)], &str); 10] = [
        (&[("start_date", "yesterday")], "start_date"),
        (&[("end_date", "2026-13-01")], "end_date"),
        (
            &[("start_date", "2026-02-01"), ("end_date", "2026-01-01")],
            "end_date",
        ),
        (&[("product_ids", "p-1,,p-2")], "product_ids"),
        (&[("min_total", "-1")], "min_total"),
        (&[("max_total", "1.234")], "max_total"),
        (&[("min_total", "5"), ("max_total", "4.99")], "max_total"),
        (&[("status", "paid,lost")], "status"),
        (&[("q", "--- @@")], "q"),
        (&[("start_date", "+10000-01-01T00:00:00Z")], "start_date"),
    ];
    for (pairs, field) in cases {
        let err = OrderFilter::parse(&params(pairs)).expect_err("invalid");
        assert_eq!(field_of(err), field, "{pairs:?}");
    }
    let many = (0..=MAX_PRODUCT_IDS)
        .map(|n| format!("p-{n}"))
        .collect::<Vec<_>>();
    let err = OrderFilter::parse(&params(&[("product_ids", &many.join(","))])).expect_err("many");
    assert_eq!(field_of(err), "product_ids");
}

async fn pool() -> SqlitePool {
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect("sqlite::memory:")
        .await
        .expect("memory db");
    sqlx::migrate!("../migrations")
        .run(&pool)
        .await
        .expect("migrate");
    pool
}

/// (tenant, order, customer, name, email, status, created_at, total_cents, product)
type Seed<'a> = (
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    i64,
    &'a str,
);

async fn seed(pool: &SqlitePool, rows: &[Seed<'_>]) {
    for (tenant, order, customer, name, email, status, at, total, product) in rows {
        sqlx::query(
            "INSERT INTO sales_orders (tenant_id, order_id, customer_id, customer_name, \
             customer_email, status, created_at, currency, total_cents) \
             VALUES (?, ?, ?, ?, ?, ?, ?, 'EUR', ?) ON CONFLICT (tenant_id, order_id) DO UPDATE \
             SET customer_id = excluded.customer_id, customer_name = excluded.customer_name, \
             customer_email = excluded.customer_email",
        )
        .bind(tenant)
        .bind(order)
        .bind(customer)
        .bind(name)
        .bind(email)
        .bind(status)
        .bind(at)
        .bind(total)
        .execute(pool)
        .await
        .expect("order");
        sqlx::query("INSERT OR REPLACE INTO sales_order_items VALUES (?, ?, 0, ?, 1, ?)")
            .bind(tenant)
            .bind(order)
            .bind(product)
            .bind(total)
            .execute(pool)
            .await
            .expect("item");
    }
}

async fn ids(
    pool: &SqlitePool,
    tenant: &str,
    f: &OrderFilter,
    after: Option<&OrderCursor>,
) -> Vec<String> {
    let mut q: QueryBuilder<Sqlite> = QueryBuilder::new("SELECT o.order_id FROM sales_orders o");
    f.push_where(&mut q, tenant);
    if let Some(c) = after {
        c.push_after(&mut q);
    }
    q.push(ORDER_BY);
    q.build_query_scalar().fetch_all(pool).await.expect("query")
}

const T1: &str = "2026-01-01T10:00:00.000Z";
const T2: &str = "2026-01-02T10:00:00.000Z";

#[tokio::test]
async fn conditions_select_the_right_orders_newest_first() {
    let pool = pool().await;
    seed(
        &pool,
        &[
            (
                "a",
                "o1",
                "c1",
                "Alice Smith",
                "alice@example.com",
                "paid",
                T1,
                1000,
                "p-1",
            ),
            (
                "a",
                "o2",
                "c2",
                "Bob Jones",
                "bob@example.org",
                "shipped",
                T2,
                5000,
                "p-2",
            ),
            (
                "a",
                "o3",
                "c1",
                "Alice Smith",
                "alice@example.com",
                "pending",
                T2,
                2500,
                "p-2",
            ),
            (
                "b",
                "o4",
                "c1",
                "Alice Smith",
                "alice@example.com",
                "paid",
                T2,
                1000,
                "p-1",
            ),
        ],
    )
    .await;
    let run = |pairs: &'static [(&'static str, &'static str)]| {
        let pool = pool.clone();
        async move {
            let f = OrderFilter::parse(&params(pairs)).expect("valid");
            ids(&pool, "a", &f, None).await
        }
    };
    assert_eq!(run(&[]).await, ["o3", "o2", "o1"]);
    assert_eq!(run(&[("start_date", "2026-01-02")]).await, ["o3", "o2"]);
    assert_eq!(run(&[("end_date", "2026-01-01")]).await, ["o1"]);
    assert_eq!(run(&[("product_ids", "p-1")]).await, ["o1"]);
    assert_eq!(
        run(&[("min_total", "25"), ("max_total", "50")]).await,
        ["o3", "o2"]
    );
    assert_eq!(run(&[("status", "paid,pending")]).await, ["o3", "o1"]);
    assert_eq!(run(&[("q", "ali")]).await, ["o3", "o1"]);
    assert_eq!(run(&[("q", "example org")]).await, ["o2"]);
    assert_eq!(run(&[("q", "alice jones")]).await, Vec::<String>::new());
    let after = OrderCursor {
        created_at: T2.into(),
        order_id: "o3".into(),
    };
    let all = OrderFilter::default();
    assert_eq!(ids(&pool, "a", &all, Some(&after)).await, ["o2", "o1"]);
}

#[tokio::test]
async fn renamed_customers_are_found_by_their_new_name_only() {
    let pool = pool().await;
    let order = |id: &'static str, name: &'static str, at: &'static str| -> Seed<'static> {
        (
            "a",
            id,
            "c1",
            name,
            "alice@example.com",
            "paid",
            at,
            1000,
            "p-1",
        )
    };
    seed(
        &pool,
        &[
            order("o1", "Alice Smith", T1),
            order("o2", "Alice Smith", T2),
        ],
    )
    .await;
    seed(&pool, &[order("o1", "Alice Brown", T1)]).await;
    let by = |q: &'static str| OrderFilter::parse(&params(&[("q", q)])).expect("valid");
    assert_eq!(ids(&pool, "a", &by("brown"), None).await, ["o1"]);
    assert_eq!(ids(&pool, "a", &by("smith"), None).await, ["o2"]);
    seed(&pool, &[order("o2", "Alice Brown", T2)]).await;
    assert!(ids(&pool, "a", &by("smith"), None).await.is_empty());
    // The old tuple leaves the index with its last order, at the writer's sweep.
    let sweep = |pool: SqlitePool| async move {
        let mut conn = pool.acquire().await.expect("conn");
        crate::analytics::query::customers::sweep_stale_customers(&mut conn)
            .await
            .expect("sweep")
    };
    assert_eq!(sweep(pool.clone()).await, 1);
    let tuples: Vec<String> = sqlx::query_scalar("SELECT name FROM sales_customers")
        .fetch_all(&pool)
        .await
        .expect("tuples");
    assert_eq!(tuples, ["Alice Brown"]);
    assert_eq!(sweep(pool.clone()).await, 0, "the queue is emptied");
    sqlx::query("DELETE FROM sales_orders WHERE order_id = 'o1'")
        .execute(&pool)
        .await
        .expect("delete one");
    assert_eq!(sweep(pool.clone()).await, 0, "o2 still carries the tuple");
    sqlx::query("DELETE FROM sales_orders")
        .execute(&pool)
        .await
        .expect("delete");
    assert_eq!(sweep(pool.clone()).await, 1);
    let hits: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM sales_customers_fts WHERE sales_customers_fts MATCH 'alice'",
    )
    .fetch_one(&pool)
    .await
    .expect("fts");
    assert_eq!(hits, 0);
}
