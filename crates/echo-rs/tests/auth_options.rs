//! What an authorization request carries for each way a Laravel app signs
//! in: a bearer token, Sanctum's session cookie (cookies and `X-XSRF-TOKEN`),
//! or static headers. On the test double: the requests the client makes are
//! recorded by its authorizer.

use echo_rs::testing::{FakeEcho, FakeRuntime};
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use echo_rs::{AuthCredentials, AuthFailure, AuthRequest, ChannelAuthorization, CsrfToken, Echo, EchoError, EchoOptions};

fn options() -> EchoOptions {
    EchoOptions::reverb("app-key", "localhost", 6001, "http")
}

fn header<'a>(request: &'a AuthRequest, name: &str) -> Option<&'a str> {
    request
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// The one authorization request made for `private-orders.1`.
fn request_with(options: EchoOptions, cookie: Option<&str>) -> AuthRequest {
    let runtime = FakeRuntime::new();
    runtime.set_cookie("XSRF-TOKEN", cookie);
    let fake = FakeEcho::with_runtime(options, runtime).unwrap();
    let channel = fake.echo().private("orders.1");
    fake.run_until_idle();
    assert!(channel.is_subscribed());
    let requests = fake.auth_requests();
    assert_eq!(requests.len(), 1);
    requests[0].clone()
}

#[test]
fn sanctum_cookie_sign_in_sends_cookies_and_the_xsrf_token_to_a_full_url() {
    let request = request_with(
        EchoOptions {
            auth_endpoint: "https://api.example.test/broadcasting/auth".into(),
            auth_credentials: AuthCredentials::Include,
            ..options()
        },
        Some("eyJpdiI6Ik1+/="),
    );
    assert_eq!(request.endpoint, "https://api.example.test/broadcasting/auth", "used as given");
    assert_eq!(request.credentials, AuthCredentials::Include);
    assert_eq!(header(&request, "X-XSRF-TOKEN"), Some("eyJpdiI6Ik1+/="));
    assert_eq!(header(&request, "Authorization"), None, "no token anywhere: no bearer header");
}

#[test]
fn by_default_cookies_go_to_the_same_origin_only_and_the_xsrf_token_when_readable() {
    let request = request_with(options(), Some("abc"));
    assert_eq!(request.credentials, AuthCredentials::SameOrigin);
    assert_eq!(header(&request, "X-XSRF-TOKEN"), Some("abc"));
    // No cookie (an HttpOnly one, or none): no header.
    let request = request_with(options(), None);
    assert_eq!(header(&request, "X-XSRF-TOKEN"), None);
}

#[test]
fn the_xsrf_header_can_be_turned_off_or_named_by_the_app() {
    let off = request_with(
        EchoOptions {
            xsrf_cookie: None,
            ..options()
        },
        Some("abc"),
    );
    assert_eq!(header(&off, "X-XSRF-TOKEN"), None);
    let static_header = request_with(
        EchoOptions {
            auth_headers: vec![("x-xsrf-token".into(), "from-the-app".into())],
            ..options()
        },
        Some("abc"),
    );
    let sent: Vec<&str> = static_header
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("X-XSRF-TOKEN"))
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(sent, ["from-the-app"], "never twice");
}

#[test]
fn a_bearer_token_and_the_xsrf_cookie_go_together() {
    echo_rs::set_echo_token_getter(|| Some("tok".into()));
    let request = request_with(options(), Some("abc"));
    echo_rs::reset_echo_token_getter();
    assert_eq!(header(&request, "Authorization"), Some("Bearer tok"));
    assert_eq!(header(&request, "X-XSRF-TOKEN"), Some("abc"));
}

/// The requests a client built with `authorization` made for
/// `private-orders.1`, one per connection, over `connections` connections.
fn requests_of(fake: &FakeEcho, connections: usize) -> Vec<AuthRequest> {
    let channel = fake.echo().private("orders.1");
    fake.run_until_idle();
    assert!(channel.is_subscribed());
    for _ in 1..connections {
        fake.drop_connection(None);
        fake.advance(std::time::Duration::from_secs(2));
        assert!(channel.is_subscribed());
    }
    fake.auth_requests()
}

fn client(authorization: ChannelAuthorization, options: EchoOptions, runtime: FakeRuntime) -> FakeEcho {
    FakeEcho::with_authorization(options, runtime, authorization).expect("valid options")
}

#[test]
fn two_clients_on_one_thread_sign_in_as_two_users() {
    let ana = client(
        ChannelAuthorization::new().bearer_token(|| Some("ana-token".into())),
        options(),
        FakeRuntime::new(),
    );
    let ben = client(
        ChannelAuthorization::new().bearer_token(|| Some("ben-token".into())),
        options(),
        FakeRuntime::new(),
    );
    // A thread-wide getter is for clients without their own.
    echo_rs::set_echo_token_getter(|| Some("thread-token".into()));
    let ana_requests = requests_of(&ana, 1);
    let ben_requests = requests_of(&ben, 1);
    let other = requests_of(&client(ChannelAuthorization::new(), options(), FakeRuntime::new()), 1);
    echo_rs::reset_echo_token_getter();
    assert_eq!(header(&ana_requests[0], "Authorization"), Some("Bearer ana-token"));
    assert_eq!(header(&ben_requests[0], "Authorization"), Some("Bearer ben-token"));
    assert_eq!(header(&other[0], "Authorization"), Some("Bearer thread-token"));
}

#[test]
fn a_refreshed_token_is_sent_even_over_a_static_authorization_header() {
    let token = Rc::new(RefCell::new("first".to_owned()));
    let current = token.clone();
    let fake = client(
        ChannelAuthorization::new().bearer_token(move || Some(current.borrow().clone())),
        EchoOptions {
            auth_headers: vec![("Authorization".into(), "Bearer stale-static".into())],
            ..options()
        },
        FakeRuntime::new(),
    );
    let channel = fake.echo().private("orders.1");
    fake.run_until_idle();
    *token.borrow_mut() = "refreshed".into();
    fake.drop_connection(None);
    fake.advance(std::time::Duration::from_secs(2));
    assert!(channel.is_subscribed());
    let requests = fake.auth_requests();
    let sent: Vec<Option<&str>> = requests.iter().map(|r| header(r, "Authorization")).collect();
    assert_eq!(sent, [Some("Bearer first"), Some("Bearer refreshed")]);
    assert_eq!(
        requests[1]
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("authorization"))
            .count(),
        1,
        "one Authorization header"
    );
}

#[test]
fn the_stored_token_fills_in_only_where_nothing_else_set_one() {
    let runtime = FakeRuntime::new();
    runtime.set_local_storage("token", Some("stored"));
    let stored = requests_of(&client(ChannelAuthorization::new(), options(), runtime.clone()), 1);
    assert_eq!(header(&stored[0], "Authorization"), Some("Bearer stored"), "the browser default");
    let static_header = requests_of(
        &client(
            ChannelAuthorization::new(),
            EchoOptions {
                auth_headers: vec![("Authorization".into(), "Bearer static".into())],
                ..options()
            },
            runtime.clone(),
        ),
        1,
    );
    assert_eq!(
        header(&static_header[0], "Authorization"),
        Some("Bearer static"),
        "an app's own header stays"
    );
    let none = requests_of(&client(ChannelAuthorization::new().without_bearer_token(), options(), runtime), 1);
    assert_eq!(header(&none[0], "Authorization"), None, "a cookie sign-in sends no token");
}

#[test]
fn headers_are_computed_per_request_and_come_first() {
    let calls = Rc::new(Cell::new(0));
    let counter = calls.clone();
    let fake = client(
        ChannelAuthorization::new()
            .headers(move || {
                counter.set(counter.get() + 1);
                vec![
                    ("X-Request".into(), counter.get().to_string()),
                    ("Authorization".into(), "Bearer from-provider".into()),
                ]
            })
            .bearer_token(|| Some("getter".into())),
        options(),
        FakeRuntime::new(),
    );
    let requests = requests_of(&fake, 2);
    assert_eq!(calls.get(), 2, "once per request");
    assert_eq!(header(&requests[0], "X-Request"), Some("1"));
    assert_eq!(header(&requests[1], "X-Request"), Some("2"));
    assert_eq!(header(&requests[1], "Authorization"), Some("Bearer from-provider"));
}

#[test]
fn the_csrf_token_comes_from_the_meta_tag_a_value_or_nowhere() {
    let runtime = FakeRuntime::new();
    runtime.set_meta("csrf-token", Some("from-meta"));
    let meta = requests_of(&client(ChannelAuthorization::new(), options(), runtime.clone()), 1);
    assert_eq!(
        header(&meta[0], "X-CSRF-TOKEN"),
        Some("from-meta"),
        "Laravel's Blade meta tag, by default"
    );
    let value = requests_of(
        &client(
            ChannelAuthorization::new().csrf_token(CsrfToken::Value("given".into())),
            options(),
            runtime.clone(),
        ),
        1,
    );
    assert_eq!(header(&value[0], "X-CSRF-TOKEN"), Some("given"));
    let none = requests_of(
        &client(ChannelAuthorization::new().csrf_token(CsrfToken::None), options(), runtime),
        1,
    );
    assert_eq!(header(&none[0], "X-CSRF-TOKEN"), None);
}

#[test]
fn a_runtime_without_http_and_no_authorizer_says_so_with_its_cause() {
    let runtime = FakeRuntime::new();
    let echo = Echo::with_runtime(options(), Rc::new(runtime.clone()), None).expect("valid options");
    let errors: Rc<RefCell<Vec<EchoError>>> = Rc::default();
    let seen = errors.clone();
    let channel = echo.private("orders.1");
    channel.error(move |e| seen.borrow_mut().push(e.clone()));
    runtime.run_until_idle();
    let errors = errors.borrow();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].auth_failure(), Some(AuthFailure::NoHttpClient));
    assert!(errors[0].to_string().contains("authorizer"), "{}", errors[0]);
    echo.disconnect();
}

#[test]
fn an_authorizer_failure_keeps_its_auth_cause_or_is_named_as_the_authorizer_s() {
    for (returned, expected) in [
        (
            EchoError::Auth {
                channel: "private-orders.1".into(),
                cause: AuthFailure::Status(401),
                reason: "HTTP 401".into(),
            },
            AuthFailure::Status(401),
        ),
        (
            EchoError::Server {
                code: None,
                message: "backend down".into(),
            },
            AuthFailure::Authorizer,
        ),
    ] {
        let runtime = FakeRuntime::new();
        let authorizer: echo_rs::Authorizer = Rc::new(move |_| {
            let error = returned.clone();
            Box::pin(async move { Err(error) })
        });
        let echo = Echo::with_runtime(options(), Rc::new(runtime.clone()), Some(authorizer)).expect("valid options");
        let errors: Rc<RefCell<Vec<EchoError>>> = Rc::default();
        let seen = errors.clone();
        echo.private("orders.1").error(move |e| seen.borrow_mut().push(e.clone()));
        runtime.run_until_idle();
        let errors = errors.borrow();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].auth_failure(), Some(expected), "{:?}", errors[0]);
        if expected == AuthFailure::Authorizer {
            assert!(errors[0].to_string().contains("backend down"), "{}", errors[0]);
        }
        echo.disconnect();
    }
}

#[test]
fn a_fake_client_signed_in_again_keeps_its_fake_server() {
    let fake = client(
        ChannelAuthorization::new().bearer_token(|| Some("guest".into())),
        options(),
        FakeRuntime::new(),
    );
    let channel = fake.echo().private("orders.1");
    fake.run_until_idle();
    fake.set_authorization(ChannelAuthorization::new().bearer_token(|| Some("staff".into())));
    fake.drop_connection(None);
    fake.advance(std::time::Duration::from_secs(2));
    assert!(channel.is_subscribed(), "still signed by the fake server");
    let requests = fake.auth_requests();
    let sent: Vec<Option<&str>> = requests.iter().map(|r| header(r, "Authorization")).collect();
    assert_eq!(sent, [Some("Bearer guest"), Some("Bearer staff")]);
}
