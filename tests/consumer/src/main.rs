//! Calls API Gateway through the client `build.rs` generated: creates an API key, rotates its secret
//! and updates an application's key, printing what happened (never a secret).
//!
//! It talks only to the endpoint in `CLOUDSPEC_ENDPOINT`, for example a local `cloudspec serve`:
//!
//! ```text
//! cargo run -p cloudspec-cli -- serve --specs tests/consumer/specs --addr 127.0.0.1:18080 &
//! CLOUDSPEC_ENDPOINT=http://127.0.0.1:18080 cargo run -p cloudspec-consumer-example
//! ```
//!
//! Credentials come from `TENCENTCLOUD_SECRET_ID` / `TENCENTCLOUD_SECRET_KEY`, or are the fake cloud's
//! defaults; the region from `TENCENTCLOUD_REGION` (default `ap-guangzhou`); the application from
//! `CLOUDSPEC_APP_ID` (default `app-example`).

use std::process::ExitCode;

use cloudspec_consumer_example::api::tencentcloud::apigateway::v20180808::{Client, UpdateApiAppKeyRequest};
use cloudspec_consumer_example::rotate_key;
use cloudspec_runtime::{Config, Credentials};

/// The credentials `cloudspec serve` accepts unless told otherwise.
const FAKE_ID: &str = "cloudspec-fake-id";
const FAKE_SECRET: &str = "cloudspec-fake-secret";

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let read = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let endpoint = read("CLOUDSPEC_ENDPOINT")
        .ok_or("set CLOUDSPEC_ENDPOINT to the URL of the cloud to call (for example a local `cloudspec serve`)")?;
    let credentials = match (read("TENCENTCLOUD_SECRET_ID"), read("TENCENTCLOUD_SECRET_KEY")) {
        (Some(id), Some(secret)) => Credentials::new(id, secret)?,
        _ => Credentials::new(FAKE_ID, FAKE_SECRET)?,
    };
    let region = read("TENCENTCLOUD_REGION").unwrap_or_else(|| "ap-guangzhou".into());
    println!("endpoint {endpoint}, region {region}, secret id {}", credentials.access_key_id());
    let client =
        Client::new(Config::new().with_endpoint_url(endpoint).with_credentials(credentials).with_region(region));

    let key = rotate_key(&client, "consumer-example").await?;
    let changed = key.created.access_key_secret.expose_secret() != key.rotated.access_key_secret.expose_secret();
    println!(
        "CreateApiKey: created key {} ({:?}, named {:?})",
        key.created.access_key_id, key.created.access_key_type, key.created.secret_name
    );
    println!(
        "UpdateApiKey: rotated key {}; the secret {}",
        key.rotated.access_key_id,
        if changed { "changed" } else { "did not change" }
    );

    let app_id = read("CLOUDSPEC_APP_ID").unwrap_or_else(|| "app-example".into());
    let request =
        UpdateApiAppKeyRequest::builder().api_app_id(app_id.clone()).api_app_key("consumer-example").build()?;
    let updated = client.update_api_app_key(request).await?;
    println!("UpdateApiAppKey: application {app_id}: result {:?} (request {})", updated.result, updated.request_id);
    Ok(())
}
