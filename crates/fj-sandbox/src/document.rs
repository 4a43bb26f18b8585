//! The session document and Create's `data`, as typed structs so that they serialize in the
//! reference's field order (a `serde_json::Value` would sort the keys) and `queries` is written
//! exactly as the crate serializes it.
//!
//! A document is serialized from borrowed data: the store hands out a [`SessionView`] (the
//! request, a few short strings and counters taken under its lock), and the answer is written
//! from that after the lock is released.

use serde::{Serialize, Serializer};

use fj_sourcing_query::{Queries, SessionRequest};

/// The ids every session of a sandbox shares (one workspace, one project, one user).
pub(crate) struct Workspace {
    pub(crate) workspace_id: String,
    pub(crate) project_id: String,
    pub(crate) user_id: String,
}

/// `jdDetail` of a stored session: both fields always present (`""` when not given).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JdDetail<'a> {
    user_text: &'a str,
    #[serde(rename = "sampleProfileURL")]
    sample_profile_url: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Metadata {
    s3_key: Option<&'static str>,
    file_hash: Option<&'static str>,
    uploaded_at: Option<&'static str>,
}

/// The stored session (Create's `data.session`, Get Session Details' `data.session`).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SessionDocument<'a> {
    session_title: &'a str,
    medium: &'static str,
    jd_detail: JdDetail<'a>,
    queries: &'a Queries,
    fallback_filters: Option<&'a Queries>,
    has_used_final_fallback: bool,
    nuances: &'a [String],
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
    last_candidates_fetched_at: Option<&'a str>,
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
    /// The items' shape is undocumented, so the sandbox always leaves the list empty.
    batches: &'a [String],
    created_at: &'a str,
    updated_at: &'a str,
    #[serde(rename = "__v")]
    version: u32,
}

/// What a session document shows besides the request, copied out of the store.
pub(crate) struct SessionFields {
    pub(crate) id: String,
    pub(crate) created_at: String,
    pub(crate) updated_at: String,
    pub(crate) last_fetched_at: Option<String>,
    pub(crate) status: &'static str,
    pub(crate) search_more: u32,
    pub(crate) filter_changes: u32,
    pub(crate) for_matching: usize,
    pub(crate) matched: usize,
    pub(crate) charged: bool,
}

/// A session document: the request and the fields copied out of the store (see the module
/// documentation).
pub(crate) struct SessionView<'w> {
    pub(crate) workspace: &'w Workspace,
    pub(crate) request: SessionRequest,
    pub(crate) fields: SessionFields,
}

impl Serialize for SessionView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let request = &self.request;
        let fields = &self.fields;
        SessionDocument {
            session_title: request.title().unwrap_or(""),
            medium: "MANUAL",
            jd_detail: JdDetail {
                user_text: request.jd_text().unwrap_or(""),
                sample_profile_url: request.sample_profile_url().unwrap_or(""),
            },
            queries: request.queries(),
            fallback_filters: None,
            has_used_final_fallback: false,
            nuances: &[],
            red_flags: "",
            must_haves: "",
            additional_notes: "",
            created_by: &self.workspace.user_id,
            workspace_id: &self.workspace.workspace_id,
            project_id: &self.workspace.project_id,
            next_cursor: "",
            search_more_counter: fields.search_more,
            filter_changes_counter: fields.filter_changes,
            last_candidates_fetched_at: fields.last_fetched_at.as_deref(),
            profile_matching_status: fields.status,
            total_profiles_for_matching: fields.for_matching,
            total_profiles_matched: fields.matched,
            // The reference's example value, kept so that documents look alike.
            profile_matching_provider: "gemini",
            session_credit_charged: fields.charged,
            force_refresh_analysis: false,
            total_available_profiles: fields.matched,
            metadata: Metadata {
                s3_key: None,
                file_hash: None,
                uploaded_at: None,
            },
            id: &fields.id,
            batches: &[],
            created_at: &fields.created_at,
            updated_at: &fields.updated_at,
            version: fields.filter_changes + fields.search_more,
        }
        .serialize(serializer)
    }
}

/// Create's `data.sourcing.creditInfo`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CreditInfo {
    pub(crate) charged: bool,
    pub(crate) amount: u64,
    pub(crate) reason: &'static str,
    pub(crate) remaining_credits: u64,
}

/// Create's `data.sourcing`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Sourcing {
    #[serde(rename = "total_display_count")]
    pub(crate) total_display_count: usize,
    #[serde(rename = "next_cursor")]
    pub(crate) next_cursor: String,
    pub(crate) filter_changes_counter: u32,
    pub(crate) search_more_counter: u32,
    pub(crate) profile_matching_status: &'static str,
    pub(crate) new_profiles_count: usize,
    pub(crate) credit_info: CreditInfo,
}

/// Create's `data`.
#[derive(Serialize)]
pub(crate) struct Created<'w> {
    pub(crate) session: SessionView<'w>,
    pub(crate) sourcing: Sourcing,
}

/// Get Session Details' `data`.
#[derive(Serialize)]
pub(crate) struct Fetched<'w> {
    pub(crate) session: SessionView<'w>,
}
