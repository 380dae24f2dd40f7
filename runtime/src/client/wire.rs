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

use reqwest::Method;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde_json::Value;

use super::endpoint::Target;
use crate::config::Config;
use crate::credentials::Credentials;
use crate::meta::{ActionMeta, ParamLocation, ParamStyle, RegionRule};
use crate::signing::{SigningKeyCache, acs3, percent_encode, sha256_hex, tc3};
use cloudspec_rules::Protocol;

/// A request's parameters, serialized once for every attempt.
pub enum Body {
    /// Tencent: the JSON body.
    Json(Vec<u8>),
    /// Alibaba RPC and ROA.
    Alibaba(AlibabaRequest),
}

impl Body {
    /// Serializes the request for the action's protocol.
    pub fn new(action: &ActionMeta, params: &Value) -> Result<Body, String> {
        match action.service.protocol {
            Protocol::TencentJson => serde_json::to_vec(params).map(Body::Json).map_err(|e| e.to_string()),
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
    /// The body bytes (empty when there is no body).
    pub body: Vec<u8>,
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
            body,
            content_type,
        })
    }
}

/// Substitutes `{Name}` placeholders, each value percent-encoded as one segment (RFC 3986 unreserved
/// characters kept, `/` encoded, as darabonba's `percent_encode`); returns the path and the fixed query
/// after a `?`, if any.
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
        let name = &rest[open + 1..close];
        let value = values
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
            .ok_or_else(|| format!("the path parameter `{name}` is not set"))?;
        path.push_str(&percent_encode(value));
        rest = &rest[close + 1..];
    }
    path.push_str(rest);
    if path.is_empty() {
        path.push('/');
    }
    Ok((path, fixed))
}

/// A body parameter's bytes: a string as is, anything else as compact JSON.
fn body_bytes(value: &Value) -> Vec<u8> {
    match value {
        Value::String(text) => text.clone().into_bytes(),
        other => json_text(other).into_bytes(),
    }
}

/// Flattens a parameter into `name=value` pairs, as the official SDKs do for each `style`: lists as
/// `Name.1`, objects as `Name.Key` (`repeatList`, `flat` and no style), the whole value as JSON
/// (`json`), or scalars joined by commas (`simple`). A later pair of the same name replaces an earlier
/// one, as in the SDKs' dictionaries.
pub fn flatten(name: &str, value: &Value, style: Option<ParamStyle>, out: &mut BTreeMap<String, String>) {
    match (value, style) {
        (Value::Null, _) => {}
        (Value::Array(_) | Value::Object(_), Some(ParamStyle::Json)) => {
            out.insert(name.to_string(), json_text(value));
        }
        (Value::Array(items), Some(ParamStyle::Simple)) => {
            let joined: Vec<String> = items.iter().map(scalar_text).collect();
            out.insert(name.to_string(), joined.join(","));
        }
        (Value::Array(items), _) => {
            for (i, item) in items.iter().enumerate() {
                flatten(&format!("{name}.{}", i + 1), item, style, out);
            }
        }
        (Value::Object(members), _) => {
            for (key, member) in members {
                flatten(&format!("{name}.{key}"), member, style, out);
            }
        }
        (scalar, _) => {
            out.insert(name.to_string(), scalar_text(scalar));
        }
    }
}

/// A value as text in a query, form, path or `simple` list: strings as they are, booleans `true` /
/// `false`, numbers as Python's `str()` writes them, lists and objects as JSON.
pub fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Bool(flag) => flag.to_string(),
        Value::Number(number) => number_text(number),
        Value::Null => String::new(),
        other => json_text(other),
    }
}

fn header_text(value: &Value) -> String {
    scalar_text(value)
}

/// A number as Python's `str()` and `json.dumps` write it: integers in full, floats in their shortest
/// round-trip digits, in positional notation from 1e-4 up to 1e16 (`0.0001`, `100.0`) and in
/// scientific notation outside it (`1e-05`, `1e+16`, `1.5e+300`).
pub fn number_text(number: &serde_json::Number) -> String {
    if let Some(integer) = number.as_i64() {
        return integer.to_string();
    }
    if let Some(integer) = number.as_u64() {
        return integer.to_string();
    }
    python_float(number.as_f64().unwrap_or(0.0))
}

fn python_float(float: f64) -> String {
    if float.is_nan() {
        return "nan".into();
    }
    if float.is_infinite() {
        return if float > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if float == 0.0 {
        return if float.is_sign_negative() { "-0.0".into() } else { "0.0".into() };
    }
    let sign = if float < 0.0 { "-" } else { "" };
    let (digits, exponent) = shortest_digits(float.abs());
    if !(-4..16).contains(&exponent) {
        let mantissa = if digits.len() > 1 { format!("{}.{}", &digits[..1], &digits[1..]) } else { digits };
        let exponent_sign = if exponent < 0 { '-' } else { '+' };
        return format!("{sign}{mantissa}e{exponent_sign}{:02}", exponent.unsigned_abs());
    }
    if exponent < 0 {
        let zeros = "0".repeat((-exponent - 1) as usize);
        return format!("{sign}0.{zeros}{digits}");
    }
    let point = exponent as usize + 1;
    if digits.len() > point {
        format!("{sign}{}.{}", &digits[..point], &digits[point..])
    } else {
        format!("{sign}{digits}{}.0", "0".repeat(point - digits.len()))
    }
}

/// The shortest decimal digits that read back as `float` (positive, finite, not zero) and the
/// decimal exponent of the first one: `("15", 2)` for 150. When two candidates are equally close,
/// Python (David Gay's dtoa) takes the even one and Rust's formatter the upper one; this takes the even
/// one, as Python does (`-868697633869600.25` is exactly between `…600.2` and `…600.3`: Python writes
/// `.2`).
fn shortest_digits(float: f64) -> (String, i32) {
    // `{:e}` writes the shortest round-trip digits: `1.2345e-7`.
    let scientific = format!("{float:e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((scientific.as_str(), "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    // In a tie Rust took the upper candidate: when its last digit is even, so would Python.
    if digits.bytes().last().is_none_or(|b| (b - b'0') % 2 == 0) {
        return (digits, exponent);
    }
    // The exact value: an f64 has at most 767 significant decimal digits.
    let exact = format!("{float:.800e}");
    let Some((exact_mantissa, exact_exponent)) = exact.split_once('e') else { return (digits, exponent) };
    let exact_exponent: i32 = exact_exponent.parse().unwrap_or(exponent);
    let all: String = exact_mantissa.chars().filter(char::is_ascii_digit).collect();
    if all.len() <= digits.len() {
        return (digits, exponent);
    }
    let (head, tail) = all.split_at(digits.len());
    let tie = tail.starts_with('5') && tail[1..].bytes().all(|b| b == b'0');
    let even = head.bytes().last().is_some_and(|b| (b - b'0') % 2 == 0);
    if tie && even && (head != digits || exact_exponent != exponent) {
        let candidate = format!("{}.{}e{exact_exponent}", &head[..1], &head[1..]);
        if candidate.parse::<f64>().ok() == Some(float) {
            return (head.to_string(), exact_exponent);
        }
    }
    (digits, exponent)
}

/// Compact JSON as Python's `json.dumps(value, ensure_ascii=False, separators=(",", ":"))` writes it
/// (the official SDKs' `to_json_string`): UTF-8 as is, keys in order, floats as [`number_text`].
pub fn json_text(value: &Value) -> String {
    let mut out = String::new();
    write_json(value, &mut out);
    out
}

fn write_json(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(flag) => out.push_str(if *flag { "true" } else { "false" }),
        Value::Number(number) => out.push_str(&number_text(number)),
        Value::String(text) => write_json_string(text, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(item, out);
            }
            out.push(']');
        }
        Value::Object(members) => {
            out.push('{');
            for (i, (key, member)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json_string(key, out);
                out.push(':');
                write_json(member, out);
            }
            out.push('}');
        }
    }
}

/// Python's escapes: `"`, `\`, `\b \f \n \r \t`, other C0 controls as `\u00xx`; everything else raw.
fn write_json_string(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// `application/x-www-form-urlencoded`, as Python's `urlencode` writes it (the official `to_form`):
/// names sorted, RFC 3986 unreserved characters kept, space as `+`, everything else `%XX` of its UTF-8.
pub fn form_string(pairs: &BTreeMap<String, String>) -> String {
    pairs.iter().map(|(k, v)| format!("{}={}", form_encode(k), form_encode(v))).collect::<Vec<_>>().join("&")
}

fn form_encode(text: &str) -> String {
    percent_encode(text).replace("%20", "+")
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

fn header(value: &str) -> Result<HeaderValue, String> {
    HeaderValue::from_str(value).map_err(|_| "a header value has characters HTTP does not allow".to_string())
}

/// Builds and signs one attempt. TC3 keys come from `signing_keys`, the client's, so they are derived
/// once a day per secret and service.
pub fn build(
    http: &reqwest::Client,
    config: &Config,
    action: &ActionMeta,
    target: &Target,
    body: &Body,
    credentials: &Credentials,
    signing_keys: &SigningKeyCache,
) -> Result<reqwest::Request, String> {
    let now = time::OffsetDateTime::now_utc();
    let service = action.service;
    let mut headers = HeaderMap::new();
    let request = match body {
        Body::Json(bytes) => {
            let content_type = "application/json; charset=utf-8";
            let timestamp = now.unix_timestamp();
            let region = config.region_for(service.protocol);
            if action.region == RegionRule::Required && region.is_none() {
                return Err(format!("{} needs a region: set one in the config", action.name));
            }
            let authorization = tc3::authorization(
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
            );
            headers.insert("content-type", HeaderValue::from_static(content_type));
            headers.insert("host", header(&target.host)?);
            headers.insert("x-tc-action", header(action.name)?);
            headers.insert("x-tc-version", header(service.version)?);
            headers.insert("x-tc-timestamp", header(&timestamp.to_string())?);
            headers.insert("x-tc-requestclient", header(&config.user_agent)?);
            if let Some(region) = region {
                headers.insert("x-tc-region", header(region)?);
            }
            if let Some(token) = credentials.session_token() {
                headers.insert("x-tc-token", sensitive(header(token.expose_secret())?));
            }
            if let Some(language) = &config.language {
                headers.insert("x-tc-language", header(language)?);
            }
            headers.insert("authorization", sensitive(header(&authorization)?));
            http.post(target.url("/", "")).headers(headers).body(bytes.clone()).build()
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
            let signed = sign_alibaba(request, &signing, credentials);
            for (name, value) in &signed.headers {
                let name = HeaderName::from_bytes(name.as_bytes())
                    .map_err(|_| format!("`{name}` is not an HTTP header name"))?;
                let value = header(value)?;
                let secret = name == "authorization" || name == "x-acs-security-token";
                headers.append(name, if secret { sensitive(value) } else { value });
            }
            let method = Method::from_bytes(request.method.as_bytes())
                .map_err(|_| format!("`{}` is not an HTTP method", request.method))?;
            http.request(method, target.url(&request.path, &signed.query))
                .headers(headers)
                .body(request.body.clone())
                .build()
        }
    };
    request.map_err(|e| format!("cannot build the request: {}", e.without_url()))
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

    fn flat(name: &str, value: Value, style: Option<ParamStyle>) -> Vec<(String, String)> {
        let mut out = BTreeMap::new();
        flatten(name, &value, style, &mut out);
        out.into_iter().collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn flattens_in_every_style() {
        let tags = json!([{"Key": "k", "Value": "v"}, {"Key": "k2"}]);
        let expected = pairs(&[("Tag.1.Key", "k"), ("Tag.1.Value", "v"), ("Tag.2.Key", "k2")]);
        assert_eq!(flat("Tag", tags.clone(), Some(ParamStyle::RepeatList)), expected);
        assert_eq!(flat("Tag", tags.clone(), Some(ParamStyle::Flat)), expected);
        assert_eq!(flat("Tag", tags, None), expected);
        assert_eq!(
            flat("Disk", json!({"Size": 40, "Ok": true}), None),
            pairs(&[("Disk.Ok", "true"), ("Disk.Size", "40")])
        );
        assert_eq!(
            flat("Ids", json!(["a", 1, 0.5, false]), Some(ParamStyle::Simple)),
            pairs(&[("Ids", "a,1,0.5,false")])
        );
        assert_eq!(
            flat("Config", json!({"a": [1, 1e300], "é": "\n"}), Some(ParamStyle::Json)),
            pairs(&[("Config", "{\"a\":[1,1e+300],\"é\":\"\\n\"}")])
        );
        // Nulls are skipped; list positions still count them.
        assert_eq!(flat("L", json!(["a", null, "c"]), None), pairs(&[("L.1", "a"), ("L.3", "c")]));
    }

    #[test]
    fn numbers_as_python_writes_them() {
        let cases = [
            (0.5, "0.5"),
            (1e300, "1e+300"),
            (-1e-7, "-1e-07"),
            (1e16, "1e+16"),
            (1.5e16, "1.5e+16"),
            (1e15, "1000000000000000.0"),
            (123.0, "123.0"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (0.1 + 0.2, "0.30000000000000004"),
            (-0.0, "-0.0"),
            (12.5, "12.5"),
            // Exactly halfway between two shortest candidates: Python takes the even one.
            (-868697633869600.2, "-868697633869600.2"),
            (5e-324, "5e-324"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
        ];
        for (float, text) in cases {
            assert_eq!(python_float(float), text, "{float}");
        }
        assert_eq!(number_text(&serde_json::Number::from(u64::MAX)), "18446744073709551615");
        assert_eq!(number_text(&serde_json::Number::from(i64::MIN)), "-9223372036854775808");
    }

    #[test]
    fn forms_encode_as_urlencode() {
        let form: BTreeMap<String, String> =
            [("b".to_string(), "a b+c~*é".to_string()), ("a".to_string(), "1".to_string())].into();
        assert_eq!(form_string(&form), "a=1&b=a+b%2Bc~%2A%C3%A9");
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
        assert_eq!(request.body, b"raw {");
        assert_eq!(request.query, pairs(&[("flag", ""), ("type", "log")]));

        // A missing path parameter is an error, not a request to another resource.
        let error = AlibabaRequest::new(&action, &json!({"body": {}})).unwrap_err();
        assert!(error.contains("`ClusterId`"), "{error}");
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
