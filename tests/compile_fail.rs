//! Compile-time guarantees of the DSL: misuse does not compile, with a readable message
//! (the `.stderr` files are checked against rustc 1.95), and the README's chain does.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/fail/*.rs");
    t.pass("tests/ui/pass/*.rs");
}
