//! `private-encrypted-*` channels (pusher-js `channels/encrypted_channel.ts`,
//! Echo `encryptedPrivate`).
//!
//! The auth response's `shared_secret` (base64, 32 bytes) is the channel's
//! NaCl secretbox (XSalsa20-Poly1305) key. Event data is
//! `{"ciphertext":"<b64>","nonce":"<b64>"}`; the plaintext, parsed as JSON
//! (or kept as a string when it is not JSON), becomes the event's data.
//! `pusher:*` and `pusher_internal:*` events are not encrypted.
//!
//! When a payload does not decrypt (the key was rotated), the channel is
//! authorized once more for a fresh key ([`Output::Authorize`] again) and the
//! event is held (at most [`MAX_HELD`] events; later ones are dropped at
//! once); with the new key it is retried once. A payload that cannot be
//! decrypted never reaches event listeners: it is dropped with an
//! [`EchoError::Decrypt`] for the channel's `error` listeners
//! ([`Output::ChannelError`]).
//!
//! Repeated undecryptable events (pusher-js re-authorizes for every one of
//! them, then drops and logs it): one re-authorization at a time, and after
//! one whose fresh key decrypted none of the held events, none for
//! `EchoOptions::subscription_timeout` (10 s) from its start, unless an
//! event decrypts again or the channel is subscribed again (a new key).
//! Meanwhile every event that does not decrypt is dropped at once with its
//! error: a stream of bad payloads costs one auth request per 10 s, not one
//! each, and a key rotated again (or a stale key handed out once during a
//! deploy) is still fetched within 10 s. A re-authorization that fails or
//! does not come in time proves nothing about the key: the next
//! undecryptable event tries again.

#[cfg(feature = "encryption")]
use base64::engine::general_purpose::STANDARD;
#[cfg(feature = "encryption")]
use base64::Engine as _;
#[cfg(feature = "encryption")]
use crypto_secretbox::aead::{Aead, KeyInit};
#[cfg(feature = "encryption")]
use crypto_secretbox::{Key, Nonce, XSalsa20Poly1305};
use serde_json::Value;
use web_time::Instant;

use super::{ChannelAuth, Connection, Output};
use crate::error::{AuthFailure, EchoError};
use crate::frame::{EventData, Frame};

/// A channel's secretbox key. Its `Debug` does not print the key.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct SharedKey([u8; 32]);

impl std::fmt::Debug for SharedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SharedKey(..)")
    }
}

/// At most this many events wait for a fresh key; later ones are dropped at
/// once with an error, so a flood of undecryptable payloads cannot grow
/// memory while the re-authorization is in flight.
pub(crate) const MAX_HELD: usize = 100;

/// A re-authorization for a fresh key, with the events waiting for it.
#[derive(Debug)]
pub(crate) struct Rekey {
    socket_id: String,
    held: Vec<Frame>,
    deadline: Instant,
}

impl Rekey {
    pub(crate) fn deadline(&self) -> Instant {
        self.deadline
    }
}

/// Why a payload could not be decrypted.
#[derive(Debug, PartialEq, Eq)]
enum DecryptError {
    /// Not `{ciphertext, nonce}` in base64 of the right lengths, or a
    /// plaintext that is not UTF-8: a new key would not help.
    Format(String),
    /// The authentication tag does not match: wrong key or tampered data.
    #[cfg_attr(not(feature = "encryption"), allow(dead_code))]
    Open,
}

/// Why encrypted channels fail when echo-rs is built without the
/// `encryption` feature.
#[cfg(not(feature = "encryption"))]
const NO_ENCRYPTION: &str = "encrypted channels need echo-rs's `encryption` cargo feature";

/// Without the `encryption` feature no key is ever accepted: subscribing an
/// encrypted channel fails with [`NO_ENCRYPTION`].
#[cfg(not(feature = "encryption"))]
fn shared_key(_secret: Option<&str>) -> Result<SharedKey, (AuthFailure, String)> {
    Err((AuthFailure::FeatureMissing("encryption"), NO_ENCRYPTION.into()))
}

#[cfg(not(feature = "encryption"))]
fn decrypt(_key: &SharedKey, _data: &Value) -> Result<EventData, DecryptError> {
    Err(DecryptError::Format(NO_ENCRYPTION.into()))
}

/// Decodes the auth response's `shared_secret`.
#[cfg(feature = "encryption")]
fn shared_key(secret: Option<&str>) -> Result<SharedKey, (AuthFailure, String)> {
    let invalid = |reason: String| (AuthFailure::InvalidField("shared_secret"), reason);
    let secret = secret.ok_or_else(|| {
        (
            AuthFailure::MissingField("shared_secret"),
            "the auth response has no shared_secret, which encrypted channels need".to_owned(),
        )
    })?;
    let bytes = STANDARD
        .decode(secret.trim())
        .map_err(|_| invalid("the auth response's shared_secret is not base64".to_owned()))?;
    let key: [u8; 32] = bytes
        .try_into()
        .map_err(|b: Vec<u8>| invalid(format!("the auth response's shared_secret is {} bytes, not 32", b.len())))?;
    Ok(SharedKey(key))
}

/// Opens `{"ciphertext","nonce"}` with `key`; the plaintext is event data
/// like a `data` string (JSON, decoded on first use, or a plain string).
#[cfg(feature = "encryption")]
fn decrypt(key: &SharedKey, data: &Value) -> Result<EventData, DecryptError> {
    let field = |name: &str| {
        let text = data
            .get(name)
            .and_then(Value::as_str)
            .ok_or_else(|| DecryptError::Format("expected an object with base64 `ciphertext` and `nonce` fields".into()))?;
        STANDARD
            .decode(text)
            .map_err(|_| DecryptError::Format(format!("`{name}` is not base64")))
    };
    let ciphertext = field("ciphertext")?;
    let nonce = field("nonce")?;
    if nonce.len() != 24 {
        return Err(DecryptError::Format(format!("the nonce is {} bytes, not 24", nonce.len())));
    }
    if ciphertext.len() < 16 {
        return Err(DecryptError::Format(format!(
            "the ciphertext is {} bytes, shorter than its 16-byte tag",
            ciphertext.len()
        )));
    }
    let cipher = XSalsa20Poly1305::new(Key::from_slice(&key.0));
    let plain = cipher
        .decrypt(Nonce::from_slice(&nonce), ciphertext.as_slice())
        .map_err(|_| DecryptError::Open)?;
    let text = String::from_utf8(plain).map_err(|_| DecryptError::Format("the plaintext is not UTF-8".into()))?;
    Ok(EventData::from_text(text))
}

fn decrypt_error(frame: &Frame, reason: impl Into<String>) -> Output {
    let channel = frame.channel.clone().unwrap_or_default();
    Output::ChannelError {
        error: EchoError::Decrypt {
            channel: channel.clone(),
            event: frame.event.clone(),
            reason: reason.into(),
        },
        channel,
    }
}

impl Connection {
    /// Stores the key of an authorized encrypted channel.
    ///
    /// # Errors
    /// Why the auth response's `shared_secret` is unusable.
    pub(super) fn store_shared_key(&mut self, channel: &str, auth: &ChannelAuth) -> Result<(), (AuthFailure, String)> {
        let key = shared_key(auth.shared_secret.as_deref())?;
        if let Some(entry) = self.channels.get_mut(channel) {
            entry.key = Some(Box::new(key));
            entry.rekey_blocked_until = None;
        }
        Ok(())
    }

    /// Decrypts an event of an encrypted channel and reports it, or starts a
    /// re-authorization for a fresh key, or drops it with an error.
    pub(super) fn on_encrypted_event(&mut self, now: Instant, frame: Frame) {
        let Some(channel) = frame.channel.clone() else { return };
        let Some(entry) = self.channels.get_mut(&channel) else { return };
        let Some(key) = &entry.key else {
            self.outputs.push_back(decrypt_error(&frame, "it arrived before the channel's key"));
            return;
        };
        match decrypt(key, &frame.data) {
            Ok(data) => {
                entry.rekey_blocked_until = None;
                self.outputs.push_back(Output::Event(Frame { data, ..frame }));
            }
            Err(DecryptError::Format(reason)) => self.outputs.push_back(decrypt_error(&frame, reason)),
            Err(DecryptError::Open) => {
                if let Some(rekey) = &mut entry.rekey {
                    if rekey.held.len() < MAX_HELD {
                        rekey.held.push(frame);
                    } else {
                        let reason = format!("it does not decrypt and {MAX_HELD} events already wait for a fresh key");
                        self.outputs.push_back(decrypt_error(&frame, reason));
                    }
                    return;
                }
                if entry.rekey_blocked_until.is_some_and(|until| now < until) {
                    let reason = format!(
                        "it does not decrypt with the channel's key, and neither did the last events with a fresh one: \
                         the next new key is asked for {} after the last (subscription_timeout)",
                        crate::error::ShowDuration(self.options.subscription_timeout)
                    );
                    self.outputs.push_back(decrypt_error(&frame, reason));
                    return;
                }
                let Some(socket_id) = self.socket_id.clone() else {
                    self.outputs
                        .push_back(decrypt_error(&frame, "it does not decrypt with the channel's key"));
                    return;
                };
                entry.rekey_blocked_until = None;
                entry.rekey = Some(Box::new(Rekey {
                    socket_id: socket_id.clone(),
                    held: vec![frame],
                    deadline: now + self.options.subscription_timeout,
                }));
                self.outputs.push_back(Output::Authorize { channel, socket_id });
            }
        }
    }

    /// Whether an auth answer for `channel` and `socket_id` is the answer to
    /// a re-authorization for a fresh key.
    pub(super) fn is_rekey_answer(&self, channel: &str, socket_id: &str) -> bool {
        self.socket_id.as_deref() == Some(socket_id)
            && self
                .channels
                .get(channel)
                .and_then(|e| e.rekey.as_ref())
                .is_some_and(|r| r.socket_id == socket_id)
    }

    /// The answer to a re-authorization: store the fresh key and retry the
    /// held events once; drop those that still do not decrypt.
    pub(super) fn finish_rekey(&mut self, channel: &str, result: Result<ChannelAuth, EchoError>) {
        let Some(entry) = self.channels.get_mut(channel) else { return };
        let Some(rekey) = entry.rekey.take() else { return };
        let key = match result
            .map_err(|e| e.to_string())
            .and_then(|auth| shared_key(auth.shared_secret.as_deref()).map_err(|(_, reason)| reason))
        {
            Ok(key) => key,
            Err(reason) => {
                for frame in &rekey.held {
                    let reason = format!("it does not decrypt and no fresh key came: {reason}");
                    self.outputs.push_back(decrypt_error(frame, reason));
                }
                return;
            }
        };
        // Blocked unless one of the held events decrypts with the fresh key.
        entry.rekey_blocked_until = Some(rekey.deadline);
        for frame in rekey.held {
            match decrypt(&key, &frame.data) {
                Ok(data) => {
                    entry.rekey_blocked_until = None;
                    self.outputs.push_back(Output::Event(Frame { data, ..frame }));
                }
                Err(DecryptError::Format(reason)) => self.outputs.push_back(decrypt_error(&frame, reason)),
                Err(DecryptError::Open) => {
                    self.outputs
                        .push_back(decrypt_error(&frame, "it does not decrypt, even with a fresh key"));
                }
            }
        }
        entry.key = Some(Box::new(key));
    }

    /// Drops the events held for a fresh key of `channel`, reporting why.
    pub(super) fn drop_rekey(&mut self, channel: &str, reason: &str) {
        let Some(entry) = self.channels.get_mut(channel) else { return };
        let Some(rekey) = entry.rekey.take() else { return };
        for frame in &rekey.held {
            self.outputs
                .push_back(decrypt_error(frame, format!("it does not decrypt and {reason}")));
        }
    }
}

#[cfg(all(test, feature = "encryption"))]
mod tests {
    use super::*;
    use serde_json::json;

    fn seal(key: &[u8; 32], nonce: &[u8; 24], plain: &str) -> Value {
        let cipher = XSalsa20Poly1305::new(Key::from_slice(key));
        let sealed = cipher.encrypt(Nonce::from_slice(nonce), plain.as_bytes()).unwrap();
        json!({ "ciphertext": STANDARD.encode(sealed), "nonce": STANDARD.encode(nonce) })
    }

    #[test]
    fn round_trip_json_and_plain_text() {
        let key = SharedKey([7; 32]);
        assert_eq!(decrypt(&key, &seal(&[7; 32], &[1; 24], r#"{"a":1}"#)), Ok(json!({ "a": 1 }).into()));
        assert_eq!(decrypt(&key, &seal(&[7; 32], &[1; 24], "hi")), Ok(json!("hi").into()));
        assert_eq!(decrypt(&key, &seal(&[8; 32], &[1; 24], "hi")), Err(DecryptError::Open));
    }

    #[test]
    fn malformed_payloads_are_format_errors() {
        let key = SharedKey([7; 32]);
        for data in [
            json!({}),
            json!("text"),
            json!({ "ciphertext": "!!", "nonce": STANDARD.encode([0; 24]) }),
            json!({ "ciphertext": STANDARD.encode([0; 20]), "nonce": STANDARD.encode([0; 5]) }),
            json!({ "ciphertext": STANDARD.encode([0; 3]), "nonce": STANDARD.encode([0; 24]) }),
        ] {
            assert!(matches!(decrypt(&key, &data), Err(DecryptError::Format(_))), "{data}");
        }
    }

    #[test]
    fn shared_secret_must_be_32_base64_bytes() {
        assert!(shared_key(Some(&STANDARD.encode([1; 32]))).is_ok());
        assert!(shared_key(Some(&STANDARD.encode([1; 16]))).unwrap_err().1.contains("16 bytes"));
        assert!(shared_key(Some("not base64!")).unwrap_err().1.contains("not base64"));
        assert_eq!(shared_key(None).unwrap_err().0, AuthFailure::MissingField("shared_secret"));
    }
}
