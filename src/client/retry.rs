//! When a failed call is tried again, and how long to wait first.

use std::hash::BuildHasher;
use std::time::Duration;

use crate::error::Error;

/// Whether sending a call twice could do something twice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Safety {
    /// Reads (and the side-effect-free JD analysis): repeating them is harmless.
    Idempotent,
    /// Create, Update, Fetch More and Reveal Contact: each success costs credits.
    CreditCharging,
}

/// How the client retries failed calls.
///
/// * Idempotent calls (every `GET`, and JD to Filters, which charges nothing) are retried after
///   transport failures (including connection errors), timeouts, `429` and `502`/`503`/`504`.
/// * Credit-charging calls (Create, Update, Fetch More, Reveal Contact) are retried only when the
///   request provably was not processed: the connection could not be established, or the server
///   answered `429`. After a timeout or a `5xx` the server may have done the work and charged for
///   it, so these are returned as errors unless
///   [`retry_credit_calls_after_ambiguous_failures`](Self::retry_credit_calls_after_ambiguous_failures)
///   is set.
///
/// Waits grow exponentially from [`initial_backoff`](Self::initial_backoff) with jitter (half
/// fixed, half random) up to [`max_wait`](Self::max_wait). A server hint (`Retry-After`, or
/// `RateLimit-Reset` on a `429`) replaces the computed wait; a hint longer than `max_wait` ends the
/// retries so the error (with [`Error::retry_after`]) reaches the caller instead of a silent long
/// sleep. Retries stop after [`max_attempts`](Self::max_attempts) attempts, or when the next wait
/// would end past [`max_elapsed`](Self::max_elapsed) since the first attempt.
///
/// ```
/// use std::time::Duration;
/// use fj_sourcing::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .with_max_attempts(5)
///     .with_initial_backoff(Duration::from_millis(200))
///     .with_max_wait(Duration::from_secs(10));
/// assert_eq!(policy.max_attempts(), 5);
/// assert_eq!(RetryPolicy::none().max_attempts(), 1);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_wait: Duration,
    max_elapsed: Duration,
    ambiguous_credit_retries: bool,
}

impl Default for RetryPolicy {
    /// 3 attempts, 500 ms first backoff, 30 s longest wait, 60 s overall, no ambiguous retries of
    /// credit-charging calls.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(500),
            max_wait: Duration::from_secs(30),
            max_elapsed: Duration::from_secs(60),
            ambiguous_credit_retries: false,
        }
    }
}

impl RetryPolicy {
    /// Never retry: every call makes exactly one attempt.
    pub fn none() -> Self {
        RetryPolicy::default().with_max_attempts(1)
    }

    /// Total attempts per call, the first included (at least 1).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The wait before the first retry, before jitter; it doubles with each further retry.
    pub fn with_initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest single wait, computed or hinted by the server.
    pub fn with_max_wait(mut self, wait: Duration) -> Self {
        self.max_wait = wait;
        self
    }

    /// The longest time from the first attempt to the start of the last one.
    pub fn with_max_elapsed(mut self, elapsed: Duration) -> Self {
        self.max_elapsed = elapsed;
        self
    }

    /// Also retry credit-charging calls after timeouts, transport failures past connecting, and
    /// `502`/`503`/`504`. Each such retry may charge credits a second time.
    pub fn retry_credit_calls_after_ambiguous_failures(mut self, enabled: bool) -> Self {
        self.ambiguous_credit_retries = enabled;
        self
    }

    /// See [`with_max_attempts`](Self::with_max_attempts).
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// See [`with_initial_backoff`](Self::with_initial_backoff).
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// See [`with_max_wait`](Self::with_max_wait).
    pub fn max_wait(&self) -> Duration {
        self.max_wait
    }

    /// See [`with_max_elapsed`](Self::with_max_elapsed).
    pub fn max_elapsed(&self) -> Duration {
        self.max_elapsed
    }

    /// See [`retry_credit_calls_after_ambiguous_failures`](Self::retry_credit_calls_after_ambiguous_failures).
    pub fn retries_credit_calls_after_ambiguous_failures(&self) -> bool {
        self.ambiguous_credit_retries
    }

    /// Whether `error` may be retried for a call of this safety class.
    pub(crate) fn allows(&self, safety: Safety, error: &Error) -> bool {
        match safety {
            Safety::Idempotent => error.is_retryable(),
            Safety::CreditCharging => {
                error.is_connect()
                    || matches!(error, Error::RateLimited(_))
                    || (self.ambiguous_credit_retries && error.is_retryable())
            }
        }
    }

    /// The wait before the next attempt, or `None` to give up.
    ///
    /// `attempts` is the number of attempts made so far, `elapsed` the time since the first began.
    pub(crate) fn next_wait(
        &self,
        safety: Safety,
        error: &Error,
        attempts: u32,
        elapsed: Duration,
        rng: &mut Jitter,
    ) -> Option<Duration> {
        if attempts >= self.max_attempts || !self.allows(safety, error) {
            return None;
        }
        let wait = match error.retry_after() {
            Some(hint) if hint > self.max_wait => return None,
            Some(hint) => hint,
            None => self.backoff(attempts, rng),
        };
        (elapsed.saturating_add(wait) <= self.max_elapsed).then_some(wait)
    }

    /// Exponential backoff with "equal jitter": between half and all of `initial * 2^(retry-1)`.
    fn backoff(&self, retry: u32, rng: &mut Jitter) -> Duration {
        let full = Backoff {
            first: self.initial_backoff,
            factor: 2.0,
            max: self.max_wait,
        }
        .nth(retry);
        let half = full / 2;
        let spread = u64::try_from((full - half).as_nanos()).unwrap_or(u64::MAX);
        half + Duration::from_nanos(rng.up_to(spread))
    }
}

/// Waits that grow geometrically up to a cap: the retries' backoff (before jitter) and the
/// polling intervals of [`WaitOptions`](super::WaitOptions) both follow it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Backoff {
    /// The first wait.
    pub(crate) first: Duration,
    /// How much each wait grows over the previous one (at least 1).
    pub(crate) factor: f64,
    /// The longest wait.
    pub(crate) max: Duration,
}

impl Backoff {
    /// The `n`th wait (from 1): `first * factor^(n-1)`, at most `max`. Reckoned in nanoseconds,
    /// which a `f64` holds exactly up to 104 days, so that whole factors give whole waits.
    pub(crate) fn nth(&self, n: u32) -> Duration {
        if self.first.is_zero() {
            return Duration::ZERO;
        }
        let exponent = i32::try_from(n.saturating_sub(1)).unwrap_or(i32::MAX);
        let nanos = self.first.as_nanos() as f64 * self.factor.powi(exponent);
        if nanos < self.max.as_nanos() as f64 {
            Duration::from_nanos(nanos.round() as u64)
        } else {
            self.max
        }
    }
}

/// Random numbers for the backoff's jitter: SplitMix64, seeded from the random keys the standard
/// library gives each `RandomState`. Jitter only has to spread clients apart, not be
/// unpredictable, and a random-number crate was one more crate in every application's build.
pub(crate) struct Jitter(u64);

impl Jitter {
    /// A generator with a fresh seed.
    pub(crate) fn new() -> Self {
        Jitter(std::collections::hash_map::RandomState::new().hash_one(0x6A09_E667_u32))
    }

    #[cfg(test)]
    fn with_seed(seed: u64) -> Self {
        Jitter(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..=max`, each about equally likely (the high half of a 128-bit product).
    pub(crate) fn up_to(&mut self, max: u64) -> u64 {
        let span = u128::from(max) + 1;
        ((u128::from(self.next_u64()) * span) >> 64) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ApiError, TimeoutError};
    use crate::meta::ResponseMeta;
    use reqwest::StatusCode;
    use reqwest::header::{HeaderMap, HeaderValue};

    fn api(status: u16, headers: &[(&'static str, &'static str)]) -> Error {
        let mut map = HeaderMap::new();
        for (k, v) in headers {
            map.insert(*k, HeaderValue::from_static(v));
        }
        let meta = ResponseMeta::from_headers(StatusCode::from_u16(status).unwrap(), &map, 1);
        ApiError::from_response("GET", "/x".into(), meta, b"").into_error()
    }

    fn timeout() -> Error {
        Error::Timeout(TimeoutError::new(
            "POST",
            "/x".into(),
            Duration::from_secs(1),
            None,
        ))
    }

    #[test]
    fn idempotent_calls_retry_transient_failures_only() {
        let p = RetryPolicy::default();
        for status in [429, 502, 503, 504] {
            assert!(p.allows(Safety::Idempotent, &api(status, &[])), "{status}");
        }
        for status in [400, 401, 402, 404, 413, 500, 501] {
            assert!(!p.allows(Safety::Idempotent, &api(status, &[])), "{status}");
        }
        assert!(p.allows(Safety::Idempotent, &timeout()));
    }

    #[test]
    fn credit_calls_retry_only_unprocessed_requests_by_default() {
        let p = RetryPolicy::default();
        assert!(p.allows(Safety::CreditCharging, &api(429, &[])));
        for status in [500, 502, 503, 504] {
            assert!(
                !p.allows(Safety::CreditCharging, &api(status, &[])),
                "{status}"
            );
        }
        assert!(!p.allows(Safety::CreditCharging, &timeout()));
        let opted = p.retry_credit_calls_after_ambiguous_failures(true);
        assert!(opted.allows(Safety::CreditCharging, &timeout()));
        assert!(opted.allows(Safety::CreditCharging, &api(503, &[])));
        assert!(!opted.allows(Safety::CreditCharging, &api(500, &[])));
    }

    #[test]
    fn server_hints_replace_backoff_and_long_hints_give_up() {
        let p = RetryPolicy::default();
        let mut rng = Jitter::with_seed(7);
        let e = api(429, &[("retry-after", "2")]);
        assert_eq!(
            p.next_wait(Safety::CreditCharging, &e, 1, Duration::ZERO, &mut rng),
            Some(Duration::from_secs(2))
        );
        let e = api(429, &[("ratelimit-reset", "1")]);
        assert_eq!(
            p.next_wait(Safety::Idempotent, &e, 1, Duration::ZERO, &mut rng),
            Some(Duration::from_secs(1))
        );
        let e = api(429, &[("retry-after", "120")]);
        assert_eq!(
            p.next_wait(Safety::Idempotent, &e, 1, Duration::ZERO, &mut rng),
            None
        );
        // On a 503, RateLimit-Reset is the rate-limit window, not a hint: backoff applies.
        let e = api(503, &[("ratelimit-reset", "900")]);
        let wait = p
            .next_wait(Safety::Idempotent, &e, 1, Duration::ZERO, &mut rng)
            .unwrap();
        assert!(wait >= Duration::from_millis(250) && wait <= Duration::from_millis(500));
    }

    #[test]
    fn attempts_and_elapsed_time_are_bounded() {
        let p = RetryPolicy::default().with_max_attempts(3);
        let mut rng = Jitter::with_seed(1);
        let e = api(503, &[]);
        assert!(
            p.next_wait(Safety::Idempotent, &e, 2, Duration::ZERO, &mut rng)
                .is_some()
        );
        assert!(
            p.next_wait(Safety::Idempotent, &e, 3, Duration::ZERO, &mut rng)
                .is_none()
        );
        let late = Duration::from_secs(60);
        assert!(
            p.next_wait(Safety::Idempotent, &e, 1, late, &mut rng)
                .is_none()
        );
        assert!(
            RetryPolicy::none()
                .next_wait(Safety::Idempotent, &e, 1, Duration::ZERO, &mut rng)
                .is_none()
        );
    }

    #[test]
    fn jitter_covers_its_range() {
        let mut rng = Jitter::with_seed(3);
        let mut seen = [0u32; 5];
        for _ in 0..5_000 {
            seen[rng.up_to(4) as usize] += 1;
        }
        // About 1,000 each; a bias or a stuck generator lands far outside.
        assert!(seen.iter().all(|n| (800..1200).contains(n)), "{seen:?}");
        assert_eq!(rng.up_to(0), 0);
        assert_ne!(Jitter::new().next_u64(), Jitter::new().next_u64());
    }

    #[test]
    fn waits_grow_by_the_factor_exactly_up_to_the_cap() {
        let backoff = |first_ms, factor, max_ms| Backoff {
            first: Duration::from_millis(first_ms),
            factor,
            max: Duration::from_millis(max_ms),
        };
        let waits = |b: Backoff| (1..=6).map(|n| b.nth(n).as_millis()).collect::<Vec<_>>();
        assert_eq!(
            waits(backoff(100, 2.0, 1000)),
            [100, 200, 400, 800, 1000, 1000]
        );
        assert_eq!(
            waits(backoff(2000, 1.5, 15000)),
            [2000, 3000, 4500, 6750, 10125, 15000]
        );
        assert_eq!(waits(backoff(0, 2.0, 1000)), [0; 6]);
        assert_eq!(
            backoff(100, 2.0, 1000).nth(u32::MAX),
            Duration::from_secs(1)
        );
    }

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        let p = RetryPolicy::default()
            .with_initial_backoff(Duration::from_millis(100))
            .with_max_wait(Duration::from_millis(1000));
        let mut rng = Jitter::with_seed(42);
        for _ in 0..200 {
            let first = p.backoff(1, &mut rng);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100));
            let third = p.backoff(3, &mut rng);
            assert!(third >= Duration::from_millis(200) && third <= Duration::from_millis(400));
            let capped = p.backoff(30, &mut rng);
            assert!(capped >= Duration::from_millis(500) && capped <= Duration::from_millis(1000));
        }
    }
}
