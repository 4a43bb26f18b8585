//! Sandbox throughput (issue 6, measurement 4): Create Sourcing Session calls per second with 64
//! concurrent keep-alive connections, p50 and p99 latency, and the ratio against the same server
//! whose Create answers a constant, pre-serialized body.
//!
//! Not a criterion benchmark: criterion measures one operation at a time, while this measures a
//! server under a fixed concurrency. Each round starts both servers, opens the connections to
//! both, and then hands the load to one server and the other in short slices, in ABBA order
//! (which server goes first alternates between rounds). It prints one line per server and round
//! (throughput, p50, p99, CPU time per request over that server's slices), then the medians and
//! the ratio.
//!
//! Why slices: this shared machine's speed moves by a quarter from one second to the next (two
//! `sha256sum`s of the same file take 1.5 to 2.4 s), and with one 1.5 s window per server and
//! round, the rounds' ratios ranged from 0.61 to 1.05 for the same code. Slices of 250 ms put
//! both servers under the same conditions within a round. A request that a slice's end
//! interrupts is not counted: each slice loses about half a request per connection at each end,
//! alike for both servers, so the ratio of completions is not biased.
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
    /// Each server takes the load for this long at the start of a round, unmeasured
    /// (connections warm up, allocator settles).
    warmup: Duration,
    /// One slice: how long one server takes the load before the other does.
    slice: Duration,
    /// Slices per server and round (so each server is measured for `slice * slices`).
    slices: u32,
    rounds: usize,
}

// Each server is measured 1.5 s per round, as six slices of 250 ms; with the warm-up a round
// takes 3.3 s plus starting the servers and opening the connections.
// Every create keeps a session of about 0.7 KB until the round ends: at most about 70k per round.
const FULL: Plan = Plan {
    warmup: Duration::from_millis(150),
    slice: Duration::from_millis(250),
    slices: 6,
    rounds: 7,
};

/// What `cargo test --benches` runs: proves the setup works, measures nothing.
const SMOKE: Plan = Plan {
    warmup: Duration::ZERO,
    slice: Duration::from_millis(100),
    slices: 2,
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

/// Which server has the load from when to when; warm-up slices are not measured.
#[derive(Clone, Copy, Debug)]
struct Slice {
    scenario: Scenario,
    start: Instant,
    end: Instant,
    measured: bool,
}

/// A round's slices, back to back from `start`: one warm-up slice per server, then
/// `plan.slices` measured slices per server in ABBA order, A being `scenarios[0]`.
fn schedule(scenarios: &[Scenario], plan: Plan, start: Instant) -> Vec<Slice> {
    let mut slices = Vec::new();
    let mut at = start;
    let mut push = |scenario: Scenario, length: Duration, measured: bool| {
        slices.push(Slice {
            scenario,
            start: at,
            end: at + length,
            measured,
        });
        at += length;
    };
    for &scenario in scenarios {
        push(scenario, plan.warmup, false);
    }
    for i in 0..plan.slices as usize * scenarios.len() {
        // A B B A A B B A ...: the pair (2k, 2k+1) goes A B when k is even and B A when odd.
        let scenario = match scenarios {
            [a, _] if (i / 2) % 2 == i % 2 => a,
            [_, b] => b,
            _ => &scenarios[0],
        };
        push(*scenario, plan.slice, true);
    }
    slices
}

/// `latency` of each request that started and ended in one measured slice, by slice.
type Samples = Vec<Vec<Duration>>;

/// One connection's load: in each slice, requests to that slice's server, until the round ends.
/// `conns` holds one connection to each server, tagged with its scenario.
async fn drive(mut conns: Vec<(Scenario, Conn)>, slices: Arc<[Slice]>) -> io::Result<Samples> {
    let mut samples: Samples = vec![Vec::new(); slices.len()];
    let mut current = 0;
    loop {
        let begin = Instant::now();
        while current < slices.len() && slices[current].end <= begin {
            current += 1;
        }
        let Some(slice) = slices.get(current) else {
            return Ok(samples);
        };
        let conn = conns
            .iter_mut()
            .find(|(scenario, _)| *scenario == slice.scenario)
            .map(|(_, conn)| conn)
            .ok_or_else(|| bad_data("no connection for a slice's server"))?;
        conn.create().await?;
        let end = Instant::now();
        if slice.measured && end < slice.end {
            samples[current].push(end - begin);
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

/// One round: both servers started, [`CONNECTIONS`] connections to each, the load handed from
/// one to the other slice by slice. The outcomes are in the order of `scenarios`.
async fn run_round(
    scenarios: &[Scenario],
    kind: ClientKind,
    plan: Plan,
    constant_body: &[u8],
) -> io::Result<Vec<Outcome>> {
    let mut servers = Vec::with_capacity(scenarios.len());
    for &scenario in scenarios {
        servers.push((scenario, start(scenario, constant_body).await?));
    }
    let mut conns = Vec::with_capacity(CONNECTIONS);
    for _ in 0..CONNECTIONS {
        let mut pair = Vec::with_capacity(servers.len());
        for (scenario, server) in &servers {
            pair.push((*scenario, Conn::open(kind, server).await?));
        }
        conns.push(pair);
    }
    let slices: Arc<[Slice]> = schedule(scenarios, plan, Instant::now()).into();
    let tasks: Vec<_> = conns
        .into_iter()
        .map(|pair| tokio::spawn(drive(pair, slices.clone())))
        .collect();
    // CPU time of the whole process (load client and servers) over each slice: the slices are
    // back to back, so one reading at each boundary ends one slice and starts the next.
    let mut readings = vec![process_cpu()];
    for slice in slices.iter() {
        tokio::time::sleep_until(slice.end.into()).await;
        readings.push(process_cpu());
    }
    let cpu: Vec<Option<Duration>> = readings
        .windows(2)
        .map(|pair| {
            pair[1]
                .zip(pair[0])
                .map(|(after, before)| after.saturating_sub(before))
        })
        .collect();
    let mut samples: Samples = vec![Vec::new(); slices.len()];
    for task in tasks {
        let mine = task.await.map_err(io::Error::other)??;
        for (all, more) in samples.iter_mut().zip(mine) {
            all.extend(more);
        }
    }
    let mut outcomes = Vec::with_capacity(servers.len());
    for (scenario, server) in servers {
        let sessions = server.session_count();
        server.shutdown().await;
        if scenario == Scenario::Constant && sessions != 0 {
            return Err(bad_data("the constant server stored sessions"));
        }
        let mine = || {
            slices
                .iter()
                .enumerate()
                .filter(move |(_, slice)| slice.measured && slice.scenario == scenario)
                .map(|(i, _)| i)
        };
        let mut latencies: Vec<Duration> =
            mine().flat_map(|i| samples[i].iter().copied()).collect();
        latencies.sort_unstable();
        let time: Duration = mine().map(|i| slices[i].end - slices[i].start).sum();
        let cpu: Option<Duration> = mine().map(|i| cpu[i]).sum();
        let count = u32::try_from(latencies.len()).unwrap_or(u32::MAX).max(1);
        outcomes.push(Outcome {
            cpu_per_request: cpu.map(|cpu| cpu / count),
            cores: cpu.map(|cpu| cpu.as_secs_f64() / time.as_secs_f64().max(1e-9)),
            requests: latencies.len(),
            per_sec: latencies.len() as f64 / time.as_secs_f64().max(1e-9),
            p50: quantile(&latencies, 0.50),
            p99: quantile(&latencies, 0.99),
            max: latencies.last().copied().unwrap_or_default(),
        });
    }
    Ok(outcomes)
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
            "{GROUP}: {CONNECTIONS} connections per server, {:?} client, {} rounds of {} slices \
             of {:?} (+{:?} warm-up) per server, constant body {} bytes",
            kind,
            plan.rounds,
            plan.slices,
            plan.slice,
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
        let outcomes = run_round(&order, kind, plan, &constant_body).await?;
        for (scenario, outcome) in order.into_iter().zip(outcomes) {
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
