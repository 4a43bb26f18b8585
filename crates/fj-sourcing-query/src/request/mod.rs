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

mod linkedin;
mod parse;
mod patch;
mod path;
mod problem;
pub(crate) mod rules;
#[cfg(test)]
mod test_rng;

pub use linkedin::is_linkedin_url;
pub(crate) use parse::kind_of;
pub use patch::SessionPatch;
pub(crate) use path::Path;
pub(crate) use problem::Problems;
pub use problem::{BuildError, Problem, ProblemKind, write_problems};

/// The `queries` object: at most one value per documented filter key.
///
/// Iterates (and serializes) in the reference's key order without a map allocation.
#[derive(Clone, PartialEq)]
pub struct Queries {
    /// One slot per field, in wire order, boxed so that the by-value builder setters move a
    /// pointer rather than the whole table.
    slots: Box<[Option<FilterValue>; FIELD_COUNT]>,
}

impl Default for Queries {
    fn default() -> Self {
        Queries {
            slots: Box::new([const { None }; FIELD_COUNT]),
        }
    }
}

impl Queries {
    /// The value of filter `field`, if set.
    pub fn get(&self, field: FieldId) -> Option<&FilterValue> {
        self.slots[field.index()].as_ref()
    }

    /// The set filters, in wire order.
    pub fn iter(&self) -> impl Iterator<Item = (FieldId, &FilterValue)> {
        FieldId::ALL
            .iter()
            .zip(self.slots.iter())
            .filter_map(|(id, slot)| Some((*id, slot.as_ref()?)))
    }

    /// How many filters are set.
    pub fn len(&self) -> usize {
        self.slots.iter().filter(|slot| slot.is_some()).count()
    }

    /// Whether no filter is set.
    pub fn is_empty(&self) -> bool {
        self.slots.iter().all(Option::is_none)
    }

    /// Sets `field`, replacing an earlier value.
    pub(crate) fn set(&mut self, field: FieldId, value: FilterValue) {
        self.slots[field.index()] = Some(value);
    }

    pub(crate) fn get_mut(&mut self, field: FieldId) -> Option<&mut FilterValue> {
        self.slots[field.index()].as_mut()
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

/// Shows every slot in wire order, `None` for unset filters.
impl fmt::Debug for Queries {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Queries")
            .field("values", &self.slots)
            .finish()
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
        // A rough guess (the reference's example takes 380 bytes, its 31-filter request 2467),
        // so that the buffer seldom grows; `serde_json::to_vec` starts at 128 bytes.
        let mut out = Vec::with_capacity(256 + 96 * self.queries.len());
        serde_json::to_writer(&mut out, self).expect("a SessionRequest always serializes");
        out
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
