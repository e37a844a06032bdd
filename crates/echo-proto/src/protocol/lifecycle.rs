//! The connection's life: opening attempts, the handshake, losing the
//! socket, retrying by close code with backoff, and the state changes the
//! application sees (pusher-js `ConnectionManager`).

use std::time::Duration;

use serde_json::Value;
use web_time::Instant;

use super::backoff::reconnect_delay;
use super::timers::Timer;
use super::{Connection, ConnectionState, Output, SubState};
use crate::close_code::{close_action, CloseAction};
use crate::error::{EchoError, ProtocolError};

impl Connection {
    /// Retries or gives up as the close code says (pusher-js
    /// `getCloseAction`); the socket is already gone. 4000 and the first
    /// 4200–4299 retry at once; everything else backs off, from the
    /// action's floor up (`backoff.rs`).
    pub(super) fn on_close_code(&mut self, now: Instant, code: Option<u16>, reason: String) {
        let action = close_action(code);
        match action {
            CloseAction::Refused => self.refuse(code.unwrap_or_default(), reason),
            CloseAction::TlsOnly => {
                self.tls = true;
                self.schedule_retry(now, Duration::ZERO);
            }
            CloseAction::RetryNow if self.attempts == 0 => self.schedule_retry(now, Duration::ZERO),
            CloseAction::RetryNow | CloseAction::Backoff | CloseAction::Closed => {
                let floor = action.floor().unwrap_or_default();
                let delay = self.backoff_delay(floor);
                self.schedule_retry(now, delay);
                self.earliest_retry = Some(now + floor);
            }
        }
    }

    pub(super) fn start_attempt(&mut self, now: Instant) {
        self.drop_socket();
        if self.state != ConnectionState::Unavailable {
            self.set_state(ConnectionState::Connecting);
        }
        self.timers
            .insert_if_unset(Timer::Unavailable, now + self.options.unavailable_timeout);
        self.timers.insert(Timer::Handshake, now + self.options.handshake_timeout);
        self.outputs.push_back(Output::OpenSocket {
            url: self.options.url(self.tls),
        });
        self.socket_exists = true;
    }

    pub(super) fn schedule_retry(&mut self, now: Instant, delay: Duration) {
        self.attempts = self.attempts.saturating_add(1);
        if self.state != ConnectionState::Unavailable {
            self.set_state(ConnectionState::Connecting);
        }
        self.timers
            .insert_if_unset(Timer::Unavailable, now + self.options.unavailable_timeout);
        self.timers.insert(Timer::Reconnect, now + delay);
        self.earliest_retry = None;
        self.outputs.push_back(Output::ConnectingIn(delay));
    }

    /// Capped exponential backoff with jitter, never below `floor`
    /// ([`backoff::reconnect_delay`]).
    pub(super) fn backoff_delay(&mut self, floor: Duration) -> Duration {
        let random = self.next_random();
        reconnect_delay(
            self.attempts,
            floor,
            self.options.reconnect_base_delay,
            self.options.reconnect_max_delay,
            random,
        )
    }

    pub(super) fn next_random(&mut self) -> u64 {
        // xorshift64: enough to spread reconnect attempts.
        let mut x = self.rng;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.rng = x;
        x
    }

    pub(super) fn refuse(&mut self, code: u16, reason: String) {
        self.wants_connection = false;
        self.drop_socket();
        self.timers.clear();
        self.outputs.push_back(Output::Error(EchoError::Refused { code, reason }));
        self.set_state(ConnectionState::Failed);
    }

    pub(super) fn drop_socket(&mut self) {
        if self.socket_exists {
            self.outputs.push_back(Output::CloseSocket);
            self.socket_exists = false;
        }
        self.lose_connection();
    }

    /// Forgets everything tied to the socket: the socket id, per-connection
    /// timers and every channel's subscription (channels stay wanted).
    pub(super) fn lose_connection(&mut self) {
        self.socket_id = None;
        for timer in [Timer::Activity, Timer::Pong, Timer::Handshake] {
            self.timers.remove(timer);
        }
        self.auth_answers.clear();
        self.client_events.clear();
        let mut rekeys = Vec::new();
        for (name, entry) in &mut self.channels {
            entry.state = SubState::Idle;
            entry.key = None;
            if let Some(members) = &mut entry.members {
                members.reset();
            }
            if entry.rekey.is_some() {
                rekeys.push(name.clone());
            }
        }
        for channel in rekeys {
            self.drop_rekey(&channel, "the connection was lost before a fresh key came");
        }
    }

    pub(super) fn set_state(&mut self, current: ConnectionState) {
        let previous = self.state;
        if previous != current {
            self.state = current;
            if current == ConnectionState::Connected {
                self.was_connected = true;
            }
            let status = self.status();
            self.outputs.push_back(Output::StateChange { previous, current, status });
        }
    }

    pub(super) fn on_established(&mut self, now: Instant, data: &Value) {
        let Some(socket_id) = data.get("socket_id").and_then(Value::as_str).filter(|s| !s.is_empty()) else {
            self.outputs.push_back(Output::Error(ProtocolError::MissingSocketId.into()));
            self.drop_socket();
            let delay = self.backoff_delay(Duration::ZERO);
            self.schedule_retry(now, delay);
            return;
        };
        self.socket_id = Some(socket_id.to_owned());
        let server = data
            .get("activity_timeout")
            .and_then(Value::as_u64)
            .filter(|s| *s > 0)
            .map(Duration::from_secs);
        self.activity_timeout = server.map_or(self.options.activity_timeout, |s| s.min(self.options.activity_timeout));
        self.attempts = 0;
        self.timers.remove(Timer::Handshake);
        self.timers.remove(Timer::Unavailable);
        self.timers.remove(Timer::Reconnect);
        self.timers.insert(Timer::Activity, now + self.activity_timeout);
        self.set_state(ConnectionState::Connected);
        let names: Vec<String> = self.channels.keys().cloned().collect();
        for name in names {
            self.subscribe_if_idle(&name, now);
        }
    }
}
