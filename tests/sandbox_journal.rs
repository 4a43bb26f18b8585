//! README, "Testing your code with the sandbox", as a user writes it: the sandbox as a
//! dev-dependency on a free port, the code under test pointed at it, then assertions on what
//! that code sent and what it cost, through the journal; and a fault injected.

use fj_sandbox::{Fault, Operation, Sandbox};
use fj_sourcing::{Client, Error, Session, WaitOptions};

/// The code under test: opens a search for a .NET developer in Pune, then narrows it to a senior
/// title, and returns the session id.
async fn open_search(client: &Client) -> Result<String, Box<dyn std::error::Error>> {
    let request = Session::builder()
        .title(".NET Developer")
        .region_in(["Pune, Maharashtra, India"])
        .mandatory_skills(["C#"])
        .build()?;
    let created = client.create_session(&request).await?;
    let id = created.id().unwrap_or_default().to_owned();
    client.wait_until_done(&id, WaitOptions::default()).await?;
    let narrower = Session::patch().title("Senior .NET Developer").build()?;
    client.update_session(&id, &narrower).await?;
    Ok(id)
}

fn client_for(sandbox: &fj_sandbox::SandboxHandle) -> Client {
    Client::builder()
        .api_key(sandbox.api_key())
        .base_url(sandbox.base_url())
        .build()
        .unwrap()
}

#[tokio::test]
async fn the_journal_shows_what_the_code_sent_and_what_it_cost() {
    let sandbox = Sandbox::builder()
        .polls_before_done(0)
        .start()
        .await
        .unwrap();
    let id = open_search(&client_for(&sandbox)).await.unwrap();

    let sent: Vec<(String, String, u16)> = sandbox
        .requests()
        .iter()
        .map(|r| (r.method().to_owned(), r.path().to_owned(), r.status()))
        .collect();
    let session = format!("/api/v1/wl/sourcing-session/{id}");
    let update = format!("/api/v1/wl/sourcing-session/update-session/{id}");
    let expected = [
        ("POST", "/api/v1/wl/sourcing-session", 201),
        ("GET", session.as_str(), 200),
        ("PATCH", update.as_str(), 200),
    ];
    let expected: Vec<(String, String, u16)> = expected
        .iter()
        .map(|(m, p, s)| ((*m).into(), (*p).into(), *s))
        .collect();
    assert_eq!(sent, expected);
    let requests = sandbox.requests();
    let create = &requests[0];
    assert_eq!(create.body().unwrap()["sessionTitle"], ".NET Developer");
    assert_eq!(
        requests[2].body(),
        Some(&serde_json::json!({"sessionTitle": "Senior .NET Developer"}))
    );
    // What the session holds after the update, typed.
    let stored = sandbox.session(&id).unwrap();
    assert_eq!(stored.title(), Some("Senior .NET Developer"));
    assert_eq!(stored.skills().mandatory(), ["C#"]);
    // What it cost: per request, and per operation.
    let costs: Vec<u64> = requests.iter().map(|r| r.credits_charged()).collect();
    assert_eq!(costs, [5, 0, 5]);
    let operations: Vec<Operation> = sandbox.charges().iter().map(|c| c.operation).collect();
    assert_eq!(operations, [Operation::Create, Operation::Update]);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_refused_create_costs_nothing_and_is_not_retried() {
    let sandbox = Sandbox::builder()
        .polls_before_done(0)
        .start()
        .await
        .unwrap();
    sandbox.inject(Fault::Status(503), 1);
    let err = open_search(&client_for(&sandbox)).await.unwrap_err();
    assert!(
        matches!(err.downcast_ref(), Some(Error::Server(_))),
        "{err:?}"
    );
    let requests = sandbox.requests();
    assert_eq!(requests.len(), 1, "a create is never retried blindly");
    assert_eq!(
        (requests[0].status(), requests[0].credits_charged()),
        (503, 0)
    );
    assert_eq!(
        requests[0].problem(),
        Some("Service Unavailable (injected fault)")
    );
    assert_eq!(sandbox.charges(), []);
    sandbox.clear_requests();
    assert_eq!(sandbox.requests(), []);
    assert_eq!(sandbox.requests_seen(), 1);
    sandbox.shutdown().await;
}
