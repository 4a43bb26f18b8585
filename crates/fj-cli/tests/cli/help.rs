//! `--help` of `fj` and of each subcommand names every flag.

use crate::support::*;

fn help(args: &[&str]) -> String {
    let ran = Ran::of(bare_fj().env("FJ_API_KEY", SECRET_KEY).args(args));
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    ran.assert_no_key();
    ran.stdout
}

fn assert_mentions(text: &str, words: &[&str]) {
    for word in words {
        assert!(text.contains(word), "missing {word} in:\n{text}");
    }
}

const CONNECTION: &[&str] = &[
    "--api-key",
    "--base-url",
    "--sandbox",
    "--quiet",
    "--verbose",
    "--json",
];

#[test]
fn fj_help_lists_every_command_and_the_global_flags() {
    let text = help(&["--help"]);
    assert_mentions(
        &text,
        &[
            "validate",
            "search",
            "profiles",
            "reveal",
            "session",
            "sessions",
            "autocomplete",
            "jd",
            "sandbox",
            "FJ_API_KEY",
            "FJ_BASE_URL",
            "Exit status",
        ],
    );
    assert_mentions(&text, CONNECTION);
}

#[test]
fn each_subcommand_help_mentions_its_flags() {
    let cases: &[(&str, &[&str])] = &[
        ("validate", &["FILE"]),
        (
            "search",
            &[
                "FILE",
                "--wait",
                "--format",
                "--limit",
                "--wait-timeout",
                "table",
                "csv",
                "ndjson",
            ],
        ),
        (
            "profiles",
            &["SESSION_ID", "--format", "--all", "--page", "--limit"],
        ),
        (
            "reveal",
            &[
                "SESSION_ID",
                "URL",
                "--email",
                "--phone",
                "--from-profiles",
                "--cap",
                "--cost-per-reveal",
                "--format",
            ],
        ),
        ("session", &["SESSION_ID", "--format"]),
        ("sessions", &["--format"]),
        (
            "autocomplete",
            &["FILTER_TYPE", "QUERY", "--limit", "--format"],
        ),
        ("jd", &["TEXT", "--file", "--title", "--linkedin-url"]),
    ];
    for (command, flags) in cases {
        let text = help(&[command, "--help"]);
        assert_mentions(&text, flags);
        if *command != "validate" {
            assert_mentions(&text, CONNECTION);
        }
    }
    let text = help(&["sandbox", "--help"]);
    assert_mentions(
        &text,
        &[
            "--addr",
            "--api-key",
            "--credits",
            "--polls",
            "--delay-ms",
            "--rate-limit",
            "--rate-window",
            "--max-page-size",
            "--batch-size",
            "--seed",
            "--create-cost",
            "--update-cost",
            "--fetch-more-cost",
            "--reveal-cost",
            "--log-format",
            "--journal-size",
            "--quiet",
        ],
    );
}
