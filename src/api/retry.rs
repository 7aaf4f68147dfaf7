//! When to retry a request on its own, and how long to wait: capped exponential backoff with
//! jitter, honouring `Retry-After`.

use super::ApiError;

/// Whether, and how, a failed attempt of a request may be sent again without asking the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replay {
    /// Never: a POST without an idempotency key, or an answer holding one-time secrets.
    Never,
    /// A read or a delete: sending it again does no harm.
    Safe,
    /// A create with its intent's idempotency key. Also retried while the platform says the
    /// same intent is still in flight (409, contract §5.2): once that attempt is done, a replay
    /// gets its key, where giving up would leave the person not knowing whether a key was made.
    Intent,
}

/// Automatic retry rules of the API client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// Delay before the first retry.
    pub base_ms: u32,
    /// Largest backoff delay.
    pub cap_ms: u32,
    /// Longest `Retry-After` honoured automatically; a longer wait is left to the person.
    pub max_retry_after_ms: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            base_ms: 300,
            cap_ms: 5_000,
            max_retry_after_ms: 10_000,
        }
    }
}

impl RetryPolicy {
    /// The delay before retry number `retries_done + 1`, or `None` to give up.
    ///
    /// Only failures that may pass on their own are retried: no answer, a timeout, 503 and
    /// 429, and for a create's intent a 409. `jitter` is uniform in `[0, 1)`.
    pub fn delay_ms(
        &self,
        retries_done: u32,
        replay: Replay,
        err: &ApiError,
        jitter: f64,
    ) -> Option<u32> {
        if replay == Replay::Never || retries_done >= self.max_retries {
            return None;
        }
        let retry_after = match err {
            e if e.is_unanswered() => None,
            ApiError::Conflict(_) if replay == Replay::Intent => None,
            ApiError::Server {
                status: 503,
                retry_after_secs,
                ..
            } => *retry_after_secs,
            ApiError::RateLimited {
                retry_after_secs, ..
            } => *retry_after_secs,
            _ => return None,
        };
        let exp = self
            .base_ms
            .saturating_mul(1u32 << retries_done.min(16))
            .min(self.cap_ms);
        let jittered = (f64::from(exp) * (0.5 + 0.5 * jitter.clamp(0.0, 1.0))) as u32;
        match retry_after {
            Some(secs) => {
                let wait = u32::try_from(secs.saturating_mul(1000)).unwrap_or(u32::MAX);
                (wait <= self.max_retry_after_ms).then_some(wait.max(jittered))
            }
            None => Some(jittered),
        }
    }
}

/// Next delay when polling a pending key: ×1.5 each time, capped at 10 s (contract §1), and
/// always longer than the last below the cap (a configured interval of 1 ms must not poll
/// every millisecond for ever).
pub fn next_poll_delay_ms(previous_ms: u32) -> u32 {
    previous_ms
        .saturating_add((previous_ms / 2).max(1))
        .clamp(1, 10_000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Said;

    fn server(status: u16, retry_after_secs: Option<u64>) -> ApiError {
        ApiError::Server {
            status,
            message: String::new(),
            correlation_id: String::new(),
            retry_after_secs,
        }
    }

    #[test]
    fn retries_only_transient_failures_of_replayable_requests() {
        let p = RetryPolicy::default();
        let transient = [
            ApiError::Network("x".into()),
            ApiError::Timeout,
            server(503, None),
            ApiError::RateLimited {
                retry_after_secs: None,
                message: String::new(),
                correlation_id: String::new(),
            },
        ];
        for e in &transient {
            assert!(p.delay_ms(0, Replay::Safe, e, 0.5).is_some(), "{e:?}");
            assert!(
                p.delay_ms(0, Replay::Never, e, 0.5).is_none(),
                "unsafe POST {e:?}"
            );
        }
        for e in [
            server(500, None),
            server(502, None),
            ApiError::Unauthorized(Said::nothing()),
            ApiError::Forbidden(Said::nothing()),
            ApiError::NotFound(Said::nothing()),
            ApiError::Conflict(Said::nothing()),
            ApiError::Gone(Said::nothing()),
            ApiError::Validation {
                message: String::new(),
                fields: vec![],
                correlation_id: String::new(),
            },
            ApiError::Decode(String::new()),
            ApiError::Cancelled,
        ] {
            assert!(p.delay_ms(0, Replay::Safe, &e, 0.5).is_none(), "{e:?}");
        }
    }

    #[test]
    fn a_create_still_in_flight_is_asked_again_and_only_a_create() {
        let p = RetryPolicy::default();
        let in_flight = ApiError::Conflict(Said::nothing());
        assert!(p.delay_ms(0, Replay::Intent, &in_flight, 0.5).is_some());
        assert!(p.delay_ms(3, Replay::Intent, &in_flight, 0.5).is_none());
        // A delete's 409 is another key operation under way: `delete_key` reads the key.
        assert!(p.delay_ms(0, Replay::Safe, &in_flight, 0.5).is_none());
        assert!(p.delay_ms(0, Replay::Never, &in_flight, 0.5).is_none());
        for e in [ApiError::Timeout, server(503, None)] {
            assert!(p.delay_ms(0, Replay::Intent, &e, 0.5).is_some(), "{e:?}");
        }
        assert!(p
            .delay_ms(0, Replay::Intent, &server(500, None), 0.5)
            .is_none());
    }

    #[test]
    fn gives_up_after_max_retries() {
        let p = RetryPolicy::default();
        let e = ApiError::Timeout;
        assert!(p.delay_ms(2, Replay::Safe, &e, 0.0).is_some());
        assert!(p.delay_ms(3, Replay::Safe, &e, 0.0).is_none());
    }

    #[test]
    fn backoff_grows_is_capped_and_jitter_stays_in_bounds() {
        let p = RetryPolicy::default();
        let e = ApiError::Network(String::new());
        let mut last_max = 0;
        for n in 0..3 {
            let exp = (300u32 << n).min(5_000);
            for j in [0.0, 0.25, 0.5, 0.999, 1.0, -3.0, 7.0] {
                let d = p.delay_ms(n, Replay::Safe, &e, j).unwrap();
                assert!(d >= exp / 2 && d <= exp, "attempt {n} jitter {j}: {d}");
            }
            let max = p.delay_ms(n, Replay::Safe, &e, 1.0).unwrap();
            assert!(max > last_max);
            last_max = max;
        }
        let big = RetryPolicy {
            max_retries: 40,
            ..p
        };
        assert!(big.delay_ms(30, Replay::Safe, &e, 1.0).unwrap() <= 5_000);
    }

    #[test]
    fn retry_after_is_honoured_in_seconds_up_to_a_limit() {
        let p = RetryPolicy::default();
        let limited = |s| ApiError::RateLimited {
            retry_after_secs: Some(s),
            message: String::new(),
            correlation_id: String::new(),
        };
        assert_eq!(p.delay_ms(0, Replay::Safe, &limited(4), 0.0), Some(4_000));
        assert_eq!(
            p.delay_ms(0, Replay::Safe, &server(503, Some(2)), 0.0),
            Some(2_000)
        );
        assert_eq!(
            p.delay_ms(0, Replay::Safe, &limited(60), 0.0),
            None,
            "a long wait is shown to the person instead"
        );
        // Never shorter than the backoff.
        assert_eq!(p.delay_ms(2, Replay::Safe, &limited(0), 1.0), Some(1_200));
    }

    #[test]
    fn polling_backs_off_to_ten_seconds() {
        let mut d = 2_000;
        let mut seen = vec![];
        for _ in 0..8 {
            seen.push(d);
            d = next_poll_delay_ms(d);
        }
        assert_eq!(&seen[..4], &[2_000, 3_000, 4_500, 6_750]);
        assert_eq!(*seen.last().unwrap(), 10_000);
        assert_eq!(next_poll_delay_ms(0), 1);
        assert_eq!(next_poll_delay_ms(1), 2, "a 1 ms interval grows too");
        assert_eq!(next_poll_delay_ms(2), 3);
        assert_eq!(next_poll_delay_ms(10_000), 10_000);
    }
}
