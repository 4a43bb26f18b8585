//! The typestate builder: filters in any order, `build()` only once a skill is given.
//!
//! [`SessionBuilder`] has one type parameter, the skills state: [`NoSkills`] until one of
//! [`mandatory_skills`](SessionBuilder::mandatory_skills), [`core_skills`](SessionBuilder::core_skills)
//! or [`secondary_skills`](SessionBuilder::secondary_skills) is called, then [`HasSkills`]. Filter
//! setters (generated from the field table in [`crate::fields`]) keep the state as it is.
//!
//! ```
//! use fj_sourcing::Session;
//!
//! let request = Session::builder()
//!     .region_in(["Pune, Maharashtra, India"])
//!     .experience(1..=5)
//!     .mandatory_skills(["C#"])
//!     .build()?;
//! assert_eq!(request.skills().mandatory(), ["C#"]);
//! # Ok::<(), fj_sourcing::BuildError>(())
//! ```
//!
//! Calling `build()` before any skill does not compile:
//!
//! ```compile_fail
//! let request = fj_sourcing::Session::builder().region_in(["Pune"]).build();
//! ```

use std::fmt;
use std::marker::PhantomData;

use crate::fields::{Field, FieldId, OperatorOf};
use crate::request::{Bucket, Details, FilterValue, Queries, SessionRequest, SkillBuckets};
use crate::validate::{self, BuildError, Problem, ProblemKind};

/// Entry point of the query DSL.
#[derive(Clone, Copy, Debug)]
pub struct Session;

impl Session {
    /// Starts a session request with no filters and no skills.
    pub fn builder() -> SessionBuilder<NoSkills> {
        SessionBuilder {
            details: Details::default(),
            queries: Queries::default(),
            state: PhantomData,
        }
    }
}

mod sealed {
    pub trait Sealed {}
}

/// Builder state: no skill given yet; `build()` is not available.
#[derive(Clone, Copy, Debug)]
pub struct NoSkills;

/// Builder state: at least one skills bucket is filled; `build()` is available.
#[derive(Clone, Copy, Debug)]
pub struct HasSkills;

/// The skills state of a [`SessionBuilder`]: [`NoSkills`] or [`HasSkills`]. Sealed.
pub trait SkillState: sealed::Sealed + fmt::Debug {}
impl sealed::Sealed for NoSkills {}
impl sealed::Sealed for HasSkills {}
impl SkillState for NoSkills {}
impl SkillState for HasSkills {}

/// The bound on [`SessionBuilder::build`]: only [`HasSkills`] satisfies it.
#[diagnostic::on_unimplemented(
    message = "`build()` needs at least one skill: this builder is `SessionBuilder<{Self}>`",
    label = "no skills bucket has been filled yet",
    note = "call `.mandatory_skills([..])`, `.core_skills([..])` or `.secondary_skills([..])` before `.build()`",
    note = "for a collection that may be empty, use `.try_mandatory_skills(..)` (and the `try_core_`/`try_secondary_` forms)"
)]
pub trait ReadyToBuild: SkillState {}
impl ReadyToBuild for HasSkills {}

/// Builds a [`SessionRequest`]; see the [module docs](self).
///
/// Setting the same filter or bucket twice replaces the earlier value.
#[must_use = "a builder does nothing until `build()` is called"]
pub struct SessionBuilder<S: SkillState = NoSkills> {
    details: Details,
    queries: Queries,
    state: PhantomData<fn() -> S>,
}

impl<S: SkillState> Clone for SessionBuilder<S> {
    fn clone(&self) -> Self {
        SessionBuilder {
            details: self.details.clone(),
            queries: self.queries.clone(),
            state: PhantomData,
        }
    }
}

impl<S: SkillState> fmt::Debug for SessionBuilder<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionBuilder")
            .field("state", &std::any::type_name::<S>().rsplit("::").next())
            .field("details", &self.details)
            .field("queries", &self.queries)
            .finish()
    }
}

impl<S: SkillState> SessionBuilder<S> {
    fn into_state<T: SkillState>(self) -> SessionBuilder<T> {
        SessionBuilder {
            details: self.details,
            queries: self.queries,
            state: PhantomData,
        }
    }

    /// Sets `sessionTitle`, the session's display name.
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.details.title = Some(title.into());
        self
    }

    /// Sets `jdDetail.userText`, the free-text job description.
    pub fn jd_text(mut self, text: impl Into<String>) -> Self {
        self.details.user_text = Some(text.into());
        self
    }

    /// Sets `jdDetail.sampleProfileURL`, a LinkedIn profile that anchors the search.
    ///
    /// `build()` rejects anything that is not an `http(s)` URL on `linkedin.com`, except the empty
    /// string, which means "no sample profile" (as in the API's own 201 answer) and clears it.
    pub fn sample_profile_url(mut self, url: impl Into<String>) -> Self {
        self.details.sample_profile_url = validate::sample_profile_url(url.into());
        self
    }

    /// Sets any filter with its one allowed operator.
    ///
    /// ```
    /// use fj_sourcing::{fields, ops::{Eq, In, Range, Regex}, Session};
    ///
    /// let request = Session::builder()
    ///     .filter(fields::CountryRegion, Regex::new(["India"]))
    ///     .filter(fields::OpenToCards, Eq::new(["CAREER_INTEREST"]))
    ///     .filter(fields::YearFounded, Range::new(2000, 2010))
    ///     .filter(fields::Skills, In::skills(["C#"], ["Docker"], [] as [&str; 0]))
    ///     .build()?;
    /// assert_eq!(request.queries().len(), 4);
    /// # Ok::<(), fj_sourcing::BuildError>(())
    /// ```
    ///
    /// A wrong operator does not compile:
    ///
    /// ```compile_fail
    /// use fj_sourcing::{fields, ops::Range, Session};
    /// let builder = Session::builder().filter(fields::Region, Range::new(1, 5));
    /// ```
    pub fn filter<F, C>(mut self, _field: F, condition: C) -> SessionBuilder<C::After<S>>
    where
        F: Field,
        C: OperatorOf<F>,
    {
        self.queries.set(F::ID, condition.into_value());
        self.into_state()
    }

    /// Sets a filter by run-time id; the annotation converter's way in, so that it needs no
    /// second table of keys. The caller has shaped `value` by `field.shape()`; the skills filter
    /// changes the typestate and goes through [`filter`](Self::filter) instead.
    pub(crate) fn with_value(mut self, field: FieldId, value: FilterValue) -> Self {
        debug_assert!(field != FieldId::Skills, "skills go through `filter`");
        self.queries.set(field, value);
        self
    }

    fn set_bucket(mut self, bucket: Bucket, skills: Vec<String>) -> SessionBuilder<HasSkills> {
        if let Some(FilterValue::Skills(buckets)) = self.queries.get_mut(FieldId::Skills) {
            *buckets.bucket_mut(bucket) = skills;
        } else {
            let mut buckets = SkillBuckets::default();
            *buckets.bucket_mut(bucket) = skills;
            self.queries
                .set(FieldId::Skills, FilterValue::Skills(buckets));
        }
        self.into_state()
    }

    fn try_set_bucket<I>(
        self,
        bucket: Bucket,
        skills: I,
    ) -> Result<SessionBuilder<HasSkills>, BuildError>
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        let skills: Vec<String> = skills.into_iter().map(Into::into).collect();
        if skills.is_empty() {
            return Err(BuildError::from(Problem::new(
                format!("queries.skills.value.{}", bucket.wire()),
                ProblemKind::Empty,
                "a skills bucket passed to a `try_*_skills` setter must list at least one skill"
                    .to_owned(),
            )));
        }
        Ok(self.set_bucket(bucket, skills))
    }

    /// Sets the `mandatory` skills bucket from a non-empty literal list.
    ///
    /// An empty literal (`[]`) does not compile; see [`try_mandatory_skills`](Self::try_mandatory_skills).
    pub fn mandatory_skills<const N: usize>(self, skills: [&str; N]) -> SessionBuilder<HasSkills> {
        const {
            assert!(
                N > 0,
                "a literal skills bucket must list at least one skill; use `try_mandatory_skills` for a collection that may be empty"
            )
        };
        self.set_bucket(Bucket::Mandatory, skills.map(String::from).into())
    }

    /// Sets the `core` skills bucket from a non-empty literal list.
    pub fn core_skills<const N: usize>(self, skills: [&str; N]) -> SessionBuilder<HasSkills> {
        const {
            assert!(
                N > 0,
                "a literal skills bucket must list at least one skill; use `try_core_skills` for a collection that may be empty"
            )
        };
        self.set_bucket(Bucket::Core, skills.map(String::from).into())
    }

    /// Sets the `secondary` skills bucket from a non-empty literal list.
    pub fn secondary_skills<const N: usize>(self, skills: [&str; N]) -> SessionBuilder<HasSkills> {
        const {
            assert!(
                N > 0,
                "a literal skills bucket must list at least one skill; use `try_secondary_skills` for a collection that may be empty"
            )
        };
        self.set_bucket(Bucket::Secondary, skills.map(String::from).into())
    }

    /// Sets the `mandatory` bucket from any collection; an empty one is an error.
    ///
    /// ```
    /// use fj_sourcing::Session;
    /// let from_config: Vec<String> = vec![];
    /// let err = Session::builder().try_mandatory_skills(from_config).unwrap_err();
    /// assert_eq!(err.problems()[0].path(), "queries.skills.value.mandatory");
    /// ```
    pub fn try_mandatory_skills<I>(self, skills: I) -> Result<SessionBuilder<HasSkills>, BuildError>
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.try_set_bucket(Bucket::Mandatory, skills)
    }

    /// Sets the `core` bucket from any collection; an empty one is an error.
    pub fn try_core_skills<I>(self, skills: I) -> Result<SessionBuilder<HasSkills>, BuildError>
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.try_set_bucket(Bucket::Core, skills)
    }

    /// Sets the `secondary` bucket from any collection; an empty one is an error.
    pub fn try_secondary_skills<I>(self, skills: I) -> Result<SessionBuilder<HasSkills>, BuildError>
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.try_set_bucket(Bucket::Secondary, skills)
    }

    /// Checks every value and returns the request, or every problem found, each with its wire path.
    ///
    /// ```
    /// use fj_sourcing::Session;
    ///
    /// let err = Session::builder()
    ///     .experience(5..=1)
    ///     .region_in(["  "])
    ///     .mandatory_skills(["C#"])
    ///     .build()
    ///     .unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "invalid session request: queries.years_of_experience_raw.value: range 5..=1 is inverted; \
    ///      queries.region.value[0]: must not be blank"
    /// );
    /// ```
    pub fn build(self) -> Result<SessionRequest, BuildError>
    where
        S: ReadyToBuild,
    {
        let request = SessionRequest {
            details: self.details,
            queries: self.queries,
        };
        validate::check(&request)?;
        Ok(request)
    }
}
