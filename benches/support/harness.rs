//! What the benches share: the command line `cargo bench` and
//! `cargo test` hand them, and a two-worker runtime like the one the sandbox serves on.
#![allow(dead_code)] // Each bench uses part of it.

use std::process::ExitCode;

/// The command line: `--bench` (a full run, as `cargo bench` asks) or not (a quick smoke run,
/// as `cargo test --benches` asks), and any name filters.
pub struct CommandLine {
    /// Whether this is a full run.
    pub full: bool,
    filters: Vec<String>,
}

impl CommandLine {
    /// The command line of this process; `None` when it asked for `--list` (answered here with
    /// `group`, the one benchmark this program runs).
    pub fn parse(group: &str) -> Option<CommandLine> {
        let mut line = CommandLine {
            full: false,
            filters: Vec::new(),
        };
        for arg in std::env::args().skip(1) {
            match arg.as_str() {
                "--bench" => line.full = true,
                "--list" => {
                    println!("{group}: benchmark");
                    return None;
                }
                // Harness flags these programs have no use for (`--exact`, `--nocapture`, ...).
                flag if flag.starts_with('-') => {}
                filter => line.filters.push(filter.to_owned()),
            }
        }
        Some(line)
    }

    /// Whether the benchmark `name` is selected: no filter, or one that `name` contains.
    pub fn selects(&self, name: &str) -> bool {
        self.filters.is_empty() || self.filters.iter().any(|f| name.contains(f.as_str()))
    }
}

/// A multi-thread runtime with two workers, or the exit code after saying why there is none.
pub fn runtime(group: &str) -> Result<tokio::runtime::Runtime, ExitCode> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|err| {
            eprintln!("{group}: cannot build the runtime: {err}");
            ExitCode::FAILURE
        })
}
