//! A first look at a JSON text without decoding it: the members of an object as borrowed slices of
//! the text, for the envelope (where the payload and the error sit) and the paginator (where the list,
//! the total and the next token sit). Nothing is copied but the member names that hold escapes.

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserializer, Error, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

/// An object's members in order, each value a slice of the text (duplicates kept; lookups take the
/// last, as a decoder that overwrites would).
#[derive(Debug, Default)]
pub(crate) struct Members<'a>(Vec<(Cow<'a, str>, &'a RawValue)>);

/// A JSON value's first look: its members when it is an object, `None` when it is any other value.
/// An error when the text is not one JSON value.
pub(crate) fn members(text: &[u8]) -> Result<Option<Members<'_>>, serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_slice(text);
    let members = deserializer.deserialize_any(MembersVisitor)?;
    deserializer.end()?;
    Ok(members)
}

/// The members of a value already known to be JSON (a member of a checked text).
pub(crate) fn members_of(value: &RawValue) -> Option<Members<'_>> {
    members(value.get().as_bytes()).ok().flatten()
}

impl<'a> Members<'a> {
    /// The value of a member (the last, when the name is repeated).
    pub(crate) fn get(&self, name: &str) -> Option<&'a RawValue> {
        self.0.iter().rev().find(|(key, _)| key == name).map(|(_, value)| *value)
    }

    /// A member that is a string.
    pub(crate) fn string(&self, name: &str) -> Option<String> {
        self.get(name).and_then(string)
    }

    /// The value at a path of member names.
    pub(crate) fn at(&self, path: &[&str]) -> Option<&'a RawValue> {
        let (first, rest) = path.split_first()?;
        let mut value = self.get(first)?;
        for name in rest {
            value = members_of(value)?.get(name)?;
        }
        Some(value)
    }
}

/// A value that is a string, unescaped.
pub(crate) fn string(value: &RawValue) -> Option<String> {
    let text = value.get();
    // Without a backslash, the text between the quotes of a checked JSON string is the string (a
    // request id, a code): no second parse.
    if let Some(plain) = text.strip_prefix('"').and_then(|text| text.strip_suffix('"')) {
        if !plain.contains('\\') {
            return Some(plain.to_string());
        }
    }
    if !text.starts_with('"') {
        return None;
    }
    serde_json::from_str(text).ok()
}

/// `null`.
pub(crate) fn is_null(value: &RawValue) -> bool {
    value.get() == "null"
}

/// A value that is an object.
pub(crate) fn is_object(value: &RawValue) -> bool {
    value.get().starts_with('{')
}

/// A scalar value (not a list or an object), decoded: for the few members read as they are sent.
pub(crate) fn scalar(value: &RawValue) -> Option<serde_json::Value> {
    if value.get().starts_with(['{', '[']) {
        return None;
    }
    serde_json::from_str(value.get()).ok()
}

/// The length of a value that is a list, counted without decoding its items.
pub(crate) fn list_len(value: &RawValue) -> Option<u64> {
    if !value.get().starts_with('[') {
        return None;
    }
    let mut deserializer = serde_json::Deserializer::from_str(value.get());
    deserializer.deserialize_seq(CountVisitor).ok()
}

/// The byte range of `value` inside `text`, which it was borrowed from.
pub(crate) fn range_in(text: &[u8], value: &RawValue) -> std::ops::Range<usize> {
    let start = (value.get().as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
    let start = start.min(text.len());
    start..(start + value.get().len()).min(text.len())
}

struct MembersVisitor;

impl<'de> Visitor<'de> for MembersVisitor {
    type Value = Option<Members<'de>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut members = Vec::new();
        while let Some(Key(key)) = map.next_key()? {
            members.push((key, map.next_value::<&RawValue>()?));
        }
        Ok(Some(Members(members)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    fn visit_bool<E: Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_i64<E: Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_u64<E: Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_f64<E: Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_str<E: Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

/// A member name, borrowed unless it holds escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_borrowed_str<E: Error>(self, key: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(key)))
    }

    fn visit_str<E: Error>(self, key: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(key.to_string())))
    }
}

struct CountVisitor;

impl<'de> Visitor<'de> for CountVisitor {
    type Value = u64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<u64, A::Error> {
        let mut count = 0u64;
        while seq.next_element::<IgnoredAny>()?.is_some() {
            count += 1;
        }
        Ok(count)
    }
}
