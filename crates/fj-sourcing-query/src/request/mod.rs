//! The validated request body of Create (and Update) Sourcing Session.
//!
//! A [`SessionRequest`] can only come from [`SessionBuilder::build`](crate::SessionBuilder::build)
//! or from validated parsing ([`SessionRequest::from_json`], `Deserialize`), so a function that
//! takes one knows it is valid. It serializes straight to the documented wire shape:
//!
//! ```
//! use fj_sourcing_query::Session;
//! use serde_json::json;
//!
//! let request = Session::builder()
//!     .title(".NET Developer")
//!     .experience(1..=5)
//!     .mandatory_skills(["C#"])
//!     .build()?;
//! assert_eq!(
//!     serde_json::to_value(&request)?,
//!     json!({
//!         "sessionTitle": ".NET Developer",
//!         "queries": {
//!             "years_of_experience_raw": { "type": "RANGE", "value": [1, 5] },
//!             "skills": { "type": "IN", "value": { "mandatory": ["C#"], "core": [], "secondary": [] } }
//!         }
//!     })
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::fields::{FIELD_COUNT, FieldId};
use crate::value::{Bucket, FilterValue, SkillBuckets};

mod parse;
mod patch;
mod path;
mod problem;
pub(crate) mod rules;

pub(crate) use parse::kind_of;
pub use patch::SessionPatch;
pub(crate) use path::Path;
pub(crate) use problem::Problems;
pub use problem::{BuildError, Problem, ProblemKind, write_problems};
pub use rules::is_linkedin_url;

/// The `queries` object: at most one value per documented filter key.
///
/// Iterates (and serializes) in the reference's key order without a map allocation.
#[derive(Clone, Default)]
pub struct Queries {
    // Only the set filters, in the order they were set, plus each field's position. A table
    // of all 31 slots took 2.2 KB, and the builder, whose setters take and return it by value,
    // copied it twice per call: 40% of building the 31-filter seed request.
    values: Vec<(FieldId, FilterValue)>,
    /// `position + 1` in `values` of each field, or 0 when the field is not set.
    slots: [u8; FIELD_COUNT],
}

const _: () = assert!(
    FIELD_COUNT < u8::MAX as usize,
    "a filter position must fit in a u8"
);

impl Queries {
    /// The value of filter `field`, if set.
    pub fn get(&self, field: FieldId) -> Option<&FilterValue> {
        match self.slots[field.index()] {
            0 => None,
            slot => Some(&self.values[usize::from(slot) - 1].1),
        }
    }

    /// The set filters, in wire order.
    pub fn iter(&self) -> impl Iterator<Item = (FieldId, &FilterValue)> {
        FieldId::ALL
            .iter()
            .filter_map(|id| self.get(*id).map(|v| (*id, v)))
    }

    /// How many filters are set.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether no filter is set.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Sets `field`, replacing an earlier value.
    pub(crate) fn set(&mut self, field: FieldId, value: FilterValue) {
        if let Some(slot) = self.get_mut(field) {
            *slot = value;
        } else {
            self.values.push((field, value));
            // Cannot truncate: one entry per field at most, and FIELD_COUNT < u8::MAX.
            self.slots[field.index()] = self.values.len() as u8;
        }
    }

    pub(crate) fn get_mut(&mut self, field: FieldId) -> Option<&mut FilterValue> {
        match self.slots[field.index()] {
            0 => None,
            slot => Some(&mut self.values[usize::from(slot) - 1].1),
        }
    }

    /// Sets one skills bucket, creating the skills filter (other buckets empty) if needed.
    pub(crate) fn set_bucket(&mut self, bucket: Bucket, skills: Vec<String>) {
        if let Some(FilterValue::Skills(buckets)) = self.get_mut(FieldId::Skills) {
            *buckets.bucket_mut(bucket) = skills;
        } else {
            let mut buckets = SkillBuckets::default();
            *buckets.bucket_mut(bucket) = skills;
            self.set(FieldId::Skills, FilterValue::Skills(buckets));
        }
    }
}

/// Equal when the same filters have equal values, whatever order they were set in.
impl PartialEq for Queries {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

/// Shows every slot in wire order, `None` for unset filters.
impl fmt::Debug for Queries {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let values: [Option<&FilterValue>; FIELD_COUNT] =
            std::array::from_fn(|i| self.get(FieldId::ALL[i]));
        f.debug_struct("Queries").field("values", &values).finish()
    }
}

struct Filter<'a>(FieldId, &'a FilterValue);

impl Serialize for Filter<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Filter", 2)?;
        s.serialize_field("type", self.0.operator().wire())?;
        s.serialize_field("value", self.1)?;
        s.end()
    }
}

impl Serialize for Queries {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for (id, value) in self.iter() {
            map.serialize_entry(id.key(), &Filter(id, value))?;
        }
        map.end()
    }
}

/// The parts of a request that are not filters: title and job description.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Details {
    pub(crate) title: Option<String>,
    pub(crate) user_text: Option<String>,
    pub(crate) sample_profile_url: Option<String>,
}

/// A checked request body for Create or Update Sourcing Session.
///
/// Obtain one from [`Session::builder()`](crate::Session::builder) or by parsing JSON with
/// [`SessionRequest::from_json`]; both apply the same rules, and serializing then parsing gives
/// back an equal request.
#[derive(Clone, Debug, PartialEq)]
pub struct SessionRequest {
    pub(crate) details: Details,
    pub(crate) queries: Queries,
}

impl SessionRequest {
    /// Parses and validates a request body, reporting every problem with its wire path.
    ///
    /// ```
    /// use fj_sourcing_query::SessionRequest;
    ///
    /// let err = SessionRequest::from_json(r#"{"queries": {
    ///     "region": {"type": "RANGE", "value": [1, 2]},
    ///     "skills": {"type": "IN", "value": {"mandatory": ["C#"]}}
    /// }}"#).unwrap_err();
    /// assert_eq!(
    ///     err.problems()[0].to_string(),
    ///     r#"queries.region.type: operator "RANGE" is not allowed here; region takes "IN""#
    /// );
    /// ```
    pub fn from_json(json: &str) -> Result<Self, BuildError> {
        Self::from_slice(json.as_bytes())
    }

    /// Like [`from_json`](Self::from_json), from bytes.
    pub fn from_slice(json: &[u8]) -> Result<Self, BuildError> {
        let (details, queries) = parse::parse_json(json, parse::Mode::Create)?;
        Ok(SessionRequest { details, queries })
    }

    /// Validates an already parsed JSON value.
    pub fn from_value(value: serde_json::Value) -> Result<Self, BuildError> {
        let (details, queries) = parse::parse_value(value, parse::Mode::Create)?;
        Ok(SessionRequest { details, queries })
    }

    /// The request of `session!` and `include_session!`: `json` was accepted by
    /// [`from_json`](Self::from_json) when the calling crate compiled, so it is accepted again.
    ///
    /// Not an API: the macros' expansion calls it, so it must be public.
    #[doc(hidden)]
    pub fn __from_checked_json(json: &str) -> SessionRequest {
        match Self::from_json(json) {
            Ok(request) => request,
            // Unreachable: the macros ran this same function on this same text at compile time.
            Err(err) => panic!(
                "fj-sourcing-macros accepted a body that fj-sourcing-query now rejects \
                 (mismatched crate versions?): {err}"
            ),
        }
    }

    /// The request as compact JSON bytes, exactly as sent.
    pub fn to_json_vec(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.json_len_hint());
        serde_json::to_writer(&mut out, self).expect("a SessionRequest always serializes");
        out
    }

    /// An upper estimate of the compact JSON length (exceeded only by strings that need
    /// escapes), so that `to_json_vec` allocates once instead of growing from 128 bytes.
    fn json_len_hint(&self) -> usize {
        // A string with its quotes and the separator after it.
        fn text(s: &str) -> usize {
            s.len() + 3
        }
        fn list(items: &[String]) -> usize {
            2 + items.iter().map(|s| text(s)).sum::<usize>()
        }
        let d = &self.details;
        // Braces and the keys `sessionTitle`, `jdDetail`, `userText`, `sampleProfileURL`, `queries`.
        let mut len = 80;
        for s in [&d.title, &d.user_text, &d.sample_profile_url]
            .into_iter()
            .flatten()
        {
            len += text(s);
        }
        for (field, value) in self.queries.iter() {
            // `"key":{"type":"RANGE","value":` ... `},`
            len += text(field.key()) + 26;
            len += match value {
                FilterValue::Values(items) => list(items),
                // Two bounds of at most 24 characters each (`-1.7976931348623157e308`).
                FilterValue::Range(_) => 2 * 24 + 3,
                FilterValue::Skills(skills) => {
                    // `{"mandatory":,"core":,"secondary":}`
                    36 + skills
                        .buckets()
                        .iter()
                        .map(|(_, items)| list(items))
                        .sum::<usize>()
                }
            };
        }
        len
    }

    /// `sessionTitle`.
    pub fn title(&self) -> Option<&str> {
        self.details.title.as_deref()
    }

    /// `jdDetail.userText`.
    pub fn jd_text(&self) -> Option<&str> {
        self.details.user_text.as_deref()
    }

    /// `jdDetail.sampleProfileURL`.
    pub fn sample_profile_url(&self) -> Option<&str> {
        self.details.sample_profile_url.as_deref()
    }

    /// The filters.
    pub fn queries(&self) -> &Queries {
        &self.queries
    }

    /// The skills buckets (always present in a valid request).
    pub fn skills(&self) -> &SkillBuckets {
        match self.queries.get(FieldId::Skills) {
            Some(FilterValue::Skills(skills)) => skills,
            _ => unreachable!("a validated SessionRequest always has skills"),
        }
    }
}

struct JdDetail<'a>(&'a Details);

impl Serialize for JdDetail<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let len = usize::from(self.0.user_text.is_some())
            + usize::from(self.0.sample_profile_url.is_some());
        let mut map = serializer.serialize_map(Some(len))?;
        if let Some(text) = &self.0.user_text {
            map.serialize_entry("userText", text)?;
        }
        if let Some(url) = &self.0.sample_profile_url {
            map.serialize_entry("sampleProfileURL", url)?;
        }
        map.end()
    }
}

/// A Create or Update body: what is set, in the reference's order.
pub(crate) struct Body<'a> {
    pub(crate) details: &'a Details,
    pub(crate) queries: &'a Queries,
    /// Whether `queries` is written even when empty (a request always has it; a patch only
    /// when it sets a filter).
    pub(crate) queries_required: bool,
}

impl Serialize for Body<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let d = self.details;
        let has_jd = d.user_text.is_some() || d.sample_profile_url.is_some();
        let has_queries = self.queries_required || !self.queries.is_empty();
        let len = usize::from(d.title.is_some()) + usize::from(has_jd) + usize::from(has_queries);
        let mut map = serializer.serialize_map(Some(len))?;
        if let Some(title) = &d.title {
            map.serialize_entry("sessionTitle", title)?;
        }
        if has_jd {
            map.serialize_entry("jdDetail", &JdDetail(d))?;
        }
        if has_queries {
            map.serialize_entry("queries", self.queries)?;
        }
        map.end()
    }
}

impl Serialize for SessionRequest {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Body {
            details: &self.details,
            queries: &self.queries,
            queries_required: true,
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for SessionRequest {
    /// Parses with the same rules as [`SessionRequest::from_json`]; all problems are reported in
    /// one error message.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = parse::RawRequest::deserialize(deserializer)?;
        let (details, queries) =
            parse::from_raw(raw, parse::Mode::Create).map_err(serde::de::Error::custom)?;
        Ok(SessionRequest { details, queries })
    }
}
