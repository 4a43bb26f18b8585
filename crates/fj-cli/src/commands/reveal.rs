//! `fj reveal SESSION_ID --email|--phone [--cap CREDITS] URL...|--from-profiles`.

use std::collections::{HashMap, HashSet};
use std::io;

use anyhow::Context;
use fj_sourcing::model::Contacts;
use fj_sourcing::{Client, CreditCosts, Error, Response, RevealType};
use futures_util::StreamExt;

use crate::cli::{RevealArgs, Target};
use crate::connect::Connection;
use crate::failure::InputError;
use crate::output::{ContactRow, Sink, count};
use crate::ui::Ui;

/// Checks the URLs, reveals, prints a row per (URL, contact type).
pub async fn run(args: &RevealArgs, target: Target, ui: &Ui) -> anyhow::Result<()> {
    // Checked before anything is sent, so a typo in the tenth URL does not leave a half-paid run.
    let bad: Vec<&str> = args
        .urls
        .iter()
        .map(|u| u.trim())
        .filter(|u| !is_web_url(u))
        .collect();
    if !bad.is_empty() {
        return Err(InputError::new(
            "InvalidInput",
            format!(
                "not an absolute http(s) profile URL: {}",
                bad.iter()
                    .map(|u| format!("{u:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
        .into());
    }
    let mut kinds = Vec::new();
    if args.email {
        kinds.push(RevealType::Email);
    }
    if args.phone {
        kinds.push(RevealType::Phone);
    }
    let costs = CreditCosts {
        reveal: args.cost_per_reveal,
        ..CreditCosts::DEFAULT
    };
    let cap = args.cap;
    let connection = Connection::open_with(target, ui, |builder| {
        let builder = builder.credit_costs(costs);
        match cap {
            Some(cap) => builder.credit_cap(cap),
            None => builder,
        }
    })
    .await?;
    let result = reveal(&connection.client, args, &kinds, ui).await;
    connection.close().await;
    result
}

fn is_web_url(raw: &str) -> bool {
    url::Url::parse(raw).is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
}

async fn reveal(
    client: &Client,
    args: &RevealArgs,
    kinds: &[RevealType],
    ui: &Ui,
) -> anyhow::Result<()> {
    let urls = if args.from_profiles {
        profile_urls(client, args, ui).await?
    } else {
        args.urls.iter().map(|u| u.trim().to_owned()).collect()
    };
    let mut sink = Sink::new::<ContactRow>(args.format, super::stdout())?;
    let outcome = reveal_in_bulk(client, args, &urls, kinds, ui, |row| sink.write(&row)).await;
    sink.finish()?;
    let summary = outcome?;
    let spent = client.credits_spent();
    if !summary.skipped.is_empty() {
        let cap = args.cap.unwrap_or_default();
        ui.warn(format_args!(
            "credit cap reached: spent {spent} of {cap} credits; {} reveal{} not made: {}",
            summary.skipped.len(),
            if summary.skipped.len() == 1 {
                " was"
            } else {
                "s were"
            },
            summary
                .skipped
                .iter()
                .map(|(url, kind)| format!("{url} ({kind})"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    ui.info(format_args!(
        "{} made, {} spent",
        count(summary.made, "reveal"),
        count(spent, "credit"),
    ));
    Ok(())
}

/// The LinkedIn URLs of every candidate of the session scoring at least `min_score`, best
/// `finalScore` first (ties in the API's order, candidates without a score last), so that a cap
/// is spent on the best. The URL comes from the profile list, or from Get Candidate Details when
/// the list does not carry one.
async fn profile_urls(client: &Client, args: &RevealArgs, ui: &Ui) -> anyhow::Result<Vec<String>> {
    let (session_id, min_score) = (args.session_id.as_str(), args.min_score);
    let mut scored: Vec<(Option<f64>, String)> = Vec::new();
    let mut below = 0usize;
    let mut stream =
        super::profiles::Candidates::new(client, session_id, 100, args.pages_in_flight, ui);
    while let Some(candidate) = stream.next().await {
        let candidate =
            candidate.with_context(|| format!("reading the candidates of session {session_id}"))?;
        let score = candidate.final_score;
        if min_score.is_some_and(|min| !score.is_some_and(|s| s >= min)) {
            below += 1;
            continue;
        }
        if let Some(url) = candidate.linkedin_url() {
            scored.push((score, url.to_owned()));
            continue;
        }
        let Some(id) = candidate.id.as_deref() else {
            ui.warn("a candidate without an id or a LinkedIn URL was left out");
            continue;
        };
        let details = client
            .candidate(id, session_id)
            .await
            .with_context(|| format!("reading candidate {id}"))?;
        match details.candidate.linkedin_url() {
            Some(url) => scored.push((score, url.to_owned())),
            None => ui.warn(format_args!(
                "candidate {id} has no LinkedIn URL and was left out"
            )),
        }
    }
    if below > 0 {
        ui.info(format_args!(
            "{below} candidates below --min-score were left out"
        ));
    }
    // Stable: equal scores keep the API's order; `None` sorts below every score.
    scored.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal));
    Ok(scored.into_iter().map(|(_, url)| url).collect())
}

/// What a reveal run did.
#[derive(Debug, Default)]
struct Summary {
    /// Reveal calls that were answered (404s included).
    made: usize,
    /// Reveals not made because of the cap, in order.
    skipped: Vec<(String, RevealType)>,
}

/// Reveals each unique URL for each contact type through `Client::reveal_contacts`, within the
/// client's credit cap, and hands over one row per answered (URL, type) in the order of the URLs.
///
/// * Repeats are not sent: URLs are de-duplicated (exact text after trimming) before the run.
/// * A 404 (profile or contact not found) is a `NOT_FOUND` row and the run goes on.
/// * A reveal refused by the cap ([`Error::CreditCap`], nothing sent) is listed in
///   [`Summary::skipped`]; so is every later one, since the cap does not grow back.
/// * Any other error ends the run after the rows of that contact type that were revealed are
///   handed over (the bulk call has already stopped sending on a `402`).
async fn reveal_in_bulk(
    client: &Client,
    args: &RevealArgs,
    urls: &[String],
    kinds: &[RevealType],
    ui: &Ui,
    mut on_row: impl FnMut(ContactRow) -> io::Result<()>,
) -> anyhow::Result<Summary> {
    let mut seen = HashSet::new();
    let unique: Vec<&str> = urls
        .iter()
        .map(|u| u.trim())
        .filter(|u| seen.insert(*u))
        .collect();
    let mut summary = Summary::default();
    for &kind in kinds {
        let mut answers: HashMap<String, Result<Response<Contacts>, Error>> = HashMap::new();
        let mut reveals = client
            .reveal_contacts(&args.session_id, unique.iter().copied(), kind)
            .concurrency(usize::from(args.concurrency));
        while let Some((url, answer)) = reveals.next().await {
            answers.insert(url, answer);
        }
        let mut failure = None;
        for &url in &unique {
            let row = match answers.remove(url) {
                Some(Ok(answer)) => {
                    ui.call("reveal contact", &answer.meta);
                    ContactRow {
                        linkedin_url: url.to_owned(),
                        kind: kind.as_str(),
                        status: answer.get(kind).and_then(|e| e.status.clone()),
                        values: answer.values(kind).to_vec(),
                    }
                }
                Some(Err(Error::NotFound(error))) => {
                    ui.call("reveal contact", error.meta());
                    ContactRow {
                        linkedin_url: url.to_owned(),
                        kind: kind.as_str(),
                        status: Some("NOT_FOUND".to_owned()),
                        values: Vec::new(),
                    }
                }
                Some(Err(Error::CreditCap { .. })) | None => {
                    summary.skipped.push((url.to_owned(), kind));
                    continue;
                }
                Some(Err(error)) => {
                    failure.get_or_insert((url, error));
                    continue;
                }
            };
            summary.made += 1;
            on_row(row)?;
        }
        if let Some((url, error)) = failure {
            return Err(error).with_context(|| format!("revealing the {kind} of {url}"));
        }
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_absolute_web_urls_are_accepted() {
        assert!(is_web_url("https://www.linkedin.com/in/x"));
        assert!(is_web_url("http://linkedin.com/in/x"));
        assert!(!is_web_url("linkedin.com/in/x"));
        assert!(!is_web_url("ftp://linkedin.com/in/x"));
        assert!(!is_web_url(""));
    }
}
