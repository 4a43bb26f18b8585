//! `fj-sandbox`: the FutureJobs Sourcing API sandbox as a program.
//!
//! Run `fj-sandbox --help` for the options. With none it serves on 127.0.0.1:4010 with the key
//! `fjk_sandbox_key` and 1000 credits, and stops cleanly on Ctrl-C.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::str::FromStr;
use std::time::Duration;

use fj_sandbox::{
    Costs, DEFAULT_ADDR, DEFAULT_API_KEY, DEFAULT_BATCH_SIZE, DEFAULT_CREDITS,
    DEFAULT_MAX_PAGE_SIZE, DEFAULT_RATE_LIMIT, DEFAULT_RATE_WINDOW, DEFAULT_SEED, Matching,
    Sandbox, SandboxBuilder,
};

fn usage() -> String {
    format!(
        "fj-sandbox: a local, stateful FutureJobs Sourcing API for trying and testing clients

Usage: fj-sandbox [OPTIONS]

Options:
  --addr HOST:PORT        address to serve on [default: {DEFAULT_ADDR}]; port 0 picks a free one
  --api-key KEY           API key to accept; repeat to accept several [default: {DEFAULT_API_KEY}]
  --credits N             starting credits of the workspace [default: {DEFAULT_CREDITS}]
  --polls N               Get Session Details polls that still report the running status
                          before `done` [default: 1]
  --delay-ms MS           instead of --polls: searches are done MS milliseconds after they start
  --rate-limit N          requests allowed per window [default: {DEFAULT_RATE_LIMIT}]
  --rate-window SECS      rate-limit window in seconds [default: {}]
  --max-page-size N       largest Get Profiles `limit` honoured [default: {DEFAULT_MAX_PAGE_SIZE}]
  --batch-size N          candidates found per search [default: {DEFAULT_BATCH_SIZE}]
  --seed N                seed of the synthetic data [default: {DEFAULT_SEED}]
  --max-sessions N        keep at most N sessions, evicting the oldest first (bounds memory;
                          calls naming an evicted session get a 404 saying so) [default: no limit]
  --create-cost N         credits per Create Sourcing Session [default: {}]
  --update-cost N         credits per Update Session [default: {}]
  --fetch-more-cost N     credits per Fetch More Profiles [default: {}]
  --reveal-cost N         credits per revealed contact [default: {}]
  -h, --help              print this help

Options take their value as the next argument or after `=` (--credits=50).",
        DEFAULT_RATE_WINDOW.as_secs(),
        Costs::DEFAULT.create,
        Costs::DEFAULT.update,
        Costs::DEFAULT.fetch_more,
        Costs::DEFAULT.reveal,
    )
}

/// What the command line asks for.
#[derive(Debug)]
enum Command {
    Help,
    Serve(Box<SandboxBuilder>),
}

fn number<T: FromStr>(flag: &str, value: &str) -> Result<T, String> {
    value
        .parse()
        .map_err(|_| format!("{flag} expects a whole number, got {value:?}"))
}

fn parse<I: IntoIterator<Item = String>>(args: I) -> Result<Command, String> {
    let mut builder = Sandbox::builder().addr(DEFAULT_ADDR);
    let mut keys: Vec<String> = Vec::new();
    let mut costs = Costs::DEFAULT;
    let mut matching: Option<(&str, Matching)> = None;
    let mut rate_limit = DEFAULT_RATE_LIMIT;
    let mut rate_window = DEFAULT_RATE_WINDOW;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        if arg == "-h" || arg == "--help" {
            return Ok(Command::Help);
        }
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_owned(), Some(value.to_owned()))
            }
            _ => (arg.clone(), None),
        };
        if !flag.starts_with("--") {
            return Err(format!("unexpected argument {arg:?}"));
        }
        let known = [
            "--addr",
            "--api-key",
            "--credits",
            "--polls",
            "--delay-ms",
            "--rate-limit",
            "--rate-window",
            "--max-page-size",
            "--batch-size",
            "--seed",
            "--max-sessions",
            "--create-cost",
            "--update-cost",
            "--fetch-more-cost",
            "--reveal-cost",
        ];
        let Some(&flag) = known.iter().find(|k| **k == flag) else {
            return Err(format!("unknown option {flag}"));
        };
        let value = match inline.or_else(|| args.next()) {
            Some(value) => value,
            None => return Err(format!("{flag} needs a value")),
        };
        let set_matching = |current: &mut Option<(&str, Matching)>, m: Matching| match current {
            Some((other, _)) if *other != flag => {
                Err(format!("{other} and {flag} cannot be used together"))
            }
            _ => {
                *current = Some((flag, m));
                Ok(())
            }
        };
        match flag {
            "--addr" => {
                let addr: SocketAddr = value.parse().map_err(|_| {
                    format!("--addr expects HOST:PORT such as 127.0.0.1:4010, got {value:?}")
                })?;
                builder = builder.addr(addr);
            }
            "--api-key" => {
                if value.trim().is_empty() {
                    return Err("--api-key must not be blank".to_owned());
                }
                keys.push(value);
            }
            "--credits" => builder = builder.credits(number(flag, &value)?),
            "--polls" => set_matching(&mut matching, Matching::Polls(number(flag, &value)?))?,
            "--delay-ms" => set_matching(
                &mut matching,
                Matching::Delay(Duration::from_millis(number(flag, &value)?)),
            )?,
            "--rate-limit" => rate_limit = number(flag, &value)?,
            "--rate-window" => {
                let secs: u64 = number(flag, &value)?;
                if secs == 0 {
                    return Err("--rate-window must be at least 1 second".to_owned());
                }
                rate_window = Duration::from_secs(secs);
            }
            "--max-page-size" => builder = builder.max_page_size(number(flag, &value)?),
            "--batch-size" => builder = builder.batch_size(number(flag, &value)?),
            "--seed" => builder = builder.seed(number(flag, &value)?),
            "--max-sessions" => {
                let max: usize = number(flag, &value)?;
                if max == 0 {
                    return Err("--max-sessions must be at least 1".to_owned());
                }
                builder = builder.max_sessions(max);
            }
            "--create-cost" => costs.create = number(flag, &value)?,
            "--update-cost" => costs.update = number(flag, &value)?,
            "--fetch-more-cost" => costs.fetch_more = number(flag, &value)?,
            "--reveal-cost" => costs.reveal = number(flag, &value)?,
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    if !keys.is_empty() {
        builder = builder.api_keys(keys);
    }
    if let Some((_, matching)) = matching {
        builder = builder.matching(matching);
    }
    Ok(Command::Serve(Box::new(
        builder.costs(costs).rate_limit(rate_limit, rate_window),
    )))
}

#[tokio::main]
async fn main() -> ExitCode {
    let builder = match parse(std::env::args().skip(1)) {
        Ok(Command::Help) => {
            println!("{}", usage());
            return ExitCode::SUCCESS;
        }
        Ok(Command::Serve(builder)) => *builder,
        Err(message) => {
            eprintln!("fj-sandbox: {message}\nRun `fj-sandbox --help` for the options.");
            return ExitCode::from(2);
        }
    };
    let sandbox = match builder.start().await {
        Ok(sandbox) => sandbox,
        Err(err) => {
            eprintln!("fj-sandbox: cannot start: {err}");
            return ExitCode::FAILURE;
        }
    };
    let base = sandbox.base_url();
    // Printing the key is the point here: it is the sandbox's own, local key.
    let key = sandbox.api_key();
    println!("fj-sandbox serving the FutureJobs Sourcing API at {base}");
    println!("API key: {key}");
    println!("Credits: {}", sandbox.credits_remaining());
    println!("Try:");
    println!("  curl -s -H 'x-fj-api-key: {key}' {base}/projects/sessions");
    println!("Press Ctrl-C to stop.");
    if let Err(err) = tokio::signal::ctrl_c().await {
        eprintln!("fj-sandbox: cannot listen for Ctrl-C ({err}); stopping");
    }
    sandbox.shutdown().await;
    println!("fj-sandbox stopped.");
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn defaults_and_help() {
        assert!(matches!(parse(args(&[])), Ok(Command::Serve(_))));
        assert!(matches!(
            parse(args(&["--credits", "5", "-h"])),
            Ok(Command::Help)
        ));
        let Ok(Command::Serve(builder)) = parse(args(&["--api-key=fjk_x", "--credits", "50"]))
        else {
            panic!("expected a builder");
        };
        let shown = format!("{builder:?}");
        assert!(!shown.contains("fjk_x"), "{shown}");
        assert!(shown.contains("credits: 50"), "{shown}");
        assert!(shown.contains("127.0.0.1:4010"), "{shown}");
        assert!(shown.contains("max_sessions: None"), "{shown}");
        let Ok(Command::Serve(builder)) = parse(args(&["--max-sessions", "500"])) else {
            panic!("expected a builder");
        };
        assert!(format!("{builder:?}").contains("max_sessions: Some(500)"));
    }

    #[test]
    fn errors_name_the_flag() {
        let err = |list: &[&str]| parse(args(list)).unwrap_err();
        assert_eq!(
            err(&["--credits", "lots"]),
            r#"--credits expects a whole number, got "lots""#
        );
        assert_eq!(err(&["--credits"]), "--credits needs a value");
        assert_eq!(err(&["--colour"]), "unknown option --colour");
        assert_eq!(err(&["serve"]), r#"unexpected argument "serve""#);
        assert_eq!(
            err(&["--polls", "2", "--delay-ms", "10"]),
            "--polls and --delay-ms cannot be used together"
        );
        assert!(err(&["--addr", "localhost"]).starts_with("--addr expects HOST:PORT"));
        assert_eq!(err(&["--api-key", " "]), "--api-key must not be blank");
        assert_eq!(
            err(&["--max-sessions", "0"]),
            "--max-sessions must be at least 1"
        );
    }
}
