//! Pieces the storefront pages share: the cart context and drawer, product cards, totals.

use super::api::{my_cart, ChangeCart};
use super::model::{format_money, Cart, OrderStatus, Product, Totals};
use crate::ui::toast;
use leptos::prelude::*;
use leptos_router::components::A;

stylance::import_crate_style!(pub(crate) css, "src/storefront/storefront.module.css");

/// Which shop the pages show: the signed-in tenant's (`/storefront`) or a public shop
/// (`/shop/{tenant}`) that visitors can browse and fill a cart in without signing in.
#[derive(Clone, Debug, PartialEq)]
pub struct Shop {
    pub tenant: Option<String>,
}

impl Shop {
    /// The path the shop's pages live under.
    pub fn base(&self) -> String {
        match &self.tenant {
            Some(t) => format!("/shop/{t}"),
            None => "/storefront".to_string(),
        }
    }
}

/// The current shop (from context; the signed-in storefront when none was provided).
pub fn use_shop() -> Shop {
    use_context::<Shop>().unwrap_or(Shop { tenant: None })
}

/// The shopper's cart, shared by every storefront page (loaded once, updated by each change).
#[derive(Clone, Copy)]
pub struct CartContext {
    pub cart: RwSignal<Option<Cart>>,
    pub open: RwSignal<bool>,
    pub change: ServerAction<ChangeCart>,
    /// Bumped after every successful change, so pages that depend on the cart refetch.
    pub version: RwSignal<u32>,
    /// The public shop's tenant, or None in the signed-in storefront.
    pub shop: StoredValue<Option<String>>,
}

impl CartContext {
    /// Adds units of a product.
    pub fn add(&self, product_id: String, quantity: i64) {
        self.change.dispatch(ChangeCart {
            product_id,
            quantity,
            add: true,
            shop: self.shop.get_value(),
        });
    }

    /// Sets a product's quantity (0 removes it).
    pub fn set(&self, product_id: String, quantity: i64) {
        self.change.dispatch(ChangeCart {
            product_id,
            quantity,
            add: false,
            shop: self.shop.get_value(),
        });
    }

    /// Units in the cart.
    pub fn count(&self) -> i64 {
        self.cart.with(|c| c.as_ref().map_or(0, |c| c.item_count))
    }
}

/// Creates the shop and cart contexts for the storefront's pages.
pub fn provide_cart(shop: Shop) -> CartContext {
    let tenant = StoredValue::new(shop.tenant.clone());
    provide_context(shop);
    let cart = RwSignal::new(None::<Cart>);
    let version = RwSignal::new(0_u32);
    let change = ServerAction::<ChangeCart>::new();
    let loaded = Resource::new(move || version.get(), move |_| my_cart(tenant.get_value()));
    Effect::new(move |_| {
        if let Some(Ok(c)) = loaded.get() {
            cart.set(Some(c));
        }
    });
    Effect::new(move |_| match change.value().get() {
        Some(Ok(c)) => {
            cart.set(Some(c));
            version.update(|v| *v += 1);
        }
        Some(Err(e)) => toast::push_error(e.message),
        None => {}
    });
    let ctx = CartContext {
        cart,
        open: RwSignal::new(false),
        change,
        version,
        shop: tenant,
    };
    provide_context(ctx);
    ctx
}

/// The header button that opens the cart drawer and shows the item count.
#[component]
pub fn CartButton() -> impl IntoView {
    let ctx = expect_context::<CartContext>();
    view! {
        <button type="button" class="btn" data-testid="cart-button" aria-haspopup="dialog"
            on:click=move |_| ctx.open.set(true)>
            <span>"Cart (" <span data-testid="cart-count">{move || ctx.count()}</span> ")"</span>
        </button>
    }
}

/// The cart as a side drawer: lines with quantity steppers, totals, and the way to checkout.
#[component]
pub fn CartDrawer() -> impl IntoView {
    let ctx = expect_context::<CartContext>();
    let close = move || ctx.open.set(false);
    view! {
        <Show when=move || ctx.open.get()>
            <div class=css::drawer_backdrop on:click=move |_| close()></div>
            <div class=css::drawer role="dialog" aria-modal="true" aria-labelledby="cart-title" data-testid="cart-drawer"
                on:keydown=move |ev| if ev.key() == "Escape" { close() }>
                <div class=css::drawer_head>
                    <h2 id="cart-title">"Your cart"</h2>
                    <button type="button" class="btn btn-ghost" autofocus on:click=move |_| close()>"Close"</button>
                </div>
                {move || match ctx.cart.get() {
                    None => view! { <p class="muted">"Loading your cart…"</p> }.into_any(),
                    Some(cart) if cart.lines.is_empty() => view! {
                        <p class="empty-state">"Your cart is empty."</p>
                    }.into_any(),
                    Some(cart) => view! { <CartLines cart /> }.into_any(),
                }}
            </div>
        </Show>
    }
}

#[component]
fn CartLines(cart: Cart) -> impl IntoView {
    let ctx = expect_context::<CartContext>();
    let totals = cart.totals;
    view! {
        <ul class=css::lines>
            {cart.lines.into_iter().map(|line| {
                let id = StoredValue::new(line.product_id.clone());
                let label = format!("Quantity of {}", line.name);
                view! {
                    <li class=css::line data-testid="cart-line">
                        <img src=line.image_url.clone() alt="" width="56" height="42" />
                        <div>
                            <div>{line.name.clone()}</div>
                            <div class="muted">{format_money(line.unit_price_cents)} " each"</div>
                            {(line.quantity > line.stock).then(|| view! {
                                <div class=css::stock_low>"Only " {line.stock} " left"</div>
                            })}
                        </div>
                        <div class="stack">
                            <input type="number" min="0" max="99" class=css::qty aria-label=label
                                prop:value=line.quantity
                                on:change=move |ev| {
                                    match event_target_value(&ev).trim().parse::<i64>() {
                                        Ok(q) => ctx.set(id.get_value(), q),
                                        Err(_) => toast::push_error("Enter a whole number."),
                                    }
                                } />
                            <button type="button" class="btn btn-ghost" on:click=move |_| ctx.set(id.get_value(), 0)>"Remove"</button>
                        </div>
                    </li>
                }
            }).collect_view()}
        </ul>
        <TotalsTable totals />
        <CheckoutLink />
    }
}

/// "Checkout" for a shopper who can check out here; otherwise "Sign in to check out", which
/// comes back to checkout with the same cart (it lives in the session).
#[component]
fn CheckoutLink() -> impl IntoView {
    let ctx = expect_context::<CartContext>();
    let session = expect_context::<crate::auth::SessionResource>().0;
    let shop = ctx.shop.get_value();
    let can_check_out = move || match &shop {
        None => true,
        Some(t) => session
            .get()
            .and_then(|s| s.ok())
            .flatten()
            .is_some_and(|s| &s.tenant_id.0 == t),
    };
    view! {
        <Transition>
            {move || if can_check_out() {
                view! { <A href="/storefront/checkout" attr:class="btn btn-primary" on:click=move |_| ctx.open.set(false)>"Checkout"</A> }.into_any()
            } else {
                view! { <a href="/sign-in?next=/storefront/checkout" class="btn btn-primary">"Sign in to check out"</a> }.into_any()
            }}
        </Transition>
    }
}

/// Subtotal, discount, VAT and total.
#[component]
pub fn TotalsTable(totals: Totals) -> impl IntoView {
    view! {
        <table class=css::totals data-testid="totals">
            <tbody>
                <tr><th scope="row">"Subtotal"</th><td data-testid="subtotal">{format_money(totals.subtotal_cents)}</td></tr>
                {(totals.discount_cents > 0).then(|| view! {
                    <tr><th scope="row">"Discount (SUMMER10)"</th><td data-testid="discount">"−" {format_money(totals.discount_cents)}</td></tr>
                })}
                <tr><th scope="row">"VAT (20 %)"</th><td data-testid="vat">{format_money(totals.vat_cents)}</td></tr>
                <tr><th scope="row">"Total"</th><td data-testid="total">{format_money(totals.total_cents)}</td></tr>
            </tbody>
        </table>
    }
}

/// A product in the grid.
#[component]
pub fn ProductCard(product: Product) -> impl IntoView {
    let ctx = expect_context::<CartContext>();
    let id = StoredValue::new(product.id.clone());
    let href = format!("{}/products/{}", use_shop().base(), product.id);
    let out = product.stock == 0;
    let label = format!("Add {} to cart", product.name);
    view! {
        <article class=css::product_card data-testid="product-card">
            <img src=product.image_url.clone() alt="" width="200" height="150" loading="lazy" />
            <h2><A href=href>{product.name.clone()}</A></h2>
            <span class="muted">{product.category.clone()}</span>
            <StockNote stock=product.stock />
            <div class=css::card_actions>
                <span class=css::price>{format_money(product.price_cents)}</span>
                <button type="button" class="btn btn-primary" disabled=out aria-label=label
                    on:click=move |_| ctx.add(id.get_value(), 1)>
                    {if out { "Sold out" } else { "Add to cart" }}
                </button>
            </div>
        </article>
    }
}

/// "Only 3 left" / "Out of stock" when it matters.
#[component]
pub fn StockNote(stock: i64) -> impl IntoView {
    match stock {
        0 => Some(view! { <span class=css::stock_low>"Out of stock"</span> }.into_any()),
        n if n <= 5 => {
            Some(view! { <span class=css::stock_low>"Only " {n} " left"</span> }.into_any())
        }
        _ => None,
    }
}

/// "Load more" for a list paged by cursor: shown while there is a next page, disabled while
/// it loads; `action` fetches the page after the cursor.
#[component]
pub fn LoadMore<C, R>(next: RwSignal<Option<C>>, action: Action<C, R>) -> impl IntoView
where
    C: Clone + Send + Sync + 'static,
    R: Send + Sync + 'static,
{
    view! {
        <Show when=move || next.with(Option::is_some)>
            <p>
                <button type="button" class="btn" disabled=move || action.pending().get()
                    on:click=move |_| { if let Some(c) = next.get_untracked() { action.dispatch(c); } }>
                    {move || if action.pending().get() { "Loading…" } else { "Load more" }}
                </button>
            </p>
        </Show>
    }
}

/// An order's status as a badge.
#[component]
pub fn StatusBadge(status: OrderStatus) -> impl IntoView {
    let (class, label) = match status {
        OrderStatus::Placed => (css::status_placed, "Placed"),
        OrderStatus::Held => (css::status_held, "Held for review"),
        OrderStatus::Rejected => (css::status_held, "Rejected"),
    };
    view! { <span class=format!("badge {class}") data-testid="order-status">{label}</span> }
}
