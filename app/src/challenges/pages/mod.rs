//! Pages of the Challenges area: the list (`/challenges`), a challenge with its editor,
//! results and feedback (`/challenges/:id`), the caller's progress and the leaderboard.
//! Data comes from the server functions in [`super::api`]; a submission's live state from
//! the SSE stream `/api/v1/submissions/{id}/events` (polling as the fallback). Instructors
//! and admins author challenges in [`author`] (`/challenges/new`, `/challenges/:id/edit`).

mod attempts;
mod author;
mod card;
mod detail;
mod feedback;
mod format;
mod list;
#[cfg(feature = "hydrate")]
mod live;
mod markdown;
mod progress;
mod query;
mod results;
mod workspace;

pub use author::{EditChallengePage, NewChallengePage};
pub use detail::ChallengePage;
pub use list::ChallengesPage;
pub use progress::{LeaderboardPage, ProgressPage};

use crate::error::{AppError, ErrorCode};
use crate::ui::subnav::SubNav;
use leptos::prelude::*;
use leptos_router::components::A;

stylance::import_crate_style!(pub(crate) css, "src/challenges/pages/challenges.module.css");

/// The area's own navigation.
#[component]
fn ChallengesNav() -> impl IntoView {
    const LINKS: &[(&str, &str)] = &[
        ("/challenges", "All challenges"),
        ("/challenges/progress", "My progress"),
        ("/challenges/leaderboard", "Leaderboard"),
    ];
    view! { <SubNav label="Challenges" links=LINKS /> }
}

/// An error the server sent, in words; 404 and 403 get their own wording.
#[component]
fn ErrorState(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::ui::errors::set_status(error.code.status());
    let (title, text) = match error.code {
        ErrorCode::NotFound => (
            "Challenge not found",
            "There is no challenge at this address, or it is not shared with your organisation."
                .to_string(),
        ),
        ErrorCode::Forbidden => (
            "Not allowed",
            "You do not have access to this. Ask an admin of your organisation.".to_string(),
        ),
        _ => ("Something went wrong", error.message.clone()),
    };
    view! {
        <section class="card stack" role="alert" data-testid="challenges-error">
            <h1 class="page-title">{title}</h1>
            <p>{text}</p>
            <p><A href="/challenges">"Back to all challenges"</A></p>
        </section>
    }
}
