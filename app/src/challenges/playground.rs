//! `/challenges/playground`: a free code editor to try the editor island with — language and
//! theme switches, a 2,000-line sample, a live line/character count, a run counter and a draft
//! per language kept in localStorage.

use super::editor::{page_prefers_dark, CodeEditor, CodeEditorHandle};
use super::model::Language;
use leptos::prelude::*;
use leptos_meta::Title;

stylance::import_crate_style!(pub(crate) css, "src/challenges/playground.module.css");

const LANGUAGES: [Language; 3] = [Language::Python, Language::Javascript, Language::Sql];

/// Lines in the "Load 2,000-line sample" text.
pub const SAMPLE_LINES: usize = 2_000;

fn label(lang: Language) -> &'static str {
    match lang {
        Language::Python => "Python",
        Language::Javascript => "JavaScript",
        Language::Sql => "SQL",
    }
}

fn parse(value: &str) -> Language {
    match value {
        "javascript" => Language::Javascript,
        "sql" => Language::Sql,
        _ => Language::Python,
    }
}

/// The text a language starts with (and "Reset to starter" restores).
pub fn starter(lang: Language) -> &'static str {
    match lang {
        Language::Python => "def greet(name):\n    return f\"Hello, {name}!\"\n\nprint(greet(\"Atrium\"))\n",
        Language::Javascript => {
            "function greet(name) {\n  return `Hello, ${name}!`;\n}\n\nconsole.log(greet(\"Atrium\"));\n"
        }
        Language::Sql => {
            "SELECT name, COUNT(*) AS orders\nFROM customers\nGROUP BY name\nORDER BY orders DESC;\n"
        }
    }
}

/// A sample of exactly [`SAMPLE_LINES`] lines (each block is five lines).
pub fn sample(lang: Language) -> String {
    let mut out = String::with_capacity(SAMPLE_LINES * 24);
    for i in 0..SAMPLE_LINES / 5 {
        let block = match lang {
            Language::Python => format!(
                "def step_{i}(x):\n    if x > {i}:\n        return x * 2  # double\n    return x + {i}\n\n"
            ),
            Language::Javascript => format!(
                "function step{i}(x) {{\n  if (x > {i}) return x * 2; // double\n  return x + {i};\n}}\n\n"
            ),
            Language::Sql => format!(
                "-- step {i}\nSELECT id, total * 2 AS doubled\nFROM orders\nWHERE total > {i}\nORDER BY id;\n"
            ),
        };
        out.push_str(&block);
    }
    // Without the final newline: 2,000 lines, not 2,001.
    out.pop();
    out
}

fn draft_key(lang: Language) -> String {
    format!("atrium-playground:{}", lang.as_str())
}

fn storage() -> Option<web_sys::Storage> {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window()?.local_storage().ok().flatten()
    }
    #[cfg(not(feature = "hydrate"))]
    None
}

fn load_draft(lang: Language) -> Option<String> {
    storage()?.get_item(&draft_key(lang)).ok().flatten()
}

fn save_draft(lang: Language, text: &str) {
    if let Some(s) = storage() {
        // A full quota only loses the draft, never the text in the editor.
        let _ = s.set_item(&draft_key(lang), text);
    }
}

/// The playground page.
#[component]
pub fn PlaygroundPage() -> impl IntoView {
    let language = RwSignal::new(Language::Python);
    let dark = RwSignal::new(false);
    let runs = RwSignal::new(0u32);
    let counts = RwSignal::new(count(starter(Language::Python)));
    let handle = CodeEditorHandle::new();

    let refresh_counts = move || {
        if let Some((lines, chars)) = handle.stats() {
            counts.set((lines as usize, chars as usize));
        }
    };
    let on_change = Callback::new(move |text: String| {
        save_draft(language.get_untracked(), &text);
        // From the text itself: the textarea fallback has no editor to ask.
        counts.set(count(&text));
    });
    let on_run = Callback::new(move |_| runs.update(|n| *n += 1));

    // Start in the page's theme (unknown to the server).
    Effect::new(move |_| dark.set(page_prefers_dark()));
    // Once mounted, bring back this language's draft (localStorage is unknown to the server).
    let restored = StoredValue::new(false);
    Effect::new(move |_| {
        if handle.ready() && !restored.get_value() {
            restored.set_value(true);
            if let Some(draft) = load_draft(language.get_untracked()) {
                handle.set_text(&draft);
            }
            refresh_counts();
        }
    });

    let switch_language = move |value: String| {
        // The old language's pending edit is saved under the old language first.
        handle.flush();
        let lang = parse(&value);
        language.set(lang);
        let text = load_draft(lang).unwrap_or_else(|| starter(lang).to_string());
        handle.set_text(&text);
        refresh_counts();
    };
    let load_sample = move |_| {
        handle.set_text(&sample(language.get_untracked()));
        refresh_counts();
    };
    let reset = move |_| {
        handle.set_text(starter(language.get_untracked()));
        refresh_counts();
        handle.focus();
    };

    view! {
        <Title text="Code playground" />
        <h1 class="page-title">"Code playground"</h1>
        <p class="muted">"Try the challenge editor: nothing here is run or sent anywhere; drafts stay in this browser."</p>
        <div class=css::toolbar role="group" aria-label="Editor settings">
            <div class=css::field>
                <label for="playground-language">"Language"</label>
                <select
                    id="playground-language"
                    data-testid="playground-language"
                    on:change=move |ev| switch_language(event_target_value(&ev))
                >
                    {LANGUAGES.iter().map(|l| {
                        let l = *l;
                        view! { <option value=l.as_str() selected=move || language.get() == l>{label(l)}</option> }
                    }).collect_view()}
                </select>
            </div>
            <button
                type="button"
                class="btn btn-ghost"
                data-testid="playground-dark"
                aria-pressed=move || dark.get().to_string()
                on:click=move |_| dark.update(|d| *d = !*d)
            >
                "Dark editor theme"
            </button>
            <button type="button" class="btn btn-ghost" data-testid="playground-sample" on:click=load_sample>
                "Load 2,000-line sample"
            </button>
            <button type="button" class="btn btn-ghost" data-testid="playground-reset" on:click=reset>
                "Reset to starter"
            </button>
        </div>
        <div class=css::editor>
            <CodeEditor
                initial=starter(Language::Python).to_string()
                language=language
                dark=dark
                on_change=on_change
                on_run=on_run
                handle=handle
                label="Playground code"
            />
        </div>
        <div class=css::status>
            <p data-testid="playground-counts" aria-live="polite">
                {move || {
                    let (lines, chars) = counts.get();
                    format!("{lines} lines · {chars} characters")
                }}
            </p>
            <p data-testid="playground-runs" role="status">
                {move || match runs.get() {
                    0 => String::new(),
                    n => format!("Run requested ({n})"),
                }}
            </p>
        </div>
    }
}

/// Lines and characters as the editor counts them (UTF-16 units for characters).
fn count(text: &str) -> (usize, usize) {
    (text.split('\n').count(), text.encode_utf16().count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_have_exactly_two_thousand_lines() {
        for lang in LANGUAGES {
            let text = sample(lang);
            assert_eq!(count(&text).0, SAMPLE_LINES, "{lang:?}");
        }
    }

    #[test]
    fn languages_round_trip_through_the_select() {
        for lang in LANGUAGES {
            assert_eq!(parse(lang.as_str()), lang);
        }
        assert_eq!(parse("cobol"), Language::Python);
    }

    #[test]
    fn counts_match_the_editor() {
        assert_eq!(count(""), (1, 0));
        assert_eq!(count("a\nb"), (2, 3));
        assert_eq!(count("é😀"), (1, 3));
    }
}
