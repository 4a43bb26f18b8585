//! `fj validate`: offline checks with the library's rules.

use fj_sourcing::SessionRequest;

use crate::support::*;

/// Three problems: a blank title, the wrong operator for `region`, an inverted range.
const THREE_PROBLEMS: &str = r#"{
  "sessionTitle": " ",
  "queries": {
    "region": { "type": "=", "value": ["Pune, Maharashtra, India"] },
    "years_of_experience_raw": { "type": "RANGE", "value": [5, 1] },
    "skills": { "type": "IN", "value": { "mandatory": ["C#"], "core": [], "secondary": [] } }
  }
}"#;

#[test]
fn a_good_file_is_ok() {
    let file = example_query();
    bare_fj()
        .arg("validate")
        .arg(&file)
        .assert()
        .code(0)
        .stdout(format!("{}: ok\n", file.display()))
        .stderr("");
}

#[test]
fn every_problem_is_printed_with_its_wire_path() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.json");
    std::fs::write(&file, THREE_PROBLEMS).unwrap();
    let ran = Ran::of(bare_fj().arg("validate").arg(&file));
    assert_eq!(ran.code, 1, "{}", ran.stderr);
    let expected: Vec<String> = SessionRequest::from_json(THREE_PROBLEMS)
        .unwrap_err()
        .problems()
        .iter()
        .map(|p| format!("{}: {}: {}", file.display(), p.path(), p.message()))
        .collect();
    let lines: Vec<&str> = ran.stdout.lines().collect();
    assert_eq!(lines, expected);
    let paths: Vec<&str> = lines
        .iter()
        .map(|l| l.split(": ").nth(1).unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "queries.region.type",
            "sessionTitle",
            "queries.years_of_experience_raw.value"
        ]
    );
    // The summary only: the problems are on standard output already.
    assert_eq!(ran.stderr, "fj: InvalidQuery: 1 of 1 file is not valid\n");
}

#[test]
fn a_missing_file_is_named_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nowhere.json");
    let good = example_query();
    let ran = Ran::of(bare_fj().arg("validate").arg(&good).arg(&missing));
    assert_eq!(ran.code, 1);
    let lines: Vec<&str> = ran.stdout.lines().collect();
    assert_eq!(lines[0], format!("{}: ok", good.display()));
    assert!(
        lines[1].starts_with(&format!("cannot read {}: ", missing.display())),
        "{}",
        lines[1]
    );
    assert!(
        ran.stderr.contains("1 of 2 files are not valid"),
        "{}",
        ran.stderr
    );
}

#[test]
fn json_errors_carry_every_problem() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.json");
    std::fs::write(&file, THREE_PROBLEMS).unwrap();
    let ran = Ran::of(bare_fj().args(["validate", "--json"]).arg(&file));
    assert_eq!(ran.code, 1);
    let error: serde_json::Value = serde_json::from_str(ran.stderr.trim_end()).unwrap();
    assert_eq!(error["error"]["kind"], "InvalidQuery");
    assert_eq!(error["error"]["exit_code"], 1);
    let problems = error["error"]["problems"].as_array().unwrap();
    let kinds: Vec<&str> = problems
        .iter()
        .map(|p| p["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["wrong_operator", "blank", "inverted_range"]);
    assert!(
        problems
            .iter()
            .all(|p| p["file"] == file.display().to_string())
    );
}
