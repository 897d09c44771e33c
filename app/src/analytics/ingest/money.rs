//! Exact decimal prices: `"12.50"`, `12.5` or `12` become 1250 minor units; no floats involved.

/// Parses a non-negative decimal with at most two fraction digits into minor units.
pub fn parse_minor_units(text: &str) -> Result<i64, &'static str> {
    let (whole, frac) = match text.split_once('.') {
        Some((w, f)) => (w, f),
        None => (text, ""),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || (text.contains('.') && !digits(frac)) {
        return Err("must be a non-negative decimal number such as 12.50");
    }
    if frac.len() > 2 {
        return Err("must have at most 2 decimal places");
    }
    let too_large = "is too large";
    let whole: i64 = whole.parse().map_err(|_| too_large)?;
    let mut cents: i64 = if frac.is_empty() {
        0
    } else {
        frac.parse().map_err(|_| too_large)?
    };
    if frac.len() == 1 {
        cents *= 10;
    }
    whole
        .checked_mul(100)
        .and_then(|w| w.checked_add(cents))
        .ok_or(too_large)
}

/// A JSON price: a string is parsed as written; a number by its shortest exact decimal form
/// (serde_json prints the shortest string that round-trips, so `12.50` reads as `12.5`).
pub fn price_from_json(value: &serde_json::Value) -> Result<i64, &'static str> {
    match value {
        serde_json::Value::String(s) => parse_minor_units(s.trim()),
        serde_json::Value::Number(n) => {
            if let Some(i) = n.as_u64() {
                return i64::try_from(i)
                    .ok()
                    .and_then(|i| i.checked_mul(100))
                    .ok_or("is too large");
            }
            if n.as_i64().is_some() {
                return Err("must not be negative");
            }
            let text = n.to_string();
            let text = text.strip_suffix(".0").unwrap_or(&text);
            if text.starts_with('-') {
                return Err("must not be negative");
            }
            parse_minor_units(text)
        }
        _ => Err("must be a number or a decimal string"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn decimals_parse_exactly() {
        assert_eq!(parse_minor_units("12.50"), Ok(1250));
        assert_eq!(parse_minor_units("12.5"), Ok(1250));
        assert_eq!(parse_minor_units("0.07"), Ok(7));
        assert_eq!(parse_minor_units("3"), Ok(300));
        assert!(parse_minor_units("1.234").is_err());
        assert!(parse_minor_units("-1").is_err());
        assert!(parse_minor_units("1.").is_err());
        assert!(parse_minor_units(".5").is_err());
        assert!(parse_minor_units("1e3").is_err());
        assert!(parse_minor_units("99999999999999999999").is_err());
    }

    #[test]
    fn json_numbers_and_strings_agree() {
        assert_eq!(price_from_json(&json!(12.5)), Ok(1250));
        assert_eq!(price_from_json(&json!(0.1)), Ok(10));
        assert_eq!(price_from_json(&json!(19.99)), Ok(1999));
        assert_eq!(price_from_json(&json!(7)), Ok(700));
        assert_eq!(price_from_json(&json!("19.99")), Ok(1999));
        assert!(price_from_json(&json!(1.005)).is_err());
        assert!(price_from_json(&json!(-2)).is_err());
        assert!(price_from_json(&json!(-2.5)).is_err());
        assert!(price_from_json(&json!(true)).is_err());
    }
}
