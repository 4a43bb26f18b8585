//! Helpers shared by the DSL test files: set any filter by its run-time id, through its named
//! setter or through `filter(..)`. The matches are exhaustive, so adding a row to the field table
//! without a way to reach it here fails to compile.
#![allow(dead_code)]

use fj_sourcing::SkillState;
use fj_sourcing::fields::FieldId;
use fj_sourcing::ops::{Eq, In, Number, Range, Regex};
use fj_sourcing::{HasSkills, NoSkills, SessionBuilder, fields};

/// A value for one filter, shaped for its operator.
#[derive(Clone, Debug)]
pub enum Value {
    Strings(Vec<String>),
    Range(Number, Number),
    Skills(Vec<String>, Vec<String>, Vec<String>),
}

fn strings(v: &Value) -> Vec<String> {
    match v {
        Value::Strings(s) => s.clone(),
        other => panic!("expected strings, got {other:?}"),
    }
}

fn range(v: &Value) -> std::ops::RangeInclusive<Number> {
    match v {
        Value::Range(a, b) => *a..=*b,
        other => panic!("expected a range, got {other:?}"),
    }
}

/// Sets `id` through its named setter. Skills change the builder's state and have three
/// setters; callers set them with [`skills_via_setters`].
pub fn via_setter<S: SkillState>(
    b: SessionBuilder<S>,
    id: FieldId,
    v: &Value,
) -> SessionBuilder<S> {
    use FieldId::*;
    match id {
        Skills => panic!("skills change the state; use skills_via_setters"),
        CountryRegion => b.country_region_matches(strings(v)),
        OpenToCards => b.open_to_cards_eq(strings(v)),
        CurrentTitle => b.current_title_in(strings(v)),
        YearsOfExperience => b.experience(range(v)),
        CurrentFunction => b.current_function_in(strings(v)),
        CurrentSeniority => b.current_seniority_in(strings(v)),
        CurrentCompany => b.current_company_in(strings(v)),
        YearsAtCurrentCompany => b.years_at_company_in(strings(v)),
        Region => b.region_in(strings(v)),
        Industry => b.industry_in(strings(v)),
        School => b.school_in(strings(v)),
        FieldOfStudy => b.field_of_study_in(strings(v)),
        Degree => b.degree_in(strings(v)),
        PastCompany => b.past_company_in(strings(v)),
        PastTitle => b.past_title_in(strings(v)),
        CompanyType => b.company_type_in(strings(v)),
        CompanyHqLocation => b.company_hq_location_in(strings(v)),
        CompanyDescription => b.company_description_in(strings(v)),
        FundingStage => b.funding_stage_in(strings(v)),
        HeadcountGrowth => b.headcount_growth(range(v)),
        CompanyHeadcount => b.company_headcount(range(v)),
        AnnualRevenue => b.annual_revenue_eq(strings(v)),
        TotalFunding => b.total_funding_eq(strings(v)),
        YearFounded => b.year_founded(range(v)),
        RecentlyFunded => b.recently_funded_eq(strings(v)),
        Certification => b.certification_in(strings(v)),
        Honor => b.honor_in(strings(v)),
        GeoDistance => b.geo_distance_eq(strings(v)),
        EmploymentType => b.employment_type_in(strings(v)),
        CompanyHeadcountRange => b.company_headcount_range_in(strings(v)),
    }
}

/// Fills the non-empty buckets through the `try_*_skills` setters; `None` when all are empty
/// (the setters refuse an empty bucket, so such input can only go through `filter`).
pub fn skills_via_setters(
    b: SessionBuilder<NoSkills>,
    mandatory: &[String],
    core: &[String],
    secondary: &[String],
) -> Option<SessionBuilder<HasSkills>> {
    let mut filled = [mandatory, core, secondary]
        .into_iter()
        .enumerate()
        .filter(|(_, list)| !list.is_empty());
    let (bucket, list) = filled.next()?;
    let mut b = set_bucket(b, bucket, list);
    for (bucket, list) in filled {
        b = set_bucket(b, bucket, list);
    }
    Some(b)
}

fn set_bucket<S: SkillState>(
    b: SessionBuilder<S>,
    bucket: usize,
    list: &[String],
) -> SessionBuilder<HasSkills> {
    let list = list.to_vec();
    match bucket {
        0 => b.try_mandatory_skills(list),
        1 => b.try_core_skills(list),
        _ => b.try_secondary_skills(list),
    }
    .expect("non-empty bucket")
}

/// Sets `id` through `filter(fields::X, condition)`.
pub fn via_filter<S: SkillState>(
    b: SessionBuilder<S>,
    id: FieldId,
    v: &Value,
) -> SessionBuilder<S> {
    use FieldId::*;
    let r = |v: &Value| Range::from(range(v));
    match id {
        Skills => panic!("skills change the state; use via_setter"),
        CountryRegion => b.filter(fields::CountryRegion, Regex::new(strings(v))),
        OpenToCards => b.filter(fields::OpenToCards, Eq::new(strings(v))),
        CurrentTitle => b.filter(fields::CurrentTitle, In::new(strings(v))),
        YearsOfExperience => b.filter(fields::YearsOfExperience, r(v)),
        CurrentFunction => b.filter(fields::CurrentFunction, In::new(strings(v))),
        CurrentSeniority => b.filter(fields::CurrentSeniority, In::new(strings(v))),
        CurrentCompany => b.filter(fields::CurrentCompany, In::new(strings(v))),
        YearsAtCurrentCompany => b.filter(fields::YearsAtCurrentCompany, In::new(strings(v))),
        Region => b.filter(fields::Region, In::new(strings(v))),
        Industry => b.filter(fields::Industry, In::new(strings(v))),
        School => b.filter(fields::School, In::new(strings(v))),
        FieldOfStudy => b.filter(fields::FieldOfStudy, In::new(strings(v))),
        Degree => b.filter(fields::Degree, In::new(strings(v))),
        PastCompany => b.filter(fields::PastCompany, In::new(strings(v))),
        PastTitle => b.filter(fields::PastTitle, In::new(strings(v))),
        CompanyType => b.filter(fields::CompanyType, In::new(strings(v))),
        CompanyHqLocation => b.filter(fields::CompanyHqLocation, In::new(strings(v))),
        CompanyDescription => b.filter(fields::CompanyDescription, In::new(strings(v))),
        FundingStage => b.filter(fields::FundingStage, In::new(strings(v))),
        HeadcountGrowth => b.filter(fields::HeadcountGrowth, r(v)),
        CompanyHeadcount => b.filter(fields::CompanyHeadcount, r(v)),
        AnnualRevenue => b.filter(fields::AnnualRevenue, Eq::new(strings(v))),
        TotalFunding => b.filter(fields::TotalFunding, Eq::new(strings(v))),
        YearFounded => b.filter(fields::YearFounded, r(v)),
        RecentlyFunded => b.filter(fields::RecentlyFunded, Eq::new(strings(v))),
        Certification => b.filter(fields::Certification, In::new(strings(v))),
        Honor => b.filter(fields::Honor, In::new(strings(v))),
        GeoDistance => b.filter(fields::GeoDistance, Eq::new(strings(v))),
        EmploymentType => b.filter(fields::EmploymentType, In::new(strings(v))),
        CompanyHeadcountRange => b.filter(fields::CompanyHeadcountRange, In::new(strings(v))),
    }
}
