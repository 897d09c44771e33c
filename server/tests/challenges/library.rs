//! Every built-in task through the real sandbox with the server's default limits: each
//! reference solution passes all its tests and each starter fails at least one.

use app::challenges::library::self_checks;
use app::challenges::run::CodeRunner;
use clap::Parser;
use futures_util::StreamExt;
use server::challenges::sandbox::BwrapSandbox;

#[tokio::test]
async fn every_reference_solution_passes_and_every_starter_fails_in_the_sandbox() {
    let config = server::config::Config::parse_from(["atrium"]);
    let mut settings = config.sandbox.settings();
    // A uid range of its own (the sandbox tests use 70000.., the server 200000..).
    settings.uid = 73_000;
    settings.work_root = std::env::temp_dir().join("atrium-library-sandbox-tests");
    let sandbox = BwrapSandbox::new(settings);
    let checks = self_checks().expect("library plans");
    assert!(
        checks.len() >= 42,
        "21 tasks, a solution and a starter each"
    );
    let failures: Vec<String> = futures_util::stream::iter(checks)
        .map(|check| {
            let sandbox = sandbox.clone();
            async move {
                let outcome = sandbox.run(check.plan.clone()).await;
                match &outcome.sandbox_error {
                    Some(e) => Err(format!("{}: sandbox error {e}", check.label())),
                    None => check.verdict(&outcome),
                }
            }
        })
        .buffer_unordered(2)
        .filter_map(|r| async move { r.err() })
        .collect()
        .await;
    assert!(failures.is_empty(), "{failures:#?}");
}
