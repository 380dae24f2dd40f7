//! The spec format: the serde model of `specs/**/*.json`.
//!
//! Two kinds of file exist: a [`ServiceSpec`] per service version and a [`ProviderSpec`] per provider.
//! This module only describes their shape; [`crate::load`] reads them and [`crate::check`] judges them.

mod common;
mod constraints;
mod imported;
mod paging;
mod provider;
mod service;
pub mod types;

pub use common::*;
pub use constraints::*;
pub use imported::ImportedFrom;
pub use paging::{PageKind, Pagination, PathError, response_field};
pub use provider::*;
pub use service::*;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The format version this crate reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// Any spec file: the root of `specs/cloudspec.schema.json`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
#[schemars(title = "cloudspec spec file")]
pub enum SpecFile {
    /// `specs/<provider>/<service>/<version>.json`.
    Service(Box<ServiceSpec>),
    /// `specs/<provider>/provider.json`.
    Provider(Box<ProviderSpec>),
}

/// The JSON Schema of the format, as checked in at `specs/cloudspec.schema.json`.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(SpecFile);
    let mut text = serde_json::to_string_pretty(&schema).expect("a schema always serializes");
    text.push('\n');
    text
}
