//! A sweep for leaks: calls that succeed, fail, time out and decode badly, with secrets in the
//! credentials, the requests and the responses, while every log line of every crate is captured at
//! TRACE level. No secret — and no `Authorization` header — may appear in a log line, a `Debug` or a
//! `Display` output.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cloudspec_apis::tencentcloud::apigateway::v20180808::*;
use cloudspec_apis::tencentcloud::teo::v20220901 as teo;
use cloudspec_apis::{Config, Credentials, RateLimit, RetryPolicy, Timeouts};
use serde_json::json;
use wiremock::matchers::{header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRETS: &[&str] = &[
    "sweep-secret-key-0001",
    "sweep-session-token-0002",
    "SweepResponseSecret0003",
    "SweepRequestSecret0004",
    "SweepAppSecret0005",
    "c3dlZXAtZ2F0ZXdheS1rZXktMDAwNi0wMDAwMDAwMDA=",
    "SweepUndecodable0007",
];

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_in_any_log_line_debug_or_display() {
    let captured = Captured::default();
    let writer = captured.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .init();

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("x-tc-action", "CreateApiKey"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"Response": {
            "Result": {"AccessKeyId": "AKIDx", "AccessKeySecret": SECRETS[2], "AccessKeyType": "manual", "SecretName": "n",
                       "Status": 1, "CreatedTime": "2020-02-26T06:10:01Z", "ModifiedTime": "2020-02-26T06:10:01Z"},
            "RequestId": "sweep-1"}})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(header("x-tc-action", "UpdateApiKey"))
        .respond_with(ResponseTemplate::new(502).set_body_string(format!("<html>{}</html>", SECRETS[6])))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(header("x-tc-action", "UpdateApiAppKey"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"Response": {"Result": true, "RequestId": "sweep-3"}}))
                .set_delay(Duration::from_secs(2)),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(header("x-tc-action", "ModifyMultiPathGatewaySecretKey"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"Response": {"Error": {"Code": "InternalError", "Message": "boom"}, "RequestId": "sweep-4"}}),
        ))
        .mount(&server)
        .await;

    let credentials = Credentials::new("AKIDsweep", SECRETS[0]).unwrap().with_session_token(SECRETS[1]).unwrap();
    let config = Config::new()
        .with_endpoint_url(server.uri())
        .with_credentials(credentials.clone())
        .with_region("ap-guangzhou")
        .with_rate_limit(RateLimit::Disabled)
        .with_retry(RetryPolicy {
            max_attempts: 2,
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(10),
        })
        .with_timeouts(Timeouts {
            connect: Duration::from_secs(1),
            attempt: Duration::from_millis(300),
            total: Duration::from_secs(5),
        });
    let client = Client::new(config.clone());
    let mut shown: Vec<String> = vec![format!("{credentials:?}"), format!("{config:?}"), format!("{client:?}")];

    let create = CreateApiKeyRequest::builder()
        .secret_name("n")
        .access_key_type("manual")
        .access_key_id("AKID_sweep")
        .access_key_secret(SECRETS[3]);
    shown.push(format!("{create:?}"));
    let create = create.build().unwrap();
    shown.push(format!("{create:?}"));
    let response = client.create_api_key(create).await.unwrap();
    shown.push(format!("{response:?}"));
    shown.push(format!("{:?}", response.result));

    let update = UpdateApiKeyRequest::builder().access_key_id("AKIDx").access_key_secret(SECRETS[3]).build().unwrap();
    let error = client.update_api_key(update).await.unwrap_err();
    shown.push(format!("{error:?}"));
    shown.push(error.to_string());

    let app = UpdateApiAppKeyRequest::builder()
        .api_app_id("app")
        .api_app_key("k")
        .api_app_secret(SECRETS[4])
        .build()
        .unwrap();
    let error = client.update_api_app_key(app).await.unwrap_err();
    shown.push(format!("{error:?} {error}"));

    let gateway = teo::ModifyMultiPathGatewaySecretKeyRequest::builder()
        .zone_id("zone-1")
        .secret_key(SECRETS[5])
        .build()
        .unwrap();
    let error = teo::Client::new(config.clone()).modify_multi_path_gateway_secret_key(gateway).await.unwrap_err();
    shown.push(format!("{error:?} {error}"));

    let invalid = CreateApiKeyRequest::builder()
        .secret_name("n")
        .access_key_type("manual")
        .access_key_id("id_ok1")
        .access_key_secret(format!("{}-bad!", SECRETS[3]));
    let error = invalid.build().unwrap_err();
    shown.push(format!("{error:?} {error}"));
    let credentials_error = Credentials::new("AKID", format!(" {} ", SECRETS[0])).unwrap_err();
    shown.push(format!("{credentials_error:?} {credentials_error}"));

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    if std::env::var_os("SWEEP_DUMP").is_some() {
        eprintln!("{log}");
    }
    assert!(log.contains("cloudspec.call"), "the sweep captured no log of the calls:\n{log}");
    assert!(log.contains("request_id"), "request ids are logged:\n{log}");
    for secret in SECRETS {
        assert!(!log.contains(secret), "a secret is in the logs:\n{log}");
        for text in &shown {
            assert!(!text.contains(secret), "a secret is in an output: {text}");
        }
    }
    for forbidden in ["TC3-HMAC-SHA256", "Signature=", "x-tc-token"] {
        assert!(!log.to_ascii_lowercase().contains(&forbidden.to_ascii_lowercase()), "`{forbidden}` is in the logs");
    }
}
