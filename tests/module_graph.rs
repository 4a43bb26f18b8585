//! The modules of each crate form layers at every depth: no module reaches, through `crate::`
//! or `super::` paths, a sibling that reaches back to it (the top-level modules among
//! themselves, the children of `request` among themselves, ...). A parent using its children,
//! or a child its parent, is no cycle. `cargo modules dependencies --acyclic` checks the same,
//! but building `cargo-modules` (rust-analyzer's crates) takes longer on the 2-core CI than this
//! whole suite, so this reads the sources instead.
//!
//! Every path in code (unit tests included; comments and literals left out) that names a module
//! of the crate counts as a dependency of the innermost module it is written in, inline modules
//! such as `mod tests` included. A name that a module re-exports (`pub use problem::Problem` in
//! `request`) counts as the module it comes from, so that `super::Problem` in `request/rules.rs`
//! is a dependency on `problem`, not on the parent.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// The crates whose module graphs are checked, by source directory.
const CRATES: [&str; 4] = [
    "src",
    "crates/fj-sourcing-query/src",
    "crates/fj-sandbox/src",
    "crates/fj-cli/src",
];

/// A module by its path from the crate root; the root is `[]`.
type ModPath = Vec<String>;

/// What paths are made of. Whitespace, comments and literals are left out.
#[derive(Debug, PartialEq)]
enum Token {
    Ident(String),
    Punct(char),
}

/// The index after the string literal whose text starts at `at`.
fn skip_string(chars: &[char], mut at: usize) -> usize {
    while at < chars.len() {
        match chars[at] {
            '\\' => at += 2,
            '"' => return at + 1,
            _ => at += 1,
        }
    }
    at
}

/// The index after the raw string literal closed by `"` and `hashes` `#`s whose text starts at
/// `at`.
fn skip_raw_string(chars: &[char], mut at: usize, hashes: usize) -> usize {
    while at < chars.len() {
        let closes = chars[at] == '"'
            && chars.len() >= at + 1 + hashes
            && chars[at + 1..at + 1 + hashes].iter().all(|&c| c == '#');
        if closes {
            return at + 1 + hashes;
        }
        at += 1;
    }
    at
}

fn tokens(source: &str) -> Vec<Token> {
    let chars: Vec<char> = source.chars().collect();
    let len = chars.len();
    let mut out = Vec::new();
    let mut i = 0;
    while i < len {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c.is_whitespace() {
            i += 1;
        } else if c == '/' && next == Some('/') {
            while i < len && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < len {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if c == '"' {
            i = skip_string(&chars, i + 1);
        } else if c == '\'' {
            // A char literal ('x', '\n', '{'), or a lifetime ('a), whose name is read next.
            i += 1;
            if next == Some('\\') || chars.get(i + 1) == Some(&'\'') {
                while i < len {
                    match chars[i] {
                        '\\' => i += 2,
                        '\'' => {
                            i += 1;
                            break;
                        }
                        _ => i += 1,
                    }
                }
            }
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < len && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let hashes = chars[i..].iter().take_while(|&&c| c == '#').count();
            match (word.as_str(), chars.get(i)) {
                ("b" | "c", Some('"')) => i = skip_string(&chars, i + 1),
                ("r" | "br" | "cr", Some('"' | '#')) if chars.get(i + hashes) == Some(&'"') => {
                    i = skip_raw_string(&chars, i + hashes + 1, hashes);
                }
                // A raw identifier (`r#type`): the name is read next.
                ("r", Some('#')) => i += 1,
                _ => out.push(Token::Ident(word)),
            }
        } else if c.is_ascii_digit() {
            while i < len && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
        } else {
            out.push(Token::Punct(c));
            i += 1;
        }
    }
    out
}

fn is_path_sep(tokens: &[Token], at: usize) -> bool {
    tokens.get(at) == Some(&Token::Punct(':')) && tokens.get(at + 1) == Some(&Token::Punct(':'))
}

/// The paths of the path or use tree at `tokens[*at..]`, each as its segments with the name it
/// is known by: `a::{b, c::d as e}` gives `([a, b], b)` and `([a, c, d], e)`.
fn use_tree(tokens: &[Token], at: &mut usize) -> Vec<(Vec<String>, String)> {
    let mut prefix = Vec::new();
    loop {
        match tokens.get(*at) {
            Some(Token::Ident(name)) => {
                prefix.push(name.clone());
                *at += 1;
            }
            Some(Token::Punct('{')) => {
                *at += 1;
                let mut found = Vec::new();
                loop {
                    for (path, name) in use_tree(tokens, at) {
                        found.push(([prefix.clone(), path].concat(), name));
                    }
                    match tokens.get(*at) {
                        Some(Token::Punct(',')) => *at += 1,
                        Some(Token::Punct('}')) => {
                            *at += 1;
                            break;
                        }
                        _ => break,
                    }
                }
                return found;
            }
            _ => break,
        }
        if is_path_sep(tokens, *at) {
            *at += 2;
        } else {
            break;
        }
    }
    let mut name = prefix.last().cloned().unwrap_or_default();
    if tokens.get(*at) == Some(&Token::Ident("as".into()))
        && let Some(Token::Ident(alias)) = tokens.get(*at + 1)
    {
        name = alias.clone();
        *at += 2;
    }
    vec![(prefix, name)]
}

/// One source file's paths into the crate, each with the innermost module it is written in.
struct Uses {
    /// `(module, path)` for every path that starts with `crate` or `super`.
    paths: Vec<(ModPath, Vec<String>)>,
    /// `(module, name, path)` for every `pub use` / `pub(..) use`.
    reexports: Vec<(ModPath, String, Vec<String>)>,
    /// The inline modules (`mod tests { .. }`).
    inline: Vec<ModPath>,
}

fn uses(source: &str, module: &ModPath) -> Uses {
    let tokens = tokens(source);
    let mut found = Uses {
        paths: Vec::new(),
        reexports: Vec::new(),
        inline: Vec::new(),
    };
    let mut current = module.clone();
    // The brace depth at which each open inline module's body started.
    let mut open: Vec<usize> = Vec::new();
    let mut depth = 0;
    for (i, token) in tokens.iter().enumerate() {
        let prev = i.checked_sub(1).map(|p| &tokens[p]);
        match token {
            Token::Punct('{') => depth += 1,
            Token::Punct('}') => {
                if open.last() == Some(&depth) {
                    open.pop();
                    current.pop();
                }
                depth -= 1;
            }
            Token::Ident(word) if word == "mod" => {
                if let (Some(Token::Ident(name)), Some(Token::Punct('{'))) =
                    (tokens.get(i + 1), tokens.get(i + 2))
                {
                    current.push(name.clone());
                    found.inline.push(current.clone());
                    open.push(depth + 1);
                }
            }
            Token::Ident(word) if word == "use" => {
                let public = match prev {
                    Some(Token::Ident(p)) => p == "pub",
                    // `pub(crate) use`, `pub(super) use`
                    Some(Token::Punct(')')) => {
                        i >= 4 && tokens[i - 4] == Token::Ident("pub".into())
                    }
                    _ => false,
                };
                if public {
                    let mut at = i + 1;
                    for (path, name) in use_tree(&tokens, &mut at) {
                        found.reexports.push((current.clone(), name, path));
                    }
                }
            }
            Token::Ident(word)
                if (word == "crate" || word == "super")
                    && prev != Some(&Token::Punct(':'))
                    && is_path_sep(&tokens, i + 1) =>
            {
                let mut at = i;
                for (path, _) in use_tree(&tokens, &mut at) {
                    found.paths.push((current.clone(), path));
                }
            }
            _ => {}
        }
    }
    found
}

/// A crate's modules and what each re-exports.
struct Tree {
    modules: BTreeSet<ModPath>,
    /// `(module, name)` -> the module the name comes from.
    reexports: BTreeMap<(ModPath, String), ModPath>,
}

impl Tree {
    /// The module `path` (written in `current`) leads to, as far as it names modules; `None`
    /// for a path that does not start in this crate.
    fn resolve(&self, current: &ModPath, path: &[String]) -> Option<ModPath> {
        let (first, rest) = path.split_first()?;
        let mut at = match first.as_str() {
            "crate" => Vec::new(),
            "super" => current[..current.len().checked_sub(1)?].to_vec(),
            // A `use` relative to the current module (`pub use problem::Problem`).
            _ if self
                .modules
                .contains(&[current.clone(), vec![first.clone()]].concat()) =>
            {
                [current.clone(), vec![first.clone()]].concat()
            }
            _ => return None,
        };
        for segment in rest {
            if segment == "super" {
                at.pop();
                continue;
            }
            let next = [at.clone(), vec![segment.clone()]].concat();
            if self.modules.contains(&next) {
                at = next;
            } else {
                if let Some(from) = self.reexports.get(&(at.clone(), segment.clone())) {
                    at = from.clone();
                }
                break;
            }
        }
        Some(at)
    }
}

/// The module a source file defines: `a/b.rs` and `a/b/mod.rs` are `[a, b]`, `lib.rs` is `[]`.
fn file_module(relative: &Path) -> ModPath {
    let mut module: ModPath = relative
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(
        module.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        module.pop();
    }
    module
}

fn collect_rs(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).expect("module directory") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            collect_rs(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

/// Parent module -> its children -> the siblings each of them uses.
type Graphs = BTreeMap<ModPath, BTreeMap<String, BTreeSet<String>>>;

fn graphs(src: &Path) -> Graphs {
    let mut files = Vec::new();
    collect_rs(src, &mut files);
    let read: Vec<(ModPath, Uses)> = files
        .iter()
        .map(|file| {
            let module = file_module(file.strip_prefix(src).unwrap());
            let source = fs::read_to_string(file).expect("readable source");
            let found = uses(&source, &module);
            (module, found)
        })
        .collect();
    let mut tree = Tree {
        modules: BTreeSet::new(),
        reexports: BTreeMap::new(),
    };
    for (module, found) in &read {
        tree.modules.insert(module.clone());
        tree.modules.extend(found.inline.iter().cloned());
    }
    for (_, found) in &read {
        for (module, name, path) in &found.reexports {
            if let Some(from) = tree.resolve(module, path) {
                tree.reexports.insert((module.clone(), name.clone()), from);
            }
        }
    }
    let mut graphs = Graphs::new();
    for module in &tree.modules {
        if let Some((name, parent)) = module.split_last() {
            graphs
                .entry(parent.to_vec())
                .or_default()
                .entry(name.clone())
                .or_default();
        }
    }
    for (_, found) in &read {
        for (from, path) in &found.paths {
            let Some(to) = tree.resolve(from, path) else {
                continue;
            };
            let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
            // Neither is the other's ancestor: an edge between the children of their common
            // ancestor that contain them.
            if common < from.len() && common < to.len() {
                graphs
                    .get_mut(&from[..common])
                    .expect("a parent")
                    .get_mut(&from[common])
                    .expect("a child")
                    .insert(to[common].clone());
            }
        }
    }
    graphs
}

/// The modules of `edges` that reach each other, in groups of two or more (the strongly
/// connected components): each group holds at least one circle of imports.
fn circles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<BTreeSet<String>> {
    let reach = |from: &String| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from];
        while let Some(node) = todo.pop() {
            for next in &edges[node] {
                if seen.insert(next.clone()) {
                    todo.push(next);
                }
            }
        }
        seen
    };
    let reaches: BTreeMap<&String, BTreeSet<String>> =
        edges.keys().map(|node| (node, reach(node))).collect();
    let mut groups = BTreeSet::new();
    for (node, reached) in &reaches {
        if reached.contains(*node) {
            let group: BTreeSet<String> = reached
                .iter()
                .filter(|other| reaches[other].contains(*node))
                .cloned()
                .collect();
            groups.insert(group);
        }
    }
    groups.into_iter().collect()
}

#[test]
fn every_crate_s_modules_form_layers_at_every_depth() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut cycles = Vec::new();
    for src in CRATES {
        let graphs = graphs(&root.join(src));
        assert!(graphs[&ModPath::new()].len() > 3, "{src}: {graphs:?}");
        for (parent, edges) in &graphs {
            for group in circles(edges) {
                let within = if parent.is_empty() {
                    String::new()
                } else {
                    format!(" within `{}`", parent.join("::"))
                };
                let group: Vec<_> = group.into_iter().collect();
                cycles.push(format!("{src}{within}: {}", group.join(", ")));
            }
        }
    }
    assert!(
        cycles.is_empty(),
        "modules import each other in a circle:\n{}",
        cycles.join("\n")
    );
}

#[test]
fn submodules_are_checked_too() {
    let graphs = graphs(&Path::new(env!("CARGO_MANIFEST_DIR")).join(CRATES[1]));
    let request = &graphs[&vec!["request".to_owned()]];
    // `rules` uses the problem list through the parent's re-export (`super::Problems`).
    assert!(request["rules"].contains("problem"), "{request:?}");
    assert!(request["parse"].contains("rules"), "{request:?}");
    assert!(!request["path"].contains("parse"), "{request:?}");
}

#[test]
fn the_query_crate_s_layers_are_the_documented_ones() {
    let graphs = graphs(&Path::new(env!("CARGO_MANIFEST_DIR")).join(CRATES[1]));
    let edges = &graphs[&ModPath::new()];
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
fn the_checker_reads_paths_as_the_compiler_does() {
    let module = vec!["m".to_owned()];
    let source = r##"
        use crate::{a::X, b as c};
        use super::d::Y; // super::commented::Out
        /* crate::block::Out /* nested */ crate::still::Out */
        pub(crate) use e::Z;
        fn f() { other_crate::g(); let _ = ("crate::string::Out", r#"super::raw"#, '{'); }
        mod tests { use super::super::h; fn k<'a>(_: &'a str) {} }
        fn after_tests() { crate::i(); }
    "##;
    let found = uses(source, &module);
    let paths: Vec<(String, String)> = found
        .paths
        .iter()
        .map(|(module, path)| (module.join("::"), path.join("::")))
        .collect();
    assert_eq!(
        paths,
        [
            ("m", "crate::a::X"),
            ("m", "crate::b"),
            ("m", "super::d::Y"),
            ("m::tests", "super::super::h"),
            ("m", "crate::i"),
        ]
        .map(|(m, p)| (m.to_owned(), p.to_owned()))
    );
    assert_eq!(found.inline, [vec!["m".to_owned(), "tests".to_owned()]]);
    assert_eq!(
        found.reexports,
        [(module.clone(), "Z".to_owned(), vec!["e".into(), "Z".into()])]
    );
}

#[test]
fn circles_are_found_whole() {
    let edges: BTreeMap<String, BTreeSet<String>> = [
        ("a", &["b"][..]),
        ("b", &["c"]),
        ("c", &["a", "d"]),
        ("d", &["e"]),
        ("e", &["d"]),
        ("f", &["a"]),
    ]
    .into_iter()
    .map(|(node, to)| {
        (
            node.to_owned(),
            to.iter().map(|t| (*t).to_owned()).collect(),
        )
    })
    .collect();
    let groups = circles(&edges);
    let groups: Vec<Vec<&str>> = groups
        .iter()
        .map(|group| group.iter().map(String::as_str).collect())
        .collect();
    assert_eq!(groups, [vec!["a", "b", "c"], vec!["d", "e"]]);
}

#[test]
fn a_circle_among_submodules_is_found() {
    let dir = std::env::temp_dir().join(format!("module_graph_{}", std::process::id()));
    let file = |path: &str, text: &str| {
        let path = dir.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    };
    file("lib.rs", "mod p;\nmod q;\n");
    file("q.rs", "use crate::p::Uses;\n");
    // `p::a` and `p::b` use each other, `b` through `p`'s re-export of `a`'s item.
    file("p/mod.rs", "mod a;\nmod b;\npub(crate) use a::A;\n");
    file("p/a.rs", "pub(crate) struct A;\nfn f() { super::b::g() }\n");
    file("p/b.rs", "pub(crate) fn g() { let _ = super::A; }\n");
    let graphs = graphs(&dir);
    fs::remove_dir_all(&dir).unwrap();
    let both = BTreeSet::from(["a".to_owned(), "b".to_owned()]);
    assert_eq!(circles(&graphs[&vec!["p".to_owned()]]), [both]);
    // `q` using `p` is an edge of the root; `a` using its parent `p` is none.
    assert_eq!(
        graphs[&ModPath::new()]["q"],
        BTreeSet::from(["p".to_owned()])
    );
    assert!(circles(&graphs[&ModPath::new()]).is_empty());
}
