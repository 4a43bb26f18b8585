//! A valid Create body, read without copying its strings: for `fj-sandbox`'s Create.
//!
//! A parsed [`SessionRequest`] owns every string in a heap block of its own (17 blocks for the
//! reference's body, most of them short strings), which the sandbox only copies into its answer
//! and frees again. [`BorrowedRequest`] holds slices of the body instead, and decoded text only
//! for strings with escapes. The fast reader (`fast.rs`) builds it and runs the same value rules
//! as on any request ([`rules`]), so it accepts exactly what [`SessionRequest::from_slice`]
//! accepts; what it refuses, the raw view reads again and explains, as for `from_slice`.

use std::borrow::Cow;

use super::parse::{Mode, parse_json_raw};
use super::path::QUERIES;
use super::{BuildError, Details, Problems, Queries, SessionRequest, rules};
use crate::fields::{FIELD_COUNT, FieldId, ValueShape};
use crate::ops::Range;
use crate::value::{FilterValue, SkillBuckets};

/// A valid Create body whose strings borrow from the body where they can.
///
/// Every string is a `Cow`: `Cow::Borrowed` only for the text between the quotes of a string
/// literal without escapes, which therefore holds no `"`, `\` or control character and is
/// written back into JSON as it is; `Cow::Owned` for a string that had escapes (decoded), or for
/// every string of a request the raw view had to read. Accessors give the values
/// [`SessionRequest`]'s accessors give for the same body.
#[derive(Debug)]
pub struct BorrowedRequest<'a> {
    pub(crate) title: Option<Cow<'a, str>>,
    pub(crate) user_text: Option<Cow<'a, str>>,
    /// `None` for an empty URL, as in [`SessionRequest::sample_profile_url`].
    pub(crate) sample_profile_url: Option<Cow<'a, str>>,
    /// The strings of every list, one list after another: one heap block for all of them.
    pub(crate) strings: Vec<Cow<'a, str>>,
    /// Bit `i` is set when the field of index `i` is: the few set filters are found without
    /// looking at every slot.
    set: u32,
    /// One slot per field, in wire order, pointing into `strings` or `ranges`. Kept small
    /// (ranges out of line): the request is moved a few times on its way to the sandbox.
    slots: [Slot; FIELD_COUNT],
    ranges: [Range; RANGE_FIELDS],
    range_count: u8,
}

const _: () = assert!(FIELD_COUNT <= 32, "one bit per field in `set`");

/// How many fields take a range: at most one range each, as a field is set at most once.
const RANGE_FIELDS: usize = {
    let mut count = 0;
    let mut i = 0;
    while i < FIELD_COUNT {
        if matches!(FieldId::ALL[i].shape(), ValueShape::Range) {
            count += 1;
        }
        i += 1;
    }
    count
};

/// A filter's value: where its strings are in `strings`, or its range.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Slot {
    Unset,
    /// `strings[start..end]`.
    Values(u32, u32),
    /// `ranges[i]`.
    Range(u8),
    /// The starts of `mandatory`, `core` and `secondary` and the end of `secondary`.
    Skills([u32; 4]),
}

/// The value of one filter of a [`BorrowedRequest`].
#[derive(Clone, Copy, Debug)]
pub enum BorrowedValue<'r, 'a> {
    /// A list of strings (`IN`, `=`, `(.)` filters).
    Values(&'r [Cow<'a, str>]),
    /// A `[min, max]` range.
    Range(Range),
    /// The skills buckets `mandatory`, `core` and `secondary`.
    Skills([&'r [Cow<'a, str>]; 3]),
}

impl<'a> BorrowedRequest<'a> {
    pub(crate) fn new() -> Self {
        BorrowedRequest {
            title: None,
            user_text: None,
            sample_profile_url: None,
            // Enough for the reference's body (12 list strings) without growing.
            strings: Vec::with_capacity(16),
            set: 0,
            slots: [Slot::Unset; FIELD_COUNT],
            ranges: [Range::new(0, 0); RANGE_FIELDS],
            range_count: 0,
        }
    }

    /// Whether filter `field` is set.
    pub(crate) fn is_set(&self, field: FieldId) -> bool {
        self.set & (1 << field.index()) != 0
    }

    /// Sets filter `field` (which is not set yet) to `slot`.
    pub(crate) fn set(&mut self, field: FieldId, slot: Slot) {
        self.set |= 1 << field.index();
        self.slots[field.index()] = slot;
    }

    /// A range, for a [`Slot::Range`]; `None` when every range field has one already (which
    /// [`set`](Self::set) can then not be given).
    pub(crate) fn push_range(&mut self, range: Range) -> Option<Slot> {
        let at = self.range_count;
        *self.ranges.get_mut(usize::from(at))? = range;
        self.range_count += 1;
        Some(Slot::Range(at))
    }

    /// `sessionTitle`.
    pub fn title(&self) -> Option<&Cow<'a, str>> {
        self.title.as_ref()
    }

    /// `jdDetail.userText`.
    pub fn jd_text(&self) -> Option<&Cow<'a, str>> {
        self.user_text.as_ref()
    }

    /// `jdDetail.sampleProfileURL` (`None` when empty).
    pub fn sample_profile_url(&self) -> Option<&Cow<'a, str>> {
        self.sample_profile_url.as_ref()
    }

    /// The value of filter `field`, if set.
    pub fn get(&self, field: FieldId) -> Option<BorrowedValue<'_, 'a>> {
        self.value(self.slots[field.index()])
    }

    /// The set filters, in wire order.
    pub fn filters(&self) -> impl Iterator<Item = (FieldId, BorrowedValue<'_, 'a>)> {
        let mut set = self.set;
        std::iter::from_fn(move || {
            if set == 0 {
                return None;
            }
            let index = set.trailing_zeros() as usize;
            set &= set - 1;
            let field = FieldId::ALL[index];
            Some((field, self.value(self.slots[index])?))
        })
    }

    fn value(&self, slot: Slot) -> Option<BorrowedValue<'_, 'a>> {
        let list = |start: u32, end: u32| &self.strings[start as usize..end as usize];
        Some(match slot {
            Slot::Unset => return None,
            Slot::Values(start, end) => BorrowedValue::Values(list(start, end)),
            Slot::Range(i) => BorrowedValue::Range(self.ranges[usize::from(i)]),
            Slot::Skills([mandatory, core, secondary, end]) => BorrowedValue::Skills([
                list(mandatory, core),
                list(core, secondary),
                list(secondary, end),
            ]),
        })
    }

    /// Whether the value rules hold: the same rules, in the same code, as for a
    /// [`SessionRequest`] (`rules::check`).
    pub(crate) fn is_valid(&self) -> bool {
        let mut problems = Problems::default();
        rules::check_details(
            self.title.as_deref(),
            self.user_text.as_deref(),
            self.sample_profile_url.as_deref(),
            &mut problems,
        );
        for (field, value) in self.filters() {
            let filter = QUERIES.key(field.key());
            let path = filter.key("value");
            match value {
                BorrowedValue::Values(values) => {
                    rules::check_values_list(values, path, &mut problems);
                }
                BorrowedValue::Range(range) => rules::check_range(&range, path, &mut problems),
                BorrowedValue::Skills([mandatory, core, secondary]) => rules::check_buckets(
                    [
                        ("mandatory", mandatory),
                        ("core", core),
                        ("secondary", secondary),
                    ],
                    path,
                    &mut problems,
                ),
            }
        }
        rules::check_skills_given(self.is_set(FieldId::Skills), &mut problems);
        problems.0.is_empty()
    }

    /// The owned request: equal to what [`SessionRequest::from_slice`] gives for the body.
    pub fn into_request(self) -> SessionRequest {
        let mut strings: Vec<Option<String>> = self
            .strings
            .into_iter()
            .map(|s| Some(s.into_owned()))
            .collect();
        let mut list = |start: u32, end: u32| -> Vec<String> {
            strings[start as usize..end as usize]
                .iter_mut()
                .map(|s| s.take().expect("each string belongs to one list"))
                .collect()
        };
        let mut queries = Queries::default();
        for (field, slot) in FieldId::ALL.iter().zip(self.slots) {
            let value = match slot {
                Slot::Unset => continue,
                Slot::Values(start, end) => FilterValue::Values(list(start, end)),
                Slot::Range(i) => FilterValue::Range(self.ranges[usize::from(i)]),
                Slot::Skills([mandatory, core, secondary, end]) => {
                    FilterValue::Skills(SkillBuckets::new(
                        list(mandatory, core),
                        list(core, secondary),
                        list(secondary, end),
                    ))
                }
            };
            queries.set(*field, value);
        }
        SessionRequest {
            details: Details {
                title: self.title.map(Cow::into_owned),
                user_text: self.user_text.map(Cow::into_owned),
                sample_profile_url: self.sample_profile_url.map(Cow::into_owned),
            },
            queries,
        }
    }

    /// A request the raw view accepted, with every string owned.
    fn from_request(request: SessionRequest) -> BorrowedRequest<'static> {
        let mut borrowed = BorrowedRequest::new();
        let SessionRequest { details, queries } = request;
        borrowed.title = details.title.map(Cow::Owned);
        borrowed.user_text = details.user_text.map(Cow::Owned);
        borrowed.sample_profile_url = details.sample_profile_url.map(Cow::Owned);
        for (field, value) in queries.iter() {
            let strings = &mut borrowed.strings;
            let start = strings.len() as u32;
            let mut push = |list: &[String]| {
                strings.extend(list.iter().cloned().map(Cow::Owned));
                strings.len() as u32
            };
            let slot = match value {
                FilterValue::Values(values) => Slot::Values(start, push(values)),
                FilterValue::Range(range) => borrowed
                    .push_range(*range)
                    .expect("at most one range per range field"),
                FilterValue::Skills(skills) => {
                    let core = push(skills.mandatory());
                    let secondary = push(skills.core());
                    Slot::Skills([start, core, secondary, push(skills.secondary())])
                }
            };
            borrowed.set(field, slot);
        }
        borrowed
    }
}

/// Parses and validates a Create body as [`SessionRequest::from_slice`] does (the same
/// acceptance, the same problems), borrowing its strings where it can.
pub fn read(json: &[u8]) -> Result<BorrowedRequest<'_>, BuildError> {
    let mut request = BorrowedRequest::new();
    if super::fast::read_into(json, &mut request).is_some() {
        return Ok(request);
    }
    // The fast reader gave up: the raw view explains why, or (should the two readers ever
    // disagree) reads the request, so that the answer is still `from_slice`'s.
    let (details, queries) = parse_json_raw(json, Mode::Create)?;
    Ok(BorrowedRequest::from_request(SessionRequest {
        details,
        queries,
    }))
}
