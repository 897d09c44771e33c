//! The authoring form read back as a [`ChallengeInput`] for the server, with the errors the
//! form can find itself (JSON in a test's "expected").

use super::fields::{parse_count, parse_expected, split_lines, split_list, FieldErrors};
use super::state::Form;
use crate::challenges::model::Language;
use crate::challenges::views::{ChallengeInput, CheckInput, TestInput, VariantInput};
use leptos::prelude::*;

impl Form {
    /// The form as the server's input; the form's own errors (JSON in "expected") otherwise.
    pub fn collect(&self) -> Result<ChallengeInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let languages = self.languages();
        let variants = self.variants.get_untracked();
        for v in &variants {
            v.starter_editor.flush();
            v.solution_editor.flush();
        }
        let variants = variants
            .iter()
            .map(|v| VariantInput {
                language: v.language.get_untracked(),
                starter: v.starter.get_untracked(),
                solution: v.solution.get_untracked(),
                files: v.files.get_value(),
                setup: v.setup.get_untracked(),
            })
            .collect();
        let mut tests = Vec::new();
        for (i, t) in self.tests.get_untracked().iter().enumerate() {
            let mut checks = Vec::new();
            for &language in &languages {
                let Some(c) = t
                    .checks
                    .with_untracked(|c| c.iter().find(|x| x.language == language).copied())
                else {
                    continue;
                };
                match parse_expected(&c.expected.get_untracked()) {
                    Ok(expected) => checks.push(CheckInput {
                        language,
                        code: c.code.get_untracked(),
                        expected,
                        unordered: c.unordered.get_untracked(),
                    }),
                    Err(why) => {
                        errors.insert(check_path(i, language, "expected"), why);
                    }
                }
            }
            tests.push(TestInput {
                name: t.name.get_untracked(),
                public: !t.hidden.get_untracked(),
                description: t.description.get_untracked(),
                checks,
            });
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ChallengeInput {
            title: self.title.get_untracked(),
            summary: self.summary.get_untracked(),
            description: self.description.get_untracked(),
            category: self.category.get_untracked(),
            difficulty: self.difficulty.get_untracked(),
            level: parse_count(&self.level.get_untracked()),
            skills: split_list(&self.skills.get_untracked()),
            roles: split_list(&self.roles.get_untracked()),
            tools: split_list(&self.tools.get_untracked()),
            estimated_minutes: parse_count(&self.minutes.get_untracked()),
            objectives: split_lines(&self.objectives.get_untracked()),
            hints: split_lines(&self.hints.get_untracked()),
            grading_note: self.grading_note.get_untracked(),
            variants,
            tests,
            is_public: self.is_public.get_untracked(),
        })
    }
}

/// The form's own path for a check's field (the server never reports checks by index).
pub fn check_path(test: usize, language: Language, field: &str) -> String {
    format!("tests[{test}].checks.{}.{field}", language.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::challenges::pages::author::state::blank;
    use crate::challenges::views::FileInput;

    #[test]
    fn a_loaded_challenge_comes_back_unchanged() {
        let owner = Owner::new();
        owner.with(|| {
            let mut input = blank();
            input.title = "Add".into();
            input.skills = vec!["testing".into(), "python".into()];
            input.hints = vec!["one".into(), "two".into()];
            input.tests[0].public = false;
            input.tests[0].checks.push(CheckInput {
                language: Language::Python,
                code: "return add(2, 3)".into(),
                expected: Some(serde_json::json!(5)),
                unordered: false,
            });
            input.variants[0].files.push(FileInput {
                path: "lib.py".into(),
                content: "x = 1".into(),
            });
            let form = Form::new(&input);
            assert_eq!(form.collect().ok(), Some(input));
        });
    }

    #[test]
    fn new_variants_and_tests_get_a_check_per_language_and_bad_json_is_reported() {
        let owner = Owner::new();
        owner.with(|| {
            let form = Form::new(&blank());
            form.add_variant();
            form.add_test();
            assert_eq!(
                form.languages(),
                vec![Language::Python, Language::Javascript]
            );
            let input = form.collect().expect("valid");
            assert_eq!(input.tests.len(), 2);
            assert!(input.tests.iter().all(|t| t.checks.len() == 2));
            let t = form.tests.get_untracked()[1];
            t.checks.get_untracked()[0].expected.set("nope".into());
            let errors = form.collect().expect_err("bad json");
            assert!(errors.contains_key(&check_path(1, Language::Python, "expected")));
        });
    }
}
