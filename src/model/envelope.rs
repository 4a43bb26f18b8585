//! The `{ statusCode, data, message, status }` envelope around most response bodies.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::de::{int_of, lenient_int, lenient_string, string_of};

/// A decoded body: the data plus the envelope fields, when there was an envelope.
#[derive(Debug)]
pub(crate) struct Decoded<T> {
    pub(crate) data: T,
    pub(crate) status_code: Option<i64>,
    pub(crate) status: Option<String>,
    pub(crate) message: Option<String>,
}

impl<T> Decoded<T> {
    /// Data that came without an envelope.
    pub(crate) fn bare(data: T) -> Self {
        Decoded {
            data,
            status_code: None,
            status: None,
            message: None,
        }
    }

    /// Takes `statusCode`, `status` and `message` from an envelope read by hand, by the same
    /// lenient rules as the derived [`Envelope`].
    pub(crate) fn read_envelope(&mut self, map: &Map<String, Value>) {
        let text = |key: &str| map.get(key).cloned().and_then(string_of);
        self.status_code = map.get("statusCode").and_then(int_of);
        self.status = text("status");
        self.message = text("message");
    }
}

#[derive(Deserialize)]
struct Envelope<T> {
    #[serde(rename = "statusCode", default, deserialize_with = "lenient_int")]
    status_code: Option<i64>,
    #[serde(default, deserialize_with = "lenient_string")]
    status: Option<String>,
    #[serde(default, deserialize_with = "lenient_string")]
    message: Option<String>,
    data: T,
}

/// Reads an enveloped body; `data` is required, the other envelope fields are not.
///
/// A failure names the field it is about (`data.sourcing.creditInfo.amount: invalid type: ...`),
/// since serde_json alone only gives a line and column. Tracking the path costs on every value,
/// so a body is decoded without it first, and decoded again with it only to explain a failure:
/// the same bytes fail at the same place.
pub(crate) fn decode_enveloped<T: DeserializeOwned>(body: &[u8]) -> Result<Decoded<T>, String> {
    let envelope: Envelope<T> = match serde_json::from_slice(body) {
        Ok(envelope) => envelope,
        Err(_) => return Err(explain::<T>(body)),
    };
    Ok(Decoded {
        data: envelope.data,
        status_code: envelope.status_code,
        status: envelope.status,
        message: envelope.message,
    })
}

/// Why `body` does not decode as an `Envelope<T>`, naming the field.
#[cold]
fn explain<T: DeserializeOwned>(body: &[u8]) -> String {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let result: Result<Envelope<T>, _> = serde_path_to_error::deserialize(&mut deserializer);
    match result {
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            if path == "." || inner.is_syntax() || inner.is_eof() {
                inner.to_string()
            } else {
                format!("{path}: {inner}")
            }
        }
        Ok(_) => match deserializer.end() {
            Err(e) => e.to_string(),
            // Cannot happen for the same bytes; say what is known rather than panic.
            Ok(()) => "the body does not decode".to_owned(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    struct Data {
        #[allow(dead_code)]
        items: Vec<u32>,
    }

    #[test]
    fn decode_errors_name_the_field() {
        let err = decode_enveloped::<Data>(br#"{"data": {"items": [1, "two"]}}"#).unwrap_err();
        assert_eq!(
            err,
            r#"data.items[1]: invalid type: string "two", expected u32 at line 1 column 28"#
        );
        let err = decode_enveloped::<Data>(br#"{"statusCode": 200}"#).unwrap_err();
        assert_eq!(err, "missing field `data` at line 1 column 19");
        let err = decode_enveloped::<Data>(br#"{"data": {"items": []}} x"#).unwrap_err();
        assert_eq!(err, "trailing characters at line 1 column 25");
        let err = decode_enveloped::<Data>(br#"{"data": {"items": [1,"#).unwrap_err();
        assert_eq!(err, "EOF while parsing a value at line 1 column 22");
        let ok = decode_enveloped::<Data>(br#" {"statusCode": "201", "data": {"items": [3]}} "#)
            .expect("decodes");
        assert_eq!((ok.data.items, ok.status_code), (vec![3], Some(201)));
    }
}
