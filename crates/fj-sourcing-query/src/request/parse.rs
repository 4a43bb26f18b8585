//! Untyped input: a raw view of the JSON that keeps duplicate keys and wrong types visible.
//!
//! Structure that the type system cannot see in untyped JSON (unknown keys, wrong operators,
//! wrong value shapes, duplicate keys) is checked here; the value rules are [`super::rules`].

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;
use std::hash::{BuildHasher, RandomState};

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::path::QUERIES;
use super::rules::{check_into, check_patch_into, check_values, sample_profile_url};
use super::{BuildError, Details, Path, Problem, ProblemKind, Problems, Queries};
use crate::fields::{FieldId, ValueShape};
use crate::ops::Operator;
use crate::value::{FilterValue, Number, Range, SkillBuckets};

/// A JSON object's entries in document order (duplicates kept), or the kind of the non-object.
pub(crate) enum Shape<'de, V> {
    Object(Vec<Entry<'de, V>>),
    Other(&'static str),
}

/// One key and value of a JSON object.
pub(crate) struct Entry<'de, V> {
    /// Borrowed from the input whenever the key has no escapes, which spares an allocation per
    /// key; keys are only compared and, for problems, copied into paths.
    key: Cow<'de, str>,
    value: V,
    /// Whether an earlier entry of the same object has this key. Noted while reading, so the
    /// checks can consume the entries without keeping (or copying) the keys they have seen.
    repeat: bool,
}

/// How an object's values are read: by key, so the top level can read `queries` more closely.
trait EntryValue<'de>: Sized {
    fn next_value<A: MapAccess<'de>>(key: &str, map: &mut A) -> Result<Self, A::Error>;
}

impl<'de> EntryValue<'de> for Value {
    fn next_value<A: MapAccess<'de>>(_key: &str, map: &mut A) -> Result<Self, A::Error> {
        map.next_value()
    }
}

impl<'de, V: EntryValue<'de>> EntryValue<'de> for Shape<'de, V> {
    fn next_value<A: MapAccess<'de>>(_key: &str, map: &mut A) -> Result<Self, A::Error> {
        map.next_value()
    }
}

/// A top-level value: `queries` and `jdDetail` are read as raw objects, the rest as JSON values.
pub(crate) enum TopValue<'de> {
    Queries(Shape<'de, Shape<'de, Loose<'de>>>),
    JdDetail(Shape<'de, Value>),
    Plain(Value),
}

impl<'de> EntryValue<'de> for TopValue<'de> {
    fn next_value<A: MapAccess<'de>>(key: &str, map: &mut A) -> Result<Self, A::Error> {
        Ok(match key {
            "queries" => TopValue::Queries(map.next_value()?),
            "jdDetail" => TopValue::JdDetail(map.next_value()?),
            _ => TopValue::Plain(map.next_value()?),
        })
    }
}

/// The untyped request as read from JSON.
pub(crate) type RawRequest<'de> = Shape<'de, TopValue<'de>>;

/// An object key: borrowed when the input allows it, owned otherwise (escapes, `Value` input).
pub(crate) struct Key<'de>(pub(crate) Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(key)))
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(key.to_owned())))
    }

    fn visit_string<E: de::Error>(self, key: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(key)))
    }
}

/// Objects up to this many keys are checked for duplicates by a linear search.
const LINEAR_KEY_SEARCH_LIMIT: usize = 64;

/// Hashes of the keys of a large object, keyed per object (a random SipHash key, so that a body
/// cannot be crafted to collide); a collision costs a comparison, never a wrong answer.
struct KeyHashes {
    state: RandomState,
    seen: HashSet<u64>,
}

impl KeyHashes {
    fn new<'a>(keys: impl Iterator<Item = &'a str>) -> Self {
        let state = RandomState::new();
        let seen = keys.map(|key| state.hash_one(key)).collect();
        KeyHashes { state, seen }
    }

    /// Records `key`; returns whether its hash was seen before.
    fn insert(&mut self, key: &str) -> bool {
        !self.seen.insert(self.state.hash_one(key))
    }
}

/// Reads an object's entries in order, marking each key seen earlier in the same object.
fn collect_entries<'de, A, V>(mut map: A) -> Result<Vec<Entry<'de, V>>, A::Error>
where
    A: MapAccess<'de>,
    V: EntryValue<'de>,
{
    let mut entries: Vec<Entry<'de, V>> = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
    // Small objects (every valid one) are searched linearly, which allocates nothing; large
    // ones switch to a set of key hashes so that a hostile body with 100,000 keys is not
    // quadratic. A hash seen before is confirmed by comparing the keys.
    let mut hashes: Option<KeyHashes> = None;
    while let Some(Key(key)) = map.next_key()? {
        let value = V::next_value(&key, &mut map)?;
        let seen_before = |entries: &[Entry<'de, V>]| entries.iter().any(|e| e.key == key);
        let repeat = match hashes.as_mut() {
            Some(hashes) => hashes.insert(&key) && seen_before(&entries),
            None => seen_before(&entries),
        };
        entries.push(Entry { key, value, repeat });
        if hashes.is_none() && entries.len() >= LINEAR_KEY_SEARCH_LIMIT {
            hashes = Some(KeyHashes::new(entries.iter().map(|e| &*e.key)));
        }
    }
    Ok(entries)
}

/// A filter's `type` or `value`: a plain JSON value, except that an object keeps its entries
/// with duplicates marked, so that `{"mandatory": [..], "mandatory": [..]}` in the skills value
/// is reported rather than silently resolved to the last bucket.
pub(crate) enum Loose<'de> {
    Object(Vec<Entry<'de, Value>>),
    Plain(Value),
}

impl<'de> EntryValue<'de> for Loose<'de> {
    fn next_value<A: MapAccess<'de>>(_key: &str, map: &mut A) -> Result<Self, A::Error> {
        map.next_value()
    }
}

impl Loose<'_> {
    fn kind(&self) -> &'static str {
        match self {
            Loose::Object(_) => "an object",
            Loose::Plain(value) => kind_of(value),
        }
    }

    /// The value as plain JSON, for the shapes that take no object (a duplicate key inside an
    /// object is irrelevant there: the object is reported as the wrong shape).
    fn into_value(self) -> Value {
        match self {
            Loose::Plain(value) => value,
            Loose::Object(entries) => Value::Object(
                entries
                    .into_iter()
                    .map(|e| (e.key.into_owned(), e.value))
                    .collect(),
            ),
        }
    }
}

impl<'de> Deserialize<'de> for Loose<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LooseVisitor)
    }
}

struct LooseVisitor;

impl<'de> Visitor<'de> for LooseVisitor {
    type Value = Loose<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Loose<'de>, A::Error> {
        collect_entries(map).map(Loose::Object)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Loose<'de>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element::<Value>()? {
            items.push(item);
        }
        Ok(Loose::Plain(Value::Array(items)))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Loose<'de>, E> {
        Ok(Loose::Plain(Value::Bool(v)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Loose<'de>, E> {
        Ok(Loose::Plain(Value::from(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Loose<'de>, E> {
        Ok(Loose::Plain(Value::from(v)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Loose<'de>, E> {
        Ok(Loose::Plain(Value::from(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Loose<'de>, E> {
        Ok(Loose::Plain(Value::String(v.to_owned())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Loose<'de>, E> {
        Ok(Loose::Plain(Value::String(v)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Loose<'de>, E> {
        Ok(Loose::Plain(Value::Null))
    }

    fn visit_none<E: de::Error>(self) -> Result<Loose<'de>, E> {
        Ok(Loose::Plain(Value::Null))
    }
}

struct ShapeVisitor<V>(std::marker::PhantomData<V>);

impl<'de, V: EntryValue<'de>> Visitor<'de> for ShapeVisitor<V> {
    type Value = Shape<'de, V>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Shape<'de, V>, A::Error> {
        collect_entries(map).map(Shape::Object)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Shape<'de, V>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Shape::Other("an array"))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Shape<'de, V>, E> {
        Ok(Shape::Other("a boolean"))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Shape<'de, V>, E> {
        Ok(Shape::Other("a number"))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Shape<'de, V>, E> {
        Ok(Shape::Other("a number"))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Shape<'de, V>, E> {
        Ok(Shape::Other("a number"))
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Shape<'de, V>, E> {
        Ok(Shape::Other("a string"))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Shape<'de, V>, E> {
        Ok(Shape::Other("null"))
    }

    fn visit_none<E: de::Error>(self) -> Result<Shape<'de, V>, E> {
        Ok(Shape::Other("null"))
    }
}

impl<'de, V: EntryValue<'de>> Deserialize<'de> for Shape<'de, V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ShapeVisitor(std::marker::PhantomData))
    }
}

/// How a JSON value is named in messages: "a string", "an array", "null".
pub(crate) fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Which body is read: Create's (queries and skills required) or Update's (nothing required,
/// but something must be set).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Create,
    Patch,
}

/// A body's parts, each checked.
pub(crate) type Parts = (Details, Queries);

/// Reads and checks a body, reporting every problem with its wire path.
pub(crate) fn parse_json(json: &[u8], mode: Mode) -> Result<Parts, BuildError> {
    match serde_json::from_slice::<RawRequest>(json) {
        Ok(raw) => from_raw(raw, mode),
        Err(err) => {
            Err(Problem::new("body", ProblemKind::Syntax, format!("invalid JSON: {err}")).into())
        }
    }
}

pub(crate) fn parse_value(value: Value, mode: Mode) -> Result<Parts, BuildError> {
    match RawRequest::deserialize(value) {
        Ok(raw) => from_raw(raw, mode),
        Err(err) => {
            Err(Problem::new("body", ProblemKind::Syntax, format!("invalid JSON: {err}")).into())
        }
    }
}

/// Reports a key seen before in the same object; returns whether it is the first.
fn first_time(repeat: bool, path: Path<'_>, problems: &mut Problems) -> bool {
    if repeat {
        problems.push(path, ProblemKind::DuplicateKey, "duplicate key");
    }
    !repeat
}

fn take_string(value: Value, path: Path<'_>, problems: &mut Problems) -> Option<String> {
    match value {
        Value::String(s) => Some(s),
        other => {
            problems.push(
                path,
                ProblemKind::WrongShape,
                format!("expected a string, found {}", kind_of(&other)),
            );
            None
        }
    }
}

/// Turns the raw JSON into a body's parts, reporting every structural and value problem.
pub(crate) fn from_raw(raw: RawRequest<'_>, mode: Mode) -> Result<Parts, BuildError> {
    let mut problems = Problems::default();
    let mut details = Details::default();
    let mut queries = Queries::default();
    let entries = match raw {
        Shape::Object(entries) => entries,
        Shape::Other(kind) => {
            problems.push(
                "body",
                ProblemKind::WrongShape,
                format!("expected a JSON object, found {kind}"),
            );
            return problems.into_result((details, queries));
        }
    };
    let mut has_queries = false;
    let mut skills_given = false;
    for Entry { key, value, repeat } in entries {
        let path = Path::TopKey(&key);
        if !first_time(repeat, path, &mut problems) {
            continue;
        }
        match (&*key, value) {
            ("sessionTitle", TopValue::Plain(v)) => {
                details.title = take_string(v, path, &mut problems)
            }
            ("jdDetail", TopValue::JdDetail(jd)) => read_jd(jd, &mut details, &mut problems),
            ("queries", TopValue::Queries(q)) => {
                has_queries = true;
                skills_given = read_queries(q, &mut queries, &mut problems);
            }
            _ => problems.push(
                path,
                ProblemKind::UnknownKey,
                "unknown field; the body takes sessionTitle, jdDetail and queries",
            ),
        }
    }
    match mode {
        Mode::Create if !has_queries => {
            problems.push("queries", ProblemKind::Missing, "is required")
        }
        Mode::Create => check_into(&details, &queries, skills_given, &mut problems),
        // Nothing set is only worth saying when nothing else is wrong: a body whose every
        // field was rejected has set nothing either.
        Mode::Patch if problems.0.is_empty() => check_patch_into(&details, &queries, &mut problems),
        Mode::Patch => check_values(&details, &queries, &mut problems),
    }
    problems.into_result((details, queries))
}

fn read_jd(jd: Shape<'_, Value>, details: &mut Details, problems: &mut Problems) {
    let entries = match jd {
        Shape::Object(entries) => entries,
        Shape::Other(kind) => {
            problems.push(
                "jdDetail",
                ProblemKind::WrongShape,
                format!("expected an object, found {kind}"),
            );
            return;
        }
    };
    let jd_detail = Path::Root("jdDetail");
    for Entry { key, value, repeat } in entries {
        let path = jd_detail.key(&key);
        if !first_time(repeat, path, problems) {
            continue;
        }
        match &*key {
            "userText" => details.user_text = take_string(value, path, problems),
            "sampleProfileURL" => {
                details.sample_profile_url =
                    take_string(value, path, problems).and_then(sample_profile_url)
            }
            _ => problems.push(
                path,
                ProblemKind::UnknownKey,
                "unknown field; jdDetail takes userText and sampleProfileURL",
            ),
        }
    }
}

/// Reads the filters; returns whether a `skills` key was present.
fn read_queries(
    raw: Shape<'_, Shape<'_, Loose<'_>>>,
    queries: &mut Queries,
    problems: &mut Problems,
) -> bool {
    let entries = match raw {
        Shape::Object(entries) => entries,
        Shape::Other(kind) => {
            problems.push(
                "queries",
                ProblemKind::WrongShape,
                format!("expected an object, found {kind}"),
            );
            // The whole object is reported; a missing `skills` inside it would only repeat that.
            return true;
        }
    };
    let skills_given = entries
        .iter()
        .any(|entry| entry.key == FieldId::Skills.key());
    for Entry {
        key,
        value: filter,
        repeat,
    } in entries
    {
        let path = QUERIES.key(&key);
        if !first_time(repeat, path, problems) {
            continue;
        }
        let Some(field) = FieldId::from_key(&key) else {
            problems.push(
                path,
                ProblemKind::UnknownKey,
                "unknown filter key; see docs/filters.md for the 31 documented keys",
            );
            continue;
        };
        if let Some(value) = read_filter(field, filter, path, problems) {
            queries.set(field, value);
        }
    }
    skills_given
}

fn read_filter(
    field: FieldId,
    filter: Shape<'_, Loose<'_>>,
    path: Path<'_>,
    problems: &mut Problems,
) -> Option<FilterValue> {
    let entries = match filter {
        Shape::Object(entries) => entries,
        Shape::Other(kind) => {
            problems.push(
                path,
                ProblemKind::WrongShape,
                format!("expected an object with `type` and `value`, found {kind}"),
            );
            return None;
        }
    };
    let mut operator_ok = None;
    let mut value = None;
    for Entry {
        key,
        value: v,
        repeat,
    } in entries
    {
        let entry_path = path.key(&key);
        if !first_time(repeat, entry_path, problems) {
            continue;
        }
        match &*key {
            "type" => {
                operator_ok = Some(read_operator(field, &v.into_value(), entry_path, problems))
            }
            "value" => value = Some(v),
            _ => problems.push(
                entry_path,
                ProblemKind::UnknownKey,
                "unknown field; a filter takes `type` and `value`",
            ),
        }
    }
    if operator_ok.is_none() {
        problems.push(
            path.key("type"),
            ProblemKind::Missing,
            format!(
                "is required; {} takes {:?}",
                field.key(),
                field.operator().wire()
            ),
        );
    }
    let value_path = path.key("value");
    let Some(value) = value else {
        problems.push(value_path, ProblemKind::Missing, "is required");
        return None;
    };
    let parsed = match field.shape() {
        ValueShape::Strings => {
            read_strings(value.into_value(), value_path, problems).map(FilterValue::Values)
        }
        ValueShape::Range => {
            read_range(&value.into_value(), value_path, problems).map(FilterValue::Range)
        }
        ValueShape::SkillBuckets => {
            read_skills(value, value_path, problems).map(FilterValue::Skills)
        }
    };
    parsed.filter(|_| operator_ok == Some(true))
}

fn read_operator(field: FieldId, value: &Value, path: Path<'_>, problems: &mut Problems) -> bool {
    let expected = field.operator().wire();
    let Value::String(op) = value else {
        problems.push(
            path,
            ProblemKind::WrongShape,
            format!(
                "expected the operator string {expected:?}, found {}",
                kind_of(value)
            ),
        );
        return false;
    };
    match Operator::from_wire(op) {
        Some(found) if found == field.operator() => true,
        Some(_) => {
            problems.push(
                path,
                ProblemKind::WrongOperator,
                format!(
                    "operator {op:?} is not allowed here; {} takes {expected:?}",
                    field.key()
                ),
            );
            false
        }
        None => {
            problems.push(
                path,
                ProblemKind::UnknownOperator,
                format!(
                    "unknown operator {op:?}; {} takes {expected:?}",
                    field.key()
                ),
            );
            false
        }
    }
}

fn read_strings(value: Value, path: Path<'_>, problems: &mut Problems) -> Option<Vec<String>> {
    let Value::Array(items) = value else {
        problems.push(
            path,
            ProblemKind::WrongShape,
            format!("expected an array of strings, found {}", kind_of(&value)),
        );
        return None;
    };
    let mut out = Vec::with_capacity(items.len());
    let mut ok = true;
    for (i, item) in items.into_iter().enumerate() {
        match item {
            Value::String(s) => out.push(s),
            other => {
                ok = false;
                problems.push(
                    path.index(i),
                    ProblemKind::WrongShape,
                    format!("expected a string, found {}", kind_of(&other)),
                );
            }
        }
    }
    ok.then_some(out)
}

fn read_number(value: &Value) -> Option<Number> {
    let Value::Number(n) = value else { return None };
    if let Some(i) = n.as_i64() {
        Some(Number::Int(i))
    } else {
        n.as_f64().map(Number::from_f64)
    }
}

fn read_range(value: &Value, path: Path<'_>, problems: &mut Problems) -> Option<Range> {
    if let Value::Array(items) = value
        && let [min, max] = items.as_slice()
        && let (Some(min), Some(max)) = (read_number(min), read_number(max))
    {
        return Some(Range::new(min, max));
    }
    problems.push(
        path,
        ProblemKind::WrongShape,
        format!(
            "expected a [min, max] array of two numbers, found {}",
            describe(value)
        ),
    );
    None
}

fn describe(value: &Value) -> String {
    match value {
        Value::Array(items) => format!("an array of {} item(s)", items.len()),
        other => kind_of(other).to_owned(),
    }
}

fn read_skills(value: Loose<'_>, path: Path<'_>, problems: &mut Problems) -> Option<SkillBuckets> {
    let Loose::Object(entries) = value else {
        problems.push(
            path,
            ProblemKind::WrongShape,
            format!(
                "expected an object with mandatory, core and secondary arrays, found {}",
                value.kind()
            ),
        );
        return None;
    };
    let mut buckets = [Vec::new(), Vec::new(), Vec::new()];
    let mut ok = true;
    for Entry {
        key,
        value: items,
        repeat,
    } in entries
    {
        let bucket_path = path.key(&key);
        if !first_time(repeat, bucket_path, problems) {
            ok = false;
            continue;
        }
        let index = match &*key {
            "mandatory" => 0,
            "core" => 1,
            "secondary" => 2,
            _ => {
                ok = false;
                problems.push(
                    bucket_path,
                    ProblemKind::UnknownKey,
                    "unknown skills bucket; use mandatory, core or secondary",
                );
                continue;
            }
        };
        match read_strings(items, bucket_path, problems) {
            Some(list) => buckets[index] = list,
            None => ok = false,
        }
    }
    let [mandatory, core, secondary] = buckets;
    ok.then(|| SkillBuckets::new(mandatory, core, secondary))
}
