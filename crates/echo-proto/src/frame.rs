//! Pusher protocol frames: `{"event", "channel"?, "data"?}` JSON text frames
//! (Pusher Channels WebSocket protocol, "Events").

use std::borrow::Cow;
use std::cell::OnceCell;
use std::fmt;
use std::ops::Deref;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::ProtocolError;

/// One frame received from the server.
///
/// The server double-encodes `data`: it is usually a JSON string holding JSON.
/// [`Frame::parse`] unescapes that string and keeps it as an [`EventData`],
/// which parses it on first use; a string that is not JSON reads as a
/// [`Value::String`], an object stays as it is, and a missing `data` reads as
/// [`Value::Null`].
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    /// The event name, e.g. `pusher:ping` or `App\Events\RoomsUpdated`.
    pub event: String,
    /// The channel the event belongs to, if any.
    pub channel: Option<String>,
    /// The payload, decoded on first use (see [`EventData`]).
    pub data: EventData,
    /// The sender's user id on presence-channel client events.
    pub user_id: Option<Value>,
}

impl Frame {
    /// Parses a text frame.
    ///
    /// # Errors
    /// [`ProtocolError::InvalidJson`] when the frame is not JSON,
    /// [`ProtocolError::NotAnObject`] when it is not a JSON object and
    /// [`ProtocolError::MissingEvent`] when it has no string `event`.
    pub fn parse(text: &str) -> Result<Self, ProtocolError> {
        // Fast path: the envelope straight into a struct; a string `data` is
        // unescaped while the envelope is read, then parsed once. Anything unusual (an error, a duplicate key) takes
        // the general path below, which decides what is wrong.
        if let Ok(envelope) = serde_json::from_str::<Envelope<'_>>(text) {
            if let Some(event) = envelope.event {
                return Ok(Self {
                    event: event.into_owned(),
                    channel: envelope.channel.map(Cow::into_owned),
                    data: EventData::from_wire(envelope.data),
                    user_id: envelope.user_id,
                });
            }
        }
        Self::parse_value(text)
    }

    fn parse_value(text: &str) -> Result<Self, ProtocolError> {
        let value: Value = serde_json::from_str(text).map_err(|e| ProtocolError::InvalidJson(e.to_string()))?;
        let Value::Object(mut object) = value else {
            return Err(ProtocolError::NotAnObject);
        };
        let event = match object.remove("event") {
            Some(Value::String(event)) => event,
            _ => return Err(ProtocolError::MissingEvent),
        };
        let channel = match object.remove("channel") {
            Some(Value::String(channel)) => Some(channel),
            _ => None,
        };
        let data = EventData::from_wire(object.remove("data"));
        let user_id = object.remove("user_id");
        Ok(Self {
            event,
            channel,
            data,
            user_id,
        })
    }
}

/// A frame's fields; `data` as it is in the frame (usually a string).
///
/// Read by [`EnvelopeVisitor`] rather than a derived `Deserialize`: derived
/// code reports type errors with serde's `Unexpected`, whose float printing
/// costs kilobytes of wasm. Anything but an object with at most one of each
/// field and a string `event` is refused (read with no `event`), and
/// [`Frame::parse_value`] decides. A refusal is not a serde error:
/// `serde_json`'s `Error::custom` parses its message for a position, and that
/// code (substring search, slicing panics) costs wasm size too.
struct Envelope<'a> {
    event: Option<Cow<'a, str>>,
    channel: Option<Cow<'a, str>>,
    data: Option<Value>,
    user_id: Option<Value>,
}

impl<'de> Deserialize<'de> for Envelope<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(EnvelopeVisitor)
    }
}

struct EnvelopeVisitor;

/// What a refused frame reads as: no `event`, so [`Frame::parse`] takes the
/// general path.
const REFUSED: Envelope<'static> = Envelope {
    event: None,
    channel: None,
    data: None,
    user_id: None,
};

impl<'de> serde::de::Visitor<'de> for EnvelopeVisitor {
    type Value = Envelope<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a frame")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut envelope = REFUSED;
        let mut refused = false;
        while let Some(key) = map.next_key::<Key<'de>>()? {
            let Some(key) = key.0 else {
                map.next_value::<serde::de::IgnoredAny>()?;
                refused = true;
                continue;
            };
            match key.as_ref() {
                "event" if envelope.event.is_none() => {
                    envelope.event = map.next_value::<Text<'de>>()?.0;
                    refused |= envelope.event.is_none();
                }
                "channel" if envelope.channel.is_none() => match map.next_value::<Option<Text<'de>>>()? {
                    Some(Text(None)) => refused = true,
                    channel => envelope.channel = channel.and_then(|t| t.0),
                },
                "data" if envelope.data.is_none() => envelope.data = Some(map.next_value()?),
                "user_id" if envelope.user_id.is_none() => envelope.user_id = Some(map.next_value()?),
                "event" | "channel" | "data" | "user_id" => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                    refused = true;
                }
                _ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        if refused {
            return Ok(REFUSED);
        }
        // `"data": null` and `"user_id": null` read as absent, as before.
        envelope.data = envelope.data.filter(|d| !d.is_null());
        envelope.user_id = envelope.user_id.filter(|u| !u.is_null());
        Ok(envelope)
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(REFUSED)
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(REFUSED)
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(REFUSED)
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(REFUSED)
    }
    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(REFUSED)
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(REFUSED)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        Ok(REFUSED)
    }
}

/// A string, borrowed from the frame when it has no escapes; `None` for
/// anything else (refused without serde's `Unexpected` or an error).
struct Text<'a>(Option<Cow<'a, str>>);

/// An object key; the same as [`Text`].
type Key<'a> = Text<'a>;

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TextVisitor)
    }
}

struct TextVisitor;

impl<'de> serde::de::Visitor<'de> for TextVisitor {
    type Value = Text<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a string")
    }
    fn visit_borrowed_str<E: serde::de::Error>(self, text: &'de str) -> Result<Self::Value, E> {
        Ok(Text(Some(Cow::Borrowed(text))))
    }
    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Self::Value, E> {
        Ok(Text(Some(Cow::Owned(text.to_owned()))))
    }
    fn visit_string<E: serde::de::Error>(self, text: String) -> Result<Self::Value, E> {
        Ok(Text(Some(Cow::Owned(text))))
    }
    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Text(None))
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Text(None))
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Text(None))
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Text(None))
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(Text(None))
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        Ok(Text(None))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        Ok(Text(None))
    }
}

/// An event's `data`, decoded on first use.
///
/// Pusher servers send `data` as a JSON string holding JSON (Pusher Channels
/// protocol, "Events": the payload is double-encoded). `EventData` keeps that
/// string, unescaped, and parses it only when asked: events no listener reads
/// are not parsed (their envelope is still read and the string unescaped),
/// [`decode`](Self::decode) reads a typed listener's struct straight from the
/// text (fields it does not name are skipped, not built), and
/// [`value`](Self::value) builds the [`Value`] once and caches it for every
/// `&Value` listener of the same event.
///
/// Read as a `Value`: a string holding JSON is that JSON; a string that is
/// not JSON is a [`Value::String`] (pusher-js keeps it as a string too); an
/// object or number sent without the string wrapping is itself; a missing or
/// `null` `data` is [`Value::Null`]. `EventData` dereferences to that value,
/// so `data.get("room_ids")` works as on a `Value`.
///
/// Listeners get one from `echo_rs::Channel::listen_data`:
///
/// ```
/// use echo_proto::EventData;
///
/// #[derive(serde::Deserialize, Debug, PartialEq)]
/// struct RoomsUpdated {
///     room_ids: Vec<u64>,
/// }
///
/// // As a frame's `data` string arrives (here built by hand).
/// let data = EventData::from_text(r#"{"room_ids":[1,2],"by":"admin"}"#);
/// assert_eq!(data.decode::<RoomsUpdated>().unwrap(), RoomsUpdated { room_ids: vec![1, 2] });
/// assert_eq!(data["by"], "admin");
/// assert_eq!(EventData::from_text("not JSON").value(), "not JSON");
/// ```
#[derive(Clone, Default)]
pub struct EventData {
    /// The unescaped `data` string, when the server sent a string.
    text: Option<Box<str>>,
    value: OnceCell<Value>,
}

impl EventData {
    /// Data that is already a value, e.g. for a test or for frames whose
    /// `data` was sent as an object (no decoding left to do).
    pub fn from_value(value: Value) -> Self {
        Self {
            text: None,
            value: OnceCell::from(value),
        }
    }

    /// Data received as a string, as servers send it: `text` is the string's
    /// content (unescaped), parsed on first use and read as a plain string if
    /// it is not JSON.
    pub fn from_text(text: impl Into<Box<str>>) -> Self {
        Self {
            text: Some(text.into()),
            value: OnceCell::new(),
        }
    }

    /// The frame's `data` field as read from the envelope: a string is kept
    /// for decoding on first use, anything else is the value itself.
    fn from_wire(data: Option<Value>) -> Self {
        match data {
            None => Self::from_value(Value::Null),
            Some(Value::String(text)) => Self::from_text(text),
            Some(other) => Self::from_value(other),
        }
    }

    /// The data as a JSON value, parsed on the first call and cached.
    pub fn value(&self) -> &Value {
        self.value.get_or_init(|| match self.text.as_deref() {
            Some(text) => serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned())),
            None => Value::Null,
        })
    }

    /// The data decoded into `T`, with the same result as
    /// `T::deserialize(self.value())`: read straight from the received text
    /// (fields `T` does not name are skipped, not built); data that is not
    /// JSON decodes as the string it is, and text that fails to decode (a
    /// plain string, a duplicate key: `value` keeps the last, as
    /// `JSON.parse` does) is decoded again from the value.
    ///
    /// # Errors
    /// serde's error when the data does not have `T`'s shape. Unlike
    /// `echo_rs::Channel::listen_typed`, nothing
    /// reports it to the `error` callbacks: the caller decides.
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        if let Some(Ok(decoded)) = self.text.as_deref().map(decode_text) {
            return Ok(decoded);
        }
        // The value, printed as JSON: the one string deserializer (a typed
        // listener adds one instantiation of it to a wasm build), and
        // `serde_json::to_string`, not `Value`'s `Display` (the serializer
        // `encode` already brings).
        decode_text(&serde_json::to_string(self.value())?)
    }

    /// The `data` string as received (unescaped), JSON or not, when the
    /// server sent a string; `None` for data sent as an object or absent.
    pub fn raw_text(&self) -> Option<&str> {
        self.text.as_deref()
    }

    /// The data as an owned value (parsing it if it was never read).
    pub fn into_value(self) -> Value {
        self.value();
        self.value.into_inner().unwrap_or_default()
    }
}

fn decode_text<T: DeserializeOwned>(text: &str) -> Result<T, serde_json::Error> {
    serde_json::from_str(text)
}

impl Deref for EventData {
    type Target = Value;

    fn deref(&self) -> &Value {
        self.value()
    }
}

impl From<Value> for EventData {
    fn from(value: Value) -> Self {
        Self::from_value(value)
    }
}

impl PartialEq for EventData {
    fn eq(&self, other: &Self) -> bool {
        self.value() == other.value()
    }
}

impl PartialEq<Value> for EventData {
    fn eq(&self, other: &Value) -> bool {
        self.value() == other
    }
}

impl fmt::Debug for EventData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.value(), f)
    }
}

#[derive(Serialize)]
struct Outgoing<'a> {
    event: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    channel: Option<&'a str>,
    data: &'a Value,
}

/// Encodes a client frame; `data` is sent as an object, as pusher-js does.
pub fn encode(event: &str, channel: Option<&str>, data: &Value) -> String {
    // Serializing a `Value` with string keys cannot fail.
    serde_json::to_string(&Outgoing { event, channel, data }).unwrap_or_default()
}

/// `pusher:subscribe` with optional `auth` and `channel_data`.
pub fn subscribe(channel: &str, auth: Option<&str>, channel_data: Option<&str>) -> String {
    let mut data = Map::new();
    data.insert("channel".into(), Value::String(channel.into()));
    if let Some(auth) = auth {
        data.insert("auth".into(), Value::String(auth.into()));
    }
    if let Some(channel_data) = channel_data {
        data.insert("channel_data".into(), Value::String(channel_data.into()));
    }
    encode("pusher:subscribe", None, &Value::Object(data))
}

/// `pusher:unsubscribe`.
pub fn unsubscribe(channel: &str) -> String {
    let mut data = Map::new();
    data.insert("channel".into(), Value::String(channel.into()));
    encode("pusher:unsubscribe", None, &Value::Object(data))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn double_encoded_data_is_decoded() {
        let frame = Frame::parse(r#"{"event":"RoomsUpdated","channel":"rooms","data":"{\"room_ids\":[1],\"at\":\"2026\"}"}"#).unwrap();
        assert_eq!(frame.event, "RoomsUpdated");
        assert_eq!(frame.channel.as_deref(), Some("rooms"));
        assert_eq!(frame.data, json!({"room_ids": [1], "at": "2026"}));
    }

    #[test]
    fn data_as_object_missing_or_plain_string() {
        assert_eq!(
            Frame::parse(r#"{"event":"pusher:error","data":{"code":4009}}"#).unwrap().data,
            json!({"code": 4009})
        );
        assert_eq!(Frame::parse(r#"{"event":"pusher:pong"}"#).unwrap().data, Value::Null);
        assert_eq!(Frame::parse(r#"{"event":"x","data":"hello"}"#).unwrap().data, json!("hello"));
        assert_eq!(Frame::parse(r#"{"event":"x","data":"\"quoted\""}"#).unwrap().data, json!("quoted"));
    }

    #[test]
    fn unicode_escapes_survive() {
        let frame = Frame::parse(r#"{"event":"x","data":"{\"name\":\"Caf\\u00e9 \\ud83c\\udf34\"}"}"#).unwrap();
        assert_eq!(frame.data, json!({"name": "Café 🌴"}));
    }

    #[test]
    fn fast_and_general_paths_agree() {
        for text in [
            r#"{"event":"RoomsUpdated","channel":"rooms","data":"{\"room_ids\":[1],\"at\":\"2026\"}"}"#,
            r#"{"event":"pusher:error","data":{"code":4009}}"#,
            r#"{"event":"pusher:pong"}"#,
            r#"{"event":"x","data":"hello","extra":[1,{"a":2}]}"#,
            r#"{"event":"x","data":null,"channel":null}"#,
            r#"{"event":"x","data":12.5,"channel":7}"#,
            r#"{"event":"client-typing","channel":"presence-room","data":"{}","user_id":42}"#,
            r#"{"event":"App\\Events\\RoomsUpdated","channel":"caf\u00e9","data":"\"\\ud83c\\udf34\""}"#,
            // Refused by the fast path (no error there): the general path decides.
            r#"{"event":[],"data":"{}"}"#,
            r#"{"event":{"a":1},"data":"{}","extra":2}"#,
            r#"{"event":"x","channel":[],"data":"{}"}"#,
            r#"{"event":"x","channel":{},"channel":"y"}"#,
            r#"{"event":"x","data":1,"data":2,"user_id":3}"#,
            r#"{"event":"x","user_id":1,"user_id":null}"#,
            r#"{"event":true}"#,
            r#"[]"#,
            r#""frame""#,
            r#"5"#,
            r#"null"#,
        ] {
            assert_eq!(Frame::parse(text), Frame::parse_value(text), "{text}");
        }
        // A duplicate key is not valid for the struct; the general path keeps the last one.
        assert_eq!(Frame::parse(r#"{"event":"a","event":"b"}"#).unwrap().event, "b");
    }

    #[test]
    fn data_is_parsed_only_when_read_and_then_once() {
        let frame = Frame::parse(r#"{"event":"RoomsUpdated","channel":"rooms","data":"{\"room_ids\":[1,2]}"}"#).unwrap();
        assert_eq!(frame.data.raw_text(), Some(r#"{"room_ids":[1,2]}"#));
        assert!(frame.data.value.get().is_none(), "parsing the frame does not decode its data");
        assert_eq!(frame.data["room_ids"], json!([1, 2]));
        assert!(std::ptr::eq(frame.data.value(), frame.data.value()), "decoded once, then cached");
    }

    #[test]
    fn typed_decoding_reads_the_text_and_agrees_with_the_value() {
        #[derive(Debug, PartialEq, serde::Deserialize)]
        struct RoomsUpdated {
            room_ids: Vec<u64>,
        }
        let text = r#"{"room_ids":[1,2],"note":"not a field of the struct","items":[{"a":1.5}]}"#;
        let lazy = EventData::from_text(text);
        assert_eq!(lazy.decode::<RoomsUpdated>().unwrap(), RoomsUpdated { room_ids: vec![1, 2] });
        assert!(lazy.value.get().is_none(), "a typed decode builds no Value");
        let built = EventData::from_text(text);
        built.value();
        assert_eq!(built.decode::<RoomsUpdated>().unwrap(), RoomsUpdated { room_ids: vec![1, 2] });

        // A duplicate key: the last one, as `value()` (and `JSON.parse`) keep it.
        let twice = EventData::from_text(r#"{"room_ids":[1],"room_ids":[2]}"#);
        assert_eq!(twice.decode::<RoomsUpdated>().unwrap(), RoomsUpdated { room_ids: vec![2] });
        assert_eq!(twice.value()["room_ids"], json!([2]));

        // JSON of another shape is serde's error, whichever path decodes it.
        let wrong = EventData::from_text(r#"{"room_ids":"all"}"#);
        let error = wrong.decode::<RoomsUpdated>().unwrap_err().to_string();
        assert!(error.contains("invalid type: string \"all\""), "{error}");
        // Data that is not JSON is the string itself, as `value()` reads it.
        assert_eq!(EventData::from_text("hello").decode::<String>().unwrap(), "hello");
        assert_eq!(EventData::from_text("{broken").decode::<Value>().unwrap(), json!("{broken"));
        assert!(EventData::from_text("hello").decode::<RoomsUpdated>().is_err());
        assert_eq!(EventData::default().decode::<Option<u8>>().unwrap(), None);
    }

    #[test]
    fn into_value_gives_the_same_value_as_value() {
        for text in [r#"{"a":[1,{"b":null}]}"#, "plain", "\"quoted\"", "12.5", ""] {
            let data = EventData::from_text(text);
            assert_eq!(data.clone().into_value(), *data.value(), "{text}");
        }
        assert_eq!(EventData::from_value(json!({"a": 1})).into_value(), json!({"a": 1}));
        assert_eq!(EventData::default().into_value(), Value::Null);
    }

    #[test]
    fn broken_frames_are_errors_not_panics() {
        assert!(matches!(Frame::parse("not json"), Err(ProtocolError::InvalidJson(_))));
        assert!(matches!(Frame::parse("[1,2]"), Err(ProtocolError::NotAnObject)));
        assert!(matches!(Frame::parse(r#"{"data":"{}"}"#), Err(ProtocolError::MissingEvent)));
        assert!(matches!(Frame::parse(r#"{"event":5}"#), Err(ProtocolError::MissingEvent)));
    }

    #[test]
    fn client_frames_send_data_as_an_object() {
        assert_eq!(
            subscribe("rooms", None, None),
            r#"{"event":"pusher:subscribe","data":{"channel":"rooms"}}"#
        );
        assert_eq!(unsubscribe("rooms"), r#"{"event":"pusher:unsubscribe","data":{"channel":"rooms"}}"#);
        assert_eq!(encode("pusher:pong", None, &json!({})), r#"{"event":"pusher:pong","data":{}}"#);
    }
}
