//! [`FakeEcho`]: a real [`Echo`] on a [`FakeRuntime`], with a signing
//! authorizer and the server-side helpers an application test needs.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::time::Duration;

use serde_json::{json, Value};

use super::FakeRuntime;
use crate::auth::{Authorizer, ChannelAuthorization};
use crate::client::Echo;
use echo_proto::{channel, format_event_name, AuthFailure, AuthRequest, ChannelAuth, ConfigError, EchoError, EchoOptions};

/// A fake `shared_secret` for encrypted channels: 32 zero bytes, base64.
const FAKE_SHARED_SECRET: &str = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

/// What the fake authorizer answers.
struct AuthScript {
    key: String,
    user: Value,
    failures: BTreeMap<String, (AuthFailure, String)>,
    requests: Vec<AuthRequest>,
}

impl AuthScript {
    fn answer(&mut self, request: AuthRequest) -> Result<ChannelAuth, EchoError> {
        let channel = request.channel.clone();
        let socket_id = request.socket_id.clone();
        self.requests.push(request);
        if let Some((cause, reason)) = self.failures.get(&channel) {
            return Err(EchoError::Auth {
                channel,
                cause: *cause,
                reason: reason.clone(),
            });
        }
        Ok(ChannelAuth {
            auth: format!("{}:fake-signature-{socket_id}", self.key),
            channel_data: channel::is_presence(&channel).then(|| self.user.to_string()),
            shared_secret: channel::is_encrypted(&channel).then(|| FAKE_SHARED_SECRET.to_owned()),
        })
    }
}

/// An application-test double (what pusher-js-mock gives JS apps): a real
/// [`Echo`] on a [`FakeRuntime`], connected, whose authorizer signs every
/// channel with a fake `auth` (`"{key}:fake-signature-{socket_id}"`; presence
/// channels get the [user](Self::set_user) as channel_data, encrypted
/// channels a fake shared secret) unless [`fail_auth`](Self::fail_auth) says
/// otherwise.
///
/// Every `FakeEcho` method first runs the runtime until idle, so what the
/// client just did (subscribing, leaving …) has reached the fake server when
/// the test looks. The client's own methods run nothing: after
/// `fake.echo().private("orders.1")`, the channel is subscribed once a
/// `FakeEcho` method (or [`run_until_idle`](Self::run_until_idle)) has run. Cheap to clone; clones share the client, runtime and authorizer
/// script, so one can be moved into a listener (to emit from it, say).
///
/// ```
/// use echo_rs::testing::FakeEcho;
/// use echo_rs::Value;
///
/// let fake = FakeEcho::new("app-key")?;
/// fake.echo().channel("rooms").listen(".RoomsUpdated", |data| println!("{data}"));
/// assert_eq!(fake.subscriptions(), ["rooms"]);
/// assert!(fake.emit("rooms", ".RoomsUpdated", Value::Null));
/// # Ok::<(), echo_rs::ConfigError>(())
/// ```
#[derive(Clone)]
pub struct FakeEcho {
    echo: Echo,
    runtime: FakeRuntime,
    auth: Rc<RefCell<AuthScript>>,
    /// The fake server's authorizer, kept for [`FakeEcho::set_authorization`].
    authorizer: Authorizer,
    namespace: Option<String>,
}

impl std::fmt::Debug for FakeEcho {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeEcho")
            .field("echo", &self.echo)
            .field("runtime", &self.runtime)
            .finish_non_exhaustive()
    }
}

impl FakeEcho {
    /// A client for the app `key` on a new [`FakeRuntime`], connected (the
    /// handshake has run). Options: [`EchoOptions::reverb`] on
    /// `localhost:8080` over http, so the default `App.Events` namespace.
    ///
    /// # Errors
    /// [`ConfigError::MissingKey`] when `key` is blank.
    pub fn new(key: &str) -> Result<Self, ConfigError> {
        Self::with_options(EchoOptions::reverb(key, "localhost", 8080, "http"))
    }

    /// A client with `options` on a new [`FakeRuntime`], connected.
    ///
    /// # Errors
    /// [`ConfigError`] when the options can never connect.
    pub fn with_options(options: EchoOptions) -> Result<Self, ConfigError> {
        Self::with_runtime(options, FakeRuntime::new())
    }

    /// A client with `options` on `runtime`, configured beforehand (e.g.
    /// [`set_auto_handshake(false)`](FakeRuntime::set_auto_handshake)), then
    /// run until idle.
    ///
    /// # Errors
    /// [`ConfigError`] when the options can never connect.
    pub fn with_runtime(options: EchoOptions, runtime: FakeRuntime) -> Result<Self, ConfigError> {
        Self::with_authorization(options, runtime, ChannelAuthorization::new())
    }

    /// A client with `options` on `runtime` and its own channel
    /// authorization settings (a bearer token getter, headers, a CSRF
    /// source): the requests it builds are recorded
    /// ([`auth_requests`](Self::auth_requests)) and answered by the fake
    /// server, which replaces any authorizer in `authorization`.
    ///
    /// # Errors
    /// [`ConfigError`] when the options can never connect.
    pub fn with_authorization(
        options: EchoOptions,
        runtime: FakeRuntime,
        authorization: ChannelAuthorization,
    ) -> Result<Self, ConfigError> {
        let auth = Rc::new(RefCell::new(AuthScript {
            key: options.key.clone(),
            user: json!({ "user_id": 1 }),
            failures: BTreeMap::new(),
            requests: Vec::new(),
        }));
        let namespace = options.namespace.clone();
        let script = auth.clone();
        let authorizer: Authorizer = Rc::new(move |request| {
            let result = script.borrow_mut().answer(request);
            Box::pin(async move { result })
        });
        let echo = Echo::with_authorization(options, Rc::new(runtime.clone()), authorization.authorizer(authorizer.clone()))?;
        runtime.run_until_idle();
        Ok(Self {
            echo,
            runtime,
            auth,
            authorizer,
            namespace,
        })
    }

    /// Replaces the client's channel authorization settings
    /// ([`Echo::set_authorization`]) and keeps the fake server answering:
    /// later requests are built from `authorization` (its token getter,
    /// headers …), recorded and signed as before. Call this, not
    /// `Echo::set_authorization`, on a fake's client: that one would drop
    /// the fake server's authorizer, and authorizations would then fail with
    /// `AuthFailure::NoHttpClient`.
    pub fn set_authorization(&self, authorization: ChannelAuthorization) {
        self.echo.set_authorization(authorization.authorizer(self.authorizer.clone()));
    }

    /// The real client, for the code under test.
    pub fn echo(&self) -> &Echo {
        &self.echo
    }

    /// The runtime, for the clock and the server's lower-level controls.
    pub fn runtime(&self) -> &FakeRuntime {
        &self.runtime
    }

    /// Runs queued socket events, futures and due timers; see
    /// [`FakeRuntime::run_until_idle`].
    pub fn run_until_idle(&self) {
        self.runtime.run_until_idle();
    }

    /// Moves the clock forward by `by`, firing due timers in order; see
    /// [`FakeRuntime::advance`].
    pub fn advance(&self, by: Duration) {
        self.runtime.advance(by);
    }

    /// The server broadcasts `event` on `channel` with `data` (double-encoded
    /// like Laravel's broadcaster). `event` is named the way
    /// [`listen`](crate::Channel::listen) takes it, under the client's
    /// namespace: `.RoomsUpdated` is sent as `RoomsUpdated`, `OrderShipped`
    /// as `App\Events\OrderShipped`. Returns `false`, sending nothing, unless
    /// the channel is subscribed on the server (a real server would not
    /// deliver it either).
    pub fn emit(&self, channel: &str, event: &str, data: Value) -> bool {
        let wire = format_event_name(self.namespace.as_deref(), event);
        self.runtime.server_event(channel, &wire, &data)
    }

    /// Another member whispers `event` (sent as `client-{event}`) on
    /// `channel`, with `data` as an object, the way the server relays client
    /// events. Returns `false` unless the channel is subscribed on the
    /// server. Presence `user_id`s can be added with
    /// [`server_frame`](Self::server_frame).
    pub fn emit_whisper(&self, channel: &str, event: &str, data: Value) -> bool {
        self.run_until_idle();
        if !self.subscriptions().iter().any(|c| c == channel) {
            return false;
        }
        let event = channel::client_event_name(event);
        self.runtime
            .server_frame(json!({ "event": event, "channel": channel, "data": data }))
    }

    /// Sends one raw text frame from the server (see
    /// [`FakeRuntime::server_frame`]): presence `pusher_internal:member_*`
    /// frames, errors, broken JSON …. Returns `false` when no socket is open.
    pub fn server_frame(&self, frame: impl ToString) -> bool {
        self.run_until_idle();
        self.runtime.server_frame(frame)
    }

    /// The channels subscribed on the fake server's current connection,
    /// sorted.
    pub fn subscriptions(&self) -> Vec<String> {
        self.run_until_idle();
        self.runtime.subscriptions()
    }

    /// How many `pusher:subscribe` frames the client sent for `channel`, on
    /// every connection together.
    pub fn subscribe_count(&self, channel: &str) -> usize {
        self.run_until_idle();
        self.runtime.subscribe_count(channel)
    }

    /// How many `pusher:unsubscribe` frames the client sent for `channel`,
    /// on every connection together.
    pub fn unsubscribe_count(&self, channel: &str) -> usize {
        self.run_until_idle();
        self.runtime.unsubscribe_count(channel)
    }

    /// Every frame the client sent, in order.
    pub fn sent_frames(&self) -> Vec<String> {
        self.run_until_idle();
        self.runtime.sent_frames()
    }

    /// The number of event listeners the client has on `channel`
    /// ([`Echo::listener_count`]).
    pub fn listener_count(&self, channel: &str) -> usize {
        self.run_until_idle();
        self.echo.listener_count(channel)
    }

    /// The server drops the connection with close `code` (`None`: no close
    /// frame). The client reconnects on its own after its backoff:
    /// [`advance`](Self::advance) by a few seconds. Returns `false` when no
    /// socket was open.
    pub fn drop_connection(&self, code: Option<u16>) -> bool {
        self.runtime.drop_connection(code)
    }

    /// Makes every later authorization of `channel` (full name, e.g.
    /// `private-orders.1`) fail as an auth endpoint answering HTTP 403 would:
    /// [`EchoError::Auth`] with cause `AuthFailure::Status(403)` and
    /// `reason`; the client reports it to the channel's and the
    /// connection's error callbacks. A channel already subscribed stays
    /// subscribed until it is authorized again (after a reconnect).
    pub fn fail_auth(&self, channel: &str, reason: &str) {
        self.fail_auth_with(channel, AuthFailure::Status(403), reason);
    }

    /// Like [`fail_auth`](Self::fail_auth) with another cause:
    /// `AuthFailure::Status(401)` for a user who is not signed in,
    /// `Status(419)` for an expired session, `Transport` for an endpoint
    /// that cannot be reached …
    pub fn fail_auth_with(&self, channel: &str, cause: AuthFailure, reason: &str) {
        self.auth
            .borrow_mut()
            .failures
            .insert(channel.to_owned(), (cause, reason.to_owned()));
    }

    /// Undoes [`fail_auth`](Self::fail_auth) for `channel`.
    pub fn allow_auth(&self, channel: &str) {
        self.auth.borrow_mut().failures.remove(channel);
    }

    /// The presence channel_data the authorizer answers with, Laravel's
    /// shape: `{"user_id": user_id, "user_info": user_info}` (`user_info`
    /// left out when `null`). Default `{"user_id": 1}`.
    pub fn set_user(&self, user_id: Value, user_info: Value) {
        let mut user = json!({ "user_id": user_id });
        if !user_info.is_null() {
            user["user_info"] = user_info;
        }
        self.auth.borrow_mut().user = user;
    }

    /// Every authorization request the client made, in order.
    pub fn auth_requests(&self) -> Vec<AuthRequest> {
        self.run_until_idle();
        self.auth.borrow().requests.clone()
    }
}
