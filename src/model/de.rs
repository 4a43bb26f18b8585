//! Lenient field readers for response bodies whose shapes are only partly documented.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeSeed, Error as _, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

/// A string, or any other JSON value as its JSON text; `null` is `None`.
pub(crate) fn string_of(value: Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s),
        other => Some(other.to_string()),
    }
}

/// An integer, or a string holding one; anything else is `None`.
pub(crate) fn int_of(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A value whose `null` means the same as absent: the type's default (an empty list, say).
pub(crate) fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// A map key or string, borrowed from the input when it has no escapes (serde's own `Cow<str>`
/// always copies).
pub(crate) struct Text<'de>(pub(crate) Cow<'de, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(s.to_owned())))
            }
            fn visit_string<E>(self, s: String) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(s)))
            }
        }
        d.deserialize_str(TextVisitor)
    }
}

/// A response model: a struct whose documented fields are all optional (absent means the
/// type's default) and whose other fields are kept in `extra`.
///
/// It generates the struct (serialized by serde's derive, `extra` flattened) and a
/// `Deserialize` that reads the object in one pass, putting unknown keys into `extra` as it
/// goes. serde's derive with `#[serde(flatten)]` would first buffer the whole object, nested
/// values included, in an intermediate tree and then read the fields from that: for the Create
/// answer that was most of the decoding work, and it lost the line and column of errors.
///
/// The reading itself is not generated: every model is read by the one [`ModelVisitor`], which
/// asks the model where a key goes ([`Fields::slot`], a `match` on the wire names) and reads it
/// by the kind of that place ([`Slot`]). A visitor per model, each with its own copies of
/// serde_json's map reading, made a Create answer run through seven times that code, and code
/// competes for the instruction cache with everything else a request does (docs/benchmarks.md,
/// section 1, round 5).
///
/// Each field is `pub name: Type = "wireName"`, optionally followed by `with Kind` (a [`Slot`]
/// variant other than the type's own, such as `LenientString`) or `=> nested` (a model inside
/// this one). Like the derive, a repeated key is an error and anything but an object is refused
/// with "expected struct Name".
macro_rules! lenient_struct {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(
                $(#[$field_meta:meta])*
                pub $field:ident: $ty:ty = $wire:literal $(with $with:ident)? $(=> $nested:ident)?,
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(::serde::Serialize)]
        #[non_exhaustive]
        pub struct $name {
            $(
                $(#[$field_meta])*
                #[serde(rename = $wire)]
                pub $field: $ty,
            )*
            /// Fields not listed above.
            #[serde(flatten)]
            pub extra: ::serde_json::Map<String, ::serde_json::Value>,
        }

        impl $crate::model::de::Model for $name {
            fn decode_boxed<'de, D: ::serde::Deserializer<'de>>(d: D) -> Result<Box<Self>, D::Error> {
                let mut out = Box::new(<Self as $crate::model::de::DecodeInto>::empty());
                $crate::model::de::decode_fields(d, &mut *out)?;
                Ok(out)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let mut out = <Self as $crate::model::de::DecodeInto>::empty();
                $crate::model::de::decode_fields(d, &mut out)?;
                Ok(out)
            }
        }

        impl $crate::model::de::DecodeInto for $name {
            fn empty() -> Self {
                $name {
                    $( $field: <$ty as Default>::default(), )*
                    extra: ::serde_json::Map::new(),
                }
            }
        }

        impl $crate::model::de::Fields for $name {
            fn expecting(&self) -> &'static str {
                concat!("struct ", stringify!($name))
            }

            fn slot(&mut self, key: &str) -> Option<(u32, &'static str, $crate::model::de::Slot<'_>)> {
                #[allow(non_camel_case_types)]
                enum Field { $( $field, )* }
                const _: () = assert!([$( stringify!($field), )*].len() <= 64);
                match key {
                    $(
                        $wire => Some((
                            Field::$field as u32,
                            $wire,
                            lenient_struct!(@slot self.$field $(, with $with)? $(, $nested)?),
                        )),
                    )*
                    _ => None,
                }
            }

            fn extra(&mut self) -> &mut ::serde_json::Map<String, ::serde_json::Value> {
                &mut self.extra
            }
        }
    };
    (@slot $place:expr) => {
        $crate::model::de::IntoSlot::slot(&mut $place)
    };
    (@slot $place:expr, nested) => {
        $crate::model::de::Slot::Nested(&mut $place)
    };
    (@slot $place:expr, with $with:ident) => {
        $crate::model::de::Slot::$with(&mut $place)
    };
}

pub(crate) use lenient_struct;

/// Where a field of a [`lenient_struct!`] model is read to, by kind: the model's
/// [`Fields::slot`] names the place, and [`read_slot`] holds the one copy of the reading code
/// for each kind, shared by every model.
pub(crate) enum Slot<'a> {
    /// A string; `null` is `None`.
    String(&'a mut Option<String>),
    /// A string, or any other JSON value as its JSON text ([`string_of`]).
    LenientString(&'a mut Option<String>),
    /// An unsigned integer; `null` is `None`.
    U64(&'a mut Option<u64>),
    /// A signed integer; `null` is `None`.
    I64(&'a mut Option<i64>),
    /// A boolean; `null` is `None`.
    Bool(&'a mut Option<bool>),
    /// A matching status; `null` is `None`.
    Status(&'a mut Option<super::ProfileMatchingStatus>),
    /// Any JSON value, `null` included.
    Value(&'a mut Value),
    /// Any JSON value; `null` is `None`.
    OptValue(&'a mut Option<Value>),
    /// A list of JSON values; `null` is `None`.
    Values(&'a mut Option<Vec<Value>>),
    /// A stored session's `queries`; `null` is `None`.
    Queries(&'a mut Option<std::collections::BTreeMap<String, super::QueryEcho>>),
    /// A model inside this one; `null` is `None`.
    Nested(&'a mut dyn NestedModel),
}

/// The [`Slot`] of a field type that has one of its own.
pub(crate) trait IntoSlot {
    /// The place of this field.
    fn slot(&mut self) -> Slot<'_>;
}

macro_rules! into_slot {
    ($($ty:ty => $kind:ident,)*) => {$(
        impl IntoSlot for $ty {
            fn slot(&mut self) -> Slot<'_> {
                Slot::$kind(self)
            }
        }
    )*};
}

into_slot! {
    Option<String> => String,
    Option<u64> => U64,
    Option<i64> => I64,
    Option<bool> => Bool,
    Option<super::ProfileMatchingStatus> => Status,
    Value => Value,
    Option<Value> => OptValue,
    Option<Vec<Value>> => Values,
    Option<std::collections::BTreeMap<String, super::QueryEcho>> => Queries,
}

/// A [`lenient_struct!`] model as the shared [`ModelVisitor`] sees it.
pub(crate) trait Fields {
    /// What the model is, for "expected ...": `struct Name`.
    fn expecting(&self) -> &'static str;
    /// Where `key` goes: the field's index (below 64, for the duplicate check), its wire name and
    /// its place; `None` for a key the model does not list.
    fn slot(&mut self, key: &str) -> Option<(u32, &'static str, Slot<'_>)>;
    /// Where unlisted keys go.
    fn extra(&mut self) -> &mut Map<String, Value>;
}

/// A model that can be decoded into a place that already holds its empty value.
pub(crate) trait DecodeInto: Fields + Sized {
    /// The value with every field absent.
    fn empty() -> Self;
}

/// An optional model field, seen without its type: [`Slot::Nested`].
pub(crate) trait NestedModel {
    /// Sets the field to the model's empty value and returns it, to be read into.
    fn fill(&mut self) -> &mut dyn Fields;
    /// Sets the field to `None` (`null`).
    fn clear(&mut self);
}

impl<T: DecodeInto> NestedModel for Option<T> {
    fn fill(&mut self) -> &mut dyn Fields {
        self.insert(T::empty())
    }

    fn clear(&mut self) {
        *self = None;
    }
}

/// Decodes an object into `place`, which holds its model's empty value.
pub(crate) fn decode_fields<'de, D: Deserializer<'de>>(
    d: D,
    place: &mut dyn Fields,
) -> Result<(), D::Error> {
    d.deserialize_map(ModelVisitor(place))
}

/// Reads any [`lenient_struct!`] model: fields straight into their place, which starts with
/// every field at its default (what a missing field gets), and a bit per field in `seen` to
/// refuse duplicates. Nothing is returned through serde's layers (a `SourcingSession` is 800
/// bytes).
struct ModelVisitor<'p>(&'p mut dyn Fields);

impl<'de> Visitor<'de> for ModelVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.expecting())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let out = self.0;
        let mut seen: u64 = 0;
        while let Some(Text(key)) = map.next_key()? {
            match out.slot(&key) {
                Some((index, wire, slot)) => {
                    let bit = 1u64 << index;
                    if seen & bit != 0 {
                        return Err(A::Error::duplicate_field(wire));
                    }
                    seen |= bit;
                    read_slot(&mut map, slot)?;
                }
                None => {
                    let value = map.next_value()?;
                    out.extra().insert(key.into_owned(), value);
                }
            }
        }
        Ok(())
    }
}

/// Reads the next value into `slot`: one arm per kind of field, for every model.
fn read_slot<'de, A: MapAccess<'de>>(map: &mut A, slot: Slot<'_>) -> Result<(), A::Error> {
    match slot {
        Slot::String(place) => *place = map.next_value()?,
        Slot::LenientString(place) => *place = string_of(map.next_value()?),
        Slot::U64(place) => *place = map.next_value()?,
        Slot::I64(place) => *place = map.next_value()?,
        Slot::Bool(place) => *place = map.next_value()?,
        Slot::Status(place) => *place = map.next_value()?,
        Slot::Value(place) => *place = map.next_value()?,
        Slot::OptValue(place) => *place = map.next_value()?,
        Slot::Values(place) => *place = map.next_value()?,
        Slot::Queries(place) => *place = map.next_value()?,
        Slot::Nested(place) => map.next_value_seed(IntoOption(place))?,
    }
    Ok(())
}

/// Decodes an optional model into the field that keeps it (`null` is `None`, as for any
/// `Option`): a nested model is not returned through serde's layers either.
struct IntoOption<'p>(&'p mut dyn NestedModel);

impl<'de> DeserializeSeed<'de> for IntoOption<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for IntoOption<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("option")
    }

    fn visit_none<E>(self) -> Result<(), E> {
        self.0.clear();
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        self.0.clear();
        Ok(())
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        decode_fields(d, self.0.fill())
    }
}

/// Response data as the client decodes it: boxed, so that a large answer is not copied at each
/// of the decoder's returns on its way out.
pub(crate) trait Model: serde::de::DeserializeOwned {
    /// Decodes a value into a box. Models of `lenient_struct!` are decoded in the box itself.
    fn decode_boxed<'de, D: Deserializer<'de>>(d: D) -> Result<Box<Self>, D::Error> {
        Self::deserialize(d).map(Box::new)
    }
}
