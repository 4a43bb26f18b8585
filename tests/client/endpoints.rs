//! Every endpoint: the exact request (method, path, query, headers, body) and the decoding of the
//! reference's documented example.

use fj_sourcing::RevealType;
use fj_sourcing::model::ProfileMatchingStatus;
use fj_sourcing::{Error, Session};
use pretty_assertions::assert_eq;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::support::*;

const SESSION: &str = "6a0c77936e7a0151430c91fd";
const LINKEDIN: &str = "https://www.linkedin.com/in/roshni-sabhwani-é?src=a b&x=1";
const LINKEDIN_ENCODED: &str =
    "https%3A%2F%2Fwww.linkedin.com%2Fin%2Froshni-sabhwani-%C3%A9%3Fsrc%3Da+b%26x%3D1";

/// A server answering every request with `status` and the fixture's text.
async fn serving(status: u16, fixture_name: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(
            ResponseTemplate::new(status)
                .set_body_raw(fixture(fixture_name), "application/json")
                .insert_header("X-Request-Id", "req-endpoint"),
        )
        .mount(&server)
        .await;
    server
}

fn assert_read_request(request: &Request, expected_path: &str, expected_query: Option<&str>) {
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), expected_path);
    assert_eq!(request.url.query(), expected_query);
    assert_eq!(header(request, "x-fj-api-key"), Some(KEY));
    assert_eq!(header(request, "content-type"), None);
    assert!(request.body.is_empty());
}

/// The body of the only request `server` received, as sent.
async fn sent_update(server: &MockServer) -> Vec<u8> {
    let sent = only_request(server).await;
    assert_eq!(sent.method.as_str(), "PATCH");
    assert_eq!(
        sent.url.path(),
        format!("/api/v1/wl/sourcing-session/update-session/{SESSION}")
    );
    assert_eq!(sent.url.query(), None);
    assert_eq!(header(&sent, "x-fj-api-key"), Some(KEY));
    assert_eq!(header(&sent, "content-type"), Some("application/json"));
    sent.body
}

#[tokio::test]
async fn update_session_sends_only_what_the_patch_sets() {
    let server = serving(200, "update_session_200.json").await;
    let patch = Session::patch()
        .title("Senior .NET Developer")
        .experience(4..=8)
        .build()
        .unwrap();
    let updated = client(&server)
        .update_session(SESSION, &patch)
        .await
        .unwrap();

    assert_eq!(
        String::from_utf8(sent_update(&server).await).unwrap(),
        r#"{"sessionTitle":"Senior .NET Developer","queries":{"years_of_experience_raw":{"type":"RANGE","value":[4,8]}}}"#
    );
    assert_eq!(updated.meta.message(), Some("Session updated successfully"));
    assert_eq!(updated.meta.request_id(), Some("req-endpoint"));
    let session = updated.session.as_ref().unwrap();
    assert_eq!(session.id.as_deref(), Some("<SESSION_ID>"));
    assert_eq!(
        session.session_title.as_deref(),
        Some("Senior .NET Developer")
    );
    assert_eq!(
        session.profile_matching_status,
        Some(ProfileMatchingStatus::Processing)
    );
    assert_eq!(session.filter_changes_counter, Some(1));
    assert!(session.extra.is_empty());
    assert_eq!(
        updated.matching_status(),
        Some(&ProfileMatchingStatus::Processing)
    );
}

/// The reference's own Update example (a title and one filter, no skills) goes through as it is.
#[tokio::test]
async fn the_reference_update_example_goes_through_unchanged() {
    let server = serving(200, "update_session_200.json").await;
    let patch = fj_sourcing::SessionPatch::from_json(&fixture("update_session_request.json"))
        .expect("the documented example is a valid patch");
    client(&server)
        .update_session(SESSION, &patch)
        .await
        .unwrap();
    assert_eq!(
        serde_json::from_slice::<Value>(&sent_update(&server).await).unwrap(),
        fixture_json("update_session_request.json")
    );
}

/// A full request converts into a patch that sends all of it.
#[tokio::test]
async fn a_full_request_is_sent_whole_as_a_patch() {
    let server = serving(200, "update_session_200.json").await;
    let request = seed_request();
    client(&server)
        .update_session(SESSION, &request.clone().into())
        .await
        .unwrap();
    assert_eq!(sent_update(&server).await, request.to_json_vec());
}

/// A skills bucket in a patch sends the whole skills filter: it replaces the stored one.
#[tokio::test]
async fn a_skills_bucket_in_a_patch_sends_all_three_buckets() {
    let server = serving(200, "update_session_200.json").await;
    let patch = Session::patch().core_skills(["Docker"]).build().unwrap();
    client(&server)
        .update_session(SESSION, &patch)
        .await
        .unwrap();
    assert_eq!(
        serde_json::from_slice::<Value>(&sent_update(&server).await).unwrap(),
        json!({ "queries": { "skills": { "type": "IN",
            "value": { "mandatory": [], "core": ["Docker"], "secondary": [] } } } })
    );
}

#[tokio::test]
async fn session_details_reads_the_repaired_example() {
    let server = serving(200, "session_details_200.json").await;
    let details = client(&server).session(SESSION).await.unwrap();
    assert_read_request(
        &only_request(&server).await,
        &format!("/api/v1/wl/sourcing-session/{SESSION}"),
        None,
    );
    assert_eq!(details.session.id.as_deref(), Some("<SESSION_ID>"));
    assert_eq!(
        details.session.session_title.as_deref(),
        Some(".NET Developer")
    );
    assert!(details.is_done());
    assert_eq!(details.meta.message(), Some("Session fetched successfully"));
    assert!(details.session.extra.is_empty() && details.extra.is_empty());
}

#[tokio::test]
async fn path_ids_are_percent_encoded_as_one_segment() {
    let server = serving(200, "session_details_200.json").await;
    client(&server).session("a/b c?d#e%").await.unwrap();
    let sent = only_request(&server).await;
    assert_eq!(
        sent.url.path(),
        "/api/v1/wl/sourcing-session/a%2Fb%20c%3Fd%23e%25"
    );
    assert_eq!(sent.url.query(), None);
}

#[tokio::test]
async fn fetch_more_posts_an_empty_object() {
    let server = serving(200, "fetch_more_200.json").await;
    let started = client(&server).fetch_more(SESSION).await.unwrap();
    let sent = only_request(&server).await;
    assert_eq!(sent.method.as_str(), "POST");
    assert_eq!(
        sent.url.path(),
        format!("/api/v1/wl/sourcing-session/{SESSION}/fetch-more")
    );
    assert_eq!(sent.url.query(), None);
    assert_eq!(header(&sent, "x-fj-api-key"), Some(KEY));
    assert_eq!(header(&sent, "content-type"), Some("application/json"));
    assert_eq!(sent.body, b"{}");
    assert_eq!(
        started.profile_matching_status,
        Some(ProfileMatchingStatus::FetchingMore)
    );
    assert_eq!(started.meta.message(), Some("Fetching more profiles"));
    assert!(started.extra.is_empty());
}

#[tokio::test]
async fn profiles_sends_page_and_limit_and_reads_the_repaired_example() {
    let server = serving(200, "profiles_200.json").await;
    let page = client(&server).profiles(SESSION, 2, 20).await.unwrap();
    assert_read_request(
        &only_request(&server).await,
        &format!("/api/v1/wl/sourcing-session/{SESSION}/profiles"),
        Some("page=2&limit=20"),
    );
    assert_eq!(
        page.meta.message(),
        None,
        "the documented example has no message"
    );
    assert_eq!(page.meta.body_status(), Some("SUCCESS"));
    assert_eq!(
        (
            page.total_docs,
            page.limit,
            page.page,
            page.total_pages,
            page.has_next_page,
            page.next_page
        ),
        (Some(45), Some(20), Some(1), Some(3), Some(true), Some(2))
    );
    assert_eq!(page.next_page_number(), Some(2));
    assert!(page.extra.is_empty());
    let candidate = &page.docs[0];
    assert_eq!(candidate.id.as_deref(), Some("<CANDIDATE_ID>"));
    assert_eq!(candidate.final_score, Some(5.0));
    assert_eq!(candidate.name(), Some("Roshni Sabhwani"));
    assert_eq!(
        candidate.linkedin_url(),
        None,
        "the documented list has no LinkedIn URL"
    );
    let analysis = candidate.profile_analysis.as_ref().unwrap();
    let highlight = &analysis.highlights[0];
    assert_eq!(
        (
            highlight.category.as_deref(),
            highlight.highlight.as_deref(),
            highlight.icon.as_deref()
        ),
        (Some("SKILLS"), Some("C#"), Some("BULB"))
    );
    assert_eq!(
        analysis.recommendation.as_deref(),
        Some("Strong fit for .NET development roles.")
    );
    let profile = candidate.profile.as_ref().unwrap();
    assert_eq!(
        profile.region.as_deref(),
        Some("Pune District, Maharashtra, India")
    );
    assert_eq!(profile.years_of_experience_raw, Some(4.0));
    assert_eq!(profile.skills, ["C#", "ASP.NET MVC"]);
    let employer = &profile.current_employers_object[0];
    assert_eq!(
        (
            employer.company_name.as_deref(),
            employer.job_title.as_deref()
        ),
        (Some("Infosys"), Some(".NET Developer"))
    );
    assert!(candidate.extra.is_empty() && analysis.extra.is_empty() && profile.extra.is_empty());
    assert!(highlight.extra.is_empty() && employer.extra.is_empty());
}

#[tokio::test]
async fn profiles_refuses_page_zero_and_limit_zero() {
    let server = MockServer::start().await;
    let client = client(&server);
    let error = client.profiles(SESSION, 0, 20).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid argument `page`: pages are numbered from 1"
    );
    let error = client.profiles(SESSION, 1, 0).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid argument `limit`: must be at least 1"
    );
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn candidate_details_encodes_the_id_and_reads_the_example() {
    let server = serving(200, "candidate_details_200.json").await;
    let details = client(&server)
        .candidate("<CANDIDATE_ID>", SESSION)
        .await
        .unwrap();
    assert_read_request(
        &only_request(&server).await,
        "/api/v1/wl/sourcing-session/candidate/%3CCANDIDATE_ID%3E/details",
        Some(&format!("sessionId={SESSION}")),
    );
    let c = &details.candidate;
    assert_eq!(c.id.as_deref(), Some("<CANDIDATE_ID>"));
    assert_eq!(c.name.as_deref(), Some("Roshni Sabhwani"));
    assert_eq!(
        c.headline.as_deref(),
        Some("Digital Specialist Engineer at Infosys")
    );
    assert_eq!(
        c.summary.as_deref(),
        Some("Results-driven .NET developer with 4 years of experience...")
    );
    assert_eq!(
        c.linkedin_url(),
        Some("https://www.linkedin.com/in/roshni-sabhwani-...")
    );
    assert_eq!(
        c.region.as_deref(),
        Some("Pune District, Maharashtra, India")
    );
    assert_eq!(c.years_of_experience_raw, Some(4.0));
    assert_eq!(c.skills, ["C#", "ASP.NET MVC", ".NET Framework"]);
    let job = &c.current_employers[0];
    assert_eq!(
        (
            job.name.as_deref(),
            job.title.as_deref(),
            job.employment_type.as_deref(),
            job.years_at_company.as_deref()
        ),
        (
            Some("Infosys"),
            Some(".NET Developer"),
            Some("Full-time"),
            Some("3 to 5 years")
        )
    );
    let school = &c.education_background[0];
    assert_eq!(
        (
            school.degree_name.as_deref(),
            school.field_of_study.as_deref(),
            school.institute_name.as_deref()
        ),
        (
            Some("Bachelor of Engineering - BE"),
            Some("Electronics and Telecommunications"),
            Some("G.H. Raisoni College of Engineering, Nagpur")
        )
    );
    let analysis = details.profile_analysis.as_ref().unwrap();
    assert_eq!(analysis.star_rating, Some(5.0));
    assert_eq!(analysis.star_label.as_deref(), Some("excellent"));
    assert_eq!(
        analysis.recommendation.as_deref(),
        Some("Strong fit for .NET development roles. 5/5")
    );
    assert_eq!(
        details.meta.message(),
        Some("Candidate details fetched successfully")
    );
    assert!(c.extra.is_empty() && job.extra.is_empty() && school.extra.is_empty());
    assert!(analysis.extra.is_empty() && details.extra.is_empty());
}

#[tokio::test]
async fn project_sessions_reads_the_array_example() {
    let server = serving(200, "project_sessions_200.json").await;
    let sessions = client(&server).project_sessions().await.unwrap();
    assert_read_request(
        &only_request(&server).await,
        "/api/v1/wl/projects/sessions",
        None,
    );
    let summary: Vec<_> = sessions
        .iter()
        .map(|s| {
            (
                s.id.as_deref().unwrap(),
                s.session_title.as_deref().unwrap(),
                s.total_profiles.unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("69f3af1695f333e46da12376", ".NET Developer", 25),
            ("69f2f43d07523d00cbff5367", "Senior .NET Developer", 35)
        ]
    );
    assert_eq!(
        sessions[1].jd_detail.as_ref().unwrap().user_text.as_deref(),
        Some("Job Title: Senior .NET Developer, Experience: 4-8 years, Location: Pune")
    );
    assert!(sessions.iter().all(|s| s.extra.is_empty()));
}

#[tokio::test]
async fn reveal_contact_sends_only_encoded_query_parameters() {
    let server = serving(200, "reveal_contact_email_200.json").await;
    let contacts = client(&server)
        .reveal_contact(SESSION, LINKEDIN, RevealType::Email)
        .await
        .unwrap();
    let sent = only_request(&server).await;
    assert_eq!(sent.method.as_str(), "POST");
    assert_eq!(
        sent.url.path(),
        "/api/v1/wl/sourcing-session/contact/reveal"
    );
    assert_eq!(
        sent.url.query(),
        Some(format!("sourcingSessionId={SESSION}&linkedin_profile_url={LINKEDIN_ENCODED}&revealType=EMAIL").as_str())
    );
    let pairs: Vec<(String, String)> = sent.url.query_pairs().into_owned().collect();
    assert_eq!(
        pairs[1],
        ("linkedin_profile_url".to_owned(), LINKEDIN.to_owned())
    );
    assert_eq!(header(&sent, "x-fj-api-key"), Some(KEY));
    assert_eq!(header(&sent, "content-type"), None);
    assert!(sent.body.is_empty());

    assert_eq!(
        contacts.values(RevealType::Email),
        ["candidate@example.com"]
    );
    assert!(contacts.get(RevealType::Email).unwrap().is_found());
    let phone = contacts.get(RevealType::Phone).unwrap();
    assert_eq!(
        (
            phone.values.len(),
            phone.status.as_deref(),
            phone.is_found()
        ),
        (0, None, false)
    );
    assert_eq!(contacts.meta.message(), Some("Email revealed successfully"));
    assert!(contacts.iter().all(|c| c.extra.is_empty()));
}

#[tokio::test]
async fn reveal_phone_sends_reveal_type_phone() {
    let server = serving(200, "reveal_contact_email_200.json").await;
    client(&server)
        .reveal_contact(SESSION, "https://www.linkedin.com/in/x", RevealType::Phone)
        .await
        .unwrap();
    let sent = only_request(&server).await;
    assert_eq!(
        sent.url.query(),
        Some(format!("sourcingSessionId={SESSION}&linkedin_profile_url=https%3A%2F%2Fwww.linkedin.com%2Fin%2Fx&revealType=PHONE").as_str())
    );
}

#[tokio::test]
async fn reveal_contact_refuses_a_url_that_is_not_a_web_url() {
    let server = MockServer::start().await;
    let error = client(&server)
        .reveal_contact(SESSION, "linkedin.com/in/x", RevealType::Email)
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::InvalidArgument {
                name: "linkedin_url",
                ..
            }
        ),
        "{error}"
    );
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn autocomplete_sends_its_query_and_reads_the_bare_example() {
    let server = serving(200, "autocomplete_200.json").await;
    let suggestions = client(&server)
        .autocomplete("region", "Pune Maharashtra", Some(10))
        .await
        .unwrap();
    assert_read_request(
        &only_request(&server).await,
        "/api/v1/wl/sourcing-session/filters/autocomplete",
        Some("filter_type=region&query=Pune+Maharashtra&limit=10"),
    );
    let values: Vec<&str> = suggestions.values().collect();
    assert_eq!(
        values,
        [
            "Pune, Maharashtra, India",
            "Pune Division, Maharashtra, India"
        ]
    );
    assert_eq!(suggestions[0].label, "Pune, Maharashtra, India");
    assert_eq!(suggestions.meta.body_status_code(), None);
}

#[tokio::test]
async fn autocomplete_without_limit_omits_it() {
    let server = serving(200, "autocomplete_200.json").await;
    client(&server)
        .autocomplete("skill", "C#", None)
        .await
        .unwrap();
    assert_eq!(
        only_request(&server).await.url.query(),
        Some("filter_type=skill&query=C%23")
    );
}

#[tokio::test]
async fn autocomplete_accepts_enveloped_lists_and_objects() {
    for body in [
        json!({ "statusCode": 200, "data": ["Pune"], "message": "ok", "status": "SUCCESS" }),
        json!({ "statusCode": 200, "data": { "list": [{ "label": "Pune", "value": "Pune" }] }, "message": "ok", "status": "SUCCESS" }),
        json!({ "data": [{ "value": "Pune" }] }),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_json(&body))
            .mount(&server)
            .await;
        let suggestions = client(&server)
            .autocomplete("region", "Pu", None)
            .await
            .unwrap();
        let values: Vec<&str> = suggestions.values().collect();
        assert_eq!(values, ["Pune"], "{body}");
        assert_eq!(suggestions[0].label, "Pune");
    }
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "statusCode": 200, "message": "ok",
            "data": { "list": [{ "label": "Pune (city)", "value": "Pune, Maharashtra, India", "count": 3 }, 42] }
        })))
        .mount(&server)
        .await;
    let suggestions = client(&server)
        .autocomplete("region", "Pu", None)
        .await
        .unwrap();
    assert_eq!(suggestions[0].label, "Pune (city)");
    assert_eq!(suggestions[0].value, "Pune, Maharashtra, India");
    assert_eq!(suggestions[0].extra["count"], json!(3));
    assert_eq!(suggestions[1].value, "42");
    assert_eq!(suggestions.meta.message(), Some("ok"));
    assert_eq!(suggestions.meta.body_status_code(), Some(200));
}

#[tokio::test]
async fn autocomplete_reports_an_unusable_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "data": { "items": [] } })))
        .mount(&server)
        .await;
    let error = client(&server)
        .autocomplete("region", "Pu", None)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
}

#[tokio::test]
async fn jd_to_filters_sends_the_documented_body_and_reads_the_bare_example() {
    let server = serving(200, "jd_to_filters_200.json").await;
    let documented = fixture_json("jd_to_filters_request.json");
    let text = documented["userText"].as_str().unwrap();
    let annotations = client(&server).jd_to_filters(text, None).await.unwrap();

    let sent = only_request(&server).await;
    assert_eq!(sent.method.as_str(), "POST");
    assert_eq!(
        sent.url.path(),
        "/api/v1/wl/sourcing-session/get-annotation"
    );
    assert_eq!(sent.url.query(), None);
    assert_eq!(header(&sent, "x-fj-api-key"), Some(KEY));
    assert_eq!(header(&sent, "authorization"), None);
    assert_eq!(header(&sent, "content-type"), Some("application/json"));
    assert_eq!(
        serde_json::from_slice::<Value>(&sent.body).unwrap(),
        documented
    );

    assert_eq!(annotations.len(), 2);
    let industries = annotations.get("all_employers.company_industries").unwrap();
    assert_eq!(industries.presence, Some(true));
    assert_eq!(
        industries.value,
        json!([
            "Information Services",
            "Technology, Information and Internet",
            "Financial Services",
            "Software Development"
        ])
    );
    let degree = annotations.get("education_background.degree_name").unwrap();
    assert_eq!(
        (degree.presence, &degree.value),
        (Some(false), &json!([null]))
    );
    assert_eq!(annotations.meta.body_status_code(), None);
}

#[tokio::test]
async fn jd_to_filters_sends_the_profile_url_and_accepts_an_envelope() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/wl/sourcing-session/get-annotation"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "statusCode": 200,
            "data": fixture_json("jd_to_filters_200.json"),
            "message": "Annotation generated",
            "status": "SUCCESS"
        })))
        .mount(&server)
        .await;
    let annotations = client(&server)
        .jd_to_filters(
            "Senior Rust engineer",
            Some("https://www.linkedin.com/in/x"),
        )
        .await
        .unwrap();
    let sent = only_request(&server).await;
    assert_eq!(
        serde_json::from_slice::<Value>(&sent.body).unwrap(),
        json!({ "userText": "Senior Rust engineer", "linkedin_profile_url": "https://www.linkedin.com/in/x" })
    );
    assert_eq!(annotations.len(), 2);
    assert_eq!(annotations.meta.message(), Some("Annotation generated"));
}

#[tokio::test]
async fn every_endpoint_maps_404_to_not_found_with_request_id() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(
                    json!({ "statusCode": 404, "status": "ERROR", "message": "Session not found" }),
                )
                .insert_header("X-Request-Id", "req-404"),
        )
        .mount(&server)
        .await;
    let client = client(&server);
    let request = seed_request();
    let results: Vec<(&str, Error)> = vec![
        ("create", client.create_session(&request).await.unwrap_err()),
        (
            "update",
            client
                .update_session(SESSION, &request.clone().into())
                .await
                .unwrap_err(),
        ),
        ("details", client.session(SESSION).await.unwrap_err()),
        ("fetch more", client.fetch_more(SESSION).await.unwrap_err()),
        (
            "profiles",
            client.profiles(SESSION, 1, 20).await.unwrap_err(),
        ),
        (
            "candidate",
            client.candidate("c1", SESSION).await.unwrap_err(),
        ),
        ("projects", client.project_sessions().await.unwrap_err()),
        (
            "reveal",
            client
                .reveal_contact(SESSION, LINKEDIN, RevealType::Email)
                .await
                .unwrap_err(),
        ),
        (
            "autocomplete",
            client
                .autocomplete("region", "Pune", None)
                .await
                .unwrap_err(),
        ),
        ("jd", client.jd_to_filters("text", None).await.unwrap_err()),
    ];
    for (name, error) in results {
        assert!(matches!(error, Error::NotFound(_)), "{name}: {error:?}");
        assert_eq!(error.request_id(), Some("req-404"), "{name}");
        assert_eq!(
            error.api_error().unwrap().message(),
            "Session not found",
            "{name}"
        );
    }
    assert_eq!(requests(&server).await.len(), 10);
}
