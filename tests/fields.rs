//! The field table: 31 keys, each with one operator, each reachable through its setter and
//! through `filter(..)`, and `docs/filters.md` generated from it.

mod common;

use common::{Value, skills_via_setters, via_filter, via_setter};
use fj_sourcing::fields::FieldId;
use fj_sourcing::fields::ValueShape;
use fj_sourcing::ops::{In, Number, Operator};
use fj_sourcing::{FilterValue, Session, fields};
use pretty_assertions::assert_eq;

fn sample(id: FieldId) -> Value {
    match id.shape() {
        ValueShape::Strings => Value::Strings(vec![format!("value of {}", id.key())]),
        ValueShape::Range => Value::Range(Number::Int(2), Number::Int(7)),
        ValueShape::SkillBuckets => Value::Skills(vec!["C#".into()], vec![], vec![]),
    }
}

#[test]
fn the_table_has_the_31_documented_keys_with_their_operators() {
    let keys: Vec<(&str, &str)> = FieldId::ALL
        .iter()
        .map(|id| (id.key(), id.operator().wire()))
        .collect();
    assert_eq!(
        keys,
        [
            ("country_region", "(.)"),
            ("open_to_cards", "="),
            ("current_employers.title", "IN"),
            ("years_of_experience_raw", "RANGE"),
            ("skills", "IN"),
            ("current_employers.function_category", "IN"),
            ("current_employers.seniority_level", "IN"),
            ("current_employers.name", "IN"),
            ("current_employers.years_at_company", "IN"),
            ("region", "IN"),
            ("all_employers.company_industries", "IN"),
            ("education_background.institute_name", "IN"),
            ("education_background.field_of_study", "IN"),
            ("education_background.degree_name", "IN"),
            ("past_employers.name", "IN"),
            ("past_employers.title", "IN"),
            ("current_employers.company_type", "IN"),
            ("current_employers.company_hq_location", "IN"),
            ("current_employers.description", "IN"),
            ("funding_stage", "IN"),
            ("headcount_growth", "RANGE"),
            ("current_employers.company_headcount_latest", "RANGE"),
            ("annual_revenue", "="),
            ("total_funding", "="),
            ("year_founded", "RANGE"),
            ("recently_funded", "="),
            ("certifications.name", "IN"),
            ("honors.title", "IN"),
            ("geo_distance", "="),
            ("current_employers.employment_type", "IN"),
            ("current_employers.company_headcount_range", "IN"),
        ]
    );
    for id in FieldId::ALL {
        assert_eq!(FieldId::from_key(id.key()), Some(id));
        assert_eq!(
            Operator::from_wire(id.operator().wire()),
            Some(id.operator())
        );
        assert!(!id.doc().trim().is_empty(), "{id:?} has docs");
        let example: serde_json::Value =
            serde_json::from_str(id.example()).unwrap_or_else(|e| panic!("{}: {e}", id.key()));
        assert!(!example.is_null());
    }
    assert_eq!(FieldId::from_key("skill"), None);
}

#[test]
fn every_key_is_reachable_through_its_setter() {
    for id in FieldId::ALL.into_iter().filter(|id| *id != FieldId::Skills) {
        let request = via_setter(Session::builder(), id, &sample(id))
            .mandatory_skills(["C#"])
            .build()
            .unwrap();
        let set: Vec<FieldId> = request.queries().iter().map(|(id, _)| id).collect();
        let mut expected = vec![id, FieldId::Skills];
        expected.sort();
        assert_eq!(set, expected, "{}", id.key());
    }
    for (setter, bucket) in [("mandatory", 0), ("core", 1), ("secondary", 2)] {
        let builder = Session::builder();
        let request = match bucket {
            0 => builder.mandatory_skills(["Rust"]),
            1 => builder.core_skills(["Rust"]),
            _ => builder.secondary_skills(["Rust"]),
        }
        .build()
        .unwrap();
        let buckets = request.skills().buckets();
        assert_eq!(buckets[bucket], (setter, &["Rust".to_owned()][..]));
    }
}

#[test]
fn every_key_is_reachable_through_filter() {
    let mut builder = Session::builder();
    for id in FieldId::ALL.into_iter().filter(|id| *id != FieldId::Skills) {
        builder = via_filter(builder, id, &sample(id));
    }
    let request = builder
        .filter(fields::Skills, In::skills(["C#"], ["SQL"], ["Docker"]))
        .build()
        .unwrap();
    let set: Vec<&str> = request.queries().iter().map(|(id, _)| id.key()).collect();
    let all: Vec<&str> = FieldId::ALL.iter().map(|id| id.key()).collect();
    assert_eq!(set, all);
    for (id, value) in request.queries().iter() {
        let matches_shape = matches!(
            (id.shape(), value),
            (ValueShape::Strings, FilterValue::Values(_))
                | (ValueShape::Range, FilterValue::Range(_))
                | (ValueShape::SkillBuckets, FilterValue::Skills(_))
        );
        assert!(matches_shape, "{}", id.key());
    }
}

#[test]
fn skills_setters_fill_buckets_independently() {
    let request = skills_via_setters(
        Session::builder(),
        &["C#".into()],
        &["SQL Server".into(), "Docker".into()],
        &["Kafka".into()],
    )
    .unwrap()
    .build()
    .unwrap();
    assert_eq!(request.skills().mandatory(), ["C#"]);
    assert_eq!(request.skills().core(), ["SQL Server", "Docker"]);
    assert_eq!(request.skills().secondary(), ["Kafka"]);
}

#[test]
fn the_table_names_the_autocomplete_filter_type_of_each_vocabulary() {
    let types: Vec<(&str, &str, bool)> = FieldId::ALL
        .iter()
        .filter_map(|id| {
            id.autocomplete()
                .map(|a| (id.key(), a.filter_type, a.documented))
        })
        .collect();
    assert_eq!(
        types,
        [
            ("country_region", "country_region", true),
            ("current_employers.title", "title", true),
            ("skills", "skill", true),
            ("current_employers.function_category", "function", false),
            ("current_employers.seniority_level", "seniority", false),
            ("current_employers.name", "company", false),
            (
                "current_employers.years_at_company",
                "years_at_company",
                false
            ),
            ("region", "region", true),
            ("all_employers.company_industries", "industry", false),
            ("education_background.institute_name", "school", false),
            (
                "education_background.field_of_study",
                "field_of_study",
                false
            ),
            ("education_background.degree_name", "degree", false),
            ("past_employers.name", "company", false),
            ("past_employers.title", "title", true),
            ("current_employers.company_hq_location", "region", false),
            (
                "current_employers.employment_type",
                "employment_type",
                false
            ),
        ]
    );
}

/// Renders `docs/filters.md` from the field table.
fn render_filters_md() -> String {
    let mut out = String::from(
        "# Filters\n\n\
         Generated from the field table in `crates/fj-sourcing-query/src/fields/table.rs` by `tests/fields.rs`; do not edit by hand.\n\
         Regenerate with `BLESS=1 cargo test --test fields`.\n\n\
         Each filter key takes exactly one operator; pairing it with another does not compile.\n\
         Example values are the API reference's (section 4.1). The autocomplete column names the Filters\n\
         Autocomplete `filter_type` that suggests a key's values (`fj validate --online` and\n\
         `Client::check_values` ask it); *reading* marks a type the reference does not name for that key.\n\n",
    );
    out.push_str(&format!("{} keys.\n\n", FieldId::ALL.len()));
    out.push_str(
        "| # | wire key | operator | setter | marker (`fields::`) | autocomplete | value example | meaning |\n",
    );
    out.push_str("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (i, id) in FieldId::ALL.iter().enumerate() {
        let setters: Vec<String> = id.setters().iter().map(|s| format!("`{s}`")).collect();
        let op = id.operator();
        let autocomplete = match id.autocomplete() {
            Some(a) if a.documented => format!("`{}`", a.filter_type),
            Some(a) => format!("`{}` (*reading*)", a.filter_type),
            None => "—".to_owned(),
        };
        out.push_str(&format!(
            "| {} | `{}` | `{}` (`{}`) | {} | `{}` | {autocomplete} | `{}` | {} |\n",
            i + 1,
            id.key(),
            op.type_name(),
            op.wire(),
            setters.join(", "),
            id.marker(),
            id.example().replace('|', "\\|"),
            id.doc().trim().replace('\n', " ").replace('|', "\\|"),
        ));
    }
    out
}

#[test]
fn docs_filters_md_is_generated_from_the_table() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/filters.md");
    let rendered = render_filters_md();
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(path, &rendered).unwrap();
    }
    let on_disk = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        on_disk == rendered,
        "docs/filters.md is stale; run `BLESS=1 cargo test --test fields` and commit the result"
    );
    assert_eq!(
        on_disk
            .lines()
            .filter(|l| l.starts_with("| ") && !l.starts_with("| #") && !l.starts_with("| ---"))
            .count(),
        31
    );
}
