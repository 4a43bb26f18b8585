//! The patch builder: `Session::patch()`, every setter of the request builder, none required.

use crate::builder::{Session, field_setter};
use crate::fields::{self, Field, OperatorOf, for_each_field, op_type, op_wire};
use crate::ops::{Eq, In, Range, Regex};
use crate::request::{BuildError, Details, Queries, SessionPatch, rules};
use crate::value::{Bucket, Number};

impl Session {
    /// Starts a partial update for Update Session: nothing is required, and only what is set is
    /// sent (see [`SessionPatch`] for how skills and the server's merge rule meet).
    ///
    /// ```
    /// use fj_sourcing_query::{fields, ops::In, Session};
    ///
    /// let patch = Session::patch()
    ///     .filter(fields::Region, In::new(["Mumbai, Maharashtra, India"]))
    ///     .core_skills(["Docker"])
    ///     .build()?;
    /// assert_eq!(patch.queries().len(), 2);
    /// assert_eq!(patch.title(), None);
    /// # Ok::<(), fj_sourcing_query::BuildError>(())
    /// ```
    ///
    /// The operator check is the builder's: a wrong operator does not compile.
    ///
    /// ```compile_fail
    /// use fj_sourcing_query::{fields, ops::Range, Session};
    /// let patch = Session::patch().filter(fields::Region, Range::new(1, 5));
    /// ```
    pub fn patch() -> SessionPatchBuilder {
        SessionPatchBuilder::default()
    }
}

/// Builds a [`SessionPatch`]: the setters of [`SessionBuilder`](crate::SessionBuilder), all
/// optional. `build()` applies the request's value rules to what is set, and refuses a patch
/// that sets nothing.
#[must_use = "a builder does nothing until `build()` is called"]
#[derive(Clone, Debug, Default)]
pub struct SessionPatchBuilder {
    details: Details,
    queries: Queries,
}

impl SessionPatchBuilder {
    /// Sets `sessionTitle`.
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.details.title = Some(title.into());
        self
    }

    /// Sets `jdDetail.userText`.
    pub fn jd_text(mut self, text: impl Into<String>) -> Self {
        self.details.user_text = Some(text.into());
        self
    }

    /// Sets `jdDetail.sampleProfileURL`; an empty URL means "none" and sets nothing.
    pub fn sample_profile_url(mut self, url: impl Into<String>) -> Self {
        self.details.sample_profile_url = rules::sample_profile_url(url.into());
        self
    }

    /// Sets any filter with its one allowed operator: the bound of
    /// [`SessionBuilder::filter`](crate::SessionBuilder::filter), with the same compile error for
    /// a wrong operator. `filter(fields::Skills, In::skills(..))` sets all three buckets.
    pub fn filter<F: Field, C: OperatorOf<F>>(mut self, _field: F, condition: C) -> Self {
        self.queries.set(F::ID, condition.into_value());
        self
    }

    /// Sets the `mandatory` skills bucket from a non-empty literal list. Any bucket set in a
    /// patch sends the whole skills filter, unset buckets as `[]` (see [`SessionPatch`]).
    pub fn mandatory_skills<const N: usize>(self, skills: [&str; N]) -> Self {
        const {
            assert!(
                N > 0,
                "a literal skills bucket must list at least one skill; use `try_mandatory_skills` for a collection that may be empty"
            )
        };
        self.set_bucket(Bucket::Mandatory, skills.map(String::from).into())
    }

    /// Sets the `core` skills bucket from a non-empty literal list.
    pub fn core_skills<const N: usize>(self, skills: [&str; N]) -> Self {
        const {
            assert!(
                N > 0,
                "a literal skills bucket must list at least one skill; use `try_core_skills` for a collection that may be empty"
            )
        };
        self.set_bucket(Bucket::Core, skills.map(String::from).into())
    }

    /// Sets the `secondary` skills bucket from a non-empty literal list.
    pub fn secondary_skills<const N: usize>(self, skills: [&str; N]) -> Self {
        const {
            assert!(
                N > 0,
                "a literal skills bucket must list at least one skill; use `try_secondary_skills` for a collection that may be empty"
            )
        };
        self.set_bucket(Bucket::Secondary, skills.map(String::from).into())
    }

    /// Sets the `mandatory` bucket from any collection; an empty one is an error.
    pub fn try_mandatory_skills<I>(self, skills: I) -> Result<Self, BuildError>
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.try_set_bucket(Bucket::Mandatory, skills)
    }

    /// Sets the `core` bucket from any collection; an empty one is an error.
    pub fn try_core_skills<I>(self, skills: I) -> Result<Self, BuildError>
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.try_set_bucket(Bucket::Core, skills)
    }

    /// Sets the `secondary` bucket from any collection; an empty one is an error.
    pub fn try_secondary_skills<I>(self, skills: I) -> Result<Self, BuildError>
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.try_set_bucket(Bucket::Secondary, skills)
    }

    fn set_bucket(mut self, bucket: Bucket, skills: Vec<String>) -> Self {
        self.queries.set_bucket(bucket, skills);
        self
    }

    fn try_set_bucket<I>(self, bucket: Bucket, skills: I) -> Result<Self, BuildError>
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        let skills = rules::non_empty_bucket(bucket, skills)?;
        Ok(self.set_bucket(bucket, skills))
    }

    /// Checks every value that is set and returns the patch, or every problem found, each with
    /// its wire path.
    ///
    /// ```
    /// use fj_sourcing_query::Session;
    ///
    /// let err = Session::patch().experience(8..=4).build().unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "invalid session request: queries.years_of_experience_raw.value: range 8..=4 is inverted"
    /// );
    /// assert!(Session::patch().build().is_err(), "a patch must set something");
    /// ```
    pub fn build(self) -> Result<SessionPatch, BuildError> {
        rules::check_patch(&self.details, &self.queries)?;
        Ok(SessionPatch {
            details: self.details,
            queries: self.queries,
        })
    }
}

/// The filter setters of [`SessionPatchBuilder`]: the request builder's, from the same rows.
macro_rules! patch_setters {
    ($(
        $(#[doc = $doc:literal])+
        $marker:ident = $key:literal, $op:ident, $example:literal $(, $vocab:ident($filter_type:literal))? => $($setter:ident),+;
    )+) => {
        /// Filter setters, one per row of the field table.
        impl SessionPatchBuilder {
            $( field_setter!($op, $marker, $key, $example, $($setter),+); )+
        }
    };
}

for_each_field!(patch_setters);
