//! `finalScore` (and Get Candidate Details' `starRating` and `starLabel`): how well a synthetic
//! candidate matches the request that found it. The reading of the scale and the weights are in
//! the crate documentation ("Scores").

use fj_sourcing_query::SessionRequest;
use fj_sourcing_query::fields::FieldId;

/// The score of a candidate with `skills` and `title` for `request`, in tenths (10..=50).
pub(crate) fn tenths(request: &SessionRequest, skills: &[String], title: &str) -> u8 {
    let buckets = request.skills();
    let share = |wanted: &[String]| {
        let met = wanted
            .iter()
            .filter(|w| skills.iter().any(|s| s.eq_ignore_ascii_case(w)))
            .count();
        (!wanted.is_empty()).then(|| met as f64 / wanted.len() as f64)
    };
    let queries = request.queries();
    let title_met = match queries.get(FieldId::CurrentTitle) {
        Some(_) => Some(1.0),
        None => request.title().map(|wanted| {
            let words = |s: &str| {
                s.split(|c: char| !c.is_alphanumeric())
                    .map(str::to_lowercase)
                    .collect::<Vec<_>>()
            };
            let theirs = words(title);
            let shared = words(wanted)
                .iter()
                .any(|w| w.len() > 1 && theirs.contains(w));
            f64::from(u8::from(shared))
        }),
    };
    let located = [FieldId::Region, FieldId::CountryRegion]
        .iter()
        .any(|&f| queries.get(f).is_some());
    let criteria = [
        (8.0, share(buckets.mandatory())),
        (4.0, share(buckets.core())),
        (2.0, share(buckets.secondary())),
        (1.0, title_met),
        (1.0, located.then_some(1.0)),
    ];
    let (met, weight) = criteria
        .iter()
        .filter_map(|&(w, share)| share.map(|s| (w * s, w)))
        .fold((0.0, 0.0), |(m, t), (a, w)| (m + a, t + w));
    let share = if weight > 0.0 { met / weight } else { 1.0 };
    (10.0 + 40.0 * share).round() as u8
}

/// `starLabel` for a score in tenths.
pub(crate) fn label(tenths: u8) -> &'static str {
    match tenths {
        45.. => "excellent",
        40..45 => "very good",
        30..40 => "good",
        _ => "fair",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(json: &str) -> SessionRequest {
        SessionRequest::from_json(json).unwrap()
    }

    fn skills(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn mandatory_weighs_most_then_core_then_secondary_then_title() {
        let r = request(
            r#"{"sessionTitle": "Rust Developer", "queries": {"skills": {"type": "IN",
            "value": {"mandatory": ["Rust"], "core": ["Tokio"], "secondary": ["Axum"]}}}}"#,
        );
        let dev = "Backend Developer";
        let all = tenths(&r, &skills(&["Rust", "Tokio", "Axum"]), dev);
        assert_eq!(all, 50);
        // 8 + 4 + 2 + 1 = 15 in all: each miss costs 4 × its weight / 15 stars.
        assert_eq!(tenths(&r, &skills(&["rust", "tokio", "axum"]), "Chef"), 47);
        assert_eq!(tenths(&r, &skills(&["Rust", "Tokio"]), dev), 45);
        assert_eq!(tenths(&r, &skills(&["Rust", "Axum"]), dev), 39);
        assert_eq!(tenths(&r, &skills(&["Tokio", "Axum"]), dev), 29);
        assert_eq!(tenths(&r, &[], "Chef"), 10);
        assert_eq!(
            (label(50), label(41), label(30), label(29)),
            ("excellent", "very good", "good", "fair")
        );
    }

    #[test]
    fn filters_met_by_construction_count_in_full() {
        let skills_and = |more: &str| {
            request(&format!(
                r#"{{"queries": {{{more}"skills": {{"type": "IN",
                "value": {{"mandatory": ["Rust"], "core": [], "secondary": []}}}}}}}}"#
            ))
        };
        let r = skills_and(
            r#""current_employers.title": {"type": "IN", "value": ["Chef"]},
            "region": {"type": "IN", "value": ["Pune"]},"#,
        );
        // Skills 8 of 10, title 1, region 1.
        assert_eq!(tenths(&r, &[], "Chef"), 18);
        assert_eq!(tenths(&r, &skills(&["Rust"]), "Chef"), 50);
        // No title filter and no session title: the title does not count.
        assert_eq!(tenths(&skills_and(""), &skills(&["Rust"]), "Chef"), 50);
    }
}
