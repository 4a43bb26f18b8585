#![forbid(unsafe_code)]
#![warn(missing_docs)]
//! Typed client, query DSL and local sandbox for the FutureJobs Sourcing API.

pub mod builder;
pub mod fields;
pub mod ops;
pub mod request;
#[cfg(feature = "sandbox")]
pub mod sandbox;
pub mod validate;

pub use builder::{HasSkills, NoSkills, Session, SessionBuilder};
pub use fields::FieldId;
pub use request::{FilterValue, Queries, SessionRequest, SkillBuckets};
pub use validate::{BuildError, Problem, ProblemKind};
