//! The credit cap under load: many tasks sharing one capped `Client`, checked on the sandbox's
//! ledger against the bound `ClientBuilder::credit_cap` documents.

use std::sync::Arc;
use std::time::Duration;

use fj_sandbox::Operation;
use fj_sourcing::{Client, CreditCosts, Error, SessionRequest};

use crate::support::*;

/// Concurrent tasks sharing one client.
pub const TASKS: usize = 64;
/// The client's credit cap.
pub const CAP: u64 = 50;
/// What the sandbox charges per create (its default, as documented).
pub const COST: u64 = 5;
/// What the client expects a create to cost in the underestimated run.
pub const UNDERESTIMATE: u64 = 1;

fn capped(sandbox: &fj_sandbox::SandboxHandle, create: u64) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(sandbox.base_url())
        .retry(fast_retries())
        .timeout(Duration::from_secs(30))
        .credit_cap(CAP)
        .credit_costs(CreditCosts {
            create,
            ..CreditCosts::DEFAULT
        })
        .build()
        .unwrap()
}

/// [`TASKS`] tasks each creating sessions until the cap refuses one; per task, the creates
/// that succeeded and the `spent` of its refusal.
async fn create_until_refused(client: &Client) -> Vec<(usize, u64)> {
    let request = Arc::new(seed_request());
    let tasks: Vec<_> = (0..TASKS)
        .map(|_| {
            let (client, request) = (client.clone(), Arc::clone(&request));
            tokio::spawn(async move { until_refused(&client, &request).await })
        })
        .collect();
    let mut created = Vec::new();
    for task in tasks {
        created.push(task.await.unwrap());
    }
    created
}

async fn until_refused(client: &Client, request: &SessionRequest) -> (usize, u64) {
    let mut created = 0;
    loop {
        match bounded("create", client.create_session(request)).await {
            Ok(_) => created += 1,
            Err(Error::CreditCap { cap, spent, .. }) => {
                assert_eq!(cap, CAP);
                return (created, spent);
            }
            Err(other) => panic!("only CreditCap may end a task, got {other}"),
        }
    }
}

fn ledger(sandbox: &fj_sandbox::SandboxHandle) -> u64 {
    let charges = sandbox.charges();
    assert!(charges.iter().all(|c| c.operation == Operation::Create));
    assert!(charges.iter().all(|c| c.amount == COST));
    charges.iter().map(|c| c.amount).sum()
}

#[test]
fn sixty_four_tasks_never_push_the_ledger_past_a_cap_of_50() {
    run(async {
        let sandbox = sandbox().start().await.unwrap();
        let client = capped(&sandbox, COST);
        let created = create_until_refused(&client).await;

        // The expected cost is the real one: the total charged never passes the cap, and
        // reaches it exactly; every refusal saw it reached.
        let total: usize = created.iter().map(|(n, _)| n).sum();
        assert!(
            created.iter().all(|(_, spent)| *spent == CAP),
            "{created:?}"
        );
        assert_eq!(total as u64, CAP / COST);
        assert_eq!(ledger(&sandbox), CAP);
        assert_eq!(
            sandbox.requests_seen(),
            CAP / COST,
            "no refused call was sent"
        );
        assert_eq!(client.credits_spent(), CAP);
        assert_eq!(sandbox.session_count(), total);

        // And it stays shut: one more call, from a clone, sends nothing.
        let again = client.clone().create_session(&seed_request()).await;
        assert!(matches!(
            again,
            Err(Error::CreditCap {
                cap: CAP,
                spent: CAP,
                ..
            })
        ));
        assert_eq!(sandbox.requests_seen(), CAP / COST);
    });
}

#[test]
fn with_an_underestimated_cost_the_overshoot_stays_within_the_documented_bound() {
    run(async {
        let sandbox = sandbox().start().await.unwrap();
        let client = capped(&sandbox, UNDERESTIMATE);
        let created = create_until_refused(&client).await;

        let sent = sandbox.requests_seen();
        let total: usize = created.iter().map(|(n, _)| n).sum();
        assert!(
            created.iter().all(|(_, spent)| *spent >= CAP),
            "{created:?}"
        );
        assert_eq!(total as u64, sent, "every request sent was a success");
        // Reservations in flight never add up to more than the cap: at most cap / expected
        // calls are ever sent...
        assert!(sent <= CAP / UNDERESTIMATE, "{sent} creates sent");
        // ...and each can pass it by what it costs beyond what was expected.
        let charged = ledger(&sandbox);
        assert_eq!(charged, COST * sent);
        assert!(charged >= CAP, "the cap was reached ({charged})");
        assert!(
            charged - CAP <= (COST - UNDERESTIMATE) * sent,
            "{charged} charged for {sent} creates"
        );
        // The count follows the reported charges, not the underestimate.
        assert_eq!(client.credits_spent(), charged);
        assert!(client.create_session(&seed_request()).await.is_err());
        assert_eq!(sandbox.requests_seen(), sent);
    });
}
