//! Queries kept as data: `session!` and `include_session!` (checked at compile time), typed
//! partial updates (`Session::patch()`, `SessionPatch`), and stored sessions back to builders.
//! What must not compile is in `tests/ui` (see `compile_fail.rs`).

use fj_sourcing::model::SourcingSession;
use fj_sourcing::{
    BuildError, ProblemKind, Session, SessionPatch, SessionRequest, fields, ops::In,
};
use pretty_assertions::assert_eq;
use serde_json::{Value, json};

#[path = "../benches/support/seed.rs"]
mod seed;

fn problems(err: &BuildError) -> Vec<(String, ProblemKind)> {
    err.problems()
        .iter()
        .map(|p| (p.path().to_owned(), p.kind()))
        .collect()
}

#[test]
fn session_macro_equals_the_parsed_and_the_built_request() {
    const JSON: &str = r#"{
        "sessionTitle": ".NET Developer",
        "queries": {
            "region": { "type": "IN", "value": ["Pune, Maharashtra, India"] },
            "skills": { "type": "IN", "value": { "mandatory": ["C#"] } }
        }
    }"#;
    let from_macro = fj_sourcing::session!(
        r#"{
        "sessionTitle": ".NET Developer",
        "queries": {
            "region": { "type": "IN", "value": ["Pune, Maharashtra, India"] },
            "skills": { "type": "IN", "value": { "mandatory": ["C#"] } }
        }
    }"#
    );
    assert_eq!(from_macro, SessionRequest::from_json(JSON).unwrap());
    let built = Session::builder()
        .title(".NET Developer")
        .region_in(["Pune, Maharashtra, India"])
        .mandatory_skills(["C#"])
        .build()
        .unwrap();
    assert_eq!(from_macro, built);
    // Escaped (not raw) literals are read with their escapes resolved.
    let escaped = fj_sourcing::session!(
        "{\"queries\": {\"skills\": {\"type\": \"IN\", \"value\": {\"core\": [\"C\\u0023\"]}}}}"
    );
    assert_eq!(escaped.skills().core(), ["C#"]);
}

#[test]
fn include_session_reads_the_file_relative_to_the_manifest() {
    let request = fj_sourcing::include_session!("tests/fixtures/create_request.json");
    assert_eq!(request, seed::curl_request());
    assert_eq!(
        request,
        SessionRequest::from_json(include_str!("fixtures/create_request.json")).unwrap()
    );
    let pune = fj_sourcing::include_session!("examples/queries/dotnet-pune.json");
    assert_eq!(pune.skills().core(), ["SQL Server"]);
}

#[test]
fn the_macro_crate_used_directly_names_the_query_crate() {
    let request: fj_sourcing_query::SessionRequest = fj_sourcing_macros::session!(
        r#"{"queries": {"skills": {"type": "IN", "value": {"mandatory": ["C#"]}}}}"#
    );
    assert_eq!(request.skills().mandatory(), ["C#"]);
    let from_file: fj_sourcing_query::SessionRequest =
        fj_sourcing_macros::include_session!("tests/fixtures/create_request.json");
    assert_eq!(from_file, seed::curl_request());
}

#[test]
fn a_patch_sends_exactly_what_it_sets() {
    let patch = Session::patch()
        .title("Senior .NET Developer")
        .experience(4..=8)
        .build()
        .unwrap();
    assert_eq!(
        String::from_utf8(patch.to_json_vec()).unwrap(),
        r#"{"sessionTitle":"Senior .NET Developer","queries":{"years_of_experience_raw":{"type":"RANGE","value":[4,8]}}}"#
    );
    assert_eq!(patch.title(), Some("Senior .NET Developer"));
    assert_eq!(patch.jd_text(), None);

    let jd_only = Session::patch()
        .sample_profile_url("https://www.linkedin.com/in/someone")
        .build()
        .unwrap();
    assert_eq!(
        serde_json::to_value(&jd_only).unwrap(),
        json!({ "jdDetail": { "sampleProfileURL": "https://www.linkedin.com/in/someone" } })
    );

    let every_kind = Session::patch()
        .country_region_matches(["India"])
        .open_to_cards_eq(["CAREER_INTEREST"])
        .filter(fields::Region, In::new(["Pune, Maharashtra, India"]))
        .mandatory_skills(["C#"])
        .try_secondary_skills(vec!["Docker".to_owned()])
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(
        serde_json::to_value(&every_kind).unwrap(),
        json!({ "queries": {
            "country_region": { "type": "(.)", "value": ["India"] },
            "open_to_cards": { "type": "=", "value": ["CAREER_INTEREST"] },
            "region": { "type": "IN", "value": ["Pune, Maharashtra, India"] },
            "skills": { "type": "IN",
                "value": { "mandatory": ["C#"], "core": [], "secondary": ["Docker"] } }
        } })
    );
}

#[test]
#[allow(clippy::reversed_empty_ranges)] // the inverted range is the point of the test
fn a_patch_obeys_the_value_rules_and_must_set_something() {
    let err = Session::patch()
        .title(" ")
        .experience(8..=4)
        .sample_profile_url("https://example.com/in/x")
        .filter(
            fields::Skills,
            In::skills([] as [&str; 0], [""], [] as [&str; 0]),
        )
        .build()
        .unwrap_err();
    assert_eq!(
        problems(&err),
        [
            ("sessionTitle".to_owned(), ProblemKind::Blank),
            (
                "jdDetail.sampleProfileURL".to_owned(),
                ProblemKind::InvalidUrl
            ),
            (
                "queries.years_of_experience_raw.value".to_owned(),
                ProblemKind::InvertedRange
            ),
            (
                "queries.skills.value.core[0]".to_owned(),
                ProblemKind::Blank
            ),
        ]
    );
    let empty = Session::patch().build().unwrap_err();
    assert_eq!(
        empty.to_string(),
        "invalid session request: body: an update must set sessionTitle, jdDetail or a filter"
    );
    assert_eq!(problems(&empty), [("body".to_owned(), ProblemKind::Empty)]);
    // An empty sample profile URL means "none": on its own it sets nothing.
    let none = Session::patch().sample_profile_url("").build().unwrap_err();
    assert_eq!(problems(&none), [("body".to_owned(), ProblemKind::Empty)]);
    let bucket = Session::patch()
        .try_core_skills(Vec::<String>::new())
        .unwrap_err();
    assert_eq!(
        problems(&bucket),
        [("queries.skills.value.core".to_owned(), ProblemKind::Empty)]
    );
}

#[test]
fn patch_json_is_read_by_the_request_parser_without_the_required_parts() {
    let patch =
        SessionPatch::from_json(include_str!("fixtures/update_session_request.json")).unwrap();
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        serde_json::from_str::<Value>(include_str!("fixtures/update_session_request.json"))
            .unwrap()
    );
    let deserialized: SessionPatch =
        serde_json::from_str(include_str!("fixtures/update_session_request.json")).unwrap();
    assert_eq!(deserialized, patch);
    assert_eq!(
        SessionPatch::from_value(json!({ "jdDetail": { "userText": "Pune" } }))
            .unwrap()
            .jd_text(),
        Some("Pune")
    );

    let err = SessionPatch::from_json(
        r#"{"queries": {"region": {"type": "RANGE", "value": ["Pune"]}, "salary": {}}}"#,
    )
    .unwrap_err();
    assert_eq!(
        problems(&err),
        [
            ("queries.region.type".to_owned(), ProblemKind::WrongOperator),
            ("queries.salary".to_owned(), ProblemKind::UnknownKey),
        ]
    );
    // Rejected fields are reported as such, not again as "sets nothing".
    let err = SessionPatch::from_json(r#"{"sessionTitle": 5}"#).unwrap_err();
    assert_eq!(
        problems(&err),
        [("sessionTitle".to_owned(), ProblemKind::WrongShape)]
    );
    let err = SessionPatch::from_json(r#"{"queries": {}}"#).unwrap_err();
    assert_eq!(problems(&err), [("body".to_owned(), ProblemKind::Empty)]);
}

#[test]
fn a_full_request_converts_into_a_patch_sending_all_of_it() {
    let request = seed::typed();
    let patch = SessionPatch::from(request.clone());
    assert_eq!(patch.to_json_vec(), request.to_json_vec());
    assert_eq!(patch.queries(), request.queries());
}

/// The documented 201's stored session, back to a builder, one filter changed.
#[test]
fn the_documented_201_round_trips_to_a_changed_request() {
    let created: Value =
        serde_json::from_str(include_str!("fixtures/create_session_201.json")).unwrap();
    let stored: SourcingSession =
        serde_json::from_value(created["data"]["session"].clone()).unwrap();
    let request = stored.to_request().unwrap();
    // `"sampleProfileURL": ""` is the API's "none".
    assert_eq!(request.sample_profile_url(), None);
    let changed = request.into_builder().experience(2..=6).build().unwrap();
    let expected = Session::builder()
        .title(".NET Developer")
        .jd_text("Job Title: .NET Developer, Experience: 1-5 years, Location: Pune")
        .country_region_matches(["India"])
        .current_title_in([".NET Developer"])
        .experience(2..=6)
        .region_in(["Pune, Maharashtra, India"])
        .mandatory_skills(["C#"])
        .core_skills(["ASP.NET MVC"])
        .build()
        .unwrap();
    assert_eq!(changed, expected);
}

#[test]
fn stored_sessions_without_queries_or_with_unknown_filters_say_why() {
    let listed: Value =
        serde_json::from_str(include_str!("fixtures/project_sessions_200.json")).unwrap();
    let item: SourcingSession = serde_json::from_value(listed["data"][0].clone()).unwrap();
    assert_eq!(
        problems(&item.to_request().unwrap_err()),
        [("queries".to_owned(), ProblemKind::Missing)]
    );

    let stored: SourcingSession = serde_json::from_value(json!({
        "sessionTitle": "",
        "jdDetail": { "userText": "", "sampleProfileURL": "", "fileName": "jd.pdf" },
        "queries": {
            "salary": { "type": "RANGE", "value": [1, 2] },
            "region": { "value": ["Pune"] },
            "skills": { "type": "IN", "value": { "mandatory": ["C#"] }, "weight": 2 }
        }
    }))
    .unwrap();
    assert_eq!(
        problems(&stored.to_request().unwrap_err()),
        [
            ("queries.region.type".to_owned(), ProblemKind::Missing),
            ("queries.salary".to_owned(), ProblemKind::UnknownKey),
        ]
    );
}

/// The README's DSL section shows the wrong-operator error as rustc prints it today.
#[test]
fn the_readme_shows_the_current_wrong_operator_error() {
    let readme = include_str!("../README.md");
    let stderr = include_str!("ui/fail/wrong_operator_range.stderr");
    assert!(
        readme.contains(stderr.trim_end()),
        "README.md must quote tests/ui/fail/wrong_operator_range.stderr as it is"
    );
}
