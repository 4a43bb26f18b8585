use fj_sourcing::Session;

fn main() {
    let _request = Session::builder().mandatory_skills([]).build();
}
