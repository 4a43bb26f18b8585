use fj_sourcing::{Queries, SessionRequest};

fn main() {
    let _request = SessionRequest {
        details: Default::default(),
        queries: Queries::default(),
    };
}
