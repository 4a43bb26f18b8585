//! Property tests: accepted builder input round-trips through JSON, arbitrary JSON never panics
//! the parser, and every rejection names at least one path.
//!
//! CI fixes the seed (`PROPTEST_RNG_SEED` in `.ci/run`); a run without it draws a new one. A
//! failing case's seed is saved to `tests/proptest_request.proptest-regressions` and run first by
//! every later run: commit that line to keep the case.

mod common;

use common::{Value, skills_via_setters, via_setter};
use fj_sourcing::fields::FieldId;
use fj_sourcing::fields::ValueShape;
use fj_sourcing::ops::{In, Number};
use fj_sourcing::{Session, SessionRequest, fields};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[A-Za-z0-9 .#+,'-]{1,24}",
        1 => Just(String::new()),
        1 => "[ \t\n]{1,3}",
        1 => "\\PC{0,12}",
    ]
}

fn number() -> impl Strategy<Value = Number> {
    prop_oneof![
        4 => (-1_000i64..100_000).prop_map(Number::Int),
        1 => (-1e6f64..1e6).prop_map(Number::from),
        1 => prop::sample::select(vec![f64::NAN, f64::INFINITY, f64::NEG_INFINITY]).prop_map(Number::Float),
        1 => any::<i64>().prop_map(Number::Int),
    ]
}

fn value_for(id: FieldId) -> BoxedStrategy<Value> {
    match id.shape() {
        ValueShape::Strings => prop::collection::vec(text(), 0..4)
            .prop_map(Value::Strings)
            .boxed(),
        ValueShape::Range => (number(), number())
            .prop_map(|(a, b)| Value::Range(a, b))
            .boxed(),
        ValueShape::SkillBuckets => unreachable!("skills are generated separately"),
    }
}

/// Filters, title, JD text, sample URL, skills buckets, and whether skills go through `filter`.
type BuilderInput = (
    Vec<(FieldId, Value)>,
    Option<String>,
    Option<String>,
    Option<String>,
    (Vec<String>, Vec<String>, Vec<String>),
    bool,
);

prop_compose! {
    fn builder_input()(
        filters in prop::collection::vec(
            prop::sample::select(FieldId::ALL.iter().copied().filter(|id| *id != FieldId::Skills).collect::<Vec<_>>())
                .prop_flat_map(|id| value_for(id).prop_map(move |v| (id, v))),
            0..12,
        ),
        title in prop::option::of(text()),
        jd in prop::option::of(text()),
        url in prop::option::of(prop_oneof![
            Just("https://www.linkedin.com/in/someone".to_owned()),
            "https?://[a-z.]{1,20}/in/[a-z]{1,8}",
            text(),
        ]),
        buckets in (
            prop::collection::vec(text(), 0..3),
            prop::collection::vec(text(), 0..3),
            prop::collection::vec(text(), 0..3),
        ),
        through_filter in any::<bool>(),
    ) -> BuilderInput {
        (filters, title, jd, url, buckets, through_filter)
    }
}

fn build(input: &BuilderInput) -> Result<SessionRequest, fj_sourcing::BuildError> {
    let (filters, title, jd, url, (m, c, s), through_filter) = input;
    let mut b = Session::builder();
    for (id, value) in filters {
        b = via_setter(b, *id, value);
    }
    if let Some(t) = title {
        b = b.title(t.clone());
    }
    if let Some(t) = jd {
        b = b.jd_text(t.clone());
    }
    if let Some(u) = url {
        b = b.sample_profile_url(u.clone());
    }
    let b = if *through_filter {
        b.filter(fields::Skills, In::skills(m.clone(), c.clone(), s.clone()))
    } else {
        match skills_via_setters(b.clone(), m, c, s) {
            Some(b) => b,
            None => b.filter(fields::Skills, In::skills(m.clone(), c.clone(), s.clone())),
        }
    };
    b.build()
}

fn valid_value_for(id: FieldId) -> BoxedStrategy<Value> {
    match id.shape() {
        ValueShape::Strings => {
            prop::collection::vec("[A-Za-z0-9.#+,'-][A-Za-z0-9 .#+,'-]{0,20}", 1..4)
                .prop_map(Value::Strings)
                .boxed()
        }
        ValueShape::Range => (number(), number())
            .prop_filter("finite", |(a, b)| a.is_finite() && b.is_finite())
            .prop_map(|(a, b)| {
                if a.as_f64() <= b.as_f64() {
                    Value::Range(a, b)
                } else {
                    Value::Range(b, a)
                }
            })
            .boxed(),
        ValueShape::SkillBuckets => unreachable!("skills are generated separately"),
    }
}

prop_compose! {
    fn valid_filters()(
        filters in prop::collection::vec(
            prop::sample::select(FieldId::ALL.iter().copied().filter(|id| *id != FieldId::Skills).collect::<Vec<_>>())
                .prop_flat_map(|id| valid_value_for(id).prop_map(move |v| (id, v))),
            0..31,
        ),
        mandatory in prop::collection::vec("[A-Za-z#+.]{1,10}", 1..4),
        core in prop::collection::vec("[A-Za-z#+.]{1,10}", 0..4),
    ) -> (Vec<(FieldId, Value)>, Vec<String>, Vec<String>) {
        (filters, mandatory, core)
    }
}

fn arbitrary_json() -> impl Strategy<Value = serde_json::Value> {
    let key = prop_oneof![
        3 => prop::sample::select(FieldId::ALL.iter().map(|id| id.key().to_owned()).collect::<Vec<_>>()),
        1 => prop::sample::select(vec!["type".to_owned(), "value".to_owned(), "mandatory".to_owned(), "core".to_owned(), "secondary".to_owned(), "queries".to_owned(), "sessionTitle".to_owned(), "jdDetail".to_owned(), "userText".to_owned(), "sampleProfileURL".to_owned()]),
        1 => "\\PC{0,8}",
    ];
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(serde_json::Value::from),
        prop::sample::select(vec!["IN", "=", "(.)", "RANGE", "in", "LIKE", ""])
            .prop_map(serde_json::Value::from),
        text().prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(5, 64, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            prop::collection::vec((key.clone(), inner), 0..6)
                .prop_map(|entries| serde_json::Value::Object(entries.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 512,
        // Named, as proptest's default finds no `lib.rs` beside `tests/` and falls back to this
        // after a warning.
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("proptest-regressions"))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn accepted_builder_input_round_trips_through_json(input in builder_input()) {
        match build(&input) {
            Ok(request) => {
                let json = serde_json::to_string(&request).unwrap();
                let parsed = SessionRequest::from_json(&json);
                prop_assert_eq!(parsed.as_ref(), Ok(&request), "{}", json);
                let via_serde: SessionRequest = serde_json::from_str(&json).unwrap();
                prop_assert_eq!(via_serde, request);
            }
            Err(err) => {
                prop_assert!(!err.problems().is_empty());
                for problem in err.problems() {
                    prop_assert!(!problem.path().is_empty(), "{}", err);
                    prop_assert!(!problem.message().is_empty(), "{}", err);
                }
            }
        }
    }

    #[test]
    fn valid_builder_input_is_accepted_and_round_trips((filters, mandatory, core) in valid_filters()) {
        let mut b = Session::builder();
        for (id, value) in &filters {
            b = via_setter(b, *id, value);
        }
        let request = skills_via_setters(b, &mandatory, &core, &[]).unwrap().build();
        prop_assert!(request.is_ok(), "{:?}", request);
        let request = request.unwrap();
        let distinct: std::collections::BTreeSet<FieldId> = filters.iter().map(|(id, _)| *id).collect();
        prop_assert_eq!(request.queries().len(), distinct.len() + 1);
        let parsed = SessionRequest::from_slice(&request.to_json_vec()).unwrap();
        prop_assert_eq!(parsed, request);
    }

    #[test]
    fn arbitrary_json_never_panics_and_rejections_name_paths(
        value in arbitrary_json(),
        wrap in any::<bool>(),
    ) {
        let doc = if wrap { serde_json::json!({ "queries": value }) } else { value };
        let json = serde_json::to_string(&doc).unwrap();
        match SessionRequest::from_json(&json) {
            Ok(request) => {
                // Whatever was accepted serializes back to an equal request.
                let again = SessionRequest::from_json(&serde_json::to_string(&request).unwrap()).unwrap();
                prop_assert_eq!(again, request);
            }
            Err(err) => {
                prop_assert!(!err.problems().is_empty());
                for problem in err.problems() {
                    prop_assert!(!problem.path().is_empty(), "{}", err);
                }
            }
        }
        prop_assert_eq!(
            SessionRequest::from_value(doc.clone()).is_ok(),
            SessionRequest::from_json(&json).is_ok()
        );
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        if let Err(err) = SessionRequest::from_slice(&bytes) {
            prop_assert!(err.problems().iter().all(|p| !p.path().is_empty()));
        }
    }
}
