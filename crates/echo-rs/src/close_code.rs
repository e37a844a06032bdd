//! What to do when the socket closes, by close code (Pusher protocol
//! "Error codes"; pusher-js `src/core/connection/protocol/protocol.ts`).

/// The client's reaction to a close code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseAction {
    /// Reconnect after the backoff delay (1000–3999, 4100–4199, no code).
    Backoff,
    /// Reconnect at once (4200–4299).
    RetryNow,
    /// Reconnect at once over TLS (4000).
    TlsOnly,
    /// Do not reconnect (4001–4099, ≥ 4300): the configuration or the app
    /// must change first.
    Refused,
}

/// Maps a close code to an action. `None` (the socket dropped without a close
/// frame) backs off.
///
/// ```
/// use echo_rs::{close_action, CloseAction};
/// assert_eq!(close_action(Some(4001)), CloseAction::Refused);
/// assert_eq!(close_action(Some(4201)), CloseAction::RetryNow);
/// ```
pub fn close_action(code: Option<u16>) -> CloseAction {
    match code {
        Some(4000) => CloseAction::TlsOnly,
        Some(4001..=4099) => CloseAction::Refused,
        Some(4100..=4199) => CloseAction::Backoff,
        Some(4200..=4299) => CloseAction::RetryNow,
        Some(4300..) => CloseAction::Refused,
        _ => CloseAction::Backoff,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_code_table() {
        use CloseAction::*;
        let table = [
            (None, Backoff),
            (Some(1000), Backoff),
            (Some(1006), Backoff),
            (Some(3999), Backoff),
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
