use fj_sourcing::{fields, ops::Regex, Session};

fn main() {
    // open_to_cards takes =, not (.).
    let _builder = Session::builder().filter(fields::OpenToCards, Regex::new(["CAREER.*"]));
}
