//! Channel authorization over HTTP (pusher-js `xhr_auth.ts`, Laravel's
//! `/broadcasting/auth`): POST form-encoded `socket_id` and `channel_name`.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_net::http::Request;

use crate::error::EchoError;
use crate::options::EchoOptions;
use crate::protocol::ChannelAuth;

type TokenGetter = Rc<dyn Fn() -> Option<String>>;

thread_local! {
    static TOKEN_GETTER: RefCell<Option<TokenGetter>> = const { RefCell::new(None) };
}

/// Replaces where the bearer token for channel authorization comes from
/// (the seed's `setEchoTokenGetter`). The getter runs before every auth
/// request. Default: `localStorage.getItem("token")`.
pub fn set_echo_token_getter(getter: impl Fn() -> Option<String> + 'static) {
    TOKEN_GETTER.with(|g| *g.borrow_mut() = Some(Rc::new(getter)));
}

fn bearer_token() -> Option<String> {
    if let Some(getter) = TOKEN_GETTER.with(|g| g.borrow().clone()) {
        return getter();
    }
    web_sys::window()?.local_storage().ok()??.get_item("token").ok()?
}

fn csrf_token() -> Option<String> {
    let document = web_sys::window()?.document()?;
    let meta = document.query_selector("meta[name=\"csrf-token\"]").ok()??;
    meta.get_attribute("content").filter(|c| !c.is_empty())
}

/// Headers for one auth request: user headers first, then `Authorization`
/// and `X-CSRF-TOKEN` unless the user already set them (compared
/// case-insensitively, so none is sent twice).
fn headers(options: &EchoOptions) -> Vec<(String, String)> {
    let mut headers = options.auth_headers.clone();
    let has = |headers: &[(String, String)], name: &str| headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name));
    if !has(&headers, "authorization") {
        if let Some(token) = bearer_token().filter(|t| !t.is_empty()) {
            headers.push(("Authorization".into(), format!("Bearer {token}")));
        }
    }
    if !has(&headers, "x-csrf-token") {
        if let Some(token) = csrf_token() {
            headers.push(("X-CSRF-TOKEN".into(), token));
        }
    }
    headers
}

/// Authorizes `channel` for `socket_id` at `options.auth_endpoint`.
///
/// # Errors
/// [`EchoError::Auth`] naming the cause: network failure, HTTP status, a
/// body that is not JSON, or a JSON body without `auth`.
pub(super) async fn authorize(options: &EchoOptions, channel: &str, socket_id: &str) -> Result<ChannelAuth, EchoError> {
    let fail = |reason: String| EchoError::Auth {
        channel: channel.to_owned(),
        reason,
    };
    let form = web_sys::UrlSearchParams::new().map_err(|e| fail(format!("{e:?}")))?;
    form.append("socket_id", socket_id);
    form.append("channel_name", channel);
    let mut request = Request::post(&options.auth_endpoint)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", "application/json");
    for (name, value) in headers(options) {
        request = request.header(&name, &value);
    }
    let body = String::from(form.to_string());
    let response = request
        .body(body)
        .map_err(|e| fail(e.to_string()))?
        .send()
        .await
        .map_err(|e| fail(format!("request to {} failed: {e}", options.auth_endpoint)))?;
    if !response.ok() {
        return Err(fail(format!("{} answered HTTP {}", options.auth_endpoint, response.status())));
    }
    let text = response.text().await.map_err(|e| fail(e.to_string()))?;
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|_| fail(format!("{} answered a body that is not JSON", options.auth_endpoint)))?;
    if !value.get("auth").is_some_and(serde_json::Value::is_string) {
        return Err(fail(format!("{} answered JSON without a string `auth`", options.auth_endpoint)));
    }
    serde_json::from_value(value).map_err(|e| fail(e.to_string()))
}
