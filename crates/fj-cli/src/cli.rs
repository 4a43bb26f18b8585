//! The command line, as clap parses it.
//!
//! The connection flags (`--api-key`, `--base-url`, `--sandbox`) are accepted both before the
//! subcommand (`fj --sandbox search q.json`) and after it (`fj search q.json --sandbox`). They are
//! not clap `global` args because `fj sandbox` has an `--api-key` of its own (the key the served
//! sandbox accepts, as in `fj-sandbox`), and a global `--api-key` fed from `FJ_API_KEY` would
//! hand the user's real key to the sandbox, which prints its key. So each API subcommand flattens
//! [`Remote`], which reads no environment, and the top level flattens [`TopRemote`], which does:
//! a flag after the subcommand wins over one before it, which wins over the environment.

use std::path::PathBuf;

use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};
use fj_sourcing::ApiKey;

const ABOUT: &str = "fj: the FutureJobs Sourcing API on the command line";

const LONG_ABOUT: &str = "fj: the FutureJobs Sourcing API on the command line.

Validate query files, create sourcing sessions, read their candidates as a table, CSV or JSON \
lines, reveal contacts within a credit cap, and serve a local sandbox. Data goes to standard \
output; progress, notices and errors go to standard error.";

const AFTER_HELP: &str = "Connecting:
  Commands that call the API need a key: --api-key KEY or the FJ_API_KEY environment variable
  (FJ_BASE_URL or --base-url points them at another server). With --sandbox they run against
  an embedded sandbox started for this one command instead (synthetic data, nothing leaves the
  machine, nothing is kept afterwards).

Exit status:
  0 success; 1 invalid input (a query file, an argument, a missing key); 2 the API answered
  with an error (4xx/5xx) or an unreadable answer; 3 transport failure or timeout.

Examples:
  fj validate queries/*.json
  fj --sandbox search examples/queries/dotnet-pune.json --wait
  fj profiles 6a0c77936e7a0151430c91fd --all --format csv > candidates.csv
  fj reveal 6a0c77936e7a0151430c91fd --email --cap 20 --from-profiles --format csv";

/// The whole command line.
#[derive(Debug, Parser)]
#[command(
    name = "fj",
    version,
    about = ABOUT,
    long_about = LONG_ABOUT,
    after_help = AFTER_HELP,
    max_term_width = 100
)]
pub struct Cli {
    /// How to reach the API when given before the subcommand.
    #[command(flatten)]
    pub remote: TopRemote,
    /// Output switches, accepted anywhere.
    #[command(flatten)]
    pub ui: UiArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Connection flags before the subcommand; these also read the environment.
#[derive(Debug, Args)]
#[command(next_help_heading = "Connection")]
pub struct TopRemote {
    /// FutureJobs API key (fjk_...); never printed
    #[arg(long, value_name = "KEY", env = "FJ_API_KEY", hide_env_values = true, value_parser = parse_key)]
    pub api_key: Option<ApiKey>,
    /// API base URL (the help text names the default).
    #[arg(
        long,
        value_name = "URL",
        env = "FJ_BASE_URL",
        hide_env_values = true,
        help = "API base URL [default: https://prod.api.futurejobs.ai/api/v1/wl]"
    )]
    pub base_url: Option<String>,
    /// Run against an embedded sandbox started for this command (no key needed)
    #[arg(long)]
    pub sandbox: bool,
}

/// Connection flags after an API subcommand (they win over the ones before it and over
/// `FJ_API_KEY`/`FJ_BASE_URL`).
#[derive(Debug, Args)]
#[command(next_help_heading = "Connection")]
pub struct Remote {
    /// FutureJobs API key (fjk_...) [default: $FJ_API_KEY]; never printed
    #[arg(long, value_name = "KEY", value_parser = parse_key)]
    pub api_key: Option<ApiKey>,
    /// API base URL (the help text names the default).
    #[arg(
        long,
        value_name = "URL",
        help = "API base URL [default: $FJ_BASE_URL, else https://prod.api.futurejobs.ai/api/v1/wl]"
    )]
    pub base_url: Option<String>,
    /// Run against an embedded sandbox started for this command (no key needed)
    #[arg(long)]
    pub sandbox: bool,
}

/// Where a command's requests go, once both levels of flags are merged.
#[derive(Debug)]
pub struct Target {
    /// The key, if any.
    pub api_key: Option<ApiKey>,
    /// The base URL, if not the default.
    pub base_url: Option<String>,
    /// Whether to start an embedded sandbox instead.
    pub sandbox: bool,
}

impl Remote {
    /// Merges these flags (after the subcommand) over the top-level ones.
    pub fn over(&self, top: &TopRemote) -> Target {
        Target {
            api_key: self.api_key.clone().or_else(|| top.api_key.clone()),
            base_url: self.base_url.clone().or_else(|| top.base_url.clone()),
            sandbox: self.sandbox || top.sandbox,
        }
    }
}

fn parse_key(raw: &str) -> Result<ApiKey, String> {
    if raw.trim().is_empty() {
        return Err("the API key must not be blank".to_owned());
    }
    Ok(ApiKey::new(raw))
}

/// Output switches.
#[derive(Debug, Args)]
#[command(next_help_heading = "Output")]
pub struct UiArgs {
    /// Print only data and errors: no progress, no notices
    #[arg(
        short,
        long,
        global = true,
        conflicts_with = "verbose",
        help_heading = "Output"
    )]
    pub quiet: bool,
    /// Also print request ids and rate-limit headroom of each call (on standard error); -vv with
    /// --sandbox also prints the embedded sandbox's request log
    #[arg(short, long, global = true, action = clap::ArgAction::Count, help_heading = "Output")]
    pub verbose: u8,
    /// Print errors as one JSON object on standard error: {"error": {"kind", "message", ...}}
    #[arg(long, global = true, help_heading = "Output")]
    pub json: bool,
}

/// How records are written to standard output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned columns, for reading
    #[default]
    Table,
    /// CSV with a header line
    Csv,
    /// One JSON object per line
    Ndjson,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check query files (Create Sourcing Session bodies) without calling the API
    #[command(
        long_about = "Check query files (Create Sourcing Session bodies) without calling the API.

Applies the library's rules (operators per filter, value shapes, blank strings, inverted \
ranges, skills) and prints `FILE: ok`, or every problem as `FILE: <wire path>: <message>`. Exits \
0 only when every file is valid, 1 otherwise: suitable for CI and pre-commit hooks.

With --online, also asks Filters Autocomplete (free of charge) about every value of every filter \
with a vocabulary, and prints each unknown value with its wire path, the closest values the API \
knows and whether it blocks: region, skill and title values block (exit 1), the others are \
advisory."
    )]
    Validate(ValidateArgs),
    /// Create a session from a query file (charges credits); optionally wait and list candidates
    #[command(
        long_about = "Create a sourcing session from a query file (charges credits).

Prints the session id, its status and the credits charged. With --wait, polls until matching is \
done (a spinner on a terminal, plain lines otherwise, on standard error), then prints the \
candidates: id, name, score, years, region, current title, current company, LinkedIn URL.

First checks the values against Filters Autocomplete (free, as `fj validate --online`): a \
misspelt region, skill or title stops the search with exit 1 before anything is charged, and so \
does a check that cannot run (rate limit, server or network error). --no-check skips it."
    )]
    Search(SearchArgs),
    /// List a session's candidates: one page, or every page with --all
    Profiles(ProfilesArgs),
    /// Reveal candidates' emails or phone numbers (charges credits), within an optional cap
    #[command(
        long_about = "Reveal candidates' emails or phone numbers (charges credits).

Give LinkedIn profile URLs, or --from-profiles to take every candidate of the session, best \
finalScore first (ties in the API's order, candidates without a score last; --min-score skips \
lower ones), so that a cap is spent on the best candidates. URLs are \
de-duplicated and revealed through the library's bulk call, --concurrency at a time, all emails \
before all phone numbers when both are asked for; rows come out in the order of the URLs. With \
--cap, no reveal is started that would take the credits spent above the cap (the library's \
credit cap); the rows revealed so far are printed and the ones left out are named on standard \
error (exit 0). A URL the API does not find is printed with status NOT_FOUND and the run goes on.

The cost of a reveal is read from the answer's creditInfo.amount when the API sends one; \
before an answer says, it is expected to be --cost-per-reveal (default 1, the reference \
documents no price)."
    )]
    Reveal(RevealArgs),
    /// Show one session: title, matching status and counts
    Session(SessionArgs),
    /// List the sessions of the key's project
    Sessions(SessionsArgs),
    /// Suggest values for a filter (Filters Autocomplete)
    Autocomplete(AutocompleteArgs),
    /// Turn a job description into a query file (JD to Filters), ready for `fj search`
    #[command(
        long_about = "Turn a job description into a query file (JD to Filters).

Prints a Create Sourcing Session body as JSON on standard output, ready for `fj search`. Filters \
the API did not find are left out (listed on standard error); annotations that cannot be used \
are reported as warnings and left out too."
    )]
    Jd(JdArgs),
    /// Serve the sandbox (the FutureJobs Sourcing API, locally) until Ctrl-C
    #[command(
        long_about = "Serve the sandbox until Ctrl-C: a local, stateful FutureJobs Sourcing \
API with synthetic candidates, for trying clients and scripts. Same options as `fj-sandbox`; \
one line per request on standard error (-q turns it off)."
    )]
    Sandbox(fj_sandbox::cli::SandboxArgs),
}

/// `fj validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Query files to check
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Also check the values against Filters Autocomplete (free; needs a key, --sandbox or
    /// --base-url)
    #[arg(long)]
    pub online: bool,
    /// Output format of the unknown values (csv and ndjson print one unknown value a line, and
    /// nothing else)
    #[arg(long, value_enum, default_value_t, requires = "online")]
    pub format: Format,
    #[command(flatten)]
    pub remote: Remote,
}

/// `fj search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Query file: a Create Sourcing Session body (see `fj validate`)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Wait until matching is done, then print the candidates
    #[arg(long)]
    pub wait: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Print at most N candidates (with --wait) [default: all]
    #[arg(long, value_name = "N", requires = "wait", value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: Option<u32>,
    /// Do not check the values against Filters Autocomplete before creating the session
    #[arg(long)]
    pub no_check: bool,
    /// Give up waiting after SECS seconds (exit 3)
    #[arg(long, value_name = "SECS", default_value_t = 300, requires = "wait", value_parser = clap::value_parser!(u64).range(1..))]
    pub wait_timeout: u64,
    #[command(flatten)]
    pub remote: Remote,
}

/// `fj profiles`.
#[derive(Debug, Args)]
pub struct ProfilesArgs {
    /// Session id (from `fj search` or `fj sessions`)
    #[arg(value_name = "SESSION_ID")]
    pub session_id: String,
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Every candidate of every page (pages of 100), with a progress bar on a terminal
    #[arg(long, conflicts_with_all = ["page", "limit"])]
    pub all: bool,
    /// With --all: pages requested at once (fewer when the API asks to slow down)
    #[arg(long, value_name = "N", default_value_t = 4, requires = "all", value_parser = clap::value_parser!(u16).range(1..))]
    pub pages_in_flight: u16,
    /// Page number, from 1
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub page: u32,
    /// Candidates per page
    #[arg(long, value_name = "N", default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: u32,
    #[command(flatten)]
    pub remote: Remote,
}

/// `fj reveal`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("kind").required(true).multiple(true).args(["email", "phone"])))]
pub struct RevealArgs {
    /// Session the candidates belong to
    #[arg(value_name = "SESSION_ID")]
    pub session_id: String,
    /// LinkedIn profile URLs of the candidates
    #[arg(value_name = "URL", required_unless_present = "from_profiles")]
    pub urls: Vec<String>,
    /// Reveal email addresses
    #[arg(long)]
    pub email: bool,
    /// Reveal phone numbers
    #[arg(long)]
    pub phone: bool,
    /// Take the URLs of every candidate of the session instead
    #[arg(long, conflicts_with = "urls")]
    pub from_profiles: bool,
    /// With --from-profiles: pages requested at once (fewer when the API asks to slow down)
    // Not `requires = "from_profiles"`: clap waives that when URLs (which conflict with it) are
    // given, so the flag would pass silently.
    #[arg(long, value_name = "N", default_value_t = 4, conflicts_with = "urls", value_parser = clap::value_parser!(u16).range(1..))]
    pub pages_in_flight: u16,
    /// With --from-profiles: skip candidates whose finalScore is below N (and those without one)
    #[arg(long, value_name = "N", requires = "from_profiles")]
    pub min_score: Option<f64>,
    /// Spend at most CREDITS credits in this run
    #[arg(long, value_name = "CREDITS")]
    pub cap: Option<u64>,
    /// Credits one reveal is expected to cost until an answer says
    #[arg(long, value_name = "CREDITS", default_value_t = 1)]
    pub cost_per_reveal: u64,
    /// Reveals in flight at once
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..))]
    pub concurrency: u16,
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    #[command(flatten)]
    pub remote: Remote,
}

/// `fj session`.
#[derive(Debug, Args)]
pub struct SessionArgs {
    /// Session id
    #[arg(value_name = "SESSION_ID")]
    pub session_id: String,
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    #[command(flatten)]
    pub remote: Remote,
}

/// `fj sessions`.
#[derive(Debug, Args)]
pub struct SessionsArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    #[command(flatten)]
    pub remote: Remote,
}

/// `fj autocomplete`.
#[derive(Debug, Args)]
pub struct AutocompleteArgs {
    /// Filter to suggest values for: region, skill, title, country_region, ...
    #[arg(value_name = "FILTER_TYPE")]
    pub filter_type: String,
    /// What was typed so far
    #[arg(value_name = "QUERY")]
    pub query: String,
    /// At most N suggestions [default: the API's]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: Option<u32>,
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    #[command(flatten)]
    pub remote: Remote,
}

/// `fj jd`.
#[derive(Debug, Args)]
pub struct JdArgs {
    /// The job description text
    #[arg(
        value_name = "TEXT",
        required_unless_present = "file",
        conflicts_with = "file"
    )]
    pub text: Option<String>,
    /// Read the job description from a file (`-` for standard input)
    #[arg(long, short, value_name = "F")]
    pub file: Option<PathBuf>,
    /// sessionTitle of the query
    #[arg(long, value_name = "TITLE")]
    pub title: Option<String>,
    /// A sample candidate's LinkedIn URL (sent to JD to Filters and kept as sampleProfileURL)
    #[arg(long, value_name = "URL")]
    pub linkedin_url: Option<String>,
    #[command(flatten)]
    pub remote: Remote,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn flags_after_the_subcommand_win_over_flags_before_it() {
        let cli = Cli::try_parse_from([
            "fj",
            "--api-key",
            "fjk_top",
            "--base-url",
            "http://127.0.0.1:1/a",
            "sessions",
            "--api-key",
            "fjk_sub",
        ])
        .unwrap();
        let Command::Sessions(args) = &cli.command else {
            panic!("expected sessions");
        };
        let target = args.remote.over(&cli.remote);
        assert_eq!(target.api_key.unwrap().expose_secret(), "fjk_sub");
        assert_eq!(target.base_url.as_deref(), Some("http://127.0.0.1:1/a"));
        assert!(!target.sandbox);
    }

    #[test]
    fn debug_output_hides_the_key() {
        let cli = Cli::try_parse_from(["fj", "sessions", "--api-key", "fjk_hidden_123"]).unwrap();
        let shown = format!("{cli:?}");
        assert!(!shown.contains("fjk_hidden_123"), "{shown}");
    }
}
