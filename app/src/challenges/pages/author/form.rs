//! The authoring form: the task's text and metadata, language variants and tests. Saving sends
//! the whole challenge; the server's field errors are shown next to their fields and nothing
//! typed is lost.

use super::css;
use super::field::{FieldError, TextField};
use super::fields::{field_errors, unplaced};
use super::rows::{TestFields, VariantFields};
use super::state::{Form, LANGUAGES};
use crate::challenges::api::{create_challenge, update_challenge};
use crate::challenges::pages::format::difficulty_param;
use crate::challenges::pages::format::{difficulty_label, parse_difficulty, DIFFICULTIES};
use crate::challenges::pages::markdown::Markdown;
use crate::challenges::views::ChallengeInput;
use crate::ui::toast;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

/// Top-level fields with a place in the form (other errors go to the summary).
const PLACED: [&str; 10] = [
    "title",
    "summary",
    "description",
    "category",
    "level",
    "estimated_minutes",
    "grading_note",
    "variants",
    "tests",
    "is_public",
];

/// Whether a field path belongs to a row (rows show their own errors).
fn in_row(path: &str) -> bool {
    path.starts_with("variants[") || path.starts_with("tests[")
}

/// The form for a new challenge (`id` None) or an existing one.
#[component]
pub fn AuthorForm(form: Form, id: Option<String>) -> impl IntoView {
    let editing = id.is_some();
    let id = StoredValue::new(id);
    let message = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let save = Action::new(move |input: &ChallengeInput| {
        let input = input.clone();
        let id = id.get_value();
        async move {
            match id {
                Some(id) => update_challenge(id, input).await,
                None => create_challenge(input).await,
            }
        }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(d)) => {
            let verb = if editing { "Saved" } else { "Created" };
            toast::push(
                toast::ToastKind::Success,
                format!("{verb} “{}”.", d.summary.title),
            );
            navigate(&format!("/challenges/{}", d.summary.id), Default::default());
        }
        Some(Err(e)) => {
            let errors = field_errors(&e);
            message.set(Some(if errors.is_empty() {
                e.message.clone()
            } else {
                format!("{} Fix the marked fields and save again.", e.message)
            }));
            form.errors.set(errors);
        }
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match form.collect() {
            Ok(input) => {
                message.set(None);
                save.dispatch(input);
            }
            Err(errors) => {
                message.set(Some("Some expected values are not valid JSON.".into()));
                form.errors.set(errors);
            }
        }
    };
    let others = move || {
        form.errors.with(|e| {
            let placed: Vec<String> = e
                .keys()
                .filter(|k| PLACED.contains(&k.as_str()) || in_row(k))
                .cloned()
                .collect();
            unplaced(e, &placed)
                .into_iter()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
    };
    let preview = RwSignal::new(false);
    let path = |p: &'static str| Signal::derive(move || p.to_string());
    let cancel = if editing {
        format!("/challenges/{}", id.get_value().unwrap_or_default())
    } else {
        "/challenges".to_string()
    };

    view! {
        <form class=css::form on:submit=submit novalidate=true aria-label="Challenge">
            <section class="card stack" aria-labelledby="author-about">
                <h2 id="author-about">"About the task"</h2>
                <TextField form id="author-title" path=path("title") label="Title" value=form.title required=true />
                <TextField form id="author-summary" path=path("summary") label="Summary"
                    hint="One line for the list; the description's first line is used when empty." value=form.summary />
                <TextField form id="author-description" path=path("description") label="Description (Markdown)"
                    hint="Headings, lists, `code`, **bold**, *italic* and fenced code blocks." value=form.description rows=10 required=true />
                <button type="button" class="btn btn-ghost" aria-expanded=move || preview.get().to_string()
                    aria-controls="author-preview" on:click=move |_| preview.update(|p| *p = !*p)>
                    {move || if preview.get() { "Hide preview" } else { "Show preview" }}
                </button>
                <div id="author-preview" class=css::preview hidden=move || !preview.get() data-testid="author-preview">
                    {move || preview.get().then(|| view! { <Markdown text=form.description.get() /> })}
                </div>
                <div class=css::grid>
                    <div class="field">
                        <label for="author-difficulty">"Difficulty"</label>
                        <select id="author-difficulty" prop:value=move || difficulty_param(form.difficulty.get())
                            on:change=move |ev| if let Some(d) = parse_difficulty(&event_target_value(&ev)) { form.difficulty.set(d) }>
                            {DIFFICULTIES.into_iter().map(|d| view! {
                                <option value=difficulty_param(d) selected=move || form.difficulty.get() == d>{difficulty_label(d)}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <TextField form id="author-level" path=path("level") label="Level (1–10)" value=form.level kind="number" />
                    <TextField form id="author-estimated_minutes" path=path("estimated_minutes") label="Estimated minutes"
                        value=form.minutes kind="number" />
                    <TextField form id="author-category" path=path("category") label="Category" value=form.category required=true />
                </div>
                <div class=css::grid>
                    <TextField form id="author-skills" path=path("skills") label="Skills" hint="Comma-separated tags." value=form.skills />
                    <TextField form id="author-tools" path=path("tools") label="Tools" hint="Comma-separated tags." value=form.tools />
                    <TextField form id="author-roles" path=path("roles") label="Roles" hint="Comma-separated." value=form.roles />
                </div>
                <TextField form id="author-objectives" path=path("objectives") label="Learning objectives"
                    hint="One per line." value=form.objectives rows=3 />
                <TextField form id="author-hints" path=path("hints") label="Hints" hint="One per line, shown one at a time." value=form.hints rows=3 />
                <TextField form id="author-grading_note" path=path("grading_note") label="How it is graded" value=form.grading_note rows=2 />
                <div class=css::check_box>
                    <input id="author-is_public" type="checkbox" prop:checked=move || form.is_public.get()
                        aria-describedby="author-is_public-hint"
                        on:change=move |ev| form.is_public.set(event_target_checked(&ev)) />
                    <label for="author-is_public">"Public: everyone in your organisation can see it"</label>
                </div>
                <span id="author-is_public-hint" class="field-hint">"A private challenge is seen only by you and admins."</span>
            </section>
            <section class="card stack" aria-labelledby="author-variants">
                <h2 id="author-variants">"Languages"</h2>
                <FieldError form id="author-variants-error" path=path("variants") />
                <For each=move || form.variants.get() key=|r| r.key let:row>
                    <VariantFields form row />
                </For>
                <button type="button" class="btn" disabled=move || form.variants.with(|v| v.len() >= LANGUAGES.len())
                    on:click=move |_| form.add_variant()>"Add a language"</button>
            </section>
            <section class="card stack" aria-labelledby="author-tests">
                <h2 id="author-tests">"Tests"</h2>
                <FieldError form id="author-tests-error" path=path("tests") />
                <For each=move || form.tests.get() key=|r| r.key let:row>
                    <TestFields form row />
                </For>
                <button type="button" class="btn" on:click=move |_| form.add_test()>"Add a test"</button>
            </section>
            <div class=css::actions>
                {move || message.get().map(|m| view! {
                    <div class="form-error" role="alert" data-testid="author-error">
                        <p>{m}</p>
                        <ul>{others().into_iter().map(|o| view! { <li>{o}</li> }).collect_view()}</ul>
                    </div>
                })}
                <button type="submit" class="btn btn-primary" disabled=move || save.pending().get()>
                    {move || match (save.pending().get(), editing) {
                        (true, _) => "Saving…",
                        (false, true) => "Save changes",
                        (false, false) => "Create challenge",
                    }}
                </button>
                <A href=cancel attr:class="btn btn-ghost">"Cancel"</A>
            </div>
        </form>
    }
}
