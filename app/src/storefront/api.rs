//! Server functions the storefront pages call. Thin: each resolves the caller and hands over to
//! the services (the REST API in the server crate calls the same ones).

use super::input::{NewProduct, ProductPatch};
use super::model::{
    Cart, CheckoutPreview, Decision, Order, OrderCursor, OrderPage, OrderStatus, Product,
    ProductPage, ProductQuery, ReviewEntry,
};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
mod ctx {
    use crate::auth::principal::{request_parts, request_session, require_principal};
    use crate::auth::service::Principal;
    use crate::error::AppError;
    use crate::state::{use_app_state, AppState};
    use crate::storefront::{cart, model::Cart};

    /// State, caller and request id, for every storefront server function.
    pub async fn caller() -> Result<(AppState, Principal), AppError> {
        Ok((use_app_state()?, require_principal().await?))
    }

    /// Who is shopping where. Without `shop`, the signed-in caller in their tenant; with it, the
    /// public shop of that tenant (anyone may browse and fill a cart), where a signed-in member
    /// of that tenant shops as themselves and everyone else anonymously.
    pub struct Shopper {
        pub tenant: String,
        pub user_id: Option<String>,
    }

    impl From<&Principal> for Shopper {
        fn from(p: &Principal) -> Self {
            Shopper {
                tenant: p.tenant_id.0.clone(),
                user_id: Some(p.user_id.0.clone()),
            }
        }
    }

    pub async fn shopper(shop: Option<String>) -> Result<(AppState, Shopper), AppError> {
        let state = use_app_state()?;
        let principal = crate::auth::principal::resolve(&request_parts()?, &state).await?;
        match (shop.filter(|s| !s.is_empty()), principal) {
            (None, Some(p)) => Ok((
                state,
                Shopper {
                    tenant: p.tenant_id.0,
                    user_id: Some(p.user_id.0),
                },
            )),
            (None, None) => Err(AppError::unauthorized()),
            (Some(shop), p) => {
                let tenant: String = sqlx::query_scalar("SELECT id FROM tenants WHERE id = ?")
                    .bind(&shop)
                    .fetch_optional(&state.pool)
                    .await?
                    .ok_or_else(|| AppError::not_found("Shop"))?;
                let user_id = p.filter(|p| p.tenant_id.0 == tenant).map(|p| p.user_id.0);
                Ok((state, Shopper { tenant, user_id }))
            }
        }
    }

    pub fn request_id() -> String {
        request_parts()
            .ok()
            .and_then(|p| {
                p.headers
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .map(String::from)
            })
            .unwrap_or_default()
    }

    /// The session key of the cart in `tenant`'s shop (shared by the anonymous and signed-in
    /// visits of one browser, so a cart filled before signing in is there after).
    pub fn session_key(tenant: &str) -> String {
        format!("storefront.cart.{tenant}")
    }

    /// The session's open cart for this tenant, creating one when there is none (or the last one
    /// became an order, or it belongs to someone else).
    pub async fn session_cart(state: &AppState, shopper: &Shopper) -> Result<Cart, AppError> {
        let session = request_session(&request_parts()?)?;
        let key = session_key(&shopper.tenant);
        let tenant = shopper.tenant.as_str();
        let user = shopper.user_id.as_deref();
        if let Some(id) = session
            .get::<String>(&key)
            .await
            .map_err(AppError::internal)?
        {
            let mut conn = state.pool.acquire().await?;
            if let Ok(row) = cart::row(&mut conn, tenant, &id, user).await {
                if row.checked_out_order.is_none() {
                    let lines = cart::lines(&mut conn, tenant, &row.id).await?;
                    return Ok(cart::summarise(row.id, lines));
                }
            }
        }
        let fresh = cart::create(&state.pool, tenant, user).await?;
        session
            .insert(&key, &fresh.id)
            .await
            .map_err(AppError::internal)?;
        Ok(fresh)
    }
}

/// One page of the catalogue (`shop`: a public shop's tenant, for visitors).
#[server(endpoint = "storefront/products", input = Json)]
pub async fn list_products(
    query: ProductQuery,
    shop: Option<String>,
) -> Result<ProductPage, AppError> {
    async {
        let (state, s) = ctx::shopper(shop).await?;
        super::catalog::list(&state.pool, &s.tenant, &query).await
    }
    .await
    .map_err(crate::error::respond_with)
}

/// One product.
#[server(endpoint = "storefront/product")]
pub async fn get_product(id: String, shop: Option<String>) -> Result<Product, AppError> {
    async {
        let (state, s) = ctx::shopper(shop).await?;
        super::catalog::get(&state.pool, &s.tenant, &id).await
    }
    .await
    .map_err(crate::error::respond_with)
}

/// The shopper's cart (kept in the session).
#[server(endpoint = "storefront/cart")]
pub async fn my_cart(shop: Option<String>) -> Result<Cart, AppError> {
    async {
        let (state, s) = ctx::shopper(shop).await?;
        ctx::session_cart(&state, &s).await
    }
    .await
    .map_err(crate::error::respond_with)
}

/// Adds `quantity` units (`add`) or sets the quantity (0 removes).
#[server(endpoint = "storefront/cart/change")]
pub async fn change_cart(
    product_id: String,
    quantity: i64,
    add: bool,
    shop: Option<String>,
) -> Result<Cart, AppError> {
    async {
        use super::cart::QuantityChange;
        let (state, s) = ctx::shopper(shop).await?;
        let cart = ctx::session_cart(&state, &s).await?;
        let change = if add {
            QuantityChange::Add(quantity)
        } else {
            QuantityChange::Set(quantity)
        };
        let user = s.user_id.as_deref();
        super::cart::change(&state.pool, &s.tenant, &cart.id, user, &product_id, change).await
    }
    .await
    .map_err(crate::error::respond_with)
}

/// Totals with the promo code and upsell suggestions, before the order is confirmed.
#[server(endpoint = "storefront/checkout/preview")]
pub async fn preview_checkout(promo_code: Option<String>) -> Result<CheckoutPreview, AppError> {
    async {
        let (state, p) = ctx::caller().await?;
        let cart = ctx::session_cart(&state, &ctx::Shopper::from(&p)).await?;
        super::service::preview(
            &state,
            &p,
            &cart.id,
            promo_code.as_deref(),
            &ctx::request_id(),
        )
        .await
    }
    .await
    .map_err(crate::error::respond_with)
}

/// Places the order. `attempt_key` is the page's Idempotency-Key for this checkout attempt, so
/// a double click or a retry after a dropped response places one order.
#[server(endpoint = "storefront/checkout/place")]
pub async fn place_order(
    promo_code: Option<String>,
    country: Option<String>,
    attempt_key: String,
) -> Result<Order, AppError> {
    async {
        let (state, p) = ctx::caller().await?;
        let input = super::service::CheckoutInput {
            promo_code,
            country,
        };
        let cart = current_or_checked_out_cart(&state, &p).await?;
        let out = super::service::checkout(
            &state,
            &p,
            &cart,
            &input,
            Some(&attempt_key),
            &ctx::request_id(),
        )
        .await?;
        Ok(out.order)
    }
    .await
    .map_err(crate::error::respond_with)
}

/// The session's cart id even if it was just checked out (so a retry replays the order).
#[cfg(feature = "ssr")]
async fn current_or_checked_out_cart(
    state: &crate::state::AppState,
    p: &crate::auth::service::Principal,
) -> Result<String, AppError> {
    use crate::auth::principal::{request_parts, request_session};
    let session = request_session(&request_parts()?)?;
    let key = ctx::session_key(&p.tenant_id.0);
    match session
        .get::<String>(&key)
        .await
        .map_err(AppError::internal)?
    {
        Some(id) => Ok(id),
        None => Ok(ctx::session_cart(state, &ctx::Shopper::from(p)).await?.id),
    }
}

/// A page of orders, newest first: the caller's own, or (`all`, admins only) the tenant's,
/// optionally by status, starting after `after`.
#[server(endpoint = "storefront/orders/list", input = Json)]
pub async fn list_orders(
    all: bool,
    status: Option<OrderStatus>,
    after: Option<OrderCursor>,
) -> Result<OrderPage, AppError> {
    async {
        let (state, p) = ctx::caller().await?;
        if all {
            p.require_admin()?;
        }
        use super::model::ORDER_PAGE_SIZE;
        let filter = super::orders::OrderFilter {
            user_id: (!all).then(|| p.user_id.0.clone()),
            status,
            before: after.map(|c| (c.created_at, c.id)),
            limit: ORDER_PAGE_SIZE + 1,
        };
        let mut orders = super::orders::list(&state.pool, &p.tenant_id.0, &filter).await?;
        let next = if orders.len() > ORDER_PAGE_SIZE as usize {
            orders.truncate(ORDER_PAGE_SIZE as usize);
            orders.last().map(|o| OrderCursor {
                created_at: o.created_at.clone(),
                id: o.id.clone(),
            })
        } else {
            None
        };
        Ok(OrderPage { orders, next })
    }
    .await
    .map_err(crate::error::respond_with)
}

/// One order: the caller's own, or any of the tenant's for an admin.
#[server(endpoint = "storefront/orders/one")]
pub async fn get_order(id: String) -> Result<Order, AppError> {
    async {
        let (state, p) = ctx::caller().await?;
        let admin = p.role == crate::auth::model::Role::Admin;
        super::orders::get_for(&state.pool, &p.tenant_id.0, &id, &p.user_id.0, admin).await
    }
    .await
    .map_err(crate::error::respond_with)
}

/// Approves or rejects a held order (admins).
#[server(endpoint = "storefront/admin/decide", input = Json)]
pub async fn decide_order(id: String, decision: Decision, note: String) -> Result<Order, AppError> {
    async {
        let (state, p) = ctx::caller().await?;
        p.require_admin()?;
        super::review::decide(
            &state.pool,
            &p.tenant_id.0,
            &id,
            &p.username,
            decision,
            &note,
        )
        .await
    }
    .await
    .map_err(crate::error::respond_with)
}

/// An order's review trail (admins).
#[server(endpoint = "storefront/admin/trail")]
pub async fn order_trail(id: String) -> Result<Vec<ReviewEntry>, AppError> {
    async {
        let (state, p) = ctx::caller().await?;
        p.require_admin()?;
        super::orders::get(&state.pool, &p.tenant_id.0, &id).await?;
        super::review::trail(&state.pool, &p.tenant_id.0, &id).await
    }
    .await
    .map_err(crate::error::respond_with)
}

/// Adds a product (admins).
#[server(endpoint = "storefront/admin/products/create", input = Json)]
pub async fn create_product(product: NewProduct) -> Result<Product, AppError> {
    async {
        let (state, p) = ctx::caller().await?;
        p.require_admin()?;
        super::catalog::create(&state.pool, &p.tenant_id.0, &product).await
    }
    .await
    .map_err(crate::error::respond_with)
}

/// Changes a product (admins).
#[server(endpoint = "storefront/admin/products/update", input = Json)]
pub async fn update_product(id: String, patch: ProductPatch) -> Result<Product, AppError> {
    async {
        let (state, p) = ctx::caller().await?;
        p.require_admin()?;
        super::catalog::update(&state.pool, &p.tenant_id.0, &id, &patch).await
    }
    .await
    .map_err(crate::error::respond_with)
}
