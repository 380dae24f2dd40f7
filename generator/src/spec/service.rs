//! The service spec: one file per service version, `specs/<provider>/<service>/<version>.json`.
//!
//! Every type here derives `JsonSchema`; `specs/cloudspec.schema.json` is generated from them, so a doc
//! comment on a field is also the hint an editor shows when a spec author types that key.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::common::{ErrorCode, Protocol, Source, is_false};
use super::constraints::Constraints;
use super::types::TypeExpr;

pub use cloudspec_rules::{LengthUnit, ParamLocation, ParamStyle};

/// One version of one service of one provider, with all its actions and shared types.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ServiceSpec {
    /// Path of the JSON Schema of this format, for editors (`../../cloudspec.schema.json`).
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Version of the cloudspec format; only `1` exists.
    pub format_version: u32,
    /// Set by the importers on the specs they write, and absent from hand-written ones: an importer
    /// overwrites only a spec that has it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imported_from: Option<super::ImportedFrom>,
    /// The provider, as named by its directory under `specs/` (`tencentcloud`, `alibabacloud`).
    pub provider: String,
    /// What the service is, where it lives and how it is signed.
    pub service: ServiceInfo,
    /// The documents this spec was transcribed from, by an id that actions and fields cite.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub sources: IndexMap<String, Source>,
    /// The service's actions, by their wire name (`CreateApiKey`).
    #[serde(default)]
    pub actions: IndexMap<String, Action>,
    /// Object and enumeration types shared by actions, by name (`ApiKey`, `AccessKeyType`).
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub types: IndexMap<String, TypeDef>,
    /// What the source documents but this spec leaves out, each with the reason: the importers list the
    /// actions they could not map, and the generated crate's README lists them under "Not generated".
    /// Nothing is generated from these entries.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub omitted: Vec<Omitted>,
}

/// Something the source documents that the spec leaves out, and why (`omitted`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Omitted {
    /// Its name in the source: an action's wire name (`CreateResource`), a member's wire name, or an
    /// error code.
    pub name: String,
    /// What it is.
    pub kind: OmittedKind,
    /// The action a member or error code belongs to (its wire name); absent for an action.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// Why it is left out, in a sentence a user of the generated crate can act on.
    pub reason: String,
}

/// What kind of thing an [`Omitted`] entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OmittedKind {
    /// An action: no request, response or method is generated for it.
    Action,
    /// A request or response member of an action.
    Member,
    /// An error code of an action.
    ErrorCode,
}

impl OmittedKind {
    /// How the kind reads in documentation: `action`, `member`, `error code`.
    pub fn label(self) -> &'static str {
        match self {
            OmittedKind::Action => "action",
            OmittedKind::Member => "member",
            OmittedKind::ErrorCode => "error code",
        }
    }
}

/// The identity of a service version.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ServiceInfo {
    /// Short service name, used for the module path and the signing scope (`apigateway`, `teo`, `cloudapi`).
    pub name: String,
    /// Human-readable product name (`API Gateway`).
    pub title: String,
    /// API version as the wire carries it (`2018-08-08`).
    pub version: String,
    /// Service name in the signature's credential scope, when it differs from `name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signing_name: Option<String>,
    /// The product code the provider uses for this service (Alibaba `CloudAPI`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_code: Option<String>,
    /// Overrides the provider's protocol (Alibaba products are either RPC or ROA).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<Protocol>,
    /// A sentence or two on what the service does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// How the descriptions of this service are written: `text` (the default: shown as written) or
    /// `markdown` (headings, lists, emphasis, code, tables and links rendered, as the Alibaba catalogue
    /// writes them).
    #[serde(default, skip_serializing_if = "DocFormat::is_text")]
    pub docs: DocFormat,
    /// Hosts the service answers on; the provider's endpoint rules fill in what is not stated.
    #[serde(default)]
    pub endpoints: Endpoints,
}

/// How descriptions are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocFormat {
    /// Plain text, shown as written.
    #[default]
    Text,
    /// CommonMark Markdown.
    Markdown,
}

impl DocFormat {
    fn is_text(&self) -> bool {
        *self == DocFormat::Text
    }
}

/// Hosts of one service. Patterns may use `{region}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Endpoints {
    /// The host used when no region-specific host is chosen (`apigateway.tencentcloudapi.com`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// The host for international-site accounts (`apigateway.intl.tencentcloudapi.com`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub international: Option<String>,
    /// Host pattern for a region, with `{region}` (`apigateway.{region}.aliyuncs.com`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regional: Option<String>,
    /// Hosts documented per region id, when they are listed one by one.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub regions: IndexMap<String, String>,
}

/// One API action.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Action {
    /// One sentence on what the action does, as documented.
    pub summary: String,
    /// The documentation's own short title for the action, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Longer description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Ids (from the service's `sources`) of the documents this action was transcribed from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// Whether the action is current, deprecated or taken offline.
    #[serde(default, skip_serializing_if = "ActionStatus::is_online")]
    pub status: ActionStatus,
    /// The documented request rate limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<RateLimit>,
    /// Whether the common `Region` parameter must be sent for this action.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<RegionRequirement>,
    /// HTTP method(s) and path, when they differ from the protocol's defaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http: Option<HttpBinding>,
    /// Whether a blind retry is safe: repeating the call has the same effect as making it once.
    pub idempotent: bool,
    /// The request field that makes retries safe (a client token), when the action has one: its wire
    /// name, or `Param.member` for a member of an object-typed parameter (Alibaba's `body.clientToken`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_token: Option<String>,
    /// The provider's classification of the action (`get`, `list`, `create`, `update`, `delete`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation_type: Option<OperationType>,
    /// The permission a caller needs (RAM / CAM action, access level, resources).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization: Option<Authorization>,
    /// Documented facts that are not parameters: side effects, caveats.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// The documented change history.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<Change>,
    /// Request parameters, by wire name, in documented order. Common parameters are the provider's.
    #[serde(default)]
    pub request: IndexMap<String, Field>,
    /// Response fields, by wire name, inside the provider's envelope.
    #[serde(default)]
    pub response: IndexMap<String, Field>,
    /// How the action pages its results, for a list action that does: generated clients then have a
    /// stream of its pages and one of its items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination: Option<super::Pagination>,
    /// The action's documented error codes; the provider's common codes apply as well.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ErrorCode>,
    /// Documented examples, verbatim.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<Example>,
    /// Where the sources disagree, what each says and what this spec does about it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub discrepancies: Vec<Discrepancy>,
    /// The name Rust code uses for the action instead of the one derived from its name: its module and
    /// client method (snake_case), and, in UpperCamelCase, its request, response and error types. For
    /// an action whose name clashes with what generated code defines (`New`, `Client`, `Types`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
}

/// Lifecycle status of an action.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    /// Current.
    #[default]
    Online,
    /// Still served, but the provider recommends another action.
    Deprecated,
    /// No longer served.
    Offline,
}

impl ActionStatus {
    fn is_online(&self) -> bool {
        *self == ActionStatus::Online
    }
}

/// A documented rate limit.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RateLimit {
    /// Requests per second the provider accepts for this action.
    pub requests_per_second: u32,
}

/// Whether the provider's region parameter is needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RegionRequirement {
    /// The request must name a region.
    Required,
    /// A region may be sent but is not needed ("This parameter is not required for this API").
    Optional,
}

/// HTTP binding of an action.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct HttpBinding {
    /// Accepted methods, the preferred one first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub methods: Vec<HttpMethod>,
    /// Request path; ROA paths name path parameters as `{Name}` (one segment, its value percent-encoded,
    /// `/` included) or, as the last label, `{Name+}`: a greedy label whose value spans segments (split on
    /// `/`, each segment encoded; no empty, `.` or `..` segment), as Alibaba cloudcontrol's whole-path
    /// `/{requestPath+}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// URL schemes the provider documents (`http`, `https`); clients use HTTPS regardless.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schemes: Vec<String>,
    /// The whole success body, when it is not a JSON object of named fields: a list (`list<Cluster>`),
    /// a string, a map or `any`. The action's `response` is then empty, and its generated response type
    /// has a single field, `body`, holding the decoded body (Alibaba `cs` `DescribeClusters` answers with
    /// a JSON array).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_body: Option<Field>,
}

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
#[allow(missing_docs)]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Patch,
    Delete,
    Head,
}

/// The provider's own classification of an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum OperationType {
    Get,
    List,
    Create,
    Update,
    Delete,
    None,
}

/// The permission needed to call an action.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Authorization {
    /// The action name used in access policies (`apigateway:ResetAppSecret`).
    pub action: String,
    /// The documented access level.
    pub access_level: AccessLevel,
    /// Resource types the permission can be scoped to (`All Resources` when it cannot).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resource_types: Vec<String>,
    /// Condition keys the service defines for this action.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub condition_keys: Vec<String>,
    /// Other actions the caller must also be allowed to perform.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub associated_operations: Vec<String>,
}

/// Access level of a permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum AccessLevel {
    Read,
    Write,
    List,
}

/// One entry of an action's change history.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Change {
    /// When, as `YYYY-MM-DD`.
    pub date: String,
    /// What changed, as documented.
    pub description: String,
    /// Parameters or fields the change added (wire names).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub added: Vec<String>,
    /// Parameters or fields the change removed (wire names).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<String>,
}

/// A request parameter, a response field or an object member.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Field {
    /// Type expression: `string`, `bool`, `int32`, `int64`, `uint32`, `uint64`, `float32`, `float64`,
    /// `timestamp` (with `format`), `date`, `binary`, `any`, `list<T>`, `map<T>`, or a name from `types`.
    #[serde(rename = "type")]
    pub ty: TypeExpr,
    /// Wire format of a `timestamp`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<TimeFormat>,
    /// Requests: the caller must set it. Responses: the provider always sends it.
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// Required only when another field of the same request has a given value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_when: Option<Condition>,
    /// The provider may send `null` ("this field may return null").
    #[serde(default, skip_serializing_if = "is_false")]
    pub nullable: bool,
    /// The documented description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The documented example value (documentation only; it may be masked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<Value>,
    /// The value the provider assumes when the field is not sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    /// A secret: never printed, logged or echoed in errors.
    #[serde(default, skip_serializing_if = "is_false")]
    pub sensitive: bool,
    /// The field still works but should not be used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<Deprecation>,
    /// Rules the value must satisfy.
    #[serde(default, skip_serializing_if = "Constraints::is_empty")]
    pub constraints: Constraints,
    /// Where the value travels, when not where the protocol puts parameters by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<ParamLocation>,
    /// How a list or object value is serialized in a query or form (Alibaba `style`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<ParamStyle>,
    /// The Rust identifier to use instead of the one derived from the wire name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
    /// Source ids, when this field comes from other documents than its action's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
}

impl Field {
    /// A field with only a type, every other property at its default.
    pub fn plain(ty: impl Into<TypeExpr>) -> Field {
        Field {
            ty: ty.into(),
            format: None,
            required: false,
            required_when: None,
            nullable: false,
            description: None,
            example: None,
            default: None,
            sensitive: false,
            deprecated: None,
            constraints: Constraints::default(),
            location: None,
            style: None,
            rust_name: None,
            sources: Vec::new(),
        }
    }
}

/// Wire format of a timestamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TimeFormat {
    /// ISO 8601 / RFC 3339 with an offset or `Z` (`2020-02-26T06:10:01Z`).
    Iso8601,
    /// `YYYY-MM-DD HH:MM:SS`, zone not stated.
    Datetime,
    /// Seconds since the Unix epoch, as a number.
    EpochSeconds,
    /// Milliseconds since the Unix epoch, as a number.
    EpochMillis,
}

/// A condition on another field of the same request.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Condition {
    /// Wire name of the other field.
    pub field: String,
    /// The value of that field that triggers the rule (its default counts when it is not set).
    pub equals: Value,
}

/// A deprecation notice.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Deprecation {
    /// What the documentation says instead.
    pub message: String,
}

/// A shared type: an object or an enumeration.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct TypeDef {
    /// `object` (has `fields`) or `enum` (has `values`).
    pub kind: TypeKind,
    /// The documented description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Object members, by wire name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<IndexMap<String, Field>>,
    /// Wire type of an enumeration's values: `string` (the default), `int32` or `int64`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
    /// An enumeration's documented values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<EnumValue>>,
    /// The Rust type name to use instead of the one derived from the type's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
    /// Source ids, when this type comes from other documents than the actions using it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
}

/// The kind of a shared type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TypeKind {
    /// A structure with named fields.
    Object,
    /// A set of documented values; values the provider adds later still decode.
    Enum,
}

/// One documented value of an enumeration.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct EnumValue {
    /// The wire value (a string, or an integer for integer enumerations).
    pub value: Value,
    /// The Rust variant name; required for integer values, derived from string values otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What the value means.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A documented example: what was sent and what came back, verbatim.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Example {
    /// The example's title.
    pub title: String,
    /// The text that introduces it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The documented request, verbatim: a query-style listing (`https://host/?Action=X\n&Name=value`)
    /// or an HTTP transcript with a JSON body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    /// The documented response body, verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
}

/// A disagreement between sources, recorded instead of silently choosing.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Discrepancy {
    /// What the sources disagree about (`request.Tags`, `region`).
    pub subject: String,
    /// What each source says.
    pub description: String,
    /// Ids of the sources involved.
    pub sources: Vec<String>,
    /// What this spec does about it, and why.
    pub resolution: String,
}
