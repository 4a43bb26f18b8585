//! The JSON envelopes: `{statusCode, data, message, status: "SUCCESS"}` for successes and
//! `{statusCode, status: "ERROR", message, errors?}` for every error status.
//!
//! The reference documents no error body at all; the sandbox mirrors the success envelope so a
//! client can read `statusCode` and `message` the same way on both paths. `errors` appears only
//! on validation failures (400) and lists each problem as `{path, kind, message}`.

use axum::Json;
use axum::body::Body;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use fj_sourcing_query::{BuildError, Problem};

/// `creditInfo`: Create's `data.sourcing.creditInfo` as documented, and the same object in the
/// answers of the other paid operations (see the module documentation of the sandbox).
#[derive(Clone, Copy, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CreditInfo {
    pub(crate) charged: bool,
    pub(crate) amount: u64,
    pub(crate) reason: &'static str,
    pub(crate) remaining_credits: u64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Success<'a, T> {
    status_code: u16,
    data: T,
    /// Beside `data` only where `data` is a list (Reveal Contact) and cannot hold it.
    #[serde(skip_serializing_if = "Option::is_none")]
    credit_info: Option<CreditInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'a str>,
    status: &'static str,
}

/// Where an answer's buffer starts: most answers fit (Create's is about 1.6 KB), so it seldom
/// has to grow and be copied (axum's `Json` starts at 128 bytes). A grown buffer costs more
/// than its copy: under load, glibc's allocator stalls both threads on such reallocations
/// (`docs/benchmarks.md`, section 3).
const ANSWER_CAPACITY: usize = 2048;

/// A success envelope; `message` is `None` only where the reference's example has none.
pub(crate) fn success<T: Serialize>(
    status: StatusCode,
    message: Option<&str>,
    data: T,
) -> Response {
    write_success(status, message, data, None)
}

/// A success envelope with the call's `creditInfo` beside `data`.
pub(crate) fn success_charged<T: Serialize>(
    status: StatusCode,
    message: Option<&str>,
    data: T,
    credit_info: CreditInfo,
) -> Response {
    write_success(status, message, data, Some(credit_info))
}

fn write_success<T: Serialize>(
    status: StatusCode,
    message: Option<&str>,
    data: T,
    credit_info: Option<CreditInfo>,
) -> Response {
    // What `(status, axum::Json(body))` answers, in both cases.
    match write(status, message, data, credit_info) {
        Ok(body) => json_answer(status, body),
        Err(err) => (status, [(CONTENT_TYPE, TEXT)], err.to_string()).into_response(),
    }
}

/// The serialized success envelope (for answers a handler gets already written).
pub(crate) fn success_json<T: Serialize>(
    status: StatusCode,
    message: Option<&str>,
    data: T,
) -> serde_json::Result<Vec<u8>> {
    write(status, message, data, None)
}

fn write<T: Serialize>(
    status: StatusCode,
    message: Option<&str>,
    data: T,
    credit_info: Option<CreditInfo>,
) -> serde_json::Result<Vec<u8>> {
    let body = Success {
        status_code: status.as_u16(),
        data,
        credit_info,
        message,
        status: "SUCCESS",
    };
    let mut buf = Vec::with_capacity(ANSWER_CAPACITY);
    serde_json::to_writer(&mut buf, &body)?;
    Ok(buf)
}

/// An answer whose JSON body is already written (the session documents of `document.rs`).
pub(crate) fn json_answer(status: StatusCode, body: impl Into<Body>) -> Response {
    (status, [(CONTENT_TYPE, JSON)], body.into()).into_response()
}

const JSON: HeaderValue = HeaderValue::from_static("application/json");
const TEXT: HeaderValue = HeaderValue::from_static("text/plain; charset=utf-8");

/// An error answered with the error envelope.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) message: String,
    pub(crate) problems: Vec<Problem>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ErrorBody<'a> {
    status_code: u16,
    status: &'static str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    errors: Option<&'a [Problem]>,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
            problems: Vec::new(),
        }
    }

    /// 400 listing every problem; `what` names the input ("request body", "query parameters").
    pub(crate) fn invalid(what: &str, problems: Vec<Problem>) -> Self {
        let details: Vec<String> = problems.iter().map(ToString::to_string).collect();
        ApiError {
            status: StatusCode::BAD_REQUEST,
            message: format!("Invalid {what}: {}", details.join("; ")),
            problems,
        }
    }

    pub(crate) fn invalid_body(err: BuildError) -> Self {
        Self::invalid("request body", err.into_problems())
    }

    pub(crate) fn not_found(what: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, format!("{what} not found"))
    }

    /// 404 for a session that existed but was evicted to make room (`max_sessions`).
    pub(crate) fn evicted(max_sessions: usize) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            format!(
                "Session not found: it was evicted, because this sandbox keeps only its \
                 {max_sessions} most recent sessions (max_sessions)"
            ),
        )
    }

    pub(crate) fn payment_required(operation: &str, cost: u64, remaining: u64) -> Self {
        Self::new(
            StatusCode::PAYMENT_REQUIRED,
            format!(
                "Insufficient credits: {operation} costs {cost} credits and the workspace has \
                 {remaining} left"
            ),
        )
    }
}

/// The error envelope for `status`, for errors raised outside a handler.
pub(crate) fn error(status: StatusCode, message: &str) -> Response {
    ApiError::new(status, message).into_response()
}

/// The serialized error envelope for `status` (no `errors` list unless `status` is 400).
pub(crate) fn error_bytes(status: StatusCode, message: &str) -> Vec<u8> {
    let empty: &[Problem] = &[];
    let body = ErrorBody {
        status_code: status.as_u16(),
        status: "ERROR",
        message,
        errors: (status == StatusCode::BAD_REQUEST).then_some(empty),
    };
    serde_json::to_vec(&body).unwrap_or_default()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            status_code: self.status.as_u16(),
            status: "ERROR",
            message: &self.message,
            errors: (!self.problems.is_empty() || self.status == StatusCode::BAD_REQUEST)
                .then_some(self.problems.as_slice()),
        };
        (self.status, Json(body)).into_response()
    }
}
