//! Allocation bounds of the DSL, counted with a counting global allocator (issue 6,
//! measurement 6). Counts are deterministic, so these are exact checks, not timings.
//! `cargo bench --bench allocations` prints the same counts next to the alternatives.

use fj_sourcing::{FilterValue, SessionRequest};
use serde_json::Value;

#[path = "../benches/support/counting_alloc.rs"]
mod counting_alloc;
#[path = "../benches/support/seed.rs"]
mod seed;

use counting_alloc::{Counting, count};

#[global_allocator]
static GLOBAL: Counting = Counting::system();

/// The heap blocks a request must own: one per string and one per non-empty list.
fn owned_blocks(request: &SessionRequest) -> u64 {
    let texts = [
        request.title(),
        request.jd_text(),
        request.sample_profile_url(),
    ];
    let mut blocks = texts.iter().flatten().count();
    let mut list = |items: &[String]| {
        if !items.is_empty() {
            blocks += 1 + items.len();
        }
    };
    for (_, value) in request.queries().iter() {
        match value {
            FilterValue::Values(items) => list(items),
            FilterValue::Skills(skills) => {
                for (_, items) in skills.buckets() {
                    list(items);
                }
            }
            _ => {}
        }
    }
    blocks as u64
}

#[test]
fn building_the_seed_request_allocates_what_the_request_owns_and_one_list() {
    let (request, counts) = count(seed::typed);
    let owned = owned_blocks(&request);
    println!("build: {counts:?}, owned blocks: {owned}");
    // 2 texts + 26 string lists + 2 non-empty skills buckets, holding 45 strings.
    assert_eq!(owned, 75);
    // Each literal becomes one `String` and each list one exactly sized `Vec`. Besides those,
    // the request holds one list of its set filters, grown by doubling from 4 entries
    // (4 -> 8 -> 16 -> 32 for 31 filters). A fixed table of all 31 filters would need no
    // allocation, but it is 2.2 KB, and the by-value builder copied it twice per setter
    // (docs/benchmarks.md). Validation and the typestate add nothing.
    let doublings = (request.queries().len() as f64 / 4.0).log2().ceil() as u64;
    assert_eq!(counts.allocs, owned + 1, "{counts:?}");
    assert_eq!(counts.reallocs, doublings, "{counts:?}");
}

#[test]
fn a_small_request_allocates_its_data_and_one_list() {
    let (_, counts) = count(|| {
        fj_sourcing::Session::builder()
            .region_in(["Pune"])
            .experience(1..=5)
            .mandatory_skills(["C#"])
            .build()
            .expect("valid")
    });
    // "Pune" and its list, "C#" and its bucket, and the list of the three set filters.
    assert_eq!((counts.allocs, counts.reallocs), (5, 0), "{counts:?}");
}

#[test]
fn serializing_allocates_only_the_output_buffer_once() {
    let request = seed::typed();
    let (bytes, counts) = count(|| request.to_json_vec());
    println!("serialize: {counts:?}, {} bytes", bytes.len());
    assert_eq!(bytes, serde_json::to_vec(&request).expect("serializes"));
    // One buffer, sized up front from the request and never grown. The estimate's slack is a
    // few bytes per filter (most of it the room left for 24-character range bounds), so it
    // stays well under a quarter of the body.
    assert_eq!((counts.allocs, counts.reallocs), (1, 0), "{counts:?}");
    assert!(counts.bytes >= bytes.len() as u64);
    assert!(counts.bytes <= bytes.len() as u64 * 5 / 4, "{counts:?}");
}

#[test]
fn the_buffer_estimate_covers_extreme_ranges() {
    let request = fj_sourcing::Session::builder()
        .experience(i64::MIN..=i64::MAX)
        .year_founded(-1.797_693_134_862_315_7e308..=f64::MAX)
        .mandatory_skills(["C#"])
        .build()
        .expect("valid");
    let (bytes, counts) = count(|| request.to_json_vec());
    assert_eq!((counts.allocs, counts.reallocs), (1, 0), "{counts:?}");
    assert_eq!(
        serde_json::from_slice::<Value>(&bytes).expect("JSON")["queries"]["year_founded"]["value"],
        serde_json::json!([-1.797_693_134_862_315_7e308, f64::MAX])
    );
}

#[test]
fn parsing_allocates_no_more_than_parsing_into_a_json_value() {
    let bytes = seed::typed().to_json_vec();
    let (parsed, counts) = count(|| SessionRequest::from_slice(&bytes));
    let (_, untyped) = count(|| serde_json::from_slice::<Value>(&bytes));
    println!("parse + validate: {counts:?}; serde_json::Value: {untyped:?}");
    assert_eq!(parsed.expect("the seed parses"), seed::typed());
    // Validation reads the document once and moves its strings into the request, so checking it
    // costs no more allocator calls than an untyped parse of the same bytes.
    assert!(
        counts.calls() <= untyped.calls(),
        "{counts:?} vs Value {untyped:?}"
    );
}

#[test]
fn the_benchmarked_forms_describe_the_same_request() {
    // The typed bytes equal the hand-written struct's, and `json!` builds the same JSON value.
    seed::assert_equivalent();
}

#[test]
fn counting_sees_allocations() {
    // Guards the harness itself: a counter that always reads zero would pass the bounds above.
    let (v, counts) = count(|| vec![1u8; 100]);
    assert_eq!((v.len(), counts.allocs, counts.bytes), (100, 1, 100));
}
