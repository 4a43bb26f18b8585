fn main() {
    let _request = fj_sourcing::session!(r#"{ "nuances": [], "queries": {
        "salary": { "type": "RANGE", "value": [10, 20] },
        "skills": { "type": "IN", "value": { "mandatory": ["C#"] } }
    } }"#);
}
