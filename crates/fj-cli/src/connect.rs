//! A client for the command: the configured API, or an embedded sandbox with `--sandbox`.

use anyhow::Context;
use fj_sourcing::sandbox::{Sandbox, SandboxHandle};
use fj_sourcing::{Client, ClientBuilder};

use crate::cli::Target;
use crate::failure::InputError;
use crate::ui::Ui;

const USER_AGENT: &str = concat!("fj/", env!("CARGO_PKG_VERSION"));

/// The client, and the sandbox it talks to when there is one.
pub struct Connection {
    /// The client to use.
    pub client: Client,
    sandbox: Option<SandboxHandle>,
}

impl Connection {
    /// Builds the client. Without a key and without `--sandbox`, says how to set one.
    pub async fn open(target: Target, ui: &Ui) -> anyhow::Result<Connection> {
        Self::open_with(target, ui, |builder| builder).await
    }

    /// [`open`](Self::open), with the client's builder passed through `configure` last (a
    /// credit cap, say).
    pub async fn open_with(
        target: Target,
        ui: &Ui,
        configure: impl FnOnce(ClientBuilder) -> ClientBuilder,
    ) -> anyhow::Result<Connection> {
        if target.sandbox {
            let sandbox = Sandbox::builder()
                .start()
                .await
                .context("starting the embedded sandbox")?;
            // Quiet unless asked: `-vv` shows its request log as `fj sandbox` does.
            fj_sandbox::cli::show_log(!ui.verbose_at(2));
            ui.info(format_args!(
                "--sandbox: using an embedded sandbox at {} (synthetic data, {}; \
                 nothing is sent to FutureJobs and nothing is kept)",
                sandbox.base_url(),
                crate::output::count(sandbox.credits_remaining(), "credit")
            ));
            if target.api_key.is_some() || target.base_url.is_some() {
                ui.info("--sandbox: ignoring the configured API key and base URL");
            }
            let client = configure(
                Client::builder()
                    .api_key(sandbox.api_key())
                    .base_url(sandbox.base_url())
                    .user_agent(USER_AGENT),
            )
            .build()?;
            return Ok(Connection {
                client,
                sandbox: Some(sandbox),
            });
        }
        let Some(key) = target.api_key else {
            return Err(InputError::new(
                "MissingApiKey",
                "no API key: set FJ_API_KEY (export FJ_API_KEY=fjk_...) or pass --api-key KEY; \
                 or try the command on an embedded sandbox with --sandbox",
            )
            .into());
        };
        let mut builder = Client::builder().api_key(key).user_agent(USER_AGENT);
        if let Some(url) = target.base_url {
            builder = builder.base_url(url);
        }
        Ok(Connection {
            client: configure(builder).build()?,
            sandbox: None,
        })
    }

    /// Stops the embedded sandbox, if any.
    pub async fn close(self) {
        if let Some(sandbox) = self.sandbox {
            sandbox.shutdown().await;
        }
    }
}
