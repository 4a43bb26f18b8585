//! Session endpoints: create, read, update, fetch more, list.

use super::{Call, Charging, Client, Response, Safety, Verb, check_id};
use crate::error::Error;
use crate::model::{
    CreatedSession, DecodeFailure, Decoded, FetchMoreStarted, SessionDetails, SourcingSession,
    UpdatedSession, decode_charged, decode_enveloped,
};
use fj_sourcing_query::{SessionPatch, SessionRequest};

impl Client {
    /// Create Sourcing Session: `POST /sourcing-session`. Charges credits (5 in the documented
    /// example) and starts the first search.
    ///
    /// The request is a validated [`SessionRequest`], so a structurally wrong body cannot be sent.
    /// Retried only when the request provably was not processed (connection refused, `429`); see
    /// [`RetryPolicy`](crate::RetryPolicy). Counted in
    /// [`credits_spent`](Client::credits_spent), and refused with [`Error::CreditCap`] before
    /// sending once the [credit cap](crate::ClientBuilder::credit_cap) would be passed. Check
    /// [`CreatedSession::sourcing_error`] before waiting for results.
    ///
    /// ```no_run
    /// use fj_sourcing::{Client, Session};
    ///
    /// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// let client = Client::from_env()?;
    /// let request = Session::builder()
    ///     .title(".NET Developer")
    ///     .jd_text("Job Title: .NET Developer, Experience: 1-5 years, Location: Pune")
    ///     .country_region_matches(["India"])
    ///     .experience(1..=5)
    ///     .mandatory_skills(["C#", ".NET Core"])
    ///     .build()?;
    /// let created = client.create_session(&request).await?;
    /// if let Some(reason) = created.sourcing_error() {
    ///     eprintln!("stored, but matching did not start: {reason}");
    /// }
    /// println!("id {:?}, charged {:?}", created.id(), created.credit_info().and_then(|c| c.amount));
    /// # Ok(()) }
    /// ```
    pub async fn create_session(
        &self,
        request: &SessionRequest,
    ) -> Result<Response<CreatedSession>, Error> {
        let call = Call::charging(Verb::Post, &["sourcing-session"], Charging::Create)
            .json(request.to_json_vec());
        // A tail call: the 1.4 KB answer is not moved through one more future.
        self.send(call, decode_created).await
    }

    /// Get Session Details: `GET /sourcing-session/:sessionId`. The polling endpoint: matching
    /// results are ready when the status is `done`.
    ///
    /// ```no_run
    /// # async fn run(client: fj_sourcing::Client) -> Result<(), fj_sourcing::Error> {
    /// let details = client.session("6a0c77936e7a0151430c91fd").await?;
    /// println!("status {:?}", details.status());
    /// # Ok(()) }
    /// ```
    pub async fn session(&self, session_id: &str) -> Result<Response<SessionDetails>, Error> {
        check_id("session_id", session_id)?;
        let segments = ["sourcing-session", session_id];
        let call = Call::new(Verb::Get, &segments, Safety::Idempotent);
        self.send(call, decode_enveloped::<SessionDetails>).await
    }
}

impl Client {
    /// Update Session: `PATCH /sourcing-session/update-session/:sessionId`. Charges credits
    /// (per the overview) and re-runs the search; poll until `done` again.
    ///
    /// Sends only what the [`SessionPatch`] sets. The reference does not say how the server
    /// combines the body with the stored session; its own example sends a title and one filter
    /// without the required skills, so it must merge, as the sandbox does: each field sent
    /// replaces the stored one, `queries` and `jdDetail` key by key (a skills bucket replaces the
    /// whole skills filter, see [`SessionPatch`]). To replace everything a request sets, pass
    /// `&request.into()`. Retried like [`create_session`](Client::create_session): never after a
    /// timeout or `5xx` by default; counted and capped like a create.
    ///
    /// ```no_run
    /// use fj_sourcing::Session;
    /// # async fn run(client: fj_sourcing::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let patch = Session::patch()
    ///     .title("Senior .NET Developer")
    ///     .experience(4..=8)
    ///     .build()?;
    /// let updated = client.update_session("6a0c77936e7a0151430c91fd", &patch).await?;
    /// println!("status {:?}", updated.matching_status());
    /// # Ok(()) }
    /// ```
    pub async fn update_session(
        &self,
        session_id: &str,
        patch: &SessionPatch,
    ) -> Result<Response<UpdatedSession>, Error> {
        check_id("session_id", session_id)?;
        let segments = ["sourcing-session", "update-session", session_id];
        let call =
            Call::charging(Verb::Patch, &segments, Charging::Update).json(patch.to_json_vec());
        self.send(call, decode_charged::<UpdatedSession>).await
    }

    /// Fetch More Profiles: `POST /sourcing-session/:sessionId/fetch-more` with body `{}`.
    /// Charges credits and starts another search batch with the same filters.
    ///
    /// The answer's status sits directly under `data` (see [`FetchMoreStarted`]). Whether the new
    /// batch is appended to the profile list is undocumented. Never retried after a timeout or
    /// `5xx` by default; counted and capped like [`create_session`](Client::create_session).
    ///
    /// ```no_run
    /// # async fn run(client: fj_sourcing::Client) -> Result<(), fj_sourcing::Error> {
    /// let started = client.fetch_more("6a0c77936e7a0151430c91fd").await?;
    /// println!("status {:?}", started.profile_matching_status);
    /// # Ok(()) }
    /// ```
    pub async fn fetch_more(&self, session_id: &str) -> Result<Response<FetchMoreStarted>, Error> {
        check_id("session_id", session_id)?;
        let segments = ["sourcing-session", session_id, "fetch-more"];
        let call = Call::charging(Verb::Post, &segments, Charging::FetchMore).json(b"{}".to_vec());
        self.send(call, decode_charged::<FetchMoreStarted>).await
    }

    /// Get Project Sessions: `GET /projects/sessions`. Every session of the project tied to the
    /// key (no pagination is documented).
    ///
    /// Items carry `_id`, `sessionTitle`, `jdDetail` and `totalProfiles`, but no matching status.
    ///
    /// ```no_run
    /// # async fn run(client: fj_sourcing::Client) -> Result<(), fj_sourcing::Error> {
    /// for session in client.project_sessions().await?.iter() {
    ///     println!("{:?}: {:?} profiles", session.session_title, session.total_profiles);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn project_sessions(&self) -> Result<Response<Vec<SourcingSession>>, Error> {
        let call = Call::new(Verb::Get, &["projects", "sessions"], Safety::Idempotent);
        self.send(call, decode_enveloped::<Vec<SourcingSession>>)
            .await
    }
}

/// Create's decoder: also logs a `sourcingError`, which the API sends with a success status
/// (the session is stored, and charged, but its search did not start).
fn decode_created(body: &[u8]) -> Result<Decoded<CreatedSession>, DecodeFailure> {
    let decoded = decode_charged::<CreatedSession>(body)?;
    if decoded.data.sourcing_error().is_some() {
        tracing::warn!(
            body_status_code = decoded.status_code,
            "session stored but the API reported a sourcing error"
        );
    }
    Ok(decoded)
}
