//! A sweep for leaks: calls that succeed, fail, time out and decode badly, with secrets in the
//! credentials, the requests and the responses, while every log line of every crate is captured at
//! TRACE level. No secret — and no `Authorization` header — may appear in a log line, a `Debug` or a
//! `Display` output. The credential sources are swept too: profiles holding secrets (readable and
//! broken; the Alibaba CLI's and SDK's, the Tencent SDK's and tccli's), OIDC tokens, STS and metadata
//! answers (whose temporary secrets and tokens join the list), a credentials URI with a token in its
//! query, and their failures.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cloudspec_apis::alibabacloud::cloudapi::v20160714 as cloudapi;
use cloudspec_apis::tencentcloud::apigateway::v20180808::*;
use cloudspec_apis::tencentcloud::teo::v20220901 as teo;
use cloudspec_apis::{Config, Credentials, RateLimit, RetryPolicy, Timeouts};
use cloudspec_fake::{FakeCloud, Fault, FaultRule, Settings};
use cloudspec_runtime::{
    AliyunCliProfile, AssumeRoleCredentials, CvmRoleCredentials, DefaultCredentials, EcsRamRoleCredentials,
    Environment, OidcRoleCredentials, ProvideCredentials, TccliProfile, TencentCredentialsFile, UriCredentials,
};
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
    // The credential sources' own.
    "SweepProfileSecret0008",
    "eyJ.SweepOidcToken0009.sig",
    "SweepUriToken0010",
    "SweepBrokenProfile0011",
    "SweepIniSecret0012",
    "SweepTencentIniKey0013",
    "SweepTccliKey0014",
    "SweepTccliToken0015",
    "SweepBrokenTccli0016",
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

    let temporary = sweep_credential_sources(&mut shown).await;

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    if std::env::var_os("SWEEP_DUMP").is_some() {
        eprintln!("{log}");
    }
    assert!(log.contains("cloudspec.call"), "the sweep captured no log of the calls:\n{log}");
    assert!(log.contains("request_id"), "request ids are logged:\n{log}");
    assert!(temporary.len() >= 12, "temporary secrets and tokens were collected: {}", temporary.len());
    for secret in SECRETS.iter().copied().chain(temporary.iter().map(String::as_str)) {
        assert!(!log.contains(secret), "a secret is in the logs:\n{log}");
        for text in &shown {
            assert!(!text.contains(secret), "a secret is in an output: {text}");
        }
    }
    for forbidden in ["TC3-HMAC-SHA256", "Signature=", "x-tc-token"] {
        assert!(!log.to_ascii_lowercase().contains(&forbidden.to_ascii_lowercase()), "`{forbidden}` is in the logs");
    }
}

/// Runs every credential source against a local fake, successes and failures; pushes what they show
/// (`Debug` of each source and credential, `Display` and `Debug` of each error) onto `shown`, and
/// returns the temporary secrets and tokens they obtained.
async fn sweep_credential_sources(shown: &mut Vec<String>) -> Vec<String> {
    let specs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let settings = Settings { rate_limits: false, ..Settings::default() };
    let fake = FakeCloud::start_from(specs, "127.0.0.1:0".parse().unwrap(), settings).await.unwrap();
    fake.add_credential("LTAIsweep", SECRETS[7]);
    let home = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let file = home.path().join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, text).unwrap();
        file
    };
    write(
        ".aliyun/config.json",
        &format!(
            r#"{{"current": "ops", "profiles": [{{"name": "ops", "mode": "RamRoleArn", "access_key_id": "LTAIsweep", "access_key_secret": "{}", "ram_role_arn": "acs:ram::1:role/sweep"}}]}}"#,
            SECRETS[7]
        ),
    );
    let token = write("token", SECRETS[8]);
    let env = Environment::from_vars([("HOME", home.path().to_str().unwrap())]);
    let uri = format!("{}/_cloudspec/credentials-uri?token={}", fake.url(), SECRETS[9]);
    let chain = DefaultCredentials::alibaba().with_environment(env).with_sts_endpoint(fake.url());
    let sources: Vec<Arc<dyn ProvideCredentials>> = vec![
        Arc::new(chain.clone()),
        Arc::new(
            OidcRoleCredentials::alibaba("acs:ram::1:oidc-provider/p", "acs:ram::1:role/o", &token)
                .with_endpoint(fake.url()),
        ),
        Arc::new(OidcRoleCredentials::tencent("OIDC", "qcs::cam::uin/1:roleName/o", &token).with_endpoint(fake.url())),
        Arc::new(EcsRamRoleCredentials::new().with_endpoint(fake.url())),
        Arc::new(CvmRoleCredentials::new().with_endpoint(fake.url())),
        Arc::new(UriCredentials::new(&uri)),
    ];
    let mut temporary = Vec::new();
    for source in &sources {
        let credentials = source.provide().await.unwrap();
        temporary.push(credentials.secret().expose_secret().to_string());
        temporary.push(credentials.session_token().unwrap().expose_secret().to_string());
        shown.push(format!("{credentials:?} {source:?}"));
    }
    // Tencent's files: the SDK file's key assumes its role_arn; tccli's profile holds a key and token.
    fake.add_credential("AKIDsweepini", SECRETS[12]);
    let tencent_home = tempfile::tempdir().unwrap();
    let tencent_file = |path: &str, text: &str| {
        let file = tencent_home.path().join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, text).unwrap();
        file
    };
    let ini = tencent_file(
        "credentials",
        &format!(
            "[default]\nsecret_id = AKIDsweepini\nsecret_key = {}\nrole_arn = qcs::cam::uin/1:roleName/sweep\n",
            SECRETS[12]
        ),
    );
    tencent_file(
        ".tccli/dev.credential",
        &format!(r#"{{"secretId": "AKIDsweeptccli", "secretKey": "{}", "token": "{}"}}"#, SECRETS[13], SECRETS[14]),
    );
    let tencent_env = Environment::from_vars([("HOME", tencent_home.path().to_str().unwrap())]);
    let role = TencentCredentialsFile::new().with_path(&ini).with_sts_endpoint(fake.url());
    let credentials = role.provide().await.unwrap();
    temporary.push(credentials.secret().expose_secret().to_string());
    temporary.push(credentials.session_token().unwrap().expose_secret().to_string());
    shown.push(format!("{credentials:?} {role:?}"));
    let tccli = TccliProfile::new().with_environment(tencent_env.clone()).with_profile("dev");
    let credentials = tccli.provide().await.unwrap();
    assert_eq!(credentials.secret().expose_secret(), SECRETS[13], "the profile was read");
    shown.push(format!("{credentials:?} {tccli:?}"));

    // Signed calls with the assumed role's credentials (their token in every request).
    let client = cloudapi::Client::new(
        Config::new().with_endpoint_url(fake.url()).with_region("cn-hangzhou").with_credentials(chain),
    );
    let reset = cloudapi::ResetAppSecretRequest::builder().app_key("60030986").build().unwrap();
    client.reset_app_secret(reset).await.unwrap();
    shown.push(format!("{client:?}"));

    // Failures: STS refuses; files holding secrets are broken; the metadata service is down.
    fake.inject(FaultRule {
        action: Some("AssumeRole".into()),
        fault: Fault::Error { code: "NoPermission".into() },
        times: 1,
    });
    let source = Credentials::new("LTAIsweep", SECRETS[7]).unwrap();
    let refused = AssumeRoleCredentials::alibaba(source, "acs:ram::1:role/x").with_endpoint(fake.url());
    let broken_json =
        write("broken.json", &format!(r#"{{"profiles": [{{"access_key_secret": "{}",}}]}}"#, SECRETS[10]));
    let broken_ini = write(".alibabacloud/credentials", &format!("[default]\ntype = access_key\n{}\n", SECRETS[11]));
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let mut failing: Vec<Arc<dyn ProvideCredentials>> = vec![
        Arc::new(refused),
        Arc::new(AliyunCliProfile::new().with_path(&broken_json)),
        Arc::new(DefaultCredentials::alibaba().with_environment(Environment::from_vars([
            ("HOME", home.path().to_str().unwrap()),
            ("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true"),
        ]))),
        Arc::new(EcsRamRoleCredentials::new().with_endpoint(format!("http://{closed}"))),
        Arc::new(
            DefaultCredentials::alibaba()
                .with_environment(Environment::from_vars([("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRETS[7])])),
        ),
        Arc::new(UriCredentials::new(format!("http://{closed}/x?token={}", SECRETS[9]))),
    ];
    let broken_tccli = tencent_file(
        ".tccli/broken.credential",
        &format!(r#"{{"secretId": "AKIDsweep", "secretKey": "{}",}}"#, SECRETS[15]),
    );
    assert!(broken_tccli.exists());
    let broken_tencent_ini = tencent_file("broken-credentials", &format!("[default]\nsecret_key {}\n", SECRETS[12]));
    failing.extend([
        Arc::new(TccliProfile::new().with_environment(tencent_env).with_profile("broken"))
            as Arc<dyn ProvideCredentials>,
        Arc::new(TencentCredentialsFile::new().with_path(&broken_tencent_ini)),
        Arc::new(DefaultCredentials::tencent().with_environment(Environment::from_vars([
            ("TENCENTCLOUD_SECRET_KEY", SECRETS[12]),
            ("HOME", tencent_home.path().to_str().unwrap()),
        ]))),
    ]);
    for source in &failing {
        let error = source.provide().await.unwrap_err();
        shown.push(format!("{error:?} {error} {source:?}"));
    }
    assert!(shown.iter().any(|s| s.contains("NoPermission")), "the refusal was swept");
    assert!(broken_ini.exists());
    temporary
}
