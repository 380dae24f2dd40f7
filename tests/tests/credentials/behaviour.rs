//! What a source does beyond handing out credentials: whose credentials sign (a RamRoleArn profile's
//! role, never its source key), where a chain stops (a role STS refuses), how long a missing metadata
//! service takes to fail and what it says, and where a client without credentials looks (the process
//! environment, in a child process).

use std::sync::Arc;
use std::time::{Duration, Instant};

use cloudspec_apis::Error;
use cloudspec_runtime::{CredentialsErrorKind, CvmRoleCredentials, EcsRamRoleCredentials};

use super::*;

/// The defect this module fixed: a RamRoleArn profile used to sign as its source key.
#[tokio::test]
async fn a_ram_role_arn_profile_signs_as_the_role_never_as_the_source_key() {
    let fake = fake().await;
    let home = Home::new();
    home.write(
        ".aliyun/config.json",
        &format!(
            r#"{{"current": "ops", "profiles": [{{"name": "ops", "mode": "RamRoleArn", "access_key_id": "{DEFAULT_ID}", "access_key_secret": "{DEFAULT_SECRET}", "ram_role_arn": "acs:ram::1:role/ops", "ram_session_name": "alice"}}]}}"#
        ),
    );
    let client =
        cloudapi::Client::new(config(&fake, "cn-hangzhou").with_credentials(chain(&fake, false, home.env(&[]))));
    for _ in 0..3 {
        client.reset_app_secret(reset()).await.unwrap();
    }
    let calls: Vec<_> =
        fake.log().into_iter().filter(|e| e.processed && e.action.as_deref() == Some("ResetAppSecret")).collect();
    assert_eq!(calls.len(), 3);
    let issued = fake.issued();
    assert_eq!(issued.len(), 1, "one AssumeRole for three calls: {issued:?}");
    assert_eq!(issued[0].source_access_key_id.as_deref(), Some(DEFAULT_ID), "the source key signs the AssumeRole");
    assert_eq!(issued[0].session_name.as_deref(), Some("alice"));
    for call in calls {
        assert_eq!(call.access_key_id.as_deref(), Some(issued[0].access_key_id.as_str()), "never the source key");
    }
}

/// The `Display` of a call's failure to find credentials; any other failure fails the test.
fn credentials_failure<E>(error: Error<E>) -> String
where
    Error<E>: std::fmt::Display,
{
    match error {
        Error::Credentials(error) => error.to_string(),
        other => panic!("not a credentials error: {other}"),
    }
}

/// A port nothing listens on.
fn closed_port() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{address}")
}

/// A server that accepts connections and never answers.
async fn silent_server() -> (String, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream);
        }
    });
    (format!("http://{address}"), task)
}

#[tokio::test]
async fn a_metadata_service_that_is_down_or_silent_fails_in_bounded_time_with_a_clear_error() {
    let (silent, server) = silent_server().await;
    for (endpoint, what) in [(closed_port(), "not reachable"), (silent, "did not answer within the time limit")] {
        let sources: [(Arc<dyn ProvideCredentials>, &str); 2] = [
            (Arc::new(CvmRoleCredentials::new().with_endpoint(&endpoint)), "CVM role (metadata service"),
            (Arc::new(EcsRamRoleCredentials::new().with_endpoint(&endpoint)), "ECS RAM role (metadata service"),
        ];
        for (source, name) in sources {
            let started = Instant::now();
            let error = source.provide().await.unwrap_err();
            // 1 s per request by default: the ECS token and the role discovery.
            assert!(started.elapsed() < Duration::from_secs(10), "{:?}: {error}", started.elapsed());
            assert_eq!(error.kind(), CredentialsErrorKind::NotConfigured, "{error}");
            let text = error.to_string();
            assert!(text.starts_with(name) && text.contains(what) && !text.contains('\n'), "{text}");
        }
        // Through a client of each provider whose chain has nothing else: one line naming every
        // source tried.
        for tencent in [true, false] {
            let home = Home::new();
            let chain = if tencent { DefaultCredentials::tencent() } else { DefaultCredentials::alibaba() };
            let chain = chain.with_environment(home.env(&[])).with_metadata_endpoint(&endpoint);
            let started = Instant::now();
            let error = if tencent {
                let client = apigateway::Client::new(Config::new().with_region("ap-guangzhou").with_credentials(chain));
                credentials_failure(client.update_api_app_key(app_key()).await.unwrap_err())
            } else {
                let client = cloudapi::Client::new(Config::new().with_region("cn-hangzhou").with_credentials(chain));
                credentials_failure(client.reset_app_secret(reset()).await.unwrap_err())
            };
            assert!(started.elapsed() < Duration::from_secs(10), "{:?}: {error}", started.elapsed());
            let tried: &[&str] = if tencent {
                &["environment (TENCENTCLOUD_SECRET_ID", "Tencent credentials file", "tccli profile", "CVM role"]
            } else {
                &[
                    "environment (ALIBABA_CLOUD_ACCESS_KEY_ID",
                    "Alibaba CLI profile",
                    "Alibaba credentials file",
                    "ECS RAM role",
                ]
            };
            for source in tried {
                assert!(error.contains(source), "{error}");
            }
            assert!(
                error.contains("no credentials found: ") && error.contains(what) && !error.contains('\n'),
                "{error}"
            );
        }
    }
    server.abort();
}

#[tokio::test]
async fn a_refused_assume_role_stops_the_chain_with_the_providers_answer() {
    let fake = fake().await;
    fake.inject(cloudspec_fake::FaultRule {
        action: Some("AssumeRole".into()),
        fault: cloudspec_fake::Fault::Error { code: "NoPermission".into() },
        times: 1,
    });
    let home = Home::new();
    home.write(
        ".aliyun/config.json",
        &format!(
            r#"{{"current": "ops", "profiles": [{{"name": "ops", "mode": "RamRoleArn", "access_key_id": "{DEFAULT_ID}", "access_key_secret": "{DEFAULT_SECRET}", "ram_role_arn": "acs:ram::1:role/ops"}}]}}"#
        ),
    );
    let error = chain(&fake, false, home.env(&[])).provide().await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::Invalid);
    let text = error.to_string();
    assert!(
        text.starts_with("AssumeRole of acs:ram::1:role/ops (STS http://127.0.0.1:") && text.contains("NoPermission"),
        "{text}"
    );
    assert!(
        !fake.log().iter().any(|e| e.service.as_deref() == Some("metadata")),
        "no fall-through to the instance role"
    );
}

/// A client given no credentials reads the process's environment: run in a child process, which
/// alone gets the variables (HOME included).
#[tokio::test]
async fn a_client_without_credentials_reads_the_process_environment() {
    const CHILD: &str = "CLOUDSPEC_CREDENTIALS_CHILD_FAKE";
    if let Ok(url) = std::env::var(CHILD) {
        let client = cloudapi::Client::new(Config::new().with_endpoint_url(url).with_region("cn-hangzhou"));
        client.reset_app_secret(reset()).await.unwrap();
        return;
    }
    let fake = fake().await;
    let home = Home::new();
    home.write(
        ".aliyun/config.json",
        &format!(
            r#"{{"current": "default", "profiles": [{{"name": "default", "mode": "AK", "access_key_id": "LTAIunused", "access_key_secret": "x"}}, {{"name": "ops", "mode": "RamRoleArn", "access_key_id": "{DEFAULT_ID}", "access_key_secret": "{DEFAULT_SECRET}", "ram_role_arn": "acs:ram::1:role/child", "sts_endpoint": "{}"}}]}}"#,
            fake.url()
        ),
    );
    let child = tokio::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "behaviour::a_client_without_credentials_reads_the_process_environment", "--test-threads=1"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home.dir.path())
        .env("ALIBABA_CLOUD_PROFILE", "ops")
        .env("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
        .env(CHILD, fake.url())
        .output()
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&child.stdout);
    assert!(
        child.status.success() && stdout.contains("1 passed"),
        "{stdout}{}",
        String::from_utf8_lossy(&child.stderr)
    );
    let signer = fake.log().into_iter().find(|e| e.processed && e.action.as_deref() == Some("ResetAppSecret")).unwrap();
    let issued = fake.issued();
    assert_eq!(issued.len(), 1);
    assert_eq!(issued[0].role.as_deref(), Some("acs:ram::1:role/child"));
    assert_eq!(signer.access_key_id.as_deref(), Some(issued[0].access_key_id.as_str()));
}
