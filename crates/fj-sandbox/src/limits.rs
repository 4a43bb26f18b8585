//! Rate limiting (a fixed window shared by every request) and the credit ledger.

use axum::http::HeaderValue;
use std::collections::VecDeque;
use std::fmt;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::envelope::ApiError;

/// A credit-consuming operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Operation {
    /// Create Sourcing Session.
    Create,
    /// Update Session.
    Update,
    /// Fetch More Profiles.
    FetchMore,
    /// Reveal Contact, for one contact type.
    Reveal(RevealType),
}

impl Operation {
    /// The `creditInfo.reason`-style wording of the operation.
    pub fn reason(self) -> &'static str {
        match self {
            Operation::Create => "Sourcing Session Created",
            Operation::Update => "Sourcing Session Updated",
            Operation::FetchMore => "More Profiles Fetched",
            Operation::Reveal(RevealType::Email) => "Email Revealed",
            Operation::Reveal(RevealType::Phone) => "Phone Revealed",
        }
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Operation::Create => "creating a session",
            Operation::Update => "updating a session",
            Operation::FetchMore => "fetching more profiles",
            Operation::Reveal(RevealType::Email) => "revealing an email",
            Operation::Reveal(RevealType::Phone) => "revealing a phone number",
        })
    }
}

/// The contact a Reveal Contact call asks for: the client's type, so both sides share one
/// wire mapping.
use fj_sourcing_query::RevealType;

/// One debit of the workspace's credits, as recorded by the sandbox.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Charge {
    /// What was paid for.
    pub operation: Operation,
    /// Credits taken.
    pub amount: u64,
    /// The session the operation was about.
    pub session_id: String,
    /// The balance right after this charge.
    pub remaining: u64,
}

/// A [`Charge`] as the ledger keeps it: the session by its sequence number (see
/// `ids::session_id`) instead of its 24-character id, 32 bytes in all and no heap block.
#[derive(Clone, Copy, Debug)]
struct Entry {
    operation: Operation,
    amount: u64,
    session: u64,
    remaining: u64,
}

/// The workspace balance and the charges made against it: all of them, or with
/// `max_sessions`, every charge made since the oldest stored session was created.
#[derive(Debug)]
pub(crate) struct Ledger {
    balance: u64,
    entries: VecDeque<Entry>,
}

impl Ledger {
    pub(crate) fn new(balance: u64) -> Self {
        Ledger {
            balance,
            entries: VecDeque::new(),
        }
    }

    pub(crate) fn balance(&self) -> u64 {
        self.balance
    }

    pub(crate) fn set_balance(&mut self, balance: u64) {
        self.balance = balance;
    }

    /// The charges, oldest first; `session_id` turns a session's sequence number into its id.
    pub(crate) fn charges(&self, session_id: impl Fn(u64) -> String) -> Vec<Charge> {
        self.entries
            .iter()
            .map(|e| Charge {
                operation: e.operation,
                amount: e.amount,
                session_id: session_id(e.session),
                remaining: e.remaining,
            })
            .collect()
    }

    /// Fails with 402, changing nothing, when the balance cannot cover `amount`.
    pub(crate) fn ensure(&self, operation: Operation, amount: u64) -> Result<(), ApiError> {
        if self.balance < amount {
            return Err(ApiError::payment_required(
                &operation.to_string(),
                amount,
                self.balance,
            ));
        }
        Ok(())
    }

    /// Takes `amount` (already checked with [`ensure`](Self::ensure)) for the session with
    /// sequence number `session`; returns the new balance.
    pub(crate) fn charge(&mut self, operation: Operation, amount: u64, session: u64) -> u64 {
        self.balance = self.balance.saturating_sub(amount);
        crate::journal::note_charge(amount);
        self.entries.push_back(Entry {
            operation,
            amount,
            session,
            remaining: self.balance,
        });
        self.balance
    }

    /// Drops the oldest charges as long as they belong to sessions older than `first_kept`.
    ///
    /// Every session's first charge is its create, made before any charge of a newer session,
    /// so what remains is exactly the charges made since session `first_kept` was created.
    pub(crate) fn forget_before(&mut self, first_kept: u64) {
        while self.entries.front().is_some_and(|e| e.session < first_kept) {
            self.entries.pop_front();
        }
    }
}

/// The outcome of counting one request against the rate limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RateDecision {
    pub(crate) allowed: bool,
    pub(crate) limit: u32,
    pub(crate) remaining: u32,
    /// Whole seconds until the window starts over (rounded up).
    pub(crate) reset_secs: u64,
}

#[derive(Debug)]
struct Window {
    start: Instant,
    used: u32,
}

/// A fixed-window limiter: `limit` requests per `window`, the window starting at its first
/// request. Every request counts, whatever its answer (401 and 404 included).
#[derive(Debug)]
pub(crate) struct RateLimiter {
    limit: u32,
    window: Duration,
    /// The `RateLimit-Policy` value, e.g. `100;w=60`: every answer carries it.
    policy: HeaderValue,
    current: Mutex<Option<Window>>,
}

impl RateLimiter {
    pub(crate) fn new(limit: u32, window: Duration) -> Self {
        let window = window.max(Duration::from_millis(1));
        let policy = format!("{limit};w={}", ceil_secs(window).max(1));
        RateLimiter {
            limit,
            window,
            policy: HeaderValue::try_from(policy).expect("digits and ;w= are header-safe"),
            current: Mutex::new(None),
        }
    }

    /// The `RateLimit-Policy` value, e.g. `100;w=60`.
    pub(crate) fn policy(&self) -> &HeaderValue {
        &self.policy
    }

    pub(crate) fn check(&self, now: Instant) -> RateDecision {
        let mut current = self.current.lock().unwrap_or_else(PoisonError::into_inner);
        let window = match current.as_mut() {
            Some(w) if now.duration_since(w.start) < self.window => w,
            _ => current.insert(Window {
                start: now,
                used: 0,
            }),
        };
        let allowed = window.used < self.limit;
        if allowed {
            window.used += 1;
        }
        let left = self.window.saturating_sub(now.duration_since(window.start));
        RateDecision {
            allowed,
            limit: self.limit,
            remaining: self.limit - window.used,
            reset_secs: ceil_secs(left).max(1),
        }
    }
}

fn ceil_secs(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_spends_then_resets() {
        let limiter = RateLimiter::new(2, Duration::from_secs(10));
        let t0 = Instant::now();
        let a = limiter.check(t0);
        assert!(a.allowed);
        assert_eq!((a.remaining, a.reset_secs), (1, 10));
        assert!(limiter.check(t0 + Duration::from_millis(1500)).allowed);
        let c = limiter.check(t0 + Duration::from_millis(2500));
        assert!(!c.allowed);
        assert_eq!((c.remaining, c.reset_secs), (0, 8));
        assert!(limiter.check(t0 + Duration::from_secs(10)).allowed);
        assert_eq!(limiter.policy(), "2;w=10");
    }

    #[test]
    fn ledger_refuses_overdraft() {
        let mut ledger = Ledger::new(7);
        assert!(ledger.ensure(Operation::Create, 5).is_ok());
        assert_eq!(ledger.charge(Operation::Create, 5, 0), 2);
        let err = ledger.ensure(Operation::Create, 5).unwrap_err();
        assert_eq!(err.status.as_u16(), 402);
        assert_eq!(ledger.balance(), 2);
        assert_eq!(
            ledger.charges(|seq| format!("s{seq}")),
            [Charge {
                operation: Operation::Create,
                amount: 5,
                session_id: "s0".to_owned(),
                remaining: 2,
            }]
        );
    }

    #[test]
    fn ledger_forgets_charges_of_sessions_before_the_oldest_kept() {
        let mut ledger = Ledger::new(100);
        ledger.charge(Operation::Create, 5, 0);
        ledger.charge(Operation::Create, 5, 1);
        ledger.charge(Operation::Update, 5, 0);
        ledger.charge(Operation::Create, 5, 2);
        ledger.forget_before(1);
        // Session 0's update stays: it was made after session 1 was created.
        let kept: Vec<(Operation, String)> = ledger
            .charges(|seq| seq.to_string())
            .into_iter()
            .map(|c| (c.operation, c.session_id))
            .collect();
        assert_eq!(
            kept,
            [
                (Operation::Create, "1".to_owned()),
                (Operation::Update, "0".to_owned()),
                (Operation::Create, "2".to_owned()),
            ]
        );
        ledger.forget_before(3);
        assert_eq!(ledger.charges(|seq| seq.to_string()), []);
    }
}
