//! An embedded sandbox for each test, and `fj` commands pointed at it.

use std::path::PathBuf;

use assert_cmd::Command;
use fj_sourcing::sandbox::{Sandbox, SandboxBuilder, SandboxHandle};
use fj_sourcing::{Client, Session, WaitOptions};
use tokio::runtime::Runtime;

/// A key that no test output may contain.
pub const SECRET_KEY: &str = "fjk_cli_test_secret_5f1e9a";

/// The example query of the README.
pub fn example_query() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/queries/dotnet-pune.json"
    ))
}

/// `fj` with no key or base URL from the environment.
pub fn bare_fj() -> Command {
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("fj");
    cmd.env_remove("FJ_API_KEY").env_remove("FJ_BASE_URL");
    cmd
}

/// A sandbox served on a runtime of its own while `fj` runs as a child process.
pub struct Env {
    runtime: Runtime,
    sandbox: Option<SandboxHandle>,
}

impl Env {
    /// A sandbox accepting [`SECRET_KEY`], done on the first poll, with `configure` applied.
    pub fn start(configure: impl FnOnce(SandboxBuilder) -> SandboxBuilder) -> Env {
        let runtime = Runtime::new().unwrap();
        let builder = configure(Sandbox::builder().api_key(SECRET_KEY).polls_before_done(0));
        let sandbox = runtime.block_on(builder.start()).unwrap();
        Env {
            runtime,
            sandbox: Some(sandbox),
        }
    }

    /// The defaults of [`start`](Self::start).
    pub fn new() -> Env {
        Env::start(|b| b)
    }

    pub fn sandbox(&self) -> &SandboxHandle {
        self.sandbox.as_ref().unwrap()
    }

    /// `fj --base-url <sandbox> --api-key <key>`, the environment cleared.
    pub fn fj(&self) -> Command {
        self.fj_with_key(SECRET_KEY)
    }

    /// `fj --base-url <sandbox> --api-key <key>` with another key.
    pub fn fj_with_key(&self, key: &str) -> Command {
        let mut cmd = bare_fj();
        cmd.args(["--base-url", self.sandbox().base_url(), "--api-key", key]);
        cmd
    }

    /// A library client for the sandbox (to set up and to check what `fj` did).
    pub fn client(&self) -> Client {
        Client::builder()
            .api_key(SECRET_KEY)
            .base_url(self.sandbox().base_url())
            .build()
            .unwrap()
    }

    pub fn block_on<F: std::future::Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    /// A session whose matching is done, created through the library.
    pub fn done_session(&self) -> String {
        let request = Session::builder()
            .region_in(["Pune, Maharashtra, India"])
            .mandatory_skills(["C#"])
            .build()
            .unwrap();
        self.done_session_for(&request)
    }

    /// A session for `request` whose search has finished; its id.
    pub fn done_session_for(&self, request: &fj_sourcing::SessionRequest) -> String {
        let client = self.client();
        self.block_on(async {
            let created = client.create_session(request).await.unwrap();
            let id = created.id().unwrap().to_owned();
            client
                .wait_until_done(&id, WaitOptions::default())
                .await
                .unwrap();
            id
        })
    }

    /// Every candidate id of a session, in the API's order, read through the library.
    pub fn candidate_ids(&self, session_id: &str) -> Vec<String> {
        let client = self.client();
        self.block_on(async {
            let mut ids = Vec::new();
            let mut page = 1;
            loop {
                let answer = client.profiles(session_id, page, 100).await.unwrap();
                ids.extend(answer.docs.iter().map(|c| c.id.clone().unwrap()));
                match answer.next_page_number() {
                    Some(next) => page = u32::try_from(next).unwrap(),
                    None => return ids,
                }
            }
        })
    }

    /// The LinkedIn URLs of a session's candidates, in the API's order.
    pub fn candidate_urls(&self, session_id: &str) -> Vec<String> {
        let client = self.client();
        self.block_on(async {
            let answer = client.profiles(session_id, 1, 100).await.unwrap();
            answer
                .docs
                .iter()
                .map(|c| c.linkedin_url().unwrap().to_owned())
                .collect()
        })
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        if let Some(sandbox) = self.sandbox.take() {
            self.runtime.block_on(sandbox.shutdown());
        }
    }
}

/// Standard output and error of a finished command, as text.
pub struct Ran {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Ran {
    pub fn of(cmd: &mut Command) -> Ran {
        let output = cmd.output().unwrap();
        Ran {
            code: output.status.code().expect("fj was not killed by a signal"),
            stdout: String::from_utf8(output.stdout).unwrap(),
            stderr: String::from_utf8(output.stderr).unwrap(),
        }
    }

    /// Fails the test if the key shows up anywhere.
    pub fn assert_no_key(&self) -> &Self {
        for line in self.stdout.lines().chain(self.stderr.lines()) {
            assert!(!line.contains(SECRET_KEY), "the key leaked: {line}");
        }
        self
    }
}

/// CSV text as rows of cells; the first row is the header.
pub fn csv_rows(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

pub const CANDIDATE_HEADER: [&str; 8] = [
    "id",
    "name",
    "score",
    "years",
    "region",
    "current_title",
    "current_company",
    "linkedin_url",
];
