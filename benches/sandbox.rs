//! Sandbox throughput (issue 6, measurement 4): Create Sourcing Session calls per second with 64
//! concurrent keep-alive connections, p50 and p99 latency, and the ratio against the same server
//! whose Create answers a constant, pre-serialized body.
//!
//! Not a criterion benchmark: criterion measures one operation at a time, while this measures a
//! server under a fixed concurrency. The program runs both servers back to back for a few rounds
//! (alternating which goes first) and prints one line per server and round (throughput, p50,
//! p99, CPU time per request), then the medians and the ratio.
//!
//! * `cargo bench --bench sandbox`: the full run (about 30 s on 2 cores).
//! * `cargo bench` with filters: runs the scenarios (`sandbox_throughput/sandbox`,
//!   `sandbox_throughput/constant`) whose name contains one of them, so `sandbox_throughput`
//!   runs both and any unrelated filter exits at once.
//! * Without `--bench` (as `cargo test --benches` runs it): one tiny round that only checks the
//!   setup works, with no timing printed.
//! * `SANDBOX_BENCH_CLIENT=reqwest`: the load client is one `reqwest::Client` per connection
//!   instead of the default hand-written HTTP/1.1 client (the benchmarks document in `docs/`
//!   explains why the default is the lighter one).
//!
//! Server and client share one multi-thread tokio runtime with two worker threads, one per core
//! (the document explains this choice too).

use std::io;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use fj_sandbox::{Sandbox, SandboxHandle};

#[path = "support/harness.rs"]
mod harness;
#[path = "support/raw_http.rs"]
mod raw_http;

use harness::CommandLine;
use raw_http::{RawConn, bad_data};

/// The reference's section 3.1 cURL body.
const SEED_BODY: &str = include_str!("../tests/fixtures/create_request.json");

/// Concurrent connections, one request in flight on each.
const CONNECTIONS: usize = 64;

const GROUP: &str = "sandbox_throughput";

/// How long and how much to run.
#[derive(Clone, Copy, Debug)]
struct Plan {
    /// Requests before this are not measured (connections warm up, allocator settles).
    warmup: Duration,
    /// Measured time per server and round.
    measure: Duration,
    /// At most this many requests per server and round (each create keeps a session of about
    /// 3 KB in memory until the server stops, so this also bounds memory).
    max_requests: usize,
    rounds: usize,
}

// Short windows, many rounds: the machine is shared, and pairing each sandbox window with a
// constant window right next to it keeps other programs' load from landing on one side only.
const FULL: Plan = Plan {
    warmup: Duration::from_millis(300),
    measure: Duration::from_millis(1500),
    max_requests: 150_000,
    rounds: 7,
};

/// What `cargo test --benches` runs: proves the setup works, measures nothing.
const SMOKE: Plan = Plan {
    warmup: Duration::ZERO,
    measure: Duration::from_secs(2),
    max_requests: 256,
    rounds: 1,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ClientKind {
    /// A minimal HTTP/1.1 client over a tokio `TcpStream` (like `wrk`, cheap per request).
    Raw,
    /// One `reqwest::Client` per connection.
    Reqwest,
}

/// The two servers compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scenario {
    /// A normal sandbox: Create parses, validates, charges, stores and answers the session.
    Sandbox,
    /// The same sandbox whose Create answers the first scenario's bytes as a constant.
    Constant,
}

impl Scenario {
    fn name(self) -> &'static str {
        match self {
            Scenario::Sandbox => "sandbox",
            Scenario::Constant => "constant",
        }
    }
}

/// One server's measurements in one round.
#[derive(Clone, Debug)]
struct Outcome {
    requests: usize,
    per_sec: f64,
    p50: Duration,
    p99: Duration,
    max: Duration,
    /// CPU time (client and server together) per request in the window, when `/proc` tells.
    cpu_per_request: Option<Duration>,
    /// Average cores busy in the window.
    cores: Option<f64>,
}

/// CPU time used so far by every thread of this process, from Linux's `/proc` (`None`
/// elsewhere). It moves much less than wall time when other programs share the machine.
fn process_cpu() -> Option<Duration> {
    let mut total: u64 = 0;
    for entry in std::fs::read_dir("/proc/self/task").ok()? {
        let path = entry.ok()?.path().join("schedstat");
        // A thread that ended since the directory was read simply counts no more.
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        total += text.split_whitespace().next()?.parse::<u64>().ok()?;
    }
    Some(Duration::from_nanos(total))
}

/// One load connection, whichever client drives it.
enum Conn {
    Raw(RawConn, Arc<[u8]>),
    Reqwest(reqwest::Client, String, String),
}

impl Conn {
    async fn open(kind: ClientKind, server: &SandboxHandle) -> io::Result<Self> {
        match kind {
            ClientKind::Raw => Ok(Conn::Raw(
                RawConn::open(server.addr()).await?,
                raw_http::create_request(server.addr(), server.api_key(), SEED_BODY.as_bytes())
                    .into(),
            )),
            ClientKind::Reqwest => {
                // With fj-sourcing's `rustls` feature on, reqwest needs a crypto provider.
                let _ = rustls::crypto::ring::default_provider().install_default();
                let client = reqwest::Client::builder()
                    .pool_max_idle_per_host(1)
                    .tcp_nodelay(true)
                    .build()
                    .map_err(io::Error::other)?;
                Ok(Conn::Reqwest(
                    client,
                    format!("{}/sourcing-session", server.base_url()),
                    server.api_key().to_owned(),
                ))
            }
        }
    }

    /// One Create; fails unless the answer is a 201.
    async fn create(&mut self) -> io::Result<Vec<u8>> {
        let (status, body) = match self {
            Conn::Raw(conn, request) => conn.round_trip(request).await?,
            Conn::Reqwest(client, url, key) => {
                let response = client
                    .post(url.as_str())
                    .header("x-fj-api-key", key.as_str())
                    .header("content-type", "application/json")
                    .body(SEED_BODY)
                    .send()
                    .await
                    .map_err(io::Error::other)?;
                let status = response.status().as_u16();
                let body = response.bytes().await.map_err(io::Error::other)?;
                (status, body.to_vec())
            }
        };
        if status != 201 {
            return Err(bad_data(format!(
                "expected 201, got {status}: {}",
                String::from_utf8_lossy(&body)
            )));
        }
        Ok(body)
    }
}

async fn start(scenario: Scenario, constant_body: &[u8]) -> io::Result<SandboxHandle> {
    // Enough credits and rate for any run: the limits are not what is measured.
    let builder = Sandbox::builder()
        .credits(u64::MAX)
        .rate_limit(u32::MAX, Duration::from_secs(3600));
    match scenario {
        Scenario::Sandbox => builder,
        Scenario::Constant => builder.constant_create(constant_body.to_vec()),
    }
    .start()
    .await
}

/// The answer a normal sandbox gives the seed request: the constant server's body.
async fn real_answer(kind: ClientKind) -> io::Result<Vec<u8>> {
    let server = start(Scenario::Sandbox, &[]).await?;
    let body = Conn::open(kind, &server).await?.create().await?;
    server.shutdown().await;
    let text = String::from_utf8_lossy(&body);
    if !text.starts_with(r#"{"statusCode":201,"data":{"session":"#) {
        return Err(bad_data(format!("unexpected Create answer: {text}")));
    }
    Ok(body)
}

/// `(end, latency)` of every request that ended in the measured window.
type Samples = Vec<(Instant, Duration)>;

async fn drive(mut conn: Conn, from: Instant, until: Instant, cap: usize) -> io::Result<Samples> {
    let mut samples = Vec::with_capacity(cap.min(1 << 16));
    loop {
        let begin = Instant::now();
        if begin >= until || samples.len() >= cap {
            return Ok(samples);
        }
        conn.create().await?;
        let end = Instant::now();
        if end >= from && end <= until {
            samples.push((end, end - begin));
        }
    }
}

/// The `q` quantile (nearest rank) of sorted durations.
fn quantile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

async fn run_one(
    scenario: Scenario,
    kind: ClientKind,
    plan: Plan,
    constant_body: &[u8],
) -> io::Result<Outcome> {
    let server = start(scenario, constant_body).await?;
    let mut conns = Vec::with_capacity(CONNECTIONS);
    for _ in 0..CONNECTIONS {
        conns.push(Conn::open(kind, &server).await?);
    }
    let from = Instant::now() + plan.warmup;
    let until = from + plan.measure;
    // Each connection gets an equal share of the request budget.
    let cap = plan.max_requests.div_ceil(CONNECTIONS);
    let tasks: Vec<_> = conns
        .into_iter()
        .map(|conn| tokio::spawn(drive(conn, from, until, cap)))
        .collect();
    tokio::time::sleep_until(from.into()).await;
    let cpu_before = process_cpu();
    tokio::time::sleep_until(until.into()).await;
    let cpu = process_cpu()
        .zip(cpu_before)
        .map(|(after, before)| after.saturating_sub(before));
    let mut samples: Samples = Vec::new();
    for task in tasks {
        samples.extend(task.await.map_err(io::Error::other)??);
    }
    let sessions = server.session_count();
    server.shutdown().await;
    if scenario == Scenario::Constant && sessions != 0 {
        return Err(bad_data("the constant server stored sessions"));
    }
    // The window ends at the deadline, or earlier when the request budget ran out first.
    let last = samples.iter().map(|(end, _)| *end).max().unwrap_or(until);
    let window = last.min(until).saturating_duration_since(from);
    let mut latencies: Vec<Duration> = samples.iter().map(|(_, d)| *d).collect();
    latencies.sort_unstable();
    let count = u32::try_from(latencies.len()).unwrap_or(u32::MAX).max(1);
    Ok(Outcome {
        cpu_per_request: cpu.map(|cpu| cpu / count),
        cores: cpu.map(|cpu| cpu.as_secs_f64() / plan.measure.as_secs_f64()),
        requests: latencies.len(),
        per_sec: latencies.len() as f64 / window.as_secs_f64().max(1e-9),
        p50: quantile(&latencies, 0.50),
        p99: quantile(&latencies, 0.99),
        max: latencies.last().copied().unwrap_or_default(),
    })
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => 0.0,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

async fn bench(
    kind: ClientKind,
    plan: Plan,
    report: bool,
    scenarios: &[Scenario],
) -> io::Result<()> {
    let constant_body = real_answer(kind).await?;
    if report {
        println!(
            "{GROUP}: {CONNECTIONS} connections, {:?} client, {} rounds of {:?} (+{:?} warm-up) \
             per server, constant body {} bytes",
            kind,
            plan.rounds,
            plan.measure,
            plan.warmup,
            constant_body.len()
        );
    }
    let mut runs: Vec<(Scenario, Outcome)> = Vec::new();
    let mut ratios = Vec::new();
    let mut cpu_ratios = Vec::new();
    for round in 0..plan.rounds {
        // Alternate which server goes first, so that drift (heat, other load) hits both.
        let mut order = scenarios.to_vec();
        if round % 2 == 1 {
            order.reverse();
        }
        let mut rates = [None, None];
        for scenario in order {
            let outcome = run_one(scenario, kind, plan, &constant_body).await?;
            if report {
                println!(
                    "  round {}  {:<8}  {:>6.0} creates/s  p50 {:>5.2} ms  p99 {:>6.2} ms  \
                     max {:>6.2} ms  cpu {:>5.1} us/req on {:.2} cores  ({} requests)",
                    round + 1,
                    scenario.name(),
                    outcome.per_sec,
                    ms(outcome.p50),
                    ms(outcome.p99),
                    ms(outcome.max),
                    outcome.cpu_per_request.map_or(f64::NAN, us),
                    outcome.cores.unwrap_or(f64::NAN),
                    outcome.requests
                );
            }
            rates[scenario as usize] = Some((outcome.per_sec, outcome.cpu_per_request));
            runs.push((scenario, outcome));
        }
        if let [Some((sandbox, sandbox_cpu)), Some((constant, constant_cpu))] = rates {
            let ratio = sandbox / constant;
            // What the throughput ratio would be on an otherwise idle machine where both are
            // CPU-bound: the inverse ratio of CPU time per request.
            let cpu_ratio = constant_cpu
                .zip(sandbox_cpu)
                .map(|(c, s)| c.as_secs_f64() / s.as_secs_f64().max(1e-12));
            if report {
                println!(
                    "  round {}  ratio     {ratio:.2} (throughput)  {:.2} (CPU per request)",
                    round + 1,
                    cpu_ratio.unwrap_or(f64::NAN)
                );
            }
            ratios.push(ratio);
            cpu_ratios.extend(cpu_ratio);
        }
    }
    if !report {
        return Ok(());
    }
    for scenario in scenarios {
        let mine = || runs.iter().filter(|(s, _)| s == scenario).map(|(_, o)| o);
        println!(
            "{GROUP}/{:<8}  median {:>6.0} creates/s  p50 {:.2} ms  p99 {:.2} ms  \
             cpu {:.1} us/req",
            scenario.name(),
            median(mine().map(|o| o.per_sec).collect()),
            median(mine().map(|o| ms(o.p50)).collect()),
            median(mine().map(|o| ms(o.p99)).collect()),
            median(mine().filter_map(|o| o.cpu_per_request).map(us).collect()),
        );
    }
    if !ratios.is_empty() {
        let ratio = median(ratios);
        let verdict = |met: bool| if met { "met" } else { "NOT met" };
        println!(
            "{GROUP}: ratio sandbox/constant (median of rounds) {ratio:.2}; target >= 0.85: {}",
            verdict(ratio >= 0.85)
        );
        let p99 = |scenario: Scenario| {
            median(
                runs.iter()
                    .filter(|(s, _)| *s == scenario)
                    .map(|(_, o)| ms(o.p99))
                    .collect(),
            )
        };
        let p99_ratio = p99(Scenario::Sandbox) / p99(Scenario::Constant);
        println!(
            "{GROUP}: p99 sandbox/constant (medians) {p99_ratio:.2}; target <= 1.50: {}",
            verdict(p99_ratio <= 1.5)
        );
        if !cpu_ratios.is_empty() {
            println!(
                "{GROUP}: ratio from CPU time per request (median of rounds) {:.2}",
                median(cpu_ratios)
            );
        }
    }
    Ok(())
}

/// What the command line asks for: the plan, whether to report, and the scenarios selected
/// (none when a filter excludes this benchmark).
fn parse_args() -> (Plan, bool, Vec<Scenario>) {
    let Some(line) = CommandLine::parse(GROUP) else {
        return (SMOKE, false, Vec::new());
    };
    let scenarios = [Scenario::Sandbox, Scenario::Constant]
        .into_iter()
        .filter(|s| line.selects(&format!("{GROUP}/{}", s.name())))
        .collect();
    if line.full {
        (FULL, true, scenarios)
    } else {
        (SMOKE, false, scenarios)
    }
}

/// `FJ_BENCH_LOOP=sandbox:N` or `constant:N`: N sequential creates on one connection against
/// that server, then exit, for instruction counts under valgrind (`benches/instructions.sh`).
/// N = 0 gives the fixed cost to subtract.
async fn instruction_loop(spec: &str) -> io::Result<()> {
    let (name, count) = spec
        .split_once(':')
        .ok_or_else(|| bad_data("FJ_BENCH_LOOP=sandbox:N or constant:N"))?;
    let count: usize = count.parse().map_err(|_| bad_data("a request count"))?;
    let scenario = match name {
        "sandbox" => Scenario::Sandbox,
        "constant" => Scenario::Constant,
        other => return Err(bad_data(format!("unknown server {other:?}"))),
    };
    let constant_body = real_answer(ClientKind::Raw).await?;
    let server = start(scenario, &constant_body).await?;
    let mut conn = Conn::open(ClientKind::Raw, &server).await?;
    conn.create().await?;
    for _ in 0..count {
        conn.create().await?;
    }
    server.shutdown().await;
    Ok(())
}

fn main() -> ExitCode {
    let loop_spec = std::env::var("FJ_BENCH_LOOP").ok();
    let (plan, report, scenarios) = parse_args();
    let scenarios = if loop_spec.is_some() {
        vec![Scenario::Sandbox]
    } else {
        scenarios
    };
    if scenarios.is_empty() {
        return ExitCode::SUCCESS;
    }
    let kind = match std::env::var("SANDBOX_BENCH_CLIENT").as_deref() {
        Ok("reqwest") => ClientKind::Reqwest,
        _ => ClientKind::Raw,
    };
    let runtime = match harness::runtime(GROUP) {
        Ok(runtime) => runtime,
        Err(code) => return code,
    };
    let run = async {
        match &loop_spec {
            Some(spec) => instruction_loop(spec).await,
            None => bench(kind, plan, report, &scenarios).await,
        }
    };
    match runtime.block_on(run) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{GROUP}: {err}");
            ExitCode::FAILURE
        }
    }
}
