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
fn building_the_seed_request_allocates_what_the_request_owns_and_its_table() {
    let (request, counts) = count(seed::typed);
    let owned = owned_blocks(&request);
    println!("build: {counts:?}, owned blocks: {owned}");
    // 2 texts + 26 string lists + 2 non-empty skills buckets, holding 45 strings.
    assert_eq!(owned, 75);
    // Each literal becomes one `String` and each list one exactly sized `Vec`. Besides those,
    // the request holds its table of 31 filter slots (one block, never grown) and the skills
    // buckets (one block). Validation and the typestate add nothing.
    assert_eq!(counts.allocs, owned + 2, "{counts:?}");
    assert_eq!(counts.reallocs, 0, "{counts:?}");
}

#[test]
fn a_small_request_allocates_its_data_and_its_table() {
    let (_, counts) = count(|| {
        fj_sourcing::Session::builder()
            .region_in(["Pune"])
            .experience(1..=5)
            .mandatory_skills(["C#"])
            .build()
            .expect("valid")
    });
    // "Pune" and its list, "C#" and its bucket, the skills buckets and the filter table.
    assert_eq!((counts.allocs, counts.reallocs), (6, 0), "{counts:?}");
}

#[test]
fn serializing_allocates_one_buffer() {
    let request = seed::typed();
    let (bytes, counts) = count(|| request.to_json_vec());
    println!("serialize: {counts:?}, {} bytes", bytes.len());
    assert_eq!(bytes, serde_json::to_vec(&request).expect("serializes"));
    // One buffer sized from the number of filters (a rough guess, not a count), which the
    // 2467 bytes of the seed do not outgrow.
    assert_eq!(bytes.len(), 2467);
    assert_eq!((counts.allocs, counts.reallocs), (1, 0), "{counts:?}");
}

#[test]
fn a_typical_request_serializes_into_one_buffer() {
    let request = seed::curl_request();
    let (bytes, counts) = count(|| request.to_json_vec());
    assert_eq!((counts.allocs, counts.reallocs), (1, 0), "{counts:?}");
    assert_eq!(
        serde_json::from_slice::<Value>(&bytes).expect("JSON")["queries"]["years_of_experience_raw"]
            ["value"],
        serde_json::json!([1, 5])
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
