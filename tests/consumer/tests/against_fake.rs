//! The client `build.rs` generated from this crate's specs, against cloudspec's fake cloud started
//! in-process on the same specs.

use std::path::PathBuf;

use cloudspec_consumer_example::api::tencentcloud::apigateway::v20180808::{
    AccessKeyType, ApiKeyStatus, Client, CreateApiKeyError, CreateApiKeyRequest, UpdateApiAppKeyRequest,
};
use cloudspec_consumer_example::{RotateError, rotate_key};
use cloudspec_fake::{DEFAULT_ID, DEFAULT_SECRET, FakeCloud, Settings};
use cloudspec_runtime::{Config, Credentials, Error};

async fn fake() -> FakeCloud {
    let specs = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("specs");
    FakeCloud::start_from(specs, "127.0.0.1:0".parse().unwrap(), Settings::default()).await.unwrap()
}

fn client(fake: &FakeCloud) -> Client {
    Client::new(
        Config::new()
            .with_endpoint_url(fake.url())
            .with_credentials(Credentials::new(DEFAULT_ID, DEFAULT_SECRET).unwrap())
            .with_region("ap-guangzhou"),
    )
}

#[tokio::test]
async fn rotate_key_creates_a_key_then_replaces_its_secret() {
    let fake = fake().await;
    let key = rotate_key(&client(&fake), "consumer").await.unwrap();
    assert!(key.created.access_key_id.starts_with("AKID"), "{:?}", key.created);
    assert_eq!(key.created.access_key_type, AccessKeyType::Auto);
    assert_eq!(key.created.secret_name, "consumer");
    assert_eq!(key.created.status, ApiKeyStatus::Enabled);
    assert_eq!(key.rotated.access_key_id, key.created.access_key_id);
    assert_ne!(key.rotated.access_key_secret.expose_secret(), key.created.access_key_secret.expose_secret());
    assert_eq!(fake.processed("CreateApiKey"), 1);
    assert_eq!(fake.processed("UpdateApiKey"), 1);
    fake.stop().await;
}

#[tokio::test]
async fn update_api_app_key_succeeds() {
    let fake = fake().await;
    let request = UpdateApiAppKeyRequest::builder().api_app_id("app-consumer").api_app_key("key").build().unwrap();
    let response = client(&fake).update_api_app_key(request).await.unwrap();
    assert_eq!(response.result, Some(true));
    assert!(!response.request_id.is_empty());
    assert_eq!(fake.processed("UpdateApiAppKey"), 1);
    fake.stop().await;
}

#[tokio::test]
async fn the_generated_validators_run_before_anything_is_sent() {
    let fake = fake().await;
    // A custom key needs AccessKeyId and AccessKeySecret (the spec's `required_when`).
    let request =
        CreateApiKeyRequest::builder().secret_name("consumer").access_key_type("manual").build_unchecked().unwrap();
    let error = client(&fake).create_api_key(request).await.unwrap_err();
    assert!(matches!(error, Error::<CreateApiKeyError>::Validation(_)), "{error:?}");
    assert!(fake.log().is_empty());
    fake.stop().await;
}

#[tokio::test]
async fn a_wrong_secret_fails_in_the_create_step() {
    let fake = fake().await;
    let wrong = Client::new(
        Config::new()
            .with_endpoint_url(fake.url())
            .with_credentials(Credentials::new(DEFAULT_ID, "not-the-secret").unwrap())
            .with_region("ap-guangzhou"),
    );
    let error = rotate_key(&wrong, "consumer").await.unwrap_err();
    let RotateError::Create(Error::Service(typed)) = &error else { panic!("{error:?}") };
    assert_eq!(typed.code(), "AuthFailure.SignatureFailure");
    assert_eq!(fake.processed("CreateApiKey"), 0);
    fake.stop().await;
}
