//! Guards: a stored session takes at most 1.5 KiB (RSS growth / sessions, at the largest
//! level), and Create's p99 latency is flat from 1k to 1M stored sessions (p99 at 1M at most 2x
//! p99 at 1k).
//!
//! Not a criterion benchmark. The measurement runs in a fresh child process (this program with
//! `SANDBOX_SCALE_PART` set), because RSS only shows growth while the allocator has no freed
//! memory to hand out again. The child has one multi-thread runtime with two workers (server
//! and client share the two cores, as in `benches/sandbox.rs`). One sandbox per level is filled
//! in turn by 64 keep-alive connections posting the reference's section 3.1 request (3
//! filters); `VmRSS` is read before and after each fill, and the growth divided by the sessions
//! added is the memory per stored session. No candidate is ever read, so none is generated.
//! Then, with all four sandboxes alive, rounds of sequential creates on one connection per
//! sandbox, the sandboxes taken in a rotating order each round so that the machine's load
//! changes land on every level alike. p50 and p99 per level are nearest-rank over all rounds.
//! Each level grows by the measured creates (1k becomes 2k by the end).
//!
//! The sandbox is the one `Sandbox::builder()` gives, with only credits and the rate limit
//! raised, so its request journal is on: it keeps the last 10,000 requests, their bodies shared
//! with the stored sessions, so it adds to the memory per session up to 10k sessions and
//! nothing beyond.
//!
//! * `cargo bench --bench sandbox_scale`: one run (1-5 minutes on 2 cores, about 1 GB at the
//!   peak); `SANDBOX_SCALE_RUNS=3` repeats it and prints medians, ranges and the verdicts.
//! * Without `--bench` (`cargo test --benches`): one tiny run that checks the setup.
//! * A filter that `sandbox_scale` does not contain makes it exit at once.

use std::io;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use fj_sandbox::{Sandbox, SandboxBuilder, SandboxHandle};

#[path = "support/harness.rs"]
mod harness;
#[path = "support/load.rs"]
mod load;
#[path = "support/raw_http.rs"]
mod raw_http;

use harness::CommandLine;
use raw_http::{RawConn, bad_data};

/// The reference's section 3.1 cURL body: 3 filters (country, experience, skills).
const SEED_BODY: &[u8] = include_bytes!("../tests/fixtures/create_request.json");

const GROUP: &str = "sandbox_scale";

/// Connections filling a sandbox.
const FILL_CONNECTIONS: usize = 64;

#[derive(Clone, Copy, Debug)]
struct Plan {
    levels: &'static [usize],
    rounds: usize,
    per_round: usize,
}

/// The guards: bytes per stored session, and p99 at the largest level over p99 at the smallest.
const MAX_BYTES_PER_SESSION: f64 = 1536.0;
const MAX_P99_GROWTH: f64 = 2.0;

const FULL: Plan = Plan {
    levels: &[1_000, 10_000, 100_000, 1_000_000],
    rounds: 10,
    per_round: 100,
};

const SMOKE: Plan = Plan {
    levels: &[100, 300],
    rounds: 2,
    per_round: 10,
};

/// `VmRSS` of this process, in bytes.
fn rss() -> io::Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<u64>()
                .ok()
        })
        .map(|kib| kib * 1024)
        .ok_or_else(|| bad_data("no VmRSS in /proc/self/status"))
}

fn builder() -> SandboxBuilder {
    Sandbox::builder()
        .credits(u64::MAX)
        .rate_limit(u32::MAX, Duration::from_secs(3600))
}

async fn create(conn: &mut RawConn, request: &[u8]) -> io::Result<()> {
    let (status, body) = conn.round_trip(request).await?;
    if status != 201 {
        return Err(bad_data(format!(
            "expected 201, got {status}: {}",
            String::from_utf8_lossy(&body)
        )));
    }
    Ok(())
}

/// Makes `count` creates on `server` over [`FILL_CONNECTIONS`] connections.
async fn fill(server: &SandboxHandle, count: usize) -> io::Result<()> {
    let request: std::sync::Arc<[u8]> =
        raw_http::create_request(server.addr(), server.api_key(), SEED_BODY).into();
    let mut tasks = Vec::new();
    for i in 0..FILL_CONNECTIONS {
        let share = count / FILL_CONNECTIONS + usize::from(i < count % FILL_CONNECTIONS);
        let addr = server.addr();
        let request = std::sync::Arc::clone(&request);
        tasks.push(tokio::spawn(async move {
            let mut conn = RawConn::open(addr).await?;
            for _ in 0..share {
                create(&mut conn, &request).await?;
            }
            io::Result::Ok(())
        }));
    }
    for task in tasks {
        task.await.map_err(io::Error::other)??;
    }
    Ok(())
}

/// One sandbox at one level.
struct Level {
    stored: usize,
    server: SandboxHandle,
    conn: RawConn,
    request: Vec<u8>,
    bytes_per_session: f64,
    latencies: Vec<Duration>,
}

async fn open(server: SandboxHandle, stored: usize, bytes_per_session: f64) -> io::Result<Level> {
    let addr: SocketAddr = server.addr();
    let request = raw_http::create_request(addr, server.api_key(), SEED_BODY);
    Ok(Level {
        stored,
        conn: RawConn::open(addr).await?,
        server,
        request,
        bytes_per_session,
        latencies: Vec::new(),
    })
}

/// The `q` quantile (nearest rank) of sorted durations.
fn quantile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// Fills a sandbox to `stored` sessions, measuring the RSS it adds.
async fn filled(stored: usize) -> io::Result<Level> {
    let server = builder().start().await?;
    // One create per connection first, so that connection buffers are not counted.
    fill(&server, FILL_CONNECTIONS).await?;
    let before = rss()?;
    fill(&server, stored - FILL_CONNECTIONS).await?;
    let after = rss()?;
    if server.session_count() != stored {
        return Err(bad_data(format!(
            "expected {stored} sessions, found {}",
            server.session_count()
        )));
    }
    let per = after.saturating_sub(before) as f64 / (stored - FILL_CONNECTIONS) as f64;
    open(server, stored, per).await
}

/// The levels: fills one sandbox per level, then measures create latency at all of them.
/// Prints `RESULT level <stored> <bytes per session> <p50 us> <p99 us>` per level.
async fn levels(plan: Plan, report: bool) -> io::Result<()> {
    let mut levels = Vec::new();
    for &stored in plan.levels {
        let started = Instant::now();
        let level = filled(stored).await?;
        if report {
            println!(
                "  filled {stored:>9} sessions in {:>5.1} s: {:>6.0} bytes per session (RSS growth)",
                started.elapsed().as_secs_f64(),
                level.bytes_per_session
            );
        }
        levels.push(level);
    }
    for round in 0..plan.rounds {
        let count = levels.len();
        for k in 0..count {
            let level = &mut levels[(round + k) % count];
            for _ in 0..plan.per_round {
                let begin = Instant::now();
                create(&mut level.conn, &level.request).await?;
                level.latencies.push(begin.elapsed());
            }
        }
    }
    for mut level in levels {
        level.latencies.sort_unstable();
        let p50 = quantile(&level.latencies, 0.50);
        let p99 = quantile(&level.latencies, 0.99);
        if report {
            println!(
                "  level {:>9}: create p50 {:>6.1} us  p99 {:>7.1} us  ({} creates, {} stored at the end)",
                level.stored,
                us(p50),
                us(p99),
                level.latencies.len(),
                level.server.session_count()
            );
        }
        println!(
            "RESULT level {} {:.1} {:.1} {:.1}",
            level.stored,
            level.bytes_per_session,
            us(p50),
            us(p99)
        );
    }
    Ok(())
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

fn range(values: &[f64]) -> (f64, f64) {
    values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(*v), hi.max(*v))
        })
}

/// Runs each part in a fresh child process (this program with `SANDBOX_SCALE_PART` set): RSS
/// only measures growth while the allocator has no freed memory to reuse.
fn run_part(part: &str, full: bool) -> io::Result<Vec<Vec<f64>>> {
    let mut command = std::process::Command::new(std::env::current_exe()?);
    command.env("SANDBOX_SCALE_PART", part);
    if full {
        command.arg("--bench");
    }
    let output = command.output()?;
    let text = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(bad_data(format!(
            "{part} failed: {}{}",
            text,
            String::from_utf8_lossy(&output.stderr)
        )));
    }
    let mut results = Vec::new();
    for line in text.lines() {
        match line.strip_prefix("RESULT ") {
            Some(result) => results.push(
                result
                    .split_whitespace()
                    .skip(1)
                    .filter_map(|n| n.parse().ok())
                    .collect(),
            ),
            None if full => println!("{line}"),
            None => {}
        }
    }
    Ok(results)
}

fn bench(plan: Plan, runs: usize, full: bool) -> io::Result<()> {
    if full {
        println!(
            "{GROUP}: levels {:?}, {} rounds of {} sequential creates per level, {runs} run(s), \
             each part in a fresh process; request {} bytes (3 filters)",
            plan.levels,
            plan.rounds,
            plan.per_round,
            SEED_BODY.len()
        );
    }
    let mut level_runs = Vec::new();
    for run in 1..=runs {
        if full {
            println!("run {run}");
        }
        level_runs.push(run_part("levels", full)?);
    }
    if !full {
        return Ok(());
    }
    let show = |v: &[f64], digits: usize| {
        let (lo, hi) = range(v);
        format!(
            "{:.digits$} ({:.digits$}-{:.digits$})",
            median(v.to_vec()),
            lo,
            hi
        )
    };
    println!("{GROUP}: summary (median and range over runs)");
    println!(
        "  | stored sessions | bytes per session (RSS growth / sessions) | create p50 (us) | create p99 (us) | p99 / p99 at 1k |"
    );
    for (i, &stored) in plan.levels.iter().enumerate() {
        let column = |c: usize| -> Vec<f64> { level_runs.iter().map(|r| r[i][c]).collect() };
        // Each row is `stored, bytes per session, p50, p99`.
        let ratio: Vec<f64> = level_runs.iter().map(|r| r[i][3] / r[0][3]).collect();
        println!(
            "  | {stored} | {} | {} | {} | {} |",
            show(&column(1), 0),
            show(&column(2), 1),
            show(&column(3), 1),
            show(&ratio, 2)
        );
    }
    let last = plan.levels.len() - 1;
    let bytes = median(level_runs.iter().map(|r| r[last][1]).collect());
    let growth = median(level_runs.iter().map(|r| r[last][3] / r[0][3]).collect());
    println!(
        "{GROUP}: {bytes:.0} bytes per session at {} sessions, guard <= {MAX_BYTES_PER_SESSION:.0}: \
         {}; p99 at {} / at {} {growth:.2}x, guard <= {MAX_P99_GROWTH:.1}x: {}",
        plan.levels[last],
        load::verdict(bytes <= MAX_BYTES_PER_SESSION),
        plan.levels[last],
        plan.levels[0],
        load::verdict(growth <= MAX_P99_GROWTH),
    );
    println!(
        "{GROUP}: request journal: on (the default Sandbox::builder(): the last 10,000 \
         requests); loadavg {}",
        load::loadavg()
    );
    Ok(())
}

fn main() -> ExitCode {
    let Some(line) = CommandLine::parse(GROUP) else {
        return ExitCode::SUCCESS;
    };
    if !line.selects(GROUP) {
        return ExitCode::SUCCESS;
    }
    let full = line.full;
    let runs = if full {
        std::env::var("SANDBOX_SCALE_RUNS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(1)
    } else {
        1
    };
    let plan = if full { FULL } else { SMOKE };
    let part = std::env::var("SANDBOX_SCALE_PART").ok();
    let result = match part.as_deref() {
        None => {
            println!("{GROUP}: request journal on (the default: the last 10,000 requests)");
            bench(plan, runs, full)
        }
        Some(part) => {
            let runtime = match harness::runtime(GROUP) {
                Ok(runtime) => runtime,
                Err(code) => return code,
            };
            match part {
                "levels" => runtime.block_on(levels(plan, full)),
                other => Err(bad_data(format!("unknown part {other:?}"))),
            }
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{GROUP}: {err}");
            ExitCode::FAILURE
        }
    }
}
