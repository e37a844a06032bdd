//! Connection options, with Laravel Echo's / pusher-js's names and defaults.

use std::time::Duration;

use crate::error::ConfigError;
use crate::event_name::DEFAULT_NAMESPACE;

/// The `client` query parameter sent in the connection URL.
pub const CLIENT_NAME: &str = "echo-rs";

/// The Pusher protocol version this client speaks.
pub const PROTOCOL_VERSION: u8 = 7;

/// Options for [`Connection`](crate::Connection) and the browser `Echo`.
///
/// Field names follow Laravel Echo's options (`wsHost` → `ws_host` …).
/// Build with [`EchoOptions::new`] and the `with_*` methods, or set fields
/// directly.
#[derive(Debug, Clone, PartialEq)]
pub struct EchoOptions {
    /// The app key (Echo `key`, Reverb `REVERB_APP_KEY`). Required.
    pub key: String,
    /// Host of the WebSocket server (Echo `wsHost`). When `None`,
    /// `ws-{cluster}.pusher.com` is used. Default `None`.
    pub ws_host: Option<String>,
    /// Port for `ws://` (Echo `wsPort`). Default 80.
    pub ws_port: u16,
    /// Port for `wss://` (Echo `wssPort`). Default 443.
    pub wss_port: u16,
    /// A path prefix before `/app/{key}` (Echo `wsPath`). Default empty.
    pub ws_path: String,
    /// Always use `wss://` (Echo `forceTLS`). Default `true`; an https page
    /// uses `wss://` whatever this says.
    pub force_tls: bool,
    /// The Pusher cluster, used only when `ws_host` is `None`. Default `None`.
    pub cluster: Option<String>,
    /// Channel authorization endpoint (Echo `authEndpoint`).
    /// Default `/broadcasting/auth`.
    pub auth_endpoint: String,
    /// Extra headers sent with every authorization request (Echo `auth.headers`).
    pub auth_headers: Vec<(String, String)>,
    /// Whether authorization requests carry cookies: same-origin only
    /// (default), also cross-origin (Sanctum SPA sign-in with the API on
    /// another origin; `auth_endpoint` is then the API's full URL), or never.
    pub auth_credentials: crate::AuthCredentials,
    /// The cookie whose value is sent as `X-XSRF-TOKEN` with every
    /// authorization request when the page can read it, as axios does for
    /// Laravel: Sanctum's cookie sign-in checks it against the session (a
    /// 419 otherwise). Default `Some("XSRF-TOKEN")`, Laravel's name; `None`
    /// never sends it.
    pub xsrf_cookie: Option<String>,
    /// Event namespace (Echo `namespace`). Default `Some("App.Events")`;
    /// `None` turns it off (Echo `namespace: false`).
    pub namespace: Option<String>,
    /// Idle time after which the client pings (pusher-js `activityTimeout`).
    /// The server's `activity_timeout` wins when shorter. Default 120 s.
    pub activity_timeout: Duration,
    /// How long to wait for any frame after a ping before reconnecting
    /// (pusher-js `pongTimeout`). Default 30 s.
    pub pong_timeout: Duration,
    /// Time spent connecting before the state becomes `unavailable`
    /// (pusher-js `unavailableTimeout`); retrying continues. Default 10 s.
    pub unavailable_timeout: Duration,
    /// Time an attempt may take from opening the socket to
    /// `pusher:connection_established` before it is abandoned. Default 15 s.
    pub handshake_timeout: Duration,
    /// First reconnect delay after a connection is lost; it doubles per
    /// failed attempt, and jitter of up to half of it is added (1–1.5 s,
    /// 2–3 s, 4–6 s …). Close codes that ask the client to back off
    /// (4100–4199, 1002–1004) wait at least 1 s whatever this says; 4000
    /// and a first 4200–4299 retry at once. Default 1 s (pusher-js waits a
    /// fixed 1 s).
    pub reconnect_base_delay: Duration,
    /// Cap on the reconnect delay, jitter included. Default 30 s.
    pub reconnect_max_delay: Duration,
    /// Time a channel may wait for `pusher_internal:subscription_succeeded`
    /// or an error, counted from asking for its authorization (private,
    /// presence) or sending `pusher:subscribe` (public). When it passes the
    /// channel gets [`EchoError::SubscriptionTimeout`](crate::EchoError::SubscriptionTimeout)
    /// and is tried again on the next connection or `subscribe`. It also
    /// bounds the wait for a fresh key of an encrypted channel. Default 10 s.
    pub subscription_timeout: Duration,
    /// How long to wait for any frame after the ping sent when the page
    /// becomes visible again or the browser goes `online` (a laptop waking
    /// from sleep, a network change), before the socket is given up and a
    /// new one opened at once. Much shorter than `pong_timeout`: after a wake
    /// the socket is often dead without the browser knowing, and a live
    /// server answers a ping within milliseconds. Several wake-up signals at
    /// once send one ping. Default 3 s.
    pub liveness_timeout: Duration,
    /// The largest client event (whisper) frame sent, in bytes of the whole
    /// `{"event","channel","data"}` frame; a larger one is refused locally
    /// with [`ClientEventRefusal::TooLarge`](crate::ClientEventRefusal::TooLarge)
    /// and nothing is sent. Default 10,000: Pusher documents a 10 KB limit
    /// and Reverb's default `max_message_size` is 10,000 bytes of the whole
    /// message, so a larger frame would be refused by the server (or, on
    /// Reverb, close the connection).
    pub client_event_max_bytes: usize,
    /// The most client events (whispers) sent in any one second on a
    /// connection; more are refused locally with
    /// [`ClientEventRefusal::RateLimited`](crate::ClientEventRefusal::RateLimited)
    /// and not sent. Default 10, Pusher's documented limit: over it, Pusher
    /// (and Reverb or Sockudo with their rate limit on) answer with a 4301
    /// error, and may close the connection. Raise it for a server that
    /// allows more.
    pub client_events_per_second: u32,
}

impl Default for EchoOptions {
    fn default() -> Self {
        Self {
            key: String::new(),
            ws_host: None,
            ws_port: 80,
            wss_port: 443,
            ws_path: String::new(),
            force_tls: true,
            cluster: None,
            auth_endpoint: "/broadcasting/auth".into(),
            auth_headers: Vec::new(),
            auth_credentials: crate::AuthCredentials::SameOrigin,
            xsrf_cookie: Some("XSRF-TOKEN".into()),
            namespace: Some(DEFAULT_NAMESPACE.into()),
            activity_timeout: Duration::from_secs(120),
            pong_timeout: Duration::from_secs(30),
            unavailable_timeout: Duration::from_secs(10),
            handshake_timeout: Duration::from_secs(15),
            reconnect_base_delay: Duration::from_secs(1),
            reconnect_max_delay: Duration::from_secs(30),
            subscription_timeout: Duration::from_secs(10),
            liveness_timeout: Duration::from_secs(3),
            client_event_max_bytes: 10_000,
            client_events_per_second: 10,
        }
    }
}

impl EchoOptions {
    /// Options for the app `key` with every other field at its default.
    pub fn new(key: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            ..Self::default()
        }
    }

    /// Options for a Reverb / Soketi / Sockudo server: `ws_host`, one port for
    /// both `ws_port` and `wss_port`, and `force_tls` from the scheme
    /// (`"https"` → `true`), as `@laravel/echo-react` configures Reverb.
    pub fn reverb(key: impl Into<String>, host: impl Into<String>, port: u16, scheme: &str) -> Self {
        Self {
            key: key.into(),
            ws_host: Some(host.into()),
            ws_port: port,
            wss_port: port,
            force_tls: scheme.eq_ignore_ascii_case("https"),
            ..Self::default()
        }
    }

    /// Checks that these options can ever connect.
    ///
    /// # Errors
    /// [`ConfigError`] naming the first problem found.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.key.trim().is_empty() {
            return Err(ConfigError::MissingKey);
        }
        match &self.ws_host {
            Some(host) if host.is_empty() || host.contains(['/', ' ', '?', '#']) => {
                return Err(ConfigError::InvalidHost(host.clone()));
            }
            None if self.cluster.as_deref().unwrap_or("").is_empty() => return Err(ConfigError::MissingHost),
            _ => {}
        }
        // Deadlines over a year away cannot be computed on every platform;
        // a timeout of zero would fire at once (the reconnect delays may be 0).
        const YEAR: Duration = Duration::from_secs(365 * 24 * 3600);
        for (name, value, may_be_zero) in [
            ("activity_timeout", self.activity_timeout, false),
            ("pong_timeout", self.pong_timeout, false),
            ("unavailable_timeout", self.unavailable_timeout, false),
            ("handshake_timeout", self.handshake_timeout, false),
            ("subscription_timeout", self.subscription_timeout, false),
            ("liveness_timeout", self.liveness_timeout, false),
            ("reconnect_base_delay", self.reconnect_base_delay, true),
            ("reconnect_max_delay", self.reconnect_max_delay, true),
        ] {
            if value.is_zero() && !may_be_zero {
                return Err(ConfigError::ZeroTimeout(name));
            }
            if value > YEAR {
                return Err(ConfigError::TimeoutTooLong(name));
            }
        }
        if self.client_event_max_bytes == 0 {
            return Err(ConfigError::ZeroLimit("client_event_max_bytes"));
        }
        if self.client_events_per_second == 0 {
            return Err(ConfigError::ZeroLimit("client_events_per_second"));
        }
        Ok(())
    }

    /// The WebSocket URL (pusher-js `url_schemes.ts`):
    /// `ws[s]://{host}:{port}{ws_path}/app/{key}?protocol=7&client=echo-rs&version={crate version}&flash=false`.
    /// `tls` is true when `force_tls` is set or the page is served over https.
    pub fn url(&self, tls: bool) -> String {
        let host = match &self.ws_host {
            Some(host) => host.clone(),
            None => format!("ws-{}.pusher.com", self.cluster.as_deref().unwrap_or("mt1")),
        };
        let (scheme, port) = if tls { ("wss", self.wss_port) } else { ("ws", self.ws_port) };
        format!(
            "{scheme}://{host}:{port}{path}/app/{key}?protocol={PROTOCOL_VERSION}&client={CLIENT_NAME}&version={version}&flash=false",
            path = self.ws_path.trim_end_matches('/'),
            key = self.key,
            version = env!("CARGO_PKG_VERSION"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_follows_pusher_js() {
        let options = EchoOptions::reverb("local-key", "127.0.0.1", 6001, "http");
        assert_eq!(
            options.url(false),
            format!(
                "ws://127.0.0.1:6001/app/local-key?protocol=7&client=echo-rs&version={}&flash=false",
                env!("CARGO_PKG_VERSION")
            )
        );
        assert!(options.url(true).starts_with("wss://127.0.0.1:6001/app/"));
        let pusher = EchoOptions {
            cluster: Some("eu".into()),
            ..EchoOptions::new("k")
        };
        assert!(pusher.url(true).starts_with("wss://ws-eu.pusher.com:443/app/k?"));
        let with_path = EchoOptions {
            ws_path: "/ws/".into(),
            ..options
        };
        assert!(with_path.url(false).starts_with("ws://127.0.0.1:6001/ws/app/local-key?"));
    }

    #[test]
    fn bad_configuration_is_one_clear_error() {
        assert_eq!(EchoOptions::default().validate(), Err(ConfigError::MissingKey));
        assert_eq!(EchoOptions::new("k").validate(), Err(ConfigError::MissingHost));
        let bad_host = EchoOptions {
            ws_host: Some("http://x".into()),
            ..EchoOptions::new("k")
        };
        assert!(matches!(bad_host.validate(), Err(ConfigError::InvalidHost(_))));
        let zero = EchoOptions {
            pong_timeout: Duration::ZERO,
            ..EchoOptions::reverb("k", "h", 1, "http")
        };
        assert_eq!(zero.validate(), Err(ConfigError::ZeroTimeout("pong_timeout")));
        let forever = EchoOptions {
            pong_timeout: Duration::MAX,
            ..EchoOptions::reverb("k", "h", 1, "http")
        };
        assert_eq!(forever.validate(), Err(ConfigError::TimeoutTooLong("pong_timeout")));
        let no_whispers = EchoOptions {
            client_events_per_second: 0,
            ..EchoOptions::reverb("k", "h", 1, "http")
        };
        assert_eq!(no_whispers.validate(), Err(ConfigError::ZeroLimit("client_events_per_second")));
        assert_eq!(EchoOptions::reverb("k", "localhost", 8080, "http").validate(), Ok(()));
    }
}
