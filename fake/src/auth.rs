//! Verifying signatures the way the providers do: the fake recomputes each signature from what it
//! received and the secret of the claimed access key.

use cloudspec_runtime::signing::{acs3, rpc_v2, tc3};
use hmac::{Hmac, Mac};
use sha1::Sha1;
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
pub(crate) fn alibaba_roa_v1(
    wire: &Wire,
    secret_of: &dyn Fn(&str) -> Option<String>,
    offset: i64,
    nonce: NonceCheck<'_>,
) -> Result<String, Denied> {
    let authorization = wire.header("authorization").unwrap_or_default();
    let Some((id, signature)) = authorization.strip_prefix("acs ").and_then(|rest| rest.split_once(':')) else {
        return Err(denied("IncompleteSignature", 400, "the Authorization header is not `acs AccessKeyId:Signature`"));
    };
    let date = wire.header("date").unwrap_or_default();
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    let fresh = time::PrimitiveDateTime::parse(date, &format)
        .is_ok_and(|t| (now(offset) - t.assume_utc().unix_timestamp()).abs() <= 900);
    if !fresh {
        return Err(denied(
            "InvalidTimeStamp.Expired",
            400,
            "Date is missing or more than 15 minutes from the server time",
        ));
    }
    let Some(secret) = secret_of(id) else {
        return Err(denied("InvalidAccessKeyId.NotFound", 404, "the AccessKeyId does not exist"));
    };
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
    let mut string_to_sign = String::new();
    for name in ["accept", "content-md5", "content-type", "date"] {
        string_to_sign.push_str(wire.header(name).unwrap_or_default());
        string_to_sign.push('\n');
    }
    string_to_sign.insert_str(0, &format!("{}\n", wire.method));
    for (name, value) in &acs {
        string_to_sign.push_str(&format!("{name}:{value}\n"));
    }
    string_to_sign.push_str(&resource);
    let expected = base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        hmac_sha1(secret.as_bytes(), string_to_sign.as_bytes()),
    );
    alibaba_verdict(&expected, signature, wire.header("x-acs-signature-nonce"), nonce, id)
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
    alibaba_verdict(&expected, signature, wire.header("x-acs-signature-nonce"), nonce, id)
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
    alibaba_verdict(&expected.signature, signature, get("SignatureNonce"), nonce, id)
}

/// The end of every Alibaba check: the signature must match, then the nonce must be fresh (a replay
/// with a valid signature is still refused).
fn alibaba_verdict(
    expected: &str,
    signature: &str,
    request_nonce: Option<&str>,
    nonce: NonceCheck<'_>,
    id: &str,
) -> Result<String, Denied> {
    if !same(expected, signature) {
        return Err(denied(
            "SignatureDoesNotMatch",
            400,
            "the request signature does not conform to Alibaba Cloud standards",
        ));
    }
    if !request_nonce.is_some_and(|n| !n.is_empty() && nonce(n)) {
        return Err(denied("SignatureNonceUsed", 400, "the signature nonce is missing or has been used"));
    }
    Ok(id.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_sha256_matches_rfc_4231() {
        // Test cases 2 (a short key) and 6 (a key longer than a block).
        assert_eq!(
            hex::encode(hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(
            hex::encode(hmac_sha256(&[0xaa; 131], b"Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn hmac_sha1_matches_rfc_2202() {
        // RFC 2202 test cases 1 and 6 (a key longer than a block).
        assert_eq!(hex::encode(hmac_sha1(&[0x0b; 20], b"Hi There")), "b617318655057264e28bc0b6fb378c8ef146be00");
        assert_eq!(
            hex::encode(hmac_sha1(&[0xaa; 80], b"Test Using Larger Than Block-Size Key - Hash Key First")),
            "aa4ae5e15272d00e95705637ce8a3b55ed402112"
        );
    }

    /// A legacy ROA request as the official Python SDK signs it (`Utils.get_string_to_sign`).
    fn roa_v1_request(path: &str, query: &[(&str, &str)], secret: &str) -> Wire {
        let now = time::OffsetDateTime::now_utc();
        let format = time::macros::format_description!(
            "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
        );
        let date = now.format(&format).unwrap();
        let mut headers: Vec<(String, String)> = [
            ("date", date.as_str()),
            ("host", "127.0.0.1:8080"),
            ("accept", "application/json"),
            ("x-acs-signature-nonce", "0f4d5e1c2b3a49"),
            ("x-acs-signature-method", "HMAC-SHA1"),
            ("x-acs-signature-version", "1.0"),
            ("x-acs-version", "2015-12-15"),
            ("x-acs-action", "DescribeClusterDetail"),
            ("content-type", "application/json; charset=utf-8"),
        ]
        .into_iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
        let mut sorted = query.to_vec();
        sorted.sort();
        let resource = if sorted.is_empty() {
            path.to_string()
        } else {
            let pairs: Vec<String> =
                sorted.iter().map(|(k, v)| if v.is_empty() { k.to_string() } else { format!("{k}={v}") }).collect();
            format!("{path}?{}", pairs.join("&"))
        };
        let string_to_sign = format!(
            "GET\napplication/json\n\napplication/json; charset=utf-8\n{date}\nx-acs-action:DescribeClusterDetail\n\
             x-acs-signature-method:HMAC-SHA1\nx-acs-signature-nonce:0f4d5e1c2b3a49\nx-acs-signature-version:1.0\n\
             x-acs-version:2015-12-15\n{resource}"
        );
        let signature = base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            hmac_sha1(secret.as_bytes(), string_to_sign.as_bytes()),
        );
        headers.push(("authorization".into(), format!("acs id:{signature}")));
        Wire {
            method: "GET".into(),
            path: path.into(),
            raw_query: String::new(),
            query: query.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            headers,
            body: bytes::Bytes::new(),
        }
    }

    #[test]
    fn roa_v1_signature_covers_method_headers_path_and_query() {
        let secret_of = |id: &str| (id == "id").then(|| SECRET.to_string());
        let verify = |wire: &Wire| alibaba_roa_v1(wire, &secret_of, 0, &mut |_| true).map_err(|d| d.code);
        let query = [("region_id", "cn-hangzhou"), ("name", "a b"), ("flag", "")];
        assert_eq!(verify(&roa_v1_request("/clusters/c%201", &query, SECRET)), Ok("id".into()));
        assert_eq!(verify(&roa_v1_request("/clusters/c1", &[], "wrong")), Err("SignatureDoesNotMatch"));
        let mut moved = roa_v1_request("/clusters/c1", &query, SECRET);
        moved.path = "/clusters/c2".into();
        assert_eq!(verify(&moved), Err("SignatureDoesNotMatch"));
        let mut changed = roa_v1_request("/clusters/c1", &query, SECRET);
        changed.query[0].1 = "cn-beijing".into();
        assert_eq!(verify(&changed), Err("SignatureDoesNotMatch"));
        let mut stale = roa_v1_request("/clusters/c1", &[], SECRET);
        stale.headers.retain(|(n, _)| n != "date");
        assert_eq!(verify(&stale), Err("InvalidTimeStamp.Expired"));
        let mut garbled = roa_v1_request("/clusters/c1", &[], SECRET);
        garbled.headers.retain(|(n, _)| n != "authorization");
        garbled.headers.push(("authorization".into(), "acs nocolon".into()));
        assert_eq!(verify(&garbled), Err("IncompleteSignature"));
    }

    const SECRET: &str = "cloudspec-fake-secret";

    /// A V3 request with the headers the official Python SDK sends (and two it leaves unsigned,
    /// `accept-encoding` and `content-length`), signed over the headers `signed` with `secret`.
    fn acs3_request(signed: &[&str], secret: &str) -> Wire {
        let date = time::OffsetDateTime::now_utc()
            .replace_nanosecond(0)
            .unwrap()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap();
        let mut headers: Vec<(String, String)> = [
            ("host", "127.0.0.1:8080"),
            ("x-acs-action", "ResetAppSecret"),
            ("x-acs-version", "2016-07-14"),
            ("user-agent", "AlibabaCloud (Linux) Python/3.11 Core/0.4 TeaDSL/2"),
            ("x-acs-date", &date),
            ("x-acs-signature-nonce", "c8fd21de6f3e4f9f9c8c77b2b1e0a0aa"),
            ("accept", "application/json"),
            ("x-acs-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("accept-encoding", "gzip"),
            ("content-length", "0"),
        ]
        .into_iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
        let query = vec![("AppKey".to_string(), "60030986".to_string())];
        let mut names = signed.to_vec();
        names.sort_unstable();
        let canonical_headers: String = names
            .iter()
            .map(|name| format!("{name}:{}\n", headers.iter().find(|(n, _)| n == name).unwrap().1))
            .collect();
        let canonical_request = format!(
            "POST\n/\nAppKey=60030986\n{canonical_headers}\n{}\n{}",
            names.join(";"),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        let string_to_sign = format!("ACS3-HMAC-SHA256\n{}", hex::encode(Sha256::digest(canonical_request.as_bytes())));
        let signature = hex::encode(hmac_sha256(secret.as_bytes(), string_to_sign.as_bytes()));
        headers.push((
            "authorization".into(),
            format!("ACS3-HMAC-SHA256 Credential=id,SignedHeaders={},Signature={signature}", names.join(";")),
        ));
        Wire {
            method: "POST".into(),
            path: "/".into(),
            raw_query: "AppKey=60030986".into(),
            query,
            headers,
            body: bytes::Bytes::new(),
        }
    }

    fn verify(wire: &Wire) -> Result<String, &'static str> {
        let secret_of = |id: &str| (id == "id").then(|| SECRET.to_string());
        alibaba_v3(wire, &secret_of, 0, &mut |_| true).map_err(|denied| denied.code)
    }

    const SDK_SIGNED: &[&str] = &[
        "accept",
        "host",
        "user-agent",
        "x-acs-action",
        "x-acs-content-sha256",
        "x-acs-date",
        "x-acs-signature-nonce",
        "x-acs-version",
    ];

    #[test]
    fn v3_checks_the_headers_the_client_signed() {
        // The official SDKs sign every header they set; cloudspec's runtime only host and x-acs-*.
        assert_eq!(verify(&acs3_request(SDK_SIGNED, SECRET)), Ok("id".into()));
        assert_eq!(verify(&acs3_request(&SDK_SIGNED[1..], SECRET)), Ok("id".into()));
        // Signed by cloudspec's runtime, which leaves out `accept` and `user-agent`.
        let mut wire = acs3_request(SDK_SIGNED, SECRET);
        wire.headers.retain(|(name, _)| name != "authorization");
        let headers: Vec<(&str, &str)> = wire.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let signed = acs3::sign(
            &acs3::Acs3Request {
                method: "POST",
                canonical_uri: "/",
                query: &[("AppKey", "60030986")],
                headers: &headers,
                hashed_payload: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            },
            "id",
            SECRET,
        );
        assert!(!signed.signed_headers.contains("user-agent"), "{}", signed.signed_headers);
        wire.headers.push(("authorization".into(), signed.authorization));
        assert_eq!(verify(&wire), Ok("id".into()));
    }

    #[test]
    fn v3_refuses_a_wrong_secret_a_changed_header_and_unsigned_required_headers() {
        assert_eq!(verify(&acs3_request(SDK_SIGNED, "wrong")), Err("SignatureDoesNotMatch"));
        let mut changed = acs3_request(SDK_SIGNED, SECRET);
        changed.headers.iter_mut().find(|(n, _)| n == "user-agent").unwrap().1 = "other".into();
        assert_eq!(verify(&changed), Err("SignatureDoesNotMatch"));
        for required in ["host", "x-acs-action", "x-acs-version", "x-acs-signature-nonce"] {
            let signed: Vec<&str> = SDK_SIGNED.iter().copied().filter(|n| *n != required).collect();
            assert_eq!(verify(&acs3_request(&signed, SECRET)), Err("IncompleteSignature"), "{required} unsigned");
        }
    }
}
