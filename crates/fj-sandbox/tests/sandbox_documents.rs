//! The session document's exact bytes, in Create's and Get Session Details' answers: key order,
//! escapes and the filters as the request gave them are pinned here. Timestamps vary and are
//! replaced by `TS`.

mod sandbox_support;

use fj_sandbox::Sandbox;
use pretty_assertions::assert_eq;
use reqwest::Method;
use sandbox_support::{Api, seed_body};
use serde_json::json;

/// The seed request with a title that needs escapes (and looks like the `queries` key), a
/// sample profile, an extra filter with odd strings and a fractional range.
fn odd_body() -> Vec<u8> {
    let mut body = seed_body();
    body["sessionTitle"] = json!("Tab\there \"quoted\" \\ back \u{e9}\u{2028} \"queries\":{");
    body["jdDetail"]["sampleProfileURL"] = json!("https://www.linkedin.com/in/x");
    body["queries"]["region"] = json!({"type": "IN", "value": ["P\"une", "\u{1F600}"]});
    body["queries"]["year_founded"] = json!({"type": "RANGE", "value": [1999.5, 2010]});
    body.to_string().into_bytes()
}

fn without_timestamps(bytes: &[u8]) -> String {
    let text = String::from_utf8(bytes.to_vec()).expect("UTF-8");
    let mut out = String::new();
    let mut rest = text.as_str();
    // `"2026-05-19T14:45:39.240Z"`: 24 characters between quotes, a `T` at 10 and a `Z` last.
    while let Some(at) = rest.find('"') {
        out.push_str(&rest[..=at]);
        rest = &rest[at + 1..];
        let stamp = rest.get(..25).filter(|s| {
            let b = s.as_bytes();
            b[10] == b'T' && b[23] == b'Z' && b[24] == b'"' && b[..4].iter().all(u8::is_ascii_digit)
        });
        if stamp.is_some() {
            out.push_str("TS\"");
            rest = &rest[25..];
        }
    }
    out.push_str(rest);
    out
}

async fn bytes(api: &Api, method: Method, path: &str, body: Option<Vec<u8>>) -> String {
    let mut request = api
        .http
        .request(method, api.url(path))
        .header("x-fj-api-key", &api.key);
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body);
    }
    let response = request.send().await.expect("an answer");
    without_timestamps(&response.bytes().await.expect("a body"))
}

#[tokio::test]
async fn documents_are_written_byte_for_byte_as_before() {
    let api = Api::start(Sandbox::builder().polls_before_done(1)).await;
    let created = bytes(&api, Method::POST, "/sourcing-session", Some(odd_body())).await;
    assert_eq!(created, CREATED);
    let id = serde_json::from_str::<serde_json::Value>(&created).expect("JSON")["data"]["session"]
        ["_id"]
        .as_str()
        .expect("an id")
        .to_owned();
    let path = format!("/sourcing-session/{id}");
    assert_eq!(bytes(&api, Method::GET, &path, None).await, RUNNING);
    assert_eq!(bytes(&api, Method::GET, &path, None).await, DONE);
}

// Written by the serde-derived document this file replaced, and unchanged since.
const CREATED: &str = r#"{"statusCode":201,"data":{"session":{"sessionTitle":"Tab\there \"quoted\" \\ back é  \"queries\":{","medium":"MANUAL","jdDetail":{"userText":"Job Title: .NET Developer, Experience: 1-5 years, Location: Pune","sampleProfileURL":"https://www.linkedin.com/in/x"},"queries":{"country_region":{"type":"(.)","value":["India"]},"years_of_experience_raw":{"type":"RANGE","value":[1,5]},"skills":{"type":"IN","value":{"mandatory":["C#",".NET Core"],"core":["ASP.NET MVC","Web API","SQL Server","Entity Framework","React","Angular","Docker"],"secondary":[]}},"region":{"type":"IN","value":["P\"une","😀"]},"year_founded":{"type":"RANGE","value":[1999.5,2010]}},"fallbackFilters":null,"hasUsedFinalFallback":false,"nuances":[],"redFlags":"","mustHaves":"","additionalNotes":"","createdBy":"b2e55864036558c2f9f3f944","workspaceId":"ac26b7f8100f66366328466a","projectId":"f7f316f7beef38e1a3e3fb0d","next_cursor":"","searchMoreCounter":0,"filterChangesCounter":0,"lastCandidatesFetchedAt":null,"profileMatchingStatus":"idle","totalProfilesForMatching":0,"totalProfilesMatched":0,"profileMatchingProvider":"gemini","sessionCreditCharged":false,"forceRefreshAnalysis":false,"totalAvailableProfiles":0,"metadata":{"s3Key":null,"fileHash":null,"uploadedAt":null},"_id":"72df1b505481516d19d41edb","batches":[],"createdAt":"TS","updatedAt":"TS","__v":0},"sourcing":{"total_display_count":0,"next_cursor":"sbx_00e237cd47a0ca0600000000","filterChangesCounter":0,"searchMoreCounter":0,"profileMatchingStatus":"processing","newProfilesCount":0,"creditInfo":{"charged":true,"amount":5,"reason":"Sourcing Session Created","remainingCredits":995}}},"message":"Session created successfully","status":"SUCCESS"}"#;
const RUNNING: &str = r#"{"statusCode":200,"data":{"session":{"sessionTitle":"Tab\there \"quoted\" \\ back é  \"queries\":{","medium":"MANUAL","jdDetail":{"userText":"Job Title: .NET Developer, Experience: 1-5 years, Location: Pune","sampleProfileURL":"https://www.linkedin.com/in/x"},"queries":{"country_region":{"type":"(.)","value":["India"]},"years_of_experience_raw":{"type":"RANGE","value":[1,5]},"skills":{"type":"IN","value":{"mandatory":["C#",".NET Core"],"core":["ASP.NET MVC","Web API","SQL Server","Entity Framework","React","Angular","Docker"],"secondary":[]}},"region":{"type":"IN","value":["P\"une","😀"]},"year_founded":{"type":"RANGE","value":[1999.5,2010]}},"fallbackFilters":null,"hasUsedFinalFallback":false,"nuances":[],"redFlags":"","mustHaves":"","additionalNotes":"","createdBy":"b2e55864036558c2f9f3f944","workspaceId":"ac26b7f8100f66366328466a","projectId":"f7f316f7beef38e1a3e3fb0d","next_cursor":"","searchMoreCounter":0,"filterChangesCounter":0,"lastCandidatesFetchedAt":null,"profileMatchingStatus":"processing","totalProfilesForMatching":0,"totalProfilesMatched":0,"profileMatchingProvider":"gemini","sessionCreditCharged":true,"forceRefreshAnalysis":false,"totalAvailableProfiles":0,"metadata":{"s3Key":null,"fileHash":null,"uploadedAt":null},"_id":"72df1b505481516d19d41edb","batches":[],"createdAt":"TS","updatedAt":"TS","__v":0}},"message":"Session fetched successfully","status":"SUCCESS"}"#;
const DONE: &str = r#"{"statusCode":200,"data":{"session":{"sessionTitle":"Tab\there \"quoted\" \\ back é  \"queries\":{","medium":"MANUAL","jdDetail":{"userText":"Job Title: .NET Developer, Experience: 1-5 years, Location: Pune","sampleProfileURL":"https://www.linkedin.com/in/x"},"queries":{"country_region":{"type":"(.)","value":["India"]},"years_of_experience_raw":{"type":"RANGE","value":[1,5]},"skills":{"type":"IN","value":{"mandatory":["C#",".NET Core"],"core":["ASP.NET MVC","Web API","SQL Server","Entity Framework","React","Angular","Docker"],"secondary":[]}},"region":{"type":"IN","value":["P\"une","😀"]},"year_founded":{"type":"RANGE","value":[1999.5,2010]}},"fallbackFilters":null,"hasUsedFinalFallback":false,"nuances":[],"redFlags":"","mustHaves":"","additionalNotes":"","createdBy":"b2e55864036558c2f9f3f944","workspaceId":"ac26b7f8100f66366328466a","projectId":"f7f316f7beef38e1a3e3fb0d","next_cursor":"","searchMoreCounter":0,"filterChangesCounter":0,"lastCandidatesFetchedAt":"TS","profileMatchingStatus":"done","totalProfilesForMatching":0,"totalProfilesMatched":0,"profileMatchingProvider":"gemini","sessionCreditCharged":true,"forceRefreshAnalysis":false,"totalAvailableProfiles":0,"metadata":{"s3Key":null,"fileHash":null,"uploadedAt":null},"_id":"72df1b505481516d19d41edb","batches":[],"createdAt":"TS","updatedAt":"TS","__v":0}},"message":"Session fetched successfully","status":"SUCCESS"}"#;
