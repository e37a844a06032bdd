//! Channel names: every rule that reads or builds one lives here (Pusher
//! protocol "Channel types", Laravel Echo's `channel`/`private`/
//! `encryptedPrivate`/`join`/`leave`). The connection, the client and the
//! framework hooks all ask this module; none checks a prefix itself.
//!
//! | Name | Kind | Authorization | Client events (whisper) |
//! |---|---|---|---|
//! | `rooms`, `cache-rooms` | [`Public`](ChannelKind::Public) | no | no |
//! | `private-orders.1`, `private-cache-x` | [`Private`](ChannelKind::Private) | yes | yes |
//! | `private-encrypted-vault` (also `private-encrypted-cache-x`) | [`PrivateEncrypted`](ChannelKind::PrivateEncrypted) | yes, with a `shared_secret` | no: the server could not read them |
//! | `presence-lobby`, `presence-cache-x` | [`Presence`](ChannelKind::Presence) | yes, with `channel_data` | yes |
//!
//! Cache channels (`cache-`, `private-cache-`, `presence-cache-`, and
//! `private-encrypted-cache-` on servers that have them) are a property on
//! top of the kind: see [`is_cache`].

/// A channel's kind, read from its name's prefix.
///
/// ```
/// use echo_proto::channel::ChannelKind;
/// assert_eq!(ChannelKind::of("rooms"), ChannelKind::Public);
/// assert_eq!(ChannelKind::of("private-encrypted-vault"), ChannelKind::PrivateEncrypted);
/// assert!(ChannelKind::of("presence-lobby").allows_client_events());
/// assert!(!ChannelKind::of("private-encrypted-vault").allows_client_events());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChannelKind {
    /// No prefix (or `cache-`): anyone may subscribe.
    Public,
    /// `private-` (not `private-encrypted-`): signed by the auth endpoint.
    Private,
    /// `private-encrypted-`: signed, and every event's payload is sealed
    /// with the `shared_secret` of the authorization (NaCl secretbox).
    PrivateEncrypted,
    /// `presence-`: signed with the member's `channel_data`; the server
    /// reports who is subscribed.
    Presence,
}

const PRIVATE: &str = "private-";
const ENCRYPTED: &str = "private-encrypted-";
const PRESENCE: &str = "presence-";
const CLIENT: &str = "client-";

impl ChannelKind {
    /// The kind of the channel `name`.
    pub fn of(name: &str) -> Self {
        if name.starts_with(ENCRYPTED) {
            Self::PrivateEncrypted
        } else if name.starts_with(PRIVATE) {
            Self::Private
        } else if name.starts_with(PRESENCE) {
            Self::Presence
        } else {
            Self::Public
        }
    }

    /// The prefix names of this kind start with: `""`, `"private-"`,
    /// `"private-encrypted-"` or `"presence-"`.
    pub fn prefix(self) -> &'static str {
        match self {
            Self::Public => "",
            Self::Private => PRIVATE,
            Self::PrivateEncrypted => ENCRYPTED,
            Self::Presence => PRESENCE,
        }
    }

    /// Whether subscribing needs a signature from the auth endpoint first
    /// (every kind but [`Public`](Self::Public)).
    pub fn needs_auth(self) -> bool {
        self != Self::Public
    }

    /// Whether the protocol lets a client send events (`client-*`, Echo's
    /// `whisper`) on this kind: private and presence channels only. Not
    /// public ones (no authenticated sender) and not encrypted ones (the
    /// server relays only what it can read).
    pub fn allows_client_events(self) -> bool {
        matches!(self, Self::Private | Self::Presence)
    }

    /// The full name of `name` as this kind, the way Laravel Echo builds it:
    /// the prefix is always added (`private("private-a")` subscribes
    /// `private-private-a`, as in Echo). See [`ChannelKind::ensure_prefix`]
    /// for the lenient form.
    pub fn full_name(self, name: &str) -> String {
        format!("{}{name}", self.prefix())
    }

    /// `name` as this kind, adding the prefix only when `name` does not
    /// already have it (the framework hooks accept both `orders.1` and
    /// `private-orders.1`). A private `presence-x` stays as it is: presence
    /// channels are private too.
    pub fn ensure_prefix(self, name: &str) -> String {
        let has = match self {
            Self::Public => true,
            Self::Private => Self::of(name).needs_auth(),
            Self::PrivateEncrypted => name.starts_with(ENCRYPTED),
            Self::Presence => name.starts_with(PRESENCE),
        };
        if has {
            name.to_owned()
        } else {
            self.full_name(name)
        }
    }

    /// `name` without this kind's prefix (`presence-lobby` → `lobby` as
    /// [`Presence`](Self::Presence)); `name` itself when it does not have it.
    pub fn strip_prefix(self, name: &str) -> &str {
        name.strip_prefix(self.prefix()).unwrap_or(name)
    }
}

/// Whether `channel` needs authorization before `pusher:subscribe`:
/// `private-*` (including `private-encrypted-*` and `private-cache-*`) and
/// `presence-*` (including `presence-cache-*`). Public `cache-*` channels do
/// not.
pub fn requires_auth(channel: &str) -> bool {
    ChannelKind::of(channel).needs_auth()
}

/// Whether `channel` is a presence channel (`presence-*`, including
/// `presence-cache-*`).
pub fn is_presence(channel: &str) -> bool {
    ChannelKind::of(channel) == ChannelKind::Presence
}

/// Whether `channel` is an encrypted channel (`private-encrypted-*`).
pub fn is_encrypted(channel: &str) -> bool {
    ChannelKind::of(channel) == ChannelKind::PrivateEncrypted
}

/// Whether `channel` is a cache channel (`cache-*`, `private-cache-*`,
/// `presence-cache-*`, `private-encrypted-cache-*`): the server replays the
/// last event on subscription, or sends `pusher:cache_miss`.
pub fn is_cache(channel: &str) -> bool {
    ChannelKind::of(channel).strip_prefix(channel).starts_with("cache-")
}

/// Every full name Laravel Echo's `leave(name)` leaves: `name`,
/// `private-name`, `private-encrypted-name` and `presence-name`.
pub fn leave_names(name: &str) -> [String; 4] {
    [
        ChannelKind::Public,
        ChannelKind::Private,
        ChannelKind::PrivateEncrypted,
        ChannelKind::Presence,
    ]
    .map(|kind| kind.full_name(name))
}

/// The wire name of a client event (a whisper): `client-{event}`, with any
/// `client-` prefixes already on `event` replaced by one (`typing` and
/// `client-typing` are the same whisper), as Echo's `whisper` and
/// `listenForWhisper` do.
pub fn client_event_name(event: &str) -> String {
    format!("{CLIENT}{}", event.trim_start_matches(CLIENT))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_prefix() {
        use ChannelKind::*;
        for (name, kind, auth, whisper, cache) in [
            ("rooms", Public, false, false, false),
            ("cache-rooms", Public, false, false, true),
            ("privately", Public, false, false, false),
            ("private-orders.1", Private, true, true, false),
            ("private-cache-orders", Private, true, true, true),
            ("private-encrypted-vault", PrivateEncrypted, true, false, false),
            ("private-encrypted-cache-vault", PrivateEncrypted, true, false, true),
            ("presence-lobby", Presence, true, true, false),
            ("presence-cache-lobby", Presence, true, true, true),
            ("presencelobby", Public, false, false, false),
        ] {
            assert_eq!(ChannelKind::of(name), kind, "{name}");
            assert_eq!(requires_auth(name), auth, "{name}");
            assert_eq!(kind.allows_client_events(), whisper, "{name}");
            assert_eq!(is_cache(name), cache, "{name}");
        }
    }

    #[test]
    fn echo_prefixing() {
        assert_eq!(ChannelKind::Private.full_name("orders.1"), "private-orders.1");
        assert_eq!(
            ChannelKind::Private.full_name("private-a"),
            "private-private-a",
            "Echo always prefixes"
        );
        assert_eq!(ChannelKind::Private.ensure_prefix("private-a"), "private-a");
        assert_eq!(ChannelKind::Private.ensure_prefix("presence-a"), "presence-a");
        assert_eq!(ChannelKind::Private.ensure_prefix("a"), "private-a");
        assert_eq!(ChannelKind::Presence.ensure_prefix("lobby"), "presence-lobby");
        assert_eq!(ChannelKind::Presence.ensure_prefix("presence-lobby"), "presence-lobby");
        assert_eq!(
            ChannelKind::PrivateEncrypted.ensure_prefix("private-v"),
            "private-encrypted-private-v"
        );
        assert_eq!(ChannelKind::Public.ensure_prefix("rooms"), "rooms");
        assert_eq!(ChannelKind::Presence.strip_prefix("presence-lobby"), "lobby");
        assert_eq!(ChannelKind::Presence.strip_prefix("lobby"), "lobby");
        assert_eq!(leave_names("a"), ["a", "private-a", "private-encrypted-a", "presence-a"]);
        assert_eq!(client_event_name("typing"), "client-typing");
        assert_eq!(client_event_name("client-client-typing"), "client-typing");
    }
}
