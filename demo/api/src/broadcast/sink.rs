//! Where the queue worker delivers events: the pluggable end of broadcasting.

use std::future::Future;

use super::BroadcastEvent;

/// Delivers one broadcast event; implemented by the Pusher HTTP API client
/// ([`PusherHttpSink`](super::PusherHttpSink)), [`LogSink`] and [`NullSink`],
/// and by tests that want to observe events.
pub trait BroadcastSink: Send + Sync + 'static {
    /// Delivers `event`, or says why it could not.
    fn deliver(&self, event: &BroadcastEvent) -> impl Future<Output = Result<(), DeliveryError>> + Send;
}

/// A delivery attempt failed.
#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    /// The server answered with a non-success status.
    #[error("server answered HTTP {status}: {body}")]
    Rejected {
        /// The HTTP status code.
        status: u16,
        /// The response body, for the log.
        body: String,
    },
    /// The request could not be sent or its answer not read.
    #[error("request failed: {0}")]
    Transport(String),
}

impl DeliveryError {
    /// Whether trying again could help: transport errors, 5xx, 408 and 429 can
    /// be transient; other 4xx (a bad signature, say) will fail the same way.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Transport(_) => true,
            Self::Rejected { status, .. } => *status >= 500 || *status == 408 || *status == 429,
        }
    }
}

/// `BROADCAST_CONNECTION=log`: writes each event to the log and nothing else.
#[derive(Clone, Copy, Debug, Default)]
pub struct LogSink;

impl BroadcastSink for LogSink {
    async fn deliver(&self, event: &BroadcastEvent) -> Result<(), DeliveryError> {
        tracing::info!(
            event = %event.name,
            channels = ?event.channels,
            payload = %event.payload,
            "broadcasting (log connection)"
        );
        Ok(())
    }
}

/// `BROADCAST_CONNECTION=null`: drops every event.
#[derive(Clone, Copy, Debug, Default)]
pub struct NullSink;

impl BroadcastSink for NullSink {
    async fn deliver(&self, event: &BroadcastEvent) -> Result<(), DeliveryError> {
        tracing::debug!(event = %event.name, "dropping broadcast (null connection)");
        Ok(())
    }
}
