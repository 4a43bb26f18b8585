//! Shared helpers for the sandbox tests: a running sandbox plus a plain reqwest client.
#![allow(dead_code)]

use fj_sandbox::{SandboxBuilder, SandboxHandle};
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// The body of the reference's cURL example (section 3.1), byte for byte as printed.
pub const SEED_CURL_BODY: &str = r#"{
  "sessionTitle": ".NET Developer",
  "jdDetail": {
    "userText": "Job Title: .NET Developer, Experience: 1-5 years, Location: Pune"
  },
  "queries": {
    "country_region": { "type": "(.)", "value": ["India"] },
    "years_of_experience_raw": { "type": "RANGE", "value": [1, 5] },
    "skills": {
      "type": "IN",
      "value": {
        "mandatory": ["C#", ".NET Core"],
        "core": ["ASP.NET MVC", "Web API", "SQL Server", "Entity Framework", "React", "Angular", "Docker"],
        "secondary": []
      }
    }
  }
}"#;

/// The seed's cURL body as a JSON value.
pub fn seed_body() -> Value {
    serde_json::from_str(SEED_CURL_BODY).expect("the seed body is JSON")
}

/// An answer: status, headers and the body parsed as JSON (`Value::Null` when empty).
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts the documented error envelope with this status and returns the message.
    pub fn expect_error(&self, status: u16) -> &str {
        assert_eq!(self.status.as_u16(), status, "{:#}", self.body);
        assert_eq!(self.body["statusCode"], json!(status), "{:#}", self.body);
        assert_eq!(self.body["status"], json!("ERROR"), "{:#}", self.body);
        self.body["message"].as_str().expect("an error message")
    }
}

/// A running sandbox and an HTTP client for it.
pub struct Api {
    pub sandbox: SandboxHandle,
    pub http: reqwest::Client,
    pub key: String,
}

impl Api {
    pub async fn start(builder: SandboxBuilder) -> Api {
        let sandbox = builder.start().await.expect("sandbox starts");
        let key = sandbox.api_key().to_owned();
        Api {
            sandbox,
            http: plain_http_client(),
            key,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.sandbox.base_url())
    }

    /// Sends `body` (raw bytes) with the sandbox's key, or with `key` when given.
    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        key: Option<&str>,
        body: Option<Vec<u8>>,
    ) -> Answer {
        let mut request = self.http.request(method, self.url(path));
        if let Some(key) = key.or(Some(self.key.as_str())).filter(|k| !k.is_empty()) {
            request = request.header("x-fj-api-key", key);
        }
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body);
        }
        let response = request.send().await.expect("the sandbox answers");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.expect("a body");
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or_else(|err| {
                panic!("not JSON ({err}): {}", String::from_utf8_lossy(&bytes))
            })
        };
        Answer {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.raw(Method::GET, path, None, None).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Answer {
        self.raw(
            Method::POST,
            path,
            None,
            Some(body.to_string().into_bytes()),
        )
        .await
    }

    pub async fn patch(&self, path: &str, body: &Value) -> Answer {
        self.raw(
            Method::PATCH,
            path,
            None,
            Some(body.to_string().into_bytes()),
        )
        .await
    }

    /// Creates a session, asserting 201, and returns its id.
    pub async fn create(&self, body: &Value) -> String {
        let answer = self.post("/sourcing-session", body).await;
        assert_eq!(answer.status, StatusCode::CREATED, "{:#}", answer.body);
        answer.body["data"]["session"]["_id"]
            .as_str()
            .expect("a session id")
            .to_owned()
    }

    /// The session's `profileMatchingStatus` from Get Session Details (one poll).
    pub async fn poll(&self, id: &str) -> String {
        let answer = self.get(&format!("/sourcing-session/{id}")).await;
        assert_eq!(answer.status, StatusCode::OK, "{:#}", answer.body);
        answer.body["data"]["session"]["profileMatchingStatus"]
            .as_str()
            .expect("a status")
            .to_owned()
    }

    /// Polls until `done` (at most 20 polls).
    pub async fn wait_done(&self, id: &str) {
        for _ in 0..20 {
            if self.poll(id).await == "done" {
                return;
            }
        }
        panic!("session {id} never reached done");
    }

    /// Every candidate of a session, following `nextPage` with pages of `limit`.
    pub async fn all_profiles(&self, id: &str, limit: u64) -> Vec<Value> {
        let mut docs = Vec::new();
        let mut page = Some(1);
        while let Some(n) = page {
            let answer = self
                .get(&format!(
                    "/sourcing-session/{id}/profiles?page={n}&limit={limit}"
                ))
                .await;
            assert_eq!(answer.status, StatusCode::OK, "{:#}", answer.body);
            let data = &answer.body["data"];
            docs.extend(data["docs"].as_array().expect("docs").iter().cloned());
            page = data["nextPage"].as_u64();
            assert_eq!(data["hasNextPage"], json!(page.is_some()));
        }
        docs
    }
}

/// Whether `s` is a 24-digit lowercase hexadecimal id.
pub fn is_object_id(s: &str) -> bool {
    s.len() == 24 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// A `reqwest::Client` for plain `http://`. In a workspace build, fj-sourcing's default `rustls`
/// feature turns on reqwest's `rustls-no-provider`, and reqwest then needs a process-wide rustls
/// crypto provider even though these tests never use TLS.
pub fn plain_http_client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}
