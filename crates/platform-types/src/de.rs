//! Lenient decoding of the wire objects (contract §2): any field may be absent or `null`, unknown
//! fields are ignored.
//!
//! The objects the console reads implement `Deserialize` through [`decode_object!`] rather than
//! `#[derive(Deserialize)]`. For each struct the derive also writes a decoder from a JSON array
//! (a second copy of every field's decoding), a key matcher for byte strings and numbers, and a
//! wrapper type per `deserialize_with` field, and the console's wasm carried all of it
//! (docs/performance.md, "The decoder").
//! Here a struct's decoder is one `visit_map`; matching a key to its field is one non-generic
//! function; only reading a field's value is generic, once per field type.

use std::fmt;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

/// Implements `Deserialize` for a wire object: starting from the struct's `Default`, each field
/// the object names is read, `lenient` ones with `null` as their default, `strict` ones by their
/// own type (an `Option`, a type with its own reading of `null`, or a required id, for which
/// `null` is an error). Unknown fields are skipped; a repeated field keeps its last value, as a
/// map would. Only a JSON object is accepted.
macro_rules! decode_object {
    ($ty:ident, $expecting:literal, { $($field:ident: $how:ident),+ $(,)? }) => {
        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct Fields;
                impl<'de> ::serde::de::Visitor<'de> for Fields {
                    type Value = $ty;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter) -> ::std::fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> Result<$ty, A::Error> {
                        const NAMES: &[&str] = &[$(stringify!($field)),+];
                        let mut out = <$ty>::default();
                        let mut from = 0;
                        while let Some(at) =
                            map.next_key_seed($crate::de::FieldIndex { names: NAMES, from })?
                        {
                            if at < NAMES.len() {
                                from = at + 1;
                            }
                            let mut i = 0;
                            $(
                                if at == i {
                                    $crate::de::$how(&mut map, &mut out.$field)?;
                                    continue;
                                }
                                i += 1;
                            )+
                            debug_assert_eq!(i, NAMES.len());
                            map.next_value::<::serde::de::IgnoredAny>()?;
                        }
                        Ok(out)
                    }
                }
                d.deserialize_map(Fields)
            }
        }
    };
}
pub(crate) use decode_object;

/// Reads an object's key as its place in `names` (their count when it is none of them). The
/// search starts at `from` (at most the count), the place after the field before: the platform
/// sends the fields in the order they are declared, so the first name compared is nearly always
/// the one.
pub(crate) struct FieldIndex {
    pub names: &'static [&'static str],
    pub from: usize,
}

impl<'de> DeserializeSeed<'de> for FieldIndex {
    type Value = usize;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for FieldIndex {
    type Value = usize;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a field name")
    }
    fn visit_str<E>(self, name: &str) -> Result<usize, E> {
        let count = self.names.len();
        Ok((self.from..count)
            .chain(0..self.from)
            .find(|&i| self.names[i] == name)
            .unwrap_or(count))
    }
}

/// Reads the next value into `slot`, `null` as the type's default.
pub(crate) fn lenient<'de, A, T>(map: &mut A, slot: &mut T) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Default + Deserialize<'de>,
{
    *slot = map.next_value::<Option<T>>()?.unwrap_or_default();
    Ok(())
}

/// Reads the next value into `slot` by its type's own rules.
pub(crate) fn strict<'de, A, T>(map: &mut A, slot: &mut T) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    *slot = map.next_value()?;
    Ok(())
}

/// Reads the next value into `slot` as a list of `T` objects: an item that is not an object is
/// skipped, and a value that is not a list (`null`, an object, a string…) reads as `None`. For a
/// member that only adds detail (an error's `details`), so that its shape never costs the rest.
pub(crate) fn objects_if_list<'de, A, T>(
    map: &mut A,
    slot: &mut Option<Vec<T>>,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de> + Shape,
{
    *slot = map
        .next_value::<ShapeOr<Vec<ShapeOr<T>>>>()?
        .0
        .map(|items| items.into_iter().filter_map(|i| i.0).collect());
    Ok(())
}

/// Visits of the given scalars that skip them, each giving `$none`.
macro_rules! skip_scalars {
    ($none:expr; $($visit:ident($t:ty)),*) => {
        $(fn $visit<E>(self, _: $t) -> Result<Self::Value, E> {
            Ok($none)
        })*
    };
}

/// Reads the next value into `slot` if it is a string, else `""` with the value skipped: for the
/// text of a member that only adds detail, so that its type never costs the rest.
pub(crate) fn text_or_skip<'de, A>(map: &mut A, slot: &mut String) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
{
    *slot = map.next_value::<TextOrSkip>()?.0;
    Ok(())
}

/// Reads the next value into `slot` as a key's status if it is a string, else as no status: for
/// an answer in which the status only adds detail (the secrets'), so that its type never costs
/// what the answer carries.
pub(crate) fn status_or_skip<'de, A>(
    map: &mut A,
    slot: &mut crate::KeyStatus,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
{
    *slot = crate::KeyStatus::parse(&map.next_value::<TextOrSkip>()?.0);
    Ok(())
}

struct TextOrSkip(String);

impl<'de> Deserialize<'de> for TextOrSkip {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Text;
        impl<'de> Visitor<'de> for Text {
            type Value = TextOrSkip;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any value")
            }
            fn visit_str<E>(self, s: &str) -> Result<TextOrSkip, E> {
                Ok(TextOrSkip(s.to_owned()))
            }
            skip_scalars!(
                TextOrSkip(String::new());
                visit_bool(bool),
                visit_i64(i64),
                visit_u64(u64),
                visit_f64(f64),
                visit_bytes(&[u8])
            );
            fn visit_unit<E>(self) -> Result<TextOrSkip, E> {
                Ok(TextOrSkip(String::new()))
            }
            fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<TextOrSkip, S::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(TextOrSkip(String::new()))
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<TextOrSkip, M::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(TextOrSkip(String::new()))
            }
        }
        d.deserialize_any(Text)
    }
}

/// A `T` if the value has the shape `T` reads (a list for a `Vec`, an object otherwise), else
/// `None` with the value skipped. Only the shape is looked at: a list or an object of the right
/// shape whose content `T` refuses is still an error.
struct ShapeOr<T>(Option<T>);

/// Which JSON shape a type reads.
pub(crate) trait Shape {
    const LIST: bool;
}

impl<T> Shape for Vec<T> {
    const LIST: bool = true;
}

impl Shape for crate::FieldError {
    const LIST: bool = false;
}

impl<'de, T: Deserialize<'de> + Shape> Deserialize<'de> for ShapeOr<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ShapeVisitor(std::marker::PhantomData))
    }
}

struct ShapeVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de> + Shape> Visitor<'de> for ShapeVisitor<T> {
    type Value = ShapeOr<T>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }
    // Scalars are never the shape looked for.
    skip_scalars!(
        ShapeOr(None);
        visit_bool(bool),
        visit_i64(i64),
        visit_u64(u64),
        visit_f64(f64),
        visit_str(&str),
        visit_bytes(&[u8])
    );
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(ShapeOr(None))
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(ShapeOr(None))
    }
    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<Self::Value, S::Error> {
        if T::LIST {
            return T::deserialize(SeqAccessDeserializer::new(seq)).map(|t| ShapeOr(Some(t)));
        }
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(ShapeOr(None))
    }
    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
        if !T::LIST {
            return T::deserialize(MapAccessDeserializer::new(map)).map(|t| ShapeOr(Some(t)));
        }
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(ShapeOr(None))
    }
}

/// Deserialises `null` as the type's default (for the generic envelope, which is derived).
pub(crate) fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// The first of `names` that is not empty, else "" (what a display name falls back through).
pub(crate) fn first_filled<const N: usize>(names: [&String; N]) -> &str {
    names
        .into_iter()
        .find(|s| !s.is_empty())
        .map_or("", String::as_str)
}

#[cfg(test)]
mod tests {
    use crate::{ApiKey, ApiKeys, Ref};

    #[test]
    fn lenient_fields_read_null_and_absence_as_default() {
        let r: Ref = serde_json::from_str(r#"{"id":null,"label":"L"}"#).unwrap();
        assert_eq!(
            r,
            Ref {
                label: "L".into(),
                ..Ref::default()
            }
        );
        let list: ApiKeys = serde_json::from_str(r#"{"api_keys":null,"insights":null}"#).unwrap();
        assert_eq!(list, ApiKeys::default());
    }

    #[test]
    fn strict_fields_keep_their_own_rules() {
        let err = serde_json::from_str::<ApiKey>(r#"{"id":null}"#).unwrap_err();
        assert!(err.to_string().contains("expected a string"), "{err}");
        let key: ApiKey =
            serde_json::from_str(r#"{"id":"apikey--1","created_by":null,"status":null}"#).unwrap();
        assert_eq!(key.created_by, None);
        assert_eq!(key.status.as_str(), "", "status reads null its own way");
    }

    #[test]
    fn unknown_fields_are_skipped_and_a_repeated_one_keeps_its_last_value() {
        let r: Ref = serde_json::from_str(
            r#"{"name":"first","extra":{"deep":[1,{"name":"inner"}]},"name":"last","x":null}"#,
        )
        .unwrap();
        assert_eq!(r.name, "last");
        assert_eq!(r.id, "");
    }

    #[test]
    fn fields_are_found_in_any_order() {
        let want = Ref {
            id: "I".into(),
            name: "N".into(),
            label: "L".into(),
        };
        for body in [
            r#"{"id":"I","name":"N","label":"L"}"#,
            r#"{"label":"L","name":"N","id":"I"}"#,
            r#"{"name":"N","x":1,"label":"L","id":"I"}"#,
            r#"{"label":"L","id":"I","name":"N"}"#,
        ] {
            assert_eq!(serde_json::from_str::<Ref>(body).unwrap(), want, "{body}");
        }
    }

    #[test]
    fn only_an_object_is_read() {
        for body in [r#"["i","n","l"]"#, r#""ref""#, "1", "true"] {
            let err = serde_json::from_str::<Ref>(body).unwrap_err();
            assert!(
                err.to_string().contains("expected a reference"),
                "{body}: {err}"
            );
        }
        let err = serde_json::from_str::<ApiKeys>(r#"{"api_keys":[{"id":1}]}"#).unwrap_err();
        assert!(err.to_string().contains("expected a string"), "{err}");
    }
}
