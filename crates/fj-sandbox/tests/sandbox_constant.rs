//! The benchmark baseline (`SandboxBuilder::constant_create`): Create answers the given bytes
//! and does nothing else, while the middleware and the other endpoints behave as usual.

mod sandbox_support;

use fj_sandbox::Sandbox;
use pretty_assertions::assert_eq;
use reqwest::StatusCode;
use sandbox_support::{Api, SEED_CURL_BODY};

const CONSTANT: &[u8] = br#"{"statusCode":201,"data":{"constant":true},"status":"SUCCESS"}"#;

#[tokio::test]
async fn create_answers_the_constant_bytes_and_changes_nothing() {
    let api = Api::start(Sandbox::builder().credits(7).constant_create(CONSTANT)).await;
    for body in [SEED_CURL_BODY.as_bytes(), b"not even JSON".as_slice()] {
        let response = api
            .http
            .post(api.url("/sourcing-session"))
            .header("x-fj-api-key", &api.key)
            .body(body.to_vec())
            .send()
            .await
            .expect("the sandbox answers");
        assert_eq!(response.status(), StatusCode::CREATED);
        let headers = response.headers().clone();
        assert_eq!(
            headers.get("content-type").and_then(|v| v.to_str().ok()),
            Some("application/json")
        );
        // The middleware still runs: the common headers are there.
        assert_eq!(
            headers.get("x-powered-by").and_then(|v| v.to_str().ok()),
            Some("fj-sandbox")
        );
        assert!(headers.contains_key("x-request-id"));
        assert_eq!(&response.bytes().await.expect("a body")[..], CONSTANT);
    }
    assert_eq!(api.sandbox.session_count(), 0);
    assert_eq!(api.sandbox.credits_remaining(), 7);
    assert!(api.sandbox.charges().is_empty());
}

#[tokio::test]
async fn middleware_and_other_endpoints_are_unchanged() {
    let api = Api::start(Sandbox::builder().constant_create(CONSTANT)).await;
    let unauthorized = api
        .raw(
            reqwest::Method::POST,
            "/sourcing-session",
            Some("fjk_wrong"),
            Some(SEED_CURL_BODY.as_bytes().to_vec()),
        )
        .await;
    assert_eq!(unauthorized.expect_error(401), "Invalid API key");
    let sessions = api.get("/projects/sessions").await;
    assert_eq!(sessions.status, StatusCode::OK);
    assert_eq!(sessions.body["data"], serde_json::json!([]));
}
