//! Demo data: the tenants and users of the original brief (Task 2), loaded on first start.

use super::model::{DemoAccount, Role, TenantId, UserId};
use super::password::hash_password;
use super::service::insert_token;
use crate::error::AppError;
use sqlx::SqlitePool;

/// The demo password of every demo account (shown on the sign-in page in demo mode only).
pub const DEMO_PASSWORD: &str = "atrium-demo";

const TENANTS: &[(&str, &str)] = &[
    ("tenant_a", "Tenant A"),
    ("tenant_b", "Tenant B"),
    ("company_a", "Company A"),
    ("company_b", "Company B"),
];

/// (username, display name, fixed API token, memberships)
type DemoUser = (
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, Role)],
);

const USERS: &[DemoUser] = &[
    (
        "admin_a",
        "Admin A",
        "token_admin_a",
        &[("company_a", Role::Admin), ("tenant_a", Role::Admin)],
    ),
    (
        "user_a",
        "User A",
        "token_user_a",
        &[("company_a", Role::Member)],
    ),
    (
        "instructor_a",
        "Instructor A",
        "token_instructor_a",
        &[("company_a", Role::Member)],
    ),
    (
        "admin_b",
        "Admin B",
        "token_admin_b",
        &[("company_b", Role::Admin), ("tenant_b", Role::Admin)],
    ),
];

/// The demo accounts as the sign-in page lists them.
pub fn demo_accounts() -> Vec<DemoAccount> {
    USERS
        .iter()
        .map(|(username, _, _, tenants)| DemoAccount {
            username: username.to_string(),
            password: DEMO_PASSWORD.to_string(),
            tenants: tenants
                .iter()
                .map(|(t, role)| format!("{} ({})", tenant_name(t), role.as_str()))
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect()
}

fn tenant_name(id: &str) -> &'static str {
    TENANTS
        .iter()
        .find(|(t, _)| *t == id)
        .map(|(_, n)| *n)
        .unwrap_or("?")
}

/// Loads the demo data; safe to run twice (existing rows are kept as they are).
pub async fn seed_demo(pool: &SqlitePool) -> Result<(), AppError> {
    for (id, name) in TENANTS {
        sqlx::query("INSERT OR IGNORE INTO tenants (id, name) VALUES (?, ?)")
            .bind(id)
            .bind(name)
            .execute(pool)
            .await?;
    }
    for (username, display, token, tenants) in USERS {
        let existing: Option<(String,)> = sqlx::query_as("SELECT id FROM users WHERE username = ?")
            .bind(username)
            .fetch_optional(pool)
            .await?;
        if existing.is_some() {
            continue;
        }
        let user = UserId(uuid::Uuid::new_v4().to_string());
        let hash = hash_password(DEMO_PASSWORD).map_err(AppError::internal)?;
        sqlx::query(
            "INSERT INTO users (id, username, display_name, password_hash) VALUES (?, ?, ?, ?)",
        )
        .bind(&user)
        .bind(username)
        .bind(display)
        .bind(&hash.0)
        .execute(pool)
        .await?;
        for (tenant, role) in tenants.iter() {
            sqlx::query("INSERT INTO memberships (tenant_id, user_id, role) VALUES (?, ?, ?)")
                .bind(tenant)
                .bind(&user)
                .bind(role.as_str())
                .execute(pool)
                .await?;
        }
        // The brief's fixed token belongs to the user's first (Task 2) tenant.
        let home = TenantId(tenants[0].0.to_string());
        insert_token(pool, &home, &user, "Demo token", token).await?;
    }
    Ok(())
}
