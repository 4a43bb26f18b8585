//! Sessions as the API returns them: Create, Update, Get Session Details, Fetch More, project lists.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::ProfileMatchingStatus;
use super::de::lenient_string;
use fj_sourcing_query::ops::Operator;
use fj_sourcing_query::{BuildError, SessionRequest};

/// The `data` of Create Sourcing Session (and of Update Session, see [`UpdatedSession`]).
///
/// `session` is the stored session and `sourcing` the search that was started with its credit
/// charge. Both are optional because integrators report a body `statusCode` of `207` in which the
/// server stored the request but could not start matching, explaining why in `sourcingError`;
/// check [`sourcing_error`](Self::sourcing_error) (and
/// [`ResponseMeta::body_status_code`](crate::ResponseMeta::body_status_code)) before waiting for
/// results.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CreatedSession {
    /// The stored session (`data.session`).
    pub session: Option<SourcingSession>,
    /// The search that was started (`data.sourcing`).
    pub sourcing: Option<SourcingInfo>,
    /// `data.sourcingError`: why matching did not start (sent with body `statusCode` 207 according
    /// to third-party integrations; not in the reference). Non-string values are kept as JSON text.
    #[serde(
        default,
        deserialize_with = "lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub sourcing_error: Option<String>,
    /// Fields not listed above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The `data` of Update Session: the same shape as Create's (the documented example shows only
/// `data.session` with `_id`, `sessionTitle`, `profileMatchingStatus` and `filterChangesCounter`).
pub type UpdatedSession = CreatedSession;

impl CreatedSession {
    /// The session id (`data.session._id`).
    pub fn id(&self) -> Option<&str> {
        self.session.as_ref()?.id.as_deref()
    }

    /// Why the server could not start matching, when it says so (`data.sourcingError`).
    ///
    /// `Some` means no search is running: waiting for `done` would only reach the deadline.
    pub fn sourcing_error(&self) -> Option<&str> {
        self.sourcing_error.as_deref()
    }

    /// The status of the search: `data.sourcing.profileMatchingStatus`, else the stored session's.
    ///
    /// The documented Create example has `processing` on `sourcing` and `idle` on `session`.
    pub fn matching_status(&self) -> Option<&ProfileMatchingStatus> {
        self.sourcing
            .as_ref()
            .and_then(|s| s.profile_matching_status.as_ref())
            .or_else(|| self.session.as_ref()?.profile_matching_status.as_ref())
    }

    /// The credit charge (`data.sourcing.creditInfo`).
    pub fn credit_info(&self) -> Option<&CreditInfo> {
        self.sourcing.as_ref()?.credit_info.as_ref()
    }
}

/// A stored sourcing session.
///
/// Every endpoint returns a different subset: Create the whole document, Update and Get Session
/// Details only `_id`, `sessionTitle`, `profileMatchingStatus` (and `filterChangesCounter`), Get
/// Project Sessions `_id`, `sessionTitle`, `jdDetail` and `totalProfiles`. So every field is
/// optional, and fields the reference does not show are kept in `extra`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SourcingSession {
    /// `_id`: the session's ObjectId.
    #[serde(rename = "_id")]
    pub id: Option<String>,
    /// `sessionTitle`.
    pub session_title: Option<String>,
    /// `medium` (`"MANUAL"` in the example; other values undocumented).
    pub medium: Option<String>,
    /// `jdDetail`.
    pub jd_detail: Option<JdDetail>,
    /// `queries`: the filters as stored, keyed by wire key, in the request's `{type, value}` shape.
    /// Kept as sent back (keys the crate does not know survive).
    pub queries: Option<BTreeMap<String, QueryEcho>>,
    /// `fallbackFilters` (`null` in the example; shape undocumented).
    pub fallback_filters: Option<Value>,
    /// `hasUsedFinalFallback`.
    pub has_used_final_fallback: Option<bool>,
    /// `nuances` (`[]` in the example; item shape undocumented).
    pub nuances: Option<Vec<Value>>,
    /// `redFlags`.
    pub red_flags: Option<String>,
    /// `mustHaves`.
    pub must_haves: Option<String>,
    /// `additionalNotes`.
    pub additional_notes: Option<String>,
    /// `createdBy`: the creating user's id.
    pub created_by: Option<String>,
    /// `workspaceId`.
    pub workspace_id: Option<String>,
    /// `projectId`.
    pub project_id: Option<String>,
    /// `next_cursor` (snake case on the wire, unlike its neighbours): opaque; `""` when none.
    #[serde(rename = "next_cursor")]
    pub next_cursor: Option<String>,
    /// `searchMoreCounter`.
    pub search_more_counter: Option<u64>,
    /// `filterChangesCounter`: presumably how often the filters were changed (undocumented).
    pub filter_changes_counter: Option<u64>,
    /// `lastCandidatesFetchedAt` (ISO-8601 or `null`).
    pub last_candidates_fetched_at: Option<String>,
    /// `profileMatchingStatus`.
    pub profile_matching_status: Option<ProfileMatchingStatus>,
    /// `totalProfilesForMatching`.
    pub total_profiles_for_matching: Option<u64>,
    /// `totalProfilesMatched`.
    pub total_profiles_matched: Option<u64>,
    /// `profileMatchingProvider` (`"gemini"` in the example).
    pub profile_matching_provider: Option<String>,
    /// `sessionCreditCharged`.
    pub session_credit_charged: Option<bool>,
    /// `forceRefreshAnalysis`.
    pub force_refresh_analysis: Option<bool>,
    /// `totalAvailableProfiles`.
    pub total_available_profiles: Option<u64>,
    /// `expectedProfileCount` (reported by integrators, not in the reference).
    pub expected_profile_count: Option<u64>,
    /// `totalProfiles`: matched profiles (Get Project Sessions).
    pub total_profiles: Option<u64>,
    /// `metadata` (uploaded JD file details).
    pub metadata: Option<SessionMetadata>,
    /// `batches` (`[]` in the example; item shape undocumented).
    pub batches: Option<Vec<Value>>,
    /// `createdAt` (ISO-8601).
    pub created_at: Option<String>,
    /// `updatedAt` (ISO-8601).
    pub updated_at: Option<String>,
    /// `__v`: the document version.
    #[serde(rename = "__v")]
    pub version: Option<i64>,
    /// Fields not listed above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl SourcingSession {
    /// The stored title, job description and filters as a [`SessionRequest`], checked by the
    /// rules of [`SessionRequest::from_json`]: to change a filter and send it back, with
    /// [`SessionRequest::into_builder`] and [`Client::update_session`](crate::Client::update_session).
    ///
    /// Reads `sessionTitle`, `jdDetail.userText`, `jdDetail.sampleProfileURL` and `queries`
    /// (each filter's `type` and `value`). The API stores `""` for a part that was not given
    /// (the documented 201 has `"sampleProfileURL": ""`), so an empty string here means "not
    /// set". Fields the crate does not know inside `jdDetail` or a filter are left out; an
    /// unknown filter key is an error, since no request can carry it. A session read from Get
    /// Project Sessions (or the documented Get Session Details example) has no `queries`, and
    /// gives `queries: is required`.
    ///
    /// ```
    /// use fj_sourcing::model::SourcingSession;
    ///
    /// let stored: SourcingSession = serde_json::from_str(r#"{
    ///     "_id": "6a0c77936e7a0151430c91fd",
    ///     "sessionTitle": ".NET Developer",
    ///     "jdDetail": { "userText": "Pune", "sampleProfileURL": "" },
    ///     "queries": {
    ///         "years_of_experience_raw": { "type": "RANGE", "value": [1, 5] },
    ///         "skills": { "type": "IN", "value": { "mandatory": ["C#"], "core": [], "secondary": [] } }
    ///     }
    /// }"#)?;
    /// let request = stored.to_request()?.into_builder().experience(3..=8).build()?;
    /// assert_eq!(request.title(), Some(".NET Developer"));
    /// assert_eq!(request.sample_profile_url(), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_request(&self) -> Result<SessionRequest, BuildError> {
        fn given(text: &Option<String>) -> Option<Value> {
            text.as_deref()
                .filter(|text| !text.is_empty())
                .map(Value::from)
        }
        let mut body = Map::new();
        if let Some(title) = given(&self.session_title) {
            body.insert("sessionTitle".to_owned(), title);
        }
        if let Some(jd) = &self.jd_detail {
            let mut detail = Map::new();
            if let Some(text) = given(&jd.user_text) {
                detail.insert("userText".to_owned(), text);
            }
            if let Some(url) = given(&jd.sample_profile_url) {
                detail.insert("sampleProfileURL".to_owned(), url);
            }
            if !detail.is_empty() {
                body.insert("jdDetail".to_owned(), Value::Object(detail));
            }
        }
        if let Some(queries) = &self.queries {
            let filters = queries
                .iter()
                .map(|(key, filter)| {
                    let mut echo = Map::new();
                    if let Some(kind) = &filter.kind {
                        echo.insert("type".to_owned(), Value::from(kind.as_str()));
                    }
                    // `value` defaults to null when the server left it out: leave it out too,
                    // so that the problem reads "is required".
                    if !filter.value.is_null() {
                        echo.insert("value".to_owned(), filter.value.clone());
                    }
                    (key.clone(), Value::Object(echo))
                })
                .collect();
            body.insert("queries".to_owned(), Value::Object(filters));
        }
        SessionRequest::from_value(Value::Object(body))
    }
}

/// `jdDetail` of a stored session.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct JdDetail {
    /// `userText`: the job description.
    pub user_text: Option<String>,
    /// `sampleProfileURL` (`""` when none was given).
    #[serde(rename = "sampleProfileURL")]
    pub sample_profile_url: Option<String>,
    /// Fields not listed above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One filter of a stored session's `queries`, as echoed by the server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct QueryEcho {
    /// `type`: the operator string (`IN`, `=`, `(.)`, `RANGE`).
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// `value`, raw: a string list, a `[min, max]` pair or the skills buckets.
    #[serde(default)]
    pub value: Value,
    /// Fields not listed above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl QueryEcho {
    /// The operator, when `type` is one of the four documented strings.
    pub fn operator(&self) -> Option<Operator> {
        Operator::from_wire(self.kind.as_deref()?)
    }
}

/// `metadata` of a stored session: details of an uploaded JD file, all `null` in the example.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SessionMetadata {
    /// `s3Key`.
    pub s3_key: Option<String>,
    /// `fileHash`.
    pub file_hash: Option<String>,
    /// `uploadedAt`.
    pub uploaded_at: Option<String>,
    /// Fields not listed above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `data.sourcing` of the Create response: the search that was started.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SourcingInfo {
    /// `total_display_count` (snake case on the wire).
    #[serde(rename = "total_display_count")]
    pub total_display_count: Option<u64>,
    /// `next_cursor` (snake case on the wire): an opaque continuation token.
    #[serde(rename = "next_cursor")]
    pub next_cursor: Option<String>,
    /// `filterChangesCounter`.
    pub filter_changes_counter: Option<u64>,
    /// `searchMoreCounter`.
    pub search_more_counter: Option<u64>,
    /// `profileMatchingStatus` of the search (`processing` in the example).
    pub profile_matching_status: Option<ProfileMatchingStatus>,
    /// `newProfilesCount`.
    pub new_profiles_count: Option<u64>,
    /// `totalAvailableProfiles` (reported by integrators, not in the reference).
    pub total_available_profiles: Option<u64>,
    /// `creditInfo`: what the call cost.
    pub credit_info: Option<CreditInfo>,
    /// Fields not listed above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `creditInfo`: the credit charge of a call and the workspace balance after it.
///
/// Documented only in Create's answer (`data.sourcing.creditInfo`). The client reads the same
/// object from every credit-charging answer that carries one (see
/// [`ResponseMeta::credit_info`](crate::ResponseMeta::credit_info)) to count what it spends.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CreditInfo {
    /// `charged`: whether credits were taken.
    pub charged: Option<bool>,
    /// `amount`: credits taken (`5` in the Create example).
    pub amount: Option<i64>,
    /// `reason`, for example `"Sourcing Session Created"`.
    pub reason: Option<String>,
    /// `remainingCredits`: the workspace balance after the charge.
    pub remaining_credits: Option<i64>,
    /// Fields not listed above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl CreditInfo {
    /// The credits this answer says were taken: `0` when `charged` is `false`, else `amount`.
    /// `None` when the amount is missing or negative (the client then counts the call's expected
    /// cost; see [`CreditCosts`](crate::CreditCosts)).
    ///
    /// ```
    /// use fj_sourcing::model::CreditInfo;
    ///
    /// let info: CreditInfo = serde_json::from_str(
    ///     r#"{"charged": true, "amount": 5, "reason": "Sourcing Session Created", "remainingCredits": 37}"#,
    /// ).unwrap();
    /// assert_eq!(info.charged_amount(), Some(5));
    /// let free: CreditInfo = serde_json::from_str(r#"{"charged": false, "amount": 1}"#).unwrap();
    /// assert_eq!(free.charged_amount(), Some(0));
    /// ```
    pub fn charged_amount(&self) -> Option<u64> {
        if self.charged == Some(false) {
            return Some(0);
        }
        self.amount.and_then(|amount| u64::try_from(amount).ok())
    }
}

/// The `data` of Get Session Details: `{ "session": { ... } }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SessionDetails {
    /// The session. The documented example shows only `_id`, `sessionTitle` and
    /// `profileMatchingStatus`, although the page promises JD, queries and counts.
    pub session: SourcingSession,
    /// Fields not listed above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl SessionDetails {
    /// `session.profileMatchingStatus`.
    pub fn status(&self) -> Option<&ProfileMatchingStatus> {
        self.session.profile_matching_status.as_ref()
    }

    /// Whether matching is `done`.
    pub fn is_done(&self) -> bool {
        self.status().is_some_and(ProfileMatchingStatus::is_done)
    }
}

/// The `data` of Fetch More Profiles: `{ "profileMatchingStatus": "fetching_more" }`.
///
/// Unlike Get Session Details and Update, the status sits directly under `data` here
/// (reference, inconsistency 8).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FetchMoreStarted {
    /// `profileMatchingStatus` (`fetching_more` in the example).
    #[serde(rename = "profileMatchingStatus", default)]
    pub profile_matching_status: Option<ProfileMatchingStatus>,
    /// `creditInfo`: what the batch cost. Not in the reference's example; the crate's sandbox
    /// sends it here, in Create's shape.
    #[serde(
        rename = "creditInfo",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub credit_info: Option<CreditInfo>,
    /// Fields not listed above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
