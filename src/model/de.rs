//! Lenient field readers for response bodies whose shapes are only partly documented.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// A string, or any other JSON value as its JSON text; `null` is `None`.
pub(crate) fn string_of(value: Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s),
        other => Some(other.to_string()),
    }
}

/// An integer, or a string holding one; anything else is `None`.
pub(crate) fn int_of(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// [`string_of`] as a field deserializer.
pub(crate) fn lenient_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(string_of(Value::deserialize(d)?))
}

/// [`int_of`] as a field deserializer.
pub(crate) fn lenient_int<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(int_of(&Value::deserialize(d)?))
}

/// A value whose `null` means the same as absent: the type's default (an empty list, say).
pub(crate) fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}
