//! JD to Filters annotations, and their conversion into a checked [`SessionBuilder`].

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use crate::builder::{Session, SessionBuilder};
use crate::fields::{self, FieldId, ValueShape};
use crate::ops::In;
use crate::request::{BuildError, Problem, ProblemKind, SessionRequest, rules};
use crate::state::{HasSkills, NoSkills};
use crate::value::{FilterValue, Number, Range, SkillBuckets};

/// The annotations of JD to Filters, keyed by filter key (for example
/// `all_employers.company_industries`), in key order.
///
/// The documented response is a bare map without the usual envelope; the page does not say
/// whether the real one is enveloped (reference, inconsistency 6), so both are accepted. Turn the
/// annotations into a request with [`to_builder`](Annotations::to_builder).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Annotations {
    entries: BTreeMap<String, Annotation>,
}

impl Annotations {
    /// The annotation of one key.
    pub fn get(&self, key: &str) -> Option<&Annotation> {
        self.entries.get(key)
    }

    /// All annotations, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Annotation)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// How many keys were annotated.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no annotations.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl FromIterator<(String, Annotation)> for Annotations {
    fn from_iter<I: IntoIterator<Item = (String, Annotation)>>(iter: I) -> Self {
        Annotations {
            entries: iter.into_iter().collect(),
        }
    }
}

/// One field's annotation: `{ "presence": bool, "value": [...] }`.
///
/// `value` is kept raw because its shape depends on the key (a string list for most keys, maybe a
/// pair of numbers for ranges), and may contain `null` when nothing was found. An entry that is
/// not an object is kept as `value` with no `presence`, so the converter can report it.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Annotation {
    /// `presence`: whether the filter should be applied.
    pub presence: Option<bool>,
    /// `value`, raw.
    pub value: Value,
    /// Other fields.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Annotation {
    /// An annotation with the given presence and value.
    pub fn new(presence: bool, value: Value) -> Self {
        Annotation {
            presence: Some(presence),
            value,
            extra: Map::new(),
        }
    }
}

impl<'de> Deserialize<'de> for Annotation {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Value::deserialize(deserializer)? {
            Value::Object(mut map) => Annotation {
                presence: map.remove("presence").and_then(|p| p.as_bool()),
                value: map.remove("value").unwrap_or(Value::Null),
                extra: map,
            },
            other => Annotation {
                presence: None,
                value: other,
                extra: Map::new(),
            },
        })
    }
}

/// The builder made from annotations: with skills when `skills` was annotated, else without.
///
/// Match on it to keep the typestate, or use the forwarding setters and [`build`](Self::build):
///
/// ```
/// # use fj_sourcing_query::Annotations;
/// use fj_sourcing_query::AnnotatedBuilder;
///
/// let filters = Annotations::default().to_builder()?;
/// let request = match filters.builder {
///     AnnotatedBuilder::Ready(ready) => ready.build()?,
///     AnnotatedBuilder::NeedsSkills(needs_skills) => needs_skills.mandatory_skills(["C#"]).build()?,
/// };
/// assert_eq!(request.skills().mandatory(), ["C#"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub enum AnnotatedBuilder {
    /// No usable `skills` annotation: add at least one skill before `build()`.
    NeedsSkills(SessionBuilder<NoSkills>),
    /// Skills were annotated: ready to `build()`.
    Ready(SessionBuilder<HasSkills>),
}

impl AnnotatedBuilder {
    /// Whether the annotations provided skills.
    pub fn has_skills(&self) -> bool {
        matches!(self, AnnotatedBuilder::Ready(_))
    }

    /// Sets `sessionTitle`.
    pub fn title(self, title: impl Into<String>) -> Self {
        match self {
            AnnotatedBuilder::NeedsSkills(b) => AnnotatedBuilder::NeedsSkills(b.title(title)),
            AnnotatedBuilder::Ready(b) => AnnotatedBuilder::Ready(b.title(title)),
        }
    }

    /// Sets `jdDetail.userText`; usually the text that was annotated.
    pub fn jd_text(self, text: impl Into<String>) -> Self {
        match self {
            AnnotatedBuilder::NeedsSkills(b) => AnnotatedBuilder::NeedsSkills(b.jd_text(text)),
            AnnotatedBuilder::Ready(b) => AnnotatedBuilder::Ready(b.jd_text(text)),
        }
    }

    /// Sets `jdDetail.sampleProfileURL`.
    pub fn sample_profile_url(self, url: impl Into<String>) -> Self {
        match self {
            AnnotatedBuilder::NeedsSkills(b) => {
                AnnotatedBuilder::NeedsSkills(b.sample_profile_url(url))
            }
            AnnotatedBuilder::Ready(b) => AnnotatedBuilder::Ready(b.sample_profile_url(url)),
        }
    }

    /// Builds the request; without skills this is the same
    /// [`ProblemKind::NoSkills`] error that JSON parsing reports for a request without skills.
    pub fn build(self) -> Result<SessionRequest, BuildError> {
        match self {
            AnnotatedBuilder::Ready(b) => b.build(),
            AnnotatedBuilder::NeedsSkills(_) => Err(BuildError::from(Problem::new(
                "queries.skills",
                ProblemKind::NoSkills,
                "is required: the annotations had no skills; add at least one with \
                 mandatory_skills, core_skills or secondary_skills",
            ))),
        }
    }
}

/// The filters made from annotations, with what was set and what was left out on purpose.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct AnnotatedFilters {
    /// The builder holding every usable filter.
    pub builder: AnnotatedBuilder,
    /// The keys that were set, in key order.
    pub applied: Vec<FieldId>,
    /// Keys left out because the annotation itself said there was nothing to apply.
    pub dropped: Vec<Dropped>,
}

/// A key left out of the request because its annotation had nothing to apply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dropped {
    key: String,
    reason: DropReason,
}

impl Dropped {
    /// The annotated key.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// Why it was left out.
    pub fn reason(&self) -> DropReason {
        self.reason
    }
}

/// Why an annotated key was left out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DropReason {
    /// `presence` was `false`.
    NotPresent,
    /// The value was `null`, empty, or only `null`s.
    NoValues,
}

impl fmt::Display for DropReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DropReason::NotPresent => "presence is false",
            DropReason::NoValues => "no values",
        })
    }
}

/// Annotations that could not all be used: unknown keys, wrong value shapes, values that break
/// the request rules. Holds the usable rest.
#[derive(Clone, Debug)]
pub struct AnnotationError {
    problems: Vec<Problem>,
    partial: Box<AnnotatedFilters>,
}

impl AnnotationError {
    /// Every problem, in key order; paths are `key` or `key.value[i]`.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// The filters made from the keys that had no problem.
    pub fn into_partial(self) -> AnnotatedFilters {
        *self.partial
    }
}

impl fmt::Display for AnnotationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("annotations that cannot be applied: ")?;
        crate::request::write_problems(f, &self.problems)
    }
}

impl std::error::Error for AnnotationError {}

impl Annotations {
    /// Turns JD to Filters annotations into a checked [`SessionBuilder`].
    ///
    /// An annotation carries no operator, so each key's operator and value shape come from the field
    /// table ([`FieldId::from_key`], [`FieldId::operator`], [`FieldId::shape`]); there is no second list
    /// of keys here. Per key:
    ///
    /// * `presence: false` → dropped ([`DropReason::NotPresent`]), whatever the key;
    /// * a value that is `null`, empty or only `null`s → dropped ([`DropReason::NoValues`]);
    /// * a key the table does not know → reported ([`ProblemKind::UnknownKey`]);
    /// * a value of the wrong shape for the key (a number in a string list, a range that is not two
    ///   numbers, ...) → reported ([`ProblemKind::WrongShape`]);
    /// * a value breaking `build()`'s rules (blank string, inverted range) → reported with that rule;
    /// * anything else is set on the builder. `null` items inside a list are skipped.
    ///
    /// Reported keys make `to_builder` return an [`AnnotationError`], which still holds
    /// everything that could be used ([`AnnotationError::into_partial`]), so nothing is lost silently
    /// and a caller may knowingly proceed without the reported keys.
    ///
    /// The reference does not say how `skills` is annotated. A plain list of skills goes into the
    /// `core` bucket (a suggestion extracted from free text is treated as a weighted preference, not
    /// a hard requirement); an object with `mandatory`/`core`/`secondary` lists keeps its buckets.
    ///
    /// ```
    /// use fj_sourcing_query::{Annotation, Annotations};
    /// use fj_sourcing_query::DropReason;
    /// use serde_json::json;
    ///
    /// let annotations: Annotations = serde_json::from_value(json!({
    ///     "all_employers.company_industries": { "presence": true, "value": ["Financial Services"] },
    ///     "years_of_experience_raw": { "presence": true, "value": [3, 7] },
    ///     "skills": { "presence": true, "value": ["C#", ".NET Core"] },
    ///     "education_background.degree_name": { "presence": false, "value": [null] }
    /// }))?;
    /// let filters = annotations.to_builder()?;
    /// assert_eq!(filters.dropped[0].key(), "education_background.degree_name");
    /// assert_eq!(filters.dropped[0].reason(), DropReason::NotPresent);
    /// let request = filters.builder.title(".NET Developer").build()?;
    /// assert_eq!(request.skills().core(), ["C#", ".NET Core"]);
    /// assert_eq!(request.queries().len(), 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_builder(&self) -> Result<AnnotatedFilters, AnnotationError> {
        let mut builder = Session::builder();
        let mut skills = None;
        let mut applied = Vec::new();
        let mut dropped = Vec::new();
        let mut problems = Vec::new();
        for (key, annotation) in self.iter() {
            if annotation.presence == Some(false) {
                dropped.push(Dropped::new(key, DropReason::NotPresent));
                continue;
            }
            let Some(field) = FieldId::from_key(key) else {
                problems.push(Problem::new(
                    key,
                    ProblemKind::UnknownKey,
                    "is not a documented filter key, so it cannot be applied (see docs/filters.md)",
                ));
                continue;
            };
            let path = format!("{key}.value");
            let value = match convert(field, &annotation.value, &path) {
                Ok(Some(value)) => value,
                Ok(None) => {
                    dropped.push(Dropped::new(key, DropReason::NoValues));
                    continue;
                }
                Err(found) => {
                    problems.extend(found);
                    continue;
                }
            };
            let broken = rules::value_problems(&value, &path);
            if !broken.is_empty() {
                problems.extend(broken);
                continue;
            }
            match value {
                FilterValue::Skills(buckets) => skills = Some(buckets),
                other => builder = builder.with_value(field, other),
            }
            applied.push(field);
        }
        let builder = match skills {
            Some(b) => AnnotatedBuilder::Ready(builder.filter(
                fields::Skills,
                In::skills(
                    b.mandatory().to_vec(),
                    b.core().to_vec(),
                    b.secondary().to_vec(),
                ),
            )),
            None => AnnotatedBuilder::NeedsSkills(builder),
        };
        let filters = AnnotatedFilters {
            builder,
            applied,
            dropped,
        };
        if problems.is_empty() {
            Ok(filters)
        } else {
            Err(AnnotationError {
                problems,
                partial: Box::new(filters),
            })
        }
    }
}

impl Dropped {
    fn new(key: &str, reason: DropReason) -> Self {
        Dropped {
            key: key.to_owned(),
            reason,
        }
    }
}

fn wrong_shape(path: impl Into<String>, message: String) -> Vec<Problem> {
    vec![Problem::new(path, ProblemKind::WrongShape, message)]
}

/// The value shaped for `field`, `None` when there is nothing in it, or the shape problems.
fn convert(field: FieldId, value: &Value, path: &str) -> Result<Option<FilterValue>, Vec<Problem>> {
    if value.is_null() {
        return Ok(None);
    }
    match field.shape() {
        ValueShape::Strings => {
            let items = strings(value, path)?;
            Ok((!items.is_empty()).then_some(FilterValue::Values(items)))
        }
        ValueShape::Range => range(value, path),
        ValueShape::SkillBuckets => skills(value, path),
    }
}

/// The strings of an array, `null`s skipped.
fn strings(value: &Value, path: &str) -> Result<Vec<String>, Vec<Problem>> {
    let Value::Array(items) = value else {
        return Err(wrong_shape(
            path,
            format!(
                "expected an array of strings, found {}",
                crate::request::kind_of(value)
            ),
        ));
    };
    let mut out = Vec::with_capacity(items.len());
    let mut problems = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match item {
            Value::Null => {}
            Value::String(s) => out.push(s.clone()),
            other => problems.extend(wrong_shape(
                format!("{path}[{i}]"),
                format!(
                    "expected a string, found {}",
                    crate::request::kind_of(other)
                ),
            )),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

fn range(value: &Value, path: &str) -> Result<Option<FilterValue>, Vec<Problem>> {
    let expected = |found: String| {
        wrong_shape(
            path,
            format!("expected a [min, max] array of two numbers, found {found}"),
        )
    };
    let Value::Array(items) = value else {
        return Err(expected(crate::request::kind_of(value).to_owned()));
    };
    let present: Vec<&Value> = items.iter().filter(|v| !v.is_null()).collect();
    if present.is_empty() {
        return Ok(None);
    }
    let numbers: Vec<Number> = present
        .iter()
        .filter_map(|v| match v {
            Value::Number(n) => n
                .as_i64()
                .map(Number::Int)
                .or_else(|| n.as_f64().map(Number::from)),
            _ => None,
        })
        .collect();
    match (numbers.as_slice(), items.len()) {
        ([min, max], 2) => Ok(Some(FilterValue::Range(Range::new(*min, *max)))),
        _ => Err(expected(value.to_string())),
    }
}

fn skills(value: &Value, path: &str) -> Result<Option<FilterValue>, Vec<Problem>> {
    let (mandatory, core, secondary) = match value {
        Value::Array(_) => (Vec::new(), strings(value, path)?, Vec::new()),
        Value::Object(map) => {
            let mut buckets: [Vec<String>; 3] = Default::default();
            let mut problems = Vec::new();
            for (bucket, items) in map {
                let index = match bucket.as_str() {
                    "mandatory" => 0,
                    "core" => 1,
                    "secondary" => 2,
                    _ => {
                        problems.push(Problem::new(
                            format!("{path}.{bucket}"),
                            ProblemKind::UnknownKey,
                            "unknown skills bucket; use mandatory, core or secondary",
                        ));
                        continue;
                    }
                };
                if items.is_null() {
                    continue;
                }
                match strings(items, &format!("{path}.{bucket}")) {
                    Ok(list) => buckets[index] = list,
                    Err(found) => problems.extend(found),
                }
            }
            if !problems.is_empty() {
                return Err(problems);
            }
            let [mandatory, core, secondary] = buckets;
            (mandatory, core, secondary)
        }
        other => {
            return Err(wrong_shape(
                path,
                format!(
                    "expected an array of skills or an object of skills buckets, found {}",
                    crate::request::kind_of(other)
                ),
            ));
        }
    };
    let buckets = SkillBuckets::new(mandatory, core, secondary);
    Ok((!buckets.is_empty()).then_some(FilterValue::Skills(buckets)))
}
