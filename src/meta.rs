//! What the HTTP layer said about a response: status, request id, rate limits, `ETag`.

use std::ops::Deref;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};

use crate::model::CreditInfo;

/// Longest header value kept, in characters; the documented headers are all short.
const MAX_HEADER_CHARS: usize = 256;

/// `RateLimit-Reset` values at or above this are read as a Unix time, not a number of seconds.
///
/// The reference names the header but not its meaning. The IETF draft (and the Express middleware
/// that the `X-Powered-By` header suggests) send seconds until the window resets; some servers send
/// an epoch timestamp instead, and no real window is 30 years long.
const EPOCH_THRESHOLD: u64 = 1_000_000_000;

/// Data returned by a call, together with the [`ResponseMeta`] of the response that carried it.
///
/// Derefs to the data, so fields of the data can be read directly:
///
/// ```no_run
/// # async fn run(client: fj_sourcing::Client, request: fj_sourcing::SessionRequest) -> Result<(), fj_sourcing::Error> {
/// let created = client.create_session(&request).await?;
/// println!("request id {:?}", created.meta.request_id());
/// let (session, meta) = created.into_parts();
/// # let _ = (session, meta);
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Response<T> {
    /// The decoded data (the envelope's `data`, or the bare body where the API sends no envelope).
    pub data: T,
    /// Status, request id, rate limits and the other response metadata.
    pub meta: ResponseMeta,
}

impl<T> Response<T> {
    pub(crate) fn new(data: T, meta: ResponseMeta) -> Self {
        Response { data, meta }
    }

    /// The data, dropping the metadata.
    pub fn into_data(self) -> T {
        self.data
    }

    /// The data and the metadata.
    pub fn into_parts(self) -> (T, ResponseMeta) {
        (self.data, self.meta)
    }

    /// Applies `f` to the data, keeping the metadata.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            data: f(self.data),
            meta: self.meta,
        }
    }
}

impl<T> Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.data
    }
}

/// Metadata of one HTTP response: status, `X-Request-Id`, rate limits, `ETag`, and the
/// envelope's `statusCode`/`status`/`message` when the body had them.
///
/// Header values the reference types as strings are kept raw; numeric ones are also parsed, and a
/// value that does not parse is simply `None` in the parsed form (it never fails a call).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResponseMeta {
    status: StatusCode,
    request_id: Option<String>,
    etag: Option<String>,
    rate_limit: RateLimit,
    body_status_code: Option<i64>,
    body_status: Option<String>,
    message: Option<String>,
    credit_info: Option<Box<CreditInfo>>,
    attempts: u32,
}

impl ResponseMeta {
    pub(crate) fn from_headers(status: StatusCode, headers: &HeaderMap, attempts: u32) -> Self {
        let known = Known::find(headers);
        ResponseMeta {
            status,
            request_id: header_text(known.request_id),
            etag: header_text(known.etag),
            rate_limit: RateLimit::from_known(&known),
            body_status_code: None,
            body_status: None,
            message: None,
            credit_info: None,
            attempts,
        }
    }

    pub(crate) fn set_envelope(
        &mut self,
        status_code: Option<i64>,
        status: Option<String>,
        message: Option<String>,
    ) {
        self.body_status_code = status_code;
        self.body_status = status;
        self.message = message;
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// `X-Request-Id`: quote it when asking FutureJobs support about a call.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// `ETag`, raw.
    pub fn etag(&self) -> Option<&str> {
        self.etag.as_deref()
    }

    /// The `RateLimit-*` and `Retry-After` headers.
    pub fn rate_limit(&self) -> &RateLimit {
        &self.rate_limit
    }

    /// The body's `statusCode`, which the documented examples set equal to the HTTP status.
    ///
    /// Integrators report `207` from Create/Update when a session was stored but matching could
    /// not start; see [`CreatedSession::sourcing_error`](crate::model::CreatedSession::sourcing_error).
    pub fn body_status_code(&self) -> Option<i64> {
        self.body_status_code
    }

    /// The body's `status` (only `"SUCCESS"` is documented).
    pub fn body_status(&self) -> Option<&str> {
        self.body_status.as_deref()
    }

    /// The body's human-readable `message`, such as `"Session created successfully"`.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// How many HTTP attempts the call took (1 when it was not retried).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    pub(crate) fn set_credit_info(&mut self, info: Option<CreditInfo>) {
        self.credit_info = info.map(Box::new);
    }

    /// The charge this answer reports, wherever it sits: `data.sourcing.creditInfo` (Create, and
    /// Update where the server sends it), `data.creditInfo` (Fetch More), or a `creditInfo` beside
    /// `data` (Reveal Contact, whose `data` is a list). Only Create's is documented; the others
    /// are where the crate's sandbox reports them. `None` for answers that report no charge.
    ///
    /// This is what [`Client::credits_spent`](crate::Client::credits_spent) adds up.
    pub fn credit_info(&self) -> Option<&CreditInfo> {
        self.credit_info.as_deref()
    }
}

/// The `RateLimit-Limit/Remaining/Reset/Policy` and `Retry-After` headers of a response.
///
/// The reference lists the `RateLimit-*` names but documents no values or meaning; they are read
/// as the IETF `RateLimit` header draft defines them (limit and remaining as counts, reset as
/// seconds until the window resets, policy as `limit;w=window-seconds`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RateLimit {
    raw_limit: Option<String>,
    raw_remaining: Option<String>,
    raw_reset: Option<String>,
    policy: Option<String>,
    raw_retry_after: Option<String>,
    limit: Option<u64>,
    remaining: Option<u64>,
    reset: Option<Duration>,
    retry_after: Option<Duration>,
}

impl RateLimit {
    #[cfg(test)]
    fn from_headers(headers: &HeaderMap) -> Self {
        Self::from_known(&Known::find(headers))
    }

    fn from_known(known: &Known<'_>) -> Self {
        let raw_limit = header_text(known.limit);
        let raw_remaining = header_text(known.remaining);
        let raw_reset = header_text(known.reset);
        let raw_retry_after = header_text(known.retry_after);
        RateLimit {
            limit: raw_limit.as_deref().and_then(parse_count),
            remaining: raw_remaining.as_deref().and_then(parse_count),
            reset: raw_reset.as_deref().and_then(parse_reset),
            retry_after: raw_retry_after.as_deref().and_then(parse_seconds),
            policy: header_text(known.policy),
            raw_limit,
            raw_remaining,
            raw_reset,
            raw_retry_after,
        }
    }

    /// `RateLimit-Limit` as a number.
    pub fn limit(&self) -> Option<u64> {
        self.limit
    }

    /// `RateLimit-Remaining` as a number.
    pub fn remaining(&self) -> Option<u64> {
        self.remaining
    }

    /// `RateLimit-Reset` as the time until the window resets.
    ///
    /// A number of seconds; a value that looks like a Unix timestamp is converted to the time left.
    pub fn reset(&self) -> Option<Duration> {
        self.reset
    }

    /// `RateLimit-Policy`, raw (for example `100;w=60`).
    pub fn policy(&self) -> Option<&str> {
        self.policy.as_deref()
    }

    /// The window of `RateLimit-Policy` (its `w=` parameter), when present and numeric.
    pub fn window(&self) -> Option<Duration> {
        self.policy
            .as_deref()?
            .split(';')
            .find_map(|part| part.trim().strip_prefix("w="))
            .and_then(parse_count)
            .map(Duration::from_secs)
    }

    /// `Retry-After` in seconds (decimal seconds are accepted; an HTTP date is not parsed).
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// `RateLimit-Limit`, raw.
    pub fn raw_limit(&self) -> Option<&str> {
        self.raw_limit.as_deref()
    }

    /// `RateLimit-Remaining`, raw.
    pub fn raw_remaining(&self) -> Option<&str> {
        self.raw_remaining.as_deref()
    }

    /// `RateLimit-Reset`, raw.
    pub fn raw_reset(&self) -> Option<&str> {
        self.raw_reset.as_deref()
    }

    /// `Retry-After`, raw.
    pub fn raw_retry_after(&self) -> Option<&str> {
        self.raw_retry_after.as_deref()
    }

    /// How long the server asked us to wait: `Retry-After`, else `RateLimit-Reset`.
    pub fn wait_hint(&self) -> Option<Duration> {
        self.retry_after.or(self.reset)
    }
}

/// The response headers this crate reads, each the first value sent under its name.
///
/// Found in one pass over the map: a lookup by name hashes the name every time, and a response
/// carries about ten headers.
#[derive(Default)]
struct Known<'h> {
    request_id: Option<&'h HeaderValue>,
    etag: Option<&'h HeaderValue>,
    limit: Option<&'h HeaderValue>,
    remaining: Option<&'h HeaderValue>,
    reset: Option<&'h HeaderValue>,
    policy: Option<&'h HeaderValue>,
    retry_after: Option<&'h HeaderValue>,
}

impl<'h> Known<'h> {
    fn find(headers: &'h HeaderMap) -> Self {
        let mut known = Known::default();
        // Names in a `HeaderMap` are lowercase.
        for (name, value) in headers {
            let slot = match name.as_str() {
                "x-request-id" => &mut known.request_id,
                "etag" => &mut known.etag,
                "ratelimit-limit" => &mut known.limit,
                "ratelimit-remaining" => &mut known.remaining,
                "ratelimit-reset" => &mut known.reset,
                "ratelimit-policy" => &mut known.policy,
                "retry-after" => &mut known.retry_after,
                _ => continue,
            };
            slot.get_or_insert(value);
        }
        known
    }
}

/// A header's value as text: invalid UTF-8 is replaced, surrounding space trimmed, length bounded.
fn header_text(value: Option<&HeaderValue>) -> Option<String> {
    let value = value?;
    // Servers send visible ASCII: one char per byte, so the cut can be made on bytes without
    // decoding char by char (this runs for every header of every response).
    if let Ok(text) = value.to_str() {
        let text = text.trim();
        let cut = text.get(..MAX_HEADER_CHARS).unwrap_or(text);
        return Some(cut.to_owned());
    }
    let text = String::from_utf8_lossy(value.as_bytes());
    Some(text.trim().chars().take(MAX_HEADER_CHARS).collect())
}

fn parse_count(raw: &str) -> Option<u64> {
    raw.trim().parse().ok()
}

fn parse_seconds(raw: &str) -> Option<Duration> {
    let secs: f64 = raw.trim().parse().ok()?;
    if secs.is_finite() && secs >= 0.0 {
        Duration::try_from_secs_f64(secs).ok()
    } else {
        None
    }
}

fn parse_reset(raw: &str) -> Option<Duration> {
    match parse_count(raw) {
        Some(epoch) if epoch >= EPOCH_THRESHOLD => {
            let now = SystemTime::now().duration_since(UNIX_EPOCH).ok()?;
            Some(Duration::from_secs(epoch).saturating_sub(now))
        }
        Some(secs) => Some(Duration::from_secs(secs)),
        None => parse_seconds(raw),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &[u8])]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_bytes(value).unwrap());
        }
        map
    }

    #[test]
    fn a_header_sent_twice_is_read_from_its_first_value() {
        let mut h = HeaderMap::new();
        for (name, value) in [
            ("X-Request-Id", "first"),
            ("ratelimit-remaining", "7"),
            ("x-request-id", "second"),
            ("RateLimit-Remaining", "8"),
            ("ETag", "W/\"1\""),
        ] {
            h.append(name, HeaderValue::from_static(value));
        }
        let meta = ResponseMeta::from_headers(StatusCode::OK, &h, 1);
        assert_eq!(meta.request_id(), Some("first"));
        assert_eq!(meta.etag(), Some("W/\"1\""));
        assert_eq!(meta.rate_limit().remaining(), Some(7));
        assert_eq!(meta.rate_limit().raw_limit(), None);
    }

    #[test]
    fn numeric_rate_limit_headers_are_parsed_and_kept_raw() {
        let h = headers(&[
            ("ratelimit-limit", b"100"),
            ("ratelimit-remaining", b" 99 "),
            ("ratelimit-reset", b"42"),
            ("ratelimit-policy", b"100;w=900"),
        ]);
        let rl = RateLimit::from_headers(&h);
        assert_eq!(rl.limit(), Some(100));
        assert_eq!(rl.remaining(), Some(99));
        assert_eq!(rl.raw_remaining(), Some("99"));
        assert_eq!(rl.reset(), Some(Duration::from_secs(42)));
        assert_eq!(rl.policy(), Some("100;w=900"));
        assert_eq!(rl.window(), Some(Duration::from_secs(900)));
    }

    #[test]
    fn non_numeric_values_are_kept_raw_without_failing() {
        let h = headers(&[
            ("ratelimit-limit", b"lots"),
            ("ratelimit-reset", b"soon"),
            ("retry-after", b"Wed, 21 Oct 2015 07:28:00 GMT"),
            ("x-request-id", b"caf\xe9"),
        ]);
        let rl = RateLimit::from_headers(&h);
        assert_eq!((rl.limit(), rl.raw_limit()), (None, Some("lots")));
        assert_eq!((rl.reset(), rl.raw_reset()), (None, Some("soon")));
        assert_eq!(rl.retry_after(), None);
        assert_eq!(rl.wait_hint(), None);
        let meta = ResponseMeta::from_headers(StatusCode::OK, &h, 1);
        assert_eq!(meta.request_id(), Some("caf\u{fffd}"));
    }

    #[test]
    fn header_values_are_trimmed_and_cut_to_256_characters() {
        let ascii = format!("  {}  ", "a".repeat(300));
        let mut latin1 = b" ".to_vec();
        latin1.extend(std::iter::repeat_n(0xe9u8, 300));
        let h = headers(&[
            ("x-request-id", ascii.as_bytes()),
            ("etag", &latin1),
            ("ratelimit-policy", b" 100;w=60\t"),
        ]);
        let meta = ResponseMeta::from_headers(StatusCode::CREATED, &h, 1);
        assert_eq!(meta.request_id(), Some("a".repeat(256).as_str()));
        assert_eq!(meta.etag(), Some("\u{fffd}".repeat(256).as_str()));
        assert_eq!(meta.rate_limit().policy(), Some("100;w=60"));
    }

    #[test]
    fn retry_after_wins_over_reset_and_accepts_decimals() {
        let h = headers(&[("retry-after", b"0.25"), ("ratelimit-reset", b"7")]);
        let rl = RateLimit::from_headers(&h);
        assert_eq!(rl.wait_hint(), Some(Duration::from_millis(250)));
        let h = headers(&[("ratelimit-reset", b"7")]);
        assert_eq!(
            RateLimit::from_headers(&h).wait_hint(),
            Some(Duration::from_secs(7))
        );
    }

    #[test]
    fn epoch_reset_becomes_time_left() {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let raw = (now + 30).to_string();
        let h = headers(&[("ratelimit-reset", raw.as_bytes())]);
        let left = RateLimit::from_headers(&h).reset().unwrap();
        assert!(left <= Duration::from_secs(30) && left >= Duration::from_secs(25));
        let past = headers(&[("ratelimit-reset", b"1000000000")]);
        assert_eq!(RateLimit::from_headers(&past).reset(), Some(Duration::ZERO));
    }
}
