//! Compile-time guarantees of the DSL and of the query macros: misuse does not compile, with a
//! short message naming what to write instead (the `.stderr` files are checked against rustc
//! 1.95), and the README's chain, `session!` and patches do. `include_session!`'s passing cases
//! are in `queries_as_data.rs`: trybuild builds its cases in a crate under `target/`, whose
//! `CARGO_MANIFEST_DIR` is not the repository root that the paths are relative to.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/fail/*.rs");
    t.pass("tests/ui/pass/*.rs");
}
