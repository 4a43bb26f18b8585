//! Point 1: every sandbox fault against every client call, with the default retry policy and
//! (for the credit-charging calls) with the opt-in to retries after ambiguous failures.
//!
//! Each run gets a fresh sandbox, prepares a finished session with a setup client, injects the
//! fault, makes one call with a client configured with a short timeout, and compares the error
//! kind, the number of requests the server saw, and the credits charged with [`CASES`]. The
//! runs share one current-thread runtime on tokio's paused clock (`run_paused`), so every
//! latency, timeout and backoff is virtual and exact.

use std::time::Duration;

use fj_sandbox::{Fault, SandboxHandle};
use fj_sourcing::WaitOptions;
use fj_sourcing::{Client, Error, ResponseMeta, RetryPolicy, RevealType};
use futures_util::{StreamExt, stream};

use crate::support::*;

/// Whether a call may be repeated harmlessly or costs credits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    Read,
    Credit,
}

/// Every client call the matrix exercises.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Call {
    Create,
    Update,
    FetchMore,
    Reveal,
    Session,
    WaitUntilDone,
    Profiles,
    ProfilesStream,
    Candidate,
    ProjectSessions,
    Autocomplete,
    JdToFilters,
}

impl Call {
    pub const ALL: [Call; 12] = [
        Call::Create,
        Call::Update,
        Call::FetchMore,
        Call::Reveal,
        Call::Session,
        Call::WaitUntilDone,
        Call::Profiles,
        Call::ProfilesStream,
        Call::Candidate,
        Call::ProjectSessions,
        Call::Autocomplete,
        Call::JdToFilters,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Call::Create => "create_session",
            Call::Update => "update_session",
            Call::FetchMore => "fetch_more",
            Call::Reveal => "reveal_contact",
            Call::Session => "session",
            Call::WaitUntilDone => "wait_until_done",
            Call::Profiles => "profiles",
            Call::ProfilesStream => "profiles_stream",
            Call::Candidate => "candidate",
            Call::ProjectSessions => "project_sessions",
            Call::Autocomplete => "autocomplete",
            Call::JdToFilters => "jd_to_filters",
        }
    }

    pub fn class(self) -> Class {
        match self {
            Call::Create | Call::Update | Call::FetchMore | Call::Reveal => Class::Credit,
            _ => Class::Read,
        }
    }
}

/// How a call ends: success, or an error of the named kind (see [`kind`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    Err(&'static str),
}

/// What a run must show.
#[derive(Clone, Copy, Debug)]
pub struct Expect {
    pub outcome: Outcome,
    /// Requests the server saw for the call.
    pub requests: u64,
    /// Charges made, at least and at most (a request abandoned on a timeout may or may not be
    /// processed). Reads must never charge. Reveal is charged once per contact, so its bounds
    /// are capped at 1.
    pub charged: (u64, u64),
}

const fn ok(requests: u64, charged: (u64, u64)) -> Expect {
    Expect {
        outcome: Outcome::Ok,
        requests,
        charged,
    }
}

const fn err(kind: &'static str, requests: u64, charged: (u64, u64)) -> Expect {
    Expect {
        outcome: Outcome::Err(kind),
        requests,
        charged,
    }
}

/// How a case disturbs the sandbox.
#[derive(Clone, Copy, Debug)]
pub enum Setup {
    /// `SandboxHandle::inject(fault, times)`.
    Inject(Fault, u32),
    /// `SandboxHandle::set_latency`: every answer late.
    EveryAnswerLate(Duration),
}

/// One fault scenario and what each class of call must do under it.
pub struct FaultCase {
    pub name: &'static str,
    pub setup: Setup,
    /// The client's per-request timeout.
    pub timeout: Duration,
    /// Reads (and JD to Filters), default policy.
    pub read: Expect,
    /// Create, Update, Fetch More, Reveal with the default policy.
    pub credit: Expect,
    /// The same with `retry_credit_calls_after_ambiguous_failures(true)`.
    pub opt_in: Expect,
}

/// The client timeout where the fault is not about time.
pub const ROOMY: Duration = Duration::from_secs(5);
/// The client timeout where the fault is latency.
pub const SHORT: Duration = Duration::from_millis(800);

/// Every scenario the matrix runs (with [`Call::ALL`]; 3 attempts at most per call).
pub const CASES: &[FaultCase] = &[
    FaultCase {
        name: "added latency 100 ms, under the timeout",
        setup: Setup::Inject(Fault::Latency(Duration::from_millis(100)), 1),
        timeout: ROOMY,
        read: ok(1, (0, 0)),
        credit: ok(1, (1, 1)),
        opt_in: ok(1, (1, 1)),
    },
    FaultCase {
        name: "added latency 5 s once, past the 800 ms timeout",
        setup: Setup::Inject(Fault::Latency(Duration::from_secs(5)), 1),
        timeout: SHORT,
        read: ok(2, (0, 0)),
        credit: err("Timeout", 1, (0, 1)),
        opt_in: ok(2, (1, 2)),
    },
    FaultCase {
        name: "every answer 3 s late, past the 800 ms timeout",
        setup: Setup::EveryAnswerLate(Duration::from_secs(3)),
        timeout: SHORT,
        read: err("Timeout", 3, (0, 0)),
        credit: err("Timeout", 1, (0, 1)),
        opt_in: err("Timeout", 3, (0, 3)),
    },
    FaultCase {
        name: "next response HTTP 500",
        setup: Setup::Inject(Fault::Status(500), 1),
        timeout: ROOMY,
        read: err("Server", 1, (0, 0)),
        credit: err("Server", 1, (0, 0)),
        opt_in: err("Server", 1, (0, 0)),
    },
    FaultCase {
        name: "next response HTTP 503 (Retry-After: 1)",
        setup: Setup::Inject(Fault::Status(503), 1),
        timeout: ROOMY,
        read: ok(2, (0, 0)),
        credit: err("Server", 1, (0, 0)),
        opt_in: ok(2, (1, 1)),
    },
    FaultCase {
        name: "next 3 responses HTTP 503 (every attempt)",
        setup: Setup::Inject(Fault::Status(503), 3),
        timeout: ROOMY,
        read: err("Server", 3, (0, 0)),
        credit: err("Server", 1, (0, 0)),
        opt_in: err("Server", 3, (0, 0)),
    },
    FaultCase {
        name: "next response HTTP 429 (Retry-After: 1)",
        setup: Setup::Inject(Fault::Status(429), 1),
        timeout: ROOMY,
        read: ok(2, (0, 0)),
        credit: ok(2, (1, 1)),
        opt_in: ok(2, (1, 1)),
    },
    FaultCase {
        name: "next response HTTP 401",
        setup: Setup::Inject(Fault::Status(401), 1),
        timeout: ROOMY,
        read: err("Unauthorized", 1, (0, 0)),
        credit: err("Unauthorized", 1, (0, 0)),
        opt_in: err("Unauthorized", 1, (0, 0)),
    },
    FaultCase {
        name: "next response HTTP 402",
        setup: Setup::Inject(Fault::Status(402), 1),
        timeout: ROOMY,
        read: err("PaymentRequired", 1, (0, 0)),
        credit: err("PaymentRequired", 1, (0, 0)),
        opt_in: err("PaymentRequired", 1, (0, 0)),
    },
    FaultCase {
        name: "connection closed before the response (request processed)",
        setup: Setup::Inject(Fault::CloseBeforeResponse, 1),
        timeout: ROOMY,
        read: ok(2, (0, 0)),
        credit: err("Transport", 1, (1, 1)),
        opt_in: ok(2, (2, 2)),
    },
    FaultCase {
        name: "connection closed mid-body (request processed)",
        setup: Setup::Inject(Fault::CloseMidBody, 1),
        timeout: ROOMY,
        read: ok(2, (0, 0)),
        credit: err("Transport", 1, (1, 1)),
        opt_in: ok(2, (2, 2)),
    },
    FaultCase {
        name: "malformed JSON body (first half of the answer)",
        setup: Setup::Inject(Fault::MalformedBody, 1),
        timeout: ROOMY,
        read: err("Decode", 1, (0, 0)),
        credit: err("Decode", 1, (1, 1)),
        opt_in: err("Decode", 1, (1, 1)),
    },
    FaultCase {
        name: "missing headers (no X-Request-Id, RateLimit-*, ETag)",
        setup: Setup::Inject(Fault::MissingHeaders, 1),
        timeout: ROOMY,
        read: ok(1, (0, 0)),
        credit: ok(1, (1, 1)),
        opt_in: ok(1, (1, 1)),
    },
];

/// Everything a call needs: a finished session and one of its candidates.
struct Target {
    session_id: String,
    candidate_id: String,
    linkedin_url: String,
}

const JD: &str = "Senior .NET Developer in Pune, 3-7 years, C# and SQL Server.";

async fn prepare(sandbox: &SandboxHandle) -> Target {
    let setup = client_for(sandbox, RetryPolicy::none(), Duration::from_secs(20));
    let created = setup.create_session(&seed_request()).await.unwrap();
    let session_id = created.id().unwrap().to_owned();
    assert!(setup.session(&session_id).await.unwrap().is_done());
    let page = setup.profiles(&session_id, 1, 1).await.unwrap();
    let first = &page.docs[0];
    Target {
        candidate_id: first.id.clone().unwrap(),
        linkedin_url: first.linkedin_url().unwrap().to_owned(),
        session_id,
    }
}

/// Makes `call` once; the metadata of the answer, when the call returns one.
async fn perform(call: Call, client: &Client, t: &Target) -> Result<Option<ResponseMeta>, Error> {
    let id = t.session_id.as_str();
    let meta = match call {
        Call::Create => client.create_session(&seed_request()).await?.meta,
        Call::Update => {
            client
                .update_session(id, &seed_request().into())
                .await?
                .meta
        }
        Call::FetchMore => client.fetch_more(id).await?.meta,
        Call::Reveal => {
            client
                .reveal_contact(id, &t.linkedin_url, RevealType::Email)
                .await?
                .meta
        }
        Call::Session => client.session(id).await?.meta,
        Call::WaitUntilDone => {
            let options = WaitOptions::default()
                .with_first_interval(Duration::from_millis(5))
                .with_deadline(Duration::from_secs(10));
            client.wait_until_done(id, options).await?.meta
        }
        Call::Profiles => client.profiles(id, 1, 10).await?.meta,
        Call::ProfilesStream => {
            let items: Vec<_> = client.profiles_stream(id, 100).collect().await;
            let mut candidates = 0;
            for item in items {
                item?;
                candidates += 1;
            }
            assert!(candidates > 0, "the stream yielded no candidate");
            return Ok(None);
        }
        Call::Candidate => client.candidate(&t.candidate_id, id).await?.meta,
        Call::ProjectSessions => client.project_sessions().await?.meta,
        Call::Autocomplete => client.autocomplete("region", "Pune", Some(5)).await?.meta,
        Call::JdToFilters => client.jd_to_filters(JD, None).await?.meta,
    };
    Ok(Some(meta))
}

/// Runs one (case, call, policy) and describes every mismatch.
async fn run_one(case: &'static FaultCase, call: Call, opt_in: bool) -> Vec<String> {
    let sandbox = sandbox().start().await.unwrap();
    let target = prepare(&sandbox).await;
    let policy = fast_retries().retry_credit_calls_after_ambiguous_failures(opt_in);
    let client = client_for(&sandbox, policy, case.timeout);
    match case.setup {
        Setup::Inject(fault, times) => sandbox.inject(fault, times),
        Setup::EveryAnswerLate(latency) => sandbox.set_latency(latency),
    }
    let (seen, charges, sessions) = (
        sandbox.requests_seen(),
        sandbox.charges().len() as u64,
        sandbox.session_count() as u64,
    );
    let result = bounded(call.name(), perform(call, &client, &target)).await;
    let requests = sandbox.requests_seen() - seen;
    let charged = sandbox.charges().len() as u64 - charges;
    let created = sandbox.session_count() as u64 - sessions;

    let expect = match (call.class(), opt_in) {
        (Class::Read, _) => case.read,
        (Class::Credit, false) => case.credit,
        (Class::Credit, true) => case.opt_in,
    };
    let (low, high) = if call == Call::Reveal {
        (expect.charged.0.min(1), expect.charged.1.min(1))
    } else {
        expect.charged
    };
    let what = format!(
        "{} / {}{}",
        case.name,
        call.name(),
        if opt_in { " (opt-in)" } else { "" }
    );
    let mut problems = Vec::new();
    let outcome = match &result {
        Ok(_) => Outcome::Ok,
        Err(e) => Outcome::Err(kind(e)),
    };
    if outcome != expect.outcome {
        problems.push(format!(
            "{what}: expected {:?}, got {outcome:?} ({result:?})",
            expect.outcome
        ));
    }
    if requests != expect.requests {
        problems.push(format!(
            "{what}: the server saw {requests} requests, expected {}",
            expect.requests
        ));
    }
    if charged < low || charged > high {
        problems.push(format!(
            "{what}: {charged} charges, expected {low}..={high}"
        ));
    }
    let expected_sessions = if call == Call::Create { charged } else { 0 };
    if created != expected_sessions {
        problems.push(format!(
            "{what}: {created} sessions created for {charged} charges"
        ));
    }
    match &result {
        Ok(Some(meta)) => {
            if u64::from(meta.attempts()) != requests {
                problems.push(format!(
                    "{what}: the client counted {} attempts, the server {requests} requests",
                    meta.attempts()
                ));
            }
            let headers_dropped = matches!(case.setup, Setup::Inject(Fault::MissingHeaders, _));
            if meta.request_id().is_some() == headers_dropped {
                problems.push(format!(
                    "{what}: request id {:?} with headers dropped: {headers_dropped}",
                    meta.request_id()
                ));
            }
        }
        Err(Error::Timeout(timeout)) if timeout.after() != case.timeout => {
            problems.push(format!(
                "{what}: timed out after {:?}, configured {:?}",
                timeout.after(),
                case.timeout
            ));
        }
        _ => {}
    }
    problems
}

#[test]
fn every_fault_against_every_call() {
    // On the paused clock: "5 s late" against an 800 ms timeout is decided by the numbers, not
    // by how fast a loaded machine gets to each of the 208 runs.
    run_paused(async {
        let mut runs = Vec::new();
        for case in CASES {
            for call in Call::ALL {
                runs.push((case, call, false));
                if call.class() == Class::Credit {
                    runs.push((case, call, true));
                }
            }
        }
        let total = runs.len();
        let problems: Vec<String> = stream::iter(runs)
            .map(|(case, call, opt_in)| run_one(case, call, opt_in))
            .buffer_unordered(32)
            .flat_map(stream::iter)
            .collect()
            .await;
        assert!(
            problems.is_empty(),
            "{} of {total} runs went wrong:\n{}",
            problems.len(),
            problems.join("\n")
        );
        assert_eq!(total, runs_per_matrix());
    });
}

/// Runs in the matrix: every call under every case, plus the opt-in runs of the credit calls.
pub fn runs_per_matrix() -> usize {
    let credit = Call::ALL
        .iter()
        .filter(|c| c.class() == Class::Credit)
        .count();
    CASES.len() * (Call::ALL.len() + credit)
}
