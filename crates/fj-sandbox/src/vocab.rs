//! The sandbox's synthetic vocabulary: what Filters Autocomplete suggests, what JD to Filters
//! recognises and what synthetic candidates are made of when a filter does not pin a value.

use std::borrow::Cow;

use fj_sourcing_query::fields::FieldId;
use fj_sourcing_query::ops::Operator;
use fj_sourcing_query::{FilterValue, SessionRequest};
use serde_json::Value;

/// Regions, written as the API writes them (`City, State, Country`).
pub(crate) const REGIONS: &[&str] = &[
    "Pune, Maharashtra, India",
    "Pune Division, Maharashtra, India",
    "Pune District, Maharashtra, India",
    "Mumbai, Maharashtra, India",
    "Nagpur, Maharashtra, India",
    "Bengaluru, Karnataka, India",
    "Hyderabad, Telangana, India",
    "Chennai, Tamil Nadu, India",
    "Noida, Uttar Pradesh, India",
    "Gurugram, Haryana, India",
    "Berlin, Germany",
    "Munich, Bavaria, Germany",
    "London, England, United Kingdom",
    "Manchester, England, United Kingdom",
    "San Francisco, California, United States",
    "New York, New York, United States",
    "Austin, Texas, United States",
    "Toronto, Ontario, Canada",
    "Singapore",
    "Sydney, New South Wales, Australia",
    "Dubai, United Arab Emirates",
    "Amsterdam, North Holland, Netherlands",
    "Paris, Ile-de-France, France",
];

/// Countries (`country_region` values).
pub(crate) const COUNTRIES: &[&str] = &[
    "India",
    "Germany",
    "United Kingdom",
    "United States",
    "Canada",
    "Singapore",
    "Australia",
    "United Arab Emirates",
    "Netherlands",
    "France",
];

/// Skills.
pub(crate) const SKILLS: &[&str] = &[
    "C#",
    ".NET",
    ".NET Core",
    ".NET Framework",
    "ASP.NET MVC",
    "ASP.NET Core",
    "Web API",
    "SQL Server",
    "Entity Framework",
    "LINQ",
    "React",
    "Angular",
    "Vue.js",
    "Docker",
    "Kubernetes",
    "Azure",
    "AWS",
    "Java",
    "Spring Boot",
    "Python",
    "Django",
    "JavaScript",
    "TypeScript",
    "Node.js",
    "Golang",
    "Rust",
    "SQL",
    "PostgreSQL",
    "MongoDB",
    "Redis",
    "Kafka",
    "Git",
    "Microservices",
    "REST APIs",
    "GraphQL",
    "Terraform",
    "Linux",
    "Machine Learning",
    "Go",
    "Tokio",
];

/// Job titles.
pub(crate) const TITLES: &[&str] = &[
    ".NET Developer",
    "C# Developer",
    "Software Engineer",
    "Senior Software Engineer",
    "Software Developer",
    "Web Developer",
    "Application Developer",
    "Backend Developer",
    "Frontend Developer",
    "Full Stack Developer",
    "DevOps Engineer",
    "Data Engineer",
    "Data Scientist",
    "Technical Lead",
    "Engineering Manager",
];

/// Company names.
pub(crate) const COMPANIES: &[&str] = &[
    "Infosys",
    "Tech Mahindra",
    "Tata Consultancy Services",
    "Wipro",
    "Accenture",
    "Capgemini",
    "Persistent Systems",
    "Cognizant",
    "HCLTech",
    "Zensar Technologies",
    "Thoughtworks",
    "Microsoft",
    "Amazon",
    "SAP",
];

/// Industries (`all_employers.company_industries`).
pub(crate) const INDUSTRIES: &[&str] = &[
    "Software Development",
    "IT Services and IT Consulting",
    "Information Services",
    "Technology, Information and Internet",
    "Financial Services",
    "Banking",
    "Hospitals and Health Care",
    "Retail",
    "Telecommunications",
    "IT System Custom Software Development",
    "Design Services",
];

/// Employment types.
pub(crate) const EMPLOYMENT_TYPES: &[&str] = &[
    "Full-time",
    "Permanent",
    "Part-time",
    "Contract",
    "Internship",
];

/// Tenure buckets at the current company.
pub(crate) const YEARS_AT_COMPANY: &[&str] = &[
    "Less than 1 year",
    "1 to 2 years",
    "3 to 5 years",
    "6 to 10 years",
    "More than 10 years",
];

/// Seniority levels.
pub(crate) const SENIORITY_LEVELS: &[&str] = &["Entry", "Mid", "Senior", "Lead", "Manager"];

/// Function categories.
pub(crate) const FUNCTIONS: &[&str] = &[
    "Engineering",
    "Information Technology",
    "Data Science",
    "Product Management",
];

/// Degree names.
pub(crate) const DEGREES: &[&str] = &[
    "Bachelor of Engineering - BE",
    "Bachelor of Technology - BTech",
    "Master of Computer Applications - MCA",
    "Master of Science - MS",
    "BACHELORS",
];

/// Fields of study.
pub(crate) const FIELDS_OF_STUDY: &[&str] = &[
    "Computer Science",
    "Information Technology",
    "Electronics and Telecommunications",
    "Mechanical Engineering",
    "Mathematics",
    "related field",
];

/// Educational institutes.
pub(crate) const INSTITUTES: &[&str] = &[
    "University of Mumbai",
    "Savitribai Phule Pune University",
    "College of Engineering Pune",
    "IIT Bombay",
    "G.H. Raisoni College of Engineering, Nagpur",
    "VIT Vellore",
    "BITS Pilani",
];

/// Given names for synthetic people.
pub(crate) const FIRST_NAMES: &[&str] = &[
    "Roshni", "Aarav", "Priya", "Vikram", "Ananya", "Rahul", "Sneha", "Arjun", "Kavya", "Rohan",
    "Meera", "Aditya", "Lena", "Jonas", "Emma", "Liam", "Sofia", "Noah", "Olivia", "Mateo",
];

/// Family names for synthetic people.
pub(crate) const LAST_NAMES: &[&str] = &[
    "Sabhwani",
    "Sharma",
    "Patil",
    "Kulkarni",
    "Deshpande",
    "Iyer",
    "Reddy",
    "Joshi",
    "Mehta",
    "Nair",
    "Fischer",
    "Weber",
    "Smith",
    "Garcia",
    "Brown",
    "Martin",
    "Dubois",
    "Jansen",
];

/// Filters Autocomplete `filter_type` names and the list each one searches.
///
/// The reference names `region`, `skill`, `title` and `country_region` "etc."; the sandbox also
/// accepts the filter keys themselves and a few obvious aliases.
const AUTOCOMPLETE: &[(&[&str], &[&str])] = &[
    (
        &["region", "current_employers.company_hq_location"],
        REGIONS,
    ),
    (&["country_region", "country"], COUNTRIES),
    (&["skill", "skills"], SKILLS),
    (
        &["title", "current_employers.title", "past_employers.title"],
        TITLES,
    ),
    (
        &["company", "current_employers.name", "past_employers.name"],
        COMPANIES,
    ),
    (
        &["industry", "all_employers.company_industries"],
        INDUSTRIES,
    ),
    (
        &["school", "institute", "education_background.institute_name"],
        INSTITUTES,
    ),
    (
        &["field_of_study", "education_background.field_of_study"],
        FIELDS_OF_STUDY,
    ),
    (&["degree", "education_background.degree_name"], DEGREES),
    (
        &["seniority", "current_employers.seniority_level"],
        SENIORITY_LEVELS,
    ),
    (
        &["function", "current_employers.function_category"],
        FUNCTIONS,
    ),
    (
        &["employment_type", "current_employers.employment_type"],
        EMPLOYMENT_TYPES,
    ),
    (
        &["years_at_company", "current_employers.years_at_company"],
        YEARS_AT_COMPANY,
    ),
];

/// The position in [`AUTOCOMPLETE`] of the list `filter_type` searches.
fn position(filter_type: &str) -> Option<usize> {
    AUTOCOMPLETE
        .iter()
        .position(|(names, _)| names.contains(&filter_type))
}

/// The primary `filter_type` names, for error messages.
pub(crate) fn filter_type_names() -> String {
    let names: Vec<&str> = AUTOCOMPLETE.iter().map(|(names, _)| names[0]).collect();
    names.join(", ")
}

/// The `filter_type` whose vocabulary a filter's values must come from in the sandbox: the
/// field table's, except for `country_region`, whose `(.)` values are patterns, not words.
fn vocabulary_type(field: FieldId) -> Option<&'static str> {
    let autocomplete = field.autocomplete()?;
    (field.operator() != Operator::Regex).then_some(autocomplete.filter_type)
}

/// The word lists with a user's own words added ([`SandboxBuilder::vocabulary`],
/// `fj-sandbox --vocabulary FILE`).
///
/// [`SandboxBuilder::vocabulary`]: crate::SandboxBuilder::vocabulary
#[derive(Clone, Debug, Default)]
pub(crate) struct Vocabulary {
    /// Added words with the position of their list in [`AUTOCOMPLETE`].
    added: Vec<(usize, String)>,
}

impl Vocabulary {
    /// Adds `words` to the list `filter_type` searches; fails naming the types the sandbox knows.
    pub(crate) fn add(&mut self, filter_type: &str, words: Vec<String>) -> Result<(), String> {
        let i = position(filter_type).ok_or_else(|| {
            format!(
                "unknown filter_type {filter_type:?}; the sandbox knows {}",
                filter_type_names()
            )
        })?;
        self.added.extend(words.into_iter().map(|w| (i, w)));
        Ok(())
    }

    /// The words `filter_type` searches, built-in ones first, if the sandbox knows the type.
    pub(crate) fn words(&self, filter_type: &str) -> Option<impl Iterator<Item = &str>> {
        let i = position(filter_type)?;
        let added = self.added.iter().filter(move |(j, _)| *j == i);
        Some(
            AUTOCOMPLETE[i]
                .1
                .iter()
                .copied()
                .chain(added.map(|(_, w)| w.as_str())),
        )
    }

    /// Whether `value` is a word of `filter_type`'s list, exactly (Filters Autocomplete finds it
    /// whatever its case, but a filter matches the word as spelt).
    fn knows(&self, filter_type: &str, value: &str) -> bool {
        self.words(filter_type)
            .is_none_or(|mut words| words.any(|w| w == value))
    }

    /// Whether every value with a vocabulary is known: then [`known_only`](Self::known_only)
    /// changes nothing and the request is used as it is.
    fn knows_all(&self, request: &SessionRequest) -> bool {
        request.queries().iter().all(|(field, value)| {
            let Some(t) = vocabulary_type(field) else {
                return true;
            };
            let known = |list: &[String]| list.iter().all(|v| self.knows(t, v));
            match value {
                FilterValue::Values(list) => known(list),
                FilterValue::Skills(buckets) => buckets.buckets().iter().all(|(_, b)| known(b)),
                _ => true,
            }
        })
    }

    /// The request candidates are generated for: unknown values dropped, since an unknown value
    /// matches no one by itself. `None` when nobody matches: a filter whose values are all
    /// unknown, or an unknown mandatory skill. The session is charged all the same, as the API
    /// charges a search that finds nobody.
    pub(crate) fn known_only<'r>(
        &self,
        request: &'r SessionRequest,
    ) -> Option<Cow<'r, SessionRequest>> {
        if self.knows_all(request) {
            return Some(Cow::Borrowed(request));
        }
        let mut json = serde_json::to_value(request).ok()?;
        for (key, filter) in json.get_mut("queries")?.as_object_mut()? {
            let Some(t) = FieldId::from_key(key).and_then(vocabulary_type) else {
                continue;
            };
            let known = |list: &mut Value| match list.as_array_mut() {
                Some(list) => {
                    let before = list.len();
                    list.retain(|v| v.as_str().is_some_and(|v| self.knows(t, v)));
                    (before, list.len())
                }
                None => (0, 0),
            };
            let (before, after) = match filter.get_mut("value") {
                Some(Value::Object(buckets)) => {
                    let counts: Vec<(usize, usize)> = ["mandatory", "core", "secondary"]
                        .iter()
                        .filter_map(|b| buckets.get_mut(*b).map(known))
                        .collect();
                    if counts.first().is_some_and(|(b, a)| a < b) {
                        return None;
                    }
                    counts.iter().fold((0, 0), |(b, a), (x, y)| (b + x, a + y))
                }
                Some(list) => known(list),
                None => (0, 0),
            };
            if before > 0 && after == 0 {
                return None;
            }
        }
        SessionRequest::from_value(json).ok().map(Cow::Owned)
    }
}

/// Suggestions from `words` containing `query` (case-insensitive): prefix matches first, then
/// the rest, each group in vocabulary order.
pub(crate) fn suggest<'a>(
    words: impl Iterator<Item = &'a str>,
    query: &str,
    limit: usize,
) -> Vec<&'a str> {
    let query = query.trim().to_lowercase();
    let mut prefix = Vec::new();
    let mut inner = Vec::new();
    for item in words {
        let lower = item.to_lowercase();
        if lower.starts_with(&query) {
            prefix.push(item);
        } else if lower.contains(&query) {
            inner.push(item);
        }
    }
    prefix.extend(inner);
    prefix.truncate(limit);
    prefix
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_prefix_matches_first() {
        assert_eq!(
            suggest(REGIONS.iter().copied(), "pune", 10),
            [
                "Pune, Maharashtra, India",
                "Pune Division, Maharashtra, India",
                "Pune District, Maharashtra, India"
            ]
        );
        assert_eq!(
            suggest(SKILLS.iter().copied(), "net", 2),
            [".NET", ".NET Core"]
        );
        assert_eq!(
            suggest(SKILLS.iter().copied(), "sql", 10),
            ["SQL Server", "SQL", "PostgreSQL"]
        );
    }

    #[test]
    fn knows_the_documented_filter_types() {
        for name in ["region", "skill", "title", "country_region"] {
            assert!(position(name).is_some(), "{name}");
        }
        assert!(position("nope").is_none());
        for field in FieldId::ALL {
            if let Some(a) = field.autocomplete() {
                assert!(position(a.filter_type).is_some(), "{}", a.filter_type);
            }
        }
    }
}
