//! An authoring body read as a task (`is_public` split off, the slug imposed), every field
//! error of it at once, and a stored task turned back into the editor's form.

use crate::challenges::library::{self, TaskSpec};
use crate::challenges::model::Language;
use crate::challenges::views::ChallengeInput;
use crate::error::{AppError, ErrorCode};
use std::collections::BTreeMap;

/// Longest code (starter, solution, submission, draft) accepted, in bytes.
pub const MAX_CODE_BYTES: usize = 64 * 1024;

/// A URL-friendly form of a title.
pub fn slugify(title: &str) -> String {
    let mut out = String::new();
    for ch in title.chars().flat_map(char::to_lowercase) {
        if ch.is_ascii_alphanumeric() {
            out.push(ch);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 48 {
            break;
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Splits the body into the task and `is_public`; 422 for a body that is not a task.
pub fn parse_input(
    body: &serde_json::Value,
    slug: &str,
) -> Result<(TaskSpec, Option<bool>), AppError> {
    let mut obj = body
        .as_object()
        .cloned()
        .ok_or_else(|| AppError::new(ErrorCode::Validation, "The body must be a JSON object."))?;
    let is_public = match obj.remove("is_public") {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::Bool(b)) => Some(b),
        Some(_) => {
            return Err(AppError::invalid_field(
                "is_public",
                "is_public must be true or false.",
            ))
        }
    };
    obj.insert("slug".into(), serde_json::Value::String(slug.to_string()));
    let task: TaskSpec = serde_json::from_value(serde_json::Value::Object(obj))
        .map_err(|e| AppError::new(ErrorCode::Validation, format!("Not a valid challenge: {e}")))?;
    Ok((task, is_public))
}

fn check_text(errors: &mut BTreeMap<String, String>, field: &str, value: &str, max: usize) {
    if value.trim().is_empty() {
        errors.insert(field.into(), format!("{field} must not be empty."));
    } else if value.len() > max {
        errors.insert(
            field.into(),
            format!("{field} must be at most {max} bytes."),
        );
    }
}

/// Every field error of a task at once (`details` maps the field path to its message).
pub fn validate(task: &TaskSpec) -> Result<(), AppError> {
    let mut errors = BTreeMap::new();
    check_text(&mut errors, "title", &task.title, 200);
    check_text(&mut errors, "description", &task.description, 20_000);
    check_text(&mut errors, "category", &task.category, 60);
    if !(1..=10).contains(&task.level) {
        errors.insert("level".into(), "level must be between 1 and 10.".into());
    }
    if !(1..=600).contains(&task.estimated_minutes) {
        errors.insert(
            "estimated_minutes".into(),
            "estimated_minutes must be between 1 and 600.".into(),
        );
    }
    if task.variants.is_empty() {
        errors.insert("variants".into(), "Give at least one language.".into());
    }
    let mut seen: Vec<Language> = Vec::new();
    for (i, v) in task.variants.iter().enumerate() {
        if seen.contains(&v.language) {
            errors.insert(
                format!("variants[{i}].language"),
                "Each language once.".into(),
            );
        }
        seen.push(v.language);
        if v.starter.len() > MAX_CODE_BYTES {
            errors.insert(format!("variants[{i}].starter"), "At most 64 KB.".into());
        }
        check_text(
            &mut errors,
            &format!("variants[{i}].solution"),
            &v.solution,
            MAX_CODE_BYTES,
        );
    }
    if task.tests.is_empty() {
        errors.insert("tests".into(), "Give at least one test.".into());
    }
    for (i, t) in task.tests.iter().enumerate() {
        check_text(&mut errors, &format!("tests[{i}].name"), &t.name, 200);
        if task.tests[..i].iter().any(|o| o.name == t.name) {
            errors.insert(
                format!("tests[{i}].name"),
                "Test names must be unique.".into(),
            );
        }
    }
    if errors.is_empty() {
        if let Err(why) = library::validate(task) {
            errors.insert("tests".into(), why);
        }
    }
    if errors.is_empty() {
        return Ok(());
    }
    let mut err = AppError::new(ErrorCode::Validation, "The challenge has invalid fields.");
    err.details = Some(serde_json::to_value(errors).unwrap_or_default());
    Err(err)
}

/// A task as its editor form: the spec without its slug, plus `is_public`.
pub fn to_input(task: &TaskSpec, is_public: bool) -> Result<ChallengeInput, AppError> {
    let mut value = serde_json::to_value(task).map_err(AppError::internal)?;
    if let Some(obj) = value.as_object_mut() {
        obj.remove("slug");
        obj.insert("is_public".into(), serde_json::Value::Bool(is_public));
    }
    serde_json::from_value(value).map_err(AppError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lower_case_words_joined_by_dashes() {
        assert_eq!(slugify("  Fix a Broken API Call!"), "fix-a-broken-api-call");
        assert_eq!(slugify("***"), "");
    }

    #[test]
    fn every_invalid_field_is_reported_at_once() {
        let body = serde_json::json!({
            "title": "", "description": "d", "category": "", "difficulty": "BEGINNER",
            "level": 11, "skills": [], "roles": [], "tools": [], "estimated_minutes": 0,
            "objectives": [], "hints": [], "grading_note": "", "variants": [], "tests": [],
        });
        let (task, public) = parse_input(&body, "s").expect("parses");
        assert_eq!(public, None);
        let err = validate(&task).expect_err("invalid");
        let details = err.details.expect("details");
        for field in [
            "title",
            "category",
            "level",
            "estimated_minutes",
            "variants",
            "tests",
        ] {
            assert!(details.get(field).is_some(), "{field} missing in {details}");
        }
    }

    #[test]
    fn the_edit_form_round_trips_every_library_task() {
        for task in library::all_tasks() {
            let input = to_input(&task, false).expect("input");
            let body = serde_json::to_value(&input).expect("json");
            let (back, public) = parse_input(&body, &task.slug).expect("parses");
            assert_eq!(public, Some(false));
            assert_eq!(back, task, "{} changed on the way", task.slug);
        }
    }

    #[test]
    fn a_body_that_is_not_a_task_is_a_validation_error() {
        let err = parse_input(&serde_json::json!({"title": 3}), "s").expect_err("bad");
        assert_eq!(err.code, ErrorCode::Validation);
        let err = parse_input(&serde_json::json!({"is_public": "yes"}), "s").expect_err("bad");
        assert!(err.details.is_some());
    }
}
