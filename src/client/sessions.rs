//! Session endpoints: create, read.

use super::{Call, Client, Response, Safety, Verb, check_id};
use crate::error::Error;
use crate::model::{CreatedSession, SessionDetails, decode_enveloped};
use crate::request::SessionRequest;

impl Client {
    /// Create Sourcing Session: `POST /sourcing-session`. Charges credits (5 in the documented
    /// example) and starts the first search.
    ///
    /// The request is a validated [`SessionRequest`], so a structurally wrong body cannot be sent.
    /// Retried only when the request provably was not processed (connection refused, `429`); see
    /// [`RetryPolicy`](crate::RetryPolicy). Check
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
        let call = Call::new(Verb::Post, &["sourcing-session"], Safety::CreditCharging)
            .json(request.to_json_vec());
        let response = self.send(call, decode_enveloped::<CreatedSession>).await?;
        if response.sourcing_error().is_some() {
            tracing::warn!(
                body_status_code = response.meta.body_status_code(),
                "session stored but the API reported a sourcing error"
            );
        }
        Ok(response)
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
