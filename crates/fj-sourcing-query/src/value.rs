//! The values filters carry on the wire: range bounds, ranges, string lists and skills buckets.
//!
//! A leaf module: the operators in [`crate::ops`], the field table and the request all build on
//! these types, and they depend on nothing else in the crate.

use std::fmt;
use std::ops::RangeInclusive;

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

/// A range bound: an integer or a finite float.
///
/// Integral floats are stored as integers so that `5.0` and `5` are the same bound and both are
/// written `5` on the wire, as the reference's examples (`[1, 5]`) are.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
    /// A whole number.
    Int(i64),
    /// A number with a fractional part (or one outside the `i64` range, or not finite).
    Float(f64),
}

impl Number {
    /// The value as `f64`, for comparisons.
    pub fn as_f64(self) -> f64 {
        match self {
            Number::Int(i) => i as f64,
            Number::Float(f) => f,
        }
    }

    /// Whether the number is finite (integers always are).
    pub fn is_finite(self) -> bool {
        match self {
            Number::Int(_) => true,
            Number::Float(f) => f.is_finite(),
        }
    }

    pub(crate) fn from_f64(f: f64) -> Self {
        // 2^63 is exactly representable; anything at or above it does not fit i64.
        const LIMIT: f64 = 9_223_372_036_854_775_808.0;
        if f.fract() == 0.0 && (-LIMIT..LIMIT).contains(&f) {
            Number::Int(f as i64)
        } else {
            Number::Float(f)
        }
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::Int(i) => write!(f, "{i}"),
            Number::Float(x) => write!(f, "{x}"),
        }
    }
}

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match *self {
            Number::Int(i) => serializer.serialize_i64(i),
            Number::Float(f) => serializer.serialize_f64(f),
        }
    }
}

macro_rules! number_from {
    (lossless: $($t:ty),*) => {$(
        impl From<$t> for Number {
            fn from(v: $t) -> Self { Number::Int(i64::from(v)) }
        }
    )*};
    (wide: $($t:ty),*) => {$(
        impl From<$t> for Number {
            fn from(v: $t) -> Self {
                i64::try_from(v).map_or(Number::Float(v as f64), Number::Int)
            }
        }
    )*};
    (float: $($t:ty),*) => {$(
        impl From<$t> for Number {
            fn from(v: $t) -> Self { Number::from_f64(f64::from(v)) }
        }
    )*};
}
number_from!(lossless: i8, i16, i32, i64, u8, u16, u32);
number_from!(wide: u64, usize, isize);
number_from!(float: f32, f64);

/// `"RANGE"`: an inclusive `[min, max]` range, sent as a two-element number array.
///
/// Construction never fails; [`SessionBuilder::build`](crate::SessionBuilder::build) rejects an
/// inverted range or a bound that is not finite, naming the filter's wire path.
///
/// ```
/// use fj_sourcing_query::ops::{Number, Range};
/// let years = Range::new(1, 5);
/// assert_eq!(years.min(), Number::Int(1));
/// assert_eq!(Range::from(2.5..=4.0).max(), Number::Int(4));
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Range {
    min: Number,
    max: Number,
}

impl Range {
    /// A range from `min` to `max`, both included.
    pub fn new(min: impl Into<Number>, max: impl Into<Number>) -> Self {
        Range {
            min: min.into(),
            max: max.into(),
        }
    }

    /// The lower bound.
    pub fn min(&self) -> Number {
        self.min
    }

    /// The upper bound.
    pub fn max(&self) -> Number {
        self.max
    }
}

impl<T: Into<Number>> From<RangeInclusive<T>> for Range {
    fn from(range: RangeInclusive<T>) -> Self {
        let (min, max) = range.into_inner();
        Range::new(min, max)
    }
}

impl fmt::Display for Range {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..={}", self.min, self.max)
    }
}

impl Serialize for Range {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        [self.min, self.max].serialize(serializer)
    }
}

/// The `value` of one filter.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum FilterValue {
    /// A list of strings (`IN`, `=`, `(.)` filters).
    Values(Vec<String>),
    /// A `[min, max]` range (`RANGE` filters).
    Range(Range),
    /// The three skills buckets (the `skills` filter).
    Skills(SkillBuckets),
}

impl Serialize for FilterValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            FilterValue::Values(values) => values.serialize(serializer),
            FilterValue::Range(range) => range.serialize(serializer),
            FilterValue::Skills(skills) => skills.serialize(serializer),
        }
    }
}

/// The `skills` filter's three buckets, in decreasing importance (semantics are not documented).
///
/// All three are always sent, empty ones as `[]`, as in the reference's example.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SkillBuckets {
    /// `mandatory`, `core`, `secondary`. Boxed so that a [`FilterValue`] is 32 bytes and the
    /// table of all 31 filters fits in one block of under 1 KiB (see `Queries`).
    buckets: Box<[Vec<String>; 3]>,
}

impl SkillBuckets {
    pub(crate) fn new(mandatory: Vec<String>, core: Vec<String>, secondary: Vec<String>) -> Self {
        SkillBuckets {
            buckets: Box::new([mandatory, core, secondary]),
        }
    }

    /// Skills the candidate must have.
    pub fn mandatory(&self) -> &[String] {
        &self.buckets[Bucket::Mandatory as usize]
    }

    /// Core skills.
    pub fn core(&self) -> &[String] {
        &self.buckets[Bucket::Core as usize]
    }

    /// Secondary skills.
    pub fn secondary(&self) -> &[String] {
        &self.buckets[Bucket::Secondary as usize]
    }

    /// The buckets with their wire names, in wire order.
    pub fn buckets(&self) -> [(&'static str, &[String]); 3] {
        [
            ("mandatory", self.mandatory()),
            ("core", self.core()),
            ("secondary", self.secondary()),
        ]
    }

    pub(crate) fn bucket_mut(&mut self, bucket: Bucket) -> &mut Vec<String> {
        &mut self.buckets[bucket as usize]
    }

    /// Whether all three buckets are empty.
    pub fn is_empty(&self) -> bool {
        self.buckets.iter().all(Vec::is_empty)
    }
}

impl fmt::Debug for SkillBuckets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SkillBuckets")
            .field("mandatory", &self.mandatory())
            .field("core", &self.core())
            .field("secondary", &self.secondary())
            .finish()
    }
}

/// One of the three skills buckets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Bucket {
    Mandatory = 0,
    Core = 1,
    Secondary = 2,
}

impl Bucket {
    pub(crate) const fn wire(self) -> &'static str {
        match self {
            Bucket::Mandatory => "mandatory",
            Bucket::Core => "core",
            Bucket::Secondary => "secondary",
        }
    }
}

impl Serialize for SkillBuckets {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("SkillBuckets", 3)?;
        s.serialize_field("mandatory", self.mandatory())?;
        s.serialize_field("core", self.core())?;
        s.serialize_field("secondary", self.secondary())?;
        s.end()
    }
}
