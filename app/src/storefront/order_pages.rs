//! Orders for shoppers: the confirmation / order page and "My orders".

use super::api::{get_order, list_orders};
use super::components::{css, LoadMore, StatusBadge, TotalsTable};
use super::model::{format_money, Order, OrderCursor, OrderStatus};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

/// One order; after checkout (`?placed=1`) it is the confirmation.
#[component]
pub fn OrderPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let just_placed = move || query.read().get("placed").is_some();
    let order = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        get_order,
    );
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading order…"</p> }>
            {move || order.get().map(|res| match res {
                Err(e) => view! {
                    <Title text="Order not found" />
                    <h1 class="page-title">"Order not found"</h1>
                    <p>{e.message}</p>
                }.into_any(),
                Ok(o) => view! { <OrderDetail o just_placed=just_placed() /> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn OrderDetail(o: Order, just_placed: bool) -> impl IntoView {
    let heading = if just_placed {
        "Thank you, your order is in"
    } else {
        "Order"
    };
    let held = o.status == OrderStatus::Held;
    view! {
        <Title text=heading />
        <h1 class="page-title" data-testid="order-heading">{heading}</h1>
        <p>
            "Order " <code data-testid="order-id">{o.id.clone()}</code> " · " {o.created_at.clone()} " · "
            <StatusBadge status=o.status />
        </p>
        {held.then(|| view! {
            <p class="card" role="status">"This order is being checked before it ships. We will confirm it shortly."</p>
        })}
        <section class="card stack" aria-labelledby="order-lines">
            <h2 id="order-lines">"Items"</h2>
            <div class="table-wrap">
                <table class="table">
                    <thead><tr><th scope="col">"Product"</th><th scope="col">"Price paid"</th><th scope="col">"Qty"</th><th scope="col">"Line total"</th></tr></thead>
                    <tbody>
                        {o.lines.iter().map(|l| view! {
                            <tr>
                                <td>{l.name.clone()}</td>
                                <td>{format_money(l.unit_price_cents)}</td>
                                <td>{l.quantity}</td>
                                <td>{format_money(l.line_total_cents)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <TotalsTable totals=o.totals />
            <p class="muted">"Delivery country: " {o.country.clone()}</p>
        </section>
        <p><A href="/storefront/orders">"All my orders"</A> " · " <A href="/storefront">"Continue shopping"</A></p>
    }
}

/// The signed-in shopper's orders, newest first.
#[component]
pub fn MyOrdersPage() -> impl IntoView {
    view! {
        <Title text="My orders" />
        <h1 class="page-title">"My orders"</h1>
        <PagedOrders all=false status=Signal::stored(None) />
    }
}

/// Orders a page at a time with "Load more": the caller's, or the tenant's (`all`) by status.
#[component]
pub fn PagedOrders(all: bool, status: Signal<Option<OrderStatus>>) -> impl IntoView {
    let first = Resource::new(move || status.get(), move |s| list_orders(all, s, None));
    let more = RwSignal::new(Vec::<Order>::new());
    let next = RwSignal::new(None::<OrderCursor>);
    let load_more = Action::new(move |after: &OrderCursor| {
        let after = Some(after.clone());
        let status = status.get_untracked();
        async move { list_orders(all, status, after).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(page)) = first.get() {
            more.set(Vec::new());
            next.set(page.next);
        }
    });
    Effect::new(move |_| match load_more.value().get() {
        Some(Ok(page)) => {
            more.update(|m| m.extend(page.orders));
            next.set(page.next);
        }
        Some(Err(e)) => crate::ui::toast::push_error(e.message),
        None => {}
    });
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading orders…"</p> }>
            {move || first.get().map(|res| match res {
                Err(e) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
                Ok(page) if page.orders.is_empty() => view! {
                    <div class="empty-state"><p>"No orders yet."</p><A href="/storefront">"Browse products"</A></div>
                }.into_any(),
                Ok(page) => view! { <OrderTable orders=page.orders more show_customer=all /> }.into_any(),
            })}
        </Transition>
        <LoadMore next action=load_more />
    }
}

/// Orders as a table linking to each: the first page, then whatever "Load more" appended.
#[component]
pub fn OrderTable(
    orders: Vec<Order>,
    more: RwSignal<Vec<Order>>,
    show_customer: bool,
) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="table" data-testid="orders-table">
                <thead>
                    <tr>
                        <th scope="col">"Order"</th>
                        <th scope="col">"Placed"</th>
                        {show_customer.then(|| view! { <th scope="col">"Customer"</th> })}
                        <th scope="col">"Items"</th>
                        <th scope="col">"Total"</th>
                        <th scope="col">"Status"</th>
                        {show_customer.then(|| view! { <th scope="col">"Risk"</th> })}
                    </tr>
                </thead>
                <tbody>
                    {orders.into_iter().map(|o| view! { <OrderRow o show_customer /> }).collect_view()}
                    <For each=move || more.get() key=|o| o.id.clone() let:o>
                        <OrderRow o show_customer />
                    </For>
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn OrderRow(o: Order, show_customer: bool) -> impl IntoView {
    let short: String = o.id.chars().take(8).collect();
    let items: i64 = o.lines.iter().map(|l| l.quantity).sum();
    view! {
        <tr data-testid="order-row">
            <td><A href=format!("/storefront/orders/{}", o.id)>{short}</A></td>
            <td>{o.created_at.clone()}</td>
            {show_customer.then(|| view! { <td>{o.username.clone()}</td> })}
            <td>{items}</td>
            <td class=css::price>{format_money(o.totals.total_cents)}</td>
            <td><StatusBadge status=o.status /></td>
            {show_customer.then(|| view! { <td>{o.risk_level.clone()} " (" {format!("{:.2}", o.risk_score)} ")"</td> })}
        </tr>
    }
}
