//! The authoring form's state: one signal per field and rows for language variants and tests,
//! filled from a [`ChallengeInput`] (`collect` reads it back). Nothing typed is lost on an
//! error: the signals are only replaced when a challenge is loaded.

use super::fields::{join_list, show_expected, FieldErrors};
use crate::challenges::editor::CodeEditorHandle;
use crate::challenges::model::{Difficulty, Language};
use crate::challenges::views::{ChallengeInput, CheckInput, FileInput, TestInput, VariantInput};
use leptos::prelude::*;

/// Languages an author can offer, in menu order.
pub const LANGUAGES: [Language; 3] = [Language::Python, Language::Javascript, Language::Sql];

/// One language variant: starter code, reference solution, SQL setup.
#[derive(Clone, Copy)]
pub struct VariantRow {
    pub key: u64,
    pub language: RwSignal<Language>,
    pub starter: RwSignal<String>,
    pub solution: RwSignal<String>,
    pub setup: RwSignal<String>,
    /// Support files are kept as loaded (the form does not edit them).
    pub files: StoredValue<Vec<FileInput>>,
    pub starter_editor: CodeEditorHandle,
    pub solution_editor: CodeEditorHandle,
}

/// A test's body in one language.
#[derive(Clone, Copy)]
pub struct CheckRow {
    pub language: Language,
    pub code: RwSignal<String>,
    pub expected: RwSignal<String>,
    pub unordered: RwSignal<bool>,
}

/// One test.
#[derive(Clone, Copy)]
pub struct TestRow {
    pub key: u64,
    pub name: RwSignal<String>,
    pub description: RwSignal<String>,
    pub hidden: RwSignal<bool>,
    /// One per language ever offered while editing (only the current languages are sent).
    pub checks: RwSignal<Vec<CheckRow>>,
}

/// The whole form.
#[derive(Clone, Copy)]
pub struct Form {
    owner: StoredValue<Owner>,
    next_key: StoredValue<u64>,
    pub title: RwSignal<String>,
    pub summary: RwSignal<String>,
    pub description: RwSignal<String>,
    pub category: RwSignal<String>,
    pub difficulty: RwSignal<Difficulty>,
    pub level: RwSignal<String>,
    pub minutes: RwSignal<String>,
    pub skills: RwSignal<String>,
    pub roles: RwSignal<String>,
    pub tools: RwSignal<String>,
    pub objectives: RwSignal<String>,
    pub hints: RwSignal<String>,
    pub grading_note: RwSignal<String>,
    pub is_public: RwSignal<bool>,
    pub variants: RwSignal<Vec<VariantRow>>,
    pub tests: RwSignal<Vec<TestRow>>,
    /// Field path → message, from the server or from the form's own JSON check.
    pub errors: RwSignal<FieldErrors>,
}

/// What a new challenge starts with: Python, one public test.
pub fn blank() -> ChallengeInput {
    ChallengeInput {
        title: String::new(),
        summary: String::new(),
        description: String::new(),
        category: String::new(),
        difficulty: Difficulty::Beginner,
        level: 1,
        skills: Vec::new(),
        roles: Vec::new(),
        tools: Vec::new(),
        estimated_minutes: 15,
        objectives: Vec::new(),
        hints: Vec::new(),
        grading_note: String::new(),
        variants: vec![VariantInput {
            language: Language::Python,
            starter: String::new(),
            solution: String::new(),
            files: Vec::new(),
            setup: String::new(),
        }],
        tests: vec![TestInput {
            name: String::new(),
            public: true,
            description: String::new(),
            checks: Vec::new(),
        }],
        is_public: true,
    }
}

impl Form {
    /// A form holding `input`; call inside the component that owns it.
    pub fn new(input: &ChallengeInput) -> Form {
        let form = Form {
            owner: StoredValue::new(Owner::current().unwrap_or_default()),
            next_key: StoredValue::new(0),
            title: RwSignal::new(input.title.clone()),
            summary: RwSignal::new(input.summary.clone()),
            description: RwSignal::new(input.description.clone()),
            category: RwSignal::new(input.category.clone()),
            difficulty: RwSignal::new(input.difficulty),
            level: RwSignal::new(input.level.to_string()),
            minutes: RwSignal::new(input.estimated_minutes.to_string()),
            skills: RwSignal::new(join_list(&input.skills)),
            roles: RwSignal::new(join_list(&input.roles)),
            tools: RwSignal::new(join_list(&input.tools)),
            objectives: RwSignal::new(input.objectives.join("\n")),
            hints: RwSignal::new(input.hints.join("\n")),
            grading_note: RwSignal::new(input.grading_note.clone()),
            is_public: RwSignal::new(input.is_public),
            variants: RwSignal::new(Vec::new()),
            tests: RwSignal::new(Vec::new()),
            errors: RwSignal::new(FieldErrors::new()),
        };
        for v in &input.variants {
            let row = form.variant_row(v);
            form.variants.update(|rows| rows.push(row));
        }
        for t in &input.tests {
            let row = form.test_row(t);
            form.tests.update(|rows| rows.push(row));
        }
        form.ensure_checks();
        form
    }

    fn key(&self) -> u64 {
        let k = self.next_key.get_value();
        self.next_key.set_value(k + 1);
        k
    }

    /// Runs `f` under the form's owner, so rows made in event handlers live as long as it.
    fn owned<T>(&self, f: impl FnOnce() -> T) -> T {
        self.owner.with_value(|o| o.with(f))
    }

    fn variant_row(&self, v: &VariantInput) -> VariantRow {
        let key = self.key();
        self.owned(|| VariantRow {
            key,
            language: RwSignal::new(v.language),
            starter: RwSignal::new(v.starter.clone()),
            solution: RwSignal::new(v.solution.clone()),
            setup: RwSignal::new(v.setup.clone()),
            files: StoredValue::new(v.files.clone()),
            starter_editor: CodeEditorHandle::new(),
            solution_editor: CodeEditorHandle::new(),
        })
    }

    fn check_row(&self, c: &CheckInput) -> CheckRow {
        self.owned(|| CheckRow {
            language: c.language,
            code: RwSignal::new(c.code.clone()),
            expected: RwSignal::new(show_expected(c.expected.as_ref())),
            unordered: RwSignal::new(c.unordered),
        })
    }

    fn test_row(&self, t: &TestInput) -> TestRow {
        let key = self.key();
        let checks: Vec<CheckRow> = t.checks.iter().map(|c| self.check_row(c)).collect();
        self.owned(|| TestRow {
            key,
            name: RwSignal::new(t.name.clone()),
            description: RwSignal::new(t.description.clone()),
            hidden: RwSignal::new(!t.public),
            checks: RwSignal::new(checks),
        })
    }

    /// The languages offered now, in the variants' order.
    pub fn languages(&self) -> Vec<Language> {
        self.variants
            .with(|rows| rows.iter().map(|r| r.language.get()).collect())
    }

    /// Gives every test a (blank) check for every offered language it lacks.
    pub fn ensure_checks(&self) {
        let languages = self.languages();
        for t in self.tests.get_untracked() {
            for &language in &languages {
                if !t
                    .checks
                    .with_untracked(|c| c.iter().any(|x| x.language == language))
                {
                    let row = self.check_row(&CheckInput {
                        language,
                        code: String::new(),
                        expected: None,
                        unordered: false,
                    });
                    t.checks.update(|c| c.push(row));
                }
            }
        }
    }

    /// Adds a variant in the first language not offered yet (none when all are).
    pub fn add_variant(&self) {
        let used = self.languages();
        if let Some(language) = LANGUAGES.into_iter().find(|l| !used.contains(l)) {
            let row = self.variant_row(&VariantInput {
                language,
                starter: String::new(),
                solution: String::new(),
                files: Vec::new(),
                setup: String::new(),
            });
            self.variants.update(|rows| rows.push(row));
            self.ensure_checks();
        }
    }

    /// Adds a blank public test.
    pub fn add_test(&self) {
        let row = self.test_row(&TestInput {
            name: String::new(),
            public: true,
            description: String::new(),
            checks: Vec::new(),
        });
        self.tests.update(|rows| rows.push(row));
        self.ensure_checks();
    }

    /// The error for a field path, if any (reactive).
    pub fn error(&self, path: &str) -> Option<String> {
        self.errors.with(|e| e.get(path).cloned())
    }
}
