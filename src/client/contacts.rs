//! Reveal Contact.

use reqwest::Url;

use super::{Call, Charging, Client, Response, Verb, check_id};
use crate::error::Error;
use fj_sourcing_query::RevealType;

use crate::model::{Contacts, decode_charged};

impl Client {
    /// Reveal Contact: `POST /sourcing-session/contact/reveal?sourcingSessionId=&linkedin_profile_url=&revealType=`.
    /// Charges credits.
    ///
    /// All inputs travel as query parameters (percent-encoded, the LinkedIn URL included); no
    /// body is sent. `linkedin_url` is the candidate's profile URL, for example
    /// [`CandidateProfile::linkedin_url`](crate::model::CandidateProfile::linkedin_url); it must be
    /// an absolute `http(s)` URL. A `404` means the profile or the contact was not found; whether
    /// that is charged is undocumented (the client counts it). Never retried after a timeout or
    /// `5xx` by default; counted and capped like
    /// [`create_session`](Client::create_session). For many candidates, see
    /// [`reveal_contacts`](Client::reveal_contacts).
    ///
    /// ```no_run
    /// use fj_sourcing::RevealType;
    /// # async fn run(client: fj_sourcing::Client) -> Result<(), fj_sourcing::Error> {
    /// let contacts = client
    ///     .reveal_contact(
    ///         "6a0c77936e7a0151430c91fd",
    ///         "https://www.linkedin.com/in/roshni-sabhwani",
    ///         RevealType::Email,
    ///     )
    ///     .await?;
    /// println!("emails: {:?}", contacts.values(RevealType::Email));
    /// # Ok(()) }
    /// ```
    pub async fn reveal_contact(
        &self,
        session_id: &str,
        linkedin_url: &str,
        reveal: RevealType,
    ) -> Result<Response<Contacts>, Error> {
        check_id("session_id", session_id)?;
        let is_web_url = Url::parse(linkedin_url)
            .is_ok_and(|url| matches!(url.scheme(), "http" | "https") && url.host().is_some());
        if !is_web_url {
            return Err(Error::invalid_argument(
                "linkedin_url",
                "must be an absolute http(s) URL of the candidate's profile",
            ));
        }
        let query = [
            ("sourcingSessionId", session_id),
            ("linkedin_profile_url", linkedin_url),
            ("revealType", reveal.as_str()),
        ];
        let segments = ["sourcing-session", "contact", "reveal"];
        let call = Call::charging(Verb::Post, &segments, Charging::Reveal).query(&query);
        self.send(call, decode_charged::<Contacts>).await
    }
}
