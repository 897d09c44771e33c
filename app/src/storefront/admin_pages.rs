//! Admin pages: every order of the tenant, the fraud review queue, and the catalogue editor.

use super::api::{
    list_orders, list_products, order_trail, CreateProduct, DecideOrder, UpdateProduct,
};
use super::components::css;
use super::input::{NewProduct, ProductPatch};
use super::model::{format_money, Decision, Order, OrderStatus, Product, ProductQuery};
use super::order_pages::PagedOrders;
use crate::ui::toast;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// All of the tenant's orders, filterable by status.
#[component]
pub fn AdminOrdersPage() -> impl IntoView {
    let status = RwSignal::new(None::<OrderStatus>);
    view! {
        <Title text="All orders" />
        <h1 class="page-title">"All orders"</h1>
        <div class="field">
            <label for="status-filter">"Status"</label>
            <select id="status-filter" on:change=move |ev| status.set(match event_target_value(&ev).as_str() {
                "placed" => Some(OrderStatus::Placed),
                "held" => Some(OrderStatus::Held),
                "rejected" => Some(OrderStatus::Rejected),
                _ => None,
            })>
                <option value="">"Any"</option>
                <option value="placed">"Placed"</option>
                <option value="held">"Held for review"</option>
                <option value="rejected">"Rejected"</option>
            </select>
        </div>
        <PagedOrders all=true status=status.into() />
    }
}

/// Held (high-risk) orders with their reasons; approve or reject each, with a note.
#[component]
pub fn ReviewQueuePage() -> impl IntoView {
    let decide = ServerAction::<DecideOrder>::new();
    let queue = Resource::new(
        move || decide.version().get(),
        |_| list_orders(true, Some(OrderStatus::Held), None),
    );
    Effect::new(move |_| match decide.value().get() {
        Some(Ok(o)) => toast::push(
            toast::ToastKind::Success,
            format!(
                "Order {} is now {}.",
                &o.id[..8.min(o.id.len())],
                o.status.as_str()
            ),
        ),
        Some(Err(e)) => toast::push_error(e.message),
        None => {}
    });
    view! {
        <Title text="Fraud review" />
        <h1 class="page-title">"Fraud review"</h1>
        <p class="muted">"High-risk orders wait here. Approving ships them; rejecting cancels them and returns the stock. Every decision is recorded."</p>
        <Transition fallback=|| view! { <p class="muted">"Loading the queue…"</p> }>
            {move || queue.get().map(|res| match res {
                Err(e) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
                Ok(page) if page.orders.is_empty() => view! { <p class="empty-state" data-testid="review-empty">"Nothing to review."</p> }.into_any(),
                Ok(page) => page.orders.into_iter().map(|o| view! { <ReviewCard o decide /> }).collect_view().into_any(),
            })}
        </Transition>
    }
}

#[component]
fn ReviewCard(o: Order, decide: ServerAction<DecideOrder>) -> impl IntoView {
    let note = RwSignal::new(String::new());
    let id = StoredValue::new(o.id.clone());
    let trail = Action::new(|id: &String| order_trail(id.clone()));
    let note_id = format!("note-{}", o.id);
    let act = move |decision: Decision| {
        decide.dispatch(DecideOrder {
            id: id.get_value(),
            decision,
            note: note.get_untracked(),
        });
    };
    view! {
        <article class="card stack" data-testid="review-card">
            <h2><A href=format!("/storefront/orders/{}", o.id)>"Order " {o.id.chars().take(8).collect::<String>()}</A>
                " · " {format_money(o.totals.total_cents)} " · " {o.username.clone()} " · " {o.country.clone()}</h2>
            <p>"Risk " <strong>{o.risk_level.clone()}</strong> " (score " {format!("{:.2}", o.risk_score)} ")"</p>
            <ul>{o.risk_reasons.iter().map(|r| view! { <li>{r.clone()}</li> }).collect_view()}</ul>
            // Loaded when opened, so the queue renders (and hydrates) without one request per card.
            <details on:toggle=move |_| { if trail.value().get_untracked().is_none() { trail.dispatch(id.get_value()); } }>
                <summary>"Audit trail"</summary>
                {move || trail.value().get().map(|r| match r {
                    Ok(entries) => entries.into_iter().map(|e| view! {
                        <p class="muted">{format!("{} — {} by {}: {}", e.created_at, e.action, e.actor, e.note)}</p>
                    }).collect_view().into_any(),
                    Err(e) => view! { <p class="form-error">{e.message}</p> }.into_any(),
                })}
            </details>
            <div class="field">
                <label for=note_id.clone()>"Note (optional)"</label>
                <input id=note_id maxlength="500" on:input=move |ev| note.set(event_target_value(&ev)) />
            </div>
            <div class="row">
                <button type="button" class="btn btn-primary" disabled=move || decide.pending().get() on:click=move |_| act(Decision::Approve)>"Approve"</button>
                <button type="button" class="btn btn-danger" disabled=move || decide.pending().get() on:click=move |_| act(Decision::Reject)>"Reject"</button>
            </div>
        </article>
    }
}

/// The catalogue editor: change price and stock in place, add products.
#[component]
pub fn ManageCataloguePage() -> impl IntoView {
    let update = ServerAction::<UpdateProduct>::new();
    let create = ServerAction::<CreateProduct>::new();
    let products = Resource::new(
        move || (update.version().get(), create.version().get()),
        |_| {
            list_products(
                ProductQuery {
                    limit: Some(100),
                    ..Default::default()
                },
                None,
            )
        },
    );
    Effect::new(move |_| match update.value().get() {
        Some(Ok(p)) => toast::push(toast::ToastKind::Success, format!("Saved {}.", p.name)),
        Some(Err(e)) => toast::push_error(e.message),
        None => {}
    });
    view! {
        <Title text="Manage catalogue" />
        <h1 class="page-title">"Manage catalogue"</h1>
        <NewProductForm create />
        <Transition fallback=|| view! { <p class="muted">"Loading products…"</p> }>
            {move || products.get().map(|res| match res {
                Err(e) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
                Ok(page) => view! {
                    <div class="table-wrap">
                        <table class="table">
                            <thead><tr><th scope="col">"SKU"</th><th scope="col">"Name"</th><th scope="col">"Price (£)"</th><th scope="col">"Stock"</th></tr></thead>
                            <tbody>{page.products.into_iter().map(|p| view! { <EditRow p update /> }).collect_view()}</tbody>
                        </table>
                    </div>
                }.into_any(),
            })}
        </Transition>
    }
}

/// Pounds typed by an admin ("12.5", "£1,299.00") as pence.
fn parse_pounds(text: &str) -> Option<i64> {
    let clean: String = text
        .trim()
        .trim_start_matches('£')
        .chars()
        .filter(|c| *c != ',')
        .collect();
    let (whole, frac) = clean.split_once('.').unwrap_or((&clean, ""));
    if frac.len() > 2 || whole.is_empty() {
        return None;
    }
    let pounds: i64 = whole.parse().ok()?;
    let pence: i64 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<2}").parse().ok()?
    };
    pounds.checked_mul(100)?.checked_add(pence)
}

fn save_price(update: ServerAction<UpdateProduct>, id: String, text: &str) {
    match parse_pounds(text) {
        Some(cents) => {
            let patch = ProductPatch {
                price_cents: Some(cents),
                ..Default::default()
            };
            update.dispatch(UpdateProduct { id, patch });
        }
        None => toast::push_error("Enter a price like 12.50."),
    }
}

fn save_stock(update: ServerAction<UpdateProduct>, id: String, text: &str) {
    match text.trim().parse::<i64>() {
        Ok(stock) => {
            let patch = ProductPatch {
                stock: Some(stock),
                ..Default::default()
            };
            update.dispatch(UpdateProduct { id, patch });
        }
        Err(_) => toast::push_error("Enter a whole number of units."),
    }
}

#[component]
fn EditRow(p: Product, update: ServerAction<UpdateProduct>) -> impl IntoView {
    let id = StoredValue::new(p.id.clone());
    let name = p.name.clone();
    let price_label = format!("Price of {name}");
    let stock_label = format!("Stock of {name}");
    view! {
        <tr>
            <td>{p.sku.clone()}</td>
            <td>{name.clone()}</td>
            <td><input class=css::edit_input aria-label=price_label inputmode="decimal" value=super::model::decimal_string(p.price_cents)
                on:change=move |ev| save_price(update, id.get_value(), &event_target_value(&ev)) /></td>
            <td><input class=css::edit_input aria-label=stock_label type="number" min="0" value=p.stock
                on:change=move |ev| save_stock(update, id.get_value(), &event_target_value(&ev)) /></td>
        </tr>
    }
}

#[component]
fn NewProductForm(create: ServerAction<CreateProduct>) -> impl IntoView {
    let (sku, name, category, price, stock, description) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::from("0")),
        RwSignal::new(String::new()),
    );
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| match create.value().get() {
        Some(Ok(p)) => {
            error.set(None);
            toast::push(toast::ToastKind::Success, format!("Added {}.", p.name));
            for s in [sku, name, category, price, description] {
                s.set(String::new());
            }
            stock.set("0".into());
        }
        Some(Err(e)) => error.set(Some(e.message)),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(price_cents) = parse_pounds(&price.get_untracked()) else {
            error.set(Some("Enter a price like 12.50.".into()));
            return;
        };
        let product = NewProduct {
            sku: sku.get_untracked(),
            name: name.get_untracked(),
            category: category.get_untracked(),
            description: description.get_untracked(),
            price_cents,
            stock: stock.get_untracked().trim().parse().unwrap_or(-1),
            image_url: String::new(),
        };
        match product.validated() {
            Ok(_) => {
                create.dispatch(CreateProduct { product });
            }
            Err(e) => error.set(Some(e.message)),
        }
    };
    let field = |id: &'static str, label: &'static str, value: RwSignal<String>| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input id=id prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
            </div>
        }
    };
    view! {
        <form class="card stack" on:submit=submit aria-labelledby="new-product">
            <h2 id="new-product">"Add a product"</h2>
            <div class=css::filters>
                {field("new-sku", "SKU", sku)}
                {field("new-name", "Name", name)}
                {field("new-category", "Category", category)}
                {field("new-price", "Price (£)", price)}
                {field("new-stock", "Stock", stock)}
            </div>
            {field("new-description", "Description", description)}
            {move || error.get().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
            <button type="submit" class="btn btn-primary" disabled=move || create.pending().get()>"Add product"</button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn pounds_parse_to_exact_pence() {
        use super::parse_pounds;
        assert_eq!(parse_pounds("12.5"), Some(1_250));
        assert_eq!(parse_pounds("£1,299.00"), Some(129_900));
        assert_eq!(parse_pounds("7"), Some(700));
        assert_eq!(parse_pounds("1.234"), None);
        assert_eq!(parse_pounds("abc"), None);
    }
}
