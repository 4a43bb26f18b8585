//! JD to Filters: per-field annotations extracted from a job description.

use fj_sourcing_query::Annotations;
use serde_json::Value;

use super::DecodeFailure;
use super::Decoded;

/// Reads a bare annotation map, or an envelope whose `data` is one.
pub(crate) fn decode_annotations(body: &[u8]) -> Result<Decoded<Annotations>, DecodeFailure> {
    let root: Value = serde_json::from_slice(body)?;
    let Value::Object(mut map) = root else {
        return Err("expected an object of annotations keyed by filter key".into());
    };
    // A bare map is keyed by profile fields, none of which is called `data`.
    if let Some(Value::Object(data)) = map.get("data") {
        let annotations = serde_json::from_value(Value::Object(data.clone()))?;
        map.remove("data");
        let mut decoded = Decoded::bare(annotations);
        decoded.read_envelope(&map);
        return Ok(decoded);
    }
    let annotations = serde_json::from_value(Value::Object(map))?;
    Ok(Decoded::bare(annotations))
}
