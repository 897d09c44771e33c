//! JavaScript patterns. They read the code with comments removed and string contents blanked.

use super::{re, Finding, Kind};
use crate::challenges::feedback::normalize::code_only;
use crate::challenges::model::Language;
use regex::Regex;
use std::sync::LazyLock;

/// Callbacks nested this deep (a callback inside a callback inside a callback) are a pyramid.
pub const DEEP_CALLBACKS: usize = 3;

struct Patterns {
    var: Regex,
    loose_equality: Regex,
    then: Regex,
    catch: Regex,
    console_log: Regex,
    let_const: Regex,
    strict_equality: Regex,
    await_in_try: Regex,
    arrow: Regex,
}

static P: LazyLock<Patterns> = LazyLock::new(|| Patterns {
    var: re(r"(?:^|[^\w$.])var\s+[\w$\[{]"),
    loose_equality: re(r"(?:^|[^=!<>])(?:==|!=)(?:[^=]|$)"),
    then: re(r"\.then\s*\("),
    catch: re(r"\.catch\s*\(|\bcatch\s*[({]|\.then\s*\([^;]*,\s*(?:function|\(?\w*\)?\s*=>)"),
    console_log: re(r"\bconsole\.log\s*\("),
    let_const: re(r"(?:^|[^\w$.])(?:const|let)\s+[\w$\[{]"),
    strict_equality: re(r"===|!=="),
    await_in_try: re(r"(?s)\btry\s*\{[^}]*\bawait\b"),
    arrow: re(r"=>"),
});

/// The JavaScript rules' findings, in a fixed order.
pub fn analyse(code: &str) -> Vec<Finding> {
    let code = code_only(Language::Javascript, code);
    let p = &*P;
    let mut out = Vec::new();
    let mut add = |hit: bool, f: Finding| {
        if hit {
            out.push(f);
        }
    };
    let uses_var = p.var.is_match(&code);
    let loose = p.loose_equality.is_match(&code);
    add(
        uses_var,
        Finding::new(
            "js-var",
            Kind::Improvement,
            "`var` is function-scoped and hoisted, which invites bugs in loops and blocks.",
            "Use `const` by default and `let` when the value changes.",
        ),
    );
    add(
        loose,
        Finding::new(
            "js-loose-equality",
            Kind::Improvement,
            "`==` / `!=` convert types before comparing (`0 == ''` is true).",
            "Use `===` and `!==`.",
        ),
    );
    add(
        p.then.is_match(&code) && !p.catch.is_match(&code),
        Finding::new(
            "js-unhandled-promise",
            Kind::ConceptualError,
            "A promise chain has no rejection handler: a failure becomes an unhandled rejection.",
            "End the chain with `.catch(...)`, or `await` it inside `try { } catch { }`.",
        ),
    );
    add(
        p.console_log.is_match(&code),
        Finding::new(
            "js-console-log",
            Kind::Improvement,
            "`console.log` calls were left in the solution.",
            "Remove debugging output before submitting, or use a logger with levels.",
        ),
    );
    add(
        callback_depth(&code) >= DEEP_CALLBACKS,
        Finding::new(
            "js-callback-pyramid",
            Kind::Improvement,
            "Callbacks are nested three or more deep (a \"pyramid of doom\").",
            "Flatten it with named functions, promises or `async`/`await`.",
        ),
    );
    let mut strength = |hit: bool, rule: &'static str, message: &str| {
        if hit {
            out.push(Finding::new(rule, Kind::Strength, message, ""));
        }
    };
    strength(
        p.let_const.is_match(&code) && !uses_var,
        "js-let-const",
        "Variables are declared with `const`/`let` only.",
    );
    strength(
        p.strict_equality.is_match(&code) && !loose,
        "js-strict-equality",
        "Comparisons use strict equality.",
    );
    strength(
        p.await_in_try.is_match(&code),
        "js-await-try",
        "Awaited calls are wrapped in `try`/`catch`.",
    );
    strength(
        p.arrow.is_match(&code),
        "js-arrow",
        "Arrow functions keep the callbacks short.",
    );
    out
}

/// The deepest nesting of function bodies passed as arguments (a `{` opened after `function`
/// or `=>` while a call's parenthesis is still open).
fn callback_depth(code: &str) -> usize {
    // For each open brace: whether it is a callback body, and the paren depth outside it.
    let mut braces: Vec<bool> = Vec::new();
    let mut parens: Vec<usize> = vec![0];
    let mut segment = String::new();
    let mut max = 0;
    for ch in code.chars() {
        match ch {
            '(' => {
                if let Some(p) = parens.last_mut() {
                    *p += 1;
                }
            }
            ')' => {
                if let Some(p) = parens.last_mut() {
                    *p = p.saturating_sub(1);
                }
            }
            '{' => {
                let in_call = parens.last().copied().unwrap_or(0) > 0;
                let is_fn = segment.contains("=>") || segment.contains("function");
                braces.push(in_call && is_fn);
                parens.push(0);
                max = max.max(braces.iter().filter(|b| **b).count());
                segment.clear();
                continue;
            }
            '}' => {
                braces.pop();
                if parens.len() > 1 {
                    parens.pop();
                }
                segment.clear();
                continue;
            }
            ';' => segment.clear(),
            _ => {}
        }
        segment.push(ch);
    }
    max
}

#[cfg(test)]
mod tests {
    use super::super::ids;
    use super::*;

    fn has(code: &str, rule: &str) -> bool {
        ids(&analyse(code)).contains(&rule)
    }

    #[test]
    fn each_rule_matches_its_pattern_and_not_the_good_form() {
        let cases: &[(&str, &str, &str)] = &[
            ("js-var", "var x = 1;", "const x = 1; // var y\nlet s = 'var z';"),
            ("js-loose-equality", "if (a == b) {}", "if (a === b && c !== d && e <= f) {}"),
            ("js-unhandled-promise", "fetch(u).then(r => r.json());", "fetch(u).then(r => r.json()).catch(e => report(e));"),
            ("js-console-log", "console.log(x);", "logger.info(x); // console.log(x)"),
            (
                "js-callback-pyramid",
                "a(function () {\n  b(function () {\n    c(() => {\n      d();\n    });\n  });\n});",
                "a(function () {\n  b(() => {\n    d();\n  });\n});\nfunction e() { if (x) { if (y) { z(); } } }",
            ),
            ("js-let-const", "const x = 1;", "var x = 1;"),
            ("js-strict-equality", "if (a === b) {}", "if (a == b) {}"),
            ("js-await-try", "async function f() { try { await g(); } catch (e) {} }", "async function f() { await g(); }"),
        ];
        for (rule, bad, good) in cases {
            assert!(has(bad, rule), "{rule} should match {bad:?}");
            assert!(!has(good, rule), "{rule} should not match {good:?}");
        }
    }

    #[test]
    fn awaiting_inside_try_counts_as_handling_a_then() {
        let code = "async function f() { try { await g().then(h); } catch (e) { } }";
        assert!(!has(code, "js-unhandled-promise"));
    }
}
