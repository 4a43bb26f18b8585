//! The machine's load, printed with every guard's result: the benches run on shared machines,
//! and a ratio measured under heavy load says less than one measured on an idle machine.

/// `/proc/loadavg` as one line (`unknown` where there is none).
pub fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| text.trim().to_owned())
        .unwrap_or_else(|_| "unknown".to_owned())
}

/// `PASS` or `FAIL`.
pub fn verdict(pass: bool) -> &'static str {
    if pass { "PASS" } else { "FAIL" }
}
