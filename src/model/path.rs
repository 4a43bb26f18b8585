//! The field a decode error is about, found from where serde_json stopped.
//!
//! serde_json reports a line and column, the last byte it read: the end of a value of the wrong
//! type, the `}` of an object missing a field, the end of a repeated key. The field is the
//! innermost value around that byte. Reading the body again to find it costs nothing on the
//! success path and needs no path-tracking deserializer (a crate that every application would
//! compile for error messages alone). Paths read as before: `data.docs[3].values`.

use std::fmt::Write as _;

/// The path (`data.session._id`) of the innermost value of `body` around the byte serde_json
/// reported at `line` and `column` (both 1-based); `"."` for the whole body or when the position
/// is outside every value.
pub(crate) fn path_at(body: &[u8], line: usize, column: usize) -> String {
    let Some(at) = byte_index(body, line, column) else {
        return ".".to_owned();
    };
    let mut finder = Finder {
        body,
        pos: 0,
        at,
        path: Vec::new(),
        found: None,
    };
    // A body that breaks off later still has its values before the break measured.
    let _ = finder.value(0, 0);
    match finder.found {
        Some((_, path)) if !path.is_empty() => render(&path),
        _ => ".".to_owned(),
    }
}

/// The byte at `line`, `column`: serde_json counts both from 1, columns in bytes.
fn byte_index(body: &[u8], line: usize, column: usize) -> Option<usize> {
    let line_start = if line <= 1 {
        0
    } else {
        body.iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .nth(line - 2)
            .map(|(i, _)| i + 1)?
    };
    (line_start + column).checked_sub(1)
}

#[derive(Clone)]
enum Segment {
    Key(String),
    Index(usize),
}

fn render(path: &[Segment]) -> String {
    let mut out = String::new();
    for segment in path {
        match segment {
            Segment::Key(key) if out.is_empty() => out.push_str(key),
            Segment::Key(key) => {
                out.push('.');
                out.push_str(key);
            }
            Segment::Index(index) => {
                let _ = write!(out, "[{index}]");
            }
        }
    }
    out
}

/// serde_json refuses deeper nesting by default, so a deeper body failed on syntax anyway.
const MAX_DEPTH: usize = 128;

struct Finder<'a> {
    body: &'a [u8],
    pos: usize,
    /// The byte serde_json stopped at.
    at: usize,
    path: Vec<Segment>,
    /// The deepest value found around `at` so far, with its depth.
    found: Option<(usize, Vec<Segment>)>,
}

impl Finder<'_> {
    fn peek(&self) -> Option<u8> {
        self.body.get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// Notes the value read from `from` (its separator) to `self.pos` as holding `at` if it
    /// does, whether it ended there or broke off there.
    fn consider(&mut self, from: usize, depth: usize) {
        let holds = from <= self.at && self.at < self.pos.max(from + 1);
        let deeper = self.found.as_ref().is_none_or(|(d, _)| depth > *d);
        if holds && deeper {
            self.found = Some((depth, self.path.clone()));
        }
    }

    /// Reads one value, which follows its separator at `from` (the `:`, `[` or `,` before it):
    /// where the value is an object or array of the wrong type, serde_json stops before it. `None`
    /// where the body stops being JSON.
    fn value(&mut self, depth: usize, from: usize) -> Option<()> {
        self.skip_whitespace();
        let start = self.pos;
        let read = if depth > MAX_DEPTH {
            None
        } else {
            match self.peek()? {
                b'{' => self.object(depth),
                b'[' => self.array(depth),
                b'"' => self.string().map(drop),
                _ => {
                    while !matches!(
                        self.peek(),
                        None | Some(b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r')
                    ) {
                        self.pos += 1;
                    }
                    (self.pos > start).then_some(())
                }
            }
        };
        self.consider(from, depth);
        read
    }

    /// Reads a string; its text, decoded, when it is a valid JSON string.
    fn string(&mut self) -> Option<Option<String>> {
        let start = self.pos;
        self.pos += 1;
        loop {
            match self.peek()? {
                b'"' => break,
                b'\\' => self.pos += 2,
                _ => self.pos += 1,
            }
        }
        self.pos += 1;
        Some(serde_json::from_slice(&self.body[start..self.pos]).ok())
    }

    fn object(&mut self, depth: usize) -> Option<()> {
        self.pos += 1;
        self.skip_whitespace();
        if self.peek()? == b'}' {
            self.pos += 1;
            return Some(());
        }
        loop {
            self.skip_whitespace();
            if self.peek()? != b'"' {
                return None;
            }
            let key = self.string()?.unwrap_or_default();
            self.skip_whitespace();
            if self.peek()? != b':' {
                return None;
            }
            let separator = self.pos;
            self.pos += 1;
            self.member(Segment::Key(key), depth, separator)?;
            if self.next_member(b'}')?.is_none() {
                return Some(());
            }
        }
    }

    fn array(&mut self, depth: usize) -> Option<()> {
        let mut separator = self.pos;
        self.pos += 1;
        self.skip_whitespace();
        if self.peek()? == b']' {
            self.pos += 1;
            return Some(());
        }
        for index in 0.. {
            self.member(Segment::Index(index), depth, separator)?;
            match self.next_member(b']')? {
                Some(comma) => separator = comma,
                None => return Some(()),
            }
        }
        None
    }

    /// Reads the value of an object member or array element, with `segment` on the path.
    fn member(&mut self, segment: Segment, depth: usize, separator: usize) -> Option<()> {
        self.path.push(segment);
        let read = self.value(depth + 1, separator);
        self.path.pop();
        read
    }

    /// Steps past what follows a member: `Some(Some(at))` for a `,` at `at` (another member
    /// follows), `Some(None)` for `close`, `None` for anything else.
    fn next_member(&mut self, close: u8) -> Option<Option<usize>> {
        self.skip_whitespace();
        let at = self.pos;
        let next = match self.peek()? {
            b',' => Some(at),
            byte if byte == close => None,
            _ => return None,
        };
        self.pos += 1;
        Some(next)
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::path_at;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        a: i64,
        b: Vec<u32>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Outer {
        x: Inner,
        s: String,
        #[serde(default)]
        e: Option<Kind>,
        #[serde(default)]
        list: Vec<Inner>,
    }

    #[derive(Debug, Deserialize)]
    enum Kind {
        One,
    }

    fn path(body: &str) -> String {
        let err = serde_json::from_str::<Outer>(body).expect_err("the body does not decode");
        path_at(body.as_bytes(), err.line(), err.column())
    }

    #[test]
    fn the_path_is_the_innermost_value_where_serde_json_stopped() {
        let cases = [
            (r#"{"x": {"a": "str", "b": []}, "s": "q"}"#, "x.a"),
            (r#"{"x": {"a": 1, "b": [1, "two"]}, "s": "q"}"#, "x.b[1]"),
            (r#"{"x": {"a": 1, "b": [1, -2]}, "s": "q"}"#, "x.b[1]"),
            (r#"{"x": {"a": 1.5, "b": []}, "s": "q"}"#, "x.a"),
            (r#"{"x": {"a": 1}, "s": "q"}"#, "x"),
            (r#"{"x": {"a": 1, "b": []}, "s": 5}"#, "s"),
            (r#"{"x": {"a": 1, "b": []}, "s": "q", "e": "Two"}"#, "e"),
            (r#"{"x": [], "s": "q"}"#, "x"),
            (r#"{"x": {"a": 1, "b": []}}"#, "."),
            (r#"{"x": {"a": 1, "b": []}, "s": "q", "x": {}}"#, "."),
            (
                r#"{"x": {"a": 1, "b": []}, "s": "q", "list": [{"a": 1, "b": []}, {"a": 1, "b": {}}]}"#,
                "list[1].b",
            ),
            (
                r#"{"x": {"a": 1, "b": []}, "s": "q", "list": [{}]}"#,
                "list[0]",
            ),
            (r#"{"x": {"a": 1, "b": {}}, "s": "q"}"#, "x.b"),
            (r#"{"x":{"a":1,"b":{}},"s":"q"}"#, "x.b"),
            (r#"{"x": {"a": {"q": [1]}, "b": []}, "s": "q"}"#, "x.a"),
            (r#"{"x": {"a": 1, "b": [[2]]}, "s": "q"}"#, "x.b[0]"),
            (r#"{"x": {"a": 1, "b": [3,[2]]}, "s": "q"}"#, "x.b[1]"),
            (r#"{"x": [1], "s": "q"}"#, "x"),
            (r#"{"x": ["a", []], "s": "q"}"#, "x[0]"),
            (
                "{\"x\": {\"a\": 1,\n \"b\": [1,\n\"two\"]}, \"s\": \"q\"}",
                "x.b[1]",
            ),
            (r#"{"x": {"a": 1, "b": ["é", 2]}, "s": "q"}"#, "x.b[0]"),
            (r#"{"x": {"a": 1, "b": [1, "x"#, "x.b[1]"),
            (
                r#"{"x\u0041": 1, "x": {"a": "s\"", "b": []}, "s": "q"}"#,
                "x.a",
            ),
        ];
        for (body, expected) in cases {
            assert_eq!(path(body), expected, "{body}");
        }
    }

    #[test]
    fn positions_outside_the_body_name_no_field() {
        assert_eq!(path_at(b"{}", 9, 1), ".");
        assert_eq!(path_at(b"{}", 1, 0), ".");
        assert_eq!(path_at(b"", 1, 1), ".");
    }
}
