//! Shared by the examples: connect to the real API when `FJ_API_KEY` is set, else start the
//! embedded sandbox so the example runs offline with no configuration.

use std::time::Duration;

use fj_sandbox::{Sandbox, SandboxHandle};
use fj_sourcing::Client;
use fj_sourcing::WaitOptions;

/// A client, the sandbox it talks to (kept alive for the example's duration), and polling
/// options suited to the server.
pub struct Connection {
    pub client: Client,
    pub sandbox: Option<SandboxHandle>,
    pub wait: WaitOptions,
}

pub async fn connect() -> Result<Connection, Box<dyn std::error::Error>> {
    if std::env::var_os("FJ_API_KEY").is_some() {
        let client = Client::from_env()?;
        eprintln!("using the FutureJobs API at {}", client.base_url());
        return Ok(Connection {
            client,
            sandbox: None,
            wait: WaitOptions::default(),
        });
    }
    let sandbox = Sandbox::builder().start().await?;
    eprintln!(
        "FJ_API_KEY is not set: using the embedded sandbox at {} (set FJ_API_KEY to use the real API)",
        sandbox.base_url()
    );
    let client = Client::builder()
        .api_key(sandbox.api_key())
        .base_url(sandbox.base_url())
        .build()?;
    // The sandbox finishes matching after a poll or two; poll it briskly.
    let wait = WaitOptions::default()
        .with_first_interval(Duration::from_millis(100))
        .with_max_interval(Duration::from_millis(500))
        .with_deadline(Duration::from_secs(30));
    Ok(Connection {
        client,
        sandbox: Some(sandbox),
        wait,
    })
}

/// Shortens `s` to at most `width` characters for a table cell.
pub fn cell(s: Option<&str>, width: usize) -> String {
    let s = s.unwrap_or("-");
    if s.chars().count() <= width {
        s.to_owned()
    } else {
        let mut out: String = s.chars().take(width.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// Prints a one-line progress report when the matching status changes.
pub fn progress(p: &fj_sourcing::Progress) {
    if p.changed {
        let status = p
            .status
            .as_ref()
            .map_or("(none)".to_owned(), |s| s.to_string());
        eprintln!("  {:>5.1}s  matching: {status}", p.elapsed.as_secs_f64());
    }
}

/// Turns a missing field in an answer into an error instead of a panic.
pub fn require<'a>(value: Option<&'a str>, what: &str) -> Result<&'a str, String> {
    value.ok_or_else(|| format!("the answer had no {what}"))
}
