//! `docs/openapi.yaml` is written by hand except its filter schemas, which are rendered here from
//! the field table (the same table the builder and the validator are made from) and compared
//! with the file: a stale file fails, and `BLESS=1 cargo test --test openapi` rewrites the block.

use fj_sourcing::ProblemKind;
use fj_sourcing::fields::{FieldId, ValueShape};
use serde_json::Value;

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/openapi.yaml");

const BEGIN: &str = "    # BEGIN GENERATED: the filter schemas, rendered by tests/openapi.rs from the field table\n    # (src/fields.rs). Do not edit by hand: run `BLESS=1 cargo test --test openapi`.\n";
const END: &str = "    # END GENERATED\n";

/// A string as a YAML double-quoted scalar (a JSON string is one).
fn quoted(text: &str) -> String {
    Value::from(text).to_string()
}

/// The characters `char::is_whitespace` accepts, as a regex character class body of `\uXXXX`
/// escapes and ranges: the validator's notion of "blank" is "only these characters".
fn whitespace_class() -> String {
    let mut ranges: Vec<(u32, u32)> = Vec::new();
    for c in (0..=0x10FFFF).filter_map(char::from_u32) {
        if !c.is_whitespace() {
            continue;
        }
        let c = u32::from(c);
        match ranges.last_mut() {
            Some((_, end)) if *end + 1 == c => *end = c,
            _ => ranges.push((c, c)),
        }
    }
    let mut class = String::new();
    for (start, end) in ranges {
        assert!(end <= 0xFFFF, "a \\uXXXX escape covers the BMP only");
        class.push_str(&format!("\\u{start:04x}"));
        if end > start {
            class.push_str(&format!("-\\u{end:04x}"));
        }
    }
    class
}

/// Schema name of a filter's `{type, value}` object.
fn filter_schema(id: FieldId) -> String {
    format!("{}Filter", id.marker())
}

fn value_schema(shape: ValueShape) -> &'static str {
    match shape {
        ValueShape::Strings => "FilterStrings",
        ValueShape::Range => "FilterRange",
        ValueShape::SkillBuckets => "SkillBuckets",
    }
}

/// Renders the generated block, markers included.
fn render_block() -> String {
    let mut out = String::from(BEGIN);
    let mut line = |indent: usize, text: &str| {
        out.push_str(&" ".repeat(indent));
        out.push_str(text);
        out.push('\n');
    };
    line(4, "NonBlankString:");
    line(6, "type: string");
    line(
        6,
        "description: Text with at least one character that is not whitespace.",
    );
    line(
        6,
        "x-fj-sandbox: The documentation gives no rule; the crate and the sandbox refuse blank text (400, `blank`).",
    );
    line(6, &format!("pattern: '[^{}]'", whitespace_class()));
    line(4, "FilterStrings:");
    line(6, "type: array");
    line(
        6,
        "description: The value of an `IN`, `=` or `(.)` filter, a list of strings (\"value accepts array of strings\").",
    );
    line(
        6,
        "x-fj-sandbox: An empty list (`empty`) or a blank item (`blank`) is a 400.",
    );
    line(6, "minItems: 1");
    line(6, "items: {$ref: '#/components/schemas/NonBlankString'}");
    line(4, "FilterRange:");
    line(6, "type: array");
    line(
        6,
        "description: The value of a `RANGE` filter, `[min, max]`, two numbers (inclusivity is not documented).",
    );
    line(
        6,
        "x-fj-sandbox: Both bounds are included; `min` above `max` is a 400 (`inverted_range`), a rule JSON Schema cannot state.",
    );
    line(6, "minItems: 2");
    line(6, "maxItems: 2");
    line(6, "items: {type: number}");
    line(4, "SkillBuckets:");
    line(6, "type: object");
    line(
        6,
        "description: The value of the `skills` filter, three lists in decreasing weight; at least one skill in total.",
    );
    line(
        6,
        "x-fj-sandbox: A bucket may be left out (it counts as `[]`); the crate always sends all three.",
    );
    line(6, "additionalProperties: false");
    line(6, "properties:");
    for bucket in ["mandatory", "core", "secondary"] {
        line(
            8,
            &format!(
                "{bucket}: {{type: array, items: {{$ref: '#/components/schemas/NonBlankString'}}}}"
            ),
        );
    }
    line(6, "anyOf:");
    for bucket in ["mandatory", "core", "secondary"] {
        line(
            8,
            &format!("- {{required: [{bucket}], properties: {{{bucket}: {{minItems: 1}}}}}}"),
        );
    }

    let count = FieldId::ALL.len();
    line(4, "Queries:");
    line(6, "type: object");
    line(
        6,
        &format!(
            "description: The filters of Create Sourcing Session, {count} documented keys, each with its one operator; `skills` is required."
        ),
    );
    line(
        6,
        "x-fj-sandbox: An unknown key, a wrong operator or a wrong value shape is a 400 naming the wire path.",
    );
    line(6, "additionalProperties: false");
    line(6, &format!("required: [{}]", quoted(FieldId::Skills.key())));
    line(6, "properties:");
    for id in FieldId::ALL {
        line(
            8,
            &format!(
                "{}: {{$ref: '#/components/schemas/{}'}}",
                quoted(id.key()),
                filter_schema(id)
            ),
        );
    }
    line(4, "QueriesPatch:");
    line(6, "type: object");
    line(
        6,
        "description: The filters of Update Session, the same keys and operators; none is required.",
    );
    line(
        6,
        "x-fj-sandbox: Merged key by key into the stored filters; `null` removes a filter, except `skills`, which a session always has.",
    );
    line(6, "additionalProperties: false");
    line(6, "properties:");
    for id in FieldId::ALL {
        let schema = format!("{{$ref: '#/components/schemas/{}'}}", filter_schema(id));
        if id == FieldId::Skills {
            line(8, &format!("{}: {schema}", quoted(id.key())));
        } else {
            line(
                8,
                &format!(
                    "{}: {{anyOf: [{schema}, {{type: 'null'}}]}}",
                    quoted(id.key())
                ),
            );
        }
    }
    for id in FieldId::ALL {
        let operator = id.operator().wire();
        // Verbatim, to keep the reference's key order: the table's examples are JSON written
        // with a space after each `:`, which makes them YAML flow nodes as well.
        let example = id.example();
        assert!(
            serde_json::from_str::<Value>(example).is_ok() && !example.contains("\":\""),
            "the example of {} must be JSON with a space after each colon",
            id.key()
        );
        line(4, &format!("{}:", filter_schema(id)));
        line(6, "type: object");
        line(
            6,
            &format!(
                "description: {}",
                quoted(&id.doc().trim().replace('\n', " "))
            ),
        );
        line(6, "additionalProperties: false");
        line(6, "required: [type, value]");
        line(6, "properties:");
        line(8, &format!("type: {{const: {}}}", quoted(operator)));
        line(
            8,
            &format!(
                "value: {{$ref: '#/components/schemas/{}'}}",
                value_schema(id.shape())
            ),
        );
        line(6, "examples:");
        line(
            8,
            &format!("- {{\"type\": {}, \"value\": {example}}}", quoted(operator)),
        );
    }
    out.push_str(END);
    out
}

/// The file with its generated block replaced by a fresh rendering.
fn refreshed(file: &str) -> String {
    let start = file
        .find(BEGIN)
        .expect("docs/openapi.yaml has the BEGIN GENERATED marker");
    let end = file[start..]
        .find(END)
        .map(|i| start + i + END.len())
        .expect("docs/openapi.yaml has the END GENERATED marker after BEGIN");
    format!("{}{}{}", &file[..start], render_block(), &file[end..])
}

#[test]
fn docs_openapi_yaml_filter_schemas_are_generated_from_the_table() {
    let on_disk = std::fs::read_to_string(PATH).expect("docs/openapi.yaml exists");
    let fresh = refreshed(&on_disk);
    if std::env::var_os("BLESS").is_some() && fresh != on_disk {
        std::fs::write(PATH, &fresh).expect("docs/openapi.yaml is writable");
        return;
    }
    assert!(
        fresh == on_disk,
        "docs/openapi.yaml is stale; run `BLESS=1 cargo test --test openapi` and commit the result"
    );
}

#[test]
fn the_block_has_one_filter_schema_per_key_with_its_operator() {
    let block = render_block();
    assert_eq!(block.matches("Filter:\n      type: object").count(), 31);
    for id in FieldId::ALL {
        // The schema's lines: from its name to the next line indented by only four spaces.
        let name = format!("    {}:", filter_schema(id));
        let lines: Vec<&str> = block
            .lines()
            .skip_while(|l| *l != name)
            .enumerate()
            .take_while(|(i, l)| *i == 0 || l.starts_with("      "))
            .map(|(_, l)| l)
            .collect();
        assert!(!lines.is_empty(), "a schema for {}", id.key());
        let schema = lines.join("\n");
        assert!(
            schema.contains(&format!(
                "type: {{const: {}}}",
                quoted(id.operator().wire())
            )),
            "{schema}"
        );
        assert!(schema.contains(value_schema(id.shape())), "{schema}");
        // Exactly `type` and `value`.
        assert!(schema.contains("additionalProperties: false"), "{schema}");
        assert!(schema.contains("required: [type, value]"), "{schema}");
    }
    // The operators appear as the reference spells them.
    assert!(block.contains(r#"type: {const: "(.)"}"#));
    assert!(block.contains(r#"type: {const: "RANGE"}"#));
    assert!(block.contains(r#"type: {const: "="}"#));
    // `country_region`'s example, from the reference.
    assert!(block.contains(r#"- {"type": "(.)", "value": ["India"]}"#));
}

#[test]
fn the_blank_class_is_exactly_rusts_whitespace() {
    let class = whitespace_class();
    assert_eq!(
        class,
        r"\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028-\u2029\u202f\u205f\u3000"
    );
}

/// The rules the description names as beyond JSON Schema (`x-fj-rules`: the schemathesis hooks
/// leave exactly these out of the positive-data check) carry the validator's own problem kinds
/// where it has one, so a renamed kind cannot leave the description behind.
#[test]
fn the_rules_json_schema_cannot_state_are_named_by_the_validators_kinds() {
    let file = std::fs::read_to_string(PATH).expect("docs/openapi.yaml exists");
    let rules: Vec<&str> = file
        .lines()
        .skip_while(|l| *l != "x-fj-rules:")
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.strip_prefix("  ")?.strip_suffix(": |"))
        .filter(|name| !name.starts_with(' '))
        .collect();
    assert_eq!(
        rules,
        ["inverted_range", "no_skills", "unknown_filter_type"]
    );
    for kind in [ProblemKind::InvertedRange, ProblemKind::NoSkills] {
        let name = serde_json::to_value(kind).unwrap();
        assert!(rules.contains(&name.as_str().unwrap()), "{name}");
    }
}
