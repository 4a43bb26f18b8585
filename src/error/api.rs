//! Error statuses: what the server said about them.

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{Answered, Call, Error, excerpt};
use crate::meta::ResponseMeta;

/// Longest server message kept, in characters.
const MAX_MESSAGE_CHARS: usize = 512;

/// An error status from the API, with what the server said about it.
///
/// `Display` reads `POST /sourcing-session (HTTP 400, request id abc): message [problems]`.
///
/// It has no [`source()`](std::error::Error::source): it is read from the answer itself, which
/// is all there is to say (and, being `Clone`, it could not keep a cause that is not).
#[derive(Clone, thiserror::Error)]
#[error("{}: {}{}", .inner.answered(), .inner.message, .inner.problems_note())]
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

impl ApiErrorInner {
    fn answered(&self) -> Answered<'_> {
        Answered {
            call: &self.call,
            status: self.meta.status(),
            request_id: self.meta.request_id(),
        }
    }

    /// ` [path: problem; ...]` when the body listed problems.
    fn problems_note(&self) -> impl fmt::Display + '_ {
        struct Note<'a>(&'a [ApiProblem]);
        impl fmt::Display for Note<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                if self.0.is_empty() {
                    return Ok(());
                }
                f.write_str(" [")?;
                fj_sourcing_query::write_problems(f, self.0)?;
                f.write_str("]")
            }
        }
        Note(&self.problems)
    }
}

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
    use crate::error::MAX_EXCERPT_BYTES;

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
