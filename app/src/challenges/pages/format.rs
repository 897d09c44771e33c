//! Words for the area's enums: labels, the status line and limit breaches explained.

use crate::challenges::model::{
    Difficulty, FeedbackSource, Language, LimitBreach, SubmissionStatus,
};
use crate::challenges::views::{FeedbackStatus, ProgressStatus, SubmissionView};

/// Difficulty bands in display order (Beginner → Expert).
pub const DIFFICULTIES: [Difficulty; 4] = [
    Difficulty::Beginner,
    Difficulty::Intermediate,
    Difficulty::Advanced,
    Difficulty::Expert,
];

/// "Beginner", "Intermediate", …
pub fn difficulty_label(d: Difficulty) -> &'static str {
    match d {
        Difficulty::Beginner => "Beginner",
        Difficulty::Intermediate => "Intermediate",
        Difficulty::Advanced => "Advanced",
        Difficulty::Expert => "Expert",
    }
}

/// The query-string form of a difficulty (`beginner`, …).
pub fn difficulty_param(d: Difficulty) -> &'static str {
    match d {
        Difficulty::Beginner => "beginner",
        Difficulty::Intermediate => "intermediate",
        Difficulty::Advanced => "advanced",
        Difficulty::Expert => "expert",
    }
}

/// Parses [`difficulty_param`]'s form (any case).
pub fn parse_difficulty(s: &str) -> Option<Difficulty> {
    DIFFICULTIES
        .into_iter()
        .find(|d| difficulty_param(*d).eq_ignore_ascii_case(s))
}

/// "Python", "JavaScript", "SQL".
pub fn language_label(l: Language) -> &'static str {
    match l {
        Language::Python => "Python",
        Language::Javascript => "JavaScript",
        Language::Sql => "SQL",
    }
}

/// Parses [`Language::as_str`]'s form.
pub fn parse_language(s: &str) -> Option<Language> {
    [Language::Python, Language::Javascript, Language::Sql]
        .into_iter()
        .find(|l| l.as_str() == s)
}

/// Progress statuses with their query-string form and label.
pub const PROGRESS_STATUSES: [(ProgressStatus, &str, &str); 3] = [
    (ProgressStatus::NotStarted, "not_started", "Not started"),
    (ProgressStatus::InProgress, "in_progress", "In progress"),
    (ProgressStatus::Completed, "completed", "Completed"),
];

/// "Not started", "In progress", "Completed".
pub fn progress_label(s: ProgressStatus) -> &'static str {
    PROGRESS_STATUSES
        .iter()
        .find(|(p, _, _)| *p == s)
        .map_or("", |(_, _, label)| label)
}

/// The query-string form of a progress status.
pub fn progress_param(s: ProgressStatus) -> &'static str {
    PROGRESS_STATUSES
        .iter()
        .find(|(p, _, _)| *p == s)
        .map_or("", |(_, param, _)| param)
}

/// Parses [`progress_param`]'s form.
pub fn parse_progress(s: &str) -> Option<ProgressStatus> {
    PROGRESS_STATUSES
        .iter()
        .find(|(_, param, _)| *param == s)
        .map(|(p, _, _)| *p)
}

/// The status line of a submission ("Queued", "Running", "Passed", …).
pub fn status_label(s: SubmissionStatus) -> &'static str {
    match s {
        SubmissionStatus::Pending => "Queued",
        SubmissionStatus::Running => "Running",
        SubmissionStatus::Passed => "Passed",
        SubmissionStatus::Failed => "Failed",
        SubmissionStatus::Error => "Error",
    }
}

/// Whether a submission has reached a final state.
pub fn is_final(s: SubmissionStatus) -> bool {
    matches!(
        s,
        SubmissionStatus::Passed | SubmissionStatus::Failed | SubmissionStatus::Error
    )
}

/// Whether nothing more will change: a final status and no feedback still being written.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub fn settled(s: &SubmissionView) -> bool {
    is_final(s.status) && s.feedback_status != Some(FeedbackStatus::Pending)
}

/// What stopped the run, in words the learner can act on.
pub fn breach_text(b: LimitBreach) -> &'static str {
    match b {
        LimitBreach::CpuTime => {
            "Time limit exceeded: your code used more CPU time than allowed. Look for an endless loop or a slower-than-needed algorithm."
        }
        LimitBreach::WallTime => {
            "Time limit exceeded: your code ran longer than the wall-clock limit. Is it waiting for input or sleeping?"
        }
        LimitBreach::Memory => {
            "Memory limit exceeded: your code tried to use more memory than allowed. Avoid building very large lists or strings."
        }
        LimitBreach::Output => {
            "Output limit exceeded: your code printed too much; the rest was cut off. Remove debugging prints."
        }
        LimitBreach::FileSize => {
            "File size limit exceeded: your code wrote a file larger than allowed, or filled the sandbox's /work or /tmp space."
        }
        LimitBreach::Processes => {
            "Process limit exceeded: your code started too many processes."
        }
        LimitBreach::Killed => "Your code was stopped by the sandbox before it finished.",
    }
}

/// Who wrote a piece of feedback, for its visible label.
pub fn source_label(source: FeedbackSource, model: Option<&str>) -> String {
    match source {
        FeedbackSource::Cache => "From cache (an earlier review of the same code)".to_string(),
        FeedbackSource::Rules => "Rule-based review".to_string(),
        FeedbackSource::Model => match model {
            Some(name) if !name.is_empty() => format!("AI model ({name})"),
            _ => "AI model".to_string(),
        },
        FeedbackSource::LocalReviewer => "Local reviewer (no AI model)".to_string(),
    }
}

/// A score out of 100, without a needless ".0".
pub fn score(s: f32) -> String {
    if (s - s.round()).abs() < 0.05 {
        format!("{:.0}", s)
    } else {
        format!("{s:.1}")
    }
}

/// Milliseconds as "12 ms" or "1.25 s".
pub fn millis(ms: u64) -> String {
    if ms < 1000 {
        format!("{ms} ms")
    } else {
        format!("{:.2} s", ms as f64 / 1000.0)
    }
}

/// Kibibytes as "812 KB" or "12.4 MB".
pub fn memory(kb: u64) -> String {
    if kb < 1024 {
        format!("{kb} KB")
    } else {
        format!("{:.1} MB", kb as f64 / 1024.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_round_trip() {
        for d in DIFFICULTIES {
            assert_eq!(parse_difficulty(difficulty_param(d)), Some(d));
        }
        for (p, param, _) in PROGRESS_STATUSES {
            assert_eq!(parse_progress(param), Some(p));
        }
        assert_eq!(parse_language("python"), Some(Language::Python));
        assert_eq!(parse_difficulty("nope"), None);
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(score(100.0), "100");
        assert_eq!(score(62.5), "62.5");
        assert_eq!(millis(12), "12 ms");
        assert_eq!(millis(1250), "1.25 s");
        assert_eq!(memory(512), "512 KB");
        assert_eq!(memory(12_698), "12.4 MB");
    }

    #[test]
    fn settles_only_after_feedback() {
        let mut s = SubmissionView {
            id: "s1".into(),
            challenge_id: "c1".into(),
            language: Language::Python,
            mode: crate::challenges::views::RunMode::Submit,
            status: SubmissionStatus::Running,
            tests: Vec::new(),
            score: None,
            execution_ms: None,
            peak_memory_kb: None,
            breach: None,
            error: None,
            query_plan: None,
            feedback_status: None,
            feedback: None,
            created_at: String::new(),
            finished_at: None,
        };
        assert!(!settled(&s));
        s.status = SubmissionStatus::Passed;
        s.feedback_status = Some(FeedbackStatus::Pending);
        assert!(!settled(&s));
        s.feedback_status = Some(FeedbackStatus::Ready);
        assert!(settled(&s));
        s.feedback_status = None;
        assert!(
            settled(&s),
            "a run without feedback settles with its status"
        );
    }

    #[test]
    fn sources_are_named() {
        assert_eq!(
            source_label(FeedbackSource::Model, Some("qwen2.5")),
            "AI model (qwen2.5)"
        );
        assert!(source_label(FeedbackSource::LocalReviewer, None).contains("Local reviewer"));
        assert!(breach_text(LimitBreach::CpuTime).starts_with("Time limit exceeded"));
    }

    #[test]
    fn the_file_size_breach_also_names_a_full_work_or_tmp() {
        // The sandbox reports a full /work or /tmp tmpfs (ENOSPC) as this breach too.
        let text = breach_text(LimitBreach::FileSize);
        assert!(text.contains("/work") && text.contains("/tmp"), "{text}");
    }
}
