//! Wasm-safe types of stored files, shared by the REST API, the server functions and the page.

use serde::{Deserialize, Serialize};

/// Who may see a file besides the tenant's admins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessLevel {
    /// Everyone in the tenant.
    Tenant,
    /// The uploader (and the tenant's admins).
    Private,
}

impl AccessLevel {
    /// The stored and wire form.
    pub fn as_str(self) -> &'static str {
        match self {
            AccessLevel::Tenant => "tenant",
            AccessLevel::Private => "private",
        }
    }

    /// Parses the wire form; anything else is None (the API answers 422).
    pub fn parse(s: &str) -> Option<AccessLevel> {
        match s {
            "tenant" => Some(AccessLevel::Tenant),
            "private" => Some(AccessLevel::Private),
            _ => None,
        }
    }

    /// How the page shows it.
    pub fn label(self) -> &'static str {
        match self {
            AccessLevel::Tenant => "Tenant",
            AccessLevel::Private => "Private",
        }
    }
}

/// A stored file's metadata, as `POST /documents` and `GET /documents` return it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileMeta {
    pub id: String,
    pub tenant_id: String,
    /// The original name (validated: a plain name, never a path). Metadata only.
    pub filename: String,
    /// The uploader's username.
    pub uploaded_by: String,
    /// The uploader's display name.
    pub uploader_name: String,
    /// RFC 3339, UTC.
    pub upload_date: String,
    pub access_level: AccessLevel,
    /// Bytes.
    pub size: u64,
    /// Hex SHA-256 of the content, computed while it was stored.
    pub sha256: String,
    /// What the download is sent as (sniffed from the content, never the client's claim).
    pub content_type: String,
}

impl FileMeta {
    /// Where the file downloads from.
    pub fn download_url(&self) -> String {
        format!("/documents/{}", self.id)
    }
}

/// One page of files, newest first; pass `next_cursor` back as `cursor` for the next.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FilePage {
    pub documents: Vec<FileMeta>,
    pub next_cursor: Option<String>,
}

/// The Files page's view of the caller's files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileListing {
    pub page: FilePage,
    /// Whether the caller may delete (tenant admins).
    pub can_delete: bool,
}

/// Upload settings the page checks before sending anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadLimits {
    pub max_bytes: u64,
}

/// Sizes for people: `512 bytes`, `14.2 KB`, `25 MB` (1 KB = 1024 bytes).
pub fn format_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1024 {
        return if bytes == 1 {
            "1 byte".to_string()
        } else {
            format!("{bytes} bytes")
        };
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    let rounded = (value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0} {}", UNITS[unit])
    } else {
        format!("{rounded:.1} {}", UNITS[unit])
    }
}

/// The one message for a file over the limit, from the API and the page alike.
pub fn too_large_message(max_bytes: u64) -> String {
    format!("File is larger than {}.", format_size(max_bytes))
}

/// The one message for an empty file.
pub const EMPTY_FILE_MESSAGE: &str = "The file is empty.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(format_size(0), "0 bytes");
        assert_eq!(format_size(1), "1 byte");
        assert_eq!(format_size(1023), "1023 bytes");
        assert_eq!(format_size(1024), "1 KB");
        assert_eq!(format_size(1536), "1.5 KB");
        assert_eq!(format_size(25 * 1024 * 1024), "25 MB");
        assert_eq!(format_size(3 * 1024 * 1024 * 1024), "3 GB");
    }

    #[test]
    fn the_limit_message_names_the_limit() {
        assert_eq!(
            too_large_message(25 * 1024 * 1024),
            "File is larger than 25 MB."
        );
    }

    #[test]
    fn access_levels_parse_their_wire_form_only() {
        assert_eq!(AccessLevel::parse("tenant"), Some(AccessLevel::Tenant));
        assert_eq!(AccessLevel::parse("private"), Some(AccessLevel::Private));
        assert_eq!(AccessLevel::parse("Private"), None);
        assert_eq!(AccessLevel::parse("public"), None);
        let json = serde_json::to_string(&AccessLevel::Private).unwrap_or_default();
        assert_eq!(json, "\"private\"");
    }
}
