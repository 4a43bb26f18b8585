//! The crate documentation lists the Cargo features with the `## ` comments written above each
//! of them in `Cargo.toml`, so that one text describes a feature. The list is copied by hand
//! into `src/lib.rs` (a proc-macro that reads the manifest cost every application's cold build
//! more than the list is worth; docs/benchmarks.md, section 7): this test fails when the copy
//! is stale, and prints the text to paste.

use std::path::Path;

/// The list as `src/lib.rs` must carry it, made from `Cargo.toml`'s `[features]` table.
fn expected_list(manifest: &str) -> String {
    let features = manifest
        .split("\n[features]\n")
        .nth(1)
        .expect("Cargo.toml has a [features] table");
    let features = features.split("\n[").next().unwrap_or(features);
    let defaults: Vec<&str> = features
        .lines()
        .find_map(|line| line.strip_prefix("default = "))
        .map(|list| {
            list.trim_matches(['[', ']'])
                .split(',')
                .map(|name| name.trim().trim_matches('"'))
                .filter(|name| !name.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let mut out = String::new();
    let mut doc: Vec<&str> = Vec::new();
    for line in features.lines() {
        if let Some(text) = line.strip_prefix("## ") {
            doc.push(text);
            continue;
        }
        let Some((name, _)) = line.split_once(" = ") else {
            continue;
        };
        if name == "default" {
            continue;
        }
        assert!(
            !doc.is_empty(),
            "feature `{name}` has no `## ` comment in Cargo.toml"
        );
        let default = if defaults.contains(&name) {
            " *(default)*"
        } else {
            ""
        };
        out.push_str(&format!("//! * **`{name}`**{default}:\n"));
        for text in doc.drain(..) {
            out.push_str(&format!("//!   {text}\n"));
        }
    }
    out
}

#[test]
fn the_crate_docs_list_every_feature_as_cargo_toml_describes_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).expect("Cargo.toml");
    let lib = std::fs::read_to_string(root.join("src/lib.rs")).expect("src/lib.rs");
    let expected = expected_list(&manifest);
    assert!(
        expected.matches("//! * **").count() >= 3,
        "rustls, native-tls and sandbox at least:\n{expected}"
    );
    assert!(
        lib.contains(&expected),
        "the feature list in src/lib.rs is stale; replace it with:\n{expected}"
    );
}
