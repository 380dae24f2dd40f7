//! [`Decode`]: a type read from a [`Reader`], and its implementations for every type generated
//! response types hold (scalars, strings, secrets, free-form JSON, lists, maps, options, boxes).
//! Generated structs and enums implement it through `#[derive(Decode)]`.

use std::collections::{BTreeMap, HashMap};

use super::reader::{Integer, Reader};
use super::{DecodeError, tape};

/// A type decoded from JSON through the runtime's [`Reader`]: its code is only what is particular to
/// it (a struct's `match` over its members), the reading and the lenient rules are the runtime's.
pub trait Decode: Sized {
    /// Reads one value at the reader's cursor and moves past it.
    fn decode(reader: &mut Reader<'_, '_>) -> Result<Self, DecodeError>;
}

/// A value of `T` from any serde deserializer, through the tape: what a derived `Deserialize` calls,
/// so that a generated type also works with serde for whoever uses serde on it. Generic, so it costs
/// nothing until someone instantiates it.
pub fn deserialize<'de, T: Decode, D: serde::Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    let mut events = Vec::new();
    tape::record(deserializer, &mut events)?;
    T::decode(&mut Reader::new(&events)).map_err(<D::Error as serde::de::Error>::custom)
}

impl Decode for String {
    fn decode(reader: &mut Reader<'_, '_>) -> Result<Self, DecodeError> {
        reader.string()
    }
}

impl Decode for crate::SecretString {
    fn decode(reader: &mut Reader<'_, '_>) -> Result<Self, DecodeError> {
        reader.string().map(crate::SecretString::new)
    }
}

impl Decode for bool {
    fn decode(reader: &mut Reader<'_, '_>) -> Result<Self, DecodeError> {
        reader.bool()
    }
}

/// An integer type: the value read, range-checked against the type.
macro_rules! integers {
    ($($ty:ident)*) => {$(
        impl Decode for $ty {
            fn decode(reader: &mut Reader<'_, '_>) -> Result<Self, DecodeError> {
                let value = match reader.integer(stringify!($ty))? {
                    Integer::Unsigned(n) => $ty::try_from(n).ok(),
                    Integer::Signed(n) => $ty::try_from(n).ok(),
                };
                value.ok_or_else(|| DecodeError::new(concat!("invalid value: an integer, expected ", stringify!($ty))))
            }
        }
    )*};
}

integers! { i8 i16 i32 i64 u8 u16 u32 u64 }

impl Decode for f64 {
    fn decode(reader: &mut Reader<'_, '_>) -> Result<Self, DecodeError> {
        reader.float("f64")
    }
}

impl Decode for f32 {
    fn decode(reader: &mut Reader<'_, '_>) -> Result<Self, DecodeError> {
        // As serde reads an `f32`: the nearest value, overflow to infinity included.
        reader.float("f32").map(|n| n as f32)
    }
}

impl Decode for serde_json::Value {
    fn decode(reader: &mut Reader<'_, '_>) -> Result<Self, DecodeError> {
        reader.value()
    }
}

impl<T: Decode> Decode for Option<T> {
    fn decode(reader: &mut Reader<'_, '_>) -> Result<Self, DecodeError> {
        if reader.is_null() {
            reader.skip();
            return Ok(None);
        }
        T::decode(reader).map(Some)
    }
}

impl<T: Decode> Decode for Box<T> {
    fn decode(reader: &mut Reader<'_, '_>) -> Result<Self, DecodeError> {
        T::decode(reader).map(Box::new)
    }
}

impl<T: Decode> Decode for Vec<T> {
    fn decode(reader: &mut Reader<'_, '_>) -> Result<Self, DecodeError> {
        let mut items = Vec::with_capacity(reader.list_len_hint());
        reader.items(&mut |reader| {
            items.push(T::decode(reader)?);
            Ok(())
        })?;
        Ok(items)
    }
}

impl<T: Decode> Decode for BTreeMap<String, T> {
    fn decode(reader: &mut Reader<'_, '_>) -> Result<Self, DecodeError> {
        let mut map = BTreeMap::new();
        reader.members(&mut |reader, name| {
            map.insert(name.into_owned(), T::decode(reader)?);
            Ok(())
        })?;
        Ok(map)
    }
}

impl<T: Decode, S: std::hash::BuildHasher + Default> Decode for HashMap<String, T, S> {
    fn decode(reader: &mut Reader<'_, '_>) -> Result<Self, DecodeError> {
        let mut map = HashMap::default();
        reader.members(&mut |reader, name| {
            map.insert(name.into_owned(), T::decode(reader)?);
            Ok(())
        })?;
        Ok(map)
    }
}

/// Any value, skipped unread (a page whose items are decoded on their own).
impl Decode for serde::de::IgnoredAny {
    fn decode(reader: &mut Reader<'_, '_>) -> Result<Self, DecodeError> {
        reader.skip();
        Ok(serde::de::IgnoredAny)
    }
}
