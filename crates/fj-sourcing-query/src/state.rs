//! The skills typestate of the builder: [`NoSkills`] until a skills bucket is filled, then
//! [`HasSkills`]. A leaf module, so that the operators (whose skills condition moves a builder to
//! `HasSkills`) need not import the builder.

use std::fmt;

mod sealed {
    pub trait Sealed {}
}

/// Builder state: no skill given yet; `build()` is not available.
#[derive(Clone, Copy, Debug)]
pub struct NoSkills;

/// Builder state: at least one skills bucket is filled; `build()` is available.
#[derive(Clone, Copy, Debug)]
pub struct HasSkills;

/// The skills state of a [`SessionBuilder`](crate::SessionBuilder): [`NoSkills`] or [`HasSkills`]. Sealed.
pub trait SkillState: sealed::Sealed + fmt::Debug {}
impl sealed::Sealed for NoSkills {}
impl sealed::Sealed for HasSkills {}
impl SkillState for NoSkills {}
impl SkillState for HasSkills {}
