//! Update Session's body applied to a stored session.
//!
//! The reference does not say whether Update's `queries` replaces or merges with the stored
//! filters, but its own example sends only `years_of_experience_raw`, which would leave a
//! session without the required skills if it replaced them. The sandbox therefore merges, in the
//! manner of JSON Merge Patch (RFC 7396) one level deep: each top-level field sent replaces the
//! stored one, except that `queries` and `jdDetail` are merged key by key; a `null` removes a
//! documented key (so `{"queries": {"region": null}}` drops the region filter), and is reported
//! as unknown under any other key, like any other value there. The merged request is then
//! validated by the crate's own rules, so problems carry the same wire paths as on Create.

use serde_json::{Map, Value};

use fj_sourcing_query::fields::FieldId;
use fj_sourcing_query::{BuildError, Problem, ProblemKind, SessionRequest};

/// Whether `key` is a field the body documents at `level`: only those can be removed with `null`.
/// A `null` under any other key is kept, so that validation reports the key as unknown (as it
/// does for any other value) instead of the null removing nothing and passing unnoticed.
fn known(level: Level, key: &str) -> bool {
    match level {
        Level::Top => matches!(key, "sessionTitle" | "jdDetail" | "queries"),
        Level::JdDetail => matches!(key, "userText" | "sampleProfileURL"),
        Level::Queries => FieldId::from_key(key).is_some(),
    }
}

#[derive(Clone, Copy)]
enum Level {
    Top,
    JdDetail,
    Queries,
}

fn merge_into(level: Level, target: &mut Map<String, Value>, patch: Map<String, Value>) {
    for (key, value) in patch {
        if value.is_null() && known(level, &key) {
            target.remove(&key);
        } else {
            target.insert(key, value);
        }
    }
}

/// `stored` with `body` applied, validated.
pub(crate) fn apply(stored: &SessionRequest, body: &[u8]) -> Result<SessionRequest, BuildError> {
    let patch: Value = serde_json::from_slice(body)
        .map_err(|err| Problem::new("body", ProblemKind::Syntax, format!("invalid JSON: {err}")))?;
    let Value::Object(patch) = patch else {
        return Err(Problem::new(
            "body",
            ProblemKind::WrongShape,
            "expected a JSON object with sessionTitle, jdDetail and/or queries",
        )
        .into());
    };
    let mut merged = match serde_json::to_value(stored) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    for (key, value) in patch {
        match (key.as_str(), value, merged.get_mut(&key)) {
            ("queries", Value::Object(inner), Some(Value::Object(target))) => {
                merge_into(Level::Queries, target, inner);
            }
            ("jdDetail", Value::Object(inner), Some(Value::Object(target))) => {
                merge_into(Level::JdDetail, target, inner);
            }
            ("jdDetail", Value::Object(inner), None) => {
                let mut target = Map::new();
                merge_into(Level::JdDetail, &mut target, inner);
                merged.insert(key, Value::Object(target));
            }
            (_, Value::Null, _) if known(Level::Top, &key) => {
                merged.remove(&key);
            }
            (_, value, _) => {
                merged.insert(key, value);
            }
        }
    }
    SessionRequest::from_value(Value::Object(merged))
}

#[cfg(test)]
mod tests {
    use super::*;
    use fj_sourcing_query::fields::FieldId;
    use fj_sourcing_query::{ProblemKind, Session};

    fn stored() -> SessionRequest {
        Session::builder()
            .title(".NET Developer")
            .jd_text("Pune")
            .region_in(["Pune, Maharashtra, India"])
            .experience(1..=5)
            .mandatory_skills(["C#"])
            .build()
            .unwrap()
    }

    #[test]
    fn documented_example_merges() {
        let body = br#"{"sessionTitle": "Senior .NET Developer",
            "queries": {"years_of_experience_raw": {"type": "RANGE", "value": [4, 8]}}}"#;
        let updated = apply(&stored(), body).unwrap();
        assert_eq!(updated.title(), Some("Senior .NET Developer"));
        assert_eq!(updated.jd_text(), Some("Pune"));
        assert_eq!(
            serde_json::to_value(updated.queries()).unwrap()["years_of_experience_raw"],
            serde_json::json!({"type": "RANGE", "value": [4, 8]})
        );
        assert!(updated.queries().get(FieldId::Region).is_some());
    }

    #[test]
    fn null_removes_a_filter_and_problems_keep_paths() {
        let updated = apply(&stored(), br#"{"queries": {"region": null}}"#).unwrap();
        assert!(updated.queries().get(FieldId::Region).is_none());
        let err = apply(&stored(), br#"{"queries": {"skills": null}}"#).unwrap_err();
        assert_eq!(err.problems()[0].path(), "queries.skills");
        let err = apply(
            &stored(),
            br#"{"queries": {"region": {"type": "IN", "value": []}}}"#,
        )
        .unwrap_err();
        assert_eq!(err.problems()[0].path(), "queries.region.value");
        assert_eq!(err.problems()[0].kind(), ProblemKind::Empty);
        // A null under a key the body does not document removes nothing: it is reported.
        for (body, path) in [
            (&br#"{"": null}"#[..], r#"body[""]"#),
            (br#"{"title": null}"#, "title"),
            (br#"{"queries": {"regions": null}}"#, "queries.regions"),
            (
                br#"{"jdDetail": {"sampleProfileUrl": null}}"#,
                "jdDetail.sampleProfileUrl",
            ),
        ] {
            let err = apply(&stored(), body).unwrap_err();
            assert_eq!(err.problems()[0].path(), path);
            assert_eq!(err.problems()[0].kind(), ProblemKind::UnknownKey);
        }
        let err = apply(&stored(), b"[1]").unwrap_err();
        assert_eq!(err.problems()[0].kind(), ProblemKind::WrongShape);
        let err = apply(&stored(), b"{").unwrap_err();
        assert_eq!(err.problems()[0].kind(), ProblemKind::Syntax);
    }
}
