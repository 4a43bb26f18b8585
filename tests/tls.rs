//! The TLS features (`rustls`, default; `native-tls`) against a local HTTPS server whose
//! self-signed certificate is made here and trusted through
//! `ClientBuilder::add_root_certificate`, and a build without TLS, which still speaks plain
//! `http://` to loopback hosts and refuses `https://` with a configuration error.
//!
//! CI runs this file once per feature set: default (rustls), `--no-default-features --features
//! native-tls`, `--no-default-features`, and `--all-features` (both on: native-tls is used).

use fj_sourcing::{Client, Error};

const KEY: &str = "fjk_tls_test";

#[cfg(any(feature = "rustls", feature = "native-tls"))]
mod with_tls {
    use std::sync::Arc;

    use fj_sourcing::reqwest::Certificate;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
    use rustls::server::Acceptor;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;
    use tokio_rustls::LazyConfigAcceptor;

    use super::*;

    /// The backend the features select: `native-tls` wins when both are on.
    const EXPECTED: Backend = if cfg!(feature = "native-tls") {
        Backend::Native
    } else {
        Backend::Rustls
    };

    #[derive(Debug, PartialEq, Eq)]
    enum Backend {
        Rustls,
        Native,
    }

    /// A certificate for `127.0.0.1`, signed by its own key.
    struct SelfSigned {
        der: CertificateDer<'static>,
        key: PrivatePkcs8KeyDer<'static>,
        pem: String,
    }

    fn self_signed() -> SelfSigned {
        let rcgen::CertifiedKey { cert, signing_key } =
            rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()]).unwrap();
        SelfSigned {
            pem: cert.pem(),
            der: cert.der().clone(),
            key: PrivatePkcs8KeyDer::from(signing_key.serialize_der()),
        }
    }

    /// What the server saw of one connection.
    #[derive(Debug)]
    struct Seen {
        /// Which client library said hello, told from the cipher suites it offered: rustls
        /// offers no CBC suite, OpenSSL's default list does.
        backend: Backend,
        /// The request line, or the handshake error.
        outcome: Result<String, String>,
    }

    /// Accepts one TLS connection on `listener` with `cert`, answers one request with the
    /// session details fixture.
    async fn serve_once(listener: TcpListener, cert: &SelfSigned) -> Seen {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(
                vec![cert.der.clone()],
                PrivateKeyDer::Pkcs8(cert.key.clone_key()),
            )
            .unwrap();
        let (tcp, _) = listener.accept().await.unwrap();
        let start = LazyConfigAcceptor::new(Acceptor::default(), tcp)
            .await
            .unwrap();
        let offered_cbc = start
            .client_hello()
            .cipher_suites()
            .iter()
            .any(|suite| format!("{suite:?}").contains("CBC"));
        let backend = if offered_cbc {
            Backend::Native
        } else {
            Backend::Rustls
        };
        let mut tls = match start.into_stream(Arc::new(config)).await {
            Ok(tls) => tls,
            Err(e) => {
                return Seen {
                    backend,
                    outcome: Err(e.to_string()),
                };
            }
        };
        let mut head = Vec::new();
        let mut chunk = [0u8; 1024];
        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = tls.read(&mut chunk).await.unwrap();
            assert!(
                n > 0,
                "connection closed before the request head was complete"
            );
            head.extend_from_slice(&chunk[..n]);
        }
        let body = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/session_details_200.json"
        ))
        .unwrap()
        .replace("<SESSION_ID>", "s1");
        let reply = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
             connection: close\r\n\r\n{body}",
            body.len()
        );
        tls.write_all(reply.as_bytes()).await.unwrap();
        tls.shutdown().await.unwrap();
        let head = String::from_utf8_lossy(&head);
        Seen {
            backend,
            outcome: Ok(head.lines().next().unwrap().to_owned()),
        }
    }

    async fn listener() -> (TcpListener, String) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("https://{}/api/v1/wl", listener.local_addr().unwrap());
        (listener, base)
    }

    #[tokio::test]
    async fn https_with_an_added_root_certificate() {
        let cert = self_signed();
        let (listener, base) = listener().await;
        let client = Client::builder()
            .api_key(KEY)
            .base_url(&base)
            .add_root_certificate(Certificate::from_pem(cert.pem.as_bytes()).unwrap())
            .build()
            .unwrap();
        let (seen, details) = tokio::join!(serve_once(listener, &cert), client.session("s1"));
        let details = details.unwrap();
        assert_eq!(details.session.id.as_deref(), Some("s1"));
        assert!(details.is_done());
        assert_eq!(
            seen.outcome.as_deref(),
            Ok("GET /api/v1/wl/sourcing-session/s1 HTTP/1.1")
        );
        assert_eq!(seen.backend, EXPECTED);
    }

    #[tokio::test]
    async fn https_to_an_untrusted_certificate_is_a_transport_error() {
        let cert = self_signed();
        let (listener, base) = listener().await;
        let client = Client::builder()
            .api_key(KEY)
            .base_url(&base)
            .build()
            .unwrap();
        let (seen, result) = tokio::join!(serve_once(listener, &cert), client.session("s1"));
        let error = result.unwrap_err();
        assert!(matches!(error, Error::Transport(_)), "{error:?}");
        assert!(!error.to_string().contains(KEY), "{error}");
        // The client gave up during the handshake: no request reached the server.
        assert!(seen.outcome.is_err(), "{seen:?}");
        assert_eq!(seen.backend, EXPECTED);
    }

    #[test]
    fn a_root_certificate_cannot_be_added_to_an_injected_client() {
        let cert = self_signed();
        // With only `rustls` on, reqwest has no crypto provider until one is installed.
        #[cfg(not(feature = "native-tls"))]
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = fj_sourcing::reqwest::Client::new();
        let error = Client::builder()
            .api_key(KEY)
            .http_client(http)
            .add_root_certificate(Certificate::from_der(&cert.der).unwrap())
            .build()
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid client configuration: add_root_certificate cannot be applied to an injected \
             reqwest::Client; add the certificate on that client's builder"
        );
    }
}

#[cfg(not(any(feature = "rustls", feature = "native-tls")))]
mod without_tls {
    use std::time::Duration;

    use fj_sourcing::Session;

    use super::*;

    #[test]
    fn https_is_refused_with_a_configuration_error() {
        for builder in [
            Client::builder().api_key(KEY),
            Client::builder()
                .api_key(KEY)
                .base_url("https://127.0.0.1:8443/api/v1/wl"),
        ] {
            match builder.build() {
                Err(Error::Config { message, .. }) => assert_eq!(
                    message,
                    "the base URL is https:// but fj-sourcing was built without TLS: enable its \
                     `rustls` (default) or `native-tls` feature, or pass a reqwest::Client that \
                     has TLS to ClientBuilder::http_client"
                ),
                other => panic!("expected a configuration error, got {other:?}"),
            }
        }
    }

    #[tokio::test]
    async fn plain_http_to_loopback_still_works() {
        let sandbox = fj_sandbox::Sandbox::builder()
            .api_key(KEY)
            .polls_before_done(0)
            .start()
            .await
            .unwrap();
        let client = Client::builder()
            .api_key(KEY)
            .base_url(sandbox.base_url())
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap();
        let request = Session::builder()
            .title("TLS-free")
            .mandatory_skills(["Rust"])
            .build()
            .unwrap();
        let created = client.create_session(&request).await.unwrap();
        let id = created.id().unwrap().to_owned();
        assert_eq!(sandbox.session_count(), 1);
        let details = client.session(&id).await.unwrap();
        assert_eq!(details.session.session_title.as_deref(), Some("TLS-free"));
    }
}
