#![forbid(unsafe_code)]
#![warn(missing_docs)]
//! Typed client, query DSL and local sandbox for the FutureJobs Sourcing API.
//!
//! Build a sourcing session request; the compiler checks each filter's operator and that at least
//! one skill is given, and `build()` checks the values:
//!
//! ```
//! use fj_sourcing::Session;
//!
//! let request = Session::builder()
//!     .title(".NET Developer")
//!     .region_in(["Pune, Maharashtra, India"])
//!     .experience(1..=5)
//!     .mandatory_skills(["C#"])
//!     .build()?;
//! assert_eq!(request.queries().len(), 3);
//! # Ok::<(), fj_sourcing::BuildError>(())
//! ```
//!
//! The filter keys, their operators and setters are listed in [`fields`] and in
//! `docs/filters.md`.

pub mod annotations;
pub mod builder;
pub mod client;
pub mod error;
pub mod fields;
pub mod model;
pub mod ops;
pub mod request;
#[cfg(feature = "sandbox")]
pub mod sandbox;
pub mod secret;
pub mod validate;

pub use builder::{HasSkills, NoSkills, Session, SessionBuilder};
pub use client::{
    Client, ClientBuilder, CreditCosts, ProfileCursor, ProfileStream, Progress, RateLimit,
    Response, ResponseMeta, RetryPolicy, RevealContacts, WaitOptions, Watch,
};
pub use error::{ApiError, ApiProblem, DecodeError, Error, TimeoutError, TransportError};
pub use fields::FieldId;
pub use model::RevealType;
pub use request::{FilterValue, Queries, SessionRequest, SkillBuckets};
pub use secret::ApiKey;
pub use validate::{BuildError, Problem, ProblemKind};

/// The README's examples, compiled and run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
