//! `fj sandbox`: the `fj-sandbox` program's server, with the same flags.

use std::time::Duration;

use anyhow::Context;
use fj_sourcing::sandbox::{Costs, Matching, Sandbox, SandboxBuilder};

use crate::cli::SandboxArgs;

/// The builder the flags describe.
pub fn builder(args: &SandboxArgs) -> SandboxBuilder {
    let mut builder = Sandbox::builder()
        .addr(args.addr)
        .credits(args.credits)
        .rate_limit(args.rate_limit, Duration::from_secs(args.rate_window))
        .max_page_size(args.max_page_size)
        .batch_size(args.batch_size)
        .seed(args.seed)
        .costs(Costs {
            create: args.create_cost,
            update: args.update_cost,
            fetch_more: args.fetch_more_cost,
            reveal: args.reveal_cost,
        });
    if !args.api_keys.is_empty() {
        builder = builder.api_keys(args.api_keys.iter().cloned());
    }
    if let Some(polls) = args.polls {
        builder = builder.matching(Matching::Polls(polls));
    }
    if let Some(ms) = args.delay_ms {
        builder = builder.matching(Matching::Delay(Duration::from_millis(ms)));
    }
    builder
}

/// Serves until Ctrl-C. The banner goes to standard output, as `fj-sandbox` prints it.
pub async fn run(args: &SandboxArgs) -> anyhow::Result<()> {
    let sandbox = builder(args)
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
