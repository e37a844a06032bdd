//! Presence channels: the members set the core keeps per `presence-*` channel
//! (pusher-js `channels/presence_channel.ts` + `channels/members.ts`).
//!
//! - `pusher_internal:subscription_succeeded` with
//!   `{"presence":{"ids":[…],"hash":{id: info},"count":n}}` **replaces** the
//!   members on every (re)subscription and is reported as [`Output::Here`].
//! - `pusher_internal:member_added` `{"user_id","user_info"}` stores the
//!   member (the count grows only when it is new) and is reported as
//!   [`Output::MemberAdded`].
//! - `pusher_internal:member_removed` `{"user_id"}` is reported as
//!   [`Output::MemberRemoved`] only when that member was there.
//!
//! User ids are compared as strings: `"1"` and `1` are the same member.

use serde_json::Value;

use super::{Connection, Output};
use crate::error::ProtocolError;
use crate::frame::Frame;

/// One member of a presence channel (pusher-js `members.get(id)`:
/// `{id, info}`).
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// The user id, normalised to a string (`1` becomes `"1"`).
    pub id: String,
    /// The `user_info` the server holds for this member (from the auth
    /// endpoint's `channel_data`); [`Value::Null`] when it sent none.
    pub info: Value,
}

/// The members of one presence channel (pusher-js `Members`).
///
/// Empty until the channel's subscription succeeds; cleared when the
/// connection is lost and replaced on every (re)subscription.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Members {
    my_id: Option<String>,
    count: usize,
    list: Vec<Member>,
}

/// A user id as the string members are keyed by: a JSON string as it is, a
/// number as its decimal text. `None` for anything else (null, objects …).
pub fn user_id_string(value: &Value) -> Option<String> {
    match value {
        Value::String(id) => Some(id.clone()),
        Value::Number(id) => Some(id.to_string()),
        _ => None,
    }
}

impl Members {
    /// This client's user id: `channel_data.user_id` from the auth response
    /// (pusher-js `members.myID`). `None` before authorization.
    pub fn my_id(&self) -> Option<&str> {
        self.my_id.as_deref()
    }

    /// This client as a member, once the subscription succeeded and the
    /// server listed it (pusher-js `members.me`).
    pub fn me(&self) -> Option<&Member> {
        self.my_id.as_deref().and_then(|id| self.get(id))
    }

    /// The number of members (pusher-js `members.count`): the server's
    /// `presence.count` on subscription, then +1 per new member and −1 per
    /// member removed.
    pub fn count(&self) -> usize {
        self.count
    }

    /// The member with user id `id` (pusher-js `members.get`).
    pub fn get(&self, id: &str) -> Option<&Member> {
        self.list.iter().find(|m| m.id == id)
    }

    /// Every member, in the server's `ids` order, then in order of arrival.
    pub fn iter(&self) -> impl Iterator<Item = &Member> {
        self.list.iter()
    }

    /// Calls `f` with every member (pusher-js `members.each`).
    pub fn each(&self, f: impl FnMut(&Member)) {
        self.list.iter().for_each(f);
    }

    /// A copy of every member, in [`iter`](Self::iter) order.
    pub fn to_vec(&self) -> Vec<Member> {
        self.list.clone()
    }

    /// Forgets the members and `me` (pusher-js `members.reset`).
    pub(crate) fn reset(&mut self) {
        *self = Self::default();
    }

    /// Sets `me` from the auth response's `channel_data` (a JSON string).
    pub(crate) fn set_my_id(&mut self, channel_data: Option<&str>) {
        self.my_id = channel_data
            .and_then(|data| serde_json::from_str::<Value>(data).ok())
            .and_then(|data| data.get("user_id").and_then(user_id_string));
    }

    /// Replaces every member with those of a `subscription_succeeded`
    /// payload. On a malformed payload the set is left empty.
    ///
    /// # Errors
    /// A description of what is missing.
    pub(crate) fn replace(&mut self, data: &Value) -> Result<(), String> {
        self.list.clear();
        self.count = 0;
        let Some(presence) = data.get("presence").filter(|p| p.is_object()) else {
            return Err("subscription_succeeded carries no `presence` object".into());
        };
        let hash = presence.get("hash").and_then(Value::as_object);
        let ids = presence.get("ids").and_then(Value::as_array);
        let mut push = |id: String, info: Value| {
            if self.get(&id).is_none() {
                self.list.push(Member { id, info });
            }
        };
        for id in ids.into_iter().flatten().filter_map(user_id_string) {
            let info = hash.and_then(|h| h.get(&id)).cloned().unwrap_or(Value::Null);
            push(id, info);
        }
        for (id, info) in hash.into_iter().flatten() {
            push(id.clone(), info.clone());
        }
        self.count = presence
            .get("count")
            .and_then(Value::as_u64)
            .and_then(|c| usize::try_from(c).ok())
            .unwrap_or(self.list.len());
        Ok(())
    }

    /// Adds or updates the member of a `member_added` payload; returns it.
    /// The count grows only when the member is new.
    pub(crate) fn add(&mut self, data: &Value) -> Option<Member> {
        let id = data.get("user_id").and_then(user_id_string)?;
        let info = data.get("user_info").cloned().unwrap_or(Value::Null);
        let member = Member { id, info };
        match self.list.iter_mut().find(|m| m.id == member.id) {
            Some(existing) => existing.info = member.info.clone(),
            None => {
                self.list.push(member.clone());
                self.count += 1;
            }
        }
        Some(member)
    }

    /// Removes the member of a `member_removed` payload; returns it only when
    /// it was there.
    pub(crate) fn remove(&mut self, data: &Value) -> Option<Member> {
        let id = data.get("user_id").and_then(user_id_string)?;
        let index = self.list.iter().position(|m| m.id == id)?;
        self.count = self.count.saturating_sub(1);
        Some(self.list.remove(index))
    }
}

impl Connection {
    /// The members of presence channel `channel` (pusher-js
    /// `channel.members`); `None` when `channel` is not a wanted presence
    /// channel. Empty until its subscription succeeds.
    pub fn members(&self, channel: &str) -> Option<&Members> {
        self.channels.get(channel).and_then(|entry| entry.members.as_deref())
    }

    /// Replaces the members after a presence channel's subscription
    /// succeeded and reports them as [`Output::Here`].
    pub(super) fn on_presence_succeeded(&mut self, channel: &str, data: &Value) {
        let Some(members) = self.channels.get_mut(channel).and_then(|e| e.members.as_mut()) else {
            return;
        };
        if let Err(reason) = members.replace(data) {
            let error = ProtocolError::InvalidPresence {
                channel: channel.to_owned(),
                reason,
            };
            self.outputs.push_back(Output::Error(error.into()));
        }
        let members = members.to_vec();
        self.outputs.push_back(Output::Here {
            channel: channel.to_owned(),
            members,
        });
    }

    /// Handles `pusher_internal:member_added` / `member_removed` on a
    /// presence channel. Returns `false` for any other event.
    pub(super) fn on_member_event(&mut self, frame: &Frame) -> bool {
        let Some(channel) = frame.channel.as_deref() else { return false };
        let added = match frame.event.as_str() {
            "pusher_internal:member_added" => true,
            "pusher_internal:member_removed" => false,
            _ => return false,
        };
        let Some(members) = self.channels.get_mut(channel).and_then(|e| e.members.as_mut()) else {
            return false;
        };
        if frame.data.get("user_id").and_then(user_id_string).is_none() {
            let reason = format!("{} carries no string or number `user_id`", frame.event);
            let error = ProtocolError::InvalidPresence {
                channel: channel.to_owned(),
                reason,
            };
            self.outputs.push_back(Output::Error(error.into()));
            return true;
        }
        let channel = channel.to_owned();
        if added {
            if let Some(member) = members.add(&frame.data) {
                self.outputs.push_back(Output::MemberAdded { channel, member });
            }
        } else if let Some(member) = members.remove(&frame.data) {
            self.outputs.push_back(Output::MemberRemoved { channel, member });
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ids(members: &Members) -> Vec<&str> {
        members.iter().map(|m| m.id.as_str()).collect()
    }

    #[test]
    fn subscription_replaces_members_in_ids_order() {
        let mut members = Members::default();
        members.set_my_id(Some(r#"{"user_id":2,"user_info":{}}"#));
        members.add(&json!({ "user_id": "9", "user_info": {} }));
        let data = json!({ "presence": { "ids": ["10", 2], "hash": { "2": { "n": "b" }, "10": { "n": "a" } }, "count": 2 } });
        members.replace(&data).unwrap();
        assert_eq!(ids(&members), ["10", "2"]);
        assert_eq!(members.count(), 2);
        assert_eq!(
            members.me(),
            Some(&Member {
                id: "2".into(),
                info: json!({ "n": "b" })
            })
        );
    }

    #[test]
    fn ids_compare_equal_whatever_their_json_type() {
        let mut members = Members::default();
        members
            .replace(&json!({ "presence": { "ids": [1], "hash": { "1": {} }, "count": 1 } }))
            .unwrap();
        assert!(members.add(&json!({ "user_id": "1", "user_info": { "x": 1 } })).is_some());
        assert_eq!(members.count(), 1, "not a new member");
        assert_eq!(members.get("1").unwrap().info, json!({ "x": 1 }));
        assert_eq!(members.remove(&json!({ "user_id": 1 })).map(|m| m.id), Some("1".into()));
        assert_eq!(members.remove(&json!({ "user_id": 1 })), None, "only once");
        assert_eq!(members.count(), 0);
    }

    #[test]
    fn malformed_payloads_leave_an_empty_set() {
        let mut members = Members::default();
        members.add(&json!({ "user_id": "1" }));
        assert!(members.replace(&json!({})).is_err());
        assert!(members.replace(&json!("text")).is_err());
        assert_eq!(members.count(), 0);
        assert_eq!(members.add(&json!({ "user_info": {} })), None);
        assert_eq!(members.add(&json!({ "user_id": null })), None);
        // A hash without ids, and ids without a hash.
        members.replace(&json!({ "presence": { "hash": { "a": 1 } } })).unwrap();
        assert_eq!((ids(&members), members.count()), (vec!["a"], 1));
        members.replace(&json!({ "presence": { "ids": ["b"] } })).unwrap();
        assert_eq!(members.get("b").unwrap().info, Value::Null);
    }
}
