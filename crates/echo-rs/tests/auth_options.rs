//! What an authorization request carries for each way a Laravel app signs
//! in: a bearer token, Sanctum's session cookie (cookies and `X-XSRF-TOKEN`),
//! or static headers. On the test double: the requests the client makes are
//! recorded by its authorizer.

use echo_rs::testing::{FakeEcho, FakeRuntime};
use echo_rs::{AuthCredentials, AuthRequest, EchoOptions};

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
