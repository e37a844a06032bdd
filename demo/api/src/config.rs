//! Runtime configuration, read from the same environment variables a Laravel
//! app with Reverb uses (`REVERB_*`, `BROADCAST_CONNECTION`), plus `API_*`
//! and `DATABASE_PATH` for this server itself.
//!
//! Every field is public so tests can build a [`Config`] directly with
//! struct-update syntax over [`Config::default`] instead of touching the
//! process environment.

use std::{fmt, path::PathBuf, str::FromStr};

/// Where dispatched broadcast events go, like Laravel's `BROADCAST_CONNECTION`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BroadcastConnection {
    /// Send events to the WebSocket server's Pusher HTTP API (`reverb`, or its alias `pusher`).
    #[default]
    Reverb,
    /// Only write events to the log (`log`): no WebSocket server needed.
    Log,
    /// Drop events silently (`null`).
    Null,
}

impl FromStr for BroadcastConnection {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        match value.trim().to_ascii_lowercase().as_str() {
            "reverb" | "pusher" => Ok(Self::Reverb),
            "log" => Ok(Self::Log),
            "null" => Ok(Self::Null),
            other => Err(format!("expected reverb, log or null, got `{other}`")),
        }
    }
}

/// How to reach the Reverb (Pusher protocol) server and sign requests to it.
#[derive(Clone, PartialEq, Eq)]
pub struct ReverbConfig {
    /// `REVERB_APP_ID`, the `{app_id}` in `/apps/{app_id}/events`.
    pub app_id: String,
    /// `REVERB_APP_KEY`, the public key clients connect with.
    pub key: String,
    /// `REVERB_APP_SECRET`, used to sign API requests and channel authorizations.
    pub secret: String,
    /// `REVERB_HOST`.
    pub host: String,
    /// `REVERB_PORT`.
    pub port: u16,
    /// `REVERB_SCHEME`, `http` or `https`.
    pub scheme: String,
}

impl ReverbConfig {
    /// The server's base URL, e.g. `http://127.0.0.1:6001`.
    pub fn base_url(&self) -> String {
        format!("{}://{}:{}", self.scheme, self.host, self.port)
    }
}

/// Keeps the secret out of logs.
impl fmt::Debug for ReverbConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReverbConfig")
            .field("url", &self.base_url())
            .field("app_id", &self.app_id)
            .field("key", &self.key)
            .field("secret", &"<redacted>")
            .finish()
    }
}

/// Everything the server needs to start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// `API_HOST`: the address the HTTP API listens on.
    pub api_host: String,
    /// `API_PORT`.
    pub api_port: u16,
    /// `DATABASE_PATH`: the SQLite file; its parent directory is created.
    pub database_path: PathBuf,
    /// `BROADCAST_CONNECTION`.
    pub broadcast_connection: BroadcastConnection,
    /// The `REVERB_*` settings.
    pub reverb: ReverbConfig,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            api_host: "127.0.0.1".into(),
            api_port: 8000,
            database_path: PathBuf::from(".run/demo.sqlite"),
            broadcast_connection: BroadcastConnection::Reverb,
            reverb: ReverbConfig {
                app_id: "echo-rs-app".into(),
                key: "local-key".into(),
                secret: "local-secret".into(),
                host: "127.0.0.1".into(),
                port: 6001,
                scheme: "http".into(),
            },
        }
    }
}

/// An environment variable held a value that could not be used.
#[derive(Debug, thiserror::Error)]
#[error("invalid {name}: {reason}")]
pub struct ConfigError {
    /// The variable's name.
    pub name: &'static str,
    /// What was wrong with it.
    pub reason: String,
}

impl Config {
    /// Reads the configuration from the process environment; unset or empty
    /// variables take their defaults (see [`Config::default`]).
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`Config::from_env`], with variables looked up through `lookup`.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let var = |name: &str| lookup(name).filter(|value| !value.trim().is_empty());
        let defaults = Self::default();
        Ok(Self {
            api_host: var("API_HOST").unwrap_or(defaults.api_host),
            api_port: parse_or("API_PORT", var("API_PORT"), defaults.api_port)?,
            database_path: var("DATABASE_PATH").map_or(defaults.database_path, PathBuf::from),
            broadcast_connection: parse_or("BROADCAST_CONNECTION", var("BROADCAST_CONNECTION"), defaults.broadcast_connection)?,
            reverb: ReverbConfig {
                app_id: var("REVERB_APP_ID").unwrap_or(defaults.reverb.app_id),
                key: var("REVERB_APP_KEY").unwrap_or(defaults.reverb.key),
                secret: var("REVERB_APP_SECRET").unwrap_or(defaults.reverb.secret),
                host: var("REVERB_HOST").unwrap_or(defaults.reverb.host),
                port: parse_or("REVERB_PORT", var("REVERB_PORT"), defaults.reverb.port)?,
                scheme: var("REVERB_SCHEME").unwrap_or(defaults.reverb.scheme),
            },
        })
    }
}

/// Parses the variable `name`'s `value`, or takes `default` when it is unset.
fn parse_or<T>(name: &'static str, value: Option<String>, default: T) -> Result<T, ConfigError>
where
    T: FromStr,
    T::Err: fmt::Display,
{
    let Some(value) = value else { return Ok(default) };
    value.trim().parse().map_err(|err: T::Err| ConfigError {
        name,
        reason: err.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        Config::from_lookup(|name| vars.iter().find(|(key, _)| *key == name).map(|(_, value)| (*value).to_owned()))
    }

    #[test]
    fn unset_variables_take_defaults() {
        assert_eq!(config(&[]).ok(), Some(Config::default()));
    }

    #[test]
    fn variables_override_defaults() {
        let config = config(&[
            ("REVERB_PORT", "8080"),
            ("REVERB_APP_KEY", "other-key"),
            ("BROADCAST_CONNECTION", "log"),
            ("API_PORT", ""),
        ])
        .unwrap();
        assert_eq!(config.reverb.base_url(), "http://127.0.0.1:8080");
        assert_eq!(config.reverb.key, "other-key");
        assert_eq!(config.broadcast_connection, BroadcastConnection::Log);
        assert_eq!(config.api_port, 8000);
    }

    #[test]
    fn bad_values_name_the_variable() {
        let err = config(&[("REVERB_PORT", "eighty")]).unwrap_err();
        assert_eq!(err.name, "REVERB_PORT");
        let err = config(&[("BROADCAST_CONNECTION", "redis")]).unwrap_err();
        assert!(err.to_string().contains("BROADCAST_CONNECTION"));
    }

    #[test]
    fn debug_output_hides_the_secret() {
        let debug = format!("{:?}", Config::default());
        assert!(!debug.contains("local-secret"));
    }
}
