//! The names table: every Rust identifier the generated code of a spec set will use, decided once by
//! [`crate::check`] (which reports every collision on these final names) and only read afterwards.
//!
//! Entries follow the order of the spec maps they name (`spec.types`, `spec.actions`, a struct's
//! fields), so a name is found by the position of its spec entry.

/// How a shared object type is used, which decides what is generated for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Usage {
    /// Sent: private fields, getters, a validating builder, `Serialize`.
    pub input: bool,
    /// Received: `Deserialize` (public fields when not also sent).
    pub output: bool,
}

/// The names of one provider.
#[derive(Debug, Clone, Default)]
pub struct ProviderNames {
    /// Its module (`tencentcloud`).
    pub module: String,
    /// The variant of each common error code, in spec order.
    pub common_errors: Vec<String>,
}

/// The names of one service version.
#[derive(Debug, Clone, Default)]
pub struct ServiceNames {
    /// The service's module (`apigateway`).
    pub service_module: String,
    /// The version's module (`v20180808`).
    pub version_module: String,
    /// The cargo feature of the service (`tencentcloud-apigateway`).
    pub feature: String,
    /// Each shared type, in spec order.
    pub types: Vec<TypeNames>,
    /// Each action, in spec order.
    pub actions: Vec<ActionNames>,
}

/// The names of a shared type.
#[derive(Debug, Clone, Default)]
pub struct TypeNames {
    /// The type (`ApiKey`).
    pub ident: String,
    /// Sent, received, or both.
    pub usage: Usage,
    /// The builder, for an object type that is sent (`ApiKeyBuilder`).
    pub builder: Option<String>,
    /// Each field of an object type, in spec order.
    pub fields: Vec<String>,
    /// Each value of an enumeration, in spec order.
    pub variants: Vec<String>,
}

/// The names of an action.
#[derive(Debug, Clone, Default)]
pub struct ActionNames {
    /// Its module and client method (`create_api_key`).
    pub module: String,
    /// The `static` of its metadata in the client module (`CREATE_API_KEY`).
    pub meta_static: String,
    /// Request, request builder, response and error types.
    pub request: String,
    /// The request's builder.
    pub builder: String,
    /// The response.
    pub response: String,
    /// The error enum.
    pub error: String,
    /// Each request field, in spec order.
    pub request_fields: Vec<String>,
    /// Each response field, in spec order (or `body` for a whole-body response).
    pub response_fields: Vec<String>,
    /// The variant of each error code, in spec order.
    pub errors: Vec<String>,
}
