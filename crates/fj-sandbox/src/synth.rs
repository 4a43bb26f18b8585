//! Deterministic synthetic candidates that satisfy their session's filters.
//!
//! A candidate is derived from the sandbox seed, the session's filters, the batch number and its
//! position in the batch, so the same seed and filters always give the same people (same names,
//! LinkedIn URLs, skills...). Candidate `_id`s also depend on the session, so two sessions with
//! the same filters list the same people under different ids, as the real API's per-session
//! result documents would.
//!
//! Honoured filters (see [`HONOURED_FILTERS`](super::HONOURED_FILTERS)): every generated candidate
//! satisfies each of them. `IN`/`=` filters give the candidate one of the listed values exactly;
//! `country_region` (`"(.)"`) is read as a case-insensitive "contains" on the candidate's region;
//! `RANGE` is inclusive. Skills: every mandatory skill, at least one core skill (when any is
//! given), some secondary skills, and a few unrelated ones. When no candidate can satisfy the
//! filters (a `region` outside every `country_region`, or an experience range outside 0..=50
//! years), the search finds nobody and batches are empty.

use serde_json::{Value, json};

use super::ids::{hash_bytes, mix, object_id};
use super::{score, vocab};
use fj_sourcing_query::fields::FieldId;
use fj_sourcing_query::{FilterValue, Queries, SessionRequest};

/// The experience (in years) synthetic people can have.
const MAX_YEARS: f64 = 50.0;

/// One synthetic person as matched by one session.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Candidate {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) linkedin_url: String,
    region: String,
    years: f64,
    skills: Vec<String>,
    title: String,
    company: String,
    employment_type: String,
    years_at_company: String,
    seniority: String,
    function: String,
    past_company: String,
    past_title: String,
    degree: String,
    field_of_study: String,
    institute: String,
    score: u8,
    pub(crate) email: String,
    pub(crate) phone: String,
}

/// Where an attribute's value comes from: the filter's listed values, or the vocabulary.
enum Choices<'a> {
    Given(&'a [String]),
    Vocab(&'static [&'static str]),
}

impl Choices<'_> {
    fn pick(&self, rng: &mut fastrand::Rng) -> String {
        match self {
            Choices::Given(list) => list[rng.usize(..list.len())].clone(),
            Choices::Vocab(list) => list[rng.usize(..list.len())].to_owned(),
        }
    }
}

/// What each generated candidate may look like, worked out once per batch.
struct Plan<'a> {
    /// Where candidates may live, each with whether it is in India (which picks the phone
    /// format), worked out once rather than per candidate.
    regions: Vec<(String, bool)>,
    years: Option<(f64, f64)>,
    mandatory: &'a [String],
    core: &'a [String],
    secondary: &'a [String],
    title: Choices<'a>,
    company: Choices<'a>,
    employment_type: Choices<'a>,
    years_at_company: Choices<'a>,
    seniority: Choices<'a>,
    function: Choices<'a>,
    past_company: Choices<'a>,
    past_title: Choices<'a>,
    degree: Choices<'a>,
    field_of_study: Choices<'a>,
    institute: Choices<'a>,
}

fn values(queries: &Queries, field: FieldId) -> Option<&[String]> {
    match queries.get(field) {
        Some(FilterValue::Values(values)) if !values.is_empty() => Some(values),
        _ => None,
    }
}

fn choices<'a>(
    queries: &'a Queries,
    field: FieldId,
    vocab: &'static [&'static str],
) -> Choices<'a> {
    values(queries, field).map_or(Choices::Vocab(vocab), Choices::Given)
}

pub(crate) fn contains_ci(haystack: &str, needle: &str) -> bool {
    haystack.to_lowercase().contains(&needle.to_lowercase())
}

/// The `country_region` filter as a test on regions: [`contains_ci`] with some pattern (each
/// lowered once). Without the filter every region passes.
struct InCountry(Option<Vec<String>>);

impl InCountry {
    fn new(queries: &Queries) -> Self {
        let patterns = values(queries, FieldId::CountryRegion);
        InCountry(patterns.map(|ps| ps.iter().map(|p| p.to_lowercase()).collect()))
    }

    fn admits(&self, region: &str) -> bool {
        self.0.as_ref().is_none_or(|ps| {
            let region = region.to_lowercase();
            ps.iter().any(|p| region.contains(p.as_str()))
        })
    }
}

/// The experience candidates may have: `Some(None)` without the filter, `None` when the range
/// holds no possible experience.
fn years_range(queries: &Queries) -> Option<Option<(f64, f64)>> {
    match queries.get(FieldId::YearsOfExperience) {
        Some(FilterValue::Range(range)) => {
            let lo = range.min().as_f64().max(0.0);
            let hi = range.max().as_f64().min(MAX_YEARS);
            (lo <= hi).then_some(Some((lo, hi)))
        }
        _ => Some(None),
    }
}

/// Whether some candidate can satisfy every honoured filter: `Plan::new(request).is_some()`,
/// without building the plan.
fn satisfiable(request: &SessionRequest) -> bool {
    let queries = request.queries();
    let regions = match values(queries, FieldId::Region) {
        Some(regions) => {
            let in_country = InCountry::new(queries);
            regions.iter().any(|r| in_country.admits(r))
        }
        // The vocabulary's regions in the country or, when it knows none, the country itself.
        None => true,
    };
    regions && years_range(queries).is_some()
}

impl<'a> Plan<'a> {
    /// The plan, or `None` when no candidate can satisfy every honoured filter.
    fn new(request: &'a SessionRequest) -> Option<Self> {
        let queries = request.queries();
        let countries = values(queries, FieldId::CountryRegion);
        let in_country = InCountry::new(queries);
        let regions: Vec<String> = match values(queries, FieldId::Region) {
            Some(regions) => regions
                .iter()
                .filter(|r| in_country.admits(r))
                .cloned()
                .collect(),
            None => {
                let known: Vec<String> = vocab::REGIONS
                    .iter()
                    .filter(|r| in_country.admits(r))
                    .map(|r| (*r).to_owned())
                    .collect();
                // A country the vocabulary does not know is still a valid place to live.
                match (known.is_empty(), countries) {
                    (true, Some(patterns)) => patterns.to_vec(),
                    _ => known,
                }
            }
        };
        if regions.is_empty() {
            return None;
        }
        let regions = regions
            .into_iter()
            .map(|region| {
                let in_india = contains_ci(&region, "india");
                (region, in_india)
            })
            .collect();
        let years = years_range(queries)?;
        let skills = request.skills();
        Some(Plan {
            regions,
            years,
            mandatory: skills.mandatory(),
            core: skills.core(),
            secondary: skills.secondary(),
            title: choices(queries, FieldId::CurrentTitle, vocab::TITLES),
            company: choices(queries, FieldId::CurrentCompany, vocab::COMPANIES),
            employment_type: choices(
                queries,
                FieldId::EmploymentType,
                &vocab::EMPLOYMENT_TYPES[..2],
            ),
            years_at_company: choices(
                queries,
                FieldId::YearsAtCurrentCompany,
                vocab::YEARS_AT_COMPANY,
            ),
            seniority: choices(queries, FieldId::CurrentSeniority, vocab::SENIORITY_LEVELS),
            function: choices(queries, FieldId::CurrentFunction, &vocab::FUNCTIONS[..2]),
            past_company: choices(queries, FieldId::PastCompany, vocab::COMPANIES),
            past_title: choices(queries, FieldId::PastTitle, vocab::TITLES),
            degree: choices(queries, FieldId::Degree, vocab::DEGREES),
            field_of_study: choices(queries, FieldId::FieldOfStudy, vocab::FIELDS_OF_STUDY),
            institute: choices(queries, FieldId::School, vocab::INSTITUTES),
        })
    }

    fn years(&self, rng: &mut fastrand::Rng) -> f64 {
        let (lo, hi) = self.years.unwrap_or((0.0, 20.0));
        let (first, last) = (lo.ceil(), hi.floor());
        if first <= last {
            rng.i64(first as i64..=last as i64) as f64
        } else {
            // No whole number fits (e.g. [1.2, 1.8]): the lower bound itself does.
            lo
        }
    }

    fn skills(&self, rng: &mut fastrand::Rng) -> Vec<String> {
        let mut skills: Vec<String> = Vec::new();
        let push = |skill: &str, skills: &mut Vec<String>| {
            if !skills.iter().any(|s| s.eq_ignore_ascii_case(skill)) {
                skills.push(skill.to_owned());
            }
        };
        for skill in self.mandatory {
            push(skill, &mut skills);
        }
        if !self.core.is_empty() {
            let mut order: Vec<usize> = (0..self.core.len()).collect();
            rng.shuffle(&mut order);
            let core_hits = rng.usize(1..=self.core.len());
            let mut chosen = order[..core_hits].to_vec();
            chosen.sort_unstable();
            for i in chosen {
                push(&self.core[i], &mut skills);
            }
        }
        for skill in self.secondary {
            if rng.bool() {
                push(skill, &mut skills);
            }
        }
        for _ in 0..rng.usize(0..=2) {
            push(vocab::SKILLS[rng.usize(..vocab::SKILLS.len())], &mut skills);
        }
        skills
    }
}

/// Identifies one batch of one session's search.
pub(crate) struct BatchKey<'a> {
    pub(crate) seed: u64,
    pub(crate) session_id: &'a str,
    /// How many times the session's filters changed before this search (`filterChangesCounter`).
    pub(crate) generation: u32,
    /// 0 for the first search, then one more per Fetch More.
    pub(crate) batch: u32,
    pub(crate) size: u32,
}

/// Generates one batch of candidates for `request`, best first.
pub(crate) fn batch(request: &SessionRequest, key: &BatchKey<'_>) -> Vec<Candidate> {
    let Some(plan) = Plan::new(request) else {
        return Vec::new();
    };
    let filters = serde_json::to_vec(request.queries()).unwrap_or_default();
    let people = mix(hash_bytes(key.seed, &filters), u64::from(key.batch));
    let ids = mix(
        mix(
            hash_bytes(key.seed, key.session_id.as_bytes()),
            u64::from(key.generation),
        ),
        u64::from(key.batch),
    );
    let mut slots: Vec<Option<Candidate>> = (0..u64::from(key.size))
        .map(|i| {
            let mut c = person(&plan, mix(people, i), object_id(mix(ids, i)));
            c.score = score::tenths(request, &c.skills, &c.title);
            Some(c)
        })
        .collect();
    // Sorts positions rather than the (large) candidates themselves. Stable: equal scores keep
    // their generation order.
    let mut order: Vec<usize> = (0..slots.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(slots[i].as_ref().map_or(0, |c| c.score)));
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}

/// How many candidates [`batch`] finds for `request` (`size`, or 0 when no candidate can
/// satisfy the filters), without generating them.
pub(crate) fn batch_len(request: &SessionRequest, size: u32) -> usize {
    if satisfiable(request) {
        size as usize
    } else {
        0
    }
}

fn ascii_slug(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn person(plan: &Plan<'_>, person_seed: u64, id: String) -> Candidate {
    let mut rng = fastrand::Rng::with_seed(person_seed);
    let first = vocab::FIRST_NAMES[rng.usize(..vocab::FIRST_NAMES.len())];
    let last = vocab::LAST_NAMES[rng.usize(..vocab::LAST_NAMES.len())];
    let tag = person_seed as u32;
    let (region, in_india) = &plan.regions[rng.usize(..plan.regions.len())];
    let region = region.clone();
    let years = plan.years(&mut rng);
    let skills = plan.skills(&mut rng);
    let phone = if *in_india {
        format!("+91 9{:09}", rng.u64(..1_000_000_000))
    } else {
        format!("+1 555-01{:02}", rng.u8(..100))
    };
    let (first_slug, last_slug) = (ascii_slug(first), ascii_slug(last));
    Candidate {
        id,
        name: format!("{first} {last}"),
        linkedin_url: format!("https://www.linkedin.com/in/{first_slug}-{last_slug}-{tag:08x}"),
        region,
        years,
        skills,
        title: plan.title.pick(&mut rng),
        company: plan.company.pick(&mut rng),
        employment_type: plan.employment_type.pick(&mut rng),
        years_at_company: plan.years_at_company.pick(&mut rng),
        seniority: plan.seniority.pick(&mut rng),
        function: plan.function.pick(&mut rng),
        past_company: plan.past_company.pick(&mut rng),
        past_title: plan.past_title.pick(&mut rng),
        degree: plan.degree.pick(&mut rng),
        field_of_study: plan.field_of_study.pick(&mut rng),
        institute: plan.institute.pick(&mut rng),
        // Set by `batch` from the finished candidate (see the `score` module).
        score: 0,
        email: format!("{first_slug}.{last_slug}.{tag:x}@example.com"),
        phone,
    }
}

/// A number as the API writes it: whole numbers without a fraction.
fn number(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        json!(x as i64)
    } else {
        json!(x)
    }
}

impl Candidate {
    /// The score in stars (see the `score` module).
    fn stars(&self) -> Value {
        number(f64::from(self.score) / 10.0)
    }

    fn recommendation(&self) -> String {
        let strength = if self.score >= 40 { "Strong" } else { "Good" };
        format!("{strength} fit for {} roles.", self.title)
    }

    /// The list item of Get Profiles for Session (`data.docs[]`).
    ///
    /// `profile.linkedin_profile_url` is a sandbox convenience the reference's example lacks:
    /// Reveal Contact needs the URL, and this spares a details call per candidate.
    pub(crate) fn list_item(&self) -> Value {
        let highlights: Vec<Value> = self
            .skills
            .iter()
            .take(2)
            .map(|s| json!({"Category": "SKILLS", "Highlight": s, "Icon": "BULB"}))
            .collect();
        json!({
            "_id": self.id,
            "finalScore": self.stars(),
            "profileAnalysis": {
                "highlights": highlights,
                "recommendation": self.recommendation(),
            },
            "profile": {
                "name": self.name,
                "region": self.region,
                "years_of_experience_raw": number(self.years),
                "skills": self.skills,
                "current_employers_object": [
                    {"company_name": self.company, "job_title": self.title}
                ],
                "linkedin_profile_url": self.linkedin_url,
            },
        })
    }

    /// The `data` of Get Candidate Details.
    ///
    /// Beyond the reference's example, employers carry `seniority_level` and
    /// `function_category`, and `past_employers` is listed, so every honoured filter can be
    /// checked against the details.
    pub(crate) fn details(&self) -> Value {
        let top: Vec<&String> = self.skills.iter().take(3).collect();
        let top: Vec<&str> = top.iter().map(|s| s.as_str()).collect();
        json!({
            "candidate": {
                "_id": self.id,
                "name": self.name,
                "headline": format!("{} at {}", self.title, self.company),
                "summary": format!(
                    "{} {} with {} years of experience in {}.",
                    self.seniority,
                    self.title,
                    number(self.years),
                    top.join(", ")
                ),
                "flagship_profile_url": self.linkedin_url,
                "region": self.region,
                "years_of_experience_raw": number(self.years),
                "skills": self.skills,
                "current_employers": [{
                    "name": self.company,
                    "title": self.title,
                    "employment_type": self.employment_type,
                    "years_at_company": self.years_at_company,
                    "seniority_level": self.seniority,
                    "function_category": self.function,
                }],
                "past_employers": [{"name": self.past_company, "title": self.past_title}],
                "education_background": [{
                    "degree_name": self.degree,
                    "field_of_study": self.field_of_study,
                    "institute_name": self.institute,
                }],
            },
            "profileAnalysis": {
                "starRating": self.stars(),
                "starLabel": score::label(self.score),
                "recommendation": format!("{} {}/5", self.recommendation(), self.stars()),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fj_sourcing_query::Session;

    fn key(session_id: &str, batch: u32) -> BatchKey<'_> {
        BatchKey {
            seed: 7,
            session_id,
            generation: 0,
            batch,
            size: 30,
        }
    }

    #[test]
    fn same_filters_same_people_different_ids() {
        let request = Session::builder().mandatory_skills(["C#"]).build().unwrap();
        let a = batch(&request, &key("a", 0));
        let b = batch(&request, &key("b", 0));
        let names = |v: &[Candidate]| v.iter().map(|c| c.linkedin_url.clone()).collect::<Vec<_>>();
        assert_eq!(names(&a), names(&b));
        assert_ne!(a[0].id, b[0].id);
        assert_eq!(a, batch(&request, &key("a", 0)));
        assert_ne!(names(&a), names(&batch(&request, &key("a", 1))));
    }

    #[test]
    fn conflicting_filters_find_nobody() {
        let request = Session::builder()
            .region_in(["Berlin, Germany"])
            .country_region_matches(["India"])
            .mandatory_skills(["C#"])
            .build()
            .unwrap();
        assert!(batch(&request, &key("a", 0)).is_empty());
        let request = Session::builder()
            .experience(60..=70)
            .mandatory_skills(["C#"])
            .build()
            .unwrap();
        assert!(batch(&request, &key("a", 0)).is_empty());
    }

    #[test]
    fn satisfiable_agrees_with_the_plan() {
        let requests = [
            Session::builder().mandatory_skills(["C#"]).build(),
            Session::builder()
                .country_region_matches(["india"])
                .experience(1..=5)
                .mandatory_skills(["C#"])
                .build(),
            Session::builder()
                .country_region_matches(["Atlantis"])
                .mandatory_skills(["C#"])
                .build(),
            Session::builder()
                .region_in(["Berlin, Germany", "Pune, Maharashtra, India"])
                .country_region_matches(["GERMANY"])
                .mandatory_skills(["C#"])
                .build(),
            Session::builder()
                .region_in(["Berlin, Germany"])
                .country_region_matches(["India"])
                .mandatory_skills(["C#"])
                .build(),
            Session::builder()
                .experience(60..=70)
                .mandatory_skills(["C#"])
                .build(),
            Session::builder()
                .experience(50..=70)
                .mandatory_skills(["C#"])
                .build(),
        ];
        let verdicts: Vec<(bool, bool)> = requests
            .iter()
            .map(|r| {
                let r = r.as_ref().unwrap();
                (satisfiable(r), Plan::new(r).is_some())
            })
            .collect();
        assert_eq!(
            verdicts,
            [
                (true, true),
                (true, true),
                (true, true),
                (true, true),
                (false, false),
                (false, false),
                (true, true),
            ]
        );
        assert_eq!(batch_len(requests[4].as_ref().unwrap(), 25), 0);
        assert_eq!(batch_len(requests[6].as_ref().unwrap(), 25), 25);
    }

    #[test]
    fn unknown_country_is_its_own_region() {
        let request = Session::builder()
            .country_region_matches(["Atlantis"])
            .mandatory_skills(["C#"])
            .build()
            .unwrap();
        assert!(
            batch(&request, &key("a", 0))
                .iter()
                .all(|c| c.region == "Atlantis")
        );
    }

    #[test]
    fn fractional_range_without_whole_number() {
        let request = Session::builder()
            .experience(1.25..=1.75)
            .mandatory_skills(["C#"])
            .build()
            .unwrap();
        assert!(
            batch(&request, &key("a", 0))
                .iter()
                .all(|c| c.years == 1.25)
        );
    }
}
