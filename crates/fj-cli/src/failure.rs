//! Turning errors into an exit status and a message on standard error.
//!
//! | exit | meaning |
//! | --- | --- |
//! | 0 | success |
//! | 1 | invalid input: a query file, an argument, a missing key, a usage error |
//! | 2 | the API answered with an error status, or with a body that cannot be read |
//! | 3 | transport failure or timeout (the request may or may not have been processed) |
//!
//! The message starts with the error kind (`Unauthorized`, `NotFound`, `Timeout`, ...) and, for
//! API errors, contains the request id. Every message passes through [`Redactor`], so the key
//! cannot appear even if some lower layer echoed it.

use std::fmt;
use std::io;
use std::process::ExitCode;

use fj_sourcing::{BuildError, Error, ProblemKind};
use serde::Serialize;

/// A problem with something the user gave: a file, an argument, a missing setting.
#[derive(Debug)]
pub struct InputError {
    /// The kind named in the message (`InvalidQuery`, `MissingApiKey`, ...).
    pub kind: &'static str,
    /// What is wrong.
    pub message: String,
    /// Query problems, each naming its file and wire path.
    pub problems: Vec<ProblemLine>,
    /// Whether the problems were already printed (by `fj validate`, on standard output), so
    /// that the plain error message does not repeat them; JSON errors always carry them.
    pub problems_printed: bool,
}

impl InputError {
    /// An input error without query problems.
    pub fn new(kind: &'static str, message: impl Into<String>) -> Self {
        InputError {
            kind,
            message: message.into(),
            problems: Vec::new(),
            problems_printed: false,
        }
    }

    /// A query that did not validate.
    pub fn query(source: &str, error: &BuildError) -> Self {
        let problems: Vec<ProblemLine> = error
            .problems()
            .iter()
            .map(|p| ProblemLine {
                file: source.to_owned(),
                path: p.path().to_owned(),
                kind: p.kind(),
                message: p.message().to_owned(),
            })
            .collect();
        let count = problems.len();
        InputError {
            kind: "InvalidQuery",
            message: format!(
                "{source} is not a valid query ({})",
                crate::output::count(count, "problem")
            ),
            problems,
            problems_printed: false,
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for InputError {}

/// One query problem, as printed by `fj validate` and in JSON errors.
#[derive(Clone, Debug, Serialize)]
pub struct ProblemLine {
    /// The file (or `<jd>` for a generated query).
    pub file: String,
    /// The wire path, such as `queries.region.value[0]`.
    pub path: String,
    /// The rule broken.
    pub kind: ProblemKind,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ProblemLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.file, self.path, self.message)
    }
}

/// The API answered, but not with what a command needs (for example no session id).
#[derive(Debug)]
pub struct AnswerError(pub String);

impl fmt::Display for AnswerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for AnswerError {}

/// Replaces the API key wherever it would appear.
#[derive(Clone, Debug, Default)]
pub struct Redactor {
    secrets: Vec<String>,
}

impl Redactor {
    /// Learns the keys given on the command line (`--api-key K`, `--api-key=K`) and in
    /// `FJ_API_KEY`. Strings shorter than 4 characters are not treated as keys: replacing them
    /// would mangle messages without protecting anything.
    pub fn from_args(args: &[std::ffi::OsString]) -> Self {
        let mut secrets = Vec::new();
        let mut next_is_key = false;
        for arg in args {
            let arg = arg.to_string_lossy();
            if next_is_key {
                secrets.push(arg.to_string());
                next_is_key = false;
            } else if arg == "--api-key" {
                next_is_key = true;
            } else if let Some(key) = arg.strip_prefix("--api-key=") {
                secrets.push(key.to_owned());
            }
        }
        if let Ok(key) = std::env::var("FJ_API_KEY") {
            secrets.push(key);
        }
        secrets.retain(|s| s.trim().len() >= 4);
        // Longest first, so a key containing another is replaced whole.
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        Redactor { secrets }
    }

    /// The text with every known key replaced by `fjk_***`.
    pub fn clean(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for secret in &self.secrets {
            if text.contains(secret.as_str()) {
                text = text.replace(secret.as_str(), "fjk_***");
            }
        }
        text
    }
}

/// How an error ends the program.
#[derive(Debug)]
pub struct Classified<'a> {
    /// The kind named in the message.
    pub kind: &'static str,
    /// The exit status.
    pub code: u8,
    /// The library error, when there is one.
    pub api: Option<&'a Error>,
    /// Query problems, when there are some.
    pub problems: &'a [ProblemLine],
    /// Whether those were printed already.
    pub problems_printed: bool,
}

/// The kind name and exit status of a library error.
pub fn library_kind(error: &Error) -> (&'static str, u8) {
    match error {
        Error::BadRequest(_) => ("BadRequest", 2),
        Error::Unauthorized(_) => ("Unauthorized", 2),
        Error::PaymentRequired(_) => ("PaymentRequired", 2),
        Error::NotFound(_) => ("NotFound", 2),
        Error::RateLimited(_) => ("RateLimited", 2),
        Error::Server(_) => ("Server", 2),
        Error::UnexpectedStatus(_) => ("UnexpectedStatus", 2),
        Error::Decode(_) => ("Decode", 2),
        Error::Timeout(_) => ("Timeout", 3),
        Error::Transport(_) => ("Transport", 3),
        Error::WaitTimeout { .. } => ("WaitTimeout", 3),
        Error::Config { .. } => ("Config", 1),
        Error::InvalidArgument { .. } => ("InvalidArgument", 1),
        // The client's own credit cap refused the call before anything was sent: a spending
        // limit like the server's 402, so it exits as an API-side refusal does.
        Error::CreditCap { .. } => ("CreditCap", 2),
        // A kind added to the library later: the server may or may not be involved, so it is
        // reported as an API-side failure rather than as the user's input.
        _ => ("Error", 2),
    }
}

/// Finds what the error is about, looking through the context added on the way up.
pub fn classify(error: &anyhow::Error) -> Classified<'_> {
    for cause in error.chain() {
        if let Some(api) = cause.downcast_ref::<Error>() {
            let (kind, code) = library_kind(api);
            return Classified {
                kind,
                code,
                api: Some(api),
                problems: &[],
                problems_printed: false,
            };
        }
        if let Some(input) = cause.downcast_ref::<InputError>() {
            return Classified {
                kind: input.kind,
                code: 1,
                api: None,
                problems: &input.problems,
                problems_printed: input.problems_printed,
            };
        }
        if cause.downcast_ref::<AnswerError>().is_some() {
            return Classified {
                kind: "UnexpectedAnswer",
                code: 2,
                api: None,
                problems: &[],
                problems_printed: false,
            };
        }
    }
    Classified {
        kind: "Error",
        code: 1,
        api: None,
        problems: &[],
        problems_printed: false,
    }
}

/// Whether the error is a closed standard output (`fj ... | head`): not worth a message.
///
/// Only the causes above a library error count: below one, a broken pipe is the API
/// connection's (its causes are reqwest's, down to the socket's `io::Error`).
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error
        .chain()
        .take_while(|c| c.downcast_ref::<Error>().is_none())
        .filter_map(|c| c.downcast_ref::<io::Error>())
        .any(|e| e.kind() == io::ErrorKind::BrokenPipe)
}

#[derive(Serialize)]
struct JsonError<'a> {
    error: JsonBody<'a>,
}

#[derive(Serialize)]
struct JsonBody<'a> {
    kind: &'a str,
    message: String,
    exit_code: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    request_id: Option<String>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    problems: &'a [ProblemLine],
}

/// Prints the error (plain or JSON) and returns the exit status.
pub fn report(error: &anyhow::Error, json: bool, redactor: &Redactor) -> ExitCode {
    if is_broken_pipe(error) {
        return ExitCode::SUCCESS;
    }
    let found = classify(error);
    let message = redactor.clean(&format!("{error:#}"));
    let problems = if found.problems_printed && !json {
        &[]
    } else {
        found.problems
    };
    emit(
        found.kind, found.code, message, found.api, problems, json, redactor,
    )
}

/// Prints an error that is not an `anyhow::Error` (clap's usage errors).
pub fn emit(
    kind: &str,
    code: u8,
    message: String,
    api: Option<&Error>,
    problems: &[ProblemLine],
    json: bool,
    redactor: &Redactor,
) -> ExitCode {
    if json {
        let body = JsonError {
            error: JsonBody {
                kind,
                message,
                exit_code: code,
                status: api.and_then(Error::status).map(|s| s.as_u16()),
                request_id: api.and_then(Error::request_id).map(str::to_owned),
                problems,
            },
        };
        let line = serde_json::to_string(&body).expect("an error object always serializes");
        eprintln!("{}", redactor.clean(&line));
    } else {
        eprintln!("fj: {kind}: {message}");
        for problem in problems {
            eprintln!("  {}", redactor.clean(&problem.to_string()));
        }
    }
    ExitCode::from(code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn input_errors_exit_1_through_context() {
        let error = anyhow::Error::new(InputError::new("MissingApiKey", "no key"))
            .context("listing sessions");
        let found = classify(&error);
        assert_eq!((found.kind, found.code), ("MissingApiKey", 1));
    }

    #[test]
    fn library_errors_keep_their_kind() {
        // Built by the library, as the CLI never builds its errors: a client without a key.
        let config = fj_sourcing::Client::builder().build().unwrap_err();
        let error = Err::<(), _>(config).context("connecting").unwrap_err();
        let found = classify(&error);
        assert_eq!((found.kind, found.code), ("Config", 1));
        assert!(found.api.is_some());
    }

    #[test]
    fn the_key_is_replaced_in_any_message() {
        let args: Vec<std::ffi::OsString> = [
            "fj",
            "--api-key",
            "fjk_abcdef",
            "--api-key=fjk_other_key",
            "x",
        ]
        .iter()
        .map(Into::into)
        .collect();
        let redactor = Redactor::from_args(&args);
        assert_eq!(
            redactor.clean("a fjk_abcdef b fjk_other_key"),
            "a fjk_*** b fjk_***"
        );
    }
}
