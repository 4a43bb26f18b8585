//! The HTTP client against local wiremock servers on 127.0.0.1.

mod create;
mod errors;
mod retries;
mod security;
mod support;
