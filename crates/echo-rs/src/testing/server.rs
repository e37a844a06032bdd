//! The scripted server side of [`FakeRuntime`](super::FakeRuntime): frames in
//! from the client, frames out to it, as Reverb or Pusher would answer them.
//! Pure data; the runtime delivers what it returns.

use std::collections::{BTreeMap, BTreeSet};

use echo_proto::channel;
use serde_json::{json, Map, Value};

/// The fake server's state. One connection at a time, as one client has.
pub(crate) struct FakeServer {
    pub(crate) auto_handshake: bool,
    pub(crate) auto_subscribe: bool,
    /// The current connection died without a close: nothing crosses it.
    pub(crate) dead: bool,
    connections: u64,
    socket_id: Option<String>,
    subscriptions: BTreeSet<String>,
    subscribe_counts: BTreeMap<String, usize>,
    unsubscribe_counts: BTreeMap<String, usize>,
    sent: Vec<String>,
    members: BTreeMap<String, Vec<(String, Value)>>,
}

impl Default for FakeServer {
    fn default() -> Self {
        Self {
            auto_handshake: true,
            auto_subscribe: true,
            dead: false,
            connections: 0,
            socket_id: None,
            subscriptions: BTreeSet::new(),
            subscribe_counts: BTreeMap::new(),
            unsubscribe_counts: BTreeMap::new(),
            sent: Vec::new(),
            members: BTreeMap::new(),
        }
    }
}

/// `data` double-encoded, as servers send it.
pub(crate) fn event_frame(channel: Option<&str>, event: &str, data: &Value) -> String {
    let mut frame = Map::new();
    frame.insert("event".into(), event.into());
    if let Some(channel) = channel {
        frame.insert("channel".into(), channel.into());
    }
    frame.insert("data".into(), data.to_string().into());
    Value::Object(frame).to_string()
}

/// A presence member id as the protocol carries it: a string.
fn member_id(id: &Value) -> String {
    match id {
        Value::String(id) => id.clone(),
        other => other.to_string(),
    }
}

/// `(user_id, user_info)` from Laravel's channel_data shape
/// `{"user_id": …, "user_info": …}`; `None` without a `user_id`.
fn member(value: &Value) -> Option<(String, Value)> {
    let id = value.get("user_id").filter(|id| !id.is_null())?;
    Some((member_id(id), value.get("user_info").cloned().unwrap_or(Value::Null)))
}

impl FakeServer {
    /// A socket opened: a new connection with a fresh socket id
    /// (`1234.5678`, then `1235.5679` …) and no subscriptions. Returns the
    /// handshake to send when `auto_handshake` is on.
    pub(crate) fn open(&mut self) -> Option<String> {
        let n = self.connections;
        self.connections += 1;
        self.socket_id = Some(format!("{}.{}", 1234 + n, 5678 + n));
        self.subscriptions.clear();
        self.dead = false;
        self.auto_handshake.then(|| self.handshake()).flatten()
    }

    /// The current connection closed: its subscriptions are gone.
    pub(crate) fn close(&mut self) {
        self.socket_id = None;
        self.dead = false;
        self.subscriptions.clear();
    }

    /// `pusher:connection_established` for the current connection.
    pub(crate) fn handshake(&self) -> Option<String> {
        let socket_id = self.socket_id.as_deref()?;
        Some(event_frame(
            None,
            "pusher:connection_established",
            &json!({ "socket_id": socket_id, "activity_timeout": 120 }),
        ))
    }

    /// A frame from the client: recorded, then answered. Frames that are not
    /// JSON, or not understood, are recorded and ignored.
    pub(crate) fn receive(&mut self, text: &str) -> Vec<String> {
        if self.dead {
            return Vec::new();
        }
        self.sent.push(text.to_owned());
        let Ok(frame) = serde_json::from_str::<Value>(text) else {
            return Vec::new();
        };
        let data = frame.get("data").unwrap_or(&Value::Null);
        let channel = data.get("channel").and_then(Value::as_str).map(str::to_owned);
        match (frame.get("event").and_then(Value::as_str), channel) {
            (Some("pusher:ping"), _) => vec![event_frame(None, "pusher:pong", &json!({}))],
            (Some("pusher:subscribe"), Some(channel)) => {
                *self.subscribe_counts.entry(channel.clone()).or_default() += 1;
                self.subscriptions.insert(channel.clone());
                if !self.auto_subscribe {
                    return Vec::new();
                }
                let me = data
                    .get("channel_data")
                    .and_then(Value::as_str)
                    .and_then(|text| serde_json::from_str::<Value>(text).ok())
                    .and_then(|value| member(&value));
                vec![self.subscription_succeeded(&channel, me)]
            }
            (Some("pusher:unsubscribe"), Some(channel)) => {
                self.subscriptions.remove(&channel);
                *self.unsubscribe_counts.entry(channel).or_default() += 1;
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// `pusher_internal:subscription_succeeded`; on presence channels with
    /// the configured members plus `me`, in the protocol's
    /// `{"presence":{"ids","hash","count"}}` shape.
    fn subscription_succeeded(&self, channel: &str, me: Option<(String, Value)>) -> String {
        if !channel::is_presence(channel) {
            return event_frame(Some(channel), "pusher_internal:subscription_succeeded", &json!({}));
        }
        let mut members = self.members.get(channel).cloned().unwrap_or_default();
        if let Some(me) = me.filter(|(id, _)| !members.iter().any(|(m, _)| m == id)) {
            members.push(me);
        }
        let ids: Vec<&String> = members.iter().map(|(id, _)| id).collect();
        let hash: Map<String, Value> = members.iter().map(|(id, info)| (id.clone(), info.clone())).collect();
        let data = json!({ "presence": { "ids": ids, "hash": hash, "count": members.len() } });
        event_frame(Some(channel), "pusher_internal:subscription_succeeded", &data)
    }

    pub(crate) fn is_open(&self) -> bool {
        self.socket_id.is_some()
    }

    pub(crate) fn socket_id(&self) -> Option<&str> {
        self.socket_id.as_deref()
    }

    pub(crate) fn connections(&self) -> usize {
        usize::try_from(self.connections).unwrap_or(usize::MAX)
    }

    pub(crate) fn is_subscribed(&self, channel: &str) -> bool {
        self.subscriptions.contains(channel)
    }

    pub(crate) fn subscriptions(&self) -> Vec<String> {
        self.subscriptions.iter().cloned().collect()
    }

    pub(crate) fn subscribe_count(&self, channel: &str) -> usize {
        self.subscribe_counts.get(channel).copied().unwrap_or(0)
    }

    pub(crate) fn unsubscribe_count(&self, channel: &str) -> usize {
        self.unsubscribe_counts.get(channel).copied().unwrap_or(0)
    }

    pub(crate) fn sent(&self) -> &[String] {
        &self.sent
    }

    pub(crate) fn clear_sent(&mut self) {
        self.sent.clear();
    }

    /// Replaces the members of `channel`; entries without a `user_id` are
    /// skipped.
    pub(crate) fn set_members(&mut self, channel: &str, members: impl IntoIterator<Item = Value>) {
        let members = members.into_iter().filter_map(|m| member(&m)).collect();
        self.members.insert(channel.to_owned(), members);
    }

    /// Adds a member; returns the `pusher_internal:member_added` frame, or
    /// `None` when the value has no `user_id`.
    pub(crate) fn add_member(&mut self, channel: &str, value: &Value) -> Option<String> {
        let (id, info) = member(value)?;
        let members = self.members.entry(channel.to_owned()).or_default();
        members.retain(|(m, _)| *m != id);
        members.push((id.clone(), info.clone()));
        Some(event_frame(
            Some(channel),
            "pusher_internal:member_added",
            &json!({ "user_id": id, "user_info": info }),
        ))
    }

    /// Removes a member; returns the `pusher_internal:member_removed` frame.
    pub(crate) fn remove_member(&mut self, channel: &str, user_id: &Value) -> String {
        let id = member_id(user_id);
        if let Some(members) = self.members.get_mut(channel) {
            members.retain(|(m, _)| *m != id);
        }
        event_frame(Some(channel), "pusher_internal:member_removed", &json!({ "user_id": id }))
    }
}
