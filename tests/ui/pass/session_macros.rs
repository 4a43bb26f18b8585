use fj_sourcing::{Session, SessionRequest, fields, ops::In};

/// `session!` is an expression of type `SessionRequest`, usable wherever one is expected.
fn dotnet() -> SessionRequest {
    fj_sourcing::session!(
        r#"{
        "sessionTitle": ".NET Developer",
        "jdDetail": { "userText": "Pune", "sampleProfileURL": "" },
        "queries": {
            "years_of_experience_raw": { "type": "RANGE", "value": [1, 5] },
            "skills": { "type": "IN", "value": { "mandatory": ["C#"], "core": [], "secondary": [] } }
        }
    }"#
    )
}

pub fn main() {
    let built = Session::builder()
        .title(".NET Developer")
        .jd_text("Pune")
        .experience(1..=5)
        .mandatory_skills(["C#"])
        .build()
        .unwrap();
    assert_eq!(dotnet(), built);

    // The macro crate used directly expands to `::fj_sourcing_query` paths.
    let direct: fj_sourcing_query::SessionRequest = fj_sourcing_macros::session!(
        r#"{"queries": {"skills": {"type": "IN", "value": {"mandatory": ["C#"]}}}}"#
    );
    assert_eq!(direct.skills().mandatory(), ["C#"]);

    // Patches: every setter optional, the generic form, and the skills condition.
    let patch = Session::patch()
        .filter(fields::Region, In::new(["Pune, Maharashtra, India"]))
        .filter(
            fields::Skills,
            In::skills(["C#"], ["Docker"], [] as [&str; 0]),
        )
        .build()
        .unwrap();
    assert_eq!(patch.queries().len(), 2);

    // The contract forms of the request builder keep compiling, and the skills filter moves
    // the builder to `HasSkills`.
    let request: SessionRequest = Session::builder()
        .filter(fields::Region, In::new(["Pune, Maharashtra, India"]))
        .filter(
            fields::Skills,
            In::skills(["C#"], [] as [&str; 0], [] as [&str; 0]),
        )
        .build()
        .unwrap();
    assert_eq!(request.queries().len(), 2);
}
