//! The sandbox's endpoints, driven with a plain HTTP client: documented shapes, the matching
//! lifecycle, synthetic candidates and their filters, pagination, determinism.

mod sandbox_support;

use std::collections::HashSet;
use std::time::Duration;

use fj_sandbox::{HONOURED_FILTERS, Operation, Sandbox};
use fj_sourcing_query::RevealType;
use pretty_assertions::assert_eq;
use reqwest::StatusCode;
use sandbox_support::{Api, SEED_CURL_BODY, is_object_id, seed_body};
use serde_json::{Value, json};

/// The reference's documented 201 answer of Create Sourcing Session (section 3.1).
const DOCUMENTED_201: &str = r#"{
  "statusCode": 201,
  "data": {
    "session": {
      "sessionTitle": ".NET Developer",
      "medium": "MANUAL",
      "jdDetail": {
        "userText": "Job Title: .NET Developer, Experience: 1-5 years, Location: Pune",
        "sampleProfileURL": ""
      },
      "queries": {
        "country_region": { "type": "(.)", "value": ["India"] },
        "current_employers.title": { "type": "IN", "value": [".NET Developer"] },
        "years_of_experience_raw": { "type": "RANGE", "value": [1, 5] },
        "region": { "type": "IN", "value": ["Pune, Maharashtra, India"] },
        "skills": {
          "type": "IN",
          "value": { "mandatory": ["C#"], "core": ["ASP.NET MVC"], "secondary": [] }
        }
      },
      "fallbackFilters": null,
      "hasUsedFinalFallback": false,
      "nuances": [],
      "redFlags": "",
      "mustHaves": "",
      "additionalNotes": "",
      "createdBy": "68c505c2ec8d7cb2821599af",
      "workspaceId": "6a0c5da36e7a0151430c5b71",
      "projectId": "6a0c5da36e7a0151430c5b7e",
      "next_cursor": "",
      "searchMoreCounter": 0,
      "filterChangesCounter": 0,
      "lastCandidatesFetchedAt": null,
      "profileMatchingStatus": "idle",
      "totalProfilesForMatching": 0,
      "totalProfilesMatched": 0,
      "profileMatchingProvider": "gemini",
      "sessionCreditCharged": false,
      "forceRefreshAnalysis": false,
      "totalAvailableProfiles": 0,
      "metadata": { "s3Key": null, "fileHash": null, "uploadedAt": null },
      "_id": "6a0c77936e7a0151430c91fd",
      "batches": [],
      "createdAt": "2026-05-19T14:45:39.240Z",
      "updatedAt": "2026-05-19T14:45:39.240Z",
      "__v": 0
    },
    "sourcing": {
      "total_display_count": 100,
      "next_cursor": "H4sIAJR3DGoC_xXMMQrDMAxA0asEzx0iS5biXqWUIMs2GUpNE2coIXdvuv4H_3CfvazfedFtcffB-VB5YovKIMQhawm5aCKIqRCaZBBkJWEZk6TRexBvqZrlSrnG4G6D29rar9eDAQgxwPNqvXV9zdb295_QT-cPbAjrQHoAAAA=",
      "filterChangesCounter": 0,
      "searchMoreCounter": 0,
      "profileMatchingStatus": "processing",
      "newProfilesCount": 100,
      "creditInfo": {
        "charged": true,
        "amount": 5,
        "reason": "Sourcing Session Created",
        "remainingCredits": 37
      }
    }
  },
  "message": "Session created successfully",
  "status": "SUCCESS"
}"#;

fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

fn is_iso8601_millis(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 24
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            19 => *c == b'.',
            23 => *c == b'Z',
            _ => c.is_ascii_digit(),
        })
}

#[tokio::test]
async fn seed_curl_example_gets_the_documented_201_shape() {
    // 42 credits and batches of 100 make the documented example's numbers (37 left, 100 found).
    let api = Api::start(Sandbox::builder().credits(42).batch_size(100)).await;
    let answer = api
        .raw(
            reqwest::Method::POST,
            "/sourcing-session",
            None,
            Some(SEED_CURL_BODY.as_bytes().to_vec()),
        )
        .await;
    assert_eq!(answer.status, StatusCode::CREATED);
    let documented: Value = serde_json::from_str(DOCUMENTED_201).unwrap();
    let got = &answer.body;

    // Same structure at every level.
    assert_eq!(keys(got), keys(&documented));
    assert_eq!(keys(&got["data"]), keys(&documented["data"]));
    for part in ["session", "sourcing"] {
        assert_eq!(
            keys(&got["data"][part]),
            keys(&documented["data"][part]),
            "{part}"
        );
    }
    assert_eq!(
        keys(&got["data"]["sourcing"]["creditInfo"]),
        keys(&documented["data"]["sourcing"]["creditInfo"])
    );

    // Every deterministic documented value is the documented one.
    let session = &got["data"]["session"];
    let varying = [
        "_id",
        "createdBy",
        "workspaceId",
        "projectId",
        "createdAt",
        "updatedAt",
        "queries",
    ];
    for (key, expected) in documented["data"]["session"].as_object().unwrap() {
        if !varying.contains(&key.as_str()) {
            assert_eq!(&session[key], expected, "data.session.{key}");
        }
    }
    let sourcing = &got["data"]["sourcing"];
    for (key, expected) in documented["data"]["sourcing"].as_object().unwrap() {
        if key != "next_cursor" {
            assert_eq!(&sourcing[key], expected, "data.sourcing.{key}");
        }
    }
    for key in ["statusCode", "message", "status"] {
        assert_eq!(got[key], documented[key], "{key}");
    }

    // The varying values have the documented form.
    for key in ["_id", "createdBy", "workspaceId", "projectId"] {
        assert!(is_object_id(session[key].as_str().unwrap()), "{key}");
    }
    assert!(is_iso8601_millis(session["createdAt"].as_str().unwrap()));
    assert_eq!(session["createdAt"], session["updatedAt"]);
    assert!(!sourcing["next_cursor"].as_str().unwrap().is_empty());
    // `queries` echoes the request's filters as sent.
    assert_eq!(session["queries"], seed_body()["queries"]);
    assert_eq!(api.sandbox.credits_remaining(), 37);
}

#[tokio::test]
async fn lifecycle_create_poll_fetch_more_update() {
    let api = Api::start(Sandbox::builder().polls_before_done(2).credits(100)).await;
    let id = api.create(&seed_body()).await;

    // Nothing is listed before the first search is done.
    let early = api.get(&format!("/sourcing-session/{id}/profiles")).await;
    assert_eq!(early.body["data"]["totalDocs"], json!(0));
    assert_eq!(
        early.body["data"]["limit"],
        json!(20),
        "the documented default"
    );
    assert_eq!(early.body["data"]["page"], json!(1));
    assert_eq!(early.body["data"]["docs"], json!([]));
    assert_eq!(api.poll(&id).await, "processing");
    assert_eq!(api.poll(&id).await, "processing");
    assert_eq!(api.poll(&id).await, "done");
    assert_eq!(api.poll(&id).await, "done");

    let details = api.get(&format!("/sourcing-session/{id}")).await;
    assert_eq!(
        details.body["message"],
        json!("Session fetched successfully")
    );
    let session = &details.body["data"]["session"];
    assert_eq!(session["_id"], json!(id));
    assert_eq!(session["sessionTitle"], json!(".NET Developer"));
    assert_eq!(session["totalProfilesMatched"], json!(25));
    assert_eq!(session["sessionCreditCharged"], json!(true));
    let first = api.all_profiles(&id, 20).await;
    assert_eq!(first.len(), 25);

    // Fetch More appends a batch.
    let more = api
        .post(&format!("/sourcing-session/{id}/fetch-more"), &json!({}))
        .await;
    assert_eq!(more.status, StatusCode::OK);
    assert_eq!(
        more.body,
        json!({
            "statusCode": 200,
            "data": {
                "profileMatchingStatus": "fetching_more",
                "creditInfo": {
                    "charged": true, "amount": 5, "reason": "More Profiles Fetched",
                    "remainingCredits": 90
                }
            },
            "message": "Fetching more profiles",
            "status": "SUCCESS"
        })
    );
    assert_eq!(
        api.all_profiles(&id, 100).await,
        first,
        "listed only once done"
    );
    assert_eq!(api.poll(&id).await, "fetching_more");
    assert_eq!(api.poll(&id).await, "fetching_more");
    assert_eq!(api.poll(&id).await, "done");
    let both = api.all_profiles(&id, 100).await;
    assert_eq!(both.len(), 50);
    assert_eq!(both[..25], first[..], "the new batch is appended");
    let details = api.get(&format!("/sourcing-session/{id}")).await;
    assert_eq!(
        details.body["data"]["session"]["searchMoreCounter"],
        json!(1)
    );

    // Update (the reference's example body) merges, re-runs and replaces the results.
    let updated = api
        .patch(
            &format!("/sourcing-session/update-session/{id}"),
            &json!({
                "sessionTitle": "Senior .NET Developer",
                "queries": {"years_of_experience_raw": {"type": "RANGE", "value": [4, 8]}}
            }),
        )
        .await;
    assert_eq!(updated.status, StatusCode::OK);
    assert_eq!(
        updated.body,
        json!({
            "statusCode": 200,
            "data": {
                "session": {
                    "_id": id,
                    "sessionTitle": "Senior .NET Developer",
                    "profileMatchingStatus": "processing",
                    "filterChangesCounter": 1
                },
                "sourcing": {
                    "profileMatchingStatus": "processing",
                    "filterChangesCounter": 1,
                    "creditInfo": {
                        "charged": true, "amount": 5, "reason": "Sourcing Session Updated",
                        "remainingCredits": 85
                    }
                }
            },
            "message": "Session updated successfully",
            "status": "SUCCESS"
        })
    );
    assert_eq!(api.poll(&id).await, "processing");
    assert_eq!(api.poll(&id).await, "processing");
    assert_eq!(api.poll(&id).await, "done");
    let details = api.get(&format!("/sourcing-session/{id}")).await;
    let session = &details.body["data"]["session"];
    assert_eq!(session["filterChangesCounter"], json!(1));
    assert_eq!(
        session["queries"]["years_of_experience_raw"],
        json!({"type": "RANGE", "value": [4, 8]})
    );
    assert_eq!(
        session["queries"]["country_region"],
        json!({"type": "(.)", "value": ["India"]}),
        "filters not sent are kept"
    );
    let after = api.all_profiles(&id, 100).await;
    assert_eq!(after.len(), 25);
    for doc in &after {
        let years = doc["profile"]["years_of_experience_raw"].as_f64().unwrap();
        assert!((4.0..=8.0).contains(&years), "{years}");
    }

    let ops: Vec<(Operation, u64)> = api
        .sandbox
        .charges()
        .iter()
        .map(|c| (c.operation, c.amount))
        .collect();
    assert_eq!(
        ops,
        [
            (Operation::Create, 5),
            (Operation::FetchMore, 5),
            (Operation::Update, 5)
        ]
    );
    assert_eq!(api.sandbox.credits_remaining(), 85);
}

#[tokio::test]
async fn matching_by_delay() {
    let slow = Api::start(Sandbox::builder().matching_delay(Duration::from_secs(3600))).await;
    let id = slow.create(&seed_body()).await;
    for _ in 0..3 {
        assert_eq!(slow.poll(&id).await, "processing");
    }
    let instant = Api::start(Sandbox::builder().matching_delay(Duration::ZERO)).await;
    let id = instant.create(&seed_body()).await;
    assert_eq!(instant.poll(&id).await, "done");
}

/// Many honoured filters at once, including a region the country excludes.
fn filtered_body() -> Value {
    json!({
        "sessionTitle": "Filters",
        "queries": {
            "country_region": {"type": "(.)", "value": ["india"]},
            "region": {"type": "IN", "value": [
                "Pune, Maharashtra, India", "Mumbai, Maharashtra, India", "Berlin, Germany"
            ]},
            "years_of_experience_raw": {"type": "RANGE", "value": [3, 6]},
            "current_employers.title": {"type": "IN", "value": [".NET Developer", "C# Developer"]},
            "current_employers.name": {"type": "IN", "value": ["Infosys", "Tech Mahindra"]},
            "current_employers.employment_type": {"type": "IN", "value": ["Full-time"]},
            "current_employers.years_at_company": {"type": "IN", "value": ["1 to 2 years", "3 to 5 years"]},
            "current_employers.seniority_level": {"type": "IN", "value": ["Senior"]},
            "current_employers.function_category": {"type": "IN", "value": ["Engineering"]},
            "past_employers.name": {"type": "IN", "value": ["Wipro"]},
            "past_employers.title": {"type": "IN", "value": ["Software Developer", "Web Developer"]},
            "education_background.degree_name": {"type": "IN", "value": ["BACHELORS"]},
            "education_background.field_of_study": {"type": "IN", "value": ["Computer Science"]},
            "education_background.institute_name": {"type": "IN", "value": ["University of Mumbai", "IIT Bombay"]},
            "skills": {"type": "IN", "value": {
                "mandatory": ["C#", ".NET Core"],
                "core": ["SQL Server", "Azure", "Docker"],
                "secondary": ["Kafka"]
            }}
        }
    })
}

fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .expect("an array")
        .iter()
        .map(|v| v.as_str().expect("a string"))
        .collect()
}

fn one_of(value: &Value, allowed: &[&str], what: &str) {
    let s = value.as_str().unwrap_or_else(|| panic!("{what}: {value}"));
    assert!(allowed.contains(&s), "{what}: {s:?} not in {allowed:?}");
}

#[tokio::test]
async fn candidates_satisfy_their_session_filters() {
    let api = Api::start(Sandbox::builder().batch_size(40).polls_before_done(0)).await;
    let body = filtered_body();
    let id = api.create(&body).await;
    api.wait_done(&id).await;
    let docs = api.all_profiles(&id, 100).await;
    assert_eq!(docs.len(), 40);
    let q = &body["queries"];
    // The body sets exactly the filters the sandbox promises to honour.
    let honoured: HashSet<&str> = HONOURED_FILTERS.iter().map(|f| f.key()).collect();
    let set: HashSet<&str> = q.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(honoured, set);
    let ids: HashSet<&str> = docs.iter().map(|d| d["_id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), docs.len(), "candidate ids are unique");
    for doc in &docs {
        let cid = doc["_id"].as_str().unwrap();
        assert!(is_object_id(cid), "{cid}");
        let p = &doc["profile"];
        // region IN, minus the one outside country_region (case-insensitive "contains").
        one_of(
            &p["region"],
            &["Pune, Maharashtra, India", "Mumbai, Maharashtra, India"],
            "region",
        );
        assert!(
            p["region"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .contains("india")
        );
        let years = p["years_of_experience_raw"].as_f64().unwrap();
        assert!((3.0..=6.0).contains(&years), "years {years}");
        let skills = strings(&p["skills"]);
        for m in strings(&q["skills"]["value"]["mandatory"]) {
            assert!(skills.contains(&m), "mandatory {m} missing from {skills:?}");
        }
        assert!(
            strings(&q["skills"]["value"]["core"])
                .iter()
                .any(|c| skills.contains(c)),
            "no core skill in {skills:?}"
        );
        let employer = &p["current_employers_object"][0];
        one_of(
            &employer["job_title"],
            &strings(&q["current_employers.title"]["value"]),
            "title",
        );
        one_of(
            &employer["company_name"],
            &strings(&q["current_employers.name"]["value"]),
            "company",
        );
        let url = p["linkedin_profile_url"].as_str().unwrap();
        assert!(url.starts_with("https://www.linkedin.com/in/"), "{url}");
        let score = doc["finalScore"].as_f64().unwrap();
        assert!(
            (1.0..=5.0).contains(&score) && (score * 10.0).fract() == 0.0,
            "{score}"
        );

        // The details agree with the list and satisfy the remaining filters.
        let answer = api
            .get(&format!(
                "/sourcing-session/candidate/{cid}/details?sessionId={id}"
            ))
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{:#}", answer.body);
        assert_eq!(
            answer.body["message"],
            json!("Candidate details fetched successfully")
        );
        let c = &answer.body["data"]["candidate"];
        assert_eq!(c["_id"], doc["_id"]);
        assert_eq!(c["name"], p["name"]);
        assert_eq!(c["flagship_profile_url"], json!(url));
        assert_eq!(c["region"], p["region"]);
        assert_eq!(c["years_of_experience_raw"], p["years_of_experience_raw"]);
        assert_eq!(c["skills"], p["skills"]);
        let current = &c["current_employers"][0];
        assert_eq!(current["name"], employer["company_name"]);
        assert_eq!(current["title"], employer["job_title"]);
        for (field, key) in [
            ("employment_type", "current_employers.employment_type"),
            ("years_at_company", "current_employers.years_at_company"),
            ("seniority_level", "current_employers.seniority_level"),
            ("function_category", "current_employers.function_category"),
        ] {
            one_of(&current[field], &strings(&q[key]["value"]), key);
        }
        let past = &c["past_employers"][0];
        one_of(
            &past["name"],
            &strings(&q["past_employers.name"]["value"]),
            "past name",
        );
        one_of(
            &past["title"],
            &strings(&q["past_employers.title"]["value"]),
            "past title",
        );
        let education = &c["education_background"][0];
        for (field, key) in [
            ("degree_name", "education_background.degree_name"),
            ("field_of_study", "education_background.field_of_study"),
            ("institute_name", "education_background.institute_name"),
        ] {
            one_of(&education[field], &strings(&q[key]["value"]), key);
        }
        let analysis = &answer.body["data"]["profileAnalysis"];
        assert_eq!(analysis["starRating"], doc["finalScore"]);
        assert!(
            analysis["recommendation"]
                .as_str()
                .unwrap()
                .ends_with(&format!(" {}/5", doc["finalScore"]))
        );
    }
}

#[tokio::test]
async fn impossible_filters_find_nobody() {
    let api = Api::start(Sandbox::builder().polls_before_done(0)).await;
    let mut body = seed_body();
    body["queries"]["region"] = json!({"type": "IN", "value": ["Berlin, Germany"]});
    let answer = api.post("/sourcing-session", &body).await;
    assert_eq!(
        answer.body["data"]["sourcing"]["newProfilesCount"],
        json!(0)
    );
    let id = answer.body["data"]["session"]["_id"].as_str().unwrap();
    api.wait_done(id).await;
    let page = api.get(&format!("/sourcing-session/{id}/profiles")).await;
    assert_eq!(page.body["data"]["totalDocs"], json!(0));
    assert_eq!(page.body["data"]["totalPages"], json!(1));
    assert_eq!(page.body["data"]["nextPage"], json!(null));
}

#[tokio::test]
async fn pagination_visits_every_candidate_once() {
    let api = Api::start(
        Sandbox::builder()
            .batch_size(23)
            .max_page_size(15)
            .polls_before_done(0),
    )
    .await;
    let id = api.create(&seed_body()).await;
    api.wait_done(&id).await;
    api.post(&format!("/sourcing-session/{id}/fetch-more"), &json!({}))
        .await;
    api.wait_done(&id).await;

    let first = api
        .get(&format!("/sourcing-session/{id}/profiles?page=1&limit=10"))
        .await;
    assert_eq!(first.body["statusCode"], json!(200));
    assert_eq!(first.body["status"], json!("SUCCESS"));
    assert!(
        first.body.get("message").is_none(),
        "as the reference's example"
    );
    let data = &first.body["data"];
    assert_eq!(data["totalDocs"], json!(46));
    assert_eq!(data["limit"], json!(10));
    assert_eq!(data["page"], json!(1));
    assert_eq!(data["totalPages"], json!(5));
    assert_eq!(data["hasNextPage"], json!(true));
    assert_eq!(data["nextPage"], json!(2));
    assert_eq!(
        first
            .header("cache-control")
            .map(|v| v.contains("no-store")),
        Some(true)
    );
    assert_eq!(first.header("pragma"), Some("no-cache"));
    assert_eq!(first.header("expires"), Some("0"));

    let last = api
        .get(&format!("/sourcing-session/{id}/profiles?page=5&limit=10"))
        .await;
    let data = &last.body["data"];
    assert_eq!(data["docs"].as_array().unwrap().len(), 6);
    assert_eq!(data["hasNextPage"], json!(false));
    assert_eq!(data["nextPage"], json!(null));

    let walked = api.all_profiles(&id, 10).await;
    let ids: Vec<&str> = walked.iter().map(|d| d["_id"].as_str().unwrap()).collect();
    let unique: HashSet<&str> = ids.iter().copied().collect();
    assert_eq!(ids.len(), 46);
    assert_eq!(unique.len(), 46, "no candidate twice");
    // Other page sizes visit the same candidates in the same order.
    for limit in [1, 7, 15] {
        let again = api.all_profiles(&id, limit).await;
        let again: Vec<&str> = again.iter().map(|d| d["_id"].as_str().unwrap()).collect();
        assert_eq!(again, ids, "limit {limit}");
    }

    // Larger pages are capped; pages past the end are empty.
    let capped = api
        .get(&format!("/sourcing-session/{id}/profiles?limit=1000"))
        .await;
    assert_eq!(capped.body["data"]["limit"], json!(15));
    assert_eq!(capped.body["data"]["docs"].as_array().unwrap().len(), 15);
    let beyond = api
        .get(&format!("/sourcing-session/{id}/profiles?page=9&limit=10"))
        .await;
    assert_eq!(beyond.body["data"]["docs"], json!([]));
    assert_eq!(beyond.body["data"]["nextPage"], json!(null));
    // Defaults: page 1, limit 20 (here capped to 15 as well).
    let default = api.get(&format!("/sourcing-session/{id}/profiles")).await;
    assert_eq!(default.body["data"]["limit"], json!(15));
    assert_eq!(default.body["data"]["page"], json!(1));
}

#[tokio::test]
async fn same_seed_same_answers() {
    async fn run(seed: u64) -> (Vec<String>, Vec<Value>, Value) {
        let api = Api::start(Sandbox::builder().seed(seed).polls_before_done(0)).await;
        let a = api.create(&seed_body()).await;
        let b = api.create(&filtered_body()).await;
        api.wait_done(&a).await;
        api.wait_done(&b).await;
        let mut docs = api.all_profiles(&a, 100).await;
        docs.extend(api.all_profiles(&b, 100).await);
        let first = docs[0]["_id"].as_str().unwrap().to_owned();
        let details = api
            .get(&format!(
                "/sourcing-session/candidate/{first}/details?sessionId={a}"
            ))
            .await
            .body;
        (vec![a, b], docs, details)
    }
    let (ids, docs, details) = run(7).await;
    let (ids2, docs2, details2) = run(7).await;
    assert_eq!(ids, ids2);
    assert_eq!(docs, docs2);
    assert_eq!(details, details2);
    let (ids3, docs3, _) = run(8).await;
    assert_ne!(ids, ids3);
    let names =
        |d: &[Value]| -> Vec<Value> { d.iter().map(|d| d["profile"]["name"].clone()).collect() };
    assert_ne!(names(&docs), names(&docs3));
}

#[tokio::test]
async fn project_sessions_list_newest_first() {
    let api = Api::start(Sandbox::builder().polls_before_done(0)).await;
    let first = api.create(&seed_body()).await;
    api.wait_done(&first).await;
    let mut body = seed_body();
    body["sessionTitle"] = json!("Senior .NET Developer");
    body["jdDetail"]["userText"] = json!("Job Title: Senior .NET Developer, Experience: 4-8 years");
    let second = api.create(&body).await;
    let answer = api.get("/projects/sessions").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        answer.body,
        json!({
            "statusCode": 200,
            "data": [
                {
                    "_id": second,
                    "sessionTitle": "Senior .NET Developer",
                    "jdDetail": {"userText": "Job Title: Senior .NET Developer, Experience: 4-8 years"},
                    "totalProfiles": 0
                },
                {
                    "_id": first,
                    "sessionTitle": ".NET Developer",
                    "jdDetail": {"userText": "Job Title: .NET Developer, Experience: 1-5 years, Location: Pune"},
                    "totalProfiles": 25
                }
            ],
            "message": "Project sessions fetched successfully",
            "status": "SUCCESS"
        })
    );
}

#[tokio::test]
async fn reveal_contact_charges_once_per_profile_and_type() {
    let api = Api::start(Sandbox::builder().polls_before_done(0).credits(7)).await;
    let id = api.create(&seed_body()).await;
    api.wait_done(&id).await;
    let docs = api.all_profiles(&id, 20).await;
    let url = docs[0]["profile"]["linkedin_profile_url"].as_str().unwrap();
    let api = &api;
    let reveal = |kind: &str| {
        let mut target = reqwest::Url::parse(&api.url("/sourcing-session/contact/reveal")).unwrap();
        target
            .query_pairs_mut()
            .append_pair("sourcingSessionId", &id)
            .append_pair("linkedin_profile_url", url)
            .append_pair("revealType", kind);
        let path = format!(
            "/sourcing-session/contact/reveal?{}",
            target.query().unwrap()
        );
        async move { api.raw(reqwest::Method::POST, &path, None, None).await }
    };

    let email = reveal("EMAIL").await;
    assert_eq!(email.status, StatusCode::OK, "{:#}", email.body);
    assert_eq!(email.body["message"], json!("Email revealed successfully"));
    let data = email.body["data"].as_array().unwrap();
    assert_eq!(data.len(), 2);
    assert_eq!(data[0]["type"], json!("EMAIL"));
    assert_eq!(data[0]["status"], json!("FOUND"));
    let address = data[0]["values"][0].as_str().unwrap();
    assert!(address.ends_with("@example.com"), "{address}");
    assert_eq!(
        data[1],
        json!({"type": "PHONE", "values": [], "status": null})
    );
    assert_eq!(api.sandbox.credits_remaining(), 1);
    // The charge sits beside `data`, which is a list.
    assert_eq!(
        email.body["creditInfo"],
        json!({"charged": true, "amount": 1, "reason": "Email Revealed", "remainingCredits": 1})
    );

    // Asking again is free and gives the same data, saying it was free.
    let again = reveal("EMAIL").await;
    assert_eq!(again.body["data"], email.body["data"]);
    assert_eq!(
        again.body["creditInfo"],
        json!({
            "charged": false, "amount": 0, "reason": "Already revealed in this session",
            "remainingCredits": 1
        })
    );
    assert_eq!(api.sandbox.credits_remaining(), 1);

    let phone = reveal("PHONE").await;
    assert_eq!(phone.body["message"], json!("Phone revealed successfully"));
    assert_eq!(phone.body["data"][0], data[0], "the email stays revealed");
    assert_eq!(phone.body["data"][1]["status"], json!("FOUND"));
    assert!(
        phone.body["data"][1]["values"][0]
            .as_str()
            .unwrap()
            .starts_with('+')
    );
    assert_eq!(api.sandbox.credits_remaining(), 0);

    let reveals: Vec<Operation> = api
        .sandbox
        .charges()
        .iter()
        .map(|c| c.operation)
        .filter(|op| matches!(op, Operation::Reveal(_)))
        .collect();
    assert_eq!(
        reveals,
        [
            Operation::Reveal(RevealType::Email),
            Operation::Reveal(RevealType::Phone)
        ]
    );

    // Another profile with no credits left: 402, nothing charged, nothing revealed.
    let other = docs[1]["profile"]["linkedin_profile_url"].as_str().unwrap();
    let path = format!(
        "/sourcing-session/contact/reveal?sourcingSessionId={id}&linkedin_profile_url={other}&revealType=EMAIL"
    );
    let refused = api.raw(reqwest::Method::POST, &path, None, None).await;
    refused.expect_error(402);
    assert_eq!(api.sandbox.charges().len(), 3);
    api.sandbox.set_credits(1);
    let ok = api.raw(reqwest::Method::POST, &path, None, None).await;
    assert_eq!(ok.status, StatusCode::OK);
    assert_eq!(api.sandbox.credits_remaining(), 0);
}

#[tokio::test]
async fn autocomplete_suggests_from_the_vocabulary() {
    let api = Api::start(Sandbox::builder()).await;
    let answer = api
        .get("/sourcing-session/filters/autocomplete?filter_type=region&query=Pune&limit=10")
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        answer.body,
        json!([
            "Pune, Maharashtra, India",
            "Pune Division, Maharashtra, India",
            "Pune District, Maharashtra, India"
        ])
    );
    let limited = api
        .get("/sourcing-session/filters/autocomplete?filter_type=skill&query=net&limit=2")
        .await;
    assert_eq!(limited.body, json!([".NET", ".NET Core"]));
    let titles = api
        .get("/sourcing-session/filters/autocomplete?filter_type=title&query=DEVELOPER")
        .await;
    assert_eq!(titles.body.as_array().unwrap().len(), 8, "case-insensitive");
    assert_eq!(titles.body[0], json!(".NET Developer"));
    let many = api
        .get("/sourcing-session/filters/autocomplete?filter_type=title&query=e")
        .await;
    assert_eq!(many.body.as_array().unwrap().len(), 10, "default limit 10");
    let countries = api
        .get("/sourcing-session/filters/autocomplete?filter_type=country_region&query=ind")
        .await;
    assert_eq!(countries.body, json!(["India"]));
    let none = api
        .get("/sourcing-session/filters/autocomplete?filter_type=region&query=Atlantis")
        .await;
    assert_eq!(none.body, json!([]));
}

#[tokio::test]
async fn jd_to_filters_extracts_keywords() {
    let api = Api::start(Sandbox::builder()).await;
    let answer = api
        .post(
            "/sourcing-session/get-annotation",
            &json!({
                "userText": "Looking for a .NET Developer with 3–7 years of experience in C# and SQL Server, \
                             preferably in the fintech domain, based in Pune. Bachelor's degree required.",
                "linkedin_profile_url": ""
            }),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{:#}", answer.body);
    assert_eq!(
        answer.body,
        json!({
            "current_employers.title": {"presence": true, "value": [".NET Developer"]},
            "skills": {"presence": true, "value": ["C#", ".NET", "SQL Server", "SQL"]},
            "years_of_experience_raw": {"presence": true, "value": [3, 7]},
            "region": {"presence": true, "value": ["Pune, Maharashtra, India"]},
            "country_region": {"presence": true, "value": ["India"]},
            "all_employers.company_industries": {"presence": true, "value": ["Financial Services"]},
            "education_background.degree_name": {"presence": true, "value": ["BACHELORS"]},
            "current_employers.seniority_level": {"presence": false, "value": [null]}
        })
    );
    assert_eq!(api.sandbox.charges(), [], "JD to Filters is free");
}

/// The documented 201 stores `"sampleProfileURL": ""`; sending the stored session back (its
/// title, job description and filters) must be accepted, the empty URL meaning "none".
#[tokio::test]
async fn the_documented_stored_session_is_accepted_back_with_its_empty_sample_url() {
    let api = Api::start(Sandbox::builder()).await;
    let documented: Value = serde_json::from_str(DOCUMENTED_201).unwrap();
    let stored = &documented["data"]["session"];
    let body = json!({
        "sessionTitle": stored["sessionTitle"],
        "jdDetail": stored["jdDetail"],
        "queries": stored["queries"],
    });
    assert_eq!(body["jdDetail"]["sampleProfileURL"], json!(""));
    let answer = api.post("/sourcing-session", &body).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{:#}", answer.body);
    assert_eq!(
        answer.body["data"]["session"]["jdDetail"],
        stored["jdDetail"]
    );
    assert_eq!(answer.body["data"]["session"]["queries"], stored["queries"]);

    // Update: an empty URL clears one set before.
    let mut with_url = body.clone();
    with_url["jdDetail"]["sampleProfileURL"] = json!("https://www.linkedin.com/in/someone");
    let id = api.create(&with_url).await;
    let path = format!("/sourcing-session/{id}");
    let before = api.get(&path).await;
    assert_eq!(
        before.body["data"]["session"]["jdDetail"]["sampleProfileURL"],
        json!("https://www.linkedin.com/in/someone")
    );
    let update = api
        .patch(
            &format!("/sourcing-session/update-session/{id}"),
            &json!({"jdDetail": {"sampleProfileURL": ""}}),
        )
        .await;
    assert_eq!(update.status, StatusCode::OK, "{:#}", update.body);
    let after = api.get(&path).await;
    assert_eq!(
        after.body["data"]["session"]["jdDetail"],
        stored["jdDetail"]
    );
}

/// `GET /api/v1/wl/openapi.yaml` serves openapi.yaml (docs/openapi.yaml) byte for byte, as YAML, to anyone:
/// tools read the description before they are given a key. Everything else still needs one.
#[tokio::test]
async fn the_openapi_description_is_served_without_a_key() {
    let api = Api::start(Sandbox::builder()).await;
    let on_disk = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.yaml"))
        .expect("openapi.yaml exists (docs/openapi.yaml links to it)");
    let response = reqwest::get(api.url("/openapi.yaml")).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-type"].to_str().unwrap(),
        "application/yaml"
    );
    assert!(response.headers().contains_key("x-request-id"));
    assert!(response.headers().contains_key("etag"));
    let served = response.bytes().await.unwrap();
    assert!(
        served[..] == on_disk[..],
        "served bytes differ from docs/openapi.yaml"
    );
    // With a wrong key too: the key is not looked at here.
    let answer = reqwest::Client::new()
        .get(api.url("/openapi.yaml"))
        .header("x-fj-api-key", "fjk_wrong")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    // Only GET is served; the other endpoints still refuse a request without a key.
    let post = api
        .raw(reqwest::Method::POST, "/openapi.yaml", None, None)
        .await;
    post.expect_error(405);
    let anonymous = reqwest::get(api.url("/projects/sessions")).await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}
