//! Quickstart: build the reference's .NET developer session and print the request body.
//!
//! Run with `cargo run --example quickstart`.

use fj_sourcing::Session;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let request = Session::builder()
        .title(".NET Developer")
        .jd_text("Job Title: .NET Developer, Experience: 1-5 years, Location: Pune")
        .country_region_matches(["India"])
        .region_in(["Pune, Maharashtra, India"])
        .experience(1..=5)
        .mandatory_skills(["C#", ".NET Core"])
        .core_skills(["ASP.NET MVC", "Web API", "SQL Server", "Entity Framework"])
        .build()?;
    println!("{}", serde_json::to_string_pretty(&request)?);
    Ok(())
}
