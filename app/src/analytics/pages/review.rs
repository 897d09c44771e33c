//! The review cell of an anomaly row: its status, and buttons to confirm, dismiss or undo
//! (`PATCH /api/v1/tenants/{tenant}/price-anomalies/{event_id}`).

use super::css;
use crate::analytics::catalog::model::PriceAnomaly;
use leptos::prelude::*;

/// What the status reads as on the page.
pub(super) fn status_label(status: &str) -> &'static str {
    match status {
        "confirmed" => "Confirmed",
        "dismissed" => "Dismissed",
        _ => "Needs review",
    }
}

/// The status of one anomaly and its review buttons. `list` is updated with the server's answer;
/// a failure is shown in `error` and changes nothing.
#[component]
pub(super) fn ReviewCell(
    tenant: String,
    anomaly: PriceAnomaly,
    list: RwSignal<Vec<PriceAnomaly>>,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let event_id = anomaly.event_id.clone();
    let status = Memo::new({
        let event_id = event_id.clone();
        move |_| {
            list.with(|l| {
                l.iter()
                    .find(|a| a.event_id == event_id)
                    .map(|a| a.review_status.clone())
                    .unwrap_or_default()
            })
        }
    });
    let busy = RwSignal::new(false);
    let send = move |to: &'static str| {
        busy.set(true);
        #[cfg(feature = "hydrate")]
        {
            let url = format!(
                "/api/v1/tenants/{tenant}/price-anomalies/{}",
                String::from(js_sys::encode_uri_component(&event_id))
            );
            leptos::task::spawn_local(async move {
                let body = crate::analytics::catalog::model::AnomalyReview {
                    review_status: to.to_string(),
                };
                match super::browser::patch_json::<PriceAnomaly>(&url, &body).await {
                    Ok(updated) => {
                        error.set(None);
                        list.update(|l| {
                            if let Some(a) = l.iter_mut().find(|a| a.event_id == updated.event_id) {
                                a.review_status = updated.review_status;
                            }
                        });
                    }
                    Err(message) => error.set(Some(message)),
                }
                busy.set(false);
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (to, &tenant, &event_id, error);
    };
    let product = anomaly.product_id.clone();
    let send_confirm = send.clone();
    let send_dismiss = send.clone();
    view! {
        <td data-testid="anomaly-review"><div class=css::review>
            <span class="badge" data-status=move || status.get()>{move || status_label(&status.get())}</span>
            <Show when=move || status.get() == "pending"
                fallback=move || {
                    let send = send.clone();
                    view! {
                        <button type="button" class="btn btn-ghost" disabled=move || busy.get()
                            on:click=move |_| send("pending")>"Undo"</button>
                    }
                }>
                {
                    let (confirm, dismiss) = (send_confirm.clone(), send_dismiss.clone());
                    let product = product.clone();
                    view! {
                        <button type="button" class="btn" disabled=move || busy.get()
                            aria-label=format!("Confirm the anomaly of {product}")
                            on:click=move |_| confirm("confirmed")>"Confirm"</button>
                        <button type="button" class="btn btn-ghost" disabled=move || busy.get()
                            on:click=move |_| dismiss("dismissed")>"Dismiss"</button>
                    }
                }
            </Show>
        </div></td>
    }
}
