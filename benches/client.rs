//! Guard: `create_session` takes at most 1.10x the wall time of raw `reqwest` +
//! `serde_json::Value` per request.
//!
//! Both paths post the same request bytes with the same headers to the same loopback server, over
//! the same keep-alive connection (the typed client is handed the very `reqwest::Client` the raw
//! path uses, so both draw from one pool):
//!
//! * `typed_client`: `client.create_session(&request)`: serialize the [`SessionRequest`], send,
//!   read the body, decode it into `CreatedSession`, build the `ResponseMeta` from the headers.
//! * `raw_reqwest_value`: what a user would write instead: post pre-serialized bytes, check the
//!   status, decode the body into `serde_json::Value`.
//!
//! The server runs on its own thread and runtime and answers every request with the same
//! precomputed 201 (the documented Create example and the usual headers), so its cost is the same
//! for both and the difference measured is the client's.
//!
//! The two paths alternate in short blocks (ABBA order against drift): on a shared machine the
//! load changes from one second to the next, and blocks let both paths see it alike. The ratio
//! is the median of the per-round ratios of wall time; the client thread's CPU time is printed
//! beside it.
//!
//! * `cargo bench --bench client`: the full run, with the ratio, load average and PASS/FAIL.
//! * Without `--bench` (`cargo test --benches`): two rounds that check the setup.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU16, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::post;
use fj_sourcing::{Client, SessionRequest};
use reqwest::Url;
use reqwest::header::{ACCEPT, HeaderName, USER_AGENT};
use serde_json::Value;
use std::hint::black_box;
#[path = "support/harness.rs"]
mod harness;
#[path = "support/load.rs"]
mod load;

const GROUP: &str = "client_overhead";
/// The guard: typed over raw wall time per request, at most this.
const GUARD: f64 = 1.10;

const KEY: &str = "fjk_bench_0123456789";
/// The crate's default per-request timeout; the raw path sets the same one.
const TIMEOUT: Duration = Duration::from_secs(30);

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// What the server answers every time, built once.
struct Canned {
    body: Bytes,
    headers: HeaderMap,
    /// The client port of the last request, to check that both paths share one connection.
    last_peer_port: AtomicU16,
}

async fn create(
    State(canned): State<Arc<Canned>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    body: Bytes,
) -> Response {
    // The body is read in full (as any server would) and otherwise ignored.
    drop(black_box(body));
    canned.last_peer_port.store(peer.port(), Ordering::Relaxed);
    let mut response = Response::new(Body::from(canned.body.clone()));
    *response.status_mut() = StatusCode::CREATED;
    *response.headers_mut() = canned.headers.clone();
    response
}

/// Starts the canned server on 127.0.0.1 on its own thread and runtime.
fn start_server() -> (SocketAddr, Arc<Canned>) {
    let mut headers = HeaderMap::new();
    let pairs = [
        ("content-type", "application/json; charset=utf-8"),
        ("x-powered-by", "Express"),
        ("x-request-id", "4f1c2a9e-5b7d-4e21-9c3a-0d8e6f1b2a47"),
        ("access-control-allow-credentials", "true"),
        ("ratelimit-policy", "100;w=60"),
        ("ratelimit-limit", "100"),
        ("ratelimit-remaining", "99"),
        ("ratelimit-reset", "60"),
        ("etag", "W/\"8f8-2nB0c5bU9cM2Wc0qGkYQp3Yx1sE\""),
    ];
    for (name, value) in pairs {
        headers.insert(name, HeaderValue::from_static(value));
    }
    let canned = Arc::new(Canned {
        body: Bytes::from(fixture("create_session_201.json")),
        headers,
        last_peer_port: AtomicU16::new(0),
    });
    let app = Router::new()
        .route("/api/v1/wl/sourcing-session", post(create))
        .with_state(Arc::clone(&canned));
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("bench-server".into())
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("server runtime");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("bind 127.0.0.1");
                tx.send(listener.local_addr().expect("local address"))
                    .expect("report the address");
                let service = app.into_make_service_with_connect_info::<SocketAddr>();
                axum::serve(listener, service).await.expect("serve");
            });
        })
        .expect("spawn the server thread");
    let addr = rx.recv().expect("the server address");
    (addr, canned)
}

/// The raw path: everything a careful user of plain `reqwest` would prepare once.
struct Raw {
    http: reqwest::Client,
    url: Url,
    body: Bytes,
    key: HeaderValue,
    user_agent: HeaderValue,
}

const API_KEY: HeaderName = HeaderName::from_static("x-fj-api-key");

impl Raw {
    /// Posts the pre-serialized request with the typed client's headers and timeout, and decodes
    /// the answer into a `Value`.
    async fn create(&self) -> Value {
        let response = self
            .http
            .post(self.url.clone())
            .timeout(TIMEOUT)
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .header(USER_AGENT, self.user_agent.clone())
            .header(API_KEY, self.key.clone())
            .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
            .body(self.body.clone())
            .send()
            .await
            .expect("raw send")
            .error_for_status()
            .expect("raw status");
        response.json::<Value>().await.expect("raw decode")
    }
}

/// Both paths, ready to run against one canned server over one connection.
struct Setup {
    canned: Arc<Canned>,
    runtime: tokio::runtime::Runtime,
    client: Client,
    request: SessionRequest,
    raw: Raw,
}

fn setup() -> Setup {
    let (addr, canned) = start_server();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("client runtime");

    // Configured like the crate's default client, and shared by both paths. With only the
    // `rustls` feature, reqwest needs a process-wide crypto provider.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("reqwest client");
    let base = format!("http://{addr}/api/v1/wl");
    let client = Client::builder()
        .api_key(KEY)
        .base_url(&base)
        .http_client(http.clone())
        .build()
        .expect("typed client");
    let request_json = String::from_utf8(fixture("create_request.json")).expect("UTF-8 fixture");
    let request = SessionRequest::from_json(&request_json).expect("the documented request");
    let raw = Raw {
        http,
        url: Url::parse(&format!("{base}/sourcing-session")).expect("URL"),
        body: Bytes::from(request.to_json_vec()),
        key: HeaderValue::from_static(KEY),
        user_agent: HeaderValue::from_static(concat!("fj-sourcing/", env!("CARGO_PKG_VERSION"))),
    };

    // Both paths must get the documented answer, over the same connection.
    runtime.block_on(async {
        let created = client.create_session(&request).await.expect("typed create");
        assert_eq!(created.id(), Some("6a0c77936e7a0151430c91fd"));
        assert_eq!(created.meta.rate_limit().remaining(), Some(99));
        let typed_port = canned.last_peer_port.load(Ordering::Relaxed);
        let value = raw.create().await;
        assert_eq!(value["data"]["session"]["_id"], "6a0c77936e7a0151430c91fd");
        let raw_port = canned.last_peer_port.load(Ordering::Relaxed);
        assert_eq!(typed_port, raw_port, "both paths must reuse one connection");
    });
    Setup {
        canned,
        runtime,
        client,
        request,
        raw,
    }
}

/// Time this thread has run on a CPU, and time it waited for one while runnable (Linux
/// `/proc/thread-self/schedstat`, nanoseconds); `None` elsewhere.
fn thread_cpu() -> Option<(u64, u64)> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let mut fields = stat.split_whitespace().map(str::parse::<u64>);
    Some((fields.next()?.ok()?, fields.next()?.ok()?))
}

/// Per-request cost of one block: wall time, client-thread CPU time, time spent waiting for a CPU.
#[derive(Clone, Copy)]
struct Block {
    wall: f64,
    cpu: Option<f64>,
    waited: Option<f64>,
}

async fn block<F: Future>(requests: u32, mut one: impl FnMut() -> F) -> Block {
    let cpu_before = thread_cpu();
    let started = Instant::now();
    for _ in 0..requests {
        black_box(one().await);
    }
    let wall = started.elapsed().as_secs_f64() * 1e6 / f64::from(requests);
    let per_request = |ns: u64| ns as f64 / 1e3 / f64::from(requests);
    let delta = cpu_before.zip(thread_cpu());
    Block {
        wall,
        cpu: delta.map(|((run0, _), (run1, _))| per_request(run1.saturating_sub(run0))),
        waited: delta.map(|((_, wait0), (_, wait1))| per_request(wait1.saturating_sub(wait0))),
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Alternates short blocks of raw and typed requests (ABBA order against drift) and prints, per
/// request, the median wall time and client-thread CPU time of each path and the median of the
/// per-round ratios, then the guard's verdict.
async fn paired_ratio(
    raw: &Raw,
    client: &Client,
    request: &SessionRequest,
    rounds: usize,
    report: bool,
) {
    const BLOCK: u32 = 50;
    let mut raws = Vec::with_capacity(rounds);
    let mut typeds = Vec::with_capacity(rounds);
    for round in 0..rounds {
        let typed = || async {
            client
                .create_session(black_box(request))
                .await
                .expect("typed create")
        };
        let (r, t) = if round % 2 == 0 {
            let r = block(BLOCK, || raw.create()).await;
            (r, block(BLOCK, typed).await)
        } else {
            let t = block(BLOCK, typed).await;
            (block(BLOCK, || raw.create()).await, t)
        };
        raws.push(r);
        typeds.push(t);
    }
    let pick = |blocks: &[Block], f: fn(&Block) -> Option<f64>| -> Option<Vec<f64>> {
        blocks.iter().map(f).collect()
    };
    let ratio = |f: fn(&Block) -> Option<f64>| -> Option<f64> {
        let r = pick(&raws, f)?;
        let t = pick(&typeds, f)?;
        Some(median(t.iter().zip(&r).map(|(t, r)| t / r).collect()))
    };
    let show = |f: fn(&Block) -> Option<f64>, with_ratio: bool| -> String {
        match (pick(&raws, f), pick(&typeds, f), ratio(f)) {
            (Some(r), Some(t), Some(q)) => {
                let ratio = if with_ratio {
                    format!(", typed/raw {q:.3}x")
                } else {
                    String::new()
                };
                format!("raw {:.2} µs, typed {:.2} µs{ratio}", median(r), median(t))
            }
            _ => "not available".to_owned(),
        }
    };
    if !report {
        return;
    }
    println!("{GROUP}: {rounds} rounds of {BLOCK} raw + {BLOCK} typed requests");
    println!("  round trip (wall)   {}", show(|b| Some(b.wall), true));
    println!("  client CPU          {}", show(|b| b.cpu, true));
    // How long the client thread was runnable but had no CPU: the contention the run saw.
    println!("  waited for a CPU    {}", show(|b| b.waited, false));
    let wall = ratio(|b| Some(b.wall)).unwrap_or(f64::NAN);
    println!(
        "{GROUP}: typed/raw wall {wall:.3}x, guard <= {GUARD:.2}x: {}; loadavg {}",
        load::verdict(wall <= GUARD),
        load::loadavg()
    );
}

fn main() {
    let Some(line) = harness::CommandLine::parse(GROUP) else {
        return;
    };
    if !line.selects(GROUP) {
        return;
    }
    let Setup {
        canned,
        runtime,
        client,
        request,
        raw,
    } = setup();
    let rounds = if line.full { 100 } else { 2 };
    runtime.block_on(paired_ratio(&raw, &client, &request, rounds, line.full));
    // Still one connection after both measurements.
    let before = canned.last_peer_port.load(Ordering::Relaxed);
    runtime.block_on(raw.create());
    assert_eq!(before, canned.last_peer_port.load(Ordering::Relaxed));
}
