//! Reliability and security (issue 7): faults, load, hostile input, fuzzing, key hygiene.

mod cap;
mod faults;
mod fuzz;
mod hostile;
mod load;
#[path = "../common/observe.rs"]
mod observe;
mod report;
mod scripted;
mod security;
mod support;
