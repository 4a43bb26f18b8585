//! The session document and Create's `data`, as typed structs so that they serialize in the
//! reference's field order (a `serde_json::Value` would sort the keys) and `queries` is written
//! exactly as the crate serializes it.

use serde::Serialize;

use crate::request::Queries;

/// `jdDetail` of a stored session: both fields always present (`""` when not given).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct JdDetail {
    pub(crate) user_text: String,
    #[serde(rename = "sampleProfileURL")]
    pub(crate) sample_profile_url: String,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Metadata {
    s3_key: Option<String>,
    file_hash: Option<String>,
    uploaded_at: Option<String>,
}

/// The stored session (Create's `data.session`, Get Session Details' `data.session`).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SessionDocument {
    pub(crate) session_title: String,
    pub(crate) medium: &'static str,
    pub(crate) jd_detail: JdDetail,
    pub(crate) queries: Queries,
    pub(crate) fallback_filters: Option<Queries>,
    pub(crate) has_used_final_fallback: bool,
    pub(crate) nuances: Vec<String>,
    pub(crate) red_flags: &'static str,
    pub(crate) must_haves: &'static str,
    pub(crate) additional_notes: &'static str,
    pub(crate) created_by: String,
    pub(crate) workspace_id: String,
    pub(crate) project_id: String,
    #[serde(rename = "next_cursor")]
    pub(crate) next_cursor: &'static str,
    pub(crate) search_more_counter: u32,
    pub(crate) filter_changes_counter: u32,
    pub(crate) last_candidates_fetched_at: Option<String>,
    pub(crate) profile_matching_status: &'static str,
    pub(crate) total_profiles_for_matching: usize,
    pub(crate) total_profiles_matched: usize,
    pub(crate) profile_matching_provider: &'static str,
    pub(crate) session_credit_charged: bool,
    pub(crate) force_refresh_analysis: bool,
    pub(crate) total_available_profiles: usize,
    pub(crate) metadata: Metadata,
    #[serde(rename = "_id")]
    pub(crate) id: String,
    /// The items' shape is undocumented, so the sandbox always leaves the list empty.
    pub(crate) batches: Vec<String>,
    pub(crate) created_at: String,
    pub(crate) updated_at: String,
    #[serde(rename = "__v")]
    pub(crate) version: u32,
}

impl Metadata {
    pub(crate) const EMPTY: Metadata = Metadata {
        s3_key: None,
        file_hash: None,
        uploaded_at: None,
    };
}

/// Create's `data.sourcing.creditInfo`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CreditInfo {
    pub(crate) charged: bool,
    pub(crate) amount: u64,
    pub(crate) reason: &'static str,
    pub(crate) remaining_credits: u64,
}

/// Create's `data.sourcing`.
#[derive(Clone, Debug, Serialize)]
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
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Created {
    pub(crate) session: SessionDocument,
    pub(crate) sourcing: Sourcing,
}

/// Get Session Details' `data`.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Fetched {
    pub(crate) session: SessionDocument,
}
