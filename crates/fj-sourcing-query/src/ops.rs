//! Filter operators: the four `type` strings of the wire format and the values they carry.
//!
//! Every filter key takes exactly one operator (see [`crate::fields`]). The types here are what
//! [`SessionBuilder::filter`](crate::SessionBuilder::filter) accepts, so pairing a key with the
//! wrong operator is a compile error rather than a `400 Bad Request`.
//!
//! ```
//! use fj_sourcing_query::{fields, ops::{In, Range}, Session};
//!
//! let request = Session::builder()
//!     .filter(fields::Region, In::new(["Pune, Maharashtra, India"]))
//!     .filter(fields::YearsOfExperience, Range::new(1, 5))
//!     .mandatory_skills(["C#"])
//!     .build()
//!     .unwrap();
//! # let _ = request;
//! ```

use std::fmt;

use serde::{Serialize, Serializer};

use crate::state::{HasSkills, SkillState};
use crate::value::{FilterValue, SkillBuckets};
pub use crate::value::{Number, Range};

/// The operator of a filter, as a run-time value.
///
/// The typed API uses the marker types [`In`], [`Eq`](struct@Eq), [`Regex`] and [`Range`]; this enum is what
/// the field table and the JSON validator use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Operator {
    /// `"IN"`: the profile value is one of the listed values.
    In,
    /// `"="`: equality with one of the listed values.
    Eq,
    /// `"(.)"`: pattern match. The reference does not define it; it presumably means a
    /// case-insensitive "contains" match, as the same token does in comparable people-data APIs.
    Regex,
    /// `"RANGE"`: an inclusive `[min, max]` number range (inclusivity is presumed, not documented).
    Range,
}

impl Operator {
    /// All four operators.
    pub const ALL: [Operator; 4] = [Operator::In, Operator::Eq, Operator::Regex, Operator::Range];

    /// The string sent as the filter's `type`.
    ///
    /// ```
    /// use fj_sourcing_query::ops::Operator;
    /// assert_eq!(Operator::Regex.wire(), "(.)");
    /// ```
    pub const fn wire(self) -> &'static str {
        match self {
            Operator::In => "IN",
            Operator::Eq => "=",
            Operator::Regex => "(.)",
            Operator::Range => "RANGE",
        }
    }

    /// The operator whose wire string is `s` (exact, case-sensitive match).
    pub fn from_wire(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|op| op.wire() == s)
    }

    /// The name of the typed marker in this module (`"In"`, `"Eq"`, `"Regex"`, `"Range"`).
    pub const fn type_name(self) -> &'static str {
        match self {
            Operator::In => "In",
            Operator::Eq => "Eq",
            Operator::Regex => "Regex",
            Operator::Range => "Range",
        }
    }
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.wire())
    }
}

impl Serialize for Operator {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.wire())
    }
}

pub(crate) mod sealed {
    pub trait Sealed {}
}

/// A typed filter condition: an operator with its value.
///
/// Sealed: implemented by [`In`], [`Eq`](struct@Eq), [`Regex`] and [`Range`] only.
pub trait Condition: sealed::Sealed {
    /// The wire operator of this condition.
    const OPERATOR: Operator;
    /// The builder state after this condition is set: a skills condition fills the skills rule.
    type After<S: SkillState>: SkillState;
    #[doc(hidden)]
    fn into_value(self) -> FilterValue;
}

fn collect_strings<I>(values: I) -> Vec<String>
where
    I: IntoIterator,
    I::Item: Into<String>,
{
    values.into_iter().map(Into::into).collect()
}

/// `"IN"`: matches when the profile value is any of the listed values.
///
/// `In<SkillBuckets>` is the `skills` filter's condition (three buckets under one `"IN"`).
///
/// ```
/// use fj_sourcing_query::ops::In;
/// let titles = In::new([".NET Developer", "C# Developer"]);
/// assert_eq!(titles.values(), [".NET Developer", "C# Developer"]);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct In<V = Vec<String>> {
    value: V,
}

impl In {
    /// An `IN` condition over the given values.
    pub fn new<I>(values: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        In {
            value: collect_strings(values),
        }
    }

    /// The listed values.
    pub fn values(&self) -> &[String] {
        &self.value
    }
}

impl In<SkillBuckets> {
    /// The `skills` condition: three buckets sent under one `"IN"` operator.
    ///
    /// ```
    /// use fj_sourcing_query::{fields, ops::In, Session};
    /// let request = Session::builder()
    ///     .filter(fields::Skills, In::skills(["C#"], ["SQL Server"], [] as [&str; 0]))
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(request.skills().mandatory(), ["C#"]);
    /// ```
    pub fn skills<M, C, S>(mandatory: M, core: C, secondary: S) -> Self
    where
        M: IntoIterator,
        M::Item: Into<String>,
        C: IntoIterator,
        C::Item: Into<String>,
        S: IntoIterator,
        S::Item: Into<String>,
    {
        In {
            value: SkillBuckets::new(
                collect_strings(mandatory),
                collect_strings(core),
                collect_strings(secondary),
            ),
        }
    }

    /// The three buckets.
    pub fn buckets(&self) -> &SkillBuckets {
        &self.value
    }
}

impl sealed::Sealed for In {}
impl Condition for In {
    const OPERATOR: Operator = Operator::In;
    type After<S: SkillState> = S;
    fn into_value(self) -> FilterValue {
        FilterValue::Values(self.value)
    }
}

impl sealed::Sealed for In<SkillBuckets> {}
impl Condition for In<SkillBuckets> {
    const OPERATOR: Operator = Operator::In;
    type After<S: SkillState> = HasSkills;
    fn into_value(self) -> FilterValue {
        FilterValue::Skills(self.value)
    }
}

macro_rules! list_condition {
    ($(#[$meta:meta])* $name:ident, $op:ident) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct $name {
            values: Vec<String>,
        }

        impl $name {
            #[doc = concat!("A `", stringify!($name), "` condition over the given values.")]
            pub fn new<I>(values: I) -> Self
            where
                I: IntoIterator,
                I::Item: Into<String>,
            {
                $name { values: collect_strings(values) }
            }

            /// The listed values.
            pub fn values(&self) -> &[String] {
                &self.values
            }
        }

        impl sealed::Sealed for $name {}
        impl Condition for $name {
            const OPERATOR: Operator = Operator::$op;
            type After<S: SkillState> = S;
            fn into_value(self) -> FilterValue {
                FilterValue::Values(self.values)
            }
        }
    };
}

list_condition! {
    /// `"="`: equality with one of the listed values (the reference shows one-element lists).
    ///
    /// ```
    /// use fj_sourcing_query::ops::Eq;
    /// assert_eq!(Eq::new(["CAREER_INTEREST"]).values(), ["CAREER_INTEREST"]);
    /// ```
    Eq, Eq
}

list_condition! {
    /// `"(.)"`: pattern match; undefined by the reference, presumably case-insensitive "contains".
    ///
    /// ```
    /// use fj_sourcing_query::ops::Regex;
    /// assert_eq!(Regex::new(["India"]).values(), ["India"]);
    /// ```
    Regex, Regex
}

impl sealed::Sealed for Range {}
impl Condition for Range {
    const OPERATOR: Operator = Operator::Range;
    type After<S: SkillState> = S;
    fn into_value(self) -> FilterValue {
        FilterValue::Range(self)
    }
}
