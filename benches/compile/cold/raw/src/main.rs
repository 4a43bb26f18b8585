//! The reference of the cold-build measurement: the program of `fj/`, written with reqwest +
//! serde_json + serde derive, as a user without fj-sourcing would.

use serde::{Deserialize, Serialize};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CreateRequest {
    session_title: String,
    jd_detail: JdDetail,
    queries: Queries,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JdDetail {
    user_text: String,
}

#[derive(Serialize)]
struct Queries {
    country_region: Filter<Vec<String>>,
    years_of_experience_raw: Filter<[u32; 2]>,
    skills: Filter<Skills>,
}

#[derive(Serialize)]
struct Filter<T> {
    #[serde(rename = "type")]
    op: &'static str,
    value: T,
}

#[derive(Serialize)]
struct Skills {
    mandatory: Vec<String>,
    core: Vec<String>,
    secondary: Vec<String>,
}

#[derive(Deserialize)]
struct Created {
    data: CreatedData,
}

#[derive(Deserialize)]
struct CreatedData {
    session: CreatedSession,
}

#[derive(Deserialize)]
struct CreatedSession {
    #[serde(rename = "_id")]
    id: Option<String>,
}

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|s| (*s).to_owned()).collect()
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // fj-sourcing's default: rustls with the *ring* crypto provider.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let key = std::env::var("FJ_API_KEY")?;
    let base = std::env::var("FJ_BASE_URL")
        .unwrap_or_else(|_| "https://prod.api.futurejobs.ai/api/v1/wl".to_owned());
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let request = CreateRequest {
        session_title: ".NET Developer".to_owned(),
        jd_detail: JdDetail {
            user_text: "Job Title: .NET Developer, Experience: 1-5 years, Location: Pune".to_owned(),
        },
        queries: Queries {
            country_region: Filter { op: "(.)", value: strings(&["India"]) },
            years_of_experience_raw: Filter { op: "RANGE", value: [1, 5] },
            skills: Filter {
                op: "IN",
                value: Skills {
                    mandatory: strings(&["C#", ".NET Core"]),
                    core: strings(&["ASP.NET MVC", "Web API", "SQL Server"]),
                    secondary: Vec::new(),
                },
            },
        },
    };
    let created: Created = http
        .post(format!("{base}/sourcing-session"))
        .header("x-fj-api-key", key)
        .json(&request)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    println!("session {:?}", created.data.session.id);
    Ok(())
}
