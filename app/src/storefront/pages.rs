//! Storefront pages for shoppers: the frame with the cart, the catalogue grid, a product.

use super::api::{get_product, list_products};
use super::components::{
    css, provide_cart, use_shop, CartButton, CartDrawer, LoadMore, ProductCard, Shop, StockNote,
};
use super::model::{format_money, Product, ProductQuery};
use crate::auth::{model::Role, SessionResource};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Form, Outlet, A};
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

/// The frame of every storefront page: its own navigation, the cart button and drawer.
#[component]
pub fn StorefrontLayout() -> impl IntoView {
    provide_cart(Shop { tenant: None });
    let session = expect_context::<SessionResource>().0;
    let is_admin = move || {
        session
            .get()
            .and_then(|s| s.ok())
            .flatten()
            .is_some_and(|s| s.role == Role::Admin)
    };
    view! {
        <nav class=css::subnav aria-label="Storefront">
            <ul class=css::subnav_links>
                <li><A href="/storefront" exact=true>"Shop"</A></li>
                <li><A href="/storefront/orders" exact=true>"My orders"</A></li>
                <Transition>
                    <Show when=is_admin>
                        <li><A href="/storefront/admin/orders">"All orders"</A></li>
                        <li><A href="/storefront/admin/review">"Fraud review"</A></li>
                        <li><A href="/storefront/admin/catalogue">"Manage catalogue"</A></li>
                    </Show>
                </Transition>
            </ul>
            <CartButton />
        </nav>
        <CartDrawer />
        <Outlet />
    }
}

/// A tenant's public shop: anyone may browse and fill a cart; checkout asks them to sign in.
#[component]
pub fn ShopLayout() -> impl IntoView {
    let params = use_params_map();
    let tenant = params.read_untracked().get("tenant").unwrap_or_default();
    provide_cart(Shop {
        tenant: Some(tenant.clone()),
    });
    let home = format!("/shop/{tenant}");
    let sign_in = format!("/sign-in?next=/shop/{tenant}");
    view! {
        <div class="shell-main">
            <a class="skip-link" href="#main">"Skip to content"</a>
            <nav class=css::subnav aria-label="Shop">
                <A href=home attr:class="brand">"Atrium shop · " {tenant.clone()}</A>
                <div class="row">
                    <a href=sign_in class="btn btn-ghost">"Sign in"</a>
                    <CartButton />
                </div>
            </nav>
            <CartDrawer />
            <main id="main" tabindex="-1">
                <Outlet />
            </main>
            <crate::ui::toast::ToastRegion />
        </div>
    }
}

/// The catalogue: category filter and search from the URL, a grid, and "Load more".
#[component]
pub fn StorefrontPage() -> impl IntoView {
    let query = use_query_map();
    let category = Memo::new(move |_| query.read().get("category").filter(|c| !c.is_empty()));
    let search = Memo::new(move |_| query.read().get("q").filter(|s| !s.is_empty()));
    let shop = use_shop();
    let base = StoredValue::new(shop.base());
    let tenant = StoredValue::new(shop.tenant);
    let first = Resource::new(
        move || (category.get(), search.get()),
        move |(category, search)| {
            let q = ProductQuery {
                category,
                search,
                cursor: None,
                limit: Some(12),
            };
            list_products(q, tenant.get_value())
        },
    );
    // Pages after the first, appended by "Load more"; cleared when the filters change.
    let more = RwSignal::new(Vec::<Product>::new());
    let next = RwSignal::new(None::<String>);
    let load_more = Action::new(move |cursor: &String| {
        let q = ProductQuery {
            category: category.get_untracked(),
            search: search.get_untracked(),
            cursor: Some(cursor.clone()),
            limit: Some(12),
        };
        let shop = tenant.get_value();
        async move { list_products(q, shop).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(page)) = first.get() {
            more.set(Vec::new());
            next.set(page.next_cursor);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(page)) = load_more.value().get() {
            more.update(|m| m.extend(page.products));
            next.set(page.next_cursor);
        }
    });
    let navigate = use_navigate();
    let on_category = Callback::new(move |chosen: String| {
        let mut url = format!("{}?category=", base.get_value());
        url.push_str(&js_encode(&chosen));
        if let Some(s) = search.get_untracked() {
            url.push_str("&q=");
            url.push_str(&js_encode(&s));
        }
        navigate(&url, Default::default());
    });
    view! {
        <Title text="Storefront" />
        <h1 class="page-title">"Storefront"</h1>
        <Transition fallback=|| view! { <p class="muted">"Loading products…"</p> }>
            {move || first.get().map(|res| match res {
                Err(e) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
                Ok(page) => {
                    let current = category.get().unwrap_or_default();
                    view! {
                        <Form method="GET" action=base.get_value() attr:class=css::filters attr:role="search">
                            <div class="field">
                                <label for="category">"Category"</label>
                                <select id="category" name="category" on:change=move |ev| on_category.run(event_target_value(&ev))>
                                    <option value="" selected=current.is_empty()>"All categories"</option>
                                    {page.categories.iter().map(|c| view! {
                                        <option value=c.clone() selected=*c == current>{c.clone()}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                            <div class="field">
                                <label for="q">"Search"</label>
                                <input id="q" name="q" type="search" maxlength="100" value=search.get().unwrap_or_default() placeholder="Name or description" />
                            </div>
                            <button type="submit" class="btn">"Search"</button>
                        </Form>
                        {if page.products.is_empty() {
                            view! { <p class="empty-state">"No products match. Try another category or search."</p> }.into_any()
                        } else {
                            view! {
                                <ul class=css::grid data-testid="product-grid">
                                    {page.products.into_iter().map(|p| view! { <li><ProductCard product=p /></li> }).collect_view()}
                                    <For each=move || more.get() key=|p| p.id.clone() let:p>
                                        <li><ProductCard product=p /></li>
                                    </For>
                                </ul>
                            }.into_any()
                        }}
                    }.into_any()
                }
            })}
        </Transition>
        <LoadMore next action=load_more />
    }
}

/// Percent-encodes a query value.
fn js_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// One product: picture, description, stock and "Add to cart" with a quantity.
#[component]
pub fn ProductPage() -> impl IntoView {
    let params = use_params_map();
    let tenant = StoredValue::new(use_shop().tenant);
    let product = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        move |id| get_product(id, tenant.get_value()),
    );
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading product…"</p> }>
            {move || product.get().map(|res| match res {
                Err(e) => view! {
                    <Title text="Product not found" />
                    <h1 class="page-title">"Product not found"</h1>
                    <p>{e.message}</p>
                    <A href=use_shop().base()>"Back to the shop"</A>
                }.into_any(),
                Ok(p) => view! { <ProductDetail p /> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn ProductDetail(p: Product) -> impl IntoView {
    let ctx = expect_context::<super::components::CartContext>();
    let quantity = RwSignal::new(1_i64);
    let id = StoredValue::new(p.id.clone());
    let max = p.stock.clamp(0, 99);
    view! {
        <Title text=p.name.clone() />
        <p><A href=use_shop().base()>"← All products"</A></p>
        <div class=css::product_hero>
            <img src=p.image_url.clone() alt="" width="400" height="300" />
            <div class="stack">
                <h1 class="page-title">{p.name.clone()}</h1>
                <span class="muted">{p.category.clone()} " · SKU " {p.sku.clone()}</span>
                <span class=css::price>{format_money(p.price_cents)}</span>
                <StockNote stock=p.stock />
                <p>{p.description.clone()}</p>
                <div class="row">
                    <label for="quantity">"Quantity"</label>
                    <input id="quantity" type="number" min="1" max=max class=css::qty prop:value=move || quantity.get()
                        on:change=move |ev| quantity.set(event_target_value(&ev).parse().unwrap_or(1).clamp(1, 99)) />
                    <button type="button" class="btn btn-primary" disabled=p.stock == 0
                        on:click=move |_| { ctx.add(id.get_value(), quantity.get_untracked()); ctx.open.set(true); }>
                        "Add to cart"
                    </button>
                </div>
            </div>
        </div>
    }
}
