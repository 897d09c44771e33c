//! Checkout: review the cart, apply a promo code, see suggestions, choose the country, place the
//! order once (each attempt carries its own idempotency key), then go to the confirmation.

use super::api::{preview_checkout, PlaceOrder};
use super::components::{css, CartContext, TotalsTable};
use super::model::{format_money, CheckoutPreview, UpsellOutcome};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

const COUNTRIES: &[(&str, &str)] = &[
    ("GB", "United Kingdom"),
    ("IE", "Ireland"),
    ("FR", "France"),
    ("DE", "Germany"),
    ("NL", "Netherlands"),
    ("ES", "Spain"),
    ("US", "United States"),
];

fn new_key() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// The checkout page.
#[component]
pub fn CheckoutPage() -> impl IntoView {
    let cart = expect_context::<CartContext>();
    let promo_input = RwSignal::new(String::new());
    let applied = RwSignal::new(None::<String>);
    let promo_error = RwSignal::new(None::<String>);
    let country = RwSignal::new("GB".to_string());
    // A new key whenever what would be bought changes; the same key for retries of one attempt.
    let attempt_key = RwSignal::new(new_key());
    let preview = Resource::new(
        move || (applied.get(), cart.version.get()),
        |(promo, _)| preview_checkout(promo),
    );
    Effect::new(move |_| {
        applied.track();
        cart.version.track();
        country.track();
        attempt_key.set(new_key());
    });
    // An unknown code: say so under the field, keep what was typed, show totals without it.
    Effect::new(move |_| {
        if let Some(Err(e)) = preview.get() {
            if e.details
                .as_ref()
                .and_then(|d| d.get("promo_code"))
                .is_some()
            {
                promo_error.set(Some(e.message));
                applied.set(None);
            }
        }
    });
    let place = ServerAction::<PlaceOrder>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(order)) = place.value().get() {
            cart.version.update(|v| *v += 1);
            navigate(
                &format!("/storefront/orders/{}?placed=1", order.id),
                Default::default(),
            );
        }
    });
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        promo_error.set(None);
        let code = promo_input.get_untracked().trim().to_string();
        applied.set((!code.is_empty()).then_some(code));
    };
    let form = move || {
        view! {
                <section class="card stack" aria-labelledby="promo-title">
                    <h2 id="promo-title">"Promo code"</h2>
                    <form class="row" on:submit=apply>
                        <label class="visually-hidden" for="promo">"Promo code"</label>
                        <input id="promo" name="promo" maxlength="40" autocomplete="off" placeholder="e.g. SUMMER10"
                            aria-invalid=move || promo_error.get().is_some().to_string()
                            aria-describedby="promo-error"
                            prop:value=move || promo_input.get()
                            on:input=move |ev| promo_input.set(event_target_value(&ev)) />
                        <button type="submit" class="btn">"Apply"</button>
                    </form>
                    <p id="promo-error" class="field-error" role="alert">{move || promo_error.get()}</p>
                    <div class="field">
                        <label for="country">"Delivery country"</label>
                        <select id="country" on:change=move |ev| country.set(event_target_value(&ev))>
                            {COUNTRIES.iter().map(|(code, name)| view! { <option value=*code>{*name}</option> }).collect_view()}
                        </select>
                    </div>
                    <button type="button" class="btn btn-primary" data-testid="place-order"
                        disabled=move || place.pending().get()
                        on:click=move |_| {
                            place.dispatch(PlaceOrder {
                                promo_code: applied.get_untracked(),
                                country: Some(country.get_untracked()),
                                attempt_key: attempt_key.get_untracked(),
                            });
                        }>
                        {move || if place.pending().get() { "Placing order…" } else { "Place order" }}
                    </button>
                    {move || place.value().get().and_then(|r| r.err()).map(|e| view! {
                        <p class="form-error" role="alert">{e.message}</p>
                    })}
                </section>
        }
    };
    let form = ViewFn::from(form);
    view! {
        <Title text="Checkout" />
        <h1 class="page-title">"Checkout"</h1>
        <Transition fallback=|| view! { <p class="muted">"Loading your cart…"</p> }>
            {move || preview.get().map(|res| match res {
                Err(e) if e.details.as_ref().and_then(|d| d.get("promo_code")).is_some() => {
                    view! { <p class="muted">"Updating totals…"</p> }.into_any()
                }
                Err(e) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
                Ok(p) if p.cart.lines.is_empty() => view! {
                    <div class="empty-state">
                        <p>"Your cart is empty."</p>
                        <A href="/storefront">"Browse products"</A>
                    </div>
                }.into_any(),
                Ok(p) => view! { <Review p form=form.clone() /> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn Review(p: CheckoutPreview, form: ViewFn) -> impl IntoView {
    view! {
        <div class=css::checkout>
            <div class="stack">
            <section class="card stack" aria-labelledby="review-title">
                <h2 id="review-title">"Your order"</h2>
                <ul class=css::lines>
                    {p.cart.lines.into_iter().map(|l| view! {
                        <li class=css::line data-testid="checkout-line">
                            <img src=l.image_url alt="" width="56" height="42" />
                            <span>{l.quantity} " × " {l.name}</span>
                            <span>{format_money(l.line_total_cents)}</span>
                        </li>
                    }).collect_view()}
                </ul>
                <TotalsTable totals=p.totals />
            </section>
            {form.run()}
            </div>
            <Suggestions upsell=p.upsell />
        </div>
    }
}

/// Up to three suggested extras, with where they came from (AI model or the local recommender).
#[component]
fn Suggestions(upsell: UpsellOutcome) -> impl IntoView {
    let cart = expect_context::<CartContext>();
    if upsell.source == "off" || upsell.source.is_empty() {
        return ().into_any();
    }
    view! {
        <section class="card stack" aria-labelledby="upsell-title" data-testid="upsell">
            <h2 id="upsell-title">"You might also like"</h2>
            <p class="muted" data-testid="upsell-source">{upsell.label}</p>
            {upsell.fallback_reason.map(|r| view! { <p class="muted">{r}</p> })}
            {if upsell.suggestions.is_empty() {
                view! { <p class="muted">"No suggestions for this cart."</p> }.into_any()
            } else {
                view! {
                    <ul class=css::suggestions>
                        {upsell.suggestions.into_iter().map(|s| {
                            let id = StoredValue::new(s.product_id.clone());
                            let label = format!("Add {} to cart", s.name);
                            view! {
                                <li class=css::suggestion data-testid="suggestion">
                                    <div>
                                        <strong>{s.name.clone()}</strong> " · " {format_money(s.price_cents)}
                                        <div>{s.reason.clone()}</div>
                                        <div class=css::confidence>"Confidence " {format!("{:.0} %", s.confidence * 100.0)}</div>
                                    </div>
                                    <button type="button" class="btn" aria-label=label
                                        on:click=move |_| cart.add(id.get_value(), 1)>"Add"</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
    .into_any()
}
