//! Building and signing the HTTP request of one attempt, per protocol. Every attempt is signed afresh:
//! new timestamp, new nonce.

use reqwest::Method;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde_json::Value;

use super::endpoint::Target;
use crate::config::Config;
use crate::credentials::Credentials;
use crate::envelope::Protocol;
use crate::meta::{ActionMeta, ParamLocation, ParamStyle, RegionRule};
use crate::signing::{acs3, sha256_hex, tc3};

/// A request's parameters, serialized once for every attempt.
pub enum Body {
    /// Tencent: the JSON body.
    Json(Vec<u8>),
    /// Alibaba RPC: query parameters and form parameters, flattened.
    Rpc { query: Vec<(String, String)>, form: Vec<(String, String)> },
}

impl Body {
    /// Serializes the request for the action's protocol.
    pub fn new(action: &ActionMeta, params: &Value) -> Result<Body, String> {
        match action.service.protocol {
            Protocol::TencentJson => serde_json::to_vec(params).map(Body::Json).map_err(|e| e.to_string()),
            Protocol::AlibabaRpc | Protocol::AlibabaRoa => {
                let mut query = Vec::new();
                let mut form = Vec::new();
                let Value::Object(object) = params else { return Err("the request is not an object".into()) };
                for (name, value) in object {
                    let meta = action.params.iter().find(|p| p.name == name);
                    let style = meta.and_then(|m| m.style).unwrap_or(ParamStyle::RepeatList);
                    let target = match meta.map(|m| m.location) {
                        Some(ParamLocation::Form | ParamLocation::Body) => &mut form,
                        _ => &mut query,
                    };
                    flatten(name, value, style, target);
                }
                Ok(Body::Rpc { query, form })
            }
        }
    }
}

/// Flattens a parameter into `name=value` pairs, as Alibaba's SDKs do for each `style`.
pub fn flatten(name: &str, value: &Value, style: ParamStyle, out: &mut Vec<(String, String)>) {
    match (value, style) {
        (Value::Null, _) => {}
        (Value::String(text), _) => out.push((name.to_string(), text.clone())),
        (Value::Number(_) | Value::Bool(_), _) => out.push((name.to_string(), value.to_string())),
        (Value::Array(_) | Value::Object(_), ParamStyle::Json) => out.push((name.to_string(), value.to_string())),
        (Value::Array(items), ParamStyle::Simple) => {
            let joined: Vec<String> = items
                .iter()
                .map(|item| item.as_str().map(str::to_string).unwrap_or_else(|| item.to_string()))
                .collect();
            out.push((name.to_string(), joined.join(",")));
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
    }
}

fn header(value: &str) -> Result<HeaderValue, String> {
    HeaderValue::from_str(value).map_err(|_| "a header value has characters HTTP does not allow".to_string())
}

/// Builds and signs one attempt.
pub fn build(
    http: &reqwest::Client,
    config: &Config,
    action: &ActionMeta,
    target: &Target,
    body: &Body,
    credentials: &Credentials,
) -> Result<reqwest::Request, String> {
    let now = time::OffsetDateTime::now_utc();
    let service = action.service;
    let mut headers = HeaderMap::new();
    let request = match body {
        Body::Json(bytes) => {
            let content_type = "application/json; charset=utf-8";
            let timestamp = now.unix_timestamp();
            let region = config.region.as_deref();
            if action.region == RegionRule::Required && region.is_none() {
                return Err(format!("{} needs a region: set one in the config", action.name));
            }
            let signature = tc3::sign(
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
                credentials.secret().expose_secret(),
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
            headers.insert("authorization", sensitive(header(&signature.authorization)?));
            http.post(target.url("/", "")).headers(headers).body(bytes.clone()).build()
        }
        Body::Rpc { query, form } => {
            let form_body = if form.is_empty() {
                Vec::new()
            } else {
                form.iter()
                    .map(|(k, v)| {
                        format!("{}={}", crate::signing::percent_encode(k), crate::signing::percent_encode(v))
                    })
                    .collect::<Vec<_>>()
                    .join("&")
                    .into_bytes()
            };
            let hashed_payload = sha256_hex(&form_body);
            let date = now
                .replace_nanosecond(0)
                .unwrap_or(now)
                .format(&time::format_description::well_known::Rfc3339)
                .map_err(|e| e.to_string())?;
            let nonce = hex::encode(rand::random::<[u8; 16]>());
            let mut signed: Vec<(&str, String)> = vec![
                ("host", target.host.clone()),
                ("x-acs-action", action.name.to_string()),
                ("x-acs-version", service.version.to_string()),
                ("x-acs-date", date),
                ("x-acs-signature-nonce", nonce),
                ("x-acs-content-sha256", hashed_payload.clone()),
            ];
            if !form_body.is_empty() {
                signed.push(("content-type", "application/x-www-form-urlencoded".into()));
            }
            if let Some(token) = credentials.session_token() {
                signed.push(("x-acs-security-token", token.expose_secret().to_string()));
            }
            let method = action.method;
            let query_pairs: Vec<(&str, &str)> = query.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let header_pairs: Vec<(&str, &str)> = signed.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let signature = acs3::sign(
                &acs3::Acs3Request {
                    method,
                    canonical_uri: "/",
                    query: &query_pairs,
                    headers: &header_pairs,
                    hashed_payload: &hashed_payload,
                },
                credentials.access_key_id(),
                credentials.secret().expose_secret(),
            );
            for (name, value) in &signed {
                let value = header(value)?;
                let value = if *name == "x-acs-security-token" { sensitive(value) } else { value };
                headers.insert(HeaderName::from_static(name), value);
            }
            headers.insert("accept", HeaderValue::from_static("application/json"));
            headers.insert("authorization", sensitive(header(&signature.authorization)?));
            let method =
                Method::from_bytes(method.as_bytes()).map_err(|_| format!("`{method}` is not an HTTP method"))?;
            http.request(method, target.url("/", &signature.canonical_query)).headers(headers).body(form_body).build()
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

    #[test]
    fn flattens_in_every_style() {
        let value = serde_json::json!([{"Key": "k", "Value": "v"}, {"Key": "k2"}]);
        let mut out = Vec::new();
        flatten("Tag", &value, ParamStyle::RepeatList, &mut out);
        assert_eq!(
            out,
            [("Tag.1.Key".into(), "k".into()), ("Tag.1.Value".into(), "v".into()), ("Tag.2.Key".into(), "k2".into())]
        );
        let mut out = Vec::new();
        flatten("Ids", &serde_json::json!(["a", "b"]), ParamStyle::Simple, &mut out);
        assert_eq!(out, [("Ids".to_string(), "a,b".to_string())]);
        let mut out = Vec::new();
        flatten("Config", &serde_json::json!({"a": 1}), ParamStyle::Json, &mut out);
        assert_eq!(out, [("Config".to_string(), "{\"a\":1}".to_string())]);
    }
}
