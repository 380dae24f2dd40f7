//! What `#[derive(ServiceError)]` reads a documented code through: a table of the enum's documented
//! codes ([`DocumentedCode`], one per variant, in the variants' order) and a [`View`] of a value (the
//! index of its variant, or its common or unknown code).
//!
//! An action's enum may document hundreds of codes (an Alibaba service can list its 250 codes on
//! every action), so what is written per variant decides its compile time. With the table, a variant
//! costs one table entry and two `match` arms (to build it from its index, and to view it); finding a
//! code, the variant's name for `Debug` and its classification are non-generic functions here,
//! compiled once, instead of a `match` on strings, a `Debug` arm and a `Clone` arm per variant.

use std::fmt;

use super::{ErrorMetadata, ErrorParts, UnknownCode};

/// A documented code of a generated error enum: its code, its variant's name, how the spec classifies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocumentedCode {
    /// The provider's code, as the response carries it.
    pub code: &'static str,
    /// The name of the code's variant, as `Debug` shows it.
    pub variant: &'static str,
    /// The spec marks the code transient.
    pub retryable: bool,
    /// The spec marks the code as throttling.
    pub throttling: bool,
}

/// Which kind of value an error enum holds: the index of a documented code in its table (with the
/// metadata), one of the provider's common codes, or a code the spec does not list.
#[derive(Debug, Clone, Copy)]
pub enum View<'a, C> {
    /// A documented code: its index in the enum's table, and the error's metadata.
    Documented(usize, &'a ErrorMetadata),
    /// One of the provider's common codes.
    Common(&'a C),
    /// A code the spec does not list.
    Unknown(&'a UnknownCode),
}

/// The index of `code` in the table, if the enum documents it.
pub fn find(table: &[DocumentedCode], code: &str) -> Option<usize> {
    table.iter().position(|documented| documented.code == code)
}

/// The parts of a documented error: its metadata, classified as the table says. An index outside the
/// table (which derived code never passes) reads as unclassified.
pub fn parts<'a>(table: &[DocumentedCode], index: usize, metadata: &'a ErrorMetadata) -> ErrorParts<'a> {
    let (retryable, throttling) = table.get(index).map_or((false, false), |d| (d.retryable, d.throttling));
    ErrorParts::documented(metadata, retryable, throttling)
}

/// `Debug` of a documented variant, as `#[derive(Debug)]` writes it: `VariantName(ErrorMetadata { … })`.
pub fn debug(
    f: &mut fmt::Formatter<'_>,
    table: &[DocumentedCode],
    index: usize,
    metadata: &ErrorMetadata,
) -> fmt::Result {
    let variant = table.get(index).map_or("Documented", |d| d.variant);
    f.debug_tuple(variant).field(metadata).finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &[DocumentedCode] = &[
        DocumentedCode { code: "A.B", variant: "AB", retryable: false, throttling: false },
        DocumentedCode { code: "Busy", variant: "Busy", retryable: true, throttling: true },
    ];

    #[test]
    fn finds_codes_exactly_and_classifies_by_index() {
        assert_eq!(find(TABLE, "Busy"), Some(1));
        assert_eq!(find(TABLE, "busy"), None);
        assert_eq!(find(TABLE, "A.B"), Some(0));
        assert_eq!(find(&[], "A.B"), None);
        let metadata = ErrorMetadata::new("Busy", "slow down", Some("r-1".into()));
        let busy = parts(TABLE, 1, &metadata);
        assert!(busy.retryable && busy.throttling);
        assert_eq!((busy.code, busy.message, busy.request_id), ("Busy", "slow down", Some("r-1")));
        let outside = parts(TABLE, 7, &metadata);
        assert!(!outside.retryable && !outside.throttling);
    }

    #[test]
    fn debug_reads_like_the_derived_debug_of_a_tuple_variant() {
        struct Shown(usize, ErrorMetadata);
        impl fmt::Debug for Shown {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                debug(f, TABLE, self.0, &self.1)
            }
        }
        #[derive(Debug)]
        #[allow(dead_code)] // read through `Debug` only
        enum Derived {
            Busy(ErrorMetadata),
        }
        let metadata = ErrorMetadata::new("Busy", "m", None);
        assert_eq!(format!("{:?}", Shown(1, metadata.clone())), format!("{:?}", Derived::Busy(metadata.clone())));
        assert_eq!(format!("{:#?}", Shown(1, metadata.clone())), format!("{:#?}", Derived::Busy(metadata.clone())));
        assert!(format!("{:?}", Shown(9, metadata)).starts_with("Documented(ErrorMetadata"));
    }
}
