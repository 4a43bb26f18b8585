//! `fj reveal SESSION_ID --email|--phone [--cap CREDITS] URL...|--from-profiles`.

use std::collections::HashSet;
use std::io;

use anyhow::Context;
use fj_sourcing::model::Contacts;
use fj_sourcing::{Client, Error, RevealType};
use futures_util::StreamExt;

use crate::cli::{RevealArgs, Target};
use crate::connect::Connection;
use crate::failure::InputError;
use crate::output::{ContactRow, Sink};
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
    let connection = Connection::open(target, ui).await?;
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
        profile_urls(client, &args.session_id, ui).await?
    } else {
        args.urls.iter().map(|u| u.trim().to_owned()).collect()
    };
    let budget = Budget {
        cap: args.cap,
        assumed_cost: args.cost_per_reveal,
    };
    let mut sink = Sink::new::<ContactRow>(args.format, super::stdout())?;
    let outcome = reveal_sequentially(client, &args.session_id, &urls, kinds, budget, ui, |row| {
        sink.write(&row)
    })
    .await;
    sink.finish()?;
    let summary = outcome?;
    if !summary.skipped.is_empty() {
        let cap = args.cap.unwrap_or_default();
        ui.warn(format_args!(
            "credit cap reached: spent {} of {cap} credits{}; {} reveal{} not made: {}",
            summary.spent,
            if summary.cost_from_answers {
                ""
            } else {
                " (assuming the --cost-per-reveal price; the answers gave none)"
            },
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
        "{} reveal{} made, {} credits spent{}",
        summary.made,
        if summary.made == 1 { "" } else { "s" },
        summary.spent,
        if summary.cost_from_answers {
            ""
        } else {
            " (assumed)"
        }
    ));
    Ok(())
}

/// The LinkedIn URLs of every candidate of the session, from the profile list, or from Get
/// Candidate Details when the list does not carry one.
async fn profile_urls(client: &Client, session_id: &str, ui: &Ui) -> anyhow::Result<Vec<String>> {
    let mut urls = Vec::new();
    let mut stream = client.profiles_stream(session_id, 100);
    while let Some(candidate) = stream.next().await {
        let candidate =
            candidate.with_context(|| format!("reading the candidates of session {session_id}"))?;
        if let Some(url) = candidate.linkedin_url() {
            urls.push(url.to_owned());
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
            Some(url) => urls.push(url.to_owned()),
            None => ui.warn(format_args!(
                "candidate {id} has no LinkedIn URL and was left out"
            )),
        }
    }
    Ok(urls)
}

/// The cap and the price assumed when an answer does not state one.
#[derive(Clone, Copy, Debug)]
struct Budget {
    cap: Option<u64>,
    assumed_cost: u64,
}

/// What a reveal run did.
#[derive(Debug, Default)]
struct Summary {
    /// Credits spent: from the answers' `creditInfo` where present, else assumed.
    spent: u64,
    /// Reveal calls that were answered (404s included).
    made: usize,
    /// Reveals not made because of the cap, in order.
    skipped: Vec<(String, RevealType)>,
    /// Whether every charge counted came from an answer rather than from the assumed price.
    cost_from_answers: bool,
}

/// Reveals each unique URL for each contact type, one call at a time, never starting a call
/// that could take the credits spent above the cap.
///
/// This is the only place that calls the API for `fj reveal`, so that it can be replaced by the
/// library's bulk `Client::reveal_contacts` (with `ClientBuilder::credit_cap`) once that exists.
///
/// Assumptions, since the reference documents no reveal price and no credit information in the
/// Reveal Contact answer:
/// * a call costs what its answer's `creditInfo` says (`amount`, or 0 when `charged` is false)
///   when an entry of the answer carries one; that price is then also expected for the next
///   call. Otherwise it is assumed to cost `budget.assumed_cost` (1 by default);
/// * a 404 (profile or contact not found) costs nothing and the run goes on with a `NOT_FOUND`
///   row; any other error ends the run, after the rows already revealed are printed;
/// * repeats are not sent: URLs are de-duplicated (exact text after trimming) before the run.
async fn reveal_sequentially(
    client: &Client,
    session_id: &str,
    urls: &[String],
    kinds: &[RevealType],
    budget: Budget,
    ui: &Ui,
    mut on_row: impl FnMut(ContactRow) -> io::Result<()>,
) -> anyhow::Result<Summary> {
    let mut seen = HashSet::new();
    let unique: Vec<&str> = urls
        .iter()
        .map(|u| u.trim())
        .filter(|u| seen.insert(*u))
        .collect();
    let mut summary = Summary {
        cost_from_answers: true,
        ..Summary::default()
    };
    let mut expected = budget.assumed_cost;
    let mut capped = false;
    for url in unique {
        for &kind in kinds {
            if let Some(cap) = budget.cap {
                capped = capped || summary.spent.saturating_add(expected) > cap;
            }
            if capped {
                summary.skipped.push((url.to_owned(), kind));
                continue;
            }
            let row = match client.reveal_contact(session_id, url, kind).await {
                Ok(answer) => {
                    ui.call("reveal contact", &answer.meta);
                    match stated_cost(&answer) {
                        Some(cost) => {
                            summary.spent += cost;
                            expected = cost;
                        }
                        None => {
                            summary.spent += expected;
                            summary.cost_from_answers = false;
                        }
                    }
                    ContactRow {
                        linkedin_url: url.to_owned(),
                        kind: kind.as_str(),
                        status: answer.get(kind).and_then(|e| e.status.clone()),
                        values: answer.values(kind).to_vec(),
                    }
                }
                Err(Error::NotFound(error)) => {
                    ui.call("reveal contact", error.meta());
                    ContactRow {
                        linkedin_url: url.to_owned(),
                        kind: kind.as_str(),
                        status: Some("NOT_FOUND".to_owned()),
                        values: Vec::new(),
                    }
                }
                Err(error) => {
                    return Err(error).with_context(|| format!("revealing the {kind} of {url}"));
                }
            };
            summary.made += 1;
            on_row(row)?;
        }
    }
    Ok(summary)
}

/// The charge an answer states: `creditInfo` on any of its entries (`amount`, or 0 when
/// `charged` is false). The reference shows no such field on Reveal Contact; Create's answer has
/// one, so a reveal answer carrying one is read the same way.
fn stated_cost(contacts: &Contacts) -> Option<u64> {
    contacts.iter().find_map(|entry| {
        let info = entry.extra.get("creditInfo")?;
        if info.get("charged").and_then(|c| c.as_bool()) == Some(false) {
            return Some(0);
        }
        info.get("amount")?.as_u64()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contacts(json: serde_json::Value) -> Contacts {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn the_stated_cost_comes_from_credit_info_when_present() {
        let none = contacts(serde_json::json!([
            { "type": "EMAIL", "values": ["a@example.com"], "status": "FOUND" }
        ]));
        assert_eq!(stated_cost(&none), None);
        let paid = contacts(serde_json::json!([
            { "type": "EMAIL", "values": [], "status": null },
            { "type": "PHONE", "values": ["1"], "status": "FOUND",
              "creditInfo": { "charged": true, "amount": 3 } }
        ]));
        assert_eq!(stated_cost(&paid), Some(3));
        let free = contacts(serde_json::json!([
            { "type": "EMAIL", "values": [], "creditInfo": { "charged": false, "amount": 3 } }
        ]));
        assert_eq!(stated_cost(&free), Some(0));
    }

    #[test]
    fn only_absolute_web_urls_are_accepted() {
        assert!(is_web_url("https://www.linkedin.com/in/x"));
        assert!(is_web_url("http://linkedin.com/in/x"));
        assert!(!is_web_url("linkedin.com/in/x"));
        assert!(!is_web_url("ftp://linkedin.com/in/x"));
        assert!(!is_web_url(""));
    }
}
