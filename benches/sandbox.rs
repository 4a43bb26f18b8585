//! Guard: the sandbox's Create throughput is at least 0.5x that of a constant-body axum server
//! (`support/constant_server.rs`, replaying the sandbox's own Create answer, headers and body,
//! as fixed values), with 64 concurrent keep-alive connections posting the reference's section
//! 3.1 request.
//!
//! Not a criterion benchmark: this measures servers under a fixed concurrency. Each round starts
//! both servers, opens the connections to both, and hands the load to one and the other in
//! 250 ms slices, in ABBA order: the shared machine's speed moves from one second to the next,
//! and slices put both servers under the same conditions. A request cut by a slice's end is not
//! counted (alike for both servers). Server and load client share one two-worker runtime.
//!
//! * `cargo bench --bench sandbox`: the full run; prints each round, the median ratio, the
//!   load average and PASS/FAIL.
//! * Without `--bench` (as `cargo test --benches` runs it): one tiny round that checks the
//!   setup, with nothing printed.

use std::io;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use fj_sandbox::Sandbox;

#[path = "support/constant_server.rs"]
mod constant_server;
#[path = "support/harness.rs"]
mod harness;
#[path = "support/load.rs"]
mod load;
#[path = "support/raw_http.rs"]
mod raw_http;

use harness::CommandLine;
use raw_http::{RawConn, bad_data};

/// The reference's section 3.1 cURL body.
const SEED_BODY: &[u8] = include_bytes!("../tests/fixtures/create_request.json");

/// Concurrent connections, one request in flight on each.
const CONNECTIONS: usize = 64;

const GROUP: &str = "sandbox_throughput";

/// The guard: sandbox creates per second over the constant server's, at least this.
const GUARD: f64 = 0.5;

/// How long and how much to run.
#[derive(Clone, Copy, Debug)]
struct Plan {
    /// One unmeasured slice per server at the start of a round (connections warm up).
    warmup: Duration,
    slice: Duration,
    /// Measured slices per server and round.
    slices: u32,
    rounds: usize,
}

const FULL: Plan = Plan {
    warmup: Duration::from_millis(150),
    slice: Duration::from_millis(250),
    slices: 4,
    rounds: 9,
};

const SMOKE: Plan = Plan {
    warmup: Duration::ZERO,
    slice: Duration::from_millis(100),
    slices: 2,
    rounds: 1,
};

/// Which server a slice loads: 0 the sandbox, 1 the constant server.
#[derive(Clone, Copy, Debug)]
struct Slice {
    server: usize,
    end: Instant,
    measured: bool,
}

/// A round's slices, back to back from `start`: a warm-up slice per server, then the measured
/// slices in ABBA order, A being `first`.
fn schedule(first: usize, plan: Plan, start: Instant) -> Vec<Slice> {
    let mut at = start;
    let mut slice = |server: usize, length: Duration, measured: bool| {
        at += length;
        Slice {
            server,
            end: at,
            measured,
        }
    };
    let mut slices = vec![
        slice(first, plan.warmup, false),
        slice(1 - first, plan.warmup, false),
    ];
    for i in 0..plan.slices as usize * 2 {
        // A B B A A B B A ...
        let server = if (i / 2) % 2 == i % 2 {
            first
        } else {
            1 - first
        };
        slices.push(slice(server, plan.slice, true));
    }
    slices
}

/// One Create; fails unless the answer is a 201.
async fn create(conn: &mut RawConn, request: &[u8]) -> io::Result<()> {
    let (status, body) = conn.round_trip(request).await?;
    expect_created(status, &body)
}

fn expect_created(status: u16, body: &[u8]) -> io::Result<()> {
    if status != 201 {
        return Err(bad_data(format!(
            "expected 201, got {status}: {}",
            String::from_utf8_lossy(body)
        )));
    }
    Ok(())
}

/// The sandbox's Create answer to the seed request, which the constant server replays.
struct Answer {
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// One connection's load: requests to each slice's server until the round ends. Returns the
/// latencies of the requests that started and ended within a measured slice, by slice.
async fn drive(
    mut conns: [(RawConn, Arc<[u8]>); 2],
    slices: Arc<[Slice]>,
) -> io::Result<Vec<Vec<Duration>>> {
    let mut samples = vec![Vec::new(); slices.len()];
    let mut current = 0;
    loop {
        let begin = Instant::now();
        while current < slices.len() && slices[current].end <= begin {
            current += 1;
        }
        let Some(slice) = slices.get(current) else {
            return Ok(samples);
        };
        let (conn, request) = &mut conns[slice.server];
        create(conn, request).await?;
        let end = Instant::now();
        if slice.measured && end < slice.end {
            samples[current].push(end - begin);
        }
    }
}

/// One round: creates per second and p99 latency of each server (sandbox first).
async fn round(first: usize, plan: Plan, answer: &Answer) -> io::Result<[(f64, Duration); 2]> {
    let sandbox = Sandbox::builder()
        .credits(u64::MAX)
        .rate_limit(u32::MAX, Duration::from_secs(3600))
        .start()
        .await?;
    let constant = constant_server::start(&answer.headers, answer.body.clone()).await?;
    let request = |addr: SocketAddr| -> Arc<[u8]> {
        raw_http::create_request(addr, sandbox.api_key(), SEED_BODY).into()
    };
    let requests = [request(sandbox.addr()), request(constant.addr)];
    let mut tasks = Vec::with_capacity(CONNECTIONS);
    let mut pairs = Vec::with_capacity(CONNECTIONS);
    for _ in 0..CONNECTIONS {
        pairs.push([
            (RawConn::open(sandbox.addr()).await?, requests[0].clone()),
            (RawConn::open(constant.addr).await?, requests[1].clone()),
        ]);
    }
    let slices: Arc<[Slice]> = schedule(first, plan, Instant::now()).into();
    for pair in pairs {
        tasks.push(tokio::spawn(drive(pair, slices.clone())));
    }
    let mut latencies = [Vec::new(), Vec::new()];
    for task in tasks {
        for (i, samples) in task
            .await
            .map_err(io::Error::other)??
            .into_iter()
            .enumerate()
        {
            latencies[slices[i].server].extend(samples);
        }
    }
    sandbox.shutdown().await;
    let measured = plan.slice * plan.slices;
    Ok(latencies.map(|mut latencies| {
        latencies.sort_unstable();
        let p99 = latencies
            .get((latencies.len() * 99).div_ceil(100).saturating_sub(1))
            .copied()
            .unwrap_or_default();
        (latencies.len() as f64 / measured.as_secs_f64(), p99)
    }))
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

async fn bench(plan: Plan, report: bool) -> io::Result<()> {
    // The constant server answers what the sandbox answers the same request, headers included.
    let sandbox = Sandbox::builder().start().await?;
    let mut conn = RawConn::open(sandbox.addr()).await?;
    let request = raw_http::create_request(sandbox.addr(), sandbox.api_key(), SEED_BODY);
    let (status, headers, body) = conn.round_trip_with_headers(&request).await?;
    expect_created(status, &body)?;
    let answer = Answer { headers, body };
    // The rounds' sandboxes keep the default journal too: on, unless this says otherwise.
    let journal = if sandbox.requests().is_empty() {
        "off"
    } else {
        "on"
    };
    sandbox.shutdown().await;
    if report {
        println!(
            "{GROUP}: {CONNECTIONS} connections per server, {} rounds of {} slices of {:?} per \
             server, answer {} bytes and {} header lines, sandbox journal {journal}",
            plan.rounds,
            plan.slices,
            plan.slice,
            answer.body.len(),
            answer.headers.len()
        );
    }
    let mut ratios = Vec::new();
    for i in 0..plan.rounds {
        let [(sandbox, sandbox_p99), (constant, constant_p99)] =
            round(i % 2, plan, &answer).await?;
        if report {
            println!(
                "  round {}: sandbox {sandbox:>6.0} creates/s (p99 {:.2} ms), constant \
                 {constant:>6.0} creates/s (p99 {:.2} ms), ratio {:.2}",
                i + 1,
                sandbox_p99.as_secs_f64() * 1e3,
                constant_p99.as_secs_f64() * 1e3,
                sandbox / constant
            );
        }
        ratios.push(sandbox / constant);
    }
    if report {
        let ratio = median(ratios);
        println!(
            "{GROUP}: sandbox/constant throughput {ratio:.2} (median of rounds), guard >= \
             {GUARD:.2}: {}; loadavg {}",
            load::verdict(ratio >= GUARD),
            load::loadavg()
        );
    }
    Ok(())
}

fn main() -> ExitCode {
    let Some(line) = CommandLine::parse(GROUP) else {
        return ExitCode::SUCCESS;
    };
    if !line.selects(GROUP) {
        return ExitCode::SUCCESS;
    }
    let plan = if line.full { FULL } else { SMOKE };
    let runtime = match harness::runtime(GROUP) {
        Ok(runtime) => runtime,
        Err(code) => return code,
    };
    match runtime.block_on(bench(plan, line.full)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{GROUP}: {err}");
            ExitCode::FAILURE
        }
    }
}
