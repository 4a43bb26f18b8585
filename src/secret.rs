//! The API key, in a type that never prints itself.

use std::fmt;

/// A FutureJobs API key (`fjk_...`).
///
/// `Debug` and `Display` always print `fjk_***`, whatever the key is, so a key can sit inside
/// structs that are logged or formatted into errors without leaking. The only way to read it is
/// the explicitly named [`expose_secret`](ApiKey::expose_secret).
///
/// ```
/// use fj_sourcing::ApiKey;
///
/// let key = ApiKey::new("fjk_live_0123456789");
/// assert_eq!(format!("{key:?}"), "fjk_***");
/// assert_eq!(key.to_string(), "fjk_***");
/// assert_eq!(key.expose_secret(), "fjk_live_0123456789");
/// ```
#[derive(Clone)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wraps a key. It is checked (non-empty, usable as a header value) by
    /// [`ClientBuilder::build`](crate::ClientBuilder::build).
    pub fn new(key: impl Into<String>) -> Self {
        ApiKey(key.into())
    }

    /// The key itself. Call this only to hand the key to something that must send it.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("fjk_***")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("fjk_***")
    }
}

impl From<String> for ApiKey {
    fn from(key: String) -> Self {
        ApiKey(key)
    }
}

impl From<&str> for ApiKey {
    fn from(key: &str) -> Self {
        ApiKey(key.to_owned())
    }
}
