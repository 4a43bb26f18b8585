//! `fj search FILE [--wait]`: create a session, optionally wait and list its candidates.

use std::time::Duration;

use anyhow::Context;
use fj_sourcing::{Client, WaitOptions};

use crate::cli::{SearchArgs, Target};
use crate::connect::Connection;
use crate::failure::AnswerError;
use crate::output::{CreatedRow, Sink, count};
use crate::ui::Ui;

/// Validates the file first (nothing is sent, and nothing charged, for an invalid one).
pub async fn run(args: &SearchArgs, target: Target, ui: &Ui) -> anyhow::Result<()> {
    let request = super::read_query(&args.file)?;
    let connection = Connection::open(target, ui).await?;
    let result = search(&connection.client, args, &request, ui).await;
    connection.close().await;
    result
}

async fn search(
    client: &Client,
    args: &SearchArgs,
    request: &fj_sourcing::SessionRequest,
    ui: &Ui,
) -> anyhow::Result<()> {
    let created = client
        .create_session(request)
        .await
        .context("creating the session")?;
    ui.call("create session", &created.meta);
    let id = created
        .id()
        .ok_or_else(|| AnswerError("the API created a session but sent no session id".into()))?
        .to_owned();
    let credits = created.credit_info();
    let row = CreatedRow {
        session_id: id.clone(),
        status: created.matching_status().map(|s| s.as_str().to_owned()),
        credits_charged: credits.and_then(|c| c.amount),
        credits_remaining: credits.and_then(|c| c.remaining_credits),
    };
    if !args.wait {
        let mut sink = Sink::new::<CreatedRow>(args.format, super::stdout())?;
        sink.write(&row)?;
        sink.finish()?;
        if let Some(reason) = created.sourcing_error() {
            ui.warn(format_args!(
                "the session was stored but matching did not start: {reason}"
            ));
        }
        return Ok(());
    }
    ui.info(format_args!(
        "created session {id}: charged {} ({} remaining)",
        row.credits_charged.map_or_else(
            || "an unknown number of credits".to_owned(),
            |n| count(n, "credit")
        ),
        row.credits_remaining
            .map_or_else(|| "unknown".to_owned(), |n| n.to_string()),
    ));
    if let Some(reason) = created.sourcing_error() {
        return Err(AnswerError(format!(
            "session {id} was stored but matching did not start, so there is nothing to wait \
             for: {reason}"
        ))
        .into());
    }
    let options = WaitOptions::default().with_deadline(Duration::from_secs(args.wait_timeout));
    let display = ui.waiting(&id);
    let waited = client
        .wait_until_done_with(&id, options, |p| {
            display.poll(p.status.as_ref(), p.changed, p.elapsed)
        })
        .await;
    display.finish();
    let done = waited.with_context(|| format!("waiting for session {id}"))?;
    ui.call("session details", &done.meta);
    let written = super::profiles::write_all(client, &id, args.format, args.limit, ui).await?;
    ui.info(format_args!(
        "session {id}: {}",
        count(written, "candidate")
    ));
    Ok(())
}
