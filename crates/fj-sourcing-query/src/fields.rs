//! The field table: every documented filter key, written once.
//!
//! Each row of the single `field_table!` invocation below gives a filter's marker type, wire key,
//! operator, builder setter(s), an example value (as documented in the API reference) and its
//! docs. From that one row come:
//!
//! * the marker type (`fields::Region`, ...) and its [`Field`] impl fixing key and operator,
//! * the [`OperatorOf`] impl that lets [`SessionBuilder::filter`](crate::SessionBuilder::filter) take exactly that operator,
//! * the builder setter (`region_in`, `experience`, ...),
//! * the run-time [`FieldId`] used by the JSON validator and the sandbox,
//! * the rows of `docs/filters.md` (rendered from [`FieldId::ALL`]; a test keeps the file fresh).
//!
//! ```
//! use fj_sourcing_query::fields::{Field, FieldId, Region};
//! use fj_sourcing_query::ops::Operator;
//!
//! assert_eq!(Region::ID.key(), "region");
//! assert_eq!(FieldId::from_key("years_of_experience_raw").unwrap().operator(), Operator::Range);
//! assert_eq!(FieldId::ALL.len(), 31);
//! ```

use crate::ops::{Condition, Eq, In, Operator, Range, Regex};
use crate::value::SkillBuckets;

mod sealed {
    pub trait Sealed {}
}

/// A filter key known to the API: a marker type from this module.
///
/// Sealed; implemented only by the markers generated from the field table.
pub trait Field: sealed::Sealed + Copy {
    /// The run-time identity of this filter (wire key, operator, docs).
    const ID: FieldId;
    /// The one condition type this filter takes.
    type Op: Condition;
}

/// Implemented when condition `Self` is the one operator of filter `F`; the bound behind
/// [`SessionBuilder::filter`](crate::SessionBuilder::filter).
///
/// The bound sits on the condition (not the field) so that the compiler reports a wrong operator
/// with this trait's message instead of inferring the expected operator from the only impl.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not the operator of the `{F}` filter",
    label = "wrong operator for `{F}`",
    note = "every filter takes exactly one operator: the docs of `{F}` and docs/filters.md name it"
)]
pub trait OperatorOf<F: Field>: Condition {}

/// How a filter's `value` is shaped on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ValueShape {
    /// A non-empty array of non-blank strings (`IN`, `=`, `(.)`).
    Strings,
    /// A `[min, max]` pair of finite numbers (`RANGE`).
    Range,
    /// The skills object `{ mandatory, core, secondary }` of string arrays.
    SkillBuckets,
}

/// The condition type of an operator column.
macro_rules! op_type {
    (In) => { In };
    (Eq) => { Eq };
    (Regex) => { Regex };
    (Range) => { Range };
    (Skills) => { In<SkillBuckets> };
}

macro_rules! op_shape {
    (Range) => {
        ValueShape::Range
    };
    (Skills) => {
        ValueShape::SkillBuckets
    };
    ($other:ident) => {
        ValueShape::Strings
    };
}

/// The wire string of an operator column.
macro_rules! op_wire {
    (In) => {
        "IN"
    };
    (Eq) => {
        "="
    };
    (Regex) => {
        "(.)"
    };
    (Range) => {
        "RANGE"
    };
    (Skills) => {
        "IN"
    };
}

macro_rules! field_table {
    ($(
        $(#[doc = $doc:literal])+
        $marker:ident = $key:literal, $op:ident, $example:literal => $($setter:ident),+;
    )+) => {
        /// The run-time identity of a filter key: one variant per row of the field table.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum FieldId {
            $( $(#[doc = $doc])+ $marker, )+
        }

        impl FieldId {
            /// Every filter key, in the order of the API reference (and of the wire).
            pub const ALL: [FieldId; [$(FieldId::$marker),+].len()] = [$(FieldId::$marker),+];

            /// The JSON key under `queries`.
            pub const fn key(self) -> &'static str {
                match self { $(FieldId::$marker => $key,)+ }
            }

            /// The one operator this key takes.
            pub const fn operator(self) -> Operator {
                match self { $(FieldId::$marker => <op_type!($op) as Condition>::OPERATOR,)+ }
            }

            /// The shape of this key's `value`.
            pub const fn shape(self) -> ValueShape {
                match self { $(FieldId::$marker => op_shape!($op),)+ }
            }

            /// The marker type's name in [`crate::fields`].
            pub const fn marker(self) -> &'static str {
                match self { $(FieldId::$marker => stringify!($marker),)+ }
            }

            /// The [`SessionBuilder`](crate::SessionBuilder) setter(s) for this key.
            pub const fn setters(self) -> &'static [&'static str] {
                match self { $(FieldId::$marker => &[$(stringify!($setter)),+],)+ }
            }

            /// The example `value` from the API reference, as JSON.
            pub const fn example(self) -> &'static str {
                match self { $(FieldId::$marker => $example,)+ }
            }

            /// The documentation of this key (the marker type's doc comment).
            pub const fn doc(self) -> &'static str {
                match self { $(FieldId::$marker => concat!($($doc, "\n"),+),)+ }
            }

            /// The key whose wire name is `key`, if it is one of the documented filters.
            pub fn from_key(key: &str) -> Option<Self> {
                match key {
                    $($key => Some(FieldId::$marker),)+
                    _ => None,
                }
            }

            /// Position in [`FieldId::ALL`].
            pub const fn index(self) -> usize {
                self as usize
            }
        }

        $(
            $(#[doc = $doc])+
            ///
            #[doc = concat!("Wire key `", $key, "`, operator `", op_wire!($op), "`, example value `", $example, "`.")]
            #[doc = concat!("Builder: ", $("[`SessionBuilder::", stringify!($setter), "`](crate::SessionBuilder::", stringify!($setter), ") "),+, "or `filter(fields::", stringify!($marker), ", ..)`.")]
            #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
            pub struct $marker;

            impl sealed::Sealed for $marker {}

            impl Field for $marker {
                const ID: FieldId = FieldId::$marker;
                type Op = op_type!($op);
            }

            impl OperatorOf<$marker> for op_type!($op) {}
        )+

    };
}

/// Calls `$callback! { rows }` with the whole table, so that other modules generate their code
/// from the same rows (the builder's and the patch builder's setters) without this module
/// importing them.
macro_rules! for_each_field {
    ($callback:ident) => {
        $callback! {
        /// Country or region of the candidate, matched as a pattern (`"(.)"`).
        CountryRegion = "country_region", Regex, r#"["India"]"# => country_region_matches;
        /// Open-to-work style signals the candidate shows (for example `CAREER_INTEREST`).
        OpenToCards = "open_to_cards", Eq, r#"["CAREER_INTEREST"]"# => open_to_cards_eq;
        /// Job title at a current employer.
        CurrentTitle = "current_employers.title", In, r#"[".NET Developer", "C# Developer", "Software Engineer", "Web Developer", "Application Developer", "Backend Developer"]"# => current_title_in;
        /// Total years of professional experience.
        YearsOfExperience = "years_of_experience_raw", Range, "[1, 5]" => experience;
        /// Skills in three buckets of decreasing weight; at least one skill is required in total.
        Skills = "skills", Skills, r#"{ "mandatory": ["C#", ".NET Core"], "core": ["ASP.NET MVC", "Web API", "SQL Server", "Entity Framework", "React", "Angular", "Docker"], "secondary": [] }"# => mandatory_skills, core_skills, secondary_skills;
        /// Function category at a current employer (for example `Engineering`).
        CurrentFunction = "current_employers.function_category", In, r#"["Engineering"]"# => current_function_in;
        /// Seniority level at a current employer (for example `Senior`).
        CurrentSeniority = "current_employers.seniority_level", In, r#"["Senior"]"# => current_seniority_in;
        /// Name of a current employer.
        CurrentCompany = "current_employers.name", In, r#"["Tech Mahindra"]"# => current_company_in;
        /// Tenure bucket at the current company (for example `1 to 2 years`).
        YearsAtCurrentCompany = "current_employers.years_at_company", In, r#"["1 to 2 years"]"# => years_at_company_in;
        /// Region of the candidate; Filters Autocomplete (`filter_type=region`) suggests values.
        Region = "region", In, r#"["Pune, Maharashtra, India"]"# => region_in;
        /// Industries of any employer, current or past.
        Industry = "all_employers.company_industries", In, r#"["Software Development", "IT System Custom Software Development", "Design Services"]"# => industry_in;
        /// Name of an educational institute.
        School = "education_background.institute_name", In, r#"["University of Mumbai"]"# => school_in;
        /// Field of study.
        FieldOfStudy = "education_background.field_of_study", In, r#"["Computer Science", "Information Technology", "related field"]"# => field_of_study_in;
        /// Degree (for example `BACHELORS`).
        Degree = "education_background.degree_name", In, r#"["BACHELORS"]"# => degree_in;
        /// Name of a past employer.
        PastCompany = "past_employers.name", In, r#"["Infosys"]"# => past_company_in;
        /// Job title at a past employer.
        PastTitle = "past_employers.title", In, r#"["Software Developer"]"# => past_title_in;
        /// Type of the current company (for example `Public Company`).
        CompanyType = "current_employers.company_type", In, r#"["Public Company"]"# => company_type_in;
        /// Headquarters location of the current company.
        CompanyHqLocation = "current_employers.company_hq_location", In, r#"["Pune, Maharashtra, India"]"# => company_hq_location_in;
        /// Description keywords of the current company (for example `B2B Saas`).
        CompanyDescription = "current_employers.description", In, r#"["B2B Saas"]"# => company_description_in;
        /// Funding stage of the current company (for example `series_a`).
        FundingStage = "funding_stage", In, r#"["series_a"]"# => funding_stage_in;
        /// Headcount growth of the current company.
        HeadcountGrowth = "headcount_growth", Range, "[10, 20]" => headcount_growth;
        /// Latest headcount of the current company.
        CompanyHeadcount = "current_employers.company_headcount_latest", Range, "[10, 100]" => company_headcount;
        /// Annual revenue bucket of the current company (for example `1_10`).
        AnnualRevenue = "annual_revenue", Eq, r#"["1_10"]"# => annual_revenue_eq;
        /// Total funding bucket of the current company (for example `1_10`).
        TotalFunding = "total_funding", Eq, r#"["1_10"]"# => total_funding_eq;
        /// Year the current company was founded.
        YearFounded = "year_founded", Range, "[2000, 2010]" => year_founded;
        /// Recency of the current company's last funding round (for example `6m`).
        RecentlyFunded = "recently_funded", Eq, r#"["6m"]"# => recently_funded_eq;
        /// Name of a certification.
        Certification = "certifications.name", In, r#"["AWS Certified Cloud Practitioner"]"# => certification_in;
        /// Title of an honor or award.
        Honor = "honors.title", In, r#"["Dean's list"]"# => honor_in;
        /// Distance bucket around the region (for example `50_km`).
        GeoDistance = "geo_distance", Eq, r#"["50_km"]"# => geo_distance_eq;
        /// Employment type at a current employer (for example `Permanent`).
        EmploymentType = "current_employers.employment_type", In, r#"["Part-time", "Permanent"]"# => employment_type_in;
        /// Headcount range bucket of the current company (for example `51-200`).
        CompanyHeadcountRange = "current_employers.company_headcount_range", In, r#"["51-200"]"# => company_headcount_range_in;
        }
    };
}
pub(crate) use for_each_field;

pub(crate) use {op_type, op_wire};

for_each_field!(field_table);

/// The number of documented filter keys.
pub const FIELD_COUNT: usize = FieldId::ALL.len();
