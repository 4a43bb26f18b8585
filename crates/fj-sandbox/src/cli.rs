//! The `fj-sandbox` program's flags as a [`clap::Args`] struct (feature `cli`), so
//! that another command line can offer the same flags: the `fj` CLI flattens it into
//! `fj sandbox`.
//!
//! ```
//! use clap::Parser;
//! use fj_sandbox::cli::SandboxArgs;
//!
//! #[derive(Parser)]
//! struct Command {
//!     #[command(flatten)]
//!     sandbox: SandboxArgs,
//! }
//!
//! let command = Command::parse_from(["serve", "--credits", "50", "--polls", "0"]);
//! assert_eq!(command.sandbox.credits, 50);
//! let builder = command.sandbox.into_builder();
//! # let _ = builder;
//! ```

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use crate::{
    Costs, DEFAULT_ADDR, DEFAULT_API_KEY, DEFAULT_BATCH_SIZE, DEFAULT_CREDITS,
    DEFAULT_JOURNAL_BYTES, DEFAULT_JOURNAL_REQUESTS, DEFAULT_MAX_PAGE_SIZE, DEFAULT_RATE_LIMIT,
    DEFAULT_RATE_WINDOW, DEFAULT_SEED, LogFormat, Matching, Sandbox, SandboxBuilder,
};

/// Every option of the `fj-sandbox` program. Each field is public, with the program's default,
/// so a caller can also fill or adjust it in code before [`into_builder`](Self::into_builder).
#[derive(Args, Clone, PartialEq, Eq)]
pub struct SandboxArgs {
    /// Address to serve on; port 0 picks a free one
    #[arg(long, value_name = "HOST:PORT", default_value_t = DEFAULT_ADDR, value_parser = parse_addr)]
    pub addr: SocketAddr,

    /// API key to accept; repeat to accept several
    #[arg(
        long = "api-key",
        value_name = "KEY",
        default_value = DEFAULT_API_KEY,
        value_parser = parse_key
    )]
    pub api_keys: Vec<String>,

    /// Starting credits of the workspace
    #[arg(long, value_name = "N", default_value_t = DEFAULT_CREDITS, value_parser = whole::<u64>)]
    pub credits: u64,

    /// Get Session Details polls that still report the running status before `done`
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = whole::<u32>)]
    pub polls: u32,

    /// Instead of --polls: searches are done MS milliseconds after they start
    #[arg(long = "delay-ms", value_name = "MS", conflicts_with = "polls", value_parser = whole::<u64>)]
    pub delay_ms: Option<u64>,

    /// Delay every answer by MS milliseconds (a network's round trip, to see and measure
    /// pages in flight outside Rust)
    #[arg(long = "latency-ms", value_name = "MS", default_value_t = 0, value_parser = whole::<u64>)]
    pub latency_ms: u64,

    /// Requests allowed per window
    #[arg(long = "rate-limit", value_name = "N", default_value_t = DEFAULT_RATE_LIMIT, value_parser = whole::<u32>)]
    pub rate_limit: u32,

    /// Rate-limit window in seconds
    #[arg(
        long = "rate-window",
        value_name = "SECS",
        default_value_t = DEFAULT_RATE_WINDOW.as_secs(),
        value_parser = parse_window
    )]
    pub rate_window: u64,

    /// Largest Get Profiles `limit` honoured
    #[arg(long = "max-page-size", value_name = "N", default_value_t = DEFAULT_MAX_PAGE_SIZE, value_parser = whole::<u32>)]
    pub max_page_size: u32,

    /// Candidates found per search
    #[arg(long = "batch-size", value_name = "N", default_value_t = DEFAULT_BATCH_SIZE, value_parser = whole::<u32>)]
    pub batch_size: u32,

    /// Seed of the synthetic data
    #[arg(long, value_name = "N", default_value_t = DEFAULT_SEED, value_parser = whole::<u64>)]
    pub seed: u64,

    /// Keep at most N sessions, evicting the oldest first (bounds memory; calls naming an evicted
    /// session get a 404 saying so) [default: no limit]
    #[arg(long = "max-sessions", value_name = "N", value_parser = parse_max_sessions)]
    pub max_sessions: Option<usize>,

    /// Credits per Create Sourcing Session
    #[arg(long = "create-cost", value_name = "N", default_value_t = Costs::DEFAULT.create, value_parser = whole::<u64>)]
    pub create_cost: u64,

    /// Credits per Update Session
    #[arg(long = "update-cost", value_name = "N", default_value_t = Costs::DEFAULT.update, value_parser = whole::<u64>)]
    pub update_cost: u64,

    /// Credits per Fetch More Profiles
    #[arg(long = "fetch-more-cost", value_name = "N", default_value_t = Costs::DEFAULT.fetch_more, value_parser = whole::<u64>)]
    pub fetch_more_cost: u64,

    /// More words for Filters Autocomplete and matching: a JSON file from filter_type to a list of
    /// values, e.g. {"skill": ["Zig"], "region": ["Lyon, France"]}
    #[arg(long, value_name = "FILE")]
    pub vocabulary: Option<PathBuf>,

    /// Credits per revealed contact
    #[arg(long = "reveal-cost", value_name = "N", default_value_t = Costs::DEFAULT.reveal, value_parser = whole::<u64>)]
    pub reveal_cost: u64,

    /// Request log on standard error: one line per request, as text or one JSON object
    #[arg(long = "log-format", value_name = "FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,

    /// Requests the journal keeps (GET /api/v1/wl/__sandbox/requests); 0 turns it off
    #[arg(long = "journal-size", value_name = "N", default_value_t = DEFAULT_JOURNAL_REQUESTS, value_parser = whole::<usize>)]
    pub journal_size: usize,
}

impl Default for SandboxArgs {
    /// The program's defaults: what an empty command line gives.
    fn default() -> Self {
        SandboxArgs {
            addr: DEFAULT_ADDR,
            api_keys: vec![DEFAULT_API_KEY.to_owned()],
            credits: DEFAULT_CREDITS,
            polls: 1,
            delay_ms: None,
            latency_ms: 0,
            rate_limit: DEFAULT_RATE_LIMIT,
            rate_window: DEFAULT_RATE_WINDOW.as_secs(),
            max_page_size: DEFAULT_MAX_PAGE_SIZE,
            batch_size: DEFAULT_BATCH_SIZE,
            seed: DEFAULT_SEED,
            max_sessions: None,
            create_cost: Costs::DEFAULT.create,
            update_cost: Costs::DEFAULT.update,
            fetch_more_cost: Costs::DEFAULT.fetch_more,
            reveal_cost: Costs::DEFAULT.reveal,
            vocabulary: None,
            log_format: LogFormat::Text,
            journal_size: DEFAULT_JOURNAL_REQUESTS,
        }
    }
}

impl fmt::Debug for SandboxArgs {
    /// Like the derived form, with the keys redacted as in [`SandboxBuilder`]'s.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SandboxArgs")
            .field("addr", &self.addr)
            .field(
                "api_keys",
                &format_args!("[{} redacted]", self.api_keys.len()),
            )
            .field("credits", &self.credits)
            .field("polls", &self.polls)
            .field("delay_ms", &self.delay_ms)
            .field("latency_ms", &self.latency_ms)
            .field("rate_limit", &self.rate_limit)
            .field("rate_window", &self.rate_window)
            .field("max_page_size", &self.max_page_size)
            .field("batch_size", &self.batch_size)
            .field("seed", &self.seed)
            .field("max_sessions", &self.max_sessions)
            .field("create_cost", &self.create_cost)
            .field("update_cost", &self.update_cost)
            .field("fetch_more_cost", &self.fetch_more_cost)
            .field("reveal_cost", &self.reveal_cost)
            .field("vocabulary", &self.vocabulary)
            .field("log_format", &self.log_format)
            .field("journal_size", &self.journal_size)
            .finish()
    }
}

impl SandboxArgs {
    /// A [`SandboxBuilder`] configured as the flags say, serving on [`addr`](Self::addr).
    pub fn into_builder(self) -> SandboxBuilder {
        let matching = match self.delay_ms {
            Some(ms) => Matching::Delay(Duration::from_millis(ms)),
            None => Matching::Polls(self.polls),
        };
        let costs = Costs {
            create: self.create_cost,
            update: self.update_cost,
            fetch_more: self.fetch_more_cost,
            reveal: self.reveal_cost,
        };
        let mut builder = match self.max_sessions {
            Some(max) => Sandbox::builder().max_sessions(max),
            None => Sandbox::builder(),
        };
        if let Some(path) = self.vocabulary {
            builder = builder.vocabulary_file(path);
        }
        builder
            .addr(self.addr)
            .api_keys(self.api_keys)
            .credits(self.credits)
            .matching(matching)
            .rate_limit(
                self.rate_limit,
                Duration::from_secs(self.rate_window.max(1)),
            )
            .max_page_size(self.max_page_size)
            .batch_size(self.batch_size)
            .seed(self.seed)
            .costs(costs)
            .latency(Duration::from_millis(self.latency_ms))
            .log_format(self.log_format)
            .journal_size(self.journal_size, DEFAULT_JOURNAL_BYTES)
    }
}

/// Shows the request log on standard error (a global `tracing` subscriber for the
/// `fj_sandbox` target alone), unless `quiet`. The `-q/--quiet` flag is the caller's own (the
/// `fj-sandbox` program's, or `fj`'s global one), so that one command line has one such flag.
pub fn show_log(quiet: bool) {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    if quiet {
        return;
    }
    let only_requests =
        tracing_subscriber::filter::Targets::new().with_target("fj_sandbox", tracing::Level::INFO);
    let log = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .without_time()
        .with_level(false)
        .with_target(false)
        .finish();
    // Fails only when the program already installed a subscriber, which then gets the events.
    let _ = log.with(only_requests).try_init();
}

// The parsers return the reason only: clap puts it after "invalid value 'X' for '--flag <N>'".

fn whole<T: std::str::FromStr>(value: &str) -> Result<T, String> {
    value
        .parse()
        .map_err(|_| "expects a whole number".to_owned())
}

fn parse_addr(value: &str) -> Result<SocketAddr, String> {
    value
        .parse()
        .map_err(|_| "expects HOST:PORT such as 127.0.0.1:4010".to_owned())
}

fn parse_key(value: &str) -> Result<String, String> {
    if value.trim().is_empty() {
        return Err("must not be blank".to_owned());
    }
    Ok(value.to_owned())
}

fn parse_max_sessions(value: &str) -> Result<usize, String> {
    match whole::<usize>(value)? {
        0 => Err("must be at least 1".to_owned()),
        max => Ok(max),
    }
}

fn parse_window(value: &str) -> Result<u64, String> {
    match whole::<u64>(value)? {
        0 => Err("must be at least 1 second".to_owned()),
        secs => Ok(secs),
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser, Debug)]
    #[command(name = "fj-sandbox")]
    struct Program {
        #[command(flatten)]
        args: SandboxArgs,
    }

    fn parse(list: &[&str]) -> Result<SandboxArgs, clap::Error> {
        Program::try_parse_from(std::iter::once("fj-sandbox").chain(list.iter().copied()))
            .map(|p| p.args)
    }

    fn error(list: &[&str]) -> String {
        parse(list).unwrap_err().to_string()
    }

    #[test]
    fn an_empty_command_line_gives_the_defaults() {
        assert_eq!(parse(&[]).unwrap(), SandboxArgs::default());
        let shown = format!("{:?}", SandboxArgs::default().into_builder());
        assert!(shown.contains("127.0.0.1:4010"), "{shown}");
        assert!(shown.contains("credits: 1000"), "{shown}");
    }

    #[test]
    fn every_flag_reaches_the_builder() {
        let args = parse(&[
            "--addr=127.0.0.1:0",
            "--api-key",
            "fjk_a",
            "--api-key=fjk_b",
            "--credits",
            "50",
            "--rate-limit",
            "7",
            "--rate-window",
            "3",
            "--max-page-size",
            "9",
            "--batch-size",
            "11",
            "--seed",
            "5",
            "--max-sessions",
            "500",
            "--create-cost",
            "1",
            "--update-cost",
            "2",
            "--fetch-more-cost",
            "3",
            "--reveal-cost",
            "4",
            "--delay-ms",
            "250",
            "--latency-ms",
            "120",
            "--log-format",
            "json",
            "--journal-size",
            "12",
        ])
        .unwrap();
        assert_eq!(args.api_keys, ["fjk_a", "fjk_b"]);
        let listed = format!("{args:?}");
        assert!(listed.contains("api_keys: [2 redacted]"), "{listed}");
        assert!(!listed.contains("fjk_"), "a key leaked: {listed}");
        let shown = format!("{:?}", args.into_builder());
        for part in [
            "127.0.0.1:0",
            "credits: 50",
            "rate_limit: 7",
            "rate_window: 3s",
            "max_page_size: 9",
            "batch_size: 11",
            "seed: 5",
            "max_sessions: Some(500)",
            "create: 1",
            "update: 2",
            "fetch_more: 3",
            "reveal: 4",
            "Delay(250ms)",
            "latency: 120ms",
            "journal: (12, 67108864, Json)",
        ] {
            assert!(shown.contains(part), "{part} missing from {shown}");
        }
        assert!(shown.contains("api_keys: [2 redacted]"), "{shown}");
        assert!(!shown.contains("fjk_"), "a key leaked: {shown}");
    }

    #[test]
    fn errors_name_the_flag_and_the_reason() {
        assert_eq!(
            error(&["--credits", "lots"]),
            "error: invalid value 'lots' for '--credits <N>': expects a whole number\n\n\
             For more information, try '--help'.\n"
        );
        assert!(
            error(&["--credits"]).contains("a value is required for '--credits <N>'"),
            "{}",
            error(&["--credits"])
        );
        assert!(error(&["--colour"]).contains("unexpected argument '--colour'"));
        assert!(error(&["serve"]).contains("unexpected argument 'serve'"));
        assert!(
            error(&["--polls", "2", "--delay-ms", "10"])
                .contains("the argument '--polls <N>' cannot be used with '--delay-ms <MS>'"),
            "{}",
            error(&["--polls", "2", "--delay-ms", "10"])
        );
        assert!(error(&["--addr", "localhost"]).contains("expects HOST:PORT"));
        assert!(error(&["--api-key", " "]).contains("must not be blank"));
        assert!(error(&["--rate-window", "0"]).contains("must be at least 1 second"));
        assert_eq!(
            error(&["--max-sessions", "0"]),
            "error: invalid value '0' for '--max-sessions <N>': must be at least 1\n\n\
             For more information, try '--help'.\n"
        );
    }
}
