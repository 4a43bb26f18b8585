//! Candidate endpoints: profile pages and candidate details.

use super::{Call, Client, Response, Safety, Verb, check_id};
use crate::error::Error;
use crate::model::{CandidateDetails, ProfilePage, decode_enveloped};

impl Client {
    /// Get Profiles for Session: `GET /sourcing-session/:sessionId/profiles?page=&limit=`.
    ///
    /// `page` is 1-based and `limit` the page size (the API's defaults are 1 and 20; no maximum is
    /// documented). Call it once the session is `done`; what the API returns before that is
    /// undocumented. To read every page, use [`profiles_stream`](Client::profiles_stream).
    ///
    /// ```no_run
    /// # async fn run(client: fj_sourcing::Client) -> Result<(), fj_sourcing::Error> {
    /// let page = client.profiles("6a0c77936e7a0151430c91fd", 1, 20).await?;
    /// for candidate in &page.docs {
    ///     println!("{:?} scored {:?}", candidate.name(), candidate.final_score);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn profiles(
        &self,
        session_id: &str,
        page: u32,
        limit: u32,
    ) -> Result<Response<ProfilePage>, Error> {
        check_id("session_id", session_id)?;
        if page == 0 {
            return Err(Error::invalid_argument("page", "pages are numbered from 1"));
        }
        if limit == 0 {
            return Err(Error::invalid_argument("limit", "must be at least 1"));
        }
        let (page, limit) = (page.to_string(), limit.to_string());
        let segments = ["sourcing-session", session_id, "profiles"];
        let query = [("page", page.as_str()), ("limit", limit.as_str())];
        let call = Call::new(Verb::Get, &segments, Safety::Idempotent).query(&query);
        self.send(call, decode_enveloped::<ProfilePage>).await
    }

    /// Get Candidate Details:
    /// `GET /sourcing-session/candidate/:candidateId/details?sessionId=`.
    ///
    /// `candidate_id` is a [`Candidate::id`](crate::model::Candidate::id) from a profile page.
    ///
    /// ```no_run
    /// # async fn run(client: fj_sourcing::Client) -> Result<(), fj_sourcing::Error> {
    /// let details = client.candidate("<CANDIDATE_ID>", "6a0c77936e7a0151430c91fd").await?;
    /// println!("{:?}: {:?}", details.candidate.name, details.candidate.linkedin_url());
    /// # Ok(()) }
    /// ```
    pub async fn candidate(
        &self,
        candidate_id: &str,
        session_id: &str,
    ) -> Result<Response<CandidateDetails>, Error> {
        check_id("candidate_id", candidate_id)?;
        check_id("session_id", session_id)?;
        let segments = ["sourcing-session", "candidate", candidate_id, "details"];
        let query = [("sessionId", session_id)];
        let call = Call::new(Verb::Get, &segments, Safety::Idempotent).query(&query);
        self.send(call, decode_enveloped::<CandidateDetails>).await
    }
}
