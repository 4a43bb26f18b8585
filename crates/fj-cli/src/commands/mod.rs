//! One module per subcommand.

mod check;
mod describe;
mod jd;
mod profiles;
mod reveal;
mod sandbox;
mod search;
mod validate;

use std::io::{self, BufWriter, StdoutLock};
use std::path::Path;

use fj_sourcing::SessionRequest;

use crate::cli::{Cli, Command};
use crate::failure::InputError;
use crate::ui::Ui;

/// Standard output, buffered: data only.
pub(crate) type Out = BufWriter<StdoutLock<'static>>;

pub(crate) fn stdout() -> Out {
    BufWriter::new(io::stdout().lock())
}

/// Runs the parsed command line.
pub async fn run(cli: Cli, ui: &Ui) -> anyhow::Result<()> {
    let top = &cli.remote;
    match &cli.command {
        Command::Validate(args) => validate::run(args, args.remote.over(top), ui).await,
        Command::Search(args) => search::run(args, args.remote.over(top), ui).await,
        Command::Profiles(args) => profiles::run(args, args.remote.over(top), ui).await,
        Command::Reveal(args) => reveal::run(args, args.remote.over(top), ui).await,
        Command::Session(args) => describe::session(args, args.remote.over(top), ui).await,
        Command::Sessions(args) => describe::sessions(args, args.remote.over(top), ui).await,
        Command::Autocomplete(args) => {
            describe::autocomplete(args, args.remote.over(top), ui).await
        }
        Command::Jd(args) => jd::run(args, args.remote.over(top), ui).await,
        Command::Sandbox(args) => {
            // FJ_API_KEY and FJ_BASE_URL are ignored here: they configure clients, and this
            // command is a server.
            if top.sandbox {
                return Err(InputError::new(
                    "InvalidInput",
                    "--sandbox does not apply to `fj sandbox`, which serves a sandbox itself \
                     (see `fj sandbox --help`)",
                )
                .into());
            }
            sandbox::run(args, cli.ui.quiet).await
        }
    }
}

/// Reads and validates a query file; problems name the file and the wire path.
pub(crate) fn read_query(path: &Path) -> Result<SessionRequest, InputError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path)
        .map_err(|e| InputError::new("InvalidInput", format!("cannot read {name}: {e}")))?;
    SessionRequest::from_slice(&bytes).map_err(|e| InputError::query(&name, &e))
}
