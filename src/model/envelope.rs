//! The `{ statusCode, data, message, status }` envelope around most response bodies.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::CreditInfo;
use super::DecodeFailure;
use super::de::{int_of, lenient_int, lenient_string, or_none, string_of};

/// A decoded body: the data plus the envelope fields, when there was an envelope.
///
/// `data` is required; the other envelope fields are read leniently, and unknown keys are
/// skipped. Like any derived struct, it also reads a JSON array positionally.
#[derive(Debug, Deserialize)]
pub(crate) struct Decoded<T> {
    pub(crate) data: T,
    /// `statusCode`, read leniently ([`int_of`]).
    #[serde(rename = "statusCode", default, deserialize_with = "lenient_int")]
    pub(crate) status_code: Option<i64>,
    /// `status`, read leniently ([`string_of`]).
    #[serde(default, deserialize_with = "lenient_string")]
    pub(crate) status: Option<String>,
    /// `message`, read leniently ([`string_of`]).
    #[serde(default, deserialize_with = "lenient_string")]
    pub(crate) message: Option<String>,
    /// The charge the answer reports, wherever it sits (see [`decode_charged`]). In the envelope
    /// it is a charge beside `data` (the sandbox's place for it where `data` is a list, as in
    /// Reveal Contact), read leniently: an unreadable one counts as not reported, and the client
    /// then counts the call's expected cost.
    #[serde(rename = "creditInfo", default, deserialize_with = "or_none")]
    pub(crate) credit_info: Option<CreditInfo>,
}

impl<T> Decoded<T> {
    /// Data that came without an envelope.
    pub(crate) fn bare(data: T) -> Self {
        Decoded {
            data,
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
/// as `serde_path_to_error` tracked it. It sees every documented field: the models' `extra` is
/// flattened, but serde's derive reads the listed fields straight from the input and only
/// buffers the unknown keys, which are kept as JSON values and cannot fail.
pub(crate) fn decode_enveloped<T: DeserializeOwned>(
    body: &[u8],
) -> Result<Decoded<T>, DecodeFailure> {
    // Paths are tracked only once a body has failed: the tracking copies every key it passes.
    if let Ok(decoded) = serde_json::from_slice(body) {
        return Ok(decoded);
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    match serde_path_to_error::deserialize(&mut de) {
        Ok(decoded) => Ok(de.end().map(|()| decoded)?),
        Err(error) => {
            let path = error.path().to_string();
            let error = error.into_inner();
            let about_a_field = !(error.is_syntax() || error.is_eof() || path == ".");
            Err(DecodeFailure::Json {
                path: about_a_field.then_some(path),
                error,
            })
        }
    }
}

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
pub(crate) fn decode_charged<T: DeserializeOwned + ReportsCredit>(
    body: &[u8],
) -> Result<Decoded<T>, DecodeFailure> {
    let mut decoded = decode_enveloped::<T>(body)?;
    if let Some(info) = decoded.data.credit_info() {
        decoded.credit_info = Some(info.clone());
    }
    Ok(decoded)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reason a decode error gives for `body`.
    fn decode_enveloped<T: DeserializeOwned>(body: &[u8]) -> Result<Decoded<T>, String> {
        super::decode_enveloped(body).map_err(|failure| match failure {
            DecodeFailure::Json {
                path: Some(path),
                error,
            } => format!("{path}: {error}"),
            DecodeFailure::Json { path: None, error } => error.to_string(),
            DecodeFailure::Protocol(reason) => reason,
        })
    }

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

    #[test]
    fn nested_models_keep_unknown_keys_and_errors_name_the_field() {
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
    fn the_envelope_skips_unknown_keys_and_refuses_repeated_fields() {
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
