//! Tencent Cloud API 3.0 signature, TC3-HMAC-SHA256.
//!
//! The canonical request covers the method, path, query, the `content-type`, `host` and
//! `x-tc-action` headers (the action lower-cased, as the official SDKs sign it) and the SHA-256 of
//! the exact body bytes; the key is derived from the secret, the UTC date and the service.
//!
//! [`authorization`] is what the client sends, with the key from a [`SigningKeyCache`]; [`sign`]
//! computes the same with every intermediate value, for the official test vectors.

use hmac::Mac as _;
use sha2::{Digest, Sha256};

use super::keys::{SigningKeyCache, Tc3SigningKey};
use super::text::{Decimal, Hex, Sink, Tee, UtcDate, into_text, push_ascii, sha256};
use crate::SecretString;

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

const ALGORITHM: &str = "TC3-HMAC-SHA256";
const SCOPE_END: &str = "tc3_request";

impl Tc3Request<'_> {
    fn signed_headers(&self) -> &'static str {
        if self.action.is_some() { "content-type;host;x-tc-action" } else { "content-type;host" }
    }
}

/// The `Authorization` header of a request: what the client sends. The key for the request's date
/// and service comes from `keys`, derived there on first use.
pub fn authorization(
    request: &Tc3Request<'_>,
    secret_id: &str,
    secret_key: &SecretString,
    keys: &SigningKeyCache,
) -> String {
    let date = UtcDate::of(request.timestamp);
    let key = keys.tc3_key(secret_id, secret_key, date, request.service);
    signed(request, secret_id, date, &key, (), ()).0
}

/// Signs a request and returns every intermediate value; the signature is [`authorization`]'s.
pub fn sign(request: &Tc3Request<'_>, secret_id: &str, secret_key: &str) -> Tc3Signature {
    let date = UtcDate::of(request.timestamp);
    let (date_key, service_key, key) = Tc3SigningKey::derive_steps(secret_key, date.as_bytes(), request.service);
    let (mut canonical_request, mut string_to_sign) = (Vec::new(), Vec::new());
    let (authorization, signature) =
        signed(request, secret_id, date, &key, &mut canonical_request, &mut string_to_sign);
    let date = date.to_text();
    Tc3Signature {
        hashed_payload: Hex::of(&sha256(request.payload)).to_text(),
        canonical_request: into_text(canonical_request),
        signed_headers: request.signed_headers().to_string(),
        credential_scope: format!("{date}/{}/{SCOPE_END}", request.service),
        string_to_sign: into_text(string_to_sign),
        secret_date_hex: Hex::of(&date_key).to_text(),
        secret_service_hex: Hex::of(&service_key).to_text(),
        secret_signing_hex: Hex::of(key.expose()).to_text(),
        signature: signature.to_text(),
        authorization,
        date,
    }
}

/// The signature of a string to sign: the key derived from the secret, the date (`YYYY-MM-DD`) and
/// the service, then HMAC-SHA256, in hex. Servers verifying a request use this directly.
pub fn signature_for(secret_key: &str, date: &str, service: &str, string_to_sign: &str) -> String {
    let mut mac = Tc3SigningKey::derive(secret_key, date.as_bytes(), service).mac();
    mac.put(string_to_sign.as_bytes());
    Hex::of(&mac.finalize().into_bytes().into()).to_text()
}

/// The one signing path of [`authorization`] and [`sign`]: hashes the canonical request, signs the
/// string to sign, and returns the `Authorization` header and the signature. The canonical request
/// and the string to sign are also written to the two copy sinks (`()` keeps nothing).
fn signed(
    request: &Tc3Request<'_>,
    secret_id: &str,
    date: UtcDate,
    key: &Tc3SigningKey,
    canonical_request_copy: impl Sink,
    string_to_sign_copy: impl Sink,
) -> (String, Hex) {
    let mut hasher = Sha256::new();
    write_canonical_request(&mut Tee(&mut hasher, canonical_request_copy), request);
    let hashed_request = Hex::of(&hasher.finalize().into());
    let mut mac = key.mac();
    write_string_to_sign(&mut Tee(&mut mac, string_to_sign_copy), request, date, &hashed_request);
    let signature = Hex::of(&mac.finalize().into_bytes().into());
    (authorization_header(request, secret_id, date, &signature), signature)
}

/// `METHOD\npath\nquery\ncontent-type:…\nhost:…\n[x-tc-action:…\n]\nsigned headers\nhex(sha256(body))`.
fn write_canonical_request(sink: &mut impl Sink, request: &Tc3Request<'_>) {
    for piece in [request.method, "\n", request.path, "\n", request.canonical_query, "\n"] {
        sink.put(piece.as_bytes());
    }
    for piece in ["content-type:", request.content_type.trim(), "\nhost:", request.host.trim(), "\n"] {
        sink.put(piece.as_bytes());
    }
    if let Some(action) = request.action {
        sink.put(b"x-tc-action:");
        sink.put_lowercase(action.trim());
        sink.put(b"\n");
    }
    sink.put(b"\n");
    sink.put(request.signed_headers().as_bytes());
    sink.put(b"\n");
    sink.put(Hex::of(&sha256(request.payload)).as_bytes());
}

/// `TC3-HMAC-SHA256\ntimestamp\ndate/service/tc3_request\nhex(sha256(canonical request))`.
fn write_string_to_sign(sink: &mut impl Sink, request: &Tc3Request<'_>, date: UtcDate, hashed_request: &Hex) {
    sink.put(ALGORITHM.as_bytes());
    sink.put(b"\n");
    sink.put(Decimal::of(request.timestamp).as_bytes());
    sink.put(b"\n");
    sink.put(date.as_bytes());
    for piece in ["/", request.service, "/", SCOPE_END, "\n"] {
        sink.put(piece.as_bytes());
    }
    sink.put(hashed_request.as_bytes());
}

/// `TC3-HMAC-SHA256 Credential=id/date/service/tc3_request, SignedHeaders=…, Signature=…`, in one
/// allocation.
fn authorization_header(request: &Tc3Request<'_>, secret_id: &str, date: UtcDate, signature: &Hex) -> String {
    const CREDENTIAL: &str = " Credential=";
    const SIGNED_HEADERS: &str = ", SignedHeaders=";
    const SIGNATURE: &str = ", Signature=";
    let signed_headers = request.signed_headers();
    let length = ALGORITHM.len()
        + CREDENTIAL.len()
        + secret_id.len()
        + 1
        + date.as_bytes().len()
        + 1
        + request.service.len()
        + 1
        + SCOPE_END.len()
        + SIGNED_HEADERS.len()
        + signed_headers.len()
        + SIGNATURE.len()
        + signature.as_bytes().len();
    let mut header = String::with_capacity(length);
    for piece in [ALGORITHM, CREDENTIAL, secret_id, "/"] {
        header.push_str(piece);
    }
    push_ascii(&mut header, date.as_bytes());
    for piece in ["/", request.service, "/", SCOPE_END, SIGNED_HEADERS, signed_headers, SIGNATURE] {
        header.push_str(piece);
    }
    push_ascii(&mut header, signature.as_bytes());
    header
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(timestamp: i64, action: Option<&'static str>) -> Tc3Request<'static> {
        Tc3Request {
            method: "POST",
            host: " cvm.tencentcloudapi.com ",
            path: "/",
            canonical_query: "",
            content_type: "application/json; charset=utf-8",
            payload: "{\"Limit\": 1, \"Name\": \"é\"}".as_bytes(),
            action,
            service: "cvm",
            timestamp,
        }
    }

    #[test]
    fn the_client_signs_as_sign_does_with_cached_keys() {
        let keys = SigningKeyCache::new();
        let secret = SecretString::from("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE");
        // Twice each, so the second signature uses the kept key; across midnight; with another secret.
        for (timestamp, action, secret_key) in [
            (1_551_113_065, Some("DescribeInstances"), &secret),
            (1_551_113_065, Some("DescribeInstances"), &secret),
            (1_551_139_199, None, &secret),
            (1_551_139_200, Some("RunInstances"), &secret),
            (1_551_139_201, Some("RunInstances"), &SecretString::from("another")),
            (-1, Some("A"), &secret),
        ] {
            let request = request(timestamp, action);
            let expected = sign(&request, "AKIDEXAMPLE", secret_key.expose_secret());
            assert_eq!(authorization(&request, "AKIDEXAMPLE", secret_key, &keys), expected.authorization);
            let date = UtcDate::of(timestamp).to_text();
            let signature = signature_for(secret_key.expose_secret(), &date, "cvm", &expected.string_to_sign);
            assert_eq!(signature, expected.signature);
        }
        assert_eq!(keys.len(), 2);
    }

    #[test]
    fn writes_the_documented_canonical_request() {
        let signature = sign(&request(1_551_113_065, Some("DescribeInstances")), "AKIDEXAMPLE", "secret");
        let hashed_payload = Hex::of(&sha256("{\"Limit\": 1, \"Name\": \"é\"}".as_bytes())).to_text();
        assert_eq!(
            signature.canonical_request,
            format!(
                "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\
                 x-tc-action:describeinstances\n\ncontent-type;host;x-tc-action\n{hashed_payload}"
            )
        );
        assert!(signature.string_to_sign.starts_with("TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n"));
        assert_eq!(signature.authorization.len(), signature.authorization.capacity());
    }
}
