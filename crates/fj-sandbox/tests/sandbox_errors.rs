//! The sandbox's error statuses from their causes, the headers on every response, credits under
//! concurrency and the rate limit.

mod sandbox_support;

use std::collections::HashSet;
use std::time::Duration;

use fj_sandbox::{MAX_BODY_BYTES, Operation, Sandbox};
use fj_sourcing_query::SessionRequest;
use pretty_assertions::assert_eq;
use reqwest::{Method, StatusCode};
use sandbox_support::{Answer, Api, SEED_CURL_BODY, seed_body};
use serde_json::{Value, json};

const UNKNOWN_ID: &str = "0123456789abcdef01234567";

#[tokio::test]
async fn missing_or_wrong_key_is_401() {
    let api = Api::start(Sandbox::builder().api_keys(["fjk_first", "fjk_second"])).await;
    let missing = api
        .raw(Method::GET, "/projects/sessions", Some(""), None)
        .await;
    assert_eq!(
        missing.body,
        json!({
            "statusCode": 401,
            "status": "ERROR",
            "message": "Missing API key: send it in the x-fj-api-key header"
        })
    );
    for wrong in ["fjk_firs", "fjk_first_", "FJK_FIRST", "fjk_sandbox_key"] {
        let answer = api
            .raw(Method::GET, "/projects/sessions", Some(wrong), None)
            .await;
        assert_eq!(answer.expect_error(401), "Invalid API key", "{wrong}");
        assert!(!answer.body.to_string().contains(wrong));
    }
    // A wrong key creates nothing.
    let answer = api
        .raw(
            Method::POST,
            "/sourcing-session",
            Some("fjk_nope"),
            Some(SEED_CURL_BODY.into()),
        )
        .await;
    answer.expect_error(401);
    assert_eq!(api.sandbox.session_count(), 0);
    for key in ["fjk_first", "fjk_second"] {
        let ok = api
            .raw(Method::GET, "/projects/sessions", Some(key), None)
            .await;
        assert_eq!(ok.status, StatusCode::OK, "{key}");
    }
    let shown = format!("{:?}", api.sandbox);
    assert!(!shown.contains("fjk_first"), "{shown}");
}

#[tokio::test]
async fn invalid_body_is_400_with_every_problem() {
    let api = Api::start(Sandbox::builder()).await;
    let body = r#"{
        "sessionTitle": " ",
        "queries": {
            "region": {"type": "RANGE", "value": ["Pune, Maharashtra, India"]},
            "years_of_experience_raw": {"type": "RANGE", "value": [5, 1]},
            "nope": {"type": "IN", "value": ["x"]}
        }
    }"#;
    let answer = api
        .raw(Method::POST, "/sourcing-session", None, Some(body.into()))
        .await;
    let message = answer.expect_error(400).to_owned();
    // Exactly the crate's own problems, serialized as {path, kind, message}.
    let expected = SessionRequest::from_json(body).unwrap_err();
    assert_eq!(
        answer.body["errors"],
        serde_json::to_value(expected.problems()).unwrap()
    );
    let found: Vec<(&str, &str)> = answer.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["path"].as_str().unwrap(), p["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(
        found,
        [
            ("queries.region.type", "wrong_operator"),
            ("queries.nope", "unknown_key"),
            ("sessionTitle", "blank"),
            ("queries.years_of_experience_raw.value", "inverted_range"),
            ("queries.skills", "no_skills"),
        ]
    );
    assert!(message.contains("queries.region.type"), "{message}");

    let not_json = api
        .raw(
            Method::POST,
            "/sourcing-session",
            None,
            Some(b"{\"queries\":".to_vec()),
        )
        .await;
    not_json.expect_error(400);
    assert_eq!(not_json.body["errors"][0]["path"], json!("body"));
    assert_eq!(not_json.body["errors"][0]["kind"], json!("syntax"));
    let empty = api
        .raw(Method::POST, "/sourcing-session", None, Some(Vec::new()))
        .await;
    empty.expect_error(400);

    assert_eq!(api.sandbox.session_count(), 0);
    assert_eq!(api.sandbox.charges(), []);
    assert_eq!(api.sandbox.credits_remaining(), 1000);
}

#[tokio::test]
async fn invalid_update_is_400_and_changes_nothing() {
    let api = Api::start(Sandbox::builder().polls_before_done(0)).await;
    let id = api.create(&seed_body()).await;
    let path = format!("/sourcing-session/update-session/{id}");
    let answer = api
        .patch(
            &path,
            &json!({"queries": {"region": {"type": "IN", "value": []}, "skills": null}}),
        )
        .await;
    answer.expect_error(400);
    let paths: Vec<&str> = answer.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["queries.region.value", "queries.skills"]);
    let details = api.get(&format!("/sourcing-session/{id}")).await;
    assert_eq!(
        details.body["data"]["session"]["filterChangesCounter"],
        json!(0)
    );
    assert_eq!(api.sandbox.charges().len(), 1);
}

#[tokio::test]
async fn insufficient_credits_is_402_and_nothing_happens() {
    let api = Api::start(Sandbox::builder().credits(7).polls_before_done(0)).await;
    let id = api.create(&seed_body()).await;
    assert_eq!(api.sandbox.credits_remaining(), 2);

    let refused = api.post("/sourcing-session", &seed_body()).await;
    let message = refused.expect_error(402);
    assert_eq!(
        message,
        "Insufficient credits: creating a session costs 5 credits and the workspace has 2 left"
    );
    assert!(refused.body.get("errors").is_none());
    assert_eq!(api.sandbox.session_count(), 1);
    assert_eq!(api.sandbox.credits_remaining(), 2);

    api.wait_done(&id).await;
    let fetch = api
        .post(&format!("/sourcing-session/{id}/fetch-more"), &json!({}))
        .await;
    fetch.expect_error(402);
    let update = api
        .patch(
            &format!("/sourcing-session/update-session/{id}"),
            &json!({"sessionTitle": "Renamed"}),
        )
        .await;
    update.expect_error(402);
    let details = api.get(&format!("/sourcing-session/{id}")).await;
    let session = &details.body["data"]["session"];
    assert_eq!(session["sessionTitle"], json!(".NET Developer"));
    assert_eq!(session["profileMatchingStatus"], json!("done"));
    assert_eq!(session["searchMoreCounter"], json!(0));
    assert_eq!(session["filterChangesCounter"], json!(0));
    assert_eq!(api.all_profiles(&id, 100).await.len(), 25);
    assert_eq!(api.sandbox.charges().len(), 1);
    assert_eq!(api.sandbox.credits_remaining(), 2);
}

#[tokio::test]
async fn unknown_things_are_404() {
    let api = Api::start(Sandbox::builder().polls_before_done(0)).await;
    let id = api.create(&seed_body()).await;
    api.wait_done(&id).await;
    for bad in [UNKNOWN_ID, "nope", "6A0C77936E7A0151430C91FD", "%FF%FE"] {
        let details = api.get(&format!("/sourcing-session/{bad}")).await;
        assert_eq!(details.expect_error(404), "Session not found", "{bad}");
        api.get(&format!("/sourcing-session/{bad}/profiles"))
            .await
            .expect_error(404);
        api.post(&format!("/sourcing-session/{bad}/fetch-more"), &json!({}))
            .await
            .expect_error(404);
        api.patch(
            &format!("/sourcing-session/update-session/{bad}"),
            &json!({"sessionTitle": "x"}),
        )
        .await
        .expect_error(404);
        let candidate = api
            .get(&format!(
                "/sourcing-session/candidate/{bad}/details?sessionId={id}"
            ))
            .await;
        assert_eq!(candidate.expect_error(404), "Candidate not found");
    }
    let docs = api.all_profiles(&id, 5).await;
    let cid = docs[0]["_id"].as_str().unwrap();
    let wrong_session = api
        .get(&format!(
            "/sourcing-session/candidate/{cid}/details?sessionId={UNKNOWN_ID}"
        ))
        .await;
    assert_eq!(wrong_session.expect_error(404), "Session not found");

    let reveal = |session: &str, url: &str| {
        format!(
            "/sourcing-session/contact/reveal?sourcingSessionId={session}&linkedin_profile_url={url}&revealType=EMAIL"
        )
    };
    let unknown_profile = api
        .raw(
            Method::POST,
            &reveal(&id, "https://www.linkedin.com/in/nobody-here"),
            None,
            None,
        )
        .await;
    assert_eq!(unknown_profile.expect_error(404), "Profile not found");
    let url = docs[0]["profile"]["linkedin_profile_url"].as_str().unwrap();
    api.raw(Method::POST, &reveal(UNKNOWN_ID, url), None, None)
        .await
        .expect_error(404);

    let route = api.get("/sourcing-sessions").await;
    assert_eq!(
        route.expect_error(404),
        "Route not found: GET /api/v1/wl/sourcing-sessions"
    );
    // A documented path with the wrong method gets the envelope too.
    let method = api.get("/sourcing-session/get-annotation").await;
    method.expect_error(405);
    // Nothing above was charged.
    assert_eq!(api.sandbox.charges().len(), 1);
}

#[tokio::test]
async fn query_parameter_problems_are_400() {
    let api = Api::start(Sandbox::builder().polls_before_done(0)).await;
    let id = api.create(&seed_body()).await;
    let paths = |answer: &Answer| -> Vec<(String, String)> {
        answer.body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["path"].as_str().unwrap().to_owned(),
                    p["kind"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    };

    let both = api.get("/sourcing-session/filters/autocomplete").await;
    both.expect_error(400);
    assert_eq!(
        paths(&both),
        pairs(&[("filter_type", "missing"), ("query", "missing")])
    );
    let no_query = api
        .get("/sourcing-session/filters/autocomplete?filter_type=region")
        .await;
    no_query.expect_error(400);
    assert_eq!(paths(&no_query), pairs(&[("query", "missing")]));
    let unknown_type = api
        .get("/sourcing-session/filters/autocomplete?filter_type=colour&query=x")
        .await;
    assert!(
        unknown_type
            .expect_error(400)
            .contains("region, country_region, skill, title")
    );

    let reveal = api
        .raw(Method::POST, "/sourcing-session/contact/reveal", None, None)
        .await;
    reveal.expect_error(400);
    assert_eq!(
        paths(&reveal),
        pairs(&[
            ("sourcingSessionId", "missing"),
            ("linkedin_profile_url", "missing"),
            ("revealType", "missing")
        ])
    );
    let invalid = api
        .raw(
            Method::POST,
            &format!(
                "/sourcing-session/contact/reveal?sourcingSessionId={id}&linkedin_profile_url=https://example.com/x&revealType=FAX"
            ),
            None,
            None,
        )
        .await;
    invalid.expect_error(400);
    assert_eq!(
        paths(&invalid),
        pairs(&[
            ("linkedin_profile_url", "invalid_url"),
            ("revealType", "wrong_shape")
        ])
    );

    let paging = api
        .get(&format!("/sourcing-session/{id}/profiles?page=0&limit=ten"))
        .await;
    paging.expect_error(400);
    assert_eq!(
        paths(&paging),
        pairs(&[("page", "wrong_shape"), ("limit", "wrong_shape")])
    );
    let no_session = api
        .get(&format!("/sourcing-session/candidate/{UNKNOWN_ID}/details"))
        .await;
    no_session.expect_error(400);
    assert_eq!(paths(&no_session), pairs(&[("sessionId", "missing")]));

    let annotation = api
        .post(
            "/sourcing-session/get-annotation",
            &json!({"linkedin_profile_url": ""}),
        )
        .await;
    annotation.expect_error(400);
    assert_eq!(paths(&annotation), pairs(&[("userText", "missing")]));
    let fetch = api
        .raw(
            Method::POST,
            &format!("/sourcing-session/{id}/fetch-more"),
            None,
            Some(b"[]".to_vec()),
        )
        .await;
    fetch.expect_error(400);
    assert_eq!(api.sandbox.charges().len(), 1);
}

#[tokio::test]
async fn bodies_over_one_mebibyte_are_413() {
    let api = Api::start(Sandbox::builder()).await;
    // Exactly the limit is accepted: the seed body padded with whitespace.
    let mut body = SEED_CURL_BODY.as_bytes().to_vec();
    body.resize(MAX_BODY_BYTES, b' ');
    let at_limit = api
        .raw(Method::POST, "/sourcing-session", None, Some(body.clone()))
        .await;
    assert_eq!(at_limit.status, StatusCode::CREATED, "{:#}", at_limit.body);
    body.push(b' ');
    let over = api
        .raw(Method::POST, "/sourcing-session", None, Some(body))
        .await;
    assert_eq!(
        over.expect_error(413),
        "Request body too large: the limit is 1048576 bytes"
    );
    assert_eq!(api.sandbox.session_count(), 1);
    assert_eq!(api.sandbox.charges().len(), 1);
}

#[tokio::test]
async fn spent_window_is_429_with_headers() {
    let api = Api::start(Sandbox::builder().rate_limit(3, Duration::from_secs(60))).await;
    for remaining in ["2", "1", "0"] {
        let ok = api.get("/projects/sessions").await;
        assert_eq!(ok.status, StatusCode::OK);
        assert_eq!(ok.header("ratelimit-remaining"), Some(remaining));
    }
    for _ in 0..2 {
        let limited = api.get("/projects/sessions").await;
        assert!(limited.expect_error(429).starts_with("Too many requests"));
        assert_eq!(limited.header("ratelimit-limit"), Some("3"));
        assert_eq!(limited.header("ratelimit-remaining"), Some("0"));
        assert_eq!(limited.header("ratelimit-policy"), Some("3;w=60"));
        let reset: u64 = limited.header("ratelimit-reset").unwrap().parse().unwrap();
        let retry: u64 = limited.header("retry-after").unwrap().parse().unwrap();
        assert!((1..=60).contains(&reset), "{reset}");
        assert_eq!(retry, reset);
    }
    // A limited create does nothing.
    let create = api.post("/sourcing-session", &seed_body()).await;
    create.expect_error(429);
    assert_eq!(api.sandbox.session_count(), 0);
}

fn assert_common_headers(answer: &Answer, what: &str) {
    for name in [
        "x-request-id",
        "ratelimit-limit",
        "ratelimit-remaining",
        "ratelimit-reset",
        "ratelimit-policy",
        "etag",
    ] {
        assert!(answer.header(name).is_some(), "{what}: no {name}");
    }
    assert_eq!(answer.header("x-powered-by"), Some("fj-sandbox"), "{what}");
    assert_eq!(
        answer.header("access-control-allow-credentials"),
        Some("true"),
        "{what}"
    );
    assert_eq!(
        answer.header("ratelimit-policy"),
        Some("1000;w=60"),
        "{what}"
    );
    let etag = answer.header("etag").unwrap();
    assert!(
        etag.len() == 18 && etag.starts_with('"') && etag.ends_with('"'),
        "{what}: {etag}"
    );
}

#[tokio::test]
async fn every_response_carries_the_common_headers() {
    let api = Api::start(Sandbox::builder().credits(5).polls_before_done(0)).await;
    let mut answers: Vec<(&str, Answer)> = Vec::new();
    let created = api.post("/sourcing-session", &seed_body()).await;
    let id = created.body["data"]["session"]["_id"]
        .as_str()
        .unwrap()
        .to_owned();
    answers.push(("201", created));
    answers.push(("200", api.get(&format!("/sourcing-session/{id}")).await));
    answers.push((
        "profiles",
        api.get(&format!("/sourcing-session/{id}/profiles")).await,
    ));
    answers.push(("402", api.post("/sourcing-session", &seed_body()).await));
    answers.push((
        "400",
        api.post("/sourcing-session", &json!({"queries": {}})).await,
    ));
    answers.push((
        "401",
        api.raw(Method::GET, "/projects/sessions", Some("bad"), None)
            .await,
    ));
    answers.push((
        "404",
        api.get(&format!("/sourcing-session/{UNKNOWN_ID}")).await,
    ));
    answers.push(("404 route", api.get("/nowhere").await));
    answers.push(("405", api.get("/sourcing-session/contact/reveal").await));
    answers.push((
        "413",
        api.raw(
            Method::POST,
            "/sourcing-session",
            None,
            Some(vec![b' '; MAX_BODY_BYTES + 1]),
        )
        .await,
    ));
    answers.push((
        "bare array",
        api.get("/sourcing-session/filters/autocomplete?filter_type=skill&query=c")
            .await,
    ));
    answers.push((
        "annotation",
        api.post(
            "/sourcing-session/get-annotation",
            &json!({"userText": "Rust"}),
        )
        .await,
    ));
    let mut ids = HashSet::new();
    for (what, answer) in &answers {
        assert_common_headers(answer, what);
        assert!(
            ids.insert(answer.header("x-request-id").unwrap().to_owned()),
            "{what}: request id reused"
        );
    }
    let limited = Api::start(Sandbox::builder().rate_limit(0, Duration::from_secs(60))).await;
    let answer = limited.get("/projects/sessions").await;
    answer.expect_error(429);
    for name in ["x-request-id", "etag", "retry-after", "ratelimit-reset"] {
        assert!(answer.header(name).is_some(), "429: no {name}");
    }
    assert!(ids.insert(answer.header("x-request-id").unwrap().to_owned()));
}

#[tokio::test]
async fn etag_follows_the_body_and_if_none_match_gives_304() {
    let api = Api::start(Sandbox::builder()).await;
    let a = api.get("/projects/sessions").await;
    let b = api.get("/projects/sessions").await;
    assert_eq!(a.header("etag"), b.header("etag"));
    let response = api
        .http
        .get(api.url("/projects/sessions"))
        .header("x-fj-api-key", &api.key)
        .header("if-none-match", a.header("etag").unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(
        response.headers().get("etag").unwrap(),
        a.header("etag").unwrap()
    );
    api.create(&seed_body()).await;
    let c = api.get("/projects/sessions").await;
    assert_ne!(a.header("etag"), c.header("etag"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_creates_never_overspend() {
    // Credits for 70 sessions, 120 attempts at once.
    let api = Api::start(Sandbox::builder().credits(5 * 70)).await;
    let body = seed_body();
    let attempts = (0..120).map(|_| api.post("/sourcing-session", &body));
    let answers = futures_util::future::join_all(attempts).await;
    let created: Vec<&Answer> = answers
        .iter()
        .filter(|a| a.status == StatusCode::CREATED)
        .collect();
    let refused = answers
        .iter()
        .filter(|a| a.status == StatusCode::PAYMENT_REQUIRED)
        .count();
    assert_eq!((created.len(), refused), (70, 50));
    assert_eq!(api.sandbox.session_count(), 70);
    assert_eq!(api.sandbox.charges().len(), 70);
    assert_eq!(api.sandbox.credits_remaining(), 0);
    // Each success saw its own balance: 345, 340, ..., 0.
    let mut balances: Vec<u64> = created
        .iter()
        .map(|a| {
            a.body["data"]["sourcing"]["creditInfo"]["remainingCredits"]
                .as_u64()
                .unwrap()
        })
        .collect();
    balances.sort_unstable();
    assert_eq!(balances, (0..70).map(|k| 5 * k).collect::<Vec<u64>>());
    let ids: HashSet<Value> = created
        .iter()
        .map(|a| a.body["data"]["session"]["_id"].clone())
        .collect();
    assert_eq!(ids.len(), 70);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_hundred_concurrent_creates_are_all_accounted_for() {
    let api = Api::start(Sandbox::builder().credits(1000)).await;
    let body = seed_body();
    let answers =
        futures_util::future::join_all((0..100).map(|_| api.post("/sourcing-session", &body)))
            .await;
    assert!(answers.iter().all(|a| a.status == StatusCode::CREATED));
    let charges = api.sandbox.charges();
    assert_eq!(api.sandbox.session_count(), 100);
    assert_eq!(charges.len(), 100);
    assert!(
        charges
            .iter()
            .all(|c| c.operation == Operation::Create && c.amount == 5)
    );
    let charged: HashSet<&str> = charges.iter().map(|c| c.session_id.as_str()).collect();
    let sessions = api.sandbox.session_ids();
    assert_eq!(charged, sessions.iter().map(String::as_str).collect());
    assert_eq!(api.sandbox.credits_remaining(), 1000 - 5 * 100);
    let listed = api.get("/projects/sessions").await;
    assert_eq!(listed.body["data"].as_array().unwrap().len(), 100);
}

#[tokio::test]
async fn hostile_bodies_get_clear_400s() {
    let api = Api::start(Sandbox::builder()).await;
    let deep = format!(
        r#"{{"queries": {}{}}}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let skills = r#""skills": {"type": "IN", "value": {"mandatory": ["C#"]}}"#;
    let cases: Vec<(Vec<u8>, &str, &str)> = vec![
        (deep.into_bytes(), "queries", "wrong_shape"),
        (
            b"{\"sessionTitle\": \"\xff\xfe\", \"queries\": {}}".to_vec(),
            "body",
            "syntax",
        ),
        (
            format!(r#"{{"queries": {{"years_of_experience_raw": {{"type": "RANGE", "value": [1, 1e400]}}, {skills}}}}}"#)
                .into_bytes(),
            "body",
            "syntax",
        ),
        (
            format!(r#"{{"queries": {{"region": {{"type": "IN", "value": ["a"]}}, "region": {{"type": "IN", "value": ["b"]}}, {skills}}}}}"#)
                .into_bytes(),
            "queries.region",
            "duplicate_key",
        ),
        (
            format!(r#"{{"queries": {{"region": {{"type": "LIKE", "value": ["a"]}}, {skills}}}}}"#)
                .into_bytes(),
            "queries.region.type",
            "unknown_operator",
        ),
    ];
    for (body, path, kind) in cases {
        let answer = api
            .raw(Method::POST, "/sourcing-session", None, Some(body))
            .await;
        answer.expect_error(400);
        assert_eq!(
            answer.body["errors"][0]["path"],
            json!(path),
            "{:#}",
            answer.body
        );
        assert_eq!(
            answer.body["errors"][0]["kind"],
            json!(kind),
            "{:#}",
            answer.body
        );
    }
    assert_eq!(api.sandbox.session_count(), 0);
}

/// Found by schemathesis: `{"": null}` was accepted by Update, the null "removing" a key that
/// never existed. A null removes only a documented key; under any other it is a 400 like any
/// other value there, and nothing is charged.
#[tokio::test]
async fn update_nulls_under_unknown_keys_are_400() {
    let api = Api::start(Sandbox::builder().polls_before_done(0)).await;
    let id = api.create(&seed_body()).await;
    let path = format!("/sourcing-session/update-session/{id}");
    for (body, problem) in [
        (json!({"": null}), r#"body[""]"#),
        (json!({"title": null}), "title"),
        (json!({"queries": {"regions": null}}), "queries.regions"),
        (
            json!({"jdDetail": {"sampleProfileUrl": null}}),
            "jdDetail.sampleProfileUrl",
        ),
    ] {
        let answer = api.patch(&path, &body).await;
        answer.expect_error(400);
        assert_eq!(
            answer.body["errors"],
            json!([{
                "path": problem,
                "kind": "unknown_key",
                "message": answer.body["errors"][0]["message"],
            }]),
            "{body}"
        );
    }
    // Documented keys are still removed by a null.
    let answer = api
        .patch(
            &path,
            &json!({"sessionTitle": null, "jdDetail": {"userText": null}, "queries": {"country_region": null}}),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{:#}", answer.body);
    let session = &api.get(&format!("/sourcing-session/{id}")).await.body["data"]["session"];
    assert_eq!(session["sessionTitle"], json!(""));
    assert_eq!(session["jdDetail"]["userText"], json!(""));
    assert_eq!(session["queries"].get("country_region"), None);
    // One create and one update charged; the refused updates cost nothing.
    assert_eq!(api.sandbox.charges().len(), 2);
}

/// Found by schemathesis: Fetch More took a body of form feed and carriage return for an empty
/// one (`trim_ascii` trims more than JSON's whitespace). Only a body with no bytes at all stands
/// for `{}`; whitespace alone is not JSON and is a 400, charged nothing.
#[tokio::test]
async fn fetch_more_takes_no_body_or_a_json_object_only() {
    let api = Api::start(Sandbox::builder().polls_before_done(0)).await;
    let id = api.create(&seed_body()).await;
    let path = format!("/sourcing-session/{id}/fetch-more");
    for body in [&b"\x0c\r"[..], b" ", b"\r\n", b"null"] {
        let answer = api
            .raw(Method::POST, &path, None, Some(body.to_vec()))
            .await;
        answer.expect_error(400);
        assert_eq!(answer.body["errors"][0]["path"], json!("body"), "{body:?}");
    }
    assert_eq!(api.sandbox.charges().len(), 1);
    for body in [None, Some(b"{}".to_vec()), Some(b" {\"x\": 1} ".to_vec())] {
        let answer = api.raw(Method::POST, &path, None, body).await;
        assert_eq!(answer.status, StatusCode::OK, "{:#}", answer.body);
    }
    assert_eq!(api.sandbox.charges().len(), 4);
}
