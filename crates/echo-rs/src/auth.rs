//! How a client authorizes private, presence and encrypted channels: its
//! [`ChannelAuthorization`] settings (bearer token, per-request headers,
//! CSRF token, custom authorizer), the thread-wide token getter the typical
//! Laravel + React app sets, and the request the client builds from them.
//! The request's form and the answer's rules are the core's
//! (`echo_proto::parse_auth_response`); the HTTP call is the runtime's.

use std::cell::RefCell;
use std::rc::Rc;

use echo_proto::{add_header_once, check_auth, parse_auth_response, AuthFailure, AuthRequest, ChannelAuth, EchoError};

use crate::runtime::{HttpError, HttpRequest, LocalBoxFuture, Runtime};

/// Replaces the HTTP call of channel authorization (pusher-js
/// `channelAuthorization.customHandler`, Echo `authorizer`).
pub type Authorizer = Rc<dyn Fn(AuthRequest) -> LocalBoxFuture<Result<ChannelAuth, EchoError>>>;

/// Where the bearer token comes from; may be async.
pub type TokenGetter = Rc<dyn Fn() -> LocalBoxFuture<Option<String>>>;

/// Headers computed for each authorization request; may be async.
pub type HeadersProvider = Rc<dyn Fn() -> LocalBoxFuture<Vec<(String, String)>>>;

/// Where the `X-CSRF-TOKEN` header of authorization requests comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum CsrfToken {
    /// The page's `<meta name="csrf-token" content="…">`, as Laravel's
    /// Blade layouts render it and Laravel Echo reads it (default; none
    /// natively).
    #[default]
    MetaTag,
    /// This value.
    Value(String),
    /// Never sent.
    None,
}

#[derive(Clone, Default)]
enum BearerToken {
    /// The thread-wide getter ([`set_echo_token_getter`]) when one is set,
    /// else `localStorage["token"]` in the browser.
    #[default]
    Default,
    /// This client's own getter.
    Getter(TokenGetter),
    /// Never sent.
    None,
}

/// How one client authorizes its channels (pusher-js
/// `channelAuthorization`, Laravel Echo's `auth` and `authorizer` options).
/// The endpoint, static headers, cookies and the XSRF cookie are
/// [`EchoOptions`](crate::EchoOptions)' (`auth_endpoint`, `auth_headers`,
/// `auth_credentials`, `xsrf_cookie`); these settings add what must be
/// computed per request. Each client has its own: two clients on one thread
/// can sign in as two users.
///
/// Every authorization request carries, each header only once (names
/// compared case-insensitively, the first source wins):
/// 1. the [`headers`](Self::headers) provider's headers, computed for this
///    request;
/// 2. `Authorization: Bearer …` from this client's
///    [`bearer_token`](Self::bearer_token) getter, or else from the
///    thread-wide [`set_echo_token_getter`] one: a token read per request,
///    so a refreshed token is the one sent, even over a static
///    `Authorization` in `auth_headers`;
/// 3. `EchoOptions::auth_headers`;
/// 4. without any getter, `Authorization: Bearer {localStorage["token"]}`
///    (browser), a typical Laravel + React app's store;
/// 5. `X-CSRF-TOKEN` from [`csrf_token`](Self::csrf_token) (default: the
///    page's `<meta name="csrf-token">`);
/// 6. `X-XSRF-TOKEN` from the cookie `EchoOptions::xsrf_cookie` when the page
///    can read it (Sanctum).
///
/// An [`authorizer`](Self::authorizer) replaces the HTTP call: it gets the
/// request built as above and answers it.
///
/// ```
/// use echo_rs::ChannelAuthorization;
///
/// let signed_in_as_ana = ChannelAuthorization::new().bearer_token(|| Some("ana-token".into()));
/// ```
#[derive(Clone, Default)]
pub struct ChannelAuthorization {
    bearer_token: BearerToken,
    headers: Option<HeadersProvider>,
    csrf_token: CsrfToken,
    authorizer: Option<Authorizer>,
}

impl std::fmt::Debug for ChannelAuthorization {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let token = match self.bearer_token {
            BearerToken::Default => "default",
            BearerToken::Getter(_) => "getter",
            BearerToken::None => "none",
        };
        f.debug_struct("ChannelAuthorization")
            .field("bearer_token", &token)
            .field("headers", &self.headers.is_some())
            .field("csrf_token", &self.csrf_token)
            .field("authorizer", &self.authorizer.is_some())
            .finish()
    }
}

impl ChannelAuthorization {
    /// The defaults of a typical Laravel + React app: the thread-wide token
    /// getter or `localStorage["token"]`, the page's CSRF meta tag, the HTTP
    /// call to `auth_endpoint`.
    pub fn new() -> Self {
        Self::default()
    }

    /// This client's bearer token, read before every authorization request
    /// (`None` or empty: no `Authorization` header from it).
    #[must_use]
    pub fn bearer_token(self, getter: impl Fn() -> Option<String> + 'static) -> Self {
        self.bearer_token_async(move || {
            let token = getter();
            Box::pin(async move { token })
        })
    }

    /// Like [`bearer_token`](Self::bearer_token) for a getter that must wait
    /// (a token refresh, an async store).
    #[must_use]
    pub fn bearer_token_async(mut self, getter: impl Fn() -> LocalBoxFuture<Option<String>> + 'static) -> Self {
        self.bearer_token = BearerToken::Getter(Rc::new(getter));
        self
    }

    /// Sends no bearer token, whatever the thread-wide getter or
    /// `localStorage` hold (a cookie sign-in, or an `auth_headers` token).
    #[must_use]
    pub fn without_bearer_token(mut self) -> Self {
        self.bearer_token = BearerToken::None;
        self
    }

    /// Headers computed for each request, before every other source
    /// (pusher-js `headersProvider`).
    #[must_use]
    pub fn headers(self, provider: impl Fn() -> Vec<(String, String)> + 'static) -> Self {
        self.headers_async(move || {
            let headers = provider();
            Box::pin(async move { headers })
        })
    }

    /// Like [`headers`](Self::headers) for a provider that must wait.
    #[must_use]
    pub fn headers_async(mut self, provider: impl Fn() -> LocalBoxFuture<Vec<(String, String)>> + 'static) -> Self {
        self.headers = Some(Rc::new(provider));
        self
    }

    /// Where `X-CSRF-TOKEN` comes from. Default [`CsrfToken::MetaTag`].
    #[must_use]
    pub fn csrf_token(mut self, source: CsrfToken) -> Self {
        self.csrf_token = source;
        self
    }

    /// Replaces the HTTP call with `authorizer` (pusher-js
    /// `channelAuthorization.customHandler`, Echo `authorizer`). Its answer
    /// is checked like the endpoint's (`channel_data` for presence channels,
    /// `shared_secret` for encrypted ones). An [`EchoError::Auth`] it returns
    /// reaches the channel as it is, so an authorizer that calls an endpoint
    /// can keep the status (`echo_rs::proto::parse_auth_response` builds
    /// one); any other error becomes an `EchoError::Auth` with cause
    /// [`AuthFailure::Authorizer`] and the error's message.
    #[must_use]
    pub fn authorizer(mut self, authorizer: Authorizer) -> Self {
        self.authorizer = Some(authorizer);
        self
    }

    /// Whether no bearer token source of this client's own is set and no
    /// thread-wide getter either: the browser default (`localStorage`) is
    /// read.
    pub(crate) fn reads_token_store(&self) -> bool {
        self.token_source().1
    }

    /// The token getter in force (this client's, else the thread-wide one),
    /// and whether the stored token is the fallback (no getter anywhere).
    fn token_source(&self) -> (Option<TokenGetter>, bool) {
        match &self.bearer_token {
            BearerToken::Default => {
                let getter = token_getter();
                let reads_store = getter.is_none();
                (getter, reads_store)
            }
            BearerToken::Getter(getter) => (Some(getter.clone()), false),
            BearerToken::None => (None, false),
        }
    }

    /// The request for `channel` and `socket_id`, its headers built as the
    /// type's documentation says.
    pub(crate) async fn request(&self, runtime: &dyn Runtime, options: AuthOptions, channel: String, socket_id: String) -> AuthRequest {
        let mut headers = Vec::new();
        if let Some(provider) = &self.headers {
            for (name, value) in provider().await {
                add_header_once(&mut headers, &name, value);
            }
        }
        let (getter, reads_store) = self.token_source();
        let bearer = |token: String| format!("Bearer {token}");
        if let Some(getter) = getter {
            if let Some(token) = getter().await.filter(|t| !t.is_empty()) {
                add_header_once(&mut headers, "Authorization", bearer(token));
            }
        }
        for (name, value) in options.headers {
            add_header_once(&mut headers, &name, value);
        }
        if reads_store {
            if let Some(token) = runtime.local_storage("token").filter(|t| !t.is_empty()) {
                add_header_once(&mut headers, "Authorization", bearer(token));
            }
        }
        let csrf = match &self.csrf_token {
            CsrfToken::MetaTag => runtime.meta_content("csrf-token"),
            CsrfToken::Value(value) => Some(value.clone()),
            CsrfToken::None => None,
        };
        if let Some(csrf) = csrf.filter(|v| !v.is_empty()) {
            add_header_once(&mut headers, "X-CSRF-TOKEN", csrf);
        }
        if let Some(xsrf) = options.xsrf_cookie.and_then(|name| runtime.cookie(&name)).filter(|v| !v.is_empty()) {
            add_header_once(&mut headers, "X-XSRF-TOKEN", xsrf);
        }
        AuthRequest {
            channel,
            socket_id,
            endpoint: options.endpoint,
            headers,
            credentials: options.credentials,
        }
    }

    /// Authorizes `request`: the authorizer when one is set, else a POST to
    /// the endpoint through the runtime. Errors are [`EchoError::Auth`] with
    /// their cause.
    pub(crate) async fn authorize(&self, runtime: &dyn Runtime, request: AuthRequest) -> Result<ChannelAuth, EchoError> {
        let channel = request.channel.clone();
        if let Some(authorizer) = &self.authorizer {
            return match authorizer(request).await {
                Ok(auth) => check_auth(&channel, auth),
                // An auth error keeps the cause the authorizer gave it.
                Err(error @ EchoError::Auth { .. }) => Err(error),
                Err(error) => Err(EchoError::Auth {
                    channel: channel.clone(),
                    cause: AuthFailure::Authorizer,
                    reason: format!("the authorizer failed: {error}"),
                }),
            };
        }
        let mut headers = request.headers.clone();
        add_header_once(&mut headers, "Content-Type", "application/x-www-form-urlencoded".into());
        add_header_once(&mut headers, "Accept", "application/json".into());
        let http = HttpRequest {
            url: request.endpoint.clone(),
            headers,
            body: request.form_body(),
            credentials: request.credentials,
        };
        let fail = |cause: AuthFailure, reason: String| EchoError::Auth {
            channel: channel.clone(),
            cause,
            reason,
        };
        let response = match runtime.http_post(http).await {
            Ok(response) => response,
            Err(HttpError::Unsupported) => {
                return Err(fail(
                    AuthFailure::NoHttpClient,
                    "this runtime has no HTTP client: give the client an authorizer (ChannelAuthorization::authorizer)".into(),
                ))
            }
            Err(HttpError::Transport(message)) => {
                return Err(fail(
                    AuthFailure::Transport,
                    format!("request to {} failed: {message}", request.endpoint),
                ))
            }
        };
        parse_auth_response(&channel, &request.endpoint, response.status, &response.body).map_err(|error| match error {
            EchoError::Auth { channel, cause, reason } => {
                let hint = runtime
                    .page_origin()
                    .and_then(|origin| request.sign_in_hint(response.status, &origin));
                let reason = match hint {
                    Some(hint) => format!("{reason}; {hint}"),
                    None => reason,
                };
                EchoError::Auth { channel, cause, reason }
            }
            other => other,
        })
    }
}

/// The authorization settings of [`EchoOptions`](crate::EchoOptions) a
/// request needs, copied out of the connection.
pub(crate) struct AuthOptions {
    pub(crate) endpoint: String,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) credentials: echo_proto::AuthCredentials,
    pub(crate) xsrf_cookie: Option<String>,
}

impl AuthOptions {
    pub(crate) fn of(options: &echo_proto::EchoOptions) -> Self {
        Self {
            endpoint: options.auth_endpoint.clone(),
            headers: options.auth_headers.clone(),
            credentials: options.auth_credentials,
            xsrf_cookie: options.xsrf_cookie.clone(),
        }
    }
}

thread_local! {
    static TOKEN_GETTER: RefCell<Option<TokenGetter>> = const { RefCell::new(None) };
}

/// Replaces where the bearer token sent to the auth endpoint comes from, for
/// every client on this thread that has no getter of its own
/// ([`ChannelAuthorization::bearer_token`]): the `setEchoTokenGetter` a
/// typical Laravel + React app has. Runs before every auth request, so a
/// refreshed token is picked up. Default: `localStorage.getItem("token")` in
/// the browser, none elsewhere.
pub fn set_echo_token_getter(getter: impl Fn() -> Option<String> + 'static) {
    let getter = Rc::new(getter);
    set_echo_token_getter_async(move || {
        let token = getter();
        Box::pin(async move { token })
    });
}

/// Like [`set_echo_token_getter`] for a getter that must wait (a token
/// refresh, an async store).
pub fn set_echo_token_getter_async(getter: impl Fn() -> LocalBoxFuture<Option<String>> + 'static) {
    TOKEN_GETTER.with(|g| *g.borrow_mut() = Some(Rc::new(getter)));
}

/// Restores the default token getter.
pub fn reset_echo_token_getter() {
    TOKEN_GETTER.with(|g| *g.borrow_mut() = None);
}

pub(crate) fn token_getter() -> Option<TokenGetter> {
    TOKEN_GETTER.with(|g| g.borrow().clone())
}
