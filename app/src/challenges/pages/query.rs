//! The list's filters as URL query parameters (shareable links, the back button works):
//! `q`, `difficulty`, `category`, `tags`, `status`, `sort`, `order`, `page`.

use super::format::{difficulty_param, parse_difficulty, parse_progress, progress_param};
use crate::challenges::views::ChallengeQuery;

/// Challenges per page on the list.
pub const PAGE_SIZE: u32 = 20;

/// Sort keys the API accepts, with their labels.
pub const SORTS: [(&str, &str); 5] = [
    ("difficulty", "Difficulty"),
    ("title", "Title"),
    ("created_at", "Newest"),
    ("estimated_time", "Estimated time"),
    ("level", "Level"),
];

/// Reads the filters from query parameters (`get` looks one up); unknown values are dropped.
pub fn from_params(get: impl Fn(&str) -> Option<String>) -> ChallengeQuery {
    let text = |k: &str| {
        get(k)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    ChallengeQuery {
        search: text("q"),
        difficulty: text("difficulty").and_then(|d| parse_difficulty(&d)),
        category: text("category"),
        tags: text("tags"),
        status: text("status").and_then(|s| parse_progress(&s)),
        sort_by: text("sort").filter(|s| SORTS.iter().any(|(k, _)| k == s)),
        sort_order: text("order").filter(|o| o == "asc" || o == "desc"),
        page: text("page")
            .and_then(|p| p.parse::<u32>().ok())
            .filter(|p| *p > 1),
        limit: Some(PAGE_SIZE),
    }
}

/// The list URL for `q` (defaults are left out so links stay short).
pub fn to_url(q: &ChallengeQuery) -> String {
    let mut parts: Vec<(&str, String)> = Vec::new();
    if let Some(s) = &q.search {
        parts.push(("q", s.clone()));
    }
    if let Some(d) = q.difficulty {
        parts.push(("difficulty", difficulty_param(d).to_string()));
    }
    if let Some(c) = &q.category {
        parts.push(("category", c.clone()));
    }
    if let Some(t) = &q.tags {
        parts.push(("tags", t.clone()));
    }
    if let Some(s) = q.status {
        parts.push(("status", progress_param(s).to_string()));
    }
    if let Some(s) = &q.sort_by {
        parts.push(("sort", s.clone()));
    }
    if let Some(o) = &q.sort_order {
        parts.push(("order", o.clone()));
    }
    if let Some(p) = q.page.filter(|p| *p > 1) {
        parts.push(("page", p.to_string()));
    }
    if parts.is_empty() {
        return "/challenges".to_string();
    }
    let query: Vec<String> = parts
        .into_iter()
        .map(|(k, v)| format!("{k}={}", encode(&v)))
        .collect();
    format!("/challenges?{}", query.join("&"))
}

/// Whether any filter (not sort or page) is set.
pub fn has_filters(q: &ChallengeQuery) -> bool {
    q.search.is_some()
        || q.difficulty.is_some()
        || q.category.is_some()
        || q.tags.is_some()
        || q.status.is_some()
}

/// Percent-encodes a query value (everything but unreserved characters).
fn encode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::challenges::model::Difficulty;
    use crate::challenges::views::ProgressStatus;
    use std::collections::HashMap;

    fn parse(url: &str) -> ChallengeQuery {
        let query = url.split_once('?').map_or("", |(_, q)| q);
        let map: HashMap<String, String> = query
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.to_string(), decode(v)))
            .collect();
        from_params(|k| map.get(k).cloned())
    }

    fn decode(v: &str) -> String {
        let bytes = v.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("hex");
                out.push(u8::from_str_radix(hex, 16).expect("hex"));
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn filters_survive_the_url() {
        let q = ChallengeQuery {
            search: Some("math & fun".into()),
            difficulty: Some(Difficulty::Beginner),
            category: Some("Testing".into()),
            tags: Some("python,pytest".into()),
            status: Some(ProgressStatus::InProgress),
            sort_by: Some("title".into()),
            sort_order: Some("desc".into()),
            page: Some(3),
            limit: Some(PAGE_SIZE),
        };
        let url = to_url(&q);
        assert!(url.starts_with("/challenges?q=math%20%26%20fun&difficulty=beginner"));
        assert_eq!(parse(&url), q);
    }

    #[test]
    fn defaults_and_junk_are_left_out() {
        let q = from_params(|k| match k {
            "page" => Some("1".into()),
            "sort" => Some("drop table".into()),
            "difficulty" => Some("legendary".into()),
            "q" => Some("   ".into()),
            _ => None,
        });
        assert_eq!(to_url(&q), "/challenges");
        assert!(!has_filters(&q));
    }
}
