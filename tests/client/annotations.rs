//! JD annotations to a checked request, using the field table for each key's operator.

use fj_sourcing::ProblemKind;
use fj_sourcing::fields::FieldId;
use fj_sourcing::model::Annotations;
use fj_sourcing::{AnnotatedBuilder, DropReason};
use pretty_assertions::assert_eq;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::*;

fn annotations(value: Value) -> Annotations {
    serde_json::from_value(value).unwrap()
}

fn queries_of(request: &fj_sourcing::SessionRequest) -> Value {
    serde_json::to_value(request).unwrap()["queries"].clone()
}

#[test]
fn documented_example_applies_present_keys_and_drops_the_rest() {
    let filters = annotations(fixture_json("jd_to_filters_200.json"))
        .to_builder()
        .unwrap();
    assert_eq!(filters.applied, [FieldId::Industry]);
    assert_eq!(filters.dropped.len(), 1);
    assert_eq!(filters.dropped[0].key(), "education_background.degree_name");
    assert_eq!(filters.dropped[0].reason(), DropReason::NotPresent);
    assert!(!filters.builder.has_skills());

    let error = filters.builder.clone().build().unwrap_err();
    assert_eq!(error.problems()[0].kind(), ProblemKind::NoSkills);
    let AnnotatedBuilder::NeedsSkills(builder) = filters.builder else {
        panic!("no skills were annotated");
    };
    let request = builder.mandatory_skills(["C#"]).build().unwrap();
    assert_eq!(
        queries_of(&request),
        json!({
            "all_employers.company_industries": {
                "type": "IN",
                "value": ["Information Services", "Technology, Information and Internet", "Financial Services", "Software Development"]
            },
            "skills": { "type": "IN", "value": { "mandatory": ["C#"], "core": [], "secondary": [] } }
        })
    );
}

#[test]
fn each_key_gets_its_operator_from_the_field_table() {
    let filters = annotations(json!({
        "country_region": { "presence": true, "value": ["India", null] },
        "open_to_cards": { "value": ["CAREER_INTEREST"] },
        "years_of_experience_raw": { "presence": true, "value": [3, 7] },
        "headcount_growth": { "presence": true, "value": [1.5, 20] },
        "skills": { "presence": true, "value": { "mandatory": ["C#"], "core": [".NET Core", null] } },
        "region": { "presence": true, "value": [null, null] },
        "funding_stage": { "presence": true, "value": [] },
        "honors.title": { "presence": true, "value": null }
    }))
    .to_builder()
    .unwrap();
    let dropped: Vec<(&str, DropReason)> = filters
        .dropped
        .iter()
        .map(|d| (d.key(), d.reason()))
        .collect();
    assert_eq!(
        dropped,
        [
            ("funding_stage", DropReason::NoValues),
            ("honors.title", DropReason::NoValues),
            ("region", DropReason::NoValues)
        ]
    );
    assert!(filters.builder.has_skills());
    let request = filters.builder.title("From a JD").build().unwrap();
    assert_eq!(
        queries_of(&request),
        json!({
            "country_region": { "type": "(.)", "value": ["India"] },
            "open_to_cards": { "type": "=", "value": ["CAREER_INTEREST"] },
            "years_of_experience_raw": { "type": "RANGE", "value": [3, 7] },
            "skills": { "type": "IN", "value": { "mandatory": ["C#"], "core": [".NET Core"], "secondary": [] } },
            "headcount_growth": { "type": "RANGE", "value": [1.5, 20] }
        })
    );
}

#[test]
fn a_plain_skills_list_goes_to_the_core_bucket() {
    let request =
        annotations(json!({ "skills": { "presence": true, "value": ["Rust", "Tokio"] } }))
            .to_builder()
            .unwrap()
            .builder
            .build()
            .unwrap();
    assert_eq!(request.skills().core(), ["Rust", "Tokio"]);
    assert!(request.skills().mandatory().is_empty());
}

#[test]
fn unknown_keys_and_wrong_shapes_are_reported_and_the_rest_kept() {
    let error = annotations(json!({
        "made_up.key": { "presence": true, "value": ["x"] },
        "region": { "presence": true, "value": ["Pune", 7] },
        "years_of_experience_raw": { "presence": true, "value": ["3", "7"] },
        "year_founded": { "presence": true, "value": [2000] },
        "headcount_growth": { "presence": true, "value": [20, 10] },
        "current_employers.title": { "presence": true, "value": ["  "] },
        "skills": { "presence": true, "value": { "mandatory": ["C#"], "nice_to_have": ["Go"] } },
        "degree": "BACHELORS",
        "funding_stage": { "presence": true, "value": ["series_a"] },
        "education_background.degree_name": { "presence": false, "value": [null] },
        "unknown_but_absent": { "presence": false, "value": ["x"] }
    }))
    .to_builder()
    .unwrap_err();

    let found: Vec<(&str, ProblemKind)> = error
        .problems()
        .iter()
        .map(|p| (p.path(), p.kind()))
        .collect();
    assert_eq!(
        found,
        [
            ("current_employers.title.value[0]", ProblemKind::Blank),
            ("degree", ProblemKind::UnknownKey),
            ("headcount_growth.value", ProblemKind::InvertedRange),
            ("made_up.key", ProblemKind::UnknownKey),
            ("region.value[1]", ProblemKind::WrongShape),
            ("skills.value.nice_to_have", ProblemKind::UnknownKey),
            ("year_founded.value", ProblemKind::WrongShape),
            ("years_of_experience_raw.value", ProblemKind::WrongShape),
        ]
    );
    assert_eq!(
        error.problems()[4].message(),
        "expected a string, found a number"
    );
    assert_eq!(
        error.problems()[7].message(),
        r#"expected a [min, max] array of two numbers, found ["3","7"]"#
    );
    assert!(error.to_string().starts_with("annotations that cannot be applied: current_employers.title.value[0]: must not be blank; degree: is not a documented filter key"), "{error}");

    let partial = error.into_partial();
    assert_eq!(partial.applied, [FieldId::FundingStage]);
    let dropped: Vec<&str> = partial.dropped.iter().map(|d| d.key()).collect();
    assert_eq!(
        dropped,
        ["education_background.degree_name", "unknown_but_absent"]
    );
    let request = partial.builder.build().unwrap_err();
    assert_eq!(request.problems()[0].kind(), ProblemKind::NoSkills);
}

#[tokio::test]
async fn jd_text_to_filters_to_a_created_session() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/wl/sourcing-session/get-annotation"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "statusCode": 200,
            "data": {
                "current_employers.title": { "presence": true, "value": [".NET Developer"] },
                "years_of_experience_raw": { "presence": true, "value": [3, 7] },
                "skills": { "presence": true, "value": { "mandatory": ["C#"], "core": ["SQL Server"], "secondary": [] } },
                "education_background.degree_name": { "presence": false, "value": [null] }
            },
            "status": "SUCCESS"
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v1/wl/sourcing-session"))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_raw(fixture("create_session_201.json"), "application/json"),
        )
        .mount(&server)
        .await;
    let client = client(&server);
    let jd = "Looking for a .NET Developer with 3-7 years of experience";
    let annotations = client.jd_to_filters(jd, None).await.unwrap();
    let request = annotations
        .to_builder()
        .unwrap()
        .builder
        .title(".NET Developer")
        .jd_text(jd)
        .build()
        .unwrap();
    client.create_session(&request).await.unwrap();

    let create = requests(&server).await.pop().unwrap();
    assert_eq!(
        serde_json::from_slice::<Value>(&create.body).unwrap(),
        json!({
            "sessionTitle": ".NET Developer",
            "jdDetail": { "userText": jd },
            "queries": {
                "current_employers.title": { "type": "IN", "value": [".NET Developer"] },
                "years_of_experience_raw": { "type": "RANGE", "value": [3, 7] },
                "skills": { "type": "IN", "value": { "mandatory": ["C#"], "core": ["SQL Server"], "secondary": [] } }
            }
        })
    );
}
