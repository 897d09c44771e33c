//! The repeating parts of the form: language variants (starter code and reference solution in
//! the code editor) and tests (name, description, hidden, one check per language).

use super::collect::check_path;
use super::css;
use super::field::{FieldError, TextField};
use super::state::{CheckRow, Form, TestRow, VariantRow, LANGUAGES};
use crate::challenges::editor::{CodeEditor, CodeEditorHandle};
use crate::challenges::model::Language;
use crate::challenges::pages::format::{language_label, parse_language};
use leptos::prelude::*;

/// One language variant.
#[component]
pub fn VariantFields(form: Form, row: VariantRow) -> impl IntoView {
    let key = row.key;
    let index = Memo::new(move |_| {
        form.variants
            .with(|v| v.iter().position(|r| r.key == key))
            .unwrap_or(0)
    });
    let path = move |field: &'static str| {
        Signal::derive(move || format!("variants[{}].{field}", index.get()))
    };
    let lang_id = format!("author-v{key}-language");
    let lang_err = format!("{lang_id}-error");
    let label = move || language_label(row.language.get());
    // Points at the error only while there is one.
    let described = move |field: &'static str, id: String| {
        move || form.error(&path(field).get()).map(|_| id.clone())
    };
    view! {
        <fieldset class=css::row data-testid="variant-row">
            <legend>{move || format!("Language {}: {}", index.get() + 1, label())}</legend>
            <div class="field">
                <label for=lang_id.clone()>"Language"</label>
                <select id=lang_id.clone()
                    aria-invalid=move || form.error(&path("language").get()).is_some().to_string()
                    aria-describedby=described("language", lang_err.clone())
                    prop:value=move || row.language.get().as_str()
                    on:change=move |ev| {
                        if let Some(l) = parse_language(&event_target_value(&ev)) {
                            row.language.set(l);
                            form.ensure_checks();
                        }
                    }>
                    {LANGUAGES.into_iter().map(|l| view! {
                        <option value=l.as_str() selected=move || row.language.get() == l>{language_label(l)}</option>
                    }).collect_view()}
                </select>
                <FieldError form id=lang_err.clone() path=path("language") />
            </div>
            <CodeField form key part="starter" heading="Starter code (what students start from)"
                editor_label="Starter code" index path=path("starter") language=row.language
                text=row.starter handle=row.starter_editor />
            <CodeField form key part="solution" heading="Reference solution (never shown to students)"
                editor_label="Reference solution" index path=path("solution") language=row.language
                text=row.solution handle=row.solution_editor />
            <Show when=move || row.language.get() == Language::Sql>
                <TextField form id=format!("author-v{key}-setup") path=path("setup") label="Database setup (SQL run before the student's SQL)"
                    value=row.setup rows=5 />
            </Show>
            {move || row.files.with_value(|f| (!f.is_empty()).then(|| view! {
                <p class="muted">{format!("{} support file(s) are kept as they are.", f.len())}</p>
            }))}
            <button type="button" class="btn btn-ghost" disabled=move || form.variants.with(|v| v.len() <= 1)
                aria-label=move || format!("Remove the {} variant", label())
                on:click=move |_| form.variants.update(|v| v.retain(|r| r.key != key))>
                "Remove language"
            </button>
        </fieldset>
    }
}

/// A variant's code in the editor (starter or solution), labelled, with its field error.
#[component]
#[allow(clippy::too_many_arguments)]
fn CodeField(
    form: Form,
    key: u64,
    /// `starter` or `solution`: the ids and the error path use it.
    part: &'static str,
    heading: &'static str,
    editor_label: &'static str,
    index: Memo<usize>,
    path: Signal<String>,
    language: RwSignal<Language>,
    text: RwSignal<String>,
    handle: CodeEditorHandle,
) -> impl IntoView {
    let label_id = format!("author-v{key}-{part}-label");
    let err_id = format!("author-v{key}-{part}-error");
    let described = {
        let err_id = err_id.clone();
        move || form.error(&path.get()).map(|_| err_id.clone())
    };
    view! {
        <div class=css::code role="group" aria-labelledby=label_id.clone() aria-describedby=described>
            <span id=label_id.clone() class=css::code_label>{heading}</span>
            <CodeEditor initial=text.get_untracked() language
                on_change=Callback::new(move |t| text.set(t)) on_run=Callback::new(|_: ()| {})
                handle label=format!("{editor_label}, language {}", index.get_untracked() + 1) />
            <FieldError form id=err_id path />
        </div>
    }
}
/// One test with a check per offered language.
#[component]
pub fn TestFields(form: Form, row: TestRow) -> impl IntoView {
    let key = row.key;
    let index = Memo::new(move |_| {
        form.tests
            .with(|v| v.iter().position(|r| r.key == key))
            .unwrap_or(0)
    });
    let hidden_id = format!("author-t{key}-hidden");
    let checks = move || {
        let languages = form.languages();
        row.checks.with(|c| {
            languages
                .iter()
                .filter_map(|l| c.iter().find(|x| x.language == *l).copied())
                .collect::<Vec<_>>()
        })
    };
    view! {
        <fieldset class=css::row data-testid="test-row">
            <legend>{move || format!("Test {}", index.get() + 1)}</legend>
            <div class=css::pair>
                <TextField form id=format!("author-t{key}-name") required=true
                    path=Signal::derive(move || format!("tests[{}].name", index.get())) label="Test name" value=row.name />
                <TextField form id=format!("author-t{key}-description")
                    path=Signal::derive(move || format!("tests[{}].description", index.get()))
                    label="Description (shown to students)" value=row.description />
            </div>
            <div class=css::check_box>
                <input id=hidden_id.clone() type="checkbox" prop:checked=move || row.hidden.get()
                    on:change=move |ev| row.hidden.set(event_target_checked(&ev)) />
                <label for=hidden_id>"Hidden test: students see only whether it passed"</label>
            </div>
            <For each=checks key=|c| c.language let:check>
                <CheckFields form test_key=key index check />
            </For>
            <button type="button" class="btn btn-ghost" disabled=move || form.tests.with(|t| t.len() <= 1)
                aria-label=move || format!("Remove test {}", index.get() + 1)
                on:click=move |_| form.tests.update(|t| t.retain(|r| r.key != key))>
                "Remove test"
            </button>
        </fieldset>
    }
}

/// A test's body and expected value in one language.
#[component]
fn CheckFields(form: Form, test_key: u64, index: Memo<usize>, check: CheckRow) -> impl IntoView {
    let lang = check.language;
    let base = format!("author-t{test_key}-{}", lang.as_str());
    let order_id = format!("{base}-unordered");
    let name = language_label(lang);
    view! {
        <div class=css::check data-testid="test-check" data-language=lang.as_str()>
            <TextField form id=format!("{base}-code") rows=3
                path=Signal::derive(move || check_path(index.get(), lang, "code"))
                label=match lang { Language::Python => "Python test code", Language::Javascript => "JavaScript test code", Language::Sql => "SQL test query" }
                hint=match lang {
                    Language::Sql => "Runs on a copy of the database after the student's SQL; its rows are compared.",
                    _ => "A function body run after loading the student's code: return a value to compare, or assert.",
                }
                value=check.code />
            <TextField form id=format!("{base}-expected")
                path=Signal::derive(move || check_path(index.get(), lang, "expected"))
                label=match lang { Language::Python => "Python expected value (JSON)", Language::Javascript => "JavaScript expected value (JSON)", Language::Sql => "SQL expected rows (JSON)" }
                hint="Empty: the test passes when the code runs without an error."
                value=check.expected />
            <div class=css::check_box>
                <input id=order_id.clone() type="checkbox" prop:checked=move || check.unordered.get()
                    on:change=move |ev| check.unordered.set(event_target_checked(&ev)) />
                <label for=order_id>{format!("{name}: compare lists ignoring order")}</label>
            </div>
        </div>
    }
}
