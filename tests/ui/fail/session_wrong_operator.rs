fn main() {
    // region takes IN, not RANGE: the same check as `SessionRequest::from_json`, at compile time.
    let _request = fj_sourcing::session!(r#"{ "queries": {
        "region": { "type": "RANGE", "value": ["Pune, Maharashtra, India"] },
        "skills": { "type": "IN", "value": { "mandatory": ["C#"] } }
    } }"#);
}
