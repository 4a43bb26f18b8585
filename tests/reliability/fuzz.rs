//! Point 4: property-based fuzzing of request parsing and response decoding.
//!
//! `cargo fuzz` needs a nightly toolchain, which this project's machines do not have (stable
//! only), so the fuzzing is done with proptest: structure-aware mutations of valid documents
//! (the reference's examples), not only random bytes. The case counts below run in every test
//! run; `PROPTEST_CASES=<n>` replaces each of them for a longer run.
//!
//! CI fixes the seed (`PROPTEST_RNG_SEED` in `.ci/run`), so a red CI replays; a run without it
//! draws a new one. Either way a failing case's seed is saved to
//! `tests/reliability/fuzz.proptest-regressions` (proptest prints the path) and run first by the
//! next run: commit that line to keep the case.

use std::time::{Duration, Instant};

use fj_sourcing::fields::FieldId;
use fj_sourcing::{Error, ProblemKind, RetryPolicy, SessionRequest};
use futures_util::StreamExt;
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, TestCaseError, TestRunner};
use serde_json::{Map, Value, json};

use crate::hostile::Endpoint;
use crate::scripted::{Reply, Scripted};
use crate::support::*;

/// Cases of each suite in a normal run.
pub const SUITES: &[(&str, u32, &str)] = &[
    (
        "request parsing: mutated valid requests",
        2000,
        "`SessionRequest::from_slice` on the reference's requests with 1-4 tree mutations \
         (replace, remove, insert, rename, wrap) and optionally one byte-level mutation or a \
         duplicated key",
    ),
    (
        "request parsing: one targeted mutation",
        500,
        "swap an operator, invent one, blank a value, drop `queries`, duplicate or rename a \
         top-level key: the problem list names that path with that kind",
    ),
    (
        "response decoding: mutated documented answers",
        1500,
        "every fixture in `tests/fixtures/` with 0-3 tree mutations and optionally one \
         byte-level mutation, served by the scripted server to the matching client call \
         (and `profiles_stream` for pages)",
    ),
];

/// `PROPTEST_CASES` when set, else `default`.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

fn run_suite<S: Strategy>(
    index: usize,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) {
    let (name, default, _) = SUITES[index];
    let cases = cases(default);
    let mut runner = TestRunner::new(Config {
        cases,
        // Beside this file, as `tests/proptest_request.proptest-regressions` is beside its own
        // (proptest's default would put it under `tests/reliability/proptest-regressions/`).
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        source_file: Some(file!()),
        ..Config::default()
    });
    let started = Instant::now();
    if let Err(failure) = runner.run(&strategy, test) {
        panic!("{name}: {failure}");
    }
    println!(
        "fuzz: {name}: {cases} cases in {:.2} s",
        started.elapsed().as_secs_f64()
    );
}

// ---------------------------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------------------------

/// One step into a JSON value.
#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

/// Paths of every node, depth first (the root is the empty path).
fn paths(value: &Value) -> Vec<Vec<Step>> {
    fn walk(value: &Value, here: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
        out.push(here.clone());
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    here.push(Step::Key(key.clone()));
                    walk(child, here, out);
                    here.pop();
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    here.push(Step::Index(i));
                    walk(child, here, out);
                    here.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, &mut Vec::new(), &mut out);
    out
}

fn node_mut<'a>(value: &'a mut Value, path: &[Step]) -> &'a mut Value {
    path.iter().fold(value, |node, step| match step {
        Step::Key(k) => &mut node[k.as_str()],
        Step::Index(i) => &mut node[*i],
    })
}

#[derive(Clone, Debug)]
enum TreeMutation {
    Replace(usize, Value),
    Remove(usize, usize),
    Insert(usize, String, Value),
    Rename(usize, usize, String),
    Wrap(usize, usize),
}

impl TreeMutation {
    fn apply(&self, doc: &mut Value) {
        let all = paths(doc);
        let pick = |n: usize| all[n % all.len()].clone();
        match self {
            TreeMutation::Replace(n, with) => *node_mut(doc, &pick(*n)) = with.clone(),
            TreeMutation::Remove(n, k) => match node_mut(doc, &pick(*n)) {
                Value::Object(map) if !map.is_empty() => {
                    let key = map.keys().nth(k % map.len()).unwrap().clone();
                    map.remove(&key);
                }
                Value::Array(items) if !items.is_empty() => {
                    items.remove(k % items.len());
                }
                _ => {}
            },
            TreeMutation::Insert(n, key, with) => match node_mut(doc, &pick(*n)) {
                Value::Object(map) => {
                    map.insert(key.clone(), with.clone());
                }
                Value::Array(items) => items.push(with.clone()),
                _ => {}
            },
            TreeMutation::Rename(n, k, to) => {
                if let Value::Object(map) = node_mut(doc, &pick(*n))
                    && !map.is_empty()
                {
                    let key = map.keys().nth(k % map.len()).unwrap().clone();
                    let value = map.remove(&key).unwrap();
                    map.insert(to.clone(), value);
                }
            }
            TreeMutation::Wrap(n, depth) => {
                let node = node_mut(doc, &pick(*n));
                for _ in 0..*depth {
                    *node = Value::Array(vec![node.take()]);
                }
            }
        }
    }
}

#[derive(Clone, Debug)]
enum ByteMutation {
    Flip(usize, u8),
    Delete(usize, usize),
    Insert(usize, Vec<u8>),
    Truncate(usize),
    /// Writes the first entry of the n-th object twice (a duplicate key).
    DuplicateKey(usize),
}

/// Serializes `value`, writing the first entry of the `target`-th object (depth first) twice.
fn with_duplicate(value: &Value, target: usize) -> Vec<u8> {
    fn write(value: &Value, target: usize, seen: &mut usize, out: &mut Vec<u8>) {
        match value {
            Value::Object(map) => {
                let here = *seen;
                *seen += 1;
                out.push(b'{');
                let mut first = true;
                let mut entries: Vec<(&String, &Value)> = map.iter().collect();
                if here == target && !entries.is_empty() {
                    entries.insert(0, entries[0]);
                }
                for (key, child) in entries {
                    if !first {
                        out.push(b',');
                    }
                    first = false;
                    out.extend_from_slice(&serde_json::to_vec(key).unwrap());
                    out.push(b':');
                    write(child, target, seen, out);
                }
                out.push(b'}');
            }
            Value::Array(items) => {
                out.push(b'[');
                for (i, child) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    write(child, target, seen, out);
                }
                out.push(b']');
            }
            scalar => out.extend_from_slice(&serde_json::to_vec(scalar).unwrap()),
        }
    }
    let objects = paths(value)
        .iter()
        .filter(|p| {
            let mut v = value;
            for step in p.iter() {
                v = match step {
                    Step::Key(k) => &v[k.as_str()],
                    Step::Index(i) => &v[*i],
                };
            }
            v.is_object()
        })
        .count()
        .max(1);
    let mut out = Vec::new();
    write(value, target % objects, &mut 0, &mut out);
    out
}

impl ByteMutation {
    fn apply(&self, doc: &Value) -> Vec<u8> {
        if let ByteMutation::DuplicateKey(n) = self {
            return with_duplicate(doc, *n);
        }
        let mut bytes = serde_json::to_vec(doc).unwrap();
        let len = bytes.len().max(1);
        match self {
            ByteMutation::Flip(at, bit) => {
                if !bytes.is_empty() {
                    bytes[at % len] ^= 1 << (bit % 8);
                }
            }
            ByteMutation::Delete(at, n) => {
                let start = at % len;
                let end = (start + n).min(bytes.len());
                bytes.drain(start.min(bytes.len())..end);
            }
            ByteMutation::Insert(at, inserted) => {
                let at = at % (bytes.len() + 1);
                bytes.splice(at..at, inserted.iter().copied());
            }
            ByteMutation::Truncate(at) => bytes.truncate(at % len),
            ByteMutation::DuplicateKey(_) => unreachable!("handled above"),
        }
        bytes
    }
}

fn key_names() -> Vec<String> {
    let mut keys: Vec<String> = FieldId::ALL.iter().map(|f| f.key().to_owned()).collect();
    for k in [
        "type",
        "value",
        "mandatory",
        "core",
        "secondary",
        "queries",
        "sessionTitle",
        "jdDetail",
        "userText",
        "sampleProfileURL",
        "data",
        "docs",
        "session",
        "sourcing",
        "_id",
        "profileMatchingStatus",
        "hasNextPage",
        "nextPage",
        "page",
        "statusCode",
        "list",
        "label",
    ] {
        keys.push(k.to_owned());
    }
    keys
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(key_names()),
        1 => "\\PC{0,6}",
    ]
}

/// Values chosen to hurt: extreme numbers, blank and odd strings, operators, wrong shapes.
fn hostile_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        prop::sample::select(vec![
            json!(u64::MAX),
            json!(i64::MIN),
            json!(-0.0),
            json!(1e308),
            json!(-1e308),
            json!(5e-324),
            json!(0),
            json!(1),
            json!(2_147_483_648_u64),
        ]),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        prop::sample::select(vec![
            "",
            " ",
            "\u{0}",
            "IN",
            "=",
            "(.)",
            "RANGE",
            "in",
            "LIKE",
            "done",
            "processing",
            "https://www.linkedin.com/in/x",
            "ftp://x",
            "ऑ😀",
            "\u{202e}",
            "null",
        ])
        .prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::from),
        Just(Value::from("x".repeat(10_000))),
    ];
    leaf.prop_recursive(3, 24, 4, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..4)
                .prop_map(|entries| Value::Object(entries.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn tree_mutation() -> impl Strategy<Value = TreeMutation> {
    prop_oneof![
        4 => (any::<usize>(), hostile_value()).prop_map(|(n, v)| TreeMutation::Replace(n, v)),
        2 => (any::<usize>(), any::<usize>()).prop_map(|(n, k)| TreeMutation::Remove(n, k)),
        2 => (any::<usize>(), key(), hostile_value())
            .prop_map(|(n, k, v)| TreeMutation::Insert(n, k, v)),
        1 => (any::<usize>(), any::<usize>(), key())
            .prop_map(|(n, k, to)| TreeMutation::Rename(n, k, to)),
        1 => (any::<usize>(), 1..200usize).prop_map(|(n, d)| TreeMutation::Wrap(n, d)),
    ]
}

fn byte_mutation() -> impl Strategy<Value = ByteMutation> {
    let tokens: Vec<Vec<u8>> = [
        &b"NaN"[..],
        b"Infinity",
        b"-Infinity",
        b"1e999",
        b"-",
        b"\"\\ud800\"",
        b"\xff",
        b"\xc0\xaf",
        b",",
        b"}",
        b"]",
        b"{",
        b"[",
        b"\"",
        b"\\",
        b"\\u0000",
        b"\x00",
        b"\xef\xbb\xbf",
        b"18446744073709551616",
        b"-9223372036854775809",
    ]
    .iter()
    .map(|t| t.to_vec())
    .collect();
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, bit)| ByteMutation::Flip(at, bit)),
        (any::<usize>(), 1..16usize).prop_map(|(at, n)| ByteMutation::Delete(at, n)),
        (any::<usize>(), prop::sample::select(tokens))
            .prop_map(|(at, t)| ByteMutation::Insert(at, t)),
        any::<usize>().prop_map(ByteMutation::Truncate),
        any::<usize>().prop_map(ByteMutation::DuplicateKey),
    ]
}

/// A document with its mutations applied.
fn mutated(base: Value, tree: &[TreeMutation], bytes: &Option<ByteMutation>) -> Vec<u8> {
    let mut doc = base;
    for m in tree {
        m.apply(&mut doc);
    }
    match bytes {
        Some(m) => m.apply(&doc),
        None => serde_json::to_vec(&doc).unwrap(),
    }
}

// ---------------------------------------------------------------------------------------------
// Request parsing
// ---------------------------------------------------------------------------------------------

/// The valid requests mutations start from: the reference's example, all 31 filters, and one
/// with every optional part (sample URL, fractional range).
fn request_bases() -> Vec<Value> {
    let full = fj_sourcing::Session::builder()
        .title("Staff engineer")
        .jd_text("Rust, Pune")
        .sample_profile_url("https://www.linkedin.com/in/someone")
        .headcount_growth(1.5..=20.25)
        .region_in(["Pune, Maharashtra, India", "Mumbai"])
        .mandatory_skills(["Rust"])
        .secondary_skills(["Go"])
        .build()
        .unwrap();
    let bases: Vec<Value> = vec![
        serde_json::from_str(&fixture("create_request.json")).unwrap(),
        serde_json::from_str(&fixture("seed_all_filters.json")).unwrap(),
        serde_json::from_slice(&full.to_json_vec()).unwrap(),
    ];
    for base in &bases {
        SessionRequest::from_value(base.clone()).expect("every base is a valid request");
    }
    bases
}

fn check_request(bytes: &[u8]) -> Result<(), TestCaseError> {
    let result = SessionRequest::from_slice(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        let again = SessionRequest::from_json(text);
        prop_assert_eq!(
            format!("{again:?}"),
            format!("{result:?}"),
            "from_json and from_slice disagree"
        );
    }
    match result {
        Ok(request) => {
            let wire = request.to_json_vec();
            let parsed = SessionRequest::from_slice(&wire);
            prop_assert_eq!(parsed.as_ref(), Ok(&request), "no round trip");
            let via_serde: SessionRequest = serde_json::from_slice(&wire).unwrap();
            prop_assert_eq!(via_serde, request);
        }
        Err(error) => {
            prop_assert!(!error.problems().is_empty());
            for problem in error.problems() {
                prop_assert!(!problem.path().is_empty(), "{}", error);
                prop_assert!(!problem.message().is_empty(), "{}", error);
            }
            prop_assert!(error.to_string().starts_with("invalid session request: "));
        }
    }
    Ok(())
}

#[test]
fn mutated_requests_parse_or_fail_with_typed_problems() {
    let _guard = shared();
    let bases = request_bases();
    let strategy = (
        prop::sample::select(bases),
        prop::collection::vec(tree_mutation(), 1..5),
        prop::option::weighted(0.5, byte_mutation()),
    );
    run_suite(0, strategy, |(base, tree, bytes)| {
        check_request(&mutated(base, &tree, &bytes))
    });
}

/// One mutation whose problem is known in advance.
#[derive(Clone, Debug)]
enum Targeted {
    /// Set filter n's operator to another documented operator.
    OtherOperator(usize, usize),
    /// Set filter n's operator to an undocumented string.
    UnknownOperator(usize, String),
    /// Blank the k-th string of filter n's value list.
    Blank(usize, usize, String),
    DropQueries,
    /// Repeat a top-level key.
    DuplicateTop(usize),
    /// Rename a top-level key to an unknown one.
    UnknownTop(usize, String),
}

const OPERATORS: [&str; 4] = ["IN", "=", "(.)", "RANGE"];

fn targeted() -> impl Strategy<Value = Targeted> {
    prop_oneof![
        (any::<usize>(), any::<usize>()).prop_map(|(n, o)| Targeted::OtherOperator(n, o)),
        (any::<usize>(), "[a-z<>!~]{0,5}")
            .prop_filter("undocumented", |(_, s)| !OPERATORS.contains(&s.as_str()))
            .prop_map(|(n, s)| Targeted::UnknownOperator(n, s)),
        (any::<usize>(), any::<usize>(), "[ \t\n]{0,3}")
            .prop_map(|(n, k, s)| Targeted::Blank(n, k, s)),
        Just(Targeted::DropQueries),
        any::<usize>().prop_map(Targeted::DuplicateTop),
        (any::<usize>(), "[a-zA-Z]{1,12}")
            .prop_filter("unknown", |(_, k)| {
                !["sessionTitle", "jdDetail", "queries"].contains(&k.as_str())
            })
            .prop_map(|(n, k)| Targeted::UnknownTop(n, k)),
    ]
}

/// Applies `t` to the all-filters example; the bytes and the (path, kind) that must be reported.
fn apply_targeted(t: &Targeted) -> (Vec<u8>, String, ProblemKind) {
    let mut doc: Value = serde_json::from_str(&fixture("seed_all_filters.json")).unwrap();
    let keys: Vec<String> = doc["queries"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    let filter = |n: usize| keys[n % keys.len()].clone();
    match t {
        Targeted::OtherOperator(n, o) => {
            let key = filter(*n);
            let current = doc["queries"][&key]["type"].as_str().unwrap().to_owned();
            let others: Vec<&str> = OPERATORS
                .iter()
                .copied()
                .filter(|op| *op != current)
                .collect();
            doc["queries"][&key]["type"] = others[o % others.len()].into();
            let path = format!("queries.{key}.type");
            (
                serde_json::to_vec(&doc).unwrap(),
                path,
                ProblemKind::WrongOperator,
            )
        }
        Targeted::UnknownOperator(n, op) => {
            let key = filter(*n);
            doc["queries"][&key]["type"] = op.as_str().into();
            let path = format!("queries.{key}.type");
            (
                serde_json::to_vec(&doc).unwrap(),
                path,
                ProblemKind::UnknownOperator,
            )
        }
        Targeted::Blank(n, k, blank) => {
            let lists: Vec<&String> = keys
                .iter()
                .filter(|key| doc["queries"][key.as_str()]["value"][0].is_string())
                .collect();
            let key = lists[n % lists.len()].clone();
            let items = doc["queries"][&key]["value"].as_array_mut().unwrap();
            let i = k % items.len();
            items[i] = blank.as_str().into();
            let path = format!("queries.{key}.value[{i}]");
            (serde_json::to_vec(&doc).unwrap(), path, ProblemKind::Blank)
        }
        Targeted::DropQueries => {
            doc.as_object_mut().unwrap().remove("queries");
            (
                serde_json::to_vec(&doc).unwrap(),
                "queries".into(),
                ProblemKind::Missing,
            )
        }
        Targeted::DuplicateTop(n) => {
            let top: Vec<String> = doc.as_object().unwrap().keys().cloned().collect();
            let key = top[n % top.len()].clone();
            let mut map = doc.as_object().unwrap().clone();
            let value = map.remove(&key).unwrap();
            let rest = serde_json::to_string(&Value::Object(map)).unwrap();
            let entry = format!("{}:{}", Value::from(key.as_str()), value);
            let body = if rest == "{}" {
                format!("{{{entry},{entry}}}")
            } else {
                format!("{{{entry},{entry},{}", &rest[1..])
            };
            (body.into_bytes(), key, ProblemKind::DuplicateKey)
        }
        Targeted::UnknownTop(n, name) => {
            let map = doc.as_object_mut().unwrap();
            let optional: Vec<String> = map.keys().filter(|k| *k != "queries").cloned().collect();
            if !optional.is_empty() {
                let old = optional[n % optional.len()].clone();
                let value = map.remove(&old).unwrap();
                map.insert(name.clone(), value);
            } else {
                map.insert(name.clone(), Value::Null);
            }
            (
                serde_json::to_vec(&doc).unwrap(),
                name.clone(),
                ProblemKind::UnknownKey,
            )
        }
    }
}

#[test]
fn targeted_mutations_report_their_path_and_kind() {
    let _guard = shared();
    run_suite(1, targeted(), |t| {
        let (bytes, path, kind) = apply_targeted(&t);
        let error = SessionRequest::from_slice(&bytes).unwrap_err();
        prop_assert!(
            error
                .problems()
                .iter()
                .any(|p| p.path() == path && p.kind() == kind),
            "expected {:?} at {}: {}",
            kind,
            path,
            error
        );
        Ok(())
    });
}

// ---------------------------------------------------------------------------------------------
// Response decoding, through the client
// ---------------------------------------------------------------------------------------------

/// The only acceptable failure for a 2xx answer: a decode error that says where and why. A
/// profile stream may also refuse a page number past what a request can carry.
fn check_failure(error: &Error, status: u16, stream: bool) -> Result<(), TestCaseError> {
    match error {
        Error::Decode(e) => {
            prop_assert_eq!(e.status().as_u16(), status);
            prop_assert!(!e.reason().is_empty());
            prop_assert!(e.body_excerpt().len() <= 1024 + 3);
            prop_assert!(
                error
                    .to_string()
                    .starts_with("unexpected response body from "),
                "{}",
                error
            );
        }
        Error::InvalidArgument { name: "page", .. } if stream => {}
        other => prop_assert!(false, "a 2xx answer gave {:?}", other),
    }
    Ok(())
}

#[test]
fn mutated_documented_answers_decode_or_fail_with_decode_errors() {
    let _guard = shared();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let server = runtime.block_on(Scripted::start_counting());
    let client = client_at(
        &server.base_url(),
        RetryPolicy::none(),
        Duration::from_secs(10),
    );
    let fixtures: Vec<(Endpoint, Value)> = Endpoint::ALL
        .iter()
        .map(|e| (*e, serde_json::from_str(&fixture(e.fixture())).unwrap()))
        .collect();
    // Unmutated, every documented answer decodes.
    for (endpoint, body) in &fixtures {
        server.set_default(Reply::json(
            endpoint.status(),
            serde_json::to_vec(body).unwrap(),
        ));
        runtime
            .block_on(endpoint.call(&client))
            .unwrap_or_else(|e| panic!("{}: {e}", endpoint.name()));
    }
    let strategy = (
        prop::sample::select(fixtures),
        prop::collection::vec(tree_mutation(), 0..4),
        prop::option::weighted(0.4, byte_mutation()),
    );
    run_suite(2, strategy, |((endpoint, body), tree, bytes)| {
        let status = endpoint.status();
        server.set_default(Reply::json(status, mutated(body, &tree, &bytes)));
        let result = runtime.block_on(bounded(endpoint.name(), endpoint.call(&client)));
        if let Err(error) = &result {
            check_failure(error, status, false)?;
        }
        if endpoint == Endpoint::Profiles {
            let walked: Vec<_> = runtime.block_on(bounded(
                "profiles_stream",
                client
                    .profiles_stream("s1", 10)
                    .take(10_000)
                    .collect::<Vec<_>>(),
            ));
            prop_assert!(walked.len() < 10_000, "the stream did not end");
            for item in &walked {
                if let Err(error) = item {
                    check_failure(error, status, true)?;
                }
            }
        }
        Ok(())
    });
    drop(client);
    drop(server);
}
