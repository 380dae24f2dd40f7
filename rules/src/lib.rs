//! The rules that cloudspec's generator and the clients it generates both run, in one place so that
//! they cannot drift apart:
//!
//! - [`validation`]: the [`Validator`] every generated request check calls, and the [`Violation`]s it
//!   collects (never quoting a value, so secrets cannot leak through them);
//! - [`pattern`]: [`Pattern`], a regular expression declared in a `static` and compiled on first use;
//! - [`vocabulary`]: what the spec format and the runtime both name — the wire [`Protocol`], where a
//!   parameter travels ([`ParamLocation`]), how it is flattened ([`ParamStyle`]) and how results are
//!   paged ([`PageKind`]).
//!
//! The generator checks documented examples with the same validator clients run; the runtime and the
//! spec model share the vocabulary's enums instead of mapping parallel ones arm by arm.

pub mod pattern;
pub mod validation;
pub mod vocabulary;

pub use pattern::Pattern;
pub use validation::{LengthUnit, Rule, ValidationError, Validator, Violation};
pub use vocabulary::{PageKind, ParamLocation, ParamStyle, Protocol};
