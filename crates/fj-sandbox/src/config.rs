//! The sandbox's settings: credit costs, matching pace, limits.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::vocab::Vocabulary;

/// Credits each paid operation costs.
///
/// The reference documents only Create's price (5). The sandbox's defaults for the others are
/// choices, not facts: Update re-runs the whole search, so it costs what Create costs; Fetch More
/// runs one more search batch, so it costs the same too; revealing one contact costs 1.
///
/// ```
/// use fj_sandbox::Costs;
///
/// let costs = Costs { reveal: 3, ..Costs::DEFAULT };
/// assert_eq!((costs.create, costs.update, costs.fetch_more, costs.reveal), (5, 5, 5, 3));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Costs {
    /// Create Sourcing Session (documented: 5).
    pub create: u64,
    /// Update Session.
    pub update: u64,
    /// Fetch More Profiles.
    pub fetch_more: u64,
    /// Reveal Contact, per contact type (EMAIL or PHONE) and candidate; repeats are free.
    pub reveal: u64,
}

impl Costs {
    /// 5 for Create (as documented), 5 for Update, 5 for Fetch More, 1 per Reveal.
    pub const DEFAULT: Costs = Costs {
        create: 5,
        update: 5,
        fetch_more: 5,
        reveal: 1,
    };
}

impl Default for Costs {
    fn default() -> Self {
        Costs::DEFAULT
    }
}

/// How long a search (Create, Update, Fetch More) takes to reach `done`.
///
/// The reference gives no timing; polling Get Session Details is the documented way to wait.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Matching {
    /// This many Get Session Details calls still report the running status; the next one (and
    /// every read after it) sees `done`. `Polls(0)`: the first poll already sees `done`.
    Polls(u32),
    /// The search is `done` once this much time has passed since it started, whoever asks.
    Delay(Duration),
}

impl Default for Matching {
    /// One poll reports the running status, the second reports `done`.
    fn default() -> Self {
        Matching::Polls(1)
    }
}

/// Everything a running sandbox needs to know.
#[derive(Clone)]
pub(crate) struct Config {
    pub(crate) addr: SocketAddr,
    pub(crate) api_keys: Vec<String>,
    pub(crate) credits: u64,
    pub(crate) costs: Costs,
    pub(crate) matching: Matching,
    pub(crate) rate_limit: u32,
    pub(crate) rate_window: Duration,
    pub(crate) max_page_size: u32,
    pub(crate) batch_size: u32,
    pub(crate) seed: u64,
    pub(crate) latency: Duration,
    /// The journal's bounds (requests, bytes) and the log's format.
    pub(crate) journal: (usize, usize, crate::LogFormat),
    /// At most this many sessions are stored, the oldest evicted first (`None`: no limit).
    pub(crate) max_sessions: Option<usize>,
    /// The word lists, with the user's own words.
    pub(crate) vocabulary: Vocabulary,
    /// A JSON file of more words (`filter_type` to a list of values), read when the sandbox
    /// starts.
    pub(crate) vocabulary_file: Option<PathBuf>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("addr", &self.addr)
            .field(
                "api_keys",
                &format_args!("[{} redacted]", self.api_keys.len()),
            )
            .field("credits", &self.credits)
            .field("costs", &self.costs)
            .field("matching", &self.matching)
            .field("rate_limit", &self.rate_limit)
            .field("rate_window", &self.rate_window)
            .field("max_page_size", &self.max_page_size)
            .field("batch_size", &self.batch_size)
            .field("seed", &self.seed)
            .field("latency", &self.latency)
            .field("journal", &self.journal)
            .field("max_sessions", &self.max_sessions)
            .finish()
    }
}
