//! The lenient rules every response model follows, as `deserialize_with` helpers.
//!
//! Every model is `#[derive(Deserialize)]` with the same rules: a documented field is an
//! `Option` (or a list) that is `None` (empty) when absent or `null`; a value of the wrong type in
//! a typed field is a decode error naming the field; unknown keys are kept in `extra`
//! (`#[serde(flatten)]`); an unknown status is [`Other`](super::ProfileMatchingStatus::Other).
//! Fields whose type the reference leaves open take any value through the helpers below.

use serde::de::DeserializeOwned;
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

/// A value whose `null` means the same as absent: the type's default (an empty list, say).
pub(crate) fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// Free text of undocumented type: any value, kept as text ([`string_of`]).
pub(crate) fn lenient_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Value::deserialize(d).map(string_of)
}

/// A number the API may send as a string ([`int_of`]); anything else is `None`.
pub(crate) fn lenient_int<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Value::deserialize(d).map(|value| int_of(&value))
}

/// An optional value that does not matter enough to fail the call: one that does not decode as
/// `T` is `None`.
pub(crate) fn or_none<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    Value::deserialize(d).map(|value| serde_json::from_value(value).ok())
}

/// Why a body did not decode, as a decoder reports it.
#[derive(Debug)]
pub(crate) enum DecodeFailure {
    /// serde_json refused it, at the field `path` when it was about one.
    Json {
        /// The wire path of the field (`data.docs[3].profile`).
        path: Option<String>,
        /// serde_json's error.
        error: serde_json::Error,
    },
    /// A rule of the protocol refused it.
    Protocol(String),
}

impl From<serde_json::Error> for DecodeFailure {
    fn from(error: serde_json::Error) -> Self {
        DecodeFailure::Json { path: None, error }
    }
}

impl From<String> for DecodeFailure {
    fn from(reason: String) -> Self {
        DecodeFailure::Protocol(reason)
    }
}

impl From<&str> for DecodeFailure {
    fn from(reason: &str) -> Self {
        DecodeFailure::Protocol(reason.to_owned())
    }
}
