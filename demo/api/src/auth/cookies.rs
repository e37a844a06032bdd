//! Sanctum-style SPA sign-in with cookies, next to the bearer tokens: the
//! SPA first calls `GET /sanctum/csrf-cookie`, which sets the readable
//! `XSRF-TOKEN` cookie; every request that changes something then sends its
//! value back as `X-XSRF-TOKEN` (axios and echo-rs do this on their own).
//! `POST /login` sets the session cookie, `HttpOnly` so that page scripts
//! never see it. The session is an API token (the same table), and the CSRF
//! check is the double-submit rule: header and cookie must match.
//!
//! Laravel binds the XSRF token to the session and encrypts it; a random
//! value checked against its cookie is the same protection for this demo (a
//! page on another site can neither read the cookie nor set the header).

use axum::http::{header, HeaderMap, HeaderValue};
use cookie::{Cookie, SameSite};

use crate::http::ApiError;

/// The session cookie (Laravel's `laravel_session`).
pub const SESSION: &str = "demo_session";
/// The readable CSRF cookie, Laravel's name.
pub const XSRF: &str = "XSRF-TOKEN";
/// The header the SPA echoes the CSRF cookie in, Laravel's name.
pub const XSRF_HEADER: &str = "x-xsrf-token";

/// The value of cookie `name` among the request's `Cookie` headers, decoded.
pub fn read(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(Cookie::split_parse_encoded)
        .filter_map(Result::ok)
        .find(|cookie| cookie.name() == name)
        .map(|cookie| cookie.value().to_owned())
        .filter(|value| !value.is_empty())
}

/// Whether the request's `X-XSRF-TOKEN` matches its `XSRF-TOKEN` cookie.
pub fn csrf_matches(headers: &HeaderMap) -> bool {
    let sent = headers.get(XSRF_HEADER).and_then(|v| v.to_str().ok());
    matches!((sent, read(headers, XSRF)), (Some(sent), Some(cookie)) if sent == cookie)
}

/// The session token of a cookie-authenticated request, if it has one. For a
/// request that changes something (`checked`), the CSRF header must match:
/// 419 otherwise, as Laravel answers.
pub fn session_token(headers: &HeaderMap, checked: bool) -> Result<Option<String>, ApiError> {
    let Some(token) = read(headers, SESSION) else { return Ok(None) };
    if checked && !csrf_matches(headers) {
        return Err(ApiError::CsrfMismatch);
    }
    Ok(Some(token))
}

/// A `Set-Cookie` value for the whole site: `SameSite=Lax` (sent on the
/// site's own requests, including from another port of the same host),
/// `HttpOnly` for the session. An empty `value` expires the cookie.
pub fn set(name: &'static str, value: &str, http_only: bool) -> HeaderValue {
    let mut cookie = Cookie::build((name, value.to_owned()))
        .path("/")
        .same_site(SameSite::Lax)
        .http_only(http_only)
        .build();
    if value.is_empty() {
        cookie.make_removal();
    }
    HeaderValue::from_str(&cookie.encoded().to_string()).expect("cookie text is a valid header value")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_cookies(cookies: &str, xsrf: Option<&str>) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_str(cookies).unwrap());
        if let Some(xsrf) = xsrf {
            headers.insert(XSRF_HEADER, HeaderValue::from_str(xsrf).unwrap());
        }
        headers
    }

    #[test]
    fn the_session_needs_a_matching_csrf_header_to_change_anything() {
        let good = with_cookies("demo_session=tok; XSRF-TOKEN=a%2Bb", Some("a+b"));
        assert_eq!(session_token(&good, true).unwrap().as_deref(), Some("tok"));
        let wrong = with_cookies("demo_session=tok; XSRF-TOKEN=a", Some("b"));
        assert!(matches!(session_token(&wrong, true), Err(ApiError::CsrfMismatch)));
        let missing = with_cookies("demo_session=tok; XSRF-TOKEN=a", None);
        assert!(matches!(session_token(&missing, true), Err(ApiError::CsrfMismatch)));
        assert_eq!(session_token(&missing, false).unwrap().as_deref(), Some("tok"), "reads need none");
        assert_eq!(session_token(&with_cookies("other=1", None), true).unwrap(), None);
    }

    #[test]
    fn set_cookie_values() {
        let session = set(SESSION, "tok", true);
        let text = session.to_str().unwrap();
        assert!(
            text.starts_with("demo_session=tok") && text.contains("HttpOnly") && text.contains("SameSite=Lax") && text.contains("Path=/"),
            "{text}"
        );
        let xsrf = set(XSRF, "a+b", false);
        assert!(!xsrf.to_str().unwrap().contains("HttpOnly"));
        assert!(set(SESSION, "", true).to_str().unwrap().contains("Max-Age=0"));
    }
}
