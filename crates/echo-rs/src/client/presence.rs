//! A presence channel handle: Laravel Echo's `PusherPresenceChannel`
//! (`here`, `joining`, `leaving`) over the members the core keeps
//! (pusher-js `presence_channel.ts`, `members.ts`).

use std::ops::Deref;
use std::rc::Rc;

use super::{Channel, Echo, ListenerHandle, ListenerKind};
use echo_proto::{channel::ChannelKind, Member};

/// The event key of `here` listeners in the presence listener map.
pub(crate) const HERE: &str = "here";
/// The event key of `joining` listeners.
pub(crate) const JOINING: &str = "joining";
/// The event key of `leaving` listeners.
pub(crate) const LEAVING: &str = "leaving";

/// A presence channel handle (Laravel Echo `PusherPresenceChannel`), from
/// [`Echo::join`]. Derefs to [`Channel`], so `listen`, `whisper`,
/// `listen_for_whisper`, `subscribed`, `error` and `leave` work as on any
/// private channel. Cheap to clone.
#[derive(Clone, Debug)]
pub struct PresenceChannel {
    channel: Channel,
}

impl Deref for PresenceChannel {
    type Target = Channel;

    fn deref(&self) -> &Channel {
        &self.channel
    }
}

impl Echo {
    /// Joins a presence channel; `presence-` is prefixed (Echo `join(name)`).
    /// Needs authorization: the auth endpoint must answer `channel_data`
    /// (`{"user_id":…,"user_info":…}`).
    pub fn join(&self, name: &str) -> PresenceChannel {
        PresenceChannel {
            channel: self.subscribe(ChannelKind::Presence.full_name(name)),
        }
    }
}

impl PresenceChannel {
    /// The underlying channel.
    pub fn channel(&self) -> &Channel {
        &self.channel
    }

    fn add(&self, key: &str, callback: impl Fn(&[Member]) + 'static) -> ListenerHandle {
        let id = self.echo.shared.borrow_mut().presence.add(&self.name, key, Rc::new(callback));
        ListenerHandle {
            id,
            kind: ListenerKind::Presence,
        }
    }

    /// Calls `callback` with every member each time the subscription
    /// succeeds, reconnects included: treat it as a reset of the member
    /// list, not an append (Echo `here`). It is not called for a success
    /// that happened before it was registered; use
    /// [`members`](Self::members) for the current list.
    pub fn here(&self, callback: impl Fn(&[Member]) + 'static) -> ListenerHandle {
        self.add(HERE, callback)
    }

    /// Calls `callback` with each member who joins (`pusher:member_added`,
    /// Echo `joining`). As in pusher-js it is also called when the server
    /// announces a member already listed; its info is updated then.
    pub fn joining(&self, callback: impl Fn(&Member) + 'static) -> ListenerHandle {
        self.add(JOINING, move |members| members.iter().for_each(&callback))
    }

    /// Calls `callback` with each member who leaves (`pusher:member_removed`,
    /// Echo `leaving`); only members that were listed are reported.
    pub fn leaving(&self, callback: impl Fn(&Member) + 'static) -> ListenerHandle {
        self.add(LEAVING, move |members| members.iter().for_each(&callback))
    }

    /// The current members, in the server's order (pusher-js
    /// `channel.members.each`). Empty until the subscription succeeds and
    /// after the connection is lost.
    pub fn members(&self) -> Vec<Member> {
        let shared = self.echo.shared.borrow();
        shared.conn.members(&self.name).map(|m| m.to_vec()).unwrap_or_default()
    }

    /// The number of members (pusher-js `channel.members.count`).
    pub fn count(&self) -> usize {
        let shared = self.echo.shared.borrow();
        shared.conn.members(&self.name).map_or(0, |m| m.count())
    }

    /// This client as a member (pusher-js `channel.members.me`): its id comes
    /// from the auth response's `channel_data.user_id`; `None` until the
    /// subscription succeeded with it in the list.
    pub fn me(&self) -> Option<Member> {
        let shared = self.echo.shared.borrow();
        shared.conn.members(&self.name).and_then(|m| m.me()).cloned()
    }
}
