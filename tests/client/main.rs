//! The HTTP client against local wiremock servers on 127.0.0.1.

mod annotations;
mod create;
mod endpoints;
mod errors;
#[path = "../common/observe.rs"]
mod observe;
mod resume;
mod retries;
mod sandbox;
mod security;
#[path = "../../benches/support/seed.rs"]
mod seed;
mod spend;
mod stream;
mod support;
mod values;
mod wait;
