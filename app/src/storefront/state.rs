//! The storefront's long-lived server state: the trained fraud engine and the upsell service.

use super::fraud::service::FraudEngine;
use super::upsell::UpsellService;

/// Built once at start-up by the server from its config.
#[derive(Debug)]
pub struct StorefrontState {
    pub fraud: FraudEngine,
    pub upsell: UpsellService,
}
