//! Point 2: many concurrent creates against a short balance, and a bounded soak of mixed calls.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use fj_sandbox::{Fault, Operation};
use fj_sourcing::WaitOptions;
use fj_sourcing::{Client, Error, RevealType};
use futures_util::StreamExt;

use crate::support::*;

/// Creates attempted by the load tests.
pub const CREATES: usize = 1000;
/// Concurrent tasks making them.
pub const TASKS: usize = 64;
/// Creates the starting balance pays for.
pub const AFFORDABLE: u64 = 300;
/// Credits per create (the sandbox's default, as documented).
pub const COST: u64 = 5;
/// In the faulty load run, every 10th request (from the 4th) gets a 503 and every 10th (from
/// the 8th) is processed but its connection closed before the answer.
pub const FAULT_EVERY: usize = 10;

/// What one create ended in: the session id and the balance it reported, or an error.
type Outcome = Result<(String, i64), Error>;

/// Makes [`CREATES`] creates from [`TASKS`] tasks; outcomes in completion order.
async fn creates_from_tasks(client: &Client) -> Vec<Outcome> {
    let next = Arc::new(AtomicUsize::new(0));
    let request = Arc::new(seed_request());
    let tasks: Vec<_> = (0..TASKS)
        .map(|_| {
            let (client, next, request) = (client.clone(), Arc::clone(&next), Arc::clone(&request));
            tokio::spawn(async move {
                let mut outcomes = Vec::new();
                while next.fetch_add(1, Ordering::SeqCst) < CREATES {
                    let created = bounded("create", client.create_session(&request)).await;
                    outcomes.push(created.map(|c| {
                        let id = c.id().unwrap().to_owned();
                        let left = c.credit_info().unwrap().remaining_credits.unwrap();
                        (id, left)
                    }));
                }
                outcomes
            })
        })
        .collect();
    let mut all = Vec::with_capacity(CREATES);
    for task in tasks {
        all.extend(task.await.unwrap());
    }
    assert_eq!(all.len(), CREATES);
    all
}

/// Errors by kind.
fn kinds(outcomes: &[Outcome]) -> BTreeMap<&'static str, usize> {
    let mut counts = BTreeMap::new();
    for outcome in outcomes {
        let name = outcome.as_ref().map_or_else(kind, |_| "Ok");
        *counts.entry(name).or_default() += 1;
    }
    counts
}

#[test]
fn a_thousand_creates_from_64_tasks_spend_exactly_the_balance() {
    run(async {
        let start = AFFORDABLE * COST;
        let sandbox = sandbox().credits(start).start().await.unwrap();
        let client = client_for(&sandbox, fast_retries(), Duration::from_secs(30));
        let outcomes = creates_from_tasks(&client).await;

        let counts = kinds(&outcomes);
        let succeeded = counts.get("Ok").copied().unwrap_or(0);
        assert_eq!(
            counts,
            BTreeMap::from([
                ("Ok", AFFORDABLE as usize),
                ("PaymentRequired", CREATES - AFFORDABLE as usize)
            ])
        );
        for error in outcomes.iter().filter_map(|o| o.as_ref().err()) {
            let message = error.api_error().unwrap().message();
            assert!(message.starts_with("Insufficient credits"), "{message}");
        }
        // Nothing was retried (402 is final), nothing lost, nothing charged twice.
        assert_eq!(sandbox.requests_seen(), CREATES as u64);
        assert_eq!(sandbox.session_count(), succeeded);
        assert_eq!(sandbox.charges().len(), succeeded);
        assert_eq!(sandbox.credits_remaining(), start - COST * succeeded as u64);
        // Each success saw its own balance, none negative: 1495, 1490, ..., 0.
        let mut balances: Vec<i64> = outcomes.iter().flatten().map(|(_, left)| *left).collect();
        balances.sort_unstable();
        let expected: Vec<i64> = (0..AFFORDABLE as i64).map(|k| k * COST as i64).collect();
        assert_eq!(balances, expected);
        assert_ledger_steps_down(&sandbox.charges(), start);
        let ids: HashSet<&str> = outcomes
            .iter()
            .flatten()
            .map(|(id, _)| id.as_str())
            .collect();
        let stored: HashSet<String> = sandbox.session_ids().into_iter().collect();
        assert_eq!(ids.len(), succeeded);
        assert!(ids.iter().all(|id| stored.contains(*id)));
    });
}

/// The ledger goes down by exactly one create's cost per charge, from `start`: the balance
/// never went below zero (a saturating subtraction would show as a smaller step).
fn assert_ledger_steps_down(charges: &[fj_sandbox::Charge], start: u64) {
    let mut balance = start;
    for charge in charges {
        assert_eq!(charge.operation, Operation::Create);
        assert_eq!(charge.amount, COST);
        balance -= COST;
        assert_eq!(charge.remaining, balance);
    }
}

#[test]
fn creates_under_load_and_faults_are_never_charged_twice() {
    run(async {
        let start = AFFORDABLE * COST;
        let sandbox = sandbox().credits(start).start().await.unwrap();
        for i in 0..CREATES {
            let fault = match i % FAULT_EVERY {
                3 => Fault::Status(503),
                7 => Fault::CloseBeforeResponse,
                // No damage: a zero latency keeps the queue aligned with arrivals.
                _ => Fault::Latency(Duration::ZERO),
            };
            sandbox.inject(fault, 1);
        }
        let client = client_for(&sandbox, fast_retries(), Duration::from_secs(30));
        let outcomes = creates_from_tasks(&client).await;

        let counts = kinds(&outcomes);
        let faulted = CREATES / FAULT_EVERY;
        assert_eq!(counts.get("Server"), Some(&faulted), "{counts:?}");
        assert_eq!(counts.get("Transport"), Some(&faulted), "{counts:?}");
        let succeeded = counts.get("Ok").copied().unwrap_or(0);
        let refused = counts.get("PaymentRequired").copied().unwrap_or(0);
        assert_eq!(succeeded + refused, CREATES - 2 * faulted, "{counts:?}");
        // Ambiguous failures were not retried: one request per call.
        assert_eq!(sandbox.requests_seen(), CREATES as u64);
        // 900 requests were processed and the balance pays for 300: all of it is spent, once.
        let charges = sandbox.charges();
        assert_eq!(charges.len(), AFFORDABLE as usize);
        assert_eq!(sandbox.session_count(), charges.len());
        assert_eq!(sandbox.credits_remaining(), 0);
        assert_ledger_steps_down(&charges, start);
        // Every charge is a session some caller got back, or one whose answer was lost with
        // its connection (reported to that caller as a Transport error, never retried).
        let returned: HashSet<&str> = outcomes
            .iter()
            .flatten()
            .map(|(id, _)| id.as_str())
            .collect();
        assert_eq!(returned.len(), succeeded);
        let lost = sandbox
            .session_ids()
            .iter()
            .filter(|id| !returned.contains(id.as_str()))
            .count();
        assert_eq!(succeeded + lost, charges.len());
        assert!(
            lost <= faulted,
            "{lost} lost sessions, {faulted} closed connections"
        );
    });
}

/// Rounds of the soak in the normal run: a count, so the run does the same work however
/// loaded the machine is. `FJ_SOAK_SECS` runs at least this many rounds and then goes on until
/// that many seconds have passed.
pub const DEFAULT_SOAK_ROUNDS: usize = 6;
/// Rounds before the memory baseline is taken (allocator and pool warm-up).
pub const SOAK_WARMUP_ROUNDS: usize = 2;
/// Concurrent workers per soak round.
pub const SOAK_WORKERS: usize = 8;
/// Cycles of mixed calls per worker and round.
pub const SOAK_CYCLES: usize = 3;
/// At most this many rounds, however long the soak.
pub const MAX_SOAK_ROUNDS: usize = 100_000;
/// The soak fails if the resident set grows by more than this after the warm-up.
pub const SOAK_RSS_GROWTH_LIMIT_KIB: u64 = 32 * 1024;
/// The calls of one soak cycle, in order; `session (unknown id)` must answer 404.
pub const SOAK_CYCLE: [&str; 10] = [
    "create_session",
    "wait_until_done",
    "profiles",
    "profiles_stream",
    "candidate",
    "reveal_contact",
    "autocomplete",
    "fetch_more",
    "session (unknown id)",
    "jd_to_filters",
];

/// `FJ_SOAK_SECS`, when set: a longer, timed soak.
fn soak_secs() -> Option<u64> {
    let value = std::env::var("FJ_SOAK_SECS").ok()?;
    Some(value.trim().parse().unwrap_or_else(|_| {
        panic!("FJ_SOAK_SECS must be a whole number of seconds, got {value:?}")
    }))
}

/// `VmRSS` of this process in KiB.
fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS in /proc/self/status")
}

/// One cycle of [`SOAK_CYCLE`]; the number of calls made. Any unexpected error fails the soak.
async fn cycle(client: &Client) -> usize {
    let fail = |call: &str, e: Error| -> ! { panic!("soak: {call} failed: {e}") };
    let created = client
        .create_session(&seed_request())
        .await
        .unwrap_or_else(|e| fail("create_session", e));
    let id = created.id().unwrap().to_owned();
    let quick = WaitOptions::default()
        .with_first_interval(Duration::from_millis(5))
        .with_deadline(Duration::from_secs(10));
    client
        .wait_until_done(&id, quick)
        .await
        .unwrap_or_else(|e| fail("wait_until_done", e));
    let page = client
        .profiles(&id, 1, 10)
        .await
        .unwrap_or_else(|e| fail("profiles", e));
    let mut streamed = 0;
    let mut stream = client.profiles_stream(&id, 10);
    while let Some(candidate) = stream.next().await {
        candidate.unwrap_or_else(|e| fail("profiles_stream", e));
        streamed += 1;
    }
    assert_eq!(Some(streamed), page.total_docs.map(|n| n as usize));
    let first = &page.docs[0];
    client
        .candidate(first.id.as_deref().unwrap(), &id)
        .await
        .unwrap_or_else(|e| fail("candidate", e));
    client
        .reveal_contact(&id, first.linkedin_url().unwrap(), RevealType::Email)
        .await
        .unwrap_or_else(|e| fail("reveal_contact", e));
    client
        .autocomplete("region", "Pu", Some(5))
        .await
        .unwrap_or_else(|e| fail("autocomplete", e));
    client
        .fetch_more(&id)
        .await
        .unwrap_or_else(|e| fail("fetch_more", e));
    match client.session("000000000000000000000000").await {
        Err(Error::NotFound(_)) => {}
        other => panic!("soak: an unknown session must be 404, got {other:?}"),
    }
    client
        .jd_to_filters("Rust developer in Pune, 3-5 years", None)
        .await
        .unwrap_or_else(|e| fail("jd_to_filters", e));
    SOAK_CYCLE.len()
}

/// One round: a fresh sandbox and client, [`SOAK_WORKERS`] workers × [`SOAK_CYCLES`] cycles,
/// then the credit accounting is checked and everything is dropped. The sandbox keeps every
/// session in memory by design, so a round per sandbox keeps the workload's state bounded and
/// any growth left is a leak.
async fn round() -> usize {
    let start = 1_000_000;
    let sandbox = sandbox().credits(start).start().await.unwrap();
    let client = client_for(&sandbox, fast_retries(), Duration::from_secs(20));
    let workers = (0..SOAK_WORKERS).map(|_| {
        let client = client.clone();
        async move {
            let mut calls = 0;
            for _ in 0..SOAK_CYCLES {
                calls += cycle(&client).await;
            }
            calls
        }
    });
    let calls: usize = futures_util::future::join_all(workers)
        .await
        .into_iter()
        .sum();
    let cycles = (SOAK_WORKERS * SOAK_CYCLES) as u64;
    let charges = sandbox.charges();
    // Per cycle: one create, one reveal, one fetch more.
    assert_eq!(charges.len() as u64, 3 * cycles);
    let spent: u64 = charges.iter().map(|c| c.amount).sum();
    assert_eq!(sandbox.credits_remaining(), start - spent);
    assert_eq!(sandbox.session_count() as u64, cycles);
    drop(client);
    sandbox.shutdown().await;
    calls
}

#[test]
fn a_bounded_soak_of_mixed_calls_keeps_memory_steady() {
    // Memory is measured for the whole process: nothing else of this binary runs meanwhile.
    let _alone = exclusive();
    let runtime = runtime();
    let timed = soak_secs().map(Duration::from_secs);
    let started = Instant::now();
    let (mut rounds, mut calls) = (0, 0);
    let mut baseline = None;
    let mut peak = 0;
    let before = rss_kib();
    // The elapsed time only lengthens an FJ_SOAK_SECS run; the default run is a fixed count.
    let more = |rounds: usize| {
        rounds < DEFAULT_SOAK_ROUNDS
            || timed.is_some_and(|d| started.elapsed() < d && rounds < MAX_SOAK_ROUNDS)
    };
    while more(rounds) {
        calls += runtime.block_on(bounded("soak round", round()));
        rounds += 1;
        let rss = rss_kib();
        match baseline {
            None if rounds >= SOAK_WARMUP_ROUNDS => baseline = Some(rss),
            Some(_) => peak = peak.max(rss),
            None => {}
        }
    }
    drop(runtime);
    let after = rss_kib();
    let baseline = baseline.expect("the soak runs past its warm-up rounds");
    let peak = peak.max(baseline);
    let elapsed = started.elapsed();
    println!(
        "soak: {rounds} rounds ({:?} s requested), {:.1} s run, {calls} calls ({:.0}/s), \
         VmRSS before {before} KiB, after warm-up {baseline} KiB, peak after warm-up {peak} KiB, \
         at the end {after} KiB (growth after warm-up {} KiB)",
        timed.map(|d| d.as_secs()),
        elapsed.as_secs_f64(),
        calls as f64 / elapsed.as_secs_f64(),
        peak - baseline,
    );
    assert!(
        rounds >= DEFAULT_SOAK_ROUNDS,
        "the soak ran only {rounds} round(s)"
    );
    let cycles = rounds * SOAK_WORKERS * SOAK_CYCLES;
    assert_eq!(calls, cycles * SOAK_CYCLE.len());
    assert!(
        peak - baseline <= SOAK_RSS_GROWTH_LIMIT_KIB,
        "VmRSS grew by {} KiB after the warm-up (limit {SOAK_RSS_GROWTH_LIMIT_KIB} KiB)",
        peak - baseline
    );
}
