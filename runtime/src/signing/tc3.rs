//! Tencent Cloud API 3.0 signature, TC3-HMAC-SHA256.
//!
//! The canonical request covers the method, path, query, the `content-type`, `host` and
//! `x-tc-action` headers (the action lower-cased, as the official SDKs sign it) and the SHA-256 of
//! the exact body bytes; the key is derived from the secret, the UTC date and the service.

use super::{hmac_sha256, sha256_hex};

/// What is signed.
#[derive(Debug, Clone, Copy)]
pub struct Tc3Request<'a> {
    /// `POST` or `GET`.
    pub method: &'a str,
    /// The `Host` header.
    pub host: &'a str,
    /// The path, `/` for API 3.0.
    pub path: &'a str,
    /// The canonical query string (empty for `POST`).
    pub canonical_query: &'a str,
    /// The `Content-Type` header, exactly as sent.
    pub content_type: &'a str,
    /// The body, exactly as sent.
    pub payload: &'a [u8],
    /// The action (`X-TC-Action`); signed lower-cased. `None` signs only `content-type` and `host`.
    pub action: Option<&'a str>,
    /// The service in the credential scope (`apigateway`).
    pub service: &'a str,
    /// Request time, in seconds since the Unix epoch (`X-TC-Timestamp`).
    pub timestamp: i64,
}

/// The signature and every intermediate value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tc3Signature {
    /// UTC date of the timestamp, `YYYY-MM-DD`.
    pub date: String,
    /// Hex SHA-256 of the body.
    pub hashed_payload: String,
    /// The canonical request.
    pub canonical_request: String,
    /// `content-type;host[;x-tc-action]`.
    pub signed_headers: String,
    /// `date/service/tc3_request`.
    pub credential_scope: String,
    /// The string to sign.
    pub string_to_sign: String,
    /// Hex of the derived date key.
    pub secret_date_hex: String,
    /// Hex of the derived service key.
    pub secret_service_hex: String,
    /// Hex of the signing key.
    pub secret_signing_hex: String,
    /// The signature, in hex.
    pub signature: String,
    /// The `Authorization` header.
    pub authorization: String,
}

/// Signs a request.
pub fn sign(request: &Tc3Request<'_>, secret_id: &str, secret_key: &str) -> Tc3Signature {
    let date = utc_date(request.timestamp);
    let hashed_payload = sha256_hex(request.payload);
    let mut canonical_headers = format!("content-type:{}\nhost:{}\n", request.content_type.trim(), request.host.trim());
    let mut signed_headers = String::from("content-type;host");
    if let Some(action) = request.action {
        canonical_headers.push_str(&format!("x-tc-action:{}\n", action.trim().to_ascii_lowercase()));
        signed_headers.push_str(";x-tc-action");
    }
    let canonical_request = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        request.method, request.path, request.canonical_query, canonical_headers, signed_headers, hashed_payload
    );
    let credential_scope = format!("{date}/{}/tc3_request", request.service);
    let string_to_sign = format!(
        "TC3-HMAC-SHA256\n{}\n{}\n{}",
        request.timestamp,
        credential_scope,
        sha256_hex(canonical_request.as_bytes())
    );
    let secret_date = hmac_sha256(format!("TC3{secret_key}").as_bytes(), date.as_bytes());
    let secret_service = hmac_sha256(&secret_date, request.service.as_bytes());
    let secret_signing = hmac_sha256(&secret_service, b"tc3_request");
    let signature = hex::encode(hmac_sha256(&secret_signing, string_to_sign.as_bytes()));
    let authorization = format!(
        "TC3-HMAC-SHA256 Credential={secret_id}/{credential_scope}, SignedHeaders={signed_headers}, Signature={signature}"
    );
    Tc3Signature {
        date,
        hashed_payload,
        canonical_request,
        signed_headers,
        credential_scope,
        string_to_sign,
        secret_date_hex: hex::encode(secret_date),
        secret_service_hex: hex::encode(secret_service),
        secret_signing_hex: hex::encode(secret_signing),
        signature,
        authorization,
    }
}

/// The signature of a string to sign: the key derived from the secret, the date (`YYYY-MM-DD`) and
/// the service, then HMAC-SHA256, in hex. Servers verifying a request use this directly.
pub fn signature_for(secret_key: &str, date: &str, service: &str, string_to_sign: &str) -> String {
    let secret_date = hmac_sha256(format!("TC3{secret_key}").as_bytes(), date.as_bytes());
    let secret_service = hmac_sha256(&secret_date, service.as_bytes());
    let secret_signing = hmac_sha256(&secret_service, b"tc3_request");
    hex::encode(hmac_sha256(&secret_signing, string_to_sign.as_bytes()))
}

/// The UTC calendar date of a Unix timestamp.
fn utc_date(timestamp: i64) -> String {
    let date = time::OffsetDateTime::from_unix_timestamp(timestamp).unwrap_or(time::OffsetDateTime::UNIX_EPOCH).date();
    format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day())
}
