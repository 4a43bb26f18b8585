//! The client's error type: one kind per documented status, plus transport, timeout and decoding.
//!
//! Every error names the call it is about (`POST /sourcing-session`) and, when the server answered,
//! its HTTP status, its message and the `X-Request-Id`. None of them can contain the API key: the
//! key lives only in a header value marked sensitive, and errors are built from the method, the
//! path, the status, headers other than the key, and the body.

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::meta::ResponseMeta;
use crate::model::ProfileMatchingStatus;

/// Longest body excerpt kept in an error, in bytes (cut at a character boundary).
const MAX_EXCERPT_BYTES: usize = 1024;
/// Longest server message kept, in characters.
const MAX_MESSAGE_CHARS: usize = 512;

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
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// `400 Bad Request`: the server rejected the request's content; see [`Error::problems`].
    BadRequest(ApiError),
    /// `401 Unauthorized`: the API key is missing, wrong or revoked.
    Unauthorized(ApiError),
    /// `402 Payment Required`: not enough workspace credits.
    PaymentRequired(ApiError),
    /// `404 Not Found`: the session, candidate or profile does not exist (or is in another workspace).
    NotFound(ApiError),
    /// `429 Too Many Requests`, after the retry policy gave up; see [`ApiError::retry_after`].
    RateLimited(ApiError),
    /// A `5xx` status.
    Server(ApiError),
    /// Any other non-success status (for example `413`, or a `3xx`: redirects are not followed,
    /// so the key is never sent to another host).
    UnexpectedStatus(ApiError),
    /// The request did not complete within the configured timeout. It may have reached the
    /// server, so credit-charging calls are not retried after it by default.
    Timeout(TimeoutError),
    /// The request failed below HTTP: connection refused, TLS, reset, broken body.
    Transport(TransportError),
    /// A success status whose body is not what the reference documents.
    Decode(DecodeError),
    /// The client configuration is unusable (missing key, bad base URL, plain `http://` to a
    /// non-loopback host, ...).
    Config {
        /// What is wrong and how to fix it.
        message: String,
    },
    /// An argument was refused before anything was sent (blank id, page 0, ...).
    InvalidArgument {
        /// The parameter's name.
        name: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// A credit-charging call was refused before any request was sent: the client's credit cap
    /// ([`ClientBuilder::credit_cap`](crate::ClientBuilder::credit_cap)) is reached, or this
    /// call's expected cost would pass it.
    CreditCap {
        /// The cap the client was built with.
        cap: u64,
        /// The credits counted against the cap when the call was refused: those spent, plus
        /// those reserved by credit-charging calls still in flight.
        spent: u64,
    },
    /// `Client::wait_until_done` reached its deadline before the
    /// session's matching was `done`.
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

// `Display` and `Error` by hand rather than with `thiserror`: the derive's proc-macro crate was
// 1.6% of a downstream application's cold build (docs/benchmarks.md, section 7), for thirteen
// lines of messages. No variant has a `source()`: each wraps its own error type, whose `Display`
// already says what happened, and `TransportError::source` gives reqwest's cause.
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::BadRequest(e) => write!(f, "bad request: {e}"),
            Error::Unauthorized(e) => write!(f, "API key rejected: {e}"),
            Error::PaymentRequired(e) => write!(f, "not enough credits: {e}"),
            Error::NotFound(e) => write!(f, "not found: {e}"),
            Error::RateLimited(e) => write!(f, "rate limited: {e}{}", RetryHint(e.retry_after())),
            Error::Server(e) => write!(f, "server error: {e}"),
            Error::UnexpectedStatus(e) => write!(f, "unexpected HTTP status: {e}"),
            Error::Timeout(e) => write!(f, "{e}"),
            Error::Transport(e) => write!(f, "{e}"),
            Error::Decode(e) => write!(f, "{e}"),
            Error::Config { message } => write!(f, "invalid client configuration: {message}"),
            Error::InvalidArgument { name, message } => {
                write!(f, "invalid argument `{name}`: {message}")
            }
            Error::CreditCap { cap, spent } => write!(
                f,
                "credit cap reached: {spent} of {cap} credits spent or reserved by calls in \
                 flight, too few left for this call; no request was sent"
            ),
            Error::WaitTimeout {
                session_id,
                waited,
                polls,
                last_status,
            } => write!(
                f,
                "session {session_id} was not done after {waited:?} ({polls} polls; last status {})",
                last_status.as_ref().map_or("unknown", |s| s.as_str())
            ),
        }
    }
}

impl std::error::Error for Error {}

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

/// An error status from the API, with what the server said about it.
///
/// `Display` reads `POST /sourcing-session (HTTP 400, request id abc): message [problems]`.
#[derive(Clone)]
pub struct ApiError {
    inner: Box<ApiErrorInner>,
}

#[derive(Clone, Debug)]
struct ApiErrorInner {
    call: Call,
    message: String,
    problems: Vec<ApiProblem>,
    body_excerpt: String,
    meta: ResponseMeta,
}

impl ApiError {
    /// The method of the call.
    pub fn method(&self) -> &'static str {
        self.inner.call.method
    }

    /// The path of the call, relative to the base URL (query string left out).
    pub fn path(&self) -> &str {
        &self.inner.call.path
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.inner.meta.status()
    }

    /// The server's message: the JSON body's `message` when there is one, else the body text
    /// (bounded), else the status's reason phrase.
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// Validation problems from the JSON body's `errors` list (empty when there is none).
    pub fn problems(&self) -> &[ApiProblem] {
        &self.inner.problems
    }

    /// `X-Request-Id`.
    pub fn request_id(&self) -> Option<&str> {
        self.inner.meta.request_id()
    }

    /// The start of the body as text (at most 1 KiB).
    pub fn body_excerpt(&self) -> &str {
        &self.inner.body_excerpt
    }

    /// How long the server asked to wait: `Retry-After`, and for a `429` without it,
    /// `RateLimit-Reset` (on other statuses that header is the rate-limit window, not a hint).
    pub fn retry_after(&self) -> Option<Duration> {
        let rate_limit = self.inner.meta.rate_limit();
        if self.status() == StatusCode::TOO_MANY_REQUESTS {
            rate_limit.wait_hint()
        } else {
            rate_limit.retry_after()
        }
    }

    /// All metadata of the error response (rate limits, `ETag`, attempts).
    pub fn meta(&self) -> &ResponseMeta {
        &self.inner.meta
    }

    /// Reads an error response; never fails, whatever the body is.
    pub(crate) fn from_response(
        method: &'static str,
        path: String,
        meta: ResponseMeta,
        body: &[u8],
    ) -> Self {
        let (message, problems) = server_message(body, meta.status());
        ApiError {
            inner: Box::new(ApiErrorInner {
                call: Call { method, path },
                message,
                problems,
                body_excerpt: excerpt(body),
                meta,
            }),
        }
    }

    /// Sorts the error into its [`Error`] kind by status.
    pub(crate) fn into_error(self) -> Error {
        match self.status().as_u16() {
            400 => Error::BadRequest(self),
            401 => Error::Unauthorized(self),
            402 => Error::PaymentRequired(self),
            404 => Error::NotFound(self),
            429 => Error::RateLimited(self),
            500..=599 => Error::Server(self),
            _ => Error::UnexpectedStatus(self),
        }
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("ApiError")
            .field("method", &i.call.method)
            .field("path", &i.call.path)
            .field("status", &i.meta.status())
            .field("message", &i.message)
            .field("problems", &i.problems)
            .field("request_id", &i.meta.request_id())
            .field("body_excerpt", &i.body_excerpt)
            .finish()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (HTTP {}", self.inner.call, self.status().as_u16())?;
        if let Some(id) = self.request_id() {
            write!(f, ", request id {id}")?;
        }
        write!(f, "): {}", self.message())?;
        if !self.problems().is_empty() {
            f.write_str(" [")?;
            fj_sourcing_query::write_problems(f, self.problems())?;
            f.write_str("]")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// One entry of a `400` body's `errors` list: `{"path", "kind", "message"}`.
///
/// No error body is documented by FutureJobs; this is the shape the crate's sandbox answers with.
/// Every field is optional and unknown fields are kept, so other shapes still decode.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ApiProblem {
    /// The wire path of the offending value, for example `queries.region.value`.
    #[serde(default)]
    pub path: Option<String>,
    /// The rule broken, for example `blank` (the snake-case names of
    /// [`ProblemKind`](crate::ProblemKind)).
    #[serde(default)]
    pub kind: Option<String>,
    /// What is wrong, for a person.
    #[serde(default)]
    pub message: Option<String>,
    /// Fields not listed above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl fmt::Display for ApiProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self
            .message
            .as_deref()
            .or(self.kind.as_deref())
            .unwrap_or("invalid");
        match &self.path {
            Some(path) => write!(f, "{path}: {text}"),
            None => f.write_str(text),
        }
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

/// The request ran past the configured timeout.
#[derive(Debug)]
pub struct TimeoutError {
    call: Call,
    after: Duration,
}

impl TimeoutError {
    pub(crate) fn new(method: &'static str, path: String, after: Duration) -> Self {
        TimeoutError {
            call: Call { method, path },
            after,
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

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} timed out after {:?} (the server may still have processed it)",
            self.call, self.after
        )
    }
}

impl std::error::Error for TimeoutError {}

/// A failure below HTTP: no connection, TLS failure, connection reset, unreadable body.
#[derive(Debug)]
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

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.connect {
            "could not connect for"
        } else {
            "request failed:"
        };
        write!(f, "{what} {}", self.call)?;
        // The outermost reqwest message is generic; the root cause says what happened.
        let mut cause: &dyn std::error::Error = &self.source;
        while let Some(next) = cause.source() {
            cause = next;
        }
        write!(f, ": {cause}")
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// A success response whose body could not be read as documented.
#[derive(Clone, Debug)]
pub struct DecodeError {
    inner: Box<DecodeInner>,
}

#[derive(Clone, Debug)]
struct DecodeInner {
    call: Call,
    status: StatusCode,
    request_id: Option<String>,
    reason: String,
    excerpt: String,
}

impl DecodeError {
    pub(crate) fn new(
        method: &'static str,
        path: String,
        meta: &ResponseMeta,
        reason: impl Into<String>,
        body: &[u8],
    ) -> Self {
        DecodeError {
            inner: Box::new(DecodeInner {
                call: Call { method, path },
                status: meta.status(),
                request_id: meta.request_id().map(str::to_owned),
                reason: reason.into(),
                excerpt: excerpt(body),
            }),
        }
    }

    /// The method of the call.
    pub fn method(&self) -> &'static str {
        self.inner.call.method
    }

    /// The path of the call.
    pub fn path(&self) -> &str {
        &self.inner.call.path
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> StatusCode {
        self.inner.status
    }

    /// `X-Request-Id`.
    pub fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }

    /// What did not match (a serde_json message with line and column, or a protocol problem).
    pub fn reason(&self) -> &str {
        &self.inner.reason
    }

    /// The start of the body as text (at most 1 KiB). Not part of `Display`: bodies hold
    /// candidate data that does not belong in logs.
    pub fn body_excerpt(&self) -> &str {
        &self.inner.excerpt
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        write!(
            f,
            "unexpected response body from {} (HTTP {}",
            i.call,
            i.status.as_u16()
        )?;
        if let Some(id) = &i.request_id {
            write!(f, ", request id {id}")?;
        }
        write!(f, "): {}", i.reason)
    }
}

impl std::error::Error for DecodeError {}

/// The body as text, cut to [`MAX_EXCERPT_BYTES`] at a character boundary.
pub(crate) fn excerpt(body: &[u8]) -> String {
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

fn bounded(text: &str) -> String {
    let text = text.trim();
    if text.chars().count() <= MAX_MESSAGE_CHARS {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(MAX_MESSAGE_CHARS).collect();
        format!("{cut}…")
    }
}

/// The server's message and problems from an error body.
///
/// No error body is documented. A JSON object's `message` (a string, or a list of strings as some
/// frameworks send) is used, else its `error` (string, or object with `message`); `errors` is read
/// as a list of problems. Anything else keeps the raw text, and an empty body the reason phrase.
fn server_message(body: &[u8], status: StatusCode) -> (String, Vec<ApiProblem>) {
    let mut message = None;
    let mut problems = Vec::new();
    if let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(body) {
        message = text_of(map.get("message")).or_else(|| match map.get("error") {
            Some(Value::Object(inner)) => text_of(inner.get("message")),
            other => text_of(other),
        });
        if let Some(Value::Array(items)) = map.get("errors") {
            problems = items.iter().map(problem_of).collect();
        }
    }
    let message = message.filter(|m| !m.trim().is_empty()).unwrap_or_else(|| {
        let raw = String::from_utf8_lossy(body);
        if raw.trim().is_empty() {
            status.canonical_reason().unwrap_or("no message").to_owned()
        } else {
            raw.into_owned()
        }
    });
    (bounded(&message), problems)
}

fn text_of(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Array(items) => {
            let parts: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
            (!parts.is_empty()).then(|| parts.join("; "))
        }
        _ => None,
    }
}

fn problem_of(item: &Value) -> ApiProblem {
    match item {
        Value::Object(_) => serde_json::from_value(item.clone()).unwrap_or_else(|_| ApiProblem {
            path: None,
            kind: None,
            message: Some(bounded(&item.to_string())),
            extra: Map::new(),
        }),
        Value::String(s) => ApiProblem {
            path: None,
            kind: None,
            message: Some(bounded(s)),
            extra: Map::new(),
        },
        other => ApiProblem {
            path: None,
            kind: None,
            message: Some(bounded(&other.to_string())),
            extra: Map::new(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_message_and_problems_are_read() {
        let body = br#"{"statusCode":400,"status":"ERROR","message":"Validation failed",
            "errors":[{"path":"queries.region.value","kind":"blank","message":"must not be blank"}]}"#;
        let (message, problems) = server_message(body, StatusCode::BAD_REQUEST);
        assert_eq!(message, "Validation failed");
        assert_eq!(problems.len(), 1);
        assert_eq!(
            problems[0].to_string(),
            "queries.region.value: must not be blank"
        );
        assert_eq!(problems[0].kind.as_deref(), Some("blank"));
    }

    #[test]
    fn other_bodies_keep_their_text() {
        let (m, p) = server_message(b"upstream exploded", StatusCode::BAD_GATEWAY);
        assert_eq!((m.as_str(), p.len()), ("upstream exploded", 0));
        let (m, _) = server_message(br#"{"detail":"nope"}"#, StatusCode::BAD_REQUEST);
        assert_eq!(m, r#"{"detail":"nope"}"#);
        let (m, _) = server_message(
            br#"{"message":["a is bad","b is bad"]}"#,
            StatusCode::BAD_REQUEST,
        );
        assert_eq!(m, "a is bad; b is bad");
        let (m, _) = server_message(
            br#"{"error":{"message":"nested"}}"#,
            StatusCode::BAD_REQUEST,
        );
        assert_eq!(m, "nested");
        let (m, _) = server_message(b"", StatusCode::NOT_FOUND);
        assert_eq!(m, "Not Found");
        let (m, _) = server_message(b"[1,2]", StatusCode::NOT_FOUND);
        assert_eq!(m, "[1,2]");
    }

    #[test]
    fn odd_problem_entries_are_kept_as_messages() {
        let (_, p) = server_message(
            br#"{"message":"bad","errors":["plain",{"path":3},7]}"#,
            StatusCode::BAD_REQUEST,
        );
        let shown: Vec<String> = p.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["plain", r#"{"path":3}"#, "7"]);
    }

    #[test]
    fn long_messages_and_excerpts_are_bounded() {
        let long = "é".repeat(5000);
        let (m, _) = server_message(long.as_bytes(), StatusCode::BAD_REQUEST);
        assert_eq!(m.chars().count(), MAX_MESSAGE_CHARS + 1);
        let e = excerpt(long.as_bytes());
        assert!(e.len() <= MAX_EXCERPT_BYTES + '…'.len_utf8());
        assert!(e.ends_with('…'));
    }
}
