//! Reading a generated response type's object member by member, as the text streams past.
//!
//! A generated `Deserialize` (`#[derive(Decode)]`) declares a tuple struct of slots (one `Option` per
//! field) and implements [`Fields`] on it: the wire names, and a `match` that reads a member into its
//! slot. The runtime owns the rest, once for every type: matching keys to names without copying them,
//! skipping unknown members, treating `null` as absence, the last of duplicate members winning, missing
//! required fields named by their wire name, and the member's name put in front of an error from
//! inside it.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, Error, IgnoredAny, MapAccess, Visitor};

/// A response type's fields while its object is read; implemented by generated code on its slots.
pub trait Fields<'de>: Sized {
    /// The wire names, in the order of the slots.
    const NAMES: &'static [&'static str];

    /// Reads the value of the member named `NAMES[field]` into its slot.
    fn read_field<A: MapAccess<'de>>(&mut self, field: usize, map: &mut A) -> Result<(), A::Error>;

    /// Reads an object into `empty`'s slots.
    fn decode<D: Deserializer<'de>>(deserializer: D, empty: Self) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ObjectVisitor(empty, PhantomData))
    }

    /// Reads a member's value into a slot; `null` empties it.
    fn read<T: Deserialize<'de>, A: MapAccess<'de>>(slot: &mut Option<T>, map: &mut A) -> Result<(), A::Error> {
        *slot = map.next_value()?;
        Ok(())
    }

    /// Reads a member's value in a timestamp format ([`crate::timestamp::Format`]); `null` empties it.
    fn read_with<F: crate::timestamp::Format, A: MapAccess<'de>>(
        slot: &mut Option<F::Value>,
        map: &mut A,
        _format: F,
    ) -> Result<(), A::Error> {
        *slot = map.next_value_seed(Formatted::<F>(PhantomData))?;
        Ok(())
    }

    /// The value of a required field, or an error naming it by its wire name.
    fn required<T, E: Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
        slot.ok_or_else(|| E::missing_field(name))
    }
}

/// An object with no fields: any members are skipped.
impl<'de> Fields<'de> for () {
    const NAMES: &'static [&'static str] = &[];

    fn read_field<A: MapAccess<'de>>(&mut self, _field: usize, map: &mut A) -> Result<(), A::Error> {
        map.next_value::<IgnoredAny>().map(drop)
    }
}

struct ObjectVisitor<'de, F>(F, PhantomData<&'de ()>);

impl<'de, F: Fields<'de>> Visitor<'de> for ObjectVisitor<'de, F> {
    type Value = F;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<F, A::Error> {
        while let Some(field) = map.next_key_seed(FieldIndex(F::NAMES))? {
            match field {
                Some(index) => self.0.read_field(index, &mut map).map_err(|e| {
                    let name = F::NAMES.get(index).copied().unwrap_or_default();
                    A::Error::custom(format_args!("`{name}`: {e}"))
                })?,
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(self.0)
    }
}

/// A member's key as the index of its name, `None` for a member the type does not know.
struct FieldIndex(&'static [&'static str]);

impl<'de> DeserializeSeed<'de> for FieldIndex {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<usize>, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for FieldIndex {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_str<E: Error>(self, key: &str) -> Result<Option<usize>, E> {
        Ok(self.0.iter().position(|name| *name == key))
    }
}

/// A value in a timestamp format, `null` as `None`.
struct Formatted<F>(PhantomData<F>);

impl<'de, F: crate::timestamp::Format> DeserializeSeed<'de> for Formatted<F> {
    type Value = Option<F::Value>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<F::Value>, D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'de, F: crate::timestamp::Format> Visitor<'de> for Formatted<F> {
    type Value = Option<F::Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a timestamp or null")
    }

    fn visit_none<E: Error>(self) -> Result<Option<F::Value>, E> {
        Ok(None)
    }

    fn visit_unit<E: Error>(self) -> Result<Option<F::Value>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<F::Value>, D::Error> {
        F::deserialize(deserializer).map(Some)
    }
}
