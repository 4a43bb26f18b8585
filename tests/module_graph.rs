//! The modules of each crate form layers: no top-level module reaches, through `crate::` or
//! `super::` paths, a module that reaches back to it. `cargo modules dependencies --acyclic`
//! checks the same, but building `cargo-modules` (rust-analyzer's crates) takes longer on the
//! 2-core CI than this whole suite, so this reads the sources instead: every path that names a
//! module of the crate in code (unit tests included; comments and doc links left out, since a
//! link to a module is no dependency on it) counts as a dependency.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The crates whose module graphs are checked, by source directory.
const CRATES: [&str; 4] = [
    "src",
    "crates/fj-sourcing-query/src",
    "crates/fj-sandbox/src",
    "crates/fj-cli/src",
];

/// Top-level module name -> the source files that make it up.
fn modules(src: &Path) -> BTreeMap<String, Vec<PathBuf>> {
    let mut modules = BTreeMap::new();
    for entry in fs::read_dir(src).expect("source directory") {
        let path = entry.expect("entry").path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        // `fields.rs` and `fields/` are one module (the 2018 layout): their files add up.
        if path.is_dir() {
            collect_rs(&path, modules.entry(name).or_default());
        } else if path.extension().is_some_and(|e| e == "rs") && name != "lib" && name != "main" {
            modules.entry(name).or_default().push(path);
        }
    }
    modules
}

fn collect_rs(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("module directory") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            collect_rs(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

/// The first segments of the paths that follow `prefix` in `text`: `prefix::a::b` gives `a`,
/// `prefix::{a::b, c}` gives `a` and `c`.
fn first_segments(text: &str, prefix: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(prefix) {
        let preceded_by_ident = rest[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':');
        rest = &rest[at + prefix.len()..];
        if preceded_by_ident {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let end = group
                .char_indices()
                .find(|&(_, c)| {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => return true,
                        '}' => depth -= 1,
                        _ => {}
                    }
                    false
                })
                .map_or(group.len(), |(i, _)| i);
            let mut depth = 0;
            let mut start = 0;
            for (i, c) in group[..end].char_indices().chain([(end, ',')]) {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        found.push(ident(group[start..i].trim()));
                        start = i + 1;
                    }
                    _ => {}
                }
            }
        } else {
            found.push(ident(rest));
        }
    }
    found
}

fn ident(text: &str) -> String {
    text.chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// Module -> the other top-level modules its files name.
fn graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let modules = modules(src);
    let mut edges = BTreeMap::new();
    for (name, files) in &modules {
        let mut targets = BTreeSet::new();
        for file in files {
            let source = fs::read_to_string(file).expect("readable source");
            let text: String = source
                .lines()
                .filter(|line| !line.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            // In `src/m.rs` and `src/m/mod.rs`, `super::` is the crate root; one level down it
            // is `super::super::`.
            let depth = file.strip_prefix(src).unwrap().components().count()
                - usize::from(file.ends_with("mod.rs"));
            let root = "super::".repeat(depth);
            let mut names = first_segments(&text, "crate::");
            names.extend(first_segments(&text, &root));
            targets.extend(
                names
                    .into_iter()
                    .filter(|n| n != name && modules.contains_key(n)),
            );
        }
        edges.insert(name.clone(), targets);
    }
    edges
}

/// A cycle through `start`, if there is one.
fn cycle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = stack.iter().position(|n| n == node) {
            let mut cycle = stack[at..].to_vec();
            cycle.push(node.to_owned());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        stack.push(node.to_owned());
        for next in &edges[node] {
            if let Some(cycle) = visit(next, edges, stack, done) {
                return Some(cycle);
            }
        }
        stack.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    edges
        .keys()
        .find_map(|node| visit(node, edges, &mut Vec::new(), &mut done))
}

#[test]
fn every_crate_s_modules_form_layers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for src in CRATES {
        let edges = graph(&root.join(src));
        assert!(edges.len() > 3, "{src}: found only {:?}", edges.keys());
        if let Some(cycle) = cycle(&edges) {
            panic!(
                "{src}: modules import each other in a circle: {}",
                cycle.join(" -> ")
            );
        }
    }
}

#[test]
fn the_query_crate_s_layers_are_the_documented_ones() {
    let edges = graph(&Path::new(env!("CARGO_MANIFEST_DIR")).join(CRATES[1]));
    let leaves: Vec<_> = edges
        .iter()
        .filter(|(_, targets)| targets.is_empty())
        .map(|(name, _)| name.as_str())
        .collect();
    assert_eq!(leaves, ["state", "value", "wire"]);
    assert!(!edges["fields"].contains("builder"), "{edges:?}");
    assert!(!edges["ops"].contains("request"), "{edges:?}");
}

#[test]
fn the_checker_sees_a_circle_and_braced_imports() {
    let text = "use crate::{a::X, b};\nuse super::c::Y;\nfn f() { other_crate::d(); }";
    assert_eq!(first_segments(text, "crate::"), ["a", "b"]);
    assert_eq!(first_segments(text, "super::"), ["c"]);
    let edges: BTreeMap<String, BTreeSet<String>> = [
        ("a".to_owned(), BTreeSet::from(["b".to_owned()])),
        ("b".to_owned(), BTreeSet::from(["a".to_owned()])),
    ]
    .into();
    assert_eq!(cycle(&edges).unwrap(), ["a", "b", "a"]);
}
