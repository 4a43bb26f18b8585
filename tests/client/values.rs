//! `Client::check_values`: values checked against Filters Autocomplete, never a charging call.

use fj_sandbox::Sandbox;
use fj_sourcing::{Error, Session, UnknownValue};
use pretty_assertions::assert_eq;
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{client, fast_retries, requests};

const AUTOCOMPLETE: &str = "/api/v1/wl/sourcing-session/filters/autocomplete";

/// (path, value, suggestions, blocking) of each unknown value.
fn unknown(list: &[UnknownValue]) -> Vec<(&str, &str, Vec<&str>, bool)> {
    list.iter()
        .map(|u| {
            let suggestions = u.suggestions().iter().map(String::as_str).collect();
            (u.path(), u.value(), suggestions, u.is_blocking())
        })
        .collect()
}

#[tokio::test]
async fn typos_are_reported_with_their_path_and_suggestion_at_zero_credits() {
    let sandbox = Sandbox::builder().start().await.unwrap();
    let client = fj_sourcing::Client::builder()
        .api_key(sandbox.api_key())
        .base_url(sandbox.base_url())
        .retry(fast_retries())
        .build()
        .unwrap();
    let request = Session::builder()
        .country_region_matches(["India"])
        .open_to_cards_eq(["CAREER_INTEREST"])
        .current_title_in([".NET Developer"])
        .past_title_in([".NET Developer"])
        .current_seniority_in(["senior"])
        .current_company_in(["Infosys"])
        .region_in(["Pune, Maharastra, India"])
        .experience(1..=5)
        .mandatory_skills(["C#", "Kubernets"])
        .core_skills(["Docker"])
        .secondary_skills(["Docker"])
        .build()
        .unwrap();
    let credits = sandbox.credits_remaining();
    let report = client.check_values(&request).await.unwrap();
    assert!(!report.is_clean());
    assert_eq!(
        unknown(report.unknown()),
        [
            (
                "queries.skills.value.mandatory[1]",
                "Kubernets",
                vec!["Kubernetes"],
                true
            ),
            (
                "queries.current_employers.seniority_level.value[0]",
                "senior",
                vec!["Senior"],
                false
            ),
            (
                "queries.region.value[0]",
                "Pune, Maharastra, India",
                vec![
                    "Pune, Maharashtra, India",
                    "Pune Division, Maharashtra, India",
                    "Pune District, Maharashtra, India"
                ],
                true
            ),
        ]
    );
    assert_eq!(report.unchecked(), ["queries.open_to_cards.value[0]"]);
    // Eight distinct (filter_type, value) pairs, one call each, and one shorter query each for
    // the two values that found nothing ("Kuber", "Pune"); nothing charged.
    assert_eq!(sandbox.requests_seen(), 10);
    assert_eq!(sandbox.credits_remaining(), credits);
    assert!(sandbox.charges().is_empty());
}

#[tokio::test]
async fn a_clean_request_is_clean() {
    let sandbox = Sandbox::builder().start().await.unwrap();
    let client = fj_sourcing::Client::builder()
        .api_key(sandbox.api_key())
        .base_url(sandbox.base_url())
        .build()
        .unwrap();
    let report = client
        .check_values(&crate::support::seed_request())
        .await
        .unwrap();
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(report.unknown(), []);
}

/// A stub that answers region with `{label, value}` objects in an envelope, refuses
/// `filter_type=company`, and answers skill with a bare list.
async fn stub() -> MockServer {
    let server = MockServer::start().await;
    let objects = json!({"statusCode": 200, "status": "SUCCESS", "data": {"list": [
        {"label": "Pune", "value": "Pune, Maharashtra, India"},
        {"label": "Pune Division", "value": "Pune Division, Maharashtra, India"}
    ]}});
    Mock::given(method("GET"))
        .and(path(AUTOCOMPLETE))
        .and(query_param("filter_type", "region"))
        .respond_with(ResponseTemplate::new(200).set_body_json(objects))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(AUTOCOMPLETE))
        .and(query_param("filter_type", "company"))
        .respond_with(ResponseTemplate::new(400).set_body_json(
            json!({"statusCode": 400, "message": "invalid filter_type", "status": "ERROR"}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(AUTOCOMPLETE))
        .and(query_param("filter_type", "skill"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!(["c#", "C# Developer"])))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn objects_refused_types_and_case_are_read_from_a_stub() {
    let server = stub().await;
    let request = Session::builder()
        .region_in([
            "Pune, Maharashtra, India",
            "Pune Division, Maharashtra, India",
        ])
        .current_company_in(["Infosys"])
        .mandatory_skills(["C#"])
        .build()
        .unwrap();
    let report = client(&server).check_values(&request).await.unwrap();
    assert_eq!(
        unknown(report.unknown()),
        [(
            "queries.skills.value.mandatory[0]",
            "C#",
            vec!["c#", "C# Developer"],
            true
        )]
    );
    assert_eq!(
        report.unchecked(),
        ["queries.current_employers.name.value[0]"]
    );
    let seen = requests(&server).await;
    assert_eq!(
        seen.len(),
        4,
        "one call per distinct value; the company one refused"
    );
    assert!(
        seen.iter()
            .all(|r| r.method.as_str() == "GET" && r.url.path() == AUTOCOMPLETE)
    );
    assert!(
        seen.iter()
            .all(|r| r.url.query_pairs().any(|(k, v)| k == "limit" && v == "50"))
    );
}

#[tokio::test]
async fn a_check_that_cannot_run_is_an_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .mount(&server)
        .await;
    let request = Session::builder().mandatory_skills(["C#"]).build().unwrap();
    let error = client(&server).check_values(&request).await.unwrap_err();
    assert!(matches!(error, Error::RateLimited { .. }), "{error:?}");
    let seen = requests(&server).await;
    assert!(
        seen.iter()
            .all(|r| r.method.as_str() == "GET" && r.url.path() == AUTOCOMPLETE)
    );
}
