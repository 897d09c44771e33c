//! Scoring with the user's stored history, storage of every assessment, and the flagged list.
//! Every query is scoped to one tenant: a user id in another tenant is another user.

pub use super::engine::{FraudConfig, FraudEngine};
use super::rules::{Seen, UserHistory};
use super::validate::{normalize, stored_time};
use super::{Assessment, FlaggedTransaction, Reason, RiskLevel, Transaction};
use crate::error::{AppError, ErrorCode};
use chrono::{DateTime, Duration, Utc};
use sqlx::{SqliteConnection, SqlitePool};

/// Most transactions in other countries read for the window rule (the closest in time).
const NEARBY_LIMIT: i64 = 20;

/// The outcome of [`record`]: the assessment, and whether this call stored it (false: the same
/// transaction was already there and its stored assessment is returned).
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    pub assessment: Assessment,
    pub created: bool,
}

/// Scores `tx` against the user's history in this tenant and stores it.
///
/// Idempotent on (tenant, `tx.id`): the same transaction again returns the stored assessment;
/// a different one under the same id is a 409. An order of exactly 0 (free goods) carries no
/// payment risk: it is low, with reason `zero_amount`, and not stored (the API refuses 0).
pub async fn assess_and_record(
    pool: &SqlitePool,
    engine: &FraudEngine,
    tenant_id: &str,
    tx: &Transaction,
    order_id: Option<&str>,
) -> Result<Assessment, AppError> {
    let mut conn = pool.acquire().await?;
    assess_and_record_on(&mut conn, engine, tenant_id, tx, order_id).await
}

/// [`assess_and_record`] on a given connection, e.g. inside checkout's transaction, so the
/// order, its score and its hold are written together or not at all.
pub async fn assess_and_record_on(
    conn: &mut SqliteConnection,
    engine: &FraudEngine,
    tenant_id: &str,
    tx: &Transaction,
    order_id: Option<&str>,
) -> Result<Assessment, AppError> {
    if order_id.is_some() && tx.amount == 0.0 {
        return Ok(Assessment {
            transaction_id: tx.id.clone(),
            risk: RiskLevel::Low,
            score: 0.0,
            anomaly_score: 0.0,
            reasons: vec![Reason {
                code: "zero_amount".into(),
                message: "Nothing to pay: no payment risk.".into(),
            }],
        });
    }
    Ok(record_on(conn, engine, tenant_id, tx, order_id)
        .await?
        .assessment)
}

/// [`assess_and_record`], also telling whether the row is new (201) or a repeat (200).
pub async fn record(
    pool: &SqlitePool,
    engine: &FraudEngine,
    tenant_id: &str,
    tx: &Transaction,
    order_id: Option<&str>,
) -> Result<Recorded, AppError> {
    // One connection for the reads and the insert: fewer pool round trips on the hot path.
    let mut conn = pool.acquire().await?;
    record_on(&mut conn, engine, tenant_id, tx, order_id).await
}

/// [`record`] on a given connection.
pub async fn record_on(
    conn: &mut SqliteConnection,
    engine: &FraudEngine,
    tenant_id: &str,
    tx: &Transaction,
    order_id: Option<&str>,
) -> Result<Recorded, AppError> {
    let (tx, at) = normalize(tx)?;
    if let Some(stored) = find(&mut *conn, tenant_id, &tx.id).await? {
        return repeat(stored, &tx);
    }
    let history = load_history(&mut *conn, engine, tenant_id, &tx, at).await?;
    let assessment = engine.assess(&tx, &history);
    let reasons = serde_json::to_string(&assessment.reasons).map_err(AppError::internal)?;
    let inserted = sqlx::query(
        "INSERT INTO fraud_transactions (tenant_id, id, user_id, amount, location, timestamp, \
         merchant_category, risk, score, anomaly_score, reasons, order_id, created_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, id) DO NOTHING",
    )
    .bind(tenant_id)
    .bind(&tx.id)
    .bind(&tx.user_id)
    .bind(tx.amount)
    .bind(&tx.location)
    .bind(&tx.timestamp)
    .bind(&tx.merchant_category)
    .bind(assessment.risk.as_str())
    .bind(assessment.score)
    .bind(assessment.anomaly_score)
    .bind(&reasons)
    .bind(order_id)
    .bind(stored_time(Utc::now()))
    .execute(&mut *conn)
    .await?;
    if inserted.rows_affected() == 0 {
        // A concurrent request stored the same id first.
        let stored = find(&mut *conn, tenant_id, &tx.id)
            .await?
            .ok_or_else(|| AppError::internal("fraud transaction vanished after a conflict"))?;
        return repeat(stored, &tx);
    }
    if assessment.risk >= RiskLevel::Medium {
        tracing::info!(
            tenant = %tenant_id, transaction = %tx.id, risk = assessment.risk.as_str(),
            score = assessment.score, "transaction flagged"
        );
    }
    Ok(Recorded {
        assessment,
        created: true,
    })
}

/// A stored row for the same id: the same transaction is a repeat, anything else a conflict.
fn repeat(stored: FlaggedTransaction, tx: &Transaction) -> Result<Recorded, AppError> {
    if stored.transaction != *tx {
        return Err(AppError::new(
            ErrorCode::Conflict,
            format!(
                "Transaction {} was already submitted with different details.",
                tx.id
            ),
        ));
    }
    Ok(Recorded {
        assessment: Assessment {
            transaction_id: stored.transaction.id,
            risk: stored.risk,
            score: stored.score,
            anomaly_score: stored.anomaly_score,
            reasons: stored.reasons,
        },
        created: false,
    })
}

/// The user's history in this tenant, excluding `tx` itself: count and mean amount of all their
/// transactions, and those in other countries within the window on either side of `at`.
pub async fn load_history(
    conn: &mut SqliteConnection,
    engine: &FraudEngine,
    tenant_id: &str,
    tx: &Transaction,
    at: DateTime<Utc>,
) -> Result<UserHistory, AppError> {
    // `tx` is not stored yet (a stored id returns its first result before scoring), so the
    // running totals are exactly the user's other transactions.
    let totals: Option<(i64, f64)> = sqlx::query_as(
        "SELECT count, total FROM fraud_user_totals WHERE tenant_id = ? AND user_id = ?",
    )
    .bind(tenant_id)
    .bind(&tx.user_id)
    .fetch_optional(&mut *conn)
    .await?;
    let (count, total) = totals.unwrap_or((0, 0.0));
    let average = (count > 0).then(|| total / count as f64);
    let window = Duration::minutes(engine.config.country_window_minutes.clamp(0, 525_600));
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT id, location, timestamp FROM fraud_transactions \
         WHERE tenant_id = ? AND user_id = ? AND timestamp BETWEEN ? AND ? \
         AND location <> ? AND id <> ? \
         ORDER BY abs(julianday(timestamp) - julianday(?)) LIMIT ?",
    )
    .bind(tenant_id)
    .bind(&tx.user_id)
    .bind(stored_time(at - window))
    .bind(stored_time(at + window))
    .bind(&tx.location)
    .bind(&tx.id)
    .bind(&tx.timestamp)
    .bind(NEARBY_LIMIT)
    .fetch_all(&mut *conn)
    .await?;
    let nearby = rows
        .into_iter()
        .filter_map(|(transaction_id, location, ts)| {
            let at = DateTime::parse_from_rfc3339(&ts).ok()?.with_timezone(&Utc);
            Some(Seen {
                transaction_id,
                location,
                at,
            })
        })
        .collect();
    Ok(UserHistory {
        count: u64::try_from(count).unwrap_or(0),
        average_amount: average.filter(|_| count > 0),
        nearby,
    })
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    user_id: String,
    amount: f64,
    location: String,
    timestamp: String,
    merchant_category: String,
    risk: String,
    score: f64,
    anomaly_score: f64,
    reasons: String,
    order_id: Option<String>,
    created_at: String,
}

const COLUMNS: &str = "id, user_id, amount, location, timestamp, merchant_category, risk, score, \
                       anomaly_score, reasons, order_id, created_at";

impl TryFrom<Row> for FlaggedTransaction {
    type Error = AppError;

    fn try_from(r: Row) -> Result<Self, AppError> {
        let risk = match r.risk.as_str() {
            "low" => RiskLevel::Low,
            "medium" => RiskLevel::Medium,
            "high" => RiskLevel::High,
            other => return Err(AppError::internal(format!("stored risk {other:?}"))),
        };
        let reasons: Vec<Reason> = serde_json::from_str(&r.reasons).map_err(AppError::internal)?;
        Ok(FlaggedTransaction {
            transaction: Transaction {
                id: r.id,
                user_id: r.user_id,
                amount: r.amount,
                location: r.location,
                timestamp: r.timestamp,
                merchant_category: r.merchant_category,
            },
            risk,
            score: r.score,
            anomaly_score: r.anomaly_score,
            reasons,
            order_id: r.order_id,
            created_at: r.created_at,
        })
    }
}

/// One stored transaction of this tenant, if any.
pub async fn find(
    conn: &mut SqliteConnection,
    tenant_id: &str,
    id: &str,
) -> Result<Option<FlaggedTransaction>, AppError> {
    let sql = format!("SELECT {COLUMNS} FROM fraud_transactions WHERE tenant_id = ? AND id = ?");
    sqlx::query_as::<_, Row>(&sql)
        .bind(tenant_id)
        .bind(id)
        .fetch_optional(conn)
        .await?
        .map(FlaggedTransaction::try_from)
        .transpose()
}

/// The tenant's most recent medium- and high-risk transactions, newest first.
pub async fn list_flagged(
    pool: &SqlitePool,
    tenant_id: &str,
    limit: u32,
) -> Result<Vec<FlaggedTransaction>, AppError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM fraud_transactions \
         WHERE tenant_id = ? AND risk IN ('medium', 'high') \
         ORDER BY created_at DESC, rowid DESC LIMIT ?"
    );
    sqlx::query_as::<_, Row>(&sql)
        .bind(tenant_id)
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(FlaggedTransaction::try_from)
        .collect()
}
