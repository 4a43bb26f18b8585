//! The HTTP client: configuration, the request pipeline (URL, headers, retries, tracing), and the
//! endpoint methods (one submodule per group of endpoints).

mod builder;
mod contacts;
mod filters;
mod profiles;
mod retry;
mod reveal;
mod sessions;
mod spend;
mod stream;
mod tls;
mod values;
mod wait;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderValue, USER_AGENT};
use reqwest::{Method, Url};
use tracing::Instrument as _;
use tracing::field::Empty;

pub use builder::ClientBuilder;
pub use retry::RetryPolicy;
pub(crate) use retry::Safety;
pub use reveal::RevealContacts;
pub(crate) use spend::Charging;
pub use spend::CreditCosts;
pub use stream::{ProfileCursor, ProfileStream};
pub use values::{UnknownValue, ValueReport};
pub use wait::{Progress, WaitOptions, Watch};

use fj_sourcing_query::API_KEY_HEADER;

use crate::error::{ApiError, DecodeError, Error, TimeoutError, TransportError};
use crate::meta::{Response, ResponseMeta};
use crate::model::{DecodeFailure, Decoded};

/// The production base URL: `https://prod.api.futurejobs.ai/api/v1/wl`.
pub const DEFAULT_BASE_URL: &str = "https://prod.api.futurejobs.ai/api/v1/wl";

/// The largest response body read; a page of 200 full profiles is far below it.
pub(crate) const MAX_BODY_BYTES: usize = 16 << 20;

/// A client for the FutureJobs Sourcing API. Cheap to clone (one shared connection pool), `Send`
/// and `Sync`.
///
/// ```no_run
/// use fj_sourcing::{Client, Session};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let client = Client::builder().api_key("fjk_...").build()?;
/// let request = Session::builder()
///     .title(".NET Developer")
///     .country_region_matches(["India"])
///     .mandatory_skills(["C#"])
///     .build()?;
/// let created = client.create_session(&request).await?;
/// println!("session {:?}, request id {:?}", created.id(), created.meta.request_id());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base: Url,
    api_key: HeaderValue,
    user_agent: HeaderValue,
    timeout: Duration,
    retry: RetryPolicy,
    spend: spend::Spend,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base.as_str())
            .field("api_key", &"fjk_***")
            .field("user_agent", &self.inner.user_agent)
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .field("credit_cap", &self.inner.spend.cap())
            .field("credits_spent", &self.inner.spend.spent())
            .finish()
    }
}

/// The HTTP verbs the API uses, with names that live as long as the errors quoting them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Verb {
    Get,
    Post,
    Patch,
}

impl Verb {
    fn as_str(self) -> &'static str {
        match self {
            Verb::Get => "GET",
            Verb::Post => "POST",
            Verb::Patch => "PATCH",
        }
    }

    fn method(self) -> Method {
        match self {
            Verb::Get => Method::GET,
            Verb::Post => Method::POST,
            Verb::Patch => Method::PATCH,
        }
    }
}

/// One API call, before it is sent.
pub(crate) struct Call<'a> {
    pub(crate) verb: Verb,
    /// Path segments after the base URL; each is percent-encoded as one segment.
    pub(crate) segments: &'a [&'a str],
    /// Query parameters, form-encoded.
    pub(crate) query: &'a [(&'static str, &'a str)],
    /// A JSON body (sent with `Content-Type: application/json`). `Bytes`, so that each attempt
    /// shares it instead of copying it.
    pub(crate) body: Option<Bytes>,
    pub(crate) safety: Safety,
    /// What the call is charged as, for the credit count and cap (`None` for free calls).
    pub(crate) charging: Option<Charging>,
}

impl<'a> Call<'a> {
    pub(crate) fn new(verb: Verb, segments: &'a [&'a str], safety: Safety) -> Self {
        Call {
            verb,
            segments,
            query: &[],
            body: None,
            safety,
            charging: None,
        }
    }

    /// A credit-charging call: counted, and refused past the cap before it is sent.
    pub(crate) fn charging(verb: Verb, segments: &'a [&'a str], operation: Charging) -> Self {
        Call {
            charging: Some(operation),
            ..Call::new(verb, segments, Safety::CreditCharging)
        }
    }

    pub(crate) fn query(mut self, query: &'a [(&'static str, &'a str)]) -> Self {
        self.query = query;
        self
    }

    pub(crate) fn json(mut self, body: Vec<u8>) -> Self {
        self.body = Some(Bytes::from(body));
        self
    }
}

/// How a success body is read.
pub(crate) type Decoder<T> = fn(&[u8]) -> Result<Decoded<T>, DecodeFailure>;

/// Refuses ids that cannot be one path segment (blank, `.` or `..`, which URL joining would drop).
pub(crate) fn check_id(name: &'static str, id: &str) -> Result<(), Error> {
    if id.trim().is_empty() {
        return Err(Error::invalid_argument(name, "must not be blank"));
    }
    if id == "." || id == ".." {
        return Err(Error::invalid_argument(
            name,
            format!("{id:?} is not an id"),
        ));
    }
    Ok(())
}

impl Client {
    /// Starts configuring a client; see [`ClientBuilder`].
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment: `FJ_API_KEY` (required) and `FJ_BASE_URL`
    /// (optional, defaults to [`DEFAULT_BASE_URL`]).
    ///
    /// ```no_run
    /// let client = fj_sourcing::Client::from_env()?;
    /// # Ok::<(), fj_sourcing::Error>(())
    /// ```
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from_lookup(|name| std::env::var(name).ok())?.build()
    }

    /// The base URL every path is appended to.
    pub fn base_url(&self) -> &Url {
        &self.inner.base
    }

    /// The per-request timeout.
    pub fn timeout(&self) -> Duration {
        self.inner.timeout
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// The credit cap set with [`ClientBuilder::credit_cap`], if any.
    pub fn credit_cap(&self) -> Option<u64> {
        self.inner.spend.cap()
    }

    /// The expected costs set with [`ClientBuilder::credit_costs`].
    pub fn credit_costs(&self) -> &CreditCosts {
        self.inner.spend.costs()
    }

    /// The credits this client (and every clone of it) has spent so far: the sum of the charges
    /// its answers reported ([`ResponseMeta::credit_info`]), the expected cost
    /// ([`CreditCosts`]) of calls whose answers reported none, and the expected cost of calls
    /// that failed in a way that may have been charged (a timeout, a `5xx`, a dropped
    /// connection, a cancelled call). Calls still in flight are not included.
    ///
    /// Counted with or without a [`credit_cap`](ClientBuilder::credit_cap). It is this client's
    /// own count, not the workspace balance: other programs using the same key spend too.
    ///
    /// ```no_run
    /// # async fn run(client: fj_sourcing::Client, request: fj_sourcing::SessionRequest) -> Result<(), fj_sourcing::Error> {
    /// let before = client.credits_spent();
    /// client.create_session(&request).await?;
    /// println!("that cost {}", client.credits_spent() - before);
    /// # Ok(()) }
    /// ```
    pub fn credits_spent(&self) -> u64 {
        self.inner.spend.spent()
    }

    fn url(&self, call: &Call<'_>) -> Result<Url, Error> {
        let mut url = self.inner.base.clone();
        url.path_segments_mut()
            .map_err(|()| Error::config("the base URL cannot take a path"))?
            .pop_if_empty()
            .extend(call.segments);
        if !call.query.is_empty() {
            url.query_pairs_mut().extend_pairs(call.query);
        }
        Ok(url)
    }

    /// The path of `url` relative to the base, as quoted in logs and errors (no query string).
    fn display_path<'u>(&self, url: &'u Url) -> &'u str {
        let base = self.inner.base.path().trim_end_matches('/');
        let path = url.path();
        path.strip_prefix(base).unwrap_or(path)
    }

    /// Sends `call`, retrying per the policy, and decodes a success body with `decode`.
    pub(crate) async fn send<T>(
        &self,
        call: Call<'_>,
        decode: Decoder<T>,
    ) -> Result<Response<T>, Error> {
        let url = self.url(&call)?;
        let path = self.display_path(&url);
        let (Success { mut meta, body }, reservation) =
            self.send_until_success(&call, &url, path).await?;
        // Decoded after the last await, not inside the retry loop's futures: the data (1.4 KB
        // for a Create answer) is then moved once to the caller instead of through every layer,
        // and the loop is compiled once rather than once per response type.
        match decode(&body) {
            Ok(decoded) => {
                meta.set_envelope(decoded.status_code, decoded.status, decoded.message);
                meta.set_credit_info(decoded.credit_info);
                if let Some(reservation) = reservation {
                    let reported = meta
                        .credit_info()
                        .and_then(crate::model::CreditInfo::charged_amount);
                    reservation.settle_reported(reported);
                }
                Ok(Response::new(decoded.data, meta))
            }
            Err(reason) => Err(decode_failed(
                &call,
                path,
                &meta,
                reason,
                &body,
                reservation,
            )),
        }
    }

    /// Attempts `call` until a success status, retrying per the policy. A charging call's
    /// reservation for the successful attempt comes back open, to be settled once the answer is
    /// decoded and its `creditInfo` known.
    async fn send_until_success(
        &self,
        call: &Call<'_>,
        url: &Url,
        path: &str,
    ) -> Result<(Success, Option<spend::Reservation<'_>>), Error> {
        let started = tokio::time::Instant::now();
        // Seeded when a first retry is planned: most calls succeed at once.
        let mut rng: Option<retry::Jitter> = None;
        let mut attempts = 0;
        // Every attempt of a charging call may be charged, so each holds a reservation. A first
        // attempt the cap refuses is never sent.
        let mut reservation = match call.charging {
            Some(operation) => Some(self.inner.spend.reserve(operation)?),
            None => None,
        };
        loop {
            attempts += 1;
            let span = tracing::debug_span!(
                "fj_sourcing.request",
                method = call.verb.as_str(),
                path = %path,
                attempt = attempts,
                status = Empty,
                request_id = Empty,
            );
            let outcome = self
                .attempt(call, url, path, attempts, &span)
                .instrument(span.clone())
                .await;
            let error = match outcome {
                Ok(success) => return Ok((success, reservation)),
                Err(error) => error,
            };
            if let Some(reservation) = reservation.take() {
                settle_failed(call, reservation, &error);
            }
            let Some(wait) = self.plan_retry(call, &error, attempts, started, &mut rng, &span)
            else {
                return Err(error);
            };
            tokio::time::sleep(wait).await;
            if let Some(operation) = call.charging {
                // A retry the cap forbids returns the previous attempt's error: the call did go
                // out, and a `CreditCap` would hide what happened to it.
                match self.inner.spend.reserve(operation) {
                    Ok(next) => reservation = Some(next),
                    Err(refused) => {
                        span.in_scope(|| {
                            tracing::debug!(%refused, "not retrying: the credit cap is reached");
                        });
                        return Err(error);
                    }
                }
            }
        }
    }

    /// After a failed attempt: how long to wait before the next one, or `None` to give up.
    fn plan_retry(
        &self,
        call: &Call<'_>,
        error: &Error,
        attempts: u32,
        started: tokio::time::Instant,
        rng: &mut Option<retry::Jitter>,
        span: &tracing::Span,
    ) -> Option<Duration> {
        let wait = self.inner.retry.next_wait(
            call.safety,
            error,
            attempts,
            started.elapsed(),
            rng.get_or_insert_with(retry::Jitter::new),
        )?;
        span.in_scope(|| {
            tracing::debug!(reason = failure_kind(error), ?wait, "retrying");
        });
        Some(wait)
    }

    async fn attempt(
        &self,
        call: &Call<'_>,
        url: &Url,
        path: &str,
        attempts: u32,
        span: &tracing::Span,
    ) -> Result<Success, Error> {
        let verb = call.verb;
        let inner = &self.inner;
        let mut request = inner
            .http
            .request(verb.method(), url.clone())
            .timeout(inner.timeout)
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .header(USER_AGENT, inner.user_agent.clone())
            .header(API_KEY_HEADER, inner.api_key.clone());
        if let Some(body) = &call.body {
            request = request
                .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                .body(body.clone());
        }
        let transport = |e: reqwest::Error| transport_error(verb, path, inner.timeout, e);
        let mut response = request.send().await.map_err(transport)?;
        let status = response.status();
        let meta = ResponseMeta::from_headers(status, response.headers(), attempts);
        span.record("status", status.as_u16());
        if let Some(id) = meta.request_id() {
            span.record("request_id", id);
        }
        let body = read_body(&mut response, &transport, |seen| {
            too_large(verb, path, &meta, seen)
        })
        .await?;
        tracing::debug!("response received");
        if !status.is_success() {
            return Err(api_error(verb, path, meta, &body));
        }
        Ok(Success { meta, body })
    }
}

/// A success answer whose body is still to be decoded.
struct Success {
    meta: ResponseMeta,
    body: Bytes,
}

/// Reads the whole body, at most [`MAX_BODY_BYTES`]: `transport` turns a failure to read into
/// the call's error, and `too_large` gets what was read when the body passes the limit.
///
/// A body that arrives in one chunk (a small answer from a server that sends its length) is kept
/// as that chunk, without a copy; more chunks are gathered into one buffer.
async fn read_body(
    response: &mut reqwest::Response,
    transport: impl Fn(reqwest::Error) -> Error,
    too_large: impl FnOnce(&[u8]) -> Error,
) -> Result<Bytes, Error> {
    // The first chunk, while it is the only one.
    let mut only: Option<Bytes> = None;
    let mut gathered = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(&transport)? {
        let seen = only.as_ref().map_or(gathered.len(), Bytes::len);
        if seen + chunk.len() > MAX_BODY_BYTES {
            let so_far = only.as_deref().unwrap_or(&gathered);
            return Err(too_large(so_far));
        }
        match only.take() {
            None if gathered.is_empty() => only = Some(chunk),
            None => gathered.extend_from_slice(&chunk),
            Some(first) => {
                gathered.reserve(first.len() + chunk.len());
                gathered.extend_from_slice(&first);
                gathered.extend_from_slice(&chunk);
            }
        }
    }
    Ok(only.unwrap_or_else(|| Bytes::from(gathered)))
}

/// A failure to send or to read an answer: a timeout, or another transport error.
fn transport_error(verb: Verb, path: &str, timeout: Duration, e: reqwest::Error) -> Error {
    if e.is_timeout() && !e.is_connect() {
        Error::Timeout(TimeoutError::new(
            verb.as_str(),
            path.to_owned(),
            timeout,
            Some(e),
        ))
    } else {
        Error::Transport(TransportError::new(verb.as_str(), path.to_owned(), e))
    }
}

/// An answer larger than [`MAX_BODY_BYTES`], with what was read of it.
fn too_large(verb: Verb, path: &str, meta: &ResponseMeta, seen: &[u8]) -> Error {
    let reason = format!(
        "the response body is larger than {} MiB",
        MAX_BODY_BYTES >> 20
    );
    decode_error(verb, path, meta, reason, seen)
}

/// A success answer whose body cannot be read as the call's data, with the body's start.
fn decode_error(
    verb: Verb,
    path: &str,
    meta: &ResponseMeta,
    reason: impl Into<DecodeFailure>,
    body: &[u8],
) -> Error {
    Error::Decode(DecodeError::new(
        verb.as_str(),
        path.to_owned(),
        meta,
        reason,
        body,
    ))
}

/// An error status, with what its body says.
fn api_error(verb: Verb, path: &str, meta: ResponseMeta, body: &[u8]) -> Error {
    ApiError::from_response(verb.as_str(), path.to_owned(), meta, body).into_error()
}

/// The reservation of an attempt that failed: released when the failure shows nothing was
/// charged, else settled at the call's expected cost.
fn settle_failed(call: &Call<'_>, reservation: spend::Reservation<'_>, error: &Error) {
    match call.charging {
        Some(operation) if spend::charged_nothing(operation, error) => reservation.release(),
        _ => reservation.settle_expected(),
    }
}

/// The error of a success answer whose body did not decode. The call was made, and may have
/// been charged: its reservation is settled at the expected cost.
fn decode_failed(
    call: &Call<'_>,
    path: &str,
    meta: &ResponseMeta,
    reason: DecodeFailure,
    body: &[u8],
    reservation: Option<spend::Reservation<'_>>,
) -> Error {
    if let Some(reservation) = reservation {
        reservation.settle_expected();
    }
    decode_error(call.verb, path, meta, reason, body)
}

/// A short, body-free name for a failure, for logs.
fn failure_kind(error: &Error) -> &'static str {
    match error {
        Error::Timeout(_) => "timeout",
        Error::Transport(e) if e.is_connect() => "connect",
        Error::Transport(_) => "transport",
        Error::RateLimited(_) => "rate limited",
        Error::Server(_) => "server error",
        _ => "error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync + 'static>() {}

    #[test]
    fn client_errors_and_streams_can_cross_threads() {
        assert_send_sync::<Client>();
        assert_send_sync::<Error>();
        assert_send_sync::<ProfileStream>();
        assert_send_sync::<Response<crate::model::CreatedSession>>();
    }

    fn assert_send<T: Send>(_: &T) {}

    #[test]
    fn call_futures_can_be_spawned() {
        // tokio::spawn needs `Send`: a guard held across an await in the pipeline would break it.
        let client = Client::builder()
            .api_key("k")
            .base_url("http://127.0.0.1:9/")
            .build()
            .expect("client");
        let request = fj_sourcing_query::SessionRequest::from_json(
            r#"{"queries": {"skills": {"type": "IN", "value": {"mandatory": ["Rust"], "core": [], "secondary": []}}}}"#,
        )
        .expect("request");
        assert_send(&client.create_session(&request));
        assert_send(&client.session("s1"));
        assert_send(&client.project_sessions());
    }
}
