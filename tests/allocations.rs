//! Allocations per `create_session` call, counted with a counting global allocator: they must
//! not grow with the number of calls a client has made (nothing accumulates per request) nor
//! with the size of the request body (a body is serialized once, not copied per chunk). Exact
//! counts are not pinned: they change with every dependency update and say nothing a user
//! would notice. Counts, not timings, so these checks do not depend on the machine's load.

use std::net::SocketAddr;

use axum::Router;
use axum::body::Bytes;
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::routing::post;
use fj_sourcing::{Client, Session, SessionRequest};

#[path = "../benches/support/counting_alloc.rs"]
mod counting_alloc;
#[path = "../benches/support/seed.rs"]
mod seed;

use counting_alloc::{Counting, Counts, count};

#[global_allocator]
static GLOBAL: Counting = Counting::system();

/// Starts a server on its own thread (so its allocations are not counted) that reads each
/// request body in full and answers the documented Create example.
fn start_server() -> SocketAddr {
    let answer = Bytes::from_static(include_bytes!("fixtures/create_session_201.json"));
    let app = Router::new().route(
        "/api/v1/wl/sourcing-session",
        post(move |body: Bytes| async move {
            drop(body);
            (
                StatusCode::CREATED,
                [(CONTENT_TYPE, "application/json")],
                answer,
            )
        }),
    );
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("server runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind 127.0.0.1");
            tx.send(listener.local_addr().expect("address"))
                .expect("send the address");
            axum::serve(listener, app).await.expect("serve");
        });
    });
    rx.recv().expect("the server's address")
}

/// A client of that server, and the runtime (on this thread) its calls run on.
fn client() -> (tokio::runtime::Runtime, Client) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("client runtime");
    let client = Client::builder()
        .api_key("fjk_allocations_0123456789")
        .base_url(format!("http://{}/api/v1/wl", start_server()))
        .build()
        .expect("a client");
    (runtime, client)
}

/// The allocator calls of `calls` creates, on this thread.
fn creates(
    runtime: &tokio::runtime::Runtime,
    client: &Client,
    request: &SessionRequest,
    calls: u32,
) -> Counts {
    let ((), counts) = count(|| {
        runtime.block_on(async {
            for _ in 0..calls {
                let created = client.create_session(request).await.expect("created");
                assert_eq!(created.id(), Some("6a0c77936e7a0151430c91fd"));
            }
        })
    });
    counts
}

/// At most `per_call` more allocator calls (new blocks and reallocations) per create in
/// `later` than in `earlier`, each over `calls` creates.
fn assert_not_growing(earlier: Counts, later: Counts, calls: u32, per_call: u64, what: &str) {
    println!("{what}: {earlier:?} then {later:?} over {calls} creates each");
    assert!(
        later.calls() <= earlier.calls() + per_call * u64::from(calls),
        "{what}: {earlier:?} then {later:?}"
    );
}

#[test]
fn allocations_per_create_do_not_grow_with_the_number_of_calls() {
    let (runtime, client) = client();
    let request = seed::curl_request();
    // The connection and the pool's first blocks.
    creates(&runtime, &client, &request, 5);
    let early = creates(&runtime, &client, &request, 20);
    creates(&runtime, &client, &request, 300);
    let late = creates(&runtime, &client, &request, 20);
    assert_not_growing(early, late, 20, 0, "calls 6-25, then calls 326-345");
}

#[test]
fn allocations_per_create_do_not_grow_with_the_body_size() {
    let (runtime, client) = client();
    let with_text = |text: String| {
        Session::builder()
            .jd_text(text)
            .experience(1..=5)
            .mandatory_skills(seed::MANDATORY)
            .build()
            .expect("valid")
    };
    let small = with_text("C# developer".to_owned());
    let large = with_text("C# developer, Pune. ".repeat(25_000));
    assert!(large.to_json_vec().len() > 500_000);
    creates(&runtime, &client, &small, 5);
    let small_counts = creates(&runtime, &client, &small, 10);
    let large_counts = creates(&runtime, &client, &large, 10);
    // The serialized body's buffer may grow a few times (doubling) for a half-megabyte body:
    // at most a handful more calls per create, not one per kilobyte.
    assert_not_growing(
        small_counts,
        large_counts,
        10,
        8,
        "a 0.1 KB body, then a 500 KB one",
    );
}

#[test]
fn counting_sees_allocations() {
    // Guards the harness itself: a counter that always reads zero would pass the bounds above.
    let (v, counts) = count(|| vec![1u8; 100]);
    assert_eq!((v.len(), counts.allocs, counts.bytes), (100, 1, 100));
}

#[test]
fn the_benchmarked_forms_describe_the_same_request() {
    // benches/dsl.rs compares the typed builder with this hand-written twin: both give the same
    // bytes, and `json!` builds the same JSON value.
    seed::assert_equivalent();
}
