//! The [`Recommender`] trait (dyn-compatible: it returns a boxed future), what it sees and
//! what it returns, and why it may fail.

use super::candidates::Candidate;
use crate::storefront::model::CartLine;
use sqlx::SqlitePool;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// A recommender's proposal, before validation.
#[derive(Debug, Clone, PartialEq)]
pub struct RawSuggestion {
    pub product_id: String,
    pub reason: String,
    /// Should be 0–1; validation clamps it and drops non-numbers.
    pub confidence: f64,
}

/// Everything a recommender may look at for one checkout.
#[derive(Debug, Clone, Copy)]
pub struct UpsellRequest<'a> {
    pub pool: &'a SqlitePool,
    pub tenant_id: &'a str,
    /// The checkout's request id, for the logs.
    pub request_id: &'a str,
    pub cart: &'a [CartLine],
    /// The tenant's in-stock products outside the cart, best first.
    pub candidates: &'a [Candidate],
}

/// Why a recommender gave nothing usable. `Display` is short text fit for shoppers.
#[derive(Debug, thiserror::Error)]
pub enum UpsellError {
    #[error("AI model timed out after {} ms", .0.as_millis())]
    Timeout(Duration),
    #[error("AI model could not be reached")]
    Unreachable(String),
    #[error("AI model answered HTTP {0}")]
    Status(u16, String),
    #[error("AI model gave an invalid answer")]
    InvalidAnswer(String),
    #[error("AI model suggested no valid products")]
    NothingValid,
    #[error("AI client could not start")]
    Client(String),
    #[error("suggestions are unavailable")]
    Database(#[source] sqlx::Error),
}

impl UpsellError {
    /// The short text plus what only the logs should see.
    pub fn detail(&self) -> String {
        match self {
            UpsellError::Unreachable(d)
            | UpsellError::Status(_, d)
            | UpsellError::InvalidAnswer(d)
            | UpsellError::Client(d) => format!("{self}: {d}"),
            UpsellError::Database(e) => format!("{self}: {e}"),
            UpsellError::Timeout(_) | UpsellError::NothingValid => self.to_string(),
        }
    }
}

/// What [`Recommender::recommend`] returns: a boxed future, so the trait is dyn-compatible.
pub type RecommendFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Vec<RawSuggestion>, UpsellError>> + Send + 'a>>;

/// Proposes products for a cart from `req.candidates`.
pub trait Recommender: Send + Sync {
    /// Proposals, best first; the service validates them.
    fn recommend<'a>(&'a self, req: &'a UpsellRequest<'a>) -> RecommendFuture<'a>;
}
