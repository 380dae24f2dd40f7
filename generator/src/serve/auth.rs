//! Verifying signatures the way the providers do: the fake recomputes each signature from what it
//! received and the secret of the claimed access key.

use cloudspec_runtime::signing::{acs3, rpc_v2, tc3};
use sha2::{Digest, Sha256};

use super::protocol::Wire;

/// An authentication failure: the provider's code, message and HTTP status.
pub(crate) struct Denied {
    pub(crate) code: &'static str,
    pub(crate) message: String,
    pub(crate) status: u16,
}

fn denied(code: &'static str, status: u16, message: impl Into<String>) -> Denied {
    Denied { code, message: message.into(), status }
}

/// Compares without stopping at the first difference.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn now(offset: i64) -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp() + offset
}

/// TC3-HMAC-SHA256, with Tencent's five-minute window.
pub(crate) fn tencent(wire: &Wire, secret_of: &dyn Fn(&str) -> Option<String>, offset: i64) -> Result<String, Denied> {
    let authorization = wire.header("authorization").unwrap_or_default();
    let Some(rest) = authorization.strip_prefix("TC3-HMAC-SHA256 ") else {
        return Err(denied(
            "AuthFailure.InvalidAuthorization",
            200,
            "the Authorization header is missing or not TC3-HMAC-SHA256",
        ));
    };
    let field = |name: &str| {
        rest.split(',')
            .map(str::trim)
            .find_map(|part| part.strip_prefix(name).and_then(|v| v.strip_prefix('=')))
            .unwrap_or_default()
    };
    let (credential, signed_headers, signature) = (field("Credential"), field("SignedHeaders"), field("Signature"));
    let mut scope = credential.splitn(2, '/');
    let (id, scope) = (scope.next().unwrap_or_default(), scope.next().unwrap_or_default());
    let scope_parts: Vec<&str> = scope.split('/').collect();
    let [date, service, "tc3_request"] = scope_parts.as_slice() else {
        return Err(denied(
            "AuthFailure.InvalidAuthorization",
            200,
            "the credential scope is not DATE/SERVICE/tc3_request",
        ));
    };
    let Some(timestamp) = wire.header("x-tc-timestamp").and_then(|t| t.trim().parse::<i64>().ok()) else {
        return Err(denied("MissingParameter", 200, "the X-TC-Timestamp header is missing"));
    };
    if (now(offset) - timestamp).abs() > 300 {
        return Err(denied(
            "AuthFailure.SignatureExpire",
            200,
            "signature expired: the timestamp and the server time differ by more than five minutes",
        ));
    }
    let Some(secret) = secret_of(id) else {
        return Err(denied("AuthFailure.SecretIdNotFound", 200, "the SecretId does not exist"));
    };
    let mut canonical_headers = String::new();
    for name in signed_headers.split(';') {
        let value = wire.header(name).unwrap_or_default();
        canonical_headers.push_str(&format!("{name}:{}\n", value.trim().to_ascii_lowercase()));
    }
    let canonical_query = if wire.method == "GET" { wire.raw_query.as_str() } else { "" };
    let canonical_request = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        wire.method,
        wire.path,
        canonical_query,
        canonical_headers,
        signed_headers,
        hex::encode(Sha256::digest(&wire.body))
    );
    let string_to_sign =
        format!("TC3-HMAC-SHA256\n{timestamp}\n{scope}\n{}", hex::encode(Sha256::digest(canonical_request.as_bytes())));
    let expected = tc3::signature_for(&secret, date, service, &string_to_sign);
    let expected_date =
        time::OffsetDateTime::from_unix_timestamp(timestamp).map(|t| t.date().to_string()).unwrap_or_default();
    if !same(&expected, signature) || *date != expected_date {
        return Err(denied("AuthFailure.SignatureFailure", 200, "the signature does not match"));
    }
    Ok(id.to_string())
}

/// Remembers a nonce; `false` when it was used before.
pub(crate) type NonceCheck<'a> = &'a mut dyn FnMut(&str) -> bool;

fn within_fifteen_minutes(text: &str, offset: i64) -> bool {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .is_ok_and(|t| (now(offset) - t.unix_timestamp()).abs() <= 900)
}

/// ACS3-HMAC-SHA256 (Alibaba signature V3).
pub(crate) fn alibaba_v3(
    wire: &Wire,
    secret_of: &dyn Fn(&str) -> Option<String>,
    offset: i64,
    nonce: NonceCheck<'_>,
) -> Result<String, Denied> {
    let authorization = wire.header("authorization").unwrap_or_default();
    let Some(rest) = authorization.strip_prefix("ACS3-HMAC-SHA256 ") else {
        return Err(denied("IncompleteSignature", 400, "the Authorization header is missing or not ACS3-HMAC-SHA256"));
    };
    let field = |name: &str| {
        rest.split(',')
            .map(str::trim)
            .find_map(|part| part.strip_prefix(name).and_then(|v| v.strip_prefix('=')))
            .unwrap_or_default()
    };
    let (id, signed_headers, signature) = (field("Credential"), field("SignedHeaders"), field("Signature"));
    if !wire.header("x-acs-date").is_some_and(|d| within_fifteen_minutes(d, offset)) {
        return Err(denied(
            "InvalidTimeStamp.Expired",
            400,
            "x-acs-date is missing or more than 15 minutes from the server time",
        ));
    }
    let Some(secret) = secret_of(id) else {
        return Err(denied("InvalidAccessKeyId.NotFound", 404, "the AccessKeyId does not exist"));
    };
    let hashed_payload = wire.header("x-acs-content-sha256").unwrap_or_default();
    if hashed_payload != hex::encode(Sha256::digest(&wire.body)) {
        return Err(denied("SignatureDoesNotMatch", 400, "x-acs-content-sha256 is not the SHA-256 of the body"));
    }
    let headers: Vec<(&str, &str)> =
        signed_headers.split(';').map(|name| (name, wire.header(name).unwrap_or_default())).collect();
    let query: Vec<(&str, &str)> = wire.query.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let canonical_uri = if wire.path.is_empty() { "/" } else { wire.path.as_str() };
    let expected = acs3::sign(
        &acs3::Acs3Request { method: &wire.method, canonical_uri, query: &query, headers: &headers, hashed_payload },
        id,
        &secret,
    );
    if expected.signed_headers != signed_headers || !same(&expected.signature, signature) {
        return Err(denied(
            "SignatureDoesNotMatch",
            400,
            "the request signature does not conform to Alibaba Cloud standards",
        ));
    }
    if !wire.header("x-acs-signature-nonce").is_some_and(|n| !n.is_empty() && nonce(n)) {
        return Err(denied("SignatureNonceUsed", 400, "the signature nonce is missing or has been used"));
    }
    Ok(id.to_string())
}

/// The legacy RPC signature (HMAC-SHA1, `Signature` parameter).
pub(crate) fn alibaba_rpc(
    wire: &Wire,
    params: &[(String, String)],
    secret_of: &dyn Fn(&str) -> Option<String>,
    offset: i64,
    nonce: NonceCheck<'_>,
) -> Result<String, Denied> {
    let get = |name: &str| params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let (Some(signature), Some(id)) = (get("Signature"), get("AccessKeyId")) else {
        return Err(denied("MissingParameter", 400, "Signature and AccessKeyId are required"));
    };
    if !get("Timestamp").is_some_and(|t| within_fifteen_minutes(t, offset)) {
        return Err(denied(
            "InvalidTimeStamp.Expired",
            400,
            "Timestamp is missing or more than 15 minutes from the server time",
        ));
    }
    let Some(secret) = secret_of(id) else {
        return Err(denied("InvalidAccessKeyId.NotFound", 404, "the AccessKeyId does not exist"));
    };
    let signed: Vec<(&str, &str)> =
        params.iter().filter(|(k, _)| k != "Signature").map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let expected = rpc_v2::sign(&wire.method, &signed, &secret);
    if !same(&expected.signature, signature) {
        return Err(denied(
            "SignatureDoesNotMatch",
            400,
            "the request signature does not conform to Alibaba Cloud standards",
        ));
    }
    if !get("SignatureNonce").is_some_and(|n| !n.is_empty() && nonce(n)) {
        return Err(denied("SignatureNonceUsed", 400, "the signature nonce is missing or has been used"));
    }
    Ok(id.to_string())
}
