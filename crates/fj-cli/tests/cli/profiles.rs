//! `fj profiles`: one page, or every page.

use std::collections::HashSet;

use crate::support::*;

#[test]
fn all_yields_every_candidate_once_over_several_pages() {
    // Pages of at most 10: --all walks three pages for 25 candidates, then 50 after Fetch More.
    let env = Env::start(|b| b.max_page_size(10));
    let id = env.done_session();
    let client = env.client();
    env.block_on(async {
        client.fetch_more(&id).await.unwrap();
        client
            .wait_until_done(&id, fj_sourcing::WaitOptions::default())
            .await
            .unwrap();
    });
    let expected = env.candidate_ids(&id);
    assert_eq!(expected.len(), 50);
    let ran = Ran::of(env.fj().args(["profiles", &id, "--all", "--format", "csv"]));
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let rows = csv_rows(&ran.stdout);
    assert_eq!(rows[0], CANDIDATE_HEADER);
    let printed: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(printed.len(), 50);
    assert_eq!(printed.iter().collect::<HashSet<_>>().len(), 50);
    assert_eq!(printed, expected);
    assert!(ran.stderr.contains("fj: 50 candidates"), "{}", ran.stderr);
}

#[test]
fn one_page_is_the_apis_page() {
    let env = Env::new();
    let id = env.done_session();
    let expected = env.candidate_ids(&id);
    let ran = Ran::of(env.fj().args([
        "profiles", &id, "--page", "2", "--limit", "5", "--format", "ndjson",
    ]));
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let printed: Vec<String> = ran
        .stdout
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["id"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(printed, expected[5..10]);
    assert!(
        ran.stderr
            .contains("fj: page 2 of 5 (25 candidates in all)"),
        "{}",
        ran.stderr
    );
}

#[test]
fn csv_on_stdout_is_clean_when_redirected() {
    let env = Env::new();
    let id = env.done_session();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.csv");
    let file = std::fs::File::create(&path).unwrap();
    let output = std::process::Command::new(assert_cmd::cargo::cargo_bin!("fj"))
        .env_remove("FJ_API_KEY")
        .env_remove("FJ_BASE_URL")
        .args([
            "--base-url",
            env.sandbox().base_url(),
            "--api-key",
            SECRET_KEY,
        ])
        .args(["-v", "profiles", &id, "--format", "csv"])
        .stdout(file)
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(output.status.success(), "{stderr}");
    // Notices and -v details went to stderr; the file holds the header and 20 rows only.
    assert!(stderr.contains("request id "), "{stderr}");
    let text = std::fs::read_to_string(&path).unwrap();
    let rows = csv_rows(&text);
    assert_eq!(rows.len(), 21);
    assert_eq!(rows[0], CANDIDATE_HEADER);
}

#[test]
fn all_and_page_cannot_be_combined() {
    let ran = Ran::of(bare_fj().args(["profiles", "s1", "--all", "--page", "2"]));
    // A usage error: exit 1, not clap's default 2 (2 means an API error here).
    assert_eq!(ran.code, 1);
    assert!(ran.stderr.contains("--all"), "{}", ran.stderr);
}
