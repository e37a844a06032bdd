//! Delivery through the Pusher HTTP API that Reverb (and Pusher) expose:
//! `POST /apps/{app_id}/events`, signed with the app secret.

use std::{
    error::Error as _,
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use reqwest::header::CONTENT_TYPE;
use serde::Serialize;

use super::{signing, BroadcastEvent, BroadcastSink, DeliveryError};
use crate::config::ReverbConfig;

/// How long one delivery attempt may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);

/// The JSON body of a trigger request; `data` is the payload encoded as a string.
#[derive(Serialize)]
struct TriggerBody<'a> {
    name: &'a str,
    channels: &'a [String],
    data: String,
}

/// `BROADCAST_CONNECTION=reverb`: posts events to the WebSocket server.
#[derive(Clone, Debug)]
pub struct PusherHttpSink {
    client: reqwest::Client,
    config: ReverbConfig,
}

impl PusherHttpSink {
    /// A sink for the server and credentials in `config`.
    pub fn new(config: ReverbConfig) -> Result<Self, reqwest::Error> {
        let client = reqwest::Client::builder().timeout(REQUEST_TIMEOUT).build()?;
        Ok(Self { client, config })
    }

    /// The exact body bytes for `event`; signed as sent, so never re-serialized.
    fn body(event: &BroadcastEvent) -> Result<Vec<u8>, serde_json::Error> {
        serde_json::to_vec(&TriggerBody {
            name: &event.name,
            channels: &event.channels,
            data: event.payload.to_string(),
        })
    }
}

impl BroadcastSink for PusherHttpSink {
    async fn deliver(&self, event: &BroadcastEvent) -> Result<(), DeliveryError> {
        let body = Self::body(event).map_err(|err| DeliveryError::Transport(err.to_string()))?;
        let ReverbConfig { app_id, key, secret, .. } = &self.config;
        let timestamp = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |elapsed| elapsed.as_secs());
        let query = signing::events_query(key, secret, app_id, timestamp, &body);
        let url = format!("{}/apps/{app_id}/events?{query}", self.config.base_url());

        let response = self
            .client
            .post(url)
            .header(CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await
            .map_err(|err| DeliveryError::Transport(describe(err)))?;
        let status = response.status();
        if status.is_success() {
            tracing::debug!(event = %event.name, channels = ?event.channels, "broadcast delivered");
            return Ok(());
        }
        Err(DeliveryError::Rejected {
            status: status.as_u16(),
            body: response.text().await.unwrap_or_default(),
        })
    }
}

/// The error with its causes, since reqwest's own message hides the useful
/// part (e.g. "Connection refused") in its source chain. The URL is left out:
/// its query string is long and the target is already in the start-up log.
fn describe(err: reqwest::Error) -> String {
    let err = err.without_url();
    let mut message = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}
