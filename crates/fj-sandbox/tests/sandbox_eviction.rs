//! `SandboxBuilder::max_sessions`: the oldest sessions are evicted first, calls naming them get a
//! 404 that says so, and the ledger forgets the charges made before the oldest stored session.

mod sandbox_support;

use fj_sandbox::{Operation, Sandbox};
use pretty_assertions::assert_eq;
use reqwest::StatusCode;
use sandbox_support::{Api, seed_body};
use serde_json::json;

const EVICTED: &str = "Session not found: it was evicted, because this sandbox keeps only its 3 \
                       most recent sessions (max_sessions)";

#[tokio::test]
async fn the_oldest_sessions_are_evicted_first() {
    let api = Api::start(Sandbox::builder().max_sessions(3).polls_before_done(0)).await;
    let mut ids = Vec::new();
    for _ in 0..3 {
        ids.push(api.create(&seed_body()).await);
    }
    assert_eq!(api.sandbox.session_ids(), ids);
    // Reading the oldest one does not keep it: eviction goes by creation order.
    api.wait_done(&ids[0]).await;
    ids.push(api.create(&seed_body()).await);
    ids.push(api.create(&seed_body()).await);
    assert_eq!(api.sandbox.session_count(), 3);
    assert_eq!(api.sandbox.session_ids(), ids[2..]);
    // The kept ones still answer, newest first in the project list.
    api.wait_done(&ids[2]).await;
    let listed: Vec<String> = api.get("/projects/sessions").await.body["data"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|s| s["_id"].as_str().expect("an id").to_owned())
        .collect();
    assert_eq!(listed, [ids[4].clone(), ids[3].clone(), ids[2].clone()]);
}

#[tokio::test]
async fn calls_naming_an_evicted_session_get_a_404_that_says_so() {
    let api = Api::start(Sandbox::builder().max_sessions(3).polls_before_done(0)).await;
    let first = api.create(&seed_body()).await;
    api.wait_done(&first).await;
    let url = api
        .get(&format!("/sourcing-session/{first}/profiles"))
        .await
        .body["data"]["docs"][0]["profile"]["linkedin_profile_url"]
        .as_str()
        .expect("a candidate URL")
        .to_owned();
    for _ in 0..3 {
        api.create(&seed_body()).await;
    }
    let answers = [
        api.get(&format!("/sourcing-session/{first}")).await,
        api.get(&format!("/sourcing-session/{first}/profiles")).await,
        api.post(&format!("/sourcing-session/{first}/fetch-more"), &json!({}))
            .await,
        api.patch(
            &format!("/sourcing-session/update-session/{first}"),
            &json!({"sessionTitle": "Renamed"}),
        )
        .await,
        api.post(
            &format!(
                "/sourcing-session/contact/reveal?sourcingSessionId={first}&revealType=EMAIL&linkedin_profile_url={url}"
            ),
            &json!({}),
        )
        .await,
    ];
    for answer in answers {
        assert_eq!(answer.expect_error(404), EVICTED);
    }
    // An id this sandbox never made is still plainly unknown.
    let never = api.get("/sourcing-session/0123456789abcdef01234567").await;
    assert_eq!(never.expect_error(404), "Session not found");
    // None of the refused calls was charged.
    assert!(
        api.sandbox
            .charges()
            .iter()
            .all(|c| c.operation == Operation::Create)
    );
}

#[tokio::test]
async fn charges_made_before_the_oldest_kept_session_are_dropped() {
    let api = Api::start(Sandbox::builder().max_sessions(2).credits(1000)).await;
    let a = api.create(&seed_body()).await;
    let b = api.create(&seed_body()).await;
    let renamed = api
        .patch(
            &format!("/sourcing-session/update-session/{a}"),
            &json!({"sessionTitle": "Renamed"}),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{:#}", renamed.body);
    let c = api.create(&seed_body()).await;
    // `a` is gone with its create charge; its update, made after `b` was created, stays.
    let charges: Vec<(Operation, String)> = api
        .sandbox
        .charges()
        .into_iter()
        .map(|c| (c.operation, c.session_id))
        .collect();
    assert_eq!(
        charges,
        [
            (Operation::Create, b.clone()),
            (Operation::Update, a.clone()),
            (Operation::Create, c.clone()),
        ]
    );
    // The balance is not refunded: 4 paid operations of 5 credits.
    assert_eq!(api.sandbox.credits_remaining(), 1000 - 4 * 5);
    api.create(&seed_body()).await;
    let left: Vec<String> = api
        .sandbox
        .charges()
        .into_iter()
        .map(|c| c.session_id)
        .collect();
    assert_eq!(left.len(), 2);
    assert!(!left.contains(&a) && !left.contains(&b), "{left:?}");
}

#[tokio::test]
async fn max_sessions_is_at_least_one() {
    let api = Api::start(Sandbox::builder().max_sessions(0)).await;
    let id = api.create(&seed_body()).await;
    assert_eq!(api.sandbox.session_ids(), std::slice::from_ref(&id));
    let details = api.get(&format!("/sourcing-session/{id}")).await;
    assert_eq!(details.status, StatusCode::OK, "{:#}", details.body);
}
