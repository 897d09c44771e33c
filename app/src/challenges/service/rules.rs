//! Who may do what with a challenge or a submission, as plain functions over plain data.
//!
//! Decisions: another tenant's challenge or submission is always 404; a private challenge is
//! 404 to whoever may not see it (its existence is not revealed, like another tenant's); a
//! visible challenge the caller may not change is 403. Built-in library challenges are
//! read-only (they are re-seeded from the library); authored ones may be changed by their
//! creator or an admin.

use crate::auth::model::Role;
use crate::error::AppError;

/// A user's role in the challenges area.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChallengeRole {
    Student,
    Instructor,
    Admin,
}

impl ChallengeRole {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            ChallengeRole::Student => "student",
            ChallengeRole::Instructor => "instructor",
            ChallengeRole::Admin => "admin",
        }
    }
}

/// Tenant admins are challenge admins; otherwise the stored role, student by default.
pub fn effective_role(platform: Role, stored: Option<&str>) -> ChallengeRole {
    if platform == Role::Admin {
        return ChallengeRole::Admin;
    }
    match stored {
        Some("admin") => ChallengeRole::Admin,
        Some("instructor") => ChallengeRole::Instructor,
        _ => ChallengeRole::Student,
    }
}

/// The caller, as far as these rules care.
#[derive(Clone, Debug)]
pub struct Actor {
    pub tenant_id: String,
    pub user_id: String,
    pub username: String,
    pub role: ChallengeRole,
}

impl Actor {
    /// A challenge admin.
    pub fn is_admin(&self) -> bool {
        self.role == ChallengeRole::Admin
    }
}

/// What the rules need to know about a challenge.
#[derive(Clone, Copy, Debug)]
pub struct ChallengeFacts<'a> {
    pub tenant_id: &'a str,
    pub created_by: Option<&'a str>,
    pub is_public: bool,
    pub builtin: bool,
    pub deleted: bool,
}

fn is_creator(actor: &Actor, ch: &ChallengeFacts<'_>) -> bool {
    ch.created_by == Some(actor.user_id.as_str())
}

/// Ok when the caller may see the challenge; otherwise 404.
pub fn can_see(actor: &Actor, ch: &ChallengeFacts<'_>) -> Result<(), AppError> {
    let visible = ch.tenant_id == actor.tenant_id
        && !ch.deleted
        && (ch.is_public || is_creator(actor, ch) || actor.is_admin());
    if visible {
        Ok(())
    } else {
        Err(AppError::not_found("Challenge"))
    }
}

/// Ok for instructors and admins; otherwise 403.
pub fn can_author(actor: &Actor) -> Result<(), AppError> {
    match actor.role {
        ChallengeRole::Instructor | ChallengeRole::Admin => Ok(()),
        ChallengeRole::Student => Err(AppError::forbidden(
            "Only instructors and admins can create challenges.",
        )),
    }
}

/// Whether the caller may edit or delete (no error: for `ChallengeDetail.can_edit`).
pub fn may_edit(actor: &Actor, ch: &ChallengeFacts<'_>) -> bool {
    can_see(actor, ch).is_ok()
        && !ch.builtin
        && (actor.is_admin() || (is_creator(actor, ch) && actor.role != ChallengeRole::Student))
}

/// Ok when the caller may edit or delete the challenge; 404 if they may not see it, else 403.
pub fn can_edit(actor: &Actor, ch: &ChallengeFacts<'_>) -> Result<(), AppError> {
    can_see(actor, ch)?;
    if ch.builtin {
        return Err(AppError::forbidden(
            "Built-in challenges come from the library and cannot be changed.",
        ));
    }
    if may_edit(actor, ch) {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "Only the challenge's creator or an admin can change it.",
        ))
    }
}

/// Reference solutions are shown to the challenge's creator and to admins only.
pub fn sees_solution(actor: &Actor, ch: &ChallengeFacts<'_>) -> bool {
    actor.is_admin() || is_creator(actor, ch)
}

/// How a deletion is carried out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeleteKind {
    /// Marked deleted; kept because submissions refer to it.
    Soft,
    /// Removed with its drafts.
    Hard,
}

/// Soft when submissions exist, else hard.
pub fn delete_kind(submissions: i64) -> DeleteKind {
    if submissions > 0 {
        DeleteKind::Soft
    } else {
        DeleteKind::Hard
    }
}

/// A submission is readable by its owner, the challenge's creator and admins of its tenant;
/// anyone else gets 404.
pub fn can_read_submission(
    actor: &Actor,
    tenant_id: &str,
    owner: &str,
    challenge_creator: Option<&str>,
) -> Result<(), AppError> {
    let ok = tenant_id == actor.tenant_id
        && (owner == actor.user_id
            || actor.is_admin()
            || challenge_creator == Some(actor.user_id.as_str()));
    if ok {
        Ok(())
    } else {
        Err(AppError::not_found("Submission"))
    }
}

#[cfg(test)]
#[path = "rules_tests.rs"]
mod tests;
