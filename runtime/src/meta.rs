//! What generated code tells the runtime about a service and an action: static descriptions, built
//! from the spec, that the client reads to address, sign, retry and pace a call.

use cloudspec_rules::Protocol;

/// One service version.
#[derive(Debug)]
pub struct ServiceMeta {
    /// Service name (`apigateway`).
    pub name: &'static str,
    /// The service in the signature's credential scope (Tencent) or the endpoint prefix (Alibaba).
    pub signing_name: &'static str,
    /// API version (`2018-08-08`).
    pub version: &'static str,
    /// Wire protocol.
    pub protocol: Protocol,
    /// Hosts.
    pub endpoints: EndpointsMeta,
}

impl ServiceMeta {
    /// Its action called `name`, with the defaults of [`ActionMeta::new`].
    pub const fn action(&'static self, name: &'static str) -> ActionMeta {
        ActionMeta::new(self, name)
    }
}

/// Hosts of a service, from the spec (the provider's rules already applied).
#[derive(Debug)]
pub struct EndpointsMeta {
    /// Default host.
    pub default: Option<&'static str>,
    /// International-site host.
    pub international: Option<&'static str>,
    /// Regional host pattern with `{region}`.
    pub regional: Option<&'static str>,
    /// Hosts listed per region.
    pub regions: &'static [(&'static str, &'static str)],
}

/// Whether an action needs a region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionRule {
    /// The request must carry a region.
    Required,
    /// A configured region is sent; none is needed.
    Optional,
}

pub use cloudspec_rules::{ParamLocation, ParamStyle};

/// A parameter's wire placement, listed only when it is not the protocol's default.
///
/// For Alibaba requests (RPC and ROA): `Query` (the default) and `Form` parameters are flattened by
/// their style into the query or an `application/x-www-form-urlencoded` body; a `Path` parameter
/// replaces `{Name}` in [`ActionMeta::path`], percent-encoded; a `Header` parameter is sent as a
/// header; a `Body` parameter is the whole body (Openmeta's `in: body`): a string is sent as is, any
/// other value as compact JSON. When several parameters are at `Body`, the body is a JSON object of
/// them. `Host` parameters belong to product gateways (SLS, OSS) the runtime does not implement.
#[derive(Debug)]
pub struct ParamMeta {
    /// Wire name.
    pub name: &'static str,
    /// Where it goes.
    pub location: ParamLocation,
    /// How it is flattened.
    pub style: Option<ParamStyle>,
}

impl ParamMeta {
    /// The parameter `name` at `location`, flattened by the protocol's default style.
    pub const fn new(name: &'static str, location: ParamLocation) -> Self {
        ParamMeta { name, location, style: None }
    }

    /// Flattened by `style`.
    pub const fn style(mut self, style: ParamStyle) -> Self {
        self.style = Some(style);
        self
    }
}

/// One action.
#[derive(Debug)]
pub struct ActionMeta {
    /// Its service.
    pub service: &'static ServiceMeta,
    /// Wire name (`CreateApiKey`).
    pub name: &'static str,
    /// A blind retry is safe.
    pub idempotent: bool,
    /// Requests per second the provider accepts.
    pub rate_limit: Option<u32>,
    /// Whether a region is needed.
    pub region: RegionRule,
    /// HTTP method.
    pub method: &'static str,
    /// Request path (ROA paths carry `{Name}` placeholders; a `?` starts fixed query parameters,
    /// `/jobs/{Name}?result` or `/logs?type=log`).
    pub path: &'static str,
    /// The response may carry a secret: raw bodies are never shown.
    pub sensitive_output: bool,
    /// Parameters whose placement differs from the protocol's default.
    pub params: &'static [ParamMeta],
    /// The wire name of the request field that makes a write safe to retry (a client token). When the
    /// caller leaves it unset, the client fills it with a fresh UUID v4 per call and sends the same
    /// value on every retry of that call; with a token, the call is retried as an idempotent one.
    /// `body.clientToken` names a member of the body parameter `body` (ROA bodies).
    pub idempotency_token: Option<&'static str>,
    /// Which of the members Alibaba error envelopes use the action's success response documents: they
    /// decide whether an HTTP 2xx answer is a success or an error (see [`StatusFields`]).
    pub status_fields: StatusFields,
}

impl ActionMeta {
    /// An action of `service` called `name`, with the defaults generated code leaves out: not
    /// idempotent, no rate limit, region optional, `POST /`, no secret in the response, parameters
    /// where the protocol puts them, no client token, no status fields documented. Generated statics
    /// name only what differs, one method each:
    /// `SERVICE.action("X").rate_limit(20).region_required()` ([`ServiceMeta::action`]).
    pub const fn new(service: &'static ServiceMeta, name: &'static str) -> Self {
        ActionMeta {
            service,
            name,
            idempotent: false,
            rate_limit: None,
            region: RegionRule::Optional,
            method: "POST",
            path: "/",
            sensitive_output: false,
            params: &[],
            idempotency_token: None,
            status_fields: StatusFields { code: false, success: false },
        }
    }

    /// A blind retry is safe.
    pub const fn idempotent(mut self) -> Self {
        self.idempotent = true;
        self
    }

    /// The provider accepts `per_second` requests per second.
    pub const fn rate_limit(mut self, per_second: u32) -> Self {
        self.rate_limit = Some(per_second);
        self
    }

    /// The request must carry a region.
    pub const fn region_required(mut self) -> Self {
        self.region = RegionRule::Required;
        self
    }

    /// Sent with this HTTP method rather than `POST`.
    pub const fn method(mut self, method: &'static str) -> Self {
        self.method = method;
        self
    }

    /// Sent to this path rather than `/` (with placeholders and fixed query parameters, as the field
    /// `path` says).
    pub const fn path(mut self, path: &'static str) -> Self {
        self.path = path;
        self
    }

    /// The response may carry a secret.
    pub const fn sensitive_output(mut self) -> Self {
        self.sensitive_output = true;
        self
    }

    /// Parameters placed other than where the protocol puts them.
    pub const fn params(mut self, params: &'static [ParamMeta]) -> Self {
        self.params = params;
        self
    }

    /// The request field that makes a write safe to retry (a client token; as the field
    /// `idempotency_token` says).
    pub const fn idempotency_token(mut self, wire_name: &'static str) -> Self {
        self.idempotency_token = Some(wire_name);
        self
    }

    /// The status fields the success response documents (see [`StatusFields`]).
    pub const fn status_fields(mut self, code: bool, success: bool) -> Self {
        self.status_fields = StatusFields { code, success };
        self
    }
}

/// Whether a success response documents `Code` and `Success` at its top level.
///
/// Alibaba services sometimes answer an error with HTTP 200 and an error envelope (`Code`, `Message`,
/// `RequestId`), while many success responses document a `Code` of their own (`"Code": "200"`) or a
/// `Success` flag. So a 2xx answer is an error when a documented `Success` is `false`, or when the
/// response does not document `Code` and the body has a string `Code` with a string `Message`;
/// otherwise it is a success (a documented `Code` is then part of the output, whatever its value).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StatusFields {
    /// The success response documents a top-level `Code`.
    pub code: bool,
    /// The success response documents a top-level `Success`.
    pub success: bool,
}

pub use cloudspec_rules::PageKind;

/// How a paged action pages, from its spec's `pagination`: what the runtime's paginators
/// ([`Pages`](crate::paginate::Pages), [`Items`](crate::paginate::Items)) set on each request and read
/// from each response. Response fields are paths of wire names from the top of the payload.
#[derive(Debug)]
pub struct PagingMeta {
    /// Offset, page number or token.
    pub kind: PageKind,
    /// The request field that moves from page to page: the offset, the page number or the token.
    pub cursor: &'static str,
    /// The offset or page number is declared a string, and is sent as text (`"20"`).
    pub cursor_as_text: bool,
    /// The first page's number (page-number paging; usually 1).
    pub first_page: u64,
    /// The request field of the page size, when there is one.
    pub page_size: Option<&'static str>,
    /// The page size is declared a string, and is sent as text.
    pub page_size_as_text: bool,
    /// The largest page size the provider documents.
    pub max_page_size: Option<u64>,
    /// Where each page's items are (`["Instances", "Instance"]`).
    pub items: &'static [&'static str],
    /// Where the total count is, when the response has one.
    pub total: Option<&'static [&'static str]>,
    /// Where the next page's token is (token paging).
    pub next_token: Option<&'static [&'static str]>,
}
