//! The request journal (`requests()`, `clear_requests()`, `session(id)`, and the same over
//! `/api/v1/wl/__sandbox/requests`) and the scores that follow the match.

mod sandbox_support;

use std::time::Duration;

use fj_sandbox::{Fault, Sandbox};
use pretty_assertions::assert_eq;
use reqwest::{Method, StatusCode};
use sandbox_support::{Api, seed_body};
use serde_json::{Value, json};

const JOURNAL: &str = "/__sandbox/requests";

#[tokio::test]
async fn the_journal_keeps_what_was_sent_answered_and_charged() {
    let api = Api::start(Sandbox::builder().polls_before_done(0)).await;
    let created = api.post("/sourcing-session", &seed_body()).await;
    let id = created.body["data"]["session"]["_id"].as_str().unwrap();
    let refused = api
        .post("/sourcing-session", &json!({"queries": {"skills": 3}}))
        .await;
    let denied = api
        .raw(Method::GET, "/projects/sessions", Some("fjk_wrong"), None)
        .await;
    assert_eq!(denied.status, StatusCode::UNAUTHORIZED);

    let journal = api.sandbox.requests();
    let seen: Vec<(&str, &str, u16, u64)> = journal
        .iter()
        .map(|r| (r.method(), r.path(), r.status(), r.credits_charged()))
        .collect();
    assert_eq!(
        seen,
        [
            ("POST", "/api/v1/wl/sourcing-session", 201, 5),
            ("POST", "/api/v1/wl/sourcing-session", 400, 0),
            ("GET", "/api/v1/wl/projects/sessions", 401, 0),
        ]
    );
    assert_eq!(journal[0].body(), Some(&seed_body()));
    assert_eq!(journal[0].problem(), None);
    assert_eq!(
        Some(journal[0].request_id()),
        created.header("x-request-id")
    );
    assert_eq!(
        journal[1].problem(),
        refused.body["errors"][0]["path"]
            .as_str()
            .map(|path| format!(
                "{path}: {}",
                refused.body["errors"][0]["message"].as_str().unwrap()
            ))
            .as_deref()
    );
    assert_eq!(journal[2].problem(), Some("Invalid API key"));
    assert_eq!(journal[2].body(), None);
    // The stored filters, typed, as the code under test would compare them.
    let stored = api.sandbox.session(id).unwrap();
    assert_eq!(stored.title(), Some(".NET Developer"));
    assert_eq!(api.sandbox.session("000000000000000000000000"), None);
}

#[tokio::test]
async fn over_http_without_a_key_past_faults_and_limits_and_not_journaled() {
    let builder = Sandbox::builder().rate_limit(1, Duration::from_secs(3600));
    let api = Api::start(builder).await;
    api.post("/sourcing-session", &seed_body()).await;
    let limited = api.get("/projects/sessions").await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    api.sandbox.inject(Fault::Status(500), 1);
    // No key, the rate limit spent, a fault queued: the journal still answers, twice alike.
    let listed = api.raw(Method::GET, JOURNAL, Some(""), None).await;
    let again = api.raw(Method::GET, JOURNAL, Some(""), None).await;
    assert_eq!(listed.status, StatusCode::OK);
    assert_eq!(listed.body, again.body);
    let entries = listed.body.as_array().unwrap();
    assert_eq!(entries.len(), 2);
    let mut keys: Vec<&str> = entries[0]
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "body",
            "creditsCharged",
            "latencyMs",
            "method",
            "path",
            "problem",
            "requestId",
            "status",
            "time"
        ]
    );
    assert_eq!(entries[0]["body"], seed_body());
    assert_eq!(entries[0]["creditsCharged"], 5);
    assert_eq!(entries[1]["status"], 429);
    assert!(
        entries[1]["problem"]
            .as_str()
            .unwrap()
            .starts_with("Too many requests")
    );
    assert_eq!(
        entries[0]["time"].as_str().unwrap().len(),
        "2026-01-01T00:00:00.000Z".len()
    );
    let records = api.sandbox.requests();
    assert_eq!(serde_json::to_value(&records).unwrap(), listed.body);
    assert_eq!(api.sandbox.requests_seen(), 2);

    let cleared = api.raw(Method::DELETE, JOURNAL, Some(""), None).await;
    assert_eq!(cleared.status, StatusCode::OK);
    assert_eq!(cleared.body, serde_json::json!({ "cleared": 2 }));
    assert_eq!(api.sandbox.requests(), []);
    // Clearing the journal does not reset the count of requests seen, and the journal's own
    // requests never counted (nor took the queued fault).
    assert_eq!(api.sandbox.requests_seen(), 2);
}

#[tokio::test]
async fn the_journal_is_bounded_by_count_and_by_bytes() {
    let api = Api::start(Sandbox::builder().journal_size(2, usize::MAX)).await;
    for _ in 0..3 {
        api.post("/sourcing-session", &seed_body()).await;
    }
    api.get("/projects/sessions").await;
    let paths: Vec<String> = api
        .sandbox
        .requests()
        .iter()
        .map(|r| r.path().to_owned())
        .collect();
    assert_eq!(
        paths,
        [
            "/api/v1/wl/sourcing-session",
            "/api/v1/wl/projects/sessions"
        ]
    );

    // Room for one create's body, not two: the older one goes.
    let body = seed_body().to_string().len();
    let api = Api::start(Sandbox::builder().journal_size(100, body + 400)).await;
    api.post("/sourcing-session", &seed_body()).await;
    api.post("/sourcing-session", &seed_body()).await;
    assert_eq!(api.sandbox.requests().len(), 1);

    let off = Api::start(Sandbox::builder().journal_size(0, usize::MAX)).await;
    off.get("/projects/sessions").await;
    assert_eq!(off.sandbox.requests(), []);
    assert_eq!(off.sandbox.requests_seen(), 1);
}

#[tokio::test]
async fn session_gives_the_filters_after_updates() {
    let api = Api::start(Sandbox::builder().polls_before_done(0)).await;
    let id = api.create(&seed_body()).await;
    let patch = json!({"sessionTitle": "Rust Developer", "queries": {"skills": {"type": "IN",
        "value": {"mandatory": ["Rust"], "core": [], "secondary": []}}}});
    let updated = api
        .patch(&format!("/sourcing-session/update-session/{id}"), &patch)
        .await;
    assert_eq!(updated.status, StatusCode::OK, "{:#}", updated.body);
    let stored = api.sandbox.session(&id).unwrap();
    assert_eq!(stored.title(), Some("Rust Developer"));
    assert_eq!(stored.skills().mandatory(), ["Rust"]);
    // Untouched filters stay.
    let expected = seed_body()["queries"]["country_region"].clone();
    assert_eq!(
        serde_json::to_value(stored.queries()).unwrap()["country_region"],
        expected
    );
    assert_eq!(api.sandbox.requests()[1].credits_charged(), 5);
}

fn scores(docs: &[Value]) -> Vec<f64> {
    docs.iter()
        .map(|d| d["finalScore"].as_f64().unwrap())
        .collect()
}

#[tokio::test]
async fn scores_follow_the_match_best_first_within_each_batch() {
    let api = Api::start(Sandbox::builder().polls_before_done(0)).await;
    let id = api.create(&seed_body()).await;
    api.wait_done(&id).await;
    let first = api.all_profiles(&id, 100).await;
    let first_scores = scores(&first);
    let mut distinct = first_scores.clone();
    distinct.dedup();
    assert!(distinct.len() >= 4, "{first_scores:?}");
    assert!(first_scores.is_sorted_by(|a, b| a >= b), "{first_scores:?}");
    for s in &first_scores {
        assert!((1.0..=5.0).contains(s) && (s * 10.0).fract() == 0.0, "{s}");
    }
    // Core skills weigh more than the title: the better half lists more of them than the
    // other half (mandatory ones are always all there).
    let core = seed_body()["queries"]["skills"]["value"]["core"].clone();
    let hits = |doc: &Value| {
        let skills = doc["profile"]["skills"].as_array().unwrap();
        core.as_array()
            .unwrap()
            .iter()
            .filter(|c| skills.contains(c))
            .count()
    };
    let (better, worse) = first.split_at(first.len() / 2);
    let sum = |docs: &[Value]| docs.iter().map(hits).sum::<usize>();
    assert!(
        sum(better) > sum(&worse[..better.len()]),
        "{first_scores:?}"
    );
    let details = api
        .get(&format!(
            "/sourcing-session/candidate/{}/details?sessionId={id}",
            first[0]["_id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(
        details.body["data"]["profileAnalysis"]["starRating"],
        first[0]["finalScore"]
    );

    // Fetch More appends its own best-first batch after the first one.
    api.post(&format!("/sourcing-session/{id}/fetch-more"), &json!({}))
        .await;
    api.wait_done(&id).await;
    let all = api.all_profiles(&id, 100).await;
    assert_eq!(all[..first.len()], first[..]);
    assert!(scores(&all[first.len()..]).is_sorted_by(|a, b| a >= b));

    // The same seed and request: the same scores.
    let again = Api::start(Sandbox::builder().polls_before_done(0)).await;
    let other = again.create(&seed_body()).await;
    again.wait_done(&other).await;
    assert_eq!(scores(&again.all_profiles(&other, 100).await), first_scores);
}
