//! The sandbox as a vocabulary: unknown values match no one (and are still charged), and a
//! user's own words are suggested and matched like the built-in ones.

mod sandbox_support;

use std::io::ErrorKind;

use fj_sandbox::{Operation, Sandbox};
use pretty_assertions::assert_eq;
use sandbox_support::Api;
use serde_json::{Value, json};

fn body(region: &[&str], mandatory: &[&str], core: &[&str]) -> Value {
    json!({
        "sessionTitle": "Vocabulary",
        "queries": {
            "region": {"type": "IN", "value": region},
            "skills": {"type": "IN", "value": {"mandatory": mandatory, "core": core, "secondary": []}}
        }
    })
}

/// Creates a session for `body`, waits for it, and returns its candidates.
async fn search(api: &Api, body: &Value) -> Vec<Value> {
    let created = api.post("/sourcing-session", body).await;
    assert_eq!(created.status, 201, "{:#}", created.body);
    let id = created.body["data"]["session"]["_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        created.body["data"]["sourcing"]["creditInfo"]["amount"],
        json!(5)
    );
    api.wait_done(&id).await;
    api.all_profiles(&id, 100).await
}

#[tokio::test]
async fn an_unknown_value_matches_no_one_and_is_still_charged() {
    let api = Api::start(Sandbox::builder().polls_before_done(0)).await;
    let typo_region = body(&["Pune, Maharastra, India"], &["C#"], &[]);
    assert_eq!(search(&api, &typo_region).await.len(), 0);
    let typo_skill = body(&["Pune, Maharashtra, India"], &["C#", "Kubernets"], &[]);
    assert_eq!(search(&api, &typo_skill).await.len(), 0);
    // Same spelling in another case is not the word either.
    let lower = body(&["pune, maharashtra, india"], &["C#"], &[]);
    assert_eq!(search(&api, &lower).await.len(), 0);
    let charges: Vec<(Operation, u64)> = api
        .sandbox
        .charges()
        .iter()
        .map(|c| (c.operation, c.amount))
        .collect();
    assert_eq!(charges, [(Operation::Create, 5); 3]);

    // Beside known values, an unknown one is ignored: nobody lives in the misspelt region and
    // nobody has the misspelt core skill.
    let mixed = body(
        &["Pune, Maharastra, India", "Mumbai, Maharashtra, India"],
        &["C#"],
        &["Kubernets", "Docker"],
    );
    let found = search(&api, &mixed).await;
    assert_eq!(found.len(), 25);
    for doc in &found {
        assert_eq!(
            doc["profile"]["region"],
            json!("Mumbai, Maharashtra, India")
        );
        let skills = doc["profile"]["skills"].as_array().unwrap();
        assert!(skills.contains(&json!("Docker")), "{skills:?}");
        assert!(!skills.contains(&json!("Kubernets")), "{skills:?}");
    }

    // Update to an unknown-only filter finds nobody too.
    let id = api.sandbox.session_ids()[3].clone();
    let patch = json!({"queries": {"current_employers.title": {"type": "IN", "value": ["Sofware Engineer"]}}});
    let updated = api
        .patch(&format!("/sourcing-session/update-session/{id}"), &patch)
        .await;
    assert_eq!(updated.status, 200, "{:#}", updated.body);
    api.wait_done(&id).await;
    assert_eq!(api.all_profiles(&id, 100).await.len(), 0);
}

#[tokio::test]
async fn a_users_vocabulary_is_suggested_and_matched() {
    let file = std::env::temp_dir().join(format!("fj-vocabulary-{}.json", std::process::id()));
    std::fs::write(
        &file,
        r#"{"skill": ["Zig", "Kubernetes Operators"], "region": ["Lyon, France"]}"#,
    )
    .unwrap();
    let builder = Sandbox::builder()
        .polls_before_done(0)
        .vocabulary_file(&file)
        .vocabulary("title", ["Zig Developer"]);
    let api = Api::start(builder).await;
    std::fs::remove_file(&file).unwrap();
    let suggested = api
        .get("/sourcing-session/filters/autocomplete?filter_type=skill&query=kubernetes")
        .await;
    assert_eq!(
        suggested.body,
        json!(["Kubernetes", "Kubernetes Operators"])
    );
    let titles = api
        .get("/sourcing-session/filters/autocomplete?filter_type=title&query=zig")
        .await;
    assert_eq!(titles.body, json!(["Zig Developer"]));
    let found = search(&api, &body(&["Lyon, France"], &["Zig"], &[])).await;
    assert_eq!(found.len(), 25);
    assert!(
        found
            .iter()
            .all(|d| d["profile"]["region"] == json!("Lyon, France"))
    );
}

#[tokio::test]
async fn a_vocabulary_naming_an_unknown_filter_type_stops_the_start() {
    let err = Sandbox::builder()
        .vocabulary("colour", ["red"])
        .start()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(
        err.to_string()
            .starts_with("unknown filter_type \"colour\"; the sandbox knows region, "),
        "{err}"
    );
    let file = std::env::temp_dir().join(format!("fj-vocabulary-bad-{}.json", std::process::id()));
    std::fs::write(&file, r#"{"skill": "Zig"}"#).unwrap();
    let err = Sandbox::builder()
        .vocabulary_file(&file)
        .start()
        .await
        .unwrap_err();
    std::fs::remove_file(&file).unwrap();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(
        err.to_string()
            .contains("expected a JSON object from filter_type to a list of values"),
        "{err}"
    );
    let missing = Sandbox::builder()
        .vocabulary_file("/nonexistent/words.json")
        .start()
        .await;
    assert!(
        missing
            .unwrap_err()
            .to_string()
            .starts_with("cannot read /nonexistent/words.json")
    );
}
