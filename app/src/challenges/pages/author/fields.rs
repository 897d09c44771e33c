//! Pure helpers of the authoring form: text fields ⇄ the lists and values of a
//! [`ChallengeInput`], and the server's field errors.

use crate::error::AppError;
use std::collections::BTreeMap;

/// Field path → message, as in the server's error `details` (`title`, `tests[0].name`, …).
pub type FieldErrors = BTreeMap<String, String>;

/// Comma-separated text → trimmed, non-empty items.
pub fn split_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Items → comma-separated text.
pub fn join_list(items: &[String]) -> String {
    items.join(", ")
}

/// One item per line → trimmed, non-empty items.
pub fn split_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// A whole number typed in a number field; 0 when it is not one, so the server's range check
/// reports it next to the field.
pub fn parse_count<T: std::str::FromStr + Default>(text: &str) -> T {
    text.trim().parse().unwrap_or_default()
}

/// The "expected" field: empty means none (assertion-style test), anything else must be JSON.
pub fn parse_expected(text: &str) -> Result<Option<serde_json::Value>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    serde_json::from_str(text).map(Some).map_err(|_| {
        "Expected must be JSON, e.g. 5, \"text\", [1, 2] or [[1, \"a\"]] for SQL rows.".to_string()
    })
}

/// An expected value as the text of its field.
pub fn show_expected(value: Option<&serde_json::Value>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// The field errors in a server error's `details` (empty when it has none).
pub fn field_errors(err: &AppError) -> FieldErrors {
    err.details
        .as_ref()
        .and_then(|d| d.as_object())
        .map(|obj| {
            obj.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

/// Messages of errors whose field the form has no place for (shown above the buttons).
pub fn unplaced<'a>(errors: &'a FieldErrors, placed: &[String]) -> Vec<&'a str> {
    errors
        .iter()
        .filter(|(k, _)| !placed.iter().any(|p| p == *k))
        .map(|(_, v)| v.as_str())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    #[test]
    fn lists_and_lines_drop_blanks_and_round_trip() {
        let items = split_list(" sql, ,indexes ,");
        assert_eq!(items, vec!["sql", "indexes"]);
        assert_eq!(split_list(&join_list(&items)), items);
        assert_eq!(split_lines("a\n\n  b  \n"), vec!["a", "b"]);
    }

    #[test]
    fn counts_that_are_not_numbers_become_zero() {
        assert_eq!(parse_count::<u32>(" 15 "), 15);
        assert_eq!(parse_count::<u8>("abc"), 0);
        assert_eq!(parse_count::<u8>("300"), 0);
    }

    #[test]
    fn expected_is_json_or_nothing() {
        assert_eq!(parse_expected("  "), Ok(None));
        assert_eq!(
            parse_expected("[[1, \"a\"]]"),
            Ok(Some(serde_json::json!([[1, "a"]])))
        );
        assert!(parse_expected("five").is_err());
        let v = serde_json::json!({"a": [1, 2]});
        assert_eq!(parse_expected(&show_expected(Some(&v))), Ok(Some(v)));
        assert_eq!(show_expected(None), "");
    }

    #[test]
    fn server_details_become_field_errors() {
        let mut err = AppError::new(ErrorCode::Validation, "bad");
        assert!(field_errors(&err).is_empty());
        err.details = Some(serde_json::json!({"title": "title must not be empty.", "n": 3}));
        let errors = field_errors(&err);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors["title"], "title must not be empty.");
        assert_eq!(unplaced(&errors, &["title".into()]), Vec::<&str>::new());
        assert_eq!(unplaced(&errors, &[]), vec!["title must not be empty."]);
    }
}
