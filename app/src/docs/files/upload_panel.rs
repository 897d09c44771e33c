//! The Files page's upload panel: file picker and drop zone, checks before sending, and the
//! progress of the upload.

use super::model::{format_size, too_large_message, AccessLevel, FileMeta, EMPTY_FILE_MESSAGE};
use super::name::validate_filename;
use super::pages::css;
use leptos::html;
use leptos::prelude::*;

/// Where an upload is at (only the browser uploads, so the server never builds some phases).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
enum Phase {
    Idle,
    Uploading { name: String, percent: u8 },
    Done { name: String },
    Failed { message: String },
}

/// Why the page will not send a file (the server says the same if it is sent anyway).
fn refuse(name: &str, size: u64, max_bytes: Option<u64>) -> Option<String> {
    if let Err(problem) = validate_filename(name) {
        return Some(problem.message().to_string());
    }
    if size == 0 {
        return Some(EMPTY_FILE_MESSAGE.to_string());
    }
    match max_bytes {
        Some(max) if size > max => Some(too_large_message(max)),
        _ => None,
    }
}

/// The upload form: a file input inside a drop zone, the access level, progress and errors.
#[component]
pub(super) fn UploadPanel(
    max_bytes: Option<u64>,
    on_uploaded: Callback<FileMeta>,
) -> impl IntoView {
    let access = RwSignal::new(AccessLevel::Tenant);
    let chosen = RwSignal::new(None::<(String, u64)>);
    let phase = RwSignal::new(Phase::Idle);
    let dragging = RwSignal::new(false);
    let input = NodeRef::<html::Input>::new();
    // The chosen `web_sys::File` and the request in flight are browser values in thread-local
    // storage, created in the browser only: a server render may be cleaned up on another
    // thread, where dropping them panics.
    #[cfg(feature = "hydrate")]
    let file = StoredValue::new_local(None::<web_sys::File>);
    #[cfg(feature = "hydrate")]
    let request = StoredValue::new_local(None::<super::upload::Upload>);
    #[cfg(feature = "hydrate")]
    on_cleanup(move || {
        request.try_with_value(|r| {
            if let Some(r) = r {
                r.cancel();
            }
        });
    });

    let clear_choice = move || {
        chosen.set(None);
        #[cfg(feature = "hydrate")]
        file.set_value(None);
        if let Some(el) = input.get_untracked() {
            el.set_value("");
        }
    };
    let choose = move |picked: Option<web_sys::File>| {
        let Some(picked) = picked else {
            clear_choice();
            return;
        };
        let (name, size) = (picked.name(), picked.size() as u64);
        match refuse(&name, size, max_bytes) {
            Some(message) => {
                clear_choice();
                phase.set(Phase::Failed { message });
            }
            None => {
                phase.set(Phase::Idle);
                chosen.set(Some((name, size)));
                #[cfg(feature = "hydrate")]
                file.set_value(Some(picked));
            }
        }
    };
    let uploading = move || matches!(phase.get(), Phase::Uploading { .. });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        {
            if uploading() {
                return;
            }
            let Some(picked) = file.get_value() else {
                phase.set(Phase::Failed {
                    message: "Choose a file to upload first.".to_string(),
                });
                return;
            };
            let name = picked.name();
            phase.set(Phase::Uploading {
                name: name.clone(),
                percent: 0,
            });
            let progress_name = name.clone();
            let started = super::upload::start(
                &picked,
                access.get_untracked(),
                move |percent| {
                    phase.set(Phase::Uploading {
                        name: progress_name.clone(),
                        percent,
                    })
                },
                move |result| match result {
                    Ok(meta) => {
                        phase.set(Phase::Done {
                            name: meta.filename.clone(),
                        });
                        clear_choice();
                        on_uploaded.run(meta);
                    }
                    Err(message) => phase.set(Phase::Failed { message }),
                },
            );
            match started {
                Ok(upload) => request.set_value(Some(upload)),
                Err(message) => phase.set(Phase::Failed { message }),
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = on_uploaded;
    };
    #[cfg(feature = "hydrate")]
    let cancel = move |_| {
        request.with_value(|r| {
            if let Some(r) = r {
                r.cancel();
            }
        })
    };
    #[cfg(not(feature = "hydrate"))]
    let cancel = move |_| {};

    let limit_hint = match max_bytes {
        Some(max) => format!("Or drag and drop a file here. Up to {}.", format_size(max)),
        None => "Or drag and drop a file here.".to_string(),
    };
    let error = move || match phase.get() {
        Phase::Failed { message } => Some(message),
        _ => None,
    };

    view! {
        <section class="card stack" aria-labelledby="upload-heading">
            <h2 id="upload-heading">"Upload a file"</h2>
            <form class=css::upload on:submit=submit novalidate>
                <div
                    class=move || if dragging.get() { format!("{} {}", css::dropzone, css::dragging) } else { css::dropzone.to_string() }
                    data-testid="dropzone"
                    on:dragenter=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); dragging.set(true); }
                    on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); dragging.set(true); }
                    on:dragleave=move |_| dragging.set(false)
                    on:drop=move |ev: leptos::ev::DragEvent| {
                        ev.prevent_default();
                        dragging.set(false);
                        choose(ev.data_transfer().and_then(|dt| dt.files()).and_then(|list| list.get(0)));
                    }
                >
                    <div class="field">
                        <label for="file-input">"File"</label>
                        <input
                            id="file-input"
                            name="file"
                            type="file"
                            node_ref=input
                            aria-describedby="file-hint"
                            aria-invalid=move || if error().is_some() { "true" } else { "false" }
                            on:change=move |ev| {
                                let el: web_sys::HtmlInputElement = event_target(&ev);
                                choose(el.files().and_then(|list| list.get(0)));
                            }
                        />
                    </div>
                    <p id="file-hint" class="field-hint">{limit_hint}</p>
                    <Show when=move || chosen.with(Option::is_some)>
                        <p class=css::chosen data-testid="chosen-file">
                            {move || chosen.get().map(|(name, size)| format!("Selected: {name} ({})", format_size(size)))}
                        </p>
                    </Show>
                </div>
                <div class="field">
                    <label for="access-level">"Who can see it"</label>
                    <select
                        id="access-level"
                        name="access_level"
                        on:change=move |ev| access.set(AccessLevel::parse(&event_target_value(&ev)).unwrap_or(AccessLevel::Tenant))
                    >
                        <option value="tenant" selected>"Everyone in my organisation"</option>
                        <option value="private">"Only me (and admins)"</option>
                    </select>
                </div>
                <div class="row">
                    <button type="submit" class="btn btn-primary" disabled=uploading aria-busy=move || uploading().to_string()>
                        {move || if uploading() { "Uploading…" } else { "Upload" }}
                    </button>
                    <Show when=uploading>
                        <button type="button" class="btn btn-ghost" on:click=cancel>"Cancel upload"</button>
                    </Show>
                </div>
            </form>
            <UploadProgress phase />
            {move || error().map(|message| view! {
                <p class="form-error" role="alert" data-testid="upload-error">{message}</p>
            })}
        </section>
    }
    .into_any()
}

/// The progress bar while sending, and the outcome after.
#[component]
fn UploadProgress(phase: RwSignal<Phase>) -> impl IntoView {
    let percent = move || match phase.get() {
        Phase::Uploading { percent, .. } => Some(percent),
        Phase::Done { .. } => Some(100),
        _ => None,
    };
    let label = move || match phase.get() {
        Phase::Uploading { name, percent } => format!("Uploading {name}… {percent}%"),
        Phase::Done { name } => format!("Uploaded {name}."),
        _ => String::new(),
    };
    view! {
        <div class=css::progress hidden=move || percent().is_none()>
            <progress
                max="100"
                value=move || percent().unwrap_or(0).to_string()
                aria-labelledby="upload-status"
                data-testid="upload-progress"
            ></progress>
        </div>
        <p id="upload-status" class="muted" role="status" data-testid="upload-status">{label}</p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_refuses_what_the_server_would() {
        assert_eq!(refuse("report.pdf", 10, Some(100)), None);
        assert_eq!(refuse("report.pdf", 10, None), None);
        assert_eq!(
            refuse("report.pdf", 101, Some(100)),
            Some("File is larger than 100 bytes.".to_string())
        );
        assert_eq!(
            refuse("report.pdf", 0, Some(100)),
            Some(EMPTY_FILE_MESSAGE.to_string())
        );
        assert!(refuse("", 1, None).is_some());
    }
}
