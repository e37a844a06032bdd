//! Listener storage keyed by (channel, event), kept apart from socket state so
//! that listeners survive reconnects (pusher-js keeps bindings on the
//! `Channel` object, not on the socket).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

/// Identifies one registered listener; pass it back to remove exactly that
/// one. Ids are unique in the whole program, not per [`Listeners`]: an id
/// from one client or one listener list never matches a listener of another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ListenerId(u64);

/// The last [`ListenerId`] handed out, by any [`Listeners`].
static LAST_ID: AtomicU64 = AtomicU64::new(0);

/// The event key under which catch-all listeners (`listen_to_all`) are kept.
pub const ALL_EVENTS: &str = "*";

/// Callbacks of type `F` by channel and wire event name.
///
/// One map entry per channel holding a short list of `(event, id, callback)`
/// in registration order: a channel has a few listeners, so a scan is as fast
/// as a second map and costs far less memory per channel.
#[derive(Debug)]
pub struct Listeners<F> {
    by_channel: HashMap<String, Vec<Entry<F>>>,
}

#[derive(Debug)]
struct Entry<F> {
    event: Box<str>,
    id: ListenerId,
    callback: F,
}

impl<F> Default for Listeners<F> {
    fn default() -> Self {
        Self {
            by_channel: HashMap::new(),
        }
    }
}

impl<F: Clone> Listeners<F> {
    /// Adds `callback` for `event` (the wire name, already formatted) on
    /// `channel`; [`ALL_EVENTS`] listens to every event of the channel.
    pub fn add(&mut self, channel: &str, event: &str, callback: F) -> ListenerId {
        let id = ListenerId(LAST_ID.fetch_add(1, Ordering::Relaxed) + 1);
        let entry = Entry {
            event: event.into(),
            id,
            callback,
        };
        match self.by_channel.get_mut(channel) {
            Some(list) => list.push(entry),
            // Most channels keep one listener per kind: no spare capacity.
            None => {
                self.by_channel.insert(channel.to_owned(), vec![entry]);
            }
        }
        id
    }

    /// Removes the listener `id`; returns whether it existed.
    pub fn remove(&mut self, id: ListenerId) -> bool {
        let found = self.by_channel.iter_mut().find_map(|(channel, list)| {
            let index = list.iter().position(|e| e.id == id)?;
            Some((channel, list, index))
        });
        let Some((channel, list, index)) = found else { return false };
        list.remove(index);
        if list.is_empty() {
            let channel = channel.clone();
            self.by_channel.remove(&channel);
        }
        true
    }

    /// Removes the listener `id` if it is registered on `channel`; returns
    /// whether it was.
    pub fn remove_in(&mut self, channel: &str, id: ListenerId) -> bool {
        let Some(list) = self.by_channel.get_mut(channel) else {
            return false;
        };
        let Some(index) = list.iter().position(|e| e.id == id) else {
            return false;
        };
        list.remove(index);
        if list.is_empty() {
            self.by_channel.remove(channel);
        }
        true
    }

    /// Whether the listener `id` is registered on `channel` for `event`.
    pub fn listens_for(&self, channel: &str, event: &str, id: ListenerId) -> bool {
        self.by_channel
            .get(channel)
            .is_some_and(|list| list.iter().any(|e| e.id == id && &*e.event == event))
    }

    /// Removes every listener for `event` on `channel`.
    pub fn remove_event(&mut self, channel: &str, event: &str) {
        if let Some(list) = self.by_channel.get_mut(channel) {
            list.retain(|e| &*e.event != event);
            if list.is_empty() {
                self.by_channel.remove(channel);
            }
        }
    }

    /// Removes every listener on `channel`.
    pub fn remove_channel(&mut self, channel: &str) {
        self.by_channel.remove(channel);
    }

    /// The callbacks to call for `event` on `channel`, specific listeners
    /// first, then catch-all ones, each in registration order. Cloned so the
    /// caller can run them without holding a borrow.
    pub fn matching(&self, channel: &str, event: &str) -> Vec<F> {
        let Some(list) = self.by_channel.get(channel) else {
            return Vec::new();
        };
        let specific = list.iter().filter(|e| &*e.event == event);
        let all = list.iter().filter(|e| &*e.event == ALL_EVENTS && event != ALL_EVENTS);
        specific.chain(all).map(|e| e.callback.clone()).collect()
    }

    /// The number of listeners on `channel`.
    pub fn count(&self, channel: &str) -> usize {
        self.by_channel.get(channel).map_or(0, Vec::len)
    }

    /// The number of listeners on all channels.
    #[cfg(test)]
    pub fn total(&self) -> usize {
        self.by_channel.values().map(Vec::len).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remove_takes_exactly_the_listener_given() {
        let mut listeners = Listeners::default();
        let a = listeners.add("rooms", "RoomsUpdated", "a");
        let _b = listeners.add("rooms", "RoomsUpdated", "b");
        let _all = listeners.add("rooms", ALL_EVENTS, "all");
        assert_eq!(listeners.matching("rooms", "RoomsUpdated"), vec!["a", "b", "all"]);
        assert!(listeners.remove(a));
        assert!(!listeners.remove(a));
        assert_eq!(listeners.matching("rooms", "RoomsUpdated"), vec!["b", "all"]);
        assert_eq!(listeners.matching("venues", "RoomsUpdated"), Vec::<&str>::new());
        listeners.remove_channel("rooms");
        assert_eq!(listeners.total(), 0);
    }

    #[test]
    fn ids_of_another_list_or_channel_remove_nothing() {
        let mut first = Listeners::default();
        let mut second = Listeners::default();
        let a = first.add("rooms", "E", "a");
        let b = second.add("rooms", "E", "b");
        assert_ne!(a, b, "ids are unique across lists");
        assert!(!first.remove(b));
        assert!(!first.remove_in("venues", a), "a is on rooms, not venues");
        assert_eq!(first.matching("rooms", "E"), vec!["a"]);
        assert!(first.remove_in("rooms", a));
        assert_eq!(second.matching("rooms", "E"), vec!["b"]);
    }
}
