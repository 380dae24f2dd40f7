//! The wire vocabulary specs and clients share: protocols, parameter locations, serialization
//! styles and kinds of paging. The spec format writes them in snake case (`"location": "query"`); generated code names
//! them as Rust paths (`ParamLocation::Query`) through [`Protocol::variant_name`] and its siblings.

/// The wire protocol of a provider or service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Protocol {
    /// Tencent Cloud API 3.0: `POST /` with a JSON body, action and version in `X-TC-*` headers;
    /// answers `{"Response": {…, "RequestId": …}}`, errors in `Response.Error`.
    TencentJson,
    /// Alibaba Cloud RPC style: parameters in the query (or a form body), action in `x-acs-action`;
    /// fields at the top of the answer, errors as `{"Code", "Message", "RequestId"}`.
    AlibabaRpc,
    /// Alibaba Cloud ROA style: REST paths with path parameters, JSON or form bodies; answers as RPC.
    AlibabaRoa,
}

/// Where a request parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum ParamLocation {
    /// The query string.
    Query,
    /// The body: the whole body for one such parameter, a JSON object of them for several.
    Body,
    /// A form body (`application/x-www-form-urlencoded`).
    Form,
    /// A header.
    Header,
    /// A path segment, replacing `{Name}` in the action's path.
    Path,
    /// Part of the host (product gateways such as SLS and OSS, which cloudspec does not sign).
    Host,
}

/// How a list or object parameter is flattened into a query or form (Alibaba's `style`), as the
/// official SDKs send it. `RepeatList` and `Flat` put the same bytes on the wire: the official SDKs
/// flatten both with one function (`Name.1=a`, `Name.1.Key=v`, `Name.Key=v`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum ParamStyle {
    /// `Name.1=a&Name.2=b`; objects `Name.Key=…`, lists of objects `Name.1.Key=…`.
    RepeatList,
    /// The value as one compact JSON string.
    Json,
    /// The same bytes as `RepeatList`.
    Flat,
    /// Comma-separated scalars.
    Simple,
    /// An XML document body. Only OSS-gateway products (OSS, hcs-mgw) use it, with the OSS signature
    /// instead of ACS3: the runtime refuses to send it, with an error naming the parameter.
    Xml,
}

/// How an action's results are paged: what the client sends to get the next page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum PageKind {
    /// The position of the first item (`Offset`), advanced by the items each page held; Tencent's
    /// `Offset` / `Limit`.
    Offset,
    /// The number of the page (`PageNumber`), from the first page on; Alibaba's `PageNumber` /
    /// `PageSize`.
    PageNumber,
    /// The opaque token the previous page returned (`NextToken`, `Cursor`); the last page returns none,
    /// or an empty one.
    Token,
}

use crate::validation::LengthUnit;

/// The name of each variant as a Rust path segment, for code generators.
macro_rules! variant_names {
    ($($enum:ident { $($variant:ident),* $(,)? })*) => {$(
        impl $enum {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$enum] = &[$($enum::$variant),*];

            /// The variant's Rust name (`AlibabaRpc`), as generated code writes it after `Type::`.
            pub const fn variant_name(self) -> &'static str {
                match self {
                    $($enum::$variant => stringify!($variant)),*
                }
            }
        }
    )*};
}

variant_names! {
    Protocol { TencentJson, AlibabaRpc, AlibabaRoa }
    ParamLocation { Query, Body, Form, Header, Path, Host }
    ParamStyle { RepeatList, Json, Flat, Simple, Xml }
    LengthUnit { Chars, Bytes }
    PageKind { Offset, PageNumber, Token }
}

impl Protocol {
    /// Where a parameter travels when its spec does not say: the JSON body for Tencent, the query for
    /// Alibaba RPC and ROA.
    pub const fn default_location(self) -> ParamLocation {
        match self {
            Protocol::TencentJson => ParamLocation::Body,
            Protocol::AlibabaRpc | Protocol::AlibabaRoa => ParamLocation::Query,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variant_names_are_the_rust_names() {
        assert_eq!(Protocol::AlibabaRoa.variant_name(), "AlibabaRoa");
        assert_eq!(format!("{:?}", ParamStyle::RepeatList), ParamStyle::RepeatList.variant_name());
        for location in ParamLocation::ALL {
            assert_eq!(format!("{location:?}"), location.variant_name());
        }
    }
}
