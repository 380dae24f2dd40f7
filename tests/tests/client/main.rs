//! The generated clients against a local HTTP server (wiremock on 127.0.0.1): wire shape and signing,
//! decoding, every retry rule, rate limiting, timeouts and configuration errors.

use std::time::{Duration, Instant};

use cloudspec_apis::alibabacloud::cloudapi::v20160714 as cloudapi;
use cloudspec_apis::tencentcloud::apigateway::v20180808::*;
use cloudspec_apis::{Config, Credentials, Error, Outcome, RateLimit, RetryPolicy, Timeouts};
use cloudspec_runtime::signing::tc3;
use cloudspec_tests::hostile::hostilecloud::weird::v20200101 as weird;
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const SECRET_ID: &str = "AKIDclienttest";
const SECRET_KEY: &str = "client-test-secret-key";

fn config(server: &MockServer) -> Config {
    Config::new()
        .with_endpoint_url(server.uri())
        .with_credentials(Credentials::new(SECRET_ID, SECRET_KEY).unwrap())
        .with_region("ap-guangzhou")
        .with_retry(RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(10),
            max_backoff: Duration::from_millis(40),
        })
        .with_timeouts(Timeouts {
            connect: Duration::from_secs(1),
            attempt: Duration::from_millis(400),
            total: Duration::from_secs(10),
        })
        .with_rate_limit(RateLimit::Disabled)
}

fn tencent(body: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({ "Response": body }))
}

fn api_key_body(secret: &str) -> serde_json::Value {
    json!({
        "Result": {
            "AccessKeyId": "AKIDnew", "AccessKeySecret": secret, "AccessKeyType": "auto", "SecretName": "name",
            "Status": 1, "CreatedTime": "2020-02-26T06:10:01Z", "ModifiedTime": "2020-02-26T06:10:01Z"
        },
        "RequestId": "req-ok"
    })
}

fn error_body(code: &str) -> serde_json::Value {
    json!({ "Error": { "Code": code, "Message": "message of the error" }, "RequestId": "req-err" })
}

fn create_request() -> CreateApiKeyRequest {
    CreateApiKeyRequest::builder().secret_name("name").build().unwrap()
}

fn match_request() -> weird::MatchRequest {
    weird::MatchRequest::builder().r#type("t").build().unwrap()
}

/// Answers each request with the next template of a list (the last one repeats).
struct Sequence(std::sync::Mutex<Vec<ResponseTemplate>>);

impl Sequence {
    fn new(mut templates: Vec<ResponseTemplate>) -> Self {
        templates.reverse();
        Sequence(std::sync::Mutex::new(templates))
    }
}

impl Respond for Sequence {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let mut templates = self.0.lock().unwrap();
        if templates.len() > 1 { templates.pop().unwrap() } else { templates[0].clone() }
    }
}

async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap_or_default()
}

#[tokio::test]
async fn a_call_is_signed_and_shaped_as_tencent_expects() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/"))
        .and(header("x-tc-action", "CreateApiKey"))
        .respond_with(tencent(api_key_body("fresh-secret")))
        .mount(&server)
        .await;
    let client = Client::new(config(&server));
    let response = client.create_api_key(create_request()).await.unwrap();
    assert_eq!(response.request_id, "req-ok");
    assert_eq!(response.result.unwrap().access_key_secret.expose_secret(), "fresh-secret");

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    let get = |name: &str| request.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    assert_eq!(get("content-type"), "application/json; charset=utf-8");
    assert_eq!(get("x-tc-version"), "2018-08-08");
    assert_eq!(get("x-tc-region"), "ap-guangzhou");
    assert!(get("user-agent").starts_with("cloudspec/"));
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&request.body).unwrap(), json!({"SecretName": "name"}));
    // The signature covers exactly the bytes and headers that were sent.
    let host = get("host");
    let timestamp: i64 = get("x-tc-timestamp").parse().unwrap();
    assert!((timestamp - time::OffsetDateTime::now_utc().unix_timestamp()).abs() < 60);
    let expected = tc3::sign(
        &tc3::Tc3Request {
            method: "POST",
            host: &host,
            path: "/",
            canonical_query: "",
            content_type: &get("content-type"),
            payload: &request.body,
            action: Some("CreateApiKey"),
            service: "apigateway",
            timestamp,
        },
        SECRET_ID,
        SECRET_KEY,
    );
    assert_eq!(get("authorization"), expected.authorization);
    assert!(get("authorization").contains("SignedHeaders=content-type;host;x-tc-action,"));
}

#[tokio::test]
async fn an_alibaba_rpc_call_carries_its_parameters_in_the_signed_query() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"RequestId": "ali-1"})))
        .mount(&server)
        .await;
    let client = cloudapi::Client::new(config(&server));
    let request =
        cloudapi::ResetAppSecretRequest::builder().app_key("60030986").new_app_key("key with spaces*").build().unwrap();
    let response = client.reset_app_secret(request).await.unwrap();
    assert_eq!(response.request_id, "ali-1");
    let requests = received(&server).await;
    let request = &requests[0];
    assert_eq!(request.url.query(), Some("AppKey=60030986&NewAppKey=key%20with%20spaces%2A"));
    let get = |name: &str| request.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    assert_eq!(get("x-acs-action"), "ResetAppSecret");
    assert_eq!(get("x-acs-version"), "2016-07-14");
    assert_eq!(get("x-acs-content-sha256"), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert_eq!(get("x-acs-signature-nonce").len(), 32);
    assert!(
        get("authorization")
            .starts_with(&format!("ACS3-HMAC-SHA256 Credential={SECRET_ID},SignedHeaders=host;x-acs-action;"))
    );
}

#[tokio::test]
async fn error_envelopes_become_typed_errors() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(tencent(error_body("FailedOperation.AccessKeyExist")))
        .mount(&server)
        .await;
    let error = Client::new(config(&server)).create_api_key(create_request()).await.unwrap_err();
    match &error {
        Error::Service(CreateApiKeyError::FailedOperationAccessKeyExist(metadata)) => {
            assert_eq!(metadata.request_id(), Some("req-err"));
            assert_eq!(metadata.message(), "message of the error");
        }
        other => panic!("expected the typed error, got {other:?}"),
    }
    assert_eq!(
        error.to_string(),
        "service error: FailedOperation.AccessKeyExist: message of the error (request id req-err)"
    );
}

#[tokio::test]
async fn undecodable_answers_keep_status_and_body_and_hide_secrets() {
    let wrong_shape =
        json!({"Response": {"Result": {"AccessKeySecret": "secret-in-page", "Status": "x"}, "RequestId": "r"}})
            .to_string();
    let cases: Vec<(&str, u16, String)> = vec![
        ("an HTML page", 502, "<html><body>Bad Gateway secret-in-page</body></html>".into()),
        ("truncated JSON", 200, r#"{"Response": {"Result": {"AccessKeySecret": "secret-in-page""#.into()),
        ("an empty body", 200, String::new()),
        ("a status without an envelope", 404, r#"{"message": "secret-in-page not found"}"#.into()),
        ("a body of the wrong shape", 200, wrong_shape),
    ];
    for (what, status, body) in cases {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(status).set_body_string(body.clone()))
            .mount(&server)
            .await;
        let error = Client::new(config(&server)).create_api_key(create_request()).await.unwrap_err();
        let Error::Undecodable(response) = &error else { panic!("{what}: expected Undecodable, got {error:?}") };
        assert_eq!(response.status(), status, "{what}");
        assert_eq!(response.body(), body.as_bytes(), "{what}: the body must be kept as received");
        assert!(response.is_sensitive());
        let shown = format!("{error} {error:?} {response} {response:?}");
        assert!(!shown.contains("secret-in-page"), "{what}: the body was shown: {shown}");
        // Nothing was retried: CreateApiKey is not idempotent.
        assert_eq!(received(&server).await.len(), 1, "{what}");
    }
    // A body that carries no secret is shown by Debug, to help debugging.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).set_body_string("<html>maintenance</html>"))
        .mount(&server)
        .await;
    let request = UpdateApiAppKeyRequest::builder().api_app_id("app-1").api_app_key("k").build().unwrap();
    let error = Client::new(config(&server)).update_api_app_key(request).await.unwrap_err();
    let Error::Undecodable(response) = &error else { panic!("{error:?}") };
    assert_eq!(response.body(), b"<html>maintenance</html>");
    assert!(format!("{response:?}").contains("maintenance"));
}

#[tokio::test]
async fn invalid_requests_never_reach_the_server() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(tencent(api_key_body("s"))).mount(&server).await;
    let invalid = CreateApiKeyRequest::builder().secret_name("n").access_key_type("manual").build_unchecked().unwrap();
    let error = Client::new(config(&server)).create_api_key(invalid.clone()).await.unwrap_err();
    assert!(matches!(&error, Error::Validation(v) if v.violations().len() == 2), "{error:?}");
    assert!(received(&server).await.is_empty());
    // With validation off, the request goes out as built.
    let error = Client::new(config(&server).with_validation(false)).create_api_key(invalid).await;
    assert!(error.is_ok());
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn configuration_errors_are_reported_before_sending() {
    let server = MockServer::start().await;
    let request = UpdateApiKeyRequest::builder().access_key_id("AKID1").build().unwrap();
    let no_region = Config::new()
        .with_endpoint_url(server.uri())
        .with_credentials(Credentials::new(SECRET_ID, SECRET_KEY).unwrap());
    let error = Client::new(no_region).update_api_key(request.clone()).await.unwrap_err();
    assert!(matches!(&error, Error::Configuration(m) if m.contains("needs a region")), "{error:?}");
    let plain = config(&server).with_endpoint_url("http://192.0.2.1:8080");
    let error = Client::new(plain).update_api_key(request.clone()).await.unwrap_err();
    assert!(matches!(&error, Error::Configuration(m) if m.contains("plain HTTP")), "{error:?}");
    let bad_region = config(&server).with_region("ap-guangzhou.evil.example");
    assert!(matches!(Client::new(bad_region).update_api_key(request).await, Err(Error::Configuration(_))));
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn the_total_timeout_bounds_the_whole_call() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(tencent(json!({"RequestId": "r"})).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let config = config(&server).with_timeouts(Timeouts {
        connect: Duration::from_secs(1),
        attempt: Duration::from_secs(10),
        total: Duration::from_millis(300),
    });
    let started = Instant::now();
    let error = weird::Client::new(config).r#match(match_request()).await.unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
}

mod retries;
mod roa;
