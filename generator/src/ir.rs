//! The resolved intermediate form: what will be generated, with every Rust name, type, attribute and
//! doc line decided. [`crate::resolve`] builds it from checked specs; [`crate::emit`] only prints it.
//! Types refer to the shared types of their service by [`TypeId`], never by name.

use serde_json::Value;

use crate::spec::{LengthUnit, PageKind, ParamLocation, ParamStyle, Protocol, TimeFormat};

pub use crate::names::table::Usage;

/// A shared type of a service: its position in [`ServiceIr::types`] (and in the spec's `types`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TypeId(pub usize);

/// Everything generated for one provider.
#[derive(Debug, Clone)]
pub struct ProviderIr {
    /// Module name (`tencentcloud`).
    pub module: String,
    /// Human-readable name.
    pub title: String,
    /// The provider's common error codes, as variants of its `CommonError`.
    pub common_errors: Vec<ErrorVariantIr>,
    /// Its service versions, in module order.
    pub services: Vec<ServiceIr>,
    /// The provider spec file (relative to the specs root).
    pub spec_file: SpecFileRef,
}

/// A spec file a generated file comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecFileRef {
    /// Path relative to the specs root, with `/` separators. Headers name it without a hash of its
    /// content, so editing a spec rewrites only the files whose code changes.
    pub path: String,
}

/// Everything generated for one service version.
#[derive(Debug, Clone)]
pub struct ServiceIr {
    /// Service module name (`apigateway`).
    pub service_module: String,
    /// Version module name (`v20180808`).
    pub version_module: String,
    /// The cargo feature that enables it (`tencentcloud-apigateway`).
    pub feature: String,
    /// Module documentation.
    pub docs: Vec<String>,
    /// The wire protocol.
    pub protocol: Protocol,
    /// The service spec file.
    pub spec_file: SpecFileRef,
    /// Wire name of the service (`apigateway`).
    pub name: String,
    /// Title (`API Gateway`).
    pub title: String,
    /// API version (`2018-08-08`).
    pub version: String,
    /// Name in the signature's credential scope.
    pub signing_name: String,
    /// Hosts, with the provider's rules applied.
    pub endpoints: EndpointsIr,
    /// Shared types.
    pub types: Vec<TypeIr>,
    /// Actions, in spec order.
    pub actions: Vec<ActionIr>,
    /// What the spec leaves out of the source (its `omitted`), for the crate README.
    pub omitted: Vec<crate::spec::Omitted>,
}

/// Hosts of a service.
#[derive(Debug, Clone, Default)]
pub struct EndpointsIr {
    /// Default host.
    pub default: Option<String>,
    /// International-site host.
    pub international: Option<String>,
    /// Regional host pattern with `{region}`.
    pub regional: Option<String>,
    /// Hosts per region id.
    pub regions: Vec<(String, String)>,
}

/// A shared type.
#[derive(Debug, Clone)]
pub enum TypeIr {
    /// An object.
    Struct(StructIr),
    /// An open enumeration.
    Enum(EnumIr),
}

/// A struct: a request, a response or a shared object.
#[derive(Debug, Clone)]
pub struct StructIr {
    /// Type name.
    pub ident: String,
    /// The builder's type name, when the struct is sent.
    pub builder: Option<String>,
    /// Documentation lines.
    pub docs: Vec<String>,
    /// Fields, in spec order.
    pub fields: Vec<FieldIr>,
    /// How it is used.
    pub usage: Usage,
    /// The struct has a single field that holds the whole JSON body (a list, a string, …) rather than
    /// one member of an object (an action's `http.response_body`).
    pub body: bool,
}

impl ServiceIr {
    /// The Rust name of a shared type.
    pub fn type_ident(&self, id: TypeId) -> &str {
        match self.types.get(id.0) {
            Some(TypeIr::Struct(s)) => &s.ident,
            Some(TypeIr::Enum(e)) => &e.ident,
            None => "",
        }
    }
}

/// A field.
#[derive(Debug, Clone)]
pub struct FieldIr {
    /// Wire name.
    pub wire: String,
    /// Rust name, without `r#`.
    pub ident: String,
    /// The Rust type of one value (without `Option`).
    pub ty: RustType,
    /// `T` rather than `Option<T>`.
    pub required: bool,
    /// A sent value must have it, though it is an `Option`: the field of a type that is also received,
    /// where a response may lack it. `build_unchecked` and `validate` enforce it.
    pub required_to_send: bool,
    /// Documentation lines.
    pub docs: Vec<String>,
    /// A deprecation note.
    pub deprecated: Option<String>,
    /// Checks the validator runs, in order.
    pub checks: Vec<Check>,
    /// The value the provider assumes when the field is not sent.
    pub default: Option<Value>,
    /// The documented example value.
    pub example: Option<Value>,
    /// The value is a struct that (indirectly) contains this field's own struct: it is stored as `Box<T>`
    /// so that the type has a finite size. Set on the fields that close a cycle, and only there.
    pub boxed: bool,
}

/// A Rust type.
#[derive(Debug, Clone, PartialEq)]
pub enum RustType {
    /// `String`.
    String,
    /// `SecretString`.
    Secret,
    /// `bool`.
    Bool,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `u32`.
    U32,
    /// `u64`.
    U64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// A timestamp in a wire format.
    Timestamp(TimeFormat),
    /// A calendar date.
    Date,
    /// Any JSON (`serde_json::Value`).
    Json,
    /// `Vec<T>`.
    List(Box<RustType>),
    /// `BTreeMap<String, T>`.
    Map(Box<RustType>),
    /// A shared struct of the service.
    Struct(TypeId),
    /// A shared enumeration of the service, with its base.
    Enum(TypeId, EnumBase),
}

impl RustType {
    /// Whether a value of this type is `Copy`, so getters return it by value.
    pub fn is_copy(&self) -> bool {
        matches!(
            self,
            RustType::Bool
                | RustType::I32
                | RustType::I64
                | RustType::U32
                | RustType::U64
                | RustType::F32
                | RustType::F64
                | RustType::Timestamp(_)
                | RustType::Date
        )
    }

    /// Whether values compare with `Eq` (no floats or JSON inside).
    pub fn is_eq(&self) -> bool {
        match self {
            RustType::F32 | RustType::F64 | RustType::Json => false,
            RustType::List(inner) | RustType::Map(inner) => inner.is_eq(),
            _ => true,
        }
    }
}

/// The wire type of an enumeration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnumBase {
    /// Strings.
    String,
    /// Integers (`i64` in Rust).
    Int,
}

/// A rule a validator checks.
#[derive(Debug, Clone, PartialEq)]
pub enum Check {
    /// String length.
    Length {
        /// Minimum.
        min: Option<u64>,
        /// Maximum.
        max: Option<u64>,
        /// What is counted.
        unit: LengthUnit,
    },
    /// A regular expression and the rule in words.
    Pattern {
        /// The expression.
        regex: String,
        /// The rule in words.
        description: String,
    },
    /// Base64 with a decoded length range.
    Base64 {
        /// Minimum decoded bytes.
        min: Option<u64>,
        /// Maximum decoded bytes.
        max: Option<u64>,
    },
    /// Integer range.
    IntRange {
        /// Minimum.
        min: Option<i128>,
        /// Maximum.
        max: Option<i128>,
        /// The minimum itself is excluded.
        exclusive_min: bool,
        /// The maximum itself is excluded.
        exclusive_max: bool,
    },
    /// Float range.
    FloatRange {
        /// Minimum.
        min: Option<f64>,
        /// Maximum.
        max: Option<f64>,
        /// The minimum itself is excluded.
        exclusive_min: bool,
        /// The maximum itself is excluded.
        exclusive_max: bool,
    },
    /// Number of list items.
    Items {
        /// Minimum.
        min: Option<u64>,
        /// Maximum.
        max: Option<u64>,
    },
    /// An enumeration value must be one the spec lists.
    Known {
        /// The enumeration, whose `VALUES` lists them.
        enumeration: TypeId,
    },
    /// Nested objects validate themselves.
    Nested,
    /// Required when another field of the same struct has a value.
    RequiredWhen {
        /// The other field's Rust name.
        other_ident: String,
        /// The other field's wire name.
        other_wire: String,
        /// The other field's type.
        other_ty: RustType,
        /// The other field is required (so the built value always has it).
        other_required: bool,
        /// The other field's default, used when it is not set.
        other_default: Option<Value>,
        /// The value that triggers the rule.
        equals: Value,
    },
}

/// An open enumeration.
#[derive(Debug, Clone)]
pub struct EnumIr {
    /// Type name.
    pub ident: String,
    /// Documentation lines.
    pub docs: Vec<String>,
    /// Wire type.
    pub base: EnumBase,
    /// Known values.
    pub variants: Vec<VariantIr>,
}

/// A known enumeration value.
#[derive(Debug, Clone)]
pub struct VariantIr {
    /// Variant name.
    pub ident: String,
    /// Wire value.
    pub value: Value,
    /// Documentation lines.
    pub docs: Vec<String>,
}

/// An action.
#[derive(Debug, Clone)]
pub struct ActionIr {
    /// Wire name (`CreateApiKey`).
    pub wire: String,
    /// Module and method name (`create_api_key`).
    pub module: String,
    /// The action module's documentation.
    pub docs: Vec<String>,
    /// The client method's documentation.
    pub method_docs: Vec<String>,
    /// The request struct.
    pub request: StructIr,
    /// The response struct.
    pub response: StructIr,
    /// The error enum.
    pub error: ErrorEnumIr,
    /// Documented examples.
    pub examples: Vec<ExampleIr>,
    /// Whether the response carries a secret (so raw bodies are never shown).
    pub sensitive_output: bool,
    /// How the runtime sends it.
    pub meta: ActionMetaIr,
    /// Its paginators, when it pages.
    pub paging: Option<PagingIr>,
    /// Why the client method is `#[deprecated]`: the provider deprecated the action or took it offline.
    pub deprecated: Option<String>,
}

/// The paginators of a paged action, and what the runtime's paginator needs to know.
#[derive(Debug, Clone)]
pub struct PagingIr {
    /// The method streaming pages (`describe_instances_pages`).
    pub pages_method: String,
    /// Its documentation.
    pub pages_docs: Vec<String>,
    /// The method streaming items (`describe_instances_items`).
    pub items_method: String,
    /// Its documentation.
    pub items_docs: Vec<String>,
    /// The `static` holding the paging metadata (`DESCRIBE_INSTANCES_PAGING`).
    pub static_ident: String,
    /// Offset, page number or token.
    pub kind: PageKind,
    /// The wire name of the request field that moves: the offset, page number or token.
    pub cursor: String,
    /// The offset or page number is declared a string: it is sent as text.
    pub cursor_as_text: bool,
    /// The first page's number (page-number paging).
    pub first_page: u64,
    /// The wire name of the page size field.
    pub page_size: Option<String>,
    /// The page size is declared a string: it is sent as text.
    pub page_size_as_text: bool,
    /// The largest page size.
    pub max_page_size: Option<u64>,
    /// The response path of the items, by wire names.
    pub items: Vec<String>,
    /// The response path of the total count.
    pub total: Option<Vec<String>>,
    /// The response path of the next token.
    pub next_token: Option<Vec<String>>,
    /// The Rust type of one item.
    pub item: RustType,
}

/// What the runtime needs to send an action.
#[derive(Debug, Clone)]
pub struct ActionMetaIr {
    /// The `static` holding it (`CREATE_API_KEY`).
    pub ident: String,
    /// A blind retry is safe.
    pub idempotent: bool,
    /// The spec's `idempotency_token`: the wire name of the client token the runtime fills with a fresh
    /// UUID per call, or `Param.member` for a member of an object parameter (`body.clientToken`).
    pub idempotency_token: Option<String>,
    /// Requests per second.
    pub rate_limit: Option<u32>,
    /// A region must be sent.
    pub region_required: bool,
    /// HTTP method.
    pub method: String,
    /// Path.
    pub path: String,
    /// Parameters placed other than by the protocol's default: (wire name, location, style).
    pub params: Vec<(String, ParamLocation, Option<ParamStyle>)>,
    /// The success response documents a `Code` field (Alibaba's error envelope has one too).
    pub documents_code: bool,
    /// The success response documents a `Success` field.
    pub documents_success: bool,
}

/// A per-action error enum.
#[derive(Debug, Clone)]
pub struct ErrorEnumIr {
    /// Type name.
    pub ident: String,
    /// Documentation lines.
    pub docs: Vec<String>,
    /// One variant per documented code.
    pub variants: Vec<ErrorVariantIr>,
}

/// A documented error code.
#[derive(Debug, Clone)]
pub struct ErrorVariantIr {
    /// Variant name.
    pub ident: String,
    /// Wire code.
    pub code: String,
    /// Documentation lines.
    pub docs: Vec<String>,
    /// Transient.
    pub retryable: bool,
    /// Throttling.
    pub throttling: bool,
}

/// A documented example, ready to become a test.
#[derive(Debug, Clone)]
pub struct ExampleIr {
    /// Test name stem (`create_api_key_example_1`).
    pub test_ident: String,
    /// The example's title.
    pub title: String,
    /// The request's parameters, when the input could be parsed.
    pub input: Option<serde_json::Map<String, Value>>,
    /// The response body, verbatim, when it is a success.
    pub output: Option<String>,
    /// The response body, verbatim, when it is an error, and its code.
    pub error_output: Option<(String, String)>,
}
