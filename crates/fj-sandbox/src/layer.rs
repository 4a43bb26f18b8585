//! The one middleware every request goes through, in this order: request id, fault and latency,
//! rate limit (429), injected status, API key (401; not for the OpenAPI description), body size
//! (413), then the route; on the way out, the error envelope for errors the router produced
//! itself (405, extractor rejections), the common headers, then the fault's damage (see
//! [`Fault`]).

use std::hash::{DefaultHasher, Hasher};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE, ETAG, IF_NONE_MATCH, RETRY_AFTER};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use futures_util::StreamExt;

use super::envelope;
use super::faults::Fault;
use super::ids::{now_millis, request_id, write_hex};
use super::journal::{self, Entry};
use super::limits::RateDecision;
use super::net::Cut;
use super::{App, MAX_BODY_BYTES, openapi};

/// The header carrying the API key.
use fj_sourcing_query::API_KEY_HEADER;

/// An oversized body is still read (and dropped) up to this size, so that the client, which is
/// usually still sending, reads the 413 instead of a reset connection.
const DRAIN_LIMIT: usize = 16 << 20;

/// Compares two byte strings in time that depends only on their lengths, not their contents.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let mut diff = a.len() ^ b.len();
    for i in 0..a.len().max(b.len()) {
        let x = a.get(i).copied().unwrap_or(0);
        let y = b.get(i).copied().unwrap_or(0);
        diff |= usize::from(x ^ y);
    }
    diff == 0
}

/// `None` when the request carries one of the sandbox's keys, else the 401 answer.
fn authorize(app: &App, headers: &HeaderMap) -> Option<Response> {
    let Some(presented) = headers.get(API_KEY_HEADER) else {
        return Some(envelope::error(
            StatusCode::UNAUTHORIZED,
            "Missing API key: send it in the x-fj-api-key header",
        ));
    };
    // Every key is compared, so timing does not reveal which one (or whether any) matched.
    let known = app
        .store
        .config()
        .api_keys
        .iter()
        .fold(false, |found, key| {
            found | constant_time_eq(key.as_bytes(), presented.as_bytes())
        });
    (!known).then(|| envelope::error(StatusCode::UNAUTHORIZED, "Invalid API key"))
}

fn too_large() -> Response {
    envelope::error(
        StatusCode::PAYLOAD_TOO_LARGE,
        &format!("Request body too large: the limit is {MAX_BODY_BYTES} bytes"),
    )
}

/// Reads the whole body (at most [`MAX_BODY_BYTES`]), so that handlers get it in one piece
/// and the journal keeps it. `declared` is the request's `Content-Length`.
async fn read_body(body: Body, declared: Option<u64>) -> Result<Bytes, Response> {
    if declared.is_some_and(|n| n > DRAIN_LIMIT as u64) {
        return Err(too_large());
    }
    let mut stream = body.into_data_stream();
    // Sized once from the declared length, so the kept bytes take no more than the body.
    let mut buf = Vec::with_capacity(declared.map_or(0, |n| n.min(MAX_BODY_BYTES as u64) as usize));
    let mut seen = 0usize;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| {
            envelope::error(StatusCode::BAD_REQUEST, "Could not read the request body")
        })?;
        seen = seen.saturating_add(chunk.len());
        if seen <= MAX_BODY_BYTES {
            buf.extend_from_slice(&chunk);
        } else if seen > DRAIN_LIMIT {
            break;
        }
    }
    if seen > MAX_BODY_BYTES {
        return Err(too_large());
    }
    Ok(Bytes::from(buf))
}

fn too_many(decision: RateDecision) -> Response {
    envelope::error(
        StatusCode::TOO_MANY_REQUESTS,
        &format!(
            "Too many requests: the limit of {} requests per window is spent; retry in {} s",
            decision.limit, decision.reset_secs
        ),
    )
}

const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
const X_POWERED_BY: HeaderName = HeaderName::from_static("x-powered-by");
const ALLOW_CREDENTIALS: HeaderName = HeaderName::from_static("access-control-allow-credentials");
const RATELIMIT_POLICY: HeaderName = HeaderName::from_static("ratelimit-policy");
const RATELIMIT_LIMIT: HeaderName = HeaderName::from_static("ratelimit-limit");
const RATELIMIT_REMAINING: HeaderName = HeaderName::from_static("ratelimit-remaining");
const RATELIMIT_RESET: HeaderName = HeaderName::from_static("ratelimit-reset");

/// The headers every answer gets besides its own, so the map grows once.
const COMMON_HEADERS: usize = 9;

/// `"<16 hex digits>"`: a strong validator of `body`. std's SipHash rather than the seeded ids'
/// FNV ([`super::ids`]), which reads a byte at a time: an answer is 1-2 KB, hashed on every
/// request (`docs/benchmarks.md`, section 3).
fn etag_of(body: &[u8]) -> [u8; 18] {
    let mut hasher = DefaultHasher::new();
    hasher.write(body);
    let mut etag = *b"\"0000000000000000\"";
    write_hex(&mut etag[1..17], hasher.finish());
    etag
}

/// The answer to a request, before the fault (if any) and the common headers.
async fn answer(
    app: &App,
    request: Request,
    next: Next,
    decision: RateDecision,
    fault: Option<Fault>,
    body: &mut Bytes,
) -> Response {
    if !decision.allowed {
        return too_many(decision);
    }
    if let Some(Fault::Status(code)) = fault {
        let status = StatusCode::from_u16(code)
            .ok()
            .filter(|s| s.as_u16() >= 100)
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let reason = status.canonical_reason().unwrap_or("Injected fault");
        let mut response = envelope::error(status, &format!("{reason} (injected fault)"));
        if matches!(status.as_u16(), 429 | 503) {
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from_static("1"));
        }
        return response;
    }
    // The OpenAPI description is public: tools read it before they know any key.
    let denied = if request.uri().path() == openapi::PATH {
        None
    } else {
        authorize(app, request.headers())
    };
    if let Some(denied) = denied {
        return denied;
    }
    let declared = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    // Only the body is read here: an async fn keeps every argument it is given in its state,
    // and the request's head waits in `parts` meanwhile.
    let (parts, request_body) = request.into_parts();
    match read_body(request_body, declared).await {
        Ok(bytes) => {
            *body = bytes.clone();
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Err(response) => response,
    }
}

/// A body that yields `first` and then fails, so the connection closes mid-body.
fn broken_body(first: Vec<u8>) -> Body {
    let stream = futures_util::stream::unfold(Some(first), |state| async move {
        match state {
            Some(first) => Some((Ok(first), None)),
            None => {
                // Let the server flush the head and the first half before the break.
                tokio::task::yield_now().await;
                let err = std::io::Error::new(
                    std::io::ErrorKind::ConnectionAborted,
                    "closed mid-body by fault injection",
                );
                Some((Err(err), None))
            }
        }
    });
    Body::from_stream(stream)
}

/// The middleware (see the module documentation).
pub(crate) async fn pipeline(
    State(app): State<Arc<App>>,
    request: Request,
    next: Next,
) -> Response {
    let (started, time) = (Instant::now(), now_millis());
    let arrival = app.faults.arrive();
    let (id, fault) = (request_id(app.process_key, arrival.seq), arrival.fault);
    let decision = app.limiter.check(Instant::now());
    let latency = arrival.latency
        + match fault {
            Some(Fault::Latency(extra)) => extra,
            _ => Duration::ZERO,
        };
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let is_get = request.method() == Method::GET;
    let path = request.uri().path().to_owned();
    let method = request.method().clone();
    let if_none_match = request.headers().get(IF_NONE_MATCH).cloned();
    let cut = request
        .extensions()
        .get::<ConnectInfo<Cut>>()
        .map(|ConnectInfo(cut)| cut.clone());
    let mut sent = Bytes::new();
    let answering = || answer(&app, request, next, decision, fault, &mut sent);
    let (response, credits_charged) = journal::charged(answering).await;
    let (mut parts, body) = response.into_parts();
    let mut bytes = to_bytes(body, usize::MAX).await.unwrap_or_default();
    let is_json = parts
        .headers
        .get(CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if (parts.status.is_client_error() || parts.status.is_server_error()) && !is_json {
        // Errors raised by the router itself (405, path rejections) get the envelope too.
        let text = String::from_utf8_lossy(&bytes).trim().to_owned();
        let reason = parts.status.canonical_reason().unwrap_or("Error");
        let message = if text.is_empty() {
            reason.to_owned()
        } else {
            text
        };
        bytes = envelope::error_bytes(parts.status, &message).into();
        parts
            .headers
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    parts.headers.remove(CONTENT_LENGTH);
    let etag = etag_of(&bytes);
    if fault != Some(Fault::MissingHeaders) {
        let headers = &mut parts.headers;
        headers.reserve(COMMON_HEADERS);
        if let Ok(id) = HeaderValue::from_str(&id) {
            headers.insert(X_REQUEST_ID, id);
        }
        headers.insert(X_POWERED_BY, HeaderValue::from_static("fj-sandbox"));
        headers.insert(ALLOW_CREDENTIALS, HeaderValue::from_static("true"));
        headers.insert(RATELIMIT_POLICY, app.limiter.policy().clone());
        headers.insert(RATELIMIT_LIMIT, HeaderValue::from(decision.limit));
        headers.insert(RATELIMIT_REMAINING, HeaderValue::from(decision.remaining));
        headers.insert(RATELIMIT_RESET, HeaderValue::from(decision.reset_secs));
        if !decision.allowed {
            headers.insert(RETRY_AFTER, HeaderValue::from(decision.reset_secs));
        }
        if let Ok(etag) = HeaderValue::from_bytes(&etag) {
            headers.insert(ETAG, etag);
        }
    }
    let not_modified = is_get
        && parts.status == StatusCode::OK
        && if_none_match.is_some_and(|v| {
            v.to_str().is_ok_and(|v| {
                v.split(',')
                    .any(|t| t.trim().as_bytes() == etag || t.trim() == "*")
            })
        });
    if not_modified {
        parts.status = StatusCode::NOT_MODIFIED;
        bytes = Default::default();
    }
    app.journal.push(Entry {
        time,
        problem: journal::problem_of(parts.status, &bytes),
        method,
        path,
        status: parts.status,
        latency: started.elapsed(),
        request_id: id,
        credits_charged,
        body: sent,
    });
    match (fault, cut) {
        (Some(Fault::MalformedBody), _) => {
            let half = bytes.len() / 2;
            bytes.truncate(half.max(1));
        }
        // Nothing of the answer will be written: the connection refuses it.
        (Some(Fault::CloseBeforeResponse), Some(cut)) => cut.cut(),
        // Without the switch (never with `start`), the headers go out before the break.
        (Some(Fault::CloseBeforeResponse | Fault::CloseMidBody), _) => {
            // The declared length promises the whole body; the connection ends after half.
            parts
                .headers
                .insert(CONTENT_LENGTH, HeaderValue::from(bytes.len()));
            let first = if fault == Some(Fault::CloseMidBody) {
                bytes[..bytes.len() / 2].to_vec()
            } else {
                Vec::new()
            };
            return Response::from_parts(parts, broken_body(first));
        }
        _ => {}
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::constant_time_eq;

    #[test]
    fn compares_whole_strings() {
        assert!(constant_time_eq(b"fjk_a", b"fjk_a"));
        assert!(!constant_time_eq(b"fjk_a", b"fjk_b"));
        assert!(!constant_time_eq(b"fjk_a", b"fjk_ab"));
        assert!(!constant_time_eq(b"", b"x"));
        assert!(constant_time_eq(b"", b""));
    }
}
