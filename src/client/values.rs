//! Checking a request's values against Filters Autocomplete, before a credit is spent on them.

use std::collections::HashMap;

use futures_util::{StreamExt as _, TryStreamExt as _, stream};

use super::Client;
use crate::error::Error;
use crate::fields::Autocomplete;
use crate::{FilterValue, SessionRequest};

/// Autocomplete calls in flight at once during a check.
const CONCURRENCY: usize = 4;
/// Suggestions asked per call: enough that an exact value is not crowded out by the longer
/// values that contain it (`Pune` has many).
const LIMIT: u32 = 50;
/// Suggestions kept per unknown value.
const KEEP: usize = 5;

/// What [`Client::check_values`] found: the values the API does not know, and the ones it could
/// not ask about.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ValueReport {
    unknown: Vec<UnknownValue>,
    unchecked: Vec<String>,
}

impl ValueReport {
    /// True when no value is unknown (unchecked values do not count).
    pub fn is_clean(&self) -> bool {
        self.unknown.is_empty()
    }

    /// The values Filters Autocomplete does not know, in wire order.
    pub fn unknown(&self) -> &[UnknownValue] {
        &self.unknown
    }

    /// The wire paths of the string values that could not be checked: their filter has no
    /// vocabulary, the server refused the `filter_type`, or its answer could not be read. Never
    /// an error by itself.
    pub fn unchecked(&self) -> &[String] {
        &self.unchecked
    }
}

/// A value Filters Autocomplete does not know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownValue {
    path: String,
    value: String,
    suggestions: Vec<String>,
    blocking: bool,
}

impl UnknownValue {
    /// The wire path: `queries.region.value[0]`, `queries.skills.value.mandatory[1]`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The value as given.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The closest values the API knows, best first (a spelling that differs only in case comes
    /// first); empty when nothing close was found.
    pub fn suggestions(&self) -> &[String] {
        &self.suggestions
    }

    /// Whether the value should stop a search: true for the reference's own vocabularies
    /// (`region`, `skill`, `title`), false for `country_region` (its `(.)` operator is undefined,
    /// so exact matching may not apply) and for the types that are our reading (see the
    /// autocomplete column of `docs/filters.md`).
    pub fn is_blocking(&self) -> bool {
        self.blocking
    }
}

/// What one distinct (filter_type, value) turned out to be.
enum Verdict {
    Known,
    Unknown(Vec<String>),
    Unchecked,
}

impl Client {
    /// Asks Filters Autocomplete (free of charge) about every string value of every filter with
    /// a vocabulary ([`FieldId::autocomplete`](crate::fields::FieldId::autocomplete)), so that a
    /// misspelt region or skill is caught before Create charges for a search that finds nobody.
    ///
    /// Each distinct (filter_type, value) is asked once, four calls at a time. A value
    /// is known when a suggestion equals it exactly; one differing only in case is unknown, with
    /// that spelling as its first suggestion. When a value finds no suggestion at all, it is
    /// asked again with a shorter query (its first word, then its first half) to find what it
    /// was meant to be; suggestions are ranked by similarity (Damerau-Levenshtein).
    ///
    /// A `filter_type` the server refuses (a 4xx other than 401, 402, 403 and 429) or an answer
    /// that cannot be read leaves its values [unchecked](ValueReport::unchecked). Any other
    /// failure (429 after retries, 5xx, transport, timeout, a refused key) means the check
    /// cannot run: it is returned as the error, and no further call is started.
    ///
    /// ```no_run
    /// # async fn run(client: fj_sourcing::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let request = fj_sourcing::Session::builder()
    ///     .region_in(["Pune, Maharastra, India"])
    ///     .mandatory_skills(["Kubernets"])
    ///     .build()?;
    /// let report = client.check_values(&request).await?;
    /// for unknown in report.unknown() {
    ///     println!("{}: {:?}, did you mean {:?}?", unknown.path(), unknown.value(), unknown.suggestions());
    /// }
    /// if report.unknown().iter().any(|u| u.is_blocking()) {
    ///     return Ok(()); // fix the query rather than pay for an empty search
    /// }
    /// client.create_session(&request).await?;
    /// # Ok(()) }
    /// ```
    pub async fn check_values(&self, request: &SessionRequest) -> Result<ValueReport, Error> {
        // Every string value, with its wire path and its filter's vocabulary, in wire order.
        let mut values: Vec<(String, &str, Option<Autocomplete>)> = Vec::new();
        for (field, value) in request.queries().iter() {
            let vocab = field.autocomplete();
            let lists: Vec<(String, &[String])> = match value {
                FilterValue::Values(list) => vec![(format!("queries.{}.value", field.key()), list)],
                FilterValue::Skills(skills) => (skills.buckets().into_iter())
                    .map(|(bucket, list)| (format!("queries.skills.value.{bucket}"), list))
                    .collect(),
                _ => Vec::new(),
            };
            for (prefix, list) in lists {
                values.extend(
                    (list.iter().enumerate())
                        .map(|(i, v)| (format!("{prefix}[{i}]"), v.as_str(), vocab)),
                );
            }
        }
        let mut distinct: Vec<(&str, &str)> = (values.iter())
            .filter_map(|(_, value, vocab)| vocab.map(|a| (a.filter_type, *value)))
            .collect();
        distinct.sort_unstable();
        distinct.dedup();
        let verdicts: HashMap<(&str, &str), Verdict> = stream::iter(distinct)
            .map(|key| async move { Ok::<_, Error>((key, self.verdict(key.0, key.1).await?)) })
            .buffer_unordered(CONCURRENCY)
            .try_collect()
            .await?;
        let mut report = ValueReport::default();
        for (path, value, vocab) in values {
            match vocab.map(|a| (a, &verdicts[&(a.filter_type, value)])) {
                Some((_, Verdict::Known)) => {}
                Some((a, Verdict::Unknown(suggestions))) => report.unknown.push(UnknownValue {
                    path,
                    value: value.to_owned(),
                    suggestions: suggestions.clone(),
                    blocking: a.documented && a.filter_type != "country_region",
                }),
                Some((_, Verdict::Unchecked)) | None => report.unchecked.push(path),
            }
        }
        Ok(report)
    }

    /// Asks about one value: the value itself, then shorter queries while nothing is found.
    async fn verdict(&self, filter_type: &str, value: &str) -> Result<Verdict, Error> {
        let first_word = value.split([',', ' ']).next().unwrap_or(value);
        let half: String = value
            .chars()
            .take(value.chars().count().div_ceil(2).max(3))
            .collect();
        // Each query strictly shorter than the one before.
        let mut shortest = usize::MAX;
        for query in [value, first_word, &half] {
            let query = query.trim();
            if query.is_empty() || query.len() >= shortest {
                continue;
            }
            shortest = query.len();
            let found = match self.autocomplete(filter_type, query, Some(LIMIT)).await {
                Ok(found) => found.data,
                Err(e) if refused(&e) => return Ok(Verdict::Unchecked),
                Err(e) => return Err(e),
            };
            if found.values().any(|s| s == value) {
                return Ok(Verdict::Known);
            }
            if !found.is_empty() {
                return Ok(Verdict::Unknown(rank(value, found.values())));
            }
        }
        Ok(Verdict::Unknown(Vec::new()))
    }
}

/// Whether `error` is the server refusing this one question (its `filter_type`, say) rather than
/// a failure that stops the whole check.
fn refused(error: &Error) -> bool {
    matches!(error, Error::Decode { .. })
        || error
            .status()
            .is_some_and(|s| s.is_client_error() && !matches!(s.as_u16(), 401 | 402 | 403 | 429))
}

/// The distinct suggestions closest to `value` first (case ignored, so a case-only difference
/// ranks first); equally close ones keep the API's order.
fn rank<'a>(value: &str, found: impl Iterator<Item = &'a str>) -> Vec<String> {
    let value = value.to_lowercase();
    let mut scored: Vec<(f64, &str)> = Vec::new();
    for s in found {
        if !scored.iter().any(|(_, t)| *t == s) {
            scored.push((
                strsim::normalized_damerau_levenshtein(&value, &s.to_lowercase()),
                s,
            ));
        }
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored
        .into_iter()
        .take(KEEP)
        .map(|(_, s)| s.to_owned())
        .collect()
}
