//! The downstream binary of the cold-build measurement, written with fj-sourcing: build a
//! request with the typed DSL and create a session. `raw/` is the same program written with
//! reqwest + serde_json + serde derive.

use fj_sourcing::{Client, Session};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder()
        .api_key(std::env::var("FJ_API_KEY")?)
        .base_url(
            std::env::var("FJ_BASE_URL")
                .unwrap_or_else(|_| "https://prod.api.futurejobs.ai/api/v1/wl".to_owned()),
        )
        .build()?;
    let request = Session::builder()
        .title(".NET Developer")
        .jd_text("Job Title: .NET Developer, Experience: 1-5 years, Location: Pune")
        .country_region_matches(["India"])
        .experience(1..=5)
        .mandatory_skills(["C#", ".NET Core"])
        .core_skills(["ASP.NET MVC", "Web API", "SQL Server"])
        .build()?;
    let created = client.create_session(&request).await?;
    println!("session {:?}", created.id());
    Ok(())
}
