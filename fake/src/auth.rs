//! Verifying signatures the way the providers do: the fake recomputes each signature from what it
//! received and the secret of the claimed access key. The four schemes (TC3, ACS3, the legacy RPC
//! HMAC-SHA1 and the legacy ROA `acs id:signature`) share their other steps — the request time must be
//! near the fake's clock, the access key must be known, an Alibaba nonce must be new — through
//! [`Verifier`].

use cloudspec_runtime::signing::{acs3, rpc_v2, tc3};
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};

use crate::wire::Wire;

/// An authentication failure: the provider's code, message and HTTP status.
pub(crate) struct Denied {
    pub(crate) code: &'static str,
    pub(crate) message: String,
    pub(crate) status: u16,
}

fn denied(code: &'static str, status: u16, message: impl Into<String>) -> Denied {
    Denied { code, message: message.into(), status }
}

/// Remembers a nonce; `false` when it was used before.
pub(crate) type NonceCheck<'a> = &'a mut dyn FnMut(&str) -> bool;

/// Whose rules a check follows: each provider has its own window and its own codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Provider {
    Tencent,
    Alibaba,
}

impl Provider {
    /// How far a request's time may be from the fake's clock, in seconds.
    fn window(self) -> u64 {
        match self {
            Provider::Tencent => 300,
            Provider::Alibaba => 900,
        }
    }
}

/// The steps every signature check shares: is the request recent, whose key is it, is its nonce new.
pub(crate) struct Verifier<'a> {
    /// The fake's clock, in Unix seconds: the real one plus the configured offset, in `i128` so that no
    /// offset and no request time (both `i64`, both from outside) can overflow the arithmetic.
    now: i128,
    secret_of: &'a dyn Fn(&str) -> Option<String>,
    remember: NonceCheck<'a>,
}

impl<'a> Verifier<'a> {
    /// A verifier whose clock is the real one shifted by `offset_seconds`.
    pub(crate) fn new(
        offset_seconds: i64,
        secret_of: &'a dyn Fn(&str) -> Option<String>,
        remember: NonceCheck<'a>,
    ) -> Self {
        let now = i128::from(time::OffsetDateTime::now_utc().unix_timestamp()) + i128::from(offset_seconds);
        Verifier { now, secret_of, remember }
    }

    /// `at` (Unix seconds, read from `source`) must be within the provider's window of the fake's clock.
    fn fresh(&self, provider: Provider, at: Option<i64>, source: &str) -> Result<(), Denied> {
        if at.is_some_and(|at| (self.now - i128::from(at)).unsigned_abs() <= u128::from(provider.window())) {
            return Ok(());
        }
        let minutes = provider.window() / 60;
        let message = format!("{source} is missing or more than {minutes} minutes from the server time");
        Err(match provider {
            Provider::Tencent => denied("AuthFailure.SignatureExpire", 200, message),
            Provider::Alibaba => denied("InvalidTimeStamp.Expired", 400, message),
        })
    }

    /// The secret of access key `id`.
    fn secret(&self, provider: Provider, id: &str) -> Result<String, Denied> {
        (self.secret_of)(id).ok_or_else(|| match provider {
            Provider::Tencent => denied("AuthFailure.SecretIdNotFound", 200, "the SecretId does not exist"),
            Provider::Alibaba => denied("InvalidAccessKeyId.NotFound", 404, "the AccessKeyId does not exist"),
        })
    }

    /// The nonce must be present and never seen before (a replay with a valid signature is refused).
    fn nonce(&mut self, nonce: Option<&str>) -> Result<(), Denied> {
        if nonce.is_some_and(|n| !n.is_empty() && (self.remember)(n)) {
            return Ok(());
        }
        Err(denied("SignatureNonceUsed", 400, "the signature nonce is missing or has been used"))
    }
}

/// Compares without stopping at the first difference.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A `Name=value` part of an `Authorization` header's comma-separated list.
fn authorization_field<'h>(rest: &'h str, name: &str) -> &'h str {
    rest.split(',')
        .map(str::trim)
        .find_map(|part| part.strip_prefix(name).and_then(|v| v.strip_prefix('=')))
        .unwrap_or_default()
}

/// TC3-HMAC-SHA256, with Tencent's five-minute window.
pub(crate) fn tencent(wire: &Wire, verifier: &mut Verifier<'_>) -> Result<String, Denied> {
    let authorization = wire.header("authorization").unwrap_or_default();
    let Some(rest) = authorization.strip_prefix("TC3-HMAC-SHA256 ") else {
        return Err(denied(
            "AuthFailure.InvalidAuthorization",
            200,
            "the Authorization header is missing or not TC3-HMAC-SHA256",
        ));
    };
    let field = |name: &str| authorization_field(rest, name);
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
    verifier.fresh(Provider::Tencent, Some(timestamp), "X-TC-Timestamp")?;
    let secret = verifier.secret(Provider::Tencent, id)?;
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

/// HMAC-SHA256 (RFC 2104).
fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    // HMAC accepts keys of any length; `new_from_slice` cannot fail for it.
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// HMAC-SHA1 (RFC 2104), for the legacy ROA signature.
fn hmac_sha1(key: &[u8], message: &[u8]) -> [u8; 20] {
    let mut mac = Hmac::<Sha1>::new_from_slice(key).unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// The legacy ROA signature (`Authorization: acs <AccessKeyId>:<signature>`, HMAC-SHA1 over the method,
/// `accept`, `content-md5`, `content-type`, `date`, the `x-acs-*` headers and the path with its sorted
/// query), as the official SDKs send it with `signature_algorithm="v2"`.
pub(crate) fn alibaba_roa_v1(wire: &Wire, verifier: &mut Verifier<'_>) -> Result<String, Denied> {
    let authorization = wire.header("authorization").unwrap_or_default();
    let Some((id, signature)) = authorization.strip_prefix("acs ").and_then(|rest| rest.split_once(':')) else {
        return Err(denied("IncompleteSignature", 400, "the Authorization header is not `acs AccessKeyId:Signature`"));
    };
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    let date = wire
        .header("date")
        .and_then(|date| time::PrimitiveDateTime::parse(date, &format).ok())
        .map(|t| t.assume_utc().unix_timestamp());
    verifier.fresh(Provider::Alibaba, date, "Date")?;
    let secret = verifier.secret(Provider::Alibaba, id)?;
    let mut acs: Vec<(&str, &str)> = wire
        .headers
        .iter()
        .filter(|(name, _)| name.starts_with("x-acs-"))
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    acs.sort_by(|a, b| a.0.cmp(b.0));
    acs.dedup_by(|a, b| a.0 == b.0);
    let mut query: Vec<(&str, &str)> = wire.query.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    query.sort_by(|a, b| a.0.cmp(b.0));
    let mut resource = wire.path.clone();
    if !query.is_empty() {
        let pairs: Vec<String> =
            query.iter().map(|(k, v)| if v.is_empty() { k.to_string() } else { format!("{k}={v}") }).collect();
        resource = format!("{resource}?{}", pairs.join("&"));
    }
    let mut string_to_sign = format!("{}\n", wire.method);
    for name in ["accept", "content-md5", "content-type", "date"] {
        string_to_sign.push_str(wire.header(name).unwrap_or_default());
        string_to_sign.push('\n');
    }
    for (name, value) in &acs {
        string_to_sign.push_str(&format!("{name}:{value}\n"));
    }
    string_to_sign.push_str(&resource);
    let expected = base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        hmac_sha1(secret.as_bytes(), string_to_sign.as_bytes()),
    );
    alibaba_verdict(&expected, signature, wire.header("x-acs-signature-nonce"), verifier, id)
}

/// An RFC 3339 time (`2024-01-02T03:04:05Z`) in Unix seconds.
fn rfc3339(text: &str) -> Option<i64> {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok().map(|t| t.unix_timestamp())
}

/// ACS3-HMAC-SHA256 (Alibaba signature V3).
pub(crate) fn alibaba_v3(wire: &Wire, verifier: &mut Verifier<'_>) -> Result<String, Denied> {
    let authorization = wire.header("authorization").unwrap_or_default();
    let Some(rest) = authorization.strip_prefix("ACS3-HMAC-SHA256 ") else {
        return Err(denied("IncompleteSignature", 400, "the Authorization header is missing or not ACS3-HMAC-SHA256"));
    };
    let field = |name: &str| authorization_field(rest, name);
    let (id, signed_headers, signature) = (field("Credential"), field("SignedHeaders"), field("Signature"));
    verifier.fresh(Provider::Alibaba, wire.header("x-acs-date").and_then(rfc3339), "x-acs-date")?;
    let secret = verifier.secret(Provider::Alibaba, id)?;
    let hashed_payload = wire.header("x-acs-content-sha256").unwrap_or_default();
    if hashed_payload != hex::encode(Sha256::digest(&wire.body)) {
        return Err(denied("SignatureDoesNotMatch", 400, "x-acs-content-sha256 is not the SHA-256 of the body"));
    }
    // Alibaba checks the signature over the headers the client says it signed, as long as they
    // include those that must be: the official SDKs sign every header they set (`user-agent` and
    // `accept` too), cloudspec's runtime only `host`, `content-type` and `x-acs-*`.
    let names: Vec<&str> = signed_headers.split(';').collect();
    let unsigned = wire
        .headers
        .iter()
        .map(|(name, _)| name.as_str())
        .filter(|name| *name == "content-type" || name.starts_with("x-acs-"))
        .chain(["host"])
        .find(|name| !names.contains(name));
    if let Some(name) = unsigned {
        return Err(denied(
            "IncompleteSignature",
            400,
            format!("SignedHeaders must include host, content-type and every x-acs-* header; {name} is missing"),
        ));
    }
    let mut canonical_headers = String::new();
    for name in &names {
        let mut values: Vec<&str> =
            wire.headers.iter().filter(|(n, _)| n == name).map(|(_, value)| value.trim()).collect();
        values.sort_unstable();
        canonical_headers.push_str(&format!("{name}:{}\n", values.join(",")));
    }
    let query: Vec<(&str, &str)> = wire.query.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let canonical_uri = if wire.path.is_empty() { "/" } else { wire.path.as_str() };
    let canonical_request = format!(
        "{}\n{canonical_uri}\n{}\n{canonical_headers}\n{signed_headers}\n{hashed_payload}",
        wire.method,
        acs3::canonical_query(&query),
    );
    let string_to_sign = format!("ACS3-HMAC-SHA256\n{}", hex::encode(Sha256::digest(canonical_request.as_bytes())));
    let expected = hex::encode(hmac_sha256(secret.as_bytes(), string_to_sign.as_bytes()));
    alibaba_verdict(&expected, signature, wire.header("x-acs-signature-nonce"), verifier, id)
}

/// The legacy RPC signature (HMAC-SHA1, `Signature` parameter).
pub(crate) fn alibaba_rpc(
    wire: &Wire,
    params: &[(String, String)],
    verifier: &mut Verifier<'_>,
) -> Result<String, Denied> {
    let get = |name: &str| params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let (Some(signature), Some(id)) = (get("Signature"), get("AccessKeyId")) else {
        return Err(denied("MissingParameter", 400, "Signature and AccessKeyId are required"));
    };
    verifier.fresh(Provider::Alibaba, get("Timestamp").and_then(rfc3339), "Timestamp")?;
    let secret = verifier.secret(Provider::Alibaba, id)?;
    let signed: Vec<(&str, &str)> =
        params.iter().filter(|(k, _)| k != "Signature").map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let expected = rpc_v2::sign(&wire.method, &signed, &secret);
    alibaba_verdict(&expected.signature, signature, get("SignatureNonce"), verifier, id)
}

/// The end of every Alibaba check: the signature must match, then the nonce must be new.
fn alibaba_verdict(
    expected: &str,
    signature: &str,
    nonce: Option<&str>,
    verifier: &mut Verifier<'_>,
    id: &str,
) -> Result<String, Denied> {
    if !same(expected, signature) {
        return Err(denied(
            "SignatureDoesNotMatch",
            400,
            "the request signature does not conform to Alibaba Cloud standards",
        ));
    }
    verifier.nonce(nonce)?;
    Ok(id.to_string())
}

#[cfg(test)]
mod tests;
