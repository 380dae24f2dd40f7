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
async fn throttling_is_retried_even_for_non_idempotent_actions() {
    let server = MockServer::start().await;
    let answers = Sequence::new(vec![tencent(error_body("RequestLimitExceeded")), tencent(api_key_body("s"))]);
    Mock::given(method("POST")).respond_with(answers).mount(&server).await;
    let response = Client::new(config(&server)).create_api_key(create_request()).await.unwrap();
    assert_eq!(response.request_id, "req-ok");
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn transient_errors_are_retried_only_for_idempotent_actions() {
    // Not idempotent: the first transient error is final.
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(tencent(error_body("InternalError.ApigwException"))).mount(&server).await;
    let error = Client::new(config(&server)).create_api_key(create_request()).await.unwrap_err();
    assert!(matches!(error, Error::Service(CreateApiKeyError::InternalErrorApigwException(_))), "{error:?}");
    assert_eq!(received(&server).await.len(), 1);

    // Idempotent: retried until it succeeds.
    let server = MockServer::start().await;
    let answers = Sequence::new(vec![
        tencent(error_body("InternalError")),
        tencent(error_body("InternalError")),
        tencent(json!({"RequestId": "r", "Level": 7})),
    ]);
    Mock::given(method("POST")).respond_with(answers).mount(&server).await;
    let response = weird::Client::new(config(&server)).r#match(match_request()).await.unwrap();
    assert_eq!(response.level, weird::Level::Seven);
    assert_eq!(received(&server).await.len(), 3);

    // A 5xx page: idempotent actions retry (here until attempts run out), others do not.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(502).set_body_string("bad gateway"))
        .mount(&server)
        .await;
    let error = weird::Client::new(config(&server)).r#match(match_request()).await.unwrap_err();
    assert!(matches!(&error, Error::Undecodable(r) if r.status() == 502), "{error:?}");
    assert_eq!(received(&server).await.len(), 3);
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(502).set_body_string("bad gateway"))
        .mount(&server)
        .await;
    Client::new(config(&server)).create_api_key(create_request()).await.unwrap_err();
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn a_timeout_after_sending_is_retried_only_when_safe() {
    let slow = || tencent(api_key_body("s")).set_delay(Duration::from_millis(1500));
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(slow()).mount(&server).await;
    let error = Client::new(config(&server)).create_api_key(create_request()).await.unwrap_err();
    assert!(matches!(error, Error::Timeout { outcome: Outcome::Unknown, attempts: 1, .. }), "{error:?}");
    assert!(error.is_outcome_unknown());
    assert!(error.to_string().contains("the outcome is unknown"), "{error}");
    assert_eq!(received(&server).await.len(), 1);

    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(slow()).mount(&server).await;
    let error = weird::Client::new(config(&server)).r#match(match_request()).await.unwrap_err();
    assert!(matches!(error, Error::Timeout { attempts: 3, .. }), "{error:?}");
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn connection_failures_before_sending_are_retried_for_every_action() {
    // A port nothing listens on: every attempt fails to connect, nothing is ever sent.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let config = Config::new()
        .with_endpoint_url(format!("http://{address}"))
        .with_credentials(Credentials::new(SECRET_ID, SECRET_KEY).unwrap())
        .with_retry(RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(10),
        });
    let error = Client::new(config).create_api_key(create_request()).await.unwrap_err();
    assert!(matches!(error, Error::Transport { outcome: Outcome::NotSent, attempts: 3, .. }), "{error:?}");
    assert!(!error.is_outcome_unknown());
}

#[tokio::test]
async fn alibaba_retry_after_is_honoured() {
    let server = MockServer::start().await;
    let throttled = ResponseTemplate::new(400)
        .insert_header("x-acs-retry-after", "300")
        .set_body_json(json!({"Code": "Throttling.User", "Message": "slow down", "RequestId": "t"}));
    let answers = Sequence::new(vec![throttled, ResponseTemplate::new(200).set_body_json(json!({"RequestId": "ok"}))]);
    Mock::given(method("POST")).respond_with(answers).mount(&server).await;
    let started = Instant::now();
    let request = cloudapi::ResetAppSecretRequest::builder().app_key("k").build().unwrap();
    // The hint is followed up to the policy's longest back-off (tests/hostile_server.rs clamps it).
    let config = config(&server).with_retry(RetryPolicy {
        max_attempts: 3,
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_secs(1),
    });
    cloudapi::Client::new(config).reset_app_secret(request).await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(300), "{:?}", started.elapsed());
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn the_documented_rate_limit_paces_calls_and_is_shared_by_clones() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(tencent(json!({"Result": true, "RequestId": "r"}))).mount(&server).await;
    let request = || UpdateApiAppKeyRequest::builder().api_app_id("app-1").api_app_key("k").build().unwrap();
    // 11 calls at 20 per second, across two clones: at least 10 intervals of 50 ms.
    let client = Client::new(config(&server).with_rate_limit(RateLimit::FromSpec));
    let other = client.clone();
    let started = Instant::now();
    let calls = (0..11).map(|i| {
        let client = if i % 2 == 0 { client.clone() } else { other.clone() };
        let request = request();
        async move { client.update_api_app_key(request).await }
    });
    for result in futures_join(calls).await {
        result.unwrap();
    }
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(480), "{elapsed:?}");
    assert!(elapsed < Duration::from_millis(2000), "{elapsed:?}");

    // Disabled: the same calls run at once.
    let client = Client::new(config(&server));
    let started = Instant::now();
    let calls = (0..11).map(|_| {
        let client = client.clone();
        let request = request();
        async move { client.update_api_app_key(request).await }
    });
    for result in futures_join(calls).await {
        result.unwrap();
    }
    assert!(started.elapsed() < Duration::from_millis(450), "{:?}", started.elapsed());
}

/// Runs futures concurrently on the test runtime.
async fn futures_join<F>(futures: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for handle in handles {
        out.push(handle.await.unwrap());
    }
    out
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

/// Alibaba ROA requests and client tokens, with actions described by hand as generated code describes
/// them. Every request the server sees is checked byte for byte, and its signature is recomputed from
/// what the server received (path, decoded query, headers, body).
mod roa {
    use super::*;
    use cloudspec_runtime::envelope::Protocol;
    use cloudspec_runtime::meta::{
        ActionMeta, EndpointsMeta, ParamLocation, ParamMeta, ParamStyle, RegionRule, ServiceMeta,
    };
    use cloudspec_runtime::signing::acs3;
    use sha2::Digest;

    static SERVICE: ServiceMeta = ServiceMeta {
        name: "cs",
        signing_name: "cs",
        version: "2015-12-15",
        protocol: Protocol::AlibabaRoa,
        endpoints: EndpointsMeta {
            default: Some("cs.aliyuncs.com"),
            international: None,
            regional: None,
            regions: &[],
        },
    };

    const fn action(
        name: &'static str,
        method: &'static str,
        path: &'static str,
        params: &'static [ParamMeta],
        idempotency_token: Option<&'static str>,
    ) -> ActionMeta {
        ActionMeta {
            service: &SERVICE,
            name,
            idempotent: false,
            rate_limit: None,
            region: RegionRule::Optional,
            method,
            path,
            sensitive_output: false,
            params,
            idempotency_token,
            status_fields: cloudspec_runtime::meta::StatusFields { code: false, success: false },
        }
    }

    const fn param(name: &'static str, location: ParamLocation, style: Option<ParamStyle>) -> ParamMeta {
        ParamMeta { name, location, style }
    }

    static GET_POOLS: ActionMeta = action(
        "DescribeClusterNodePools",
        "GET",
        "/clusters/{ClusterId}/nodepools/{PoolId}",
        &[
            param("ClusterId", ParamLocation::Path, None),
            param("PoolId", ParamLocation::Path, None),
            param("Ids", ParamLocation::Query, Some(ParamStyle::Simple)),
            param("Filter", ParamLocation::Query, Some(ParamStyle::Json)),
        ],
        None,
    );
    static CREATE_POOL: ActionMeta = action(
        "CreateClusterNodePool",
        "POST",
        "/clusters/{ClusterId}/nodepools",
        &[
            param("ClusterId", ParamLocation::Path, None),
            param("body", ParamLocation::Body, Some(ParamStyle::Json)),
            param("x-acs-resource-group-id", ParamLocation::Header, None),
            param("X-Trace", ParamLocation::Header, None),
        ],
        None,
    );
    static UPDATE_FORM: ActionMeta = action(
        "UpdateWithForm",
        "PUT",
        "/apps/{AppId}?action=update",
        &[
            param("AppId", ParamLocation::Path, None),
            param("Name", ParamLocation::Form, None),
            param("Tag", ParamLocation::Form, Some(ParamStyle::RepeatList)),
            param("Config", ParamLocation::Form, Some(ParamStyle::Json)),
        ],
        None,
    );
    static CREATE_WITH_TOKEN: ActionMeta =
        action("CreateCluster", "POST", "/clusters", &[param("body", ParamLocation::Body, None)], Some("ClientToken"));

    #[derive(serde::Serialize)]
    struct Params(serde_json::Value);

    impl cloudspec_runtime::Request for Params {
        fn validate(&self) -> Result<(), cloudspec_runtime::ValidationError> {
            Ok(())
        }
    }

    async fn call(
        server: &MockServer,
        action: &'static ActionMeta,
        params: serde_json::Value,
    ) -> Result<serde_json::Value, Error<cloudapi::ResetAppSecretError>> {
        let client = cloudspec_runtime::Client::new(config(server));
        client.execute(action, &Params(params)).await
    }

    async fn ok_server() -> MockServer {
        let server = MockServer::start().await;
        Mock::given(wiremock::matchers::any())
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"RequestId": "roa-1"})))
            .mount(&server)
            .await;
        server
    }

    fn get(request: &Request, name: &str) -> Option<String> {
        request.headers.get(name).map(|v| v.to_str().unwrap().to_string())
    }

    /// Recomputes the ACS3 signature from what the server received and checks the body hash.
    fn verify_signature(request: &Request) {
        let authorization = get(request, "authorization").expect("an Authorization header");
        let hashed = hex::encode(sha2::Sha256::digest(&request.body));
        assert_eq!(get(request, "x-acs-content-sha256").as_deref(), Some(hashed.as_str()));
        let headers: Vec<(String, String)> = request
            .headers
            .iter()
            .map(|(name, value)| (name.as_str().to_string(), value.to_str().unwrap().to_string()))
            .collect();
        let header_pairs: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let query: Vec<(String, String)> =
            request.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        let query_pairs: Vec<(&str, &str)> = query.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let expected = acs3::sign(
            &acs3::Acs3Request {
                method: request.method.as_str(),
                canonical_uri: request.url.path(),
                query: &query_pairs,
                headers: &header_pairs,
                hashed_payload: &hashed,
            },
            SECRET_ID,
            SECRET_KEY,
        );
        assert_eq!(authorization, expected.authorization, "canonical request:\n{}", expected.canonical_request);
    }

    #[tokio::test]
    async fn a_get_substitutes_and_encodes_path_parameters() {
        let server = ok_server().await;
        let params = json!({
            "ClusterId": "c 1/é?#%", "PoolId": 7, "Ids": ["a", "b c", 3, true], "Filter": {"k": [1, 0.5], "ü": null},
        });
        let response = call(&server, &GET_POOLS, params).await.unwrap();
        assert_eq!(response["RequestId"], "roa-1");
        let requests = received(&server).await;
        let request = &requests[0];
        assert_eq!(request.method.as_str(), "GET");
        assert_eq!(request.url.path(), "/clusters/c%201%2F%C3%A9%3F%23%25/nodepools/7");
        assert_eq!(
            request.url.query(),
            Some("Filter=%7B%22k%22%3A%5B1%2C0.5%5D%2C%22%C3%BC%22%3Anull%7D&Ids=a%2Cb%20c%2C3%2Ctrue")
        );
        assert!(request.body.is_empty());
        assert_eq!(get(request, "content-type"), None);
        assert_eq!(get(request, "x-acs-action").as_deref(), Some("DescribeClusterNodePools"));
        assert_eq!(get(request, "x-acs-version").as_deref(), Some("2015-12-15"));
        verify_signature(request);
    }

    #[tokio::test]
    async fn a_post_sends_the_body_parameter_as_the_json_body_and_header_parameters_as_headers() {
        let server = ok_server().await;
        let params = json!({
            "ClusterId": "c-1",
            "body": {"name": "pool é", "count": 2, "ratio": 1e-7, "enabled": true, "tags": [{"k": "v"}], "none": null},
            "x-acs-resource-group-id": "rg-1",
            "X-Trace": "t 1",
        });
        call(&server, &CREATE_POOL, params).await.unwrap();
        let requests = received(&server).await;
        let request = &requests[0];
        assert_eq!(request.method.as_str(), "POST");
        assert_eq!(request.url.path(), "/clusters/c-1/nodepools");
        assert_eq!(request.url.query(), None);
        assert_eq!(
            std::str::from_utf8(&request.body).unwrap(),
            r#"{"name":"pool é","count":2,"ratio":1e-07,"enabled":true,"tags":[{"k":"v"}],"none":null}"#
        );
        assert_eq!(get(request, "content-type").as_deref(), Some("application/json; charset=utf-8"));
        assert_eq!(get(request, "x-acs-resource-group-id").as_deref(), Some("rg-1"));
        assert_eq!(get(request, "x-trace").as_deref(), Some("t 1"));
        let authorization = get(request, "authorization").unwrap();
        // x-acs-* header parameters are signed, others are not.
        assert!(authorization.contains("x-acs-resource-group-id;"), "{authorization}");
        assert!(!authorization.contains("x-trace"), "{authorization}");
        verify_signature(request);
    }

    #[tokio::test]
    async fn form_parameters_make_a_sorted_urlencoded_body_and_fixed_queries_join_the_query() {
        let server = ok_server().await;
        let params = json!({
            "AppId": "app/1", "Name": "a b+c~*", "Tag": [{"Key": "k", "Value": "中"}], "Config": {"x": [true]},
        });
        call(&server, &UPDATE_FORM, params).await.unwrap();
        let requests = received(&server).await;
        let request = &requests[0];
        assert_eq!(request.method.as_str(), "PUT");
        assert_eq!(request.url.path(), "/apps/app%2F1");
        assert_eq!(request.url.query(), Some("action=update"));
        assert_eq!(
            std::str::from_utf8(&request.body).unwrap(),
            "Config=%7B%22x%22%3A%5Btrue%5D%7D&Name=a+b%2Bc~%2A&Tag.1.Key=k&Tag.1.Value=%E4%B8%AD"
        );
        assert_eq!(get(request, "content-type").as_deref(), Some("application/x-www-form-urlencoded"));
        verify_signature(request);
    }

    #[tokio::test]
    async fn refused_requests_never_reach_the_server() {
        let server = ok_server().await;
        // The path parameter is missing: no request to another resource.
        let error = call(&server, &CREATE_POOL, json!({"body": {}})).await.unwrap_err();
        assert!(matches!(&error, Error::Configuration(message) if message.contains("`ClusterId`")), "{error:?}");
        assert!(received(&server).await.is_empty());
    }

    fn token_of(request: &Request) -> String {
        request.url.query_pairs().find(|(k, _)| k == "ClientToken").map(|(_, v)| v.into_owned()).unwrap_or_default()
    }

    #[tokio::test]
    async fn a_client_token_is_filled_once_per_call_and_kept_across_retries() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/clusters"))
            .respond_with(Sequence::new(vec![
                ResponseTemplate::new(503).set_body_string("busy"),
                ResponseTemplate::new(200).set_body_json(json!({"RequestId": "roa-2"})),
            ]))
            .mount(&server)
            .await;
        // Not idempotent by itself: the token makes the retry after a 503 safe.
        call(&server, &CREATE_WITH_TOKEN, json!({"body": {"name": "c"}})).await.unwrap();
        call(&server, &CREATE_WITH_TOKEN, json!({"body": {"name": "c"}, "ClientToken": null})).await.unwrap();
        call(&server, &CREATE_WITH_TOKEN, json!({"body": {"name": "c"}, "ClientToken": "mine-1"})).await.unwrap();
        let requests = received(&server).await;
        assert_eq!(requests.len(), 4, "the first call is retried once");
        let tokens: Vec<String> = requests.iter().map(token_of).collect();
        let uuid = regex::Regex::new("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$").unwrap();
        assert!(uuid.is_match(&tokens[0]), "{tokens:?}");
        assert_eq!(tokens[0], tokens[1], "both attempts of one call carry the same token");
        assert!(uuid.is_match(&tokens[2]), "{tokens:?}");
        assert_ne!(tokens[1], tokens[2], "another call gets another token");
        assert_eq!(tokens[3], "mine-1", "a caller's token is kept");
        for request in &requests {
            verify_signature(request);
            assert_eq!(std::str::from_utf8(&request.body).unwrap(), r#"{"name":"c"}"#);
        }
    }
}
