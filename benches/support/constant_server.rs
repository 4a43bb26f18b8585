//! The baseline of `benches/sandbox.rs`: an axum server whose Create answers the same answer
//! every time, after reading the request body in full: the sandbox's own Create answer, its
//! headers included, replayed as fixed values. Its throughput is what the loopback, hyper, axum
//! and the load client allow for that answer: the ceiling the sandbox is compared with.

use std::io;
use std::net::SocketAddr;

use axum::Router;
use axum::body::Bytes;
use axum::http::header::{CONTENT_LENGTH, DATE};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::routing::post;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// A running constant-body server; dropping it stops the server.
pub struct ConstantServer {
    pub addr: SocketAddr,
    _stop: oneshot::Sender<()>,
}

/// Starts the server on a free loopback port of the current runtime, answering `headers` and
/// `body` (201) to `POST /api/v1/wl/sourcing-session`. `Content-Length` and `Date` are left to
/// hyper, which writes them on every answer, as it does for the sandbox.
pub async fn start(headers: &[(String, String)], body: Vec<u8>) -> io::Result<ConstantServer> {
    let mut fixed = HeaderMap::new();
    for (name, value) in headers {
        let name = HeaderName::try_from(name.as_str()).map_err(io::Error::other)?;
        if name != CONTENT_LENGTH && name != DATE {
            let value = HeaderValue::try_from(value.as_str()).map_err(io::Error::other)?;
            fixed.append(name, value);
        }
    }
    let body = Bytes::from(body);
    let app = Router::new().route(
        "/api/v1/wl/sourcing-session",
        post(move |request: Bytes| async move {
            drop(std::hint::black_box(request));
            (StatusCode::CREATED, fixed, body)
        }),
    );
    let listener = TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, 0)).await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await;
    });
    Ok(ConstantServer { addr, _stop: stop })
}
