#![doc = include_str!("../README.md")]
//!
//! ## Feature flags
//!
//! From the comments in `Cargo.toml`:
//!
#![doc = document_features::document_features!()]

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
    Client, ClientBuilder, DEFAULT_BASE_URL, ProfileStream, Progress, RetryPolicy, WaitOptions,
};
pub use error::{ApiError, ApiProblem, DecodeError, Error, TimeoutError, TransportError};
pub use fj_sourcing_query::{
    AnnotatedBuilder, AnnotatedFilters, AnnotationError, BuildError, DropReason, Dropped,
    FilterValue, HasSkills, NoSkills, Problem, ProblemKind, Queries, ReadyToBuild, RevealType,
    Session, SessionBuilder, SessionRequest, SkillBuckets, SkillState,
};
pub use meta::{RateLimit, Response, ResponseMeta};
pub use secret::ApiKey;

/// `Result` with this crate's [`Error`] as the default error type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
