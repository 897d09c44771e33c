//! Wasm-safe types of tenants, users and sign-in, shared by server and browser.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A tenant (organisation) id, e.g. `company_a`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(transparent))]
pub struct TenantId(pub String);

/// A user id (UUID text).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(transparent))]
pub struct UserId(pub String);

impl fmt::Display for TenantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A user's role within one tenant. Areas add their own roles later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    /// A regular user (`user` in the original brief).
    #[serde(alias = "user")]
    Member,
}

impl Role {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Member => "member",
        }
    }

    /// Parses the stored form; unknown roles are treated as the least privileged.
    pub fn parse(s: &str) -> Role {
        match s {
            "admin" => Role::Admin,
            _ => Role::Member,
        }
    }
}

/// One tenant the user belongs to, for the tenant switcher.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Membership {
    pub tenant_id: TenantId,
    pub tenant_name: String,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub role: Role,
}

impl From<String> for Role {
    fn from(s: String) -> Self {
        Role::parse(&s)
    }
}

/// What the shell needs to know about the signed-in user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub user_id: UserId,
    pub username: String,
    pub display_name: String,
    pub tenant_id: TenantId,
    pub tenant_name: String,
    pub role: Role,
    pub memberships: Vec<Membership>,
}

/// An API token as listed in the UI (never the secret itself).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ApiTokenInfo {
    pub id: String,
    pub name: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
}

/// A freshly created token: the secret is shown once and never stored in clear.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewApiToken {
    pub token: ApiTokenInfo,
    pub secret: String,
}

/// A demo account, listed on the sign-in page in demo mode only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemoAccount {
    pub username: String,
    pub password: String,
    pub tenants: String,
}

/// Token names: 1–64 characters after trimming.
pub fn validate_token_name(name: &str) -> Result<String, crate::error::AppError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(crate::error::AppError::invalid_field(
            "name",
            "Give the token a name.",
        ));
    }
    if name.chars().count() > 64 {
        return Err(crate::error::AppError::invalid_field(
            "name",
            "Token names are at most 64 characters.",
        ));
    }
    Ok(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_accepts_the_briefs_user_alias() {
        let role: Role = serde_json::from_str("\"user\"").unwrap_or(Role::Admin);
        assert_eq!(role, Role::Member);
        assert_eq!(Role::parse("admin"), Role::Admin);
        assert_eq!(Role::parse("something-else"), Role::Member);
    }

    #[test]
    fn token_names_are_trimmed_and_bounded() {
        assert_eq!(validate_token_name("  ci  ").ok(), Some("ci".to_string()));
        assert!(validate_token_name("   ").is_err());
        assert!(validate_token_name(&"x".repeat(65)).is_err());
    }
}
