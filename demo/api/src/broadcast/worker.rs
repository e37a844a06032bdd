//! The queue worker: the counterpart of `php artisan queue:work` for
//! broadcast events. It delivers events one at a time, in dispatch order,
//! retrying transient failures; no failure ever stops it.

use std::time::Duration;

use tokio::sync::mpsc;

use super::{BroadcastEvent, BroadcastSink};

/// How many times a failed delivery is retried after the first attempt.
pub const MAX_RETRIES: u32 = 3;
/// The wait before the first retry; it doubles before each further one.
pub const FIRST_BACKOFF: Duration = Duration::from_millis(250);

/// Delivers every event from `queue` to `sink` until all senders are dropped.
pub async fn run<S: BroadcastSink>(mut queue: mpsc::Receiver<BroadcastEvent>, sink: S) {
    while let Some(event) = queue.recv().await {
        deliver_with_retries(&sink, &event).await;
    }
    tracing::debug!("broadcast queue closed, worker stopping");
}

async fn deliver_with_retries<S: BroadcastSink>(sink: &S, event: &BroadcastEvent) {
    let mut backoff = FIRST_BACKOFF;
    for attempt in 1..=MAX_RETRIES + 1 {
        match sink.deliver(event).await {
            Ok(()) => {
                if attempt > 1 {
                    tracing::info!(event = %event.name, attempt, "broadcast delivered after retrying");
                }
                return;
            }
            Err(err) if err.is_retryable() && attempt <= MAX_RETRIES => {
                tracing::warn!(event = %event.name, attempt, error = %err, "broadcast failed, retrying in {backoff:?}");
                tokio::time::sleep(backoff).await;
                backoff *= 2;
            }
            Err(err) => {
                tracing::error!(
                    event = %event.name,
                    channels = ?event.channels,
                    attempt,
                    error = %err,
                    "broadcast failed, giving up"
                );
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{
        atomic::{AtomicU32, Ordering},
        Arc,
    };

    use super::*;
    use crate::broadcast::DeliveryError;

    /// Fails with `status` for the first `failures` attempts, then succeeds.
    struct Flaky {
        failures: u32,
        status: u16,
        attempts: Arc<AtomicU32>,
    }

    impl BroadcastSink for Flaky {
        async fn deliver(&self, _event: &BroadcastEvent) -> Result<(), DeliveryError> {
            let attempt = self.attempts.fetch_add(1, Ordering::SeqCst) + 1;
            if attempt <= self.failures {
                Err(DeliveryError::Rejected {
                    status: self.status,
                    body: "nope".into(),
                })
            } else {
                Ok(())
            }
        }
    }

    async fn attempts_for(failures: u32, status: u16) -> u32 {
        let attempts = Arc::new(AtomicU32::new(0));
        let (queue, receiver) = mpsc::channel(1);
        let worker = tokio::spawn(run(
            receiver,
            Flaky {
                failures,
                status,
                attempts: Arc::clone(&attempts),
            },
        ));
        let event = BroadcastEvent {
            channels: vec!["rooms".into()],
            name: "Test".into(),
            payload: serde_json::json!({}),
        };
        queue.send(event).await.unwrap();
        drop(queue);
        worker.await.unwrap();
        attempts.load(Ordering::SeqCst)
    }

    #[tokio::test(start_paused = true)]
    async fn retries_transient_failures() {
        assert_eq!(attempts_for(2, 503).await, 3);
    }

    #[tokio::test(start_paused = true)]
    async fn gives_up_after_three_retries() {
        assert_eq!(attempts_for(u32::MAX, 500).await, 1 + MAX_RETRIES);
    }

    #[tokio::test(start_paused = true)]
    async fn does_not_retry_client_errors() {
        assert_eq!(attempts_for(u32::MAX, 401).await, 1);
    }
}
