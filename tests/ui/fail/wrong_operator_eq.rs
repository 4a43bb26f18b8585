use fj_sourcing::{fields, ops::Eq, Session};

fn main() {
    // region takes IN, not =.
    let _builder = Session::builder().filter(fields::Region, Eq::new(["Pune"]));
}
