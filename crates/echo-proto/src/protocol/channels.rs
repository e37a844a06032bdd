//! The channel table: each wanted channel's subscription state, its
//! deadline, and what answers a subscription (`subscription_succeeded`, an
//! error naming it or not, a timeout). The client, not the socket, owns this
//! table (pusher-js `Channels`): channels outlive connections, and every
//! `pusher:connection_established` subscribes again every channel not left.

use serde_json::Value;
use web_time::Instant;

use super::{encrypted, Connection, ConnectionState, Members, Output};
use crate::channel::{self, requires_auth};
use crate::error::EchoError;
use crate::event_name::is_protocol_event;
use crate::frame::{self, Frame};

/// Where a wanted channel is in its subscription on the current
/// connection. Every channel goes back to `Idle` when the connection is lost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum SubState {
    /// Wanted, nothing sent on this connection yet.
    Idle,
    /// Waiting for the authorizer; the answer must be for this socket id.
    Authorizing(String),
    /// `pusher:subscribe` sent.
    Pending,
    /// `subscription_succeeded` received on this connection.
    Subscribed,
}

/// The rarely used parts (presence members, encryption key and rekey) are
/// boxed: a thousand public channels should not each carry room for them.
#[derive(Debug)]
pub(super) struct ChannelEntry {
    pub(super) state: SubState,
    pub(super) ever_subscribed: bool,
    /// The subscription timeout; only meaningful while `Authorizing` or
    /// `Pending`.
    pub(super) deadline: Option<Instant>,
    /// Presence channels only.
    pub(super) members: Option<Box<Members>>,
    /// Encrypted channels: the key of the current connection.
    pub(super) key: Option<Box<encrypted::SharedKey>>,
    /// Encrypted channels: a re-authorization for a fresh key in flight.
    pub(super) rekey: Option<Box<encrypted::Rekey>>,
    /// Encrypted channels: no undecryptable event starts a re-authorization
    /// before this (see `encrypted.rs`).
    pub(super) rekey_blocked_until: Option<Instant>,
    /// The number of this channel's last authorized `pusher:subscribe` on
    /// the connection (matches an entry of `Connection::auth_answers`).
    pub(super) seq: u64,
}

impl Connection {
    /// A channel with no answer within `subscription_timeout` goes back to
    /// idle with [`EchoError::SubscriptionTimeout`]; a fresh key that does
    /// not come in time drops the events waiting for it.
    pub(super) fn on_channel_timeouts(&mut self, now: Instant) {
        let timeout = self.options.subscription_timeout;
        let mut expired = Vec::new();
        let mut rekeys = Vec::new();
        for (name, entry) in &mut self.channels {
            let subscribing = matches!(entry.state, SubState::Authorizing(_) | SubState::Pending);
            if subscribing && entry.deadline.is_some_and(|d| d <= now) {
                entry.state = SubState::Idle;
                entry.deadline = None;
                expired.push(name.clone());
            }
            if entry.rekey.as_ref().is_some_and(|r| r.deadline() <= now) {
                rekeys.push(name.clone());
            }
        }
        for channel in rekeys {
            self.drop_rekey(
                &channel,
                &format!("no fresh key came within {}", crate::error::ShowDuration(timeout)),
            );
        }
        for channel in expired {
            let error = EchoError::SubscriptionTimeout {
                channel: channel.clone(),
                timeout,
            };
            self.outputs.push_back(Output::SubscriptionError { channel, error });
        }
    }

    pub(super) fn subscribe_if_idle(&mut self, channel: &str, now: Instant) {
        if self.state != ConnectionState::Connected {
            return;
        }
        let Some(socket_id) = self.socket_id.clone() else { return };
        let Some(entry) = self.channels.get_mut(channel) else { return };
        if entry.state != SubState::Idle {
            return;
        }
        entry.deadline = Some(now + self.options.subscription_timeout);
        if entry.rekey.is_some() {
            self.drop_rekey(channel, "the channel is subscribed again");
        }
        let Some(entry) = self.channels.get_mut(channel) else { return };
        if requires_auth(channel) {
            entry.state = SubState::Authorizing(socket_id.clone());
            self.outputs.push_back(Output::Authorize {
                channel: channel.to_owned(),
                socket_id,
            });
        } else {
            entry.state = SubState::Pending;
            self.outputs.push_back(Output::Send(frame::subscribe(channel, None, None)));
        }
    }

    /// An in-band `pusher:error`. Before the handshake it acts like its
    /// close code. While connected the socket stays open, and the error goes
    /// to a channel only when it is about that channel's subscription:
    /// - one naming a channel whose subscribe is unanswered;
    /// - a channel-less error with no code or 4009 whose message names a
    ///   pending private or presence channel as `{socket_id}:{channel}`
    ///   (Pusher's "Invalid signature: Expected HMAC SHA256 hex digest of
    ///   …");
    /// - a channel-less 4009 ("unauthorized": a bad or missing signature,
    ///   Sockudo, Reverb), which can only answer a subscribe that carried
    ///   auth: the oldest one unanswered on this connection, since a server
    ///   answers a connection's subscribes in order. If that channel was left
    ///   meanwhile, the error is dropped with it.
    ///
    /// Everything else (4200 for a malformed message or a shutdown notice,
    /// 4301, an error with no code) is the connection's, never pinned on a
    /// pending channel.
    pub(super) fn on_server_error(&mut self, now: Instant, channel: Option<&str>, data: &Value) {
        let code = data.get("code").and_then(Value::as_u64).and_then(|c| u16::try_from(c).ok());
        let message = data.get("message").and_then(Value::as_str).map(str::to_owned).unwrap_or_else(|| {
            if data.is_null() {
                String::new()
            } else {
                // Not `data.to_string()`: `Value`'s `Display` serializes
                // through a second (and, for `{:#}`, a third) copy of the
                // serializer; this one is shared with `frame::encode`.
                serde_json::to_string(data).unwrap_or_default()
            }
        });
        if self.state != ConnectionState::Connected && code.is_some() {
            // An error instead of the handshake: act on its code like a close
            // (the server closes with the same code, on a socket dropped here).
            self.drop_socket();
            self.on_close_code(now, code, message);
            return;
        }
        let refused = |channel: &str, message: String| EchoError::SubscriptionRefused {
            channel: channel.to_owned(),
            code,
            status: None,
            message,
        };
        if let Some(channel) = channel {
            // The answer to this channel's subscribe, pending or not.
            let seq = self.take_auth_answer(channel);
            if self.is_pending(channel) && !self.is_stale_answer(channel, seq) {
                let error = refused(channel, message);
                self.refuse_subscription(channel.to_owned(), error);
                return;
            }
        }
        if channel.is_none() && matches!(code, None | Some(4009)) {
            if let Some(name) = self.pending_channel_named_in(&message) {
                self.take_auth_answer(&name);
                let error = refused(&name, message);
                self.refuse_subscription(name, error);
                return;
            }
        }
        if channel.is_none() && code == Some(4009) {
            if let Some((name, seq)) = self.auth_answers.pop_front() {
                if self.is_pending(&name) && self.channels.get(&name).is_some_and(|e| e.seq == seq) {
                    let error = refused(&name, message);
                    self.refuse_subscription(name, error);
                }
                return;
            }
        }
        self.outputs.push_back(Output::Error(EchoError::Server { code, message }));
    }

    /// `pusher:subscription_error` naming its channel (Soketi), data
    /// `{"type":"AuthError","error":"…","status":401}`; ignored for a channel
    /// that is not waiting for an answer.
    pub(super) fn on_subscription_error(&mut self, frame: &Frame) {
        let Some(channel) = frame.channel.as_deref() else { return };
        let seq = self.take_auth_answer(channel);
        if !self.is_pending(channel) || self.is_stale_answer(channel, seq) {
            return;
        }
        let data = frame.data.value();
        let text = |field: &str| data.get(field).and_then(Value::as_str).filter(|t| !t.is_empty());
        let message = match (text("type"), text("error").or_else(|| text("message"))) {
            (Some(kind), Some(error)) => format!("{kind}: {error}"),
            (Some(one), None) | (None, Some(one)) => one.to_owned(),
            (None, None) => data.as_str().unwrap_or_default().to_owned(),
        };
        let error = EchoError::SubscriptionRefused {
            channel: channel.to_owned(),
            code: data.get("code").and_then(Value::as_u64).and_then(|c| u16::try_from(c).ok()),
            status: data.get("status").and_then(Value::as_u64).and_then(|c| u16::try_from(c).ok()),
            message,
        };
        self.refuse_subscription(channel.to_owned(), error);
    }

    /// Whether `channel`'s `pusher:subscribe` is sent and unanswered.
    pub(super) fn is_pending(&self, channel: &str) -> bool {
        self.channels.get(channel).is_some_and(|e| e.state == SubState::Pending)
    }

    /// The server answered the oldest unanswered authorized subscribe of
    /// `channel`: it no longer waits in `auth_answers`. Returns its number.
    pub(super) fn take_auth_answer(&mut self, channel: &str) -> Option<u64> {
        let index = self.auth_answers.iter().position(|(name, _)| name == channel)?;
        self.auth_answers.remove(index).map(|(_, seq)| seq)
    }

    /// Whether an answer to the subscribe numbered `seq` of `channel` is for
    /// an earlier subscribe than the channel's current one (it was left and
    /// subscribed again meanwhile): the server handled the `unsubscribe`
    /// after it, so it says nothing about the current one.
    pub(super) fn is_stale_answer(&self, channel: &str, seq: Option<u64>) -> bool {
        seq.is_some_and(|seq| self.channels.get(channel).is_some_and(|e| e.seq != seq))
    }

    /// The pending private or presence channel a channel-less error's
    /// message names as `{socket_id}:{channel}`: Pusher answers a bad
    /// signature with code `null` and "Invalid signature: Expected HMAC
    /// SHA256 hex digest of 123.456:private-x, but got …". The longest
    /// name wins (`private-x` and `private-x.1`).
    pub(super) fn pending_channel_named_in(&self, message: &str) -> Option<String> {
        let socket_id = self.socket_id.as_deref()?;
        let names = |name: &str| {
            let needle = format!("{socket_id}:{name}");
            message.match_indices(&needle).any(|(at, _)| {
                let next = message[at + needle.len()..].chars().next();
                next.is_none_or(|c| c == ',' || c == ':' || c.is_whitespace())
            })
        };
        self.channels
            .iter()
            .filter(|(name, e)| e.state == SubState::Pending && requires_auth(name) && names(name))
            .max_by_key(|(name, _)| name.len())
            .map(|(name, _)| name.clone())
    }

    /// A refused subscription: the channel goes back to idle (not resent now:
    /// the next connection or `subscribe` retries) and its error listeners
    /// are told.
    pub(super) fn refuse_subscription(&mut self, channel: String, error: EchoError) {
        if let Some(entry) = self.channels.get_mut(&channel) {
            entry.state = SubState::Idle;
        }
        self.outputs.push_back(Output::SubscriptionError { channel, error });
    }

    pub(super) fn on_subscription_succeeded(&mut self, frame: Frame) {
        let Some(name) = frame.channel else { return };
        let seq = self.take_auth_answer(&name);
        if self.is_stale_answer(&name, seq) {
            return;
        }
        let Some(entry) = self.channels.get_mut(&name) else {
            // Left while pending: `unsubscribe` already sent
            // `pusher:unsubscribe`, which the server handles after this.
            return;
        };
        if entry.state == SubState::Subscribed {
            return;
        }
        entry.state = SubState::Subscribed;
        let resubscribed = entry.ever_subscribed;
        entry.ever_subscribed = true;
        let presence = entry.members.is_some();
        self.outputs.push_back(Output::Subscribed {
            channel: name.clone(),
            resubscribed,
            data: frame.data.value().clone(),
        });
        if presence {
            self.on_presence_succeeded(&name, &frame.data);
        }
    }

    pub(super) fn on_event(&mut self, now: Instant, frame: Frame) {
        match &frame.channel {
            Some(channel) if !self.channels.contains_key(channel) => {} // left: ignore
            Some(_) if self.on_member_event(&frame) => {}
            Some(channel) if channel::is_encrypted(channel) && !is_protocol_event(&frame.event) => {
                self.on_encrypted_event(now, frame);
            }
            _ => self.outputs.push_back(Output::Event(frame)),
        }
    }
}
