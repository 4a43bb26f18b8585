//! Guard: building the seed's 31-filter request with the typed builder and serializing it to
//! bytes takes at most 1.5x the time of its twin written as a `#[derive(Serialize)]` struct
//! owning its strings (`support/seed.rs`, which checks that both give the same JSON).
//!
//! The two alternate in short blocks (ABBA order against drift) and the ratio is the median of
//! the per-round ratios of the thread's CPU time (`support/cpu_time.rs` says why CPU time).
//!
//! * `cargo bench --bench dsl`: the full run, with the ratio, load average and PASS/FAIL.
//! * Without `--bench` (`cargo test --benches`): two rounds that check the setup.

use std::hint::black_box;

#[path = "support/cpu_time.rs"]
mod cpu_time;
#[path = "support/harness.rs"]
mod harness;
#[path = "support/load.rs"]
mod load;
#[path = "support/seed.rs"]
mod seed;

const GROUP: &str = "build_serialize";
/// The guard: typed over derive CPU time, at most this.
const GUARD: f64 = 1.5;
/// Builds per block.
const BLOCK: u32 = 200;

/// CPU time per call of `f`, over one block.
fn block(f: &dyn Fn()) -> f64 {
    let start = cpu_time::thread_cpu_ns();
    for _ in 0..BLOCK {
        f();
    }
    (cpu_time::thread_cpu_ns() - start) as f64 / f64::from(BLOCK)
}

fn main() {
    let Some(line) = harness::CommandLine::parse(GROUP) else {
        return;
    };
    if !line.selects(GROUP) {
        return;
    }
    seed::assert_equivalent();
    let rounds = if line.full { 400 } else { 2 };
    let typed = || drop(black_box(seed::typed().to_json_vec()));
    let owned = || {
        drop(black_box(
            serde_json::to_vec(&seed::hand::<String>()).expect("serializes"),
        ))
    };
    let mut ratios = Vec::with_capacity(rounds);
    let (mut typed_ns, mut owned_ns) = (Vec::new(), Vec::new());
    for round in 0..rounds {
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
    if !line.full {
        return;
    }
    let pct = |v: &mut Vec<f64>, q: f64| {
        v.sort_by(f64::total_cmp);
        v[((v.len() - 1) as f64 * q).round() as usize]
    };
    let ratio = pct(&mut ratios, 0.5);
    println!(
        "{GROUP}: {rounds} rounds of {BLOCK} + {BLOCK}, thread CPU time: fj_sourcing {:.3} µs, \
         derive_owned {:.3} µs; ratio median {ratio:.3}x (p10 {:.3}x, p90 {:.3}x)",
        pct(&mut typed_ns, 0.5) / 1e3,
        pct(&mut owned_ns, 0.5) / 1e3,
        pct(&mut ratios, 0.1),
        pct(&mut ratios, 0.9),
    );
    println!(
        "{GROUP}: guard <= {GUARD:.2}x: {}; loadavg {}",
        load::verdict(ratio <= GUARD),
        load::loadavg()
    );
}
