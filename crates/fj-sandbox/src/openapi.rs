//! `GET /api/v1/wl/openapi.yaml`: the OpenAPI description of the API and of the sandbox's
//! choices (`docs/openapi.yaml`), served byte for byte and without an API key, so that tools
//! such as schemathesis can be pointed at a running sandbox.

use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// Where the description is served, below [`API_PREFIX`](super::API_PREFIX).
pub(crate) const ROUTE: &str = "/openapi.yaml";

/// The full path of the description, which the API-key check lets through.
pub(crate) const PATH: &str = "/api/v1/wl/openapi.yaml";

const _: () = assert!(
    PATH.len() == super::API_PREFIX.len() + ROUTE.len(),
    "PATH is API_PREFIX followed by ROUTE"
);

/// The description, embedded at build time (`docs/openapi.yaml` links to this file).
const DESCRIPTION: &str = include_str!("../openapi.yaml");

/// The registered media type for YAML (RFC 9512).
const YAML: HeaderValue = HeaderValue::from_static("application/yaml");

pub(crate) async fn description() -> Response {
    (StatusCode::OK, [(CONTENT_TYPE, YAML)], DESCRIPTION).into_response()
}
