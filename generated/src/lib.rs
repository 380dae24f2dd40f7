//! Typed, validated clients for Tencent Cloud and Alibaba Cloud APIs.
//!
//! This crate is written by `cloudspec generate` from the specs in the repository's `specs/` directory.
//! Code generation arrives with the next milestone step; until then the crate only re-exports the
//! runtime's validation types.

pub use cloudspec_runtime::{ValidationError, Violation};
