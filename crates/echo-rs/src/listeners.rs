//! Listener storage keyed by (channel, event), kept apart from socket state so
//! that listeners survive reconnects (pusher-js keeps bindings on the
//! `Channel` object, not on the socket).

use std::collections::HashMap;

/// Identifies one registered listener; pass it back to remove exactly that one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ListenerId(u64);

/// The event key under which catch-all listeners (`listen_to_all`) are kept.
pub const ALL_EVENTS: &str = "*";

/// Callbacks of type `F` by channel and wire event name.
#[derive(Debug)]
pub struct Listeners<F> {
    next: u64,
    by_channel: HashMap<String, HashMap<String, Vec<(ListenerId, F)>>>,
}

impl<F> Default for Listeners<F> {
    fn default() -> Self {
        Self {
            next: 0,
            by_channel: HashMap::new(),
        }
    }
}

impl<F: Clone> Listeners<F> {
    /// Adds `callback` for `event` (the wire name, already formatted) on
    /// `channel`; [`ALL_EVENTS`] listens to every event of the channel.
    pub fn add(&mut self, channel: &str, event: &str, callback: F) -> ListenerId {
        self.next += 1;
        let id = ListenerId(self.next);
        self.by_channel
            .entry(channel.to_owned())
            .or_default()
            .entry(event.to_owned())
            .or_default()
            .push((id, callback));
        id
    }

    /// Removes the listener `id`; returns whether it existed.
    pub fn remove(&mut self, id: ListenerId) -> bool {
        for events in self.by_channel.values_mut() {
            for list in events.values_mut() {
                if let Some(index) = list.iter().position(|(lid, _)| *lid == id) {
                    list.remove(index);
                    events.retain(|_, list| !list.is_empty());
                    self.by_channel.retain(|_, events| !events.is_empty());
                    return true;
                }
            }
        }
        false
    }

    /// Removes every listener for `event` on `channel`.
    pub fn remove_event(&mut self, channel: &str, event: &str) {
        if let Some(events) = self.by_channel.get_mut(channel) {
            events.remove(event);
            if events.is_empty() {
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
        let Some(events) = self.by_channel.get(channel) else {
            return Vec::new();
        };
        let specific = events.get(event).into_iter().flatten();
        let all = events.get(ALL_EVENTS).into_iter().flatten().filter(|_| event != ALL_EVENTS);
        specific.chain(all).map(|(_, f)| f.clone()).collect()
    }

    /// The number of listeners on `channel`.
    pub fn count(&self, channel: &str) -> usize {
        self.by_channel.get(channel).map_or(0, |events| events.values().map(Vec::len).sum())
    }

    /// The number of listeners on all channels.
    pub fn total(&self) -> usize {
        self.by_channel.values().flat_map(|events| events.values()).map(Vec::len).sum()
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
}
