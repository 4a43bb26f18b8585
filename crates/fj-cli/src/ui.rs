//! What goes to standard error: notices, details, spinners and progress bars.
//!
//! Standard output carries only data, so `fj profiles ID --format csv > out.csv` gives a clean
//! file. Animated progress is drawn only when standard error is a terminal; otherwise the few
//! lines that matter are printed plainly.

use std::fmt::Display;
use std::io::IsTerminal;
use std::time::Duration;

use fj_sourcing::ResponseMeta;
use fj_sourcing::model::ProfileMatchingStatus;
use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::UiArgs;

/// How chatty to be on standard error.
#[derive(Clone, Debug)]
pub struct Ui {
    quiet: bool,
    verbose: u8,
    json_errors: bool,
    terminal: bool,
}

impl Ui {
    /// From the command line, looking at whether standard error is a terminal.
    pub fn new(args: &UiArgs) -> Self {
        Ui {
            quiet: args.quiet,
            verbose: args.verbose,
            json_errors: args.json,
            terminal: std::io::stderr().is_terminal(),
        }
    }

    /// Whether errors are printed as JSON.
    pub fn json_errors(&self) -> bool {
        self.json_errors
    }

    /// A notice (suppressed by `-q`).
    pub fn info(&self, message: impl Display) {
        if !self.quiet {
            eprintln!("fj: {message}");
        }
    }

    /// Something the user should know even with `-q`.
    pub fn warn(&self, message: impl Display) {
        eprintln!("fj: warning: {message}");
    }

    /// Whether `-v` was given at least `times` times (and not `-q`).
    pub fn verbose_at(&self, times: u8) -> bool {
        self.verbose >= times && !self.quiet
    }

    /// The request id and rate-limit headroom of a call (with `-v`).
    pub fn call(&self, what: &str, meta: &ResponseMeta) {
        if self.verbose == 0 || self.quiet {
            return;
        }
        let id = meta.request_id().unwrap_or("none");
        let rate = meta.rate_limit();
        match (rate.remaining(), rate.limit()) {
            (Some(left), Some(limit)) => eprintln!(
                "fj: {what}: HTTP {}, request id {id}, rate limit {left}/{limit} left",
                meta.status().as_u16()
            ),
            _ => eprintln!(
                "fj: {what}: HTTP {}, request id {id}",
                meta.status().as_u16()
            ),
        }
    }

    /// A spinner for waiting on a session.
    pub fn waiting(&self, session_id: &str) -> WaitDisplay {
        let bar = (self.terminal && !self.quiet).then(|| {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
                    .expect("the template is valid"),
            );
            bar.set_message(format!("session {session_id}: waiting"));
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        WaitDisplay {
            bar,
            plain: !self.terminal && !self.quiet,
            session_id: session_id.to_owned(),
        }
    }

    /// A candidates / `totalDocs` bar for walking every page.
    pub fn paging(&self, what: &str) -> PageDisplay {
        let bar = (self.terminal && !self.quiet).then(|| {
            let bar = ProgressBar::new(0);
            bar.set_style(
                ProgressStyle::with_template("{bar:30} {pos}/{len} candidates {msg}")
                    .expect("the template is valid"),
            );
            bar.set_message(what.to_owned());
            bar
        });
        PageDisplay { bar }
    }
}

/// The spinner (or plain lines) of a wait.
pub struct WaitDisplay {
    bar: Option<ProgressBar>,
    plain: bool,
    session_id: String,
}

impl WaitDisplay {
    /// After each poll: the status, whether it changed, the time since the first poll.
    pub fn poll(&self, status: Option<&ProfileMatchingStatus>, changed: bool, elapsed: Duration) {
        let status = status.map_or("unknown", ProfileMatchingStatus::as_str);
        if let Some(bar) = &self.bar {
            bar.set_message(format!("session {}: {status}", self.session_id));
        } else if self.plain && changed {
            eprintln!(
                "fj: session {}: {status} ({:.1}s)",
                self.session_id,
                elapsed.as_secs_f64()
            );
        }
    }

    /// Removes the spinner.
    pub fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}

/// The progress bar of a page walk.
pub struct PageDisplay {
    bar: Option<ProgressBar>,
}

impl PageDisplay {
    /// After each candidate: candidates so far and the latest known total.
    pub fn update(&self, candidates: u64, total: Option<u64>) {
        if let Some(bar) = &self.bar {
            if let Some(total) = total {
                bar.set_length(total.max(candidates));
            }
            bar.set_position(candidates);
        }
    }

    /// Removes the bar.
    pub fn clear(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
