//! What the editor island reports (format, presence, connection) as wasm-safe types, the
//! colour of each user, and the handle the toolbar drives the editor through.

#[cfg(feature = "hydrate")]
use leptos::prelude::*;
use serde::Deserialize;

/// Marks and blocks at the selection, as the island's `onFormat` reports them.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FormatState {
    pub bold: bool,
    pub italic: bool,
    pub code: bool,
    /// The href of the link at the selection.
    pub link: Option<String>,
    /// Heading level, 0 outside headings.
    pub heading: u8,
    pub paragraph: bool,
    pub bullet: bool,
    pub ordered: bool,
    pub code_block: bool,
    pub can_undo: bool,
    pub can_redo: bool,
}

/// One connection in the document, as the island's `onPresence` reports it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Peer {
    pub client_id: u64,
    pub name: String,
    pub color: String,
    /// This browser tab.
    #[serde(rename = "self")]
    pub is_self: bool,
}

/// The sync connection as the badge shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditorStatus {
    /// The editor bundle is loading or the socket is opening.
    Connecting,
    Connected,
    Disconnected,
    /// Disconnected, with edits kept in this browser until the connection is back.
    OfflineSaved,
    /// The editor could not start.
    Failed,
}

impl EditorStatus {
    /// Parses the island's `onStatus` value.
    pub fn parse(s: &str) -> EditorStatus {
        match s {
            "connected" => EditorStatus::Connected,
            "disconnected" => EditorStatus::Disconnected,
            "offline-saved" => EditorStatus::OfflineSaved,
            _ => EditorStatus::Connecting,
        }
    }

    /// The island's spelling (`data-status` on the badge, for tests and styles).
    pub fn as_str(self) -> &'static str {
        match self {
            EditorStatus::Connecting => "connecting",
            EditorStatus::Connected => "connected",
            EditorStatus::Disconnected => "disconnected",
            EditorStatus::OfflineSaved => "offline-saved",
            EditorStatus::Failed => "failed",
        }
    }

    /// What the badge says.
    pub fn label(self) -> &'static str {
        match self {
            EditorStatus::Connecting => "Connecting…",
            EditorStatus::Connected => "Connected",
            EditorStatus::Disconnected => "Offline",
            EditorStatus::OfflineSaved => "Offline — edits saved on this device",
            EditorStatus::Failed => "Editor unavailable",
        }
    }
}

/// Colours of users: white text on each meets WCAG AA (4.5:1).
pub const USER_COLORS: [&str; 8] = [
    "#b91c1c", "#c2410c", "#a16207", "#15803d", "#0f766e", "#1d4ed8", "#6d28d9", "#be185d",
];

/// The palette index of a user: the same for one user id everywhere (FNV-1a).
pub fn color_index(user_id: &str) -> usize {
    let hash = user_id.bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    hash as usize % USER_COLORS.len()
}

/// The palette index of a colour a peer announced (unknown colours get the first).
pub fn index_of_color(color: &str) -> usize {
    USER_COLORS
        .iter()
        .position(|c| c.eq_ignore_ascii_case(color))
        .unwrap_or(0)
}

/// Up to two initials of a name, upper-cased.
pub fn initials(name: &str) -> String {
    let letters: String = name
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .take(2)
        .collect();
    let letters = if letters.is_empty() {
        "?".to_string()
    } else {
        letters
    };
    letters.to_uppercase()
}

/// A toolbar command's argument.
#[derive(Debug, Clone, PartialEq)]
pub enum CommandArg {
    Level(u8),
    Href(String),
}

/// The mounted editor, if any, for the toolbar; a no-op on the server.
#[derive(Clone, Copy)]
pub struct EditorHandle {
    #[cfg(feature = "hydrate")]
    pub(super) inner: StoredValue<Option<super::editor::DocEditor>, LocalStorage>,
}

impl EditorHandle {
    /// An empty handle owned by the current component; dropping the editor destroys it.
    pub fn new() -> EditorHandle {
        EditorHandle {
            #[cfg(feature = "hydrate")]
            inner: StoredValue::new_local(None),
        }
    }

    /// Runs a toolbar command; false when there is no editor or it does not apply.
    pub fn command(&self, name: &str, arg: Option<CommandArg>) -> bool {
        #[cfg(feature = "hydrate")]
        {
            let arg = arg.map(|a| match a {
                CommandArg::Level(l) => wasm_bindgen::JsValue::from(l),
                CommandArg::Href(h) => wasm_bindgen::JsValue::from(h),
            });
            self.inner
                .try_with_value(|e| e.as_ref().map(|e| e.command(name, arg)))
                .flatten()
                .unwrap_or(false)
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = (name, arg);
            false
        }
    }

    /// Moves the focus into the text.
    pub fn focus(&self) {
        #[cfg(feature = "hydrate")]
        self.inner.with_value(|e| {
            if let Some(e) = e {
                e.focus()
            }
        });
    }
}

impl Default for EditorHandle {
    fn default() -> Self {
        EditorHandle::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_stable_and_spread() {
        assert_eq!(color_index("user-1"), color_index("user-1"));
        let used: std::collections::HashSet<_> =
            (0..64).map(|i| color_index(&format!("u{i}"))).collect();
        assert!(used.len() > 4);
        assert_eq!(index_of_color(USER_COLORS[3]), 3);
        assert_eq!(index_of_color("#FFFFFF"), 0);
    }

    #[test]
    fn initials_of_names() {
        assert_eq!(initials("Ada Lovelace"), "AL");
        assert_eq!(initials("admin_a"), "A");
        assert_eq!(initials("  "), "?");
    }

    #[test]
    fn reports_parse() {
        let f: FormatState = serde_json::from_str(
            r#"{"bold":true,"heading":2,"codeBlock":false,"link":null,"canUndo":true}"#,
        )
        .expect("format");
        assert!(f.bold && f.can_undo && f.heading == 2);
        let p: Vec<Peer> =
            serde_json::from_str(r##"[{"clientId":7,"name":"A","color":"#b91c1c","self":true}]"##)
                .expect("peers");
        assert!(p[0].is_self);
        assert_eq!(
            EditorStatus::parse("offline-saved"),
            EditorStatus::OfflineSaved
        );
    }
}
