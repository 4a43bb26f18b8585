//! Golden wire tests: the reference's documented request bodies, built through the typed DSL,
//! must serialize to exactly the documented JSON value.

use fj_sourcing::fields::FieldId;
use fj_sourcing::ops::{Eq, In, Range, Regex};
use fj_sourcing::{Session, SessionRequest, fields};
use pretty_assertions::assert_eq;
use serde_json::Value;

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[path = "../benches/support/seed.rs"]
mod seed;

use seed::{CORE, JD_TEXT as JD, MANDATORY, TITLES};

/// All 31 filters of reference section 4.1, through the named setters.
fn seed_through_setters() -> SessionRequest {
    seed::typed()
}

/// The same request through the generic `filter(field, condition)` form, in a shuffled order.
fn seed_through_filter() -> SessionRequest {
    Session::builder()
        .filter(fields::Skills, In::skills(MANDATORY, CORE, [] as [&str; 0]))
        .filter(fields::CompanyHeadcountRange, In::new(["51-200"]))
        .filter(fields::EmploymentType, In::new(["Part-time", "Permanent"]))
        .filter(fields::GeoDistance, Eq::new(["50_km"]))
        .filter(fields::Honor, In::new(["Dean's list"]))
        .filter(
            fields::Certification,
            In::new(["AWS Certified Cloud Practitioner"]),
        )
        .filter(fields::RecentlyFunded, Eq::new(["6m"]))
        .filter(fields::YearFounded, Range::new(2000, 2010))
        .filter(fields::TotalFunding, Eq::new(["1_10"]))
        .filter(fields::AnnualRevenue, Eq::new(["1_10"]))
        .filter(fields::CompanyHeadcount, Range::new(10, 100))
        .filter(fields::HeadcountGrowth, Range::new(10, 20))
        .filter(fields::FundingStage, In::new(["series_a"]))
        .filter(fields::CompanyDescription, In::new(["B2B Saas"]))
        .filter(
            fields::CompanyHqLocation,
            In::new(["Pune, Maharashtra, India"]),
        )
        .filter(fields::CompanyType, In::new(["Public Company"]))
        .filter(fields::PastTitle, In::new(["Software Developer"]))
        .filter(fields::PastCompany, In::new(["Infosys"]))
        .filter(fields::Degree, In::new(["BACHELORS"]))
        .filter(
            fields::FieldOfStudy,
            In::new([
                "Computer Science",
                "Information Technology",
                "related field",
            ]),
        )
        .filter(fields::School, In::new(["University of Mumbai"]))
        .filter(
            fields::Industry,
            In::new([
                "Software Development",
                "IT System Custom Software Development",
                "Design Services",
            ]),
        )
        .filter(fields::Region, In::new(["Pune, Maharashtra, India"]))
        .filter(fields::YearsAtCurrentCompany, In::new(["1 to 2 years"]))
        .filter(fields::CurrentCompany, In::new(["Tech Mahindra"]))
        .filter(fields::CurrentSeniority, In::new(["Senior"]))
        .filter(fields::CurrentFunction, In::new(["Engineering"]))
        .filter(fields::YearsOfExperience, Range::new(1, 5))
        .filter(fields::CurrentTitle, In::new(TITLES))
        .filter(fields::OpenToCards, Eq::new(["CAREER_INTEREST"]))
        .filter(fields::CountryRegion, Regex::new(["India"]))
        .jd_text(JD)
        .title(".NET Developer")
        .build()
        .expect("the seed example is valid")
}

#[test]
fn all_31_filters_through_setters_match_the_reference() {
    let request = seed_through_setters();
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        fixture("seed_all_filters.json")
    );
}

#[test]
fn all_31_filters_through_filter_match_the_reference() {
    let request = seed_through_filter();
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        fixture("seed_all_filters.json")
    );
    assert_eq!(request, seed_through_setters());
}

#[test]
fn wire_bytes_follow_the_reference_key_order_whatever_the_call_order() {
    let expected = fixture("seed_all_filters.json");
    let bytes = seed_through_filter().to_json_vec();
    // serde_json::Value keeps keys sorted, so compare the order of `queries` keys in the raw bytes.
    let text = String::from_utf8(bytes).unwrap();
    let positions: Vec<usize> = expected["queries"]
        .as_object()
        .unwrap()
        .keys()
        .map(|key| text.find(&format!("\"{key}\":{{")).expect(key))
        .collect();
    let reference_order: Vec<usize> = FieldId::ALL
        .iter()
        .map(|id| text.find(&format!("\"{}\":{{", id.key())).unwrap())
        .collect();
    assert!(reference_order.windows(2).all(|w| w[0] < w[1]), "{text}");
    assert_eq!(positions.len(), 31);
}

#[test]
fn curl_example_of_create_session_matches_exactly() {
    let request = seed::curl_request();
    let expected = fixture("create_request.json");
    assert_eq!(serde_json::to_value(&request).unwrap(), expected);
    // Byte-exact compact form, keys in the reference's order, `"secondary": []` present.
    assert_eq!(
        String::from_utf8(request.to_json_vec()).unwrap(),
        concat!(
            r#"{"sessionTitle":".NET Developer","jdDetail":{"userText":"Job Title: .NET Developer, Experience: 1-5 years, Location: Pune"},"#,
            r#""queries":{"country_region":{"type":"(.)","value":["India"]},"#,
            r#""years_of_experience_raw":{"type":"RANGE","value":[1,5]},"#,
            r#""skills":{"type":"IN","value":{"mandatory":["C#",".NET Core"],"#,
            r#""core":["ASP.NET MVC","Web API","SQL Server","Entity Framework","React","Angular","Docker"],"secondary":[]}}}}"#
        )
    );
}

#[test]
fn distinctive_wire_fragments() {
    let text = String::from_utf8(seed_through_setters().to_json_vec()).unwrap();
    assert!(text.contains(r#""years_of_experience_raw":{"type":"RANGE","value":[1,5]}"#));
    assert!(text.contains(r#""country_region":{"type":"(.)","value":["India"]}"#));
    assert!(text.contains(r#""secondary":[]"#));
    assert!(text.starts_with(r#"{"sessionTitle":".NET Developer","jdDetail":{"userText":"#));
}

#[test]
fn unset_optional_fields_are_omitted_not_null() {
    let request = Session::builder()
        .secondary_skills(["Docker"])
        .build()
        .unwrap();
    assert_eq!(
        String::from_utf8(request.to_json_vec()).unwrap(),
        r#"{"queries":{"skills":{"type":"IN","value":{"mandatory":[],"core":[],"secondary":["Docker"]}}}}"#
    );
}

#[test]
fn float_bounds_keep_their_fraction_and_integral_floats_do_not() {
    let request = Session::builder()
        .experience(1.5..=5.0)
        .mandatory_skills(["Rust"])
        .build()
        .unwrap();
    let text = String::from_utf8(request.to_json_vec()).unwrap();
    assert!(text.contains(r#""value":[1.5,5]"#), "{text}");
}
