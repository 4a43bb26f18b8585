//! Failures below HTTP: timeouts and transport errors, each with reqwest's error as its source.

use std::time::Duration;

use super::Call;

/// The request ran past the configured timeout.
///
/// Its [`source()`](std::error::Error::source) is reqwest's error, when the timeout came from
/// reqwest (always, for the client's own calls).
#[derive(Debug, thiserror::Error)]
#[error("{call} timed out after {after:?} (the server may still have processed it)")]
pub struct TimeoutError {
    call: Call,
    after: Duration,
    source: Option<reqwest::Error>,
}

impl TimeoutError {
    pub(crate) fn new(
        method: &'static str,
        path: String,
        after: Duration,
        source: Option<reqwest::Error>,
    ) -> Self {
        TimeoutError {
            call: Call { method, path },
            after,
            // The URL can carry a LinkedIn URL in its query; the path above is enough context.
            source: source.map(reqwest::Error::without_url),
        }
    }

    /// The method of the call.
    pub fn method(&self) -> &'static str {
        self.call.method
    }

    /// The path of the call.
    pub fn path(&self) -> &str {
        &self.call.path
    }

    /// The timeout that was exceeded.
    pub fn after(&self) -> Duration {
        self.after
    }
}

/// A failure below HTTP: no connection, TLS failure, connection reset, unreadable body.
///
/// `Display` names the call; what happened is the [`source()`](std::error::Error::source),
/// reqwest's error, and the causes below it.
#[derive(Debug, thiserror::Error)]
#[error("{} {call}", if *.connect { "could not connect for" } else { "request failed:" })]
pub struct TransportError {
    call: Call,
    connect: bool,
    source: reqwest::Error,
}

impl TransportError {
    pub(crate) fn new(method: &'static str, path: String, source: reqwest::Error) -> Self {
        TransportError {
            call: Call { method, path },
            connect: source.is_connect(),
            // The URL can carry a LinkedIn URL in its query; the path above is enough context.
            source: source.without_url(),
        }
    }

    /// The method of the call.
    pub fn method(&self) -> &'static str {
        self.call.method
    }

    /// The path of the call.
    pub fn path(&self) -> &str {
        &self.call.path
    }

    /// Whether the connection could not be established, so the request never reached the server.
    pub fn is_connect(&self) -> bool {
        self.connect
    }
}
