//! The Analytics area (briefs 001 and 003): bulk order ingest (`ingest`), order search and
//! exports (`query`), sales metrics and their rollups (`metrics`), products, price events and
//! stock (`catalog`), product events and their summary (`events`), and the dashboards (`pages`).

pub mod catalog;
pub mod events;
pub mod ingest;
pub mod metrics;
pub mod pages;
pub mod query;

#[cfg(feature = "ssr")]
use crate::{auth::service::Principal, error::AppError};

/// The brief's `/api/v1/tenants/{tenant_id}/…` routes: another tenant's id is a 404, as if it did
/// not exist, so ids cannot be probed.
#[cfg(feature = "ssr")]
pub fn check_tenant_path(principal: &Principal, tenant_id: &str) -> Result<(), AppError> {
    if principal.tenant_id.0 == tenant_id {
        Ok(())
    } else {
        Err(AppError::not_found("tenant"))
    }
}
