//! How the sandbox's cost grows with the sessions it stores (issue 15, target 4): memory per
//! stored session (RSS growth / sessions) and Create's latency after 1k, 10k, 100k and 1M stored
//! sessions, and memory with `max_sessions` set.
//!
//! Not a criterion benchmark. One process, one multi-thread runtime with two workers (server and
//! client share the two cores, as in `benches/sandbox.rs`):
//!
//! 1. **Fill.** One sandbox per level, filled in turn by 64 keep-alive connections posting the
//!    reference's section 3.1 request (3 filters). `VmRSS` is read before and after each fill;
//!    the growth divided by the sessions added is the memory per stored session. No candidate is
//!    ever read, so none is generated.
//! 2. **Latency.** With all four sandboxes alive, rounds of sequential creates on one connection
//!    per sandbox, the sandboxes taken in a rotating order each round, so that the machine's
//!    load changes land on every level alike. p50 and p99 per level are nearest-rank over all
//!    rounds. Each level grows by the measured creates (1k becomes 2k by the end).
//! 3. **Bound.** A sandbox with `max_sessions(10_000)` takes 100k creates; its RSS growth is
//!    compared with the unbounded 10k level's.
//!
//! * `cargo bench --bench sandbox_scale`: the full run (about a minute per run on 2 cores,
//!   1.1M sessions and about 1 GB at the peak). `SANDBOX_SCALE_RUNS=3` repeats it in the same
//!   process order, each run with fresh sandboxes.
//! * Without `--bench` (`cargo test --benches`): one tiny round that checks the setup.
//! * A filter that `sandbox_scale` does not contain makes it exit at once.

use std::io;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use fj_sandbox::{Sandbox, SandboxBuilder, SandboxHandle};

#[path = "support/raw_http.rs"]
mod raw_http;

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
    /// `(max_sessions, creates)` for the bounded sandbox.
    bounded: (usize, usize),
}

const FULL: Plan = Plan {
    levels: &[1_000, 10_000, 100_000, 1_000_000],
    rounds: 10,
    per_round: 100,
    bounded: (10_000, 100_000),
};

const SMOKE: Plan = Plan {
    levels: &[100, 300],
    rounds: 2,
    per_round: 10,
    bounded: (50, 300),
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

struct RunResult {
    /// `(stored, bytes per session, p50, p99)` per level.
    levels: Vec<(usize, f64, Duration, Duration)>,
    /// `(max_sessions, creates, RSS growth, sessions kept)`.
    bounded: Option<(usize, usize, u64, usize)>,
}

async fn run(plan: Plan, run: usize, report: bool) -> io::Result<RunResult> {
    let mut levels = Vec::new();
    for &stored in plan.levels {
        let started = Instant::now();
        let level = filled(stored).await?;
        if report {
            println!(
                "  run {run}  filled {stored:>9} sessions in {:>5.1} s: {:>6.0} bytes per session (RSS growth)",
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
    let mut out = Vec::new();
    for mut level in levels {
        level.latencies.sort_unstable();
        let p50 = quantile(&level.latencies, 0.50);
        let p99 = quantile(&level.latencies, 0.99);
        if report {
            println!(
                "  run {run}  level {:>9}: create p50 {:>6.1} us  p99 {:>7.1} us  ({} creates, {} stored at the end)",
                level.stored,
                us(p50),
                us(p99),
                level.latencies.len(),
                level.server.session_count()
            );
        }
        out.push((level.stored, level.bytes_per_session, p50, p99));
        level.server.shutdown().await;
    }
    let bounded = bounded(plan, run, report).await?;
    Ok(RunResult {
        levels: out,
        bounded,
    })
}

/// A sandbox with `max_sessions` set, given more creates than it keeps.
async fn bounded(
    plan: Plan,
    run: usize,
    report: bool,
) -> io::Result<Option<(usize, usize, u64, usize)>> {
    let (max, creates) = plan.bounded;
    let server = builder().max_sessions(max).start().await?;
    fill(&server, FILL_CONNECTIONS).await?;
    let before = rss()?;
    fill(&server, creates - FILL_CONNECTIONS).await?;
    let growth = rss()?.saturating_sub(before);
    let kept = server.session_count();
    if kept != max {
        return Err(bad_data(format!("max_sessions {max}, but {kept} kept")));
    }
    if report {
        println!(
            "  run {run}  max_sessions {max}: {creates} creates, {kept} kept, RSS growth {} KiB",
            growth / 1024
        );
    }
    server.shutdown().await;
    Ok(Some((max, creates, growth, kept)))
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

async fn bench(plan: Plan, runs: usize, report: bool) -> io::Result<()> {
    if report {
        println!(
            "{GROUP}: levels {:?}, {} rounds of {} sequential creates per level, {runs} run(s); \
             request {} bytes (3 filters)",
            plan.levels,
            plan.rounds,
            plan.per_round,
            SEED_BODY.len()
        );
    }
    let mut results = Vec::new();
    for run_no in 1..=runs {
        results.push(run(plan, run_no, report).await?);
    }
    if !report {
        return Ok(());
    }
    println!("{GROUP}: summary (median, range over runs)");
    println!(
        "  | stored sessions | bytes per session (RSS) | create p50 (us) | create p99 (us) | p99 / p99 at first level |"
    );
    let first_p99: Vec<f64> = results.iter().map(|r| us(r.levels[0].3)).collect();
    for (i, &stored) in plan.levels.iter().enumerate() {
        let bytes: Vec<f64> = results.iter().map(|r| r.levels[i].1).collect();
        let p50: Vec<f64> = results.iter().map(|r| us(r.levels[i].2)).collect();
        let p99: Vec<f64> = results.iter().map(|r| us(r.levels[i].3)).collect();
        let ratio: Vec<f64> = p99.iter().zip(&first_p99).map(|(p, f)| p / f).collect();
        let show = |v: &[f64], digits: usize| {
            let (lo, hi) = range(v);
            format!(
                "{:.digits$} ({:.digits$}-{:.digits$})",
                median(v.to_vec()),
                lo,
                hi
            )
        };
        println!(
            "  | {stored} | {} | {} | {} | {} |",
            show(&bytes, 0),
            show(&p50, 1),
            show(&p99, 1),
            show(&ratio, 2)
        );
    }
    for r in &results {
        if let Some((max, creates, growth, kept)) = r.bounded {
            println!(
                "  max_sessions {max}: {creates} creates, {kept} kept, RSS growth {} KiB",
                growth / 1024
            );
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let mut full = false;
    let mut filters = Vec::new();
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--bench" => full = true,
            "--list" => {
                println!("{GROUP}: benchmark");
                return ExitCode::SUCCESS;
            }
            flag if flag.starts_with('-') => {}
            filter => filters.push(filter.to_owned()),
        }
    }
    if !filters.is_empty() && !filters.iter().any(|f| GROUP.contains(f.as_str())) {
        return ExitCode::SUCCESS;
    }
    let (plan, runs) = if full {
        let runs = std::env::var("SANDBOX_SCALE_RUNS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(1);
        (FULL, runs)
    } else {
        (SMOKE, 1)
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("{GROUP}: cannot build the runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(bench(plan, runs, full)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{GROUP}: {err}");
            ExitCode::FAILURE
        }
    }
}
