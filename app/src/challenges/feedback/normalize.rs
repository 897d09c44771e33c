//! Code normalisation per language (pure): comments and insignificant whitespace go, so a
//! resubmission that only changes them has the same cache key. Also the "code only" view the
//! rules read (comments gone and string contents blanked, so `"eval("` in a string is no match).

use crate::challenges::model::Language;
use sha2::{Digest, Sha256};

/// Bumped whenever the rules, the prompt or the local reviewer change what they say, so old
/// cache entries stop matching.
pub const REVIEW_VERSION: &str = "feedback-v1";

/// How one language writes comments and strings.
struct Syntax {
    line_comment: &'static str,
    block_comments: bool,
    quotes: &'static [char],
    /// Python's `"""` / `'''`.
    triple_quotes: bool,
    /// A backslash escapes the next character inside a string.
    backslash_escapes: bool,
    /// Leading whitespace is meaningful (Python's indentation).
    keep_indent: bool,
    /// Newlines are whitespace like any other (SQL).
    newline_is_space: bool,
}

fn syntax(language: Language) -> Syntax {
    match language {
        Language::Python => Syntax {
            line_comment: "#",
            block_comments: false,
            quotes: &['"', '\''],
            triple_quotes: true,
            backslash_escapes: true,
            keep_indent: true,
            newline_is_space: false,
        },
        Language::Javascript => Syntax {
            line_comment: "//",
            block_comments: true,
            quotes: &['"', '\'', '`'],
            triple_quotes: false,
            backslash_escapes: true,
            keep_indent: false,
            newline_is_space: false,
        },
        Language::Sql => Syntax {
            line_comment: "--",
            block_comments: true,
            quotes: &['\'', '"'],
            triple_quotes: false,
            backslash_escapes: false,
            keep_indent: false,
            newline_is_space: true,
        },
    }
}

fn starts_with(chars: &[char], at: usize, pat: &str) -> bool {
    pat.chars()
        .enumerate()
        .all(|(k, p)| chars.get(at + k) == Some(&p))
}

/// One pass over `code`: comments removed, whitespace outside strings collapsed, string
/// contents kept (`keep_strings`) or dropped (delimiters stay).
fn scan(code: &str, s: &Syntax, keep_strings: bool, collapse: bool) -> String {
    let c: Vec<char> = code.replace("\r\n", "\n").chars().collect();
    let mut out = String::with_capacity(code.len());
    let mut at_line_start = true;
    let mut i = 0;
    while i < c.len() {
        let ch = c[i];
        if starts_with(&c, i, s.line_comment) {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if s.block_comments && starts_with(&c, i, "/*") {
            i += 2;
            while i < c.len() && !starts_with(&c, i, "*/") {
                i += 1;
            }
            i = (i + 2).min(c.len());
            // A comment between two tokens still separates them.
            push_space(&mut out, collapse);
            continue;
        }
        if s.quotes.contains(&ch) {
            let delim_len = if s.triple_quotes && starts_with(&c, i, &ch.to_string().repeat(3)) {
                3
            } else {
                1
            };
            let delim: String = ch.to_string().repeat(delim_len);
            out.push_str(&delim);
            i += delim_len;
            while i < c.len() && !starts_with(&c, i, &delim) {
                if s.backslash_escapes && c[i] == '\\' && i + 1 < c.len() {
                    if keep_strings {
                        out.push(c[i]);
                        out.push(c[i + 1]);
                    }
                    i += 2;
                    continue;
                }
                // A one-quote string ends at the line's end even when unterminated.
                if delim_len == 1 && c[i] == '\n' && ch != '`' && !s.newline_is_space {
                    break;
                }
                if keep_strings {
                    out.push(c[i]);
                }
                i += 1;
            }
            if i < c.len() && starts_with(&c, i, &delim) {
                out.push_str(&delim);
                i += delim_len;
            }
            at_line_start = false;
            continue;
        }
        let is_space = ch == ' ' || ch == '\t' || (s.newline_is_space && ch == '\n');
        if ch == '\n' && !s.newline_is_space {
            out.push('\n');
            at_line_start = true;
        } else if is_space && collapse {
            if at_line_start && s.keep_indent {
                out.push(ch);
            } else {
                push_space(&mut out, true);
            }
        } else {
            out.push(ch);
            at_line_start = at_line_start && is_space;
        }
        i += 1;
    }
    out
}

fn push_space(out: &mut String, collapse: bool) {
    if !collapse || !(out.is_empty() || out.ends_with([' ', '\t', '\n'])) {
        out.push(' ');
    }
}

/// The normalised form of `code`: no comments, no trailing whitespace, no blank lines; runs of
/// inline whitespace are one space. Python keeps its indentation; JavaScript lines are trimmed;
/// SQL becomes one line. String literals are kept as written.
pub fn normalize(language: Language, code: &str) -> String {
    let s = syntax(language);
    let scanned = scan(code, &s, true, true);
    scanned
        .lines()
        .map(|l| {
            if s.keep_indent {
                l.trim_end()
            } else {
                l.trim()
            }
        })
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// `code` without comments and with every string literal's contents removed; lines and
/// indentation unchanged, so line-based rules still count lines.
pub fn code_only(language: Language, code: &str) -> String {
    scan(code, &syntax(language), false, false)
}

/// Whether `code` has any comment (something [`normalize`] would drop besides whitespace).
pub fn has_comments(language: Language, code: &str) -> bool {
    let stripped = scan(code, &syntax(language), true, false);
    let solid = |s: &str| s.chars().filter(|c| !c.is_whitespace()).count();
    solid(&stripped) != solid(code)
}

/// The cache key: SHA-256 (hex) of the reviewer's version, language, challenge id and the
/// normalised code.
pub fn cache_key(language: Language, challenge_id: &str, code: &str) -> String {
    let mut h = Sha256::new();
    for part in [
        REVIEW_VERSION,
        language.as_str(),
        challenge_id,
        &normalize(language, code),
    ] {
        h.update(part.as_bytes());
        // A separator no part can contain, so ("ab","c") and ("a","bc") differ.
        h.update([0u8]);
    }
    hex::encode(h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;
    use Language::*;

    #[test]
    fn python_comments_trailing_space_and_blank_lines_do_not_change_the_key() {
        let a = "def add(a, b):\n    return a + b\n";
        let b = "# adds\ndef add(a, b):   # two numbers\n\n\n    return a  +  b   \n\n";
        assert_eq!(normalize(Python, a), normalize(Python, b));
        assert_eq!(cache_key(Python, "t1", a), cache_key(Python, "t1", b));
    }

    #[test]
    fn python_indentation_and_strings_are_kept() {
        assert_ne!(
            cache_key(Python, "t", "if x:\n    y()\nz()"),
            cache_key(Python, "t", "if x:\n    y()\n    z()")
        );
        assert_eq!(
            normalize(Python, "s = '# not a comment'  # comment"),
            "s = '# not a comment'"
        );
        assert_eq!(
            normalize(Python, "d = \"\"\"a # b\n\"\"\"\n"),
            "d = \"\"\"a # b\n\"\"\""
        );
    }

    #[test]
    fn javascript_comments_and_indentation_do_not_change_the_key() {
        let a = "function f(x) {\n  return x === 1;\n}";
        let b = "/* doc */\nfunction f(x) { // check\n\n      return x === 1;   \n}\n";
        assert_eq!(cache_key(Javascript, "t", a), cache_key(Javascript, "t", b));
        assert_eq!(normalize(Javascript, "s = 'a // b';"), "s = 'a // b';");
        assert_eq!(normalize(Javascript, "a/* x */b"), "a b");
    }

    #[test]
    fn sql_whitespace_and_comments_collapse_but_strings_stay() {
        let a = "SELECT id FROM t WHERE name = 'a  b';";
        let b = "-- find\nSELECT   id\n  FROM t /* the table */\n WHERE name = 'a  b';\n";
        assert_eq!(normalize(Sql, b), a);
        assert_eq!(cache_key(Sql, "t", a), cache_key(Sql, "t", b));
        assert_ne!(
            cache_key(Sql, "t", a),
            cache_key(Sql, "t", "SELECT id FROM t WHERE name = 'a b';")
        );
    }

    #[test]
    fn code_language_or_challenge_changes_change_the_key() {
        let k = cache_key(Python, "t1", "return a + b");
        assert_ne!(k, cache_key(Python, "t1", "return a - b"));
        assert_ne!(k, cache_key(Python, "t2", "return a + b"));
        assert_ne!(k, cache_key(Javascript, "t1", "return a + b"));
        assert_eq!(k.len(), 64);
    }

    #[test]
    fn comments_are_detected_outside_strings_only() {
        assert!(has_comments(Python, "x = 1  # one"));
        assert!(!has_comments(Python, "x = '# one'"));
        assert!(has_comments(Sql, "SELECT 1 /* one */"));
        assert!(!has_comments(Javascript, "const a = b / c;"));
    }

    #[test]
    fn code_only_blanks_strings_and_drops_comments_but_keeps_lines() {
        let got = code_only(Python, "x = 'eval(y)'  # eval(z)\n\nprint(x)\n");
        assert_eq!(got, "x = ''  \n\nprint(x)\n");
        assert_eq!(code_only(Javascript, "a('x == y') // ==\n"), "a('') \n");
    }
}
