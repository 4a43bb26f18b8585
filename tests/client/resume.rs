//! Resumable profile streams (`position`, `profiles_stream_from`) and `watch`, on the sandbox.

use std::time::Duration;

use fj_sandbox::{Fault, Sandbox, SandboxHandle};
use fj_sourcing::model::ProfileMatchingStatus;
use fj_sourcing::{Client, Error, ProfileCursor, ProfileStream, RetryPolicy, WaitOptions};
use futures_util::StreamExt;

use crate::support::{fast_retries, seed_request};

fn client_for(sandbox: &SandboxHandle) -> Client {
    Client::builder()
        .api_key(sandbox.api_key())
        .base_url(sandbox.base_url())
        .retry(fast_retries())
        .build()
        .unwrap()
}

/// A sandbox with a finished session of 25 candidates.
async fn finished_session() -> (SandboxHandle, Client, String) {
    let sandbox = Sandbox::builder()
        .polls_before_done(0)
        .start()
        .await
        .unwrap();
    let client = client_for(&sandbox);
    let created = client.create_session(&seed_request()).await.unwrap();
    let id = created.id().unwrap().to_owned();
    client.session(&id).await.unwrap();
    (sandbox, client, id)
}

async fn take_ids(stream: &mut ProfileStream, n: usize) -> Vec<String> {
    let mut ids = Vec::new();
    for _ in 0..n {
        ids.push(stream.next().await.unwrap().unwrap().id.unwrap());
    }
    ids
}

async fn rest_ids(stream: ProfileStream) -> Vec<String> {
    stream.map(|c| c.unwrap().id.unwrap()).collect().await
}

/// The cursor through its saved form, as an export would keep it between runs.
fn saved_and_read(cursor: ProfileCursor) -> ProfileCursor {
    serde_json::from_str(&serde_json::to_string(&cursor).unwrap()).unwrap()
}

#[tokio::test]
async fn a_stream_stopped_after_page_2_and_resumed_yields_every_candidate_once() {
    let (sandbox, client, id) = finished_session().await;
    let everyone = rest_ids(client.profiles_stream(&id, 5)).await;
    assert_eq!(everyone.len(), 25);

    let mut first = client.profiles_stream(&id, 5);
    let cursor = first.position().unwrap();
    assert_eq!((cursor.next_page(), cursor.skip()), (1, 0));
    let mut ids = take_ids(&mut first, 10).await;
    let cursor = first.position().unwrap();
    assert_eq!(cursor.session_id().to_string(), id);
    assert_eq!(
        (cursor.page_size(), cursor.next_page(), cursor.skip()),
        (5, 3, 0),
        "pages 1 and 2 are done, page 3 may be fetched ahead but none of it was yielded"
    );
    drop(first);

    let before = sandbox.requests_seen();
    let rest = rest_ids(client.profiles_stream_from(saved_and_read(cursor))).await;
    assert_eq!(
        sandbox.requests_seen() - before,
        3,
        "pages 3 to 5, none repeated"
    );
    ids.extend(rest);
    assert_eq!(ids, everyone);
}

#[tokio::test]
async fn a_stream_stopped_inside_a_page_resumes_after_the_last_candidate_yielded() {
    let (_sandbox, client, id) = finished_session().await;
    let everyone = rest_ids(client.profiles_stream(&id, 5)).await;
    let mut first = client.profiles_stream(&id, 5);
    let mut ids = take_ids(&mut first, 7).await;
    let cursor = first.position().unwrap();
    assert_eq!((cursor.next_page(), cursor.skip()), (2, 2));
    drop(first);
    ids.extend(rest_ids(client.profiles_stream_from(saved_and_read(cursor))).await);
    assert_eq!(ids, everyone);
}

#[tokio::test]
async fn a_finished_stream_resumes_with_the_candidates_added_since() {
    let (_sandbox, client, id) = finished_session().await;
    let mut stream = client.profiles_stream(&id, 5);
    let first_batch = take_ids(&mut stream, 25).await;
    assert!(stream.next().await.is_none());
    let cursor = stream.position().unwrap();
    assert_eq!(
        (cursor.next_page(), cursor.skip()),
        (5, 5),
        "the last page, read to its end"
    );
    // Nothing new yet: nothing to yield.
    assert!(
        rest_ids(client.profiles_stream_from(cursor))
            .await
            .is_empty()
    );

    client.fetch_more(&id).await.unwrap();
    client.session(&id).await.unwrap();
    let added = rest_ids(client.profiles_stream_from(cursor)).await;
    assert_eq!(added.len(), 25);
    assert!(added.iter().all(|id| !first_batch.contains(id)));
    let everyone = rest_ids(client.profiles_stream(&id, 5)).await;
    assert_eq!([first_batch, added].concat(), everyone);
}

#[tokio::test]
async fn after_an_error_the_cursor_points_at_the_page_that_failed() {
    let (sandbox, client, id) = finished_session().await;
    // One page at a time, so the third request from now is page 3's.
    sandbox.inject(Fault::Latency(Duration::ZERO), 2);
    sandbox.inject(Fault::Status(503), 1);
    let once = Client::builder()
        .api_key(sandbox.api_key())
        .base_url(sandbox.base_url())
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let mut stream = once.profiles_stream(&id, 10).concurrency(1);
    let items: Vec<_> = (&mut stream).collect().await;
    assert_eq!(items.len(), 21);
    assert!(items[..20].iter().all(Result::is_ok));
    assert!(
        matches!(items[20], Err(Error::Server(_))),
        "{:?}",
        items[20]
    );
    let cursor = stream.position().unwrap();
    assert_eq!((cursor.next_page(), cursor.skip()), (3, 0));
    let rest = rest_ids(client.profiles_stream_from(cursor)).await;
    assert_eq!(rest.len(), 5);
}

#[tokio::test]
async fn watch_yields_each_poll_and_ends_at_done() {
    let sandbox = Sandbox::builder()
        .polls_before_done(2)
        .start()
        .await
        .unwrap();
    let client = client_for(&sandbox);
    let created = client.create_session(&seed_request()).await.unwrap();
    let id = created.id().unwrap();
    let options = WaitOptions::default()
        .with_first_interval(Duration::from_millis(5))
        .with_max_interval(Duration::from_millis(20))
        .with_deadline(Duration::from_secs(10));

    let mut watch = client.watch(id, options);
    let mut events = Vec::new();
    while let Some(progress) = watch.next().await {
        let progress = progress.unwrap();
        events.push((
            progress.status.clone(),
            progress.changed,
            progress.polls,
            progress.is_done(),
        ));
    }
    use ProfileMatchingStatus::*;
    assert_eq!(
        events,
        [
            (Some(Processing), true, 1, false),
            (Some(Processing), false, 2, false),
            (Some(Done), true, 3, true),
        ]
    );
    let done = watch.into_last_response().unwrap();
    assert!(done.is_done());
    assert_eq!(done.session.id.as_deref(), Some(id));

    // An invalid id is the only item, and nothing is sent.
    let before = sandbox.requests_seen();
    let items: Vec<_> = client.watch(" ", WaitOptions::default()).collect().await;
    assert!(matches!(
        items[..],
        [Err(Error::InvalidArgument {
            name: "session_id",
            ..
        })]
    ));
    assert_eq!(sandbox.requests_seen(), before);
}
