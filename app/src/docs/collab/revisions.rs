//! Revisions and export, shared by the server functions and the REST API.
//!
//! Who may do what: viewers list and view revisions and export; editors also save named
//! revisions; restoring (which rewrites everyone's content) is for document admins (the owner,
//! tenant admins and collaborators granted admin).

use super::access::require;
use super::export::{content, html_document, html_fragment, markdown};
use super::model::{Permission, RevisionInfo};
use super::restore::doc_from_state;
use super::store;
use crate::auth::service::Principal;
use crate::error::AppError;
use crate::state::AppState;
use yrs::updates::decoder::Decode;
use yrs::{Doc, ReadTxn, StateVector, Transact, Update};

/// Longest revision name, in characters.
pub const MAX_REVISION_NAME_CHARS: usize = 100;

/// The stored document (snapshot + later updates) as one whole-document update.
pub async fn current_state(pool: &sqlx::SqlitePool, doc_id: &str) -> Result<Vec<u8>, AppError> {
    let stored = store::load(pool, doc_id).await?;
    if stored.updates.is_empty() {
        if let Some(snapshot) = stored.snapshot {
            return Ok(snapshot);
        }
    }
    let doc = Doc::new();
    {
        let mut txn = doc.transact_mut();
        for bytes in stored.snapshot.iter().chain(stored.updates.iter()) {
            let update = Update::decode_v1(bytes).map_err(AppError::internal)?;
            txn.apply_update(update).map_err(AppError::internal)?;
        }
    }
    let state = doc
        .transact()
        .encode_state_as_update_v1(&StateVector::default());
    Ok(state)
}

/// `doc_id`'s revisions, newest first (viewers and up).
pub async fn list(
    state: &AppState,
    p: &Principal,
    doc_id: &str,
) -> Result<Vec<RevisionInfo>, AppError> {
    require(&state.pool, p, doc_id, Permission::View).await?;
    store::list_revisions(&state.pool, doc_id).await
}

/// Saves the current content as a named revision (editors and up).
pub async fn create(
    state: &AppState,
    p: &Principal,
    doc_id: &str,
    name: &str,
) -> Result<RevisionInfo, AppError> {
    require(&state.pool, p, doc_id, Permission::Edit).await?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_REVISION_NAME_CHARS {
        return Err(AppError::invalid_field(
            "name",
            "Give the revision a name of 1 to 100 characters.",
        ));
    }
    let content = current_state(&state.pool, doc_id).await?;
    let id = store::insert_revision(
        &state.pool,
        doc_id,
        Some(name),
        &content,
        Some(&p.user_id.0),
    )
    .await?;
    store::revision_info(&state.pool, doc_id, id).await
}

/// Restores a revision: the live content becomes the revision's, as a new edit every connected
/// client receives (admins only).
pub async fn restore(
    state: &AppState,
    p: &Principal,
    doc_id: &str,
    revision: i64,
) -> Result<(), AppError> {
    require(&state.pool, p, doc_id, Permission::Admin).await?;
    let content = store::revision_state(&state.pool, doc_id, revision).await?;
    state.collab.hub.replace(doc_id, content).await
}

/// A revision rendered as an HTML fragment (viewers and up).
pub async fn html(
    state: &AppState,
    p: &Principal,
    doc_id: &str,
    revision: i64,
) -> Result<String, AppError> {
    require(&state.pool, p, doc_id, Permission::View).await?;
    let content_state = store::revision_state(&state.pool, doc_id, revision).await?;
    let doc = doc_from_state(&content_state).map_err(AppError::internal)?;
    Ok(html_fragment(&content(&doc)))
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Html,
}

impl Format {
    /// `md` (or `markdown`) and `html`; anything else is a 422 on `format`.
    pub fn parse(s: &str) -> Result<Format, AppError> {
        match s.to_ascii_lowercase().as_str() {
            "md" | "markdown" => Ok(Format::Markdown),
            "html" => Ok(Format::Html),
            _ => Err(AppError::invalid_field(
                "format",
                "Choose format=md or format=html.",
            )),
        }
    }
}

/// An exported document.
#[derive(Debug, Clone)]
pub struct Exported {
    pub content_type: &'static str,
    /// The file name, from the title (ASCII-safe), with its extension.
    pub filename: String,
    pub body: String,
}

/// The current content as Markdown or a complete HTML page (viewers and up).
pub async fn export(
    state: &AppState,
    p: &Principal,
    doc_id: &str,
    format: Format,
) -> Result<Exported, AppError> {
    require(&state.pool, p, doc_id, Permission::View).await?;
    let title: String = sqlx::query_scalar("SELECT title FROM docs WHERE id = ?")
        .bind(doc_id)
        .fetch_one(&state.pool)
        .await?;
    let doc =
        doc_from_state(&current_state(&state.pool, doc_id).await?).map_err(AppError::internal)?;
    let nodes = content(&doc);
    let stem = file_stem(&title);
    Ok(match format {
        Format::Markdown => Exported {
            content_type: "text/markdown; charset=utf-8",
            filename: format!("{stem}.md"),
            body: markdown(&nodes),
        },
        Format::Html => Exported {
            content_type: "text/html; charset=utf-8",
            filename: format!("{stem}.html"),
            body: html_document(&title, &nodes),
        },
    })
}

/// A file name stem from a title: letters, digits, `-`, `_` and spaces (as `-`), at most 80.
pub fn file_stem(title: &str) -> String {
    let stem: String = title
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-")
        .chars()
        .take(80)
        .collect();
    if stem.is_empty() {
        "document".to_string()
    } else {
        stem
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_stems_are_safe() {
        assert_eq!(file_stem("Q3 plan: \"final\"/../x"), "Q3-plan-final-x");
        assert_eq!(file_stem("日本"), "document");
        assert_eq!(file_stem(&"a".repeat(200)).len(), 80);
    }

    #[test]
    fn formats_parse() {
        assert_eq!(Format::parse("MD").ok(), Some(Format::Markdown));
        assert_eq!(Format::parse("html").ok(), Some(Format::Html));
        assert_eq!(
            Format::parse("pdf").map_err(|e| e.status()).err(),
            Some(422)
        );
    }
}
