//! `fj-sandbox`: the FutureJobs Sourcing API sandbox as a program.
//!
//! Run `fj-sandbox --help` for the options (they are [`fj_sandbox::cli::SandboxArgs`]). With
//! none it serves on 127.0.0.1:4010 with the key `fjk_sandbox_key` and 1000 credits, and stops
//! cleanly on Ctrl-C.

use std::process::ExitCode;

use clap::Parser;
use fj_sandbox::cli::SandboxArgs;

/// fj-sandbox: a local, stateful FutureJobs Sourcing API for trying and testing clients
#[derive(Parser, Debug)]
#[command(name = "fj-sandbox", version)]
struct Program {
    #[command(flatten)]
    sandbox: SandboxArgs,

    /// No request log on standard error
    #[arg(short, long)]
    quiet: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    // Usage errors exit with status 2 and --help with 0, both inside clap.
    let program = Program::parse();
    fj_sandbox::cli::show_log(program.quiet);
    let builder = program.sandbox.into_builder();
    let sandbox = match builder.start().await {
        Ok(sandbox) => sandbox,
        Err(err) => {
            eprintln!("fj-sandbox: cannot start: {err}");
            return ExitCode::FAILURE;
        }
    };
    let base = sandbox.base_url();
    // Printing the key is the point here: it is the sandbox's own, local key.
    let key = sandbox.api_key();
    println!("fj-sandbox serving the FutureJobs Sourcing API at {base}");
    println!("API key: {key}");
    println!("Credits: {}", sandbox.credits_remaining());
    println!("Try:");
    println!("  curl -s -H 'x-fj-api-key: {key}' {base}/projects/sessions");
    println!("Press Ctrl-C to stop.");
    if let Err(err) = tokio::signal::ctrl_c().await {
        eprintln!("fj-sandbox: cannot listen for Ctrl-C ({err}); stopping");
    }
    sandbox.shutdown().await;
    println!("fj-sandbox stopped.");
    ExitCode::SUCCESS
}
