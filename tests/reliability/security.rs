//! Point 5: the key never shows (Debug, Display, errors, logs), the sandbox compares keys in
//! constant time and listens on loopback, and the client refuses plain http off loopback and
//! never forwards the key on a redirect.

use std::time::Duration;

use fj_sandbox::{DEFAULT_ADDR, DEFAULT_PORT, Fault, Sandbox};
use fj_sourcing::WaitOptions;
use fj_sourcing::{Client, Error, RetryPolicy, RevealType};
use futures_util::StreamExt;
use reqwest::header::HeaderValue;

use crate::observe::Captured;
use crate::scripted::{Reply, Scripted};
use crate::support::*;

/// A second secret: a key a user typed wrong is a secret too.
const WRONG_KEY: &str = "fjk_wrong_77c1d0e9aa34b2";

/// Every step of the traced lifecycle, in order; the test checks it ran each one.
pub const LIFECYCLE: &[&str] = &[
    "jd_to_filters",
    "create_session after a 429 (retried)",
    "wait_until_done (polls until done)",
    "profiles",
    "profiles_stream",
    "candidate",
    "reveal_contact",
    "fetch_more",
    "update_session",
    "project_sessions after a 500 (not retried)",
    "autocomplete with an unknown filter type (400)",
    "session with an unknown id (404)",
    "project_sessions with a wrong key (401)",
    "create_session, connection closed before the answer (Transport)",
    "session, malformed body (Decode)",
    "session, answer later than the timeout (Timeout)",
    "create_session without credits (402)",
    "client configuration errors (plain http, unusable key)",
];

/// Debug and Display of a result, with the error's whole source chain.
fn shown<T: std::fmt::Debug>(result: &Result<T, Error>) -> String {
    match result {
        Ok(value) => format!("{value:?}"),
        Err(error) => {
            let mut text = format!("{error}\n{error:?}");
            let mut source = std::error::Error::source(error);
            while let Some(cause) = source {
                text.push_str(&format!("\n{cause}\n{cause:?}"));
                source = cause.source();
            }
            text
        }
    }
}

fn assert_no_secret(what: &str, text: &str) {
    for secret in [KEY, WRONG_KEY] {
        // The part after the `fjk_` prefix is what makes a key secret.
        assert!(
            !text.contains(&secret[4..]),
            "{what} contains a key ({secret}):\n{text}"
        );
    }
}

/// Runs [`LIFECYCLE`] against a sandbox; everything shown along the way, and the steps run.
async fn lifecycle() -> (Vec<String>, Vec<&'static str>) {
    let mut out = Vec::new();
    let mut steps = Vec::new();
    let sandbox = sandbox().polls_before_done(1).start().await.unwrap();
    let client = client_for(&sandbox, fast_retries(), Duration::from_secs(5));
    out.push(format!(
        "{client:?} {sandbox:?} {:?}",
        sandbox_builder_debug()
    ));
    let request = seed_request();
    let mut step = |name: &'static str, text: String| {
        steps.push(name);
        out.push(text);
    };

    let r = client.jd_to_filters("C# developer in Pune", None).await;
    step(LIFECYCLE[0], shown(&r));
    sandbox.inject(Fault::Status(429), 1);
    let r = client.create_session(&request).await;
    assert_eq!(r.as_ref().unwrap().meta.attempts(), 2);
    step(LIFECYCLE[1], shown(&r));
    let id = r.unwrap().id().unwrap().to_owned();
    let quick = WaitOptions::default()
        .with_first_interval(Duration::from_millis(5))
        .with_deadline(Duration::from_secs(10));
    let r = client.wait_until_done(&id, quick).await;
    step(LIFECYCLE[2], shown(&r));
    let r = client.profiles(&id, 1, 5).await;
    step(LIFECYCLE[3], shown(&r));
    let first = r.unwrap().docs[0].clone();
    let all: Vec<_> = client.profiles_stream(&id, 7).collect().await;
    step(LIFECYCLE[4], format!("{all:?}"));
    let r = client.candidate(first.id.as_deref().unwrap(), &id).await;
    step(LIFECYCLE[5], shown(&r));
    let r = client
        .reveal_contact(&id, first.linkedin_url().unwrap(), RevealType::Phone)
        .await;
    step(LIFECYCLE[6], shown(&r));
    let r = client.fetch_more(&id).await;
    step(LIFECYCLE[7], shown(&r));
    let r = client.update_session(&id, &request.clone().into()).await;
    step(LIFECYCLE[8], shown(&r));
    sandbox.inject(Fault::Status(500), 1);
    let r = client.project_sessions().await;
    assert_eq!(kind(r.as_ref().unwrap_err()), "Server");
    step(LIFECYCLE[9], shown(&r));
    let r = client.autocomplete("no_such_type", "x", None).await;
    assert_eq!(kind(r.as_ref().unwrap_err()), "BadRequest");
    step(LIFECYCLE[10], shown(&r));
    let r = client.session("000000000000000000000000").await;
    assert_eq!(kind(r.as_ref().unwrap_err()), "NotFound");
    step(LIFECYCLE[11], shown(&r));
    let wrong = Client::builder()
        .api_key(WRONG_KEY)
        .base_url(sandbox.base_url())
        .build()
        .unwrap();
    let r = wrong.project_sessions().await;
    assert_eq!(kind(r.as_ref().unwrap_err()), "Unauthorized");
    step(LIFECYCLE[12], format!("{wrong:?}\n{}", shown(&r)));
    sandbox.inject(Fault::CloseBeforeResponse, 1);
    let r = client.create_session(&request).await;
    assert_eq!(kind(r.as_ref().unwrap_err()), "Transport");
    step(LIFECYCLE[13], shown(&r));
    sandbox.inject(Fault::MalformedBody, 1);
    let r = client.session(&id).await;
    assert_eq!(kind(r.as_ref().unwrap_err()), "Decode");
    step(LIFECYCLE[14], shown(&r));
    let impatient = client_for(&sandbox, RetryPolicy::none(), Duration::from_millis(200));
    sandbox.inject(Fault::Latency(Duration::from_secs(2)), 1);
    let r = impatient.session(&id).await;
    assert_eq!(kind(r.as_ref().unwrap_err()), "Timeout");
    step(LIFECYCLE[15], shown(&r));
    sandbox.set_credits(0);
    let r = client.create_session(&request).await;
    assert_eq!(kind(r.as_ref().unwrap_err()), "PaymentRequired");
    step(LIFECYCLE[16], shown(&r));
    let configs = [
        Client::builder()
            .api_key(KEY)
            .base_url("http://api.example.com")
            .build(),
        Client::builder().api_key(format!("{KEY}\u{7}")).build(),
        Client::builder()
            .api_key(WRONG_KEY)
            .base_url("ftp://x")
            .build(),
    ];
    let text: Vec<String> = configs.iter().map(shown).collect();
    assert!(configs.iter().all(Result::is_err));
    step(LIFECYCLE[17], text.join("\n"));
    (out, steps)
}

fn sandbox_builder_debug() -> String {
    format!(
        "{:?}",
        Sandbox::builder().api_keys([KEY, WRONG_KEY]).credits(3)
    )
}

#[test]
fn the_key_never_shows_in_debug_display_errors_or_logs_across_a_lifecycle() {
    // Alone: `tracing` caches per-callsite interest process-wide, and a callsite first reached
    // by another test's thread while this subscriber is being installed could be missed.
    let _alone = exclusive();
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .finish();
    // One thread: the client, the sandbox and the subscriber all live on it. On the paused
    // clock, so the 200 ms timeout against the 2 s latency (and every other wait) is exact.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .unwrap();
    let (shown, steps) = tracing::subscriber::with_default(subscriber, || {
        runtime.block_on(bounded("lifecycle", lifecycle()))
    });
    drop(runtime);
    assert_eq!(steps, LIFECYCLE);
    for (text, step) in shown.iter().skip(1).zip(LIFECYCLE) {
        assert_no_secret(step, text);
    }
    assert_no_secret("Debug of the client and the sandbox", &shown[0]);

    let logs = captured.text();
    // The capture really saw the lifecycle: client spans, retries, sandbox events, statuses.
    for expected in [
        "fj_sourcing.request",
        "retrying",
        "fj_sandbox::request",
        "status=429",
        "status=500",
        "status=401",
        "status=402",
        "session polled",
    ] {
        assert!(
            logs.contains(expected),
            "the logs lack {expected:?}:\n{logs}"
        );
    }
    assert!(logs.lines().count() > 50, "{logs}");
    assert_no_secret("the logs", &logs);
}

/// Keys presented to a sandbox that accepts two keys of different lengths.
pub const ACCEPTED: [&str; 2] = [KEY, "fjk_short"];

/// A header value to present, built on demand.
type Bytes = fn() -> Vec<u8>;

/// What a client presents, and whether the sandbox must accept it.
pub const PRESENTED: &[(&str, Bytes, bool)] = &[
    ("the first key", || KEY.into(), true),
    (
        "the second key (another length)",
        || b"fjk_short".to_vec(),
        true,
    ),
    (
        "the first key, last byte changed",
        || changed(KEY, KEY.len() - 1),
        false,
    ),
    (
        "the first key, first byte changed",
        || changed(KEY, 0),
        false,
    ),
    (
        "the first key without its last byte",
        || KEY.as_bytes()[..KEY.len() - 1].to_vec(),
        false,
    ),
    (
        "the first key plus one byte",
        || format!("{KEY}0").into(),
        false,
    ),
    (
        "the second key without its last byte",
        || b"fjk_shor".to_vec(),
        false,
    ),
    (
        "both keys concatenated",
        || format!("{KEY}fjk_short").into(),
        false,
    ),
    ("an empty value", Vec::new, false),
    (
        "the first key plus a non-ASCII byte",
        || [KEY.as_bytes(), b"\xff"].concat(),
        false,
    ),
    ("8 KiB of 'a'", || vec![b'a'; 8 << 10], false),
];

fn changed(key: &str, at: usize) -> Vec<u8> {
    let mut bytes = key.as_bytes().to_vec();
    bytes[at] ^= 1;
    bytes
}

/// The comparison itself is `constant_time_eq` in `src/sandbox/layer.rs`: it visits every byte
/// of the longer input and folds the differences, with no early exit, and every configured key
/// is compared. Its timing is not asserted: on a shared 2-core machine the noise is larger than
/// the effect. What is tested is that it gives the right answer for every shape of input.
#[test]
fn the_sandbox_accepts_exactly_its_keys() {
    run(async {
        let sandbox = Sandbox::builder().api_keys(ACCEPTED).start().await.unwrap();
        // With only the `rustls` feature, reqwest needs a process-wide crypto provider.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::new();
        let url = format!("{}/projects/sessions", sandbox.base_url());
        for (name, value, accepted) in PRESENTED {
            let value = HeaderValue::from_bytes(&value()).unwrap();
            let status = http
                .get(&url)
                .header("x-fj-api-key", value)
                .send()
                .await
                .unwrap()
                .status();
            let expected = if *accepted { 200 } else { 401 };
            assert_eq!(status.as_u16(), expected, "{name}");
        }
        assert_eq!(sandbox.requests_seen(), PRESENTED.len() as u64);
    });
}

/// Base URLs and whether the client may send the key there over plain http.
pub const BASE_URLS: &[(&str, bool)] = &[
    ("http://127.0.0.1:4010/api/v1/wl", true),
    ("http://127.255.255.254/", true),
    ("http://localhost:8080", true),
    ("http://LOCALHOST/", true),
    ("http://[::1]:4010/api/v1/wl", true),
    ("http://2130706433/ (127.0.0.1 in decimal)", true),
    ("http://0x7f.1/ (127.0.0.1 in hex shorthand)", true),
    ("https://prod.api.futurejobs.ai/api/v1/wl", true),
    ("http://10.0.0.1", false),
    ("http://192.168.1.10:4010", false),
    ("http://0.0.0.0:4010", false),
    ("http://169.254.169.254/", false),
    ("http://[::]:4010", false),
    ("http://[::2]", false),
    ("http://[fe80::1]", false),
    ("http://[::ffff:127.0.0.1]/ (IPv4-mapped)", false),
    ("http://prod.api.futurejobs.ai/api/v1/wl", false),
    ("http://localhost.evil.com", false),
    ("http://evil-localhost/", false),
    ("http://localhost@evil.com/", false),
    ("http://127.0.0.1.nip.io/", false),
    ("http://localhost./ (trailing dot)", false),
];

#[test]
fn plain_http_is_refused_off_loopback() {
    let _guard = shared();
    for (entry, allowed) in BASE_URLS {
        let url = entry.split(' ').next().unwrap();
        let result = Client::builder().api_key(KEY).base_url(url).build();
        match (result, allowed) {
            (Ok(_), true) => {}
            (Err(Error::Config { message, .. }), false) => {
                assert!(
                    message.starts_with("refusing to send the API key over plain http:// to "),
                    "{url}: {message}"
                );
                assert_no_secret(url, &message);
            }
            (result, _) => panic!("{url}: expected allowed={allowed}, got {result:?}"),
        }
    }
}

#[test]
fn the_sandbox_listens_on_loopback_by_default() {
    run(async {
        assert!(
            DEFAULT_ADDR.ip().is_loopback(),
            "fj-sandbox's default address"
        );
        assert_eq!(DEFAULT_ADDR.port(), DEFAULT_PORT);
        let sandbox = Sandbox::builder().start().await.unwrap();
        assert!(sandbox.addr().ip().is_loopback(), "{}", sandbox.addr());
        assert!(sandbox.addr().is_ipv4());
        assert!(
            sandbox.base_url().starts_with("http://127.0.0.1:"),
            "{}",
            sandbox.base_url()
        );
    });
}

/// Redirect statuses: never followed, so the key never reaches the `Location` host.
pub const REDIRECTS: [u16; 5] = [301, 302, 303, 307, 308];

#[test]
fn redirects_are_not_followed_and_the_key_travels_only_in_its_header() {
    run(async {
        let elsewhere = Scripted::start().await;
        let server = Scripted::start().await;
        let client = client_at(&server.base_url(), fast_retries(), Duration::from_secs(5));
        for status in REDIRECTS {
            server.push(
                Reply::json(status, "")
                    .header("location", format!("{}/steal", elsewhere.base_url())),
            );
            let error = client.create_session(&seed_request()).await.unwrap_err();
            assert_eq!(kind(&error), "UnexpectedStatus", "{status}");
            assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        }
        assert_eq!(elsewhere.seen(), 0, "a redirect was followed");
        let received = server.received();
        assert_eq!(received.len(), REDIRECTS.len());
        for request in received {
            assert_eq!(
                request.request_line(),
                "POST /api/v1/wl/sourcing-session HTTP/1.1"
            );
            assert_eq!(request.header_values("x-fj-api-key"), [KEY]);
            let lines_with_key = request
                .head
                .lines()
                .filter(|l| l.contains(&KEY[4..]))
                .count();
            assert_eq!(lines_with_key, 1, "{}", request.head);
        }
    });
}
