//! Every problem site of the validator, pinned: exact paths, kinds and messages, in order.
//! Guards the allocation work in `validate.rs` (paths are now written only on failure).

use fj_sourcing::ops::Range;
use fj_sourcing::{BuildError, Session, SessionRequest, fields};

fn problems(err: &BuildError) -> Vec<String> {
    err.problems()
        .iter()
        .map(|p| format!("{:?} {p}", p.kind()))
        .collect()
}

fn parse_problems(json: &str) -> Vec<String> {
    problems(&SessionRequest::from_json(json).expect_err("invalid on purpose"))
}

const EVERY_STRUCTURAL_PROBLEM: &str = r#"{
    "sessionTitle": 7,
    "sessionTitle": "again",
    "extra": true,
    "jdDetail": {"userText": ["x"], "userText": "y", "other": 1, "sampleProfileURL": null},
    "queries": {
        "region": {"type": "RANGE", "value": ["Pune", 3]},
        "region": {"type": "IN", "value": ["x"]},
        "nope": {"type": "IN", "value": ["x"]},
        "current_employers.title": [],
        "current_employers.name": {"value": ["a"], "value": ["b"], "extra": 1},
        "current_employers.seniority_level": {"type": "IN"},
        "funding_stage": {"type": 5, "value": "series_a"},
        "open_to_cards": {"type": "LIKE", "value": ["x"]},
        "years_of_experience_raw": {"type": "RANGE", "value": [1, 2, 3]},
        "year_founded": {"type": "RANGE", "value": {"min": 1}},
        "skills": {"type": "IN", "value": {"mandatory": ["C#", 4], "must": ["x"], "core": "y"}}
    }
}"#;

#[test]
fn structural_problems_name_their_wire_paths() {
    assert_eq!(
        parse_problems(EVERY_STRUCTURAL_PROBLEM),
        EXPECTED_STRUCTURAL,
    );
}

const EXPECTED_STRUCTURAL: [&str; 24] = [
    "WrongShape sessionTitle: expected a string, found a number",
    "DuplicateKey sessionTitle: duplicate key",
    "UnknownKey extra: unknown field; the body takes sessionTitle, jdDetail and queries",
    "WrongShape jdDetail.userText: expected a string, found an array",
    "DuplicateKey jdDetail.userText: duplicate key",
    "UnknownKey jdDetail.other: unknown field; jdDetail takes userText and sampleProfileURL",
    "WrongShape jdDetail.sampleProfileURL: expected a string, found null",
    "WrongOperator queries.region.type: operator \"RANGE\" is not allowed here; region takes \"IN\"",
    "WrongShape queries.region.value[1]: expected a string, found a number",
    "DuplicateKey queries.region: duplicate key",
    "UnknownKey queries.nope: unknown filter key; see docs/filters.md for the 31 documented keys",
    "WrongShape queries.current_employers.title: expected an object with `type` and `value`, found an array",
    "DuplicateKey queries.current_employers.name.value: duplicate key",
    "UnknownKey queries.current_employers.name.extra: unknown field; a filter takes `type` and `value`",
    "Missing queries.current_employers.name.type: is required; current_employers.name takes \"IN\"",
    "Missing queries.current_employers.seniority_level.value: is required",
    "WrongShape queries.funding_stage.type: expected the operator string \"IN\", found a number",
    "WrongShape queries.funding_stage.value: expected an array of strings, found a string",
    "UnknownOperator queries.open_to_cards.type: unknown operator \"LIKE\"; open_to_cards takes \"=\"",
    "WrongShape queries.years_of_experience_raw.value: expected a [min, max] array of two numbers, found an array of 3 item(s)",
    "WrongShape queries.year_founded.value: expected a [min, max] array of two numbers, found an object",
    // Skills buckets are reported in document order, like every other object.
    "WrongShape queries.skills.value.mandatory[1]: expected a string, found a number",
    "UnknownKey queries.skills.value.must: unknown skills bucket; use mandatory, core or secondary",
    "WrongShape queries.skills.value.core: expected an array of strings, found a string",
    // A malformed `skills` filter is reported where it is wrong, not again as missing.
];

#[test]
fn value_problems_name_their_wire_paths() {
    let json = r#"{
        "sessionTitle": " ",
        "jdDetail": {"userText": "", "sampleProfileURL": "https://example.com/in/x"},
        "queries": {
            "country_region": {"type": "(.)", "value": []},
            "region": {"type": "IN", "value": ["ok", "  ", ""]},
            "headcount_growth": {"type": "RANGE", "value": [20, 10]},
            "year_founded": {"type": "RANGE", "value": [2010.5, 2000]},
            "skills": {"type": "IN", "value": {"mandatory": [" "], "core": [], "secondary": ["", "Go"]}}
        }
    }"#;
    assert_eq!(parse_problems(json), EXPECTED_VALUES);
}

const EXPECTED_VALUES: [&str; 10] = [
    "Blank sessionTitle: must not be blank",
    "Blank jdDetail.userText: must not be blank",
    "InvalidUrl jdDetail.sampleProfileURL: \"https://example.com/in/x\" is not an http(s) LinkedIn URL",
    "Empty queries.country_region.value: must list at least one value",
    "Blank queries.skills.value.mandatory[0]: must not be blank",
    "Blank queries.skills.value.secondary[0]: must not be blank",
    "Blank queries.region.value[1]: must not be blank",
    "Blank queries.region.value[2]: must not be blank",
    "InvertedRange queries.headcount_growth.value: range 20..=10 is inverted",
    "InvertedRange queries.year_founded.value: range 2010.5..=2000 is inverted",
];

#[test]
fn missing_pieces_are_reported() {
    assert_eq!(parse_problems("[1]"), EXPECTED_NOT_OBJECT);
    assert_eq!(
        parse_problems(r#"{"sessionTitle": "t"}"#),
        EXPECTED_NO_QUERIES
    );
    assert_eq!(
        parse_problems(r#"{"queries": {"region": {"type": "IN", "value": ["x"]}}, "jdDetail": 3}"#),
        EXPECTED_NO_SKILLS,
    );
    assert_eq!(
        parse_problems(
            r#"{"queries": {"skills": {"type": "IN", "value": {"mandatory": [], "core": []}}}, "queries": 1}"#
        ),
        EXPECTED_EMPTY_SKILLS,
    );
}

const EXPECTED_NOT_OBJECT: [&str; 1] = ["WrongShape body: expected a JSON object, found an array"];
const EXPECTED_NO_QUERIES: [&str; 1] = ["Missing queries: is required"];
const EXPECTED_NO_SKILLS: [&str; 2] = [
    "WrongShape jdDetail: expected an object, found a number",
    "NoSkills queries.skills: is required: at least one skill in mandatory, core or secondary",
];
const EXPECTED_EMPTY_SKILLS: [&str; 2] = [
    "DuplicateKey queries: duplicate key",
    "NoSkills queries.skills.value: at least one skill is required in mandatory, core or secondary",
];

#[test]
fn builder_value_problems_name_their_wire_paths() {
    let err = Session::builder()
        .title("")
        .jd_text(" ")
        .sample_profile_url("ftp://linkedin.com/in/x")
        .current_title_in(["Dev", " "])
        .region_in(Vec::<String>::new())
        .experience(f64::NAN..=3.0)
        .filter(fields::CompanyHeadcount, Range::new(100, 10))
        .mandatory_skills(["", "C#"])
        .core_skills([" "])
        .build()
        .expect_err("invalid on purpose");
    assert_eq!(problems(&err), EXPECTED_BUILDER);
}

const EXPECTED_BUILDER: [&str; 9] = [
    "Blank sessionTitle: must not be blank",
    "Blank jdDetail.userText: must not be blank",
    "InvalidUrl jdDetail.sampleProfileURL: \"ftp://linkedin.com/in/x\" is not an http(s) LinkedIn URL",
    "Blank queries.current_employers.title.value[1]: must not be blank",
    "NotFinite queries.years_of_experience_raw.value: range NaN..=3 has a bound that is not a finite number",
    "Blank queries.skills.value.mandatory[0]: must not be blank",
    "Blank queries.skills.value.core[0]: must not be blank",
    "Empty queries.region.value: must list at least one value",
    "InvertedRange queries.current_employers.company_headcount_latest.value: range 100..=10 is inverted",
];

#[test]
fn escaped_keys_read_like_plain_ones_and_count_as_duplicates() {
    // `\u0069` is `i`: serde_json cannot lend such a key from the input, so it arrives owned.
    let json = r#"{"queries": {
        "reg\u0069on": {"type": "IN", "value": ["Pune"]},
        "skills": {"type": "IN", "value": {"mandatory": ["C#"]}}
    }}"#;
    let request = SessionRequest::from_json(json).expect("escaped keys are ordinary keys");
    assert_eq!(
        request.queries().get(fields::FieldId::Region),
        Some(&fj_sourcing::FilterValue::Values(vec!["Pune".to_owned()]))
    );
    let json = r#"{"queries": {
        "region": {"type": "IN", "value": ["Pune"]},
        "reg\u0069on": {"type": "IN", "value": ["Mumbai"]},
        "skills": {"type": "IN", "value": {"mandatory": ["C#"]}}
    }}"#;
    assert_eq!(
        parse_problems(json),
        ["DuplicateKey queries.region: duplicate key"]
    );
}

#[test]
fn every_parsing_entry_point_gives_the_same_request() {
    let json = r#"{"sessionTitle": "T", "jdDetail": {"userText": "JD"}, "queries": {
        "years_of_experience_raw": {"type": "RANGE", "value": [1, 5]},
        "region": {"type": "IN", "value": ["Pune"]},
        "skills": {"type": "IN", "value": {"mandatory": ["C#"], "core": ["SQL"], "secondary": []}}
    }}"#;
    let from_json = SessionRequest::from_json(json).expect("valid");
    let value: serde_json::Value = serde_json::from_str(json).expect("JSON");
    assert_eq!(SessionRequest::from_value(value).expect("valid"), from_json);
    assert_eq!(
        SessionRequest::from_slice(json.as_bytes()).expect("valid"),
        from_json
    );
    // `from_reader` never lends strings from its input: every key takes the owned path.
    let read: SessionRequest = serde_json::from_reader(json.as_bytes()).expect("valid");
    assert_eq!(read, from_json);
    assert_eq!(
        serde_json::from_str::<SessionRequest>(r#"{"queries": {}}"#)
            .expect_err("no skills")
            .to_string(),
        "invalid session request: queries.skills: is required: at least one skill in mandatory, core or secondary"
    );
}

#[test]
fn sample_profile_urls_are_linkedin_hosts_in_any_case() {
    let check = |url: &str| {
        Session::builder()
            .sample_profile_url(url)
            .mandatory_skills(["C#"])
            .build()
            .map(|_| ())
            .map_err(|err| problems(&err))
    };
    for ok in [
        "https://linkedin.com/in/x",
        "https://www.linkedin.com/in/x",
        "HTTPS://WWW.LinkedIn.COM/in/x",
        "http://in.linkedin.com/in/x",
    ] {
        assert_eq!(check(ok), Ok(()), "{ok}");
    }
    for bad in [
        "https://notlinkedin.com/in/x",
        "https://linkedin.com.evil.example/in/x",
        "ftp://www.linkedin.com/in/x",
        "linkedin.com/in/x",
        "mailto:someone@linkedin.com",
    ] {
        assert_eq!(
            check(bad),
            Err(vec![format!(
                "InvalidUrl jdDetail.sampleProfileURL: {bad:?} is not an http(s) LinkedIn URL"
            )]),
            "{bad}"
        );
    }
}
