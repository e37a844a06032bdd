//! HMAC-SHA256 signatures of the Pusher protocol, as Reverb checks them:
//! signed HTTP API requests (`auth_signature`) and private/presence channel
//! authorizations (`auth`).

use std::collections::BTreeMap;

use hmac::{Hmac, KeyInit, Mac};
use md5::{Digest, Md5};
use sha2::Sha256;

/// Version of the signing scheme, sent as `auth_version`.
pub const AUTH_VERSION: &str = "1.0";

/// Lower-case hex HMAC-SHA256 of `message` keyed with `secret`.
pub fn hmac_sha256_hex(secret: &str, message: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC accepts keys of any length");
    mac.update(message.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Lower-case hex MD5 of a request body, sent as `body_md5`.
pub fn body_md5_hex(body: &[u8]) -> String {
    hex::encode(Md5::digest(body))
}

/// Signs an HTTP API request and returns its complete query string.
///
/// `params` are the request's query parameters other than `auth_signature`.
/// The string to sign is `METHOD\nPATH\nQUERY`, where `QUERY` is the
/// parameters with lower-cased keys, sorted by key and joined as `k=v&k=v`;
/// the result is that query followed by `&auth_signature=<hex hmac>`.
/// Keys and values are used verbatim, so they must already be URL-safe.
pub fn sign_request(secret: &str, method: &str, path: &str, params: &[(&str, &str)]) -> String {
    let sorted: BTreeMap<String, &str> = params.iter().map(|(key, value)| (key.to_ascii_lowercase(), *value)).collect();
    let query = sorted
        .iter()
        .map(|(key, value)| format!("{key}={value}"))
        .collect::<Vec<_>>()
        .join("&");
    let signature = hmac_sha256_hex(secret, &format!("{method}\n{path}\n{query}"));
    format!("{query}&auth_signature={signature}")
}

/// The signed query string for `POST /apps/{app_id}/events` with `body`.
pub fn events_query(key: &str, secret: &str, app_id: &str, timestamp: u64, body: &[u8]) -> String {
    let timestamp = timestamp.to_string();
    let body_md5 = body_md5_hex(body);
    sign_request(
        secret,
        "POST",
        &format!("/apps/{app_id}/events"),
        &[
            ("auth_key", key),
            ("auth_timestamp", &timestamp),
            ("auth_version", AUTH_VERSION),
            ("body_md5", &body_md5),
        ],
    )
}

/// The `auth` value that lets `socket_id` subscribe to `channel_name`:
/// `key:hex(HMAC-SHA256(secret, "socket_id:channel_name[:channel_data]"))`.
/// Presence channels pass the exact `channel_data` string sent to the client.
pub fn channel_auth(key: &str, secret: &str, socket_id: &str, channel_name: &str, channel_data: Option<&str>) -> String {
    let message = match channel_data {
        Some(data) => format!("{socket_id}:{channel_name}:{data}"),
        None => format!("{socket_id}:{channel_name}"),
    };
    format!("{key}:{}", hmac_sha256_hex(secret, &message))
}

#[cfg(test)]
mod tests {
    use super::*;

    // The worked examples of the Pusher Channels documentation.
    const KEY: &str = "278d425bdf160c739803";
    const SECRET: &str = "7ad3773142a6692b25b8";

    #[test]
    fn signs_the_documented_events_request() {
        let body = br#"{"name":"foo","channels":["project-3"],"data":"{\"some\":\"data\"}"}"#;
        assert_eq!(body_md5_hex(body), "ec365a775a4cd0599faeb73354201b6f");
        assert_eq!(
            events_query(KEY, SECRET, "3", 1_353_088_179, body),
            "auth_key=278d425bdf160c739803&auth_timestamp=1353088179&auth_version=1.0\
             &body_md5=ec365a775a4cd0599faeb73354201b6f\
             &auth_signature=da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c"
        );
    }

    #[test]
    fn sorts_and_lower_cases_parameters() {
        let unsorted = sign_request(SECRET, "GET", "/apps/3/channels", &[("Info", "user_count"), ("auth_key", KEY)]);
        let sorted = sign_request(SECRET, "GET", "/apps/3/channels", &[("auth_key", KEY), ("info", "user_count")]);
        assert_eq!(unsorted, sorted);
        assert!(sorted.starts_with("auth_key=278d425bdf160c739803&info=user_count&auth_signature="));
    }

    #[test]
    fn authorizes_the_documented_private_channel() {
        assert_eq!(
            channel_auth(KEY, SECRET, "1234.1234", "private-foobar", None),
            "278d425bdf160c739803:58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4"
        );
    }

    // Expected value cross-checked with Python's `hmac` module.
    #[test]
    fn presence_channel_data_is_part_of_the_signature() {
        let data = r#"{"user_id":10,"user_info":{"name":"Mr. Channels"}}"#;
        assert_eq!(
            channel_auth(KEY, SECRET, "1234.1234", "presence-foobar", Some(data)),
            "278d425bdf160c739803:31935e7d86dba64c2a90aed31fdc61869f9b22ba9d8863bba239c03ca481bc80"
        );
    }
}
