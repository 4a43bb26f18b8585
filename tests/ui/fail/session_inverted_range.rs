fn main() {
    // Every problem is listed, each with its wire path.
    let _request = fj_sourcing::session!(r#"{ "sessionTitle": " ", "queries": {
        "years_of_experience_raw": { "type": "RANGE", "value": [5, 1] },
        "skills": { "type": "IN", "value": { "mandatory": ["C#"] } }
    } }"#);
}
