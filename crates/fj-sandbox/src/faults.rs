//! Fault injection: what the next responses should suffer, and a request counter.
//!
//! Off by default. Faults are queued with [`SandboxHandle::inject`](super::SandboxHandle::inject)
//! and consumed one per request, in arrival order, whatever the request is; a constant added
//! latency is set apart with [`SandboxHandle::set_latency`](super::SandboxHandle::set_latency).

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// Something to go wrong with one response.
///
/// "Processed" below means the request takes effect (a create creates and charges) even though
/// the client does not get a usable answer: the case a client must not blindly retry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Wait this long before handling the request, then answer normally.
    Latency(Duration),
    /// Answer this status with the error envelope, without processing the request (as a gateway
    /// in front of the API would). 429 and 503 also carry `Retry-After: 1`. A code outside
    /// 100..=999 is answered as 500.
    Status(u16),
    /// Process the request, then close the connection without sending any byte of the answer.
    CloseBeforeResponse,
    /// Process the request, send the status, the headers (with the full `Content-Length`) and
    /// half of the body, then close the connection.
    CloseMidBody,
    /// Process the request and send only the first half of its JSON body (a complete HTTP
    /// message whose body is not valid JSON).
    MalformedBody,
    /// Process the request and answer without `X-Request-Id`, `X-Powered-By`,
    /// `Access-Control-Allow-Credentials`, the `RateLimit-*` headers and `ETag`.
    MissingHeaders,
}

/// What a request meets on arrival.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Arrival {
    /// The request's number in this sandbox, from 0.
    pub(crate) seq: u64,
    pub(crate) fault: Option<Fault>,
    /// The constant added latency.
    pub(crate) latency: Duration,
}

/// The fault queue, the constant latency and the request counter, under one lock: every
/// request takes it once, and the two cores of a loaded sandbox meet on one lock, not three.
#[derive(Debug, Default)]
pub(crate) struct Faults(Mutex<State>);

#[derive(Debug, Default)]
struct State {
    queue: VecDeque<(Fault, u32)>,
    latency: Duration,
    seen: u64,
}

impl Faults {
    pub(crate) fn new(latency: Duration) -> Self {
        Faults(Mutex::new(State {
            latency,
            ..State::default()
        }))
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Counts a request and takes the fault it should suffer, if any.
    pub(crate) fn arrive(&self) -> Arrival {
        let mut state = self.lock();
        let seq = state.seen;
        state.seen += 1;
        let fault = state.queue.front_mut().map(|(fault, left)| {
            *left -= 1;
            *fault
        });
        if state.queue.front().is_some_and(|(_, left)| *left == 0) {
            state.queue.pop_front();
        }
        Arrival {
            seq,
            fault,
            latency: state.latency,
        }
    }

    pub(crate) fn push(&self, fault: Fault, times: u32) {
        if times > 0 {
            self.lock().queue.push_back((fault, times));
        }
    }

    pub(crate) fn clear(&self) {
        self.lock().queue.clear();
    }

    pub(crate) fn set_latency(&self, latency: Duration) {
        self.lock().latency = latency;
    }

    pub(crate) fn seen(&self) -> u64 {
        self.lock().seen
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_are_consumed_in_order() {
        let faults = Faults::new(Duration::ZERO);
        faults.push(Fault::Status(503), 2);
        faults.push(Fault::MalformedBody, 0);
        faults.push(Fault::MissingHeaders, 1);
        let got: Vec<_> = (0..4).map(|_| faults.arrive().fault).collect();
        assert_eq!(
            got,
            [
                Some(Fault::Status(503)),
                Some(Fault::Status(503)),
                Some(Fault::MissingHeaders),
                None
            ]
        );
        assert_eq!(faults.seen(), 4);
        faults.push(Fault::CloseMidBody, 5);
        faults.clear();
        assert_eq!(faults.arrive().fault, None);
        assert_eq!(faults.arrive().seq, 5);
    }
}
