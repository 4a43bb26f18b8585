//! `profileMatchingStatus`: where a session's background search stands.

use std::fmt;

use serde::{Deserialize, Serialize, Serializer};

/// The `profileMatchingStatus` of a session or of a search.
///
/// The legend of Get Session Details documents `processing`, `fetching_more` and `done`; the
/// Create response also shows `idle` on the stored session (a value missing from that legend).
/// Anything else (integrators mention `pending` and `in_progress`) is kept in [`Other`](Self::Other).
///
/// ```
/// use fj_sourcing::model::ProfileMatchingStatus;
///
/// let s: ProfileMatchingStatus = serde_json::from_str(r#""fetching_more""#).unwrap();
/// assert_eq!(s, ProfileMatchingStatus::FetchingMore);
/// let odd: ProfileMatchingStatus = serde_json::from_str(r#""in_progress""#).unwrap();
/// assert_eq!(odd, ProfileMatchingStatus::Other("in_progress".into()));
/// assert!(!odd.is_done());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(from = "String")]
pub enum ProfileMatchingStatus {
    /// `idle`: stored, matching not started (seen on the stored session in the Create response).
    Idle,
    /// `processing`: the initial or re-run search is in progress.
    Processing,
    /// `fetching_more`: a Fetch More batch is in progress.
    FetchingMore,
    /// `done`: results are ready to read.
    Done,
    /// A value the reference does not document, kept verbatim.
    Other(String),
}

impl ProfileMatchingStatus {
    /// The wire string.
    pub fn as_str(&self) -> &str {
        match self {
            ProfileMatchingStatus::Idle => "idle",
            ProfileMatchingStatus::Processing => "processing",
            ProfileMatchingStatus::FetchingMore => "fetching_more",
            ProfileMatchingStatus::Done => "done",
            ProfileMatchingStatus::Other(s) => s,
        }
    }

    /// Whether results are ready (`done`).
    pub fn is_done(&self) -> bool {
        matches!(self, ProfileMatchingStatus::Done)
    }

    /// The status for a wire string; unknown strings become [`Other`](Self::Other).
    pub fn from_wire(s: &str) -> Self {
        match s {
            "idle" => ProfileMatchingStatus::Idle,
            "processing" => ProfileMatchingStatus::Processing,
            "fetching_more" => ProfileMatchingStatus::FetchingMore,
            "done" => ProfileMatchingStatus::Done,
            other => ProfileMatchingStatus::Other(other.to_owned()),
        }
    }
}

impl fmt::Display for ProfileMatchingStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ProfileMatchingStatus {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl From<String> for ProfileMatchingStatus {
    fn from(s: String) -> Self {
        match ProfileMatchingStatus::from_wire(&s) {
            ProfileMatchingStatus::Other(_) => ProfileMatchingStatus::Other(s),
            known => known,
        }
    }
}
