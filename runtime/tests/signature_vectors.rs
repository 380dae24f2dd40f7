//! The official signature test vectors in `../shared/research/`, each test named after its vector.

use cloudspec_runtime::signing::{acs3, rpc_v2, tc3};
use serde_json::Value;

fn research(path: &str) -> Value {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/research").join(path);
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    serde_json::from_str(&text).unwrap()
}

fn tc3_vector(name: &str) {
    let vectors = research("tencent-api-json/tc3-test-vectors.json");
    let vector =
        vectors["vectors"].as_array().unwrap().iter().find(|v| v["name"] == name).expect("a vector of that name");
    let input = &vector["inputs"];
    let expected = &vector["expected"];
    let s = |v: &Value| v.as_str().unwrap().to_string();
    let extra = input["extra_signed_headers"].as_object().unwrap();
    let payload = s(&input["payload"]);
    let request = tc3::Tc3Request {
        method: &s(&input["method"]),
        host: &s(&input["host"]),
        path: "/",
        canonical_query: &s(&input["canonical_query_string"]),
        content_type: &s(&input["content_type"]),
        payload: payload.as_bytes(),
        action: extra.get("x-tc-action").map(|_| input["action"].as_str().unwrap()),
        service: &s(&input["service"]),
        timestamp: input["timestamp"].as_i64().unwrap(),
    };
    let signature = tc3::sign(&request, &s(&input["secret_id"]), &s(&input["secret_key"]));
    assert_eq!(signature.date, s(&expected["date"]));
    assert_eq!(signature.hashed_payload, s(&expected["hashed_request_payload"]));
    assert_eq!(signature.canonical_request, s(&expected["canonical_request"]));
    assert_eq!(signature.signed_headers, s(&expected["signed_headers"]));
    assert_eq!(signature.credential_scope, s(&expected["credential_scope"]));
    assert_eq!(signature.string_to_sign, s(&expected["string_to_sign"]));
    assert_eq!(signature.secret_date_hex, s(&expected["secret_date_hex"]));
    assert_eq!(signature.secret_service_hex, s(&expected["secret_service_hex"]));
    assert_eq!(signature.secret_signing_hex, s(&expected["secret_signing_hex"]));
    assert_eq!(signature.signature, s(&expected["signature"]));
    assert_eq!(signature.authorization, s(&expected["authorization"]));
}

#[test]
fn tc3_cvm_post_xtcaction_masked32() {
    tc3_vector("cvm-post-xtcaction-masked32");
}

#[test]
fn tc3_cvm_post_xtcaction_gu5t_masked7() {
    tc3_vector("cvm-post-xtcaction-gu5t-masked7");
}

#[test]
fn tc3_cvm_post_2hdr_example() {
    tc3_vector("cvm-post-2hdr-example");
}

#[test]
fn tc3_cvm_post_2hdr_gu5t_masked7() {
    tc3_vector("cvm-post-2hdr-gu5t-masked7");
}

#[test]
fn tc3_cvm_get_limit_offset() {
    tc3_vector("cvm-get-limit-offset");
}

#[test]
fn every_tc3_vector_has_a_test() {
    let vectors = research("tencent-api-json/tc3-test-vectors.json");
    let names: Vec<&str> = vectors["vectors"].as_array().unwrap().iter().map(|v| v["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "cvm-post-xtcaction-masked32",
            "cvm-post-xtcaction-gu5t-masked7",
            "cvm-post-2hdr-example",
            "cvm-post-2hdr-gu5t-masked7",
            "cvm-get-limit-offset"
        ]
    );
}

fn alibaba_vector(group: &str, id: &str) -> Value {
    let vectors = research("alibaba-meta/signature-vectors.json");
    vectors[group].as_array().unwrap().iter().find(|v| v["id"] == id).expect("a vector of that id").clone()
}

fn pairs(object: &Value) -> Vec<(String, String)> {
    object
        .as_object()
        .map(|o| o.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string())).collect())
        .unwrap_or_default()
}

fn acs3_vector(id: &str, inherit: Option<&str>) {
    let vector = alibaba_vector("v3_acs3_hmac_sha256", id);
    // A vector may reuse another's inputs with some changed (the Go test leaves the method empty).
    let base = inherit.map(|other| alibaba_vector("v3_acs3_hmac_sha256", other)).unwrap_or_else(|| vector.clone());
    let field = |key: &str| vector.get(key).filter(|v| !v.is_null()).unwrap_or(&base[key]).clone();
    let query = pairs(&field("query"));
    let headers = pairs(&field("headers"));
    let query: Vec<(&str, &str)> = query.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let hashed_payload = match field("payload_hash").as_str() {
        Some(hash) => hash.to_string(),
        None => headers.iter().find(|(k, _)| *k == "x-acs-content-sha256").map(|(_, v)| v.to_string()).unwrap(),
    };
    let canonical_uri = field("canonical_uri");
    let request = acs3::Acs3Request {
        method: vector["method"].as_str().unwrap(),
        canonical_uri: canonical_uri.as_str().unwrap(),
        query: &query,
        headers: &headers,
        hashed_payload: &hashed_payload,
    };
    let signature =
        acs3::sign(&request, field("access_key_id").as_str().unwrap(), field("access_key_secret").as_str().unwrap());
    for (key, actual) in [
        ("canonical_request", &signature.canonical_request),
        ("canonical_query", &signature.canonical_query),
        ("canonical_headers", &signature.canonical_headers),
        ("hashed_canonical_request", &signature.hashed_canonical_request),
        ("string_to_sign", &signature.string_to_sign),
        ("signature", &signature.signature),
    ] {
        if let Some(expected) = vector.get(key).and_then(Value::as_str) {
            assert_eq!(actual, expected, "{id}: {key}");
        }
    }
    assert_eq!(signature.authorization, vector["authorization"].as_str().unwrap(), "{id}: authorization");
}

#[test]
fn acs3_doc_runinstances() {
    acs3_vector("doc-runinstances", None);
}

#[test]
fn acs3_sdk_openapi_util_python_get() {
    acs3_vector("sdk-openapi-util-python-get", None);
}

#[test]
fn acs3_sdk_openapi_util_go_empty_method() {
    acs3_vector("sdk-openapi-util-go-empty-method", Some("sdk-openapi-util-python-get"));
}

fn rpc_vector(id: &str) {
    let vector = alibaba_vector("rpc_v2_hmac_sha1", id);
    let params = pairs(&vector["params"]);
    let params: Vec<(&str, &str)> = params.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let signature = rpc_v2::sign(vector["method"].as_str().unwrap(), &params, vector["secret"].as_str().unwrap());
    if let Some(expected) = vector.get("canonicalized_query").and_then(Value::as_str) {
        assert_eq!(signature.canonicalized_query, expected);
    }
    if let Some(expected) = vector.get("string_to_sign").and_then(Value::as_str) {
        assert_eq!(signature.string_to_sign, expected);
    }
    assert_eq!(signature.signature, vector["signature"].as_str().unwrap());
    if let Some(expected) = vector.get("url_encoded_signature").and_then(Value::as_str) {
        assert_eq!(cloudspec_runtime::signing::percent_encode(&signature.signature), expected);
    }
}

#[test]
fn rpc_doc_describe_dedicated_hosts() {
    rpc_vector("doc-describe-dedicated-hosts");
}

#[test]
fn rpc_doc_describe_regions_legacy() {
    rpc_vector("doc-describe-regions-legacy");
}

#[test]
fn rpc_doc_sms_sendsms_utf8() {
    rpc_vector("doc-sms-sendsms-utf8");
}

#[test]
fn rpc_sdk_openapi_util_python() {
    rpc_vector("sdk-openapi-util-python");
}

#[test]
fn rpc_sdk_openapi_util_go_empty_method() {
    rpc_vector("sdk-openapi-util-go-empty-method");
}
