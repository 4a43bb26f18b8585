//! Get Candidate Details: one candidate's full profile.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::ProfileAnalysis;
use super::de::null_default;

/// The `data` of Get Candidate Details: `{ candidate, profileAnalysis }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CandidateDetails {
    /// `candidate`: the full profile.
    pub candidate: CandidateProfile,
    /// `profileAnalysis`: star rating, label and recommendation.
    #[serde(rename = "profileAnalysis", default)]
    pub profile_analysis: Option<ProfileAnalysis>,
    /// Fields not listed above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A candidate's full profile (snake-case keys on the wire).
///
/// Named differently from the profile list (reference, inconsistencies 9 and 11): the LinkedIn URL
/// is `flagship_profile_url` here (Reveal Contact calls its input `linkedin_profile_url`), and
/// employers are `current_employers[]` with `name`/`title`. No past employers are documented
/// although the filters reference `past_employers.*`; any such field lands in `extra`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CandidateProfile {
    /// `_id`.
    #[serde(rename = "_id", default)]
    pub id: Option<String>,
    /// `name`.
    #[serde(default)]
    pub name: Option<String>,
    /// `headline`.
    #[serde(default)]
    pub headline: Option<String>,
    /// `summary`.
    #[serde(default)]
    pub summary: Option<String>,
    /// `flagship_profile_url`: the LinkedIn profile URL.
    #[serde(default)]
    pub flagship_profile_url: Option<String>,
    /// `region`.
    #[serde(default)]
    pub region: Option<String>,
    /// `years_of_experience_raw`.
    #[serde(default)]
    pub years_of_experience_raw: Option<f64>,
    /// `skills`.
    #[serde(default, deserialize_with = "null_default")]
    pub skills: Vec<String>,
    /// `current_employers`.
    #[serde(default, deserialize_with = "null_default")]
    pub current_employers: Vec<Employer>,
    /// `education_background`.
    #[serde(default, deserialize_with = "null_default")]
    pub education_background: Vec<Education>,
    /// Fields not listed above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl CandidateProfile {
    /// The LinkedIn URL to pass to [`Client::reveal_contact`](crate::Client::reveal_contact)
    /// (`flagship_profile_url`).
    pub fn linkedin_url(&self) -> Option<&str> {
        self.flagship_profile_url.as_deref()
    }
}

/// A current employer in Get Candidate Details (`current_employers[]`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Employer {
    /// `name`: the company.
    #[serde(default)]
    pub name: Option<String>,
    /// `title`: the job title.
    #[serde(default)]
    pub title: Option<String>,
    /// `employment_type`, for example `"Full-time"`.
    #[serde(default)]
    pub employment_type: Option<String>,
    /// `years_at_company`: a bucket label such as `"3 to 5 years"`.
    #[serde(default)]
    pub years_at_company: Option<String>,
    /// Fields not listed above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An entry of `education_background[]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Education {
    /// `degree_name`.
    #[serde(default)]
    pub degree_name: Option<String>,
    /// `field_of_study`.
    #[serde(default)]
    pub field_of_study: Option<String>,
    /// `institute_name`.
    #[serde(default)]
    pub institute_name: Option<String>,
    /// Fields not listed above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
