//! Wasm-safe types of collaborative documents: summaries, sharing and revisions.

use serde::{Deserialize, Serialize};

/// Longest document title, in characters.
pub const MAX_TITLE_CHARS: usize = 200;

/// What a user may do with a document. Ordered: `View < Edit < Admin`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Permission {
    /// Read and see presence; update messages are dropped.
    View,
    /// Edit the content and create revisions.
    Edit,
    /// Also rename, share, restore revisions and delete.
    Admin,
}

impl Permission {
    /// The stored and wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Permission::View => "view",
            Permission::Edit => "edit",
            Permission::Admin => "admin",
        }
    }

    /// Parses the stored and wire spelling.
    pub fn parse(s: &str) -> Option<Permission> {
        match s {
            "view" => Some(Permission::View),
            "edit" => Some(Permission::Edit),
            "admin" => Some(Permission::Admin),
            _ => None,
        }
    }

    /// True when content may be changed.
    pub fn can_edit(self) -> bool {
        self >= Permission::Edit
    }
}

/// A document as listed: title, owner and the caller's permission.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocSummary {
    pub id: String,
    pub title: String,
    pub owner_id: String,
    pub owner_name: String,
    /// The caller's permission on it.
    pub permission: Permission,
    /// True when the caller owns it (otherwise it is shared with them, or they are a tenant admin).
    pub owned: bool,
    pub created_at: String,
    pub updated_at: String,
}

/// A user a document is shared with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Collaborator {
    pub user_id: String,
    pub username: String,
    pub display_name: String,
    pub permission: Permission,
}

/// A document with its collaborators.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocDetail {
    #[serde(flatten)]
    pub summary: DocSummary,
    pub collaborators: Vec<Collaborator>,
}

/// A user of the tenant a document can be shared with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShareCandidate {
    pub user_id: String,
    pub username: String,
    pub display_name: String,
}

/// What a document's title must be: trimmed, non-empty, at most `MAX_TITLE_CHARS`, no
/// control characters. Returns the trimmed title or a message for the user.
pub fn validate_title(raw: &str) -> Result<String, &'static str> {
    let title = raw.trim();
    if title.is_empty() {
        return Err("Give the document a title.");
    }
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err("A title can be at most 200 characters.");
    }
    if title.chars().any(char::is_control) {
        return Err("A title cannot contain control characters.");
    }
    Ok(title.to_string())
}

/// A saved version of a document's content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RevisionInfo {
    pub id: i64,
    /// Set for revisions a user named; periodic ones have none.
    pub name: Option<String>,
    pub created_at: String,
    pub created_by: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permissions_round_trip_and_order() {
        for p in [Permission::View, Permission::Edit, Permission::Admin] {
            assert_eq!(Permission::parse(p.as_str()), Some(p));
        }
        assert_eq!(Permission::parse("owner"), None);
        assert!(Permission::View < Permission::Edit && Permission::Edit < Permission::Admin);
        assert!(!Permission::View.can_edit() && Permission::Edit.can_edit());
    }

    #[test]
    fn titles_are_trimmed_and_bounded() {
        assert_eq!(validate_title("  Plan  "), Ok("Plan".to_string()));
        assert!(validate_title("   ").is_err());
        assert!(validate_title(&"x".repeat(201)).is_err());
        assert!(validate_title(&"é".repeat(200)).is_ok());
        assert!(validate_title("a\nb").is_err());
    }
}
