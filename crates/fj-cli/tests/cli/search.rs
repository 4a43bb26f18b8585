//! `fj search`: create, wait, list.

use fj_sourcing::sandbox::{Fault, Operation};

use crate::support::*;

#[test]
fn wait_and_csv_give_a_header_and_the_sandboxs_candidates() {
    let env = Env::new();
    let ran = Ran::of(
        env.fj()
            .args(["search", "--wait", "--format", "csv"])
            .arg(example_query()),
    );
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let ids = env.sandbox().session_ids();
    assert_eq!(ids.len(), 1);
    let rows = csv_rows(&ran.stdout);
    assert_eq!(rows[0], CANDIDATE_HEADER);
    let printed: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    let expected = env.candidate_ids(&ids[0]);
    assert_eq!(expected.len(), 25);
    assert_eq!(printed, expected);
    // Every row is filled in: the sandbox's candidates have all eight fields.
    assert!(
        rows[1..]
            .iter()
            .all(|r| r.iter().all(|cell| !cell.is_empty()))
    );
    // The example asks for Pune: the sandbox honours `region`.
    assert!(rows[1..].iter().all(|r| r[4] == "Pune, Maharashtra, India"));
    assert!(
        ran.stderr.contains(&format!(
            "created session {}: charged 5 credits (995 remaining)",
            ids[0]
        )),
        "{}",
        ran.stderr
    );
}

#[test]
fn ndjson_lines_parse_as_json_with_the_csv_fields() {
    let env = Env::new();
    let ran = Ran::of(
        env.fj()
            .args(["search", "--wait", "--format", "ndjson", "--limit", "7"])
            .arg(example_query()),
    );
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let lines: Vec<serde_json::Value> = ran
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 7);
    let id = &env.sandbox().session_ids()[0];
    let expected = env.candidate_ids(id);
    for (line, id) in lines.iter().zip(&expected) {
        let object = line.as_object().unwrap();
        let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
        keys.sort_unstable();
        let mut header = CANDIDATE_HEADER.to_vec();
        header.sort_unstable();
        assert_eq!(keys, header);
        assert_eq!(object["id"], id.as_str());
        assert!(object["score"].is_number() && object["years"].is_number());
    }
}

#[test]
fn without_wait_it_prints_the_id_and_the_charge() {
    let env = Env::new();
    let ran = Ran::of(
        env.fj()
            .args(["search", "--format", "csv"])
            .arg(example_query()),
    );
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let id = &env.sandbox().session_ids()[0];
    assert_eq!(
        ran.stdout,
        format!("session_id,status,credits_charged,credits_remaining\n{id},processing,5,995\n")
    );
    let charges = env.sandbox().charges();
    assert_eq!(charges.len(), 1);
    assert_eq!(charges[0].operation, Operation::Create);
}

#[test]
fn waiting_off_a_terminal_prints_plain_status_lines() {
    // One poll still says `processing`, the next `done`.
    let env = Env::start(|b| b.polls_before_done(1));
    let ran = Ran::of(
        env.fj()
            .args(["search", "--wait", "--limit", "1"])
            .arg(example_query()),
    );
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let id = &env.sandbox().session_ids()[0];
    let status_lines: Vec<&str> = ran
        .stderr
        .lines()
        .filter(|l| l.starts_with(&format!("fj: session {id}: ")) && l.ends_with("s)"))
        .map(|l| l.rsplit_once(" (").unwrap().0)
        .collect();
    assert_eq!(
        status_lines,
        [
            format!("fj: session {id}: processing"),
            format!("fj: session {id}: done")
        ]
    );
    // Table output: a header and one row.
    assert_eq!(ran.stdout.lines().count(), 2, "{}", ran.stdout);
    assert!(ran.stdout.starts_with("ID "));
}

#[test]
fn an_invalid_query_is_not_sent() {
    let env = Env::new();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("q.json");
    std::fs::write(
        &file,
        r#"{"queries": {"region": {"type": "IN", "value": [""]}}}"#,
    )
    .unwrap();
    let ran = Ran::of(env.fj().args(["search", "--wait"]).arg(&file));
    assert_eq!(ran.code, 1);
    assert!(ran.stderr.contains("fj: InvalidQuery: "), "{}", ran.stderr);
    assert!(
        ran.stderr
            .contains(&format!("  {}: queries.region.value[0]: ", file.display())),
        "{}",
        ran.stderr
    );
    assert!(
        ran.stderr
            .contains(&format!("  {}: queries.skills: ", file.display())),
        "{}",
        ran.stderr
    );
    assert_eq!(env.sandbox().requests_seen(), 0);
}

#[test]
fn a_dropped_connection_on_create_is_a_transport_error_exit_3() {
    let env = Env::new();
    // Processed but never answered: ambiguous, so the credit-charging create is not retried.
    env.sandbox().inject(Fault::CloseBeforeResponse, 1);
    let ran = Ran::of(env.fj().args(["search", "--no-check"]).arg(example_query()));
    assert_eq!(ran.code, 3, "{}", ran.stderr);
    assert!(
        ran.stderr.starts_with(
            "fj: Transport: creating the session: request failed: POST /sourcing-session"
        ),
        "{}",
        ran.stderr
    );
    assert_eq!(env.sandbox().requests_seen(), 1);
}

#[test]
fn the_embedded_sandbox_needs_no_configuration() {
    let ran = Ran::of(
        bare_fj()
            .args(["--sandbox", "search", "--wait", "--format", "csv"])
            .arg(example_query()),
    );
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert!(
        ran.stderr
            .starts_with("fj: --sandbox: using an embedded sandbox at http://127.0.0.1:"),
        "{}",
        ran.stderr
    );
    let rows = csv_rows(&ran.stdout);
    assert_eq!(rows[0], CANDIDATE_HEADER);
    assert_eq!(rows.len(), 26);
}
