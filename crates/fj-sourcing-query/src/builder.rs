//! The typestate builder: filters in any order, `build()` only once a skill is given.

use std::fmt;
use std::marker::PhantomData;

use crate::fields::{self, Field, FieldId, OperatorOf, for_each_field, op_type, op_wire};
use crate::ops::{Eq, In, Range, Regex};
use crate::request::{BuildError, Details, Queries, SessionRequest, rules};
use crate::state::{HasSkills, NoSkills, SkillState};
use crate::value::{Bucket, FilterValue, Number};

impl SessionRequest {
    /// A builder holding this request's title, job description and filters, to change some of
    /// them and build again (every value is checked again by `build()`).
    ///
    /// ```
    /// use fj_sourcing_query::Session;
    ///
    /// let request = Session::builder().experience(1..=5).mandatory_skills(["C#"]).build()?;
    /// let wider = request.into_builder().experience(1..=8).build()?;
    /// assert_eq!(wider.skills().mandatory(), ["C#"]);
    /// # Ok::<(), fj_sourcing_query::BuildError>(())
    /// ```
    pub fn into_builder(self) -> SessionBuilder<HasSkills> {
        SessionBuilder {
            details: self.details,
            queries: self.queries,
            state: PhantomData,
        }
    }
}

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

/// The bound on [`SessionBuilder::build`]: only [`HasSkills`] satisfies it.
#[diagnostic::on_unimplemented(
    message = "`build()` needs at least one skill: this builder is `SessionBuilder<{Self}>`",
    label = "no skills bucket has been filled yet",
    note = "call `.mandatory_skills([..])`, `.core_skills([..])` or `.secondary_skills([..])` first; for a collection that may be empty, `.try_mandatory_skills(..)` (or `try_core_`/`try_secondary_`)"
)]
pub trait ReadyToBuild: SkillState {}
// `do_not_recommend`: without it rustc quotes this impl under the error ("the trait is
// implemented for `HasSkills`"), five lines that the note above already says better.
#[diagnostic::do_not_recommend]
impl ReadyToBuild for HasSkills {}

/// Builds a [`SessionRequest`]: filters in any order, `build()` only once a skill is given.
///
/// [`SessionBuilder`] has one type parameter, the skills state: [`NoSkills`] until one of
/// [`mandatory_skills`](SessionBuilder::mandatory_skills), [`core_skills`](SessionBuilder::core_skills)
/// or [`secondary_skills`](SessionBuilder::secondary_skills) is called, then [`HasSkills`]. Filter
/// setters (generated from the field table in [`crate::fields`]) keep the state as it is.
///
/// ```
/// use fj_sourcing_query::Session;
///
/// let request = Session::builder()
///     .region_in(["Pune, Maharashtra, India"])
///     .experience(1..=5)
///     .mandatory_skills(["C#"])
///     .build()?;
/// assert_eq!(request.skills().mandatory(), ["C#"]);
/// # Ok::<(), fj_sourcing_query::BuildError>(())
/// ```
///
/// Calling `build()` before any skill does not compile:
///
/// ```compile_fail
/// let request = fj_sourcing_query::Session::builder().region_in(["Pune"]).build();
/// ```
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
    /// `build()` rejects anything that is not an `http(s)` URL on `linkedin.com`. An empty URL
    /// means "no sample profile" (the API stores `""` for none): it is accepted and not sent.
    pub fn sample_profile_url(mut self, url: impl Into<String>) -> Self {
        self.details.sample_profile_url = rules::sample_profile_url(url.into());
        self
    }

    /// Sets any filter with its one allowed operator.
    ///
    /// ```
    /// use fj_sourcing_query::{fields, ops::{Eq, In, Range, Regex}, Session};
    ///
    /// let request = Session::builder()
    ///     .filter(fields::CountryRegion, Regex::new(["India"]))
    ///     .filter(fields::OpenToCards, Eq::new(["CAREER_INTEREST"]))
    ///     .filter(fields::YearFounded, Range::new(2000, 2010))
    ///     .filter(fields::Skills, In::skills(["C#"], ["Docker"], [] as [&str; 0]))
    ///     .build()?;
    /// assert_eq!(request.queries().len(), 4);
    /// # Ok::<(), fj_sourcing_query::BuildError>(())
    /// ```
    ///
    /// A wrong operator does not compile:
    ///
    /// ```compile_fail
    /// use fj_sourcing_query::{fields, ops::Range, Session};
    /// let builder = Session::builder().filter(fields::Region, Range::new(1, 5));
    /// ```
    // The bounds sit inline, not in a `where` clause: the wrong-operator error quotes the line
    // with the bound, and a `where` clause makes that quote three lines long instead of one.
    pub fn filter<F: Field, C: OperatorOf<F>>(
        mut self,
        _field: F,
        condition: C,
    ) -> SessionBuilder<C::After<S>> {
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
        self.queries.set_bucket(bucket, skills);
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
        let skills = rules::non_empty_bucket(bucket, skills)?;
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
    /// use fj_sourcing_query::Session;
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
    /// use fj_sourcing_query::Session;
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
    // One line, kept from rustfmt: the missing-skills error quotes the line with the bound, and
    // a `where` clause on its own lines makes that quote five lines instead of three.
    #[rustfmt::skip]
    pub fn build(self) -> Result<SessionRequest, BuildError> where S: ReadyToBuild {
        let request = SessionRequest {
            details: self.details,
            queries: self.queries,
        };
        rules::check(&request)?;
        Ok(request)
    }
}

/// One builder setter per row; the skills setters change the typestate, so they are written by
/// hand and the table only names them. Shared with the patch builder, whose `filter` returns
/// `Self` just as this one does for every filter but skills.
macro_rules! field_setter {
    (Skills, $marker:ident, $key:literal, $example:literal, $($setter:ident),+) => {};
    (Range, $marker:ident, $key:literal, $example:literal, $setter:ident) => {
        #[doc = concat!("Sets `", $key, "` (`RANGE`, both bounds included); see [`fields::", stringify!($marker), "`](crate::fields::", stringify!($marker), ").")]
        ///
        #[doc = concat!("Wire example: `", $example, "`. An inverted or non-finite range is reported by `build()`.")]
        pub fn $setter<T: Into<Number>>(self, range: ::std::ops::RangeInclusive<T>) -> Self {
            self.filter(fields::$marker, Range::from(range))
        }
    };
    ($op:ident, $marker:ident, $key:literal, $example:literal, $setter:ident) => {
        #[doc = concat!("Sets `", $key, "` (`", op_wire!($op), "`); see [`fields::", stringify!($marker), "`](crate::fields::", stringify!($marker), ").")]
        ///
        #[doc = concat!("Wire example: `", $example, "`. Empty lists and blank values are reported by `build()`.")]
        pub fn $setter<I>(self, values: I) -> Self
        where
            I: IntoIterator,
            I::Item: Into<String>,
        {
            self.filter(fields::$marker, <op_type!($op)>::new(values))
        }
    };
}

/// The filter setters of [`SessionBuilder`], one per row of the field table.
macro_rules! builder_setters {
    ($(
        $(#[doc = $doc:literal])+
        $marker:ident = $key:literal, $op:ident, $example:literal $(, $vocab:ident($filter_type:literal))? => $($setter:ident),+;
    )+) => {
        /// Filter setters, one per row of the field table.
        impl<S: SkillState> SessionBuilder<S> {
            $( field_setter!($op, $marker, $key, $example, $($setter),+); )+
        }
    };
}

pub(crate) use field_setter;

for_each_field!(builder_setters);

#[cfg(test)]
mod tests {
    use crate::ops::In;
    use crate::{BuildError, Session, fields};

    fn paths(result: Result<crate::SessionRequest, BuildError>) -> Vec<String> {
        match result {
            Ok(_) => Vec::new(),
            Err(err) => err.problems().iter().map(|p| p.path().to_owned()).collect(),
        }
    }

    #[test]
    fn a_value_set_again_replaces_the_earlier_one() {
        let fixed = Session::builder()
            .region_in([" "])
            .region_in(["Pune"])
            .mandatory_skills(["C#"])
            .build();
        assert_eq!(paths(fixed), Vec::<String>::new());
        let broken = Session::builder()
            .region_in(["Pune"])
            .region_in([" "])
            .mandatory_skills(["C#"])
            .build();
        assert_eq!(paths(broken), ["queries.region.value[0]"]);
    }

    #[test]
    fn each_bucket_replaces_its_earlier_value() {
        let fixed = Session::builder()
            .mandatory_skills([" "])
            .mandatory_skills(["C#"])
            .build();
        assert_eq!(paths(fixed), Vec::<String>::new());
        let broken = Session::builder()
            .mandatory_skills(["C#"])
            .core_skills(["\t"])
            .build();
        assert_eq!(paths(broken), ["queries.skills.value.core[0]"]);
        let empty = Session::builder()
            .filter(
                fields::Skills,
                In::skills([] as [&str; 0], [] as [&str; 0], [] as [&str; 0]),
            )
            .build();
        assert_eq!(paths(empty), ["queries.skills.value"]);
    }

    #[test]
    #[allow(clippy::reversed_empty_ranges)] // the inverted range is one of the problems
    fn problems_come_in_wire_order_whatever_the_setting_order() {
        let result = Session::builder()
            .title(" ")
            .year_founded(2010..=2000)
            .mandatory_skills([""])
            .region_in([""])
            .build();
        assert_eq!(
            paths(result),
            // The table's order puts `skills` fifth, before `region`.
            [
                "sessionTitle",
                "queries.skills.value.mandatory[0]",
                "queries.region.value[0]",
                "queries.year_founded.value",
            ]
        );
        // Details are checked even when every filter is fine.
        let result = Session::builder()
            .jd_text("")
            .mandatory_skills(["C#"])
            .build();
        assert_eq!(paths(result), ["jdDetail.userText"]);
    }
}
