//! `wait_until_done`: polls until `done`, reports progress, fails distinctly at the deadline.

use std::time::Duration;

use fj_sourcing::Error;
use fj_sourcing::WaitOptions;
use fj_sourcing::model::ProfileMatchingStatus;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::*;

const DETAILS: &str = "/api/v1/wl/sourcing-session/s1";

fn status(value: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "statusCode": 200,
        "data": { "session": { "_id": "s1", "sessionTitle": ".NET Developer", "profileMatchingStatus": value } },
        "message": "Session fetched successfully",
        "status": "SUCCESS"
    }))
}

fn quick(deadline_ms: u64) -> WaitOptions {
    WaitOptions::default()
        .with_first_interval(Duration::from_millis(5))
        .with_factor(2.0)
        .with_max_interval(Duration::from_millis(20))
        .with_deadline(Duration::from_millis(deadline_ms))
}

#[tokio::test]
async fn returns_the_done_session_and_reports_each_poll() {
    let server = MockServer::start().await;
    for (priority, value, times) in [(1, "processing", 2), (2, "fetching_more", 1)] {
        Mock::given(method("GET"))
            .and(path(DETAILS))
            .respond_with(status(value))
            .up_to_n_times(times)
            .with_priority(priority)
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path(DETAILS))
        .respond_with(status("done"))
        .with_priority(3)
        .mount(&server)
        .await;

    let mut seen = Vec::new();
    let done = client(&server)
        .wait_until_done_with("s1", quick(5_000), |p| {
            seen.push((p.status.clone(), p.changed, p.polls))
        })
        .await
        .unwrap();
    assert!(done.is_done());
    assert_eq!(
        done.session.session_title.as_deref(),
        Some(".NET Developer")
    );
    use ProfileMatchingStatus::*;
    assert_eq!(
        seen,
        [
            (Some(Processing), true, 1),
            (Some(Processing), false, 2),
            (Some(FetchingMore), true, 3),
            (Some(Done), true, 4)
        ]
    );
    assert_eq!(requests(&server).await.len(), 4);
}

#[tokio::test]
async fn reaching_the_deadline_is_a_wait_timeout() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(DETAILS))
        .respond_with(status("processing"))
        .mount(&server)
        .await;
    // A deadline already reached after the first poll: the count of polls does not depend on
    // how fast this machine answers. Polling until a later deadline, with backoff, is checked on
    // tokio's paused clock in `src/client/wait.rs`.
    let error = client(&server)
        .wait_until_done("s1", quick(0))
        .await
        .unwrap_err();
    let Error::WaitTimeout {
        session_id,
        polls,
        last_status,
        ..
    } = &error
    else {
        panic!("expected WaitTimeout, got {error:?}");
    };
    assert_eq!(session_id, "s1");
    assert_eq!(*polls, 1);
    assert_eq!(last_status, &Some(ProfileMatchingStatus::Processing));
    assert_eq!(requests(&server).await.len() as u32, *polls);
    assert!(
        error
            .to_string()
            .starts_with("session s1 was not done after "),
        "{error}"
    );
    assert!(
        error.to_string().ends_with("; last status processing)"),
        "{error}"
    );
}

#[tokio::test]
async fn an_error_while_polling_ends_the_wait() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(DETAILS))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(json!({ "message": "Session not found" })),
        )
        .mount(&server)
        .await;
    let error = client(&server)
        .wait_until_done("s1", quick(5_000))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::NotFound(_)), "{error:?}");
    assert_eq!(requests(&server).await.len(), 1);
}
