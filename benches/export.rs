//! Export speed of `Client::profiles_stream` (issue 25): every candidate of a session of 10
//! pages (500 candidates, pages of 50) from a sandbox that delays each answer by 100 ms, with
//! n = 1, 2, 4 and 8 pages in flight. Each time is given as a ratio to its limit, 1 +
//! ceil(9 / n) round trips: the first page alone (it tells how many pages there are), then the
//! other nine in waves of n.
//!
//! The sandbox and the client share one runtime of two workers, as in `benches/sandbox.rs`.
//!
//! * `cargo bench --bench export`: each n 5 times, interleaved; prints every time, the medians
//!   and their ratios, and fails (exit 1) when n = 4 takes more than 1.3x its limit or when an
//!   export yields other candidates, or in another order, than the one-page-at-a-time export.
//! * Without `--bench` (`cargo test --benches`): one run of n = 1 and n = 4 that checks the
//!   candidates and their order only.
//!
//! The command-line figure (`fj profiles --all`, page after page against pages in flight) is
//! `benches/export_cli.sh`.

use std::io;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use fj_sandbox::{Sandbox, SandboxHandle};
use fj_sourcing::Client;
use futures_util::StreamExt;

#[path = "support/harness.rs"]
mod harness;
#[path = "support/seed_session.rs"]
mod seed_session;

use harness::CommandLine;
use seed_session::seed_session;

const GROUP: &str = "export";
const LATENCY: Duration = Duration::from_millis(100);
const PAGES: u32 = 10;
const PAGE_SIZE: u32 = 50;
/// The guard: n = 4 at most this many times its limit.
const GUARD: f64 = 1.3;

/// A sandbox with a done session of `PAGES` pages, answering after `LATENCY`.
async fn session() -> io::Result<(SandboxHandle, Client, String)> {
    let sandbox = Sandbox::builder()
        .batch_size(PAGES * PAGE_SIZE)
        .max_page_size(PAGE_SIZE)
        .polls_before_done(0)
        .latency(LATENCY)
        .start()
        .await?;
    let (client, id) = seed_session(&sandbox).await?;
    Ok((sandbox, client, id))
}

/// Every candidate id of the session with `n` pages in flight, and the time it took.
async fn export(client: &Client, id: &str, n: usize) -> io::Result<(Vec<String>, Duration)> {
    let start = Instant::now();
    let mut stream = client.profiles_stream(id, PAGE_SIZE).concurrency(n);
    let mut ids = Vec::new();
    while let Some(candidate) = stream.next().await {
        let candidate = candidate.map_err(io::Error::other)?;
        ids.push(candidate.id.unwrap_or_default());
    }
    Ok((ids, start.elapsed()))
}

/// 1 + ceil((P - 1) / n) round trips.
fn limit(n: usize) -> Duration {
    let waves = 1 + (PAGES as usize - 1).div_ceil(n);
    LATENCY * u32::try_from(waves).expect("a few waves")
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort_unstable();
    values[values.len() / 2]
}

/// The ratio of n = 4 to its limit, or an error when an export differs from n = 1's.
async fn bench(ns: &[usize], runs: usize, report: bool) -> io::Result<f64> {
    let (sandbox, client, id) = session().await?;
    let mut times = vec![Vec::new(); ns.len()];
    let mut reference: Option<Vec<String>> = None;
    for run in 0..runs {
        for (i, &n) in ns.iter().enumerate() {
            let (ids, took) = export(&client, &id, n).await?;
            if ids.len() != (PAGES * PAGE_SIZE) as usize {
                return Err(io::Error::other(format!(
                    "n = {n}: {} candidates",
                    ids.len()
                )));
            }
            match &reference {
                None => reference = Some(ids),
                Some(first) if *first != ids => {
                    return Err(io::Error::other(format!(
                        "n = {n}: other candidates or another order than n = {}",
                        ns[0]
                    )));
                }
                Some(_) => {}
            }
            if report {
                println!("  run {}  n = {n}: {:.3} s", run + 1, took.as_secs_f64());
            }
            times[i].push(took);
        }
    }
    sandbox.shutdown().await;
    let mut at_4 = f64::NAN;
    for (i, &n) in ns.iter().enumerate() {
        let (lo, hi) = (times[i].iter().min(), times[i].iter().max());
        let took = median(times[i].clone());
        let ratio = took.as_secs_f64() / limit(n).as_secs_f64();
        if n == 4 {
            at_4 = ratio;
        }
        println!(
            "{GROUP}: n = {n}: median {:.3} s (range {:.3}-{:.3}) over {runs} run(s); limit {:.1} s \
             ({} round trips of {} ms): {ratio:.2}x",
            took.as_secs_f64(),
            lo.map_or(0.0, Duration::as_secs_f64),
            hi.map_or(0.0, Duration::as_secs_f64),
            limit(n).as_secs_f64(),
            limit(n).as_millis() / LATENCY.as_millis(),
            LATENCY.as_millis(),
        );
    }
    Ok(at_4)
}

fn main() -> ExitCode {
    let Some(line) = CommandLine::parse(GROUP) else {
        return ExitCode::SUCCESS;
    };
    if !line.selects(GROUP) {
        return ExitCode::SUCCESS;
    }
    let (ns, runs): (&[usize], usize) = if line.full {
        (&[1, 2, 4, 8], 5)
    } else {
        (&[1, 4], 1)
    };
    let runtime = match harness::runtime(GROUP) {
        Ok(runtime) => runtime,
        Err(code) => return code,
    };
    if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
        println!("{GROUP}: load average {}", load.trim());
    }
    match runtime.block_on(bench(ns, runs, line.full)) {
        Ok(ratio) if line.full && ratio > GUARD => {
            eprintln!("{GROUP}: n = 4 took {ratio:.2}x its limit, more than {GUARD}x");
            ExitCode::FAILURE
        }
        Ok(_) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{GROUP}: {err}");
            ExitCode::FAILURE
        }
    }
}
