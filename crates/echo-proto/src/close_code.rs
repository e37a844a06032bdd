//! What to do when the socket closes, by close code (Pusher protocol
//! "Error codes"; pusher-js `src/core/connection/protocol/protocol.ts`
//! `getCloseAction` and `connection_manager.ts` `buildErrorCallbacks`).

use std::time::Duration;

/// The client's reaction to a close code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseAction {
    /// The server asks the client to back off, then reconnect (1002–1004,
    /// 4100–4199): the first retry comes no sooner than [`BACKOFF_FLOOR`]
    /// (pusher-js `backoff` → `retryIn(1000)`).
    Backoff,
    /// The socket closed without asking for anything (1000, 1001, 1005,
    /// 1006, any other code below 4000, or no close frame): reconnect after
    /// the backoff delay, which starts at `reconnect_base_delay`, 1 s by
    /// default (pusher-js `closed` → `retryIn(1000)`).
    Closed,
    /// Reconnect at once (4200–4299; pusher-js `retry` → `retryIn(0)`).
    RetryNow,
    /// Reconnect at once over TLS (4000; pusher-js `tls_only`).
    TlsOnly,
    /// Do not reconnect (4001–4099, ≥ 4300): the configuration or the app
    /// must change first (pusher-js `refused`).
    Refused,
}

/// The least delay before the first retry after a close that asks the client
/// to back off (4100–4199, and 1002–1004): the Pusher protocol says
/// "reconnect after at least 1 second", pusher-js waits exactly 1 s. Jitter
/// is added on top of it, never below; it holds whatever
/// `reconnect_base_delay` is set to.
pub const BACKOFF_FLOOR: Duration = Duration::from_secs(1);

/// Maps a close code to an action. `None` (the socket dropped without a close
/// frame) is [`CloseAction::Closed`].
///
/// ```
/// use echo_proto::{close_action, CloseAction};
/// assert_eq!(close_action(Some(4001)), CloseAction::Refused);
/// assert_eq!(close_action(Some(4100)), CloseAction::Backoff);
/// assert_eq!(close_action(Some(4201)), CloseAction::RetryNow);
/// assert_eq!(close_action(Some(1006)), CloseAction::Closed);
/// ```
pub fn close_action(code: Option<u16>) -> CloseAction {
    match code {
        Some(1002..=1004) => CloseAction::Backoff,
        Some(4000) => CloseAction::TlsOnly,
        Some(4001..=4099) => CloseAction::Refused,
        Some(4100..=4199) => CloseAction::Backoff,
        Some(4200..=4299) => CloseAction::RetryNow,
        Some(4300..) => CloseAction::Refused,
        _ => CloseAction::Closed,
    }
}

impl CloseAction {
    /// The least delay before the first retry: [`BACKOFF_FLOOR`] for
    /// [`Backoff`](Self::Backoff), zero otherwise (`Closed` waits for
    /// `reconnect_base_delay`, `RetryNow` and `TlsOnly` retry at once).
    /// `None` for [`Refused`](Self::Refused): no retry.
    pub fn floor(self) -> Option<Duration> {
        match self {
            Self::Backoff => Some(BACKOFF_FLOOR),
            Self::Closed | Self::RetryNow | Self::TlsOnly => Some(Duration::ZERO),
            Self::Refused => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_code_table() {
        use CloseAction::*;
        let table = [
            (None, Closed),
            (Some(1000), Closed),
            (Some(1001), Closed),
            (Some(1002), Backoff),
            (Some(1004), Backoff),
            (Some(1005), Closed),
            (Some(1006), Closed),
            (Some(3999), Closed),
            (Some(4000), TlsOnly),
            (Some(4001), Refused),
            (Some(4009), Refused),
            (Some(4099), Refused),
            (Some(4100), Backoff),
            (Some(4199), Backoff),
            (Some(4200), RetryNow),
            (Some(4201), RetryNow),
            (Some(4299), RetryNow),
            (Some(4300), Refused),
            (Some(4301), Refused),
        ];
        for (code, action) in table {
            assert_eq!(close_action(code), action, "{code:?}");
        }
    }
}
