//! The session document and the two answers that carry it (Create, Get Session Details), in the
//! reference's field order (`tests/sandbox_documents.rs` pins the bytes).

use axum::http::StatusCode;
use serde::{Serialize, Serializer};

use fj_sourcing_query::{Queries, SessionRequest};

use super::envelope::{ApiError, CreditInfo, success_json};
use super::ids::iso8601_millis;

/// The ids every session of a sandbox shares (one workspace, one project, one user).
pub(crate) struct Workspace {
    pub(crate) workspace_id: String,
    pub(crate) project_id: String,
    pub(crate) user_id: String,
}

/// What a session document shows besides the request.
pub(crate) struct SessionFields<'a> {
    pub(crate) id: &'a str,
    /// Milliseconds since the Unix epoch.
    pub(crate) created_at: u64,
    pub(crate) updated_at: u64,
    pub(crate) last_fetched_at: Option<u64>,
    pub(crate) status: &'static str,
    pub(crate) search_more: u32,
    pub(crate) filter_changes: u32,
    pub(crate) for_matching: usize,
    pub(crate) matched: usize,
    pub(crate) charged: bool,
}

/// Create's `data.sourcing`: the search it started, which has found nothing yet.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Sourcing<'a> {
    #[serde(rename = "total_display_count")]
    pub(crate) found: usize,
    #[serde(rename = "next_cursor")]
    pub(crate) next_cursor: &'a str,
    pub(crate) filter_changes_counter: u32,
    pub(crate) search_more_counter: u32,
    pub(crate) profile_matching_status: &'static str,
    pub(crate) new_profiles_count: usize,
    pub(crate) credit_info: CreditInfo,
}

/// Milliseconds since the Unix epoch, written as ISO-8601 UTC as the API writes `createdAt`.
struct Timestamp(u64);

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&iso8601_millis(self.0))
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JdDetail<'a> {
    user_text: &'a str,
    #[serde(rename = "sampleProfileURL")]
    sample_profile_url: &'a str,
}

/// Always empty in the sandbox; the API's example shows these keys, all null.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Metadata {
    s3_key: Option<()>,
    file_hash: Option<()>,
    uploaded_at: Option<()>,
}

/// A stored session as Create's and Get Session Details' `data.session` show it: the request,
/// then the fields of the API's example, most of which the sandbox never changes.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SessionDocument<'a> {
    session_title: &'a str,
    medium: &'static str,
    jd_detail: JdDetail<'a>,
    queries: &'a Queries,
    fallback_filters: Option<()>,
    has_used_final_fallback: bool,
    nuances: [(); 0],
    red_flags: &'static str,
    must_haves: &'static str,
    additional_notes: &'static str,
    created_by: &'a str,
    workspace_id: &'a str,
    project_id: &'a str,
    #[serde(rename = "next_cursor")]
    next_cursor: &'static str,
    search_more_counter: u32,
    filter_changes_counter: u32,
    last_candidates_fetched_at: Option<Timestamp>,
    profile_matching_status: &'static str,
    total_profiles_for_matching: usize,
    total_profiles_matched: usize,
    profile_matching_provider: &'static str,
    session_credit_charged: bool,
    force_refresh_analysis: bool,
    total_available_profiles: usize,
    metadata: Metadata,
    #[serde(rename = "_id")]
    id: &'a str,
    batches: [(); 0],
    created_at: Timestamp,
    updated_at: Timestamp,
    /// Mongo's version key: one more per change of the session.
    #[serde(rename = "__v")]
    version: u64,
}

impl<'a> SessionDocument<'a> {
    fn new(workspace: &'a Workspace, request: &'a SessionRequest, f: &SessionFields<'a>) -> Self {
        SessionDocument {
            session_title: request.title().unwrap_or_default(),
            medium: "MANUAL",
            jd_detail: JdDetail {
                user_text: request.jd_text().unwrap_or_default(),
                sample_profile_url: request.sample_profile_url().unwrap_or_default(),
            },
            queries: request.queries(),
            fallback_filters: None,
            has_used_final_fallback: false,
            nuances: [],
            red_flags: "",
            must_haves: "",
            additional_notes: "",
            created_by: &workspace.user_id,
            workspace_id: &workspace.workspace_id,
            project_id: &workspace.project_id,
            next_cursor: "",
            search_more_counter: f.search_more,
            filter_changes_counter: f.filter_changes,
            last_candidates_fetched_at: f.last_fetched_at.map(Timestamp),
            profile_matching_status: f.status,
            total_profiles_for_matching: f.for_matching,
            total_profiles_matched: f.matched,
            profile_matching_provider: "gemini",
            session_credit_charged: f.charged,
            force_refresh_analysis: false,
            total_available_profiles: f.matched,
            metadata: Metadata {
                s3_key: None,
                file_hash: None,
                uploaded_at: None,
            },
            id: f.id,
            batches: [],
            created_at: Timestamp(f.created_at),
            updated_at: Timestamp(f.updated_at),
            version: u64::from(f.filter_changes) + u64::from(f.search_more),
        }
    }
}

/// The `data` of both answers: Get Session Details has no `sourcing`.
#[derive(Serialize)]
struct Data<'a> {
    session: SessionDocument<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sourcing: Option<Sourcing<'a>>,
}

/// The 201 answer of Create Sourcing Session.
pub(crate) fn created(
    workspace: &Workspace,
    request: &SessionRequest,
    fields: &SessionFields,
    sourcing: Sourcing,
) -> Result<Vec<u8>, ApiError> {
    let data = Data {
        session: SessionDocument::new(workspace, request, fields),
        sourcing: Some(sourcing),
    };
    answer(StatusCode::CREATED, "Session created successfully", data)
}

/// The 200 answer of Get Session Details.
pub(crate) fn fetched(
    workspace: &Workspace,
    request: &SessionRequest,
    fields: &SessionFields,
) -> Result<Vec<u8>, ApiError> {
    let data = Data {
        session: SessionDocument::new(workspace, request, fields),
        sourcing: None,
    };
    answer(StatusCode::OK, "Session fetched successfully", data)
}

fn answer(status: StatusCode, message: &str, data: Data) -> Result<Vec<u8>, ApiError> {
    success_json(status, Some(message), data)
        .map_err(|err| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, err.to_string()))
}
