//! The working side of a challenge: language, editor with autosave, Run / Submit, then the
//! live results and the feedback.

use super::attempts::Attempts;
use super::css;
use super::feedback::FeedbackPanel;
use super::format::{is_final, language_label, parse_language};
use super::results::ResultsPanel;
use crate::challenges::api::{save_draft, submit_code};
use crate::challenges::editor::CodeEditor;
use crate::challenges::model::Language;
use crate::challenges::views::{ChallengeDetail, RunMode, SubmissionView};
use crate::error::ErrorCode;
use leptos::prelude::*;
use std::collections::HashMap;
use std::time::Duration;

/// Quiet time after the last edit before the draft is saved.
const AUTOSAVE_AFTER: Duration = Duration::from_millis(800);

/// The draft's save state, shown next to the editor.
#[derive(Clone, Debug, PartialEq)]
enum SaveState {
    Clean,
    Dirty,
    Done,
    Failed(String),
}

/// Editor, buttons, results and feedback for one challenge.
#[component]
pub fn Workspace(d: ChallengeDetail) -> impl IntoView {
    let challenge_id = StoredValue::new(d.summary.id.clone());
    let starters: HashMap<Language, String> = d
        .variants
        .iter()
        .map(|v| (v.language, v.starter.clone()))
        .collect();
    let mut texts = starters.clone();
    let first = match &d.draft {
        Some(draft) if starters.contains_key(&draft.language) => {
            texts.insert(draft.language, draft.code.clone());
            draft.language
        }
        _ => d.variants.first().map_or(Language::Python, |v| v.language),
    };
    let starters = StoredValue::new(starters);
    let texts = StoredValue::new(texts);
    let language = RwSignal::new(first);
    let code = RwSignal::new(texts.with_value(|t| t.get(&first).cloned().unwrap_or_default()));
    // Bumped to rebuild the editor with new text (language switch, reset, undo).
    let editor_key = RwSignal::new(0u32);
    let undo = RwSignal::new(None::<String>);
    let saved = RwSignal::new(SaveState::Clean);
    let attempts = RwSignal::new(d.attempts);
    let current = RwSignal::new(None::<SubmissionView>);

    let save = Action::new(move |(lang, text): &(Language, String)| {
        save_draft(challenge_id.get_value(), *lang, text.clone())
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(())) if saved.get_untracked() != SaveState::Dirty => saved.set(SaveState::Done),
        Some(Err(e)) => saved.set(SaveState::Failed(e.message)),
        _ => {}
    });
    let edits = StoredValue::new(0u64);
    let set_text = move |text: String, schedule: bool| {
        texts.update_value(|t| {
            t.insert(language.get_untracked(), text.clone());
        });
        code.set(text);
        saved.set(SaveState::Dirty);
        edits.update_value(|n| *n += 1);
        let mine = edits.get_value();
        let lang = language.get_untracked();
        let wait = if schedule {
            AUTOSAVE_AFTER
        } else {
            Duration::ZERO
        };
        set_timeout(
            move || {
                if edits.try_get_value() == Some(mine) {
                    saved.set(SaveState::Clean);
                    save.dispatch((lang, code.get_untracked()));
                }
            },
            wait,
        );
    };
    let on_change = Callback::new(move |text: String| set_text(text, true));

    #[cfg(feature = "hydrate")]
    let following = StoredValue::new_local(None::<super::live::Follow>);
    #[cfg(feature = "hydrate")]
    on_cleanup(move || following.set_value(None));
    let watch = move |view: SubmissionView| {
        #[cfg(feature = "hydrate")]
        {
            let done = super::format::settled(&view);
            let id = view.id.clone();
            current.set(Some(view));
            following.set_value(None);
            if !done {
                following.set_value(Some(super::live::follow(id, current)));
            }
        }
        #[cfg(not(feature = "hydrate"))]
        current.set(Some(view));
    };
    let watch = Callback::new(watch);

    let submit = Action::new(move |mode: &RunMode| {
        submit_code(
            challenge_id.get_value(),
            language.get_untracked(),
            code.get_untracked(),
            *mode,
        )
    });
    let submit_error = RwSignal::new(None::<String>);
    Effect::new(move |_| match submit.value().get() {
        Some(Ok(view)) => {
            submit_error.set(None);
            if view.mode == RunMode::Submit {
                attempts.update(|n| *n += 1);
            }
            watch.run(view);
        }
        Some(Err(e)) => submit_error.set(Some(match (e.code, e.retry_after_secs) {
            (ErrorCode::RateLimited | ErrorCode::Unavailable, Some(secs)) => {
                format!("{} Try again in {secs} s.", e.message.trim_end_matches('.'))
            }
            _ => e.message,
        })),
        None => {}
    });
    let busy = Memo::new(move |_| {
        submit.pending().get() || current.with(|c| c.as_ref().is_some_and(|c| !is_final(c.status)))
    });
    let start = move |mode: RunMode| {
        if !busy.get_untracked() {
            submit.dispatch(mode);
        }
    };
    let on_run = Callback::new(move |()| start(RunMode::Run));

    let variants = d.variants.iter().map(|v| v.language).collect::<Vec<_>>();
    let switch = move |value: String| {
        if let Some(lang) = parse_language(&value) {
            language.set(lang);
            code.set(texts.with_value(|t| t.get(&lang).cloned().unwrap_or_default()));
            undo.set(None);
            editor_key.update(|k| *k += 1);
        }
    };
    let reset = move |_| {
        let lang = language.get_untracked();
        let starter = starters.with_value(|s| s.get(&lang).cloned().unwrap_or_default());
        undo.set(Some(code.get_untracked()));
        set_text(starter, false);
        editor_key.update(|k| *k += 1);
    };
    let restore = move |_| {
        if let Some(previous) = undo.get_untracked() {
            undo.set(None);
            set_text(previous, false);
            editor_key.update(|k| *k += 1);
        }
    };

    view! {
        <div class="stack">
            <section class="card stack" aria-labelledby="code-heading">
                <div class=css::toolbar>
                    <h2 id="code-heading">"Your solution"</h2>
                    <div class="field">
                        <label for="challenge-language">"Language"</label>
                        <select id="challenge-language" prop:value=move || language.get().as_str().to_string()
                            on:change=move |ev| switch(event_target_value(&ev))>
                            {variants.iter().map(|l| view! { <option value=l.as_str()>{language_label(*l)}</option> }).collect_view()}
                        </select>
                    </div>
                    <span class="muted" role="status" data-testid="save-state">
                        {move || match saved.get() {
                            SaveState::Clean if save.pending().get() => "Saving…".to_string(),
                            SaveState::Clean => String::new(),
                            SaveState::Dirty => "Unsaved changes".to_string(),
                            SaveState::Done => "Saved".to_string(),
                            SaveState::Failed(m) => format!("Not saved: {m}"),
                        }}
                    </span>
                </div>
                <div class=css::editor data-testid="editor">
                    {move || {
                        editor_key.track();
                        view! { <CodeEditor initial=code.get_untracked() language=language on_change on_run /> }
                    }}
                </div>
                <div class=css::toolbar>
                    <button type="button" class="btn" disabled=move || busy.get()
                        aria-keyshortcuts="Control+Enter" on:click=move |_| start(RunMode::Run)>
                        "Run"
                    </button>
                    <button type="button" class="btn btn-primary" disabled=move || busy.get()
                        on:click=move |_| start(RunMode::Submit)>
                        "Submit"
                    </button>
                    <button type="button" class="btn btn-ghost" on:click=reset>"Reset to starter"</button>
                    <span class="muted">"Run checks the public tests (Ctrl+Enter); Submit runs them all."</span>
                </div>
                <Show when=move || undo.with(Option::is_some)>
                    <p class=css::notice role="status">
                        "The editor holds the starter code again. "
                        <button type="button" class="btn btn-ghost" on:click=restore>"Undo reset"</button>
                    </p>
                </Show>
                {move || submit_error.get().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
                <Attempts challenge_id=challenge_id.get_value() attempts current />
            </section>
            <ResultsPanel current />
            <FeedbackPanel current on_update=watch />
        </div>
    }
}
