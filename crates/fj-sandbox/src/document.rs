//! The session document and the two answers that carry it (Create, Get Session Details),
//! written by hand in the reference's field order.
//!
//! A document is mostly constant text around the request's title, job description and filters.
//! serde's derive escaped every key and checked every byte of every value on each answer, which
//! made this the largest part of a create. Here the constant runs are copied as they are, only
//! the request's own strings are escaped, and `queries` is copied from the request's stored
//! JSON, which `SessionRequest::to_json_vec` wrote exactly as the crate serializes filters.
//! `tests/sandbox_documents.rs` pins the bytes.

use serde::Serialize;

use fj_sourcing_query::SessionRequest;

use super::ids::iso8601_millis;

/// The ids every session of a sandbox shares (one workspace, one project, one user).
pub(crate) struct Workspace {
    pub(crate) workspace_id: String,
    pub(crate) project_id: String,
    pub(crate) user_id: String,
}

/// What a session document shows besides the request.
pub(crate) struct SessionFields {
    pub(crate) id: String,
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

/// `creditInfo`: Create's `data.sourcing.creditInfo` as documented, and the same object in the
/// answers of the other paid operations (see the module documentation of the sandbox).
#[derive(Clone, Copy, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CreditInfo {
    pub(crate) charged: bool,
    pub(crate) amount: u64,
    pub(crate) reason: &'static str,
    pub(crate) remaining_credits: u64,
}

/// Create's `data.sourcing`.
pub(crate) struct Sourcing {
    pub(crate) found: usize,
    pub(crate) next_cursor: String,
    pub(crate) credit_info: CreditInfo,
}

/// `queries` within the JSON `to_json_vec` wrote: its last member, after `"queries":`.
///
/// The first `"queries":` is the key: inside a JSON string every `"` is escaped, so a quote can
/// never directly follow the word there, and the members before it are `sessionTitle` and
/// `jdDetail`.
pub(crate) fn queries_json(request_json: &[u8]) -> &[u8] {
    const KEY: &[u8] = b"\"queries\":";
    let start = request_json
        .windows(KEY.len())
        .position(|w| w == KEY)
        .map_or(request_json.len(), |at| at + KEY.len());
    let end = request_json.len().saturating_sub(1).max(start);
    &request_json[start..end]
}

/// An answer being written.
pub(crate) struct Out(Vec<u8>);

impl Out {
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        Out(Vec::with_capacity(capacity))
    }

    pub(crate) fn into_bytes(self) -> Vec<u8> {
        self.0
    }

    /// Text that needs no escaping: constants, ids, numbers already formatted.
    fn raw(&mut self, text: &str) {
        self.0.extend_from_slice(text.as_bytes());
    }

    /// A JSON string.
    fn string(&mut self, text: &str) {
        serde_json::to_writer(&mut self.0, text).expect("a Vec takes any JSON");
    }

    fn number(&mut self, n: u64) {
        serde_json::to_writer(&mut self.0, &n).expect("a Vec takes any JSON");
    }

    fn boolean(&mut self, b: bool) {
        self.raw(if b { "true" } else { "false" });
    }

    fn timestamp(&mut self, millis: u64) {
        self.raw("\"");
        self.raw(&iso8601_millis(millis));
        self.raw("\"");
    }

    /// The stored session (Create's and Get Session Details' `data.session`), up to its
    /// filters.
    fn session_request(&mut self, request: &SessionRequest, queries_json: &[u8]) {
        self.raw(r#"{"sessionTitle":"#);
        self.string(request.title().unwrap_or(""));
        self.raw(r#","medium":"MANUAL","jdDetail":{"userText":"#);
        self.string(request.jd_text().unwrap_or(""));
        self.raw(r#","sampleProfileURL":"#);
        self.string(request.sample_profile_url().unwrap_or(""));
        self.raw(r#"},"queries":"#);
        self.0.extend_from_slice(queries_json);
    }

    /// The rest of the stored session, after its filters.
    fn session_rest(&mut self, workspace: &Workspace, fields: &SessionFields) {
        self.raw(
            r#","fallbackFilters":null,"hasUsedFinalFallback":false,"nuances":[],"redFlags":"","mustHaves":"","additionalNotes":"","createdBy":""#,
        );
        self.raw(&workspace.user_id);
        self.raw(r#"","workspaceId":""#);
        self.raw(&workspace.workspace_id);
        self.raw(r#"","projectId":""#);
        self.raw(&workspace.project_id);
        self.raw(r#"","next_cursor":"","searchMoreCounter":"#);
        self.number(fields.search_more.into());
        self.raw(r#","filterChangesCounter":"#);
        self.number(fields.filter_changes.into());
        self.raw(r#","lastCandidatesFetchedAt":"#);
        match fields.last_fetched_at {
            Some(millis) => self.timestamp(millis),
            None => self.raw("null"),
        }
        self.raw(r#","profileMatchingStatus":""#);
        self.raw(fields.status);
        self.raw(r#"","totalProfilesForMatching":"#);
        self.number(fields.for_matching as u64);
        self.raw(r#","totalProfilesMatched":"#);
        self.number(fields.matched as u64);
        self.raw(r#","profileMatchingProvider":"gemini","sessionCreditCharged":"#);
        self.boolean(fields.charged);
        self.raw(r#","forceRefreshAnalysis":false,"totalAvailableProfiles":"#);
        self.number(fields.matched as u64);
        self.raw(r#","metadata":{"s3Key":null,"fileHash":null,"uploadedAt":null},"_id":""#);
        self.raw(&fields.id);
        self.raw(r#"","batches":[],"createdAt":"#);
        self.timestamp(fields.created_at);
        self.raw(r#","updatedAt":"#);
        self.timestamp(fields.updated_at);
        self.raw(r#","__v":"#);
        self.number(u64::from(fields.filter_changes) + u64::from(fields.search_more));
        self.raw("}");
    }

    /// The 201 answer of Create Sourcing Session, up to the session's filters: what can be
    /// written before the store has taken the session.
    pub(crate) fn created_start(&mut self, request: &SessionRequest, queries_json: &[u8]) {
        self.raw(r#"{"statusCode":201,"data":{"session":"#);
        self.session_request(request, queries_json);
    }

    /// The rest of the 201 answer of Create Sourcing Session.
    pub(crate) fn created_end(
        &mut self,
        workspace: &Workspace,
        fields: &SessionFields,
        sourcing: &Sourcing,
    ) {
        self.session_rest(workspace, fields);
        self.raw(r#","sourcing":{"total_display_count":"#);
        self.number(sourcing.found as u64);
        self.raw(r#","next_cursor":""#);
        self.raw(&sourcing.next_cursor);
        self.raw(
            r#"","filterChangesCounter":0,"searchMoreCounter":0,"profileMatchingStatus":"processing","newProfilesCount":"#,
        );
        self.number(sourcing.found as u64);
        let credit = &sourcing.credit_info;
        self.raw(r#","creditInfo":{"charged":"#);
        self.boolean(credit.charged);
        self.raw(r#","amount":"#);
        self.number(credit.amount);
        self.raw(r#","reason":"#);
        self.string(credit.reason);
        self.raw(r#","remainingCredits":"#);
        self.number(credit.remaining_credits);
        self.raw(r#"}}},"message":"Session created successfully","status":"SUCCESS"}"#);
    }

    /// The 200 answer of Get Session Details.
    pub(crate) fn fetched(
        &mut self,
        workspace: &Workspace,
        request: &SessionRequest,
        queries_json: &[u8],
        fields: &SessionFields,
    ) {
        self.raw(r#"{"statusCode":200,"data":{"session":"#);
        self.session_request(request, queries_json);
        self.session_rest(workspace, fields);
        self.raw(r#"},"message":"Session fetched successfully","status":"SUCCESS"}"#);
    }
}

#[cfg(test)]
mod tests {
    use super::queries_json;
    use fj_sourcing_query::Session;

    #[test]
    fn queries_are_found_whatever_the_title_holds() {
        for title in [r#""queries":{"#, r#"\"queries\":"#, "queries", r#"\"#] {
            let request = Session::builder()
                .title(title)
                .jd_text(r#"{"queries":{}}"#)
                .region_in([r#""queries":"#])
                .mandatory_skills(["C#"])
                .build()
                .expect("valid");
            let json = request.to_json_vec();
            let expected = serde_json::to_vec(request.queries()).expect("serializes");
            assert_eq!(queries_json(&json), expected, "{title:?}");
        }
    }
}
