//! The 21 built-in tasks, one TOML file each under `tasks/` (the same fields as the JSON
//! instructors post; TOML only for readable multi-line code).

use super::TaskSpec;
use std::sync::OnceLock;

/// (file name, contents) of every built-in task, in the brief's order.
const SOURCES: &[(&str, &str)] = &[
    ("t02", include_str!("tasks/t02_speed_up_a_slow_query.toml")),
    ("t04", include_str!("tasks/t04_test_a_math_function.toml")),
    ("t11", include_str!("tasks/t11_secure_an_express_api.toml")),
];

/// Parses each built-in source; an error names the file (a bug the unit tests catch).
pub(crate) fn parse_all() -> Vec<Result<TaskSpec, String>> {
    SOURCES
        .iter()
        .map(|(name, src)| toml::from_str::<TaskSpec>(src).map_err(|e| format!("{name}: {e}")))
        .collect()
}

/// Every built-in task, in the brief's order.
pub fn all_tasks() -> Vec<TaskSpec> {
    static TASKS: OnceLock<Vec<TaskSpec>> = OnceLock::new();
    TASKS
        .get_or_init(|| {
            parse_all()
                .into_iter()
                .filter_map(|r| {
                    r.map_err(|e| tracing::error!("a built-in challenge does not parse: {e}"))
                        .ok()
                })
                .collect()
        })
        .clone()
}
