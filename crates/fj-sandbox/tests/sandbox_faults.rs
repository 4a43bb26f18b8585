//! Fault injection in the sandbox: each fault as a plain HTTP client sees it, and what the
//! server did meanwhile.

mod sandbox_support;

use std::time::Duration;

use fj_sandbox::{Fault, Sandbox};
use pretty_assertions::assert_eq;
use reqwest::StatusCode;
use sandbox_support::{Api, seed_body};
use serde_json::json;

fn create_request(api: &Api) -> reqwest::RequestBuilder {
    api.http
        .post(api.url("/sourcing-session"))
        .header("x-fj-api-key", &api.key)
        .json(&seed_body())
}

#[tokio::test]
async fn injected_status_answers_without_processing() {
    let api = Api::start(Sandbox::builder()).await;
    api.sandbox.inject(Fault::Status(503), 2);
    for _ in 0..2 {
        let answer = api.post("/sourcing-session", &seed_body()).await;
        assert_eq!(
            answer.expect_error(503),
            "Service Unavailable (injected fault)"
        );
        assert_eq!(answer.header("retry-after"), Some("1"));
        assert!(answer.header("x-request-id").is_some());
    }
    assert_eq!(api.sandbox.session_count(), 0);
    assert_eq!(api.sandbox.charges(), []);
    let ok = api.post("/sourcing-session", &seed_body()).await;
    assert_eq!(ok.status, StatusCode::CREATED);
    assert_eq!(api.sandbox.requests_seen(), 3);
}

#[tokio::test]
async fn close_before_response_processes_but_never_answers() {
    let api = Api::start(Sandbox::builder()).await;
    api.sandbox.inject(Fault::CloseBeforeResponse, 1);
    let err = create_request(&api).send().await.unwrap_err();
    assert!(err.status().is_none(), "{err:?}");
    // The create happened, exactly once: the case a client must not retry blindly.
    assert_eq!(api.sandbox.requests_seen(), 1);
    assert_eq!(api.sandbox.session_count(), 1);
    assert_eq!(api.sandbox.charges().len(), 1);
    let next = api.get("/projects/sessions").await;
    assert_eq!(next.status, StatusCode::OK);
    assert_eq!(next.body["data"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn close_mid_body_sends_headers_then_breaks() {
    let api = Api::start(Sandbox::builder()).await;
    api.sandbox.inject(Fault::CloseMidBody, 1);
    let response = create_request(&api).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let declared = response.content_length().unwrap();
    assert!(declared > 100, "{declared}");
    assert!(response.bytes().await.is_err());
    assert_eq!(api.sandbox.session_count(), 1);
}

#[tokio::test]
async fn malformed_body_is_half_the_json() {
    let api = Api::start(Sandbox::builder()).await;
    api.sandbox.inject(Fault::MalformedBody, 1);
    let response = create_request(&api).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    assert!(response.headers().get("x-request-id").is_some());
    let bytes = response.bytes().await.unwrap();
    assert!(bytes.starts_with(br#"{"statusCode":201,"#));
    assert!(serde_json::from_slice::<serde_json::Value>(&bytes).is_err());
    assert_eq!(api.sandbox.session_count(), 1);
}

#[tokio::test]
async fn missing_headers_fault_drops_the_common_headers() {
    let api = Api::start(Sandbox::builder()).await;
    api.sandbox.inject(Fault::MissingHeaders, 1);
    let bare = api.get("/projects/sessions").await;
    assert_eq!(bare.status, StatusCode::OK);
    assert_eq!(bare.body["data"], json!([]));
    for name in [
        "x-request-id",
        "x-powered-by",
        "ratelimit-limit",
        "ratelimit-remaining",
        "ratelimit-reset",
        "ratelimit-policy",
        "etag",
    ] {
        assert!(bare.header(name).is_none(), "{name} still sent");
    }
    let normal = api.get("/projects/sessions").await;
    assert!(normal.header("x-request-id").is_some());
}

#[tokio::test]
async fn latency_outlasts_a_short_client_timeout() {
    let api = Api::start(Sandbox::builder().latency(Duration::from_secs(30))).await;
    let err = api
        .http
        .get(api.url("/projects/sessions"))
        .header("x-fj-api-key", &api.key)
        .timeout(Duration::from_millis(100))
        .send()
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    api.sandbox.set_latency(Duration::ZERO);
    api.sandbox
        .inject(Fault::Latency(Duration::from_secs(30)), 1);
    let err = api
        .http
        .get(api.url("/projects/sessions"))
        .header("x-fj-api-key", &api.key)
        .timeout(Duration::from_millis(100))
        .send()
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(api.get("/projects/sessions").await.status, StatusCode::OK);
    api.sandbox.inject(Fault::Status(500), 3);
    api.sandbox.clear_faults();
    assert_eq!(api.get("/projects/sessions").await.status, StatusCode::OK);
}
