//! Queued broadcasting, as Laravel does it with `ShouldBroadcast` events and a
//! queue worker: request handlers [`dispatch`](Broadcaster::dispatch) an event
//! onto an in-process queue and return at once; a background
//! [worker](worker::run) delivers it to a [`BroadcastSink`], by default the
//! Reverb server's Pusher HTTP API.
//!
//! Events still queued when the process exits are lost: this queue lives in
//! memory, unlike Laravel's database or Redis queues.

mod pusher;
pub mod signing;
mod sink;
pub mod worker;

use serde::Serialize;
use tokio::{sync::mpsc, task::JoinHandle};

use crate::config::{BroadcastConnection, Config};

pub use pusher::PusherHttpSink;
pub use sink::{BroadcastSink, DeliveryError, LogSink, NullSink};

/// How many events may wait for the worker before new ones are dropped.
pub const QUEUE_CAPACITY: usize = 1024;

/// One event to broadcast, like a Laravel event's `broadcastOn()`,
/// `broadcastAs()` and `broadcastWith()` taken together.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BroadcastEvent {
    /// Channel names, with their `private-`/`presence-` prefix if any.
    pub channels: Vec<String>,
    /// The event name clients listen for: the class short name, e.g.
    /// `RoomsUpdated` (Echo's `.listen('.RoomsUpdated', ...)`).
    pub name: String,
    /// The event data: small, IDs and timestamps rather than whole records.
    pub payload: serde_json::Value,
}

/// A cheap, clonable handle for dispatching events to the queue.
#[derive(Clone, Debug)]
pub struct Broadcaster {
    queue: mpsc::Sender<BroadcastEvent>,
}

impl Broadcaster {
    /// Starts a worker that delivers to `sink` and returns the handle to
    /// dispatch with, plus the worker's task, which ends once every
    /// `Broadcaster` clone is dropped and the queue is drained.
    ///
    /// Must be called from within a Tokio runtime.
    pub fn spawn<S: BroadcastSink>(sink: S) -> (Self, JoinHandle<()>) {
        let (queue, receiver) = mpsc::channel(QUEUE_CAPACITY);
        let worker = tokio::spawn(worker::run(receiver, sink));
        (Self { queue }, worker)
    }

    /// Starts the worker for the configured `BROADCAST_CONNECTION`.
    pub fn from_config(config: &Config) -> Result<(Self, JoinHandle<()>), reqwest::Error> {
        Ok(match config.broadcast_connection {
            BroadcastConnection::Reverb => Self::spawn(PusherHttpSink::new(config.reverb.clone())?),
            BroadcastConnection::Log => Self::spawn(LogSink),
            BroadcastConnection::Null => Self::spawn(NullSink),
        })
    }

    /// Queues `event` for the worker without waiting. If the queue is full
    /// or the worker has stopped, the event is dropped and an error logged:
    /// a broadcast never fails the request that caused it.
    pub fn dispatch(&self, event: BroadcastEvent) {
        if let Err(err) = self.queue.try_send(event) {
            let (reason, event) = match err {
                mpsc::error::TrySendError::Full(event) => ("queue full", event),
                mpsc::error::TrySendError::Closed(event) => ("worker stopped", event),
            };
            tracing::error!(event = %event.name, channels = ?event.channels, "broadcast dropped: {reason}");
        }
    }
}
