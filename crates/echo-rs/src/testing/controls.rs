//! The scripted server's controls on [`FakeRuntime`]: handshake and
//! subscribe answers, raw frames, broadcasts, dropped connections, presence
//! members, and what the server saw.

use serde_json::Value;

use super::server::event_frame;
use super::FakeRuntime;
use crate::runtime::SocketEvent;

impl FakeRuntime {
    // ----- the scripted server ---------------------------------------------

    /// Whether the server completes the handshake of each new socket on its
    /// own. Default `true`. Takes effect from the next socket opened; with
    /// `false`, the socket opens and [`handshake`](Self::handshake) or
    /// [`server_frame`](Self::server_frame) completes it.
    pub fn set_auto_handshake(&self, on: bool) {
        self.state.server.borrow_mut().auto_handshake = on;
    }

    /// Whether the server answers `pusher:subscribe` with
    /// `pusher_internal:subscription_succeeded`. Default `true`; with
    /// `false`, subscriptions stay pending until a test sends the answer
    /// through [`server_frame`](Self::server_frame).
    pub fn set_auto_subscribe(&self, on: bool) {
        self.state.server.borrow_mut().auto_subscribe = on;
    }

    /// Sends `pusher:connection_established` on the open socket. Returns
    /// `false`, sending nothing, when no socket is open.
    pub fn handshake(&self) -> bool {
        let frame = self.state.server.borrow().handshake();
        frame.is_some_and(|frame| self.server_frame(frame))
    }

    /// Sends one text frame, exactly as given (JSON text or anything else),
    /// on the open socket, then runs until idle. Takes `&str`, `String` or a
    /// [`Value`] (sent as its JSON text). Returns `false`, sending nothing,
    /// when no socket is open.
    pub fn server_frame(&self, frame: impl ToString) -> bool {
        let Some((id, sink)) = self.state.current_socket() else {
            return false;
        };
        if self.state.server.borrow().dead {
            return false;
        }
        self.state.queue(id, &sink, [SocketEvent::Message(frame.to_string())]);
        self.run_until_idle();
        true
    }

    /// Sends `event` (the wire name, e.g. `RoomsUpdated` or
    /// `App\Events\RoomsUpdated`) on `channel` with `data` double-encoded, as
    /// Laravel's broadcaster does, then runs until idle. Returns `false`,
    /// sending nothing, unless the channel is subscribed on the server.
    pub fn server_event(&self, channel: &str, event: &str, data: &Value) -> bool {
        self.run_until_idle();
        if !self.state.server.borrow().is_subscribed(channel) {
            return false;
        }
        self.server_frame(event_frame(Some(channel), event, data))
    }

    /// Closes the open socket from the server side with `code` (`None`: no
    /// close frame, as when the network drops) and runs until idle. The
    /// server forgets the connection's subscriptions; the client reconnects
    /// on its own after its backoff delay (1–1.5 s after a first abnormal
    /// close): [`advance`](Self::advance) past it. Returns `false` when no
    /// socket is open.
    pub fn drop_connection(&self, code: Option<u16>) -> bool {
        self.run_until_idle();
        let Some((id, sink)) = self.state.current_socket() else {
            return false;
        };
        self.state.forget_socket(id);
        let reason = "closed by the fake server".to_owned();
        self.state.queue(id, &sink, [SocketEvent::Close { code, reason }]);
        self.run_until_idle();
        true
    }

    /// The open socket dies without a close, as after a laptop's sleep or a
    /// network change (a NAT or the server forgot it): from now on frames
    /// the client sends are lost, the server sends nothing on it, and the
    /// client gets no close event. It finds out by itself: a ping without an
    /// answer (after `activity_timeout` + `pong_timeout`, or within
    /// `liveness_timeout` after [`liveness_event`](Self::liveness_event)).
    /// The next socket the client opens works. Returns `false` when no
    /// socket is open.
    pub fn kill_connection_silently(&self) -> bool {
        self.run_until_idle();
        if self.state.current_socket().is_none() {
            return false;
        }
        let mut server = self.state.server.borrow_mut();
        server.dead = true;
        true
    }

    /// Replaces the members the server reports when `channel` (a
    /// `presence-…` name) is subscribed. Each member is given the way
    /// Laravel's channel_data carries it:
    /// `json!({"user_id": 1, "user_info": {"name": "Ann"}})`; entries
    /// without a `user_id` are skipped. The subscriber itself is added from
    /// its own channel_data. Default: no members besides the subscriber.
    pub fn set_members(&self, channel: &str, members: impl IntoIterator<Item = Value>) {
        self.state.server.borrow_mut().set_members(channel, members);
    }

    /// Adds a member to `channel` (shape as in
    /// [`set_members`](Self::set_members)) and, when the channel is
    /// subscribed, sends `pusher_internal:member_added`. Returns whether the
    /// frame was sent.
    pub fn add_member(&self, channel: &str, member: &Value) -> bool {
        let frame = self.state.server.borrow_mut().add_member(channel, member);
        let subscribed = self.state.server.borrow().is_subscribed(channel);
        frame.is_some_and(|frame| subscribed && self.server_frame(frame))
    }

    /// Removes the member `user_id` from `channel` and, when the channel is
    /// subscribed, sends `pusher_internal:member_removed`. Returns whether
    /// the frame was sent.
    pub fn remove_member(&self, channel: &str, user_id: &Value) -> bool {
        let frame = self.state.server.borrow_mut().remove_member(channel, user_id);
        let subscribed = self.state.server.borrow().is_subscribed(channel);
        subscribed && self.server_frame(frame)
    }

    // ----- what the server saw --------------------------------------------

    /// Every frame the client sent, on every connection, in order.
    pub fn sent_frames(&self) -> Vec<String> {
        self.state.server.borrow().sent().to_vec()
    }

    /// Empties the [`sent_frames`](Self::sent_frames) log (subscribe counts
    /// are kept).
    pub fn clear_sent_frames(&self) {
        self.state.server.borrow_mut().clear_sent();
    }

    /// The channels subscribed on the current connection, sorted; empty
    /// while no socket is open.
    pub fn subscriptions(&self) -> Vec<String> {
        self.state.server.borrow().subscriptions()
    }

    /// How many `pusher:subscribe` frames were sent for `channel`, on every
    /// connection.
    pub fn subscribe_count(&self, channel: &str) -> usize {
        self.state.server.borrow().subscribe_count(channel)
    }

    /// How many `pusher:unsubscribe` frames were sent for `channel`, on
    /// every connection.
    pub fn unsubscribe_count(&self, channel: &str) -> usize {
        self.state.server.borrow().unsubscribe_count(channel)
    }

    /// How many sockets the client opened.
    pub fn connection_count(&self) -> usize {
        self.state.server.borrow().connections()
    }

    /// The URL of every socket the client opened, in order.
    pub fn opened_urls(&self) -> Vec<String> {
        self.state.urls.borrow().clone()
    }

    /// Whether a socket is open.
    pub fn is_open(&self) -> bool {
        self.state.server.borrow().is_open()
    }

    /// The socket id the server gave the open connection.
    pub fn socket_id(&self) -> Option<String> {
        self.state.server.borrow().socket_id().map(str::to_owned)
    }
}
