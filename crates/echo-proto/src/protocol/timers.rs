//! The connection's timers: one enum, one slot each, and what each does
//! when it fires. Channel deadlines (a subscription's timeout, the wait for
//! an encrypted channel's fresh key) live with their channel
//! (`channels.rs`); [`Connection::poll_timeout`] gives the earliest of all.
//!
//! | Timer | Set when | Cleared when | When it fires |
//! |---|---|---|---|
//! | [`Activity`](Timer::Activity) | connected, and after every frame received | a ping is sent; the socket is dropped | send `pusher:ping`, start [`Pong`](Timer::Pong) with `pong_timeout` (pusher-js `activityTimeout`) |
//! | [`Pong`](Timer::Pong) | a ping is sent (`pong_timeout`, or `liveness_timeout` after a wake-up) | any frame arrives | the socket is dead: drop it and reconnect at once |
//! | [`Reconnect`](Timer::Reconnect) | the socket was lost and a retry is scheduled (the backoff delay) | the attempt starts | open a new socket |
//! | [`Unavailable`](Timer::Unavailable) | the first attempt after being connected or initialized starts | connected | state `unavailable` (pusher-js `unavailableTimeout`); retrying goes on |
//! | [`Handshake`](Timer::Handshake) | a socket is opened | `pusher:connection_established` | the attempt hangs: drop the socket, back off and retry |

use std::time::Duration;

use serde_json::json;
use web_time::Instant;

use super::{Connection, ConnectionState, Output};
use crate::frame;

/// A connection timer (see the module's table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Timer {
    /// Idle for the activity timeout: ping the server.
    Activity,
    /// A ping is unanswered: the socket is dead when this passes.
    Pong,
    /// The next connection attempt.
    Reconnect,
    /// Connecting for too long: report `unavailable`.
    Unavailable,
    /// A socket opened without `pusher:connection_established`.
    Handshake,
}

/// Every timer, in the order [`Connection::handle_timeout`] fires them.
pub(super) const TIMERS: [Timer; 5] = [Timer::Activity, Timer::Pong, Timer::Reconnect, Timer::Unavailable, Timer::Handshake];

/// The connection timers' deadlines, one slot per [`Timer`] (a map's code
/// for five keys would cost kilobytes of wasm).
#[derive(Debug, Default)]
pub(super) struct Timers([Option<Instant>; 5]);

impl Timers {
    pub(super) fn get(&self, timer: Timer) -> Option<Instant> {
        self.0[timer as usize]
    }

    pub(super) fn insert(&mut self, timer: Timer, deadline: Instant) {
        self.0[timer as usize] = Some(deadline);
    }

    /// Sets `timer` unless it is already set.
    pub(super) fn insert_if_unset(&mut self, timer: Timer, deadline: Instant) {
        self.0[timer as usize].get_or_insert(deadline);
    }

    pub(super) fn remove(&mut self, timer: Timer) -> Option<Instant> {
        self.0[timer as usize].take()
    }

    pub(super) fn clear(&mut self) {
        self.0 = [None; 5];
    }

    pub(super) fn values(&self) -> impl Iterator<Item = Instant> + '_ {
        self.0.iter().flatten().copied()
    }
}

impl Connection {
    pub(super) fn on_timer(&mut self, timer: Timer, now: Instant) {
        match timer {
            Timer::Activity => self.send_ping(now + self.options.pong_timeout),
            Timer::Pong | Timer::Handshake => {
                // No pong / no handshake in time: the socket is dead or stalled.
                self.drop_socket();
                self.lose_connection();
                // pusher-js retries at once after a pong timeout.
                let delay = if timer == Timer::Pong {
                    Duration::ZERO
                } else {
                    self.backoff_delay(Duration::ZERO)
                };
                self.schedule_retry(now, delay);
            }
            Timer::Reconnect => self.start_attempt(now),
            Timer::Unavailable => {
                if self.state == ConnectionState::Connecting {
                    self.set_state(ConnectionState::Unavailable);
                }
            }
        }
    }

    /// Sends `pusher:ping` and waits for any frame until `deadline`. While a
    /// ping is unanswered none is sent again; its deadline only moves
    /// earlier.
    pub(super) fn send_ping(&mut self, deadline: Instant) {
        self.timers.remove(Timer::Activity);
        match self.timers.get(Timer::Pong) {
            Some(armed) if armed <= deadline => {}
            Some(_) => self.timers.insert(Timer::Pong, deadline),
            None => {
                self.outputs.push_back(Output::Send(frame::encode("pusher:ping", None, &json!({}))));
                self.timers.insert(Timer::Pong, deadline);
            }
        }
    }
}
