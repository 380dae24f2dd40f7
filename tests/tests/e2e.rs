//! End to end: the generated clients against `cloudspec serve` (in-process, on 127.0.0.1), which
//! verifies signatures, checks parameters, enforces rate limits, emulates the seed actions and
//! injects faults.

mod common;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use cloudspec_apis::alibabacloud::cloudapi::v20160714 as cloudapi;
use cloudspec_apis::tencentcloud::apigateway::v20180808::*;
use cloudspec_apis::tencentcloud::teo::v20220901 as teo;
use cloudspec_apis::{Config, Credentials, Error, Outcome, RateLimit, RetryPolicy, Timeouts};
use cloudspec_fake::{DEFAULT_ID, DEFAULT_SECRET, FakeCloud, Fault, FaultRule, Settings};
use cloudspec_tests::hostile::hostilecloud::weird::v20200101 as weird;

fn local() -> SocketAddr {
    "127.0.0.1:0".parse().unwrap()
}

async fn fake(specs: std::path::PathBuf) -> FakeCloud {
    let set = cloudspec::load::load(&[specs]).unwrap();
    FakeCloud::start(&set, local(), Settings::default()).await.unwrap()
}

async fn seeds() -> FakeCloud {
    fake(common::specs()).await
}

fn config(fake: &FakeCloud) -> Config {
    Config::new()
        .with_endpoint_url(fake.url())
        .with_credentials(Credentials::new(DEFAULT_ID, DEFAULT_SECRET).unwrap())
        .with_region("ap-guangzhou")
        .with_retry(RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(10),
            max_backoff: Duration::from_millis(50),
        })
        .with_timeouts(Timeouts {
            connect: Duration::from_secs(1),
            attempt: Duration::from_millis(800),
            total: Duration::from_secs(20),
        })
}

fn create() -> CreateApiKeyRequest {
    CreateApiKeyRequest::builder().secret_name("e2e").build().unwrap()
}

fn app_key() -> UpdateApiAppKeyRequest {
    UpdateApiAppKeyRequest::builder().api_app_id("app-e2e").api_app_key("key").build().unwrap()
}

fn gateway() -> teo::ModifyMultiPathGatewaySecretKeyRequest {
    teo::ModifyMultiPathGatewaySecretKeyRequest::builder()
        .zone_id("zone-27q0p0bal192")
        .secret_key("b8sfnemqzF5TNCwwtshVmG/gyCJVi/rP+7A+jsBwqGY=")
        .build()
        .unwrap()
}

fn reset() -> cloudapi::ResetAppSecretRequest {
    cloudapi::ResetAppSecretRequest::builder().app_key("60030986").build().unwrap()
}

#[tokio::test]
async fn every_seed_action_succeeds() {
    let fake = seeds().await;
    let tencent = Client::new(config(&fake));
    let created = tencent.create_api_key(create()).await.unwrap();
    let key = created.result.unwrap();
    assert!(key.access_key_id.starts_with("AKID"));
    assert_eq!(key.access_key_type, AccessKeyType::Auto);
    let updated = tencent
        .update_api_key(UpdateApiKeyRequest::builder().access_key_id(key.access_key_id.clone()).build().unwrap())
        .await
        .unwrap();
    assert_ne!(updated.result.unwrap().access_key_secret.expose_secret(), key.access_key_secret.expose_secret());
    assert_eq!(tencent.update_api_app_key(app_key()).await.unwrap().result, Some(true));
    let teo_response = teo::Client::new(config(&fake)).modify_multi_path_gateway_secret_key(gateway()).await.unwrap();
    assert!(!teo_response.request_id.is_empty());
    let alibaba =
        cloudapi::Client::new(config(&fake).with_region("cn-hangzhou")).reset_app_secret(reset()).await.unwrap();
    assert!(!alibaba.request_id.is_empty());
    let log = fake.log();
    assert_eq!(log.len(), 5);
    assert!(log.iter().all(|e| e.processed && e.error.is_none()), "{log:#?}");
}

/// The documented codes of an action, from the spec.
fn documented_codes(service: &str, action: &str) -> Vec<String> {
    let set = cloudspec::load::load(&[common::specs()]).unwrap();
    let spec = &set.services.iter().find(|s| s.spec.service.name == service).unwrap().spec;
    spec.actions[action].errors.iter().map(|e| e.code.clone()).collect()
}

#[tokio::test]
async fn every_documented_error_code_surfaces_as_its_typed_variant() {
    let fake = seeds().await;
    let client = Client::new(config(&fake).with_retry(RetryPolicy::none()));
    let mut checked = 0;
    for code in documented_codes("apigateway", "CreateApiKey") {
        fake.inject(FaultRule {
            action: Some("CreateApiKey".into()),
            fault: Fault::Error { code: code.clone() },
            times: 1,
        });
        let error = client.create_api_key(create()).await.unwrap_err();
        let Error::Service(typed) = error else { panic!("{code}: {error:?}") };
        assert_eq!(typed.code(), code);
        assert!(
            !matches!(typed, CreateApiKeyError::Unknown { .. } | CreateApiKeyError::Common(_)),
            "{code}: {typed:?}"
        );
        checked += 1;
    }
    for code in documented_codes("apigateway", "UpdateApiKey") {
        fake.inject(FaultRule {
            action: Some("UpdateApiKey".into()),
            fault: Fault::Error { code: code.clone() },
            times: 1,
        });
        let request = UpdateApiKeyRequest::builder().access_key_id("AKIDx").build().unwrap();
        let Error::Service(typed) = client.update_api_key(request).await.unwrap_err() else { panic!("{code}") };
        assert_eq!(typed.code(), code);
        assert!(
            !matches!(typed, UpdateApiKeyError::Unknown { .. } | UpdateApiKeyError::Common(_)),
            "{code}: {typed:?}"
        );
        checked += 1;
    }
    for code in documented_codes("apigateway", "UpdateApiAppKey") {
        fake.inject(FaultRule {
            action: Some("UpdateApiAppKey".into()),
            fault: Fault::Error { code: code.clone() },
            times: 1,
        });
        let Error::Service(typed) = client.update_api_app_key(app_key()).await.unwrap_err() else { panic!("{code}") };
        assert_eq!(typed.code(), code);
        assert!(
            !matches!(typed, UpdateApiAppKeyError::Unknown { .. } | UpdateApiAppKeyError::Common(_)),
            "{code}: {typed:?}"
        );
        checked += 1;
    }
    let teo_client = teo::Client::new(config(&fake).with_retry(RetryPolicy::none()));
    for code in documented_codes("teo", "ModifyMultiPathGatewaySecretKey") {
        fake.inject(FaultRule { action: None, fault: Fault::Error { code: code.clone() }, times: 1 });
        let Error::Service(typed) = teo_client.modify_multi_path_gateway_secret_key(gateway()).await.unwrap_err()
        else {
            panic!("{code}")
        };
        assert_eq!(typed.code(), code);
        assert!(!matches!(typed, teo::ModifyMultiPathGatewaySecretKeyError::Unknown { .. }), "{code}: {typed:?}");
        checked += 1;
    }
    // ResetAppSecret documents none of its own; the provider's common codes arrive typed.
    let alibaba = cloudapi::Client::new(config(&fake).with_region("cn-hangzhou").with_retry(RetryPolicy::none()));
    fake.inject(FaultRule { action: None, fault: Fault::Error { code: "Forbidden.RAM".into() }, times: 1 });
    let Error::Service(typed) = alibaba.reset_app_secret(reset()).await.unwrap_err() else { panic!() };
    assert!(
        matches!(typed, cloudapi::ResetAppSecretError::Common(cloudapi::CommonError::ForbiddenRam(_))),
        "{typed:?}"
    );
    assert_eq!(checked, 7 + 4 + 13 + 5);
    assert_eq!(fake.log().iter().filter(|e| e.processed).count(), 0, "an injected error is never processed");
}

#[tokio::test]
async fn validation_errors_never_reach_the_server() {
    let fake = seeds().await;
    let client = Client::new(config(&fake));
    let bad = CreateApiKeyRequest::builder()
        .secret_name("n")
        .access_key_type("manual")
        .access_key_id("a-b")
        .build_unchecked()
        .unwrap();
    assert!(matches!(client.create_api_key(bad.clone()).await, Err(Error::Validation(_))));
    assert!(fake.log().is_empty());
    // Sent anyway (validation off), the fake applies the same rules and refuses it.
    let error = Client::new(config(&fake).with_validation(false)).create_api_key(bad).await.unwrap_err();
    let Error::Service(typed) = error else { panic!("{error:?}") };
    assert_eq!(typed.code(), "MissingParameter");
    assert!(typed.message().contains("AccessKeySecret"), "{}", typed.message());
    assert_eq!(fake.processed("CreateApiKey"), 0);
}

#[tokio::test]
async fn a_wrong_secret_and_a_skewed_clock_fail_authentication() {
    let fake = seeds().await;
    let wrong = config(&fake).with_credentials(Credentials::new(DEFAULT_ID, "not-the-secret").unwrap());
    let error = Client::new(wrong.clone()).update_api_app_key(app_key()).await.unwrap_err();
    assert!(matches!(&error, Error::Service(e) if e.code() == "AuthFailure.SignatureFailure"), "{error:?}");
    let unknown = config(&fake).with_credentials(Credentials::new("AKIDnobody", "x").unwrap());
    let error = Client::new(unknown).update_api_app_key(app_key()).await.unwrap_err();
    assert!(matches!(&error, Error::Service(e) if e.code() == "AuthFailure.SecretIdNotFound"), "{error:?}");
    let error = cloudapi::Client::new(wrong.with_region("cn-hangzhou")).reset_app_secret(reset()).await.unwrap_err();
    assert!(matches!(&error, Error::Service(e) if e.code() == "SignatureDoesNotMatch"), "{error:?}");

    fake.set_clock_offset(400);
    let error = Client::new(config(&fake)).update_api_app_key(app_key()).await.unwrap_err();
    assert!(matches!(&error, Error::Service(e) if e.code() == "AuthFailure.SignatureExpire"), "{error:?}");
    fake.set_clock_offset(1000);
    let error =
        cloudapi::Client::new(config(&fake).with_region("cn-hangzhou")).reset_app_secret(reset()).await.unwrap_err();
    assert!(matches!(&error, Error::Service(e) if e.code() == "InvalidTimeStamp.Expired"), "{error:?}");
    assert_eq!(fake.log().iter().filter(|e| e.processed).count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_concurrent_calls_against_a_20_per_second_limit() {
    let fake = seeds().await;
    // Without client pacing, the fake's limit bites.
    let unpaced = Client::new(config(&fake).with_rate_limit(RateLimit::Disabled).with_retry(RetryPolicy::none()));
    let burst: Vec<_> = (0..40)
        .map(|_| {
            tokio::spawn({
                let client = unpaced.clone();
                async move { client.update_api_app_key(app_key()).await }
            })
        })
        .collect();
    let mut throttled = 0;
    for call in burst {
        if let Err(Error::Service(e)) = call.await.unwrap() {
            assert!(e.is_throttling(), "{e:?}");
            throttled += 1;
        }
    }
    assert!(throttled > 0, "the fake must enforce the documented limit");
    tokio::time::sleep(Duration::from_secs(2)).await;

    // With the spec's pacing (the default), 200 calls see no throttling and take about 10 s.
    let client = Client::new(config(&fake).with_retry(RetryPolicy::none()));
    let started = Instant::now();
    let calls: Vec<_> = (0..200)
        .map(|_| {
            tokio::spawn({
                let client = client.clone();
                async move { client.update_api_app_key(app_key()).await }
            })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(9_900), "{elapsed:?}: faster than the limit allows");
    // The upper bound only catches pacing far slower than the limit: a loaded machine (CI shares its
    // cores) adds its own delays to 200 calls.
    assert!(elapsed <= Duration::from_secs(30), "{elapsed:?}: slower than the limit requires");
}

#[tokio::test]
async fn idempotent_actions_recover_from_faults() {
    let fake = fake(common::specs().join("../tests/hostile-spec")).await;
    let client = weird::Client::new(config(&fake));
    let request = || weird::MatchRequest::builder().r#type("t").build().unwrap();
    for fault in [
        Fault::ResetBefore,
        Fault::ResetAfter,
        Fault::Status { status: 503, body: "busy".into() },
        Fault::Malformed,
        Fault::Latency { ms: 1500 },
    ] {
        fake.inject(FaultRule { action: Some("Match".into()), fault: fault.clone(), times: 1 });
        let response = client.r#match(request()).await.unwrap_or_else(|e| panic!("{fault:?}: {e:?}"));
        assert_eq!(response.request_id.len(), 36);
    }
}

#[tokio::test]
async fn non_idempotent_actions_are_never_processed_twice() {
    let fake = seeds().await;
    let client = Client::new(config(&fake));

    fake.inject(FaultRule { action: Some("CreateApiKey".into()), fault: Fault::ResetAfter, times: 1 });
    let error = client.create_api_key(create()).await.unwrap_err();
    assert!(matches!(error, Error::Transport { outcome: Outcome::Unknown, attempts: 1, .. }), "{error:?}");
    assert!(error.is_outcome_unknown() && error.to_string().contains("outcome is unknown"), "{error}");
    assert_eq!(fake.processed("CreateApiKey"), 1);

    fake.inject(FaultRule { action: Some("CreateApiKey".into()), fault: Fault::Latency { ms: 1500 }, times: 1 });
    let error = client.create_api_key(create()).await.unwrap_err();
    assert!(matches!(error, Error::Timeout { outcome: Outcome::Unknown, .. }), "{error:?}");
    assert_eq!(fake.processed("CreateApiKey"), 2);

    fake.inject(FaultRule { action: Some("CreateApiKey".into()), fault: Fault::Truncated, times: 1 });
    let error = client.create_api_key(create()).await.unwrap_err();
    let Error::Undecodable(response) = &error else { panic!("{error:?}") };
    assert!(String::from_utf8_lossy(response.body()).contains("AccessKeySecret"), "the raw answer is kept");
    assert!(!format!("{error} {error:?}").contains("AccessKeySecret\":\""), "but never shown");
    assert_eq!(fake.processed("CreateApiKey"), 3);

    // Faults before processing: a reset before sending an answer is not retried either (the client
    // cannot tell it from one after processing); throttling is, safely.
    fake.inject(FaultRule { action: Some("CreateApiKey".into()), fault: Fault::ResetBefore, times: 1 });
    assert!(client.create_api_key(create()).await.unwrap_err().is_outcome_unknown());
    fake.inject(FaultRule { action: Some("CreateApiKey".into()), fault: Fault::Throttle, times: 2 });
    client.create_api_key(create()).await.unwrap();
    assert_eq!(fake.processed("CreateApiKey"), 4);
    let attempts = fake.log().iter().filter(|e| e.action.as_deref() == Some("CreateApiKey")).count();
    assert_eq!(attempts, 1 + 1 + 1 + 1 + 3);
}

#[tokio::test]
async fn a_rotated_key_stops_working() {
    let fake = seeds().await;
    let admin = Client::new(config(&fake));
    let manual = CreateApiKeyRequest::builder()
        .secret_name("rotating")
        .access_key_type("manual")
        .access_key_id("AKID_rotating_key")
        .access_key_secret("first_secret_value")
        .build()
        .unwrap();
    let created = admin.create_api_key(manual.clone()).await.unwrap().result.unwrap();
    assert_eq!(created.access_key_id, "AKID_rotating_key");
    assert!(matches!(
        admin.create_api_key(manual).await,
        Err(Error::Service(CreateApiKeyError::FailedOperationAccessKeyExist(_)))
    ));

    // The key the fake handed out signs requests to it.
    let as_key = |secret: &str| {
        Client::new(config(&fake).with_credentials(Credentials::new("AKID_rotating_key", secret).unwrap()))
    };
    as_key("first_secret_value").update_api_app_key(app_key()).await.unwrap();

    let rotate = UpdateApiKeyRequest::builder()
        .access_key_id("AKID_rotating_key")
        .access_key_secret("second_secret_value")
        .build()
        .unwrap();
    let rotated = admin.update_api_key(rotate).await.unwrap().result.unwrap();
    assert_eq!(rotated.access_key_secret.expose_secret(), "second_secret_value");
    let error = as_key("first_secret_value").update_api_app_key(app_key()).await.unwrap_err();
    assert!(matches!(&error, Error::Service(e) if e.code() == "AuthFailure.SignatureFailure"), "{error:?}");
    as_key("second_secret_value").update_api_app_key(app_key()).await.unwrap();

    let missing = UpdateApiKeyRequest::builder().access_key_id("AKID_nobody").build().unwrap();
    assert!(matches!(
        admin.update_api_key(missing).await,
        Err(Error::Service(UpdateApiKeyError::ResourceNotFoundInvalidAccessKeyId(_)))
    ));
}

#[tokio::test]
async fn the_admin_endpoint_injects_faults_and_reports_the_log() {
    let fake = seeds().await;
    let http = reqwest::Client::new();
    let injected = http
        .post(format!("{}/_cloudspec/faults", fake.url()))
        .body(r#"{"action": "UpdateApiAppKey", "fault": {"kind": "error", "code": "FailedOperation.ApiInOperation"}}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(injected.status(), 200);
    let error =
        Client::new(config(&fake).with_retry(RetryPolicy::none())).update_api_app_key(app_key()).await.unwrap_err();
    assert!(matches!(error, Error::Service(UpdateApiAppKeyError::FailedOperationApiInOperation(_))), "{error:?}");
    let log = http.get(format!("{}/_cloudspec/log", fake.url())).send().await.unwrap().bytes().await.unwrap();
    let log: serde_json::Value = serde_json::from_slice(&log).unwrap();
    assert_eq!(log[0]["action"], "UpdateApiAppKey");
    assert_eq!(log[0]["error"], "FailedOperation.ApiInOperation");
    assert_eq!(log[0]["processed"], false);
}
