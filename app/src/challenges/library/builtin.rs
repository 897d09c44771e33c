//! The 21 built-in tasks, one TOML file each under `tasks/` (the same fields as the JSON
//! instructors post; TOML only for readable multi-line code).

use super::TaskSpec;
use std::sync::OnceLock;

/// (file name, contents) of every built-in task, in the brief's order.
const SOURCES: &[(&str, &str)] = &[
    ("t01", include_str!("tasks/t01_fix_a_broken_api_call.toml")),
    ("t02", include_str!("tasks/t02_speed_up_a_slow_query.toml")),
    ("t03", include_str!("tasks/t03_clean_up_messy_json.toml")),
    ("t04", include_str!("tasks/t04_test_a_math_function.toml")),
    ("t05", include_str!("tasks/t05_robust_file_processor.toml")),
    ("t06", include_str!("tasks/t06_build_an_inventory_api.toml")),
    ("t07", include_str!("tasks/t07_harden_a_web_app.toml")),
    ("t08", include_str!("tasks/t08_paginate_a_long_list.toml")),
    (
        "t09",
        include_str!("tasks/t09_connect_multiple_services.toml"),
    ),
    ("t10", include_str!("tasks/t10_automate_deployment.toml")),
    ("t11", include_str!("tasks/t11_secure_an_express_api.toml")),
    (
        "t12",
        include_str!("tasks/t12_protect_api_from_overuse.toml"),
    ),
    (
        "t13",
        include_str!("tasks/t13_build_a_fluid_product_grid.toml"),
    ),
    (
        "t14",
        include_str!("tasks/t14_optimize_page_loading_performance.toml"),
    ),
    ("t15", include_str!("tasks/t15_model_a_store_database.toml")),
    ("t16", include_str!("tasks/t16_cache_api_responses.toml")),
    (
        "t17",
        include_str!("tasks/t17_build_a_live_notification_system.toml"),
    ),
    (
        "t18",
        include_str!("tasks/t18_create_a_chunked_file_uploader.toml"),
    ),
    (
        "t19",
        include_str!("tasks/t19_process_data_in_parallel.toml"),
    ),
    (
        "t20",
        include_str!("tasks/t20_create_an_adaptive_navigation_menu.toml"),
    ),
    (
        "t21",
        include_str!("tasks/t21_build_a_resource_management_api.toml"),
    ),
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
