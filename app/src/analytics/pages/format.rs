//! Number, money and date formatting and the checks of the dashboards' inputs: plain functions,
//! tested without a browser.

use chrono::NaiveDate;

/// `1234567` → `1,234,567`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Minor units as a decimal amount: `123456` → `1,234.56`, `-5` → `-0.05`.
pub fn cents(c: i64) -> String {
    let sign = if c < 0 { "-" } else { "" };
    let abs = c.unsigned_abs();
    format!("{sign}{}.{:02}", count(abs / 100), abs % 100)
}

/// A short axis label: `1250000` → `1.3M`, `12500` → `12.5k`, `2.5` → `2.5`, `0.25` → `0.25`.
pub fn compact(v: f64) -> String {
    let a = v.abs();
    let (scaled, suffix) = if a >= 1e9 {
        (v / 1e9, "B")
    } else if a >= 1e6 {
        (v / 1e6, "M")
    } else if a >= 1e4 {
        (v / 1e3, "k")
    } else {
        (v, "")
    };
    let text = format!("{scaled:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text}{suffix}")
}

/// A signed percentage with one decimal: `12.345` → `+12.3 %`.
pub fn percent_change(p: f64) -> String {
    if p > 0.0 {
        format!("+{p:.1} %")
    } else {
        format!("{p:.1} %")
    }
}

/// A relative error as a percentage: `0.008` → `±0.8 %`.
pub fn relative_error(r: f64) -> String {
    format!("±{:.1} %", r * 100.0)
}

/// An RFC 3339 timestamp shortened for a table: `2026-11-24T13:05:09.123Z` → `2026-11-24 13:05:09`.
pub fn timestamp(ts: &str) -> String {
    match ts.get(..19) {
        Some(head) if ts.len() >= 19 => head.replacen('T', " ", 1),
        _ => ts.to_string(),
    }
}

/// The default date range: the 30 days up to and including `today`.
pub fn default_range(today: NaiveDate) -> (String, String) {
    let start = today - chrono::Days::new(29);
    (start.to_string(), today.to_string())
}

/// Why a date range cannot be asked for, or `None` when it can.
pub fn range_problem(start: &str, end: &str) -> Option<&'static str> {
    let parse = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    match (parse(start), parse(end)) {
        (None, _) => Some("Enter a start date."),
        (_, None) => Some("Enter an end date."),
        (Some(s), Some(e)) if s > e => Some("The start date must be on or before the end date."),
        _ => None,
    }
}

/// Up to `max` evenly spaced indices of `len` items (always the first and the last): which
/// buckets get an axis label.
pub fn label_indices(len: usize, max: usize) -> Vec<usize> {
    if len == 0 || max == 0 {
        return Vec::new();
    }
    if len <= max {
        return (0..len).collect();
    }
    let step = (len - 1).div_ceil(max.saturating_sub(1).max(1));
    let mut out: Vec<usize> = (0..len).step_by(step.max(1)).collect();
    if out.last() != Some(&(len - 1)) {
        if out.len() >= max {
            out.pop();
        }
        out.push(len - 1);
    }
    out
}

/// A "nice" upper bound for an axis (1, 2 or 5 × 10ⁿ, at least `max`), never zero.
pub fn nice_ceiling(max: f64) -> f64 {
    if max.is_nan() || max <= 0.0 {
        return 1.0;
    }
    let magnitude = 10f64.powf(max.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|v| *v >= max)
        .unwrap_or(10.0 * magnitude)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_money_are_grouped() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1_000), "1,000");
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(cents(123_456), "1,234.56");
        assert_eq!(cents(-5), "-0.05");
        assert_eq!(compact(0.0), "0");
        assert_eq!(compact(0.25), "0.25");
        assert_eq!(compact(125.0), "125");
        assert_eq!(compact(12_500.0), "12.5k");
        assert_eq!(compact(1_250_000.0), "1.25M");
        assert_eq!(percent_change(12.345), "+12.3 %");
        assert_eq!(percent_change(-42.5), "-42.5 %");
        assert_eq!(relative_error(0.008), "±0.8 %");
        assert_eq!(timestamp("2026-11-24T13:05:09.123Z"), "2026-11-24 13:05:09");
        assert_eq!(timestamp("bad"), "bad");
    }

    #[test]
    fn date_ranges_are_checked() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 24).expect("date");
        assert_eq!(
            default_range(today),
            ("2026-10-26".to_string(), "2026-11-24".to_string())
        );
        assert_eq!(range_problem("2026-11-01", "2026-11-24"), None);
        assert_eq!(range_problem("2026-11-24", "2026-11-24"), None);
        assert!(range_problem("2026-11-25", "2026-11-24").is_some());
        assert!(range_problem("", "2026-11-24").is_some());
        assert!(range_problem("2026-11-01", "24/11/2026").is_some());
    }

    #[test]
    fn axis_labels_and_ceilings() {
        assert_eq!(label_indices(0, 6), Vec::<usize>::new());
        assert_eq!(label_indices(3, 6), vec![0, 1, 2]);
        let many = label_indices(30, 6);
        assert!(many.len() <= 6, "{many:?}");
        assert_eq!(many.first(), Some(&0));
        assert_eq!(many.last(), Some(&29));
        assert_eq!(nice_ceiling(0.0), 1.0);
        assert_eq!(nice_ceiling(7.0), 10.0);
        assert_eq!(nice_ceiling(120.0), 200.0);
        assert_eq!(nice_ceiling(5.0), 5.0);
    }
}
