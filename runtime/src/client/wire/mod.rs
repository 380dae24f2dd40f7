//! Building and signing the HTTP request of one attempt, per protocol. Every attempt is signed afresh:
//! new timestamp, new nonce.
//!
//! Alibaba requests (RPC and ROA) are serialized once per call into an [`AlibabaRequest`], then signed
//! per attempt by [`sign_alibaba`]; both are pure, so the cross-check against the official Python SDK
//! (`tests/interop/signature_crosscheck.py`) drives them with fixed times and nonces. The bytes follow
//! the official SDKs (`alibabacloud_tea_openapi` `Client.do_request`, its `Utils.query` / `to_form`,
//! darabonba's `percent_encode`), with one deliberate difference: booleans are written `true` /
//! `false`, as the Java and Go SDKs, Alibaba's documentation and JSON write them, where Python's
//! `str()` writes `True` / `False`.

use std::collections::BTreeMap;
use std::fmt;

use bytes::Bytes;

use reqwest::Method;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde_json::Value;

use super::endpoint::Target;
use crate::config::Config;
use crate::credentials::Credentials;
use crate::meta::{ActionMeta, ParamLocation, ParamStyle, RegionRule};
use crate::signing::{SigningKeyCache, acs3, percent_encode, sha256_hex, tc3};
use cloudspec_rules::Protocol;

mod text;

use text::header_text;
pub use text::{flatten, form_string, json_text, number_text, scalar_text};

/// A request's parameters, serialized once for every attempt.
pub enum Body {
    /// Tencent: the JSON body (shared, not copied, by every attempt).
    Json(Bytes),
    /// Alibaba RPC and ROA.
    Alibaba(AlibabaRequest),
}

impl Body {
    /// Serializes the request for the action's protocol.
    pub fn new(action: &ActionMeta, params: &Value) -> Result<Body, String> {
        match action.service.protocol {
            Protocol::TencentJson => {
                serde_json::to_vec(params).map(|json| Body::Json(json.into())).map_err(|e| e.to_string())
            }
            Protocol::AlibabaRpc | Protocol::AlibabaRoa => AlibabaRequest::new(action, params).map(Body::Alibaba),
        }
    }
}

/// The content type of JSON bodies, as the official SDKs send it.
pub const JSON_CONTENT_TYPE: &str = "application/json; charset=utf-8";
/// The content type of form bodies.
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// An Alibaba request, serialized: everything but the per-attempt signature.
#[derive(Clone, PartialEq, Eq)]
pub struct AlibabaRequest {
    /// The HTTP method, upper-case.
    pub method: String,
    /// The path, path parameters substituted and percent-encoded: the URL path and the canonical URI
    /// (`/` for RPC).
    pub path: String,
    /// Query parameters, flattened, unencoded, one value per name, sorted by name.
    pub query: Vec<(String, String)>,
    /// Header parameters, in the spec's order.
    pub headers: Vec<(String, String)>,
    /// The body bytes (empty when there is no body), shared, not copied, by every attempt.
    pub body: Bytes,
    /// The body's content type, when there is a body.
    pub content_type: Option<&'static str>,
}

/// Parameter values may be secrets: only the shape is shown.
impl fmt::Debug for AlibabaRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AlibabaRequest")
            .field("method", &self.method)
            .field("query_parameters", &self.query.len())
            .field("header_parameters", &self.headers.len())
            .field("body_bytes", &self.body.len())
            .field("content_type", &self.content_type)
            .finish_non_exhaustive()
    }
}

impl AlibabaRequest {
    /// Serializes the parameters of an Alibaba action (the request struct as JSON) by their placement
    /// and style.
    pub fn new(action: &ActionMeta, params: &Value) -> Result<AlibabaRequest, String> {
        let Value::Object(object) = params else { return Err("the request is not an object".into()) };
        let roa = action.service.protocol == Protocol::AlibabaRoa;
        let mut query = BTreeMap::new();
        let mut form = BTreeMap::new();
        let mut has_form = false;
        let mut headers = Vec::new();
        let mut path_values: Vec<(&str, String)> = Vec::new();
        let mut body_params: Vec<(&str, &Value, Option<ParamStyle>)> = Vec::new();
        let body_locations = action.params.iter().filter(|p| p.location == ParamLocation::Body).count();
        for (name, value) in object {
            if value.is_null() {
                continue;
            }
            let meta = action.params.iter().find(|p| p.name == name);
            let style = meta.and_then(|m| m.style);
            let location = meta.map_or(ParamLocation::Query, |m| m.location);
            if style == Some(ParamStyle::Xml) {
                return Err(format!(
                    "`{name}` is an XML body: XML bodies belong to OSS-gateway products, which cloudspec does not sign"
                ));
            }
            match location {
                ParamLocation::Query => flatten(name, value, style, &mut query),
                ParamLocation::Form => {
                    // As the official SDKs do, a form parameter that flattens to nothing (`[]`, `{}`)
                    // still makes an (empty) form body.
                    has_form = true;
                    flatten(name, value, style, &mut form)
                }
                ParamLocation::Header => headers.push((name.clone(), header_text(value))),
                ParamLocation::Path => path_values.push((name.as_str(), scalar_text(value))),
                ParamLocation::Body => body_params.push((name.as_str(), value, style)),
                ParamLocation::Host => {
                    return Err(format!(
                        "`{name}` is part of the host: host parameters belong to product gateways (SLS, OSS) cloudspec does not implement"
                    ));
                }
            }
        }
        let (path, fixed_query) = if roa { expand_path(action.path, &path_values)? } else { ("/".into(), None) };
        if let Some(fixed) = fixed_query {
            // As the official OSS gateway does with `/job/{Name}?jobResult`: each `name[=value]` joins
            // the query unless the request already gives that name a non-empty value.
            for item in fixed.split('&') {
                let parts: Vec<&str> = item.split('=').collect();
                let value = if parts.len() == 2 { parts[1] } else { "" };
                if query.get(parts[0]).is_none_or(|v: &String| v.is_empty()) {
                    query.insert(parts[0].to_string(), value.to_string());
                }
            }
        }
        let (body, content_type) = match (body_params.as_slice(), has_form) {
            ([], false) => (Vec::new(), None),
            ([], true) => (form_string(&form).into_bytes(), Some(FORM_CONTENT_TYPE)),
            (_, true) => return Err("the request has both form parameters and a body".into()),
            ([(_, value, _)], false) if body_locations <= 1 => (body_bytes(value), Some(JSON_CONTENT_TYPE)),
            (several, false) => {
                let object: serde_json::Map<String, Value> =
                    several.iter().map(|(name, value, _)| (name.to_string(), (*value).clone())).collect();
                (json_text(&Value::Object(object)).into_bytes(), Some(JSON_CONTENT_TYPE))
            }
        };
        Ok(AlibabaRequest {
            method: action.method.to_ascii_uppercase(),
            path,
            query: query.into_iter().collect(),
            headers,
            body: body.into(),
            content_type,
        })
    }
}

/// Substitutes `{Name}` placeholders, each value percent-encoded as one segment (RFC 3986 unreserved
/// characters kept, `/` encoded, as darabonba's `percent_encode`), and greedy `{Name+}` placeholders, whose
/// value spans segments (see [`push_greedy`]); returns the path and the fixed query after a `?`, if any.
fn expand_path(template: &str, values: &[(&str, String)]) -> Result<(String, Option<String>), String> {
    let (template, fixed) = match template.split_once('?') {
        Some((path, query)) => (path, Some(query.to_string())),
        None => (template, None),
    };
    let mut path = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|i| open + i) else { break };
        path.push_str(&rest[..open]);
        let label = &rest[open + 1..close];
        let (name, greedy) = match label.strip_suffix('+') {
            Some(name) => (name, true),
            None => (label, false),
        };
        let value = values
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
            .ok_or_else(|| format!("the path parameter `{name}` is not set"))?;
        if greedy {
            push_greedy(&mut path, name, value)?;
        } else {
            path.push_str(&percent_encode(value));
        }
        rest = &rest[close + 1..];
    }
    path.push_str(rest);
    if path.is_empty() {
        path.push('/');
    }
    Ok((path, fixed))
}

/// Appends the value of a greedy `{Name+}` label: split on `/`, each segment percent-encoded as an
/// ordinary label's value, re-joined with `/`. A leading `/` is not doubled after the template's (callers
/// copy documented paths such as `/api/v1/...`). The value must not be able to leave the place the
/// template gives it, so an empty value, an empty segment (`a//b`, a trailing `/`) and a `.` or `..`
/// segment are errors; the message names the parameter, never the value (it may be a secret).
fn push_greedy(path: &mut String, name: &str, value: &str) -> Result<(), String> {
    let value = if path.ends_with('/') { value.strip_prefix('/').unwrap_or(value) } else { value };
    if value.is_empty() {
        return Err(format!("the path parameter `{name}` is empty"));
    }
    for (i, segment) in value.split('/').enumerate() {
        match segment {
            "" => return Err(format!("the path parameter `{name}` has an empty segment (`//` or a trailing `/`)")),
            "." | ".." => {
                return Err(format!(
                    "the path parameter `{name}` has a `{segment}` segment, which would leave its place"
                ));
            }
            _ => {}
        }
        if i > 0 {
            path.push('/');
        }
        path.push_str(&percent_encode(segment));
    }
    Ok(())
}

/// A body parameter's bytes: a string as is, anything else as compact JSON.
fn body_bytes(value: &Value) -> Vec<u8> {
    match value {
        Value::String(text) => text.clone().into_bytes(),
        other => json_text(other).into_bytes(),
    }
}

/// What signing an Alibaba request needs besides the request and the credentials.
#[derive(Debug, Clone, Copy)]
pub struct AlibabaSigning<'a> {
    /// The action (`x-acs-action`).
    pub action: &'a str,
    /// The API version (`x-acs-version`).
    pub version: &'a str,
    /// The `host` header.
    pub host: &'a str,
    /// `x-acs-date`, ISO 8601 UTC to the second (`2024-01-01T00:00:00Z`).
    pub date: &'a str,
    /// `x-acs-signature-nonce`.
    pub nonce: &'a str,
}

/// A signed Alibaba request: headers to send and the URL's query.
#[derive(Clone)]
pub struct SignedAlibaba {
    /// Every header to send, lower-case names, `authorization` last.
    pub headers: Vec<(String, String)>,
    /// The canonical (and sent) query string.
    pub query: String,
    /// The `Authorization` header.
    pub authorization: String,
}

/// The headers carry the session token and the signature.
impl fmt::Debug for SignedAlibaba {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignedAlibaba").field("query_bytes", &self.query.len()).finish_non_exhaustive()
    }
}

/// Headers the runtime sets itself; a header parameter of the same name is ignored.
const OWN_HEADERS: [&str; 9] = [
    "host",
    "x-acs-action",
    "x-acs-version",
    "x-acs-date",
    "x-acs-signature-nonce",
    "x-acs-content-sha256",
    "x-acs-security-token",
    "x-acs-accesskey-id",
    "authorization",
];

/// Signs an Alibaba request with ACS3-HMAC-SHA256, as the official `do_request` does: `host`,
/// `content-type` and every `x-acs-*` header signed (header parameters included), the body's SHA-256
/// in `x-acs-content-sha256`, and with a session token `x-acs-accesskey-id` and `x-acs-security-token`.
pub fn sign_alibaba(
    request: &AlibabaRequest,
    signing: &AlibabaSigning<'_>,
    credentials: &Credentials,
) -> SignedAlibaba {
    let (mut headers, hashed_payload) = alibaba_headers(request, signing);
    if let Some(token) = credentials.session_token() {
        headers.push(("x-acs-accesskey-id".into(), credentials.access_key_id().into()));
        headers.push(("x-acs-security-token".into(), token.expose_secret().into()));
    }
    let query: Vec<(&str, &str)> = request.query.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let header_pairs: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let signed = acs3::authorize(
        &acs3::Acs3Request {
            method: &request.method,
            canonical_uri: &request.path,
            query: &query,
            headers: &header_pairs,
            hashed_payload: &hashed_payload,
        },
        credentials.access_key_id(),
        credentials.secret(),
    );
    headers.push(("authorization".into(), signed.authorization.clone()));
    SignedAlibaba { headers, query: signed.canonical_query, authorization: signed.authorization }
}

/// The headers of an Alibaba request before signing (no `authorization`, no session token), and the
/// body's SHA-256. An unsigned request (STS `AssumeRoleWithOIDC`) is sent with exactly these.
fn alibaba_headers(request: &AlibabaRequest, signing: &AlibabaSigning<'_>) -> (Vec<(String, String)>, String) {
    let hashed_payload = sha256_hex(&request.body);
    let mut headers: Vec<(String, String)> = vec![
        ("host".into(), signing.host.into()),
        ("x-acs-action".into(), signing.action.into()),
        ("x-acs-version".into(), signing.version.into()),
        ("x-acs-date".into(), signing.date.into()),
        ("x-acs-signature-nonce".into(), signing.nonce.into()),
        ("x-acs-content-sha256".into(), hashed_payload.clone()),
        ("accept".into(), "application/json".into()),
    ];
    let mut content_type = request.content_type.map(str::to_string);
    for (name, value) in &request.headers {
        let lower = name.to_ascii_lowercase();
        if OWN_HEADERS.contains(&lower.as_str()) || lower == "accept" {
            continue;
        }
        if lower == "content-type" {
            content_type = Some(value.clone());
            continue;
        }
        headers.push((lower, value.clone()));
    }
    if let Some(content_type) = content_type {
        headers.push(("content-type".into(), content_type));
    }
    (headers, hashed_payload)
}

fn header(value: &str) -> Result<HeaderValue, String> {
    HeaderValue::from_str(value).map_err(|_| not_a_header_value())
}

fn not_a_header_value() -> String {
    "a header value has characters HTTP does not allow".to_string()
}

/// A header value from static text (an action's name, an API version): shared, not copied, when it is
/// visible ASCII, which is what `HeaderValue::from_static` accepts without panicking; checked and
/// copied as any other value otherwise.
fn static_header(value: &'static str) -> Result<HeaderValue, String> {
    if value.bytes().all(|b| (b' '..=b'~').contains(&b) || b == b'\t') {
        Ok(HeaderValue::from_static(value))
    } else {
        header(value)
    }
}

// Header names known at compile time: `HeaderName::from_static` is a `const fn`, so these cost
// nothing per request (called at run time it scans the standard header table every time).
const CONTENT_TYPE: HeaderName = HeaderName::from_static("content-type");
const HOST: HeaderName = HeaderName::from_static("host");
const AUTHORIZATION: HeaderName = HeaderName::from_static("authorization");
const X_TC_ACTION: HeaderName = HeaderName::from_static("x-tc-action");
const X_TC_VERSION: HeaderName = HeaderName::from_static("x-tc-version");
const X_TC_TIMESTAMP: HeaderName = HeaderName::from_static("x-tc-timestamp");
const X_TC_REQUESTCLIENT: HeaderName = HeaderName::from_static("x-tc-requestclient");
const X_TC_REGION: HeaderName = HeaderName::from_static("x-tc-region");
const X_TC_TOKEN: HeaderName = HeaderName::from_static("x-tc-token");
const X_TC_LANGUAGE: HeaderName = HeaderName::from_static("x-tc-language");

/// Builds and signs one attempt; without credentials, builds it unsigned (Tencent's
/// `Authorization: SKIP`, Alibaba's anonymous request). TC3 keys come from `signing_keys`, the
/// client's, so they are derived once a day per secret and service.
pub fn build(
    config: &Config,
    action: &ActionMeta,
    target: &Target,
    body: &Body,
    credentials: Option<&Credentials>,
    signing_keys: &SigningKeyCache,
) -> Result<reqwest::Request, String> {
    let now = time::OffsetDateTime::now_utc();
    let service = action.service;
    // Room for every header either protocol sets, so the map is allocated once and never grows.
    let mut headers = HeaderMap::with_capacity(16);
    let request = match body {
        Body::Json(bytes) => {
            let content_type = "application/json; charset=utf-8";
            let timestamp = now.unix_timestamp();
            let region = config.region_for(service.protocol);
            if action.region == RegionRule::Required && region.is_none() {
                return Err(format!("{} needs a region: set one in the config", action.name));
            }
            let authorization = match credentials {
                Some(credentials) => tc3::authorization(
                    &tc3::Tc3Request {
                        method: "POST",
                        host: &target.host,
                        path: "/",
                        canonical_query: "",
                        content_type,
                        payload: bytes,
                        action: Some(action.name),
                        service: service.signing_name,
                        timestamp,
                    },
                    credentials.access_key_id(),
                    credentials.secret(),
                    signing_keys,
                ),
                None => "SKIP".to_string(),
            };
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
            headers.insert(HOST, target.host_value().ok_or_else(not_a_header_value)?);
            headers.insert(X_TC_ACTION, static_header(action.name)?);
            headers.insert(X_TC_VERSION, static_header(service.version)?);
            headers.insert(X_TC_TIMESTAMP, HeaderValue::from(timestamp));
            headers.insert(X_TC_REQUESTCLIENT, header(&config.user_agent)?);
            if let Some(region) = region {
                headers.insert(X_TC_REGION, header(region)?);
            }
            if let Some(token) = credentials.and_then(Credentials::session_token) {
                headers.insert(X_TC_TOKEN, sensitive(header(token.expose_secret())?));
            }
            if let Some(language) = &config.language {
                headers.insert(X_TC_LANGUAGE, header(language)?);
            }
            headers.insert(AUTHORIZATION, sensitive(header(&authorization)?));
            http_request(Method::POST, target.root().clone(), headers, bytes.clone())
        }
        Body::Alibaba(request) => {
            let date = now
                .replace_nanosecond(0)
                .unwrap_or(now)
                .format(&time::format_description::well_known::Rfc3339)
                .map_err(|e| e.to_string())?;
            let nonce = hex::encode(rand::random::<[u8; 16]>());
            let signing = AlibabaSigning {
                action: action.name,
                version: service.version,
                host: &target.host,
                date: &date,
                nonce: &nonce,
            };
            let (signed_headers, query) = match credentials {
                Some(credentials) => {
                    let signed = sign_alibaba(request, &signing, credentials);
                    (signed.headers, signed.query)
                }
                None => {
                    let query: Vec<(&str, &str)> =
                        request.query.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                    (alibaba_headers(request, &signing).0, acs3::canonical_query(&query))
                }
            };
            for (name, value) in &signed_headers {
                let name = HeaderName::from_bytes(name.as_bytes())
                    .map_err(|_| format!("`{name}` is not an HTTP header name"))?;
                let value = header(value)?;
                let secret = name == "authorization" || name == "x-acs-security-token";
                headers.append(name, if secret { sensitive(value) } else { value });
            }
            let method = Method::from_bytes(request.method.as_bytes())
                .map_err(|_| format!("`{}` is not an HTTP method", request.method))?;
            let url = target.url(&request.path, &query)?;
            http_request(method, url, headers, request.body.clone())
        }
    };
    Ok(request)
}

/// A request with exactly these headers, moved in rather than merged into a builder's.
fn http_request(method: Method, url: url::Url, headers: HeaderMap, body: Bytes) -> reqwest::Request {
    let mut request = reqwest::Request::new(method, url);
    *request.headers_mut() = headers;
    *request.body_mut() = Some(body.into());
    request
}

/// Marks a header value as sensitive, so HTTP libraries never print it.
fn sensitive(mut value: HeaderValue) -> HeaderValue {
    value.set_sensitive(true);
    value
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::{EndpointsMeta, ParamMeta, ServiceMeta};
    use serde_json::json;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    static SERVICE: ServiceMeta = ServiceMeta {
        name: "cs",
        signing_name: "cs",
        version: "2015-12-15",
        protocol: Protocol::AlibabaRoa,
        endpoints: EndpointsMeta {
            default: Some("cs.aliyuncs.com"),
            international: None,
            regional: None,
            regions: &[],
        },
    };

    fn roa(path: &'static str, params: &'static [ParamMeta]) -> ActionMeta {
        ActionMeta {
            service: &SERVICE,
            name: "Act",
            idempotent: false,
            rate_limit: None,
            region: RegionRule::Optional,
            method: "post",
            path,
            sensitive_output: false,
            params,
            idempotency_token: None,
            status_fields: crate::meta::StatusFields::default(),
        }
    }

    const PATH_AND_BODY: &[ParamMeta] = &[
        ParamMeta { name: "ClusterId", location: ParamLocation::Path, style: None },
        ParamMeta { name: "body", location: ParamLocation::Body, style: Some(ParamStyle::Json) },
        ParamMeta { name: "x-acs-token", location: ParamLocation::Header, style: None },
    ];

    #[test]
    fn roa_paths_bodies_and_headers() {
        let action = roa("/clusters/{ClusterId}/pools?type=log&flag", PATH_AND_BODY);
        let params = json!({"ClusterId": "a b/é?", "body": {"n": 1, "s": "ü"}, "x-acs-token": "t", "type": "mine"});
        let request = AlibabaRequest::new(&action, &params).unwrap();
        assert_eq!(request.method, "POST");
        assert_eq!(request.path, "/clusters/a%20b%2F%C3%A9%3F/pools");
        // The caller's `type` wins over the path's; `flag` has no value.
        assert_eq!(request.query, pairs(&[("flag", ""), ("type", "mine")]));
        assert_eq!(request.body, "{\"n\":1,\"s\":\"ü\"}".as_bytes());
        assert_eq!(request.content_type, Some(JSON_CONTENT_TYPE));
        assert_eq!(request.headers, pairs(&[("x-acs-token", "t")]));

        // A string body is sent as is.
        let request = AlibabaRequest::new(&action, &json!({"ClusterId": "c", "body": "raw {"})).unwrap();
        assert_eq!(request.body, b"raw {".as_slice());
        assert_eq!(request.query, pairs(&[("flag", ""), ("type", "log")]));

        // A missing path parameter is an error, not a request to another resource.
        let error = AlibabaRequest::new(&action, &json!({"body": {}})).unwrap_err();
        assert!(error.contains("`ClusterId`"), "{error}");
    }

    const WHOLE_PATH: &[ParamMeta] = &[
        ParamMeta { name: "requestPath", location: ParamLocation::Path, style: None },
        ParamMeta { name: "regionId", location: ParamLocation::Query, style: None },
    ];

    #[test]
    fn a_greedy_label_spans_segments_each_encoded() {
        let action = roa("/{requestPath+}", WHOLE_PATH);
        let path = |value: &str| AlibabaRequest::new(&action, &json!({"requestPath": value, "regionId": "cn"}));
        // The documented form, with its leading `/`: not doubled.
        let request = path("/api/v1/providers/Aliyun/products/Redis/resources/DBInstance/r-8vbf5abe31c").unwrap();
        assert_eq!(request.path, "/api/v1/providers/Aliyun/products/Redis/resources/DBInstance/r-8vbf5abe31c");
        assert_eq!(request.query, pairs(&[("regionId", "cn")]));
        // Without it, the same path.
        assert_eq!(path("api/v1/x").unwrap().path, "/api/v1/x");
        // Each segment is encoded as an ordinary label is; `/` separates them.
        assert_eq!(path("/a b/é?#/%2F").unwrap().path, "/a%20b/%C3%A9%3F%23/%252F");
        // A greedy label after literal segments, and an ordinary one before it.
        const BOTH: &[ParamMeta] = &[
            ParamMeta { name: "Id", location: ParamLocation::Path, style: None },
            ParamMeta { name: "Key", location: ParamLocation::Path, style: None },
        ];
        let request =
            AlibabaRequest::new(&roa("/buckets/{Id}/objects/{Key+}", BOTH), &json!({"Id": "a/b", "Key": "x/y z"}));
        assert_eq!(request.unwrap().path, "/buckets/a%2Fb/objects/x/y%20z");
        // What is signed (the canonical URI, `request.path`) is what is sent: the URL keeps the path as is.
        for value in ["/a b/é/x.y", "/a..b/%2e%2e/~-_"] {
            let request = path(value).unwrap();
            let url = Target::new("https", "h".into()).unwrap().url(&request.path, "").unwrap();
            assert_eq!(url.path(), request.path, "{value:?}");
        }
    }

    #[test]
    fn a_greedy_value_cannot_escape_its_place() {
        let action = roa("/api/{requestPath+}", WHOLE_PATH);
        let error = |value: &str| AlibabaRequest::new(&action, &json!({"requestPath": value})).unwrap_err();
        for empty in ["", "/"] {
            assert!(error(empty).contains("`requestPath` is empty"), "{empty:?}: {}", error(empty));
        }
        for value in ["a//b", "a/b/", "//a"] {
            assert!(error(value).contains("an empty segment"), "{value:?}: {}", error(value));
        }
        for value in ["..", "a/../../admin", "./a", "a/."] {
            let message = error(value);
            assert!(message.contains("segment, which would leave its place"), "{value:?}: {message}");
            assert!(!message.contains("admin"), "the value is not echoed: {message}");
        }
        // `..` inside a segment is an ordinary name; encoded dots are not dot segments on the wire.
        assert_eq!(AlibabaRequest::new(&action, &json!({"requestPath": "a..b/...x"})).unwrap().path, "/api/a..b/...x");
        let missing = AlibabaRequest::new(&action, &json!({})).unwrap_err();
        assert!(missing.contains("`requestPath` is not set"), "{missing}");
    }

    #[test]
    fn xml_and_host_parameters_are_refused_by_name() {
        const XML: &[ParamMeta] =
            &[ParamMeta { name: "body", location: ParamLocation::Body, style: Some(ParamStyle::Xml) }];
        let error = AlibabaRequest::new(&roa("/x", XML), &json!({"body": {"a": 1}})).unwrap_err();
        assert!(error.contains("`body` is an XML body"), "{error}");
        const HOST: &[ParamMeta] = &[ParamMeta { name: "project", location: ParamLocation::Host, style: None }];
        let error = AlibabaRequest::new(&roa("/x", HOST), &json!({"project": "p"})).unwrap_err();
        assert!(error.contains("`project` is part of the host"), "{error}");
    }

    #[test]
    fn static_header_values_are_shared_when_visible_ascii_and_checked_otherwise() {
        let shared = static_header("UpdateApiAppKey").unwrap();
        assert_eq!(shared, "UpdateApiAppKey");
        // The value points at the static text itself: nothing was copied.
        assert_eq!(shared.as_bytes().as_ptr(), "UpdateApiAppKey".as_ptr());
        // Bytes `from_static` would panic on go through the checked path, accepted or refused as before.
        assert_eq!(static_header("versión").unwrap().as_bytes(), "versión".as_bytes());
        assert_eq!(static_header("a\r\nx-evil: 1").unwrap_err(), not_a_header_value());
        assert_eq!(static_header("tab\tok").unwrap(), "tab\tok");
    }

    #[test]
    fn signing_keeps_secrets_out_of_debug() {
        let action = roa("/clusters/{ClusterId}/pools", PATH_AND_BODY);
        let request =
            AlibabaRequest::new(&action, &json!({"ClusterId": "c", "body": {"password": "hunter2"}})).unwrap();
        let credentials = Credentials::new("id", "secret-value").unwrap().with_session_token("token-value").unwrap();
        let signing = AlibabaSigning { action: "Act", version: "v", host: "h", date: "d", nonce: "n" };
        let signed = sign_alibaba(&request, &signing, &credentials);
        let shown = format!("{request:?} {signed:?}");
        for secret in ["hunter2", "secret-value", "token-value", "Signature="] {
            assert!(!shown.contains(secret), "{shown}");
        }
        let header_pairs: Vec<(&str, &str)> = signed.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let expected = acs3::sign(
            &acs3::Acs3Request {
                method: "POST",
                canonical_uri: "/clusters/c/pools",
                query: &[],
                headers: &header_pairs,
                hashed_payload: &sha256_hex(&request.body),
            },
            "id",
            "secret-value",
        );
        assert_eq!(signed.authorization, expected.authorization, "{}", expected.canonical_request);
        assert!(expected.signed_headers.contains("x-acs-security-token"), "{}", expected.signed_headers);
        assert_eq!(signed.headers.last().map(|(n, _)| n.as_str()), Some("authorization"));
        assert!(signed.headers.iter().any(|(n, v)| n == "x-acs-accesskey-id" && v == "id"));
    }
}
