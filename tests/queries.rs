//! `Queries` behaviour that does not depend on how it is stored: wire order whatever the call
//! order, one value per key, and equality by content.

use fj_sourcing::fields::FieldId;
use fj_sourcing::ops::{Number, Range};
use fj_sourcing::{FilterValue, Session, SessionRequest};

fn strings(values: &[&str]) -> FilterValue {
    FilterValue::Values(values.iter().map(|s| (*s).to_owned()).collect())
}

#[test]
fn filters_come_out_in_wire_order_whatever_order_they_were_set_in() {
    let request = Session::builder()
        .year_founded(2000..=2010)
        .mandatory_skills(["C#"])
        .region_in(["Pune"])
        .country_region_matches(["India"])
        .build()
        .expect("valid");
    let keys: Vec<_> = request.queries().iter().map(|(id, _)| id.key()).collect();
    assert_eq!(keys, ["country_region", "skills", "region", "year_founded"]);
    assert_eq!(
        String::from_utf8(request.to_json_vec()).expect("UTF-8"),
        r#"{"queries":{"country_region":{"type":"(.)","value":["India"]},"skills":{"type":"IN","value":{"mandatory":["C#"],"core":[],"secondary":[]}},"region":{"type":"IN","value":["Pune"]},"year_founded":{"type":"RANGE","value":[2000,2010]}}}"#
    );
}

#[test]
fn setting_a_filter_again_replaces_it() {
    let request = Session::builder()
        .region_in(["Pune"])
        .experience(1..=5)
        .region_in(["Mumbai", "Delhi"])
        .experience(2..=3)
        .mandatory_skills(["C#"])
        .core_skills(["SQL"])
        .mandatory_skills(["Rust"])
        .build()
        .expect("valid");
    let queries = request.queries();
    assert_eq!(queries.len(), 3);
    assert!(!queries.is_empty());
    assert_eq!(
        queries.get(FieldId::Region),
        Some(&strings(&["Mumbai", "Delhi"]))
    );
    assert_eq!(
        queries.get(FieldId::YearsOfExperience),
        Some(&FilterValue::Range(Range::new(2, 3)))
    );
    assert_eq!(request.skills().mandatory(), ["Rust"]);
    assert_eq!(request.skills().core(), ["SQL"]);
    assert_eq!(queries.get(FieldId::School), None);
    assert_eq!(queries.iter().count(), 3);
}

#[test]
fn requests_are_equal_by_content_not_by_call_order() {
    let one = Session::builder()
        .region_in(["Pune"])
        .experience(1..=5)
        .mandatory_skills(["C#"])
        .build()
        .expect("valid");
    let other = Session::builder()
        .mandatory_skills(["C#"])
        .experience(1..=5)
        .region_in(["Pune"])
        .build()
        .expect("valid");
    assert_eq!(one, other);
    assert_eq!(one.queries(), other.queries());
    assert_eq!(one.clone(), one);

    let replaced = Session::builder()
        .region_in(["Mumbai"])
        .mandatory_skills(["C#"])
        .experience(1..=5)
        .region_in(["Pune"])
        .build()
        .expect("valid");
    assert_eq!(one, replaced);

    let different = Session::builder()
        .region_in(["Pune"])
        .experience(1..=6)
        .mandatory_skills(["C#"])
        .build()
        .expect("valid");
    assert_ne!(one, different);
    let fewer = Session::builder()
        .region_in(["Pune"])
        .mandatory_skills(["C#"])
        .build()
        .expect("valid");
    assert_ne!(one, fewer);
    assert_ne!(fewer, one);
}

#[test]
fn parsed_and_built_requests_compare_equal_whatever_the_key_order() {
    let built = Session::builder()
        .year_founded(2000..=2010)
        .region_in(["Pune"])
        .mandatory_skills(["C#"])
        .build()
        .expect("valid");
    let parsed = SessionRequest::from_json(
        r#"{"queries": {
            "skills": {"type": "IN", "value": {"mandatory": ["C#"]}},
            "year_founded": {"type": "RANGE", "value": [2000, 2010.0]},
            "region": {"type": "IN", "value": ["Pune"]}
        }}"#,
    )
    .expect("valid");
    assert_eq!(parsed, built);
    assert_eq!(
        parsed.queries().get(FieldId::YearFounded),
        Some(&FilterValue::Range(Range::new(
            Number::Int(2000),
            Number::Int(2010)
        )))
    );
    assert_eq!(parsed.to_json_vec(), built.to_json_vec());
}

#[test]
fn debug_shows_every_slot_in_wire_order() {
    let request = Session::builder()
        .region_in(["Pune"])
        .experience(1..=3)
        .mandatory_skills(["C#"])
        .build()
        .expect("valid");
    let debug = format!("{:?}", request.queries());
    let none = |n: usize| vec!["None"; n].join(", ");
    assert_eq!(
        debug,
        format!(
            "Queries {{ values: [{}, Some(Range(Range {{ min: Int(1), max: Int(3) }})), \
             Some(Skills(SkillBuckets {{ mandatory: [\"C#\"], core: [], secondary: [] }})), {}, \
             Some(Values([\"Pune\"])), {}] }}",
            none(3),
            none(4),
            none(21)
        )
    );
}
