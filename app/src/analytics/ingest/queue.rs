//! Backpressure: at most `running` ingests at once and `waiting` more queued; beyond that the
//! caller gets 429 with `Retry-After` and an estimate of the wait from recent ingest durations.

use crate::error::{AppError, ErrorCode};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Weight of the newest duration in the moving average.
const EWMA_ALPHA: f64 = 0.3;
/// Assumed duration of one ingest before any has finished.
const INITIAL_SECS: f64 = 1.0;

/// The bounded ingest queue.
#[derive(Debug)]
pub struct IngestQueue {
    permits: Arc<Semaphore>,
    running_max: usize,
    waiting_max: usize,
    waiting: AtomicUsize,
    avg_secs: Mutex<f64>,
}

/// A running ingest's slot; dropping it lets the next one in.
#[derive(Debug)]
pub struct Slot {
    _permit: OwnedSemaphorePermit,
}

impl IngestQueue {
    /// A queue running `running` ingests (at least 1) with `waiting` more allowed to wait.
    pub fn new(running: usize, waiting: usize) -> Self {
        let running = running.max(1);
        Self {
            permits: Arc::new(Semaphore::new(running)),
            running_max: running,
            waiting_max: waiting,
            waiting: AtomicUsize::new(0),
            avg_secs: Mutex::new(INITIAL_SECS),
        }
    }

    /// Ingests running now.
    pub fn running(&self) -> usize {
        self.running_max - self.permits.available_permits()
    }

    /// Ingests waiting for a slot now.
    pub fn waiting(&self) -> usize {
        self.waiting.load(Ordering::SeqCst)
    }

    /// Waits for a slot, or refuses at once with 429 when the waiting room is full.
    pub async fn enter(&self) -> Result<Slot, AppError> {
        if let Ok(permit) = self.permits.clone().try_acquire_owned() {
            self.publish();
            return Ok(Slot { _permit: permit });
        }
        let queued = self.waiting.fetch_add(1, Ordering::SeqCst);
        if queued >= self.waiting_max {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(self.full(queued));
        }
        self.publish();
        let permit = self.permits.clone().acquire_owned().await;
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        self.publish();
        let permit = permit.map_err(AppError::internal)?;
        Ok(Slot { _permit: permit })
    }

    /// Records how long a finished ingest took (for the delay estimate).
    pub fn finished(&self, took: Duration) {
        if let Ok(mut avg) = self.avg_secs.lock() {
            *avg = EWMA_ALPHA * took.as_secs_f64() + (1.0 - EWMA_ALPHA) * *avg;
        }
        self.publish();
    }

    /// Expected seconds until a new request would start: the queue ahead of it drained
    /// `running_max` at a time at the average duration.
    pub fn expected_delay_secs(&self, ahead: usize) -> f64 {
        let avg = self.avg_secs.lock().map(|a| *a).unwrap_or(INITIAL_SECS);
        avg * (ahead as f64 + 1.0) / self.running_max as f64
    }

    fn full(&self, queued: usize) -> AppError {
        let queue_length = queued + self.running();
        let delay = self.expected_delay_secs(queued);
        let retry = (delay.ceil() as u64).max(1);
        let mut err = AppError::new(
            ErrorCode::RateLimited,
            format!("The ingest queue is full; retry in about {retry} s."),
        );
        err.retry_after_secs = Some(retry);
        err.details = Some(serde_json::json!({
            "queue_length": queue_length,
            "running": self.running(),
            "waiting": queued,
            "expected_delay_secs": (delay * 10.0).round() / 10.0,
        }));
        err
    }

    fn publish(&self) {
        metrics::gauge!("ingest_queue_length").set(self.waiting() as f64);
        metrics::gauge!("ingest_running").set(self.running() as f64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_full_queue_refuses_with_an_estimate() {
        let q = IngestQueue::new(1, 0);
        let slot = q.enter().await.expect("first");
        assert_eq!(q.running(), 1);
        let err = q.enter().await.expect_err("full");
        assert_eq!(err.status(), 429);
        assert_eq!(err.retry_after_secs, Some(1));
        let details = err.details.expect("details");
        assert_eq!(details["queue_length"], 1);
        drop(slot);
        q.finished(Duration::from_secs(10));
        assert!(q.expected_delay_secs(0) > 3.0);
        assert!(q.enter().await.is_ok());
    }
}
