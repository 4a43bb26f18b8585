//! Records on standard output, as an aligned table, CSV or JSON lines.
//!
//! Each record type has one field list, used for the table header, the CSV header and the JSON
//! keys, so the three formats always carry the same fields.

use std::fmt;
use std::io::{self, Write};

use fj_sourcing::model::{Candidate, SourcingSession, Suggestion};
use serde::Serialize;
use tabwriter::TabWriter;

use crate::cli::Format;

/// Something printed as one row.
pub trait Record: Serialize {
    /// Field names: CSV header and JSON keys (snake case).
    const FIELDS: &'static [&'static str];

    /// The fields as text, in [`FIELDS`](Record::FIELDS) order (empty when absent).
    fn cells(&self) -> Vec<String>;
}

/// Writes records of one type in one format.
pub struct Sink<W: Write> {
    inner: Inner<W>,
    rows: usize,
}

enum Inner<W: Write> {
    Table(TabWriter<W>),
    Csv(Box<csv::Writer<W>>),
    Ndjson(W),
}

impl<W: Write> Sink<W> {
    /// Starts the output; the table and CSV headers are written at once, so an empty result
    /// still has its header.
    pub fn new<R: Record>(format: Format, out: W) -> io::Result<Self> {
        let inner = match format {
            Format::Table => {
                let mut table = TabWriter::new(out).padding(2);
                let header: Vec<String> = R::FIELDS
                    .iter()
                    .map(|f| f.replace('_', " ").to_uppercase())
                    .collect();
                writeln!(table, "{}", header.join("\t"))?;
                Inner::Table(table)
            }
            Format::Csv => {
                let mut csv = csv::WriterBuilder::new()
                    .has_headers(false)
                    .from_writer(out);
                csv.write_record(R::FIELDS)?;
                Inner::Csv(Box::new(csv))
            }
            Format::Ndjson => Inner::Ndjson(out),
        };
        Ok(Sink { inner, rows: 0 })
    }

    /// Writes one record.
    pub fn write<R: Record>(&mut self, record: &R) -> io::Result<()> {
        match &mut self.inner {
            Inner::Table(table) => {
                let cells: Vec<String> = record.cells().into_iter().map(table_cell).collect();
                writeln!(table, "{}", cells.join("\t"))?;
            }
            Inner::Csv(csv) => csv.write_record(record.cells())?,
            Inner::Ndjson(out) => {
                serde_json::to_writer(&mut *out, record)?;
                out.write_all(b"\n")?;
            }
        }
        self.rows += 1;
        Ok(())
    }

    /// How many records were written.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Flushes everything (a table is aligned and written only now).
    pub fn finish(self) -> io::Result<()> {
        match self.inner {
            Inner::Table(mut table) => table.flush(),
            Inner::Csv(mut csv) => csv.flush(),
            Inner::Ndjson(mut out) => out.flush(),
        }
    }
}

/// A table cell on one line, with `-` for nothing: tabs and line breaks would break the columns.
fn table_cell(text: String) -> String {
    if text.is_empty() {
        return "-".to_owned();
    }
    if text.contains(['\t', '\n', '\r']) {
        return text.replace(['\t', '\n', '\r'], " ");
    }
    text
}

/// `n` and the noun, plural unless `n` is 1: "1 session", "2 sessions".
pub fn count<N: fmt::Display + PartialEq + From<u8>>(n: N, noun: &str) -> String {
    let plural = if n == N::from(1) { "" } else { "s" };
    format!("{n} {noun}{plural}")
}

fn text(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

fn number(value: Option<f64>) -> String {
    // `{}` prints 5.0 as `5` and 4.5 as `4.5`, as the API writes them.
    value.map(|v| v.to_string()).unwrap_or_default()
}

fn joined<'a>(items: impl Iterator<Item = Option<&'a str>>) -> Option<String> {
    let parts: Vec<&str> = items.flatten().filter(|s| !s.trim().is_empty()).collect();
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// A candidate of a profile page.
///
/// `current_title` and `current_company` come from `profile.current_employers_object`; when a
/// candidate has several current employers they are joined with `; ` in the same order.
#[derive(Debug, Serialize)]
pub struct CandidateRow {
    pub id: Option<String>,
    pub name: Option<String>,
    pub score: Option<f64>,
    pub years: Option<f64>,
    pub region: Option<String>,
    pub current_title: Option<String>,
    pub current_company: Option<String>,
    pub linkedin_url: Option<String>,
}

impl From<&Candidate> for CandidateRow {
    fn from(candidate: &Candidate) -> Self {
        let profile = candidate.profile.as_ref();
        let employers = profile.map_or(&[][..], |p| &p.current_employers_object[..]);
        CandidateRow {
            id: candidate.id.clone(),
            name: candidate.name().map(str::to_owned),
            score: candidate.final_score,
            years: profile.and_then(|p| p.years_of_experience_raw),
            region: profile.and_then(|p| p.region.clone()),
            current_title: joined(employers.iter().map(|e| e.job_title.as_deref())),
            current_company: joined(employers.iter().map(|e| e.company_name.as_deref())),
            linkedin_url: candidate.linkedin_url().map(str::to_owned),
        }
    }
}

impl Record for CandidateRow {
    const FIELDS: &'static [&'static str] = &[
        "id",
        "name",
        "score",
        "years",
        "region",
        "current_title",
        "current_company",
        "linkedin_url",
    ];

    fn cells(&self) -> Vec<String> {
        vec![
            text(&self.id),
            text(&self.name),
            number(self.score),
            number(self.years),
            text(&self.region),
            text(&self.current_title),
            text(&self.current_company),
            text(&self.linkedin_url),
        ]
    }
}

/// A session just created by `fj search`.
#[derive(Debug, Serialize)]
pub struct CreatedRow {
    pub session_id: String,
    pub status: Option<String>,
    pub credits_charged: Option<i64>,
    pub credits_remaining: Option<i64>,
}

impl Record for CreatedRow {
    const FIELDS: &'static [&'static str] = &[
        "session_id",
        "status",
        "credits_charged",
        "credits_remaining",
    ];

    fn cells(&self) -> Vec<String> {
        let int = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
        vec![
            self.session_id.clone(),
            text(&self.status),
            int(self.credits_charged),
            int(self.credits_remaining),
        ]
    }
}

/// A stored session (`fj session`).
///
/// `profiles` is `totalProfiles` (project list) or else `totalProfilesMatched` (session details):
/// the two endpoints name the count differently.
#[derive(Debug, Serialize)]
pub struct SessionRow {
    pub id: Option<String>,
    pub title: Option<String>,
    pub status: Option<String>,
    pub profiles: Option<u64>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
}

impl From<&SourcingSession> for SessionRow {
    fn from(session: &SourcingSession) -> Self {
        SessionRow {
            id: session.id.clone(),
            title: session.session_title.clone(),
            status: session
                .profile_matching_status
                .as_ref()
                .map(|s| s.as_str().to_owned()),
            profiles: session.total_profiles.or(session.total_profiles_matched),
            created_at: session.created_at.clone(),
            updated_at: session.updated_at.clone(),
        }
    }
}

impl Record for SessionRow {
    const FIELDS: &'static [&'static str] = &[
        "id",
        "title",
        "status",
        "profiles",
        "created_at",
        "updated_at",
    ];

    fn cells(&self) -> Vec<String> {
        vec![
            text(&self.id),
            text(&self.title),
            text(&self.status),
            self.profiles.map(|n| n.to_string()).unwrap_or_default(),
            text(&self.created_at),
            text(&self.updated_at),
        ]
    }
}

/// A session as Get Project Sessions lists it (`fj sessions`): only the fields it fills.
#[derive(Debug, Serialize)]
pub struct ProjectSessionRow {
    pub id: Option<String>,
    pub title: Option<String>,
    pub profiles: Option<u64>,
    pub jd_text: Option<String>,
}

impl From<&SourcingSession> for ProjectSessionRow {
    fn from(session: &SourcingSession) -> Self {
        ProjectSessionRow {
            id: session.id.clone(),
            title: session.session_title.clone(),
            profiles: session.total_profiles,
            jd_text: session
                .jd_detail
                .as_ref()
                .and_then(|jd| jd.user_text.clone()),
        }
    }
}

impl Record for ProjectSessionRow {
    const FIELDS: &'static [&'static str] = &["id", "title", "profiles", "jd_text"];

    fn cells(&self) -> Vec<String> {
        vec![
            text(&self.id),
            text(&self.title),
            self.profiles.map(|n| n.to_string()).unwrap_or_default(),
            text(&self.jd_text),
        ]
    }
}

/// A Filters Autocomplete suggestion.
#[derive(Debug, Serialize)]
pub struct SuggestionRow {
    pub value: String,
    pub label: String,
}

impl From<&Suggestion> for SuggestionRow {
    fn from(s: &Suggestion) -> Self {
        SuggestionRow {
            value: s.value.clone(),
            label: s.label.clone(),
        }
    }
}

impl Record for SuggestionRow {
    const FIELDS: &'static [&'static str] = &["value", "label"];

    fn cells(&self) -> Vec<String> {
        vec![self.value.clone(), self.label.clone()]
    }
}

/// One reveal: a URL, a contact type, what came back.
///
/// `status` is the entry's status (`FOUND`, ...), `NOT_FOUND` when the API answered 404 for the
/// profile, or empty when the entry had none. In CSV and the table, values are joined with `; `.
#[derive(Debug, Serialize)]
pub struct ContactRow {
    pub linkedin_url: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub status: Option<String>,
    pub values: Vec<String>,
}

impl Record for ContactRow {
    const FIELDS: &'static [&'static str] = &["linkedin_url", "type", "status", "values"];

    fn cells(&self) -> Vec<String> {
        vec![
            self.linkedin_url.clone(),
            self.kind.to_owned(),
            text(&self.status),
            self.values.join("; "),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate() -> Candidate {
        serde_json::from_value(serde_json::json!({
            "_id": "c1",
            "finalScore": 4.5,
            "profile": {
                "name": "Roshni, \"R\" Sabhwani",
                "region": "Pune District, Maharashtra, India",
                "years_of_experience_raw": 4,
                "current_employers_object": [
                    { "company_name": "Infosys", "job_title": ".NET Developer" },
                    { "company_name": "Acme", "job_title": "Mentor" }
                ],
                "linkedin_profile_url": "https://www.linkedin.com/in/roshni"
            }
        }))
        .unwrap()
    }

    fn render<R: Record>(format: Format, rows: &[R]) -> String {
        let mut out = Vec::new();
        let mut sink = Sink::new::<R>(format, &mut out).unwrap();
        for row in rows {
            sink.write(row).unwrap();
        }
        sink.finish().unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn csv_quotes_and_joins_employers() {
        let row = CandidateRow::from(&candidate());
        assert_eq!(
            render(Format::Csv, &[row]),
            "id,name,score,years,region,current_title,current_company,linkedin_url\n\
             c1,\"Roshni, \"\"R\"\" Sabhwani\",4.5,4,\"Pune District, Maharashtra, India\",\
             .NET Developer; Mentor,Infosys; Acme,https://www.linkedin.com/in/roshni\n"
        );
    }

    #[test]
    fn ndjson_has_the_csv_fields_with_nulls_for_missing_ones() {
        let empty = CandidateRow::from(&Candidate::default());
        let line = render(Format::Ndjson, &[empty]);
        let value: serde_json::Value = serde_json::from_str(line.trim_end()).unwrap();
        let keys: Vec<&str> = value
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut expected = CandidateRow::FIELDS.to_vec();
        expected.sort_unstable();
        let mut keys = keys;
        keys.sort_unstable();
        assert_eq!(keys, expected);
        assert!(value.as_object().unwrap().values().all(|v| v.is_null()));
    }

    #[test]
    fn tables_align_and_mark_missing_cells() {
        let rows = [
            SuggestionRow {
                value: "Pune".into(),
                label: "Pune, Maharashtra".into(),
            },
            SuggestionRow {
                value: "Bengaluru".into(),
                label: String::new(),
            },
        ];
        assert_eq!(
            render(Format::Table, &rows),
            "VALUE      LABEL\nPune       Pune, Maharashtra\nBengaluru  -\n"
        );
    }

    #[test]
    fn an_empty_result_still_has_its_header() {
        assert_eq!(
            render::<ContactRow>(Format::Csv, &[]),
            "linkedin_url,type,status,values\n"
        );
        assert_eq!(render::<ContactRow>(Format::Ndjson, &[]), "");
    }
}
