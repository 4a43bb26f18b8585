//! The request-side wire vocabulary shared by the client and the sandbox: the header that carries
//! the API key and the `revealType` parameter.

use std::fmt;

/// The header every endpoint reads the API key from.
///
/// JD to Filters' header table says `Authorization`, its own authentication block and every other
/// page say `x-fj-api-key`; the client sends and the sandbox reads this one everywhere.
pub const API_KEY_HEADER: &str = "x-fj-api-key";

/// Which contact to reveal: the `revealType` query parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RevealType {
    /// `EMAIL`.
    Email,
    /// `PHONE` (its documentation page was not available; assumed symmetric to `EMAIL`).
    Phone,
}

impl RevealType {
    /// The wire string (`EMAIL`, `PHONE`).
    pub const fn as_str(self) -> &'static str {
        match self {
            RevealType::Email => "EMAIL",
            RevealType::Phone => "PHONE",
        }
    }

    /// Parses a wire value (exact and upper case, as documented).
    ///
    /// ```
    /// use fj_sourcing_query::RevealType;
    /// assert_eq!(RevealType::from_wire("PHONE"), Some(RevealType::Phone));
    /// assert_eq!(RevealType::from_wire("email"), None);
    /// ```
    pub fn from_wire(s: &str) -> Option<Self> {
        match s {
            "EMAIL" => Some(RevealType::Email),
            "PHONE" => Some(RevealType::Phone),
            _ => None,
        }
    }
}

impl fmt::Display for RevealType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
