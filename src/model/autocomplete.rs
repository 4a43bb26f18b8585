//! Filters Autocomplete: suggestions, bare or enveloped, as strings or `{label, value}` objects.

use std::ops::Deref;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use super::DecodeFailure;
use super::Decoded;

/// The suggestions of Filters Autocomplete.
///
/// The page's example is a bare JSON array of strings, its schema declares the usual envelope,
/// and integrators read `data.list` of `{label, value}` objects (reference, inconsistency 5 and
/// section 7). All of these decode to the same list.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Suggestions {
    items: Vec<Suggestion>,
}

impl Suggestions {
    /// The suggested values, in order.
    pub fn values(&self) -> impl Iterator<Item = &str> {
        self.items.iter().map(|s| s.value.as_str())
    }

    /// All suggestions, by value.
    pub fn into_vec(self) -> Vec<Suggestion> {
        self.items
    }
}

impl Deref for Suggestions {
    type Target = [Suggestion];

    fn deref(&self) -> &[Suggestion] {
        &self.items
    }
}

/// One suggestion: what to show (`label`) and what to put in a filter (`value`).
///
/// A plain string item has the string as both. An object item missing one of the two uses the
/// other for it; numbers are kept as their text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Suggestion {
    /// Text to display.
    pub label: String,
    /// Value to use in a filter.
    pub value: String,
    /// Other fields of an object item.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl<'de> Deserialize<'de> for Suggestion {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        suggestion(Value::deserialize(deserializer)?).map_err(D::Error::custom)
    }
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn suggestion(item: Value) -> Result<Suggestion, String> {
    match item {
        Value::Object(mut map) => {
            let label = map.remove("label");
            let value = map.remove("value");
            let label = label.as_ref().and_then(scalar_text);
            let value = value.as_ref().and_then(scalar_text);
            match (label, value) {
                (Some(label), Some(value)) => Ok(Suggestion {
                    label,
                    value,
                    extra: map,
                }),
                (Some(text), None) | (None, Some(text)) => Ok(Suggestion {
                    label: text.clone(),
                    value: text,
                    extra: map,
                }),
                (None, None) => {
                    Err("a suggestion object has neither a `label` nor a `value`".into())
                }
            }
        }
        other => match scalar_text(&other) {
            Some(text) => Ok(Suggestion {
                label: text.clone(),
                value: text,
                extra: Map::new(),
            }),
            None => Err(format!(
                "a suggestion must be a string or an object, found {other}"
            )),
        },
    }
}

/// Reads a bare array, an envelope whose `data` is the array, or one whose `data.list` is.
pub(crate) fn decode_suggestions(body: &[u8]) -> Result<Decoded<Suggestions>, DecodeFailure> {
    let root: Value = serde_json::from_slice(body)?;
    let (list, envelope) = match root {
        Value::Array(list) => (list, None),
        Value::Object(mut map) => {
            let list = match map.remove("data") {
                Some(Value::Array(list)) => list,
                Some(Value::Object(mut data)) => match data.remove("list") {
                    Some(Value::Array(list)) => list,
                    _ => return Err(
                        "expected `data` to be a list of suggestions or an object with a `list`"
                            .into(),
                    ),
                },
                _ => return Err("expected a list of suggestions, or an envelope whose `data` (or `data.list`) is one".into()),
            };
            (list, Some(map))
        }
        _ => return Err(
            "expected a list of suggestions, or an envelope whose `data` (or `data.list`) is one"
                .into(),
        ),
    };
    let items = list
        .into_iter()
        .enumerate()
        .map(|(i, item)| suggestion(item).map_err(|e| format!("suggestion {i}: {e}")))
        .collect::<Result<Vec<_>, _>>()?;
    let mut decoded = Decoded::bare(Suggestions { items });
    if let Some(map) = envelope {
        decoded.read_envelope(&map);
    }
    Ok(decoded)
}
