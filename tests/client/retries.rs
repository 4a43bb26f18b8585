//! Retry behaviour: hints honoured, credit-charging calls never repeated after ambiguous failures.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use fj_sourcing::{Client, Error, RetryPolicy};
use serde_json::json;
use socket2::{Domain, Protocol, Socket, Type};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::*;

const CREATE: &str = "/api/v1/wl/sourcing-session";
const DETAILS: &str = "/api/v1/wl/sourcing-session/s1";

fn created() -> ResponseTemplate {
    ResponseTemplate::new(201).set_body_raw(fixture("create_session_201.json"), "application/json")
}

fn details() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(fixture("session_details_200.json"), "application/json")
}

/// Mounts `first` for the first `times` requests to `route`, then `then`.
async fn scripted(
    route: &str,
    verb: &str,
    first: ResponseTemplate,
    times: u64,
    then: ResponseTemplate,
) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(first)
        .up_to_n_times(times)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(then)
        .with_priority(2)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn create_succeeds_after_a_429_with_retry_after() {
    let limited = ResponseTemplate::new(429)
        .set_body_json(json!({"message": "slow down"}))
        .insert_header("Retry-After", "1");
    let server = scripted(CREATE, "POST", limited, 1, created()).await;
    let response = client(&server)
        .create_session(&seed_request())
        .await
        .unwrap();
    assert_eq!(response.meta.status().as_u16(), 201);
    assert_eq!(response.meta.attempts(), 2);
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn get_succeeds_after_a_429_with_ratelimit_reset() {
    let limited = ResponseTemplate::new(429).insert_header("RateLimit-Reset", "1");
    let server = scripted(DETAILS, "GET", limited, 1, details()).await;
    let response = client(&server).session("s1").await.unwrap();
    assert!(response.is_done());
    assert_eq!(response.meta.attempts(), 2);
}

#[tokio::test]
async fn a_hint_longer_than_max_wait_is_returned_instead_of_slept() {
    let limited = ResponseTemplate::new(429).insert_header("Retry-After", "120");
    let server = scripted(CREATE, "POST", limited, 1, created()).await;
    let error = client(&server)
        .create_session(&seed_request())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::RateLimited(_)));
    assert_eq!(error.retry_after(), Some(Duration::from_secs(120)));
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn create_timeout_is_not_retried() {
    // Far later than the timeout, so no stall of this loaded machine can bring it in time; the
    // timeout itself is long enough for a loaded machine to deliver the request (counted below).
    let slow = created().set_delay(Duration::from_secs(30));
    let server = scripted(CREATE, "POST", slow, 1, created()).await;
    let client = builder(&server)
        .timeout(Duration::from_secs(1))
        .build()
        .unwrap();
    let error = client.create_session(&seed_request()).await.unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(
        error.to_string(),
        "POST /sourcing-session timed out after 1s (the server may still have processed it)"
    );
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn create_server_errors_are_not_retried() {
    for status in [500, 502, 503, 504] {
        let server = scripted(CREATE, "POST", ResponseTemplate::new(status), 1, created()).await;
        let error = client(&server)
            .create_session(&seed_request())
            .await
            .unwrap_err();
        assert!(matches!(error, Error::Server(_)), "{status}: {error:?}");
        assert_eq!(requests(&server).await.len(), 1, "status {status}");
    }
}

#[tokio::test]
async fn create_retries_after_503_only_when_opted_in() {
    let server = scripted(CREATE, "POST", ResponseTemplate::new(503), 1, created()).await;
    let client = builder(&server)
        .retry(fast_retries().retry_credit_calls_after_ambiguous_failures(true))
        .build()
        .unwrap();
    let response = client.create_session(&seed_request()).await.unwrap();
    assert_eq!(response.meta.attempts(), 2);
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn idempotent_get_is_retried_on_gateway_errors() {
    let server = MockServer::start().await;
    for status in [502, 503] {
        Mock::given(method("GET"))
            .and(path(DETAILS))
            .respond_with(ResponseTemplate::new(status))
            .up_to_n_times(1)
            .with_priority(if status == 502 { 1 } else { 2 })
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path(DETAILS))
        .respond_with(details())
        .with_priority(3)
        .mount(&server)
        .await;
    let response = client(&server).session("s1").await.unwrap();
    assert_eq!(response.meta.attempts(), 3);
    let statuses: Vec<_> = requests(&server)
        .await
        .iter()
        .map(|r| r.method.to_string())
        .collect();
    assert_eq!(statuses, ["GET", "GET", "GET"]);
}

// The retry has to answer within the same 100 ms timeout: on the paused clock with the sandbox
// in this runtime that is exact (virtual time stands still while requests are answered), where a
// mock server on another thread would race a loaded machine.
#[tokio::test(start_paused = true)]
async fn idempotent_get_is_retried_after_a_timeout() {
    let sandbox = fj_sandbox::Sandbox::builder()
        .api_key(KEY)
        .polls_before_done(0)
        .start()
        .await
        .unwrap();
    let client = Client::builder()
        .api_key(KEY)
        .base_url(sandbox.base_url())
        .retry(fast_retries())
        .timeout(Duration::from_secs(1))
        .build()
        .unwrap();
    let id = client
        .create_session(&seed_request())
        .await
        .unwrap()
        .id()
        .unwrap()
        .to_owned();
    let seen = sandbox.requests_seen();
    sandbox.inject(fj_sandbox::Fault::Latency(Duration::from_secs(5)), 1);
    let response = client.session(&id).await.unwrap();
    assert_eq!(response.meta.attempts(), 2);
    assert_eq!(sandbox.requests_seen() - seen, 2);
}

#[tokio::test]
async fn retries_stop_at_max_attempts() {
    let server = scripted(DETAILS, "GET", ResponseTemplate::new(503), 10, details()).await;
    let client = builder(&server)
        .retry(fast_retries().with_max_attempts(3))
        .build()
        .unwrap();
    let error = client.session("s1").await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn get_500_is_not_retried() {
    let server = scripted(DETAILS, "GET", ResponseTemplate::new(500), 1, details()).await;
    let error = client(&server).session("s1").await.unwrap_err();
    assert!(matches!(error, Error::Server(_)));
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn create_is_retried_when_the_connection_was_refused() {
    // A port held bound but not listening refuses every connection (a listener that never
    // accepts would complete the handshake instead). The refusal proves the request was not
    // processed, so even a credit call may retry. The attempts are counted where the client
    // looks the host up, once per connection it opens: the first lookup hands out the refusing
    // port, the second makes it listen first. Counted, not timed, and nothing here waits on a
    // log line (a thread-local `tracing` subscriber can miss events while other tests run).
    let socket = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP)).unwrap();
    socket
        .bind(&SocketAddr::from(([127, 0, 0, 1], 0)).into())
        .unwrap();
    let addr = socket.local_addr().unwrap().as_socket().unwrap();
    let (listening, listener) = tokio::sync::oneshot::channel();
    let resolver = Arc::new(ListenOnSecondLookup {
        addr,
        lookups: AtomicU32::new(0),
        pending: Mutex::new(Some((socket, listening))),
    });
    // With only the `rustls` feature, reqwest needs the process-wide provider that
    // `Client::builder().build()` would have installed.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = fj_sourcing::reqwest::Client::builder()
        .dns_resolver(resolver.clone())
        .build()
        .unwrap();
    let client = Client::builder()
        .api_key(KEY)
        .base_url(format!("http://localhost:{}/api/v1/wl", addr.port()))
        .http_client(http)
        .retry(
            RetryPolicy::default()
                .with_max_attempts(3)
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_wait(Duration::from_millis(5)),
        )
        .build()
        .unwrap();
    let late_server = async {
        let listener = listener
            .await
            .expect("the client looked the host up only once: it did not retry");
        serve_once(listener, &fixture("create_session_201.json")).await
    };
    let request = seed_request();
    let create = async {
        let result = client.create_session(&request).await;
        // Without a second lookup the server would wait for ever: dropping the sender ends it.
        resolver.pending.lock().unwrap().take();
        result
    };
    let (request_line, result) = tokio::join!(late_server, create);
    let response = result.unwrap();
    assert_eq!(response.meta.attempts(), 2);
    assert_eq!(resolver.lookups.load(Ordering::SeqCst), 2);
    assert_eq!(request_line, "POST /api/v1/wl/sourcing-session HTTP/1.1");
}

/// A resolver for `localhost` that answers `addr`, and before its second answer makes the
/// socket bound there listen and hands it to the test's server.
struct ListenOnSecondLookup {
    addr: SocketAddr,
    lookups: AtomicU32,
    pending: Mutex<
        Option<(
            Socket,
            tokio::sync::oneshot::Sender<tokio::net::TcpListener>,
        )>,
    >,
}

impl fj_sourcing::reqwest::dns::Resolve for ListenOnSecondLookup {
    fn resolve(
        &self,
        _name: fj_sourcing::reqwest::dns::Name,
    ) -> fj_sourcing::reqwest::dns::Resolving {
        if self.lookups.fetch_add(1, Ordering::SeqCst) == 1
            && let Some((socket, listening)) = self.pending.lock().unwrap().take()
        {
            socket.listen(16).unwrap();
            socket.set_nonblocking(true).unwrap();
            let listener = tokio::net::TcpListener::from_std(socket.into()).unwrap();
            let _ = listening.send(listener);
        }
        let addr = self.addr;
        Box::pin(
            async move { Ok(Box::new(std::iter::once(addr)) as fj_sourcing::reqwest::dns::Addrs) },
        )
    }
}

/// Accepts one connection on `listener`, answers `201` with `body`, and returns the request
/// line.
async fn serve_once(listener: tokio::net::TcpListener, body: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let (mut socket, _) = listener.accept().await.unwrap();
    let mut received = Vec::new();
    let mut chunk = [0u8; 4096];
    // Read the head, then as many body bytes as Content-Length says.
    loop {
        let n = socket.read(&mut chunk).await.unwrap();
        assert!(n > 0, "connection closed before the request was complete");
        received.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&received);
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse::<usize>().unwrap())
                })
                .unwrap_or(0);
            if received.len() >= end + 4 + length {
                break;
            }
        }
    }
    let reply = format!(
        "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    socket.write_all(reply.as_bytes()).await.unwrap();
    socket.shutdown().await.unwrap();
    let text = String::from_utf8_lossy(&received);
    text.lines().next().unwrap().to_owned()
}

/// The three other credit-charging calls, each sent once to `server`.
async fn credit_calls(client: &Client) -> Vec<(&'static str, Result<(), Error>)> {
    let request = seed_request();
    vec![
        (
            "update",
            client.update_session("s1", &request.into()).await.map(drop),
        ),
        ("fetch more", client.fetch_more("s1").await.map(drop)),
        (
            "reveal",
            client
                .reveal_contact(
                    "s1",
                    "https://www.linkedin.com/in/x",
                    fj_sourcing::RevealType::Email,
                )
                .await
                .map(drop),
        ),
    ]
}

#[tokio::test]
async fn update_fetch_more_and_reveal_are_not_retried_after_5xx() {
    for status in [500, 502, 503, 504] {
        let server = MockServer::start().await;
        Mock::given(wiremock::matchers::any())
            .respond_with(ResponseTemplate::new(status))
            .mount(&server)
            .await;
        for (name, result) in credit_calls(&client(&server)).await {
            let error = result.unwrap_err();
            assert!(
                matches!(error, Error::Server(_)),
                "{name} {status}: {error:?}"
            );
        }
        // One request per call: none was repeated.
        assert_eq!(requests(&server).await.len(), 3, "status {status}");
    }
}

#[tokio::test]
async fn update_fetch_more_and_reveal_are_not_retried_after_a_timeout() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(30)))
        .mount(&server)
        .await;
    let client = builder(&server)
        .timeout(Duration::from_secs(1))
        .build()
        .unwrap();
    for (name, result) in credit_calls(&client).await {
        assert!(result.unwrap_err().is_timeout(), "{name}");
    }
    let methods: Vec<String> = requests(&server)
        .await
        .iter()
        .map(|r| r.method.to_string())
        .collect();
    assert_eq!(methods, ["PATCH", "POST", "POST"]);
}

#[tokio::test]
async fn update_fetch_more_and_reveal_are_retried_after_429() {
    let server = MockServer::start().await;
    let routes = [
        (
            "PATCH",
            "/api/v1/wl/sourcing-session/update-session/s1",
            "update_session_200.json",
        ),
        (
            "POST",
            "/api/v1/wl/sourcing-session/s1/fetch-more",
            "fetch_more_200.json",
        ),
        (
            "POST",
            "/api/v1/wl/sourcing-session/contact/reveal",
            "reveal_contact_email_200.json",
        ),
    ];
    for (verb, route, body) in routes {
        Mock::given(method(verb))
            .and(path(route))
            .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
            .up_to_n_times(1)
            .with_priority(1)
            .mount(&server)
            .await;
        Mock::given(method(verb))
            .and(path(route))
            .respond_with(
                ResponseTemplate::new(200).set_body_raw(fixture(body), "application/json"),
            )
            .with_priority(2)
            .mount(&server)
            .await;
    }
    for (name, result) in credit_calls(&client(&server)).await {
        result.unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    assert_eq!(requests(&server).await.len(), 6);
}

#[tokio::test]
async fn reads_and_jd_analysis_are_retried_after_503() {
    let server = MockServer::start().await;
    for (route, body) in [
        (
            "/api/v1/wl/sourcing-session/s1/profiles",
            "profiles_200.json",
        ),
        (
            "/api/v1/wl/sourcing-session/candidate/c1/details",
            "candidate_details_200.json",
        ),
        ("/api/v1/wl/projects/sessions", "project_sessions_200.json"),
        (
            "/api/v1/wl/sourcing-session/filters/autocomplete",
            "autocomplete_200.json",
        ),
        (
            "/api/v1/wl/sourcing-session/get-annotation",
            "jd_to_filters_200.json",
        ),
    ] {
        Mock::given(path(route))
            .respond_with(ResponseTemplate::new(503))
            .up_to_n_times(1)
            .with_priority(1)
            .mount(&server)
            .await;
        Mock::given(path(route))
            .respond_with(
                ResponseTemplate::new(200).set_body_raw(fixture(body), "application/json"),
            )
            .with_priority(2)
            .mount(&server)
            .await;
    }
    let client = client(&server);
    assert_eq!(
        client.profiles("s1", 1, 20).await.unwrap().meta.attempts(),
        2
    );
    assert_eq!(
        client.candidate("c1", "s1").await.unwrap().meta.attempts(),
        2
    );
    assert_eq!(client.project_sessions().await.unwrap().meta.attempts(), 2);
    assert_eq!(
        client
            .autocomplete("region", "Pune", None)
            .await
            .unwrap()
            .meta
            .attempts(),
        2
    );
    assert_eq!(
        client
            .jd_to_filters("text", None)
            .await
            .unwrap()
            .meta
            .attempts(),
        2
    );
    assert_eq!(requests(&server).await.len(), 10);
}
