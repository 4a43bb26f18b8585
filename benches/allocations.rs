//! Measurement 6 of issue 6: allocator calls per request, for the typed DSL and the
//! alternatives, counted with a counting global allocator (`cargo bench --bench allocations`).
//!
//! Counts are deterministic for a given toolchain and dependency set; `tests/allocations.rs`
//! asserts the bounds that matter.

use fj_sourcing::SessionRequest;
use serde_json::Value;

#[path = "support/counting_alloc.rs"]
mod counting_alloc;
#[path = "support/seed.rs"]
mod seed;

use counting_alloc::{Counting, Counts, count};

#[global_allocator]
static GLOBAL: Counting = Counting::system();

fn row(what: &str, counts: Counts) {
    println!(
        "{what:<48} {:>6} {:>8} {:>8} {:>8}",
        counts.calls(),
        counts.allocs,
        counts.reallocs,
        counts.bytes
    );
}

fn main() {
    // `cargo bench -- <filter>` passes arguments meant for criterion; this program has one job.
    seed::assert_equivalent();
    println!(
        "{:<48} {:>6} {:>8} {:>8} {:>8}",
        "allocator calls (this thread)", "calls", "allocs", "reallocs", "bytes"
    );

    let (request, built) = count(seed::typed);
    row("fj_sourcing: build (builder + validation)", built);
    let (bytes, serialized) = count(|| request.to_json_vec());
    row("fj_sourcing: serialize (to_json_vec)", serialized);
    let (_, parsed) = count(|| SessionRequest::from_slice(&bytes).expect("valid"));
    row("fj_sourcing: parse + validate (from_slice)", parsed);

    let (_, built) = count(|| {
        fj_sourcing::Session::builder()
            .sample_profile_url("https://www.linkedin.com/in/someone")
            .mandatory_skills(["C#"])
            .build()
            .expect("valid")
    });
    row("fj_sourcing: build, 1 skill + sampleProfileURL", built);

    let (hand, built) = count(seed::hand::<String>);
    row("derive, owned strings: build", built);
    let (_, serialized) = count(|| serde_json::to_vec(&hand).expect("serializes"));
    row("derive, owned strings: serialize (to_vec)", serialized);
    let (hand, built) = count(seed::hand::<&'static str>);
    row("derive, borrowed strings: build", built);
    let (_, serialized) = count(|| serde_json::to_vec(&hand).expect("serializes"));
    row("derive, borrowed strings: serialize (to_vec)", serialized);

    let (value, built) = count(seed::json_macro);
    row("json!: build", built);
    let (_, serialized) = count(|| serde_json::to_vec(&value).expect("serializes"));
    row("json!: serialize (to_vec)", serialized);
    let (_, parsed) = count(|| serde_json::from_slice::<Value>(&bytes).expect("valid"));
    row("serde_json::Value: parse (from_slice)", parsed);
    println!("request size: {} bytes", bytes.len());
}
