//! Channel authorization (pusher-js `channel_authorizer.ts` + `xhr_auth.ts`;
//! Laravel's `/broadcasting/auth`): POST form-encoded `socket_id` and
//! `channel_name`, answer `{auth, channel_data?, shared_secret?}`.

use crate::error::{AuthFailure, EchoError};

/// A successful channel authorization (the JSON body Laravel's
/// `/broadcasting/auth` answers with).
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Deserialize)]
pub struct ChannelAuth {
    /// `"{key}:{hex signature}"`.
    pub auth: String,
    /// Presence channels: `{"user_id":…,"user_info":…}` as a JSON string.
    #[serde(default)]
    pub channel_data: Option<String>,
    /// Encrypted channels: the base64 secretbox key.
    #[serde(default)]
    pub shared_secret: Option<String>,
}

/// One authorization to perform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthRequest {
    /// The full channel name (`private-…`, `presence-…`, `private-encrypted-…`).
    pub channel: String,
    /// The socket id the signature must be made for.
    pub socket_id: String,
    /// The endpoint, `EchoOptions::auth_endpoint`.
    pub endpoint: String,
    /// Headers built for this request, each name once (case-insensitively),
    /// the first source winning. The client (`echo_rs::ChannelAuthorization`)
    /// puts them in this order: its per-request headers provider, then
    /// `Authorization: Bearer …` from a token getter, then
    /// `EchoOptions::auth_headers`, then (no getter set) the stored token,
    /// then `X-CSRF-TOKEN` and `X-XSRF-TOKEN`.
    pub headers: Vec<(String, String)>,
    /// Whether the request carries cookies (`EchoOptions::auth_credentials`).
    pub credentials: AuthCredentials,
}

/// Whether the authorization request carries the browser's cookies (fetch's
/// `credentials`). Laravel Sanctum's SPA sign-in keeps the session in a
/// cookie: an API on the page's own origin gets it by default; an API on
/// another origin needs [`Include`](Self::Include), and its CORS answer must
/// allow credentials for that origin (`supports_credentials` in
/// `config/cors.php`). Native runtimes keep no cookies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AuthCredentials {
    /// Cookies only to the page's own origin (fetch's default).
    #[default]
    SameOrigin,
    /// Cookies to any origin (`credentials: "include"`, axios
    /// `withCredentials`): Sanctum with the API on another origin.
    Include,
    /// Never cookies.
    Omit,
}

impl AuthRequest {
    /// What to add to a 401/403/419 answer when this request could not have
    /// signed in: no `Authorization` header, and its endpoint on another
    /// origin than `page_origin` with cookies kept to the same origin (fetch's
    /// default), so a cookie session (Sanctum) was not sent either. `None`
    /// otherwise.
    pub fn sign_in_hint(&self, status: u16, page_origin: &str) -> Option<&'static str> {
        let refused = matches!(status, 401 | 403 | 419);
        let bearer = self.headers.iter().any(|(name, _)| name.eq_ignore_ascii_case("authorization"));
        let cross_origin = !crate::origin::is_same_origin(&self.endpoint, page_origin);
        (refused && !bearer && cross_origin && self.credentials == AuthCredentials::SameOrigin).then_some(
            "the request carried no bearer token, and no cookies since the endpoint is on another origin: \
             for a cookie sign-in (Sanctum) set EchoOptions::auth_credentials to AuthCredentials::Include",
        )
    }

    /// The form body: `socket_id=…&channel_name=…`, URL-encoded.
    pub fn form_body(&self) -> String {
        format!(
            "socket_id={}&channel_name={}",
            form_encode(&self.socket_id),
            form_encode(&self.channel)
        )
    }
}

fn form_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => out.push(byte as char),
            b' ' => out.push('+'),
            _ => {
                const HEX: &[u8; 16] = b"0123456789ABCDEF";
                out.push('%');
                out.push(char::from(HEX[usize::from(byte >> 4)]));
                out.push(char::from(HEX[usize::from(byte & 0xF)]));
            }
        }
    }
    out
}

/// Adds `name: value` unless a header of that name (any case) is present.
pub fn add_header_once(headers: &mut Vec<(String, String)>, name: &str, value: String) {
    if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name)) {
        headers.push((name.to_owned(), value));
    }
}

/// Turns an auth endpoint's answer into a [`ChannelAuth`] or an error naming
/// the cause: the HTTP status, a body that is not JSON, a missing `auth`,
/// `channel_data` missing for a presence channel, `shared_secret` missing for
/// an encrypted channel.
///
/// # Errors
/// [`EchoError::Auth`] as above.
pub fn parse_auth_response(channel: &str, endpoint: &str, status: u16, body: &str) -> Result<ChannelAuth, EchoError> {
    let fail = |cause: AuthFailure, reason: String| EchoError::Auth {
        channel: channel.to_owned(),
        cause,
        reason,
    };
    if !(200..300).contains(&status) {
        let hint = match status {
            401 => " (not signed in)",
            403 => " (not allowed on this channel)",
            419 => " (CSRF token or session expired)",
            _ => "",
        };
        return Err(fail(
            AuthFailure::Status(status),
            format!("{endpoint} answered HTTP {status}{hint}"),
        ));
    }
    let mut value: serde_json::Value =
        serde_json::from_str(body).map_err(|_| fail(AuthFailure::NotJson, format!("{endpoint} answered a body that is not JSON")))?;
    // Read by hand, not with `ChannelAuth`'s `Deserialize`: typed serde
    // errors would pull float formatting into the wasm.
    let mut field = |name: &'static str| match value.get_mut(name).map(serde_json::Value::take) {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(text)) => Ok(Some(text)),
        Some(_) => Err(fail(
            AuthFailure::InvalidField(name),
            format!("{endpoint} answered an invalid body: `{name}` is not a string"),
        )),
    };
    let Some(auth) = field("auth")? else {
        return Err(fail(
            AuthFailure::MissingField("auth"),
            format!("{endpoint} answered JSON without a string `auth`"),
        ));
    };
    let auth = ChannelAuth {
        auth,
        channel_data: field("channel_data")?,
        shared_secret: field("shared_secret")?,
    };
    check_auth(channel, auth)
}

/// Checks that `auth` carries what `channel` needs.
///
/// # Errors
/// [`EchoError::Auth`] naming the missing field.
pub fn check_auth(channel: &str, auth: ChannelAuth) -> Result<ChannelAuth, EchoError> {
    let missing = |field: &'static str, kind: &str| {
        Err(EchoError::Auth {
            channel: channel.to_owned(),
            cause: AuthFailure::MissingField(field),
            reason: format!("the auth response has no {field}, which {kind} channels need"),
        })
    };
    if crate::channel::is_presence(channel) && auth.channel_data.is_none() {
        return missing("channel_data", "presence");
    }
    if crate::channel::is_encrypted(channel) && auth.shared_secret.is_none() {
        return missing("shared_secret", "encrypted");
    }
    Ok(auth)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(result: Result<ChannelAuth, EchoError>) -> String {
        match result {
            Err(EchoError::Auth { reason, .. }) => reason,
            other => panic!("expected an auth error, got {other:?}"),
        }
    }

    #[test]
    fn each_auth_failure_names_its_cause() {
        let e = "/broadcasting/auth";
        assert!(reason(parse_auth_response("private-a", e, 403, "{}")).contains("HTTP 403 (not allowed"));
        assert!(reason(parse_auth_response("private-a", e, 419, "")).contains("HTTP 419 (CSRF"));
        assert!(reason(parse_auth_response("private-a", e, 500, "")).contains("HTTP 500"));
        assert!(reason(parse_auth_response("private-a", e, 200, "<html>")).contains("not JSON"));
        assert!(reason(parse_auth_response("private-a", e, 200, r#"{"x":1}"#)).contains("without a string `auth`"));
        assert!(reason(parse_auth_response("presence-a", e, 200, r#"{"auth":"k:s"}"#)).contains("channel_data"));
        assert!(reason(parse_auth_response("private-encrypted-a", e, 200, r#"{"auth":"k:s"}"#)).contains("shared_secret"));
        let cause = |result: Result<ChannelAuth, EchoError>| result.unwrap_err().auth_failure().unwrap();
        assert_eq!(cause(parse_auth_response("private-a", e, 401, "")), AuthFailure::Status(401));
        assert!(cause(parse_auth_response("private-a", e, 401, "")).needs_sign_in());
        assert!(cause(parse_auth_response("private-a", e, 419, "")).needs_sign_in());
        assert!(cause(parse_auth_response("private-a", e, 403, "")).is_forbidden());
        assert_eq!(cause(parse_auth_response("private-a", e, 200, "<html>")), AuthFailure::NotJson);
        assert_eq!(
            cause(parse_auth_response("private-a", e, 200, "{}")),
            AuthFailure::MissingField("auth")
        );
        assert_eq!(
            cause(parse_auth_response("private-a", e, 200, r#"{"auth":1}"#)),
            AuthFailure::InvalidField("auth")
        );
        assert_eq!(
            cause(parse_auth_response("presence-a", e, 200, r#"{"auth":"k:s"}"#)),
            AuthFailure::MissingField("channel_data")
        );
        let ok = parse_auth_response("presence-a", e, 200, r#"{"auth":"k:s","channel_data":"{\"user_id\":1}"}"#).unwrap();
        assert_eq!(ok.auth, "k:s");
    }

    #[test]
    fn headers_are_never_sent_twice() {
        let mut headers = vec![("authorization".to_owned(), "Bearer mine".to_owned())];
        add_header_once(&mut headers, "Authorization", "Bearer other".into());
        add_header_once(&mut headers, "X-CSRF-TOKEN", "t".into());
        assert_eq!(headers.len(), 2);
        assert_eq!(headers[0].1, "Bearer mine");
    }

    #[test]
    fn a_refusal_without_token_or_cookies_across_origins_says_how_to_send_cookies() {
        let request = |endpoint: &str, headers: Vec<(String, String)>, credentials| AuthRequest {
            channel: "private-a".into(),
            socket_id: "1.2".into(),
            endpoint: endpoint.into(),
            headers,
            credentials,
        };
        let page = "https://app.example.test";
        let api = "https://api.example.test/broadcasting/auth";
        let bare = request(api, vec![], AuthCredentials::SameOrigin);
        assert!(bare.sign_in_hint(403, page).unwrap().contains("auth_credentials"));
        assert!(bare.sign_in_hint(419, page).is_some());
        assert_eq!(bare.sign_in_hint(500, page), None, "not a sign-in problem");
        assert_eq!(
            request("/broadcasting/auth", vec![], AuthCredentials::SameOrigin).sign_in_hint(403, page),
            None,
            "same origin: cookies went"
        );
        assert_eq!(
            request(api, vec![], AuthCredentials::Include).sign_in_hint(403, page),
            None,
            "cookies went"
        );
        let bearer = vec![("Authorization".to_owned(), "Bearer t".to_owned())];
        assert_eq!(
            request(api, bearer, AuthCredentials::SameOrigin).sign_in_hint(403, page),
            None,
            "a token went"
        );
    }

    #[test]
    fn form_body_is_url_encoded() {
        let request = AuthRequest {
            channel: "private-a b&c".into(),
            socket_id: "1.2".into(),
            endpoint: String::new(),
            headers: vec![],
            credentials: AuthCredentials::SameOrigin,
        };
        assert_eq!(request.form_body(), "socket_id=1.2&channel_name=private-a+b%26c");
    }
}
