//! Demo catalogues for the demo tenants, loaded in demo mode. Existing rows are left alone, so
//! edits made through the admin page survive a restart.

use crate::error::AppError;
use sqlx::SqlitePool;

/// (sku, name, category, price in pence, stock, description)
type DemoProduct = (
    &'static str,
    &'static str,
    &'static str,
    i64,
    i64,
    &'static str,
);

const ELECTRONICS: &[DemoProduct] = &[
    (
        "AUD-HP1",
        "Studio headphones",
        "Audio",
        14_900,
        40,
        "Closed-back over-ear headphones with a detachable cable.",
    ),
    (
        "AUD-SPK",
        "Bookshelf speakers",
        "Audio",
        22_900,
        15,
        "A pair of 2-way passive speakers in walnut veneer.",
    ),
    (
        "AUD-DAC",
        "USB DAC amplifier",
        "Audio",
        8_900,
        25,
        "Drives high-impedance headphones from any laptop.",
    ),
    (
        "AUD-CBL",
        "Braided audio cable",
        "Audio",
        1_499,
        120,
        "1.5 m, 3.5 mm to 3.5 mm, gold-plated.",
    ),
    (
        "CMP-LAP",
        "Ultrabook 14\"",
        "Computing",
        129_900,
        12,
        "14-inch laptop, 16 GB RAM, 1 TB SSD, all-day battery.",
    ),
    (
        "CMP-MON",
        "27\" 4K monitor",
        "Computing",
        32_900,
        18,
        "IPS panel, USB-C with 90 W charging.",
    ),
    (
        "CMP-KBD",
        "Mechanical keyboard",
        "Computing",
        9_900,
        35,
        "Hot-swappable switches, UK layout.",
    ),
    (
        "CMP-MSE",
        "Wireless mouse",
        "Computing",
        3_999,
        60,
        "Silent clicks, three devices, USB-C charging.",
    ),
    (
        "ACC-BAG",
        "Laptop sleeve",
        "Accessories",
        2_999,
        50,
        "Padded sleeve for 13–14\" laptops.",
    ),
    (
        "ACC-HUB",
        "USB-C hub",
        "Accessories",
        4_999,
        45,
        "HDMI, two USB-A, SD card, 100 W pass-through.",
    ),
    (
        "ACC-STD",
        "Aluminium laptop stand",
        "Accessories",
        3_499,
        30,
        "Raises the screen to eye level; folds flat.",
    ),
    (
        "ACC-PAD",
        "Desk mat",
        "Accessories",
        1_999,
        80,
        "Felt desk mat, 90 × 40 cm.",
    ),
    (
        "HOM-LMP",
        "LED desk lamp",
        "Home",
        4_500,
        22,
        "Dimmable, warm to cool white, USB charging port.",
    ),
    (
        "HOM-PLG",
        "Smart plug (2-pack)",
        "Home",
        2_499,
        0,
        "Schedules and energy monitoring. Back soon.",
    ),
];

const OUTDOOR: &[DemoProduct] = &[
    (
        "OUT-TNT",
        "Two-person tent",
        "Outdoor",
        18_900,
        10,
        "Freestanding, 1.9 kg, with footprint.",
    ),
    (
        "OUT-BAG",
        "Down sleeping bag",
        "Outdoor",
        15_900,
        14,
        "Comfort rating −2 °C, packs to 4 litres.",
    ),
    (
        "OUT-STV",
        "Camping stove",
        "Outdoor",
        4_900,
        30,
        "Boils a litre in three minutes.",
    ),
    (
        "OUT-LMP",
        "Head torch",
        "Outdoor",
        2_999,
        70,
        "400 lumens, rechargeable, red night mode.",
    ),
    (
        "OUT-BTL",
        "Insulated bottle",
        "Outdoor",
        2_499,
        90,
        "750 ml, keeps drinks cold for 24 hours.",
    ),
    (
        "BKS-MAP",
        "Trail map collection",
        "Books",
        1_999,
        40,
        "Twelve national park maps in a weatherproof case.",
    ),
    (
        "BKS-GDE",
        "Wild camping guide",
        "Books",
        1_499,
        55,
        "Where, how and leaving no trace.",
    ),
    (
        "BKS-CKB",
        "Campfire cookbook",
        "Books",
        1_799,
        35,
        "Sixty recipes for one pot and a fire.",
    ),
];

const KITCHEN: &[DemoProduct] = &[
    (
        "KIT-KNF",
        "Chef's knife",
        "Kitchen",
        6_900,
        25,
        "20 cm, German steel, full tang.",
    ),
    (
        "KIT-BRD",
        "End-grain board",
        "Kitchen",
        5_500,
        18,
        "Oiled beech, 40 × 30 cm.",
    ),
    (
        "KIT-PAN",
        "Cast-iron skillet",
        "Kitchen",
        3_900,
        30,
        "26 cm, pre-seasoned.",
    ),
    (
        "KIT-GRN",
        "Coffee grinder",
        "Kitchen",
        8_900,
        12,
        "Conical burrs, 40 grind settings.",
    ),
    (
        "STA-NTB",
        "Dotted notebook",
        "Stationery",
        1_299,
        100,
        "A5, 160 pages, lay-flat binding.",
    ),
    (
        "STA-PEN",
        "Fountain pen",
        "Stationery",
        2_900,
        45,
        "Fine nib, converter included.",
    ),
    (
        "STA-INK",
        "Bottled ink",
        "Stationery",
        999,
        60,
        "50 ml, blue-black.",
    ),
];

fn catalogue(tenant: &str) -> &'static [DemoProduct] {
    match tenant {
        "company_a" => ELECTRONICS,
        "company_b" => OUTDOOR,
        _ => KITCHEN,
    }
}

fn image(category: &str) -> String {
    format!("/products/{}.svg", category.to_ascii_lowercase())
}

/// Inserts each demo tenant's catalogue unless it is there already.
pub async fn seed_products(pool: &SqlitePool) -> Result<(), AppError> {
    let now = crate::auth::service::now_rfc3339();
    for tenant in ["company_a", "company_b", "tenant_a", "tenant_b"] {
        for (sku, name, category, price, stock, description) in catalogue(tenant) {
            sqlx::query(
                "INSERT OR IGNORE INTO products (id, tenant_id, sku, name, description, category, \
                 price_cents, stock, image_url, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(format!("{tenant}-{}", sku.to_ascii_lowercase()))
            .bind(tenant)
            .bind(sku)
            .bind(name)
            .bind(description)
            .bind(category)
            .bind(price)
            .bind(stock)
            .bind(image(category))
            .bind(&now)
            .bind(&now)
            .execute(pool)
            .await?;
        }
    }
    Ok(())
}
