//! The reconnect delay, as a pure function of the attempt count, the close
//! action's floor, the options and a random number.
//!
//! pusher-js waits a fixed 1 s after a close (0 s for 4200–4299 and 4000)
//! and has no jitter; a thousand clients dropped by one server restart then
//! come back in the same millisecond. echo-rs starts from
//! `reconnect_base_delay` (1 s by default, pusher-js's delay), keeps 1 s as
//! a floor where the protocol asks to back off (4100–4199, 1002–1004)
//! whatever the base, and adds capped exponential backoff with jitter on
//! top:
//!
//! - `step = max(floor, min(max, base · 2^failures))`, where `failures` is the
//!   number of attempts that failed since the last successful handshake;
//! - the delay is drawn from `[step, step + step/2]`, cut at
//!   `max(max, floor)`: never below the floor, never above the cap.

use std::time::Duration;

/// The delay before the next connection attempt.
///
/// `failures`: attempts failed in a row (0 for the first retry after a
/// connection was lost); `floor`: the close action's least delay
/// ([`CloseAction::floor`](crate::CloseAction::floor)); `base` and `max`:
/// `EchoOptions::reconnect_base_delay` / `reconnect_max_delay`; `random`: any
/// `u64`, picks the jitter (whole milliseconds).
pub fn reconnect_delay(failures: u32, floor: Duration, base: Duration, max: Duration, random: u64) -> Duration {
    let cap = max.max(floor);
    let step = base.saturating_mul(1 << failures.min(16)).min(max).max(floor);
    let span = (step / 2).min(cap.saturating_sub(step)).as_millis() as u64;
    let jitter = if span == 0 { 0 } else { random % (span + 1) };
    step + Duration::from_millis(jitter)
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: Duration = Duration::from_secs(1);

    /// The least and the greatest delay over every jitter (in whole
    /// milliseconds, spans up to 20 s) and a few large random numbers.
    fn range(failures: u32, floor: Duration, base: Duration, max: Duration) -> (Duration, Duration) {
        let delays: Vec<Duration> = (0..=20_000u64)
            .chain([u64::MAX, u64::MAX - 1, 1 << 63])
            .map(|r| reconnect_delay(failures, floor, base, max, r))
            .collect();
        (*delays.iter().min().unwrap(), *delays.iter().max().unwrap())
    }

    #[test]
    fn delay_table() {
        let ms = Duration::from_millis;
        // (failures, floor, base, max) → [least, greatest]
        let table = [
            // Defaults (base 1 s, max 30 s), no floor: 1–1.5 s, doubling.
            (0, ms(0), S, 30 * S, S, ms(1500)),
            (1, ms(0), S, 30 * S, 2 * S, 3 * S),
            (2, ms(0), S, 30 * S, 4 * S, 6 * S),
            (4, ms(0), S, 30 * S, 16 * S, 24 * S),
            // At the cap the jitter is cut: never above max.
            (5, ms(0), S, 30 * S, 30 * S, 30 * S),
            (40, ms(0), S, 30 * S, 30 * S, 30 * S),
            // The 1 s floor holds with a short base delay, jitter on top.
            (0, S, ms(100), 30 * S, S, ms(1500)),
            (0, S, ms(100), ms(1200), S, ms(1200)),
            // A floor above the cap wins over the cap.
            (0, S, ms(100), ms(500), S, S),
            // A short base without a floor backs off from the base.
            (0, ms(0), ms(100), 2 * S, ms(100), ms(150)),
        ];
        for (failures, floor, base, max, least, greatest) in table {
            assert_eq!(
                range(failures, floor, base, max),
                (least, greatest),
                "failures {failures}, floor {floor:?}, base {base:?}, max {max:?}"
            );
        }
    }

    #[test]
    fn a_zero_base_retries_at_once() {
        assert_eq!(reconnect_delay(3, Duration::ZERO, Duration::ZERO, S, 12345), Duration::ZERO);
    }
}
