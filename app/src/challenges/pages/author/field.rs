//! A labelled text field whose server error is shown next to it (`aria-invalid`,
//! `aria-describedby`), and a field group for code editors.

use super::state::Form;
use leptos::prelude::*;

/// A labelled input or textarea bound to `value`; `path` is the field's key in the errors.
#[component]
pub fn TextField(
    form: Form,
    /// Element id (unique on the page).
    #[prop(into)]
    id: String,
    /// Key of the field in the server's `details` (reactive: row indices may change).
    #[prop(into)]
    path: Signal<String>,
    label: &'static str,
    value: RwSignal<String>,
    /// Shown under the field and linked to it.
    #[prop(optional)]
    hint: Option<&'static str>,
    /// Lines of a textarea; a one-line input when 0.
    #[prop(optional)]
    rows: u32,
    /// `type` of a one-line input (default `text`).
    #[prop(optional)]
    kind: Option<&'static str>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let error = Memo::new(move |_| form.error(&path.get()));
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = {
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if error.with(Option::is_some) {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let invalid = move || error.with(Option::is_some).to_string();
    let input = if rows > 0 {
        view! {
            <textarea id=id.clone() rows=rows aria-invalid=invalid aria-describedby=described.clone()
                required=required prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))></textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=id.clone() type=kind.unwrap_or("text") aria-invalid=invalid
                aria-describedby=described required=required prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev)) />
        }
        .into_any()
    };
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            {input}
            {hint.map(|h| view! { <span id=hint_id class="field-hint">{h}</span> })}
            {move || error.get().map(|m| view! { <span id=error_id.clone() class="field-error">{m}</span> })}
        </div>
    }
}

/// The error of a field that is not an input (a code editor, a group), with its id.
#[component]
pub fn FieldError(
    form: Form,
    #[prop(into)] id: String,
    #[prop(into)] path: Signal<String>,
) -> impl IntoView {
    let error = Memo::new(move |_| form.error(&path.get()));
    view! {
        {move || error.get().map(|m| view! { <span id=id.clone() class="field-error">{m}</span> })}
    }
}
