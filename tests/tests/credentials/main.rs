//! Every credential source end to end against the fake cloud on 127.0.0.1: the credentials each
//! source obtains sign calls the fake verifies (its log names the key that signed each call, and what
//! it issued that key for).
//!
//! - [`sources`]: every source of both default chains signs calls the fake verifies;
//! - [`refresh`]: temporary credentials are refreshed before they expire, once under 100 concurrent
//!   calls, and clones of a client share them;
//! - [`behaviour`]: a RamRoleArn profile signs as the role, never as its source key; a role STS refuses
//!   stops the chain; a metadata service that is down or silent fails within a bounded time with a
//!   clear error; a client without credentials reads the process's environment (in a child process).
//!
//! Every source reads a temporary home directory through an explicit `Environment`, never the
//! machine's `~/.aliyun` or `~/.tencentcloud`.

mod behaviour;
mod refresh;
mod sources;

use cloudspec_apis::alibabacloud::cloudapi::v20160714 as cloudapi;
use cloudspec_apis::tencentcloud::apigateway::v20180808 as apigateway;
use cloudspec_apis::{Config, RateLimit, RetryPolicy};
use cloudspec_fake::{DEFAULT_ID, DEFAULT_SECRET, FakeCloud, Settings};
use cloudspec_runtime::{DefaultCredentials, Environment, ProvideCredentials};

async fn fake() -> FakeCloud {
    let specs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let settings = Settings { rate_limits: false, ..Settings::default() };
    FakeCloud::start_from(specs, "127.0.0.1:0".parse().unwrap(), settings).await.unwrap()
}

/// A temporary home directory and the environment that points at it.
struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Home {
        Home { dir: tempfile::tempdir().unwrap() }
    }

    fn write(&self, path: &str, text: &str) -> std::path::PathBuf {
        let file = self.dir.path().join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, text).unwrap();
        file
    }

    fn env(&self, vars: &[(&str, &str)]) -> Environment {
        let home = self.dir.path().to_str().unwrap().to_string();
        Environment::from_vars(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).chain([("HOME".into(), home)]))
    }
}

fn config(fake: &FakeCloud, region: &str) -> Config {
    Config::new()
        .with_endpoint_url(fake.url())
        .with_region(region)
        .with_rate_limit(RateLimit::Disabled)
        .with_retry(RetryPolicy::none())
}

fn app_key() -> apigateway::UpdateApiAppKeyRequest {
    apigateway::UpdateApiAppKeyRequest::builder().api_app_id("app-creds").api_app_key("key").build().unwrap()
}

fn reset() -> cloudapi::ResetAppSecretRequest {
    cloudapi::ResetAppSecretRequest::builder().app_key("60030986").build().unwrap()
}

/// Who signed a call, as the fake saw it.
#[derive(Debug, Clone, Copy)]
enum Signer {
    /// The long-term key.
    Key,
    /// Temporary credentials the fake issued this way, for this role.
    Issued(&'static str, Option<&'static str>),
}

/// Calls an action of `tencent`'s provider with `source`'s credentials and checks who signed it;
/// returns the signing key.
async fn signs(fake: &FakeCloud, tencent: bool, source: impl ProvideCredentials + 'static, expected: Signer) -> String {
    let (action, result) = if tencent {
        let client = apigateway::Client::new(config(fake, "ap-guangzhou").with_credentials(source));
        ("UpdateApiAppKey", client.update_api_app_key(app_key()).await.map(drop).map_err(|e| e.to_string()))
    } else {
        let client = cloudapi::Client::new(config(fake, "cn-hangzhou").with_credentials(source));
        ("ResetAppSecret", client.reset_app_secret(reset()).await.map(drop).map_err(|e| e.to_string()))
    };
    if let Err(error) = result {
        panic!("{action} with {expected:?} failed: {error}");
    }
    let entry = fake.log().into_iter().rev().find(|e| e.processed && e.action.as_deref() == Some(action)).unwrap();
    let signer = entry.access_key_id.expect("a signed call");
    match expected {
        Signer::Key => assert_eq!(signer, DEFAULT_ID),
        Signer::Issued(by, role) => {
            let issued = fake.issued().into_iter().find(|i| i.access_key_id == signer);
            let issued = issued.unwrap_or_else(|| panic!("{signer} was not issued by the fake"));
            assert_eq!(issued.issued_by, by, "{issued:?}");
            if role.is_some() {
                assert_eq!(issued.role.as_deref(), role, "{issued:?}");
            }
        }
    }
    signer
}

/// One scenario: its name, the files of its home directory, its variables, and who signs.
type Case<'a> = (&'a str, Vec<(&'a str, String)>, Vec<(&'a str, &'a str)>, Signer);

/// A provider's default chain in `env`, its network sources pointed at the fake.
fn chain(fake: &FakeCloud, tencent: bool, env: Environment) -> DefaultCredentials {
    let chain = if tencent { DefaultCredentials::tencent() } else { DefaultCredentials::alibaba() };
    chain.with_environment(env).with_sts_endpoint(fake.url()).with_metadata_endpoint(fake.url())
}

fn key_env(tencent: bool) -> [(&'static str, &'static str); 2] {
    if tencent {
        [("TENCENTCLOUD_SECRET_ID", DEFAULT_ID), ("TENCENTCLOUD_SECRET_KEY", DEFAULT_SECRET)]
    } else {
        [("ALIBABA_CLOUD_ACCESS_KEY_ID", DEFAULT_ID), ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", DEFAULT_SECRET)]
    }
}
