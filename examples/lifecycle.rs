//! The whole session lifecycle: job description -> filters -> create -> wait (with progress) ->
//! stream every candidate -> reveal the top candidate's email.
//!
//! `cargo run --example lifecycle` runs offline against the embedded sandbox. With `FJ_API_KEY`
//! set it uses the real API, which charges credits for create and reveal.

mod support;

use fj_sourcing::AnnotatedBuilder;
use fj_sourcing::RevealType;
use futures_util::StreamExt;
use support::{cell, connect, progress, require};

const JD: &str = "Looking for a .NET Developer in Pune, Maharashtra, India with 3-7 years of \
                  experience building scalable backend systems with C#, ASP.NET MVC and SQL Server, \
                  preferably in the fintech domain.";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let conn = connect().await?;
    let client = &conn.client;

    // 1. Job description to filters. Keys the server marks absent are dropped and listed;
    //    anything unusable is an error that still carries the usable rest.
    let annotations = client.jd_to_filters(JD, None).await?;
    let filters = match annotations.to_builder() {
        Ok(filters) => filters,
        Err(err) => {
            eprintln!("some annotations were unusable and are left out: {err}");
            err.into_partial()
        }
    };
    let applied: Vec<&str> = filters.applied.iter().map(|id| id.key()).collect();
    println!("filters from the JD: {}", applied.join(", "));
    for dropped in &filters.dropped {
        println!("  left out {} ({})", dropped.key(), dropped.reason());
    }
    let builder = filters
        .builder
        .title(".NET Developer (from JD)")
        .jd_text(JD);
    let request = match builder {
        AnnotatedBuilder::Ready(ready) => ready.build()?,
        // The JD named no skill we know: say what we require ourselves.
        AnnotatedBuilder::NeedsSkills(needs) => needs.mandatory_skills(["C#"]).build()?,
    };

    // 2. Create (charges credits) and wait, showing progress.
    let created = client.create_session(&request).await?;
    let session_id = require(created.id(), "session id")?.to_owned();
    println!("\nsession {session_id} created");
    client
        .wait_until_done_with(&session_id, conn.wait.clone(), progress)
        .await?;

    // 3. Stream every candidate across all pages (one page fetched ahead at most).
    let mut stream = client.profiles_stream(&session_id, 20);
    let mut candidates = Vec::new();
    while let Some(candidate) = stream.next().await {
        candidates.push(candidate?);
    }
    println!("{} candidates streamed", candidates.len());

    // 4. Reveal the top candidate's email (charges credits).
    let top = candidates
        .iter()
        .max_by(|a, b| {
            a.final_score
                .unwrap_or(0.0)
                .total_cmp(&b.final_score.unwrap_or(0.0))
        })
        .ok_or("no candidates matched; nothing to reveal")?;
    let url = require(top.linkedin_url(), "LinkedIn URL for the top candidate")?;
    println!(
        "top candidate: {} (score {})",
        cell(top.name(), 40),
        top.final_score.map_or("-".to_owned(), |s| s.to_string())
    );
    let contacts = client
        .reveal_contact(&session_id, url, RevealType::Email)
        .await?;
    let emails = contacts.values(RevealType::Email);
    if emails.is_empty() {
        println!("no email found for {url}");
    } else {
        println!("email: {}", emails.join(", "));
    }

    if let Some(sandbox) = conn.sandbox {
        println!("sandbox credits left: {}", sandbox.credits_remaining());
        sandbox.shutdown().await;
    }
    Ok(())
}
