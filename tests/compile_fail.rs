//! Compile-time guarantees of the DSL and of the query macros: misuse does not compile, with a
//! short message naming what to write instead, and the README's chain, `session!` and patches do.
//!
//! The passing cases (`tests/ui/pass/*.rs`) are modules of this test, built with it and run by
//! `passing_cases`. The failing cases are checked twice:
//!
//! * `crate_worded_parts` (any rustc): each `tests/ui/fail/*.rs` is compiled by `rustc` against
//!   the crate just built, and its output must hold what its `.expect` file lists: the parts of
//!   the error this crate writes (an `on_unimplemented` message, label and note, a macro's message
//!   and span, a `const` assertion's message), and nothing of rustc's own wording, which a newer
//!   stable may change. The checker's own tests (`checker_*`) show it over the stored `.stderr`
//!   files: rewording every line it does not read still passes, losing one it reads fails.
//! * `ui` (trybuild): the whole `.stderr`, character for character, but only on the rustc the
//!   files were written with (1.95); on another it says so and compares nothing. trybuild builds
//!   the crate and all its dev-dependencies again in `target/tests/trybuild` (twice: with and
//!   without `--diagnostic-width`), so it is given no passing case and only type-checks: the
//!   case that fails in code generation (`empty_skills_bucket`) is left to `crate_worded_parts`.
//!
//! `include_session!`'s passing cases are in `queries_as_data.rs`.
//!
//! # `.expect` files
//!
//! One directive a line (`#` starts a comment); `{..}` in a text stands for any text (rustc's
//! rendering of a type, `fj_sourcing::ops::Range` or `Range`; the OS's words for an I/O error).
//!
//! * `error: TEXT`: a diagnostic `error: ` or `error[Exxxx]: ` whose message is TEXT. The
//!   directives after it look only inside that diagnostic (up to the next `error`/`warning`).
//! * `label: TEXT`: a span label, a line of `^` (or `-`) marks followed by TEXT.
//! * `note: TEXT`, `help: TEXT`: a `= note: TEXT` (or `note: TEXT`) line.
//! * `span: FILE:LINE:COL` or `span: FILE:LINE:COL-LINE:COL`: the diagnostic's first `-->` is at
//!   that place and, with the second form, its last `^` marks that column of that line (found by
//!   lining the marks up with the source line printed above them, so for any snippet layout).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The failing case whose error comes from code generation, not from type checking.
const CODEGEN_ONLY: &str = "empty_skills_bucket.rs";

/// The rustc the `.stderr` files were written with (`rustc --version` starts with it).
const STDERR_WRITTEN_WITH: &str = "rustc 1.95.";

/// The rustc cargo builds with: `$RUSTC` when set, as cargo itself reads it.
fn rustc() -> Command {
    Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()))
}

fn rustc_version() -> String {
    let out = rustc()
        .arg("--version")
        .output()
        .expect("run `rustc --version`");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// Printed past the test harness's capture, so that a skipped comparison is seen in CI's log.
fn say(message: &str) {
    let _ = writeln!(std::io::stderr(), "{message}");
}

#[path = "ui/pass/readme_chain.rs"]
mod readme_chain;
#[path = "ui/pass/session_macros.rs"]
mod session_macros;

#[test]
fn passing_cases() {
    readme_chain::main().expect("the README's chain builds");
    session_macros::main();
}

#[test]
fn ui() {
    let version = rustc_version();
    if version.starts_with(STDERR_WRITTEN_WITH) {
        let t = trybuild::TestCases::new();
        // With no passing case trybuild only type-checks (`cargo check`), and a `const`
        // assertion fails when code is generated: `crate_worded_parts` compiles that one.
        for case in fail_cases() {
            if !case.ends_with(CODEGEN_ONLY) {
                t.compile_fail(relative(&case));
            }
        }
    } else {
        say(&format!(
            "compile_fail: tests/ui/fail/*.stderr are {STDERR_WRITTEN_WITH}x's whole output; this \
             is {version}, so they are not compared (crate_worded_parts checks this crate's words)"
        ));
    }
}

/// The failing cases, sorted.
fn fail_cases() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ui/fail");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("read tests/ui/fail")
        .map(|entry| entry.expect("read tests/ui/fail").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no cases in {}", dir.display());
    cases
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// `tests/ui/fail/<name>.rs`, as rustc prints it when run from the package root.
fn relative(case: &Path) -> String {
    let name = case.file_name().unwrap().to_str().unwrap();
    format!("tests/ui/fail/{name}")
}

/// The `fj_sourcing` library to compile the cases against: the newest `.rlib` next to this test
/// binary. Cargo names each build (features, profile) by a hash this test cannot know, but
/// whichever build is newest was made from the current code: a change to it rebuilds the
/// library this test was linked with, after any other.
fn newest_library(deps: &Path) -> PathBuf {
    std::fs::read_dir(deps)
        .expect("read the deps directory")
        .map(|entry| entry.expect("read the deps directory").path())
        .filter(|path| {
            let name = path.file_name().unwrap().to_string_lossy();
            name.starts_with("libfj_sourcing-") && name.ends_with(".rlib")
        })
        .max_by_key(|path| path.metadata().and_then(|m| m.modified()).ok())
        .expect("an fj_sourcing .rlib in the deps directory")
}

#[test]
fn crate_worded_parts() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let exe = std::env::current_exe().expect("this test's path");
    let deps = exe.parent().expect("the deps directory");
    let library = newest_library(deps);
    let out_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("compile_fail");
    std::fs::create_dir_all(&out_dir).expect("create the output directory");

    let cases = fail_cases();
    // Object code, not linked: a `const` assertion fails only when the function is generated.
    // As many at once as there are cores.
    let jobs = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut failures = Vec::new();
    for chunk in cases.chunks(jobs) {
        let children: Vec<_> = chunk
            .iter()
            .map(|case| {
                let child = rustc()
                    .current_dir(root)
                    .env("CARGO_MANIFEST_DIR", root)
                    .args(["--edition=2024", "--crate-type=bin", "--emit=obj"])
                    .args(["--color=never", "--error-format=human"])
                    .arg("--out-dir")
                    .arg(&out_dir)
                    .arg("-L")
                    .arg(format!("dependency={}", deps.display()))
                    .arg("--extern")
                    .arg(format!("fj_sourcing={}", library.display()))
                    .arg(relative(case))
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .expect("run rustc");
                (case, child)
            })
            .collect();
        for (case, child) in children {
            let output = child.wait_with_output().expect("wait for rustc");
            let stderr = String::from_utf8_lossy(&output.stderr);
            let expect = read(&case.with_extension("expect"));
            let result = if output.status.success() {
                Err("it compiled".to_owned())
            } else {
                checker::check(&expect, &stderr, &read(case)).map(drop)
            };
            if let Err(why) = result {
                failures.push(format!(
                    "{}: {why}\n--- rustc's output:\n{stderr}",
                    relative(case)
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Each case with its stored `.stderr` (rustc 1.95's output), `.expect` and source.
fn samples() -> Vec<(String, String, String, String)> {
    fail_cases()
        .iter()
        .map(|case| {
            (
                relative(case),
                read(&case.with_extension("stderr")),
                read(&case.with_extension("expect")),
                read(case),
            )
        })
        .collect()
}

#[test]
fn checker_accepts_every_stored_output_and_any_rewording_of_rustcs_lines() {
    for (case, stderr, expect, source) in samples() {
        let used =
            checker::check(&expect, &stderr, &source).unwrap_or_else(|why| panic!("{case}: {why}"));
        assert!(!used.is_empty(), "{case}: the check read no line");
        // What a newer rustc might do to every line this crate does not write: other words,
        // other case, more text after.
        let reworded: Vec<String> = stderr
            .lines()
            .enumerate()
            .map(|(i, line)| {
                if used.contains(&i) {
                    line.to_owned()
                } else {
                    format!(
                        "{} (worded otherwise)",
                        line.replace("the", "a").to_uppercase()
                    )
                }
            })
            .collect();
        if let Err(why) = checker::check(&expect, &reworded.join("\n"), &source) {
            panic!(
                "{case}: rustc's lines reworded: {why}\n{}",
                reworded.join("\n")
            );
        }
    }
}

#[test]
fn checker_refuses_output_missing_any_line_it_reads() {
    for (case, stderr, expect, source) in samples() {
        let lines: Vec<&str> = stderr.lines().collect();
        let used = checker::check(&expect, &stderr, &source).unwrap();
        for &gone in &used {
            let mut without = lines.clone();
            without.remove(gone);
            assert!(
                checker::check(&expect, &without.join("\n"), &source).is_err(),
                "{case}: passes without line {}: {}",
                gone + 1,
                lines[gone]
            );
        }
    }
}

/// One stored output with one change, and what the checker says of it.
fn check_altered(case: &str, from: &str, to: &str) -> Result<(), String> {
    let (_, stderr, expect, source) = samples()
        .into_iter()
        .find(|(name, ..)| name.ends_with(case))
        .expect("a stored case");
    assert!(stderr.contains(from), "{case}: no `{from}` in its .stderr");
    checker::check(&expect, &stderr.replacen(from, to, 1), &source).map(drop)
}

#[test]
fn checker_lets_rustcs_wording_change() {
    let ok = |case, from, to| {
        check_altered(case, from, to).unwrap_or_else(|why| panic!("{case}: `{to}`: {why}"))
    };
    // Another error code, another help, a note more and a shorter type path in our label.
    ok("wrong_operator_range.rs", "error[E0277]", "error[E9999]");
    ok(
        "wrong_operator_range.rs",
        "= help: the trait `fj_sourcing::fields::operator_of::Region<fj_sourcing::ops::Range>` is not implemented for `fj_sourcing::fields::Region`",
        "= help: consider a different operator\n  = note: rustc might say more",
    );
    ok(
        "wrong_operator_range.rs",
        "not `fj_sourcing::ops::Range`",
        "not `Range`",
    );
    ok(
        "wrong_operator_range.rs",
        "note: required by a bound in `SessionBuilder::<S>::filter`",
        "note: the bound comes from here",
    );
    // A panicking `const` assertion reported in other words around our message.
    ok(
        "empty_skills_bucket.rs",
        "error[E0080]: evaluation panicked: ",
        "error[E0080]: evaluation of constant value failed: the evaluated program panicked at ",
    );
    // A multi-line span drawn with other guides.
    ok("session_inverted_range.rs", "|_________^", "'---------^");
}

#[test]
fn checker_catches_a_change_of_the_crates_wording() {
    let fails = |case, from, to| {
        assert!(
            check_altered(case, from, to).is_err(),
            "{case}: `{from}` -> `{to}` passes"
        )
    };
    // The on_unimplemented message, label and note.
    fails(
        "wrong_operator_range.rs",
        "use `.region_in([..])`",
        "use `.region([..])`",
    );
    fails(
        "wrong_operator_range.rs",
        "`region` takes `In`, not",
        "`region` takes `Eq`, not",
    );
    fails("build_without_skills.rs", "`.core_skills([..])` or ", "");
    // The macro's message and its span: start, and the end under the last line.
    fails(
        "session_inverted_range.rs",
        "5..=1 is inverted",
        "5..=1 is reversed",
    );
    fails(
        "session_inverted_range.rs",
        "session_inverted_range.rs:3:42",
        "session_inverted_range.rs:3:43",
    );
    fails("session_inverted_range.rs", "|_________^", "|__________^");
    fails(
        "include_session_missing_file.rs",
        "^^^^^^^^^^^^^^^^^^^^^^^^^^^",
        "^^^^^^^^^^^^^^^^^^^^^^^^^^",
    );
    // The const assertion's message.
    fails(
        "empty_skills_bucket.rs",
        "must list at least one skill",
        "must list one skill",
    );
}

/// The expectation checker; see the crate docs above for the directives.
mod checker {
    use std::collections::BTreeSet;

    /// Checks rustc's `stderr` for a case whose source is `source` against the directives of
    /// `expect`; returns the indices of the lines it read.
    pub fn check(expect: &str, stderr: &str, source: &str) -> Result<BTreeSet<usize>, String> {
        let lines: Vec<&str> = stderr.lines().collect();
        let mut used = BTreeSet::new();
        let mut block = 0..lines.len();
        let directives = expect
            .lines()
            .map(str::trim_end)
            .filter(|line| !line.is_empty() && !line.starts_with('#'));
        for directive in directives {
            let (kind, text) = directive
                .split_once(": ")
                .ok_or_else(|| format!("not a directive: `{directive}`"))?;
            let find = |mut range: std::ops::Range<usize>, what: &dyn Fn(&str) -> bool| {
                range
                    .find(|&i| what(lines[i]))
                    .ok_or_else(|| format!("no {kind} `{text}`"))
            };
            match kind {
                "error" => {
                    let start = find(block.start..lines.len(), &|line| {
                        error_message(line).is_some_and(|m| matches(text, m))
                    })?;
                    let end = (start + 1..lines.len())
                        .find(|&i| ["error", "warning"].iter().any(|w| lines[i].starts_with(w)))
                        .unwrap_or(lines.len());
                    block = start..end;
                    used.insert(start);
                }
                "label" => {
                    used.insert(find(block.clone(), &|line| {
                        label(line).is_some_and(|l| matches(text, l))
                    })?);
                }
                "note" | "help" => {
                    used.insert(find(block.clone(), &|line| {
                        let line = line.trim_start();
                        let line = line.strip_prefix("= ").unwrap_or(line);
                        line.strip_prefix(kind)
                            .and_then(|l| l.strip_prefix(": "))
                            .is_some_and(|l| matches(text, l))
                    })?);
                }
                "span" => used.extend(span(&lines, block.clone(), text, source)?),
                _ => return Err(format!("unknown directive `{kind}`")),
            }
        }
        Ok(used)
    }

    /// The message of an `error: ` or `error[E0277]: ` line.
    fn error_message(line: &str) -> Option<&str> {
        let rest = line.strip_prefix("error")?;
        let rest = match rest.strip_prefix('[') {
            Some(code) => &code[code.find(']')? + 1..],
            None => rest,
        };
        rest.strip_prefix(": ")
    }

    /// The text after the marks of a label line (`  |     ^^^^ text`).
    fn label(line: &str) -> Option<&str> {
        let marks = line.trim_start().strip_prefix('|')?;
        let text = marks.trim_start_matches([' ', '|', '_', '^', '-', '/', '\\']);
        let marks = &marks[..marks.len() - text.len()];
        (marks.contains(['^', '-']) && !text.is_empty()).then_some(text)
    }

    /// `pattern` with each `{..}` standing for any text.
    pub fn matches(pattern: &str, text: &str) -> bool {
        let mut pieces = pattern.split("{..}");
        let first = pieces.next().unwrap_or("");
        let Some(mut rest) = text.strip_prefix(first) else {
            return false;
        };
        let pieces: Vec<&str> = pieces.collect();
        let Some((last, middle)) = pieces.split_last() else {
            return rest.is_empty();
        };
        for piece in middle {
            match rest.find(piece) {
                Some(at) => rest = &rest[at + piece.len()..],
                None => return false,
            }
        }
        rest.len() >= last.len() && rest.ends_with(last)
    }

    /// Checks `FILE:LINE:COL[-LINE:COL]` against the first `-->` of the block and the marks of
    /// the snippet under it; returns the lines read.
    fn span(
        lines: &[&str],
        block: std::ops::Range<usize>,
        want: &str,
        source: &str,
    ) -> Result<Vec<usize>, String> {
        let (start, end) = match want.rsplit_once('-') {
            Some((start, end)) if !end.contains(".rs") => (start, Some(end)),
            _ => (want, None),
        };
        let arrow = block
            .clone()
            .find(|&i| lines[i].trim_start().starts_with("--> "))
            .ok_or("no `-->` location")?;
        let at = lines[arrow].trim_start()["--> ".len()..].trim_end();
        if at != start {
            return Err(format!("the span starts at {at}, not {start}"));
        }
        let Some(end) = end else {
            return Ok(vec![arrow]);
        };
        // Each source line printed in the snippet gives where its text starts on the screen;
        // the last `^` is read against the source line above it.
        let source: Vec<&str> = source.lines().collect();
        let mut code: Option<(usize, usize, usize)> = None; // (line number, offset, index)
        let mut last_mark = None;
        for (i, line) in lines.iter().enumerate().take(block.end).skip(arrow + 1) {
            let line = line.trim_end();
            let trimmed = line.trim_start();
            let digits = trimmed.len()
                - trimmed
                    .trim_start_matches(|c: char| c.is_ascii_digit())
                    .len();
            if digits > 0 && trimmed[digits..].starts_with(" |") {
                let number: usize = trimmed[..digits].parse().unwrap();
                let text = source.get(number - 1).map_or("", |s| s.trim_end());
                code = (!text.is_empty() && line.ends_with(text))
                    .then(|| (number, line.chars().count() - text.chars().count(), i));
            } else if trimmed.starts_with(['|', '.']) {
                if let Some(column) = line.rfind('^').map(|at| line[..at].chars().count()) {
                    last_mark = Some(match code {
                        Some((number, offset, at)) if column >= offset => {
                            Ok((format!("{number}:{}", column - offset + 1), [at, i]))
                        }
                        _ => Err(format!("the last `^` is under no source line: {line}")),
                    });
                }
            } else {
                break;
            }
        }
        match last_mark.ok_or("no `^` under the `-->`")?? {
            (found, read) if found == end => Ok([arrow].into_iter().chain(read).collect()),
            (found, _) => Err(format!("the span ends at {found}, not {end}")),
        }
    }

    #[test]
    fn wildcards() {
        assert!(matches("not `{..}Range`", "not `fj_sourcing::ops::Range`"));
        assert!(matches("not `{..}Range`", "not `Range`"));
        assert!(!matches("not `{..}Range`", "not `Rangex`"));
        assert!(matches("{..}a{..}", "xay"));
        assert!(!matches("{..}a{..}b", "ba"));
        assert!(!matches("abc", "abcd"));
        assert!(matches("a{..}a", "a"[..].repeat(2).as_str()));
        assert!(!matches("aa{..}aa", "aaa"));
    }
}
