//! Lenient decoding helpers shared by the wire types (contract §2).

use serde::{Deserialize, Deserializer};

/// Deserialises `null` as the type's default, so `"x": null` and a missing `"x"` read the same.
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
