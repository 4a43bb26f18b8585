//! The sandbox's synthetic vocabulary: what Filters Autocomplete suggests, what JD to Filters
//! recognises and what synthetic candidates are made of when a filter does not pin a value.

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
];

/// Fields of study.
pub(crate) const FIELDS_OF_STUDY: &[&str] = &[
    "Computer Science",
    "Information Technology",
    "Electronics and Telecommunications",
    "Mechanical Engineering",
    "Mathematics",
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

/// The word list a Filters Autocomplete `filter_type` searches, if the sandbox knows it.
pub(crate) fn for_filter_type(filter_type: &str) -> Option<&'static [&'static str]> {
    AUTOCOMPLETE
        .iter()
        .find(|(names, _)| names.contains(&filter_type))
        .map(|(_, list)| *list)
}

/// The primary `filter_type` names, for error messages.
pub(crate) fn filter_type_names() -> impl Iterator<Item = &'static str> {
    AUTOCOMPLETE.iter().map(|(names, _)| names[0])
}

/// Suggestions from `list` containing `query` (case-insensitive): prefix matches first, then the
/// rest, each group in vocabulary order.
pub(crate) fn suggest(list: &[&'static str], query: &str, limit: usize) -> Vec<&'static str> {
    let query = query.trim().to_lowercase();
    let mut prefix = Vec::new();
    let mut inner = Vec::new();
    for &item in list {
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
            suggest(REGIONS, "pune", 10),
            [
                "Pune, Maharashtra, India",
                "Pune Division, Maharashtra, India",
                "Pune District, Maharashtra, India"
            ]
        );
        assert_eq!(suggest(SKILLS, "net", 2), [".NET", ".NET Core"]);
        assert_eq!(
            suggest(SKILLS, "sql", 10),
            ["SQL Server", "SQL", "PostgreSQL"]
        );
    }

    #[test]
    fn knows_the_documented_filter_types() {
        for name in ["region", "skill", "title", "country_region"] {
            assert!(for_filter_type(name).is_some(), "{name}");
        }
        assert!(for_filter_type("nope").is_none());
    }
}
