//! For the criterion benches that also print a paired check of their own after criterion's
//! groups: whether the command line asks for it.

/// Whether criterion is benchmarking (`cargo bench`, not `cargo test --benches`, `--list` or
/// `--profile-time`) with no name filter, or one that `name` matches.
pub fn wants(name: &str) -> bool {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |flag: &str| {
        args.iter()
            .any(|a| a == flag || a.starts_with(&format!("{flag}=")))
    };
    if !flag("--bench") || flag("--test") || flag("--list") || flag("--profile-time") {
        return false;
    }
    // A bare word is a filter, unless it is the value of the option before it.
    let mut filters = args
        .iter()
        .enumerate()
        .filter(|(i, a)| !a.starts_with('-') && (*i == 0 || !args[i - 1].starts_with("--")))
        .map(|(_, a)| a.as_str())
        .peekable();
    filters.peek().is_none() || filters.any(|f| name.contains(f))
}
