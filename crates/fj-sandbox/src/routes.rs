//! The endpoints of the reference's section 2, under [`API_PREFIX`](super::API_PREFIX).
//!
//! Handlers validate their input (400), then look things up (404), then pay (402); the one
//! exception is Update, which needs the stored session (404) before it can validate the merged
//! body (400). Each handler does its state work in one synchronous [`Store`](super::state::Store)
//! call, so no lock is ever held across an `.await`.

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, EXPIRES, PRAGMA};
use axum::http::{HeaderValue, Method, StatusCode, Uri};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use serde_json::Value;

use super::envelope::{ApiError, json_answer, success, success_charged};
use super::state::Page;
use super::{API_PREFIX, App, annotate, journal, layer, openapi, patch as merge, vocab};
use fj_sourcing_query::{Problem, ProblemKind, is_linkedin_url};
use fj_sourcing_query::{RevealType, SessionRequest};

/// Default and maximum `limit` of Filters Autocomplete.
const AUTOCOMPLETE_DEFAULT_LIMIT: u64 = 10;
const AUTOCOMPLETE_MAX_LIMIT: u64 = 100;
/// Default `limit` of Get Profiles for Session (documented).
const PROFILES_DEFAULT_LIMIT: u64 = 20;

/// The whole application: routes, fallback and the middleware.
pub(crate) fn router(app: Arc<App>) -> Router {
    // Full paths rather than `nest(API_PREFIX, ..)`: a nested router rebuilds every request's
    // URI without the prefix, a tenth of the sandbox's own time per Create
    // (`docs/benchmarks.md`, section 3).
    let api = |path: &str| format!("{API_PREFIX}{path}");
    // Static segments (`contact`, `filters`, `get-annotation`, `update-session`, `candidate`)
    // win over `{session_id}` in axum's router whatever the order here.
    Router::new()
        .route(&api("/sourcing-session"), post(create))
        .route(
            &api("/sourcing-session/update-session/{session_id}"),
            patch(update),
        )
        .route(&api("/sourcing-session/contact/reveal"), post(reveal))
        .route(
            &api("/sourcing-session/filters/autocomplete"),
            get(autocomplete),
        )
        .route(
            &api("/sourcing-session/get-annotation"),
            post(jd_to_filters),
        )
        .route(
            &api("/sourcing-session/candidate/{candidate_id}/details"),
            get(candidate),
        )
        .route(&api("/sourcing-session/{session_id}"), get(details))
        .route(
            &api("/sourcing-session/{session_id}/fetch-more"),
            post(fetch_more),
        )
        .route(
            &api("/sourcing-session/{session_id}/profiles"),
            get(profiles),
        )
        .route(&api("/projects/sessions"), get(project_sessions))
        .route(&api(openapi::ROUTE), get(openapi::description))
        .fallback(unknown_route)
        .layer(from_fn_with_state(app.clone(), layer::pipeline))
        // After the layer: the journal bypasses keys, faults, latency, limits and itself.
        .route(journal::PATH, get(journal::list).delete(journal::clear))
        .with_state(app)
}

async fn unknown_route(method: Method, uri: Uri) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        format!("Route not found: {method} {}", uri.path()),
    )
}

/// Query parameters in order; the first occurrence of a name wins.
struct Params(Vec<(String, String)>);

impl Params {
    fn from_uri(uri: &Uri) -> Result<Self, ApiError> {
        Query::<Vec<(String, String)>>::try_from_uri(uri)
            .map(|Query(pairs)| Params(pairs))
            .map_err(|err| {
                ApiError::invalid(
                    "query parameters",
                    vec![Problem::new("query", ProblemKind::Syntax, err.body_text())],
                )
            })
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A required, non-blank parameter.
    fn required(&self, name: &str, problems: &mut Vec<Problem>) -> Option<&str> {
        match self.get(name) {
            None => {
                problems.push(Problem::new(name, ProblemKind::Missing, "is required"));
                None
            }
            Some(v) if v.trim().is_empty() => {
                problems.push(Problem::new(name, ProblemKind::Blank, "must not be blank"));
                None
            }
            Some(v) => Some(v),
        }
    }

    /// An optional positive integer, `default` when absent.
    fn positive(&self, name: &str, default: u64, problems: &mut Vec<Problem>) -> Option<u64> {
        let Some(raw) = self.get(name) else {
            return Some(default);
        };
        match raw.trim().parse::<u64>() {
            Ok(n) if n >= 1 => Some(n),
            _ => {
                problems.push(Problem::new(
                    name,
                    ProblemKind::WrongShape,
                    format!("expected a positive integer, found {raw:?}"),
                ));
                None
            }
        }
    }
}

fn check(what: &str, problems: Vec<Problem>) -> Result<(), ApiError> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ApiError::invalid(what, problems))
    }
}

/// A path id; one that cannot even be decoded (invalid UTF-8) is as unknown as any other.
fn path_id(id: Result<Path<String>, PathRejection>, what: &str) -> Result<String, ApiError> {
    id.map(|Path(id)| id).map_err(|_| ApiError::not_found(what))
}

fn ok<T: serde::Serialize>(message: &str, data: T) -> Response {
    success(StatusCode::OK, Some(message), data)
}

async fn create(State(app): State<Arc<App>>, body: Bytes) -> Result<Response, ApiError> {
    let request = SessionRequest::from_slice(&body).map_err(ApiError::invalid_body)?;
    Ok(json_answer(
        StatusCode::CREATED,
        app.store.create(&request, body)?,
    ))
}

async fn update(
    State(app): State<Arc<App>>,
    session_id: Result<Path<String>, PathRejection>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let session_id = path_id(session_id, "Session")?;
    let stored = app.store.request_of(&session_id)?;
    let request = merge::apply(&stored, &body).map_err(ApiError::invalid_body)?;
    let data = app.store.update(&session_id, request)?;
    Ok(ok("Session updated successfully", data))
}

async fn details(
    State(app): State<Arc<App>>,
    session_id: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let session_id = path_id(session_id, "Session")?;
    Ok(json_answer(StatusCode::OK, app.store.details(&session_id)?))
}

/// Fetch More takes `{}`; an empty body (no bytes at all) is accepted too, and any other JSON
/// object's fields are ignored. Anything else, whitespace alone included, is not a JSON object.
async fn fetch_more(
    State(app): State<Arc<App>>,
    session_id: Result<Path<String>, PathRejection>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let session_id = path_id(session_id, "Session")?;
    if !body.is_empty() {
        let problem = match serde_json::from_slice::<Value>(&body) {
            Ok(Value::Object(_)) => None,
            Ok(_) => Some(Problem::new(
                "body",
                ProblemKind::WrongShape,
                "expected a JSON object ({})",
            )),
            Err(err) => Some(Problem::new(
                "body",
                ProblemKind::Syntax,
                format!("invalid JSON: {err}"),
            )),
        };
        check("request body", problem.into_iter().collect())?;
    }
    Ok(ok(
        "Fetching more profiles",
        app.store.fetch_more(&session_id)?,
    ))
}

async fn profiles(
    State(app): State<Arc<App>>,
    session_id: Result<Path<String>, PathRejection>,
    uri: Uri,
) -> Result<Response, ApiError> {
    let session_id = path_id(session_id, "Session")?;
    let params = Params::from_uri(&uri)?;
    let mut problems = Vec::new();
    let page = params.positive("page", 1, &mut problems);
    let limit = params.positive("limit", PROFILES_DEFAULT_LIMIT, &mut problems);
    check("query parameters", problems)?;
    let (Some(page), Some(limit)) = (page, limit) else {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, "Invalid paging"));
    };
    // A larger page size is capped rather than refused; `limit` in the answer says which applied.
    let limit = limit.min(u64::from(app.store.config().max_page_size));
    let data = app.store.profiles(&session_id, Page { page, limit })?;
    // The reference's example has no `message` here, and this is the one page listing caching
    // headers.
    let mut response = success(StatusCode::OK, None, data);
    let headers = response.headers_mut();
    headers.insert(
        CACHE_CONTROL,
        HeaderValue::from_static("no-store, no-cache, must-revalidate, proxy-revalidate"),
    );
    headers.insert(PRAGMA, HeaderValue::from_static("no-cache"));
    headers.insert(EXPIRES, HeaderValue::from_static("0"));
    Ok(response)
}

async fn candidate(
    State(app): State<Arc<App>>,
    candidate_id: Result<Path<String>, PathRejection>,
    uri: Uri,
) -> Result<Response, ApiError> {
    let candidate_id = path_id(candidate_id, "Candidate")?;
    let params = Params::from_uri(&uri)?;
    let mut problems = Vec::new();
    let session_id = params.required("sessionId", &mut problems);
    check("query parameters", problems)?;
    let data = app
        .store
        .candidate(&candidate_id, session_id.unwrap_or_default())?;
    Ok(ok("Candidate details fetched successfully", data))
}

async fn project_sessions(State(app): State<Arc<App>>) -> Response {
    ok(
        "Project sessions fetched successfully",
        app.store.project_sessions(),
    )
}

async fn reveal(State(app): State<Arc<App>>, uri: Uri) -> Result<Response, ApiError> {
    let params = Params::from_uri(&uri)?;
    let mut problems = Vec::new();
    let session_id = params.required("sourcingSessionId", &mut problems);
    let url = params.required("linkedin_profile_url", &mut problems);
    if let Some(url) = url
        && !is_linkedin_url(url.trim())
    {
        problems.push(Problem::new(
            "linkedin_profile_url",
            ProblemKind::InvalidUrl,
            format!("{url:?} is not an http(s) LinkedIn URL"),
        ));
    }
    let kind = params
        .required("revealType", &mut problems)
        .and_then(|raw| {
            let kind = RevealType::from_wire(raw);
            if kind.is_none() {
                problems.push(Problem::new(
                    "revealType",
                    ProblemKind::WrongShape,
                    format!("expected EMAIL or PHONE, found {raw:?}"),
                ));
            }
            kind
        });
    check("query parameters", problems)?;
    let (Some(session_id), Some(url), Some(kind)) = (session_id, url, kind) else {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "Invalid query parameters",
        ));
    };
    let (data, credit) = app.store.reveal(session_id, url, kind)?;
    let message = match kind {
        RevealType::Email => "Email revealed successfully",
        RevealType::Phone => "Phone revealed successfully",
    };
    // `data` is a list, so the charge goes beside it.
    Ok(success_charged(StatusCode::OK, Some(message), data, credit))
}

/// Filters Autocomplete: a bare JSON array of strings, as the reference's example shows.
async fn autocomplete(State(app): State<Arc<App>>, uri: Uri) -> Result<Response, ApiError> {
    let params = Params::from_uri(&uri)?;
    let mut problems = Vec::new();
    let filter_type = params.required("filter_type", &mut problems);
    let query = params.required("query", &mut problems);
    let limit = params.positive("limit", AUTOCOMPLETE_DEFAULT_LIMIT, &mut problems);
    let vocabulary = &app.store.config().vocabulary;
    let list = filter_type.and_then(|name| {
        let list = vocabulary.words(name);
        if list.is_none() {
            problems.push(Problem::new(
                "filter_type",
                ProblemKind::WrongShape,
                format!(
                    "unknown filter_type {name:?}; the sandbox knows {}",
                    vocab::filter_type_names()
                ),
            ));
        }
        list
    });
    check("query parameters", problems)?;
    let (Some(list), Some(query), Some(limit)) = (list, query, limit) else {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "Invalid query parameters",
        ));
    };
    let limit = usize::try_from(limit.min(AUTOCOMPLETE_MAX_LIMIT)).unwrap_or(usize::MAX);
    Ok(Json(vocab::suggest(list, query, limit)).into_response())
}

/// JD to Filters: body `{userText, linkedin_profile_url?}`, answer the bare annotation map.
async fn jd_to_filters(body: Bytes) -> Result<Response, ApiError> {
    let value: Value = serde_json::from_slice(&body).map_err(|err| {
        ApiError::invalid(
            "request body",
            vec![Problem::new(
                "body",
                ProblemKind::Syntax,
                format!("invalid JSON: {err}"),
            )],
        )
    })?;
    let Value::Object(fields) = value else {
        return Err(ApiError::invalid(
            "request body",
            vec![Problem::new(
                "body",
                ProblemKind::WrongShape,
                "expected a JSON object with userText",
            )],
        ));
    };
    let mut problems = Vec::new();
    let mut text = None;
    for (key, value) in &fields {
        match (key.as_str(), value) {
            ("userText", Value::String(s)) if s.trim().is_empty() => {
                problems.push(Problem::new(key, ProblemKind::Blank, "must not be blank"));
            }
            ("userText", Value::String(s)) => text = Some(s.as_str()),
            ("linkedin_profile_url", Value::String(s)) => {
                if !s.is_empty() && !is_linkedin_url(s) {
                    problems.push(Problem::new(
                        key,
                        ProblemKind::InvalidUrl,
                        format!("{s:?} is not an http(s) LinkedIn URL"),
                    ));
                }
            }
            ("userText" | "linkedin_profile_url", _) => problems.push(Problem::new(
                key,
                ProblemKind::WrongShape,
                "expected a string",
            )),
            _ => problems.push(Problem::new(
                key,
                ProblemKind::UnknownKey,
                "unknown field; the body takes userText and linkedin_profile_url",
            )),
        }
    }
    if !fields.contains_key("userText") {
        problems.push(Problem::new(
            "userText",
            ProblemKind::Missing,
            "is required",
        ));
    }
    check("request body", problems)?;
    let text = text.unwrap_or_default();
    Ok(Json(annotate::annotate(text)).into_response())
}
