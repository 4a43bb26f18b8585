fn main() {
    let _request = fj_sourcing::include_session!("queries/no-such-file.json");
}
