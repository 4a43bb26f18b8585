//! `fj profiles`: one page, or every page.

use std::collections::HashSet;

use futures_util::StreamExt;

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

#[test]
fn all_with_any_pages_in_flight_prints_the_same_candidates_asking_each_page_once() {
    // Pages of at most 5: 25 candidates are 5 pages.
    let env = Env::start(|b| b.max_page_size(5));
    let id = env.done_session();
    let expected = env.candidate_ids(&id);
    for n in ["1", "3", "8"] {
        let before = env.sandbox().requests_seen();
        let ran = Ran::of(env.fj().args([
            "profiles",
            &id,
            "--all",
            "--pages-in-flight",
            n,
            "--format",
            "csv",
        ]));
        assert_eq!(ran.code, 0, "{}", ran.stderr);
        let rows = csv_rows(&ran.stdout);
        let printed: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
        assert_eq!(printed, expected, "--pages-in-flight {n}");
        assert_eq!(
            env.sandbox().requests_seen() - before,
            5,
            "--pages-in-flight {n}"
        );
    }
}

#[test]
fn pages_in_flight_is_at_least_1_and_only_with_all() {
    let ran = Ran::of(bare_fj().args(["profiles", "s1", "--all", "--pages-in-flight", "0"]));
    assert_eq!(ran.code, 1);
    assert!(
        ran.stderr
            .contains("invalid value '0' for '--pages-in-flight <N>'"),
        "{}",
        ran.stderr
    );
    let ran = Ran::of(bare_fj().args(["profiles", "s1", "--pages-in-flight", "2"]));
    assert_eq!(ran.code, 1);
    assert!(ran.stderr.contains("--all"), "{}", ran.stderr);
    let ran = Ran::of(bare_fj().args([
        "reveal",
        "s1",
        "--email",
        "--pages-in-flight",
        "2",
        "https://linkedin.com/in/a",
    ]));
    assert_eq!(ran.code, 1);
    assert!(
        ran.stderr
            .contains("the argument '--pages-in-flight <N>' cannot be used with '[URL]...'"),
        "{}",
        ran.stderr
    );
}

#[test]
fn reveal_from_profiles_walks_the_pages_with_pages_in_flight() {
    let env = Env::start(|b| b.max_page_size(5));
    let id = env.done_session();
    let client = env.client();
    let urls: HashSet<String> = env.block_on(async {
        let stream = client.profiles_stream(&id, 5);
        let candidates: Vec<_> = stream.collect().await;
        candidates
            .into_iter()
            .map(|c| c.unwrap().linkedin_url().unwrap().to_owned())
            .collect()
    });
    assert_eq!(urls.len(), 25);
    let before = env.sandbox().requests_seen();
    let ran = Ran::of(env.fj().args([
        "reveal",
        &id,
        "--email",
        "--from-profiles",
        "--pages-in-flight",
        "3",
        "--format",
        "csv",
    ]));
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let rows = csv_rows(&ran.stdout);
    let revealed: HashSet<String> = rows[1..].iter().map(|r| r[0].clone()).collect();
    assert_eq!(revealed, urls);
    // 5 pages, each once, and 25 reveals.
    assert_eq!(env.sandbox().requests_seen() - before, 30);
}
