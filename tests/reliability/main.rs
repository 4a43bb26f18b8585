//! Reliability and security (issue 7): faults, load, hostile input, fuzzing, key hygiene.

mod faults;
mod load;
mod scripted;
mod support;
