//! `fj validate [--online] FILE...`: the library's request rules, offline; with `--online`, the
//! values checked against Filters Autocomplete too.

use std::io::Write;

use anyhow::Context;
use fj_sourcing::Client;

use super::check::{self, UnknownRow};
use crate::cli::{Format, Target, ValidateArgs};
use crate::connect::Connection;
use crate::failure::{InputError, ProblemLine};
use crate::output::Sink;
use crate::ui::Ui;

/// Prints `FILE: ok` or each problem as `FILE: <wire path>: <message>`, in the order given, and
/// with `--online` each unknown value (as a line, or a CSV/ndjson record); fails (exit 1) when
/// any file is unreadable or invalid, or has a blocking unknown value, after checking all of them.
pub async fn run(args: &ValidateArgs, target: Target, ui: &Ui) -> anyhow::Result<()> {
    let connection = if args.online {
        Some(Connection::open(target, ui).await?)
    } else {
        None
    };
    let result = validate(args, connection.as_ref().map(|c| &c.client), ui).await;
    if let Some(connection) = connection {
        connection.close().await;
    }
    result
}

async fn validate(args: &ValidateArgs, client: Option<&Client>, ui: &Ui) -> anyhow::Result<()> {
    // Lines for people; CSV and ndjson carry the unknown values only (problems go to the error).
    let lines = args.format == Format::Table;
    let mut out = super::stdout();
    let mut records = if lines {
        None
    } else {
        Some(Sink::new::<UnknownRow>(args.format, super::stdout())?)
    };
    let (mut invalid, mut blocking) = (0usize, 0usize);
    let mut problems: Vec<ProblemLine> = Vec::new();
    for path in &args.files {
        let name = path.display().to_string();
        match super::read_query(path) {
            Ok(request) => {
                let mut unknown = Vec::new();
                if let Some(client) = client {
                    let report = client
                        .check_values(&request)
                        .await
                        .with_context(|| format!("checking the values of {name}"))?;
                    unknown = check::rows(&name, &report, ui);
                }
                for row in &unknown {
                    match &mut records {
                        Some(sink) => sink.write(row)?,
                        None => writeln!(out, "{row}")?,
                    }
                }
                let blocked = unknown.iter().filter(|row| row.blocking).count();
                blocking += blocked;
                if lines && blocked == 0 {
                    writeln!(out, "{name}: ok")?;
                }
            }
            Err(error) if error.problems.is_empty() => {
                // Unreadable: the message already names the file.
                if lines {
                    writeln!(out, "{}", error.message)?;
                } else {
                    ui.warn(&error.message);
                }
                invalid += 1;
            }
            Err(error) => {
                if lines {
                    for problem in &error.problems {
                        writeln!(out, "{problem}")?;
                    }
                }
                problems.extend(error.problems);
                invalid += 1;
            }
        }
    }
    out.flush()?;
    if let Some(sink) = records {
        sink.finish()?;
    }
    if invalid == 0 && blocking == 0 {
        return Ok(());
    }
    let total = args.files.len();
    let mut message = match invalid {
        0 => String::new(),
        _ => format!(
            "{invalid} of {total} file{} not valid",
            if total == 1 { " is" } else { "s are" }
        ),
    };
    if blocking > 0 {
        let sep = if message.is_empty() { "" } else { "; " };
        let s = if blocking == 1 { "" } else { "s" };
        message +=
            &format!("{sep}{blocking} value{s} unknown to the API would make a search find nobody");
    }
    Err(InputError {
        kind: if invalid > 0 {
            "InvalidQuery"
        } else {
            "UnknownValue"
        },
        message,
        problems,
        problems_printed: lines,
    }
    .into())
}
