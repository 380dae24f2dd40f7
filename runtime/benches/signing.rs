//! Signing benchmark: `cargo bench -p cloudspec-runtime --bench signing`.
//!
//! For each signature (TC3-HMAC-SHA256, ACS3-HMAC-SHA256, the legacy RPC HMAC-SHA1) it runs, in one
//! process and in alternating rounds, the project's signer as the client calls it, the project's `sign`
//! (which also returns every intermediate value), and an anchor: the same signature written here the way
//! a careful hand writes it with RustCrypto (the TC3 key derived once per date, the canonical request
//! and the string to sign streamed into the hasher and the HMAC, hex on the stack). It prints the median
//! time per signature over the rounds, the allocations per signature (a counting global allocator,
//! `stats_alloc`), and the median over the rounds of each signer's time over the anchor's in the same
//! round. Every signer's output is checked against the anchor's first, so a fast wrong signer cannot
//! pass for a fast one.
//!
//! The targets of issue 19 (docs/performance.md): within 1.1× of the anchor, at most 3 allocations per
//! signature.

use std::alloc::System;
use std::hint::black_box;
use std::io::Write as _;
use std::time::Instant;

use base64::Engine as _;
use hmac::{Hmac, Mac};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

use cloudspec_runtime::SecretString;
use cloudspec_runtime::signing::{SigningKeyCache, acs3, rpc_v2, tc3};

#[global_allocator]
static ALLOCATOR: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Rounds per signer; medians are reported.
const ROUNDS: usize = 31;
/// Signatures per round.
const PER_ROUND: u64 = 10_000;

// ---------------------------------------------------------------------------------------------------
// The requests signed: what the client signs for a small call of each kind.
// ---------------------------------------------------------------------------------------------------

const TC3_PAYLOAD: &[u8] = br#"{"ApiAppId":"app-exxxx","ApiAppKey":"AKID123","ApiAppSecret":"secret"}"#;
const TC3_SECRET_ID: &str = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
const TC3_SECRET_KEY: &str = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
/// One signature a second, from 2023-11-14 22:13:20 UTC: a round crosses midnight now and then.
const TC3_START: i64 = 1_700_000_000;

fn tc3_request(timestamp: i64) -> tc3::Tc3Request<'static> {
    tc3::Tc3Request {
        method: "POST",
        host: "apigateway.tencentcloudapi.com",
        path: "/",
        canonical_query: "",
        content_type: "application/json; charset=utf-8",
        payload: TC3_PAYLOAD,
        action: Some("UpdateApiAppKey"),
        service: "apigateway",
        timestamp,
    }
}

const ACS3_ID: &str = "LTAI5tFakeAccessKeyId0001";
const ACS3_SECRET: &str = "FakeAccessKeySecretForBench00001";
const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
/// The query of an RPC call, sorted by name as the client serializes it.
const ACS3_QUERY: [(&str, &str); 3] =
    [("AppKey", "60030986"), ("NewAppKey", "testAppKey"), ("RegionId", "cn-hangzhou")];

/// Nonces made before measuring, so making one is not part of what is measured.
fn nonces() -> Vec<String> {
    (0..1024u32)
        .map(|i| format!("{:032x}", u128::from(i).wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835)))
        .collect()
}

/// The headers of an RPC call in the order the client builds them (`accept` is sent, not signed).
fn acs3_headers(nonce: &str) -> [(&str, &str); 8] {
    [
        ("host", "apigateway.cn-hangzhou.aliyuncs.com"),
        ("x-acs-action", "ResetAppSecret"),
        ("x-acs-version", "2016-07-14"),
        ("x-acs-date", "2023-10-26T10:22:32Z"),
        ("x-acs-signature-nonce", nonce),
        ("x-acs-content-sha256", EMPTY_SHA256),
        ("accept", "application/json"),
        ("content-type", "application/x-www-form-urlencoded"),
    ]
}

fn acs3_request<'a>(headers: &'a [(&'a str, &'a str)]) -> acs3::Acs3Request<'a> {
    acs3::Acs3Request { method: "POST", canonical_uri: "/", query: &ACS3_QUERY, headers, hashed_payload: EMPTY_SHA256 }
}

const RPC_SECRET: &str = "testsecret";

/// The parameters of a legacy RPC call, in the order a caller writes them.
fn rpc_params(nonce: &str) -> [(&str, &str); 12] {
    [
        ("Action", "DescribeRegions"),
        ("Version", "2014-05-26"),
        ("Format", "JSON"),
        ("AccessKeyId", "testid"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
        ("SignatureNonce", nonce),
        ("Timestamp", "2016-02-23T12:46:24Z"),
        ("RegionId", "cn-hangzhou"),
        ("PageSize", "50"),
        ("PageNumber", "1"),
        ("InstanceName", "web server 01"),
    ]
}

// ---------------------------------------------------------------------------------------------------
// The anchors.
// ---------------------------------------------------------------------------------------------------

const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// Lower-case hex of a SHA-256 digest, on the stack.
fn hex32(bytes: &[u8]) -> [u8; 64] {
    let mut out = [0u8; 64];
    hex::encode_to_slice(bytes, &mut out).unwrap();
    out
}

fn text(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).unwrap()
}

/// TC3 with the signing key derived once per date for one secret and service.
struct Tc3Anchor {
    cached: Option<(time::Date, [u8; 32])>,
}

impl Tc3Anchor {
    fn sign(&mut self, request: &tc3::Tc3Request<'_>, secret_id: &str, secret_key: &str) -> String {
        let date = time::OffsetDateTime::from_unix_timestamp(request.timestamp).unwrap().date();
        let mut date_text = [0u8; 10];
        write!(&mut date_text[..], "{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day()).unwrap();
        let date_text = text(&date_text);
        let key = match self.cached {
            Some((cached, key)) if cached == date => key,
            _ => {
                let date_key = hmac_sha256(format!("TC3{secret_key}").as_bytes(), date_text.as_bytes());
                let service_key = hmac_sha256(&date_key, request.service.as_bytes());
                let key = hmac_sha256(&service_key, b"tc3_request");
                self.cached = Some((date, key));
                key
            }
        };
        let signed_headers =
            if request.action.is_some() { "content-type;host;x-tc-action" } else { "content-type;host" };
        let mut hasher = Sha256::new();
        for piece in [request.method, "\n", request.path, "\n", request.canonical_query, "\n", "content-type:"] {
            hasher.update(piece);
        }
        for piece in [request.content_type.trim(), "\nhost:", request.host.trim(), "\n"] {
            hasher.update(piece);
        }
        if let Some(action) = request.action {
            hasher.update("x-tc-action:");
            hasher.update(action.trim().to_ascii_lowercase());
            hasher.update("\n");
        }
        hasher.update("\n");
        hasher.update(signed_headers);
        hasher.update("\n");
        hasher.update(hex32(&Sha256::digest(request.payload)));
        let hashed_request = hex32(&hasher.finalize());
        let mut timestamp = [0u8; 20];
        let mut cursor = &mut timestamp[..];
        write!(cursor, "{}", request.timestamp).unwrap();
        let timestamp_len = 20 - cursor.len();
        let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
        mac.update(b"TC3-HMAC-SHA256\n");
        mac.update(&timestamp[..timestamp_len]);
        for piece in ["\n", date_text, "/", request.service, "/tc3_request\n"] {
            mac.update(piece.as_bytes());
        }
        mac.update(&hashed_request);
        let signature = hex32(&mac.finalize().into_bytes());
        format!(
            "TC3-HMAC-SHA256 Credential={secret_id}/{date_text}/{}/tc3_request, SignedHeaders={signed_headers}, Signature={}",
            request.service,
            text(&signature)
        )
    }
}

fn encode_into(out: &mut String, text: &str) {
    for chunk in utf8_percent_encode(text, UNRESERVED) {
        out.push_str(chunk);
    }
}

/// ACS3: the canonical query (sent as the URL's query) and the `Authorization` header. The key is the
/// secret itself, so there is nothing to cache.
fn acs3_anchor(request: &acs3::Acs3Request<'_>, id: &str, secret: &str) -> (String, String) {
    let mut query = request.query.to_vec();
    query.sort_unstable();
    let mut canonical_query = String::with_capacity(query.iter().map(|(k, v)| k.len() + v.len() + 2).sum());
    for (i, (name, value)) in query.iter().enumerate() {
        if i > 0 {
            canonical_query.push('&');
        }
        encode_into(&mut canonical_query, name);
        canonical_query.push('=');
        encode_into(&mut canonical_query, value);
    }
    let mut headers: Vec<(String, &str)> = request
        .headers
        .iter()
        .map(|(name, value)| (name.to_ascii_lowercase(), value.trim()))
        .filter(|(name, _)| name == "host" || name == "content-type" || name.starts_with("x-acs-"))
        .collect();
    headers.sort_unstable();
    let mut hasher = Sha256::new();
    for piece in [request.method, "\n", request.canonical_uri, "\n", &canonical_query, "\n"] {
        hasher.update(piece);
    }
    for (i, (name, value)) in headers.iter().enumerate() {
        let first = i == 0 || headers[i - 1].0 != *name;
        let last = i + 1 == headers.len() || headers[i + 1].0 != *name;
        if first {
            hasher.update(name);
            hasher.update(":");
        } else {
            hasher.update(",");
        }
        hasher.update(value);
        if last {
            hasher.update("\n");
        }
    }
    hasher.update("\n");
    let mut signed_headers = String::with_capacity(headers.iter().map(|(name, _)| name.len() + 1).sum());
    for (i, (name, _)) in headers.iter().enumerate() {
        if i == 0 || headers[i - 1].0 != *name {
            if i > 0 {
                signed_headers.push(';');
            }
            signed_headers.push_str(name);
        }
    }
    hasher.update(&signed_headers);
    hasher.update("\n");
    hasher.update(request.hashed_payload);
    let hashed_request = hex32(&hasher.finalize());
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(b"ACS3-HMAC-SHA256\n");
    mac.update(&hashed_request);
    let signature = hex32(&mac.finalize().into_bytes());
    let authorization =
        format!("ACS3-HMAC-SHA256 Credential={id},SignedHeaders={signed_headers},Signature={}", text(&signature));
    (canonical_query, authorization)
}

/// The RPC signature, base64: HMAC-SHA1 keyed with `secret&` over `METHOD&%2F&<encoded canonical query>`.
fn rpc_anchor(method: &str, params: &[(&str, &str)], secret: &str) -> String {
    let mut params = params.to_vec();
    params.sort_unstable();
    let mut canonical_query = String::with_capacity(params.iter().map(|(k, v)| k.len() + v.len() + 2).sum());
    for (i, (name, value)) in params.iter().enumerate() {
        if i > 0 {
            canonical_query.push('&');
        }
        encode_into(&mut canonical_query, name);
        canonical_query.push('=');
        encode_into(&mut canonical_query, value);
    }
    let mut key = Vec::with_capacity(secret.len() + 1);
    key.extend_from_slice(secret.as_bytes());
    key.push(b'&');
    let mut mac = Hmac::<Sha1>::new_from_slice(&key).unwrap();
    mac.update(method.as_bytes());
    mac.update(b"&%2F&");
    for chunk in utf8_percent_encode(&canonical_query, UNRESERVED) {
        mac.update(chunk.as_bytes());
    }
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

// ---------------------------------------------------------------------------------------------------
// Measuring.
// ---------------------------------------------------------------------------------------------------

/// A signer under measurement: signs the `i`-th request.
struct Signer<'a> {
    name: &'static str,
    sign: Box<dyn FnMut(u64) + 'a>,
    round_ns: Vec<f64>,
}

impl<'a> Signer<'a> {
    fn new(name: &'static str, sign: impl FnMut(u64) + 'a) -> Self {
        Signer { name, sign: Box::new(sign), round_ns: Vec::new() }
    }

    fn round(&mut self, first: u64) {
        let started = Instant::now();
        for i in first..first + PER_ROUND {
            (self.sign)(i);
        }
        self.round_ns.push(started.elapsed().as_nanos() as f64 / PER_ROUND as f64);
    }

    fn median_ns(&self) -> f64 {
        median(self.round_ns.clone())
    }

    /// The median over the rounds of this signer's time over the anchor's in the same round: the
    /// machine's load changes between rounds, much less within one.
    fn median_ratio(&self, anchor: &Signer<'_>) -> f64 {
        median(self.round_ns.iter().zip(&anchor.round_ns).map(|(ns, anchor_ns)| ns / anchor_ns).collect())
    }

    /// Allocations (and reallocations) per signature, over one more round.
    fn allocations(&mut self, first: u64) -> f64 {
        let region = Region::new(ALLOCATOR);
        for i in first..first + PER_ROUND {
            (self.sign)(i);
        }
        let change = region.change();
        (change.allocations + change.reallocations) as f64 / PER_ROUND as f64
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Runs the signers in alternating rounds and prints each one's figures: the median time per signature,
/// allocations per signature, and the median ratio to the anchor (the last signer).
fn compare(title: &str, mut signers: Vec<Signer<'_>>) {
    // Warm-up: caches, branch predictors, the allocator's free lists.
    for signer in &mut signers {
        signer.round(0);
        signer.round_ns.clear();
    }
    for round in 0..ROUNDS {
        for signer in &mut signers {
            signer.round(round as u64 * PER_ROUND);
        }
    }
    let allocations: Vec<f64> = signers.iter_mut().map(|s| s.allocations(ROUNDS as u64 * PER_ROUND)).collect();
    let anchor = signers.last().expect("an anchor");
    println!("{title}");
    for (signer, allocations) in signers.iter().zip(allocations) {
        println!(
            "  {:<44} {:>7.2} µs  {:>6.2} allocations  {:>5.2}×",
            signer.name,
            signer.median_ns() / 1e3,
            allocations,
            signer.median_ratio(anchor)
        );
    }
}

fn main() {
    let nonces = nonces();
    let nonce = |i: u64| nonces[(i % 1024) as usize].as_str();
    let keys = SigningKeyCache::new();
    let tc3_secret = SecretString::from(TC3_SECRET_KEY);
    let acs3_secret = SecretString::from(ACS3_SECRET);

    // Every signer agrees with its anchor before anything is timed.
    let mut anchor = Tc3Anchor { cached: None };
    for i in [0, 1, 86_400, 200_000] {
        let request = tc3_request(TC3_START + i);
        let expected = anchor.sign(&request, TC3_SECRET_ID, TC3_SECRET_KEY);
        assert_eq!(tc3::authorization(&request, TC3_SECRET_ID, &tc3_secret, &keys), expected);
        assert_eq!(tc3::sign(&request, TC3_SECRET_ID, TC3_SECRET_KEY).authorization, expected);
    }
    for i in [0, 1, 2] {
        let headers = acs3_headers(nonce(i));
        let request = acs3_request(&headers);
        let (query, authorization) = acs3_anchor(&request, ACS3_ID, ACS3_SECRET);
        let authorized = acs3::authorize(&request, ACS3_ID, &acs3_secret);
        assert_eq!((&authorized.canonical_query, &authorized.authorization), (&query, &authorization));
        let signed = acs3::sign(&request, ACS3_ID, ACS3_SECRET);
        assert_eq!((signed.canonical_query, signed.authorization), (query, authorization));
        let params = rpc_params(nonce(i));
        let expected = rpc_anchor("GET", &params, RPC_SECRET);
        assert_eq!(rpc_v2::signature("GET", &params, RPC_SECRET), expected);
        assert_eq!(rpc_v2::sign("GET", &params, RPC_SECRET).signature, expected);
    }

    compare(
        "TC3-HMAC-SHA256 (POST JSON, x-tc-action signed)",
        vec![
            Signer::new("tc3::authorization (the client's, key cache)", |i| {
                black_box(tc3::authorization(&tc3_request(TC3_START + i as i64), TC3_SECRET_ID, &tc3_secret, &keys));
            }),
            Signer::new("tc3::sign (every intermediate value)", |i| {
                black_box(tc3::sign(&tc3_request(TC3_START + i as i64), TC3_SECRET_ID, TC3_SECRET_KEY));
            }),
            Signer::new("anchor: RustCrypto, key cached, streamed", {
                let mut anchor = Tc3Anchor { cached: None };
                move |i| {
                    black_box(anchor.sign(&tc3_request(TC3_START + i as i64), TC3_SECRET_ID, TC3_SECRET_KEY));
                }
            }),
        ],
    );
    compare(
        "ACS3-HMAC-SHA256 (RPC call: 3 query parameters, 7 signed headers)",
        vec![
            Signer::new("acs3::authorize (the client's)", |i| {
                let headers = acs3_headers(nonce(i));
                black_box(acs3::authorize(&acs3_request(&headers), ACS3_ID, &acs3_secret));
            }),
            Signer::new("acs3::sign (every intermediate value)", |i| {
                let headers = acs3_headers(nonce(i));
                black_box(acs3::sign(&acs3_request(&headers), ACS3_ID, ACS3_SECRET));
            }),
            Signer::new("anchor: RustCrypto, streamed", |i| {
                let headers = acs3_headers(nonce(i));
                black_box(acs3_anchor(&acs3_request(&headers), ACS3_ID, ACS3_SECRET));
            }),
        ],
    );
    compare(
        "RPC HMAC-SHA1 (12 parameters)",
        vec![
            Signer::new("rpc_v2::signature", |i| {
                black_box(rpc_v2::signature("GET", &rpc_params(nonce(i)), RPC_SECRET));
            }),
            Signer::new("rpc_v2::sign (every intermediate value)", |i| {
                black_box(rpc_v2::sign("GET", &rpc_params(nonce(i)), RPC_SECRET));
            }),
            Signer::new("anchor: RustCrypto, streamed", |i| {
                black_box(rpc_anchor("GET", &rpc_params(nonce(i)), RPC_SECRET));
            }),
        ],
    );
}
