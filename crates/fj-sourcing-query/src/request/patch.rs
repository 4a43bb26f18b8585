//! The body of Update Session: only what the caller sets.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{Body, BuildError, Details, Queries, SessionRequest, parse};

/// A checked partial body for Update Session: only the parts that were set are sent.
///
/// Obtain one from [`Session::patch()`](crate::Session::patch), from a full [`SessionRequest`]
/// (`From`), or by parsing JSON ([`SessionPatch::from_json`], `Deserialize`). Every value obeys
/// the rules of a full request; what differs is that nothing is required, except that a patch
/// must set something.
///
/// ```
/// use fj_sourcing_query::Session;
///
/// let patch = Session::patch()
///     .title("Senior .NET Developer")
///     .experience(4..=8)
///     .build()?;
/// assert_eq!(
///     String::from_utf8(patch.to_json_vec()).unwrap(),
///     r#"{"sessionTitle":"Senior .NET Developer","queries":{"years_of_experience_raw":{"type":"RANGE","value":[4,8]}}}"#
/// );
/// # Ok::<(), fj_sourcing_query::BuildError>(())
/// ```
///
/// # On the wire
///
/// The reference does not say how Update combines its body with the stored session; its own
/// example sends a title and one filter, without the required skills, so the body cannot be a
/// replacement. The sandbox merges it (see `fj_sandbox`): each top-level field sent replaces the
/// stored one, `queries` and `jdDetail` are merged key by key. A patch is written for that rule:
///
/// * `sessionTitle`, `jdDetail.userText`, `jdDetail.sampleProfileURL` and each filter are sent
///   only when set; `jdDetail` and `queries` are left out when nothing in them is set.
/// * Skills are one filter (`queries.skills`), so a patch that sets any skills bucket sends the
///   whole filter, with the buckets it did not set as `[]`: it **replaces** the stored skills.
///   Sending only the set buckets would not keep the others either: the server sees one
///   `skills` value, and a bucket missing from it reads as empty. To change one bucket and keep
///   the rest, read the session and edit it ([`SessionRequest::into_builder`]).
/// * A patch cannot remove a filter.
#[derive(Clone, Debug, PartialEq)]
pub struct SessionPatch {
    pub(crate) details: Details,
    pub(crate) queries: Queries,
}

impl SessionPatch {
    /// Parses and validates an Update body, reporting every problem with its wire path: the rules
    /// of [`SessionRequest::from_json`], except that `queries` and skills are not required, and
    /// that the body must set something.
    ///
    /// ```
    /// use fj_sourcing_query::SessionPatch;
    ///
    /// let patch = SessionPatch::from_json(r#"{"sessionTitle": "Senior .NET Developer"}"#)?;
    /// assert_eq!(patch.title(), Some("Senior .NET Developer"));
    /// let err = SessionPatch::from_json("{}").unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "invalid session request: body: an update must set sessionTitle, jdDetail or a filter"
    /// );
    /// # Ok::<(), fj_sourcing_query::BuildError>(())
    /// ```
    pub fn from_json(json: &str) -> Result<Self, BuildError> {
        Self::from_slice(json.as_bytes())
    }

    /// Like [`from_json`](Self::from_json), from bytes.
    pub fn from_slice(json: &[u8]) -> Result<Self, BuildError> {
        let (details, queries) = parse::parse_json(json, parse::Mode::Patch)?;
        Ok(SessionPatch { details, queries })
    }

    /// Validates an already parsed JSON value.
    pub fn from_value(value: serde_json::Value) -> Result<Self, BuildError> {
        let (details, queries) = parse::parse_value(value, parse::Mode::Patch)?;
        Ok(SessionPatch { details, queries })
    }

    /// The patch as compact JSON bytes, exactly as sent.
    pub fn to_json_vec(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("a SessionPatch always serializes")
    }

    /// `sessionTitle`, if the patch sets it.
    pub fn title(&self) -> Option<&str> {
        self.details.title.as_deref()
    }

    /// `jdDetail.userText`, if the patch sets it.
    pub fn jd_text(&self) -> Option<&str> {
        self.details.user_text.as_deref()
    }

    /// `jdDetail.sampleProfileURL`, if the patch sets it.
    pub fn sample_profile_url(&self) -> Option<&str> {
        self.details.sample_profile_url.as_deref()
    }

    /// The filters the patch sets.
    pub fn queries(&self) -> &Queries {
        &self.queries
    }
}

/// Replacing everything a request sets: its title, job description and every filter
/// (skills included). Stored parts the request does not set are kept by a merging server.
impl From<SessionRequest> for SessionPatch {
    fn from(request: SessionRequest) -> Self {
        SessionPatch {
            details: request.details,
            queries: request.queries,
        }
    }
}

impl Serialize for SessionPatch {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Body {
            details: &self.details,
            queries: &self.queries,
            queries_required: false,
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for SessionPatch {
    /// Parses with the same rules as [`SessionPatch::from_json`]; all problems are reported in
    /// one error message.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = parse::RawRequest::deserialize(deserializer)?;
        let (details, queries) =
            parse::from_raw(raw, parse::Mode::Patch).map_err(serde::de::Error::custom)?;
        Ok(SessionPatch { details, queries })
    }
}
