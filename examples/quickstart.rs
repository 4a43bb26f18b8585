//! Quickstart: create the reference's .NET developer session, wait until matching is done and
//! print the first page of candidates.
//!
//! `cargo run --example quickstart` runs offline against the embedded sandbox. With `FJ_API_KEY`
//! set (and optionally `FJ_BASE_URL`) it uses the real API, which charges credits.

mod support;

use fj_sourcing::Session;
use support::{cell, connect, progress, require};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let conn = connect().await?;
    let client = &conn.client;

    let request = Session::builder()
        .title(".NET Developer")
        .jd_text("Job Title: .NET Developer, Experience: 1-5 years, Location: Pune")
        .country_region_matches(["India"])
        .region_in(["Pune, Maharashtra, India"])
        .experience(1..=5)
        .mandatory_skills(["C#", ".NET Core"])
        .core_skills(["ASP.NET MVC", "Web API", "SQL Server", "Entity Framework"])
        .build()?;

    let created = client.create_session(&request).await?;
    let session_id = require(created.id(), "session id")?.to_owned();
    println!("session id:   {session_id}");
    if let Some(credits) = created.credit_info() {
        println!(
            "credits:      {} charged, {} left",
            credits.amount.unwrap_or(0),
            credits
                .remaining_credits
                .map_or("?".to_owned(), |c| c.to_string())
        );
    }
    if let Some(reason) = created.sourcing_error() {
        println!("note:         the server reports: {reason}");
    }

    eprintln!("waiting for matching to finish…");
    client
        .wait_until_done_with(&session_id, conn.wait.clone(), progress)
        .await?;

    let page = client.profiles(&session_id, 1, 10).await?;
    println!(
        "\ncandidates:   {} matched, showing page {} of {}\n",
        page.total_docs.unwrap_or(0),
        page.page.unwrap_or(1),
        page.total_pages.unwrap_or(1)
    );
    println!(
        "{:>2}  {:<24} {:>5} {:>5}  {:<28} current role",
        "#", "name", "score", "years", "region"
    );
    for (i, candidate) in page.docs.iter().enumerate() {
        let profile = candidate.profile.as_ref();
        let role = profile
            .and_then(|p| p.current_employers_object.first())
            .map(|e| {
                format!(
                    "{} at {}",
                    e.job_title.as_deref().unwrap_or("?"),
                    e.company_name.as_deref().unwrap_or("?")
                )
            });
        println!(
            "{:>2}  {:<24} {:>5} {:>5}  {:<28} {}",
            i + 1,
            cell(candidate.name(), 24),
            candidate
                .final_score
                .map_or("-".to_owned(), |s| format!("{s:.1}")),
            profile
                .and_then(|p| p.years_of_experience_raw)
                .map_or("-".to_owned(), |y| format!("{y}")),
            cell(profile.and_then(|p| p.region.as_deref()), 28),
            cell(role.as_deref(), 40),
        );
    }

    if let Some(sandbox) = conn.sandbox {
        sandbox.shutdown().await;
    }
    Ok(())
}
