fn main() {
    let _request = fj_sourcing::session!(r#"{ "queries": {
        "region": { "type": "IN", "value": ["Pune, Maharashtra, India"] }
    } }"#);
}
