//! Values checked against Filters Autocomplete (`fj validate --online`, `fj search`).

use std::fmt;

use fj_sourcing::ValueReport;
use serde::Serialize;

use crate::output::Record;
use crate::ui::Ui;

/// One value Filters Autocomplete does not know.
#[derive(Debug, Serialize)]
pub struct UnknownRow {
    pub file: String,
    pub path: String,
    pub value: String,
    pub suggestions: Vec<String>,
    pub blocking: bool,
}

impl Record for UnknownRow {
    const FIELDS: &'static [&'static str] = &["file", "path", "value", "suggestions", "blocking"];

    fn cells(&self) -> Vec<String> {
        let (file, path, value) = (self.file.clone(), self.path.clone(), self.value.clone());
        vec![
            file,
            path,
            value,
            self.suggestions.join("; "),
            self.blocking.to_string(),
        ]
    }
}

impl fmt::Display for UnknownRow {
    /// `FILE: PATH: unknown value "V" (blocking); did you mean "A", "B"?`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = if self.blocking {
            "blocking"
        } else {
            "advisory"
        };
        write!(
            f,
            "{}: {}: unknown value {:?} ({kind})",
            self.file, self.path, self.value
        )?;
        if self.suggestions.is_empty() {
            return f.write_str("; the API suggests nothing close");
        }
        let quoted: Vec<String> = self.suggestions.iter().map(|s| format!("{s:?}")).collect();
        write!(f, "; did you mean {}?", quoted.join(", "))
    }
}

/// The unknown values of `file`'s report, in wire order; says on standard error which values
/// could not be checked.
pub fn rows(file: &str, report: &ValueReport, ui: &Ui) -> Vec<UnknownRow> {
    if !report.unchecked().is_empty() {
        ui.info(format_args!(
            "{file}: not checked (no vocabulary, or the API refused the filter_type): {}",
            report.unchecked().join(", ")
        ));
    }
    (report.unknown().iter())
        .map(|u| UnknownRow {
            file: file.to_owned(),
            path: u.path().to_owned(),
            value: u.value().to_owned(),
            suggestions: u.suggestions().to_vec(),
            blocking: u.is_blocking(),
        })
        .collect()
}
