//! JD to Filters: simple keyword extraction over job-description text.
//!
//! The sandbox finds vocabulary phrases (skills, titles, regions, countries) in the text as whole
//! words, case-insensitively; an experience range written `3-7 years`, `3–7 years`,
//! `3 to 7 years` or `5+ years` (read as `[5, 50]`); a few industry, degree and seniority
//! keywords. The answer is the documented bare map `{key: {presence, value}}`, always with the
//! same keys; a key with nothing found is `{"presence": false, "value": [null]}` as in the
//! reference's example.

use serde_json::{Map, Value, json};

use super::vocab;

/// Keyword (lower case) to industry.
const INDUSTRY_WORDS: &[(&str, &str)] = &[
    ("fintech", "Financial Services"),
    ("financial", "Financial Services"),
    ("banking", "Banking"),
    ("bank", "Banking"),
    ("saas", "Software Development"),
    ("software", "Software Development"),
    ("healthcare", "Hospitals and Health Care"),
    ("e-commerce", "Retail"),
    ("ecommerce", "Retail"),
    ("retail", "Retail"),
    ("telecom", "Telecommunications"),
];

/// Keyword (lower case) to degree bucket, as the filter example writes degrees (`BACHELORS`).
const DEGREE_WORDS: &[(&str, &str)] = &[
    ("bachelor", "BACHELORS"),
    ("bachelors", "BACHELORS"),
    ("b.e", "BACHELORS"),
    ("btech", "BACHELORS"),
    ("b.tech", "BACHELORS"),
    ("master", "MASTERS"),
    ("masters", "MASTERS"),
    ("mca", "MASTERS"),
    ("m.tech", "MASTERS"),
    ("phd", "DOCTORATE"),
    ("doctorate", "DOCTORATE"),
];

/// Keyword (lower case) to seniority level.
const SENIORITY_WORDS: &[(&str, &str)] = &[
    ("junior", "Entry"),
    ("entry-level", "Entry"),
    ("mid-level", "Mid"),
    ("senior", "Senior"),
    ("lead", "Lead"),
    ("manager", "Manager"),
];

/// Whether `phrase` occurs in `text` (both already lower case) with no letter or digit directly
/// before or after it.
fn has_phrase(text: &str, phrase: &str) -> bool {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(at) = text[from..].find(phrase) {
        let start = from + at;
        let end = start + phrase.len();
        let before_ok = text[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let after_ok = text[end..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric());
        if before_ok && after_ok {
            return true;
        }
        // Advance by one whole character.
        from = start + text[start..].chars().next().map_or(1, char::len_utf8);
        if from >= bytes.len() {
            break;
        }
    }
    false
}

fn found_in(text: &str, list: &[&'static str]) -> Vec<&'static str> {
    list.iter()
        .copied()
        .filter(|item| has_phrase(text, &item.to_lowercase()))
        .collect()
}

fn mapped(text: &str, words: &[(&str, &'static str)]) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for (word, value) in words {
        if has_phrase(text, word) && !out.contains(value) {
            out.push(value);
        }
    }
    out
}

/// The first experience range in `text`, as `[min, max]` years.
fn years(text: &str) -> Option<(u32, u32)> {
    let chars: Vec<char> = text.chars().collect();
    let number_at = |mut i: usize| -> Option<(u32, usize)> {
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        if i == start || i - start > 2 {
            return None;
        }
        let n: String = chars[start..i].iter().collect();
        n.parse().ok().map(|n| (n, i))
    };
    let skip_spaces = |mut i: usize| {
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        i
    };
    let word_at = |i: usize, word: &str| {
        let w: Vec<char> = word.chars().collect();
        chars.len() >= i + w.len() && chars[i..i + w.len()] == w[..]
    };
    let years_at = |i: usize| {
        let i = skip_spaces(i);
        word_at(i, "year") || word_at(i, "yr")
    };
    let mut i = 0;
    while i < chars.len() {
        let boundary = i == 0 || !chars[i - 1].is_alphanumeric();
        if let (true, Some((min, after))) = (boundary, number_at(i)) {
            let j = skip_spaces(after);
            if j < chars.len() && chars[j] == '+' && years_at(j + 1) {
                return Some((min, 50));
            }
            let k = if j < chars.len() && matches!(chars[j], '-' | '–' | '—') {
                Some(j + 1)
            } else if word_at(j, "to ") {
                Some(j + 2)
            } else {
                None
            };
            if let Some((max, end)) = k.and_then(|k| number_at(skip_spaces(k)))
                && years_at(end)
                && min <= max
            {
                return Some((min, max));
            }
            if years_at(after) {
                return Some((min, min));
            }
            i = after;
            continue;
        }
        i += 1;
    }
    None
}

fn annotation(values: Vec<Value>) -> Value {
    if values.is_empty() {
        json!({"presence": false, "value": [null]})
    } else {
        json!({"presence": true, "value": values})
    }
}

fn strings(list: Vec<&'static str>) -> Vec<Value> {
    list.into_iter().map(Value::from).collect()
}

/// The annotation map for a job description.
pub(crate) fn annotate(user_text: &str) -> Value {
    let text = user_text.to_lowercase();
    let regions = found_in(&text, vocab::REGIONS);
    // A city alone ("Location: Pune") names the vocabulary's regions for that city.
    let cities: Vec<&'static str> = vocab::REGIONS
        .iter()
        .copied()
        .filter(|region| {
            let city = region.split(',').next().unwrap_or(region);
            has_phrase(&text, &city.to_lowercase())
        })
        .collect();
    let mut region_values = regions;
    for region in cities {
        if !region_values.contains(&region) {
            region_values.push(region);
        }
    }
    let mut countries = found_in(&text, vocab::COUNTRIES);
    for region in &region_values {
        let country = region.rsplit(", ").next().unwrap_or(region);
        if let Some(known) = vocab::COUNTRIES.iter().find(|c| **c == country)
            && !countries.contains(known)
        {
            countries.push(known);
        }
    }
    let years = years(&text).map_or_else(Vec::new, |(min, max)| vec![json!(min), json!(max)]);
    let mut map = Map::new();
    map.insert(
        "current_employers.title".into(),
        annotation(strings(found_in(&text, vocab::TITLES))),
    );
    map.insert(
        "skills".into(),
        annotation(strings(found_in(&text, vocab::SKILLS))),
    );
    map.insert("years_of_experience_raw".into(), annotation(years));
    map.insert("region".into(), annotation(strings(region_values)));
    map.insert("country_region".into(), annotation(strings(countries)));
    map.insert(
        "all_employers.company_industries".into(),
        annotation(strings(mapped(&text, INDUSTRY_WORDS))),
    );
    map.insert(
        "education_background.degree_name".into(),
        annotation(strings(mapped(&text, DEGREE_WORDS))),
    );
    map.insert(
        "current_employers.seniority_level".into(),
        annotation(strings(mapped(&text, SENIORITY_WORDS))),
    );
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_need_word_boundaries() {
        assert!(has_phrase("we use c# daily", "c#"));
        assert!(has_phrase(".net developer", ".net"));
        assert!(!has_phrase("asp.net mvc", ".net"));
        assert!(!has_phrase("reactive", "react"));
        assert!(has_phrase("react, angular", "react"));
    }

    #[test]
    fn experience_forms() {
        assert_eq!(years("experience: 1-5 years"), Some((1, 5)));
        assert_eq!(years("with 3–7 years of experience"), Some((3, 7)));
        assert_eq!(years("2 to 4 yrs"), Some((2, 4)));
        assert_eq!(years("5+ years"), Some((5, 50)));
        assert_eq!(years("at least 6 years"), Some((6, 6)));
        assert_eq!(years("team of 12 people, 2024"), None);
    }

    #[test]
    fn documented_example() {
        let value = annotate(
            "Looking for a .NET Developer with 3–7 years of experience in building scalable \
             backend systems, preferably in the fintech domain...",
        );
        assert_eq!(
            value["current_employers.title"],
            json!({"presence": true, "value": [".NET Developer"]})
        );
        assert_eq!(
            value["years_of_experience_raw"],
            json!({"presence": true, "value": [3, 7]})
        );
        assert_eq!(
            value["all_employers.company_industries"],
            json!({"presence": true, "value": ["Financial Services"]})
        );
        assert_eq!(
            value["education_background.degree_name"],
            json!({"presence": false, "value": [null]})
        );
    }
}
