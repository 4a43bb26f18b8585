//! Untyped input: JSON is validated exactly like a built request, with every problem reported
//! with its wire path.

use fj_sourcing::{BuildError, ProblemKind, Session, SessionRequest};
use pretty_assertions::assert_eq;

#[path = "../benches/support/seed.rs"]
mod seed;

fn problems(json: &str) -> Vec<(String, ProblemKind, String)> {
    let err: BuildError = SessionRequest::from_json(json).expect_err("input must be rejected");
    err.problems()
        .iter()
        .map(|p| (p.path().to_owned(), p.kind(), p.message().to_owned()))
        .collect()
}

fn one(path: &str, kind: ProblemKind, message: &str) -> Vec<(String, ProblemKind, String)> {
    vec![(path.to_owned(), kind, message.to_owned())]
}

const SKILLS: &str =
    r#""skills": {"type": "IN", "value": {"mandatory": ["C#"], "core": [], "secondary": []}}"#;

#[test]
fn the_reference_examples_parse_and_equal_the_built_requests() {
    let json = include_str!("fixtures/create_request.json");
    let parsed = SessionRequest::from_json(json).unwrap();
    let built = seed::curl_request();
    assert_eq!(parsed, built);
    let all = SessionRequest::from_json(include_str!("fixtures/seed_all_filters.json")).unwrap();
    assert_eq!(all, seed::typed());
}

#[test]
fn serde_deserialize_applies_the_same_rules() {
    let ok: SessionRequest =
        serde_json::from_str(&format!(r#"{{"queries": {{{SKILLS}}}}}"#)).unwrap();
    assert_eq!(ok.skills().mandatory(), ["C#"]);
    let err = serde_json::from_str::<SessionRequest>(r#"{"queries": {}}"#).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid session request: queries.skills: is required: at least one skill in mandatory, core or secondary"
    );
}

#[test]
fn unknown_filter_key() {
    assert_eq!(
        problems(&format!(
            r#"{{"queries": {{"regions": {{"type": "IN", "value": ["Pune"]}}, {SKILLS}}}}}"#
        )),
        one(
            "queries.regions",
            ProblemKind::UnknownKey,
            "unknown filter key; see docs/filters.md for the 31 documented keys"
        )
    );
}

#[test]
fn wrong_and_unknown_operators() {
    assert_eq!(
        problems(&format!(
            r#"{{"queries": {{"region": {{"type": "RANGE", "value": [1, 2]}}, "country_region": {{"type": "LIKE", "value": ["India"]}}, {SKILLS}}}}}"#
        )),
        vec![
            (
                "queries.region.type".to_owned(),
                ProblemKind::WrongOperator,
                r#"operator "RANGE" is not allowed here; region takes "IN""#.to_owned()
            ),
            (
                "queries.region.value[0]".to_owned(),
                ProblemKind::WrongShape,
                "expected a string, found a number".to_owned()
            ),
            (
                "queries.region.value[1]".to_owned(),
                ProblemKind::WrongShape,
                "expected a string, found a number".to_owned()
            ),
            (
                "queries.country_region.type".to_owned(),
                ProblemKind::UnknownOperator,
                r#"unknown operator "LIKE"; country_region takes "(.)""#.to_owned()
            ),
        ]
    );
}

#[test]
fn operators_are_case_sensitive() {
    assert_eq!(
        problems(&format!(
            r#"{{"queries": {{"region": {{"type": "in", "value": ["Pune"]}}, {SKILLS}}}}}"#
        )),
        one(
            "queries.region.type",
            ProblemKind::UnknownOperator,
            r#"unknown operator "in"; region takes "IN""#
        )
    );
}

#[test]
fn wrong_value_shapes() {
    assert_eq!(
        problems(&format!(
            r#"{{"queries": {{"years_of_experience_raw": {{"type": "RANGE", "value": [1, 2, 3]}}, "region": {{"type": "IN", "value": "Pune"}}, {SKILLS}}}}}"#
        )),
        vec![
            (
                "queries.years_of_experience_raw.value".to_owned(),
                ProblemKind::WrongShape,
                "expected a [min, max] array of two numbers, found an array of 3 item(s)"
                    .to_owned()
            ),
            (
                "queries.region.value".to_owned(),
                ProblemKind::WrongShape,
                "expected an array of strings, found a string".to_owned()
            ),
        ]
    );
}

#[test]
fn skills_rule_and_bucket_shapes() {
    assert_eq!(
        problems(
            r#"{"queries": {"skills": {"type": "IN", "value": {"mandatory": [], "core": [], "secondary": []}}}}"#
        ),
        one(
            "queries.skills.value",
            ProblemKind::NoSkills,
            "at least one skill is required in mandatory, core or secondary"
        )
    );
    assert_eq!(
        problems(r#"{"queries": {"skills": {"type": "IN", "value": ["C#"]}}}"#),
        one(
            "queries.skills.value",
            ProblemKind::WrongShape,
            "expected an object with mandatory, core and secondary arrays, found an array"
        )
    );
    assert_eq!(
        problems(r#"{"queries": {"skills": {"type": "IN", "value": {"must": ["C#"]}}}}"#),
        one(
            "queries.skills.value.must",
            ProblemKind::UnknownKey,
            "unknown skills bucket; use mandatory, core or secondary"
        )
    );
}

#[test]
fn omitted_buckets_are_empty_and_serialize_as_empty_lists() {
    let request = SessionRequest::from_json(
        r#"{"queries": {"skills": {"type": "IN", "value": {"core": ["Go"]}}}}"#,
    )
    .unwrap();
    assert_eq!(
        String::from_utf8(request.to_json_vec()).unwrap(),
        r#"{"queries":{"skills":{"type":"IN","value":{"mandatory":[],"core":["Go"],"secondary":[]}}}}"#
    );
}

#[test]
fn missing_queries_and_unknown_top_level_fields() {
    assert_eq!(
        problems(r#"{"sessionTitle": "x", "nuances": []}"#),
        vec![
            (
                "nuances".to_owned(),
                ProblemKind::UnknownKey,
                "unknown field; the body takes sessionTitle, jdDetail and queries".to_owned()
            ),
            (
                "queries".to_owned(),
                ProblemKind::Missing,
                "is required".to_owned()
            ),
        ]
    );
}

#[test]
fn duplicate_keys_are_reported_not_silently_merged() {
    assert_eq!(
        problems(&format!(
            r#"{{"queries": {{"region": {{"type": "IN", "value": ["Pune"]}}, "region": {{"type": "IN", "value": ["Mumbai"]}}, {SKILLS}}}}}"#
        )),
        one("queries.region", ProblemKind::DuplicateKey, "duplicate key")
    );
    assert_eq!(
        problems(&format!(
            r#"{{"sessionTitle": "a", "sessionTitle": "b", "queries": {{{SKILLS}}}}}"#
        )),
        one("sessionTitle", ProblemKind::DuplicateKey, "duplicate key")
    );
}

#[test]
fn value_rules_match_the_builder() {
    assert_eq!(
        problems(&format!(
            r#"{{"sessionTitle": "  ", "jdDetail": {{"sampleProfileURL": "https://example.com/in/x"}}, "queries": {{"years_of_experience_raw": {{"type": "RANGE", "value": [5, 1]}}, "region": {{"type": "IN", "value": []}}, {SKILLS}}}}}"#
        )),
        vec![
            (
                "sessionTitle".to_owned(),
                ProblemKind::Blank,
                "must not be blank".to_owned()
            ),
            (
                "jdDetail.sampleProfileURL".to_owned(),
                ProblemKind::InvalidUrl,
                r#""https://example.com/in/x" is not an http(s) LinkedIn URL"#.to_owned()
            ),
            (
                "queries.years_of_experience_raw.value".to_owned(),
                ProblemKind::InvertedRange,
                "range 5..=1 is inverted".to_owned()
            ),
            (
                "queries.region.value".to_owned(),
                ProblemKind::Empty,
                "must list at least one value".to_owned()
            ),
        ]
    );
}

#[test]
fn syntax_errors_and_non_objects_name_the_body() {
    assert_eq!(
        problems(r#"{"queries": "#),
        one(
            "body",
            ProblemKind::Syntax,
            "invalid JSON: EOF while parsing a value at line 1 column 12"
        )
    );
    assert_eq!(
        problems("[1, 2]"),
        one(
            "body",
            ProblemKind::WrongShape,
            "expected a JSON object, found an array"
        )
    );
    let invalid_utf8 = b"{\"sessionTitle\": \"\xff\", \"queries\": {}}";
    let err = SessionRequest::from_slice(invalid_utf8).unwrap_err();
    assert_eq!(err.problems()[0].path(), "body");
    assert_eq!(err.problems()[0].kind(), ProblemKind::Syntax);
}

#[test]
fn huge_numbers_and_deep_nesting_are_errors_not_panics() {
    let err = SessionRequest::from_json(&format!(
        r#"{{"queries": {{"year_founded": {{"type": "RANGE", "value": [1e400, 2]}}, {SKILLS}}}}}"#
    ))
    .unwrap_err();
    assert_eq!(err.problems()[0].kind(), ProblemKind::Syntax);
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert_eq!(
        problems(&format!(r#"{{"queries": {deep}}}"#)),
        one(
            "queries",
            ProblemKind::WrongShape,
            "expected an object, found an array"
        )
    );
    let err = SessionRequest::from_json(&format!(
        r#"{{"queries": {{"region": {{"type": "IN", "value": {deep}}}}}}}"#
    ))
    .unwrap_err();
    assert_eq!(err.problems()[0].path(), "body");
    assert_eq!(err.problems()[0].kind(), ProblemKind::Syntax);
    assert!(
        err.problems()[0]
            .message()
            .contains("recursion limit exceeded"),
        "{err}"
    );
}

#[test]
#[allow(clippy::reversed_empty_ranges)] // the inverted range is the point of the test
fn builder_errors_report_every_problem_with_its_path() {
    let err = Session::builder()
        .title("")
        .jd_text("\t\n")
        .sample_profile_url("ftp://linkedin.com/in/someone")
        .headcount_growth(f64::NAN..=3.0)
        .year_founded(2010..=2000)
        .current_title_in(["Engineer", " "])
        .industry_in(Vec::<String>::new())
        .core_skills(["Rust", ""])
        .build()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid session request: sessionTitle: must not be blank; \
         jdDetail.userText: must not be blank; \
         jdDetail.sampleProfileURL: \"ftp://linkedin.com/in/someone\" is not an http(s) LinkedIn URL; \
         queries.current_employers.title.value[1]: must not be blank; \
         queries.skills.value.core[1]: must not be blank; \
         queries.all_employers.company_industries.value: must list at least one value; \
         queries.headcount_growth.value: range NaN..=3 has a bound that is not a finite number; \
         queries.year_founded.value: range 2010..=2000 is inverted"
    );
}

#[test]
fn linkedin_urls_are_accepted_on_any_linkedin_host() {
    for url in [
        "https://www.linkedin.com/in/roshni-sabhwani",
        "http://linkedin.com/in/x",
        "https://IN.LinkedIn.com/in/x",
    ] {
        let request = Session::builder()
            .sample_profile_url(url)
            .mandatory_skills(["C#"])
            .build();
        assert!(request.is_ok(), "{url}");
    }
    for url in [
        "https://linkedin.com.evil.io/in/x",
        "linkedin.com/in/x",
        "https://notlinkedin.com/in/x",
    ] {
        let err = Session::builder()
            .sample_profile_url(url)
            .mandatory_skills(["C#"])
            .build()
            .unwrap_err();
        assert_eq!(err.problems()[0].kind(), ProblemKind::InvalidUrl, "{url}");
    }
}

#[test]
fn try_setters_reject_empty_collections() {
    let err = Session::builder()
        .try_core_skills(Vec::<String>::new())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid session request: queries.skills.value.core: a skills bucket passed to a `try_*_skills` setter must list at least one skill"
    );
    let ok = Session::builder()
        .try_secondary_skills(vec!["Kafka".to_owned()])
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(ok.skills().secondary(), ["Kafka"]);
}

#[test]
fn setting_a_filter_twice_keeps_the_last_value() {
    let request = Session::builder()
        .region_in(["Pune"])
        .region_in(["Mumbai"])
        .mandatory_skills(["C#"])
        .mandatory_skills(["Go"])
        .build()
        .unwrap();
    assert_eq!(
        String::from_utf8(request.to_json_vec()).unwrap(),
        r#"{"queries":{"skills":{"type":"IN","value":{"mandatory":["Go"],"core":[],"secondary":[]}},"region":{"type":"IN","value":["Mumbai"]}}}"#
    );
}

#[test]
fn odd_keys_are_quoted_in_paths() {
    assert_eq!(
        problems(&format!(
            r#"{{"": 1, "queries": {{"a b": {{}}, {SKILLS}}}}}"#
        )),
        vec![
            (
                r#"body[""]"#.to_owned(),
                ProblemKind::UnknownKey,
                "unknown field; the body takes sessionTitle, jdDetail and queries".to_owned()
            ),
            (
                r#"queries["a b"]"#.to_owned(),
                ProblemKind::UnknownKey,
                "unknown filter key; see docs/filters.md for the 31 documented keys".to_owned()
            ),
        ]
    );
}

#[test]
fn hostile_request_input_gets_clear_errors_not_panics() {
    // NaN and Infinity are not JSON.
    for literal in ["NaN", "Infinity", "-Infinity", "1e999", "-1e999"] {
        let err = SessionRequest::from_json(&format!(
            r#"{{"queries": {{"year_founded": {{"type": "RANGE", "value": [{literal}, 2]}}, {SKILLS}}}}}"#
        ))
        .unwrap_err();
        assert_eq!(err.problems()[0].kind(), ProblemKind::Syntax, "{literal}");
    }
    // Integers beyond i64 are read as floats, not wrapped.
    let request = SessionRequest::from_json(&format!(
        r#"{{"queries": {{"year_founded": {{"type": "RANGE", "value": [1, 18446744073709551615]}}, {SKILLS}}}}}"#
    ))
    .unwrap();
    assert_eq!(
        request
            .queries()
            .get(fj_sourcing::fields::FieldId::YearFounded),
        Some(&fj_sourcing::FilterValue::Range(
            fj_sourcing::ops::Range::new(1, 18_446_744_073_709_551_615_u64)
        ))
    );
    // Huge arrays and strings are accepted or rejected by the same rules, without panicking.
    let many: Vec<String> = (0..100_000).map(|i| format!("\"region {i}\"")).collect();
    let request = SessionRequest::from_json(&format!(
        r#"{{"queries": {{"region": {{"type": "IN", "value": [{}]}}, {SKILLS}}}}}"#,
        many.join(",")
    ))
    .unwrap();
    assert_eq!(request.queries().len(), 2);
    let long = "x".repeat(8 << 20);
    let request = SessionRequest::from_json(&format!(
        r#"{{"sessionTitle": "{long}", "queries": {{{SKILLS}}}}}"#
    ))
    .unwrap();
    assert_eq!(request.title().map(str::len), Some(8 << 20));
    let blanks: Vec<&str> = vec!["\" \""; 10_000];
    let err = SessionRequest::from_json(&format!(
        r#"{{"queries": {{"region": {{"type": "IN", "value": [{}]}}, {SKILLS}}}}}"#,
        blanks.join(",")
    ))
    .unwrap_err();
    assert_eq!(err.problems().len(), 10_000);
    assert_eq!(err.problems()[9_999].path(), "queries.region.value[9999]");
}

#[test]
fn duplicate_skills_buckets_are_reported_not_silently_merged() {
    assert_eq!(
        problems(
            r#"{"queries": {"skills": {"type": "IN", "value": {"mandatory": ["C#"], "core": ["Go"], "mandatory": ["Rust"]}}}}"#
        ),
        one(
            "queries.skills.value.mandatory",
            ProblemKind::DuplicateKey,
            "duplicate key"
        )
    );
}

/// The API's own Create answer stores `"sampleProfileURL": ""`: empty means "no sample profile"
/// everywhere (parsing, `Deserialize`, the builder) and is never sent; blank is still an error.
#[test]
fn an_empty_sample_profile_url_means_none() {
    let json = format!(
        r#"{{"jdDetail": {{"userText": "Pune", "sampleProfileURL": ""}}, "queries": {{{SKILLS}}}}}"#
    );
    let parsed = SessionRequest::from_json(&json).unwrap();
    let deserialized: SessionRequest = serde_json::from_str(&json).unwrap();
    let built = Session::builder()
        .jd_text("Pune")
        .sample_profile_url("")
        .mandatory_skills(["C#"])
        .build()
        .unwrap();
    assert_eq!(parsed, built);
    assert_eq!(deserialized, built);
    assert_eq!(built.sample_profile_url(), None);
    assert_eq!(
        serde_json::to_value(&built).unwrap()["jdDetail"],
        serde_json::json!({ "userText": "Pune" })
    );
    let only_url = Session::builder()
        .sample_profile_url("")
        .mandatory_skills(["C#"])
        .build()
        .unwrap();
    assert!(
        serde_json::to_value(&only_url)
            .unwrap()
            .get("jdDetail")
            .is_none()
    );

    let blank = format!(r#"{{"jdDetail": {{"sampleProfileURL": " "}}, "queries": {{{SKILLS}}}}}"#);
    assert_eq!(
        problems(&blank),
        one(
            "jdDetail.sampleProfileURL",
            ProblemKind::Blank,
            "must not be blank"
        )
    );
}

/// The API's own 201 answer stores `"sampleProfileURL": ""` for a session without a sample
/// profile: the empty string means "none", on every way in, and is left off the wire.
#[test]
fn an_empty_sample_profile_url_means_none_and_is_omitted() {
    let text = "Job Title: .NET Developer";
    let json = format!(
        r#"{{"jdDetail": {{"userText": "{text}", "sampleProfileURL": ""}}, "queries": {{{SKILLS}}}}}"#
    );
    let parsed = SessionRequest::from_json(&json).unwrap();
    let deserialized: SessionRequest = serde_json::from_str(&json).unwrap();
    let built = Session::builder()
        .jd_text(text)
        .sample_profile_url("")
        .mandatory_skills(["C#"])
        .build()
        .unwrap();
    for request in [&parsed, &deserialized, &built] {
        assert_eq!(request.sample_profile_url(), None);
        assert_eq!(
            serde_json::to_value(request).unwrap(),
            serde_json::json!({
                "jdDetail": {"userText": text},
                "queries": {"skills": {"type": "IN", "value": {"mandatory": ["C#"], "core": [], "secondary": []}}}
            })
        );
    }
    assert_eq!(parsed, built);
    // Alone, it leaves no `jdDetail` at all.
    let bare = SessionRequest::from_json(&format!(
        r#"{{"jdDetail": {{"sampleProfileURL": ""}}, "queries": {{{SKILLS}}}}}"#
    ))
    .unwrap();
    assert_eq!(
        String::from_utf8(bare.to_json_vec()).unwrap(),
        r#"{"queries":{"skills":{"type":"IN","value":{"mandatory":["C#"],"core":[],"secondary":[]}}}}"#
    );
    // An empty string clears a URL set before; whitespace is still a blank, not "none".
    let cleared = Session::builder()
        .sample_profile_url("https://www.linkedin.com/in/someone")
        .sample_profile_url("")
        .mandatory_skills(["C#"])
        .build()
        .unwrap();
    assert_eq!(cleared.sample_profile_url(), None);
    assert_eq!(
        problems(&format!(
            r#"{{"jdDetail": {{"sampleProfileURL": " "}}, "queries": {{{SKILLS}}}}}"#
        )),
        one(
            "jdDetail.sampleProfileURL",
            ProblemKind::Blank,
            "must not be blank"
        )
    );
}
