//! The client's error type: one kind per documented status, plus transport, timeout and decoding.
//!
//! Every error names the call it is about (`POST /sourcing-session`) and, when the server answered,
//! its HTTP status, its message and the `X-Request-Id`. None of them can contain the API key: the
//! key lives only in a header value marked sensitive, and errors are built from the method, the
//! path, the status, headers other than the key, and the body.
//!
//! Each layer's `Display` says only its own part, and `source()` gives the error below it (the
//! `reqwest::Error` of a transport failure or a timeout, the `serde_json::Error` of a body that
//! does not decode), as the standard library's convention has it: print the chain (`{:#}` with
//! `anyhow`) to see every cause once.

mod api;
mod decode;
mod transport;

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;

pub use api::{ApiError, ApiProblem};
pub use decode::DecodeError;
pub use transport::{TimeoutError, TransportError};

use crate::model::ProfileMatchingStatus;

/// Longest body excerpt kept in an error, in bytes (cut at a character boundary).
const MAX_EXCERPT_BYTES: usize = 1024;

/// Everything a [`Client`](crate::Client) call can fail with.
///
/// ```no_run
/// use fj_sourcing::{Client, Error};
/// # async fn run(client: Client, request: fj_sourcing::SessionRequest) {
/// match client.create_session(&request).await {
///     Ok(created) => println!("created {:?}", created.id()),
///     Err(Error::PaymentRequired(e)) => eprintln!("top up credits: {}", e.message()),
///     Err(e) if e.is_retryable() => eprintln!("try again later: {e}"),
///     Err(e) => eprintln!("failed: {e} (request id {:?})", e.request_id()),
/// }
/// # }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// `400 Bad Request`: the server rejected the request's content; see [`Error::problems`].
    #[error("bad request: {0}")]
    BadRequest(ApiError),
    /// `401 Unauthorized`: the API key is missing, wrong or revoked.
    #[error("API key rejected: {0}")]
    Unauthorized(ApiError),
    /// `402 Payment Required`: not enough workspace credits.
    #[error("not enough credits: {0}")]
    PaymentRequired(ApiError),
    /// `404 Not Found`: the session, candidate or profile does not exist (or is in another workspace).
    #[error("not found: {0}")]
    NotFound(ApiError),
    /// `429 Too Many Requests`, after the retry policy gave up; see [`ApiError::retry_after`].
    #[error("rate limited: {0}{hint}", hint = RetryHint(.0.retry_after()))]
    RateLimited(ApiError),
    /// A `5xx` status.
    #[error("server error: {0}")]
    Server(ApiError),
    /// Any other non-success status (for example `413`, or a `3xx`: redirects are not followed,
    /// so the key is never sent to another host).
    #[error("unexpected HTTP status: {0}")]
    UnexpectedStatus(ApiError),
    /// The request did not complete within the configured timeout. It may have reached the
    /// server, so credit-charging calls are not retried after it by default.
    #[error(transparent)]
    Timeout(TimeoutError),
    /// The request failed below HTTP: connection refused, TLS, reset, broken body.
    #[error(transparent)]
    Transport(TransportError),
    /// A success status whose body is not what the reference documents.
    #[error(transparent)]
    Decode(DecodeError),
    /// The client configuration is unusable (missing key, bad base URL, plain `http://` to a
    /// non-loopback host, ...).
    #[error("invalid client configuration: {message}")]
    #[non_exhaustive]
    Config {
        /// What is wrong and how to fix it.
        message: String,
        /// reqwest's error, when reqwest could not set up its client.
        source: Option<reqwest::Error>,
    },
    /// An argument was refused before anything was sent (blank id, page 0, ...).
    #[error("invalid argument `{name}`: {message}")]
    #[non_exhaustive]
    InvalidArgument {
        /// The parameter's name.
        name: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// A credit-charging call was refused before any request was sent: the client's credit cap
    /// ([`ClientBuilder::credit_cap`](crate::ClientBuilder::credit_cap)) is reached, or this
    /// call's expected cost would pass it.
    #[error(
        "credit cap reached: {spent} of {cap} credits spent or reserved by calls in flight, too \
         few left for this call; no request was sent"
    )]
    #[non_exhaustive]
    CreditCap {
        /// The cap the client was built with.
        cap: u64,
        /// The credits counted against the cap when the call was refused: those spent, plus
        /// those reserved by credit-charging calls still in flight.
        spent: u64,
    },
    /// `Client::wait_until_done` reached its deadline before the
    /// session's matching was `done`.
    #[error(
        "session {session_id} was not done after {waited:?} ({polls} polls; last status {})",
        .last_status.as_ref().map_or("unknown", ProfileMatchingStatus::as_str)
    )]
    #[non_exhaustive]
    WaitTimeout {
        /// The session that was polled.
        session_id: String,
        /// How long the wait lasted.
        waited: Duration,
        /// How many times the session was fetched.
        polls: u32,
        /// The last `profileMatchingStatus` seen, if any.
        last_status: Option<ProfileMatchingStatus>,
    },
}

/// `; retry after 17s` when the server gave a hint.
struct RetryHint(Option<Duration>);

impl fmt::Display for RetryHint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(wait) => write!(f, "; retry after {wait:?}"),
            None => Ok(()),
        }
    }
}

impl Error {
    pub(crate) fn config(message: impl Into<String>) -> Self {
        Error::Config {
            message: message.into(),
            source: None,
        }
    }

    /// A configuration reqwest refused, with its error as the source.
    pub(crate) fn config_refused(message: impl Into<String>, source: reqwest::Error) -> Self {
        Error::Config {
            message: message.into(),
            source: Some(source),
        }
    }

    pub(crate) fn invalid_argument(name: &'static str, message: impl Into<String>) -> Self {
        Error::InvalidArgument {
            name,
            message: message.into(),
        }
    }

    /// The API error behind a status-based variant.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::BadRequest(e)
            | Error::Unauthorized(e)
            | Error::PaymentRequired(e)
            | Error::NotFound(e)
            | Error::RateLimited(e)
            | Error::Server(e)
            | Error::UnexpectedStatus(e) => Some(e),
            _ => None,
        }
    }

    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Decode(e) => Some(e.status()),
            other => other.api_error().map(ApiError::status),
        }
    }

    /// The server's `X-Request-Id`, when it answered with one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Decode(e) => e.request_id(),
            other => other.api_error().and_then(ApiError::request_id),
        }
    }

    /// The server's validation problems (only `400` responses carry them).
    pub fn problems(&self) -> &[ApiProblem] {
        self.api_error().map_or(&[], ApiError::problems)
    }

    /// How long the server asked to wait before retrying (`Retry-After`, else `RateLimit-Reset`).
    pub fn retry_after(&self) -> Option<Duration> {
        self.api_error().and_then(ApiError::retry_after)
    }

    /// Whether repeating the same idempotent call later could succeed: transport failures,
    /// timeouts, `429` and `502`/`503`/`504`.
    ///
    /// This is the rule the client's own retries use for reads. For credit-charging calls only
    /// [`Error::is_connect`] failures and `429` are known not to have been processed.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport(_) | Error::Timeout(_) | Error::RateLimited(_) => true,
            Error::Server(e) => matches!(e.status().as_u16(), 502..=504),
            _ => false,
        }
    }

    /// Whether the request provably never reached the server (the connection was not established).
    pub fn is_connect(&self) -> bool {
        matches!(self, Error::Transport(e) if e.is_connect())
    }

    /// Whether this is a [`Error::Timeout`].
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout(_))
    }
}

/// The method and path of a call: the context every error names, written `POST /path`.
#[derive(Clone, Debug)]
struct Call {
    method: &'static str,
    /// Relative to the base URL, query string left out.
    path: String,
}

impl fmt::Display for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

/// The call and what identifies the answer to it: `POST /path (HTTP 400, request id abc)`.
struct Answered<'a> {
    call: &'a Call,
    status: StatusCode,
    request_id: Option<&'a str>,
}

impl fmt::Display for Answered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (HTTP {}", self.call, self.status.as_u16())?;
        if let Some(id) = self.request_id {
            write!(f, ", request id {id}")?;
        }
        f.write_str(")")
    }
}

/// The body as text, cut to [`MAX_EXCERPT_BYTES`] at a character boundary.
fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    truncate(text.trim(), MAX_EXCERPT_BYTES)
}

fn truncate(text: &str, max_bytes: usize) -> String {
    if text.len() <= max_bytes {
        return text.to_owned();
    }
    let mut end = max_bytes;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}
