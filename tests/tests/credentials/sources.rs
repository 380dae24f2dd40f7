//! Every source of both default chains, one scenario each (a home directory and variables), signs a
//! call the fake verifies, as the key or the temporary credentials the scenario expects.

use std::time::SystemTime;

use cloudspec_apis::Credentials;
use cloudspec_runtime::AssumeRoleCredentials;

use super::*;

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
