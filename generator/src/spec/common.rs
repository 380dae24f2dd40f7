//! Parts of the format that service and provider specs share.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A document a spec was transcribed from.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Source {
    /// The document's title.
    pub title: String,
    /// A page written for people, or data written for programs.
    pub kind: SourceKind,
    /// Where it is published, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The document's own "last updated" stamp, verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_updated: Option<String>,
    /// Language of the document (`en`, `zh`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The exact copy that was read: a file, or `repository@commit:path`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retrieved_from: Option<String>,
}

/// What kind of document a source is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// A documentation page.
    Documentation,
    /// Machine-readable metadata (tccli `api.json`, Alibaba `api-docs.json`).
    MachineReadable,
}

/// A documented error code.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ErrorCode {
    /// The code as the provider sends it (`FailedOperation.AccessKeyExist`).
    pub code: String,
    /// The documented description; absent when the documentation gives none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The error is transient ("please try again later"): the same request may succeed later.
    /// Whether a client retries it also depends on the action being idempotent.
    pub retryable: bool,
    /// The HTTP status the provider sends with it, when it is not the protocol's usual one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    /// The code signals throttling: retried for every action, idempotent or not.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub throttling: bool,
}

pub use cloudspec_rules::Protocol;

/// `skip_serializing_if` for flags that default to `false`.
pub(super) fn is_false(value: &bool) -> bool {
    !*value
}
