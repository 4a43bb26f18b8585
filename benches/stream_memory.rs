//! Guard: the memory of `Client::profiles_stream` is flat with the number of pages. Measured as
//! the peak RSS of a process that streams every candidate of a session of 1,000 and of 10,000
//! candidates (10 and 100 pages of 100); the larger's peak is at most 1.10x the smaller's.
//!
//! The stream should hold at most its pages in flight (4 by default) and the one being consumed,
//! so the peak should not grow with the number of candidates. The sandbox serving the pages keeps
//! all of them, so it runs in this process and the streaming client in a child process (this
//! program again, with `FJ_STREAM_CHILD` set), whose `VmHWM` (peak RSS) is what is measured.
//!
//! * `cargo bench --bench stream_memory`: each size 3 times, interleaved; prints every child's
//!   peak, the medians, the ratio, the load average and PASS/FAIL.
//! * Without `--bench` (`cargo test --benches`): one small child run that checks the setup.

use std::io;
use std::process::{Command, ExitCode};

use fj_sandbox::Sandbox;
use fj_sourcing::Client;
use futures_util::StreamExt;

#[path = "support/harness.rs"]
mod harness;
#[path = "support/load.rs"]
mod load;
#[path = "support/seed_session.rs"]
mod seed_session;

use harness::CommandLine;
use seed_session::seed_session;

const GROUP: &str = "stream_memory";
const PAGE_SIZE: u32 = 100;
/// The guard: the largest size's median peak over the smallest's, at most this.
const GUARD: f64 = 1.10;

/// `(name, value in KiB)` lines of `/proc/self/status` for the peak and current RSS.
fn memory() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

/// The child: streams every candidate of the session and prints `candidates peak_kib rss_kib`.
fn child(spec: &str) -> ExitCode {
    let mut parts = spec.split('|');
    let (Some(base), Some(key), Some(session)) = (parts.next(), parts.next(), parts.next()) else {
        eprintln!("{GROUP}: FJ_STREAM_CHILD=base|key|session");
        return ExitCode::FAILURE;
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let result: Result<usize, fj_sourcing::Error> = runtime.block_on(async {
        let client = Client::builder().api_key(key).base_url(base).build()?;
        let mut stream = client.profiles_stream(session, PAGE_SIZE);
        let mut count = 0;
        while let Some(candidate) = stream.next().await {
            drop(std::hint::black_box(candidate?));
            count += 1;
        }
        Ok(count)
    });
    match result {
        Ok(count) => {
            let (peak, rss) = memory();
            println!("{count} {peak} {rss}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("{GROUP}: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Serves a done session of `candidates` candidates and streams it from a child process:
/// `(candidates streamed, peak KiB, RSS at the end KiB)`.
async fn measure(candidates: u32) -> io::Result<(usize, u64, u64)> {
    let sandbox = Sandbox::builder()
        .batch_size(candidates)
        .polls_before_done(0)
        .max_page_size(PAGE_SIZE)
        .start()
        .await?;
    let (_client, id) = seed_session(&sandbox).await?;
    let spec = format!("{}|{}|{id}", sandbox.base_url(), sandbox.api_key());
    let exe = std::env::current_exe()?;
    let output = tokio::task::spawn_blocking(move || {
        Command::new(exe).env("FJ_STREAM_CHILD", spec).output()
    })
    .await
    .map_err(io::Error::other)??;
    sandbox.shutdown().await;
    if !output.status.success() {
        return Err(io::Error::other(format!(
            "child failed: {}",
            String::from_utf8_lossy(&output.stderr)
        )));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let numbers: Vec<u64> = text
        .split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    let [count, peak, rss] = numbers[..] else {
        return Err(io::Error::other(format!(
            "unexpected child output {text:?}"
        )));
    };
    if count != u64::from(candidates) {
        return Err(io::Error::other(format!(
            "streamed {count} candidates, expected {candidates}"
        )));
    }
    Ok((count as usize, peak, rss))
}

fn median(mut values: Vec<u64>) -> u64 {
    values.sort_unstable();
    values[values.len() / 2]
}

async fn bench(sizes: &[u32], runs: usize, report: bool) -> io::Result<()> {
    let mut peaks: Vec<Vec<u64>> = vec![Vec::new(); sizes.len()];
    for run in 0..runs {
        for (i, &size) in sizes.iter().enumerate() {
            let (count, peak, rss) = measure(size).await?;
            if report {
                println!(
                    "  run {}  {count:>6} candidates: peak RSS {peak} KiB, RSS at the end {rss} KiB",
                    run + 1
                );
            }
            peaks[i].push(peak);
        }
    }
    if report {
        let first = median(peaks[0].clone()) as f64;
        for (i, &size) in sizes.iter().enumerate() {
            let peak = median(peaks[i].clone());
            let (lo, hi) = (peaks[i].iter().min(), peaks[i].iter().max());
            println!(
                "{GROUP}: {size:>6} candidates, pages of {PAGE_SIZE}: peak RSS median {peak} KiB \
                 (range {}-{}), {:.3}x the first size",
                lo.unwrap_or(&0),
                hi.unwrap_or(&0),
                peak as f64 / first
            );
        }
        let ratio = median(peaks[sizes.len() - 1].clone()) as f64 / first;
        println!(
            "{GROUP}: peak at {} pages / at {} pages {ratio:.3}x, guard <= {GUARD:.2}x: {}; \
             loadavg {}",
            sizes[sizes.len() - 1] / PAGE_SIZE,
            sizes[0] / PAGE_SIZE,
            load::verdict(ratio <= GUARD),
            load::loadavg()
        );
    }
    Ok(())
}

fn main() -> ExitCode {
    if let Ok(spec) = std::env::var("FJ_STREAM_CHILD") {
        return child(&spec);
    }
    let Some(line) = CommandLine::parse(GROUP) else {
        return ExitCode::SUCCESS;
    };
    if !line.selects(GROUP) {
        return ExitCode::SUCCESS;
    }
    let full = line.full;
    let (sizes, runs): (&[u32], usize) = if full {
        (&[1_000, 10_000], 3)
    } else {
        (&[250], 1)
    };
    let runtime = match harness::runtime(GROUP) {
        Ok(runtime) => runtime,
        Err(code) => return code,
    };
    match runtime.block_on(bench(sizes, runs, full)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{GROUP}: {err}");
            ExitCode::FAILURE
        }
    }
}
