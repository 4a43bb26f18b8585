use fj_sourcing::Session;

fn main() {
    let _request = Session::builder()
        .region_in(["Pune, Maharashtra, India"])
        .experience(1..=5)
        .build();
}
