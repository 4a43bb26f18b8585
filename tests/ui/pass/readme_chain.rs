use fj_sourcing::{BuildError, Session, SessionRequest};

/// Downstream code can take a `SessionRequest` knowing it was validated.
fn count_filters(request: &SessionRequest) -> usize {
    request.queries().len()
}

pub fn main() -> Result<(), BuildError> {
    let request = Session::builder()
        .region_in(["Pune, Maharashtra, India"])
        .experience(1..=5)
        .mandatory_skills(["C#"])
        .build()?;
    assert_eq!(count_filters(&request), 3);

    // Skills first, filters after: the state is kept.
    let request = Session::builder()
        .core_skills(["Docker"])
        .region_in(["Pune, Maharashtra, India"])
        .title("Platform engineer")
        .build()?;
    assert_eq!(count_filters(&request), 2);
    Ok(())
}
