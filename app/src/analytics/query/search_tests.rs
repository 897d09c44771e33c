//! Query plans of the search on the bundled SQLite: newest-first paging must come from an index
//! (no sort of the whole match set), whatever the filter. `--nocapture` prints them for the docs.

use super::*;
use crate::analytics::query::cursor::OrderCursor;
use sqlx::sqlite::SqlitePoolOptions;

type Pairs<'a> = &'a [(&'a str, &'a str)];

async fn plan(
    pool: &sqlx::SqlitePool,
    filter: &[(&str, &str)],
    options: &[(&str, &str)],
) -> String {
    let obj = |pairs: &[(&str, &str)]| {
        serde_json::Value::Object(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), serde_json::Value::String(v.to_string())))
                .collect(),
        )
    };
    let f: OrderFilterParams = serde_json::from_value(obj(filter)).expect("filter");
    let o: SearchParams = serde_json::from_value(obj(options)).expect("options");
    let search = Search::parse(&f, &o).expect("valid");
    let mut q = QueryBuilder::new("EXPLAIN QUERY PLAN ");
    search.push_sql(&mut q, "company_a");
    let rows: Vec<(i64, i64, i64, String)> =
        q.build_query_as().fetch_all(pool).await.expect("plan");
    let text: Vec<String> = rows.into_iter().map(|r| r.3).collect();
    let text = text.join("\n");
    println!("-- filter {filter:?} options {options:?}\n{text}\n");
    text
}

#[tokio::test]
async fn searches_page_through_indexes_without_sorting_everything() {
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect("sqlite::memory:")
        .await
        .expect("memory db");
    sqlx::migrate!("../migrations")
        .run(&pool)
        .await
        .expect("migrate");
    let cursor = OrderCursor {
        created_at: "2026-01-01T00:00:00.000Z".into(),
        order_id: "o-1".into(),
    }
    .encode();
    let cases: [(Pairs, Pairs); 6] = [
        (&[], &[("fields", "order_id,total"), ("cursor", &cursor)]),
        (
            &[("start_date", "2026-01-01"), ("end_date", "2026-02-01")],
            &[],
        ),
        (&[("status", "paid")], &[("fields", "order_id")]),
        (&[("product_ids", "p-1,p-2")], &[("fields", "order_id")]),
        (&[("q", "ada love")], &[("fields", "order_id")]),
        (
            &[("min_total", "10")],
            &[("fields", "order_id,items"), ("cursor", &cursor)],
        ),
    ];
    for (filter, options) in cases {
        let text = plan(&pool, filter, options).await;
        assert!(!text.contains("TEMP B-TREE FOR ORDER BY"), "{text}");
        assert!(!text.contains("SCAN o"), "{text}");
    }
    let fts = plan(&pool, &[("q", "ada")], &[]).await;
    assert!(fts.contains("SCAN f VIRTUAL TABLE"), "{fts}");
}
