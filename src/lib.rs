#![doc = include_str!("../README.md")]
//!
//! ## Feature flags
//!
//! As described in `Cargo.toml` (`tests/features.rs` keeps the two alike):
//!
//! * **`rustls`** *(default)*:
//!   HTTPS through [rustls](https://docs.rs/rustls) with the *ring* crypto provider and the
//!   platform's certificate verifier (`rustls-platform-verifier`). *ring* rather than
//!   aws-lc-rs (reqwest's own default) because it builds without cmake or a large C build: it
//!   keeps a cold build of an application lighter (measured in docs/benchmarks.md).
//! * **`native-tls`**:
//!   HTTPS through the platform's TLS library (OpenSSL on Linux, so it needs `libssl-dev` and
//!   `pkg-config` to build; Secure Transport on macOS; SChannel on Windows). When both TLS
//!   features are on, this one is used.
//! * **`sandbox`**:
//!   The local sandbox server, re-exported as `fj_sourcing::sandbox`.

// Private modules; every item a user names is re-exported below, so it has exactly one path.
mod client;
mod error;
mod meta;
mod secret;

pub mod model;

/// The local sandbox server (feature `sandbox`): the [`fj-sandbox`](fj_sandbox) crate.
#[cfg(feature = "sandbox")]
pub use fj_sandbox as sandbox;
/// The field table: one marker type per documented filter key; see `docs/filters.md`.
pub use fj_sourcing_query::fields;
/// The four filter operators and the values they carry.
pub use fj_sourcing_query::ops;
/// The `reqwest` (0.13) this crate is built on, for [`ClientBuilder::http_client`] and
/// `reqwest::Certificate`: naming it from here keeps an application on the same version.
pub use reqwest;

pub use client::{
    Client, ClientBuilder, CreditCosts, DEFAULT_BASE_URL, ProfileCursor, ProfileStream, Progress,
    RetryPolicy, RevealContacts, UnknownValue, ValueReport, WaitOptions, Watch,
};
pub use error::{ApiError, ApiProblem, DecodeError, Error, TimeoutError, TransportError};
pub use fj_sourcing_query::{
    AnnotatedBuilder, AnnotatedFilters, AnnotationError, BuildError, DropReason, Dropped,
    FilterValue, HasSkills, NoSkills, Problem, ProblemKind, Queries, ReadyToBuild, RevealType,
    Session, SessionBuilder, SessionPatch, SessionPatchBuilder, SessionRequest, SkillBuckets,
    SkillState,
};
pub use meta::{RateLimit, Response, ResponseMeta};
pub use secret::ApiKey;

/// `Result` with this crate's [`Error`] as the default error type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What the exported macros expand to; not an API.
#[doc(hidden)]
pub mod __private {
    pub use fj_sourcing_macros::{include_session, session};
}

/// A [`SessionRequest`] from JSON in the Create Sourcing Session body shape, checked at compile
/// time by the rules of [`SessionRequest::from_json`] (the macro runs that very function).
///
/// The expression cannot fail at run time. Any problem is a compile error on the literal listing
/// every problem with its wire path, in the words of [`BuildError`]'s `Display`.
///
/// ```
/// let request = fj_sourcing::session!(r#"{
///     "sessionTitle": ".NET Developer",
///     "queries": {
///         "region": { "type": "IN", "value": ["Pune, Maharashtra, India"] },
///         "skills": { "type": "IN", "value": { "mandatory": ["C#"] } }
///     }
/// }"#);
/// assert_eq!(request.skills().mandatory(), ["C#"]);
/// ```
///
/// ```compile_fail
/// // error: invalid session request: queries.years_of_experience_raw.value: range 5..=1 is inverted
/// let request = fj_sourcing::session!(r#"{ "queries": {
///     "years_of_experience_raw": { "type": "RANGE", "value": [5, 1] },
///     "skills": { "type": "IN", "value": { "mandatory": ["C#"] } }
/// } }"#);
/// ```
#[macro_export]
macro_rules! session {
    ($($json:tt)+) => {
        // `$crate` tells the proc macro where `SessionRequest` is, so that the expansion works
        // for users who depend on `fj-sourcing` alone.
        $crate::__private::session!(crate = $crate, $($json)+)
    };
}

/// [`session!`] for a JSON file: the path is relative to the including crate's
/// `CARGO_MANIFEST_DIR`, as with `sqlx::query_file!`.
///
/// A missing or unreadable file is a compile error naming the path. The file's text is
/// embedded, and the crate is rebuilt (and the file checked again) whenever it changes.
///
/// ```
/// let request = fj_sourcing::include_session!("tests/fixtures/create_request.json");
/// assert_eq!(request.title(), Some(".NET Developer"));
/// ```
#[macro_export]
macro_rules! include_session {
    ($($path:tt)+) => {
        $crate::__private::include_session!(crate = $crate, $($path)+)
    };
}
