//! Temporary credentials over their life, with a fake that issues them for 10 s and refuses them once
//! expired: served from the cache while fresh, refreshed by exactly one STS call when 100 calls arrive
//! in the refresh window, that call made before the old credentials expire, and shared by clones of a
//! client and of its configuration.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use cloudspec_apis::Credentials;
use cloudspec_runtime::AssumeRoleCredentials;

use super::*;

/// How long the fake's temporary credentials live here. The cache refreshes them from half their
/// life on (5 s before expiry) and serves them until a tenth before (1 s).
const LIFE: Duration = Duration::from_secs(10);

/// One call of `tencent`'s provider, with the client's credentials; its failure as text.
async fn call(client: &Clients, tencent: bool) -> Result<(), String> {
    if tencent {
        client.tencent.update_api_app_key(app_key()).await.map(drop).map_err(|e| e.to_string())
    } else {
        client.alibaba.reset_app_secret(reset()).await.map(drop).map_err(|e| e.to_string())
    }
}

/// A client of each provider, one configuration.
#[derive(Clone)]
struct Clients {
    tencent: apigateway::Client,
    alibaba: cloudapi::Client,
}

/// `n` calls at once; every one must succeed.
async fn concurrent_calls(clients: &Clients, tencent: bool, n: usize) {
    let calls: Vec<_> = (0..n)
        .map(|_| {
            let clients = clients.clone();
            tokio::spawn(async move { call(&clients, tencent).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap_or_else(|error| panic!("a concurrent call failed: {error}"));
    }
}

/// Tencent through `AssumeRoleCredentials`; Alibaba through a RamRoleArn profile of the default chain.
async fn one_refresh_before_expiry(tencent: bool) {
    let fake = fake().await;
    fake.set_temporary_lifetime(Some(LIFE));
    let home = Home::new();
    let (source, region, action): (Arc<dyn ProvideCredentials>, _, _) = if tencent {
        let key = Credentials::new(DEFAULT_ID, DEFAULT_SECRET).unwrap();
        let role = AssumeRoleCredentials::tencent(key, "qcs::cam::uin/1:roleName/r").with_endpoint(fake.url());
        (Arc::new(role), "ap-guangzhou", "UpdateApiAppKey")
    } else {
        home.write(
            ".aliyun/config.json",
            &format!(
                r#"{{"current": "ops", "profiles": [{{"name": "ops", "mode": "RamRoleArn", "access_key_id": "{DEFAULT_ID}", "access_key_secret": "{DEFAULT_SECRET}", "ram_role_arn": "acs:ram::1:role/r"}}]}}"#
            ),
        );
        (Arc::new(chain(&fake, false, home.env(&[]))), "cn-hangzhou", "ResetAppSecret")
    };
    let config = config(&fake, region).with_credentials(source);
    let clients = Clients { tencent: apigateway::Client::new(config.clone()), alibaba: cloudapi::Client::new(config) };

    call(&clients, tencent).await.unwrap();
    assert_eq!(fake.processed("AssumeRole"), 1);
    let first = fake.issued().remove(0);
    // Fresh: served from the cache, however many calls.
    concurrent_calls(&clients, tencent, 20).await;
    assert_eq!(fake.processed("AssumeRole"), 1, "fresh credentials are not fetched again");

    // Into the refresh window: 4 s before expiry (whole seconds of the fake's clock).
    let now = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap();
    let window = Duration::from_secs(u64::try_from(first.expires_at - 4).unwrap());
    tokio::time::sleep(window.saturating_sub(now)).await;
    concurrent_calls(&clients, tencent, 100).await;
    assert_eq!(fake.processed("AssumeRole"), 2, "one refresh for 100 calls");
    let renewed = fake.issued().into_iter().max_by_key(|i| i.expires_at).unwrap();
    assert_ne!(renewed.access_key_id, first.access_key_id);
    let life = i64::try_from(LIFE.as_secs()).unwrap();
    assert!(renewed.expires_at - life < first.expires_at, "refreshed before the old credentials expired");
    assert_eq!(fake.processed_by(action, &renewed.access_key_id), 100, "all signed with the new credentials");
    assert_eq!(fake.processed_by(action, &first.access_key_id), 21);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expiry_triggers_exactly_one_refresh_under_a_hundred_concurrent_calls() {
    tokio::join!(one_refresh_before_expiry(true), one_refresh_before_expiry(false));
}

#[tokio::test]
async fn clones_of_a_client_and_of_its_configuration_share_the_cached_credentials() {
    let fake = fake().await;
    let home = Home::new();
    let config = config(&fake, "ap-guangzhou").with_credentials(chain(&fake, true, home.env(&[])));
    let first = apigateway::Client::new(config.clone());
    let clone = first.clone();
    let other = apigateway::Client::new(config);
    for client in [&first, &clone, &other] {
        client.update_api_app_key(app_key()).await.unwrap();
    }
    let fetched = fake.log().iter().filter(|e| e.action.as_deref() == Some("MetadataCredentials")).count();
    assert_eq!(fetched, 1, "one metadata fetch for three clients");
}
