//! `fj validate FILE...`: the library's request rules, offline.

use std::io::Write;

use crate::cli::ValidateArgs;
use crate::failure::{InputError, ProblemLine};

/// Prints `FILE: ok` or each problem as `FILE: <wire path>: <message>`, in the order given;
/// fails (exit 1) when any file is unreadable or invalid, after checking all of them.
pub fn run(args: &ValidateArgs) -> anyhow::Result<()> {
    let mut out = super::stdout();
    let mut invalid = 0usize;
    let mut problems: Vec<ProblemLine> = Vec::new();
    for path in &args.files {
        match super::read_query(path) {
            Ok(_) => writeln!(out, "{}: ok", path.display())?,
            Err(error) if error.problems.is_empty() => {
                // Unreadable: the message already names the file.
                writeln!(out, "{}", error.message)?;
                invalid += 1;
            }
            Err(error) => {
                for problem in &error.problems {
                    writeln!(out, "{problem}")?;
                }
                problems.extend(error.problems);
                invalid += 1;
            }
        }
    }
    out.flush()?;
    if invalid == 0 {
        return Ok(());
    }
    let total = args.files.len();
    Err(InputError {
        kind: "InvalidQuery",
        message: format!(
            "{invalid} of {total} file{} not valid",
            if total == 1 { " is" } else { "s are" }
        ),
        problems,
        problems_printed: true,
    }
    .into())
}
