//! `cloudspec-sign-oracle`: signs requests with cloudspec's own signing code, for the cross-check
//! against the official Python SDKs (`tests/interop/signature_crosscheck.py`).
//!
//! It reads JSON lines on stdin, one signing input each, and writes one JSON line per input on stdout,
//! in the same order. Every input has an `id` (echoed back) and an `alg`:
//!
//! - `"tc3"`: `method`, `host`, `path`, `canonical_query`, `content_type`, `payload` (the exact body, as a
//!   string), `action` (`null` signs only `content-type;host`), `service`, `timestamp`, `secret_id`,
//!   `secret_key`; answered by `signing::tc3::sign` with `canonical_request`, `string_to_sign`,
//!   `signed_headers`, `signature` and `authorization`.
//! - `"acs3"`: `method`, `path` (unencoded; its canonical URI is `acs3::canonical_uri(path)`), `query` and
//!   `headers` (lists of `[name, value]`), `hashed_payload`, `access_key_id`, `access_key_secret`;
//!   answered by `signing::acs3::sign` with `canonical_uri`, `canonical_query`, `canonical_headers`,
//!   `signed_headers`, `canonical_request`, `string_to_sign`, `signature` and `authorization`.
//! - `"rpc"`: `method`, `params` (a list of `[name, value]`), `secret`; answered by `signing::rpc_v2::sign`
//!   with `canonicalized_query`, `string_to_sign` and `signature`.
//!
//! A line that is not such an input stops the oracle with exit code 2 and a message on stderr.

use std::io::{BufRead, BufWriter, Write};

use cloudspec_runtime::signing::{acs3, rpc_v2, tc3};
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
}

fn pairs(list: &[(String, String)]) -> Vec<(&str, &str)> {
    list.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

/// Signs one input with cloudspec and returns the answer line.
fn answer(input: Input) -> Value {
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
            json!({
                "id": id,
                "canonical_request": s.canonical_request,
                "string_to_sign": s.string_to_sign,
                "signed_headers": s.signed_headers,
                "signature": s.signature,
                "authorization": s.authorization,
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
            json!({
                "id": id,
                "canonical_uri": canonical_uri,
                "canonical_query": s.canonical_query,
                "canonical_headers": s.canonical_headers,
                "signed_headers": s.signed_headers,
                "canonical_request": s.canonical_request,
                "string_to_sign": s.string_to_sign,
                "signature": s.signature,
                "authorization": s.authorization,
            })
        }
        Input::Rpc { id, method, params, secret } => {
            let s = rpc_v2::sign(&method, &pairs(&params), &secret);
            json!({
                "id": id,
                "canonicalized_query": s.canonicalized_query,
                "string_to_sign": s.string_to_sign,
                "signature": s.signature,
            })
        }
    }
}

fn main() {
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    for (number, line) in std::io::stdin().lock().lines().enumerate() {
        let line = line.unwrap_or_else(|error| fail(&format!("cannot read stdin: {error}")));
        if line.trim().is_empty() {
            continue;
        }
        let input: Input = serde_json::from_str(&line)
            .unwrap_or_else(|error| fail(&format!("line {}: not a signing input: {error}", number + 1)));
        writeln!(out, "{}", answer(input)).unwrap_or_else(|error| fail(&format!("cannot write stdout: {error}")));
    }
    out.flush().unwrap_or_else(|error| fail(&format!("cannot write stdout: {error}")));
}

fn fail(message: &str) -> ! {
    eprintln!("cloudspec-sign-oracle: {message}");
    std::process::exit(2);
}
