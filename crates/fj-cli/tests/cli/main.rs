//! `fj` as a user runs it: the real binary, against an embedded sandbox on 127.0.0.1.

mod errors;
mod help;
mod lookups;
mod profiles;
mod reveal;
mod sandbox;
mod search;
mod support;
mod validate;
mod values;
