//! The `fj-sandbox` program: flags, serving, and a clean stop on Ctrl-C (SIGINT).

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, ChildStdout, Command, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_fj-sandbox");

/// Kills the child when the test ends, however it ends.
struct Running {
    child: Child,
    stdout: BufReader<ChildStdout>,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Running {
    fn start(args: &[&str]) -> Running {
        let mut child = Command::new(BIN)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("fj-sandbox starts");
        let stdout = BufReader::new(child.stdout.take().expect("stdout"));
        Running { child, stdout }
    }

    fn line(&mut self) -> String {
        let mut line = String::new();
        self.stdout.read_line(&mut line).expect("a line");
        line.trim_end().to_owned()
    }
}

#[tokio::test]
async fn serves_with_flags_and_stops_on_ctrl_c() {
    let mut server = Running::start(&[
        "--addr",
        "127.0.0.1:0",
        "--api-key",
        "fjk_from_flag",
        "--credits=12",
        "--polls",
        "0",
    ]);
    let banner = server.line();
    let base = banner
        .strip_prefix("fj-sandbox serving the FutureJobs Sourcing API at ")
        .unwrap_or_else(|| panic!("unexpected banner {banner:?}"))
        .to_owned();
    assert!(
        base.starts_with("http://127.0.0.1:") && base.ends_with("/api/v1/wl"),
        "{base}"
    );
    assert_eq!(server.line(), "API key: fjk_from_flag");
    assert_eq!(server.line(), "Credits: 12");
    assert_eq!(server.line(), "Try:");
    assert_eq!(
        server.line(),
        format!("  curl -s -H 'x-fj-api-key: fjk_from_flag' {base}/projects/sessions")
    );

    // fj-sourcing's `rustls` feature may leave reqwest without a crypto provider (workspace
    // builds unify features).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::new();
    let created: Value = http
        .post(format!("{base}/sourcing-session"))
        .header("x-fj-api-key", "fjk_from_flag")
        .json(&serde_json::json!({
            "queries": {"skills": {"type": "IN", "value": {"mandatory": ["Rust"], "core": [], "secondary": []}}}
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(created["statusCode"], 201);
    assert_eq!(
        created["data"]["sourcing"]["creditInfo"]["remainingCredits"],
        7
    );
    let denied = http
        .get(format!("{base}/projects/sessions"))
        .header("x-fj-api-key", "fjk_sandbox_key")
        .send()
        .await
        .unwrap();
    assert_eq!(denied.status(), 401);

    #[cfg(unix)]
    {
        let pid = server.child.id().to_string();
        let sent = Command::new("kill").args(["-INT", &pid]).status().unwrap();
        assert!(sent.success());
        let status = server.child.wait().unwrap();
        assert!(status.success(), "{status}");
        let mut rest = String::new();
        server.stdout.read_to_string(&mut rest).unwrap();
        assert!(rest.ends_with("fj-sandbox stopped.\n"), "{rest:?}");
    }
}

#[test]
fn help_and_bad_flags() {
    let help = Command::new(BIN).arg("--help").output().unwrap();
    assert!(help.status.success());
    let text = String::from_utf8(help.stdout).unwrap();
    // clap writes value names in angle brackets.
    for flag in [
        "--addr <HOST:PORT>",
        "--api-key <KEY>",
        "--credits <N>",
        "--polls <N>",
        "--delay-ms <MS>",
        "--rate-limit <N>",
        "--rate-window <SECS>",
        "--max-page-size <N>",
        "--batch-size <N>",
        "--seed <N>",
        "--create-cost <N>",
        "--update-cost <N>",
        "--fetch-more-cost <N>",
        "--reveal-cost <N>",
        "--log-format <FORMAT>",
        "--journal-size <N>",
        "-q, --quiet",
        "[default: 127.0.0.1:4010]",
        "[default: fjk_sandbox_key]",
        "[default: 1000]",
    ] {
        assert!(text.contains(flag), "help lacks {flag}:\n{text}");
    }
    let bad = Command::new(BIN)
        .args(["--credits", "many"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    // clap's wording: the flag, the value and the reason, then where to find help.
    assert_eq!(
        String::from_utf8(bad.stderr).unwrap(),
        "error: invalid value 'many' for '--credits <N>': expects a whole number\n\n\
         For more information, try '--help'.\n"
    );
}

/// Serves with `args`, sends a create, a refused create and a request with a wrong key, stops
/// with Ctrl-C and returns standard error.
#[cfg(unix)]
async fn log_of(args: &[&str]) -> String {
    let mut server = Running::start(
        &[
            &["--addr", "127.0.0.1:0", "--api-key", "fjk_secret_1"],
            args,
        ]
        .concat(),
    );
    let banner = server.line();
    let base = banner.rsplit(' ').next().unwrap().to_owned();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::new();
    for (key, body) in [
        (
            "fjk_secret_1",
            r#"{"queries": {"skills": {"type": "IN", "value": {"mandatory": ["C#"]}}}}"#,
        ),
        ("fjk_secret_1", r#"{"queries": {"skills": 3}}"#),
        ("fjk_secret_2", "{}"),
    ] {
        let url = format!("{base}/sourcing-session");
        http.post(url)
            .header("x-fj-api-key", key)
            .body(body)
            .send()
            .await
            .unwrap();
    }
    let pid = server.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success()
    );
    assert!(server.child.wait().unwrap().success());
    let mut stderr = String::new();
    server
        .child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(
        !stderr.contains("fjk_secret"),
        "a key leaked into the log: {stderr}"
    );
    stderr
}

#[cfg(unix)]
#[tokio::test]
async fn logs_each_request_on_stderr_as_text_or_json_or_not_at_all() {
    let text = log_of(&[]).await;
    let lines: Vec<Vec<&str>> = text.lines().map(|l| l.split(' ').collect()).collect();
    assert_eq!(lines.len(), 3, "{text}");
    // time, method, path, status, latency, request id, credits[, problem: ...]
    assert_eq!(
        lines[0][1..4],
        ["POST", "/api/v1/wl/sourcing-session", "201"]
    );
    assert!(
        lines[0][0].ends_with('Z') && lines[0][4].ends_with("ms"),
        "{text}"
    );
    assert_eq!((lines[0][6], lines[0].len()), ("credits=5", 7));
    assert_eq!(
        (lines[1][3], lines[1][6], lines[1][7]),
        ("400", "credits=0", "problem:")
    );
    assert!(lines[1][8].starts_with("queries.skills:"), "{text}");
    assert_eq!(lines[2][3], "401");
    let last = text.lines().nth(2).unwrap();
    assert!(
        last.ends_with("credits=0 problem: Invalid API key"),
        "{text}"
    );

    let json = log_of(&["--log-format", "json"]).await;
    let objects: Vec<Value> = json
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(objects.len(), 3, "{json}");
    let mut keys: Vec<&String> = objects[0].as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(
        keys,
        [
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
    let briefly = |o: &Value| {
        (
            o["status"].clone(),
            o["creditsCharged"].clone(),
            o["problem"].clone(),
        )
    };
    assert_eq!(briefly(&objects[0]), (201.into(), 5.into(), Value::Null));
    assert_eq!(
        briefly(&objects[2]),
        (401.into(), 0.into(), "Invalid API key".into())
    );
    assert!(
        objects[1]["problem"]
            .as_str()
            .unwrap()
            .starts_with("queries.skills: ")
    );

    assert_eq!(log_of(&["--quiet"]).await, "");
    assert_eq!(log_of(&["-q", "--log-format", "json"]).await, "");
}
