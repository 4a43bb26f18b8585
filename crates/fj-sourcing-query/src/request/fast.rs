//! Valid request bodies, read straight into a request.
//!
//! The raw view of `parse.rs` keeps every key, duplicate and wrong type so that it can report
//! every problem with its path. For a valid body that is wasted work: building the view took
//! most of the sandbox's Create. This reader accepts only bodies in which the raw view would
//! find no structural problem, building the request as it reads, and gives up at the first
//! surprise; the raw view then reads the body again and explains it. The value rules run on the
//! result as on any request. A test checks both readers agree on thousands of bodies.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::parse::Key;
use super::{Details, Queries, SessionRequest, rules};
use crate::fields::{FieldId, ValueShape};
use crate::value::{FilterValue, Number, Range, SkillBuckets};

/// The request, when `json` is a clean and valid body; `None` sends it to the raw view.
pub(crate) fn parse(json: &[u8]) -> Option<SessionRequest> {
    // Checked once here, the text's strings need no check each (serde_json's `from_slice`
    // validates every string it reads on its own).
    let text = std::str::from_utf8(json).ok()?;
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let request = deserializer.deserialize_map(RequestVisitor).ok()?;
    deserializer.end().ok()?;
    rules::check(&request).ok()?;
    Some(request)
}

/// Any surprise: the message is never shown, the raw view explains instead.
fn give_up<E: de::Error>() -> E {
    E::custom("not a clean request body")
}

/// Reads a map whose keys `read` handles one by one; `read` returns false for a key it refuses.
macro_rules! map_visitor {
    ($name:ident, $value:ty, $expecting:literal) => {
        impl<'de> Visitor<'de> for $name {
            type Value = $value;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str($expecting)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<$value, A::Error> {
                self.read(map)
            }
        }
    };
}

struct RequestVisitor;
map_visitor!(RequestVisitor, SessionRequest, "a request object");

impl RequestVisitor {
    fn read<'de, A: MapAccess<'de>>(self, mut map: A) -> Result<SessionRequest, A::Error> {
        let mut details = Details::default();
        let mut queries = None;
        let mut jd_seen = false;
        while let Some(Key(key)) = map.next_key()? {
            match &*key {
                "sessionTitle" if details.title.is_none() => {
                    details.title = Some(map.next_value()?);
                }
                "jdDetail" if !jd_seen => {
                    jd_seen = true;
                    map.next_value_seed(JdSeed(&mut details))?;
                }
                "queries" if queries.is_none() => queries = Some(map.next_value_seed(QueriesSeed)?),
                _ => return Err(give_up()),
            }
        }
        let queries = queries.ok_or_else(give_up)?;
        Ok(SessionRequest { details, queries })
    }
}

struct JdSeed<'a>(&'a mut Details);

impl<'de> DeserializeSeed<'de> for JdSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for JdSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a jdDetail object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        // Seen flags rather than `is_some()`: an empty URL is read as none, and a second
        // `sampleProfileURL` after it is still a duplicate for the raw view to report.
        let (mut text_seen, mut url_seen) = (false, false);
        while let Some(Key(key)) = map.next_key()? {
            match &*key {
                "userText" if !text_seen => {
                    text_seen = true;
                    self.0.user_text = Some(map.next_value()?);
                }
                "sampleProfileURL" if !url_seen => {
                    url_seen = true;
                    self.0.sample_profile_url = rules::sample_profile_url(map.next_value()?);
                }
                _ => return Err(give_up()),
            }
        }
        Ok(())
    }
}

struct QueriesSeed;

impl<'de> DeserializeSeed<'de> for QueriesSeed {
    type Value = Queries;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Queries, D::Error> {
        deserializer.deserialize_map(self)
    }
}

map_visitor!(QueriesSeed, Queries, "a queries object");

impl QueriesSeed {
    fn read<'de, A: MapAccess<'de>>(self, mut map: A) -> Result<Queries, A::Error> {
        let mut queries = Queries::default();
        while let Some(Key(key)) = map.next_key()? {
            let field = FieldId::from_key(&key).ok_or_else(give_up)?;
            if queries.get(field).is_some() {
                return Err(give_up());
            }
            let value = map.next_value_seed(FilterSeed(field))?;
            queries.set(field, value);
        }
        Ok(queries)
    }
}

/// `{"type": <the field's operator>, "value": <its shape>}`, in either order.
struct FilterSeed(FieldId);

impl<'de> DeserializeSeed<'de> for FilterSeed {
    type Value = FilterValue;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<FilterValue, D::Error> {
        deserializer.deserialize_map(self)
    }
}

map_visitor!(FilterSeed, FilterValue, "a filter object");

impl FilterSeed {
    fn read<'de, A: MapAccess<'de>>(self, mut map: A) -> Result<FilterValue, A::Error> {
        let mut operator_seen = false;
        let mut value = None;
        while let Some(Key(key)) = map.next_key()? {
            match &*key {
                "type" if !operator_seen => {
                    operator_seen = true;
                    let Key(operator) = map.next_value()?;
                    if operator != self.0.operator().wire() {
                        return Err(give_up());
                    }
                }
                "value" if value.is_none() => {
                    value = Some(match self.0.shape() {
                        ValueShape::Strings => FilterValue::Values(map.next_value()?),
                        ValueShape::Range => FilterValue::Range(map.next_value_seed(RangeSeed)?),
                        ValueShape::SkillBuckets => {
                            FilterValue::Skills(map.next_value_seed(SkillsSeed)?)
                        }
                    });
                }
                _ => return Err(give_up()),
            }
        }
        match value {
            Some(value) if operator_seen => Ok(value),
            _ => Err(give_up()),
        }
    }
}

/// `[min, max]`, each bound read as the raw view's `read_number` reads a JSON number.
struct RangeSeed;

impl<'de> DeserializeSeed<'de> for RangeSeed {
    type Value = Range;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Range, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for RangeSeed {
    type Value = Range;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a [min, max] array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Range, A::Error> {
        let min = seq.next_element::<Bound>()?.ok_or_else(give_up)?;
        let max = seq.next_element::<Bound>()?.ok_or_else(give_up)?;
        if seq.next_element::<IgnoredAny>()?.is_some() {
            return Err(give_up());
        }
        Ok(Range::new(min.0, max.0))
    }
}

struct Bound(Number);

impl<'de> de::Deserialize<'de> for Bound {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Bound, D::Error> {
        deserializer.deserialize_any(BoundVisitor)
    }
}

struct BoundVisitor;

impl Visitor<'_> for BoundVisitor {
    type Value = Bound;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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

/// `{"mandatory": [..], "core": [..], "secondary": [..]}`; a bucket left out is empty.
struct SkillsSeed;

impl<'de> DeserializeSeed<'de> for SkillsSeed {
    type Value = SkillBuckets;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<SkillBuckets, D::Error> {
        deserializer.deserialize_map(self)
    }
}

map_visitor!(SkillsSeed, SkillBuckets, "a skills object");

impl SkillsSeed {
    fn read<'de, A: MapAccess<'de>>(self, mut map: A) -> Result<SkillBuckets, A::Error> {
        let mut buckets: [Option<Vec<String>>; 3] = [None, None, None];
        while let Some(Key(key)) = map.next_key()? {
            let index = match &*key {
                "mandatory" => 0,
                "core" => 1,
                "secondary" => 2,
                _ => return Err(give_up()),
            };
            if buckets[index].is_some() {
                return Err(give_up());
            }
            buckets[index] = Some(map.next_value()?);
        }
        let [mandatory, core, secondary] = buckets.map(Option::unwrap_or_default);
        Ok(SkillBuckets::new(mandatory, core, secondary))
    }
}

#[cfg(test)]
mod tests {
    use super::parse;
    use crate::SessionRequest;
    use crate::fields::FieldId;
    use crate::request::parse::{Mode, parse_json_raw};
    use crate::request::test_rng::Rng;

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

    fn agree(json: &[u8]) -> bool {
        let raw = parse_json_raw(json, Mode::Create)
            .map(|(details, queries)| SessionRequest { details, queries });
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
        assert_eq!(valid, 10, "the valid bases");
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
