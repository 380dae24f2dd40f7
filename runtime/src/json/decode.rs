//! [`Decode`]: a type read from a [`Reader`], and its implementations for every type generated
//! response types hold (scalars, strings, secrets, free-form JSON, lists, maps, options, boxes).
//! Generated structs and enums implement it through `#[derive(Decode)]`.
//!
//! What is compiled per type is kept to its own code: a struct hands its member slots to the reader as
//! a table of [`Slot`]s (no type or `impl` of its own), and a list or a map its container through a
//! small trait of this module, rather than as a closure (the vtable of every `dyn FnMut` carries `FnOnce::call_once` and its shim, two more
//! functions per type); results are matched rather than mapped (`map(Some)` compiles a `map` and a
//! `call_once` per type).

use std::collections::{BTreeMap, HashMap};

use std::borrow::Cow;

use super::reader::{Integer, Reader};
use super::{DecodeError, tape};

/// A type decoded from JSON through the runtime's [`Reader`]: its code is only what is particular to
/// it (a struct's `match` over its members), the reading and the lenient rules are the runtime's.
pub trait Decode: Sized {
    /// Reads one value at the reader's cursor and moves past it.
    fn decode(reader: &mut Reader<'_, '_>) -> Result<Self, DecodeError>;
}

/// An object's member slots: [`Reader::members_into`] hands it each member named in its list, by the
/// name's index ([`Reader::slots_into`] over a table of [`Slot`]s is the one generated code uses).
pub trait Members {
    /// Reads the member whose name is at `index` in the list into its slot (or skips it).
    fn read_member(&mut self, reader: &mut Reader<'_, '_>, index: usize) -> Result<(), DecodeError>;
}

/// No slots: a struct without fields reads any object.
impl Members for () {
    fn read_member(&mut self, reader: &mut Reader<'_, '_>, _index: usize) -> Result<(), DecodeError> {
        reader.skip();
        Ok(())
    }
}

/// One member's slot, as `#[derive(Decode)]` hands a struct's slots to [`Reader::slots_into`]: an
/// `Option` of the member's value type, or a [`TimestampSlot`]. Generic here, so that a struct's code
/// is only its table of slots (no type, `impl` and `match` of its own per struct).
pub trait Slot {
    /// Reads the member at the reader's cursor into the slot (`null` empties it).
    fn read(&mut self, reader: &mut Reader<'_, '_>) -> Result<(), DecodeError>;
}

impl<T: Decode> Slot for Option<T> {
    fn read(&mut self, reader: &mut Reader<'_, '_>) -> Result<(), DecodeError> {
        reader.read_slot(self)
    }
}

/// A timestamp member's slot: its value and its format ([`crate::timestamp::Format`]).
pub struct TimestampSlot<'a, F: crate::timestamp::Format>(pub &'a mut Option<F::Value>, pub F);

impl<F: crate::timestamp::Format + Copy> Slot for TimestampSlot<'_, F> {
    fn read(&mut self, reader: &mut Reader<'_, '_>) -> Result<(), DecodeError> {
        reader.field_with(self.0, self.1)
    }
}

/// A table of slots, one per name of the list handed to [`Reader::members_into`] with it.
struct Slots<'t, 's>(&'t mut [&'s mut dyn Slot]);

impl Members for Slots<'_, '_> {
    fn read_member(&mut self, reader: &mut Reader<'_, '_>, index: usize) -> Result<(), DecodeError> {
        match self.0.get_mut(index) {
            Some(slot) => slot.read(reader),
            None => {
                reader.skip();
                Ok(())
            }
        }
    }
}

impl Reader<'_, '_> {
    /// Reads an object's members into `slots`, each named at the same index of `names`: what
    /// `#[derive(Decode)]` writes for a struct, as [`Reader::members_into`] with the runtime's own
    /// [`Members`] over the table.
    pub fn slots_into(&mut self, names: &[&'static str], slots: &mut [&mut dyn Slot]) -> Result<(), DecodeError> {
        self.members_into(names, &mut Slots(slots))
    }

    /// Reads an object into a struct's slots: [`Reader::object`], each member named in `names` read
    /// by `slots`. Compiled once; the struct's code is its [`Members`] `match`.
    pub fn members_into(&mut self, names: &[&'static str], slots: &mut dyn Members) -> Result<(), DecodeError> {
        self.object(names, &mut |reader, index| slots.read_member(reader, index))
    }

    /// Reads a member's value into its slot, as [`Reader::field`] does (`null` empties it, the last of
    /// duplicate members wins), in one function per value type: `field` reads through `Option<T>`'s
    /// `decode` and a `?`, three functions per type.
    pub fn read_slot<T: Decode>(&mut self, slot: &mut Option<T>) -> Result<(), DecodeError> {
        if self.is_null() {
            self.skip();
            *slot = None;
            return Ok(());
        }
        match T::decode(self) {
            Ok(value) => {
                *slot = Some(value);
                Ok(())
            }
            Err(error) => Err(error),
        }
    }
}

/// The index of `text` in an enumeration's `VALUES` (its first occurrence): what
/// `#[derive(OpenEnum)]`'s conversions look a value up with, one comparison loop for every enumeration.
pub fn value_index(values: &[&str], text: &str) -> Option<usize> {
    values.iter().position(|value| *value == text)
}

impl DecodeError {
    /// The error for a required member that is absent (or `null`), by its wire name.
    pub fn missing_field(name: &'static str) -> Self {
        DecodeError::new(format!("missing field `{name}`"))
    }
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
        match reader.string() {
            Ok(text) => Ok(crate::SecretString::new(text)),
            Err(error) => Err(error),
        }
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
        match T::decode(reader) {
            Ok(value) => Ok(Some(value)),
            Err(error) => Err(error),
        }
    }
}

impl<T: Decode> Decode for Box<T> {
    fn decode(reader: &mut Reader<'_, '_>) -> Result<Self, DecodeError> {
        match T::decode(reader) {
            Ok(value) => Ok(Box::new(value)),
            Err(error) => Err(error),
        }
    }
}

impl<T: Decode> Decode for Vec<T> {
    fn decode(reader: &mut Reader<'_, '_>) -> Result<Self, DecodeError> {
        let mut items = Vec::with_capacity(reader.list_len_hint());
        read_items(reader, &mut items)?;
        Ok(items)
    }
}

/// A container a list's items are read into, one by one (a `Vec`).
trait Items {
    fn read_item(&mut self, reader: &mut Reader<'_, '_>) -> Result<(), DecodeError>;
}

impl<T: Decode> Items for Vec<T> {
    fn read_item(&mut self, reader: &mut Reader<'_, '_>) -> Result<(), DecodeError> {
        match T::decode(reader) {
            Ok(item) => {
                self.push(item);
                Ok(())
            }
            Err(error) => Err(error),
        }
    }
}

/// The items of the list at the cursor into `items`; compiled once.
fn read_items(reader: &mut Reader<'_, '_>, items: &mut dyn Items) -> Result<(), DecodeError> {
    reader.items(&mut |reader| items.read_item(reader))
}

/// A map a JSON object's members are read into, one by one.
trait Entries {
    fn read_entry(&mut self, reader: &mut Reader<'_, '_>, name: Cow<'_, str>) -> Result<(), DecodeError>;
}

impl<T: Decode> Entries for BTreeMap<String, T> {
    fn read_entry(&mut self, reader: &mut Reader<'_, '_>, name: Cow<'_, str>) -> Result<(), DecodeError> {
        match T::decode(reader) {
            Ok(value) => {
                self.insert(name.into_owned(), value);
                Ok(())
            }
            Err(error) => Err(error),
        }
    }
}

impl<T: Decode, S: std::hash::BuildHasher> Entries for HashMap<String, T, S> {
    fn read_entry(&mut self, reader: &mut Reader<'_, '_>, name: Cow<'_, str>) -> Result<(), DecodeError> {
        match T::decode(reader) {
            Ok(value) => {
                self.insert(name.into_owned(), value);
                Ok(())
            }
            Err(error) => Err(error),
        }
    }
}

/// The members of the object at the cursor into `map`, in order; compiled once.
fn read_entries(reader: &mut Reader<'_, '_>, map: &mut dyn Entries) -> Result<(), DecodeError> {
    reader.members(&mut |reader, name| map.read_entry(reader, name))
}

impl<T: Decode> Decode for BTreeMap<String, T> {
    fn decode(reader: &mut Reader<'_, '_>) -> Result<Self, DecodeError> {
        let mut map = BTreeMap::new();
        read_entries(reader, &mut map)?;
        Ok(map)
    }
}

impl<T: Decode, S: std::hash::BuildHasher + Default> Decode for HashMap<String, T, S> {
    fn decode(reader: &mut Reader<'_, '_>) -> Result<Self, DecodeError> {
        let mut map = HashMap::default();
        read_entries(reader, &mut map)?;
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
