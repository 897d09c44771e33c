//! Checkout load benchmark against the release `atrium` binary on loopback, in two phases:
//!
//! 1. Throughput: C clients (50) for S seconds (15), each looping create cart → add 1 unit of a
//!    product with ample stock → check out with a fresh Idempotency-Key. Prints orders/s, the
//!    checkout latency (cart preparation timed apart), and errors (must be 0).
//! 2. Flash sale: a product with 100 units and 2,000 prepared one-unit carts, all checked out at
//!    once. Exactly 100 orders, 1,900 409s, nothing else, and stock 0 (never negative), or the
//!    bench exits 1.
//!
//! Then the server's RSS (VmRSS and peak VmHWM) and CPU.
//!
//! `cargo bench -p server --bench checkout_load`. Settings by environment: CHECKOUT_BENCH_CLIENTS
//! (50), CHECKOUT_BENCH_SECONDS (15), CHECKOUT_BENCH_FLASH_CARTS (2000),
//! CHECKOUT_BENCH_FLASH_STOCK (100). The flash sale holds one socket per cart open in both this
//! process and the server: the soft `ulimit -n` must exceed carts + a margin (checked first).

#[path = "checkout_load/harness.rs"]
mod harness;
#[path = "support/process.rs"]
mod process;

use futures_util::StreamExt;
use harness::{histogram, quantiles, record, Shop};
use hdrhistogram::Histogram;
use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Barrier;

/// £20.00 a unit: far below the fraud rules' high-amount limit, so no order is held.
const PRICE_CENTS: i64 = 2000;
const USER: &str = "token_user_a";
const ADMIN: &str = "token_admin_a";

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// What one throughput client saw.
struct Tally {
    cart: Histogram<u64>,
    checkout: Histogram<u64>,
    loop_time: Histogram<u64>,
    orders: u64,
    held: u64,
    errors: u64,
    first_error: Option<String>,
}

/// Phase 1: each client loops until the deadline; only the checkout request is in `checkout`.
async fn throughput_client(
    shop: Shop,
    product: String,
    client: usize,
    deadline: Instant,
    per_second: Arc<Vec<AtomicU64>>,
    origin: Instant,
) -> Tally {
    let mut t = Tally {
        cart: histogram(),
        checkout: histogram(),
        loop_time: histogram(),
        orders: 0,
        held: 0,
        errors: 0,
        first_error: None,
    };
    let mut n = 0u64;
    while Instant::now() < deadline {
        n += 1;
        let started = Instant::now();
        let cart = match shop.cart_with(&product, 1).await {
            Ok(cart) => cart,
            Err(e) => {
                t.errors += 1;
                t.first_error.get_or_insert(e);
                continue;
            }
        };
        record(&mut t.cart, started);
        let checkout_started = Instant::now();
        let res = shop.checkout(&cart, &format!("load-{client}-{n}")).await;
        record(&mut t.checkout, checkout_started);
        if res.status == 201 && res.order_id.is_some() {
            record(&mut t.loop_time, started);
            t.orders += 1;
            t.held += u64::from(res.order_status.as_deref() == Some("held"));
            let second = origin.elapsed().as_secs() as usize;
            if let Some(c) = per_second.get(second) {
                c.fetch_add(1, Ordering::Relaxed);
            }
        } else {
            t.errors += 1;
            t.first_error
                .get_or_insert(format!("checkout: {} {}", res.status, res.body));
        }
    }
    t
}

/// Phase 1, printed. Returns false when any request failed.
async fn throughput(shop: &Shop, admin: &Shop, clients: usize, seconds: u64, pid: u32) -> bool {
    let product = admin.create_product("LOAD-1", PRICE_CENTS, 1_000_000).await;
    let per_second: Arc<Vec<AtomicU64>> =
        Arc::new((0..seconds + 60).map(|_| AtomicU64::new(0)).collect());
    let cpu_before = harness::proc_cpu_seconds(pid);
    let own_cpu_before = harness::proc_cpu_seconds(std::process::id());
    let origin = Instant::now();
    let deadline = origin + Duration::from_secs(seconds);
    let tasks: Vec<_> = (0..clients)
        .map(|c| {
            let run = throughput_client(
                shop.clone(),
                product.clone(),
                c,
                deadline,
                per_second.clone(),
                origin,
            );
            tokio::spawn(run)
        })
        .collect();
    let (mut cart, mut checkout, mut loop_time) = (histogram(), histogram(), histogram());
    let (mut orders, mut held, mut errors, mut first_error) = (0, 0, 0, None);
    for task in tasks {
        let t = task.await.expect("client task");
        cart.add(&t.cart).expect("merge");
        checkout.add(&t.checkout).expect("merge");
        loop_time.add(&t.loop_time).expect("merge");
        (orders, held, errors) = (orders + t.orders, held + t.held, errors + t.errors);
        first_error = first_error.or(t.first_error);
    }
    let wall = origin.elapsed().as_secs_f64();
    let server_cpu = harness::proc_cpu_seconds(pid) - cpu_before;
    let own_cpu = harness::proc_cpu_seconds(std::process::id()) - own_cpu_before;
    let in_checkout = checkout.mean() * checkout.len() as f64 / 1e6 / clients as f64;
    let windows: Vec<String> = per_second
        .chunks(5)
        .take(seconds.div_ceil(5) as usize)
        .map(|w| {
            let n: u64 = w.iter().map(|c| c.load(Ordering::Relaxed)).sum();
            format!("{:.0}", n as f64 / 5.0)
        })
        .collect();
    let stock = shop.stock(&product).await;
    println!("phase 1, throughput: {clients} clients for {seconds} s (cart → 1 unit → checkout)");
    println!(
        "  orders: {orders} in {wall:.2} s = {:.0} orders/s whole loop; {:.0} orders/s of checkout time (orders ÷ the {in_checkout:.2} s each client spent in checkout)",
        orders as f64 / wall,
        orders as f64 / in_checkout.max(1e-9),
    );
    println!("  orders/s by 5-s window: {}", windows.join(", "));
    println!("  checkout latency: {}", quantiles(&checkout, true));
    println!(
        "  cart prep (create + put item): {}",
        quantiles(&cart, false)
    );
    println!("  whole loop: {}", quantiles(&loop_time, false));
    println!(
        "  errors: {errors}; held for review: {held}; stock left {stock} (sold {})",
        1_000_000 - stock
    );
    println!(
        "  CPU over the phase: server {:.0} %, bench client {:.0} % of one core",
        100.0 * server_cpu / wall,
        100.0 * own_cpu / wall
    );
    if let Some(e) = &first_error {
        eprintln!("  first error: {e}");
    }
    // An Idempotency-Key replayed answers 200 with the same order.
    let cart = shop.cart_with(&product, 1).await.expect("cart");
    let first = shop.checkout(&cart, "replay-check").await;
    let again = shop.checkout(&cart, "replay-check").await;
    let replay_ok = first.status == 201 && again.status == 200 && first.order_id == again.order_id;
    println!(
        "  replay of a key: {} then {} (same order: {})",
        first.status,
        again.status,
        first.order_id == again.order_id
    );
    errors == 0 && replay_ok && orders as i64 == 1_000_000 - stock
}

/// Phase 2, printed. Returns false when an invariant fails.
async fn flash_sale(shop: &Shop, admin: &Shop, carts: usize, units: i64, db: &str) -> bool {
    let product = admin.create_product("FLASH-1", PRICE_CENTS, units).await;
    // Carts do not reserve stock, so all of them can hold the unit; preparation is untimed.
    let prep_started = Instant::now();
    let prepared: Vec<Result<String, String>> =
        futures_util::stream::iter((0..carts).map(|_| shop.cart_with(&product, 1)))
            .buffer_unordered(50)
            .collect()
            .await;
    let prepared: Vec<String> = prepared
        .into_iter()
        .collect::<Result<_, _>>()
        .expect("prepare carts");
    let prep = prep_started.elapsed();
    // Open one pooled connection per cart beforehand, so the sale measures checkouts rather
    // than a storm of TCP handshakes against the listen backlog.
    let warm: Vec<_> = (0..carts)
        .map(|_| {
            let (http, url) = (shop.http.clone(), format!("{}/readyz", shop.base));
            tokio::spawn(async move { http.get(url).send().await.is_ok() })
        })
        .collect();
    for w in warm {
        let _ = w.await;
    }
    let gate = Arc::new(Barrier::new(carts + 1));
    let tasks: Vec<_> = prepared
        .into_iter()
        .enumerate()
        .map(|(i, cart)| {
            let (shop, gate) = (shop.clone(), gate.clone());
            tokio::spawn(async move {
                gate.wait().await;
                let started = Instant::now();
                let res = shop.checkout(&cart, &format!("flash-{i}")).await;
                (res, started.elapsed())
            })
        })
        .collect();
    gate.wait().await;
    let released = Instant::now();
    let mut hist = histogram();
    let (mut ids, mut sold_out, mut other, mut held) = (HashSet::new(), 0, 0, 0);
    let mut statuses = std::collections::BTreeMap::<u16, u64>::new();
    let mut first_other = None;
    for t in tasks {
        let (res, took) = t.await.expect("checkout task");
        let _ = hist.record((took.as_micros() as u64).max(1));
        *statuses.entry(res.status).or_default() += 1;
        match (res.status, res.order_id) {
            (201, Some(id)) => {
                held += u64::from(res.order_status.as_deref() == Some("held"));
                ids.insert(id);
            }
            (409, _) => sold_out += 1,
            _ => {
                other += 1;
                first_other.get_or_insert(format!("{} {}", res.status, res.body));
            }
        }
    }
    let drain = released.elapsed();
    let stock = shop.stock(&product).await;
    let pool = sqlx::SqlitePool::connect(db).await.expect("db");
    let (lines, sold): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COALESCE(SUM(quantity), 0) FROM order_lines WHERE product_id = ?",
    )
    .bind(&product)
    .fetch_one(&pool)
    .await
    .expect("count");
    pool.close().await;
    println!("phase 2, flash sale: {carts} one-unit carts, {units} units, all checked out at once");
    println!(
        "  carts prepared in {:.2} s (untimed); sale drained in {:.3} s",
        prep.as_secs_f64(),
        drain.as_secs_f64()
    );
    println!(
        "  orders placed: {} (held {held}); 409 sold out: {sold_out}; other: {other}; statuses {statuses:?}",
        ids.len()
    );
    println!("  stored order lines: {lines} for {sold} units; final stock {stock}");
    println!("  checkout latency: {}", quantiles(&hist, false));
    if let Some(e) = &first_other {
        eprintln!("  first unexpected answer: {e}");
    }
    let expected_refusals = carts as i64 - units.min(carts as i64);
    let placed = units.min(carts as i64);
    let checks = [
        (ids.len() as i64 == placed, "orders placed"),
        (sold_out == expected_refusals, "409s"),
        (other == 0, "other statuses"),
        (stock == units - placed, "final stock"),
        (lines == placed && sold == placed, "stored order lines"),
    ];
    let mut ok = true;
    for (passed, what) in checks {
        if !passed {
            eprintln!("FAIL (flash sale): {what}");
            ok = false;
        }
    }
    ok
}

#[tokio::main]
async fn main() {
    let clients = setting("CHECKOUT_BENCH_CLIENTS", 50).max(1) as usize;
    let seconds = setting("CHECKOUT_BENCH_SECONDS", 15).max(1);
    let carts = setting("CHECKOUT_BENCH_FLASH_CARTS", 2000).max(1) as usize;
    let units = setting("CHECKOUT_BENCH_FLASH_STOCK", 100) as i64;
    let needed = carts as u64 + 256;
    if let Some(limit) = harness::open_files_limit().filter(|l| *l < needed) {
        eprintln!("open-files limit {limit} is below {needed}: run `ulimit -n {needed}` first");
        std::process::exit(2);
    }
    let server = harness::start_server().await;
    let pid = server.child.id();
    let idle_rss = harness::proc_status_bytes(pid, "VmRSS:");
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(carts.max(clients) + 16)
        .timeout(Duration::from_secs(120))
        .build()
        .expect("client");
    let shop = |token| Shop {
        http: http.clone(),
        base: server.base.clone(),
        token,
    };
    let (user, admin) = (shop(USER), shop(ADMIN));

    let started = Instant::now();
    let load_ok = throughput(&user, &admin, clients, seconds, pid).await;
    let flash_ok = flash_sale(&user, &admin, carts, units, &server.db).await;
    println!(
        "server memory: idle {:.1} MB, at the end VmRSS {:.1} MB, peak VmHWM {:.1} MB; server CPU {:.1} s in {:.1} s of bench",
        idle_rss as f64 / 1e6,
        harness::proc_status_bytes(pid, "VmRSS:") as f64 / 1e6,
        harness::proc_status_bytes(pid, "VmHWM:") as f64 / 1e6,
        harness::proc_cpu_seconds(pid),
        started.elapsed().as_secs_f64()
    );
    drop(server);
    if !load_ok || !flash_ok {
        eprintln!("FAIL: throughput ok = {load_ok}, flash sale ok = {flash_ok}");
        std::process::exit(1);
    }
}
