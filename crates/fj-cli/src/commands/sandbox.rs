//! `fj sandbox`: the `fj-sandbox` program's server, with its very flags (`fj_sandbox::cli`).

use anyhow::Context;
use fj_sandbox::cli::SandboxArgs;

/// Serves until Ctrl-C. The banner goes to standard output, as `fj-sandbox` prints it; the
/// request log to standard error unless `quiet` (`fj`'s global `-q/--quiet` is the sandbox's).
pub async fn run(args: &SandboxArgs, quiet: bool) -> anyhow::Result<()> {
    fj_sandbox::cli::show_log(quiet);
    let sandbox = args
        .clone()
        .into_builder()
        .start()
        .await
        .with_context(|| format!("cannot start the sandbox on {}", args.addr))?;
    let base = sandbox.base_url();
    // Printing the key is the point here: it is the sandbox's own, local key.
    let key = sandbox.api_key();
    println!("fj sandbox serving the FutureJobs Sourcing API at {base}");
    println!("API key: {key}");
    println!("Credits: {}", sandbox.credits_remaining());
    println!("Try:");
    println!("  FJ_BASE_URL={base} FJ_API_KEY={key} fj sessions");
    println!("  curl -s -H 'x-fj-api-key: {key}' {base}/projects/sessions");
    println!("Press Ctrl-C to stop.");
    let stop = tokio::signal::ctrl_c().await;
    sandbox.shutdown().await;
    println!("fj sandbox stopped.");
    stop.context("cannot listen for Ctrl-C")
}
