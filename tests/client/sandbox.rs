//! The client against the crate's own sandbox: the whole lifecycle, errors, and injected faults.

use std::time::Duration;

use fj_sandbox::{Fault, Sandbox, SandboxHandle};
use fj_sourcing::RevealType;
use fj_sourcing::WaitOptions;
use fj_sourcing::model::ProfileMatchingStatus;
use fj_sourcing::{Client, Error, Session};
use futures_util::StreamExt;

fn client_for(sandbox: &SandboxHandle) -> Client {
    Client::builder()
        .api_key(sandbox.api_key())
        .base_url(sandbox.base_url())
        .retry(crate::support::fast_retries())
        .build()
        .unwrap()
}

fn quick() -> WaitOptions {
    WaitOptions::default()
        .with_first_interval(Duration::from_millis(5))
        .with_max_interval(Duration::from_millis(20))
        .with_deadline(Duration::from_secs(10))
}

const JD: &str = "Looking for a senior .NET Developer in Pune with 3-7 years of experience in C# \
                  and SQL Server, preferably from a fintech company.";

#[tokio::test]
async fn the_whole_lifecycle_runs_against_the_sandbox() {
    let sandbox = Sandbox::builder()
        .polls_before_done(2)
        .start()
        .await
        .unwrap();
    let client = client_for(&sandbox);
    let credits_before = sandbox.credits_remaining();

    let annotations = client.jd_to_filters(JD, None).await.unwrap();
    let filters = annotations.to_builder().unwrap_or_else(|e| panic!("{e}"));
    assert!(
        filters.builder.has_skills(),
        "the JD names C# and SQL Server"
    );
    assert!(
        filters
            .applied
            .contains(&fj_sourcing::fields::FieldId::YearsOfExperience)
    );
    let request = filters
        .builder
        .title(".NET Developer")
        .jd_text(JD)
        .build()
        .unwrap();
    assert_eq!(
        serde_json::to_value(
            request
                .queries()
                .get(fj_sourcing::fields::FieldId::YearsOfExperience)
                .unwrap()
        )
        .unwrap(),
        serde_json::json!([3, 7])
    );

    let created = client.create_session(&request).await.unwrap();
    assert_eq!(created.meta.status().as_u16(), 201);
    assert!(created.meta.request_id().is_some());
    assert!(created.meta.rate_limit().limit().is_some());
    assert_eq!(created.sourcing_error(), None);
    let id = created.id().unwrap().to_owned();
    let charged = created.credit_info().unwrap().amount.unwrap() as u64;
    assert_eq!(sandbox.credits_remaining(), credits_before - charged);

    let mut changes = Vec::new();
    let done = client
        .wait_until_done_with(&id, quick(), |p| {
            if p.changed {
                changes.push(p.status.clone())
            }
        })
        .await
        .unwrap();
    assert!(done.is_done());
    assert_eq!(changes.last(), Some(&Some(ProfileMatchingStatus::Done)));

    let first = client.profiles(&id, 1, 7).await.unwrap();
    let total = first.total_docs.unwrap() as usize;
    let all: Vec<_> = client
        .profiles_stream(&id, 7)
        .map(|c| c.unwrap())
        .collect()
        .await;
    assert_eq!(all.len(), total);
    let mut ids: Vec<_> = all.iter().map(|c| c.id.clone().unwrap()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), total, "every candidate exactly once");

    let top = &all[0];
    let details = client
        .candidate(top.id.as_deref().unwrap(), &id)
        .await
        .unwrap();
    let url = top
        .linkedin_url()
        .or(details.candidate.linkedin_url())
        .unwrap()
        .to_owned();
    let contacts = client
        .reveal_contact(&id, &url, RevealType::Email)
        .await
        .unwrap();
    assert!(contacts.get(RevealType::Email).is_some());
    assert!(contacts.get(RevealType::Phone).is_some());

    let more = client.fetch_more(&id).await.unwrap();
    assert_eq!(
        more.profile_matching_status,
        Some(ProfileMatchingStatus::FetchingMore)
    );
    client.wait_until_done(&id, quick()).await.unwrap();
    let grown = client
        .profiles(&id, 1, 7)
        .await
        .unwrap()
        .total_docs
        .unwrap() as usize;
    assert!(
        grown > total,
        "fetch more added candidates ({total} -> {grown})"
    );

    let update = Session::patch()
        .title("Senior .NET Developer")
        .experience(4..=8)
        .build()
        .unwrap();
    let updated = client.update_session(&id, &update).await.unwrap();
    assert_eq!(
        updated.matching_status(),
        Some(&ProfileMatchingStatus::Processing)
    );
    client.wait_until_done(&id, quick()).await.unwrap();

    let sessions = client.project_sessions().await.unwrap();
    assert!(
        sessions
            .iter()
            .any(|s| s.id.as_deref() == Some(id.as_str()))
    );
    let regions = client
        .autocomplete("region", "Pune", Some(5))
        .await
        .unwrap();
    assert!(regions.values().any(|r| r.contains("Pune")));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn sandbox_errors_map_to_their_kinds() {
    let sandbox = Sandbox::builder().start().await.unwrap();
    let wrong_key = Client::builder()
        .api_key("fjk_wrong")
        .base_url(sandbox.base_url())
        .build()
        .unwrap();
    let error = wrong_key.project_sessions().await.unwrap_err();
    assert!(matches!(error, Error::Unauthorized(_)), "{error:?}");
    assert!(error.request_id().is_some());
    assert!(!error.api_error().unwrap().message().is_empty());

    let client = client_for(&sandbox);
    let error = client
        .autocomplete("no_such_filter", "x", None)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::BadRequest(_)), "{error:?}");
    assert!(!error.problems().is_empty(), "{error}");

    let error = client
        .session("000000000000000000000000")
        .await
        .unwrap_err();
    assert!(matches!(error, Error::NotFound(_)), "{error:?}");

    sandbox.set_credits(0);
    let error = client
        .create_session(&crate::support::seed_request())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::PaymentRequired(_)), "{error:?}");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn injected_faults_are_retried_only_where_safe() {
    let sandbox = Sandbox::builder().start().await.unwrap();
    let client = client_for(&sandbox);
    let request = crate::support::seed_request();

    // A 503 on create is not retried: the server saw exactly one request.
    sandbox.inject(Fault::Status(503), 1);
    let before = sandbox.requests_seen();
    let error = client.create_session(&request).await.unwrap_err();
    assert!(matches!(error, Error::Server(_)), "{error:?}");
    assert_eq!(sandbox.requests_seen() - before, 1);

    // A connection closed after processing: the session was created and charged, so retrying
    // would have created (and charged) it twice.
    sandbox.inject(Fault::CloseBeforeResponse, 1);
    let sessions_before = sandbox.session_count();
    let error = client.create_session(&request).await.unwrap_err();
    assert!(
        matches!(error, Error::Transport(_)) && !error.is_connect(),
        "{error:?}"
    );
    assert_eq!(sandbox.session_count(), sessions_before + 1);

    // A malformed success body is a decode error with the request id.
    sandbox.inject(Fault::MalformedBody, 1);
    let error = client.project_sessions().await.unwrap_err();
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
    assert!(error.request_id().is_some());

    // A read survives a 503 (with the sandbox's Retry-After: 1).
    sandbox.inject(Fault::Status(503), 1);
    let listed = client.project_sessions().await.unwrap();
    assert_eq!(listed.meta.attempts(), 2);

    // Missing headers do not fail a call.
    sandbox.inject(Fault::MissingHeaders, 1);
    let listed = client.project_sessions().await.unwrap();
    assert_eq!(listed.meta.request_id(), None);
    assert_eq!(listed.meta.rate_limit().limit(), None);
    sandbox.shutdown().await;
}

/// Create, read the stored session back as a request, patch one filter, read again: the change
/// is stored, `filterChangesCounter` went up by one, and the rest of the session is kept.
#[tokio::test]
async fn a_stored_session_reads_back_as_a_request_and_a_patch_changes_it() {
    let sandbox = Sandbox::builder().start().await.unwrap();
    let client = client_for(&sandbox);
    let request = fj_sourcing::include_session!("examples/queries/dotnet-pune.json");
    let created = client.create_session(&request).await.unwrap();
    let id = created.id().unwrap().to_owned();

    let before = client.session(&id).await.unwrap();
    let stored = before.session.to_request().unwrap();
    assert_eq!(stored, request);
    let counter = before.session.filter_changes_counter.unwrap();

    let patch = Session::patch().experience(3..=8).build().unwrap();
    let updated = client.update_session(&id, &patch).await.unwrap();
    assert_eq!(
        updated.session.as_ref().unwrap().filter_changes_counter,
        Some(counter + 1)
    );

    let after = client.session(&id).await.unwrap();
    assert_eq!(after.session.filter_changes_counter, Some(counter + 1));
    let expected = stored.into_builder().experience(3..=8).build().unwrap();
    assert_eq!(after.session.to_request().unwrap(), expected);

    // A changed full request, sent whole, replaces what it sets.
    let narrower = expected
        .into_builder()
        .title("Senior .NET Developer")
        .build()
        .unwrap();
    client
        .update_session(&id, &narrower.clone().into())
        .await
        .unwrap();
    let last = client.session(&id).await.unwrap();
    assert_eq!(last.session.filter_changes_counter, Some(counter + 2));
    assert_eq!(last.session.to_request().unwrap(), narrower);
    sandbox.shutdown().await;
}
