//! The baseline of `benches/sandbox.rs`: an axum server whose Create answers the same
//! pre-serialized bytes every time, after reading the request body in full. Its throughput is
//! what the loopback, hyper, axum and the load client allow: the ceiling the sandbox is
//! compared with.

use std::io;
use std::net::SocketAddr;

use axum::Router;
use axum::body::Bytes;
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::routing::post;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// A running constant-body server; dropping it stops the server.
pub struct ConstantServer {
    pub addr: SocketAddr,
    _stop: oneshot::Sender<()>,
}

/// Starts the server on a free loopback port of the current runtime, answering `body` (201,
/// `application/json`) to `POST /api/v1/wl/sourcing-session`.
pub async fn start(body: Vec<u8>) -> io::Result<ConstantServer> {
    let body = Bytes::from(body);
    let app = Router::new().route(
        "/api/v1/wl/sourcing-session",
        post(move |request: Bytes| async move {
            drop(std::hint::black_box(request));
            (
                StatusCode::CREATED,
                [(CONTENT_TYPE, "application/json")],
                body,
            )
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
