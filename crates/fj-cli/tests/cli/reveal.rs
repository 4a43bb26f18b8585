//! `fj reveal`: the library's bulk call, de-duplicated, within the cap, rows in URL order.

use fj_sourcing::RevealType;
use fj_sourcing::sandbox::Operation;

use crate::support::*;

fn reveal_charges(env: &Env, kind: RevealType) -> usize {
    env.sandbox()
        .charges()
        .iter()
        .filter(|c| c.operation == Operation::Reveal(kind))
        .count()
}

#[test]
fn the_cap_stops_before_the_reveal_that_would_exceed_it() {
    let env = Env::new();
    let id = env.done_session();
    let urls = env.candidate_urls(&id);
    let before = env.sandbox().credits_remaining();
    let ran = Ran::of(
        env.fj()
            .args(["reveal", &id, "--email", "--cap", "3", "--format", "csv"])
            .args(&urls[..5]),
    );
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(reveal_charges(&env, RevealType::Email), 3);
    assert_eq!(env.sandbox().credits_remaining(), before - 3);
    let rows = csv_rows(&ran.stdout);
    assert_eq!(rows[0], ["linkedin_url", "type", "status", "values"]);
    let revealed: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(revealed, urls[..3]);
    assert!(
        rows[1..]
            .iter()
            .all(|r| r[1] == "EMAIL" && r[2] == "FOUND" && r[3].contains('@'))
    );
    assert!(
        ran.stderr.contains(&format!(
            "fj: warning: credit cap reached: spent 3 of 3 credits; 2 reveals were not made: \
             {} (EMAIL), {} (EMAIL)",
            urls[3], urls[4]
        )),
        "{}",
        ran.stderr
    );
}

#[test]
fn the_expected_price_counts_against_the_cap_and_emails_come_first() {
    let env = Env::start(|b| {
        b.costs(fj_sourcing::sandbox::Costs {
            reveal: 2,
            ..fj_sourcing::sandbox::Costs::DEFAULT
        })
    });
    let id = env.done_session();
    let urls = env.candidate_urls(&id);
    // Both types at 2 credits each: a cap of 7 allows three reveals, the emails of all three
    // URLs, since every email is revealed before any phone number.
    let ran = Ran::of(
        env.fj()
            .args([
                "reveal",
                &id,
                "--email",
                "--phone",
                "--cap",
                "7",
                "--cost-per-reveal",
                "2",
                "--format",
                "ndjson",
            ])
            .args(&urls[..3]),
    );
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let lines: Vec<serde_json::Value> = ran
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let made: Vec<(&str, &str)> = lines
        .iter()
        .map(|l| {
            (
                l["linkedin_url"].as_str().unwrap(),
                l["type"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        made,
        [
            (urls[0].as_str(), "EMAIL"),
            (urls[1].as_str(), "EMAIL"),
            (urls[2].as_str(), "EMAIL")
        ]
    );
    assert!(
        lines
            .iter()
            .all(|l| l["values"].as_array().unwrap().len() == 1)
    );
    assert_eq!(reveal_charges(&env, RevealType::Email), 3);
    assert_eq!(reveal_charges(&env, RevealType::Phone), 0);
    assert!(
        ran.stderr.contains(&format!(
            "3 reveals were not made: {} (PHONE), {} (PHONE), {} (PHONE)",
            urls[0], urls[1], urls[2]
        )),
        "{}",
        ran.stderr
    );
}

#[test]
fn repeated_urls_are_revealed_once_and_unknown_ones_are_not_found() {
    let env = Env::new();
    let id = env.done_session();
    let urls = env.candidate_urls(&id);
    let unknown = "https://www.linkedin.com/in/nobody-in-this-session";
    let ran = Ran::of(
        env.fj()
            .args(["reveal", &id, "--phone", "--format", "csv"])
            .args([&urls[0], unknown, &urls[0], &urls[1]]),
    );
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let rows = csv_rows(&ran.stdout);
    let got: Vec<(&str, &str)> = rows[1..]
        .iter()
        .map(|r| (r[0].as_str(), r[2].as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (urls[0].as_str(), "FOUND"),
            (unknown, "NOT_FOUND"),
            (urls[1].as_str(), "FOUND")
        ]
    );
    assert_eq!(reveal_charges(&env, RevealType::Phone), 2);
}

#[test]
fn from_profiles_takes_the_sessions_candidates_within_the_cap() {
    let env = Env::new();
    let id = env.done_session();
    let urls = env.candidate_urls(&id);
    let ran = Ran::of(env.fj().args([
        "reveal",
        &id,
        "--email",
        "--from-profiles",
        "--cap",
        "4",
        "--format",
        "csv",
    ]));
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let rows = csv_rows(&ran.stdout);
    let revealed: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(revealed, urls[..4]);
    assert_eq!(reveal_charges(&env, RevealType::Email), 4);
    assert!(
        ran.stderr.contains("21 reveals were not made"),
        "{}",
        ran.stderr
    );
}

#[test]
fn a_bad_url_stops_the_run_before_anything_is_sent() {
    let env = Env::new();
    let id = env.done_session();
    let urls = env.candidate_urls(&id);
    let seen = env.sandbox().requests_seen();
    let ran = Ran::of(
        env.fj()
            .args(["reveal", &id, "--email"])
            .args([urls[0].as_str(), "linkedin.com/in/typo"]),
    );
    assert_eq!(ran.code, 1);
    assert_eq!(
        ran.stderr,
        "fj: InvalidInput: not an absolute http(s) profile URL: \"linkedin.com/in/typo\"\n"
    );
    assert_eq!(env.sandbox().requests_seen(), seen);
    assert_eq!(reveal_charges(&env, RevealType::Email), 0);
}

#[test]
fn a_contact_type_is_required() {
    let ran = Ran::of(bare_fj().args(["reveal", "s1", "https://www.linkedin.com/in/x"]));
    assert_eq!(ran.code, 1);
    assert!(ran.stderr.contains("--email"), "{}", ran.stderr);
}
