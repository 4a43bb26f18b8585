//! Values checked before credits are spent (`fj validate --online`, `fj search`), and reveals
//! spent on the best-scored candidates first (`fj reveal --from-profiles`).

use std::path::PathBuf;

use fj_sourcing::sandbox::Fault;
use fj_sourcing::{Session, WaitOptions};

use crate::support::*;

/// A query with a misspelt region and mandatory skill, and a case-only seniority (advisory).
const TYPOS: &str = r#"{
  "sessionTitle": "Typos",
  "queries": {
    "current_employers.seniority_level": { "type": "IN", "value": ["senior"] },
    "region": { "type": "IN", "value": ["Pune, Maharastra, India"] },
    "skills": { "type": "IN", "value": { "mandatory": ["C#", "Kubernets"], "core": [], "secondary": [] } }
  }
}"#;

/// An advisory unknown value only.
const ADVISORY: &str = r#"{
  "queries": {
    "current_employers.seniority_level": { "type": "IN", "value": ["senior"] },
    "skills": { "type": "IN", "value": { "mandatory": ["C#"], "core": [], "secondary": [] } }
  }
}"#;

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let file = dir.path().join(name);
    std::fs::write(&file, text).unwrap();
    file
}

#[test]
fn validate_online_prints_each_unknown_value_and_exits_1_on_a_blocking_one() {
    let env = Env::new();
    let dir = tempfile::tempdir().unwrap();
    let typos = write(&dir, "typos.json", TYPOS);
    let good = example_query();
    let ran = Ran::of(
        env.fj()
            .args(["validate", "--online"])
            .arg(&typos)
            .arg(&good),
    );
    assert_eq!(ran.code, 1, "{}", ran.stderr);
    let t = typos.display();
    assert_eq!(
        ran.stdout,
        format!(
            "{t}: queries.skills.value.mandatory[1]: unknown value \"Kubernets\" (blocking); did you mean \"Kubernetes\"?\n\
             {t}: queries.current_employers.seniority_level.value[0]: unknown value \"senior\" (advisory); did you mean \"Senior\"?\n\
             {t}: queries.region.value[0]: unknown value \"Pune, Maharastra, India\" (blocking); did you mean \"Pune, Maharashtra, India\", \"Pune Division, Maharashtra, India\", \"Pune District, Maharashtra, India\"?\n\
             {}: ok\n",
            good.display()
        )
    );
    assert_eq!(
        ran.stderr,
        "fj: UnknownValue: 2 values unknown to the API would make a search find nobody\n"
    );
    assert!(env.sandbox().charges().is_empty());

    // Advisory only: printed, exit 0.
    let advisory = write(&dir, "advisory.json", ADVISORY);
    let ran = Ran::of(env.fj().args(["validate", "--online"]).arg(&advisory));
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert!(
        ran.stdout
            .ends_with(&format!("{}: ok\n", advisory.display())),
        "{}",
        ran.stdout
    );
}

#[test]
fn validate_online_ndjson_is_one_unknown_value_a_line() {
    let env = Env::new();
    let dir = tempfile::tempdir().unwrap();
    let typos = write(&dir, "typos.json", TYPOS);
    let ran = Ran::of(
        env.fj()
            .args(["validate", "--online", "--format", "ndjson"])
            .arg(&typos),
    );
    assert_eq!(ran.code, 1, "{}", ran.stderr);
    let lines: Vec<serde_json::Value> = ran
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(
        lines[0],
        serde_json::json!({
            "file": typos.display().to_string(),
            "path": "queries.skills.value.mandatory[1]",
            "value": "Kubernets",
            "suggestions": ["Kubernetes"],
            "blocking": true
        })
    );
    assert_eq!(lines[1]["blocking"], false);
}

#[test]
fn validate_online_needs_a_connection_and_offline_needs_none() {
    let ran = Ran::of(
        bare_fj()
            .args(["validate", "--online"])
            .arg(example_query()),
    );
    assert_eq!(ran.code, 1);
    assert!(
        ran.stderr.starts_with("fj: MissingApiKey: "),
        "{}",
        ran.stderr
    );
    let ran = Ran::of(
        bare_fj()
            .args(["--sandbox", "validate", "--online"])
            .arg(example_query()),
    );
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(ran.stdout, format!("{}: ok\n", example_query().display()));
}

#[test]
fn search_stops_on_a_blocking_unknown_value_with_nothing_created() {
    let env = Env::new();
    let dir = tempfile::tempdir().unwrap();
    let typos = write(&dir, "typos.json", TYPOS);
    let ran = Ran::of(env.fj().args(["search", "--wait"]).arg(&typos));
    assert_eq!(ran.code, 1, "{}", ran.stderr);
    assert_eq!(ran.stdout, "");
    let t = typos.display();
    assert!(
        ran.stderr.contains(&format!(
            "fj: warning: {t}: queries.skills.value.mandatory[1]: unknown value \"Kubernets\" (blocking); did you mean \"Kubernetes\"?\n"
        )),
        "{}",
        ran.stderr
    );
    assert!(
        ran.stderr.ends_with(&format!(
            "fj: UnknownValue: {t}: 2 values unknown to the API would make the search find \
             nobody; nothing was created and nothing charged (fix the values, or pass --no-check)\n"
        )),
        "{}",
        ran.stderr
    );
    assert_eq!(env.sandbox().session_count(), 0);
    assert!(env.sandbox().charges().is_empty());

    // ndjson: the unknown values on standard output, one a line.
    let ran = Ran::of(env.fj().args(["search", "--format", "ndjson"]).arg(&typos));
    assert_eq!(ran.code, 1, "{}", ran.stderr);
    assert_eq!(ran.stdout.lines().count(), 3, "{}", ran.stdout);
    assert_eq!(env.sandbox().session_count(), 0);

    // --no-check searches anyway: charged, and the sandbox finds nobody.
    let ran = Ran::of(
        env.fj()
            .args(["search", "--no-check", "--wait", "--format", "csv"])
            .arg(&typos),
    );
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(csv_rows(&ran.stdout).len(), 1, "a header and no candidate");
    assert_eq!(env.sandbox().charges().len(), 1);
}

#[test]
fn search_with_advisory_values_warns_and_goes_on() {
    let env = Env::new();
    let dir = tempfile::tempdir().unwrap();
    let advisory = write(&dir, "advisory.json", ADVISORY);
    let ran = Ran::of(env.fj().args(["search", "--format", "csv"]).arg(&advisory));
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert!(
        ran.stderr.contains("unknown value \"senior\" (advisory)"),
        "{}",
        ran.stderr
    );
    assert_eq!(env.sandbox().session_count(), 1);
}

#[test]
fn search_stops_when_the_check_cannot_run() {
    let env = Env::new();
    // A 500 is not retried: the first autocomplete call fails, and the check with it.
    env.sandbox().inject(Fault::Status(500), 1);
    let ran = Ran::of(env.fj().arg("search").arg(example_query()));
    assert_eq!(ran.code, 2, "{}", ran.stderr);
    assert!(
        ran.stderr.starts_with(&format!(
            "fj: Server: checking the values of {} against Filters Autocomplete, so nothing was \
             created (--no-check skips the check): ",
            example_query().display()
        )),
        "{}",
        ran.stderr
    );
    assert_eq!(env.sandbox().session_count(), 0);
    assert!(env.sandbox().charges().is_empty());
}

#[test]
fn reveal_from_profiles_spends_the_cap_on_the_best_scores_first() {
    let env = Env::new();
    let client = env.client();
    // Core and secondary skills make scores differ; a second batch, listed after the first,
    // makes the API's order differ from best first.
    let request = Session::builder()
        .region_in(["Pune, Maharashtra, India"])
        .mandatory_skills(["C#"])
        .core_skills(["SQL Server", "Azure", "Docker"])
        .secondary_skills(["React", "Kubernetes", "Redis"])
        .build()
        .unwrap();
    let id = env.done_session_for(&request);
    env.block_on(async {
        client.fetch_more(&id).await.unwrap();
        client
            .wait_until_done(&id, WaitOptions::default())
            .await
            .unwrap();
    });
    let listed: Vec<(f64, String)> = env.block_on(async {
        let page = client.profiles(&id, 1, 100).await.unwrap();
        page.docs
            .iter()
            .map(|c| (c.final_score.unwrap(), c.linkedin_url().unwrap().to_owned()))
            .collect()
    });
    assert_eq!(listed.len(), 50);
    let mut best = listed.clone();
    best.sort_by(|a, b| b.0.total_cmp(&a.0)); // stable: ties in the API's order
    let mut scores: Vec<f64> = best.iter().map(|(s, _)| *s).collect();
    scores.dedup();
    assert!(
        scores.len() >= 2,
        "the test needs scores that differ: {scores:?}"
    );
    let min_score = scores[scores.len() - 2];
    let kept = |list: &[(f64, String)]| -> Vec<String> {
        let kept = list.iter().filter(|(s, _)| *s >= min_score);
        kept.map(|(_, u)| u.clone()).collect()
    };
    let (at_least, in_api_order) = (kept(&best), kept(&listed));
    let cap = (1..=at_least.len())
        .find(|&n| at_least[..n] != in_api_order[..n])
        .expect("the test needs a second batch that scores better than the first's last");
    let ran = Ran::of(env.fj().args([
        "reveal",
        &id,
        "--email",
        "--from-profiles",
        "--min-score",
        &min_score.to_string(),
        "--cap",
        &cap.to_string(),
        "--format",
        "csv",
    ]));
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let rows = csv_rows(&ran.stdout);
    let revealed: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(revealed, at_least[..cap]);
    let below = listed.len() - at_least.len();
    assert!(
        ran.stderr.contains(&format!(
            "fj: {below} candidates below --min-score were left out"
        )),
        "{}",
        ran.stderr
    );
}
