//! The mark an importer leaves on the service specs it writes.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Where an imported spec came from. Importers overwrite only specs that carry this mark (unless
/// forced): a hand-written spec has none, so a re-import never replaces a transcription.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ImportedFrom {
    /// The catalogue: `tccli` (Tencent Cloud) or `openmeta` (Alibaba Cloud).
    pub catalogue: String,
    /// The catalogue's release, when it states one (tccli's `__version__`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The catalogue file, relative to the catalogue's root (`apigateway/v20180808/api.json`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}
