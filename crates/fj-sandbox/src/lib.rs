//! A local, stateful server that behaves like the documented FutureJobs Sourcing API: the sandbox
//! of [`fj-sourcing`](https://docs.rs/fj-sourcing), where Rust users reach it as
//! `fj_sourcing::sandbox` (feature `sandbox`). It depends only on `fj-sourcing-query`, the DSL the
//! client uses too, never on the client. Every endpoint of the reference's section 2 is served under
//! [`API_PREFIX`], with API keys, credits, rate limits, asynchronous matching and deterministic
//! synthetic candidates, so code can be tried and tested offline. The `fj-sandbox` program
//! serves the same thing from the command line.
//!
//! ```no_run
//! use fj_sandbox::Sandbox;
//!
//! # #[tokio::main] async fn main() -> std::io::Result<()> {
//! let sandbox = Sandbox::builder().credits(100).polls_before_done(0).start().await?;
//! let url = format!("{}/sourcing-session", sandbox.base_url());
//! // ... send requests to `url` with the header `x-fj-api-key: {sandbox.api_key()}` ...
//! assert_eq!(sandbox.credits_remaining(), 100);
//! sandbox.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! # Feature flags
//!
//! * `cli` (default): `fj_sandbox::cli::SandboxArgs`, the `fj-sandbox` program's flags as a clap
//!   `Args` struct that other command lines can flatten into theirs (the `fj` CLI does, for
//!   `fj sandbox`). The program needs it; `fj-sourcing` depends on this crate without it, so
//!   clap is not built for library users.
//!
//! # Behaviour where the reference is silent
//!
//! * **Errors** use the success envelope's shape: `{"statusCode", "status": "ERROR",
//!   "message"}`, plus `"errors": [{"path", "kind", "message"}]` on every 400 (the crate's
//!   [`Problem`](fj_sourcing_query::Problem)s for request bodies; the parameter name as `path` for query
//!   parameters). Unknown routes answer 404, wrong methods 405, both with the envelope.
//! * **Order of checks**: rate limit (429), API key (401), body size (413), then per endpoint
//!   input (400), lookups (404), credits (402). Update looks the session up (404) before it
//!   validates the merged body (400).
//! * **API keys**: compared in constant time; several keys all act on one workspace (one
//!   balance, one project). Only `x-fj-api-key` is read, on every endpoint including JD to
//!   Filters (whose page names `Authorization`).
//! * **Credits**: every operation's price is below; a 402 changes nothing. Update answers 402
//!   too when the balance is short, although its page does not list 402. Every paid answer
//!   reports its charge as a `creditInfo` object (`charged`, `amount`, `reason`,
//!   `remainingCredits`), in Create's documented shape, where the crate's client reads it
//!   (`fj_sourcing::ResponseMeta::credit_info`, see the table below).
//! * **Matching**: see [`Matching`]. A new session is `idle` in Create's `data.session` and
//!   `processing` in `data.sourcing` (as documented), then `processing` until done. Update
//!   replaces the results: `processing`, then `done` with a fresh batch, and
//!   `filterChangesCounter` goes up by one. Fetch More appends a batch: `fetching_more`, then
//!   `done`, with `totalDocs` grown by the batch; `searchMoreCounter` goes up by one. Update and
//!   Fetch More are accepted while a search runs (the running one is replaced or joined).
//! * **Update** merges a partial body into the stored session, the rule the client's
//!   `SessionPatch` is written for (see the `patch` rules: fields sent replace stored ones,
//!   `queries` and `jdDetail` merge key by key, so a `skills` value replaces all three buckets;
//!   `null` removes a documented key and is an unknown key anywhere else), then validates the
//!   result with the crate's rules.
//! * **Get Session Details** returns the full stored session document (the shape of Create's
//!   `data.session`) with live counters, a superset of the documented three fields.
//! * **Get Profiles** lists candidates of finished searches only (none while the first search
//!   runs); `limit` defaults to 20 and is capped at the configured maximum (the answer's
//!   `limit` shows the applied value); a page past the end is empty; `nextPage` is `null` on
//!   the last page; `totalPages` is at least 1 and `pagingCounter`, `hasPrevPage` and
//!   `prevPage` are included as in the mongoose-paginate plugin the field names come from.
//!   Each profile also carries `profile.linkedin_profile_url`, which Reveal Contact needs.
//! * **Get Project Sessions** lists every session, newest first (as the example's ids are).
//! * **Reveal Contact** answers 400 for a missing, blank or invalid parameter (`revealType`
//!   must be `EMAIL` or `PHONE`; the URL must be an http(s) LinkedIn URL), 404 for an unknown
//!   session or a profile that is not among the session's listed candidates. Both entries are
//!   always returned; one not revealed yet is `{"values": [], "status": null}`.
//! * **Filters Autocomplete** answers a bare array of strings; `limit` defaults to 10 (at most
//!   100); matching is a case-insensitive substring, prefix matches first; an unknown
//!   `filter_type` is a 400 naming the known ones. The word lists (plus a user's own,
//!   [`SandboxBuilder::vocabulary`]) are also what searches match: a value of a filter with a
//!   vocabulary (the field table's autocomplete column; not `country_region`, whose `(.)`
//!   values are patterns) that is in no list, exactly as spelt, matches no one. A filter whose
//!   values are all unknown, or an unknown mandatory skill, finds nobody; other unknown values
//!   are ignored. Such a search is charged like any other, as the API charges a search that
//!   finds nobody.
//! * **JD to Filters** answers the bare annotation map with a fixed set of keys (see the
//!   `annotate` module) and costs nothing.
//! * **Headers** on every response: `X-Request-Id` (unique), `X-Powered-By: fj-sandbox`,
//!   `Access-Control-Allow-Credentials: true`, `RateLimit-Limit`, `RateLimit-Remaining`,
//!   `RateLimit-Reset` (seconds until the window starts over), `RateLimit-Policy`
//!   (`<limit>;w=<seconds>`) and `ETag` (a hash of the body; a GET with a matching
//!   `If-None-Match` gets 304). 429 adds `Retry-After`. Get Profiles adds `Cache-Control`,
//!   `Pragma` and `Expires`. The rate limit is one fixed window shared by all requests.
//! * **Bodies** over [`MAX_BODY_BYTES`] get 413. `Content-Type` is not checked.
//! * **OpenAPI**: `GET /api/v1/wl/openapi.yaml` serves `docs/openapi.yaml` (the documented API
//!   with these choices marked `x-fj-sandbox`) as `application/yaml`, without an API key.
//!
//! # Credits
//!
//! The reference documents only Create's price. The sandbox's defaults ([`Costs::DEFAULT`],
//! configurable with [`SandboxBuilder::costs`] or `fj-sandbox --create-cost N` and the like) are:
//!
//! | operation | cost | where the answer reports the charge |
//! | --- | --- | --- |
//! | Create Sourcing Session | 5 (as documented) | `data.sourcing.creditInfo` (documented) |
//! | Update Session | 5 | `data.sourcing.creditInfo` (beside the documented `data.session`) |
//! | Fetch More Profiles | 5 | `data.creditInfo` |
//! | Reveal Contact, per (session, profile, contact type) | 1; 0 when repeated | `creditInfo` beside `data` (`data` is a list) |
//! | Get Session Details, Get Profiles, Get Candidate Details, Get Project Sessions, Filters Autocomplete, JD to Filters | 0 | (no charge) |
//!
//! A repeated reveal answers `"creditInfo": {"charged": false, "amount": 0, ...}`; a refused
//! operation (any error status) charges nothing. [`SandboxHandle::charges`] lists every charge.
//!
//! # Request journal and log
//!
//! Every request is kept in a journal ([`SandboxHandle::requests`], a [`RecordedRequest`] each:
//! method, path, status, JSON body, credits charged, request id, and for an error status its
//! first problem), bounded by [`SandboxBuilder::journal_size`]. Programs in other languages read
//! it with `GET /api/v1/wl/__sandbox/requests` (a JSON array) and empty it with `DELETE`; those
//! two need no key, are not journaled, and bypass faults, latency and the rate limit. Each
//! request is also a `tracing` event (target `fj_sandbox::request`), the request log, which the
//! `fj-sandbox` program prints on standard error ([`LogFormat`]); a sandbox embedded in a test is
//! quiet unless the test installs a subscriber.
//!
//! **Scores**: the reference shows `finalScore: 5` and gives no scale; the sandbox reads it as a
//! star rating, one decimal from 1.0 to 5.0, that follows how well a candidate matches its
//! request: `1 + 4 × the weighted share of the request's criteria met`, with mandatory skills
//! weighing 8, core skills 4, secondary skills 2 (the share of each bucket listed), the title 1
//! (one of the `current_employers.title` values, or without that filter a word of the session's
//! title) and the region 1 (with a region or country filter). `starRating` is the same number;
//! `starLabel` is `excellent` from 4.5, `very good` from 4.0, `good` from 3.0, else `fair`. The
//! same seed and requests give the same scores. Each batch is listed best first; a Fetch More
//! batch comes after the earlier ones, so pages already read and saved cursors stay valid.
//!
//! # Fault injection
//!
//! Off by default. [`SandboxHandle::inject`] queues a [`Fault`] for the next requests (an
//! injected status, a connection closed before the answer or mid-body, a malformed body,
//! missing headers, extra latency); [`SandboxBuilder::latency`] and
//! [`SandboxHandle::set_latency`] delay every answer; [`SandboxHandle::requests_seen`] counts
//! the requests that reached the server, so a test can tell whether a client retried.

use std::fmt;
use std::io;
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

mod annotate;
#[cfg(feature = "cli")]
pub mod cli;
mod config;
mod document;
mod envelope;
mod faults;
mod ids;
mod journal;
mod layer;
mod limits;
mod net;
mod openapi;
mod patch;
mod routes;
mod score;
mod state;
mod synth;
mod vocab;

use vocab::Vocabulary;

pub use config::{Costs, Matching};
pub use faults::Fault;
pub use journal::{DEFAULT_JOURNAL_BYTES, DEFAULT_JOURNAL_REQUESTS, LogFormat, RecordedRequest};
pub use limits::{Charge, Operation};

use config::Config;
use faults::Faults;
use fj_sourcing_query::SessionRequest;
use fj_sourcing_query::fields::FieldId;
use journal::Journal;
use limits::RateLimiter;
use net::{Cut, CuttableListener};
use state::Store;

/// The path prefix of every endpoint, as on the real host.
pub const API_PREFIX: &str = "/api/v1/wl";

/// The port `fj-sandbox` serves on when given no `--addr`.
pub const DEFAULT_PORT: u16 = 4010;

/// The address `fj-sandbox` serves on when given no `--addr`: `127.0.0.1:4010`.
///
/// [`SandboxBuilder`] binds a free port on `127.0.0.1` instead unless told otherwise.
pub const DEFAULT_ADDR: SocketAddr =
    SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, DEFAULT_PORT));

/// The API key a sandbox accepts unless configured otherwise.
pub const DEFAULT_API_KEY: &str = "fjk_sandbox_key";

/// The workspace's starting balance unless configured otherwise.
pub const DEFAULT_CREDITS: u64 = 1000;

/// Requests allowed per rate-limit window unless configured otherwise.
pub const DEFAULT_RATE_LIMIT: u32 = 1000;

/// The rate-limit window unless configured otherwise.
pub const DEFAULT_RATE_WINDOW: Duration = Duration::from_secs(60);

/// The largest `limit` Get Profiles for Session honours unless configured otherwise.
pub const DEFAULT_MAX_PAGE_SIZE: u32 = 100;

/// Candidates found by each search (Create, Update, Fetch More) unless configured otherwise.
pub const DEFAULT_BATCH_SIZE: u32 = 25;

/// The seed of the synthetic data unless configured otherwise.
pub const DEFAULT_SEED: u64 = 42;

/// The largest request body accepted (1 MiB); larger bodies get 413.
pub const MAX_BODY_BYTES: usize = 1 << 20;

/// The filters synthetic candidates are guaranteed to satisfy.
///
/// Other filters are accepted, validated and echoed, but do not shape the candidates.
pub const HONOURED_FILTERS: &[FieldId] = &[
    FieldId::CountryRegion,
    FieldId::Region,
    FieldId::YearsOfExperience,
    FieldId::Skills,
    FieldId::CurrentTitle,
    FieldId::CurrentCompany,
    FieldId::EmploymentType,
    FieldId::YearsAtCurrentCompany,
    FieldId::CurrentSeniority,
    FieldId::CurrentFunction,
    FieldId::PastCompany,
    FieldId::PastTitle,
    FieldId::Degree,
    FieldId::FieldOfStudy,
    FieldId::School,
];

/// What every request handler shares.
pub(crate) struct App {
    store: Store,
    limiter: RateLimiter,
    faults: Faults,
    journal: Journal,
    /// Makes request ids differ between sandboxes (and processes).
    process_key: u64,
}

/// Entry point: `Sandbox::builder()`.
#[derive(Clone, Copy, Debug)]
pub struct Sandbox;

impl Sandbox {
    /// A builder with the defaults: key [`DEFAULT_API_KEY`], [`DEFAULT_CREDITS`] credits,
    /// [`Costs::DEFAULT`], [`Matching::Polls(1)`](Matching::Polls), [`DEFAULT_RATE_LIMIT`]
    /// requests per [`DEFAULT_RATE_WINDOW`], pages of at most [`DEFAULT_MAX_PAGE_SIZE`],
    /// batches of [`DEFAULT_BATCH_SIZE`], seed [`DEFAULT_SEED`], a free port on 127.0.0.1.
    pub fn builder() -> SandboxBuilder {
        SandboxBuilder {
            config: Config {
                addr: SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0)),
                api_keys: vec![DEFAULT_API_KEY.to_owned()],
                credits: DEFAULT_CREDITS,
                costs: Costs::DEFAULT,
                matching: Matching::default(),
                rate_limit: DEFAULT_RATE_LIMIT,
                rate_window: DEFAULT_RATE_WINDOW,
                max_page_size: DEFAULT_MAX_PAGE_SIZE,
                batch_size: DEFAULT_BATCH_SIZE,
                seed: DEFAULT_SEED,
                latency: Duration::ZERO,
                journal: (
                    DEFAULT_JOURNAL_REQUESTS,
                    DEFAULT_JOURNAL_BYTES,
                    LogFormat::Text,
                ),
                max_sessions: None,
                vocabulary: Vocabulary::default(),
                vocabulary_file: None,
            },
            vocabulary_error: None,
        }
    }
}

/// Configures and starts a sandbox. See [`Sandbox::builder`] for the defaults.
#[derive(Clone)]
pub struct SandboxBuilder {
    config: Config,
    /// The first `filter_type` [`vocabulary`](Self::vocabulary) did not know, reported by
    /// [`start`](Self::start).
    vocabulary_error: Option<String>,
}

impl fmt::Debug for SandboxBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SandboxBuilder")
            .field("config", &self.config)
            .finish()
    }
}

impl SandboxBuilder {
    /// Accept only this API key.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.config.api_keys = vec![key.into()];
        self
    }

    /// Accept each of these API keys (all act on the same workspace).
    pub fn api_keys<I>(mut self, keys: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.config.api_keys = keys.into_iter().map(Into::into).collect();
        self
    }

    /// The workspace's starting balance.
    pub fn credits(mut self, credits: u64) -> Self {
        self.config.credits = credits;
        self
    }

    /// What each paid operation costs.
    pub fn costs(mut self, costs: Costs) -> Self {
        self.config.costs = costs;
        self
    }

    /// How searches reach `done`.
    pub fn matching(mut self, matching: Matching) -> Self {
        self.config.matching = matching;
        self
    }

    /// Shorthand for [`Matching::Polls`]: this many polls report the running status first.
    pub fn polls_before_done(self, polls: u32) -> Self {
        self.matching(Matching::Polls(polls))
    }

    /// Shorthand for [`Matching::Delay`]: searches are done after `delay`.
    pub fn matching_delay(self, delay: Duration) -> Self {
        self.matching(Matching::Delay(delay))
    }

    /// At most `requests` requests per `window` (a fixed window; at least 1 ms).
    pub fn rate_limit(mut self, requests: u32, window: Duration) -> Self {
        self.config.rate_limit = requests;
        self.config.rate_window = window;
        self
    }

    /// The largest Get Profiles `limit` honoured (larger ones are capped; at least 1).
    pub fn max_page_size(mut self, limit: u32) -> Self {
        self.config.max_page_size = limit.max(1);
        self
    }

    /// How many candidates each search finds when the filters can be satisfied.
    pub fn batch_size(mut self, size: u32) -> Self {
        self.config.batch_size = size;
        self
    }

    /// The seed of the synthetic data: the same seed and requests give the same answers.
    pub fn seed(mut self, seed: u64) -> Self {
        self.config.seed = seed;
        self
    }

    /// Adds this delay before every answer (fault injection; see also
    /// [`SandboxHandle::set_latency`]).
    pub fn latency(mut self, latency: Duration) -> Self {
        self.config.latency = latency;
        self
    }

    /// Keep at most `requests` requests and `bytes` bytes in the journal
    /// ([`SandboxHandle::requests`]), dropping the oldest first; `requests` 0 turns it off.
    /// [`DEFAULT_JOURNAL_REQUESTS`] and [`DEFAULT_JOURNAL_BYTES`] unless set.
    ///
    /// A journaled request costs its body plus about 0.35 KB (about 0.9 KB for the reference's
    /// Create example): with every session created once, 10,000 sessions take about 0.67 KB
    /// each without the journal and 1.5 KB with it. The journal stops growing at its bounds, so
    /// `benches/sandbox_scale.rs` measures the memory per session with it off.
    pub fn journal_size(mut self, requests: usize, bytes: usize) -> Self {
        (self.config.journal.0, self.config.journal.1) = (requests, bytes);
        self
    }

    /// How the request log writes each request (see [`LogFormat`]). The log is a `tracing`
    /// event (target `fj_sandbox::request`, level INFO): it shows only where a subscriber is
    /// installed, as the `fj-sandbox` program does.
    pub fn log_format(mut self, format: LogFormat) -> Self {
        self.config.journal.2 = format;
        self
    }

    /// Keep at most `max` sessions (at least 1): when a create would store one more, the
    /// oldest session is evicted first. Unbounded by default.
    ///
    /// A sandbox keeps every session (with its candidates, once listed) until it stops, about
    /// 0.6 KB for a small request before its candidates are generated; this bounds the memory of
    /// a long-running one. Any call naming an evicted session gets a 404 whose message says it
    /// was evicted. Charges made before the oldest stored session was created are dropped with
    /// it, so [`SandboxHandle::charges`] lists the charges since then. Memory still grows with
    /// what is done to the stored sessions (each Fetch More adds a batch of candidates).
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let sandbox = fj_sandbox::Sandbox::builder().max_sessions(10_000).start().await?;
    /// # Ok(()) }
    /// ```
    pub fn max_sessions(mut self, max: usize) -> Self {
        self.config.max_sessions = Some(max.max(1));
        self
    }

    /// Adds `values` to the word list of Filters Autocomplete's `filter_type` (`region`, `skill`,
    /// `title`, `company`, ...: the types of `docs/filters.md`'s autocomplete column). The
    /// sandbox suggests them and matches them like its own words; a value in no list matches
    /// no one. [`start`](Self::start) fails on a `filter_type` the sandbox does not know.
    pub fn vocabulary<I>(mut self, filter_type: &str, values: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        let values = values.into_iter().map(Into::into).collect();
        if let Err(message) = self.config.vocabulary.add(filter_type, values) {
            self.vocabulary_error.get_or_insert(message);
        }
        self
    }

    /// Reads more words when the sandbox starts: a JSON object from `filter_type` to a list of
    /// values, as [`vocabulary`](Self::vocabulary) takes them (`fj-sandbox --vocabulary FILE`).
    pub fn vocabulary_file(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.config.vocabulary_file = Some(path.into());
        self
    }

    /// Serve on this address instead of a free port on 127.0.0.1.
    pub fn addr(mut self, addr: SocketAddr) -> Self {
        self.config.addr = addr;
        self
    }

    /// Binds the address and starts serving on the current tokio runtime.
    ///
    /// Fails when the address cannot be bound or the vocabulary file cannot be read, or with
    /// [`io::ErrorKind::InvalidInput`] when no API key is configured or one is blank, or a
    /// vocabulary names a `filter_type` the sandbox does not know.
    pub async fn start(self) -> io::Result<SandboxHandle> {
        let keys = &self.config.api_keys;
        if keys.is_empty() || keys.iter().any(|k| k.trim().is_empty()) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "a sandbox needs at least one API key, and no blank ones",
            ));
        }
        let mut config = self.config;
        let invalid = |message: String| io::Error::new(io::ErrorKind::InvalidInput, message);
        if let Some(message) = self.vocabulary_error {
            return Err(invalid(message));
        }
        if let Some(path) = config.vocabulary_file.take() {
            let name = path.display();
            let text = std::fs::read(&path)
                .map_err(|e| io::Error::new(e.kind(), format!("cannot read {name}: {e}")))?;
            let lists: std::collections::BTreeMap<String, Vec<String>> =
                serde_json::from_slice(&text).map_err(|e| {
                    invalid(format!(
                        "{name}: expected a JSON object from filter_type to a list of values: {e}"
                    ))
                })?;
            for (filter_type, values) in lists {
                config
                    .vocabulary
                    .add(&filter_type, values)
                    .map_err(|e| invalid(format!("{name}: {e}")))?;
            }
        }
        let listener = tokio::net::TcpListener::bind(config.addr).await?;
        let addr = listener.local_addr()?;
        let api_key = config.api_keys[0].clone();
        let app = Arc::new(App {
            limiter: RateLimiter::new(config.rate_limit, config.rate_window),
            faults: Faults::new(config.latency),
            journal: Journal::new(config.journal.0, config.journal.1, config.journal.2),
            store: Store::new(config),
            process_key: fastrand::u64(..),
        });
        let router = routes::router(Arc::clone(&app));
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let service = router.into_make_service_with_connect_info::<Cut>();
            axum::serve(CuttableListener(listener), service)
                .with_graceful_shutdown(async {
                    // A dropped sender (handle dropped) stops the server as well.
                    let _ = stopped.await;
                })
                .await
        });
        Ok(SandboxHandle {
            base_url: format!("http://{addr}{API_PREFIX}"),
            addr,
            api_key,
            app,
            stop: Some(stop),
            task: Some(task),
        })
    }
}

/// A running sandbox. Dropping it stops the server too, without waiting.
pub struct SandboxHandle {
    base_url: String,
    addr: SocketAddr,
    api_key: String,
    app: Arc<App>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<io::Result<()>>>,
}

impl fmt::Debug for SandboxHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SandboxHandle")
            .field("base_url", &self.base_url)
            .field("api_key", &"<redacted>")
            .finish_non_exhaustive()
    }
}

impl SandboxHandle {
    /// The base URL to give a client, including [`API_PREFIX`]:
    /// `http://127.0.0.1:<port>/api/v1/wl`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The (first) API key the sandbox accepts.
    pub fn api_key(&self) -> &str {
        &self.api_key
    }

    /// The workspace's current balance.
    pub fn credits_remaining(&self) -> u64 {
        self.app.store.credits()
    }

    /// Sets the workspace's balance (a top-up, or draining it to test 402s).
    pub fn set_credits(&self, credits: u64) {
        self.app.store.set_credits(credits);
    }

    /// How many sessions are stored (evicted ones are not; see
    /// [`SandboxBuilder::max_sessions`]).
    pub fn session_count(&self) -> usize {
        self.app.store.session_count()
    }

    /// The ids of every stored session, oldest first.
    pub fn session_ids(&self) -> Vec<String> {
        self.app.store.session_ids()
    }

    /// Every charge made so far, oldest first (with [`SandboxBuilder::max_sessions`], every
    /// charge made since the oldest stored session was created).
    pub fn charges(&self) -> Vec<Charge> {
        self.app.store.charges()
    }

    /// Makes the next `times` requests (in arrival order, whatever they are) suffer `fault`.
    ///
    /// Injections queue up: after these, the next injected fault applies. Off by default.
    ///
    /// ```no_run
    /// # async fn demo(sandbox: fj_sandbox::SandboxHandle) {
    /// use fj_sandbox::Fault;
    /// sandbox.inject(Fault::Status(503), 2); // the next two requests get 503, unprocessed
    /// sandbox.inject(Fault::CloseBeforeResponse, 1); // then one is processed but unanswered
    /// # }
    /// ```
    pub fn inject(&self, fault: Fault, times: u32) {
        self.app.faults.push(fault, times);
    }

    /// Drops every queued fault (the constant latency stays).
    pub fn clear_faults(&self) {
        self.app.faults.clear();
    }

    /// Sets the delay added before every answer (`Duration::ZERO` for none).
    pub fn set_latency(&self, latency: Duration) {
        self.app.faults.set_latency(latency);
    }

    /// How many requests reached the server so far, whatever their answer (rate-limited,
    /// unauthorized and faulted ones included; the journal's own endpoint is not counted).
    /// [`clear_requests`](Self::clear_requests) does not reset it.
    pub fn requests_seen(&self) -> u64 {
        self.app.faults.seen()
    }

    /// The journal: the requests answered so far, in arrival order, at most the
    /// [`journal_size`](SandboxBuilder::journal_size) most recent ones. Requests to
    /// `GET`/`DELETE /api/v1/wl/__sandbox/requests` (the same journal over HTTP) are not in it.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.app.journal.records()
    }

    /// Empties the journal. [`requests_seen`](Self::requests_seen) keeps counting from where
    /// it was: it counts requests, not journal entries.
    pub fn clear_requests(&self) {
        self.app.journal.clear();
    }

    /// The stored filters of session `id` as a typed request, after every update; `None` for
    /// an unknown or evicted session.
    pub fn session(&self, id: &str) -> Option<SessionRequest> {
        self.app.store.request_of(id).ok()
    }

    /// Stops accepting connections, lets in-flight requests finish, and waits for the server.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            match task.await {
                Ok(Ok(())) => {}
                Ok(Err(err)) => tracing::warn!(%err, "fj-sandbox server stopped with an error"),
                Err(err) => tracing::warn!(%err, "fj-sandbox server task failed"),
            }
        }
    }
}

impl Drop for SandboxHandle {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
