//! The checkout flow both the REST API and the pages use: validate, place the order while the
//! upsell step runs beside it, then score the order for fraud.

use super::checkout::{self, CheckoutRequest};
use super::model::{Cart, CheckoutPreview, Order, UpsellOutcome};
use super::{cart, input, pricing};
use crate::auth::service::Principal;
use crate::error::AppError;
use crate::state::AppState;

/// What a checkout returns.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, serde::Serialize)]
pub struct CheckoutOutcome {
    pub order: Order,
    pub upsell: UpsellOutcome,
    /// True when an Idempotency-Key replayed an earlier order.
    #[serde(skip)]
    pub replayed: bool,
}

/// What the shopper asked for at checkout.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct CheckoutInput {
    pub promo_code: Option<String>,
    pub country: Option<String>,
}

/// Places the caller's order for `cart_id`. The upsell runs concurrently and never fails, so a
/// slow or broken model costs at most its timeout and never the order.
pub async fn checkout(
    state: &AppState,
    p: &Principal,
    cart_id: &str,
    input: &CheckoutInput,
    idempotency_key: Option<&str>,
    request_id: &str,
) -> Result<CheckoutOutcome, AppError> {
    let promo = pricing::find_promo(input.promo_code.as_deref())?;
    let country = input::country_code(input.country.as_deref())?;
    let key = idempotency_key.map(checkout::validate_key).transpose()?;
    let tenant = p.tenant_id.0.as_str();
    // The upsell needs the lines before the transaction; with it off, `place` alone reads them.
    let upsell_lines = if state.storefront.upsell.enabled() {
        cart::load(&state.pool, tenant, cart_id, Some(&p.user_id.0))
            .await?
            .lines
    } else {
        Vec::new()
    };
    let req = CheckoutRequest {
        tenant_id: tenant.to_string(),
        user_id: p.user_id.0.clone(),
        cart_id: cart_id.to_string(),
        promo,
        country,
        idempotency_key: key,
        request_id: request_id.to_string(),
    };
    let upsell = state
        .storefront
        .upsell
        .suggest(&state.pool, tenant, request_id, &upsell_lines);
    let engine = &state.storefront.fraud;
    let (placed, upsell) = tokio::join!(checkout::place(&state.pool, engine, &req), upsell);
    let placed = match placed {
        Ok(placed) => placed,
        Err(e) => {
            metrics::counter!("atrium_checkouts_total", "outcome" => "refused").increment(1);
            return Err(e);
        }
    };
    let order = if placed.replayed {
        metrics::counter!("atrium_checkouts_total", "outcome" => "replayed").increment(1);
        placed.order
    } else {
        let order = placed.order;
        metrics::counter!("atrium_checkouts_total", "outcome" => order.status.as_str())
            .increment(1);
        tracing::info!(
            request_id, tenant, order_id = %order.id, total_cents = order.totals.total_cents,
            status = order.status.as_str(), risk = %order.risk_level, "order placed"
        );
        order
    };
    Ok(CheckoutOutcome {
        order,
        upsell,
        replayed: placed.replayed,
    })
}

/// The review step before confirming: totals with the promo, and suggestions.
pub async fn preview(
    state: &AppState,
    p: &Principal,
    cart_id: &str,
    promo_code: Option<&str>,
    request_id: &str,
) -> Result<CheckoutPreview, AppError> {
    let promo = pricing::find_promo(promo_code)?;
    let tenant = p.tenant_id.0.as_str();
    let cart: Cart = cart::load(&state.pool, tenant, cart_id, Some(&p.user_id.0)).await?;
    let upsell = if cart.lines.is_empty() {
        UpsellOutcome::default()
    } else {
        state
            .storefront
            .upsell
            .suggest(&state.pool, tenant, request_id, &cart.lines)
            .await
    };
    Ok(CheckoutPreview {
        totals: pricing::totals(cart.totals.subtotal_cents, promo),
        promo_code: promo.map(|p| p.code.to_string()),
        cart,
        upsell,
    })
}
