//! `profiles_stream`: every candidate once, over several pages, stopping at the first error.

use std::time::Duration;

use fj_sourcing::Error;
use futures_util::StreamExt;
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::*;

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

fn requested_pages(requests: &[wiremock::Request]) -> Vec<String> {
    requests
        .iter()
        .map(|r| r.url.query().unwrap_or("").to_owned())
        .collect()
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

    let items: Vec<Result<String, Error>> = client(&server)
        .profiles_stream("s1", 2)
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
async fn fetches_at_most_one_page_ahead() {
    let server = MockServer::start().await;
    for n in 1..=4 {
        let next = (n < 4).then_some(n + 1);
        let ids = [format!("p{n}a"), format!("p{n}b")];
        mount_page(&server, n, ok(page(n, &[&ids[0], &ids[1]], next))).await;
    }
    let mut stream = client(&server).profiles_stream("s1", 2);
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
