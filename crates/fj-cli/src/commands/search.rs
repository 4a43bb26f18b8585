//! `fj search FILE [--wait]`: create a session, optionally wait and list its candidates.

use std::time::Duration;

use anyhow::Context;
use fj_sourcing::{Client, WaitOptions};

use super::check::UnknownRow;
use crate::cli::{Format, SearchArgs, Target};
use crate::connect::Connection;
use crate::failure::{AnswerError, InputError};
use crate::output::{CreatedRow, Sink, count};
use crate::ui::Ui;

/// Validates the file first (nothing is sent, and nothing charged, for an invalid one), then,
/// unless `--no-check`, checks its values (nothing is charged when one blocks or the check
/// cannot run).
pub async fn run(args: &SearchArgs, target: Target, ui: &Ui) -> anyhow::Result<()> {
    let request = super::read_query(&args.file)?;
    let connection = Connection::open(target, ui).await?;
    let mut result = Ok(());
    if !args.no_check {
        result = check(&connection.client, args, &request, ui).await;
    }
    if result.is_ok() {
        result = search(&connection.client, args, &request, ui).await;
    }
    connection.close().await;
    result
}

/// Stops on a blocking unknown value, after printing the unknown values (records on standard
/// output in CSV or ndjson, lines on standard error otherwise); advisory ones are warnings.
async fn check(
    client: &Client,
    args: &SearchArgs,
    request: &fj_sourcing::SessionRequest,
    ui: &Ui,
) -> anyhow::Result<()> {
    let name = args.file.display().to_string();
    let report = client.check_values(request).await.with_context(|| {
        format!(
            "checking the values of {name} against Filters Autocomplete, so nothing was created \
             (--no-check skips the check)"
        )
    })?;
    let rows = super::check::rows(&name, &report, ui);
    let blocking = rows.iter().filter(|row| row.blocking).count();
    if blocking > 0 && args.format != Format::Table {
        let mut sink = Sink::new::<UnknownRow>(args.format, super::stdout())?;
        for row in &rows {
            sink.write(row)?;
        }
        sink.finish()?;
    } else {
        rows.iter().for_each(|row| ui.warn(row));
    }
    if blocking == 0 {
        return Ok(());
    }
    let s = if blocking == 1 { "" } else { "s" };
    Err(InputError::new(
        "UnknownValue",
        format!(
            "{name}: {blocking} value{s} unknown to the API would make the search find nobody; \
             nothing was created and nothing charged (fix the value{s}, or pass --no-check)"
        ),
    )
    .into())
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
    let written = super::profiles::write_all(client, &id, args.format, args.limit, 4, ui).await?;
    ui.info(format_args!(
        "session {id}: {}",
        count(written, "candidate")
    ));
    Ok(())
}
