//! [`ClientBuilder`]: everything a [`Client`] is configured with, checked once at `build()`.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;
use reqwest::header::HeaderValue;

use super::spend::{CreditCosts, Spend};
use super::tls::{self, TlsOptions};
use super::{Client, DEFAULT_BASE_URL, Inner, RetryPolicy};
use crate::error::Error;
use crate::secret::ApiKey;

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Configures a [`Client`]. Nothing is checked until [`build`](Self::build), which reports the
/// first problem as [`Error::Config`].
///
/// ```
/// # #[cfg(not(any(feature = "rustls", feature = "native-tls")))] fn main() {} // build() needs TLS
/// # #[cfg(any(feature = "rustls", feature = "native-tls"))]
/// # fn main() -> Result<(), fj_sourcing::Error> {
/// use std::time::Duration;
/// use fj_sourcing::{Client, RetryPolicy};
///
/// let client = Client::builder()
///     .api_key("fjk_YOUR_API_KEY_HERE")
///     .timeout(Duration::from_secs(20))
///     .retry(RetryPolicy::default().with_max_attempts(4))
///     .build()?;
/// assert_eq!(client.base_url().as_str(), "https://prod.api.futurejobs.ai/api/v1/wl");
///
/// // The key would travel unencrypted: refused.
/// let err = Client::builder()
///     .api_key("fjk_YOUR_API_KEY_HERE")
///     .base_url("http://api.example.com/api/v1/wl")
///     .build()
///     .unwrap_err();
/// assert!(err.to_string().contains("plain http://"));
/// # Ok(()) }
/// ```
#[derive(Debug, Default)]
#[must_use = "a builder does nothing until `build()` is called"]
pub struct ClientBuilder {
    api_key: Option<ApiKey>,
    base_url: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    user_agent: Option<String>,
    retry: RetryPolicy,
    http: Option<reqwest::Client>,
    credit_cap: Option<u64>,
    credit_costs: CreditCosts,
    tls: TlsOptions,
}

impl ClientBuilder {
    /// A builder filled from an environment lookup (`FJ_API_KEY`, optional `FJ_BASE_URL`).
    pub(crate) fn from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<ClientBuilder, Error> {
        let key = lookup("FJ_API_KEY")
            .filter(|key| !key.trim().is_empty())
            .ok_or_else(|| {
                Error::config(
                    "FJ_API_KEY is not set: export your FutureJobs API key (fjk_...), \
                     or configure one with Client::builder().api_key(..)",
                )
            })?;
        let mut builder = ClientBuilder::default().api_key(key);
        if let Some(url) = lookup("FJ_BASE_URL").filter(|url| !url.trim().is_empty()) {
            builder = builder.base_url(url);
        }
        Ok(builder)
    }

    /// The API key sent as `x-fj-api-key` (required). Surrounding whitespace is ignored.
    pub fn api_key(mut self, key: impl Into<ApiKey>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// The base URL (default [`DEFAULT_BASE_URL`]); endpoint paths are appended to it.
    ///
    /// Must be `https://`, or `http://` to a loopback host (`localhost`, `127.0.0.0/8`, `::1`),
    /// with no user name, password, query or fragment.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The timeout of each HTTP attempt, from sending to the end of the body (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The timeout for establishing a connection (default 10 s). Cannot be combined with
    /// [`http_client`](Self::http_client): configure that client instead.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The `User-Agent` header (default `fj-sourcing/<crate version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// The retry policy (default [`RetryPolicy::default`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The most credits this client (with all its clones) may spend. Once the credits it has
    /// spent reach the cap, or a call's expected cost would pass it, every credit-charging call
    /// (Create, Update, Fetch More, Reveal Contact) fails with [`Error::CreditCap`] before any
    /// request is sent. Reads are never refused. No cap by default; the count
    /// ([`Client::credits_spent`]) is kept either way.
    ///
    /// Spending is counted from what answers report (`creditInfo`; see
    /// [`ResponseMeta::credit_info`](crate::ResponseMeta::credit_info)), else from the expected
    /// costs ([`credit_costs`](Self::credit_costs)). Before it is sent, each attempt reserves its
    /// expected cost against the cap in one atomic step, and is refused if the credits spent plus
    /// those reserved by calls in flight plus its own would pass the cap. So:
    ///
    /// * when answers charge what the expected costs say, the total charged **never passes the
    ///   cap**, however many calls run at once;
    /// * when an answer charges more than expected, the total can pass the cap by at most the
    ///   sum, over the calls in flight at that moment, of what each was charged beyond its
    ///   expected cost (the reservations of the calls in flight never add up to more than the
    ///   cap, so with a cheapest expected cost `c > 0` at most `cap / c` calls are in flight);
    /// * failures that may have been charged (timeouts, `5xx`, dropped connections, cancelled
    ///   calls) count their expected cost, so the count errs towards spent, never towards free.
    ///
    /// The cap is this client's own budget, not the workspace balance: other programs using the
    /// key spend from the same balance, and the server's `402 Payment Required` still applies.
    ///
    /// ```
    /// # #[cfg(not(any(feature = "rustls", feature = "native-tls")))] fn main() {} // build() needs TLS
    /// # #[cfg(any(feature = "rustls", feature = "native-tls"))]
    /// # fn main() -> Result<(), fj_sourcing::Error> {
    /// use fj_sourcing::Client;
    ///
    /// let client = Client::builder().api_key("fjk_YOUR_API_KEY_HERE").credit_cap(50).build()?;
    /// assert_eq!(client.credit_cap(), Some(50));
    /// assert_eq!(client.credits_spent(), 0);
    /// # Ok(()) }
    /// ```
    pub fn credit_cap(mut self, credits: u64) -> Self {
        self.credit_cap = Some(credits);
        self
    }

    /// The expected cost of each credit-charging call (default [`CreditCosts::DEFAULT`]): what
    /// is reserved against the [`credit_cap`](Self::credit_cap) before sending, and what is
    /// counted when an answer does not report its charge.
    pub fn credit_costs(mut self, costs: CreditCosts) -> Self {
        self.credit_costs = costs;
        self
    }

    /// Uses an existing `reqwest::Client` (proxies, client certificates, a shared pool). Build it
    /// with the `reqwest` this crate re-exports ([`crate::reqwest`]), or with your own `reqwest`
    /// 0.13, which is the same crate.
    ///
    /// Timeout and `User-Agent` are still applied per request. The client built by default does
    /// not follow redirects, so the key is never forwarded to another host; an injected client
    /// follows its own redirect policy. Its TLS is its own: this crate's TLS features and
    /// [`add_root_certificate`](Self::add_root_certificate) do not apply to it.
    ///
    /// With the `rustls` feature, reqwest has no crypto provider of its own: building a
    /// `reqwest::Client` before any `fj_sourcing::Client` panics unless a rustls provider is
    /// installed (`rustls::crypto::ring::default_provider().install_default()`), or your own
    /// `reqwest` dependency enables reqwest's `rustls` feature.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Trusts `certificate` as a root in addition to the platform's roots: for a proxy or a
    /// test server with a private certificate authority. May be called several times.
    ///
    /// Needs the `rustls` or `native-tls` feature. Cannot be combined with
    /// [`http_client`](Self::http_client): add the root to that client instead.
    ///
    /// ```no_run
    /// use fj_sourcing::{Client, reqwest::Certificate};
    ///
    /// # fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// let pem = std::fs::read("corporate-ca.pem")?;
    /// let client = Client::builder()
    ///     .api_key("fjk_...")
    ///     .add_root_certificate(Certificate::from_pem(&pem)?)
    ///     .build()?;
    /// # Ok(()) }
    /// ```
    #[cfg(any(feature = "rustls", feature = "native-tls"))]
    pub fn add_root_certificate(mut self, certificate: reqwest::Certificate) -> Self {
        self.tls.extra_roots.push(certificate);
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let key = self.api_key.ok_or_else(|| {
            Error::config("no API key: call ClientBuilder::api_key, or set FJ_API_KEY and use Client::from_env")
        })?;
        let api_key = key_header(&key)?;
        let base = parse_base_url(self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))?;
        let timeout = self.timeout.unwrap_or(DEFAULT_TIMEOUT);
        if timeout.is_zero() {
            return Err(Error::config("the timeout must be longer than zero"));
        }
        let user_agent = self
            .user_agent
            .unwrap_or_else(|| concat!("fj-sourcing/", env!("CARGO_PKG_VERSION")).to_owned());
        let user_agent = HeaderValue::from_str(&user_agent).map_err(|_| {
            Error::config(
                "the user agent contains characters that cannot be sent in an HTTP header",
            )
        })?;
        let http = match self.http {
            Some(_) if self.connect_timeout.is_some() => {
                return Err(Error::config(
                    "connect_timeout cannot be applied to an injected reqwest::Client; \
                     set it on that client's builder",
                ));
            }
            Some(_) if self.tls.is_set() => {
                return Err(Error::config(
                    "add_root_certificate cannot be applied to an injected reqwest::Client; \
                     add the certificate on that client's builder",
                ));
            }
            Some(http) => http,
            None => {
                tls::check_scheme(&base)?;
                let builder = reqwest::Client::builder()
                    .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                    .redirect(reqwest::redirect::Policy::none());
                self.tls
                    .apply(builder)
                    .build()
                    .map_err(|e| Error::config_refused("could not set up the HTTP client", e))?
            }
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base,
                api_key,
                user_agent,
                timeout,
                retry: self.retry,
                spend: Spend::new(self.credit_cap, self.credit_costs),
            }),
        })
    }
}

/// The key as a header value marked sensitive (so `http` never prints it).
fn key_header(key: &ApiKey) -> Result<HeaderValue, Error> {
    let raw = key.expose_secret().trim();
    if raw.is_empty() {
        return Err(Error::config("the API key is empty"));
    }
    let mut value = HeaderValue::from_str(raw).map_err(|_| {
        Error::config("the API key contains characters that cannot be sent in an HTTP header")
    })?;
    value.set_sensitive(true);
    Ok(value)
}

fn parse_base_url(raw: &str) -> Result<Url, Error> {
    let url = Url::parse(raw.trim())
        .map_err(|e| Error::config(format!("the base URL is not a valid absolute URL ({e})")))?;
    let Some(host) = url.host_str() else {
        return Err(Error::config("the base URL has no host"));
    };
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(host) => {}
        "http" => {
            return Err(Error::config(format!(
                "refusing to send the API key over plain http:// to {host}: use https:// \
                 (plain http is allowed only for localhost, 127.0.0.0/8 and ::1)"
            )));
        }
        other => {
            return Err(Error::config(format!(
                "the base URL scheme {other:?} is not supported; use https://"
            )));
        }
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::config(
            "the base URL must not contain a user name or password",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::config(
            "the base URL must not have a query string or fragment",
        ));
    }
    Ok(url)
}

/// `localhost`, or an IP address in `127.0.0.0/8` or `::1`.
fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => bare.eq_ignore_ascii_case("localhost"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config_message(result: Result<Client, Error>) -> String {
        match result {
            Err(Error::Config { message, .. }) => message,
            other => panic!("expected a config error, got {other:?}"),
        }
    }

    fn with_base(url: &str) -> Result<Client, Error> {
        Client::builder().api_key("fjk_test").base_url(url).build()
    }

    #[test]
    fn loopback_hosts_may_use_plain_http() {
        for url in [
            "http://localhost:8080/api/v1/wl",
            "http://127.0.0.1:3000",
            "http://127.10.0.1/x",
            "http://[::1]:9000/api/v1/wl",
            #[cfg(any(feature = "rustls", feature = "native-tls"))]
            "https://prod.api.futurejobs.ai/api/v1/wl",
        ] {
            assert!(with_base(url).is_ok(), "{url}");
        }
    }

    #[test]
    fn other_hosts_are_refused_over_plain_http() {
        for url in [
            "http://api.example.com",
            "http://10.0.0.1",
            "http://[::2]",
            "http://localhost.evil.com",
        ] {
            let message = config_message(with_base(url));
            assert!(message.contains("plain http://"), "{url}: {message}");
        }
    }

    #[test]
    fn malformed_base_urls_are_refused_with_a_reason() {
        assert!(
            config_message(with_base("prod.api.futurejobs.ai"))
                .contains("not a valid absolute URL")
        );
        assert!(
            config_message(with_base("ftp://example.com")).contains("\"ftp\" is not supported")
        );
        assert!(
            config_message(with_base("https://u:p@example.com")).contains("user name or password")
        );
        assert!(config_message(with_base("https://example.com/?a=1")).contains("query"));
    }

    #[test]
    fn key_problems_never_echo_the_key() {
        let message = config_message(Client::builder().build());
        assert!(message.contains("no API key"));
        let message = config_message(Client::builder().api_key("   ").build());
        assert_eq!(message, "the API key is empty");
        let message = config_message(Client::builder().api_key("fjk_sec\u{7}ret").build());
        assert!(!message.contains("fjk_sec"), "{message}");
    }

    #[test]
    fn environment_lookup_needs_the_key_and_reads_the_base_url() {
        let none = ClientBuilder::from_lookup(|_| None).unwrap_err();
        assert!(none.to_string().contains("FJ_API_KEY is not set"), "{none}");
        let client = ClientBuilder::from_lookup(|name| match name {
            "FJ_API_KEY" => Some("fjk_env".into()),
            "FJ_BASE_URL" => Some("http://127.0.0.1:4010/api/v1/wl".into()),
            _ => None,
        })
        .unwrap()
        .build()
        .unwrap();
        assert_eq!(
            client.base_url().as_str(),
            "http://127.0.0.1:4010/api/v1/wl"
        );
    }

    /// A `reqwest::Client` of the application's own; with only `rustls` on, reqwest needs a
    /// process-wide crypto provider first.
    fn plain_reqwest_client() -> reqwest::Client {
        #[cfg(all(feature = "rustls", not(feature = "native-tls")))]
        let _ = rustls::crypto::ring::default_provider().install_default();
        reqwest::Client::new()
    }

    #[test]
    fn connect_timeout_and_injected_client_conflict() {
        let message = config_message(
            Client::builder()
                .api_key("fjk_x")
                .http_client(plain_reqwest_client())
                .connect_timeout(Duration::from_secs(1))
                .build(),
        );
        assert!(message.contains("connect_timeout"));
    }

    #[test]
    fn client_debug_hides_the_key() {
        let client = Client::builder()
            .api_key("fjk_supersecret")
            .base_url("http://127.0.0.1:4010/api/v1/wl")
            .build()
            .unwrap();
        let shown = format!("{client:?}");
        assert!(!shown.contains("supersecret"), "{shown}");
        assert!(shown.contains("fjk_***"));
    }
}
