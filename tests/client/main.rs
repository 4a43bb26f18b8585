//! The HTTP client against local wiremock servers on 127.0.0.1.

mod annotations;
mod create;
mod endpoints;
mod errors;
mod retries;
mod sandbox;
mod security;
mod stream;
mod support;
mod wait;
