//! [`ObjectId`]: the fixed-size form of the API's ids.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A MongoDB ObjectId, the form of the API's session ids: 12 bytes, written as 24 lowercase
/// hexadecimal digits (`"6a0c77936e7a0151430c91fd"`).
///
/// The reference describes `sessionId` as a "Session ObjectId" and every id it shows has this
/// form, as do the sandbox's. Responses keep ids as `String`s (the model is lenient); this type
/// exists where a fixed size matters, such as the `Copy` cursor of a profile stream
/// ([`ProfileCursor`](crate::ProfileCursor)).
///
/// Only lowercase digits are accepted: an id written back must be the very string the API gave,
/// and the API writes them in lowercase.
///
/// ```
/// use fj_sourcing::model::ObjectId;
///
/// let id: ObjectId = "6a0c77936e7a0151430c91fd".parse()?;
/// assert_eq!(id.to_string(), "6a0c77936e7a0151430c91fd");
/// assert_eq!(serde_json::to_string(&id).unwrap(), r#""6a0c77936e7a0151430c91fd""#);
/// assert!("6A0C77936E7A0151430C91FD".parse::<ObjectId>().is_err());
/// assert!("s1".parse::<ObjectId>().is_err());
/// # Ok::<(), fj_sourcing::model::InvalidObjectId>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectId([u8; 12]);

impl ObjectId {
    /// The id with these 12 bytes.
    pub const fn from_bytes(bytes: [u8; 12]) -> Self {
        ObjectId(bytes)
    }

    /// The 12 bytes.
    pub const fn bytes(&self) -> [u8; 12] {
        self.0
    }

    fn write_hex(&self, out: &mut [u8; 24]) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        for (i, byte) in self.0.iter().enumerate() {
            out[2 * i] = HEX[usize::from(byte >> 4)];
            out[2 * i + 1] = HEX[usize::from(byte & 0xF)];
        }
    }
}

/// A string that is not 24 lowercase hexadecimal digits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidObjectId {
    length: usize,
}

impl fmt::Display for InvalidObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The input itself is left out: it may be anything a user pasted.
        write!(
            f,
            "invalid ObjectId: expected 24 lowercase hexadecimal digits, got a {}-byte string",
            self.length
        )
    }
}

impl std::error::Error for InvalidObjectId {}

impl FromStr for ObjectId {
    type Err = InvalidObjectId;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let invalid = InvalidObjectId { length: s.len() };
        let digits = s.as_bytes();
        if digits.len() != 24 {
            return Err(invalid);
        }
        let nibble = |b: u8| match b {
            b'0'..=b'9' => Some(b - b'0'),
            b'a'..=b'f' => Some(b - b'a' + 10),
            _ => None,
        };
        let mut bytes = [0u8; 12];
        for (i, pair) in digits.chunks_exact(2).enumerate() {
            let (Some(high), Some(low)) = (nibble(pair[0]), nibble(pair[1])) else {
                return Err(invalid);
            };
            bytes[i] = (high << 4) | low;
        }
        Ok(ObjectId(bytes))
    }
}

impl fmt::Display for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut hex = [0u8; 24];
        self.write_hex(&mut hex);
        // Only ASCII hex digits were written.
        f.write_str(std::str::from_utf8(&hex).map_err(|_| fmt::Error)?)
    }
}

impl fmt::Debug for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ObjectId({self})")
    }
}

impl Serialize for ObjectId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ObjectId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_byte_value() {
        let mut bytes = [0u8; 12];
        for value in 0..=255u8 {
            bytes[usize::from(value) % 12] = value;
            let id = ObjectId::from_bytes(bytes);
            assert_eq!(id.to_string().parse::<ObjectId>(), Ok(id));
        }
    }

    #[test]
    fn refuses_anything_else_without_echoing_it() {
        for bad in [
            "",
            "6a0c77936e7a0151430c91f",
            "6a0c77936e7a0151430c91fdd",
            "6a0c77936e7a0151430c91fg",
            "6a0c77936e7a0151430c91F0",
            "6a0c77936e7a0151430c91é",
        ] {
            let error = bad.parse::<ObjectId>().unwrap_err();
            assert_eq!(
                error.to_string(),
                format!(
                    "invalid ObjectId: expected 24 lowercase hexadecimal digits, got a {}-byte \
                     string",
                    bad.len()
                )
            );
        }
        let from_json = serde_json::from_str::<ObjectId>(r#""nope""#).unwrap_err();
        assert!(from_json.to_string().starts_with("invalid ObjectId"));
    }

    #[test]
    fn debug_shows_the_hex_form() {
        let id: ObjectId = "69f3af1695f333e46da12376".parse().unwrap();
        assert_eq!(format!("{id:?}"), "ObjectId(69f3af1695f333e46da12376)");
    }
}
