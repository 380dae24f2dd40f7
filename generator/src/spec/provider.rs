//! The provider spec, `specs/<provider>/provider.json`: what all of a provider's actions share.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{ErrorCode, Protocol, Source};
use super::service::ParamLocation;

/// Protocol, signing, common parameters, envelope, common errors and endpoint rules of one provider.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ProviderSpec {
    /// Path of the JSON Schema of this format, for editors (`../cloudspec.schema.json`).
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Version of the cloudspec format; only `1` exists.
    pub format_version: u32,
    /// Who the provider is.
    pub provider: ProviderInfo,
    /// The protocol services use unless they state another.
    pub protocol: Protocol,
    /// How requests are signed.
    pub signing: Signing,
    /// Parameters and headers every request carries, by their documented name.
    #[serde(default)]
    pub common_parameters: IndexMap<String, CommonParameter>,
    /// Where the payload, the request id and errors sit in a response.
    pub envelope: Envelope,
    /// Error codes any action may return.
    #[serde(default)]
    pub common_errors: Vec<ErrorCode>,
    /// How hosts are formed when a service does not list them.
    #[serde(default)]
    pub endpoints: EndpointRules,
    /// Where credentials come from.
    pub credentials: CredentialSources,
    /// The documents this file was transcribed from.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub sources: IndexMap<String, Source>,
}

/// Identity of a provider.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ProviderInfo {
    /// Directory and module name (`tencentcloud`, `alibabacloud`).
    pub name: String,
    /// Human-readable name (`Tencent Cloud`).
    pub title: String,
}

/// The signing protocol.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Signing {
    /// The algorithm, as named in the `Authorization` header.
    pub scheme: SigningScheme,
    /// How far the request timestamp may be from the server's clock, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_clock_skew_seconds: Option<u32>,
    /// Older schemes the provider still accepts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub legacy_schemes: Vec<SigningScheme>,
}

/// A signing algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING-KEBAB-CASE")]
pub enum SigningScheme {
    /// Tencent Cloud API 3.0 signature v3.
    #[serde(rename = "TC3-HMAC-SHA256")]
    Tc3HmacSha256,
    /// Alibaba Cloud signature v3.
    #[serde(rename = "ACS3-HMAC-SHA256")]
    Acs3HmacSha256,
    /// Alibaba Cloud RPC signature v2 (`Signature` query parameter).
    #[serde(rename = "HMAC-SHA1")]
    HmacSha1,
}

/// A parameter every request carries; the runtime fills it in.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct CommonParameter {
    /// Type expression, as for fields.
    #[serde(rename = "type")]
    pub ty: super::types::TypeExpr,
    /// Where it travels.
    pub location: ParamLocation,
    /// The header or query name on the wire, when it differs from the documented name (`X-TC-Action`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wire_name: Option<String>,
    /// `always`, `never`, or `per_action` (an action's `region` says).
    pub required: Requirement,
    /// A secret (a session token).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sensitive: bool,
    /// The documented description.
    pub description: String,
}

/// When a common parameter must be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Requirement {
    /// Every request.
    Always,
    /// Only when the caller has a value (a session token, a language).
    Optional,
    /// As each action's `region` states.
    PerAction,
}

/// The shape of responses.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Envelope {
    /// The key that wraps every response body (`Response`); absent when the fields sit at the top.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wrapper: Option<String>,
    /// Name of the request id field inside the body.
    pub request_id: String,
    /// Where an error is reported.
    pub error: ErrorEnvelope,
}

/// Where the error code and message sit in an error response.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ErrorEnvelope {
    /// The object holding code and message, inside the wrapper (`Error`); absent when they sit at the top.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container: Option<String>,
    /// The code's key.
    pub code: String,
    /// The message's key.
    pub message: String,
    /// The HTTP status errors come with: `200` (Tencent) or the error's own (Alibaba: 4xx / 5xx).
    pub http_status: ErrorStatus,
    /// Other keys the provider documents in an error body (`HostId`, `Recommend`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra_fields: Vec<String>,
}

/// Which HTTP status errors carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorStatus {
    /// Errors come with HTTP 200; only the body tells.
    Ok,
    /// Errors come with a 4xx or 5xx status.
    ErrorStatus,
}

/// Host rules; patterns use `{service}` and `{region}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct EndpointRules {
    /// Default host pattern (`{service}.tencentcloudapi.com`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// International-site host pattern (`{service}.intl.tencentcloudapi.com`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub international: Option<String>,
    /// Regional host pattern (`{service}.{region}.tencentcloudapi.com`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regional: Option<String>,
}

/// Where the runtime looks for credentials, in order.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct CredentialSources {
    /// Environment variable holding the access key id.
    pub env_access_key_id: String,
    /// Environment variable holding the secret.
    pub env_access_key_secret: String,
    /// Environment variable holding a session token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub env_session_token: Option<String>,
    /// The provider's profile file, relative to the home directory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_file: Option<String>,
}
