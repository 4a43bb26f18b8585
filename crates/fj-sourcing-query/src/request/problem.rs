//! Problems: what broke, where (the wire path), and the error that carries them all.

use std::fmt;

use serde::Serialize;

/// What kind of rule a [`Problem`] broke.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ProblemKind {
    /// The body is not JSON (or a number in it is out of range).
    Syntax,
    /// A JSON value has the wrong type or length.
    WrongShape,
    /// A required field is absent.
    Missing,
    /// A key that the API does not document.
    UnknownKey,
    /// The same key twice in one object.
    DuplicateKey,
    /// An operator string that is none of `IN`, `=`, `(.)`, `RANGE`.
    UnknownOperator,
    /// A known operator that this filter does not take.
    WrongOperator,
    /// A string that is empty or only whitespace.
    Blank,
    /// A list that must not be empty is.
    Empty,
    /// A range whose minimum is above its maximum.
    InvertedRange,
    /// A range bound that is NaN or infinite.
    NotFinite,
    /// A sample profile URL that is not an http(s) LinkedIn URL.
    InvalidUrl,
    /// No skill in any of the three buckets.
    NoSkills,
}

/// One broken rule, with the wire path it is about (for example `queries.region.value[0]`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    path: String,
    kind: ProblemKind,
    message: String,
}

impl Problem {
    /// A problem of `kind` at the wire path `path`; the sandbox reports parameter problems with
    /// it, so that its `400` answers read like the crate's own errors.
    pub fn new(path: impl Into<String>, kind: ProblemKind, message: impl Into<String>) -> Self {
        Problem {
            path: path.into(),
            kind,
            message: message.into(),
        }
    }

    /// The wire path, dotted, with `[i]` for array items; `body` for the whole document.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The rule that was broken.
    pub fn kind(&self) -> ProblemKind {
        self.kind
    }

    /// What is wrong, for a person.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// A request that failed validation: every problem found, never just the first.
///
/// ```
/// use fj_sourcing_query::{ProblemKind, Session};
///
/// let err = Session::builder().title(" ").mandatory_skills([""]).build().unwrap_err();
/// let found: Vec<_> = err.problems().iter().map(|p| (p.path(), p.kind())).collect();
/// assert_eq!(found, [
///     ("sessionTitle", ProblemKind::Blank),
///     ("queries.skills.value.mandatory[0]", ProblemKind::Blank),
/// ]);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildError {
    problems: Vec<Problem>,
}

impl BuildError {
    /// The problems, in document order.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// The problems, by value.
    pub fn into_problems(self) -> Vec<Problem> {
        self.problems
    }
}

impl From<Problem> for BuildError {
    fn from(problem: Problem) -> Self {
        BuildError {
            problems: vec![problem],
        }
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid session request: ")?;
        write_problems(f, &self.problems)
    }
}

/// Writes problems as `path: message; path: message`: the one form every error of `fj-sourcing`
/// that carries problems uses, whether the problems were found here ([`Problem`]) or reported by
/// the server.
pub fn write_problems<P: fmt::Display>(f: &mut fmt::Formatter<'_>, problems: &[P]) -> fmt::Result {
    for (i, problem) in problems.iter().enumerate() {
        if i > 0 {
            f.write_str("; ")?;
        }
        write!(f, "{problem}")?;
    }
    Ok(())
}

impl std::error::Error for BuildError {}

/// The problems found so far by a check or a parse.
#[derive(Default)]
pub(crate) struct Problems(pub(crate) Vec<Problem>);

impl Problems {
    pub(crate) fn push(
        &mut self,
        path: impl Into<String>,
        kind: ProblemKind,
        message: impl Into<String>,
    ) {
        self.0.push(Problem::new(path, kind, message));
    }

    pub(crate) fn into_result<T>(self, ok: T) -> Result<T, BuildError> {
        if self.0.is_empty() {
            Ok(ok)
        } else {
            Err(BuildError { problems: self.0 })
        }
    }
}
