//! Lenient field readers for response bodies whose shapes are only partly documented.

use std::borrow::Cow;
use std::fmt;

use serde::de::Visitor;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

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

/// [`string_of`] as a field deserializer.
pub(crate) fn lenient_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(string_of(Value::deserialize(d)?))
}

/// [`int_of`] as a field deserializer.
pub(crate) fn lenient_int<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(int_of(&Value::deserialize(d)?))
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
/// Each field is `pub name: Type = "wireName"`, optionally followed by `with reader` (a
/// `deserialize_with` function). Like the derive, a repeated key is an error and anything but
/// an object is refused with "expected struct Name".
macro_rules! lenient_struct {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(
                $(#[$field_meta:meta])*
                pub $field:ident: $ty:ty = $wire:literal $(with $with:path)? $(=> $nested:ident)?,
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
                <Self as $crate::model::de::DecodeInto>::decode_into(d, &mut out)?;
                Ok(out)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let mut out = <Self as $crate::model::de::DecodeInto>::empty();
                <Self as $crate::model::de::DecodeInto>::decode_into(d, &mut out)?;
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

            fn decode_into<'de, D: ::serde::Deserializer<'de>>(
                d: D,
                place: &mut Self,
            ) -> Result<(), D::Error> {
                struct ModelVisitor<'p>(&'p mut $name);
                impl<'de> ::serde::de::Visitor<'de> for ModelVisitor<'_> {
                    type Value = ();
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("struct ", stringify!($name)))
                    }
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> Result<(), A::Error> {
                        // Fields are read straight into their place, which starts with every
                        // field at its default (what a missing field gets), and `seen` has a bit
                        // per field to refuse duplicates. Nothing is returned through serde's
                        // layers (a `SourcingSession` is 800 bytes), and the function stays
                        // small: it runs on every answer, and its code competes for the
                        // instruction cache.
                        #[allow(non_camel_case_types)]
                        enum Field { $( $field, )* }
                        const _: () = assert!([$( stringify!($field), )*].len() <= 64);
                        let out = self.0;
                        let mut seen: u64 = 0;
                        while let Some($crate::model::de::Text(key)) = map.next_key()? {
                            match &*key {
                                $(
                                    $wire => {
                                        let bit = 1u64 << (Field::$field as u32);
                                        if seen & bit != 0 {
                                            return Err(<A::Error as ::serde::de::Error>::duplicate_field($wire));
                                        }
                                        seen |= bit;
                                        lenient_struct!(@read map, out.$field, $ty $(, with $with)? $(, $nested)?);
                                    }
                                )*
                                _ => {
                                    out.extra.insert(key.into_owned(), map.next_value()?);
                                }
                            }
                        }
                        Ok(())
                    }
                }
                d.deserialize_map(ModelVisitor(place))
            }
        }
    };
    (@read $map:ident, $place:expr, $ty:ty) => {
        $place = $crate::model::de::next_value::<A, $ty>(&mut $map)?
    };
    (@read $map:ident, $place:expr, $ty:ty, nested) => {
        $map.next_value_seed($crate::model::de::IntoOption(&mut $place))?
    };
    (@read $map:ident, $place:expr, $ty:ty, with $with:path) => {{
        struct With;
        impl<'de> ::serde::de::DeserializeSeed<'de> for With {
            type Value = $ty;
            fn deserialize<D: ::serde::Deserializer<'de>>(self, d: D) -> Result<$ty, D::Error> {
                $with(d)
            }
        }
        $place = $map.next_value_seed(With)?
    }};
}

pub(crate) use lenient_struct;

/// `map.next_value()`, kept out of line: the models' visitors read many fields of the same few
/// types, and one shared copy per type (instead of one inlined per field) keeps the decoder's
/// code small enough to stay in the instruction cache between two requests.
#[inline(never)]
pub(crate) fn next_value<'de, A, T>(map: &mut A) -> Result<T, A::Error>
where
    A: serde::de::MapAccess<'de>,
    T: serde::Deserialize<'de>,
{
    map.next_value()
}

/// Response data as the client decodes it: boxed, so that a large answer is not copied at each
/// of the decoder's returns on its way out.
pub(crate) trait Model: serde::de::DeserializeOwned {
    /// Decodes a value into a box. Models of `lenient_struct!` are decoded in the box itself.
    fn decode_boxed<'de, D: Deserializer<'de>>(d: D) -> Result<Box<Self>, D::Error> {
        Self::deserialize(d).map(Box::new)
    }
}

/// A model that can be decoded into a place that already holds its empty value.
pub(crate) trait DecodeInto: Sized {
    /// The value with every field absent.
    fn empty() -> Self;
    /// Decodes into `place`, which holds [`empty`](Self::empty).
    fn decode_into<'de, D: Deserializer<'de>>(d: D, place: &mut Self) -> Result<(), D::Error>;
}

/// Decodes an optional model into the field that keeps it (`null` is `None`, as for any
/// `Option`): a nested model is not returned through serde's layers either.
pub(crate) struct IntoOption<'p, T>(pub(crate) &'p mut Option<T>);

impl<'de, T: DecodeInto> serde::de::DeserializeSeed<'de> for IntoOption<'_, T> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de, T: DecodeInto> Visitor<'de> for IntoOption<'_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("option")
    }

    fn visit_none<E>(self) -> Result<(), E> {
        *self.0 = None;
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        *self.0 = None;
        Ok(())
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        T::decode_into(d, self.0.insert(T::empty()))
    }
}
