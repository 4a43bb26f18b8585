//! Exit codes, error kinds, request ids, and the key never shown.

use fj_sourcing::sandbox::Fault;

use crate::support::*;

#[test]
fn a_wrong_key_exits_2_naming_unauthorized_and_the_request_id() {
    let env = Env::new();
    let ran = Ran::of(env.fj_with_key("fjk_wrong_key_123").arg("sessions"));
    assert_eq!(ran.code, 2);
    assert!(
        ran.stderr.starts_with(
            "fj: Unauthorized: listing the project's sessions: API key rejected: \
             GET /projects/sessions (HTTP 401, request id "
        ),
        "{}",
        ran.stderr
    );
    assert_eq!(ran.stdout, "");
    assert!(!ran.stderr.contains("fjk_wrong_key_123"), "{}", ran.stderr);
}

#[test]
fn json_errors_are_one_object_with_kind_status_and_request_id() {
    let env = Env::new();
    let ran = Ran::of(
        env.fj_with_key("fjk_wrong_key_123")
            .args(["--json", "sessions"]),
    );
    assert_eq!(ran.code, 2);
    let lines: Vec<&str> = ran.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", ran.stderr);
    let error: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    let error = &error["error"];
    assert_eq!(error["kind"], "Unauthorized");
    assert_eq!(error["exit_code"], 2);
    assert_eq!(error["status"], 401);
    let request_id = error["request_id"].as_str().unwrap();
    assert!(!request_id.is_empty());
    assert!(error["message"].as_str().unwrap().contains(request_id));
}

#[test]
fn no_key_says_how_to_set_one_or_use_the_sandbox() {
    let ran = Ran::of(bare_fj().arg("sessions"));
    assert_eq!(ran.code, 1);
    assert_eq!(
        ran.stderr,
        "fj: MissingApiKey: no API key: set FJ_API_KEY (export FJ_API_KEY=fjk_...) or pass \
         --api-key KEY; or try the command on an embedded sandbox with --sandbox\n"
    );
}

#[test]
fn a_server_error_exits_2_and_an_unknown_session_is_not_found() {
    let env = Env::new();
    env.sandbox().inject(Fault::Status(500), 1);
    let ran = Ran::of(env.fj().args(["session", "0123456789abcdef01234567"]));
    assert_eq!(ran.code, 2);
    assert!(ran.stderr.starts_with("fj: Server: "), "{}", ran.stderr);
    assert!(
        ran.stderr.contains("(HTTP 500, request id "),
        "{}",
        ran.stderr
    );
    let ran = Ran::of(env.fj().args(["session", "0123456789abcdef01234567"]));
    assert_eq!(ran.code, 2);
    assert!(
        ran.stderr.starts_with(
            "fj: NotFound: reading session 0123456789abcdef01234567: not found: \
             GET /sourcing-session/0123456789abcdef01234567 (HTTP 404, request id "
        ),
        "{}",
        ran.stderr
    );
}

#[test]
fn usage_errors_exit_1_and_can_be_json() {
    let ran = Ran::of(bare_fj().args(["profiles"]));
    assert_eq!(ran.code, 1);
    assert!(ran.stderr.contains("SESSION_ID"), "{}", ran.stderr);
    let ran = Ran::of(bare_fj().args(["--json", "search", "q.json", "--limit", "0"]));
    assert_eq!(ran.code, 1);
    let error: serde_json::Value = serde_json::from_str(ran.stderr.trim_end()).unwrap();
    assert_eq!(error["error"]["kind"], "Usage");
    assert_eq!(error["error"]["exit_code"], 1);
}

#[test]
fn no_output_line_ever_contains_the_key() {
    let env = Env::new();
    let id = env.done_session();
    let urls = env.candidate_urls(&id);
    let query = example_query();
    let query = query.to_str().unwrap();
    let runs: Vec<Vec<&str>> = vec![
        vec!["-v", "search", query, "--wait", "--format", "ndjson"],
        vec!["-v", "profiles", &id, "--all"],
        vec![
            "-v", "reveal", &id, "--email", "--cap", "1", &urls[0], &urls[1],
        ],
        vec!["-v", "session", &id],
        vec!["-v", "sessions"],
        vec!["-v", "autocomplete", "skill", "c"],
        vec!["-v", "jd", "C# developer in Pune"],
        vec!["--json", "session", "0123456789abcdef01234567"],
        vec!["profiles", &id, "--page", "0"],
    ];
    for args in &runs {
        // The key on the command line...
        Ran::of(env.fj().args(args)).assert_no_key();
        // ...and in the environment.
        Ran::of(
            bare_fj()
                .env("FJ_API_KEY", SECRET_KEY)
                .env("FJ_BASE_URL", env.sandbox().base_url())
                .args(args),
        )
        .assert_no_key();
    }
    // Rejected, and typed where an argument belongs by mistake.
    let sandbox = Env::start(|b| b.api_key("fjk_the_other_key"));
    let ran = Ran::of(sandbox.fj().args(["--json", "-v", "sessions"]));
    assert_eq!(ran.code, 2);
    ran.assert_no_key();
    let ran = Ran::of(
        bare_fj()
            .env("FJ_API_KEY", SECRET_KEY)
            .args(["sessions", SECRET_KEY]),
    );
    assert_eq!(ran.code, 1);
    ran.assert_no_key();
    assert!(ran.stderr.contains("fjk_***"), "{}", ran.stderr);
}

/// The parts of a one-line error message, `: ` apart, each of which must be said only once.
fn assert_each_cause_once(stderr: &str) {
    let line = stderr.trim_end();
    assert_eq!(line.lines().count(), 1, "{stderr}");
    let parts: Vec<&str> = line.split(": ").collect();
    for (i, part) in parts.iter().enumerate() {
        assert!(
            !parts[i + 1..].contains(part),
            "`{part}` repeated in {stderr}"
        );
    }
}

#[test]
fn a_transport_failure_prints_each_cause_once() {
    let env = Env::new();
    // A read is tried 3 times; every attempt is dropped.
    env.sandbox().inject(Fault::CloseBeforeResponse, 3);
    let ran = Ran::of(env.fj().args(["session", "0123456789abcdef01234567"]));
    assert_eq!(ran.code, 3, "{}", ran.stderr);
    assert!(
        ran.stderr.starts_with(
            "fj: Transport: reading session 0123456789abcdef01234567: request failed: \
             GET /sourcing-session/0123456789abcdef01234567: "
        ),
        "{}",
        ran.stderr
    );
    // hyper's own words for the dropped connection, below reqwest's.
    assert_eq!(
        ran.stderr
            .matches("connection closed before message completed")
            .count(),
        1,
        "{}",
        ran.stderr
    );
    assert_each_cause_once(&ran.stderr);
}

#[test]
fn a_body_that_does_not_decode_prints_each_cause_once() {
    let env = Env::new();
    env.sandbox().inject(Fault::MalformedBody, 1);
    let ran = Ran::of(env.fj().arg("sessions"));
    assert_eq!(ran.code, 2, "{}", ran.stderr);
    assert!(
        ran.stderr.starts_with(
            "fj: Decode: listing the project's sessions: unexpected response body from \
             GET /projects/sessions (HTTP 200, request id "
        ),
        "{}",
        ran.stderr
    );
    // serde_json's message, once.
    assert_eq!(
        ran.stderr.matches("EOF while parsing").count(),
        1,
        "{}",
        ran.stderr
    );
    assert_each_cause_once(&ran.stderr);
}
