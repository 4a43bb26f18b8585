//! The start of the benches that read a session's candidates (`export.rs`, `stream_memory.rs`):
//! a client of a running sandbox and a session created from the reference's section 3.1
//! request.

use std::io;

use fj_sandbox::SandboxHandle;
use fj_sourcing::{Client, SessionRequest};

/// A client of `sandbox` and the id of a session created from the seed request. The session is
/// read once, which a sandbox built with `polls_before_done(0)` answers as done.
pub async fn seed_session(sandbox: &SandboxHandle) -> io::Result<(Client, String)> {
    let client = Client::builder()
        .api_key(sandbox.api_key())
        .base_url(sandbox.base_url())
        .build()
        .map_err(io::Error::other)?;
    let request =
        SessionRequest::from_json(include_str!("../../tests/fixtures/create_request.json"))
            .map_err(io::Error::other)?;
    let created = client
        .create_session(&request)
        .await
        .map_err(io::Error::other)?;
    let id = created.id().expect("a session id").to_owned();
    let details = client.session(&id).await.map_err(io::Error::other)?;
    assert!(
        details.is_done(),
        "polls_before_done(0): done at the first poll"
    );
    Ok((client, id))
}
