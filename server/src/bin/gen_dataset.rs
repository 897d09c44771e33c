//! `gen-dataset`: deterministic synthetic orders for the ingest API, as NDJSON (one file per
//! tenant, ready to POST to `/api/v1/ingest/orders/`) or CSV (orders and items per tenant).
//!
//! `gen-dataset --preset 1m --out data/` → 10 tenants × 100,000 orders (~3 items each).
//! Explicit `--tenants/--products/--orders` override the preset; same `--seed`, same files.

#[path = "gen_dataset/orders.rs"]
mod orders;

use clap::{Parser, ValueEnum};
use orders::{tenant_id, OrderGen};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::time::Instant;

#[derive(Clone, Copy, ValueEnum)]
enum Preset {
    /// 10 tenants × 1,000 orders, 500 products.
    Small,
    /// 10 tenants × 100,000 orders (1M in all), 50,000 products.
    #[value(name = "1m")]
    OneMillion,
    /// The brief's full size: 10 tenants × 2,000,000 orders, 500,000 products.
    Full,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Ndjson,
    Csv,
}

/// Generates the synthetic analytics dataset.
#[derive(Parser)]
#[command(name = "gen-dataset")]
struct Args {
    #[arg(long, value_enum, default_value = "small")]
    preset: Preset,
    /// Tenants (default from the preset).
    #[arg(long)]
    tenants: Option<u64>,
    /// Products per tenant (default from the preset).
    #[arg(long)]
    products: Option<u64>,
    /// Orders per tenant (default from the preset).
    #[arg(long)]
    orders: Option<u64>,
    #[arg(long, default_value_t = 42)]
    seed: u64,
    #[arg(long, default_value = "dataset")]
    out: PathBuf,
    #[arg(long, value_enum, default_value = "ndjson")]
    format: Format,
}

fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let (tenants, products, orders) = match args.preset {
        Preset::Small => (10, 500, 1_000),
        Preset::OneMillion => (10, 50_000, 100_000),
        Preset::Full => (10, 500_000, 2_000_000),
    };
    let tenants = args.tenants.unwrap_or(tenants);
    let products = args.products.unwrap_or(products);
    let orders = args.orders.unwrap_or(orders);
    std::fs::create_dir_all(&args.out)?;
    let started = Instant::now();
    let (mut order_rows, mut item_rows) = (0u64, 0u64);
    for t in 0..tenants {
        let tenant = tenant_id(t);
        let mut generator = OrderGen::new(args.seed, t, &tenant, products);
        let items = match args.format {
            Format::Ndjson => write_ndjson(&args, &tenant, &mut generator, orders)?,
            Format::Csv => write_csv(&args, &tenant, &mut generator, orders)?,
        };
        order_rows += orders;
        item_rows += items;
        let secs = started.elapsed().as_secs_f64().max(1e-9);
        println!(
            "[{}/{tenants}] {tenant}: {orders} orders, {items} items — {order_rows} orders so far, {:.0} orders/s, {:.0} items/s",
            t + 1,
            order_rows as f64 / secs,
            item_rows as f64 / secs,
        );
    }
    let secs = started.elapsed().as_secs_f64().max(1e-9);
    println!(
        "done in {secs:.1}s: sales_orders {order_rows} rows ({:.0} rows/s), sales_order_items {item_rows} rows ({:.0} rows/s) → {}",
        order_rows as f64 / secs,
        item_rows as f64 / secs,
        args.out.display()
    );
    Ok(())
}

/// `orders-<tenant>.ndjson`; returns the number of items written.
fn write_ndjson(args: &Args, tenant: &str, g: &mut OrderGen, n: u64) -> std::io::Result<u64> {
    let mut out = BufWriter::new(File::create(
        args.out.join(format!("orders-{tenant}.ndjson")),
    )?);
    let mut line = Vec::with_capacity(1024);
    let mut items = 0;
    for _ in 0..n {
        line.clear();
        g.write_ndjson(&mut line);
        items += line.windows(12).filter(|w| w == b"\"product_id\"").count() as u64;
        out.write_all(&line)?;
    }
    out.flush()?;
    Ok(items)
}

/// `orders-<tenant>.csv` and `order_items-<tenant>.csv`; returns the number of items written.
fn write_csv(args: &Args, tenant: &str, g: &mut OrderGen, n: u64) -> std::io::Result<u64> {
    let mut orders = BufWriter::new(File::create(args.out.join(format!("orders-{tenant}.csv")))?);
    let mut items = BufWriter::new(File::create(
        args.out.join(format!("order_items-{tenant}.csv")),
    )?);
    writeln!(
        orders,
        "order_id,tenant_id,customer_id,customer_name,customer_email,status,created_at,currency"
    )?;
    writeln!(
        items,
        "order_id,tenant_id,line_no,product_id,quantity,unit_price"
    )?;
    let mut count = 0;
    for _ in 0..n {
        let o = g.next_order();
        writeln!(
            orders,
            "o-{:09},{tenant},c-{},{},c{}@example.com,{},{},EUR",
            o.id,
            o.customer,
            orders::customer_name(o.customer),
            o.customer,
            o.status,
            o.created_at
        )?;
        for (line_no, it) in o.items.iter().enumerate() {
            writeln!(
                items,
                "o-{:09},{tenant},{line_no},p-{},{},{}.{:02}",
                o.id,
                it.product,
                it.quantity,
                it.unit_price_cents / 100,
                it.unit_price_cents % 100
            )?;
            count += 1;
        }
    }
    orders.flush()?;
    items.flush()?;
    Ok(count)
}
