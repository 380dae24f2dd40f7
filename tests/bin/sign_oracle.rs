//! `cloudspec-sign-oracle`: signs requests with cloudspec's own signing code, for the cross-check
//! against the official Python SDKs (`tests/interop/signature_crosscheck.py`).
//!
//! It reads JSON lines on stdin, one signing input each, and writes one JSON line per input on stdout,
//! in the same order. Every input has an `id` (echoed back) and an `alg`:
//!
//! - `"tc3"`: `method`, `host`, `path`, `canonical_query`, `content_type`, `payload` (the exact body, as a
//!   string), `action` (`null` signs only `content-type;host`), `service`, `timestamp`, `secret_id`,
//!   `secret_key`; answered by `signing::tc3::sign` with `canonical_request`, `string_to_sign`,
//!   `signed_headers` and `signature`, and by the client's `signing::tc3::authorization` with
//!   `authorization` (its keys kept in one `SigningKeyCache` for the whole run, as a client keeps them).
//! - `"acs3"`: `method`, `path` (unencoded; its canonical URI is `acs3::canonical_uri(path)`), `query` and
//!   `headers` (lists of `[name, value]`), `hashed_payload`, `access_key_id`, `access_key_secret`;
//!   answered by `signing::acs3::sign` with `canonical_uri`, `canonical_headers`, `signed_headers`,
//!   `canonical_request`, `string_to_sign` and `signature`, and by the client's `signing::acs3::authorize`
//!   with `canonical_query` and `authorization`.
//! - `"rpc"`: `method`, `params` (a list of `[name, value]`), `secret`; answered by `signing::rpc_v2::sign`
//!   with `canonicalized_query` and `string_to_sign`, and by `signing::rpc_v2::signature` with `signature`.
//!
//! - `"request"`: a whole Alibaba request, serialized and signed by the runtime's own request building
//!   (`client::wire::AlibabaRequest::new`, then `client::wire::sign_alibaba`): `protocol` (`"rpc"` or
//!   `"roa"`), `method`, `path` (the template), `params` (a list of `[name, location, style, value]`,
//!   location `query`, `form`, `body`, `header` or `path`, style `null` or the spec's name), `host`,
//!   `action`, `version`, `date`, `nonce`, `access_key_id`, `access_key_secret`, `security_token`
//!   (or `null`); answered with `method`, `path`, `query` (sorted `[name, value]` pairs), `body`,
//!   `content_type`, `headers` (every header sent, `[name, value]`) and `authorization`, or with `error`
//!   when the runtime refuses the request.
//!
//! A line that is not such an input stops the oracle with exit code 2 and a message on stderr.

use std::io::{BufRead, BufWriter, Write};

use cloudspec_runtime::client::wire::{AlibabaRequest, AlibabaSigning, sign_alibaba};
use cloudspec_runtime::envelope::Protocol;
use cloudspec_runtime::meta::{
    ActionMeta, EndpointsMeta, ParamLocation, ParamMeta, ParamStyle, RegionRule, ServiceMeta,
};
use cloudspec_runtime::signing::{SigningKeyCache, acs3, rpc_v2, tc3};
use cloudspec_runtime::{Credentials, SecretString};
use serde::Deserialize;
use serde_json::{Value, json};

/// One signing input; `alg` selects the algorithm.
#[derive(Deserialize)]
#[serde(tag = "alg", rename_all = "lowercase", deny_unknown_fields)]
enum Input {
    Tc3 {
        id: Value,
        method: String,
        host: String,
        path: String,
        canonical_query: String,
        content_type: String,
        payload: String,
        action: Option<String>,
        service: String,
        timestamp: i64,
        secret_id: String,
        secret_key: String,
    },
    Acs3 {
        id: Value,
        method: String,
        path: String,
        query: Vec<(String, String)>,
        headers: Vec<(String, String)>,
        hashed_payload: String,
        access_key_id: String,
        access_key_secret: String,
    },
    Rpc {
        id: Value,
        method: String,
        params: Vec<(String, String)>,
        secret: String,
    },
    Request(Box<RequestInput>),
}

/// A whole Alibaba request.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RequestInput {
    id: Value,
    protocol: String,
    method: String,
    path: String,
    params: Vec<(String, String, Option<String>, Value)>,
    host: String,
    action: String,
    version: String,
    date: String,
    nonce: String,
    access_key_id: String,
    access_key_secret: String,
    security_token: Option<String>,
}

/// The runtime takes `'static` metadata, as generated code has; the oracle leaks one small copy per
/// input, which lives as long as this short process.
fn leak(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

fn request(input: RequestInput) -> Result<Value, String> {
    let protocol = match input.protocol.as_str() {
        "rpc" => Protocol::AlibabaRpc,
        "roa" => Protocol::AlibabaRoa,
        other => return Err(format!("unknown protocol `{other}`")),
    };
    let service: &'static ServiceMeta = Box::leak(Box::new(ServiceMeta {
        name: "oracle",
        signing_name: "oracle",
        version: leak(input.version.clone()),
        protocol,
        endpoints: EndpointsMeta { default: None, international: None, regional: None, regions: &[] },
    }));
    let mut metas = Vec::new();
    let mut object = serde_json::Map::new();
    for (name, location, style, value) in input.params {
        let location = match location.as_str() {
            "query" => ParamLocation::Query,
            "form" => ParamLocation::Form,
            "body" => ParamLocation::Body,
            "header" => ParamLocation::Header,
            "path" => ParamLocation::Path,
            "host" => ParamLocation::Host,
            other => return Err(format!("unknown location `{other}`")),
        };
        let style = match style.as_deref() {
            None => None,
            Some("repeatList") => Some(ParamStyle::RepeatList),
            Some("json") => Some(ParamStyle::Json),
            Some("flat") => Some(ParamStyle::Flat),
            Some("simple") => Some(ParamStyle::Simple),
            Some("xml") => Some(ParamStyle::Xml),
            Some(other) => return Err(format!("unknown style `{other}`")),
        };
        let name = leak(name);
        metas.push(ParamMeta { name, location, style });
        object.insert(name.to_string(), value);
    }
    let action: &'static ActionMeta = Box::leak(Box::new(ActionMeta {
        service,
        name: leak(input.action.clone()),
        idempotent: false,
        rate_limit: None,
        region: RegionRule::Optional,
        method: leak(input.method),
        path: leak(input.path),
        sensitive_output: false,
        params: Box::leak(metas.into_boxed_slice()),
        idempotency_token: None,
        status_fields: cloudspec_runtime::meta::StatusFields { code: false, success: false },
    }));
    let serialized = match AlibabaRequest::new(action, &Value::Object(object)) {
        Ok(serialized) => serialized,
        Err(error) => return Ok(json!({ "id": input.id, "error": error })),
    };
    let mut credentials = Credentials::new(input.access_key_id, input.access_key_secret).map_err(|e| e.to_string())?;
    if let Some(token) = input.security_token {
        credentials = credentials.with_session_token(token).map_err(|e| e.to_string())?;
    }
    let signing = AlibabaSigning {
        action: &input.action,
        version: &input.version,
        host: &input.host,
        date: &input.date,
        nonce: &input.nonce,
    };
    let signed = sign_alibaba(&serialized, &signing, &credentials);
    Ok(json!({
        "id": input.id,
        "method": serialized.method,
        "path": serialized.path,
        "query": serialized.query,
        "body": String::from_utf8_lossy(&serialized.body),
        "content_type": serialized.content_type,
        "headers": signed.headers,
        "authorization": signed.authorization,
    }))
}

fn pairs(list: &[(String, String)]) -> Vec<(&str, &str)> {
    list.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

/// Signs one input with cloudspec and returns the answer line.
fn answer(input: Input, keys: &SigningKeyCache) -> Value {
    match input {
        Input::Tc3 {
            id,
            method,
            host,
            path,
            canonical_query,
            content_type,
            payload,
            action,
            service,
            timestamp,
            secret_id,
            secret_key,
        } => {
            let request = tc3::Tc3Request {
                method: &method,
                host: &host,
                path: &path,
                canonical_query: &canonical_query,
                content_type: &content_type,
                payload: payload.as_bytes(),
                action: action.as_deref(),
                service: &service,
                timestamp,
            };
            let s = tc3::sign(&request, &secret_id, &secret_key);
            let authorization = tc3::authorization(&request, &secret_id, &SecretString::from(secret_key), keys);
            json!({
                "id": id,
                "canonical_request": s.canonical_request,
                "string_to_sign": s.string_to_sign,
                "signed_headers": s.signed_headers,
                "signature": s.signature,
                "authorization": authorization,
            })
        }
        Input::Acs3 { id, method, path, query, headers, hashed_payload, access_key_id, access_key_secret } => {
            let canonical_uri = acs3::canonical_uri(&path);
            let (query, headers) = (pairs(&query), pairs(&headers));
            let request = acs3::Acs3Request {
                method: &method,
                canonical_uri: &canonical_uri,
                query: &query,
                headers: &headers,
                hashed_payload: &hashed_payload,
            };
            let s = acs3::sign(&request, &access_key_id, &access_key_secret);
            let authorized = acs3::authorize(&request, &access_key_id, &SecretString::from(access_key_secret));
            json!({
                "id": id,
                "canonical_uri": canonical_uri,
                "canonical_query": authorized.canonical_query,
                "canonical_headers": s.canonical_headers,
                "signed_headers": s.signed_headers,
                "canonical_request": s.canonical_request,
                "string_to_sign": s.string_to_sign,
                "signature": s.signature,
                "authorization": authorized.authorization,
            })
        }
        Input::Request(input) => request(*input).unwrap_or_else(|error| fail(&error)),
        Input::Rpc { id, method, params, secret } => {
            let params = pairs(&params);
            let s = rpc_v2::sign(&method, &params, &secret);
            json!({
                "id": id,
                "canonicalized_query": s.canonicalized_query,
                "string_to_sign": s.string_to_sign,
                "signature": rpc_v2::signature(&method, &params, &secret),
            })
        }
    }
}

fn main() {
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let keys = SigningKeyCache::new();
    for (number, line) in std::io::stdin().lock().lines().enumerate() {
        let line = line.unwrap_or_else(|error| fail(&format!("cannot read stdin: {error}")));
        if line.trim().is_empty() {
            continue;
        }
        let input: Input = serde_json::from_str(&line)
            .unwrap_or_else(|error| fail(&format!("line {}: not a signing input: {error}", number + 1)));
        writeln!(out, "{}", answer(input, &keys))
            .unwrap_or_else(|error| fail(&format!("cannot write stdout: {error}")));
    }
    out.flush().unwrap_or_else(|error| fail(&format!("cannot write stdout: {error}")));
}

fn fail(message: &str) -> ! {
    eprintln!("cloudspec-sign-oracle: {message}");
    std::process::exit(2);
}
