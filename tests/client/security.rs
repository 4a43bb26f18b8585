//! The key never leaks; plain http is refused off loopback; traces carry no bodies or keys.

use std::time::Duration;

use fj_sourcing::{ApiKey, Client, Error, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::observe::Captured;
use crate::support::*;

fn assert_no_key(what: &str, shown: &str) {
    assert!(!shown.contains(KEY), "{what} leaks the key: {shown}");
    assert!(
        !shown.contains(&KEY[4..]),
        "{what} leaks part of the key: {shown}"
    );
}

#[tokio::test]
async fn the_key_never_appears_in_debug_or_display() {
    let server = MockServer::start().await;
    let client = builder(&server)
        .retry(RetryPolicy::none())
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    assert_no_key("Client debug", &format!("{client:?}"));
    assert_no_key("ApiKey debug", &format!("{:?}", ApiKey::new(KEY)));
    assert_no_key("ApiKey display", &ApiKey::new(KEY).to_string());
    assert_no_key(
        "builder debug",
        &format!("{:?}", Client::builder().api_key(KEY)),
    );

    let mut errors: Vec<Error> = Vec::new();
    for status in [400, 401, 402, 404, 413, 429, 500] {
        server.reset().await;
        Mock::given(method("POST"))
            .and(path("/api/v1/wl/sourcing-session"))
            .respond_with(ResponseTemplate::new(status).set_body_json(json!({"message": "no"})))
            .mount(&server)
            .await;
        errors.push(client.create_session(&seed_request()).await.unwrap_err());
    }
    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_string("garbage"))
        .mount(&server)
        .await;
    errors.push(client.create_session(&seed_request()).await.unwrap_err());
    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_delay(Duration::from_secs(30)))
        .mount(&server)
        .await;
    errors.push(client.create_session(&seed_request()).await.unwrap_err());
    let port = RefusingPort::new();
    let refused = Client::builder()
        .api_key(KEY)
        .base_url(port.url())
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    errors.push(refused.create_session(&seed_request()).await.unwrap_err());
    errors.push(
        Client::builder()
            .api_key(KEY)
            .base_url("http://example.com")
            .build()
            .unwrap_err(),
    );
    errors.push(
        Client::builder()
            .api_key(format!("{KEY}\n\u{1}"))
            .build()
            .unwrap_err(),
    );
    assert_eq!(errors.len(), 12);
    for error in &errors {
        assert_no_key("error debug", &format!("{error:?}"));
        assert_no_key("error display", &error.to_string());
    }
}

#[test]
fn plain_http_to_a_non_loopback_host_is_refused() {
    let error = Client::builder()
        .api_key(KEY)
        .base_url("http://prod.api.futurejobs.ai/api/v1/wl")
        .build()
        .unwrap_err();
    assert!(matches!(error, Error::Config { .. }));
    assert_eq!(
        error.to_string(),
        "invalid client configuration: refusing to send the API key over plain http:// to \
         prod.api.futurejobs.ai: use https:// (plain http is allowed only for localhost, \
         127.0.0.0/8 and ::1)"
    );
    for ok in [
        "http://localhost:1/x",
        "http://127.0.0.1:1",
        "http://[::1]:1",
    ] {
        assert!(
            Client::builder().api_key(KEY).base_url(ok).build().is_ok(),
            "{ok}"
        );
    }
}

#[tokio::test]
async fn traces_name_the_request_but_carry_no_key_or_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/wl/sourcing-session"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v1/wl/sourcing-session"))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_raw(fixture("create_session_201.json"), "application/json")
                .insert_header("X-Request-Id", "req-trace-1"),
        )
        .mount(&server)
        .await;
    keep_every_trace_enabled();
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(tracing::Level::TRACE)
        .finish();
    let guard = tracing::subscriber::set_default(subscriber);
    client(&server)
        .create_session(&seed_request())
        .await
        .unwrap();
    drop(guard);

    let logs = captured.text();
    assert!(logs.contains("method=\"POST\""), "{logs}");
    assert!(logs.contains("path=/sourcing-session"), "{logs}");
    assert!(logs.contains("attempt=1"), "{logs}");
    assert!(logs.contains("attempt=2"), "{logs}");
    assert!(logs.contains("status=429"), "{logs}");
    assert!(logs.contains("status=201"), "{logs}");
    assert!(logs.contains("request_id=\"req-trace-1\""), "{logs}");
    assert!(logs.contains("retrying"), "{logs}");
    assert_no_key("traces", &logs);
    for body_text in [
        "Job Title",
        "ASP.NET",
        "Sourcing Session Created",
        "6a0c77936e7a0151430c91fd",
    ] {
        assert!(
            !logs.contains(body_text),
            "traces contain body text {body_text:?}: {logs}"
        );
    }
}
