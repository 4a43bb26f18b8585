//! Create Sourcing Session: the exact request, the documented 201, metadata.

use fj_sourcing::model::ProfileMatchingStatus;
use fj_sourcing::ops::Operator;
use pretty_assertions::assert_eq;
use serde_json::{Value, json};
use wiremock::ResponseTemplate;

use crate::support::*;

fn created_201() -> ResponseTemplate {
    ResponseTemplate::new(201).set_body_raw(fixture("create_session_201.json"), "application/json")
}

#[tokio::test]
async fn seed_example_is_sent_exactly_as_documented() {
    let server = server_answering(created_201()).await;
    client(&server)
        .create_session(&seed_request())
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), "/api/v1/wl/sourcing-session");
    assert_eq!(request.url.query(), None);
    assert_eq!(header(&request, "x-fj-api-key"), Some(KEY));
    assert_eq!(header(&request, "content-type"), Some("application/json"));
    assert_eq!(header(&request, "accept"), Some("application/json"));
    assert_eq!(
        header(&request, "user-agent"),
        Some(concat!("fj-sourcing/", env!("CARGO_PKG_VERSION")))
    );
    let body: Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(body, fixture_json("create_request.json"));
}

#[tokio::test]
async fn documented_201_decodes_field_by_field() {
    let server = server_answering(created_201()).await;
    let created = client(&server)
        .create_session(&seed_request())
        .await
        .unwrap();

    assert_eq!(created.meta.status().as_u16(), 201);
    assert_eq!(created.meta.body_status_code(), Some(201));
    assert_eq!(created.meta.body_status(), Some("SUCCESS"));
    assert_eq!(created.meta.message(), Some("Session created successfully"));
    assert_eq!(created.meta.attempts(), 1);
    assert_eq!(created.id(), Some("6a0c77936e7a0151430c91fd"));
    assert_eq!(created.sourcing_error(), None);
    assert_eq!(
        created.matching_status(),
        Some(&ProfileMatchingStatus::Processing)
    );
    assert!(created.extra.is_empty());

    let session = created.session.as_ref().unwrap();
    assert_eq!(session.session_title.as_deref(), Some(".NET Developer"));
    assert_eq!(session.medium.as_deref(), Some("MANUAL"));
    let jd = session.jd_detail.as_ref().unwrap();
    assert_eq!(
        jd.user_text.as_deref(),
        Some("Job Title: .NET Developer, Experience: 1-5 years, Location: Pune")
    );
    assert_eq!(jd.sample_profile_url.as_deref(), Some(""));
    let queries = session.queries.as_ref().unwrap();
    let keys: Vec<&str> = queries.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "country_region",
            "current_employers.title",
            "region",
            "skills",
            "years_of_experience_raw"
        ]
    );
    assert_eq!(queries["country_region"].operator(), Some(Operator::Regex));
    assert_eq!(queries["years_of_experience_raw"].value, json!([1, 5]));
    assert_eq!(
        queries["skills"].value,
        json!({ "mandatory": ["C#"], "core": ["ASP.NET MVC"], "secondary": [] })
    );
    assert_eq!(session.fallback_filters, None);
    assert_eq!(session.has_used_final_fallback, Some(false));
    assert_eq!(session.nuances, Some(vec![]));
    assert_eq!(session.red_flags.as_deref(), Some(""));
    assert_eq!(session.must_haves.as_deref(), Some(""));
    assert_eq!(session.additional_notes.as_deref(), Some(""));
    assert_eq!(
        session.created_by.as_deref(),
        Some("68c505c2ec8d7cb2821599af")
    );
    assert_eq!(
        session.workspace_id.as_deref(),
        Some("6a0c5da36e7a0151430c5b71")
    );
    assert_eq!(
        session.project_id.as_deref(),
        Some("6a0c5da36e7a0151430c5b7e")
    );
    assert_eq!(session.next_cursor.as_deref(), Some(""));
    assert_eq!(session.search_more_counter, Some(0));
    assert_eq!(session.filter_changes_counter, Some(0));
    assert_eq!(session.last_candidates_fetched_at, None);
    assert_eq!(
        session.profile_matching_status,
        Some(ProfileMatchingStatus::Idle)
    );
    assert_eq!(session.total_profiles_for_matching, Some(0));
    assert_eq!(session.total_profiles_matched, Some(0));
    assert_eq!(session.profile_matching_provider.as_deref(), Some("gemini"));
    assert_eq!(session.session_credit_charged, Some(false));
    assert_eq!(session.force_refresh_analysis, Some(false));
    assert_eq!(session.total_available_profiles, Some(0));
    let metadata = session.metadata.as_ref().unwrap();
    assert_eq!(
        (&metadata.s3_key, &metadata.file_hash, &metadata.uploaded_at),
        (&None, &None, &None)
    );
    assert_eq!(session.batches, Some(vec![]));
    assert_eq!(
        session.created_at.as_deref(),
        Some("2026-05-19T14:45:39.240Z")
    );
    assert_eq!(
        session.updated_at.as_deref(),
        Some("2026-05-19T14:45:39.240Z")
    );
    assert_eq!(session.version, Some(0));
    // Every documented field is typed: nothing of the example lands in the catch-all maps.
    assert!(session.extra.is_empty(), "{:?}", session.extra);
    assert!(jd.extra.is_empty() && metadata.extra.is_empty());

    let sourcing = created.sourcing.as_ref().unwrap();
    assert_eq!(sourcing.total_display_count, Some(100));
    assert!(
        sourcing
            .next_cursor
            .as_deref()
            .unwrap()
            .starts_with("H4sIAJR3DGoC_xXMMQrDMAxA0asEzx0iS5biXqWUIMs2GUpNE2")
    );
    assert_eq!(sourcing.filter_changes_counter, Some(0));
    assert_eq!(sourcing.search_more_counter, Some(0));
    assert_eq!(sourcing.new_profiles_count, Some(100));
    assert!(sourcing.extra.is_empty(), "{:?}", sourcing.extra);
    let credit = created.credit_info().unwrap();
    assert_eq!(credit.charged, Some(true));
    assert_eq!(credit.amount, Some(5));
    assert_eq!(credit.reason.as_deref(), Some("Sourcing Session Created"));
    assert_eq!(credit.remaining_credits, Some(37));
    assert!(credit.extra.is_empty());
}

#[tokio::test]
async fn unknown_fields_and_statuses_are_kept() {
    let mut body = fixture_json("create_session_201.json");
    body["data"]["session"]["profileMatchingStatus"] = json!("queued");
    body["data"]["session"]["brandNewField"] = json!({"nested": [1, 2]});
    body["data"]["sourcing"]["creditInfo"]["bonus"] = json!(true);
    body["data"]["somethingElse"] = json!("kept");
    let server = server_answering(ResponseTemplate::new(201).set_body_json(body)).await;
    let created = client(&server)
        .create_session(&seed_request())
        .await
        .unwrap();

    let session = created.session.as_ref().unwrap();
    assert_eq!(
        session.profile_matching_status,
        Some(ProfileMatchingStatus::Other("queued".into()))
    );
    assert_eq!(session.extra["brandNewField"], json!({"nested": [1, 2]}));
    assert_eq!(created.credit_info().unwrap().extra["bonus"], json!(true));
    assert_eq!(created.extra["somethingElse"], json!("kept"));
}

#[tokio::test]
async fn status_207_with_sourcing_error_is_surfaced() {
    let body = json!({
        "statusCode": 207,
        "data": {
            "session": { "_id": "6a0c77936e7a0151430c91fd", "profileMatchingStatus": "idle" },
            "sourcingError": "No profiles matched the mandatory skills"
        },
        "message": "Session created with warnings",
        "status": "SUCCESS"
    });
    let server = server_answering(ResponseTemplate::new(207).set_body_json(body)).await;
    let created = client(&server)
        .create_session(&seed_request())
        .await
        .unwrap();

    assert_eq!(created.meta.status().as_u16(), 207);
    assert_eq!(created.meta.body_status_code(), Some(207));
    assert_eq!(
        created.sourcing_error(),
        Some("No profiles matched the mandatory skills")
    );
    assert_eq!(created.id(), Some("6a0c77936e7a0151430c91fd"));
    assert!(created.sourcing.is_none());
    assert_eq!(
        created.matching_status(),
        Some(&ProfileMatchingStatus::Idle)
    );
}

#[tokio::test]
async fn rate_limit_and_correlation_headers_are_exposed() {
    let template = created_201()
        .insert_header("X-Request-Id", "req-7f3a")
        .insert_header("ETag", "W/\"8fd-abc\"")
        .insert_header("RateLimit-Limit", "100")
        .insert_header("RateLimit-Remaining", "97")
        .insert_header("RateLimit-Reset", "42")
        .insert_header("RateLimit-Policy", "100;w=60");
    let server = server_answering(template).await;
    let created = client(&server)
        .create_session(&seed_request())
        .await
        .unwrap();

    let meta = &created.meta;
    assert_eq!(meta.request_id(), Some("req-7f3a"));
    assert_eq!(meta.etag(), Some("W/\"8fd-abc\""));
    let rl = meta.rate_limit();
    assert_eq!(rl.limit(), Some(100));
    assert_eq!(rl.remaining(), Some(97));
    assert_eq!(rl.reset(), Some(std::time::Duration::from_secs(42)));
    assert_eq!(rl.policy(), Some("100;w=60"));
    assert_eq!(rl.window(), Some(std::time::Duration::from_secs(60)));
}

#[tokio::test]
async fn non_numeric_rate_limit_headers_do_not_fail_the_call() {
    let template = created_201()
        .insert_header("RateLimit-Limit", "unlimited")
        .insert_header("RateLimit-Remaining", "-")
        .insert_header("RateLimit-Reset", "later");
    let server = server_answering(template).await;
    let created = client(&server)
        .create_session(&seed_request())
        .await
        .unwrap();

    let rl = created.meta.rate_limit();
    assert_eq!((rl.limit(), rl.raw_limit()), (None, Some("unlimited")));
    assert_eq!((rl.remaining(), rl.raw_remaining()), (None, Some("-")));
    assert_eq!((rl.reset(), rl.raw_reset()), (None, Some("later")));
}
