//! The TLS side of the client's own `reqwest::Client`: which implementation the crate features
//! select, extra trusted roots, and the refusal of `https://` by a build that has no TLS.
//!
//! Kept apart from `builder.rs` so that every `cfg` on the TLS features lives in one file.

use reqwest::Url;

use crate::error::Error;

/// The TLS settings a [`ClientBuilder`](super::ClientBuilder) collects.
#[derive(Debug, Default)]
pub(crate) struct TlsOptions {
    /// Roots trusted in addition to the platform's.
    #[cfg(any(feature = "rustls", feature = "native-tls"))]
    pub(crate) extra_roots: Vec<reqwest::Certificate>,
}

impl TlsOptions {
    /// Whether anything was set that only the crate's own `reqwest::Client` can apply.
    pub(crate) fn is_set(&self) -> bool {
        #[cfg(any(feature = "rustls", feature = "native-tls"))]
        {
            !self.extra_roots.is_empty()
        }
        #[cfg(not(any(feature = "rustls", feature = "native-tls")))]
        {
            false
        }
    }

    /// Applies the options and the TLS implementation the features select.
    pub(crate) fn apply(self, builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
        #[cfg(any(feature = "rustls", feature = "native-tls"))]
        let builder = builder.tls_certs_merge(self.extra_roots);
        // Both features on: `native-tls` wins, as it does inside reqwest. Asking for it while
        // the default `rustls` stays on is the usual way to opt in.
        #[cfg(feature = "native-tls")]
        let builder = builder.tls_backend_native();
        #[cfg(all(feature = "rustls", not(feature = "native-tls")))]
        let builder = {
            install_ring();
            builder.tls_backend_rustls()
        };
        builder
    }
}

/// Makes *ring* rustls' process-wide crypto provider unless the application installed one.
///
/// reqwest's `rustls-no-provider` uses the process default and panics without one; a provider
/// the application installed first (aws-lc-rs, a FIPS build) is kept.
#[cfg(all(feature = "rustls", not(feature = "native-tls")))]
fn install_ring() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Losing a race with another thread installing a provider is fine: one is installed.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

/// Refuses an `https://` base URL when this build cannot speak TLS, instead of failing on the
/// first request with a less direct transport error.
pub(crate) fn check_scheme(url: &Url) -> Result<(), Error> {
    if cfg!(any(feature = "rustls", feature = "native-tls")) || url.scheme() != "https" {
        return Ok(());
    }
    Err(Error::config(
        "the base URL is https:// but fj-sourcing was built without TLS: enable its `rustls` \
         (default) or `native-tls` feature, or pass a reqwest::Client that has TLS to \
         ClientBuilder::http_client",
    ))
}
