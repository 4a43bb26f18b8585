//! `fj profiles SESSION_ID`: one page of candidates, or all of them.

use anyhow::Context;
use fj_sourcing::model::Candidate;
use fj_sourcing::{Client, ProfileStream};
use futures_util::StreamExt;

use crate::cli::{Format, ProfilesArgs, Target};
use crate::connect::Connection;
use crate::output::{CandidateRow, Sink, count};
use crate::ui::{PageDisplay, Ui};

/// Page size of `--all` and of `search --wait` (the sandbox's and integrators' usual maximum;
/// the reference documents none).
const STREAM_PAGE_SIZE: u32 = 100;

/// Prints the candidates.
pub async fn run(args: &ProfilesArgs, target: Target, ui: &Ui) -> anyhow::Result<()> {
    let connection = Connection::open(target, ui).await?;
    let result = if args.all {
        let (client, id) = (&connection.client, &args.session_id);
        write_all(client, id, args.format, None, args.pages_in_flight, ui)
            .await
            .map(|written| ui.info(count(written, "candidate")))
    } else {
        one_page(&connection.client, args, ui).await
    };
    connection.close().await;
    result
}

async fn one_page(client: &Client, args: &ProfilesArgs, ui: &Ui) -> anyhow::Result<()> {
    let id = &args.session_id;
    let page = client
        .profiles(id, args.page, args.limit)
        .await
        .with_context(|| format!("reading page {} of session {id}", args.page))?;
    ui.call("profiles", &page.meta);
    let mut sink = Sink::new::<CandidateRow>(args.format, super::stdout())?;
    for candidate in &page.docs {
        sink.write(&CandidateRow::from(candidate))?;
    }
    sink.finish()?;
    let of = |n: Option<u64>| n.map_or_else(|| "?".to_owned(), |n| n.to_string());
    ui.info(format_args!(
        "page {} of {} ({} in all)",
        page.page.unwrap_or(u64::from(args.page)),
        of(page.total_pages),
        page.total_docs
            .map_or_else(|| "? candidates".to_owned(), |n| count(n, "candidate"))
    ));
    Ok(())
}

/// Every candidate of a session, `pages_in_flight` pages at a time, counted by a progress bar
/// (on a terminal) against `totalDocs` as they arrive; the bar goes when this is dropped.
pub struct Candidates {
    stream: ProfileStream,
    bar: PageDisplay,
    count: u64,
}

impl Candidates {
    /// Starts the walk (nothing is requested before the first [`next`](Self::next)).
    pub fn new(
        client: &Client,
        session_id: &str,
        page_size: u32,
        pages_in_flight: u16,
        ui: &Ui,
    ) -> Candidates {
        let stream = client
            .profiles_stream(session_id, page_size)
            .concurrency(pages_in_flight.into());
        Candidates {
            stream,
            bar: ui.paging(session_id),
            count: 0,
        }
    }

    /// The next candidate, in the API's order.
    pub async fn next(&mut self) -> Option<Result<Candidate, fj_sourcing::Error>> {
        let item = self.stream.next().await;
        if let Some(Ok(_)) = item {
            self.count += 1;
            self.bar.update(self.count, self.stream.total_docs());
        }
        item
    }
}

impl Drop for Candidates {
    fn drop(&mut self) {
        self.bar.clear();
    }
}

/// Streams every candidate of the session (at most `limit`) to standard output, with a
/// progress bar on a terminal; returns how many were written.
pub async fn write_all(
    client: &Client,
    session_id: &str,
    format: Format,
    limit: Option<u32>,
    pages_in_flight: u16,
    ui: &Ui,
) -> anyhow::Result<usize> {
    let page_size = limit.map_or(STREAM_PAGE_SIZE, |l| l.min(STREAM_PAGE_SIZE));
    let limit = limit.map_or(usize::MAX, |l| l as usize);
    let mut candidates = Candidates::new(client, session_id, page_size, pages_in_flight, ui);
    let mut sink = Sink::new::<CandidateRow>(format, super::stdout())?;
    let mut failure = None;
    while sink.rows() < limit {
        match candidates.next().await {
            None => break,
            Some(Ok(candidate)) => sink.write(&CandidateRow::from(&candidate))?,
            Some(Err(error)) => {
                failure = Some(error);
                break;
            }
        }
    }
    drop(candidates);
    let written = sink.rows();
    // What was read before a failure is still written.
    sink.finish()?;
    if let Some(error) = failure {
        return Err(error)
            .with_context(|| format!("reading the candidates of session {session_id}"));
    }
    Ok(written)
}
