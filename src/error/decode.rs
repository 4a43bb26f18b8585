//! Success answers whose body is not what the reference documents.

use std::fmt;
use std::sync::Arc;

use reqwest::StatusCode;

use super::{Answered, Call, excerpt};
use crate::meta::ResponseMeta;
use crate::model::DecodeFailure;

/// A success response whose body could not be read as documented.
///
/// When serde_json refused the body, `Display` names the call and the field (`data.session._id`)
/// and the [`source()`](std::error::Error::source) is serde_json's error, which says what was
/// wrong and where; [`reason`](Self::reason) holds both. A body refused by a rule of the protocol
/// (a profile stream whose pages do not advance, a body over 16 MiB) has no source, and
/// `Display` gives the reason.
#[derive(Clone, Debug)]
pub struct DecodeError {
    inner: Box<DecodeInner>,
    /// In an `Arc`, so that the error stays `Clone` with its cause.
    source: Option<Arc<serde_json::Error>>,
}

// By hand rather than with thiserror: its `source()` would be the `Arc`, which a caller cannot
// downcast to `serde_json::Error`.
impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unexpected response body from {}", self.inner.answered())?;
        // The part of the reason that is not the source's: the field, or the whole reason when
        // there is no source.
        let detail = match &self.source {
            Some(_) => self.inner.path.as_deref(),
            None => Some(self.inner.reason.as_str()),
        };
        match detail {
            Some(detail) => write!(f, ": {detail}"),
            None => Ok(()),
        }
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|e| e as _)
    }
}

#[derive(Clone, Debug)]
struct DecodeInner {
    call: Call,
    status: StatusCode,
    request_id: Option<String>,
    /// The field serde_json stopped at, when it is one.
    path: Option<String>,
    reason: String,
    excerpt: String,
}

impl DecodeError {
    pub(crate) fn new(
        method: &'static str,
        path: String,
        meta: &ResponseMeta,
        failure: impl Into<DecodeFailure>,
        body: &[u8],
    ) -> Self {
        let (field, reason, source) = match failure.into() {
            DecodeFailure::Json { path, error } => {
                let reason = match &path {
                    Some(field) => format!("{field}: {error}"),
                    None => error.to_string(),
                };
                (path, reason, Some(Arc::new(error)))
            }
            DecodeFailure::Protocol(reason) => (None, reason, None),
        };
        DecodeError {
            inner: Box::new(DecodeInner {
                call: Call { method, path },
                status: meta.status(),
                request_id: meta.request_id().map(str::to_owned),
                path: field,
                reason,
                excerpt: excerpt(body),
            }),
            source,
        }
    }

    /// The method of the call.
    pub fn method(&self) -> &'static str {
        self.inner.call.method
    }

    /// The path of the call.
    pub fn path(&self) -> &str {
        &self.inner.call.path
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> StatusCode {
        self.inner.status
    }

    /// `X-Request-Id`.
    pub fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }

    /// What did not match: the field's wire path and serde_json's message with line and column
    /// (`data.session._id: invalid type: ...`), or a protocol problem.
    pub fn reason(&self) -> &str {
        &self.inner.reason
    }

    /// The start of the body as text (at most 1 KiB). Not part of `Display`: bodies hold
    /// candidate data that does not belong in logs.
    pub fn body_excerpt(&self) -> &str {
        &self.inner.excerpt
    }
}

impl DecodeInner {
    fn answered(&self) -> Answered<'_> {
        Answered {
            call: &self.call,
            status: self.status,
            request_id: self.request_id.as_deref(),
        }
    }
}
