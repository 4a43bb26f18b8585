use fj_sourcing::{fields, ops::Range, Session};

fn main() {
    // The patch builder's `filter` has the request builder's bound and error.
    let _patch = Session::patch().filter(fields::Region, Range::new(1, 5));
}
