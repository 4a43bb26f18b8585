//! The session document and the two answers that carry it (Create, Get Session Details),
//! written by hand in the reference's field order.
//!
//! A document is mostly constant text around the request's title, job description and filters.
//! serde's derive escaped every key and checked every byte of every value on each answer, which
//! made this the largest part of a create. Here the constant runs are copied as they are and
//! only the request's own strings are escaped. Create writes `queries` from the request, exactly
//! as the query crate serializes filters, and then copies the stored request's JSON together
//! from the answer's own pieces instead of serializing the request a second time; Get Session
//! Details copies `queries` from that stored JSON. `tests/sandbox_documents.rs` pins the bytes.

use std::ops::Range;

use serde::Serialize;

use fj_sourcing_query::SessionRequest;

use super::ids::push_iso8601_millis;

/// The ids every session of a sandbox shares (one workspace, one project, one user).
pub(crate) struct Workspace {
    pub(crate) workspace_id: String,
    pub(crate) project_id: String,
    pub(crate) user_id: String,
}

/// What a session document shows besides the request.
pub(crate) struct SessionFields<'a> {
    /// The session id (ASCII hex digits).
    pub(crate) id: &'a [u8],
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
pub(crate) struct Sourcing<'a> {
    pub(crate) found: usize,
    /// ASCII, no escapes.
    pub(crate) next_cursor: &'a [u8],
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

/// Where Create's answer holds the request's parts (escaped JSON strings and the `queries`
/// object), so that the stored request is copied from it.
pub(crate) struct RequestSpans {
    title: Option<Range<usize>>,
    user_text: Option<Range<usize>>,
    sample_profile_url: Option<Range<usize>>,
    queries: Range<usize>,
}

/// An answer being written.
pub(crate) struct Out(Vec<u8>);

impl Out {
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        Out(Vec::with_capacity(capacity))
    }

    /// An answer written into `buffer` (empty).
    pub(crate) fn new(buffer: Vec<u8>) -> Self {
        Out(buffer)
    }

    pub(crate) fn into_bytes(self) -> Vec<u8> {
        self.0
    }

    /// Text that needs no escaping: constants, ids, numbers already formatted.
    fn raw(&mut self, text: &str) {
        self.0.extend_from_slice(text.as_bytes());
    }

    /// A JSON string, escaped by serde_json.
    fn string(&mut self, text: &str) {
        serde_json::to_writer(&mut self.0, text).expect("a Vec takes any JSON");
    }

    /// A JSON string, and where it was written.
    fn string_span(&mut self, text: &str) -> Range<usize> {
        let start = self.0.len();
        self.string(text);
        start..self.0.len()
    }

    /// A number: inline for a single digit, as most of a document's counters are.
    #[inline]
    fn number(&mut self, n: u64) {
        if n < 10 {
            self.0.push(b'0' + n as u8);
        } else {
            self.long_number(n);
        }
    }

    fn long_number(&mut self, mut n: u64) {
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        loop {
            at -= 1;
            digits[at] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        self.0.extend_from_slice(&digits[at..]);
    }

    fn boolean(&mut self, b: bool) {
        self.raw(if b { "true" } else { "false" });
    }

    fn timestamp(&mut self, millis: u64) {
        self.0.push(b'"');
        push_iso8601_millis(&mut self.0, millis);
        self.0.push(b'"');
    }

    /// The stored session (Create's and Get Session Details' `data.session`), up to its
    /// filters, which `queries` writes.
    /// `texts` are the title, the job description and the sample profile URL.
    fn session_request(
        &mut self,
        [title, user_text, sample_profile_url]: [Option<&str>; 3],
        queries: impl FnOnce(&mut Self),
    ) -> RequestSpans {
        self.raw(r#"{"sessionTitle":"#);
        let title = title.map(|title| self.string_span(title));
        if title.is_none() {
            self.raw(r#""""#);
        }
        self.raw(r#","medium":"MANUAL","jdDetail":{"userText":"#);
        let user_text = user_text.map(|text| self.string_span(text));
        if user_text.is_none() {
            self.raw(r#""""#);
        }
        self.raw(r#","sampleProfileURL":"#);
        let sample_profile_url = sample_profile_url.map(|url| self.string_span(url));
        if sample_profile_url.is_none() {
            self.raw(r#""""#);
        }
        self.raw(r#"},"queries":"#);
        let start = self.0.len();
        queries(self);
        RequestSpans {
            title,
            user_text,
            sample_profile_url,
            queries: start..self.0.len(),
        }
    }

    /// The request as `SessionRequest::to_json_vec` writes it, copied from the parts of it this
    /// answer holds (`stored_requests_are_what_to_json_vec_writes` compares the two).
    pub(crate) fn stored_request(&self, spans: &RequestSpans) -> Box<[u8]> {
        const TITLE: &[u8] = br#""sessionTitle":"#;
        const JD: &[u8] = br#""jdDetail":{"#;
        const USER_TEXT: &[u8] = br#""userText":"#;
        const URL: &[u8] = br#""sampleProfileURL":"#;
        const QUERIES: &[u8] = br#""queries":"#;
        let text = &self.0;
        let len_of = |span: &Option<Range<usize>>, key: &[u8]| {
            span.as_ref().map_or(0, |span| key.len() + span.len() + 1)
        };
        let has_jd = spans.user_text.is_some() || spans.sample_profile_url.is_some();
        let len = 2
            + len_of(&spans.title, TITLE)
            + if has_jd { JD.len() + 1 } else { 0 }
            + len_of(&spans.user_text, USER_TEXT)
            + len_of(&spans.sample_profile_url, URL)
            + QUERIES.len()
            + spans.queries.len();
        let mut json = Vec::with_capacity(len);
        json.push(b'{');
        if let Some(title) = &spans.title {
            json.extend_from_slice(TITLE);
            json.extend_from_slice(&text[title.clone()]);
            json.push(b',');
        }
        if has_jd {
            json.extend_from_slice(JD);
            if let Some(user_text) = &spans.user_text {
                json.extend_from_slice(USER_TEXT);
                json.extend_from_slice(&text[user_text.clone()]);
                json.push(b',');
            }
            if let Some(url) = &spans.sample_profile_url {
                json.extend_from_slice(URL);
                json.extend_from_slice(&text[url.clone()]);
                json.push(b',');
            }
            // The last member's comma closes the object instead.
            *json.last_mut().expect("a member was written") = b'}';
            json.push(b',');
        }
        json.extend_from_slice(QUERIES);
        json.extend_from_slice(&text[spans.queries.clone()]);
        json.push(b'}');
        debug_assert_eq!(json.len(), len);
        json.into_boxed_slice()
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
        self.0.extend_from_slice(fields.id);
        self.raw(r#"","batches":[],"createdAt":"#);
        let created = self.0.len();
        self.timestamp(fields.created_at);
        let created = created..self.0.len();
        self.raw(r#","updatedAt":"#);
        if fields.updated_at == fields.created_at {
            // As on every Create: the same text again, without formatting it twice.
            self.0.extend_from_within(created);
        } else {
            self.timestamp(fields.updated_at);
        }
        self.raw(r#","__v":"#);
        self.number(u64::from(fields.filter_changes) + u64::from(fields.search_more));
        self.raw("}");
    }

    /// The 201 answer of Create Sourcing Session, up to the session's filters: what can be
    /// written before the store has taken the session. Gives where the request's parts are,
    /// for [`stored_request`](Self::stored_request).
    pub(crate) fn created_start(&mut self, request: &SessionRequest) -> RequestSpans {
        self.raw(r#"{"statusCode":201,"data":{"session":"#);
        let texts = [
            request.title(),
            request.jd_text(),
            request.sample_profile_url(),
        ];
        self.session_request(texts, |out| {
            serde_json::to_writer(&mut out.0, request.queries()).expect("a Vec takes any JSON")
        })
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
        self.0.extend_from_slice(sourcing.next_cursor);
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
        let texts = [
            request.title(),
            request.jd_text(),
            request.sample_profile_url(),
        ];
        self.session_request(texts, |out| out.0.extend_from_slice(queries_json));
        self.session_rest(workspace, fields);
        self.raw(r#"},"message":"Session fetched successfully","status":"SUCCESS"}"#);
    }
}

#[cfg(test)]
mod tests {
    use super::{Out, queries_json};
    use fj_sourcing_query::fields::FieldId;
    use fj_sourcing_query::{Session, SessionRequest};

    /// Request bodies with and without each optional part, strings that need escapes, and
    /// every documented filter with its example value, integral and fractional ranges included.
    fn bodies() -> Vec<String> {
        let skills = r#""skills":{"type":"IN","value":{"mandatory":["C#"]}}"#;
        let all: Vec<String> = FieldId::ALL
            .iter()
            .map(|id| {
                let (op, value) = (id.operator().wire(), id.example());
                format!(r#""{}":{{"type":"{op}","value":{value}}}"#, id.key())
            })
            .collect();
        let all = all.join(",");
        // JSON escapes, decoded by the parser and written again by the document.
        let odd = r#"Tab\there \"q\" \\ back \u00e9 \u2028 \u0001 \ud83d\ude00 \"queries\":{"#;
        let bodies = [
            format!(r#"{{"queries":{{{skills}}}}}"#),
            format!(r#"{{"sessionTitle":"{odd}","queries":{{{all}}}}}"#),
            format!(r#"{{"jdDetail":{{"userText":"{odd}"}},"queries":{{{all}}}}}"#),
            format!(
                r#"{{"jdDetail":{{"sampleProfileURL":"https://www.linkedin.com/in/x"}},
                    "queries":{{{skills}}}}}"#
            ),
            format!(
                r#"{{"sessionTitle":"t","jdDetail":{{"userText":"u",
                    "sampleProfileURL":"https://linkedin.com/in/{odd}"}},"queries":{{{skills}}}}}"#
            ),
            format!(r#"{{"sessionTitle":"t","jdDetail":{{}},"queries":{{{skills}}}}}"#),
            format!(
                r#"{{"sessionTitle":" x ","queries":{{{skills},
                    "year_founded":{{"type":"RANGE","value":[-1.5e300,-7]}},
                    "years_of_experience_raw":{{"type":"RANGE","value":[-9223372036854775808,
                    18446744073709551615]}},"region":{{"type":"IN","value":["a","b"]}}}}}}"#
            ),
        ];
        bodies.to_vec()
    }

    fn request(body: &str) -> SessionRequest {
        SessionRequest::from_json(body).unwrap_or_else(|e| panic!("{body}: {e}"))
    }

    #[test]
    fn stored_requests_are_what_to_json_vec_writes() {
        for body in bodies() {
            let request = request(&body);
            let mut out = Out::with_capacity(0);
            let spans = out.created_start(&request);
            let stored = out.stored_request(&spans);
            assert_eq!(
                String::from_utf8(stored.into_vec()).expect("UTF-8"),
                String::from_utf8(request.to_json_vec()).expect("UTF-8")
            );
        }
    }

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
