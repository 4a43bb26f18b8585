//! Get Profiles for Session: a page of matched candidates.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::de::null_default;

/// The `data` of Get Profiles for Session: one page of candidates plus the pagination fields.
///
/// Pagination is by page number (the Mongoose paginate field set), not by cursor. Walk every page
/// with [`Client::profiles_stream`](crate::Client::profiles_stream).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ProfilePage {
    /// `docs`: the candidates on this page.
    #[serde(default, deserialize_with = "null_default")]
    pub docs: Vec<Candidate>,
    /// `totalDocs`: candidates across all pages.
    #[serde(default)]
    pub total_docs: Option<u64>,
    /// `limit`: the page size used.
    #[serde(default)]
    pub limit: Option<u64>,
    /// `page`: this page's 1-based number.
    #[serde(default)]
    pub page: Option<u64>,
    /// `totalPages`.
    #[serde(default)]
    pub total_pages: Option<u64>,
    /// `hasNextPage`.
    #[serde(default)]
    pub has_next_page: Option<bool>,
    /// `nextPage` (its value on the last page is undocumented; presumably `null`).
    #[serde(default)]
    pub next_page: Option<u64>,
    /// `hasPrevPage` (not in the documented example).
    #[serde(default)]
    pub has_prev_page: Option<bool>,
    /// `prevPage` (not in the documented example).
    #[serde(default)]
    pub prev_page: Option<u64>,
    /// `pagingCounter` (not in the documented example).
    #[serde(default)]
    pub paging_counter: Option<u64>,
    /// Fields not listed above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ProfilePage {
    /// The page to request after this one, or `None` on the last page.
    ///
    /// `nextPage` when `hasNextPage` is true (this page + 1 if `nextPage` is missing); `None`
    /// when `hasNextPage` is false. Without `hasNextPage`, `nextPage` alone decides.
    pub fn next_page_number(&self) -> Option<u64> {
        match self.has_next_page {
            Some(false) => None,
            // A hostile `page` of u64::MAX has no next page (and must not overflow).
            Some(true) => self
                .next_page
                .or_else(|| self.page.and_then(|p| p.checked_add(1))),
            None => self.next_page,
        }
    }
}

/// One matched candidate in a profile list (`data.docs[]`).
///
/// The list uses other names than Get Candidate Details for the same facts (reference,
/// inconsistency 11): employers are `profile.current_employers_object[]` with `company_name` and
/// `job_title` here, `candidate.current_employers[]` with `name` and `title` there.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Candidate {
    /// `_id`: the candidate id for [`Client::candidate`](crate::Client::candidate).
    #[serde(rename = "_id", default)]
    pub id: Option<String>,
    /// `finalScore` (`5` in the example; the scale is undocumented and may be fractional).
    #[serde(default)]
    pub final_score: Option<f64>,
    /// `profileAnalysis`: highlights and a recommendation.
    #[serde(default)]
    pub profile_analysis: Option<ProfileAnalysis>,
    /// `profile`: the candidate summary.
    #[serde(default)]
    pub profile: Option<ProfileSummary>,
    /// `sourcingSessionId` (reported by integrators, not in the reference).
    #[serde(default)]
    pub sourcing_session_id: Option<String>,
    /// `revealStatus` (reported by integrators, not in the reference).
    #[serde(default)]
    pub reveal_status: Option<RevealStatus>,
    /// Fields not listed above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Candidate {
    /// `profile.name`.
    pub fn name(&self) -> Option<&str> {
        self.profile.as_ref()?.name.as_deref()
    }

    /// `profile.linkedin_profile_url`, the input Reveal Contact needs.
    ///
    /// The documented list example has no LinkedIn URL at all (reference, inconsistency 9);
    /// integrators read it from here. When absent, use
    /// [`CandidateProfile::linkedin_url`](crate::model::CandidateProfile::linkedin_url) from
    /// Get Candidate Details.
    pub fn linkedin_url(&self) -> Option<&str> {
        self.profile.as_ref()?.linkedin_profile_url.as_deref()
    }
}

/// `profileAnalysis`: the service's assessment of a candidate.
///
/// The list shows `highlights` and `recommendation`; Get Candidate Details shows `starRating`,
/// `starLabel` and `recommendation`. One type serves both.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ProfileAnalysis {
    /// `highlights`.
    #[serde(default, deserialize_with = "null_default")]
    pub highlights: Vec<Highlight>,
    /// `recommendation`: free text.
    #[serde(default)]
    pub recommendation: Option<String>,
    /// `starRating` (`5` in the example; scale undocumented).
    #[serde(default)]
    pub star_rating: Option<f64>,
    /// `starLabel` (`"excellent"` in the example; other labels undocumented).
    #[serde(default)]
    pub star_label: Option<String>,
    /// Fields not listed above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One highlight. Its keys are capitalised on the wire (`Category`, `Highlight`, `Icon`), unlike
/// every other field of the API.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Highlight {
    /// `Category` (`"SKILLS"` in the example; no list documented).
    #[serde(rename = "Category", default)]
    pub category: Option<String>,
    /// `Highlight`: the highlighted fact.
    #[serde(rename = "Highlight", default)]
    pub highlight: Option<String>,
    /// `Icon` (`"BULB"` in the example).
    #[serde(rename = "Icon", default)]
    pub icon: Option<String>,
    /// Fields not listed above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `profile` of a list entry: the candidate summary (snake-case keys on the wire).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ProfileSummary {
    /// `name`.
    #[serde(default)]
    pub name: Option<String>,
    /// `region`.
    #[serde(default)]
    pub region: Option<String>,
    /// `years_of_experience_raw`.
    #[serde(default)]
    pub years_of_experience_raw: Option<f64>,
    /// `skills`.
    #[serde(default, deserialize_with = "null_default")]
    pub skills: Vec<String>,
    /// `current_employers_object`: current employers (`company_name`, `job_title`).
    #[serde(default, deserialize_with = "null_default")]
    pub current_employers_object: Vec<EmployerSummary>,
    /// `linkedin_profile_url` (reported by integrators, not in the reference).
    #[serde(default)]
    pub linkedin_profile_url: Option<String>,
    /// `profile_picture_permalink` (reported by integrators, not in the reference).
    #[serde(default)]
    pub profile_picture_permalink: Option<String>,
    /// Fields not listed above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An employer in a profile list entry (`current_employers_object[]`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EmployerSummary {
    /// `company_name` (called `name` in Get Candidate Details).
    #[serde(default)]
    pub company_name: Option<String>,
    /// `job_title` (called `title` in Get Candidate Details).
    #[serde(default)]
    pub job_title: Option<String>,
    /// Fields not listed above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `revealStatus` of a list entry: what has been revealed already (reported by integrators).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RevealStatus {
    /// `email`.
    #[serde(default)]
    pub email: Option<RevealState>,
    /// `phone`.
    #[serde(default)]
    pub phone: Option<RevealState>,
    /// Fields not listed above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One contact type's reveal state: `{ revealed, values }`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RevealState {
    /// `revealed`.
    #[serde(default)]
    pub revealed: Option<bool>,
    /// `values`: the revealed addresses or numbers.
    #[serde(default, deserialize_with = "null_default")]
    pub values: Vec<String>,
    /// Fields not listed above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(json: serde_json::Value) -> ProfilePage {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn next_page_number_follows_the_pagination_fields() {
        let next = |v| page(v).next_page_number();
        assert_eq!(
            next(serde_json::json!({"hasNextPage": true, "nextPage": 3})),
            Some(3)
        );
        assert_eq!(
            next(serde_json::json!({"hasNextPage": true, "page": 4})),
            Some(5)
        );
        assert_eq!(
            next(serde_json::json!({"hasNextPage": false, "nextPage": 3})),
            None
        );
        assert_eq!(next(serde_json::json!({"nextPage": 2})), Some(2));
        // The last representable page has no successor: no overflow panic on hostile input.
        assert_eq!(
            next(serde_json::json!({"hasNextPage": true, "page": u64::MAX})),
            None
        );
    }
}
