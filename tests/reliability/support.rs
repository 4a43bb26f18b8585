//! Shared helpers: the key, fixtures, clients, sandboxes, error kinds, and the memory lock.

pub use crate::observe::kind;
use std::sync::{LazyLock, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Duration;

use fj_sandbox::{Sandbox, SandboxBuilder, SandboxHandle};
use fj_sourcing::{Client, RetryPolicy, Session, SessionRequest};

/// A distinctive key, so the security tests can look for it anywhere.
pub const KEY: &str = "fjk_rel_5b8e2f19c4d7a603e1";

/// Every call of these tests must end well within this; it catches hangs, not slowness.
pub const SANITY: Duration = Duration::from_secs(30);

pub fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A sandbox with the test key, searches done on the first poll, and no practical rate limit.
pub fn sandbox() -> SandboxBuilder {
    Sandbox::builder()
        .api_key(KEY)
        .polls_before_done(0)
        .rate_limit(u32::MAX, Duration::from_secs(60))
}

/// Quick retries (10 ms first backoff); server hints up to 2 s are honoured; 3 attempts.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(3)
        .with_initial_backoff(Duration::from_millis(10))
        .with_max_wait(Duration::from_secs(2))
}

pub fn client_at(base_url: &str, retry: RetryPolicy, timeout: Duration) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(base_url)
        .retry(retry)
        .timeout(timeout)
        .build()
        .unwrap()
}

pub fn client_for(sandbox: &SandboxHandle, retry: RetryPolicy, timeout: Duration) -> Client {
    client_at(sandbox.base_url(), retry, timeout)
}

/// The seed example of reference section 3.1.
pub fn seed_request() -> SessionRequest {
    Session::builder()
        .title(".NET Developer")
        .jd_text("Job Title: .NET Developer, Experience: 1-5 years, Location: Pune")
        .country_region_matches(["India"])
        .experience(1..=5)
        .mandatory_skills(["C#", ".NET Core"])
        .core_skills(["ASP.NET MVC", "Web API", "SQL Server"])
        .build()
        .unwrap()
}

/// Runs `future` under the [`SANITY`] bound.
pub async fn bounded<T>(what: &str, future: impl Future<Output = T>) -> T {
    tokio::time::timeout(SANITY, future)
        .await
        .unwrap_or_else(|_| panic!("{what} did not finish within {SANITY:?}: a hang"))
}

/// The soak measures the process's memory, so it runs alone: it takes this lock for writing,
/// every other test of this binary for reading.
static MEMORY: LazyLock<RwLock<()>> = LazyLock::new(|| RwLock::new(()));

pub fn shared() -> RwLockReadGuard<'static, ()> {
    MEMORY.read().unwrap_or_else(PoisonError::into_inner)
}

pub fn exclusive() -> RwLockWriteGuard<'static, ()> {
    MEMORY.write().unwrap_or_else(PoisonError::into_inner)
}

/// A multi-threaded runtime (2 workers, like the CI machine) for a test that holds a lock guard.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// Runs an async test body on a fresh runtime while holding the shared memory lock.
pub fn run<F: Future>(body: F) -> F::Output {
    let _guard = shared();
    runtime().block_on(body)
}

/// Runs an async test body on a current-thread runtime with tokio's clock paused, holding the
/// shared memory lock. The sandbox and the client share that runtime, so virtual time moves
/// only when every task waits for a timer: a latency, a timeout or a backoff lasts exactly its
/// configured duration, however loaded the machine is, and a request answered at once takes no
/// time at all.
pub fn run_paused<F: Future>(body: F) -> F::Output {
    let _guard = shared();
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .unwrap()
        .block_on(body)
}
