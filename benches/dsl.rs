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
}
