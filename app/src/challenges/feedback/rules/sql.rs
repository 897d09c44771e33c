//! SQL patterns, per statement. They read the code with comments removed and string contents
//! blanked, case-insensitively.

use super::{re, Finding, Kind};
use crate::challenges::feedback::normalize::code_only;
use crate::challenges::model::Language;
use regex::Regex;
use std::sync::LazyLock;

struct Patterns {
    select_star: Regex,
    update_delete: Regex,
    where_kw: Regex,
    where_clause: Regex,
    function_on_column: Regex,
    top: Regex,
    explicit_join: Regex,
    select_columns: Regex,
    limit: Regex,
    create_index: Regex,
    cte: Regex,
}

static P: LazyLock<Patterns> = LazyLock::new(|| Patterns {
    select_star: re(r"(?i)\bselect\s+(?:distinct\s+)?(?:\w+\.)?\*"),
    update_delete: re(r"(?i)^\s*(?:update|delete)\b"),
    where_kw: re(r"(?i)\bwhere\b"),
    where_clause: re(
        r"(?is)\bwhere\b(.*?)(?:\bgroup\s+by\b|\border\s+by\b|\blimit\b|\bhaving\b|$)",
    ),
    function_on_column: re(
        r"(?i)\b(?:lower|upper|date|datetime|strftime|substr|substring|trim|cast|coalesce|ifnull|abs|round|year|month|length)\s*\(\s*[a-z_][\w.]*\s*(?:,[^()]*)?\)\s*(?:=|<|>|<=|>=|<>|!=|\blike\b|\bin\b|\bbetween\b)",
    ),
    top: re(r"(?i)\bselect\s+(?:distinct\s+)?top\s*\(?\s*\d+"),
    explicit_join: re(r"(?i)\bjoin\b[^;]*?\bon\b|\bjoin\b[^;]*?\busing\b"),
    select_columns: re(r"(?i)\bselect\s+(?:distinct\s+)?[a-z_(]"),
    limit: re(r"(?i)\blimit\s+\d+"),
    create_index: re(r"(?i)\bcreate\s+(?:unique\s+)?index\b"),
    cte: re(r"(?i)^\s*with\s+(?:recursive\s+)?\w+\s+as\s*\("),
});

/// The SQL rules' findings, in a fixed order.
pub fn analyse(code: &str) -> Vec<Finding> {
    let code = code_only(Language::Sql, code);
    let statements: Vec<&str> = code.split(';').filter(|s| !s.trim().is_empty()).collect();
    let p = &*P;
    let any = |r: &Regex| statements.iter().any(|s| r.is_match(s));
    let mut out = Vec::new();
    let mut add = |hit: bool, f: Finding| {
        if hit {
            out.push(f);
        }
    };
    let star = any(&p.select_star);
    add(
        star,
        Finding::new(
            "sql-select-star",
            Kind::Improvement,
            "`SELECT *` reads every column and breaks when the table changes.",
            "List the columns you need.",
        ),
    );
    let unbounded = statements
        .iter()
        .any(|s| p.update_delete.is_match(s) && !p.where_kw.is_match(s));
    add(
        unbounded,
        Finding::new(
            "sql-no-where",
            Kind::ConceptualError,
            "An UPDATE or DELETE without WHERE changes every row of the table.",
            "Add a WHERE clause that selects exactly the rows to change.",
        ),
    );
    let wrapped = statements.iter().any(|s| {
        p.where_clause
            .captures(s)
            .is_some_and(|c| p.function_on_column.is_match(&c[1]))
    });
    add(wrapped, Finding::new(
        "sql-function-on-column",
        Kind::Improvement,
        "A function wraps a column in WHERE, so an index on that column cannot be used.",
        "Compare the bare column with a transformed value (e.g. a date range instead of `date(col) = …`).",
    ));
    add(
        any(&p.top),
        Finding::new(
            "sql-top",
            Kind::ConceptualError,
            "`SELECT TOP n` is SQL Server syntax; SQLite and PostgreSQL reject it.",
            "Use `ORDER BY … LIMIT n`.",
        ),
    );
    let mut strength = |hit: bool, rule: &'static str, message: &str| {
        if hit {
            out.push(Finding::new(rule, Kind::Strength, message, ""));
        }
    };
    strength(
        any(&p.explicit_join),
        "sql-explicit-join",
        "Joins are explicit, with their conditions next to them.",
    );
    strength(
        any(&p.select_columns) && !star,
        "sql-columns",
        "Queries name the columns they need.",
    );
    strength(
        any(&p.limit),
        "sql-limit",
        "Result sizes are bounded with LIMIT.",
    );
    strength(
        any(&p.create_index),
        "sql-index",
        "Indexes support the queries' filters.",
    );
    strength(
        any(&p.cte),
        "sql-cte",
        "Common table expressions give the steps names.",
    );
    out
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
            ("sql-select-star", "select * from sales;", "SELECT id, COUNT(*) FROM sales GROUP BY id; -- select *"),
            ("sql-no-where", "UPDATE t SET a = 1;", "UPDATE t SET a = 1 WHERE id = 2; DELETE FROM t WHERE id = 3;"),
            ("sql-no-where", "DELETE FROM t", "SELECT 'delete from t';"),
            (
                "sql-function-on-column",
                "SELECT id FROM sales WHERE date(created_at) = '2023-01-01';",
                "SELECT date(created_at) FROM sales WHERE created_at >= '2023-01-01' ORDER BY lower(name);",
            ),
            ("sql-top", "SELECT TOP 100 id FROM sales;", "SELECT id FROM sales LIMIT 100;"),
            ("sql-explicit-join", "SELECT s.id FROM sales s JOIN c ON c.id = s.cid;", "SELECT s.id FROM sales s, c WHERE c.id = s.cid;"),
            ("sql-columns", "SELECT id FROM t;", "SELECT * FROM t;"),
            ("sql-limit", "SELECT id FROM t LIMIT 5;", "SELECT id FROM t;"),
            ("sql-index", "CREATE INDEX idx_date ON sales(date);", "CREATE TABLE x (a INT);"),
            ("sql-cte", "WITH recent AS (SELECT id FROM t) SELECT id FROM recent;", "SELECT id FROM t;"),
        ];
        for (rule, bad, good) in cases {
            assert!(has(bad, rule), "{rule} should match {bad:?}");
            assert!(!has(good, rule), "{rule} should not match {good:?}");
        }
    }
}
