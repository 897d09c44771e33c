//! Checks a submitted transaction field by field and puts it in stored form.

use super::Transaction;
use crate::error::{AppError, ErrorCode};
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Value};

/// Largest accepted amount (major units).
pub const MAX_AMOUNT: f64 = 10_000_000.0;
/// Longest id and user id, in characters.
pub const MAX_ID_CHARS: usize = 100;
/// Longest merchant category, in characters.
pub const MAX_CATEGORY_CHARS: usize = 50;

/// Stored form of an instant: UTC, milliseconds, `Z` — fixed width, so text order is time order.
pub fn stored_time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A valid transaction in stored form (ids and category trimmed, country upper-case, timestamp
/// in UTC) and its instant; or a 422 whose `details` maps every bad field to its message.
pub fn normalize(tx: &Transaction) -> Result<(Transaction, DateTime<Utc>), AppError> {
    let mut errors = Map::new();
    let mut bad = |field: &str, message: String| {
        errors.insert(field.into(), Value::String(message));
    };
    let id = tx.id.trim();
    let user_id = tx.user_id.trim();
    for (field, value) in [("id", id), ("user_id", user_id)] {
        if value.is_empty() {
            bad(field, format!("{field} must not be empty."));
        } else if value.chars().count() > MAX_ID_CHARS {
            bad(
                field,
                format!("{field} must be at most {MAX_ID_CHARS} characters."),
            );
        }
    }
    if !tx.amount.is_finite() || tx.amount <= 0.0 || tx.amount > MAX_AMOUNT {
        bad(
            "amount",
            "amount must be a number above 0 and at most 10,000,000.".into(),
        );
    }
    let location = tx.location.trim().to_ascii_uppercase();
    if location.len() != 2 || !location.bytes().all(|b| b.is_ascii_uppercase()) {
        bad(
            "location",
            "location must be a two-letter country code (ISO 3166-1 alpha-2), e.g. US.".into(),
        );
    }
    let at = DateTime::parse_from_rfc3339(tx.timestamp.trim()).map(|d| d.with_timezone(&Utc));
    if at.is_err() {
        bad(
            "timestamp",
            "timestamp must be RFC 3339, e.g. 2025-01-20T10:30:00Z.".into(),
        );
    }
    let category = tx.merchant_category.trim();
    if category.is_empty() {
        bad(
            "merchant_category",
            "merchant_category must not be empty.".into(),
        );
    } else if category.chars().count() > MAX_CATEGORY_CHARS {
        bad(
            "merchant_category",
            format!("merchant_category must be at most {MAX_CATEGORY_CHARS} characters."),
        );
    }
    match at {
        Ok(at) if errors.is_empty() => Ok((
            Transaction {
                id: id.into(),
                user_id: user_id.into(),
                amount: tx.amount,
                location,
                timestamp: stored_time(at),
                merchant_category: category.into(),
            },
            at,
        )),
        _ => {
            let message = errors
                .values()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(" ");
            let mut err = AppError::new(ErrorCode::Validation, message);
            err.details = Some(Value::Object(errors));
            Err(err)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> Transaction {
        Transaction {
            id: " tx123 ".into(),
            user_id: "user456".into(),
            amount: 1500.0,
            location: "us".into(),
            timestamp: "2025-01-20T11:30:00+01:00".into(),
            merchant_category: "electronics".into(),
        }
    }

    #[test]
    fn a_good_transaction_is_put_in_stored_form() {
        let (tx, _) = normalize(&good())
            .map_err(|e| e.message)
            .unwrap_or_else(|m| panic!("{m}"));
        assert_eq!(tx.id, "tx123");
        assert_eq!(tx.location, "US");
        assert_eq!(tx.timestamp, "2025-01-20T10:30:00.000Z");
    }

    #[test]
    fn every_bad_field_is_named() {
        let bad = Transaction {
            id: "".into(),
            user_id: "u".repeat(101),
            amount: f64::NAN,
            location: "USA".into(),
            timestamp: "20/01/2025".into(),
            merchant_category: " ".into(),
        };
        let err = normalize(&bad).err().unwrap_or_else(AppError::unauthorized);
        assert_eq!(err.code, ErrorCode::Validation);
        let details = err.details.unwrap_or_default();
        for field in [
            "id",
            "user_id",
            "amount",
            "location",
            "timestamp",
            "merchant_category",
        ] {
            assert!(
                details.get(field).is_some(),
                "{field} not reported: {details}"
            );
        }
    }

    #[test]
    fn amount_limits() {
        for (amount, ok) in [
            (0.0, false),
            (-1.0, false),
            (0.01, true),
            (MAX_AMOUNT, true),
            (MAX_AMOUNT + 1.0, false),
            (f64::INFINITY, false),
        ] {
            let tx = Transaction { amount, ..good() };
            assert_eq!(normalize(&tx).is_ok(), ok, "{amount}");
        }
    }
}
