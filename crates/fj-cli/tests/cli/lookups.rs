//! `fj session`, `fj sessions`, `fj autocomplete`, `fj jd`.

use fj_sourcing::SessionRequest;

use crate::support::*;

#[test]
fn session_shows_the_status_and_count() {
    let env = Env::new();
    let id = env.done_session();
    let ran = Ran::of(env.fj().args(["session", &id, "--format", "ndjson"]));
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let row: serde_json::Value = serde_json::from_str(ran.stdout.trim_end()).unwrap();
    assert_eq!(row["id"], id.as_str());
    assert_eq!(row["status"], "done");
    assert_eq!(row["profiles"], 25);
}

#[test]
fn sessions_lists_every_session_of_the_project() {
    let env = Env::new();
    let first = env.done_session();
    let second = env.done_session();
    let ran = Ran::of(env.fj().args(["sessions", "--format", "csv"]));
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let rows = csv_rows(&ran.stdout);
    // Only what Get Project Sessions fills: no column that would always read `-`.
    assert_eq!(rows[0], ["id", "title", "profiles", "jd_text"]);
    assert_eq!(rows[1][2], "25");
    assert!(ran.stderr.contains("2 sessions"), "{}", ran.stderr);
    let ids: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    // Newest first, as the sandbox (and the reference's example) lists them.
    assert_eq!(ids, [second.as_str(), first.as_str()]);
}

#[test]
fn autocomplete_prints_the_suggestions() {
    let env = Env::new();
    let ran = Ran::of(
        env.fj()
            .args(["autocomplete", "region", "pune", "--format", "csv"]),
    );
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let rows = csv_rows(&ran.stdout);
    assert_eq!(rows[0], ["value", "label"]);
    assert!(
        rows[1..].iter().any(|r| r[0] == "Pune, Maharashtra, India"),
        "{}",
        ran.stdout
    );
}

#[test]
fn jd_prints_a_query_file_that_validates_and_searches() {
    let env = Env::new();
    let text = "Senior .NET Developer in Pune, 3-7 years of C#, ASP.NET MVC and SQL Server";
    let ran = Ran::of(
        env.fj()
            .args(["jd", text, "--title", "Senior .NET Developer"]),
    );
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let request = SessionRequest::from_json(&ran.stdout).unwrap();
    assert_eq!(request.title(), Some("Senior .NET Developer"));
    assert_eq!(request.jd_text(), Some(text));
    assert!(!request.skills().is_empty());
    // Ready for `fj validate` and `fj search` as it is.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("jd.json");
    std::fs::write(&file, &ran.stdout).unwrap();
    bare_fj().arg("validate").arg(&file).assert().code(0);
    let ran = Ran::of(env.fj().arg("search").arg(&file));
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(env.sandbox().session_count(), 1);
}

#[test]
fn jd_reads_a_file() {
    let env = Env::new();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("jd.txt");
    std::fs::write(&file, "Rust engineer, 5+ years, Rust and Kubernetes").unwrap();
    let ran = Ran::of(env.fj().args(["jd", "--file"]).arg(&file));
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let request = SessionRequest::from_json(&ran.stdout).unwrap();
    assert_eq!(
        request.jd_text(),
        Some("Rust engineer, 5+ years, Rust and Kubernetes")
    );
}
