use fj_sourcing::{fields, ops::In, Session};

fn main() {
    // years_of_experience_raw takes RANGE, not IN.
    let _builder = Session::builder().filter(fields::YearsOfExperience, In::new(["1", "5"]));
}
