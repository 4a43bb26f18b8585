//! Point 3: hostile responses (wrong types, truncated, megabyte and endless bodies, junk
//! headers, broken HTTP) through the client, and the hostile request input `tests/parse.rs`
//! does not cover yet.

use std::time::Duration;

use fj_sourcing::{Client, Error, ProblemKind, RetryPolicy, SessionRequest};
use serde_json::Value;

use crate::scripted::{Reply, Scripted};
use crate::support::*;

/// The endpoints whose documented answers the hostile-response tests bend.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endpoint {
    Create,
    Update,
    Session,
    FetchMore,
    Profiles,
    Candidate,
    ProjectSessions,
    Reveal,
    Autocomplete,
    JdToFilters,
}

impl Endpoint {
    pub const ALL: [Endpoint; 10] = [
        Endpoint::Create,
        Endpoint::Update,
        Endpoint::Session,
        Endpoint::FetchMore,
        Endpoint::Profiles,
        Endpoint::Candidate,
        Endpoint::ProjectSessions,
        Endpoint::Reveal,
        Endpoint::Autocomplete,
        Endpoint::JdToFilters,
    ];

    /// The documented example answer (`tests/fixtures/`).
    pub fn fixture(self) -> &'static str {
        match self {
            Endpoint::Create => "create_session_201.json",
            Endpoint::Update => "update_session_200.json",
            Endpoint::Session => "session_details_200.json",
            Endpoint::FetchMore => "fetch_more_200.json",
            Endpoint::Profiles => "profiles_200.json",
            Endpoint::Candidate => "candidate_details_200.json",
            Endpoint::ProjectSessions => "project_sessions_200.json",
            Endpoint::Reveal => "reveal_contact_email_200.json",
            Endpoint::Autocomplete => "autocomplete_200.json",
            Endpoint::JdToFilters => "jd_to_filters_200.json",
        }
    }

    pub fn status(self) -> u16 {
        if self == Endpoint::Create { 201 } else { 200 }
    }

    pub fn name(self) -> &'static str {
        match self {
            Endpoint::Create => "create_session",
            Endpoint::Update => "update_session",
            Endpoint::Session => "session",
            Endpoint::FetchMore => "fetch_more",
            Endpoint::Profiles => "profiles",
            Endpoint::Candidate => "candidate",
            Endpoint::ProjectSessions => "project_sessions",
            Endpoint::Reveal => "reveal_contact",
            Endpoint::Autocomplete => "autocomplete",
            Endpoint::JdToFilters => "jd_to_filters",
        }
    }

    /// Calls the endpoint once; `Debug` of the data on success (formatting must not panic).
    pub async fn call(self, client: &Client) -> Result<String, Error> {
        let request = seed_request();
        let url = "https://www.linkedin.com/in/x";
        Ok(match self {
            Endpoint::Create => format!("{:?}", client.create_session(&request).await?),
            Endpoint::Update => {
                format!("{:?}", client.update_session("s1", &request.into()).await?)
            }
            Endpoint::Session => format!("{:?}", client.session("s1").await?),
            Endpoint::FetchMore => format!("{:?}", client.fetch_more("s1").await?),
            Endpoint::Profiles => format!("{:?}", client.profiles("s1", 1, 10).await?),
            Endpoint::Candidate => format!("{:?}", client.candidate("c1", "s1").await?),
            Endpoint::ProjectSessions => format!("{:?}", client.project_sessions().await?),
            Endpoint::Reveal => format!(
                "{:?}",
                client
                    .reveal_contact("s1", url, fj_sourcing::RevealType::Email)
                    .await?
            ),
            Endpoint::Autocomplete => {
                format!("{:?}", client.autocomplete("region", "Pune", None).await?)
            }
            Endpoint::JdToFilters => format!("{:?}", client.jd_to_filters("jd", None).await?),
        })
    }
}

fn fixture_value(endpoint: Endpoint) -> Value {
    serde_json::from_str(&fixture(endpoint.fixture())).unwrap()
}

fn no_retries(server: &Scripted) -> Client {
    client_at(
        &server.base_url(),
        RetryPolicy::none(),
        Duration::from_secs(5),
    )
}

/// A documented field given a value of the wrong type, and what the client makes of it.
pub struct WrongType {
    pub endpoint: Endpoint,
    /// JSON pointer into the documented answer ("" replaces the whole body).
    pub pointer: &'static str,
    /// The value put there, as JSON.
    pub value: &'static str,
    /// `Ok(())`: decoded (the field is read leniently); `Err(reason)`: a decode error whose
    /// reason starts with this (before serde_json's "at line .. column ..").
    pub expect: Result<(), &'static str>,
}

pub const WRONG_TYPES: &[WrongType] = &[
    WrongType {
        endpoint: Endpoint::Create,
        pointer: "/data/session/_id",
        value: "42",
        expect: Err("data.session._id: invalid type: integer `42`, expected a string"),
    },
    WrongType {
        endpoint: Endpoint::Create,
        pointer: "/data/sourcing/creditInfo/amount",
        value: r#""five""#,
        expect: Err(
            r#"data.sourcing.creditInfo.amount: invalid type: string "five", expected i64"#,
        ),
    },
    WrongType {
        endpoint: Endpoint::Create,
        pointer: "/data/sourcing/creditInfo/remainingCredits",
        value: "1e3",
        expect: Err(
            "data.sourcing.creditInfo.remainingCredits: invalid type: floating point `1000.0`, expected i64",
        ),
    },
    WrongType {
        endpoint: Endpoint::Create,
        pointer: "/data/session",
        value: "[]",
        expect: Err("data.session: invalid type: sequence, expected struct SourcingSession"),
    },
    WrongType {
        endpoint: Endpoint::Create,
        pointer: "/data",
        value: "null",
        expect: Err("data: invalid type: null, expected struct CreatedSession"),
    },
    WrongType {
        endpoint: Endpoint::Create,
        pointer: "/statusCode",
        value: r#""201""#,
        expect: Ok(()),
    },
    WrongType {
        endpoint: Endpoint::Create,
        pointer: "/message",
        value: "7",
        expect: Ok(()),
    },
    WrongType {
        endpoint: Endpoint::Create,
        pointer: "/data/sourcingError",
        value: r#"{"code": 7}"#,
        expect: Ok(()),
    },
    WrongType {
        endpoint: Endpoint::Session,
        pointer: "/data/session/profileMatchingStatus",
        value: "7",
        expect: Err(
            "data.session.profileMatchingStatus: invalid type: integer `7`, expected a string",
        ),
    },
    WrongType {
        endpoint: Endpoint::Profiles,
        pointer: "/data/docs",
        value: "{}",
        expect: Err("data.docs: invalid type: map, expected a sequence"),
    },
    WrongType {
        endpoint: Endpoint::Profiles,
        pointer: "/data/docs",
        value: "null",
        expect: Ok(()),
    },
    WrongType {
        endpoint: Endpoint::Profiles,
        pointer: "/data/totalDocs",
        value: r#""12""#,
        expect: Err(r#"data.totalDocs: invalid type: string "12", expected u64"#),
    },
    WrongType {
        endpoint: Endpoint::Profiles,
        pointer: "/data/page",
        value: "-1",
        expect: Err("data.page: invalid value: integer `-1`, expected u64"),
    },
    WrongType {
        endpoint: Endpoint::ProjectSessions,
        pointer: "/data",
        value: "{}",
        expect: Err("data: invalid type: map, expected a sequence"),
    },
    WrongType {
        endpoint: Endpoint::Reveal,
        pointer: "/data/0/values",
        value: r#""a@b.c""#,
        expect: Err(r#"data[0].values: invalid type: string "a@b.c", expected a sequence"#),
    },
    WrongType {
        endpoint: Endpoint::Autocomplete,
        pointer: "",
        value: r#"["Pune", 7, {"label": null}]"#,
        expect: Err("suggestion 2: a suggestion object has neither a `label` nor a `value`"),
    },
    WrongType {
        endpoint: Endpoint::Autocomplete,
        pointer: "",
        value: r#"{"data": "Pune"}"#,
        expect: Err(
            "expected a list of suggestions, or an envelope whose `data` (or `data.list`) is one",
        ),
    },
    WrongType {
        endpoint: Endpoint::JdToFilters,
        pointer: "",
        value: "[]",
        expect: Err("expected an object of annotations keyed by filter key"),
    },
];

/// The documented answer of `endpoint` with `value` at `pointer`.
fn bent(endpoint: Endpoint, pointer: &str, value: &str) -> Vec<u8> {
    let value: Value = serde_json::from_str(value).unwrap();
    if pointer.is_empty() {
        return serde_json::to_vec(&value).unwrap();
    }
    let mut body = fixture_value(endpoint);
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    match body.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.insert(key.to_owned(), value);
        }
        Some(Value::Array(items)) => items[key.parse::<usize>().unwrap()] = value,
        _ => panic!("{parent} is not in {}", endpoint.fixture()),
    }
    serde_json::to_vec(&body).unwrap()
}

#[test]
fn wrong_types_in_documented_fields_are_decode_errors_naming_the_field() {
    run(async {
        let server = Scripted::start().await;
        let client = no_retries(&server);
        for case in WRONG_TYPES {
            let what = format!("{} {} = {}", case.endpoint.name(), case.pointer, case.value);
            let body = bent(case.endpoint, case.pointer, case.value);
            server.push(Reply::json(case.endpoint.status(), body));
            let result = bounded(&what, case.endpoint.call(&client)).await;
            match (&case.expect, result) {
                (Ok(()), Ok(_)) => {}
                (Err(reason), Err(Error::Decode(e))) => {
                    assert!(e.reason().starts_with(reason), "{what}: {}", e.reason());
                    assert_eq!(e.status().as_u16(), case.endpoint.status(), "{what}");
                    assert!(e.body_excerpt().len() <= 1024 + 3, "{what}");
                }
                (expect, got) => panic!("{what}: expected {expect:?}, got {got:?}"),
            }
        }
        assert_eq!(server.seen(), WRONG_TYPES.len() as u64);
    });
}

#[test]
fn lenient_fields_keep_what_the_server_sent() {
    run(async {
        let server = Scripted::start().await;
        let client = no_retries(&server);
        let mut body = fixture_value(Endpoint::Create);
        body["statusCode"] = "207".into();
        body["message"] = 7.into();
        body["data"]["sourcingError"] = serde_json::json!({"code": 7});
        server.push(Reply::json(201, serde_json::to_vec(&body).unwrap()));
        let created = client.create_session(&seed_request()).await.unwrap();
        assert_eq!(created.meta.body_status_code(), Some(207));
        assert_eq!(created.meta.message(), Some("7"));
        assert_eq!(created.sourcing_error(), Some(r#"{"code":7}"#));

        let mut body = fixture_value(Endpoint::Profiles);
        body["data"]["docs"] = Value::Null;
        server.push(Reply::json(200, serde_json::to_vec(&body).unwrap()));
        assert!(client.profiles("s1", 1, 10).await.unwrap().docs.is_empty());
    });
}

/// How a truncated answer is cut, and the error kind it must give.
pub struct Truncation {
    pub name: &'static str,
    pub kind: &'static str,
}

pub const TRUNCATIONS: &[Truncation] = &[
    Truncation {
        name: "Content-Length promises the whole body, half is sent, connection closed",
        kind: "Transport",
    },
    Truncation {
        name: "chunked body without its last chunk, connection closed",
        kind: "Transport",
    },
    Truncation {
        name: "complete HTTP message whose JSON stops at 1%, 10%, 50%, 90%, 99%",
        kind: "Decode",
    },
    Truncation {
        name: "empty 2xx body",
        kind: "Decode",
    },
];

fn truncated(which: usize, body: &[u8], status: u16) -> Vec<Reply> {
    match which {
        0 => vec![Reply::Short {
            status,
            declared: body.len(),
            body: body[..body.len() / 2].to_vec(),
        }],
        1 => {
            let half = &body[..body.len() / 2];
            let mut raw = format!(
                "HTTP/1.1 {status} OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n{:x}\r\n",
                body.len()
            )
            .into_bytes();
            raw.extend_from_slice(half);
            vec![Reply::Raw(raw)]
        }
        2 => [1, 10, 50, 90, 99]
            .iter()
            .map(|pct| Reply::json(status, body[..body.len() * pct / 100].to_vec()))
            .collect(),
        _ => vec![Reply::json(status, Vec::new())],
    }
}

#[test]
fn truncated_bodies_are_transport_or_decode_errors_and_credit_calls_are_not_repeated() {
    run(async {
        for endpoint in [Endpoint::Create, Endpoint::Profiles] {
            let body = fixture(endpoint.fixture()).into_bytes();
            for (which, case) in TRUNCATIONS.iter().enumerate() {
                for reply in truncated(which, &body, endpoint.status()) {
                    let server = Scripted::start().await;
                    // Reads retry transport failures; the same damage answers every attempt.
                    server.set_default(reply);
                    let client =
                        client_at(&server.base_url(), fast_retries(), Duration::from_secs(5));
                    let what = format!("{}: {}", endpoint.name(), case.name);
                    let error = bounded(&what, endpoint.call(&client)).await.unwrap_err();
                    assert_eq!(kind(&error), case.kind, "{what}: {error}");
                    if case.kind == "Decode" {
                        // serde_json's words, in the error's source.
                        let source = std::error::Error::source(&error).map(ToString::to_string);
                        assert!(
                            source.is_some_and(|s| s.contains("EOF while parsing")),
                            "{what}: {error}"
                        );
                    }
                    let expected = match (endpoint, case.kind) {
                        (Endpoint::Create, _) | (_, "Decode") => 1,
                        _ => 3,
                    };
                    assert_eq!(server.seen(), expected, "{what}");
                }
            }
        }
    });
}

/// The client's cap on a response body.
pub const CAP: usize = 16 << 20;
pub const CAP_MESSAGE: &str = "the response body is larger than 16 MiB";

/// Large answers and what happens to them.
pub const LARGE_BODIES: &[(&str, &str)] = &[
    (
        "a page of 4,000 candidates (over 1.5 MiB)",
        "Ok, every candidate decoded",
    ),
    ("exactly 16 MiB (JSON padded with spaces)", "Ok"),
    (
        "16 MiB + 1 byte",
        "Decode: \"the response body is larger than 16 MiB\"",
    ),
    (
        "an endless chunked body on a 200",
        "Decode: \"the response body is larger than 16 MiB\", reading stops",
    ),
    (
        "an endless chunked body on a 500",
        "Decode with status 500 kept: the cap applies before the status is read",
    ),
    (
        "a body trickling one byte per 50 ms forever",
        "Timeout after the configured 500 ms",
    ),
];

#[test]
fn an_answer_sent_in_chunks_decodes_as_the_same_answer_sent_whole() {
    run(async {
        let server = Scripted::start().await;
        let client = no_retries(&server);
        let created = fixture(Endpoint::Create.fixture()).into_bytes();
        server.push(Reply::json(201, created.clone()));
        let whole = client.create_session(&seed_request()).await.unwrap();
        // The same bytes in three chunks (the client keeps a one-chunk body as it came, and
        // gathers more chunks into one buffer), then the connection closes.
        let mut raw = b"HTTP/1.1 201 Created\r\ncontent-type: application/json\r\n\
            transfer-encoding: chunked\r\nconnection: close\r\n\r\n"
            .to_vec();
        let third = created.len() / 3;
        for piece in [
            &created[..third],
            &created[third..2 * third],
            &created[2 * third..],
        ] {
            raw.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
            raw.extend_from_slice(piece);
            raw.extend_from_slice(b"\r\n");
        }
        raw.extend_from_slice(b"0\r\n\r\n");
        server.push(Reply::Raw(raw));
        let pieces = client.create_session(&seed_request()).await.unwrap();
        assert_eq!(format!("{:?}", pieces.data), format!("{:?}", whole.data));
        assert_eq!(pieces.id(), Some("6a0c77936e7a0151430c91fd"));
        assert_eq!(server.seen(), 2);
    });
}

fn padded(body: &[u8], total: usize) -> Vec<u8> {
    let mut out = body.to_vec();
    out.resize(total, b' ');
    out
}

#[test]
fn megabyte_bodies_are_read_up_to_the_cap_and_refused_beyond_it() {
    run(async {
        let server = Scripted::start().await;
        let client = no_retries(&server);
        let created = fixture(Endpoint::Create.fixture()).into_bytes();
        for (i, (name, _)) in LARGE_BODIES.iter().enumerate() {
            let seen = server.seen();
            match i {
                0 => {
                    let mut page = fixture_value(Endpoint::Profiles);
                    let doc = page["data"]["docs"][0].clone();
                    let docs: Vec<Value> = (0..4000)
                        .map(|i| {
                            let mut d = doc.clone();
                            d["_id"] = format!("c{i}").into();
                            d
                        })
                        .collect();
                    page["data"]["docs"] = Value::Array(docs);
                    let big = serde_json::to_vec(&page).unwrap();
                    assert!(big.len() > 3 << 19, "{name}: {} bytes", big.len());
                    server.push(Reply::json(200, big));
                    let answer = client.profiles("s1", 1, 10).await.unwrap();
                    assert_eq!(answer.docs.len(), 4000, "{name}");
                }
                1 => {
                    server.push(Reply::json(201, padded(&created, CAP)));
                    assert!(
                        client.create_session(&seed_request()).await.is_ok(),
                        "{name}"
                    );
                }
                2 => {
                    server.push(Reply::json(201, padded(&created, CAP + 1)));
                    let error = client.create_session(&seed_request()).await.unwrap_err();
                    assert_cap_error(&error, 201);
                }
                3 | 4 => {
                    let status = if i == 3 { 200 } else { 500 };
                    server.push(Reply::Endless {
                        status,
                        chunk: vec![b' '; 64 << 10],
                    });
                    let error = bounded(name, client.profiles("s1", 1, 10))
                        .await
                        .unwrap_err();
                    assert_cap_error(&error, status);
                }
                5 => {
                    let slow = client_at(
                        &server.base_url(),
                        RetryPolicy::none(),
                        Duration::from_millis(500),
                    );
                    server.push(Reply::Trickle {
                        status: 200,
                        every: Duration::from_millis(50),
                    });
                    let error = bounded(name, slow.profiles("s1", 1, 10)).await.unwrap_err();
                    let Error::Timeout(timeout) = &error else {
                        panic!("{name}: expected a timeout, got {error:?}");
                    };
                    assert_eq!(timeout.after(), Duration::from_millis(500));
                }
                _ => panic!("no test for {name:?}"),
            }
            assert_eq!(server.seen(), seen + 1, "{name}: one request");
        }
    });
}

fn assert_cap_error(error: &Error, status: u16) {
    let Error::Decode(decode) = error else {
        panic!("expected the cap's decode error, got {error:?}");
    };
    assert_eq!(decode.reason(), CAP_MESSAGE);
    assert_eq!(decode.status().as_u16(), status);
    assert!(decode.body_excerpt().len() <= 1024 + 3);
    assert!(error.to_string().ends_with(CAP_MESSAGE), "{error}");
}

/// A `Retry-After` value on a 429 and the wait the client reads from it (`None`: ignored).
pub const RETRY_AFTER_VALUES: &[(&[u8], Option<Duration>)] = &[
    (b"2", Some(Duration::from_secs(2))),
    (b" 3 ", Some(Duration::from_secs(3))),
    (b"0.5", Some(Duration::from_millis(500))),
    (b"soon", None),
    (b"-1", None),
    (b"NaN", None),
    (b"inf", None),
    (b"1e400", None),
    (b"1e300", None),
    (b"0x10", None),
    (b"1,000", None),
    (b"Wed, 21 Oct 2015 07:28:00 GMT", None),
    (b"", None),
    (b"\xff\xfe", None),
];

/// `RateLimit-*` values that are not numbers: kept raw, parsed as `None`, never an error.
pub const JUNK_RATE_LIMITS: &[&[u8]] = &[
    b"lots",
    b"-5",
    b"18446744073709551616",
    b"1.5",
    b"",
    b"\xc3\x28",
];

#[test]
fn header_values_that_are_not_numbers_never_fail_a_call() {
    run(async {
        let server = Scripted::start().await;
        let client = no_retries(&server);
        for (raw, expected) in RETRY_AFTER_VALUES {
            server.push(Reply::json(429, "{}").header("retry-after", raw.to_vec()));
            let error = client.session("s1").await.unwrap_err();
            let shown = String::from_utf8_lossy(raw);
            assert_eq!(kind(&error), "RateLimited", "{shown:?}");
            assert_eq!(error.retry_after(), *expected, "Retry-After {shown:?}");
            let rate_limit = error.api_error().unwrap().meta().rate_limit();
            assert_eq!(rate_limit.raw_retry_after(), Some(shown.trim()));
        }
        let session = fixture(Endpoint::Session.fixture());
        for raw in JUNK_RATE_LIMITS {
            let shown = String::from_utf8_lossy(raw).trim().to_owned();
            server.push(
                Reply::json(200, session.clone())
                    .header("ratelimit-limit", raw.to_vec())
                    .header("ratelimit-remaining", raw.to_vec())
                    .header("ratelimit-reset", raw.to_vec())
                    .header("ratelimit-policy", raw.to_vec()),
            );
            let answer = client.session("s1").await.unwrap();
            let rate_limit = answer.meta.rate_limit();
            assert_eq!(rate_limit.limit(), None, "{shown:?}");
            assert_eq!(rate_limit.remaining(), None, "{shown:?}");
            assert_eq!(rate_limit.raw_limit(), Some(shown.as_str()));
            assert_eq!(rate_limit.window(), None, "{shown:?}");
            // Reset takes decimal seconds, like Retry-After.
            let reset = (*raw == b"1.5").then(|| Duration::from_millis(1500));
            assert_eq!(rate_limit.reset(), reset, "{shown:?}");
        }
        // A junk hint on a 429 falls back to the computed backoff: the call is still retried.
        let retrying = client_at(&server.base_url(), fast_retries(), Duration::from_secs(5));
        server.push(
            Reply::json(429, "{}")
                .header("retry-after", "soon")
                .header("ratelimit-reset", "later"),
        );
        server.push(Reply::json(201, fixture(Endpoint::Create.fixture())));
        let created = retrying.create_session(&seed_request()).await.unwrap();
        assert_eq!(created.meta.attempts(), 2);
    });
}

/// Answers that are not well-formed HTTP.
pub const BROKEN_HTTP: &[(&str, &str)] = &[
    ("bytes that are not HTTP", "invalid HTTP version parsed"),
    ("200 headers", "message head is too large"),
    ("a 1 MiB header value", "message head is too large"),
];

fn broken(which: usize) -> Reply {
    let body = fixture(Endpoint::Create.fixture());
    match which {
        0 => Reply::Raw(b"garbage\r\n\r\n".to_vec()),
        1 => (0..200).fold(Reply::json(201, body), |r, i| {
            r.header(&format!("x-h{i}"), "v")
        }),
        _ => Reply::json(201, body).header("x-big", vec![b'a'; 1 << 20]),
    }
}

#[test]
fn broken_http_is_a_transport_error_and_a_create_is_sent_once() {
    run(async {
        for (which, (name, cause)) in BROKEN_HTTP.iter().enumerate() {
            let server = Scripted::start().await;
            server.set_default(broken(which));
            let client = client_at(&server.base_url(), fast_retries(), Duration::from_secs(5));
            let error = bounded(name, client.create_session(&seed_request()))
                .await
                .unwrap_err();
            assert_eq!(kind(&error), "Transport", "{name}: {error:?}");
            assert!(!error.is_connect(), "{name}");
            // The error names the call, and the last of its causes (reqwest's and below) says
            // what went wrong.
            assert_eq!(
                error.to_string(),
                "request failed: POST /sourcing-session",
                "{name}"
            );
            let root = std::iter::successors(std::error::Error::source(&error), |e| (*e).source())
                .last()
                .map(ToString::to_string);
            assert_eq!(root.as_deref(), Some(*cause), "{name}");
            assert_eq!(server.seen(), 1, "{name}: a create is never repeated");
            let error = bounded(name, client.session("s1")).await.unwrap_err();
            assert_eq!(kind(&error), "Transport", "{name}");
            assert_eq!(server.seen(), 4, "{name}: a read is tried 3 times");
        }
    });
}

/// Request bodies `tests/parse.rs` does not try, and the first problem each must give
/// (`None`: accepted, and it round-trips).
pub struct HostileRequest {
    pub name: &'static str,
    pub body: fn() -> Vec<u8>,
    pub first: Option<(&'static str, ProblemKind)>,
}

const SKILLS: &str =
    r#""skills": {"type": "IN", "value": {"mandatory": ["C#"], "core": [], "secondary": []}}"#;

fn with_queries(queries: &str) -> Vec<u8> {
    format!(r#"{{"queries": {{{queries}, {SKILLS}}}}}"#).into_bytes()
}

fn splice(before: &str, bytes: &[u8], after: &str) -> Vec<u8> {
    let mut out = before.as_bytes().to_vec();
    out.extend_from_slice(bytes);
    out.extend_from_slice(after.as_bytes());
    out
}

pub const HOSTILE_REQUESTS: &[HostileRequest] = &[
    HostileRequest {
        name: "invalid UTF-8 in a filter key",
        body: || {
            splice(
                r#"{"queries": {"reg"#,
                b"\xff",
                &format!(r#"ion": {{"type": "IN", "value": ["a"]}}, {SKILLS}}}}}"#),
            )
        },
        first: Some(("body", ProblemKind::Syntax)),
    },
    HostileRequest {
        name: "invalid UTF-8 in a filter value",
        body: || {
            splice(
                r#"{"queries": {"region": {"type": "IN", "value": [""#,
                b"\xc3\x28",
                &format!(r#""]}}, {SKILLS}}}}}"#),
            )
        },
        first: Some(("body", ProblemKind::Syntax)),
    },
    HostileRequest {
        name: "overlong UTF-8 encoding of '/' in the title",
        body: || {
            splice(
                r#"{"sessionTitle": "a"#,
                b"\xc0\xaf",
                &format!(r#"", "queries": {{{SKILLS}}}}}"#),
            )
        },
        first: Some(("body", ProblemKind::Syntax)),
    },
    HostileRequest {
        name: "lone surrogate escape in the title",
        body: || format!(r#"{{"sessionTitle": "\ud800", "queries": {{{SKILLS}}}}}"#).into_bytes(),
        first: Some(("body", ProblemKind::Syntax)),
    },
    HostileRequest {
        name: "UTF-8 byte order mark before the document",
        body: || splice("\u{feff}", b"", &format!(r#"{{"queries": {{{SKILLS}}}}}"#)),
        first: Some(("body", ProblemKind::Syntax)),
    },
    HostileRequest {
        name: "a second document after the first",
        body: || format!(r#"{{"queries": {{{SKILLS}}}}} {{}}"#).into_bytes(),
        first: Some(("body", ProblemKind::Syntax)),
    },
    HostileRequest {
        name: "empty body",
        body: Vec::new,
        first: Some(("body", ProblemKind::Syntax)),
    },
    HostileRequest {
        name: "whitespace only",
        body: || b" \n\t ".to_vec(),
        first: Some(("body", ProblemKind::Syntax)),
    },
    HostileRequest {
        name: "100,000 nested objects in jdDetail",
        body: || {
            let deep = format!("{}{}", r#"{"a":"#.repeat(100_000), "}".repeat(100_000));
            format!(r#"{{"jdDetail": {deep}, "queries": {{{SKILLS}}}}}"#).into_bytes()
        },
        first: Some(("body", ProblemKind::Syntax)),
    },
    HostileRequest {
        name: "duplicate `type` inside one filter",
        body: || with_queries(r#""region": {"type": "IN", "type": "IN", "value": ["a"]}"#),
        first: Some(("queries.region.type", ProblemKind::DuplicateKey)),
    },
    HostileRequest {
        name: "duplicate jdDetail.userText",
        body: || {
            format!(
                r#"{{"jdDetail": {{"userText": "a", "userText": "b"}}, "queries": {{{SKILLS}}}}}"#
            )
            .into_bytes()
        },
        first: Some(("jdDetail.userText", ProblemKind::DuplicateKey)),
    },
    HostileRequest {
        name: "100,000 unknown filter keys",
        body: || {
            let keys: Vec<String> = (0..100_000).map(|i| format!(r#""k{i}": 1"#)).collect();
            with_queries(&keys.join(","))
        },
        first: Some(("queries.k0", ProblemKind::UnknownKey)),
    },
    HostileRequest {
        name: "negative zero and an underflowing exponent as a range",
        body: || with_queries(r#""year_founded": {"type": "RANGE", "value": [-0, 1e-400]}"#),
        first: None,
    },
    HostileRequest {
        name: "NUL and control characters inside a value",
        body: || with_queries(r#""region": {"type": "IN", "value": ["a\u0000b\u0007c"]}"#),
        first: None,
    },
];

#[test]
fn hostile_request_bodies_get_typed_problems_or_round_trip() {
    let _guard = shared();
    for case in HOSTILE_REQUESTS {
        let body = (case.body)();
        match (SessionRequest::from_slice(&body), case.first) {
            (Err(err), Some((path, kind))) => {
                let first = &err.problems()[0];
                assert_eq!(
                    (first.path(), first.kind()),
                    (path, kind),
                    "{}: {err}",
                    case.name
                );
                assert!(!first.message().is_empty(), "{}", case.name);
                assert!(err.to_string().starts_with("invalid session request: "));
            }
            (Ok(request), None) => {
                let again = SessionRequest::from_slice(&request.to_json_vec()).unwrap();
                assert_eq!(again, request, "{}", case.name);
            }
            (got, expected) => panic!("{}: expected {expected:?}, got {got:?}", case.name),
        }
    }
}
