//! The `{ statusCode, data, message, status }` envelope around most response bodies.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeOwned, DeserializeSeed, Error as _, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use super::CreditInfo;
use super::de::{Model, Text, int_of, string_of};
use super::path::path_at;

/// A decoded body: the data plus the envelope fields, when there was an envelope.
///
/// An enveloped body is read straight into this struct (`data` is required, the other envelope
/// fields are not), so that the data is not moved once more on its way to the caller.
#[derive(Debug)]
pub(crate) struct Decoded<T> {
    /// Boxed where it is decoded (see [`Model`]): a Create answer is over 1 KB, and the
    /// decoder's layers then pass a pointer instead of copying it at each return.
    pub(crate) data: Box<T>,
    /// `statusCode`, read leniently ([`int_of`]).
    pub(crate) status_code: Option<i64>,
    /// `status`, read leniently ([`string_of`]).
    pub(crate) status: Option<String>,
    /// `message`, read leniently ([`string_of`]).
    pub(crate) message: Option<String>,
    /// The charge the answer reports, wherever it sits (see [`decode_charged`]). In the envelope
    /// it is a charge beside `data` (the sandbox's place for it where `data` is a list, as in
    /// Reveal Contact), read leniently: an unreadable one counts as not reported, and the client
    /// then counts the call's expected cost.
    pub(crate) credit_info: Option<CreditInfo>,
}

/// The envelope's fields other than `data`, which do not depend on the data's type.
#[derive(Default)]
struct Envelope {
    status_code: Option<i64>,
    status: Option<String>,
    message: Option<String>,
    credit_info: Option<CreditInfo>,
    /// A bit per [`EnvelopeField`] read so far, to refuse a repeated key as serde's derive does.
    seen: u8,
}

/// An envelope field other than `data`.
#[derive(Clone, Copy)]
enum EnvelopeField {
    StatusCode,
    Status,
    Message,
    CreditInfo,
}

impl Envelope {
    /// Reads the value of `key` if it is an envelope field, and skips it otherwise (unknown keys
    /// are ignored). Generic only over the map: every data type shares this copy.
    fn read<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        let (field, wire) = match key {
            "statusCode" => (EnvelopeField::StatusCode, "statusCode"),
            "status" => (EnvelopeField::Status, "status"),
            "message" => (EnvelopeField::Message, "message"),
            "creditInfo" => (EnvelopeField::CreditInfo, "creditInfo"),
            _ => {
                map.next_value::<IgnoredAny>()?;
                return Ok(());
            }
        };
        let bit = 1u8 << field as u8;
        if self.seen & bit != 0 {
            return Err(A::Error::duplicate_field(wire));
        }
        self.seen |= bit;
        let value: Value = map.next_value()?;
        match field {
            EnvelopeField::StatusCode => self.status_code = int_of(&value),
            EnvelopeField::Status => self.status = string_of(value),
            EnvelopeField::Message => self.message = string_of(value),
            EnvelopeField::CreditInfo => self.credit_info = serde_json::from_value(value).ok(),
        }
        Ok(())
    }
}

impl<'de, T: Model> Deserialize<'de> for Decoded<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(EnvelopeVisitor(PhantomData))
    }
}

/// Reads `{ statusCode, data, message, status, creditInfo }` in one pass; only the `data` arm
/// depends on `T`.
struct EnvelopeVisitor<T>(PhantomData<T>);

impl<'de, T: Model> Visitor<'de> for EnvelopeVisitor<T> {
    type Value = Decoded<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("struct Decoded")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Decoded<T>, A::Error> {
        let mut data = None;
        let mut envelope = Envelope::default();
        while let Some(Text(key)) = map.next_key()? {
            if key == "data" {
                if data.is_some() {
                    return Err(A::Error::duplicate_field("data"));
                }
                data = Some(map.next_value_seed(DataSeed(PhantomData))?);
            } else {
                envelope.read(&key, &mut map)?;
            }
        }
        let data = data.ok_or_else(|| A::Error::missing_field("data"))?;
        Ok(Decoded {
            data,
            status_code: envelope.status_code,
            status: envelope.status,
            message: envelope.message,
            credit_info: envelope.credit_info,
        })
    }
}

/// `data`, decoded into its box by [`Model::decode_boxed`].
struct DataSeed<T>(PhantomData<T>);

impl<'de, T: Model> DeserializeSeed<'de> for DataSeed<T> {
    type Value = Box<T>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Box<T>, D::Error> {
        T::decode_boxed(d)
    }
}

impl<T> Decoded<T> {
    /// Data that came without an envelope.
    pub(crate) fn bare(data: T) -> Self {
        Decoded {
            data: Box::new(data),
            status_code: None,
            status: None,
            message: None,
            credit_info: None,
        }
    }

    /// Takes `statusCode`, `status` and `message` from an envelope read by hand, by the same
    /// lenient rules as the derived `Deserialize`.
    pub(crate) fn read_envelope(&mut self, map: &Map<String, Value>) {
        let text = |key: &str| map.get(key).cloned().and_then(string_of);
        self.status_code = map.get("statusCode").and_then(int_of);
        self.status = text("status");
        self.message = text("message");
    }
}

/// Reads an enveloped body; `data` is required, the other envelope fields are not.
///
/// A failure names the field it is about (`data.sourcing.creditInfo.amount: invalid type: ...`),
/// found from where serde_json stopped (see [`path_at`]), so that the success path does no
/// bookkeeping for it.
pub(crate) fn decode_enveloped<T: Model>(body: &[u8]) -> Result<Decoded<T>, String> {
    serde_json::from_slice(body).map_err(|error| explain(&error, body))
}

/// serde_json's message, after the path of the field it is about when it is about one.
#[cold]
fn explain(error: &serde_json::Error, body: &[u8]) -> String {
    if error.is_syntax() || error.is_eof() {
        return error.to_string();
    }
    match path_at(body, error.line(), error.column()) {
        path if path == "." => error.to_string(),
        path => format!("{path}: {error}"),
    }
}

// The other answers are decoded by value and then boxed: they are smaller, or (pages, lists)
// keep their bulk on the heap already.
impl Model for super::SessionDetails {}
impl Model for super::FetchMoreStarted {}
impl Model for super::Contacts {}
impl Model for super::ProfilePage {}
impl Model for super::CandidateDetails {}
impl<T: DeserializeOwned> Model for Vec<T> {}

/// Data that can carry the charge of the call that returned it.
pub(crate) trait ReportsCredit {
    /// The `creditInfo` inside the data, if any.
    fn credit_info(&self) -> Option<&CreditInfo>;
}

impl ReportsCredit for super::CreatedSession {
    fn credit_info(&self) -> Option<&CreditInfo> {
        super::CreatedSession::credit_info(self)
    }
}

impl ReportsCredit for super::FetchMoreStarted {
    fn credit_info(&self) -> Option<&CreditInfo> {
        self.credit_info.as_ref()
    }
}

impl ReportsCredit for super::Contacts {
    fn credit_info(&self) -> Option<&CreditInfo> {
        None
    }
}

/// Reads an enveloped body of a credit-charging call: the charge is the data's own `creditInfo`
/// (Create and Update: `data.sourcing.creditInfo`; Fetch More: `data.creditInfo`), else one
/// beside `data` in the envelope (Reveal Contact, whose `data` is a list).
pub(crate) fn decode_charged<T: Model + ReportsCredit>(body: &[u8]) -> Result<Decoded<T>, String> {
    let mut decoded = decode_enveloped::<T>(body)?;
    if let Some(info) = decoded.data.credit_info() {
        decoded.credit_info = Some(info.clone());
    }
    Ok(decoded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    struct Data {
        #[allow(dead_code)]
        items: Vec<u32>,
    }

    impl Model for Data {}

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

    #[test]
    fn models_decoded_in_place_read_like_serde_would() {
        let created = |data: &str| {
            decode_enveloped::<crate::model::CreatedSession>(
                format!(r#"{{"data": {data}}}"#).as_bytes(),
            )
        };
        // `null` and absent both leave a nested model out; unknown keys are kept.
        let ok = created(r#"{"session": null, "sourcing": {"creditInfo": null, "x": 1}}"#)
            .expect("decodes");
        assert!(ok.data.session.is_none());
        let sourcing = ok.data.sourcing.as_ref().expect("sourcing");
        assert!(sourcing.credit_info.is_none());
        assert_eq!(sourcing.extra["x"], 1);
        let ok = created(r#"{"session": {"_id": "s1", "jdDetail": {"userText": "t"}}}"#)
            .expect("decodes");
        let session = ok.data.session.as_ref().expect("session");
        assert_eq!(session.id.as_deref(), Some("s1"));
        assert_eq!(
            session.jd_detail.as_ref().unwrap().user_text.as_deref(),
            Some("t")
        );
        // Errors name the field and say what was expected, at any depth.
        let err = created(r#"{"session": {"jdDetail": 3}}"#).unwrap_err();
        assert_eq!(
            err,
            "data.session.jdDetail: invalid type: integer `3`, expected struct JdDetail \
             at line 1 column 35"
        );
        let err = created(r#"{"session": {}, "session": {}}"#).unwrap_err();
        assert_eq!(err, "data: duplicate field `session` at line 1 column 34");
    }

    #[test]
    fn the_envelope_is_read_like_the_derive_read_it() {
        // Unknown keys are skipped, whatever their value; lenient fields take any value.
        let ok = decode_enveloped::<Data>(
            br#"{"trace": {"deep": [1, {"x": null}]}, "status": 7, "message": null, "data": {"items": []}}"#,
        )
        .expect("decodes");
        assert_eq!((ok.status.as_deref(), ok.message), (Some("7"), None));
        // A repeated envelope field or `data` is an error, as it was with serde's derive.
        let err = decode_enveloped::<Data>(
            br#"{"statusCode": 200, "statusCode": 201, "data": {"items": []}}"#,
        )
        .unwrap_err();
        assert_eq!(err, "duplicate field `statusCode` at line 1 column 32");
        let err = decode_enveloped::<Data>(br#"{"data": {"items": []}, "data": {"items": []}}"#)
            .unwrap_err();
        assert_eq!(err, "duplicate field `data` at line 1 column 30");
        // Only an object is an envelope.
        let err = decode_enveloped::<Data>(br#"[{"items": []}, 200]"#).unwrap_err();
        assert_eq!(
            err,
            "invalid type: sequence, expected struct Decoded at line 1 column 0"
        );
    }

    #[test]
    fn a_charge_beside_data_is_read_leniently() {
        let decoded = decode_enveloped::<Data>(
            br#"{"data": {"items": []}, "creditInfo": {"charged": true, "amount": 1}}"#,
        )
        .unwrap();
        assert_eq!(decoded.credit_info.unwrap().charged_amount(), Some(1));
        let decoded = decode_enveloped::<Data>(
            br#"{"data": {"items": []}, "creditInfo": {"amount": "lots"}}"#,
        )
        .unwrap();
        assert!(decoded.credit_info.is_none());
    }
}
