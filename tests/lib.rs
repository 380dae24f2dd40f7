//! Workspace-level tests live in `tests/`. The library holds the code generated from the hostile spec
//! (`hostile-spec/`) by `build.rs`, so building the tests proves that it compiles.

/// Code generated from `hostile-spec/`: keywords, case-only differences, odd punctuation and very long
/// names.
#[allow(missing_docs)]
pub mod hostile {
    include!(concat!(env!("OUT_DIR"), "/hostile.rs"));
}
