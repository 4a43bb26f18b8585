//! Valid request bodies, read straight into a (borrowed) request.
//!
//! The raw view of `parse.rs` keeps every key, duplicate and wrong type so that it can report
//! every problem with its path. For a valid body that is wasted work: building the view took
//! most of the sandbox's Create. This reader accepts only bodies in which the raw view would
//! find no structural problem, building a [`BorrowedRequest`] as it reads (`borrowed.rs`; a
//! `SessionRequest` is made from it), and gives up at the first surprise; the raw view then
//! reads the body again and explains it. The value rules run on the result, in the same code as
//! for any request. A test checks both readers agree on thousands of bodies.
//!
//! It walks the bytes itself rather than driving serde_json's deserializer: the request has a
//! fixed shape, and serde's visitor machinery (a `next_key`/`next_value` call per member, a
//! `Vec` visitor per list) cost about twice the work of the walk. What it cannot settle in a
//! few lines it hands to serde_json, so that both readers decode alike: a string with an
//! escape, and a number that is not a plain integer of at most 18 digits.

use std::borrow::Cow;

use serde::de::{self, Deserializer, Visitor};

use super::SessionRequest;
use super::borrowed::{BorrowedRequest, Slot};
use crate::fields::{FieldId, ValueShape};
use crate::value::{Number, Range};

/// The request, when `json` is a clean and valid body; `None` sends it to the raw view.
pub(crate) fn parse(json: &[u8]) -> Option<SessionRequest> {
    let mut request = BorrowedRequest::new();
    read_into(json, &mut request)?;
    Some(request.into_request())
}

/// [`parse`] without copying the body's strings (see `borrowed.rs`), into `out` (a new
/// request): the caller's, so that the request is not moved on its way out.
pub(crate) fn read_into<'a>(json: &'a [u8], out: &mut BorrowedRequest<'a>) -> Option<()> {
    // Checked once here, so that any run of bytes between two ASCII delimiters is a `str`.
    let text = std::str::from_utf8(json).ok()?;
    let mut reader = Reader { text, at: 0 };
    reader.request(out)?;
    reader.whitespace();
    (reader.at == text.len() && out.is_valid()).then_some(())
}

/// A position in the body. Every method returns `None` at the first surprise.
struct Reader<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Reader<'a> {
    /// Skips JSON whitespace (exactly the four characters JSON allows).
    ///
    /// Inlined, as are the small readers built on it: `known_string`'s comparisons with
    /// constant keys only fold into a few integer tests when inlined (out of line, each became a
    /// `memcmp` call). Skipping runs of spaces a word at a time cost more than it saved: most
    /// runs are one or two bytes.
    #[inline(always)]
    fn whitespace(&mut self) {
        let bytes = self.text.as_bytes();
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = bytes.get(self.at) {
            self.at += 1;
        }
    }

    /// The next byte after whitespace, consumed.
    #[inline(always)]
    fn next(&mut self) -> Option<u8> {
        self.whitespace();
        let byte = *self.text.as_bytes().get(self.at)?;
        self.at += 1;
        Some(byte)
    }

    /// Consumes `byte` after whitespace.
    #[inline(always)]
    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.next()? == byte).then_some(())
    }

    /// A JSON string, after whitespace: borrowed when it has no escape.
    fn string(&mut self) -> Option<Cow<'a, str>> {
        self.expect(b'"')?;
        let start = self.at;
        let rest = self.text.as_bytes().get(start..)?;
        let len = string_end(rest)?;
        if rest[len] == b'"' {
            self.at = start + len + 1;
            return Some(Cow::Borrowed(&self.text[start..start + len]));
        }
        self.escaped_string(start + len).map(Cow::Owned)
    }

    /// The rest of a string that stopped at `at` on a backslash or a control character (which
    /// JSON forbids in strings). Out of line: most strings have no escape, and the loop made
    /// every string pay for a larger stack frame.
    #[cold]
    #[inline(never)]
    fn escaped_string(&mut self, mut at: usize) -> Option<String> {
        let bytes = self.text.as_bytes();
        let start = self.at;
        loop {
            match bytes[at] {
                b'"' => break,
                b'\\' => {
                    // Skipping the escaped byte keeps an escaped quote inside; what the escape
                    // means is serde_json's to say, below.
                    at += 2;
                }
                _ => return None,
            }
            at += string_end(bytes.get(at..)?)?;
        }
        self.at = at + 1;
        // The whole literal, quotes included (both are ASCII, so these are char boundaries).
        serde_json::from_str(&self.text[start - 1..=at]).ok()
    }

    /// An object whose members `member` reads, given each key (the reader then stands on the
    /// member's value). `keys` are the keys the caller knows: one spelled plainly is recognized
    /// without scanning it as a string; any other key, an escaped spelling of a known one
    /// included, is read as a string.
    fn object(
        &mut self,
        keys: &[&'static str],
        mut member: impl FnMut(&mut Self, Cow<'a, str>) -> Option<()>,
    ) -> Option<()> {
        self.expect(b'{')?;
        self.whitespace();
        if self.text.as_bytes().get(self.at) == Some(&b'}') {
            self.at += 1;
            return Some(());
        }
        loop {
            let key = match self.known_string(keys) {
                Some(key) => Cow::Borrowed(key),
                None => self.string()?,
            };
            self.expect(b':')?;
            member(self, key)?;
            match self.next()? {
                b',' => {}
                b'}' => return Some(()),
                _ => return None,
            }
        }
    }

    /// The string at this point (after whitespace) when it is one of `known` spelled as it is
    /// (no escapes): its quotes and text, consumed. `None` consumes nothing.
    #[inline(always)]
    fn known_string(&mut self, known: &[&'static str]) -> Option<&'static str> {
        self.whitespace();
        let rest = self.text.as_bytes().get(self.at..)?;
        let key = known.iter().find(|key| {
            let key = key.as_bytes();
            rest.len() > key.len() + 1
                && rest[0] == b'"'
                && rest[key.len() + 1] == b'"'
                && rest[1..=key.len()] == *key
        })?;
        self.at += key.len() + 2;
        Some(key)
    }

    /// An array of strings, appended to `strings`: where the array ends there.
    fn strings(&mut self, strings: &mut Vec<Cow<'a, str>>) -> Option<u32> {
        self.expect(b'[')?;
        self.whitespace();
        if self.text.as_bytes().get(self.at) != Some(&b']') {
            loop {
                strings.push(self.string()?);
                match self.next()? {
                    b',' => {}
                    b']' => break,
                    _ => return None,
                }
            }
        } else {
            self.at += 1;
        }
        u32::try_from(strings.len()).ok()
    }

    /// A number, read as the raw view's `read_number` reads one.
    fn number(&mut self) -> Option<Number> {
        self.whitespace();
        let bytes = self.text.as_bytes();
        let start = self.at;
        while let Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') = bytes.get(self.at) {
            self.at += 1;
        }
        // Anything else that JSON allows after a number ends it; a run of these characters that
        // is not one number is invalid JSON, which serde_json refuses below.
        let literal = &self.text[start..self.at];
        let (negative, digits) = match literal.strip_prefix('-') {
            Some(digits) => (true, digits),
            None => (false, literal),
        };
        let plain = (1..=18).contains(&digits.len())
            && digits.bytes().all(|b| b.is_ascii_digit())
            && (digits.len() == 1 || !digits.starts_with('0'));
        if plain {
            let value: i64 = digits.parse().ok()?;
            // `-0` is 0 either way (serde_json reads it as the float -0.0, which is integral).
            return Some(Number::Int(if negative { -value } else { value }));
        }
        serde_json::from_str::<Bound>(literal)
            .ok()
            .map(|bound| bound.0)
    }

    /// The body: `sessionTitle`, `jdDetail` and `queries`, each at most once.
    fn request(&mut self, out: &mut BorrowedRequest<'a>) -> Option<()> {
        let (mut title_seen, mut jd_seen, mut queries_seen) = (false, false, false);
        self.object(&["sessionTitle", "jdDetail", "queries"], |reader, key| {
            match &*key {
                "sessionTitle" if !title_seen => {
                    title_seen = true;
                    out.title = Some(reader.string()?);
                }
                "jdDetail" if !jd_seen => {
                    jd_seen = true;
                    reader.jd_detail(out)?;
                }
                "queries" if !queries_seen => {
                    queries_seen = true;
                    reader.queries(out)?;
                }
                _ => return None,
            }
            Some(())
        })?;
        queries_seen.then_some(())
    }

    fn jd_detail(&mut self, out: &mut BorrowedRequest<'a>) -> Option<()> {
        // Seen flags rather than `is_some()`: an empty URL is read as none, and a second
        // `sampleProfileURL` after it is still a duplicate for the raw view to report.
        let (mut text_seen, mut url_seen) = (false, false);
        self.object(&["userText", "sampleProfileURL"], |reader, key| {
            match &*key {
                "userText" if !text_seen => {
                    text_seen = true;
                    out.user_text = Some(reader.string()?);
                }
                "sampleProfileURL" if !url_seen => {
                    url_seen = true;
                    // As `rules::sample_profile_url`: an empty URL means none.
                    out.sample_profile_url = Some(reader.string()?).filter(|url| !url.is_empty());
                }
                _ => return None,
            }
            Some(())
        })
    }

    fn queries(&mut self, out: &mut BorrowedRequest<'a>) -> Option<()> {
        self.object(&[], |reader, key| {
            let field = FieldId::from_key(&key)?;
            if out.is_set(field) {
                return None;
            }
            let slot = reader.filter(field, out)?;
            out.set(field, slot);
            Some(())
        })
    }

    /// `{"type": <the field's operator>, "value": <its shape>}`, in either order.
    fn filter(&mut self, field: FieldId, out: &mut BorrowedRequest<'a>) -> Option<Slot> {
        let mut operator_seen = false;
        let mut value = None;
        self.object(&["type", "value"], |reader, key| {
            match &*key {
                "type" if !operator_seen => {
                    operator_seen = true;
                    let wire = field.operator().wire();
                    if reader.known_string(&[wire]).is_none() && reader.string()? != wire {
                        return None;
                    }
                }
                "value" if value.is_none() => {
                    let strings = &mut out.strings;
                    let start = u32::try_from(strings.len()).ok()?;
                    value = Some(match field.shape() {
                        ValueShape::Strings => Slot::Values(start, reader.strings(strings)?),
                        // A second `value` key is refused above, so this field has no range yet.
                        ValueShape::Range => out.push_range(reader.range()?)?,
                        ValueShape::SkillBuckets => reader.skills(strings)?,
                    });
                }
                _ => return None,
            }
            Some(())
        })?;
        value.filter(|_| operator_seen)
    }

    /// `[min, max]`.
    fn range(&mut self) -> Option<Range> {
        self.expect(b'[')?;
        let min = self.number()?;
        self.expect(b',')?;
        let max = self.number()?;
        self.expect(b']')?;
        Some(Range::new(min, max))
    }

    /// `{"mandatory": [..], "core": [..], "secondary": [..]}`; a bucket left out is empty.
    ///
    /// The buckets may come in any order, but a [`Slot::Skills`] lists them in wire order, one
    /// after another: a bucket that comes out of order is moved into place.
    fn skills(&mut self, strings: &mut Vec<Cow<'a, str>>) -> Option<Slot> {
        let start = strings.len();
        // Each bucket's span in `strings`, as read.
        let mut buckets: [Option<(usize, usize)>; 3] = [None, None, None];
        self.object(&["mandatory", "core", "secondary"], |reader, key| {
            let index = match &*key {
                "mandatory" => 0,
                "core" => 1,
                "secondary" => 2,
                _ => return None,
            };
            if buckets[index].is_some() {
                return None;
            }
            let from = strings.len();
            let end = reader.strings(strings)? as usize;
            buckets[index] = Some((from, end));
            Some(())
        })?;
        // The buckets read lie one after another from `start`, in the order read; they are in
        // place when, taken in wire order, each starts where the one before ended (an empty
        // bucket read last is out of place too).
        let mut end = start;
        let in_place = buckets.iter().flatten().all(|&(from, to)| {
            let next = from == end;
            end = to;
            next
        });
        if !in_place {
            let mut read: Vec<Cow<'a, str>> = strings.drain(start..).collect();
            for (from, end) in buckets.iter_mut().flatten() {
                let at = strings.len();
                strings.extend(
                    read[*from - start..*end - start]
                        .iter_mut()
                        .map(std::mem::take),
                );
                (*from, *end) = (at, strings.len());
            }
        }
        let mut bounds = [0u32; 4];
        let mut at = start;
        for (i, bucket) in buckets.iter().enumerate() {
            bounds[i] = u32::try_from(at).ok()?;
            if let Some((_, end)) = bucket {
                at = *end;
            }
        }
        bounds[3] = u32::try_from(at).ok()?;
        Some(Slot::Skills(bounds))
    }
}

/// Where the first `"`, `\\` or control character of `bytes` is: the end of a run that a JSON
/// string holds as it is. Eight bytes at a time (bit tricks on a `u64`): strings are most of a
/// body, and a byte-at-a-time loop was the reader's largest cost.
pub(crate) fn string_end(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // `(x - n * ONES) & !x & HIGH` is non-zero exactly when some byte of `x` is below `n`.
    let below = |x: u64, n: u8| x.wrapping_sub(ONES * u64::from(n)) & !x & HIGH;
    let mut at = 0;
    for chunk in bytes.chunks_exact(8) {
        let word = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
        let special = below(word ^ (ONES * u64::from(b'"')), 1)
            | below(word ^ (ONES * u64::from(b'\\')), 1)
            | below(word, 0x20);
        if special != 0 {
            // The lowest flagged byte is the first special one: the tricks' false positives (a
            // borrow carried upwards) only come above a true one.
            return Some(at + (special.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    bytes[at..]
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
        .map(|i| at + i)
}

/// A range bound as serde_json reads a number that is not a plain integer.
struct Bound(Number);

impl<'de> de::Deserialize<'de> for Bound {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Bound, D::Error> {
        deserializer.deserialize_any(BoundVisitor)
    }
}

struct BoundVisitor;

impl Visitor<'_> for BoundVisitor {
    type Value = Bound;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a number")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Bound, E> {
        Ok(Bound(Number::Int(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Bound, E> {
        Ok(Bound(
            i64::try_from(v).map_or_else(|_| Number::from_f64(v as f64), Number::Int),
        ))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Bound, E> {
        Ok(Bound(Number::from_f64(v)))
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::parse;
    use crate::fields::FieldId;
    use crate::request::borrowed::{BorrowedRequest, BorrowedValue, read};
    use crate::request::parse::{Mode, parse_json_raw};
    use crate::request::test_rng::Rng;
    use crate::{FilterValue, SessionRequest};

    /// Every documented filter with the reference's example value, as the API documents it.
    fn full_request(pretty: bool, value_first: bool) -> String {
        let filters: Vec<String> = FieldId::ALL
            .iter()
            .map(|id| {
                let (op, value) = (id.operator().wire(), id.example());
                let filter = if value_first {
                    format!(r#"{{"value": {value}, "type": "{op}"}}"#)
                } else {
                    format!(r#"{{"type": "{op}", "value": {value}}}"#)
                };
                format!(r#""{}": {filter}"#, id.key())
            })
            .collect();
        let json = format!(
            r#"{{"sessionTitle": "Tab\there \"q\" \\ \u00e9", "jdDetail": {{"userText": "Job",
               "sampleProfileURL": "https://www.linkedin.com/in/x"}}, "queries": {{{}}}}}"#,
            filters.join(",\n")
        );
        if pretty {
            json
        } else {
            let value: serde_json::Value = serde_json::from_str(&json).expect("JSON");
            value.to_string()
        }
    }

    const SMALL: &[&str] = &[
        r#"{"queries": {"skills": {"type": "IN", "value": {"mandatory": ["C#"]}}}}"#,
        r#"{"queries": {"skills": {"type": "IN", "value": {"core": ["C#"], "secondary": []}}},
            "sessionTitle": "x", "jdDetail": {}}"#,
        r#"{"queries": {"skills": {"type": "IN", "value": {"mandatory": [" "]}}}}"#,
        r#"{"queries": {"skills": {"type": "IN", "value": {"mandatory": []}}}}"#,
        r#"{"queries": {"region": {"type": "IN", "value": ["Pune"]}}}"#,
        r#"{"queries": {"year_founded": {"type": "RANGE", "value": [2010, 2000]},
            "skills": {"type": "IN", "value": {"mandatory": ["C#"]}}}}"#,
        r#"{"queries": {"year_founded": {"type": "RANGE", "value": [1.5, 9223372036854775808]},
            "skills": {"type": "IN", "value": {"mandatory": ["C#"]}}}}"#,
        r#"{"queries": {"year_founded": {"type": "RANGE", "value": [-0, 5.0]},
            "skills": {"type": "IN", "value": {"mandatory": ["C#"]}}}}"#,
        r#"{"queries": {"skills": {"type": "IN", "value": {"mandatory": ["C#"]}}}} x"#,
        r#"{"sessio\u006eTitle": "t", "queries": {"re\u0067ion": {"type": "I\u004e",
            "value": ["P\u00fcne"]}, "skills": {"type": "IN", "value": {"mandatory": ["C#"]}}}}"#,
        r#"{"queries": {"skills": {"type": "IN", "value": {"mandatory": ["C#"]}}},
            "jdDetail": {"sampleProfileURL": ""}}"#,
        r#"{"queries": {"skills": {"type": "IN", "value": {"mandatory": ["C#"]}}},
            "jdDetail": {"sampleProfileURL": "", "sampleProfileURL": ""}}"#,
        r#"{"queries": {"year_founded": {"type": "RANGE", "value": [01, 2000]},
            "skills": {"type": "IN", "value": {"mandatory": ["C#"]}}}}"#,
        r#"{"queries": {"year_founded": {"type": "RANGE", "value": [-2.5e3, 1e2]},
            "skills": {"type": "IN", "value": {"mandatory": ["C#"]}}}}"#,
        r#"{"queries": {"year_founded": {"type": "RANGE", "value": [1--2, 3]},
            "skills": {"type": "IN", "value": {"mandatory": ["C#"]}}}}"#,
        r#"{"sessionTitle": "\q", "queries": {"skills": {"type": "IN",
            "value": {"mandatory": ["C#"]}}}}"#,
        "{\"sessionTitle\": \"a\u{1}b\", \"queries\": {\"skills\": {\"type\": \"IN\",
            \"value\": {\"mandatory\": [\"C#\"]}}}}",
        // A known key's text followed by more than its closing quote.
        r#"{"queries": {"skills": {"typeX:"IN", "value": {"mandatory": ["C#"]}}}}"#,
        r#"{"queries": {"skills": {"types": "IN", "value": {"mandatory": ["C#"]}}}}"#,
        // Buckets out of wire order, which the borrowed request keeps in wire order.
        r#"{"queries": {"skills": {"type": "IN", "value": {"secondary": ["s"],
            "mandatory": ["m1", "m\"2"], "core": ["c"]}}, "region": {"type": "IN",
            "value": ["r"]}}}"#,
        r#"{"queries": {"skills": {"value": {"secondary": ["s1", "s2"], "core": ["c\u0041"]},
            "type": "IN"}, "region": {"type": "IN", "value": ["r"]}}}"#,
        // As a `BTreeMap` orders them: an empty bucket before a full one in wire order.
        r#"{"queries":{"skills":{"type":"IN","value":{"core":[],"mandatory":["m"],
            "secondary":[]}}}}"#,
        r#"{"queries":{"skills":{"type":"IN","value":{"secondary":[],"core":["c"],
            "mandatory":[]}}}}"#,
        r#"[]"#,
        r#"null"#,
        r#"{}"#,
    ];

    const TOKENS: &[&str] = &[
        "\"",
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        " ",
        "0",
        "-1",
        "2.5",
        "1e400",
        "null",
        "true",
        "\"x\"",
        "\" \"",
        "\\",
        "\"type\"",
        "\"value\"",
        "\"IN\"",
        "\"RANGE\"",
        "\"skills\"",
        "\"region\"",
        "\"mandatory\"",
        "\"core\"",
        "\"queries\"",
        "\"sessionTitle\"",
        "[]",
        "{}",
        // Numbers and escapes the reader hands to serde_json, or must refuse as serde_json does.
        "-0",
        "01",
        "1.0",
        "1e2",
        "-",
        "123456789012345678901",
        "\\u0041",
        "\\n",
        "\\q",
        "\t",
        "\u{1}",
    ];

    fn mutate(base: &str, rng: &mut Rng) -> Vec<u8> {
        let mut bytes = base.as_bytes().to_vec();
        for _ in 0..=rng.below(2) {
            let at = rng.below(bytes.len() + 1);
            match rng.below(3) {
                0 => {
                    let end = (at + 1 + rng.below(3)).min(bytes.len());
                    bytes.drain(at.min(end)..end);
                }
                1 => {
                    let token = TOKENS[rng.below(TOKENS.len())].as_bytes();
                    bytes.splice(at..at, token.iter().copied());
                }
                _ if bytes.is_empty() => {}
                _ => {
                    let from = rng.below(bytes.len());
                    let end = (from + 1 + rng.below(40)).min(bytes.len());
                    let span: Vec<u8> = bytes[from..end].to_vec();
                    bytes.splice(at..at, span);
                }
            }
        }
        bytes
    }

    /// A string as the borrowed reader gives it: a slice of the body only when it needs no
    /// escaping in JSON.
    #[expect(
        clippy::ptr_arg,
        reason = "which variant the `Cow` is, is what is checked"
    )]
    fn text<'r>(s: &'r Cow<'_, str>) -> &'r str {
        if let Cow::Borrowed(s) = s {
            assert_eq!(super::string_end(s.as_bytes()), None, "{s:?} is borrowed");
        }
        s
    }

    fn texts<'r>(list: &'r [Cow<'_, str>]) -> Vec<&'r str> {
        list.iter().map(text).collect()
    }

    /// Whether the borrowed request's accessors give what the owned request's give.
    fn assert_reads_alike(borrowed: &BorrowedRequest<'_>, request: &SessionRequest, json: &[u8]) {
        let json = String::from_utf8_lossy(json);
        assert_eq!(borrowed.title().map(text), request.title(), "{json}");
        assert_eq!(borrowed.jd_text().map(text), request.jd_text(), "{json}");
        let url = borrowed.sample_profile_url().map(text);
        assert_eq!(url, request.sample_profile_url(), "{json}");
        let fields: Vec<FieldId> = borrowed.filters().map(|(field, _)| field).collect();
        let expected: Vec<FieldId> = request.queries().iter().map(|(field, _)| field).collect();
        assert_eq!(fields, expected, "{json}");
        for (field, value) in request.queries().iter() {
            match (borrowed.get(field).expect("set"), value) {
                (BorrowedValue::Values(list), FilterValue::Values(values)) => {
                    assert_eq!(texts(list), *values, "{json}");
                }
                (BorrowedValue::Range(range), FilterValue::Range(expected)) => {
                    assert_eq!(range, *expected, "{json}");
                }
                (BorrowedValue::Skills(buckets), FilterValue::Skills(skills)) => {
                    for (list, (_, expected)) in buckets.iter().zip(skills.buckets()) {
                        assert_eq!(texts(list), expected, "{json}");
                    }
                }
                other => panic!("{field:?} read as {other:?}: {json}"),
            }
        }
    }

    /// Both readers, and the borrowed one's entry point for the sandbox (`borrowed::read`):
    /// the same acceptance, the same values, the same problems.
    fn verdict(accepts: bool) -> &'static str {
        if accepts { "accepts" } else { "refuses" }
    }

    fn agree(json: &[u8]) -> bool {
        let raw = parse_json_raw(json, Mode::Create)
            .map(|(details, queries)| SessionRequest { details, queries });
        let mut borrowed = BorrowedRequest::new();
        let borrowed = super::read_into(json, &mut borrowed).map(|()| borrowed);
        match (borrowed, &raw) {
            (Some(borrowed), Ok(raw)) => assert_reads_alike(&borrowed, raw, json),
            (None, Err(_)) => {}
            (borrowed, _) => panic!(
                "borrowed {} but raw {}: {}",
                verdict(borrowed.is_some()),
                verdict(raw.is_ok()),
                String::from_utf8_lossy(json)
            ),
        }
        match (read(json), &raw) {
            (Ok(borrowed), Ok(raw)) => assert_eq!(borrowed.into_request(), *raw),
            (Err(problems), Err(expected)) => assert_eq!(problems, *expected),
            (borrowed, _) => panic!(
                "read {} but raw {}: {}",
                verdict(borrowed.is_ok()),
                verdict(raw.is_ok()),
                String::from_utf8_lossy(json)
            ),
        }
        let fast = parse(json);
        match (&fast, &raw) {
            (Some(fast), Ok(raw)) => assert_eq!(fast, raw, "{}", String::from_utf8_lossy(json)),
            (None, Err(_)) => {}
            _ => panic!(
                "fast {} but raw {}: {}",
                if fast.is_some() { "accepts" } else { "refuses" },
                if raw.is_ok() { "accepts" } else { "refuses" },
                String::from_utf8_lossy(json)
            ),
        }
        raw.is_ok()
    }

    #[test]
    fn string_end_finds_the_first_special_byte() {
        let mut rng = Rng(0x2545_F491_4F6C_DD1D);
        for _ in 0..20_000 {
            let len = rng.below(40);
            let bytes: Vec<u8> = (0..len)
                .map(|_| match rng.below(40) {
                    0 => b'"',
                    1 => b'\\',
                    2 => rng.below(0x20) as u8,
                    3 => 0x80 + rng.below(0x80) as u8,
                    _ => 0x20 + rng.below(0x60) as u8,
                })
                .collect();
            let expected = bytes
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || b < 0x20);
            assert_eq!(super::string_end(&bytes), expected, "{bytes:?}");
        }
    }

    #[test]
    fn the_fast_reader_accepts_exactly_what_the_raw_view_accepts_and_reads_it_alike() {
        let mut bases: Vec<String> = SMALL.iter().map(|s| (*s).to_owned()).collect();
        for pretty in [false, true] {
            for value_first in [false, true] {
                bases.push(full_request(pretty, value_first));
            }
        }
        let mut valid = 0;
        for base in &bases {
            valid += usize::from(agree(base.as_bytes()));
        }
        assert_eq!(valid, 15, "the valid bases");
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let mut valid_mutants = 0;
        for i in 0..6000 {
            let base = &bases[i % bases.len()];
            valid_mutants += usize::from(agree(&mutate(base, &mut rng)));
        }
        // Mutations that keep the body valid (a space, a reordered span) exercise acceptance too.
        assert!(valid_mutants > 100, "{valid_mutants} valid mutants");
    }
}
