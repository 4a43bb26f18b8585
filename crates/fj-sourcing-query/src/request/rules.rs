//! Value rules, shared by `build()`, JSON parsing, the annotation converter and the sandbox.

use super::linkedin::is_linkedin_url;
use super::path::QUERIES;
use super::{BuildError, Details, Path, Problem, ProblemKind, Problems, Queries, SessionRequest};
use crate::fields::FieldId;
use crate::value::{Bucket, FilterValue, Range};

/// Checks the value rules on a request assembled by the builder or the parser.
pub(crate) fn check(request: &SessionRequest) -> Result<(), BuildError> {
    let mut problems = Problems::default();
    let skills_given = request.queries.get(FieldId::Skills).is_some();
    check_into(
        &request.details,
        &request.queries,
        skills_given,
        &mut problems,
    );
    problems.into_result(())
}

/// `skills_given` is whether the input had a `skills` key at all: one that was present but
/// malformed has been reported already, and is not reported again as missing.
pub(crate) fn check_into(
    details: &Details,
    queries: &Queries,
    skills_given: bool,
    problems: &mut Problems,
) {
    check_values(details, queries, problems);
    if !skills_given {
        problems.push(
            "queries.skills",
            ProblemKind::NoSkills,
            "is required: at least one skill in mandatory, core or secondary",
        );
    }
}

/// Checks an Update body assembled by the patch builder.
pub(crate) fn check_patch(details: &Details, queries: &Queries) -> Result<(), BuildError> {
    let mut problems = Problems::default();
    check_patch_into(details, queries, &mut problems);
    problems.into_result(())
}

/// The rules of an Update body: the value rules on what is set, nothing required, but
/// something set.
pub(crate) fn check_patch_into(details: &Details, queries: &Queries, problems: &mut Problems) {
    let Details {
        title,
        user_text,
        sample_profile_url,
    } = details;
    if title.is_none() && user_text.is_none() && sample_profile_url.is_none() && queries.is_empty()
    {
        problems.push(
            "body",
            ProblemKind::Empty,
            "an update must set sessionTitle, jdDetail or a filter",
        );
    }
    check_values(details, queries, problems);
}

/// The value rules on the parts that are present: blank strings, empty lists, inverted or
/// non-finite ranges, sample profile URLs.
pub(crate) fn check_values(details: &Details, queries: &Queries, problems: &mut Problems) {
    check_text(details.title.as_deref(), "sessionTitle", problems);
    check_text(details.user_text.as_deref(), "jdDetail.userText", problems);
    if let Some(url) = details
        .sample_profile_url
        .as_deref()
        .filter(|url| !url.is_empty())
    {
        if is_blank(url) {
            problems.push(
                "jdDetail.sampleProfileURL",
                ProblemKind::Blank,
                "must not be blank",
            );
        } else if !is_linkedin_url(url) {
            problems.push(
                "jdDetail.sampleProfileURL",
                ProblemKind::InvalidUrl,
                format!("{url:?} is not an http(s) LinkedIn URL"),
            );
        }
    }
    for (field, value) in queries.iter() {
        let filter = QUERIES.key(field.key());
        check_value(value, filter.key("value"), problems);
    }
}

/// A skills bucket from a `try_*_skills` setter: any collection, but not an empty one.
pub(crate) fn non_empty_bucket<I>(bucket: Bucket, skills: I) -> Result<Vec<String>, BuildError>
where
    I: IntoIterator,
    I::Item: Into<String>,
{
    let skills: Vec<String> = skills.into_iter().map(Into::into).collect();
    if skills.is_empty() {
        return Err(BuildError::from(Problem::new(
            format!("queries.skills.value.{}", bucket.wire()),
            ProblemKind::Empty,
            "a skills bucket passed to a `try_*_skills` setter must list at least one skill",
        )));
    }
    Ok(skills)
}

fn check_value(value: &FilterValue, path: Path<'_>, problems: &mut Problems) {
    match value {
        FilterValue::Values(values) => check_values_list(values, path, problems),
        FilterValue::Range(range) => check_range(range, path, problems),
        FilterValue::Skills(skills) => check_buckets(skills.buckets(), path, problems),
    }
}

/// The rules of a string list filter's value (`IN`, `=`, `(.)`).
fn check_values_list(values: &[String], path: Path<'_>, problems: &mut Problems) {
    if values.is_empty() {
        problems.push(path, ProblemKind::Empty, "must list at least one value");
    } else {
        check_items(values, path, problems);
    }
}

/// The value rules for one filter value, reported under `path`; used by the annotation converter
/// so that converted filters obey exactly the rules `build()` applies.
pub(crate) fn value_problems(value: &FilterValue, path: &str) -> Vec<Problem> {
    let mut problems = Problems::default();
    check_value(value, Path::Root(path), &mut problems);
    problems.0
}

/// `jdDetail.sampleProfileURL` as kept in a request: the API's own Create answer stores `""` when
/// no sample profile was given, so an empty URL means "none" and is dropped (never sent back). A
/// URL of only whitespace is still reported as blank: it is more likely a mistake than a "none".
pub(crate) fn sample_profile_url(url: String) -> Option<String> {
    (!url.is_empty()).then_some(url)
}

/// Empty or only whitespace: the same as `s.trim().is_empty()`, but stops at the first
/// non-whitespace character instead of trimming both ends.
fn is_blank(s: &str) -> bool {
    // Every whitespace character is either ASCII up to ' ' or outside ASCII, so a string that
    // starts with another ASCII byte (as almost every value does) is known without decoding.
    match s.as_bytes().first() {
        Some(&b) if b > b' ' && b.is_ascii() => false,
        _ => s.chars().all(char::is_whitespace),
    }
}

fn check_text(text: Option<&str>, path: &str, problems: &mut Problems) {
    if text.is_some_and(is_blank) {
        problems.push(path, ProblemKind::Blank, "must not be blank");
    }
}

fn check_items(items: &[String], path: Path<'_>, problems: &mut Problems) {
    for (i, item) in items.iter().enumerate() {
        if is_blank(item) {
            problems.push(path.index(i), ProblemKind::Blank, "must not be blank");
        }
    }
}

fn check_range(range: &Range, path: Path<'_>, problems: &mut Problems) {
    if !range.min().is_finite() || !range.max().is_finite() {
        problems.push(
            path,
            ProblemKind::NotFinite,
            format!("range {range} has a bound that is not a finite number"),
        );
    } else if range.min().as_f64() > range.max().as_f64() {
        problems.push(
            path,
            ProblemKind::InvertedRange,
            format!("range {range} is inverted"),
        );
    }
}

/// The rules of the skills filter's value: its buckets with their wire names, in wire order.
fn check_buckets(buckets: [(&'static str, &[String]); 3], path: Path<'_>, problems: &mut Problems) {
    for (bucket, items) in buckets {
        check_items(items, path.key(bucket), problems);
    }
    if buckets.iter().all(|(_, items)| items.is_empty()) {
        problems.push(
            path,
            ProblemKind::NoSkills,
            "at least one skill is required in mandatory, core or secondary",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::is_blank;

    #[test]
    fn is_blank_agrees_with_trim() {
        let samples = [
            "",
            " ",
            "\t\n\r",
            "\x0B",
            "\x0C",
            "\u{85}",
            "\u{A0}",
            "\u{2003}\u{3000}",
            "a",
            " a",
            "a ",
            "\x7F",
            "!",
            "\u{85}x",
            "é",
            "\u{200B}",
            "C#",
        ];
        for s in samples {
            assert_eq!(is_blank(s), s.trim().is_empty(), "{s:?}");
        }
        for c in (0..=0x3000u32).filter_map(char::from_u32) {
            let s = c.to_string();
            assert_eq!(is_blank(&s), s.trim().is_empty(), "{c:?}");
        }
    }
}
