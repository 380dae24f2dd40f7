//! Signature checks against requests signed the way the official SDKs sign them, and the RFC vectors
//! of the HMACs the legacy signatures use.

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
    let verify = |wire: &Wire| {
        let mut remember = |_: &str| true;
        alibaba_roa_v1(wire, &mut Verifier::new(0, &secret_of, &mut remember)).map_err(|d| d.code)
    };
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
    let canonical_headers: String =
        names.iter().map(|name| format!("{name}:{}\n", headers.iter().find(|(n, _)| n == name).unwrap().1)).collect();
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
    let mut remember = |_: &str| true;
    alibaba_v3(wire, &mut Verifier::new(0, &secret_of, &mut remember)).map_err(|denied| denied.code)
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

/// A TC3 request whose `X-TC-Timestamp` is `timestamp` (the signature does not matter: time is checked first).
fn tc3_request(timestamp: &str) -> Wire {
    let authorization = "TC3-HMAC-SHA256 Credential=id/2024-01-01/cvm/tc3_request, SignedHeaders=host, Signature=00";
    Wire {
        method: "POST".into(),
        path: "/".into(),
        raw_query: String::new(),
        query: Vec::new(),
        headers: [("authorization", authorization), ("host", "127.0.0.1"), ("x-tc-timestamp", timestamp)]
            .into_iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect(),
        body: bytes::Bytes::new(),
    }
}

#[test]
fn times_and_clock_offsets_at_the_ends_of_i64_are_expired_not_overflows() {
    let secret_of = |id: &str| (id == "id").then(|| SECRET.to_string());
    let extremes = [i64::MIN, i64::MIN + 1, -1, 0, i64::MAX - 1, i64::MAX];
    for offset in extremes {
        for timestamp in extremes {
            let mut remember = |_: &str| true;
            let mut verifier = Verifier::new(offset, &secret_of, &mut remember);
            let wire = tc3_request(&timestamp.to_string());
            let code = tencent(&wire, &mut verifier).map_err(|d| d.code);
            assert_eq!(code, Err("AuthFailure.SignatureExpire"), "offset {offset}, timestamp {timestamp}");
            for provider in [Provider::Tencent, Provider::Alibaba] {
                assert!(verifier.fresh(provider, Some(timestamp), "t").is_err(), "offset {offset}, at {timestamp}");
            }
        }
    }
    // Years at the ends of what the formats can say, against clocks at the ends of i64.
    for offset in [i64::MIN, i64::MAX] {
        let mut remember = |_: &str| true;
        let verifier = Verifier::new(offset, &secret_of, &mut remember);
        for date in ["0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z"] {
            assert!(verifier.fresh(Provider::Alibaba, rfc3339(date), "x-acs-date").is_err(), "{offset} {date}");
        }
    }
    // A timestamp that is not a number at all is missing.
    let mut remember = |_: &str| true;
    let mut verifier = Verifier::new(0, &secret_of, &mut remember);
    let code = tencent(&tc3_request("99999999999999999999999"), &mut verifier).map_err(|d| d.code);
    assert_eq!(code, Err("MissingParameter"));
}
