//! How the default chains choose, and how they refuse: which source wins when several are
//! configured, what is not configured (the chain moves on) and what is broken (the chain stops), and
//! that every error is one line naming its source, with no secret in it. The files live in temporary
//! home directories read through an explicit `Environment`; every network source points at a closed
//! port on 127.0.0.1, so nothing leaves the machine.

use cloudspec_runtime::{
    AliyunCliProfile, Credentials, CredentialsError, CredentialsErrorKind, DefaultCredentials, Environment,
    ProvideCredentials, TccliProfile,
};

struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn with(files: &[(&str, &str)]) -> Home {
        let home = Home { dir: tempfile::tempdir().unwrap() };
        for (path, text) in files {
            let file = home.dir.path().join(path);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, text).unwrap();
        }
        home
    }

    fn env(&self, vars: &[(&str, &str)]) -> Environment {
        let home = self.dir.path().to_str().unwrap().to_string();
        Environment::from_vars(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).chain([("HOME".into(), home)]))
    }
}

fn closed_port() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    format!("http://{address}")
}

async fn load(tencent: bool, files: &[(&str, &str)], vars: &[(&str, &str)]) -> Result<Credentials, CredentialsError> {
    let home = Home::with(files);
    let chain = if tencent { DefaultCredentials::tencent() } else { DefaultCredentials::alibaba() };
    let closed = closed_port();
    let result = chain
        .with_environment(home.env(vars))
        .with_metadata_endpoint(&closed)
        .with_sts_endpoint(&closed)
        .provide()
        .await;
    if let Err(error) = &result {
        let text = error.to_string();
        assert!(!text.contains('\n'), "one line: {text}");
        for secret in ["SECRETVALUE", "TOKENVALUE"] {
            assert!(!text.contains(secret) && !format!("{error:?}").contains(secret), "a secret in: {text}");
        }
    }
    result
}

fn config(profiles: &str) -> String {
    format!(r#"{{"current": "main", "profiles": [{profiles}]}}"#)
}

const CLI: &str = ".aliyun/config.json";
const ALI_INI: &str = ".alibabacloud/credentials";
const TC_INI: &str = ".tencentcloud/credentials";

#[tokio::test]
async fn modes_the_cli_writes_but_cloudspec_cannot_honour_are_refused_by_name() {
    for mode in ["CloudSSO", "OAuth", "External", "RsaKeyPair", "BearerToken", "Anonymous", "Mystery"] {
        let profile = format!(
            r#"{{"name": "main", "mode": "{mode}", "access_key_id": "LTAIsource", "access_key_secret": "SECRETVALUE"}}"#
        );
        let error = load(false, &[(CLI, &config(&profile))], &[]).await.unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::Invalid, "{mode}: {error}");
        let text = error.to_string();
        assert!(text.starts_with("Alibaba CLI profile `main` ("), "{text}");
        assert!(text.contains(&format!("mode `{mode}` is not supported")), "never half-read as AK: {text}");
        assert!(text.contains("ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true"), "{text}");
    }
    let no_mode = r#"{"name": "main", "access_key_id": "LTAIsource", "access_key_secret": "SECRETVALUE"}"#;
    let error = load(false, &[(CLI, &config(no_mode))], &[]).await.unwrap_err();
    assert!(error.to_string().contains("has no `mode`"), "{error}");
}

#[tokio::test]
async fn an_ecs_ram_role_profile_asks_the_metadata_service_instead_of_wanting_a_key() {
    let error =
        load(false, &[(CLI, &config(r#"{"name": "main", "mode": "EcsRamRole", "ram_role_name": "web"}"#))], &[])
            .await
            .unwrap_err();
    // The metadata service (a closed port here) was asked; the old "has no access_key_id" is gone.
    let text = error.to_string();
    assert!(text.contains("ECS RAM role (metadata service http://127.0.0.1:"), "{text}");
    assert!(!text.contains("access_key_id"), "{text}");
}

#[tokio::test]
async fn a_ram_role_arn_profile_calls_sts_and_never_falls_back_to_its_key() {
    let profile = r#"{"name": "main", "mode": "RamRoleArn", "access_key_id": "LTAIsource", "access_key_secret": "SECRETVALUE", "ram_role_arn": "acs:ram::1:role/r"}"#;
    let error = load(false, &[(CLI, &config(profile))], &[]).await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::Unavailable, "{error}");
    assert!(error.to_string().starts_with("AssumeRole of acs:ram::1:role/r (STS http://127.0.0.1:"), "{error}");
}

#[tokio::test]
async fn source_profile_loops_are_reported() {
    let profiles = r#"{"name": "main", "mode": "ChainableRamRoleArn", "source_profile": "b", "ram_role_arn": "acs:ram::1:role/a"},
        {"name": "b", "mode": "ChainableRamRoleArn", "source_profile": "main", "ram_role_arn": "acs:ram::1:role/b"}"#;
    let error = load(false, &[(CLI, &config(profiles))], &[]).await.unwrap_err();
    assert!(error.to_string().contains("source_profile loop: main → b → main"), "{error}");
    let missing = r#"{"name": "main", "mode": "ChainableRamRoleArn", "source_profile": "gone", "ram_role_arn": "r"}"#;
    let error = load(false, &[(CLI, &config(missing))], &[]).await.unwrap_err();
    assert!(error.to_string().contains("Alibaba CLI profile `gone`") && error.to_string().contains("no such profile"));
}

#[tokio::test]
async fn alibaba_profile_selection_follows_the_official_rules() {
    let ak = |name: &str, id: &str| {
        format!(r#"{{"name": "{name}", "mode": "AK", "access_key_id": "{id}", "access_key_secret": "s"}}"#)
    };
    let cli = config(&format!("{}, {}", ak("main", "LTAImain"), ak("other", "LTAIother")));
    let ini = "[default]\ntype = access_key\naccess_key_id = LTAIini\naccess_key_secret = s\n[client]\ntype = access_key\naccess_key_id = LTAIclient\naccess_key_secret = s\n";
    let id = |r: Result<Credentials, CredentialsError>| r.unwrap().access_key_id().to_string();
    // `current`, then ALIBABA_CLOUD_PROFILE, which also picks the INI section when config.json lacks it.
    assert_eq!(id(load(false, &[(CLI, &cli), (ALI_INI, ini)], &[]).await), "LTAImain");
    assert_eq!(
        id(load(false, &[(CLI, &cli), (ALI_INI, ini)], &[("ALIBABA_CLOUD_PROFILE", "other")]).await),
        "LTAIother"
    );
    assert_eq!(
        id(load(false, &[(CLI, &cli), (ALI_INI, ini)], &[("ALIBABA_CLOUD_PROFILE", "client")]).await),
        "LTAIclient"
    );
    // Disabled CLI profiles; the environment first; the file a variable names.
    let disabled = [("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "TRUE")];
    assert_eq!(id(load(false, &[(CLI, &cli), (ALI_INI, ini)], &disabled).await), "LTAIini");
    let env = [("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIenv"), ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "s")];
    assert_eq!(id(load(false, &[(CLI, &cli)], &env).await), "LTAIenv");
    assert_eq!(
        id(load(false, &[(".alibabacloud/credentials.ini", ini)], &[]).await),
        "LTAIini",
        "the Python library's name"
    );
    let elsewhere = Home::with(&[("x/creds", ini)]);
    let path = elsewhere.dir.path().join("x/creds");
    let named = [("ALIBABA_CLOUD_CREDENTIALS_FILE", path.to_str().unwrap())];
    assert_eq!(id(load(false, &[], &named).await), "LTAIini");
    let error =
        load(false, &[], &[("ALIBABA_CLOUD_CONFIG_FILE", "/nonexistent/cloudspec/config.json")]).await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::Invalid);
    assert!(error.to_string().contains("named by ALIBABA_CLOUD_CONFIG_FILE"), "{error}");
    // A `current` that names no profile is a broken file, not an absent one.
    let error = load(false, &[(CLI, r#"{"current": "gone", "profiles": [{"name": "main", "mode": "AK"}]}"#)], &[])
        .await
        .unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::Invalid, "{error}");
    assert!(error.to_string().contains("no such profile (it has: main)"), "{error}");
}

#[tokio::test]
async fn broken_files_stop_the_chain_without_showing_their_content() {
    let cases: &[(bool, &str, &str, &str)] = &[
        (
            false,
            CLI,
            r#"{"profiles": [{"name": "main", "access_key_secret": "SECRETVALUE",}]}"#,
            "not JSON (line 1, column",
        ),
        (
            false,
            ALI_INI,
            "[default]\ntype = access_key\naccess_key_secret SECRETVALUE\n",
            "line 3: expected `key = value`",
        ),
        (false, ALI_INI, "[default]\ntype = rsa_key_pair\npublic_key_id = p\n", "type `rsa_key_pair` is not supported"),
        (false, ALI_INI, "[default]\naccess_key_id = a\n", "has no `type`"),
        (
            true,
            TC_INI,
            "[other]\nsecret_id = AKIDx\nsecret_key = SECRETVALUE\n",
            "has no [default] section (it has: other)",
        ),
        (true, TC_INI, "[default]\nsecret_id = AKIDx\n", "[default] has no `secret_key`"),
        (true, TC_INI, "[default]\nsecret_id = AKIDx\nsecret_key = SECRETVALUE\nsecret_key = SECRETVALUE\n", "line 4"),
        (
            true,
            ".tccli/default.credential",
            r#"{"secretId": "AKIDx", "secretKey": "SECRETVALUE""#,
            "is not JSON (line 1",
        ),
        (true, ".tccli/default.credential", r#"{"type": "saml", "secretId": "AKIDx"}"#, "type `saml` is not supported"),
        (
            true,
            ".tccli/default.credential",
            r#"{"secretId": "AKIDx", "secretKey": "SECRETVALUE", "role-arn": "r"}"#,
            "no `role-session-name`",
        ),
        (
            true,
            ".tccli/default.credential",
            r#"{"type": "sso", "secretId": "AKIDx", "secretKey": "SECRETVALUE", "token": "TOKENVALUE", "expiresAt": 1700000000}"#,
            "expired at 2023-11-14T22:13:20Z",
        ),
    ];
    for (tencent, path, text, expected) in cases {
        let error = load(*tencent, &[(path, text)], &[]).await.unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::Invalid, "{path}: {error}");
        assert!(error.to_string().contains(expected), "{path}: {error}");
    }
}

#[tokio::test]
async fn environment_variables_half_set_or_padded_are_reported() {
    let error = load(true, &[], &[("TENCENTCLOUD_SECRET_ID", "AKIDx")]).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "environment (TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY): TENCENTCLOUD_SECRET_ID is set but TENCENTCLOUD_SECRET_KEY is not"
    );
    let padded = [("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIx"), ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", " SECRETVALUE")];
    let error = load(false, &[], &padded).await.unwrap_err();
    assert!(error.to_string().contains("whitespace"), "{error}");
    let partial = [("ALIBABA_CLOUD_OIDC_TOKEN_FILE", "/var/run/token")];
    let error = load(false, &[], &partial).await.unwrap_err();
    assert!(error.to_string().contains("ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN not set"), "{error}");
}

#[tokio::test]
async fn tencent_sources_come_in_order() {
    let ini = "[default]\nsecret_id = AKIDini\nsecret_key = s\n";
    let tccli = r#"{"secretId": "AKIDtccli", "secretKey": "s", "token": "TOKENVALUE"}"#;
    let dev = r#"{"secretId": "AKIDdev", "secretKey": "s"}"#;
    let id = |r: Result<Credentials, CredentialsError>| r.unwrap().access_key_id().to_string();
    let env = [("TENCENTCLOUD_SECRET_ID", "AKIDenv"), ("TENCENTCLOUD_SECRET_KEY", "s")];
    assert_eq!(id(load(true, &[(TC_INI, ini), (".tccli/default.credential", tccli)], &env).await), "AKIDenv");
    assert_eq!(id(load(true, &[(TC_INI, ini), (".tccli/default.credential", tccli)], &[]).await), "AKIDini");
    let from_tccli = load(true, &[(".tccli/default.credential", tccli)], &[]).await.unwrap();
    assert_eq!(from_tccli.access_key_id(), "AKIDtccli");
    assert!(from_tccli.session_token().is_some());
    let files = [(".tccli/default.credential", tccli), (".tccli/dev.credential", dev)];
    assert_eq!(id(load(true, &files, &[("TCCLI_PROFILE", "dev")]).await), "AKIDdev");
    // The pod's OIDC identity comes before the files (its STS is a closed port here).
    let tke = [
        ("TKE_REGION", "ap-shanghai"),
        ("TKE_PROVIDER_ID", "p"),
        ("TKE_WEB_IDENTITY_TOKEN_FILE", "/nonexistent/cloudspec/token"),
        ("TKE_ROLE_ARN", "qcs::cam::uin/1:roleName/pod"),
    ];
    let error = load(true, &[(TC_INI, ini)], &tke).await.unwrap_err();
    assert!(error.to_string().starts_with("AssumeRoleWithWebIdentity of qcs::cam::uin/1:roleName/pod"), "{error}");
}

#[tokio::test]
async fn with_nothing_configured_the_error_lists_every_source_on_one_line() {
    let error = load(true, &[], &[]).await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::NotConfigured);
    let text = error.to_string();
    for part in [
        "no credentials found: environment (TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY): not set",
        "Tencent credentials file: no ~/.tencentcloud/credentials",
        "tccli profile `default`: no ",
        "CVM role (metadata service http://127.0.0.1:",
    ] {
        assert!(text.contains(part), "{part} in {text}");
    }
    let error = load(false, &[], &[("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")]).await.unwrap_err();
    let text = error.to_string();
    assert!(!text.contains("ECS RAM role"), "disabled: {text}");
    assert!(text.contains("Alibaba credentials file: no ~/.alibabacloud/credentials (or credentials.ini)"), "{text}");
}

#[tokio::test]
async fn profiles_read_their_file_once() {
    let home = Home::with(&[(".tccli/default.credential", r#"{"secretId": "AKIDfirst", "secretKey": "s"}"#)]);
    let profile = TccliProfile::new().with_environment(home.env(&[]));
    assert_eq!(profile.provide().await.unwrap().access_key_id(), "AKIDfirst");
    std::fs::write(home.dir.path().join(".tccli/default.credential"), "not json").unwrap();
    assert_eq!(
        profile.provide().await.unwrap().access_key_id(),
        "AKIDfirst",
        "parsed once, as the official libraries do"
    );
    let cli = AliyunCliProfile::new().with_path(home.dir.path().join("absent.json"));
    let error = cli.provide().await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::Invalid, "an explicit path must exist: {error}");
}
