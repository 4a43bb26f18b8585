//! The request journal ([`SandboxHandle::requests`](crate::SandboxHandle::requests), `GET` and
//! `DELETE /api/v1/wl/__sandbox/requests`) and the request log, which share one record.
//!
//! The log is a `tracing` event per request (target `fj_sandbox::request`, level INFO) whose
//! message is the finished line, so it costs nothing until a subscriber listens: the
//! `fj-sandbox` program installs one; a sandbox embedded in a test or a program stays quiet
//! unless that program installs one itself.

use std::cell::Cell;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::Value;

use super::App;
use super::ids::iso8601_millis;

/// The journal's path (sandbox only): not journaled, no key, no faults, latency or rate limit.
pub(crate) const PATH: &str = "/api/v1/wl/__sandbox/requests";

/// Requests the journal keeps unless configured otherwise ([`SandboxBuilder::journal_size`]).
///
/// [`SandboxBuilder::journal_size`]: crate::SandboxBuilder::journal_size
pub const DEFAULT_JOURNAL_REQUESTS: usize = 10_000;

/// Bytes the journal keeps at most unless configured otherwise (64 MiB): paths, ids, problems
/// and bodies as received, plus a fixed size per request.
pub const DEFAULT_JOURNAL_BYTES: usize = 64 << 20;

/// How the request log writes a request.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum LogFormat {
    /// `<time> <method> <path> <status> <latency>ms <request id> credits=<n>`, then
    /// `problem: <path>: <message>` for a refusal.
    #[default]
    Text,
    /// One JSON object per line: `time`, `method`, `path`, `status`, `latencyMs`, `requestId`,
    /// `creditsCharged`, `problem` (`null` unless refused).
    Json,
}

/// One request as the sandbox answered it, as [`SandboxHandle::requests`] lists it.
///
/// `path` has no query string; `body` is the request body as JSON (`None` when empty; a body
/// that is not JSON is kept as a JSON string of its text). Over HTTP, the same record is an
/// object with the keys `time` (RFC 3339, UTC), `method`, `path`, `status`, `latencyMs`,
/// `requestId`, `creditsCharged`, `problem` and `body`.
///
/// [`SandboxHandle::requests`]: crate::SandboxHandle::requests
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordedRequest {
    time: String,
    method: String,
    path: String,
    status: u16,
    latency_ms: u64,
    request_id: String,
    credits_charged: u64,
    problem: Option<String>,
    body: Option<Value>,
}

impl RecordedRequest {
    /// The HTTP method, upper case (`"POST"`).
    pub fn method(&self) -> &str {
        &self.method
    }
    /// The path, with [`API_PREFIX`](crate::API_PREFIX) and without the query string.
    pub fn path(&self) -> &str {
        &self.path
    }
    /// The status answered (an injected one included; with a fault that breaks the
    /// connection, the status the answer had).
    pub fn status(&self) -> u16 {
        self.status
    }
    /// The request body as JSON, `None` when there was none.
    pub fn body(&self) -> Option<&Value> {
        self.body.as_ref()
    }
    /// Credits the request took (0 for a refusal or a free operation).
    pub fn credits_charged(&self) -> u64 {
        self.credits_charged
    }
    /// The `X-Request-Id` of the answer.
    pub fn request_id(&self) -> &str {
        &self.request_id
    }
    /// For an error status, its first problem as `<path>: <message>`, or the error's message.
    pub fn problem(&self) -> Option<&str> {
        self.problem.as_deref()
    }
}

/// A request as the journal keeps it: the body as received, parsed only when read, so a
/// journaled Create costs about its body's size (the per-session memory budget holds).
pub(crate) struct Entry {
    /// Milliseconds since the Unix epoch.
    pub(crate) time: u64,
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) status: StatusCode,
    pub(crate) latency: Duration,
    pub(crate) request_id: String,
    pub(crate) credits_charged: u64,
    pub(crate) problem: Option<String>,
    pub(crate) body: Bytes,
}

impl Entry {
    fn size(&self) -> usize {
        size_of::<Self>()
            + size_of::<Box<Self>>()
            + self.path.len()
            + self.request_id.len()
            + self.body.len()
            + self.problem.as_ref().map_or(0, String::len)
    }

    fn record(&self, with_body: bool) -> RecordedRequest {
        let body = (with_body && !self.body.is_empty()).then(|| {
            serde_json::from_slice(&self.body)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&self.body).into()))
        });
        RecordedRequest {
            time: iso8601_millis(self.time),
            method: self.method.to_string(),
            path: self.path.clone(),
            status: self.status.as_u16(),
            latency_ms: u64::try_from(self.latency.as_millis()).unwrap_or(u64::MAX),
            request_id: self.request_id.clone(),
            credits_charged: self.credits_charged,
            problem: self.problem.clone(),
            body,
        }
    }

    /// Writes the log line (see [`LogFormat`]) when a subscriber listens.
    fn log(&self, format: LogFormat) {
        if !tracing::enabled!(target: "fj_sandbox::request", tracing::Level::INFO) {
            return;
        }
        let r = self.record(false);
        let line = match format {
            LogFormat::Json => {
                let mut value = serde_json::to_value(&r).unwrap_or_default();
                if let Some(object) = value.as_object_mut() {
                    object.remove("body");
                }
                value.to_string()
            }
            LogFormat::Text => {
                let problem = r.problem.as_deref().map(|p| format!(" problem: {p}"));
                format!(
                    "{} {} {} {} {}ms {} credits={}{}",
                    r.time,
                    r.method,
                    r.path,
                    r.status,
                    r.latency_ms,
                    r.request_id,
                    r.credits_charged,
                    problem.unwrap_or_default()
                )
            }
        };
        tracing::info!(target: "fj_sandbox::request", "{line}");
    }
}

/// The first problem of an error envelope (`errors[0]`), else its `message`.
pub(crate) fn problem_of(status: StatusCode, body: &[u8]) -> Option<String> {
    if status.as_u16() < 400 {
        return None;
    }
    let value: Value = serde_json::from_slice(body).ok()?;
    match &value["errors"][0] {
        Value::Object(first) => Some(format!(
            "{}: {}",
            first.get("path")?.as_str()?,
            first.get("message")?.as_str()?
        )),
        _ => value["message"].as_str().map(str::to_owned),
    }
}

/// The journal: the most recent requests, bounded by count and by bytes.
pub(crate) struct Journal {
    /// Boxed, so a slot the deque has grown but not filled costs a pointer, not an entry.
    entries: Mutex<(VecDeque<Box<Entry>>, usize)>,
    max_requests: usize,
    max_bytes: usize,
    format: LogFormat,
}

impl Journal {
    pub(crate) fn new(max_requests: usize, max_bytes: usize, format: LogFormat) -> Self {
        Journal {
            entries: Mutex::new((VecDeque::new(), 0)),
            max_requests,
            max_bytes,
            format,
        }
    }

    /// Logs `entry` and keeps it, dropping the oldest entries beyond the bounds.
    pub(crate) fn push(&self, entry: Entry) {
        entry.log(self.format);
        let size = entry.size();
        if self.max_requests == 0 || size > self.max_bytes {
            return;
        }
        let entry = Box::new(entry);
        // The entry that makes room (one, unless the byte bound is reached) is freed after the
        // lock is released: freeing a body can wait on the allocator.
        let mut evicted = None;
        let mut guard = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let (entries, bytes) = &mut *guard;
        while entries.len() >= self.max_requests || *bytes + size > self.max_bytes {
            let Some(old) = entries.pop_front() else {
                break;
            };
            *bytes -= old.size();
            evicted = Some(old);
        }
        *bytes += size;
        entries.push_back(entry);
        drop(guard);
        drop(evicted);
    }

    pub(crate) fn records(&self) -> Vec<RecordedRequest> {
        let guard = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        guard.0.iter().map(|e| e.record(true)).collect()
    }

    /// Empties the journal; returns how many entries it held.
    pub(crate) fn clear(&self) -> usize {
        let mut guard = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        std::mem::take(&mut *guard).0.len()
    }
}

tokio::task_local! {
    /// Credits charged while the current request is handled (set by [`charged`]).
    static CHARGED: Cell<u64>;
}

/// Runs the future `answer` makes (one request's handling) and returns its output with the
/// credits it charged. A closure rather than the future itself, so the future is built inside
/// the scope once instead of being moved into it (an async fn keeps a moved-in future twice).
pub(crate) async fn charged<F: Future>(answer: impl FnOnce() -> F) -> (F::Output, u64) {
    CHARGED
        .scope(Cell::new(0), async {
            let out = answer().await;
            (out, CHARGED.with(Cell::get))
        })
        .await
}

/// Called by the ledger for every debit; outside a request (never in practice) it does nothing.
pub(crate) fn note_charge(amount: u64) {
    let _ = CHARGED.try_with(|c| c.set(c.get() + amount));
}

/// `GET` on [`PATH`]: the journal as a JSON array, oldest first.
pub(crate) async fn list(State(app): State<Arc<App>>) -> Response {
    axum::Json(app.journal.records()).into_response()
}

/// `DELETE` on [`PATH`]: empties the journal, answering how many entries went
/// (`{"cleared": N}`: a JSON answer rather than a 204, so generated clients type it).
pub(crate) async fn clear(State(app): State<Arc<App>>) -> Response {
    axum::Json(serde_json::json!({ "cleared": app.journal.clear() })).into_response()
}
