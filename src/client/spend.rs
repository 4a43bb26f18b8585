//! Counting the credits a client spends, and refusing credit-charging calls past a cap.
//!
//! Every credit-charging attempt first *reserves* its expected cost: the reservation succeeds
//! only while the credits already spent, plus those reserved by attempts in flight, plus its own
//! cost stay within the cap. The check and the reservation are one atomic update, so concurrent
//! calls cannot all pass the check before any of them counts. When the answer arrives the
//! reservation is *settled* to the amount the answer reports; when the attempt provably charged
//! nothing (no connection, or a status meaning the call was refused) it is *released*; in every
//! other case (timeout, 5xx, a dropped connection, a cancelled call, an unreadable success) it is
//! settled at the expected cost, since the server may have charged.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::Error;

/// The credits the client expects each credit-charging call to cost: what it reserves against
/// the cap before sending, and what it counts when an answer does not say what it charged.
///
/// The reference documents only Create's price (5, in its example's `creditInfo`). The other
/// defaults are assumptions, the same as the crate's sandbox charges: Update re-runs a search
/// like Create, Fetch More runs one more batch, and a contact reveal costs 1. Set them to your
/// plan's prices: the closer they are, the tighter the cap (see
/// [`ClientBuilder::credit_cap`](crate::ClientBuilder::credit_cap)).
///
/// ```
/// # #[cfg(not(any(feature = "rustls", feature = "native-tls")))] fn main() {} // build() needs TLS
/// # #[cfg(any(feature = "rustls", feature = "native-tls"))]
/// # fn main() -> Result<(), fj_sourcing::Error> {
/// use fj_sourcing::{Client, CreditCosts};
///
/// let client = Client::builder()
///     .api_key("fjk_YOUR_API_KEY_HERE")
///     .credit_cap(200)
///     .credit_costs(CreditCosts { reveal: 2, ..CreditCosts::DEFAULT })
///     .build()?;
/// assert_eq!(client.credit_costs().reveal, 2);
/// assert_eq!(client.credit_costs().create, 5);
/// # Ok(()) }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CreditCosts {
    /// Create Sourcing Session (documented: 5).
    pub create: u64,
    /// Update Session (assumed: 5).
    pub update: u64,
    /// Fetch More Profiles (assumed: 5).
    pub fetch_more: u64,
    /// Reveal Contact, one contact type of one candidate (assumed: 1).
    pub reveal: u64,
}

impl CreditCosts {
    /// 5 for Create (as documented), 5 for Update, 5 for Fetch More, 1 per Reveal Contact.
    pub const DEFAULT: CreditCosts = CreditCosts {
        create: 5,
        update: 5,
        fetch_more: 5,
        reveal: 1,
    };

    fn of(&self, operation: Charging) -> u64 {
        match operation {
            Charging::Create => self.create,
            Charging::Update => self.update,
            Charging::FetchMore => self.fetch_more,
            Charging::Reveal => self.reveal,
        }
    }
}

impl Default for CreditCosts {
    fn default() -> Self {
        CreditCosts::DEFAULT
    }
}

/// The credit-charging operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Charging {
    Create,
    Update,
    FetchMore,
    Reveal,
}

/// A client's running total and cap, shared by all its clones.
#[derive(Debug)]
pub(crate) struct Spend {
    cap: Option<u64>,
    costs: CreditCosts,
    /// Credits spent (settled).
    spent: AtomicU64,
    /// Credits spent plus credits reserved by attempts in flight: what the cap is checked
    /// against.
    committed: AtomicU64,
}

impl Spend {
    pub(crate) fn new(cap: Option<u64>, costs: CreditCosts) -> Self {
        Spend {
            cap,
            costs,
            spent: AtomicU64::new(0),
            committed: AtomicU64::new(0),
        }
    }

    pub(crate) fn cap(&self) -> Option<u64> {
        self.cap
    }

    pub(crate) fn costs(&self) -> &CreditCosts {
        &self.costs
    }

    pub(crate) fn spent(&self) -> u64 {
        self.spent.load(Ordering::SeqCst)
    }

    /// Reserves the expected cost of one attempt of `operation`, or refuses with
    /// [`Error::CreditCap`] when the cap is reached or the cost would pass it.
    pub(crate) fn reserve(&self, operation: Charging) -> Result<Reservation<'_>, Error> {
        let amount = self.costs.of(operation);
        let update = self
            .committed
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |committed| {
                match self.cap {
                    Some(cap) if committed >= cap || committed.saturating_add(amount) > cap => None,
                    _ => Some(committed.saturating_add(amount)),
                }
            });
        match update {
            Ok(_) => Ok(Reservation {
                spend: self,
                amount,
                open: true,
            }),
            Err(committed) => Err(Error::CreditCap {
                // Only refused when there is a cap.
                cap: self.cap.unwrap_or(u64::MAX),
                spent: committed,
            }),
        }
    }

    fn close(&self, reserved: u64, charged: u64) {
        let _ = self
            .spent
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |spent| {
                Some(spent.saturating_add(charged))
            });
        // One atomic step, so the cap is never checked against a half-settled total.
        let _ = self
            .committed
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |committed| {
                Some(committed.saturating_sub(reserved).saturating_add(charged))
            });
    }
}

/// Credits held for one attempt in flight. Dropped without being settled or released (the call
/// was cancelled), it counts its expected cost as spent: the request may have been charged.
#[derive(Debug)]
#[must_use = "a reservation is settled or released once the attempt's outcome is known"]
pub(crate) struct Reservation<'a> {
    spend: &'a Spend,
    amount: u64,
    open: bool,
}

impl Reservation<'_> {
    /// The attempt's answer reported a charge of `reported` credits, or reported none (then
    /// its expected cost is counted).
    pub(crate) fn settle_reported(self, reported: Option<u64>) {
        let charged = reported.unwrap_or(self.amount);
        self.settle(charged);
    }

    /// The attempt may have been charged, and nothing says how much: its expected cost.
    pub(crate) fn settle_expected(self) {
        self.settle_reported(None);
    }

    /// The attempt was charged `charged` credits.
    pub(crate) fn settle(mut self, charged: u64) {
        self.open = false;
        self.spend.close(self.amount, charged);
    }

    /// The attempt provably charged nothing.
    pub(crate) fn release(self) {
        self.settle(0);
    }
}

impl Drop for Reservation<'_> {
    fn drop(&mut self) {
        if self.open {
            self.spend.close(self.amount, self.amount);
        }
    }
}

/// Whether a failed attempt of `operation` provably charged nothing: the connection was never
/// established, or the status says the call was refused (400 invalid, 401 bad key, 402 not
/// enough credits, 429 rate limited). A 404 means nothing was found to act on for Update and
/// Fetch More; for Reveal Contact the reference leaves open whether a 404 is charged, so it is
/// counted. Everything else (timeouts, broken connections, 5xx, other statuses, an unreadable
/// success) may have been charged.
pub(crate) fn charged_nothing(operation: Charging, error: &Error) -> bool {
    if error.is_connect() {
        return true;
    }
    let Some(api) = error.api_error() else {
        return false;
    };
    match api.status().as_u16() {
        400 | 401 | 402 | 429 => true,
        404 => operation != Charging::Reveal,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn costs(create: u64) -> CreditCosts {
        CreditCosts {
            create,
            ..CreditCosts::DEFAULT
        }
    }

    #[test]
    fn refuses_once_the_cap_is_reached_or_would_be_passed() {
        let spend = Spend::new(Some(12), costs(5));
        spend.reserve(Charging::Create).unwrap().settle(5);
        spend.reserve(Charging::Create).unwrap().settle(5);
        // 10 spent: 5 more would pass 12.
        let refused = spend.reserve(Charging::Create).unwrap_err();
        assert!(matches!(refused, Error::CreditCap { cap: 12, spent: 10 }));
        // A reveal (1) still fits, twice; then the cap is reached and everything is refused.
        spend.reserve(Charging::Reveal).unwrap().settle(1);
        spend.reserve(Charging::Reveal).unwrap().settle(1);
        let refused = spend.reserve(Charging::Reveal).unwrap_err();
        assert!(matches!(refused, Error::CreditCap { cap: 12, spent: 12 }));
        assert_eq!(spend.spent(), 12);
    }

    #[test]
    fn reservations_in_flight_count_against_the_cap() {
        let spend = Spend::new(Some(10), costs(5));
        let a = spend.reserve(Charging::Create).unwrap();
        let b = spend.reserve(Charging::Create).unwrap();
        assert!(matches!(
            spend.reserve(Charging::Create),
            Err(Error::CreditCap { cap: 10, spent: 10 })
        ));
        assert_eq!(spend.spent(), 0, "nothing settled yet");
        a.release();
        b.settle(5);
        assert_eq!(spend.spent(), 5);
        spend.reserve(Charging::Create).unwrap().settle(5);
        assert_eq!(spend.spent(), 10);
    }

    #[test]
    fn settling_to_the_reported_amount_frees_or_takes_the_difference() {
        let spend = Spend::new(Some(10), costs(5));
        // Reported free (a repeated reveal, or charged: false).
        spend.reserve(Charging::Create).unwrap().settle(0);
        // Reported dearer than expected: counted as reported, past the cap.
        spend.reserve(Charging::Create).unwrap().settle(11);
        assert_eq!(spend.spent(), 11);
        assert!(matches!(
            spend.reserve(Charging::Reveal),
            Err(Error::CreditCap { cap: 10, spent: 11 })
        ));
    }

    #[test]
    fn a_dropped_reservation_counts_as_spent() {
        let spend = Spend::new(None, costs(5));
        drop(spend.reserve(Charging::Create).unwrap());
        assert_eq!(spend.spent(), 5);
    }

    #[test]
    fn without_a_cap_nothing_is_refused_and_everything_is_counted() {
        let spend = Spend::new(None, costs(u64::MAX));
        spend.reserve(Charging::Create).unwrap().settle(u64::MAX);
        spend.reserve(Charging::Create).unwrap().settle(3);
        assert_eq!(spend.spent(), u64::MAX, "saturates");
    }

    #[test]
    fn a_zero_cost_call_is_refused_once_the_cap_is_reached() {
        let spend = Spend::new(
            Some(1),
            CreditCosts {
                reveal: 0,
                ..costs(1)
            },
        );
        spend.reserve(Charging::Reveal).unwrap().settle(0);
        spend.reserve(Charging::Create).unwrap().settle(1);
        assert!(spend.reserve(Charging::Reveal).is_err());
    }

    #[test]
    fn a_cap_of_zero_refuses_everything() {
        let spend = Spend::new(
            Some(0),
            CreditCosts {
                reveal: 0,
                ..costs(5)
            },
        );
        assert!(spend.reserve(Charging::Reveal).is_err());
        assert!(spend.reserve(Charging::Create).is_err());
    }
}
