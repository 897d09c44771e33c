//! Python patterns. They read the code with comments removed and string contents blanked.

use super::{re, Finding, Kind};
use crate::challenges::feedback::normalize::code_only;
use crate::challenges::model::Language;
use regex::Regex;
use std::sync::LazyLock;

/// Non-blank body lines above which a function is "very long".
pub const LONG_FUNCTION_LINES: usize = 40;

struct Patterns {
    bare_except: Regex,
    eval_exec: Regex,
    mutable_default: Regex,
    none_compare: Regex,
    range_len: Regex,
    wildcard_import: Regex,
    def: Regex,
    for_loop: Regex,
    type_hints: Regex,
    specific_except: Regex,
    with_block: Regex,
    comprehension: Regex,
    docstring: Regex,
}

static P: LazyLock<Patterns> = LazyLock::new(|| Patterns {
    bare_except: re(r"(?m)^\s*except\s*:"),
    eval_exec: re(r"(?:^|[^\w.])(?:eval|exec)\s*\("),
    mutable_default: re(r"\bdef\s+\w+\s*\([^)]*=\s*(?:\[\s*\]|\{\s*\}|list\(\)|dict\(\)|set\(\))"),
    none_compare: re(r"[=!]=\s*None\b|\bNone\s*[=!]="),
    range_len: re(r"\brange\s*\(\s*len\s*\("),
    wildcard_import: re(r"(?m)^\s*from\s+\S+\s+import\s+\*"),
    def: re(r"^(\s*)def\s+(\w+)"),
    for_loop: re(r"^(\s*)for\s+.+?\s+in\s+(.+?)\s*:\s*$"),
    type_hints: re(r"\bdef\s+\w+\s*\([^)]*\)\s*->|\bdef\s+\w+\s*\(\s*\w+\s*:\s*\w"),
    specific_except: re(r"(?m)^\s*except\s+\(?[A-Z]\w*"),
    with_block: re(r"(?m)^\s*with\s+\S"),
    comprehension: re(r"[\[{(][^\[\]{}()]*\bfor\b[^\[\]{}()]*\bin\b"),
    docstring: re(r#"(?m)^\s*def\s[^\n]*:\s*\n\s*(?:"""|''')"#),
});

/// The Python rules' findings, in a fixed order.
pub fn analyse(code: &str) -> Vec<Finding> {
    let code = code_only(Language::Python, code);
    let p = &*P;
    let mut out = Vec::new();
    let mut add = |hit: bool, f: Finding| {
        if hit {
            out.push(f);
        }
    };
    add(p.bare_except.is_match(&code), Finding::new(
        "py-bare-except",
        Kind::ConceptualError,
        "A bare `except:` also catches KeyboardInterrupt, SystemExit and your own bugs, and hides them.",
        "Catch the exceptions you expect, e.g. `except (ValueError, KeyError) as e:`.",
    ));
    add(p.eval_exec.is_match(&code), Finding::new(
        "py-eval-exec",
        Kind::ConceptualError,
        "`eval`/`exec` run arbitrary text as code: a security hole with any outside input.",
        "Parse the data instead (`int()`, `json.loads`, `ast.literal_eval`) or use a dict of functions.",
    ));
    add(
        p.mutable_default.is_match(&code),
        Finding::new(
            "py-mutable-default",
            Kind::ConceptualError,
            "A mutable default argument (`[]`, `{}`) is created once and shared by every call.",
            "Default to `None` and create the list or dict inside the function.",
        ),
    );
    add(
        p.none_compare.is_match(&code),
        Finding::new(
            "py-none-compare",
            Kind::Improvement,
            "`== None` / `!= None` can be fooled by a custom `__eq__`.",
            "Compare with `is None` / `is not None`.",
        ),
    );
    add(
        p.range_len.is_match(&code),
        Finding::new(
            "py-range-len",
            Kind::Improvement,
            "`range(len(x))` indexing is harder to read than iterating directly.",
            "Iterate over the items, or use `enumerate(x)` when you need the index too.",
        ),
    );
    add(
        p.wildcard_import.is_match(&code),
        Finding::new(
            "py-wildcard-import",
            Kind::Improvement,
            "`from module import *` hides where names come from and can shadow your own.",
            "Import the names you use, or the module itself.",
        ),
    );
    if let Some((name, lines)) = longest_function(&code) {
        if lines > LONG_FUNCTION_LINES {
            out.push(Finding::new(
                "py-long-function",
                Kind::Improvement,
                &format!(
                    "`{name}` is {lines} lines long; long functions are hard to test and read."
                ),
                "Split it into smaller functions with one job each.",
            ));
        }
    }
    if let Some(iterable) = nested_loop_over_same_data(&code) {
        out.push(Finding::new(
            "py-nested-loop-same-data",
            Kind::Improvement,
            &format!("Two nested loops both go over `{iterable}`: that is quadratic in its size."),
            "Use a set or dict for look-ups, or sort once, to make it a single pass.",
        ));
    }
    let mut strength = |hit: bool, rule: &'static str, message: &str| {
        if hit {
            out.push(Finding::new(rule, Kind::Strength, message, ""));
        }
    };
    strength(
        p.type_hints.is_match(&code),
        "py-type-hints",
        "Type hints make the functions' contracts clear.",
    );
    strength(
        p.docstring.is_match(&code),
        "py-docstring",
        "Functions are documented with docstrings.",
    );
    strength(
        p.specific_except.is_match(&code),
        "py-specific-except",
        "Exceptions are caught by their specific type.",
    );
    strength(
        p.with_block.is_match(&code),
        "py-with",
        "`with` blocks release files and other resources reliably.",
    );
    strength(
        p.comprehension.is_match(&code),
        "py-comprehension",
        "Comprehensions keep the data transformations concise.",
    );
    out
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// The longest function's name and its non-blank body line count.
fn longest_function(code: &str) -> Option<(String, usize)> {
    let lines: Vec<&str> = code.lines().collect();
    let mut best: Option<(String, usize)> = None;
    for (i, line) in lines.iter().enumerate() {
        let Some(c) = P.def.captures(line) else {
            continue;
        };
        let base = c[1].len();
        let body = lines[i + 1..]
            .iter()
            .filter(|l| !l.trim().is_empty())
            .take_while(|l| indent(l) > base)
            .count();
        if best.as_ref().is_none_or(|(_, n)| body > *n) {
            best = Some((c[2].to_string(), body));
        }
    }
    best
}

/// The iterable of a `for` loop nested (at any depth) inside a loop over the same expression.
fn nested_loop_over_same_data(code: &str) -> Option<String> {
    let lines: Vec<&str> = code.lines().filter(|l| !l.trim().is_empty()).collect();
    for (i, line) in lines.iter().enumerate() {
        let Some(outer) = P.for_loop.captures(line) else {
            continue;
        };
        let base = outer[1].len();
        for inner_line in lines[i + 1..].iter().take_while(|l| indent(l) > base) {
            if let Some(inner) = P.for_loop.captures(inner_line) {
                if inner[2] == outer[2] {
                    return Some(outer[2].to_string());
                }
            }
        }
    }
    None
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
            (
                "py-bare-except",
                "try:\n    f()\nexcept:\n    pass\n",
                "try:\n    f()\nexcept ValueError:\n    pass\n",
            ),
            (
                "py-eval-exec",
                "x = eval(s)\n",
                "x = int(s)  # eval(s)\ny = 'exec(z)'\nm.eval(x)\n",
            ),
            (
                "py-mutable-default",
                "def f(a, xs=[]):\n    pass\n",
                "def f(a, xs=None):\n    pass\n",
            ),
            (
                "py-none-compare",
                "if x == None:\n    pass\n",
                "if x is None:\n    pass\n",
            ),
            (
                "py-range-len",
                "for i in range(len(xs)):\n    print(xs[i])\n",
                "for i, x in enumerate(xs):\n    print(x)\n",
            ),
            (
                "py-wildcard-import",
                "from os.path import *\n",
                "from os.path import join\n",
            ),
            (
                "py-nested-loop-same-data",
                "for a in xs:\n    for b in xs:\n        f(a, b)\n",
                "for a in xs:\n    f(a)\nfor b in xs:\n    f(b)\n",
            ),
            (
                "py-type-hints",
                "def add(a: int, b: int) -> int:\n    return a + b\n",
                "def add(a, b):\n    return a + b\n",
            ),
            (
                "py-docstring",
                "def f():\n    \"\"\"Does f.\"\"\"\n    return 1\n",
                "def f():\n    return 1\n",
            ),
            (
                "py-specific-except",
                "try:\n    f()\nexcept KeyError:\n    pass\n",
                "try:\n    f()\nexcept:\n    pass\n",
            ),
            (
                "py-with",
                "with open(p) as fh:\n    fh.read()\n",
                "fh = open(p)\n",
            ),
            (
                "py-comprehension",
                "ys = [x * 2 for x in xs]\n",
                "ys = []\n",
            ),
        ];
        for (rule, bad, good) in cases {
            assert!(has(bad, rule), "{rule} should match {bad:?}");
            assert!(!has(good, rule), "{rule} should not match {good:?}");
        }
    }

    #[test]
    fn a_very_long_function_is_found() {
        let body = "    x = 1\n".repeat(LONG_FUNCTION_LINES + 1);
        assert!(has(&format!("def big():\n{body}"), "py-long-function"));
        let short = "    x = 1\n".repeat(LONG_FUNCTION_LINES);
        assert!(!has(
            &format!("def ok():\n{short}def other():\n{short}"),
            "py-long-function"
        ));
    }
}
