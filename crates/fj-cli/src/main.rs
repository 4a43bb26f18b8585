#![forbid(unsafe_code)]
//! `fj`: the FutureJobs Sourcing API on the command line, on top of the `fj-sourcing` library.
//!
//! Run `fj --help`. Data goes to standard output, everything else to standard error; the exit
//! status says what went wrong (see [`failure`]).

mod cli;
mod commands;
mod connect;
mod failure;
mod output;
mod ui;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;

use crate::cli::Cli;
use crate::failure::Redactor;
use crate::ui::Ui;

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().collect();
    let redactor = Redactor::from_args(&args);
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(error) => return usage(error, &args, &redactor),
    };
    let ui = Ui::new(&cli.ui);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            let error = anyhow::Error::new(error).context("cannot start the async runtime");
            return failure::report(&error, ui.json_errors(), &redactor);
        }
    };
    match runtime.block_on(commands::run(cli, &ui)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => failure::report(&error, ui.json_errors(), &redactor),
    }
}

/// Help and version exit 0; every other clap error is a usage error, exit 1 (clap's own
/// default is 2, which `fj` uses for API errors).
fn usage(error: clap::Error, args: &[OsString], redactor: &Redactor) -> ExitCode {
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        // Help never holds the key: env values are hidden (`hide_env_values`).
        let _ = error.print();
        return if error.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        };
    }
    // Parsing failed, so `--json` is looked for by hand.
    let json = args.iter().any(|a| a == "--json");
    let message = redactor.clean(error.to_string().trim_end());
    if json {
        let message = message
            .strip_prefix("error: ")
            .unwrap_or(&message)
            .to_owned();
        failure::emit("Usage", 1, message, None, &[], true, redactor)
    } else {
        eprintln!("{message}");
        ExitCode::from(1)
    }
}
