//! JD to Filters: per-field annotations extracted from a job description.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use super::Decoded;

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

/// Reads a bare annotation map, or an envelope whose `data` is one.
pub(crate) fn decode_annotations(body: &[u8]) -> Result<Decoded<Annotations>, String> {
    let root: Value = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let Value::Object(mut map) = root else {
        return Err("expected an object of annotations keyed by filter key".into());
    };
    // A bare map is keyed by profile fields, none of which is called `data`.
    if let Some(Value::Object(data)) = map.get("data") {
        let annotations =
            serde_json::from_value(Value::Object(data.clone())).map_err(|e| e.to_string())?;
        map.remove("data");
        let mut decoded = Decoded::bare(annotations);
        decoded.read_envelope(&map);
        return Ok(decoded);
    }
    let annotations = serde_json::from_value(Value::Object(map)).map_err(|e| e.to_string())?;
    Ok(Decoded::bare(annotations))
}
