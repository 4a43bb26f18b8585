//! Filter helpers: Filters Autocomplete and JD to Filters.

use serde::Serialize;

use super::{Call, Client, Response, Safety, Verb};
use crate::error::Error;
use crate::model::{Annotations, Suggestions, decode_annotations, decode_suggestions};

#[derive(Serialize)]
struct AnnotationRequest<'a> {
    #[serde(rename = "userText")]
    user_text: &'a str,
    linkedin_profile_url: &'a str,
}

impl Client {
    /// Filters Autocomplete: `GET /sourcing-session/filters/autocomplete?filter_type=&query=&limit=`.
    ///
    /// `filter_type` names the filter to suggest values for; the reference lists `region`,
    /// `skill`, `title` and `country_region` "etc." (note `skill`/`title` where the filter keys are
    /// `skills`/`current_employers.title`). `limit` is optional (default and maximum undocumented).
    /// Bare and enveloped answers, string and `{label, value}` items are all accepted.
    ///
    /// ```no_run
    /// # async fn run(client: fj_sourcing::Client) -> Result<(), fj_sourcing::Error> {
    /// let regions = client.autocomplete("region", "Pune", Some(10)).await?;
    /// let values: Vec<&str> = regions.values().collect();
    /// println!("{values:?}");
    /// # Ok(()) }
    /// ```
    pub async fn autocomplete(
        &self,
        filter_type: &str,
        query: &str,
        limit: Option<u32>,
    ) -> Result<Response<Suggestions>, Error> {
        if filter_type.trim().is_empty() {
            return Err(Error::invalid_argument("filter_type", "must not be blank"));
        }
        if query.trim().is_empty() {
            return Err(Error::invalid_argument("query", "must not be blank"));
        }
        let limit = limit.map(|l| l.to_string());
        let mut params = vec![("filter_type", filter_type), ("query", query)];
        if let Some(limit) = &limit {
            params.push(("limit", limit.as_str()));
        }
        let segments = ["sourcing-session", "filters", "autocomplete"];
        let call = Call::new(Verb::Get, &segments, Safety::Idempotent).query(&params);
        self.send(call, decode_suggestions).await
    }

    /// JD to Filters: `POST /sourcing-session/get-annotation` with
    /// `{"userText": text, "linkedin_profile_url": url or ""}`.
    ///
    /// Sends the key as `x-fj-api-key` like every other endpoint (the page's header table says
    /// `Authorization`, its own authentication block says `x-fj-api-key`). Not credit-consuming
    /// per the overview, so it is retried like a read. Turn the result into a request with
    /// [`Annotations::to_builder`].
    ///
    /// ```no_run
    /// # async fn run(client: fj_sourcing::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let annotations = client
    ///     .jd_to_filters("Looking for a .NET Developer with 3-7 years of experience...", None)
    ///     .await?;
    /// let filters = annotations.to_builder()?;
    /// let request = filters.builder.title(".NET Developer").build()?;
    /// # let _ = request;
    /// # Ok(()) }
    /// ```
    pub async fn jd_to_filters(
        &self,
        text: &str,
        linkedin_url: Option<&str>,
    ) -> Result<Response<Annotations>, Error> {
        if text.trim().is_empty() {
            return Err(Error::invalid_argument("text", "must not be blank"));
        }
        let body = AnnotationRequest {
            user_text: text,
            linkedin_profile_url: linkedin_url.unwrap_or(""),
        };
        let body = serde_json::to_vec(&body)
            .map_err(|e| Error::invalid_argument("text", format!("cannot be encoded: {e}")))?;
        let call = Call::new(
            Verb::Post,
            &["sourcing-session", "get-annotation"],
            Safety::Idempotent,
        )
        .json(body);
        self.send(call, decode_annotations).await
    }
}
