fn main() {
    // region takes IN, not RANGE: the same check as `SessionRequest::from_json`, at compile time.
    let _request = fj_sourcing::session!(r#"{ "queries": {
        "region": { "type": "RANGE", "value": [1, 5] },
        "skills": { "type": "IN", "value": { "mandatory": ["C#"] } }
    } }"#);
}
