//! `profiles_stream`: every candidate once, over several pages, stopping at the first error.

use std::time::Duration;

use fj_sourcing::Error;
use futures_util::StreamExt;
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::*;
use fj_sourcing::RetryPolicy;

const PROFILES: &str = "/api/v1/wl/sourcing-session/s1/profiles";

fn page(number: u64, ids: &[&str], next: Option<u64>) -> Value {
    let docs: Vec<Value> = ids
        .iter()
        .map(|id| json!({ "_id": id, "finalScore": 4, "profile": { "name": format!("Candidate {id}") } }))
        .collect();
    json!({
        "statusCode": 200,
        "data": {
            "docs": docs, "totalDocs": 5, "limit": 2, "page": number, "totalPages": 3,
            "hasNextPage": next.is_some(), "nextPage": next
        },
        "status": "SUCCESS"
    })
}

async fn mount_page(server: &MockServer, number: u64, template: ResponseTemplate) {
    Mock::given(method("GET"))
        .and(path(PROFILES))
        .and(query_param("page", number.to_string()))
        .respond_with(template)
        .mount(server)
        .await;
}

fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

/// The query of every request, in page order (pages in flight together arrive in any order).
fn requested_pages(requests: &[wiremock::Request]) -> Vec<String> {
    let mut pages: Vec<(u64, String)> = requests
        .iter()
        .map(|r| {
            let page = r.url.query_pairs().find(|(k, _)| k == "page").unwrap().1;
            (
                page.parse().unwrap(),
                r.url.query().unwrap_or("").to_owned(),
            )
        })
        .collect();
    pages.sort();
    pages.into_iter().map(|(_, query)| query).collect()
}

#[tokio::test]
async fn visits_every_candidate_exactly_once_over_several_pages() {
    let server = MockServer::start().await;
    mount_page(&server, 1, ok(page(1, &["a", "b"], Some(2)))).await;
    mount_page(&server, 2, ok(page(2, &["c", "d"], Some(3)))).await;
    mount_page(&server, 3, ok(page(3, &["e"], None))).await;

    let ids: Vec<String> = client(&server)
        .profiles_stream("s1", 2)
        .map(|c| c.unwrap().id.unwrap())
        .collect()
        .await;
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);
    assert_eq!(
        requested_pages(&requests(&server).await),
        ["page=1&limit=2", "page=2&limit=2", "page=3&limit=2"]
    );
}

#[tokio::test]
async fn counts_pages_read_against_the_servers_total() {
    let server = MockServer::start().await;
    mount_page(&server, 1, ok(page(1, &["a", "b"], Some(2)))).await;
    mount_page(&server, 2, ok(page(2, &["c", "d"], Some(3)))).await;
    mount_page(&server, 3, ok(page(3, &["e"], None))).await;

    let mut stream = client(&server).profiles_stream("s1", 2);
    assert_eq!((stream.pages_read(), stream.total_pages()), (0, None));
    let mut seen = Vec::new();
    while let Some(candidate) = stream.next().await {
        candidate.unwrap();
        seen.push((stream.pages_read(), stream.total_pages()));
    }
    // Candidates of page n are yielded once page n has been received.
    assert_eq!(
        seen,
        [
            (1, Some(3)),
            (1, Some(3)),
            (2, Some(3)),
            (2, Some(3)),
            (3, Some(3))
        ]
    );
}

#[tokio::test]
async fn a_candidate_repeated_on_a_later_page_is_yielded_once() {
    let server = MockServer::start().await;
    mount_page(&server, 1, ok(page(1, &["a", "b"], Some(2)))).await;
    mount_page(&server, 2, ok(page(2, &["b", "c"], None))).await;
    let ids: Vec<String> = client(&server)
        .profiles_stream("s1", 2)
        .map(|c| c.unwrap().id.unwrap())
        .collect()
        .await;
    assert_eq!(ids, ["a", "b", "c"]);
}

#[tokio::test]
async fn only_the_previous_page_is_remembered() {
    // The stream keeps the ids of one page, so that its memory stays flat however many
    // candidates a session has: a shift of more than a page is not caught.
    let server = MockServer::start().await;
    mount_page(&server, 1, ok(page(1, &["a", "b"], Some(2)))).await;
    mount_page(&server, 2, ok(page(2, &["c", "c"], Some(3)))).await;
    mount_page(&server, 3, ok(page(3, &["c", "a"], None))).await;
    let ids: Vec<String> = client(&server)
        .profiles_stream("s1", 2)
        .map(|c| c.unwrap().id.unwrap())
        .collect()
        .await;
    assert_eq!(ids, ["a", "b", "c", "a"]);
}

#[tokio::test]
async fn stops_after_the_first_error() {
    let server = MockServer::start().await;
    mount_page(&server, 1, ok(page(1, &["a", "b"], Some(2)))).await;
    mount_page(
        &server,
        2,
        ResponseTemplate::new(500)
            .set_body_json(json!({ "message": "database down" }))
            .insert_header("X-Request-Id", "req-p2"),
    )
    .await;
    mount_page(&server, 3, ok(page(3, &["e"], None))).await;

    // One page at a time, so that page 3 would only be requested after page 2's answer.
    let items: Vec<Result<String, Error>> = client(&server)
        .profiles_stream("s1", 2)
        .concurrency(1)
        .map(|c| c.map(|c| c.id.unwrap()))
        .collect()
        .await;
    assert_eq!(items.len(), 3);
    assert_eq!(items[0].as_ref().unwrap(), "a");
    assert_eq!(items[1].as_ref().unwrap(), "b");
    let error = items[2].as_ref().unwrap_err();
    assert!(matches!(error, Error::Server(_)), "{error:?}");
    assert_eq!(error.request_id(), Some("req-p2"));
    assert_eq!(
        requested_pages(&requests(&server).await),
        ["page=1&limit=2", "page=2&limit=2"],
        "page 3 must not be requested after the error"
    );
}

#[tokio::test]
async fn with_concurrency_1_fetches_at_most_one_page_ahead() {
    let server = MockServer::start().await;
    for n in 1..=4 {
        let next = (n < 4).then_some(n + 1);
        let ids = [format!("p{n}a"), format!("p{n}b")];
        mount_page(&server, n, ok(page(n, &[&ids[0], &ids[1]], next))).await;
    }
    let mut stream = client(&server).profiles_stream("s1", 2).concurrency(1);
    let first = stream.next().await.unwrap().unwrap();
    assert_eq!(first.id.as_deref(), Some("p1a"));
    // Give a runaway prefetcher every chance to run ahead.
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert!(
        requests(&server).await.len() <= 2,
        "more than one page fetched ahead"
    );
    let rest: Vec<_> = stream.map(|c| c.unwrap().id.unwrap()).collect().await;
    assert_eq!(rest, ["p1b", "p2a", "p2b", "p3a", "p3b", "p4a", "p4b"]);
    assert_eq!(requests(&server).await.len(), 4);
}

#[tokio::test]
async fn a_next_page_that_does_not_advance_is_an_error() {
    let server = MockServer::start().await;
    mount_page(&server, 1, ok(page(1, &["a"], Some(1)))).await;
    let items: Vec<_> = client(&server).profiles_stream("s1", 2).collect().await;
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].as_ref().unwrap().id.as_deref(), Some("a"));
    let error = items[1].as_ref().unwrap_err();
    assert!(
        error
            .to_string()
            .contains("nextPage 1 does not advance past page 1"),
        "{error}"
    );
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn invalid_arguments_are_the_only_item() {
    let server = MockServer::start().await;
    let items: Vec<_> = client(&server).profiles_stream("s1", 0).collect().await;
    assert_eq!(items.len(), 1);
    assert_eq!(
        items[0].as_ref().unwrap_err().to_string(),
        "invalid argument `page_size`: must be at least 1"
    );
    let items: Vec<_> = client(&server).profiles_stream(" ", 10).collect().await;
    assert!(matches!(
        items[..],
        [Err(Error::InvalidArgument {
            name: "session_id",
            ..
        })]
    ));
    assert!(requests(&server).await.is_empty());
}

/// Answers every page with the same two candidates and a next page, forever.
struct SamePageForever;

impl wiremock::Respond for SamePageForever {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let number: u64 = request
            .url
            .query_pairs()
            .find(|(k, _)| k == "page")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap();
        ok(page(number, &["a", "b"], Some(number + 1)))
    }
}

#[tokio::test]
async fn a_server_repeating_a_page_forever_ends_the_stream_after_a_bounded_number_of_requests() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(PROFILES))
        .respond_with(SamePageForever)
        .mount(&server)
        .await;
    let items: Vec<_> = client(&server).profiles_stream("s1", 2).collect().await;
    assert_eq!(items.len(), 3);
    assert_eq!(items[0].as_ref().unwrap().id.as_deref(), Some("a"));
    assert_eq!(items[1].as_ref().unwrap().id.as_deref(), Some("b"));
    let error = items[2].as_ref().unwrap_err();
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
    assert_eq!(
        error.to_string(),
        "unexpected response body from GET /sourcing-session/s1/profiles (HTTP 200): 3 pages in \
         a row, up to page 4, held only candidates already yielded, yet each announced a next \
         page; stopped instead of fetching without end"
    );
    // Page 1 brought a and b; pages 2, 3 and 4 nothing new.
    assert_eq!(
        requested_pages(&requests(&server).await),
        [
            "page=1&limit=2",
            "page=2&limit=2",
            "page=3&limit=2",
            "page=4&limit=2"
        ]
    );
}

#[tokio::test]
async fn one_page_of_repeats_between_new_ones_does_not_stop_the_stream() {
    let server = MockServer::start().await;
    mount_page(&server, 1, ok(page(1, &["a", "b"], Some(2)))).await;
    mount_page(&server, 2, ok(page(2, &["a", "b"], Some(3)))).await;
    mount_page(&server, 3, ok(page(3, &[], Some(4)))).await;
    mount_page(&server, 4, ok(page(4, &["c"], None))).await;
    let ids: Vec<String> = client(&server)
        .profiles_stream("s1", 2)
        .map(|c| c.unwrap().id.unwrap())
        .collect()
        .await;
    assert_eq!(ids, ["a", "b", "c"]);
}

#[tokio::test]
async fn with_pages_in_flight_the_first_error_still_ends_the_stream_after_the_pages_before_it() {
    let server = MockServer::start().await;
    mount_page(&server, 1, ok(page(1, &["a", "b"], Some(2)))).await;
    mount_page(&server, 2, ResponseTemplate::new(500)).await;
    mount_page(&server, 3, ok(page(3, &["e"], None))).await;
    let items: Vec<_> = client(&server).profiles_stream("s1", 2).collect().await;
    assert_eq!(items.len(), 3);
    assert!(matches!(items[2], Err(Error::Server(_))), "{:?}", items[2]);
}

/// A profile list served in the test's runtime, so that tokio's paused clock times its answers
/// exactly: page `p` answers after `delay(p)`, the list can grow when a page is asked for, and
/// a page can be refused once with `429` and `Retry-After: 1`. It records each request's page
/// and (virtual) arrival time, and the most requests it held at once.
mod paced {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use axum::Json;
    use axum::extract::{Query, State};
    use axum::http::StatusCode;
    use axum::response::{IntoResponse, Response};
    use fj_sourcing::Client;
    use serde_json::json;
    use tokio::time::Instant;

    pub const ID: &str = "6a0c77936e7a0151430c91fd";

    pub struct Script {
        pub total: usize,
        pub delay: fn(u32) -> Duration,
        /// When this page is requested, the list grows to this many candidates.
        pub grow: Option<(u32, usize)>,
        pub refuse_once: Option<u32>,
    }

    #[derive(Default)]
    pub struct Log {
        /// (page, milliseconds since the server started).
        pub arrivals: Vec<(u32, u64)>,
        pub in_flight: usize,
        pub max_in_flight: usize,
    }

    struct Shared {
        script: Mutex<Script>,
        log: Mutex<Log>,
        start: Instant,
    }

    pub struct Server {
        shared: Arc<Shared>,
        pub client: Client,
    }

    /// Candidate ids: `c000`, `c001`, ...
    pub fn ids(range: std::ops::Range<usize>) -> Vec<String> {
        range.map(|i| format!("c{i:03}")).collect()
    }

    pub async fn serve(script: Script, retry: fj_sourcing::RetryPolicy) -> Server {
        let shared = Arc::new(Shared {
            script: Mutex::new(script),
            log: Mutex::default(),
            start: Instant::now(),
        });
        let app = axum::Router::new()
            .route(
                "/api/v1/wl/sourcing-session/{id}/profiles",
                axum::routing::get(answer),
            )
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}/api/v1/wl", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        let client = Client::builder()
            .api_key(crate::support::KEY)
            .base_url(base)
            .retry(retry)
            .build()
            .unwrap();
        Server { shared, client }
    }

    impl Server {
        pub fn log(&self) -> std::sync::MutexGuard<'_, Log> {
            self.shared.log.lock().unwrap()
        }

        /// The pages requested, grouped by arrival time: `[(ms, [pages in order])]`.
        pub fn waves(&self) -> Vec<(u64, Vec<u32>)> {
            let mut waves: Vec<(u64, Vec<u32>)> = Vec::new();
            for &(page, at) in &self.log().arrivals {
                match waves.last_mut() {
                    Some((last, pages)) if *last == at => pages.push(page),
                    _ => waves.push((at, vec![page])),
                }
            }
            for (_, pages) in &mut waves {
                pages.sort_unstable();
            }
            waves
        }
    }

    async fn answer(
        State(shared): State<Arc<Shared>>,
        Query(query): Query<HashMap<String, usize>>,
    ) -> Response {
        let (page, limit) = (query["page"] as u32, query["limit"]);
        let delay = {
            let mut script = shared.script.lock().unwrap();
            if let Some((at, total)) = script.grow
                && at == page
            {
                script.total = total;
            }
            let mut log = shared.log.lock().unwrap();
            log.in_flight += 1;
            log.max_in_flight = log.max_in_flight.max(log.in_flight);
            let at = shared.start.elapsed().as_millis() as u64;
            log.arrivals.push((page, at));
            (script.delay)(page)
        };
        tokio::time::sleep(delay).await;
        shared.log.lock().unwrap().in_flight -= 1;
        let mut script = shared.script.lock().unwrap();
        if script.refuse_once == Some(page) {
            script.refuse_once = None;
            let body = json!({ "statusCode": 429, "message": "Too many requests" });
            return (
                StatusCode::TOO_MANY_REQUESTS,
                [("retry-after", "1")],
                Json(body),
            )
                .into_response();
        }
        let total = script.total;
        let pages = total.div_ceil(limit);
        let first = (page as usize - 1) * limit;
        let docs: Vec<_> = ids(first.min(total)..(first + limit).min(total))
            .into_iter()
            .map(|id| json!({ "_id": id, "finalScore": 4 }))
            .collect();
        let more = (page as usize) < pages;
        Json(json!({
            "statusCode": 200,
            "data": {
                "docs": docs, "totalDocs": total, "limit": limit, "page": page,
                "totalPages": pages, "hasNextPage": more, "nextPage": more.then_some(page + 1)
            },
            "status": "SUCCESS"
        }))
        .into_response()
    }
}

fn every_page_in(_page: u32) -> Duration {
    Duration::from_millis(100)
}

fn ten_pages_of_5() -> paced::Script {
    paced::Script {
        total: 50,
        delay: every_page_in,
        grow: None,
        refuse_once: None,
    }
}

async fn ids_of(stream: fj_sourcing::ProfileStream) -> Vec<String> {
    stream.map(|c| c.unwrap().id.unwrap()).collect().await
}

// The export of 10 pages takes 1 + ceil(9 / n) round trips: the first page alone (it says how
// many there are), then the other nine in waves of n.
#[tokio::test(start_paused = true)]
async fn at_most_n_pages_are_in_flight_and_an_export_takes_1_plus_ceil_9_over_n_round_trips() {
    for n in [1, 2, 4, 8] {
        let server = paced::serve(ten_pages_of_5(), fast_retries()).await;
        let start = tokio::time::Instant::now();
        let stream = server.client.profiles_stream(paced::ID, 5).concurrency(n);
        assert_eq!(ids_of(stream).await, paced::ids(0..50), "n = {n}");
        let round_trips = 1 + 9usize.div_ceil(n) as u64;
        assert_eq!(
            start.elapsed(),
            Duration::from_millis(100 * round_trips),
            "n = {n}"
        );
        assert_eq!(server.log().max_in_flight, n, "n = {n}");
        let mut pages: Vec<u32> = server.log().arrivals.iter().map(|a| a.0).collect();
        pages.sort_unstable();
        assert_eq!(
            pages,
            (1..=10).collect::<Vec<_>>(),
            "each page once, n = {n}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn by_default_4_pages_are_in_flight() {
    let server = paced::serve(ten_pages_of_5(), fast_retries()).await;
    assert_eq!(
        ids_of(server.client.profiles_stream(paced::ID, 5))
            .await
            .len(),
        50
    );
    assert_eq!(
        server.waves(),
        [
            (0, vec![1]),
            (100, vec![2, 3, 4, 5]),
            (200, vec![6, 7, 8, 9]),
            (300, vec![10])
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn pages_answered_out_of_order_are_yielded_in_page_order() {
    // The later the page, the sooner it answers.
    fn later_is_sooner(page: u32) -> Duration {
        Duration::from_millis(u64::from(11 - page) * 10)
    }
    let script = paced::Script {
        delay: later_is_sooner,
        ..ten_pages_of_5()
    };
    let server = paced::serve(script, fast_retries()).await;
    let stream = server.client.profiles_stream(paced::ID, 5).concurrency(8);
    assert_eq!(ids_of(stream).await, paced::ids(0..50));
}

#[tokio::test(start_paused = true)]
async fn a_position_taken_while_pages_are_in_flight_resumes_without_repeating_or_missing() {
    let server = paced::serve(ten_pages_of_5(), fast_retries()).await;
    let mut stream = server.client.profiles_stream(paced::ID, 5);
    let mut ids = Vec::new();
    for _ in 0..7 {
        ids.push(stream.next().await.unwrap().unwrap().id.unwrap());
    }
    // Pages 3 to 5 have been asked for with page 2, and answered with it; none is yielded.
    assert_eq!(server.log().arrivals.len(), 5);
    let cursor = stream.position().unwrap();
    assert_eq!((cursor.next_page(), cursor.skip()), (2, 2));
    drop(stream);
    ids.extend(ids_of(server.client.profiles_stream_from(cursor)).await);
    assert_eq!(ids, paced::ids(0..50));
}

#[tokio::test(start_paused = true)]
async fn a_429_in_the_middle_of_an_export_narrows_the_pages_in_flight_instead_of_failing() {
    let script = paced::Script {
        refuse_once: Some(3),
        ..ten_pages_of_5()
    };
    // No retries of its own: the 429 reaches the stream.
    let server = paced::serve(script, RetryPolicy::none()).await;
    let stream = server.client.profiles_stream(paced::ID, 5);
    assert_eq!(ids_of(stream).await, paced::ids(0..50));
    assert_eq!(
        server.waves(),
        [
            (0, vec![1]),
            (100, vec![2, 3, 4, 5]),
            // Taking page 2 made room for page 6; then page 3's 429 narrowed the window to one
            // page, so nothing else starts until page 3 has been asked again, after the
            // server's `Retry-After: 1`.
            (200, vec![6]),
            (1200, vec![3]),
            (1300, vec![7, 8, 9, 10]),
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn a_429_with_one_page_in_flight_is_the_streams_error() {
    let script = paced::Script {
        refuse_once: Some(2),
        ..ten_pages_of_5()
    };
    let server = paced::serve(script, RetryPolicy::none()).await;
    let items: Vec<_> = server
        .client
        .profiles_stream(paced::ID, 5)
        .concurrency(1)
        .collect()
        .await;
    assert_eq!(items.len(), 6);
    assert!(
        matches!(items[5], Err(Error::RateLimited(_))),
        "{:?}",
        items[5]
    );
}

#[tokio::test(start_paused = true)]
async fn a_list_that_grows_during_the_walk_is_walked_to_its_new_end() {
    // 4 pages when the walk starts; 6 from the moment page 4 is asked for.
    let script = paced::Script {
        total: 20,
        grow: Some((4, 30)),
        ..ten_pages_of_5()
    };
    let server = paced::serve(script, fast_retries()).await;
    let stream = server.client.profiles_stream(paced::ID, 5);
    assert_eq!(ids_of(stream).await, paced::ids(0..30));
    assert_eq!(
        server.waves(),
        [(0, vec![1]), (100, vec![2, 3, 4]), (200, vec![5, 6])]
    );
}
