//! Light and dark themes: follow the system unless the user picks one (kept in localStorage).

use leptos::prelude::*;

const STORAGE_KEY: &str = "atrium-theme";

/// The user's theme choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThemeChoice {
    System,
    Light,
    Dark,
}

impl ThemeChoice {
    /// The order the toggle cycles through.
    pub fn next(self) -> Self {
        match self {
            ThemeChoice::System => ThemeChoice::Light,
            ThemeChoice::Light => ThemeChoice::Dark,
            ThemeChoice::Dark => ThemeChoice::System,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ThemeChoice::System => "system",
            ThemeChoice::Light => "light",
            ThemeChoice::Dark => "dark",
        }
    }

    pub fn parse(s: &str) -> Self {
        match s {
            "light" => ThemeChoice::Light,
            "dark" => ThemeChoice::Dark,
            _ => ThemeChoice::System,
        }
    }
}

/// A button that cycles system → light → dark. `public/theme-init.js` applies the stored
/// choice before first paint; this reads it after hydration.
#[component]
pub fn ThemeToggle() -> impl IntoView {
    let choice = RwSignal::new(ThemeChoice::System);
    Effect::new(move |_| choice.set(stored_choice()));
    let label = move || format!("Theme: {}", choice.get().as_str());
    view! {
        <button
            type="button"
            class="btn btn-ghost"
            data-testid="theme-toggle"
            aria-label=label
            title=label
            on:click=move |_| {
                let next = choice.get_untracked().next();
                apply_choice(next);
                choice.set(next);
            }
        >
            {move || match choice.get() {
                ThemeChoice::System => "◐ System",
                ThemeChoice::Light => "☀ Light",
                ThemeChoice::Dark => "☾ Dark",
            }}
        </button>
    }
}

fn stored_choice() -> ThemeChoice {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .map(|v| ThemeChoice::parse(&v))
        .unwrap_or(ThemeChoice::System)
}

fn apply_choice(choice: ThemeChoice) {
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Ok(Some(storage)) = window.local_storage() {
        let _ = storage.set_item(STORAGE_KEY, choice.as_str());
    }
    if let Some(root) = window.document().and_then(|d| d.document_element()) {
        let _ = match choice {
            ThemeChoice::System => root.remove_attribute("data-theme"),
            other => root.set_attribute("data-theme", other.as_str()),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycles_through_all_three_and_back() {
        let mut c = ThemeChoice::System;
        let mut seen = vec![];
        for _ in 0..3 {
            c = c.next();
            seen.push(c.as_str());
        }
        assert_eq!(seen, ["light", "dark", "system"]);
        assert_eq!(ThemeChoice::parse("dark"), ThemeChoice::Dark);
        assert_eq!(ThemeChoice::parse("nonsense"), ThemeChoice::System);
    }
}
