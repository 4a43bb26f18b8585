//! Spend control against the sandbox: the credit count, the cap, and `reveal_contacts`.

use std::collections::{BTreeMap, HashSet};
use std::time::Duration;

use fj_sandbox::{Fault, Operation, Sandbox, SandboxBuilder, SandboxHandle};
use fj_sourcing::{Client, ClientBuilder, CreditCosts, Error, RetryPolicy, RevealType, Session};
use futures_util::{FutureExt, StreamExt};

use crate::observe::kind;
use crate::support::{fast_retries, seed_request};

/// Searches are done at the first poll; 25 candidates per search.
fn sandbox() -> SandboxBuilder {
    Sandbox::builder().polls_before_done(0)
}

fn builder_for(sandbox: &SandboxHandle) -> ClientBuilder {
    Client::builder()
        .api_key(sandbox.api_key())
        .base_url(sandbox.base_url())
        .retry(fast_retries())
}

/// A finished session and the LinkedIn URLs of its first `count` candidates, made with a client
/// of its own (so that the clients under test start from zero).
async fn session_with_candidates(sandbox: &SandboxHandle, count: usize) -> (String, Vec<String>) {
    let setup = builder_for(sandbox).build().unwrap();
    let created = setup.create_session(&seed_request()).await.unwrap();
    let id = created.id().unwrap().to_owned();
    setup.session(&id).await.unwrap();
    let page = setup.profiles(&id, 1, 100).await.unwrap();
    let urls: Vec<String> = page
        .docs
        .iter()
        .take(count)
        .map(|c| c.linkedin_url().unwrap().to_owned())
        .collect();
    assert_eq!(urls.len(), count, "the sandbox found too few candidates");
    (id, urls)
}

fn reveal_charges(sandbox: &SandboxHandle) -> Vec<u64> {
    sandbox
        .charges()
        .iter()
        .filter(|c| matches!(c.operation, Operation::Reveal(_)))
        .map(|c| c.amount)
        .collect()
}

#[tokio::test]
async fn a_cap_of_10_allows_two_creates_of_5_then_refuses_without_a_request() {
    let sandbox = sandbox().start().await.unwrap();
    let client = builder_for(&sandbox).credit_cap(10).build().unwrap();

    let first = client.create_session(&seed_request()).await.unwrap();
    let second = client.create_session(&seed_request()).await.unwrap();
    assert_eq!(client.credits_spent(), 10);
    let error = client.create_session(&seed_request()).await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::CreditCap {
                cap: 10,
                spent: 10,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "credit cap reached: 10 of 10 credits spent or reserved by calls in flight, too few \
         left for this call; no request was sent"
    );
    assert!(!error.is_retryable());
    assert_eq!(error.status(), None);
    // Two creates reached the server, and nothing else did.
    assert_eq!(sandbox.requests_seen(), 2);
    assert_eq!(sandbox.session_count(), 2);
    assert_eq!(sandbox.charges().len(), 2);

    // Every other credit-charging call is refused too, before sending.
    let id = first.id().unwrap();
    assert!(matches!(
        client.fetch_more(id).await,
        Err(Error::CreditCap { .. })
    ));
    assert!(matches!(
        client.update_session(id, &seed_request().into()).await,
        Err(Error::CreditCap { .. })
    ));
    assert!(matches!(
        client
            .reveal_contact(id, "https://www.linkedin.com/in/x", RevealType::Email)
            .await,
        Err(Error::CreditCap { .. })
    ));
    assert_eq!(sandbox.requests_seen(), 2);

    // Reads still work.
    for created in [&first, &second] {
        let details = client.session(created.id().unwrap()).await.unwrap();
        assert!(details.is_done());
    }
    let page = client.profiles(id, 1, 10).await.unwrap();
    assert_eq!(page.docs.len(), 10);
    let all = client.profiles_stream(id, 10).count().await;
    assert_eq!(all, 25);
    client.project_sessions().await.unwrap();
    assert_eq!(client.credits_spent(), 10);
    assert_eq!(sandbox.charges().len(), 2);
}

#[tokio::test]
async fn clones_share_the_count_and_the_cap() {
    let sandbox = sandbox().start().await.unwrap();
    let client = builder_for(&sandbox).credit_cap(5).build().unwrap();
    let clone = client.clone();
    clone.create_session(&seed_request()).await.unwrap();
    assert_eq!(client.credits_spent(), 5);
    assert!(matches!(
        client.create_session(&seed_request()).await,
        Err(Error::CreditCap {
            cap: 5,
            spent: 5,
            ..
        })
    ));
    // A new client starts from zero: the cap is per client, not per workspace.
    let other = builder_for(&sandbox).credit_cap(5).build().unwrap();
    assert_eq!(other.credits_spent(), 0);
    other.create_session(&seed_request()).await.unwrap();
}

#[tokio::test]
async fn the_count_follows_what_each_answer_reports_and_matches_the_ledger() {
    let sandbox = sandbox()
        .costs(fj_sandbox::Costs {
            create: 7,
            update: 3,
            fetch_more: 2,
            reveal: 4,
        })
        .start()
        .await
        .unwrap();
    // The client's expected costs are the defaults (5, 5, 5, 1): the reported amounts win.
    let client = builder_for(&sandbox).build().unwrap();
    let created = client.create_session(&seed_request()).await.unwrap();
    let charged = |meta: &fj_sourcing::ResponseMeta| meta.credit_info()?.charged_amount();
    assert_eq!(charged(&created.meta), Some(7));
    let id = created.id().unwrap().to_owned();
    client.session(&id).await.unwrap();
    let page = client.profiles(&id, 1, 5).await.unwrap();
    let url = page.docs[0].linkedin_url().unwrap();

    let revealed = client
        .reveal_contact(&id, url, RevealType::Email)
        .await
        .unwrap();
    assert_eq!(charged(&revealed.meta), Some(4));
    let again = client
        .reveal_contact(&id, url, RevealType::Email)
        .await
        .unwrap();
    assert_eq!(charged(&again.meta), Some(0), "a repeated reveal is free");
    let more = client.fetch_more(&id).await.unwrap();
    assert_eq!(charged(&more.meta), Some(2));
    assert_eq!(more.credit_info.as_ref().unwrap().amount, Some(2));
    let request = Session::builder()
        .experience(2..=4)
        .mandatory_skills(["C#"])
        .build()
        .unwrap();
    let updated = client
        .update_session(&id, &request.clone().into())
        .await
        .unwrap();
    assert_eq!(charged(&updated.meta), Some(3));
    assert_eq!(
        updated.credit_info().unwrap().reason.as_deref(),
        Some("Sourcing Session Updated")
    );
    // Reads report nothing.
    assert!(
        client
            .session(&id)
            .await
            .unwrap()
            .meta
            .credit_info()
            .is_none()
    );

    let ledger: u64 = sandbox.charges().iter().map(|c| c.amount).sum();
    assert_eq!(ledger, 7 + 4 + 2 + 3);
    assert_eq!(client.credits_spent(), ledger);
}

#[tokio::test]
async fn refused_calls_release_their_reservation_ambiguous_ones_keep_it() {
    let sandbox = sandbox().credits(0).start().await.unwrap();
    let client = builder_for(&sandbox).credit_cap(5).build().unwrap();
    // 402: the server refused, nothing was charged, the cap is untouched.
    let error = client.create_session(&seed_request()).await.unwrap_err();
    assert_eq!(kind(&error), "PaymentRequired");
    assert_eq!(client.credits_spent(), 0);
    // 404 on Fetch More: nothing to act on.
    let error = client
        .fetch_more("000000000000000000000000")
        .await
        .unwrap_err();
    assert_eq!(kind(&error), "NotFound");
    assert_eq!(client.credits_spent(), 0);

    sandbox.set_credits(100);
    // A 503 may have been charged as far as the client can tell: its expected cost counts.
    sandbox.inject(Fault::Status(503), 1);
    let error = client.create_session(&seed_request()).await.unwrap_err();
    assert_eq!(kind(&error), "Server");
    assert_eq!(client.credits_spent(), 5);
    assert_eq!(
        sandbox.charges().len(),
        0,
        "the sandbox's 503 processed nothing"
    );
    assert!(matches!(
        client.create_session(&seed_request()).await,
        Err(Error::CreditCap {
            cap: 5,
            spent: 5,
            ..
        })
    ));
    assert_eq!(sandbox.requests_seen(), 3);
}

#[tokio::test]
async fn a_404_reveal_counts_since_the_reference_leaves_its_charge_open() {
    let sandbox = sandbox().start().await.unwrap();
    let (id, _) = session_with_candidates(&sandbox, 1).await;
    let client = builder_for(&sandbox).build().unwrap();
    let error = client
        .reveal_contact(
            &id,
            "https://www.linkedin.com/in/nobody-here",
            RevealType::Email,
        )
        .await
        .unwrap_err();
    assert_eq!(kind(&error), "NotFound");
    assert_eq!(client.credits_spent(), 1);
    assert!(reveal_charges(&sandbox).is_empty());
}

#[tokio::test]
async fn a_retry_the_cap_forbids_returns_the_error_of_the_attempt_that_went_out() {
    let sandbox = sandbox().start().await.unwrap();
    let client = builder_for(&sandbox)
        .credit_cap(5)
        .retry(fast_retries().retry_credit_calls_after_ambiguous_failures(true))
        .build()
        .unwrap();
    sandbox.inject(Fault::Status(503), 1);
    let error = client.create_session(&seed_request()).await.unwrap_err();
    assert_eq!(kind(&error), "Server", "{error}");
    assert_eq!(sandbox.requests_seen(), 1, "the retry was not sent");
    assert_eq!(client.credits_spent(), 5);
}

#[tokio::test]
async fn a_rate_limited_attempt_is_retried_within_the_cap() {
    let sandbox = sandbox().start().await.unwrap();
    // 429 provably charged nothing: the retry gets the released credits back.
    let client = builder_for(&sandbox)
        .credit_cap(5)
        .retry(fast_retries().with_max_wait(Duration::from_secs(2)))
        .build()
        .unwrap();
    sandbox.inject(Fault::Status(429), 1);
    let created = client.create_session(&seed_request()).await.unwrap();
    assert_eq!(created.meta.attempts(), 2);
    assert_eq!(client.credits_spent(), 5);
}

#[tokio::test]
async fn expected_costs_are_configurable_and_used_when_nothing_is_reported() {
    let sandbox = sandbox().start().await.unwrap();
    let client = builder_for(&sandbox)
        .credit_cap(12)
        .credit_costs(CreditCosts {
            create: 6,
            ..CreditCosts::DEFAULT
        })
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    // The answer is processed and charged, but unreadable: the expected 6 is counted.
    sandbox.inject(Fault::MalformedBody, 1);
    let error = client.create_session(&seed_request()).await.unwrap_err();
    assert_eq!(kind(&error), "Decode");
    assert_eq!(client.credits_spent(), 6);
    // Reported 5 counts as 5: 11 spent, and 6 more would pass 12.
    client.create_session(&seed_request()).await.unwrap();
    assert_eq!(client.credits_spent(), 11);
    assert!(matches!(
        client.create_session(&seed_request()).await,
        Err(Error::CreditCap {
            cap: 12,
            spent: 11,
            ..
        })
    ));
    assert_eq!(client.credit_costs().create, 6);
    assert_eq!(client.credit_cap(), Some(12));
}

#[tokio::test]
async fn reveal_contacts_answers_each_url_once_and_charges_duplicates_once() {
    let sandbox = sandbox().start().await.unwrap();
    let (id, urls) = session_with_candidates(&sandbox, 20).await;
    let client = builder_for(&sandbox).build().unwrap();
    let before = sandbox.requests_seen();
    // Every URL, then the first five again.
    let input: Vec<String> = urls.iter().chain(&urls[..5]).cloned().collect();

    let answers: Vec<_> = client
        .reveal_contacts(&id, input, RevealType::Email)
        .concurrency(4)
        .collect()
        .await;
    let mut answered = BTreeMap::new();
    for (url, result) in answers {
        let contacts = result.unwrap_or_else(|e| panic!("{url}: {e}"));
        assert_eq!(contacts.values(RevealType::Email).len(), 1);
        assert_eq!(
            contacts.meta.credit_info().unwrap().charged_amount(),
            Some(1)
        );
        assert!(answered.insert(url, ()).is_none(), "a URL answered twice");
    }
    let expected: BTreeMap<String, ()> = urls.iter().map(|u| (u.clone(), ())).collect();
    assert_eq!(answered, expected);
    assert_eq!(reveal_charges(&sandbox), vec![1; 20]);
    assert_eq!(sandbox.requests_seen() - before, 20);
    assert_eq!(client.credits_spent(), 20);
}

#[tokio::test]
async fn reveal_contacts_stops_at_the_cap_and_sends_nothing_more() {
    let sandbox = sandbox().start().await.unwrap();
    let (id, urls) = session_with_candidates(&sandbox, 20).await;
    let client = builder_for(&sandbox).credit_cap(7).build().unwrap();
    let before = sandbox.requests_seen();

    let answers: Vec<_> = client
        .reveal_contacts(&id, urls.clone(), RevealType::Phone)
        .concurrency(4)
        .collect()
        .await;
    assert_eq!(answers.len(), 20);
    let mut counts = BTreeMap::new();
    for (_, result) in &answers {
        let name = result.as_ref().map_or_else(kind, |_| "Ok");
        *counts.entry(name).or_insert(0) += 1;
        if let Err(error) = result {
            assert!(
                matches!(
                    error,
                    Error::CreditCap {
                        cap: 7,
                        spent: 7,
                        ..
                    }
                ),
                "{error:?}"
            );
        }
    }
    assert_eq!(counts, BTreeMap::from([("CreditCap", 13), ("Ok", 7)]));
    let distinct: HashSet<&String> = answers.iter().map(|(url, _)| url).collect();
    assert_eq!(distinct.len(), 20);
    assert_eq!(reveal_charges(&sandbox), vec![1; 7]);
    assert_eq!(
        sandbox.requests_seen() - before,
        7,
        "the refused 13 were never sent"
    );
    assert_eq!(client.credits_spent(), 7);
}

#[tokio::test]
async fn reveal_contacts_stops_at_the_first_payment_required() {
    let sandbox = sandbox().start().await.unwrap();
    let (id, urls) = session_with_candidates(&sandbox, 10).await;
    sandbox.set_credits(3);
    let client = builder_for(&sandbox).build().unwrap();
    let before = sandbox.requests_seen();

    let answers: Vec<_> = client
        .reveal_contacts(&id, urls.clone(), RevealType::Email)
        .concurrency(1)
        .collect()
        .await;
    let kinds: Vec<&str> = answers
        .iter()
        .map(|(_, r)| r.as_ref().map_or_else(kind, |_| "Ok"))
        .collect();
    let mut expected = vec!["Ok"; 3];
    expected.extend(["PaymentRequired"; 7]);
    assert_eq!(kinds, expected);
    // One concurrent reveal: answers come in input order here.
    let order: Vec<&String> = answers.iter().map(|(url, _)| url).collect();
    assert_eq!(order, urls.iter().collect::<Vec<_>>());
    // Three charged, one refused by the server, six never sent, all with the server's 402.
    assert_eq!(sandbox.requests_seen() - before, 4);
    assert_eq!(reveal_charges(&sandbox), vec![1; 3]);
    let messages: HashSet<&str> = answers[3..]
        .iter()
        .map(|(_, r)| r.as_ref().unwrap_err().api_error().unwrap().message())
        .collect();
    assert_eq!(messages.len(), 1);
    assert!(
        messages
            .iter()
            .next()
            .unwrap()
            .starts_with("Insufficient credits"),
        "{messages:?}"
    );
    assert_eq!(client.credits_spent(), 3);
}

#[tokio::test]
async fn reveal_contacts_with_a_bad_url_answers_it_without_a_request() {
    let sandbox = sandbox().start().await.unwrap();
    let (id, urls) = session_with_candidates(&sandbox, 2).await;
    let client = builder_for(&sandbox).build().unwrap();
    let before = sandbox.requests_seen();
    let input = vec![urls[0].clone(), "not a url".to_owned(), urls[1].clone()];
    let answers: BTreeMap<String, &'static str> = client
        .reveal_contacts(&id, input, RevealType::Email)
        .map(|(url, r)| (url, r.as_ref().map_or_else(kind, |_| "Ok")))
        .collect()
        .await;
    assert_eq!(answers["not a url"], "InvalidArgument");
    assert_eq!(answers[&urls[0]], "Ok");
    assert_eq!(answers[&urls[1]], "Ok");
    assert_eq!(sandbox.requests_seen() - before, 2);
    // Nothing to reveal: an empty stream, nothing sent.
    let none = client
        .reveal_contacts(&id, Vec::<String>::new(), RevealType::Email)
        .count()
        .await;
    assert_eq!(none, 0);
}

/// A server that holds each request until `wave` of them are waiting (or every expected one has
/// arrived), then answers them together, recording the most it ever held at once. A client
/// keeping fewer than `wave` requests in flight never gets an answer (the caller's hang check
/// fails); one keeping more is caught holding `wave + 1` whenever an extra one arrives first.
struct Gate {
    url: String,
    max_held: std::sync::Arc<std::sync::Mutex<usize>>,
}

async fn gate(wave: usize, expected: usize) -> Gate {
    use std::sync::{Arc, Mutex};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[derive(Default)]
    struct Held {
        arrived: usize,
        held: usize,
        max: usize,
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/api/v1/wl", listener.local_addr().unwrap());
    let state = Arc::new(Mutex::new(Held::default()));
    let max_held = Arc::new(Mutex::new(0));
    let (release, released) = tokio::sync::watch::channel(0u64);
    let release = Arc::new(release);
    let body = br#"{"statusCode":200,"data":[{"type":"EMAIL","values":["x@example.com"],"status":"FOUND"}],"creditInfo":{"charged":true,"amount":1},"status":"SUCCESS"}"#;
    let max = Arc::clone(&max_held);
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let (state, max, release, mut released) = (
                Arc::clone(&state),
                Arc::clone(&max),
                Arc::clone(&release),
                released.clone(),
            );
            tokio::spawn(async move {
                let mut buffer = Vec::new();
                loop {
                    // One request head (reveals have no body), then hold it.
                    while !buffer.windows(4).any(|w| w == b"\r\n\r\n") {
                        let mut chunk = [0u8; 4096];
                        match socket.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                        }
                    }
                    let end = buffer.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
                    buffer.drain(..end);
                    let my_wave = {
                        let mut s = state.lock().unwrap();
                        s.arrived += 1;
                        s.held += 1;
                        s.max = s.max.max(s.held);
                        *max.lock().unwrap() = s.max;
                        let wave_now = *released.borrow();
                        if s.held == wave || s.arrived == expected {
                            s.held = 0;
                            release.send_replace(wave_now + 1);
                        }
                        wave_now
                    };
                    if released.wait_for(|w| *w > my_wave).await.is_err() {
                        return;
                    }
                    let head = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                        body.len()
                    );
                    if socket.write_all(head.as_bytes()).await.is_err()
                        || socket.write_all(body).await.is_err()
                    {
                        return;
                    }
                }
            });
        }
    });
    Gate { url, max_held }
}

#[tokio::test]
async fn reveal_contacts_keeps_exactly_its_concurrency_in_flight() {
    let urls: Vec<String> = (0..20)
        .map(|i| format!("https://www.linkedin.com/in/person-{i}"))
        .collect();
    for (concurrency, set) in [(4, None), (2, Some(2)), (7, Some(7))] {
        let gate = gate(concurrency, urls.len()).await;
        let client = Client::builder()
            .api_key("fjk_gate")
            .base_url(&gate.url)
            .build()
            .unwrap();
        let mut reveals =
            client.reveal_contacts("6a0c77936e7a0151430c91fd", urls.clone(), RevealType::Email);
        if let Some(n) = set {
            reveals = reveals.concurrency(n);
        }
        // The first poll starts exactly `concurrency` reveals, which the gate holds.
        assert!(reveals.next().now_or_never().is_none());
        let shown = format!("{reveals:?}");
        assert!(
            shown.contains(&format!(
                "pending: {}, in_flight: {concurrency}",
                20 - concurrency
            )),
            "{shown}"
        );
        assert!(!shown.contains("linkedin"), "URLs name people: {shown}");
        // A hang check, not a timing assertion: too little concurrency never gets answers.
        let answers: Vec<_> = tokio::time::timeout(Duration::from_secs(30), reveals.collect())
            .await
            .unwrap_or_else(|_| panic!("fewer than {concurrency} reveals were kept in flight"));
        assert_eq!(answers.len(), 20);
        assert!(answers.iter().all(|(_, r)| r.is_ok()));
        assert_eq!(*gate.max_held.lock().unwrap(), concurrency);
        assert_eq!(client.credits_spent(), 20);
    }
}
