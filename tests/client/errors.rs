//! Each error status maps to its kind, with the server's message and the request id.

use std::error::Error as _;

use fj_sourcing::{Client, Error, RetryPolicy};
use pretty_assertions::assert_eq;
use serde_json::json;
use wiremock::{MockServer, ResponseTemplate};

use crate::observe::kind;
use crate::support::*;

/// A server whose create endpoint answers `template`, and a client that never retries.
async fn answering(template: ResponseTemplate) -> (MockServer, Client) {
    let server = server_answering(template).await;
    let client = builder(&server).retry(RetryPolicy::none()).build().unwrap();
    (server, client)
}

const STATUSES: [(u16, &str); 9] = [
    (400, "BadRequest"),
    (401, "Unauthorized"),
    (402, "PaymentRequired"),
    (404, "NotFound"),
    (413, "UnexpectedStatus"),
    (429, "RateLimited"),
    (500, "Server"),
    (503, "Server"),
    (302, "UnexpectedStatus"),
];

#[tokio::test]
async fn json_error_bodies_map_to_kinds_with_message_and_request_id() {
    for (status, expected) in STATUSES {
        let body = json!({ "statusCode": status, "status": "ERROR", "message": format!("server says {status}") });
        let template = ResponseTemplate::new(status)
            .set_body_json(body)
            .insert_header("X-Request-Id", format!("req-{status}").as_str());
        let (_server, client) = answering(template).await;
        let error = client.create_session(&seed_request()).await.unwrap_err();
        assert_eq!(kind(&error), expected, "status {status}");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(error.request_id(), Some(format!("req-{status}").as_str()));
        let api = error.api_error().unwrap();
        assert_eq!(api.message(), format!("server says {status}"));
        assert_eq!((api.method(), api.path()), ("POST", "/sourcing-session"));
    }
}

#[tokio::test]
async fn non_json_error_bodies_keep_their_raw_text() {
    for (status, expected) in STATUSES {
        let template = ResponseTemplate::new(status)
            .set_body_raw(format!("<html>gateway {status} hiccup</html>"), "text/html")
            .insert_header("X-Request-Id", "req-raw");
        let (_server, client) = answering(template).await;
        let error = client.create_session(&seed_request()).await.unwrap_err();
        assert_eq!(kind(&error), expected, "status {status}");
        assert_eq!(error.request_id(), Some("req-raw"));
        assert_eq!(
            error.api_error().unwrap().message(),
            format!("<html>gateway {status} hiccup</html>")
        );
    }
}

#[tokio::test]
async fn empty_error_body_uses_the_reason_phrase() {
    let (_server, client) = answering(ResponseTemplate::new(401)).await;
    let error = client.create_session(&seed_request()).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "API key rejected: POST /sourcing-session (HTTP 401): Unauthorized"
    );
}

#[tokio::test]
async fn validation_problems_are_decoded_and_displayed() {
    let body = json!({
        "statusCode": 400,
        "status": "ERROR",
        "message": "Validation failed",
        "errors": [
            { "path": "queries.region.value", "kind": "blank", "message": "must not be blank" },
            { "path": "queries.skills", "kind": "no_skills", "message": "at least one skill is required" }
        ]
    });
    let template = ResponseTemplate::new(400)
        .set_body_json(body)
        .insert_header("X-Request-Id", "req-400");
    let (_server, client) = answering(template).await;
    let error = client.create_session(&seed_request()).await.unwrap_err();

    let problems = error.problems();
    assert_eq!(problems.len(), 2);
    assert_eq!(problems[0].path.as_deref(), Some("queries.region.value"));
    assert_eq!(problems[0].kind.as_deref(), Some("blank"));
    assert_eq!(problems[0].message.as_deref(), Some("must not be blank"));
    assert_eq!(
        error.to_string(),
        "bad request: POST /sourcing-session (HTTP 400, request id req-400): Validation failed \
         [queries.region.value: must not be blank; queries.skills: at least one skill is required]"
    );
    assert!(!error.is_retryable());
}

#[tokio::test]
async fn rate_limited_error_carries_the_server_hint() {
    let template = ResponseTemplate::new(429)
        .set_body_json(json!({ "message": "Too many requests" }))
        .insert_header("RateLimit-Reset", "17")
        .insert_header("X-Request-Id", "req-429");
    let (_server, client) = answering(template).await;
    let error = client.create_session(&seed_request()).await.unwrap_err();
    assert_eq!(
        error.retry_after(),
        Some(std::time::Duration::from_secs(17))
    );
    assert!(error.is_retryable());
    assert_eq!(
        error.to_string(),
        "rate limited: POST /sourcing-session (HTTP 429, request id req-429): Too many requests; retry after 17s"
    );
}

#[tokio::test]
async fn undecodable_success_bodies_are_decode_errors() {
    let template = ResponseTemplate::new(201)
        .set_body_raw("<html>not json</html>", "text/html")
        .insert_header("X-Request-Id", "req-dec");
    let (_server, client) = answering(template).await;
    let error = client.create_session(&seed_request()).await.unwrap_err();
    let Error::Decode(decode) = &error else {
        panic!("expected a decode error, got {error:?}");
    };
    assert_eq!(decode.status().as_u16(), 201);
    assert_eq!(decode.request_id(), Some("req-dec"));
    assert_eq!(decode.body_excerpt(), "<html>not json</html>");
    // The error says what was called and what came back; its source, serde_json's error, what
    // was wrong with the body.
    assert_eq!(
        error.to_string(),
        "unexpected response body from POST /sourcing-session (HTTP 201, request id req-dec)"
    );
    let source = error.source().expect("serde_json's error is the source");
    let json = source
        .downcast_ref::<serde_json::Error>()
        .expect("a serde_json::Error");
    assert!(json.is_syntax());
    assert!(
        source.to_string().starts_with("expected value at line 1"),
        "{source}"
    );
    assert!(decode.reason().starts_with("expected value"), "{decode}");

    let (_server, client) =
        answering(ResponseTemplate::new(201).set_body_json(json!({"statusCode": 201}))).await;
    let error = client.create_session(&seed_request()).await.unwrap_err();
    assert!(chain(&error).contains("missing field `data`"), "{error}");

    // A field of the wrong type: named by the error, explained by its source.
    let (_server, client) = answering(
        ResponseTemplate::new(201).set_body_json(json!({"data": {"session": {"_id": 42}}})),
    )
    .await;
    let error = client.create_session(&seed_request()).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "unexpected response body from POST /sourcing-session (HTTP 201): data.session._id"
    );
    let source = error.source().expect("a source");
    assert!(source.is::<serde_json::Error>());
    assert!(
        source
            .to_string()
            .starts_with("invalid type: integer `42`, expected a string at line 1 column "),
        "{source}"
    );
}

/// The error and its causes, as `anyhow` prints them with `{:#}`.
fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(next) = cause {
        text.push_str(": ");
        text.push_str(&next.to_string());
        cause = next.source();
    }
    text
}

#[tokio::test]
async fn refused_connections_are_transport_errors() {
    let port = RefusingPort::new();
    let client = Client::builder()
        .api_key(KEY)
        .base_url(port.url())
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let error = client.create_session(&seed_request()).await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert!(error.is_connect());
    assert_eq!(error.status(), None);
    // The error names the call; its source is reqwest's error, which says what failed.
    assert_eq!(
        error.to_string(),
        "could not connect for POST /sourcing-session"
    );
    let source = error.source().expect("reqwest's error is the source");
    let reqwest = source
        .downcast_ref::<fj_sourcing::reqwest::Error>()
        .expect("a reqwest::Error");
    assert!(reqwest.is_connect());
    // Each cause is said once along the chain.
    let causes: Vec<String> = std::iter::successors(Some(source), |e| (*e).source())
        .map(ToString::to_string)
        .collect();
    assert!(causes.len() >= 2, "{causes:?}");
    for (i, cause) in causes.iter().enumerate() {
        assert!(!error.to_string().contains(cause.as_str()), "{cause}");
        assert!(!causes[i + 1..].contains(cause), "{causes:?}");
    }
}

#[tokio::test]
async fn blank_ids_are_refused_before_sending() {
    let server = MockServer::start().await;
    let error = client(&server).session("  ").await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid argument `session_id`: must not be blank"
    );
    let error = client(&server).session("..").await.unwrap_err();
    assert!(matches!(
        error,
        Error::InvalidArgument {
            name: "session_id",
            ..
        }
    ));
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let huge = vec![b' '; 17 << 20];
    let (_server, client) =
        answering(ResponseTemplate::new(201).set_body_raw(huge, "application/json")).await;
    let error = client.create_session(&seed_request()).await.unwrap_err();
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
    assert!(
        error
            .to_string()
            .ends_with("the response body is larger than 16 MiB"),
        "{error}"
    );
}
