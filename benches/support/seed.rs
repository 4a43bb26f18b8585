//! The seed request (API reference section 4.1: all 31 filters, plus the example's title and job
//! description), written three ways: with the typed builder, as a hand-written
//! `#[derive(Serialize)]` struct, and with `serde_json::json!`.
//!
//! Also the reference's cURL example of Create Sourcing Session (section 3.1).
//!
//! Shared by `benches/dsl.rs` and the tests (`golden`, `parse`,
//! `allocations`, `client`) through `#[path]`; each uses part of it, hence the `dead_code`
//! allowance.
#![allow(dead_code)]

use fj_sourcing::{Session, SessionRequest};
use serde::Serialize;
use serde_json::{Value, json};

/// `sessionTitle` of the reference's example request.
pub const TITLE: &str = ".NET Developer";
/// `jdDetail.userText` of the reference's example request.
pub const JD_TEXT: &str = "Job Title: .NET Developer, Experience: 1-5 years, Location: Pune";

/// `current_employers.title` of the seed (section 4.1).
pub const TITLES: [&str; 6] = [
    ".NET Developer",
    "C# Developer",
    "Software Engineer",
    "Web Developer",
    "Application Developer",
    "Backend Developer",
];
/// The `mandatory` skills bucket of the seed and of the cURL example.
pub const MANDATORY: [&str; 2] = ["C#", ".NET Core"];
/// The `core` skills bucket of the seed and of the cURL example.
pub const CORE: [&str; 7] = [
    "ASP.NET MVC",
    "Web API",
    "SQL Server",
    "Entity Framework",
    "React",
    "Angular",
    "Docker",
];

/// The reference's cURL example of Create Sourcing Session (section 3.1), validated.
pub fn curl_request() -> SessionRequest {
    Session::builder()
        .title(TITLE)
        .jd_text(JD_TEXT)
        .country_region_matches(["India"])
        .experience(1..=5)
        .mandatory_skills(MANDATORY)
        .core_skills(CORE)
        .build()
        .expect("the reference's cURL example is valid")
}

/// The seed request through the typed builder, validated.
pub fn typed() -> SessionRequest {
    Session::builder()
        .title(TITLE)
        .jd_text(JD_TEXT)
        .country_region_matches(["India"])
        .open_to_cards_eq(["CAREER_INTEREST"])
        .current_title_in(TITLES)
        .experience(1..=5)
        .mandatory_skills(MANDATORY)
        .core_skills(CORE)
        .current_function_in(["Engineering"])
        .current_seniority_in(["Senior"])
        .current_company_in(["Tech Mahindra"])
        .years_at_company_in(["1 to 2 years"])
        .region_in(["Pune, Maharashtra, India"])
        .industry_in([
            "Software Development",
            "IT System Custom Software Development",
            "Design Services",
        ])
        .school_in(["University of Mumbai"])
        .field_of_study_in([
            "Computer Science",
            "Information Technology",
            "related field",
        ])
        .degree_in(["BACHELORS"])
        .past_company_in(["Infosys"])
        .past_title_in(["Software Developer"])
        .company_type_in(["Public Company"])
        .company_hq_location_in(["Pune, Maharashtra, India"])
        .company_description_in(["B2B Saas"])
        .funding_stage_in(["series_a"])
        .headcount_growth(10..=20)
        .company_headcount(10..=100)
        .annual_revenue_eq(["1_10"])
        .total_funding_eq(["1_10"])
        .year_founded(2000..=2010)
        .recently_funded_eq(["6m"])
        .certification_in(["AWS Certified Cloud Practitioner"])
        .honor_in(["Dean's list"])
        .geo_distance_eq(["50_km"])
        .employment_type_in(["Part-time", "Permanent"])
        .company_headcount_range_in(["51-200"])
        .build()
        .expect("the seed request is valid")
}

/// One filter as a user would write it by hand.
#[derive(Serialize)]
pub struct HandFilter<V> {
    #[serde(rename = "type")]
    pub op: &'static str,
    pub value: V,
}

/// The skills buckets as a user would write them by hand.
#[derive(Serialize)]
pub struct HandSkills<S> {
    pub mandatory: Vec<S>,
    pub core: Vec<S>,
    pub secondary: Vec<S>,
}

/// `jdDetail` as a user would write it by hand.
#[derive(Serialize)]
pub struct HandJd<S> {
    #[serde(rename = "userText")]
    pub user_text: S,
}

/// All 31 filters as one hand-written struct, fields in the reference's (and the wire's) order.
#[derive(Serialize)]
pub struct HandQueries<S> {
    pub country_region: HandFilter<Vec<S>>,
    pub open_to_cards: HandFilter<Vec<S>>,
    #[serde(rename = "current_employers.title")]
    pub current_title: HandFilter<Vec<S>>,
    pub years_of_experience_raw: HandFilter<[i64; 2]>,
    pub skills: HandFilter<HandSkills<S>>,
    #[serde(rename = "current_employers.function_category")]
    pub current_function: HandFilter<Vec<S>>,
    #[serde(rename = "current_employers.seniority_level")]
    pub current_seniority: HandFilter<Vec<S>>,
    #[serde(rename = "current_employers.name")]
    pub current_company: HandFilter<Vec<S>>,
    #[serde(rename = "current_employers.years_at_company")]
    pub years_at_company: HandFilter<Vec<S>>,
    pub region: HandFilter<Vec<S>>,
    #[serde(rename = "all_employers.company_industries")]
    pub industry: HandFilter<Vec<S>>,
    #[serde(rename = "education_background.institute_name")]
    pub school: HandFilter<Vec<S>>,
    #[serde(rename = "education_background.field_of_study")]
    pub field_of_study: HandFilter<Vec<S>>,
    #[serde(rename = "education_background.degree_name")]
    pub degree: HandFilter<Vec<S>>,
    #[serde(rename = "past_employers.name")]
    pub past_company: HandFilter<Vec<S>>,
    #[serde(rename = "past_employers.title")]
    pub past_title: HandFilter<Vec<S>>,
    #[serde(rename = "current_employers.company_type")]
    pub company_type: HandFilter<Vec<S>>,
    #[serde(rename = "current_employers.company_hq_location")]
    pub company_hq_location: HandFilter<Vec<S>>,
    #[serde(rename = "current_employers.description")]
    pub company_description: HandFilter<Vec<S>>,
    pub funding_stage: HandFilter<Vec<S>>,
    pub headcount_growth: HandFilter<[i64; 2]>,
    #[serde(rename = "current_employers.company_headcount_latest")]
    pub company_headcount: HandFilter<[i64; 2]>,
    pub annual_revenue: HandFilter<Vec<S>>,
    pub total_funding: HandFilter<Vec<S>>,
    pub year_founded: HandFilter<[i64; 2]>,
    pub recently_funded: HandFilter<Vec<S>>,
    #[serde(rename = "certifications.name")]
    pub certification: HandFilter<Vec<S>>,
    #[serde(rename = "honors.title")]
    pub honor: HandFilter<Vec<S>>,
    pub geo_distance: HandFilter<Vec<S>>,
    #[serde(rename = "current_employers.employment_type")]
    pub employment_type: HandFilter<Vec<S>>,
    #[serde(rename = "current_employers.company_headcount_range")]
    pub company_headcount_range: HandFilter<Vec<S>>,
}

/// The whole body as a hand-written struct.
#[derive(Serialize)]
pub struct HandRequest<S> {
    #[serde(rename = "sessionTitle")]
    pub session_title: S,
    #[serde(rename = "jdDetail")]
    pub jd_detail: HandJd<S>,
    pub queries: HandQueries<S>,
}

fn list<S: From<&'static str>, const N: usize>(
    op: &'static str,
    values: [&'static str; N],
) -> HandFilter<Vec<S>> {
    HandFilter {
        op,
        value: values.into_iter().map(S::from).collect(),
    }
}

fn range(min: i64, max: i64) -> HandFilter<[i64; 2]> {
    HandFilter {
        op: "RANGE",
        value: [min, max],
    }
}

/// The seed request as a hand-written struct.
///
/// `S = String` owns its strings as the builder does (the fair baseline: data a program did not
/// write as literals has to be owned somewhere); `S = &'static str` borrows the literals.
pub fn hand<S: From<&'static str>>() -> HandRequest<S> {
    HandRequest {
        session_title: S::from(TITLE),
        jd_detail: HandJd {
            user_text: S::from(JD_TEXT),
        },
        queries: HandQueries {
            country_region: list("(.)", ["India"]),
            open_to_cards: list("=", ["CAREER_INTEREST"]),
            current_title: list(
                "IN",
                [
                    ".NET Developer",
                    "C# Developer",
                    "Software Engineer",
                    "Web Developer",
                    "Application Developer",
                    "Backend Developer",
                ],
            ),
            years_of_experience_raw: range(1, 5),
            skills: HandFilter {
                op: "IN",
                value: HandSkills {
                    mandatory: ["C#", ".NET Core"].into_iter().map(S::from).collect(),
                    core: [
                        "ASP.NET MVC",
                        "Web API",
                        "SQL Server",
                        "Entity Framework",
                        "React",
                        "Angular",
                        "Docker",
                    ]
                    .into_iter()
                    .map(S::from)
                    .collect(),
                    secondary: Vec::new(),
                },
            },
            current_function: list("IN", ["Engineering"]),
            current_seniority: list("IN", ["Senior"]),
            current_company: list("IN", ["Tech Mahindra"]),
            years_at_company: list("IN", ["1 to 2 years"]),
            region: list("IN", ["Pune, Maharashtra, India"]),
            industry: list(
                "IN",
                [
                    "Software Development",
                    "IT System Custom Software Development",
                    "Design Services",
                ],
            ),
            school: list("IN", ["University of Mumbai"]),
            field_of_study: list(
                "IN",
                [
                    "Computer Science",
                    "Information Technology",
                    "related field",
                ],
            ),
            degree: list("IN", ["BACHELORS"]),
            past_company: list("IN", ["Infosys"]),
            past_title: list("IN", ["Software Developer"]),
            company_type: list("IN", ["Public Company"]),
            company_hq_location: list("IN", ["Pune, Maharashtra, India"]),
            company_description: list("IN", ["B2B Saas"]),
            funding_stage: list("IN", ["series_a"]),
            headcount_growth: range(10, 20),
            company_headcount: range(10, 100),
            annual_revenue: list("=", ["1_10"]),
            total_funding: list("=", ["1_10"]),
            year_founded: range(2000, 2010),
            recently_funded: list("=", ["6m"]),
            certification: list("IN", ["AWS Certified Cloud Practitioner"]),
            honor: list("IN", ["Dean's list"]),
            geo_distance: list("=", ["50_km"]),
            employment_type: list("IN", ["Part-time", "Permanent"]),
            company_headcount_range: list("IN", ["51-200"]),
        },
    }
}

/// The seed request with `serde_json::json!`.
pub fn json_macro() -> Value {
    json!({
        "sessionTitle": ".NET Developer",
        "jdDetail": {
            "userText": "Job Title: .NET Developer, Experience: 1-5 years, Location: Pune"
        },
        "queries": {
            "country_region": { "type": "(.)", "value": ["India"] },
            "open_to_cards": { "type": "=", "value": ["CAREER_INTEREST"] },
            "current_employers.title": { "type": "IN", "value": [
                ".NET Developer", "C# Developer", "Software Engineer", "Web Developer",
                "Application Developer", "Backend Developer"
            ] },
            "years_of_experience_raw": { "type": "RANGE", "value": [1, 5] },
            "skills": { "type": "IN", "value": {
                "mandatory": ["C#", ".NET Core"],
                "core": ["ASP.NET MVC", "Web API", "SQL Server", "Entity Framework", "React", "Angular", "Docker"],
                "secondary": []
            } },
            "current_employers.function_category": { "type": "IN", "value": ["Engineering"] },
            "current_employers.seniority_level": { "type": "IN", "value": ["Senior"] },
            "current_employers.name": { "type": "IN", "value": ["Tech Mahindra"] },
            "current_employers.years_at_company": { "type": "IN", "value": ["1 to 2 years"] },
            "region": { "type": "IN", "value": ["Pune, Maharashtra, India"] },
            "all_employers.company_industries": { "type": "IN", "value": [
                "Software Development", "IT System Custom Software Development", "Design Services"
            ] },
            "education_background.institute_name": { "type": "IN", "value": ["University of Mumbai"] },
            "education_background.field_of_study": { "type": "IN", "value": [
                "Computer Science", "Information Technology", "related field"
            ] },
            "education_background.degree_name": { "type": "IN", "value": ["BACHELORS"] },
            "past_employers.name": { "type": "IN", "value": ["Infosys"] },
            "past_employers.title": { "type": "IN", "value": ["Software Developer"] },
            "current_employers.company_type": { "type": "IN", "value": ["Public Company"] },
            "current_employers.company_hq_location": { "type": "IN", "value": ["Pune, Maharashtra, India"] },
            "current_employers.description": { "type": "IN", "value": ["B2B Saas"] },
            "funding_stage": { "type": "IN", "value": ["series_a"] },
            "headcount_growth": { "type": "RANGE", "value": [10, 20] },
            "current_employers.company_headcount_latest": { "type": "RANGE", "value": [10, 100] },
            "annual_revenue": { "type": "=", "value": ["1_10"] },
            "total_funding": { "type": "=", "value": ["1_10"] },
            "year_founded": { "type": "RANGE", "value": [2000, 2010] },
            "recently_funded": { "type": "=", "value": ["6m"] },
            "certifications.name": { "type": "IN", "value": ["AWS Certified Cloud Practitioner"] },
            "honors.title": { "type": "IN", "value": ["Dean's list"] },
            "geo_distance": { "type": "=", "value": ["50_km"] },
            "current_employers.employment_type": { "type": "IN", "value": ["Part-time", "Permanent"] },
            "current_employers.company_headcount_range": { "type": "IN", "value": ["51-200"] }
        }
    })
}

/// Checks, once and outside any timed loop, that the three forms describe the same request:
/// the typed and the hand-written bytes are identical, and `json!` gives the same JSON value
/// (its bytes differ only in key order, because `serde_json::Map` sorts keys without the
/// `preserve_order` feature).
pub fn assert_equivalent() {
    let typed_bytes = typed().to_json_vec();
    let owned = serde_json::to_vec(&hand::<String>()).expect("serializes");
    let borrowed = serde_json::to_vec(&hand::<&'static str>()).expect("serializes");
    assert_eq!(
        String::from_utf8_lossy(&typed_bytes),
        String::from_utf8_lossy(&owned),
        "typed and hand-written bytes differ"
    );
    assert_eq!(
        owned, borrowed,
        "owned and borrowed hand-written bytes differ"
    );
    let typed_value: Value = serde_json::from_slice(&typed_bytes).expect("typed bytes are JSON");
    assert_eq!(typed_value, json_macro(), "typed and json! values differ");
    assert_eq!(
        typed_value["queries"].as_object().map(|q| q.len()),
        Some(31),
        "the seed request sets all 31 filters"
    );
    let parsed = SessionRequest::from_slice(&typed_bytes).expect("the seed bytes parse back");
    assert_eq!(
        parsed,
        typed(),
        "parsing the seed bytes gives the built request back"
    );
}
