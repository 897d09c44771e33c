//! The ingest page (`/dashboards/ingest`): choose an NDJSON (or CSV) file of orders, upload it
//! with a progress bar, then read the report: counts, time and the rows that failed.

use super::format::count;
use super::{css, DashboardsNav};
use crate::analytics::ingest::model::{IngestReport, MAX_REPORTED_ERRORS};
use leptos::html;
use leptos::prelude::*;
use leptos_meta::Title;

/// Where an upload is at (only the browser uploads, so the server never builds some phases).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
enum Phase {
    Idle,
    Uploading { percent: u8 },
    Done(IngestReport),
    Failed(String),
}

/// Upload orders and see what was stored.
#[component]
pub fn IngestPage() -> impl IntoView {
    let phase = RwSignal::new(Phase::Idle);
    let input = NodeRef::<html::Input>::new();
    #[cfg(feature = "hydrate")]
    let request = StoredValue::new_local(None::<super::upload::Upload>);
    #[cfg(feature = "hydrate")]
    on_cleanup(move || {
        request.try_with_value(|r| r.as_ref().map(super::upload::Upload::cancel));
    });
    let uploading = move || matches!(phase.get(), Phase::Uploading { .. });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        {
            if uploading() {
                return;
            }
            let picked = input
                .get_untracked()
                .and_then(|el| el.files())
                .and_then(|list| list.get(0));
            let Some(picked) = picked else {
                phase.set(Phase::Failed("Choose a file of orders first.".to_string()));
                return;
            };
            if picked.size() == 0.0 {
                phase.set(Phase::Failed("The file is empty.".to_string()));
                return;
            }
            phase.set(Phase::Uploading { percent: 0 });
            let started = super::upload::start(
                &picked,
                move |percent| phase.set(Phase::Uploading { percent }),
                move |result| {
                    phase.set(match result {
                        Ok(report) => Phase::Done(report),
                        Err(message) => Phase::Failed(message),
                    })
                },
            );
            match started {
                Ok(upload) => request.set_value(Some(upload)),
                Err(message) => phase.set(Phase::Failed(message)),
            }
        }
    };
    let percent = move || match phase.get() {
        Phase::Uploading { percent } => Some(percent),
        Phase::Done(_) => Some(100),
        _ => None,
    };
    let status = move || match phase.get() {
        Phase::Uploading { percent } if percent >= 100 => {
            "Uploaded; storing the orders…".to_string()
        }
        Phase::Uploading { percent } => format!("Uploading… {percent}%"),
        Phase::Done(_) => "Done.".to_string(),
        _ => String::new(),
    };

    view! {
        <Title text="Ingest orders" />
        <div class="stack">
            <h1 class="page-title">"Ingest orders"</h1>
            <DashboardsNav />
            <section class="card stack" aria-labelledby="ingest-heading">
                <h2 id="ingest-heading">"Upload a file of orders"</h2>
                <form class=css::controls on:submit=submit novalidate>
                    <div class="field">
                        <label for="ingest-file">"Orders file (NDJSON or CSV)"</label>
                        <input id="ingest-file" type="file" node_ref=input
                            accept=".ndjson,.jsonl,.json,.csv,application/x-ndjson,text/csv"
                            aria-describedby="ingest-hint"
                            on:change=move |_| phase.set(Phase::Idle) />
                        <p id="ingest-hint" class="field-hint">
                            "One order per line. Orders already stored (same order id) are replaced."
                        </p>
                    </div>
                    <div class="row">
                        <button type="submit" class="btn btn-primary" disabled=uploading
                            aria-busy=move || uploading().to_string()>
                            {move || if uploading() { "Uploading…" } else { "Upload" }}
                        </button>
                    </div>
                </form>
                <div class=css::progress hidden=move || percent().is_none()>
                    <progress max="100" value=move || percent().unwrap_or(0).to_string()
                        aria-labelledby="ingest-status" data-testid="ingest-progress"></progress>
                </div>
                <p id="ingest-status" class="muted" role="status">{status}</p>
                {move || match phase.get() {
                    Phase::Failed(message) => Some(view! {
                        <p class="form-error" role="alert" data-testid="ingest-error">{message}</p>
                    }),
                    _ => None,
                }}
            </section>
            {move || match phase.get() {
                Phase::Done(report) => Some(view! { <IngestSummary report /> }),
                _ => None,
            }}
        </div>
    }
}

/// Counts, time and the failed rows of one upload.
#[component]
fn IngestSummary(report: IngestReport) -> impl IntoView {
    let truncated = (report.rows_failed as usize > report.errors.len()).then(|| {
        format!(
            "The first {} of {} failed rows are listed.",
            report.errors.len().min(MAX_REPORTED_ERRORS),
            count(report.rows_failed)
        )
    });
    let errors = report.errors.clone();
    view! {
        <section class="card stack" aria-labelledby="summary-heading" data-testid="ingest-summary">
            <h2 id="summary-heading">"Ingest report"</h2>
            <dl class=css::kpis>
                <div class=css::kpi><dt>"Received"</dt><dd data-testid="rows-received">{count(report.rows_received)}</dd></div>
                <div class=css::kpi><dt>"Inserted"</dt><dd data-testid="rows-inserted">{count(report.rows_inserted)}</dd></div>
                <div class=css::kpi><dt>"Failed"</dt><dd data-testid="rows-failed">{count(report.rows_failed)}</dd></div>
                <div class=css::kpi><dt>"Time"</dt><dd data-testid="processing-time">{format!("{} ms", report.processing_time_ms)}</dd></div>
            </dl>
            {if errors.is_empty() {
                view! { <p class="muted">"Every row was stored."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="table" data-testid="row-errors">
                            <caption>"Rows that were not stored"</caption>
                            <thead><tr>
                                <th scope="col" class=css::num>"Line"</th>
                                <th scope="col">"Field"</th>
                                <th scope="col">"Reason"</th>
                            </tr></thead>
                            <tbody>
                                {errors.into_iter().map(|e| view! {
                                    <tr>
                                        <td class=css::num>{e.line}</td>
                                        <td><code>{e.field}</code></td>
                                        <td>{e.reason}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            {truncated.map(|t| view! { <p class="muted">{t}</p> })}
        </section>
    }
}
