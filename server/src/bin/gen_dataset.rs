//! `gen-dataset`: deterministic synthetic orders for the ingest API, as NDJSON (one file per
//! tenant, ready to POST to `/api/v1/ingest/orders/`) or CSV (one row per item, the header the
//! CSV ingest reads), plus each tenant's catalogue: products (`p-<n>`, the ids the orders use,
//! with a category from a fixed list), price history and stock events.
//!
//! `gen-dataset --preset 1m --out data/` → 10 tenants × 100,000 orders (~3 items each).
//! Explicit `--tenants/--products/--orders` override the preset; same `--seed`, same files.

#[path = "gen_dataset/catalog.rs"]
mod catalog;
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
    /// Price history samples per product.
    #[arg(long, default_value_t = 5)]
    price_samples: u64,
    /// Stock events per product.
    #[arg(long, default_value_t = 3)]
    stock_events: u64,
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
    let mut cat = catalog::Counts::default();
    // Catalogue and orders are timed apart, for each table's rows/s.
    let mut catalog_secs = 0.0;
    for t in 0..tenants {
        let tenant = tenant_id(t);
        let catalog_started = Instant::now();
        let c = write_catalog(&args, t, &tenant, products)?;
        catalog_secs += catalog_started.elapsed().as_secs_f64();
        cat.products += c.products;
        cat.prices += c.prices;
        cat.stock += c.stock;
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
    let secs = (started.elapsed().as_secs_f64() - catalog_secs).max(1e-9);
    println!(
        "orders done in {secs:.1}s: sales_orders {order_rows} rows ({:.0} rows/s), sales_order_items {item_rows} rows ({:.0} rows/s) → {}",
        order_rows as f64 / secs,
        item_rows as f64 / secs,
        args.out.display()
    );
    let cs = catalog_secs.max(1e-9);
    println!(
        "catalogue done in {cs:.1}s: sales_products {} rows ({:.0} rows/s), sales_price_history {} rows ({:.0} rows/s), sales_stock_events {} rows ({:.0} rows/s)",
        cat.products,
        cat.products as f64 / cs,
        cat.prices,
        cat.prices as f64 / cs,
        cat.stock,
        cat.stock as f64 / cs
    );
    Ok(())
}

/// `products-`, `price_history-` and `stock_events-<tenant>.<ext>`.
fn write_catalog(
    args: &Args,
    index: u64,
    tenant: &str,
    products: u64,
) -> std::io::Result<catalog::Counts> {
    let (shape, ext) = match args.format {
        Format::Ndjson => (catalog::Shape::Ndjson, "ndjson"),
        Format::Csv => (catalog::Shape::Csv, "csv"),
    };
    let file = |name: &str| -> std::io::Result<BufWriter<File>> {
        Ok(BufWriter::new(File::create(
            args.out.join(format!("{name}-{tenant}.{ext}")),
        )?))
    };
    let (mut p, mut h, mut s) = (
        file("products")?,
        file("price_history")?,
        file("stock_events")?,
    );
    let spec = catalog::Spec {
        seed: args.seed,
        tenant_index: index,
        tenant,
        products,
        samples: args.price_samples,
        moves: args.stock_events,
        shape,
    };
    let counts = catalog::write(&spec, &mut p, &mut h, &mut s)?;
    p.flush()?;
    h.flush()?;
    s.flush()?;
    Ok(counts)
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

/// `orders-<tenant>.csv`: one row per item, the order's fields repeated (the CSV ingest's
/// header); returns the number of items written.
fn write_csv(args: &Args, tenant: &str, g: &mut OrderGen, n: u64) -> std::io::Result<u64> {
    let mut out = BufWriter::new(File::create(args.out.join(format!("orders-{tenant}.csv")))?);
    writeln!(
        out,
        "order_id,tenant_id,customer_id,customer_name,customer_email,status,created_at,currency,product_id,quantity,unit_price"
    )?;
    let mut count = 0;
    for _ in 0..n {
        let o = g.next_order();
        let name = orders::customer_name(o.customer);
        for it in &o.items {
            writeln!(
                out,
                "o-{:09},{tenant},c-{},{name},c{}@example.com,{},{},EUR,p-{},{},{}.{:02}",
                o.id,
                o.customer,
                o.customer,
                o.status,
                o.created_at,
                it.product,
                it.quantity,
                it.unit_price_cents / 100,
                it.unit_price_cents % 100
            )?;
            count += 1;
        }
    }
    out.flush()?;
    Ok(count)
}
