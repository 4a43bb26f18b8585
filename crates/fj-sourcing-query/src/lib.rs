//! The query DSL of [`fj-sourcing`](https://docs.rs/fj-sourcing): the field table, the four
//! operators, the typestate builder, [`SessionRequest`] and its validation.
//!
//! This crate has no HTTP, async or server dependency: it is what the client (`fj-sourcing`),
//! the compile-time query macros (`fj-sourcing-macros`) and the sandbox (`fj-sandbox`) share, so
//! that all of them apply one set of rules. Applications use it through `fj-sourcing`, which
//! re-exports every item here at its own root.
//!
//! ```
//! use fj_sourcing_query::Session;
//!
//! let request = Session::builder()
//!     .title(".NET Developer")
//!     .region_in(["Pune, Maharashtra, India"])
//!     .experience(1..=5)
//!     .mandatory_skills(["C#"])
//!     .build()?;
//! assert_eq!(request.queries().len(), 3);
//! # Ok::<(), fj_sourcing_query::BuildError>(())
//! ```
//!
//! Modules form layers, each using only the ones before it: `value` and `state` (leaves),
//! [`ops`], [`fields`], `request` (with `problem`, `path`, `rules`, `parse` and `patch`),
//! `builder`, `patch_builder`, `annotations`; `wire` stands alone.

pub mod fields;
pub mod ops;

mod annotations;
mod builder;
mod patch_builder;
mod request;
mod state;
mod value;
mod wire;

pub use annotations::{
    AnnotatedBuilder, AnnotatedFilters, Annotation, AnnotationError, Annotations, DropReason,
    Dropped,
};
pub use builder::{ReadyToBuild, Session, SessionBuilder};
pub use patch_builder::SessionPatchBuilder;
pub use request::{
    BuildError, Problem, ProblemKind, Queries, SessionPatch, SessionRequest, is_linkedin_url,
    write_problems,
};
pub use state::{HasSkills, NoSkills, SkillState};
pub use value::{FilterValue, SkillBuckets};
pub use wire::{API_KEY_HEADER, RevealType};
