//! Wire paths, written out only when a problem is reported.

use std::fmt;

use serde_json::Value;

/// A wire path, written out only when a problem is reported, so valid input allocates no paths.
#[derive(Clone, Copy)]
pub(crate) enum Path<'a> {
    Root(&'a str),
    /// A key of the top-level object.
    TopKey(&'a str),
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl<'a> Path<'a> {
    pub(crate) fn key(&'a self, key: &'a str) -> Path<'a> {
        Path::Key(self, key)
    }

    pub(crate) fn index(&'a self, index: usize) -> Path<'a> {
        Path::Index(self, index)
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root(root) => f.write_str(root),
            Path::TopKey(key) if is_plain_key(key) => f.write_str(key),
            Path::TopKey(key) => write!(f, "body[{}]", Value::from(*key)),
            Path::Key(parent, key) if is_plain_key(key) => write!(f, "{parent}.{key}"),
            Path::Key(parent, key) => write!(f, "{parent}[{}]", Value::from(*key)),
            Path::Index(parent, index) => write!(f, "{parent}[{index}]"),
        }
    }
}

/// Whether `key` reads well in a dotted path. Filter keys keep their own dots (as in
/// `queries.current_employers.title`); keys that would be unreadable or ambiguous dotted (empty,
/// whitespace, quotes, brackets, control characters) are written JSON-quoted in brackets:
/// `queries["a b"]`.
fn is_plain_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-' | '#' | '+'))
}

impl From<Path<'_>> for String {
    fn from(path: Path<'_>) -> String {
        path.to_string()
    }
}

/// The root of every filter's path.
pub(crate) const QUERIES: Path<'static> = Path::Root("queries");
