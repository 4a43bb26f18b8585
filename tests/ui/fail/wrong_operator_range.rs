use fj_sourcing::{fields, ops::Range, Session};

fn main() {
    // region takes IN, not RANGE.
    let _builder = Session::builder().filter(fields::Region, Range::new(1, 5));
}
