//! Every credential source end to end against the fake cloud on 127.0.0.1: the credentials each
//! source obtains sign calls the fake verifies (its log names the key that signed each call, and what
//! it issued that key for). Also: a RamRoleArn profile signs as the role, never as its source key;
//! expiry triggers exactly one refresh under 100 concurrent calls; clones of a client share the cached
//! credentials; a metadata service that is down or silent fails within a bounded time with a clear
//! error; and a client without credentials reads the process's environment (in a child process).
//!
//! Every source reads a temporary home directory through an explicit `Environment`, never the
//! machine's `~/.aliyun` or `~/.tencentcloud`.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use cloudspec_apis::alibabacloud::cloudapi::v20160714 as cloudapi;
use cloudspec_apis::tencentcloud::apigateway::v20180808 as apigateway;
use cloudspec_apis::{Config, Credentials, Error, RateLimit, RetryPolicy};
use cloudspec_fake::{DEFAULT_ID, DEFAULT_SECRET, FakeCloud, Settings};
use cloudspec_runtime::{
    AssumeRoleCredentials, CredentialsErrorKind, CvmRoleCredentials, DefaultCredentials, EcsRamRoleCredentials,
    Environment, ProvideCredentials,
};

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

#[tokio::test]
async fn every_tencent_source_signs_calls_the_fake_verifies() {
    let fake = fake().await;
    let ini = format!("[default]\nsecret_id = {DEFAULT_ID}\nsecret_key = {DEFAULT_SECRET}\n");
    let static_tccli = format!(r#"{{"secretId": "{DEFAULT_ID}", "secretKey": "{DEFAULT_SECRET}"}}"#);
    let role_tccli = format!(
        r#"{{"secretId": "{DEFAULT_ID}", "secretKey": "{DEFAULT_SECRET}", "role-arn": "qcs::cam::uin/1:roleName/tccli", "role-session-name": "sess"}}"#
    );
    let expires = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs() + 3600;
    let sso = format!(
        r#"{{"type": "sso", "secretId": "{DEFAULT_ID}", "secretKey": "{DEFAULT_SECRET}", "expiresAt": {expires}}}"#
    );
    let token = Home::new();
    let token_file = token.write("token", "eyJ.tke.token");
    let token_file = token_file.to_str().unwrap();

    let cases: Vec<Case<'_>> = vec![
        ("environment", vec![], key_env(true).to_vec(), Signer::Key),
        ("SDK file", vec![(".tencentcloud/credentials", ini.clone())], vec![], Signer::Key),
        (
            "SDK file with role_arn",
            vec![(".tencentcloud/credentials", format!("{ini}role_arn = qcs::cam::uin/1:roleName/ini\n"))],
            vec![],
            Signer::Issued("AssumeRole", Some("qcs::cam::uin/1:roleName/ini")),
        ),
        ("tccli default", vec![(".tccli/default.credential", static_tccli.clone())], vec![], Signer::Key),
        (
            "tccli role-arn",
            vec![(".tccli/dev.credential", role_tccli)],
            vec![("TCCLI_PROFILE", "dev")],
            Signer::Issued("AssumeRole", Some("qcs::cam::uin/1:roleName/tccli")),
        ),
        (
            "tccli cvm-role",
            vec![(".tccli/default.credential", r#"{"type": "cvm-role"}"#.into())],
            vec![],
            Signer::Issued("metadata", Some("cloudspec-fake-role")),
        ),
        ("tccli sso", vec![(".tccli/default.credential", sso)], vec![], Signer::Key),
        (
            "TKE OIDC",
            vec![(".tccli/default.credential", static_tccli)],
            vec![
                ("TKE_REGION", "ap-shanghai"),
                ("TKE_PROVIDER_ID", "tke-oidc"),
                ("TKE_WEB_IDENTITY_TOKEN_FILE", token_file),
                ("TKE_ROLE_ARN", "qcs::cam::uin/1:roleName/pod"),
            ],
            Signer::Issued("AssumeRoleWithWebIdentity", Some("qcs::cam::uin/1:roleName/pod")),
        ),
        ("CVM role", vec![], vec![], Signer::Issued("metadata", Some("cloudspec-fake-role"))),
    ];
    for (name, files, vars, expected) in cases {
        let home = Home::new();
        for (path, text) in &files {
            home.write(path, text);
        }
        eprintln!("tencent: {name}");
        signs(&fake, true, chain(&fake, true, home.env(&vars)), expected).await;
    }
}

#[tokio::test]
async fn every_alibaba_source_signs_calls_the_fake_verifies() {
    let fake = fake().await;
    let ak = format!(r#""access_key_id": "{DEFAULT_ID}", "access_key_secret": "{DEFAULT_SECRET}""#);
    // Temporary credentials the fake accepts, for the modes that hold a token.
    let temporary =
        AssumeRoleCredentials::alibaba(Credentials::new(DEFAULT_ID, DEFAULT_SECRET).unwrap(), "acs:ram::1:role/temp")
            .with_endpoint(fake.url())
            .provide()
            .await
            .unwrap();
    let (temp_id, temp_secret, temp_token) = (
        temporary.access_key_id().to_string(),
        temporary.secret().expose_secret().to_string(),
        temporary.session_token().unwrap().expose_secret().to_string(),
    );
    let token = Home::new();
    let token_file = token.write("token", "eyJ.rrsa.token\n");
    let token_file = token_file.to_str().unwrap();
    let uri = format!("{}/_cloudspec/credentials-uri", fake.url());
    let cli = |profiles: &str| format!(r#"{{"current": "main", "profiles": [{profiles}]}}"#);
    let role = |name: &str, mode: &str, extra: &str| {
        format!(
            r#"{{"name": "{name}", "mode": "{mode}", "ram_role_arn": "acs:ram::1:role/{name}", "ram_session_name": "sess"{extra}}}"#
        )
    };
    let config = ".aliyun/config.json";
    let ini = ".alibabacloud/credentials";
    let cases: Vec<Case<'_>> = vec![
        ("environment", vec![], key_env(false).to_vec(), Signer::Key),
        (
            "environment with a token",
            vec![],
            vec![
                ("ALIBABA_CLOUD_ACCESS_KEY_ID", &temp_id),
                ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", &temp_secret),
                ("ALIBABA_CLOUD_SECURITY_TOKEN", &temp_token),
            ],
            Signer::Issued("AssumeRole", Some("acs:ram::1:role/temp")),
        ),
        ("CLI AK", vec![(config, cli(&format!(r#"{{"name": "main", "mode": "AK", {ak}}}"#)))], vec![], Signer::Key),
        (
            "CLI StsToken",
            vec![(
                config,
                cli(&format!(
                    r#"{{"name": "main", "mode": "StsToken", "access_key_id": "{temp_id}", "access_key_secret": "{temp_secret}", "sts_token": "{temp_token}"}}"#
                )),
            )],
            vec![],
            Signer::Issued("AssumeRole", Some("acs:ram::1:role/temp")),
        ),
        (
            "CLI RamRoleArn",
            vec![(config, cli(&role("main", "RamRoleArn", &format!(", {ak}, \"expired_seconds\": 900"))))],
            vec![],
            Signer::Issued("AssumeRole", Some("acs:ram::1:role/main")),
        ),
        (
            "CLI EcsRamRole",
            vec![(config, cli(r#"{"name": "main", "mode": "EcsRamRole", "ram_role_name": "cloudspec-fake-role"}"#))],
            vec![],
            Signer::Issued("metadata", Some("cloudspec-fake-role")),
        ),
        (
            "CLI OIDC",
            vec![(
                config,
                cli(&role(
                    "main",
                    "OIDC",
                    &format!(
                        r#", "oidc_provider_arn": "acs:ram::1:oidc-provider/p", "oidc_token_file": "{token_file}""#
                    ),
                )),
            )],
            vec![],
            Signer::Issued("AssumeRoleWithOIDC", Some("acs:ram::1:role/main")),
        ),
        (
            "CLI ChainableRamRoleArn",
            vec![(
                config,
                cli(&format!(
                    "{}, {}",
                    role("main", "ChainableRamRoleArn", r#", "source_profile": "inner""#),
                    role("inner", "RamRoleArn", &format!(", {ak}"))
                )),
            )],
            vec![],
            Signer::Issued("AssumeRole", Some("acs:ram::1:role/main")),
        ),
        (
            "CLI RamRoleArnWithRoleName",
            vec![(config, cli(&role("main", "RamRoleArnWithRoleName", r#", "ram_role_name": "cloudspec-fake-role""#)))],
            vec![],
            Signer::Issued("AssumeRole", Some("acs:ram::1:role/main")),
        ),
        (
            "CLI CredentialsURI",
            vec![(
                config,
                cli(&format!(r#"{{"name": "main", "mode": "CredentialsURI", "credentials_uri": "{uri}"}}"#)),
            )],
            vec![],
            Signer::Issued("credentials-uri", None),
        ),
        (
            "ALIBABA_CLOUD_PROFILE",
            vec![(
                config,
                cli(&format!(
                    r#"{{"name": "main", "mode": "AK", "access_key_id": "LTAInobody", "access_key_secret": "x"}}, {}"#,
                    role("other", "RamRoleArn", &format!(", {ak}"))
                )),
            )],
            vec![("ALIBABA_CLOUD_PROFILE", "other")],
            Signer::Issued("AssumeRole", Some("acs:ram::1:role/other")),
        ),
        (
            "INI access_key",
            vec![(
                ini,
                format!(
                    "[default]\ntype = access_key\naccess_key_id = {DEFAULT_ID}\naccess_key_secret = {DEFAULT_SECRET}\n"
                ),
            )],
            vec![],
            Signer::Key,
        ),
        (
            "INI ram_role_arn in credentials.ini, selected by ALIBABA_CLOUD_PROFILE",
            vec![(
                ".alibabacloud/credentials.ini",
                format!(
                    "[client]\ntype = ram_role_arn\naccess_key_id = {DEFAULT_ID}\naccess_key_secret = {DEFAULT_SECRET}\nrole_arn = acs:ram::1:role/ini\n"
                ),
            )],
            vec![("ALIBABA_CLOUD_PROFILE", "client")],
            Signer::Issued("AssumeRole", Some("acs:ram::1:role/ini")),
        ),
        (
            "INI ecs_ram_role",
            vec![(ini, "[default]\ntype = ecs_ram_role\n".into())],
            vec![],
            Signer::Issued("metadata", None),
        ),
        (
            "INI oidc_role_arn",
            vec![(
                ini,
                format!(
                    "[default]\ntype = oidc_role_arn\nrole_arn = acs:ram::1:role/inioidc\noidc_provider_arn = acs:ram::1:oidc-provider/p\noidc_token_file_path = {token_file}\n"
                ),
            )],
            vec![],
            Signer::Issued("AssumeRoleWithOIDC", Some("acs:ram::1:role/inioidc")),
        ),
        (
            "RRSA environment",
            vec![],
            vec![
                ("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/rrsa"),
                ("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "acs:ram::1:oidc-provider/ack"),
                ("ALIBABA_CLOUD_OIDC_TOKEN_FILE", token_file),
            ],
            Signer::Issued("AssumeRoleWithOIDC", Some("acs:ram::1:role/rrsa")),
        ),
        ("ECS RAM role", vec![], vec![], Signer::Issued("metadata", Some("cloudspec-fake-role"))),
        (
            "credentials URI, ECS off",
            vec![],
            vec![("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true"), ("ALIBABA_CLOUD_CREDENTIALS_URI", &uri)],
            Signer::Issued("credentials-uri", None),
        ),
    ];
    for (name, files, vars, expected) in cases {
        let home = Home::new();
        for (path, text) in &files {
            home.write(path, text);
        }
        eprintln!("alibaba: {name}");
        signs(&fake, false, chain(&fake, false, home.env(&vars)), expected).await;
    }
}

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expiry_triggers_exactly_one_refresh_under_a_hundred_concurrent_calls() {
    let fake = fake().await;
    fake.set_temporary_lifetime(Some(Duration::from_secs(10)));
    let source = AssumeRoleCredentials::tencent(
        Credentials::new(DEFAULT_ID, DEFAULT_SECRET).unwrap(),
        "qcs::cam::uin/1:roleName/r",
    )
    .with_endpoint(fake.url());
    let client = apigateway::Client::new(config(&fake, "ap-guangzhou").with_credentials(source));
    client.update_api_app_key(app_key()).await.unwrap();
    assert_eq!(fake.processed("AssumeRole"), 1);
    // Refreshes start at half the life (5 s before expiry); the old credentials stay usable until 1 s
    // before it. Wait until 4 s before expiry.
    let expires = fake.issued()[0].expires_at;
    let now = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap();
    let wait = Duration::from_secs(u64::try_from(expires - 4).unwrap()).saturating_sub(now);
    tokio::time::sleep(wait).await;
    let calls: Vec<_> = (0..100)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.update_api_app_key(app_key()).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(fake.processed("AssumeRole"), 2, "one refresh for 100 calls");
    let renewed = fake.issued().into_iter().max_by_key(|i| i.expires_at).unwrap();
    assert_eq!(
        fake.processed_by("UpdateApiAppKey", &renewed.access_key_id),
        100,
        "all signed with the new credentials"
    );
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
        // Through a client whose chain has nothing else: one line naming every source tried.
        let home = Home::new();
        let chain = DefaultCredentials::alibaba().with_environment(home.env(&[])).with_metadata_endpoint(&endpoint);
        let client = cloudapi::Client::new(Config::new().with_region("cn-hangzhou").with_credentials(chain));
        let started = Instant::now();
        let error = client.reset_app_secret(reset()).await.unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(10));
        let Error::Credentials(error) = &error else { panic!("{error}") };
        let text = error.to_string();
        for source in [
            "environment (ALIBABA_CLOUD_ACCESS_KEY_ID",
            "Alibaba CLI profile",
            "Alibaba credentials file",
            "ECS RAM role",
        ] {
            assert!(text.contains(source), "{text}");
        }
        assert!(text.starts_with("no credentials found: ") && text.contains(what), "{text}");
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
        .args(["--exact", "a_client_without_credentials_reads_the_process_environment", "--test-threads=1"])
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
