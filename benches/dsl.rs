//! Measurements 1 and 2 of issue 6: the typed DSL against what a user would write instead.
//!
//! * `build_serialize`: the seed's 31-filter request built and serialized to bytes, through the
//!   builder, a hand-written `#[derive(Serialize)]` struct (owning its strings, and borrowing
//!   them), and `serde_json::json!` + `to_vec`.
//! * `parse`: the same bytes parsed and validated into a `SessionRequest`, against parsing them
//!   into a `serde_json::Value`.
//!
//! Times are the benchmark thread's CPU time (see `support/cpu_time.rs` for why). Ratios are
//! recorded in `docs/benchmarks.md`; `python3 benches/ratios.py` prints them from
//! `target/criterion` after a run.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group};
use fj_sourcing::SessionRequest;
use serde_json::Value;

#[path = "support/cpu_time.rs"]
mod cpu_time;
#[path = "support/criterion_args.rs"]
mod criterion_args;
#[path = "support/seed.rs"]
mod seed;

use cpu_time::CpuTime;

fn build_serialize(c: &mut Criterion<CpuTime>) {
    seed::assert_equivalent();
    let mut group = c.benchmark_group("build_serialize");
    group.bench_function("fj_sourcing", |b| b.iter(|| seed::typed().to_json_vec()));
    group.bench_function("derive_owned", |b| {
        b.iter(|| serde_json::to_vec(&seed::hand::<String>()).expect("serializes"))
    });
    group.bench_function("derive_borrowed", |b| {
        b.iter(|| serde_json::to_vec(&seed::hand::<&'static str>()).expect("serializes"))
    });
    group.bench_function("json_macro", |b| {
        b.iter(|| serde_json::to_vec(&seed::json_macro()).expect("serializes"))
    });
    group.finish();
}

/// Criterion measures the functions one after the other, seconds apart; on the shared machine
/// the load changes in between, and three runs at load 8-10 gave ratios from 0.94x to 1.37x.
/// This alternates short blocks of the typed path and the owned derive (ABBA order) and prints
/// the median of the per-round ratios of thread CPU time, with the 10th and 90th percentiles.
fn paired_build_serialize() {
    const ROUNDS: usize = 200;
    const BLOCK: u32 = 200;
    fn block(f: &dyn Fn()) -> f64 {
        let start = cpu_time::thread_cpu_ns();
        for _ in 0..BLOCK {
            f();
        }
        (cpu_time::thread_cpu_ns() - start) as f64 / f64::from(BLOCK)
    }
    let typed = || drop(black_box(seed::typed().to_json_vec()));
    let owned = || {
        drop(black_box(
            serde_json::to_vec(&seed::hand::<String>()).expect("serializes"),
        ))
    };
    let mut ratios = Vec::with_capacity(ROUNDS);
    let (mut typed_ns, mut owned_ns) = (Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        let (t, o) = if round % 2 == 0 {
            let t = block(&typed);
            (t, block(&owned))
        } else {
            let o = block(&owned);
            (block(&typed), o)
        };
        ratios.push(t / o);
        typed_ns.push(t);
        owned_ns.push(o);
    }
    let pct = |v: &mut Vec<f64>, q: f64| {
        v.sort_by(f64::total_cmp);
        v[((v.len() - 1) as f64 * q).round() as usize]
    };
    println!(
        "build_serialize/paired: {ROUNDS} rounds of {BLOCK} + {BLOCK}, thread CPU time: \
         fj_sourcing {:.3} µs, derive_owned {:.3} µs, ratio median {:.3}x (p10 {:.3}x, p90 {:.3}x)",
        pct(&mut typed_ns, 0.5) / 1e3,
        pct(&mut owned_ns, 0.5) / 1e3,
        pct(&mut ratios.clone(), 0.5),
        pct(&mut ratios.clone(), 0.1),
        pct(&mut ratios, 0.9),
    );
}

fn parse(c: &mut Criterion<CpuTime>) {
    let bytes = seed::typed().to_json_vec();
    let mut group = c.benchmark_group("parse");
    group.bench_function("fj_sourcing", |b| {
        b.iter(|| SessionRequest::from_slice(black_box(&bytes)).expect("valid"))
    });
    group.bench_function("value", |b| {
        b.iter(|| serde_json::from_slice::<Value>(black_box(&bytes)).expect("valid"))
    });
    group.finish();
}

fn config() -> Criterion<CpuTime> {
    // Modest times: the machine has two cores shared with other work.
    Criterion::default()
        .with_measurement(CpuTime)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = benches;
    config = config();
    targets = build_serialize, parse
}

/// `FJ_BENCH_LOOP=<function>:N`: runs one `build_serialize` function (`fj_sourcing`,
/// `derive_owned`, `derive_borrowed`) or `parse/fj_sourcing` N times and exits, for instruction
/// counts under valgrind (`benches/instructions.sh`). N = 0 gives the fixed cost to subtract.
fn instruction_loop() -> bool {
    let Ok(spec) = std::env::var("FJ_BENCH_LOOP") else {
        return false;
    };
    let (function, count) = spec.rsplit_once(':').expect("FJ_BENCH_LOOP=<function>:N");
    let count: u32 = count.parse().expect("a count");
    let bytes = seed::typed().to_json_vec();
    for _ in 0..count {
        match function {
            "fj_sourcing" => drop(black_box(seed::typed().to_json_vec())),
            "derive_owned" => drop(black_box(
                serde_json::to_vec(&seed::hand::<String>()).expect("serializes"),
            )),
            "derive_borrowed" => drop(black_box(
                serde_json::to_vec(&seed::hand::<&'static str>()).expect("serializes"),
            )),
            "parse/fj_sourcing" => drop(black_box(
                SessionRequest::from_slice(black_box(&bytes)).expect("valid"),
            )),
            other => panic!("unknown function {other:?}"),
        }
    }
    true
}

fn main() {
    if instruction_loop() {
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
    if criterion_args::wants("build_serialize/paired") {
        paired_build_serialize();
    }
}
