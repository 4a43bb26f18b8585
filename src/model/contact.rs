//! Reveal Contact: the contact entries of one candidate.

use std::ops::Deref;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use fj_sourcing_query::RevealType;

use super::de::null_default;

/// The `data` of Reveal Contact: one entry per contact type.
///
/// Both types come back even when only one was requested; the one not requested has
/// `status: null` in the example.
///
/// ```
/// use fj_sourcing::RevealType;
/// use fj_sourcing::model::Contacts;
///
/// let contacts: Contacts = serde_json::from_str(r#"[
///     { "type": "EMAIL", "values": ["candidate@example.com"], "status": "FOUND" },
///     { "type": "PHONE", "values": [], "status": null }
/// ]"#).unwrap();
/// assert_eq!(contacts.values(RevealType::Email), ["candidate@example.com"]);
/// assert!(contacts.values(RevealType::Phone).is_empty());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Contacts {
    entries: Vec<ContactEntry>,
}

impl Contacts {
    /// The first entry of the given type.
    pub fn get(&self, kind: RevealType) -> Option<&ContactEntry> {
        self.entries.iter().find(|e| e.reveal_type() == Some(kind))
    }

    /// The values of the given type (empty when none were found).
    pub fn values(&self, kind: RevealType) -> &[String] {
        self.get(kind).map_or(&[], |e| &e.values)
    }

    /// All entries, by value.
    pub fn into_entries(self) -> Vec<ContactEntry> {
        self.entries
    }
}

impl Deref for Contacts {
    type Target = [ContactEntry];

    fn deref(&self) -> &[ContactEntry] {
        &self.entries
    }
}

/// One entry of a Reveal Contact response: `{ type, values, status }`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ContactEntry {
    /// `type`: `EMAIL` or `PHONE` (others kept verbatim).
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// `values`: the addresses or numbers.
    #[serde(default, deserialize_with = "null_default")]
    pub values: Vec<String>,
    /// `status`: `"FOUND"`, or `null` (apparently "not requested"); other values undocumented.
    #[serde(default)]
    pub status: Option<String>,
    /// Fields not listed above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ContactEntry {
    /// The entry's type, when it is `EMAIL` or `PHONE`.
    pub fn reveal_type(&self) -> Option<RevealType> {
        RevealType::from_wire(self.kind.as_deref()?)
    }

    /// Whether `status` is `"FOUND"`.
    pub fn is_found(&self) -> bool {
        self.status.as_deref() == Some("FOUND")
    }
}
