//! Strict validation of the model's review (pure). The answer must be a JSON object with the
//! four lists as arrays of strings and an integer `score` from 0 to 100; anything else is
//! rejected (and the local reviewer answers). Accepted text is single-line, each item at most
//! [`MAX_ITEM_CHARS`] characters, each list at most [`MAX_ITEMS`] items.

use serde_json::Value;

/// Most items per list.
pub const MAX_ITEMS: usize = 5;

/// Longest item, in characters.
pub const MAX_ITEM_CHARS: usize = 240;

/// The list fields, in the order of [`Review::lists`].
pub const LIST_FIELDS: [&str; 4] = [
    "strengths",
    "improvements",
    "conceptual_errors",
    "suggestions",
];

/// A validated model review.
#[derive(Clone, Debug, PartialEq)]
pub struct Review {
    /// strengths, improvements, conceptual errors, suggestions.
    pub lists: [Vec<String>; 4],
    pub score: u8,
}

/// Checks `value` (the parsed content of the model's message).
pub fn validate(value: &Value) -> Result<Review, String> {
    let obj = value.as_object().ok_or("the answer is not a JSON object")?;
    let mut lists: [Vec<String>; 4] = Default::default();
    for (i, field) in LIST_FIELDS.iter().enumerate() {
        let items = obj
            .get(*field)
            .and_then(Value::as_array)
            .ok_or_else(|| format!("`{field}` is not a list"))?;
        for item in items {
            let text = item
                .as_str()
                .ok_or_else(|| format!("`{field}` holds a non-string"))?;
            let text = clip(&one_line(text), MAX_ITEM_CHARS);
            if !text.is_empty() && lists[i].len() < MAX_ITEMS && !lists[i].contains(&text) {
                lists[i].push(text);
            }
        }
    }
    let score = match obj.get("score") {
        Some(Value::Number(n)) => n
            .as_u64()
            .or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && *f >= 0.0)
                    .map(|f| f as u64)
            })
            .filter(|s| *s <= 100)
            .ok_or_else(|| format!("score {n} is not an integer from 0 to 100"))?,
        _ => return Err("`score` is missing or not a number".into()),
    };
    if lists.iter().all(Vec::is_empty) {
        return Err("the answer has no items".into());
    }
    Ok(Review {
        lists,
        score: score as u8,
    })
}

/// Control characters and runs of whitespace become single spaces; ends trimmed.
pub fn one_line(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// At most `max` characters of `s`, ending in `…` when cut.
pub fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut cut: String = s.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn answer() -> Value {
        json!({
            "strengths": ["Clear names"],
            "improvements": ["Handle empty input"],
            "conceptual_errors": [],
            "suggestions": ["Add a test for []"],
            "score": 82
        })
    }

    #[test]
    fn a_valid_answer_is_accepted() {
        let r = validate(&answer()).expect("valid");
        assert_eq!(r.score, 82);
        assert_eq!(r.lists[0], ["Clear names"]);
        assert!(r.lists[2].is_empty());
        let mut float = answer();
        float["score"] = json!(90.0);
        assert_eq!(validate(&float).expect("90.0").score, 90);
    }

    #[test]
    fn out_of_range_or_missing_scores_are_rejected() {
        for bad in [json!(101), json!(-1), json!(55.5), json!("80"), Value::Null] {
            let mut a = answer();
            a["score"] = bad.clone();
            assert!(validate(&a).is_err(), "{bad}");
        }
        let mut a = answer();
        a.as_object_mut().expect("object").remove("score");
        assert!(validate(&a).is_err());
    }

    #[test]
    fn wrong_shapes_are_rejected() {
        assert!(validate(&json!([1, 2])).is_err());
        assert!(validate(&json!("text")).is_err());
        let mut a = answer();
        a["strengths"] = json!("Clear names");
        assert!(validate(&a).is_err());
        let mut a = answer();
        a["improvements"] = json!([{"text": "x"}]);
        assert!(validate(&a).is_err());
        let mut a = answer();
        a.as_object_mut().expect("object").remove("suggestions");
        assert!(validate(&a).is_err());
        let empty = json!({"strengths": [], "improvements": [" "], "conceptual_errors": [],
                           "suggestions": [], "score": 50});
        assert!(validate(&empty).is_err());
    }

    #[test]
    fn oversized_lists_and_items_are_capped() {
        let mut a = answer();
        let many: Vec<String> = (0..20).map(|i| format!("item {i}")).collect();
        a["suggestions"] = json!(many);
        a["strengths"] = json!(["x".repeat(1000), "two\nlines"]);
        let r = validate(&a).expect("valid");
        assert_eq!(r.lists[3].len(), MAX_ITEMS);
        assert_eq!(r.lists[0][0].chars().count(), MAX_ITEM_CHARS);
        assert!(r.lists[0][0].ends_with('…'));
        assert_eq!(r.lists[0][1], "two lines");
    }
}
