// The field table, one row per documented filter key. This file is `include!`d twice: by
// `fields.rs`, where the rows become types, impls and setters, and by the crate's `build.rs`,
// which writes the per-field wrong-operator diagnostics from the same rows (a diagnostic
// attribute takes only a literal, which no `macro_rules!` can assemble from a row).
//
// A row: doc comment, then `Marker = "wire key", Operator, "example value" => setter(s);`, with
// `, documented("t")` or `, reading("t")` before `=>` when Filters Autocomplete's `filter_type`
// `t` suggests the key's values: `documented` where the reference names the type (`region`,
// `skill`, `title`, `country_region`), `reading` where the type and its use for this key are
// our reading (the sandbox knows them; the API's own list is "etc.").

/// Calls `$callback! { rows }` with the whole table, so that other modules generate their code
/// from the same rows (the builder's and the patch builder's setters) without this module
/// importing them.
macro_rules! for_each_field {
    ($callback:ident) => {
        $callback! {
        /// Country or region of the candidate, matched as a pattern (`"(.)"`).
        CountryRegion = "country_region", Regex, r#"["India"]"#, documented("country_region") => country_region_matches;
        /// Open-to-work style signals the candidate shows (for example `CAREER_INTEREST`).
        OpenToCards = "open_to_cards", Eq, r#"["CAREER_INTEREST"]"# => open_to_cards_eq;
        /// Job title at a current employer.
        CurrentTitle = "current_employers.title", In, r#"[".NET Developer", "C# Developer", "Software Engineer", "Web Developer", "Application Developer", "Backend Developer"]"#, documented("title") => current_title_in;
        /// Total years of professional experience.
        YearsOfExperience = "years_of_experience_raw", Range, "[1, 5]" => experience;
        /// Skills in three buckets of decreasing weight; at least one skill is required in total.
        Skills = "skills", Skills, r#"{ "mandatory": ["C#", ".NET Core"], "core": ["ASP.NET MVC", "Web API", "SQL Server", "Entity Framework", "React", "Angular", "Docker"], "secondary": [] }"#, documented("skill") => mandatory_skills, core_skills, secondary_skills;
        /// Function category at a current employer (for example `Engineering`).
        CurrentFunction = "current_employers.function_category", In, r#"["Engineering"]"#, reading("function") => current_function_in;
        /// Seniority level at a current employer (for example `Senior`).
        CurrentSeniority = "current_employers.seniority_level", In, r#"["Senior"]"#, reading("seniority") => current_seniority_in;
        /// Name of a current employer.
        CurrentCompany = "current_employers.name", In, r#"["Tech Mahindra"]"#, reading("company") => current_company_in;
        /// Tenure bucket at the current company (for example `1 to 2 years`).
        YearsAtCurrentCompany = "current_employers.years_at_company", In, r#"["1 to 2 years"]"#, reading("years_at_company") => years_at_company_in;
        /// Region of the candidate; Filters Autocomplete (`filter_type=region`) suggests values.
        Region = "region", In, r#"["Pune, Maharashtra, India"]"#, documented("region") => region_in;
        /// Industries of any employer, current or past.
        Industry = "all_employers.company_industries", In, r#"["Software Development", "IT System Custom Software Development", "Design Services"]"#, reading("industry") => industry_in;
        /// Name of an educational institute.
        School = "education_background.institute_name", In, r#"["University of Mumbai"]"#, reading("school") => school_in;
        /// Field of study.
        FieldOfStudy = "education_background.field_of_study", In, r#"["Computer Science", "Information Technology", "related field"]"#, reading("field_of_study") => field_of_study_in;
        /// Degree (for example `BACHELORS`).
        Degree = "education_background.degree_name", In, r#"["BACHELORS"]"#, reading("degree") => degree_in;
        /// Name of a past employer.
        PastCompany = "past_employers.name", In, r#"["Infosys"]"#, reading("company") => past_company_in;
        /// Job title at a past employer.
        PastTitle = "past_employers.title", In, r#"["Software Developer"]"#, documented("title") => past_title_in;
        /// Type of the current company (for example `Public Company`).
        CompanyType = "current_employers.company_type", In, r#"["Public Company"]"# => company_type_in;
        /// Headquarters location of the current company.
        CompanyHqLocation = "current_employers.company_hq_location", In, r#"["Pune, Maharashtra, India"]"#, reading("region") => company_hq_location_in;
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
        EmploymentType = "current_employers.employment_type", In, r#"["Part-time", "Permanent"]"#, reading("employment_type") => employment_type_in;
        /// Headcount range bucket of the current company (for example `51-200`).
        CompanyHeadcountRange = "current_employers.company_headcount_range", In, r#"["51-200"]"# => company_headcount_range_in;
        }
    };
}
