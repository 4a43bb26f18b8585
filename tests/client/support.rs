//! Shared helpers: the test key, fixtures, clients pointed at a mock server.

use std::time::Duration;

use fj_sourcing::{Client, ClientBuilder, RetryPolicy, SessionRequest};

use crate::seed;
use serde_json::Value;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A distinctive key, so tests can check it never leaks.
pub const KEY: &str = "fjk_test_9d4c1e7b2a5f";

pub fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

pub fn fixture_json(name: &str) -> Value {
    serde_json::from_str(&fixture(name)).unwrap()
}

pub fn base_url(server: &MockServer) -> String {
    format!("{}/api/v1/wl", server.uri())
}

/// Fast retries so tests stay quick; server hints are still honoured up to 2 s.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_initial_backoff(Duration::from_millis(10))
        .with_max_wait(Duration::from_secs(2))
}

pub fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .api_key(KEY)
        .base_url(base_url(server))
        .retry(fast_retries())
}

pub fn client(server: &MockServer) -> Client {
    builder(server).build().unwrap()
}

/// A server whose Create Sourcing Session endpoint answers every request with `template`.
pub async fn server_answering(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/wl/sourcing-session"))
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

/// The seed example of reference section 3.1, built with the typed builder.
pub fn seed_request() -> SessionRequest {
    seed::curl_request()
}

/// Every request the server saw.
pub async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

/// The one request the server saw (fails if there were more or fewer).
pub async fn only_request(server: &MockServer) -> Request {
    let mut all = requests(server).await;
    assert_eq!(all.len(), 1, "expected exactly one request");
    all.remove(0)
}

pub fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).map(|v| v.to_str().unwrap())
}

/// A port on 127.0.0.1 held bound but not listening, for as long as this value lives: every
/// connection to it is refused. (A freed port could be taken by a server of another test
/// running at the same time.)
pub struct RefusingPort(socket2::Socket);

impl RefusingPort {
    pub fn new() -> RefusingPort {
        use socket2::{Domain, Protocol, Socket, Type};
        let socket = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP)).unwrap();
        let any_port = std::net::SocketAddr::from(([127, 0, 0, 1], 0));
        socket.bind(&any_port.into()).unwrap();
        RefusingPort(socket)
    }

    /// A base URL on the port.
    pub fn url(&self) -> String {
        let addr = self.0.local_addr().unwrap().as_socket().unwrap();
        format!("http://{addr}/api/v1/wl")
    }
}

/// Makes every `tracing` event of the process reach whichever subscriber is current, for the
/// tests that capture events with a thread-local (`set_default`) subscriber.
///
/// Without a global subscriber, `tracing` may cache "no one is interested" for a call site
/// while another test thread has no subscriber, and a capturing test then misses the event
/// (seen once in twenty runs). A global subscriber interested in everything (writing nowhere)
/// keeps every call site enabled; events still go to the thread's own subscriber where one is
/// set.
pub fn keep_every_trace_enabled() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let everything = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(std::io::sink)
            .finish();
        let _ = tracing::subscriber::set_global_default(everything);
    });
}
