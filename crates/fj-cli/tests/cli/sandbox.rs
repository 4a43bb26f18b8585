//! `fj sandbox`: serves with the `fj-sandbox` flags.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};

use fj_sourcing::{Client, Session};

use crate::support::SECRET_KEY;

/// Kills the server when the test ends, however it ends.
struct Served(Child);

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `fj sandbox ARGS` and returns it with the lines of its banner up to `Press Ctrl-C`.
fn serve(args: &[&str]) -> (Served, Vec<String>) {
    let child = Command::new(assert_cmd::cargo::cargo_bin!("fj"))
        .arg("sandbox")
        .args(args)
        .env("FJ_API_KEY", SECRET_KEY)
        .env_remove("FJ_BASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut served = Served(child);
    let stdout = served.0.stdout.take().unwrap();
    let mut banner = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        let last = line.starts_with("Press Ctrl-C");
        banner.push(line);
        if last {
            break;
        }
    }
    (served, banner)
}

fn base_url(banner: &[String]) -> String {
    banner[0]
        .strip_prefix("fj sandbox serving the FutureJobs Sourcing API at ")
        .unwrap()
        .to_owned()
}

#[test]
fn serves_with_the_given_keys_credits_and_costs() {
    let (_served, banner) = serve(&[
        "--addr",
        "127.0.0.1:0",
        "--api-key",
        "fjk_first",
        "--api-key",
        "fjk_second",
        "--credits",
        "7",
        "--create-cost",
        "3",
        "--batch-size",
        "4",
    ]);
    assert_eq!(banner[1], "API key: fjk_first");
    assert_eq!(banner[2], "Credits: 7");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let client = Client::builder()
            .api_key("fjk_second")
            .base_url(base_url(&banner))
            .build()
            .unwrap();
        let request = Session::builder().mandatory_skills(["C#"]).build().unwrap();
        let created = client.create_session(&request).await.unwrap();
        let credits = created.credit_info().unwrap();
        assert_eq!(
            (credits.amount, credits.remaining_credits),
            (Some(3), Some(4))
        );
    });
}

#[test]
fn the_users_key_is_not_the_sandboxs() {
    // FJ_API_KEY configures clients; the served sandbox keeps its own default key.
    let (_served, banner) = serve(&["--addr", "127.0.0.1:0"]);
    assert_eq!(banner[1], "API key: fjk_sandbox_key");
    assert!(banner.iter().all(|l| !l.contains(SECRET_KEY)));
}

#[test]
fn polls_and_delay_cannot_be_combined() {
    let ran = crate::support::Ran::of(crate::support::bare_fj().args([
        "sandbox",
        "--polls",
        "2",
        "--delay-ms",
        "10",
    ]));
    assert_eq!(ran.code, 1);
    assert!(ran.stderr.contains("--polls"), "{}", ran.stderr);
}

/// Serves with `args`, creates one session through the library, stops the server and returns
/// its standard error: the request log.
fn log_of(args: &[&str]) -> String {
    let (mut served, banner) = serve(&[&["--addr", "127.0.0.1:0"], args].concat());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let client = Client::builder()
            .api_key("fjk_sandbox_key")
            .base_url(base_url(&banner))
            .build()
            .unwrap();
        let request = Session::builder().mandatory_skills(["C#"]).build().unwrap();
        client.create_session(&request).await.unwrap();
    });
    served.0.kill().unwrap();
    let mut stderr = String::new();
    let mut pipe = served.0.stderr.take().unwrap();
    pipe.read_to_string(&mut stderr).unwrap();
    assert!(!stderr.contains("fjk_"), "a key in the log: {stderr}");
    stderr
}

#[test]
fn shows_the_request_log_unless_quiet() {
    let text = log_of(&[]);
    let line: Vec<&str> = text.trim_end().split(' ').collect();
    assert_eq!(
        line[1..4],
        ["POST", "/api/v1/wl/sourcing-session", "201"],
        "{text}"
    );
    assert_eq!(line[6], "credits=5", "{text}");
    let json: serde_json::Value = serde_json::from_str(&log_of(&["--log-format", "json"])).unwrap();
    assert_eq!(
        (&json["status"], &json["creditsCharged"]),
        (&201.into(), &5.into())
    );
    // `fj`'s global -q is the sandbox's --quiet.
    assert_eq!(log_of(&["-q"]), "");
    assert_eq!(log_of(&["--quiet", "--log-format", "json"]), "");
}

#[test]
fn the_embedded_sandbox_logs_only_when_asked() {
    let quiet = crate::support::Ran::of(crate::support::bare_fj().args(["--sandbox", "sessions"]));
    assert_eq!(quiet.code, 0, "{}", quiet.stderr);
    assert!(!quiet.stderr.contains("/api/v1/wl/"), "{}", quiet.stderr);
    let asked =
        crate::support::Ran::of(crate::support::bare_fj().args(["--sandbox", "-vv", "sessions"]));
    assert_eq!(asked.code, 0, "{}", asked.stderr);
    let logged = asked
        .stderr
        .lines()
        .any(|l| l.contains(" GET /api/v1/wl/projects/sessions 200 "));
    assert!(logged, "{}", asked.stderr);
}
