//! The official credential libraries as oracles: for the same files and environment, do cloudspec's
//! default chains choose the same source as `tencentcloud-sdk-python-common` 3.1.195 and
//! `alibabacloud-credentials` 1.0.12 (installed from PyPI into `tests/credentials-oracle/.venv` by
//! `tests/credentials-oracle/setup.sh`)?
//!
//! Each scenario is a temporary home directory and a few variables. `oracle.py` runs the official
//! chains in a process with exactly that environment and no network (it reports the source they would
//! call); cloudspec's chains run with the same `Environment`, their STS and metadata endpoints on a
//! local fake. Where cloudspec deliberately differs, the scenario says why, and both outcomes are
//! pinned: a change on either side fails the test. The README's credentials table lists the same
//! choices.

use std::path::Path;
use std::process::Stdio;

use cloudspec_fake::{FakeCloud, Metadata, Settings};
use cloudspec_runtime::{CredentialsErrorKind, DefaultCredentials, Environment, ProvideCredentials};

/// What each side chooses; `why` when they differ on purpose.
struct Expected {
    python: &'static str,
    ours: &'static str,
    why: &'static str,
}

const fn same(outcome: &'static str) -> Expected {
    Expected { python: outcome, ours: outcome, why: "" }
}

const fn differs(python: &'static str, ours: &'static str, why: &'static str) -> Expected {
    Expected { python, ours, why }
}

struct Scenario {
    name: &'static str,
    /// Files under the home directory; `@HOME@` in their text is the home directory.
    files: &'static [(&'static str, &'static str)],
    /// Variables; `@HOME@` is the home directory, `@URI@` the fake's credentials URI.
    vars: &'static [(&'static str, &'static str)],
    tencent: Expected,
    alibaba: Expected,
}

const NONE: Expected = same("none");

const HALF_SET: &str = "a variable set to an empty string beside its non-empty pair is reported, not skipped";
const TCCLI: &str = "cloudspec reads tccli's profiles after the SDK file; the SDKs never do";
const ORDER: &str = "cloudspec puts the pod's OIDC identity before the files, as Alibaba's chain does";

const SCENARIOS: &[Scenario] = &[
    Scenario { name: "nothing", files: &[], vars: &[], tencent: NONE, alibaba: NONE },
    Scenario {
        name: "environment",
        files: &[],
        vars: &[
            ("TENCENTCLOUD_SECRET_ID", "AKIDenv"),
            ("TENCENTCLOUD_SECRET_KEY", "envkey"),
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIenv"),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "envsecret"),
            ("ALIBABA_CLOUD_SECURITY_TOKEN", "envtoken"),
        ],
        tencent: same("static AKIDenv"),
        alibaba: same("static LTAIenv"),
    },
    Scenario {
        name: "environment with an empty secret",
        files: &[],
        vars: &[
            ("TENCENTCLOUD_SECRET_ID", "AKIDenv"),
            ("TENCENTCLOUD_SECRET_KEY", ""),
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIenv"),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", ""),
        ],
        tencent: differs("none", "invalid", HALF_SET),
        alibaba: differs("none", "invalid", HALF_SET),
    },
    Scenario {
        name: "environment with a padded id",
        files: &[],
        vars: &[("TENCENTCLOUD_SECRET_ID", "AKIDenv "), ("TENCENTCLOUD_SECRET_KEY", "envkey")],
        tencent: same("invalid"),
        alibaba: NONE,
    },
    Scenario {
        name: "Tencent SDK file",
        files: &[(
            ".tencentcloud/credentials",
            "[default]\nsecret_id = AKIDini\nsecret_key = inikey\n\n[other]\nsecret_id = AKIDother\nsecret_key = k\n",
        )],
        vars: &[],
        tencent: same("static AKIDini"),
        alibaba: NONE,
    },
    Scenario {
        name: "Tencent SDK file without [default]",
        files: &[(".tencentcloud/credentials", "[prod]\nsecret_id = AKIDprod\nsecret_key = k\n")],
        vars: &[],
        tencent: differs("crash AttributeError", "invalid", "a missing section is a clear error, not a crash"),
        alibaba: NONE,
    },
    Scenario {
        name: "environment before the Tencent SDK file",
        files: &[(".tencentcloud/credentials", "[default]\nsecret_id = AKIDini\nsecret_key = inikey\n")],
        vars: &[("TENCENTCLOUD_SECRET_ID", "AKIDenv"), ("TENCENTCLOUD_SECRET_KEY", "envkey")],
        tencent: same("static AKIDenv"),
        alibaba: NONE,
    },
    Scenario {
        name: "Tencent SDK file with a quoted id",
        files: &[(".tencentcloud/credentials", "[default]\nsecret_id = \"AKIDquoted\"\nsecret_key = k\n")],
        vars: &[],
        tencent: differs(
            "static \"AKIDquoted\"",
            "static AKIDquoted",
            "surrounding quotes are removed, as Go's ini.v1 does",
        ),
        alibaba: NONE,
    },
    Scenario {
        name: "Tencent SDK file with role_arn",
        files: &[(
            ".tencentcloud/credentials",
            "[default]\nsecret_id = AKIDini\nsecret_key = k\nrole_arn = qcs::cam::uin/1:roleName/ini\n",
        )],
        vars: &[],
        tencent: differs(
            "static AKIDini",
            "assume-role qcs::cam::uin/1:roleName/ini",
            "a role_arn is assumed; the Python SDK reads it and signs as the key",
        ),
        alibaba: NONE,
    },
    Scenario {
        name: "tccli profile named by TCCLI_PROFILE",
        files: &[
            (".tccli/default.credential", r#"{"secretId": "AKIDtccliDefault", "secretKey": "k1"}"#),
            (".tccli/dev.credential", r#"{"secretId": "AKIDtccliDev", "secretKey": "k2", "token": "devtok"}"#),
        ],
        vars: &[("TCCLI_PROFILE", "dev")],
        tencent: differs("none", "static AKIDtccliDev", TCCLI),
        alibaba: NONE,
    },
    Scenario {
        name: "TKE OIDC",
        files: &[("token", "eyJ.tke.token")],
        vars: &[
            ("TKE_REGION", "ap-shanghai"),
            ("TKE_PROVIDER_ID", "prov"),
            ("TKE_WEB_IDENTITY_TOKEN_FILE", "@HOME@/token"),
            ("TKE_ROLE_ARN", "qcs::cam::uin/1:roleName/tke"),
        ],
        tencent: same("oidc qcs::cam::uin/1:roleName/tke"),
        alibaba: NONE,
    },
    Scenario {
        name: "TKE OIDC beside the Tencent SDK file",
        files: &[
            ("token", "eyJ.tke.token"),
            (".tencentcloud/credentials", "[default]\nsecret_id = AKIDini\nsecret_key = k\n"),
        ],
        vars: &[
            ("TKE_REGION", "ap-shanghai"),
            ("TKE_PROVIDER_ID", "prov"),
            ("TKE_WEB_IDENTITY_TOKEN_FILE", "@HOME@/token"),
            ("TKE_ROLE_ARN", "qcs::cam::uin/1:roleName/tke"),
        ],
        tencent: differs("static AKIDini", "oidc qcs::cam::uin/1:roleName/tke", ORDER),
        alibaba: NONE,
    },
    Scenario {
        name: "aliyun CLI AK",
        files: &[(
            ".aliyun/config.json",
            r#"{"current": "default", "profiles": [{"name": "default", "mode": "AK", "access_key_id": "LTAIcliAK", "access_key_secret": "s"}]}"#,
        )],
        vars: &[],
        tencent: NONE,
        alibaba: same("static LTAIcliAK"),
    },
    Scenario {
        name: "aliyun CLI StsToken",
        files: &[(
            ".aliyun/config.json",
            r#"{"current": "default", "profiles": [{"name": "default", "mode": "StsToken", "access_key_id": "STS.cliSTS", "access_key_secret": "s", "sts_token": "tok"}]}"#,
        )],
        vars: &[],
        tencent: NONE,
        alibaba: same("static STS.cliSTS"),
    },
    Scenario {
        name: "aliyun CLI RamRoleArn",
        files: &[(
            ".aliyun/config.json",
            r#"{"current": "default", "profiles": [{"name": "default", "mode": "RamRoleArn", "access_key_id": "LTAIsrcAK", "access_key_secret": "s", "ram_role_arn": "acs:ram::123:role/r", "ram_session_name": "sess", "expired_seconds": 900, "sts_region": "cn-shanghai"}]}"#,
        )],
        vars: &[],
        tencent: NONE,
        alibaba: same("assume-role acs:ram::123:role/r"),
    },
    Scenario {
        name: "aliyun CLI EcsRamRole",
        files: &[(
            ".aliyun/config.json",
            r#"{"current": "default", "profiles": [{"name": "default", "mode": "EcsRamRole", "ram_role_name": "myrole"}]}"#,
        )],
        vars: &[],
        tencent: NONE,
        alibaba: same("metadata"),
    },
    Scenario {
        name: "aliyun CLI OIDC",
        files: &[
            ("token", "eyJ.cli.token"),
            (
                ".aliyun/config.json",
                r#"{"current": "default", "profiles": [{"name": "default", "mode": "OIDC", "ram_role_arn": "acs:ram::123:role/o", "oidc_provider_arn": "acs:ram::123:oidc-provider/p", "oidc_token_file": "@HOME@/token", "ram_session_name": "cli-written"}]}"#,
            ),
        ],
        vars: &[],
        tencent: NONE,
        alibaba: same("oidc acs:ram::123:role/o"),
    },
    Scenario {
        name: "aliyun CLI ChainableRamRoleArn",
        files: &[(
            ".aliyun/config.json",
            r#"{"current": "chain", "profiles": [{"name": "chain", "mode": "ChainableRamRoleArn", "source_profile": "base", "ram_role_arn": "acs:ram::123:role/c", "ram_session_name": "cs"}, {"name": "base", "mode": "AK", "access_key_id": "LTAIchainSrc", "access_key_secret": "s"}]}"#,
        )],
        vars: &[],
        tencent: NONE,
        alibaba: same("assume-role acs:ram::123:role/c"),
    },
    Scenario {
        name: "ALIBABA_CLOUD_PROFILE",
        files: &[(
            ".aliyun/config.json",
            r#"{"current": "default", "profiles": [{"name": "default", "mode": "AK", "access_key_id": "LTAIcurrentAK", "access_key_secret": "s"}, {"name": "other", "mode": "AK", "access_key_id": "LTAIotherAK", "access_key_secret": "s"}]}"#,
        )],
        vars: &[("ALIBABA_CLOUD_PROFILE", "other")],
        tencent: NONE,
        alibaba: same("static LTAIotherAK"),
    },
    Scenario {
        name: "aliyun CLI RsaKeyPair",
        files: &[(
            ".aliyun/config.json",
            r#"{"current": "default", "profiles": [{"name": "default", "mode": "RsaKeyPair", "access_key_id": "LTAIrsa", "access_key_secret": "s"}]}"#,
        )],
        vars: &[],
        tencent: NONE,
        alibaba: differs(
            "none",
            "invalid",
            "an unsupported mode stops the chain instead of falling through to another identity",
        ),
    },
    Scenario {
        name: "Alibaba SDK file without extension",
        files: &[(
            ".alibabacloud/credentials",
            "[default]\ntype = access_key\naccess_key_id = LTAIiniNoExt\naccess_key_secret = s\n",
        )],
        vars: &[],
        tencent: NONE,
        alibaba: differs(
            "none",
            "static LTAIiniNoExt",
            "both libraries' file names are read: Go's credentials, then Python's credentials.ini",
        ),
    },
    Scenario {
        name: "Alibaba SDK file credentials.ini",
        files: &[(
            ".alibabacloud/credentials.ini",
            "[default]\ntype = access_key   # inline comment\naccess_key_id = LTAIiniExt\naccess_key_secret = s\n",
        )],
        vars: &[],
        tencent: NONE,
        alibaba: same("static LTAIiniExt"),
    },
    Scenario {
        name: "Alibaba SDK file with % in a secret",
        files: &[(
            ".alibabacloud/credentials.ini",
            "[default]\ntype = access_key\naccess_key_id = LTAIpercent\naccess_key_secret = ab%cd\n",
        )],
        vars: &[],
        tencent: NONE,
        alibaba: differs(
            "none",
            "static LTAIpercent",
            "values are read as written; Python's configparser interpolates %",
        ),
    },
    Scenario {
        name: "ALIBABA_CLOUD_CREDENTIALS_FILE with ram_role_arn",
        files: &[(
            "custom.ini",
            "[client1]\ntype = ram_role_arn\naccess_key_id = LTAIcustSrc\naccess_key_secret = s\nrole_arn = acs:ram::1:role/x\nrole_session_name = n1\n",
        )],
        vars: &[("ALIBABA_CLOUD_CREDENTIALS_FILE", "@HOME@/custom.ini"), ("ALIBABA_CLOUD_PROFILE", "client1")],
        tencent: NONE,
        alibaba: same("assume-role acs:ram::1:role/x"),
    },
    Scenario {
        name: "Alibaba SDK file ecs_ram_role",
        files: &[(".alibabacloud/credentials.ini", "[default]\ntype = ecs_ram_role\nrole_name = myrole\n")],
        vars: &[],
        tencent: NONE,
        alibaba: same("metadata"),
    },
    Scenario {
        name: "RRSA",
        files: &[("token", "eyJ.rrsa.token")],
        vars: &[
            ("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/rrsa"),
            ("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "acs:ram::1:oidc-provider/ack"),
            ("ALIBABA_CLOUD_OIDC_TOKEN_FILE", "@HOME@/token"),
            ("ALIBABA_CLOUD_STS_REGION", "cn-beijing"),
        ],
        tencent: NONE,
        alibaba: same("oidc acs:ram::1:role/rrsa"),
    },
    Scenario {
        name: "credentials URI with the CLI profile and ECS off",
        files: &[(
            ".aliyun/config.json",
            r#"{"current": "default", "profiles": [{"name": "default", "mode": "AK", "access_key_id": "LTAIcliAK", "access_key_secret": "s"}]}"#,
        )],
        vars: &[
            ("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true"),
            ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true"),
            ("ALIBABA_CLOUD_CREDENTIALS_URI", "@URI@"),
        ],
        tencent: NONE,
        alibaba: same("uri"),
    },
];

/// cloudspec's choice, in `oracle.py`'s words.
async fn ours(fake: &FakeCloud, tencent: bool, env: Environment) -> String {
    let chain = if tencent { DefaultCredentials::tencent() } else { DefaultCredentials::alibaba() };
    let chain = chain.with_environment(env).with_sts_endpoint(fake.url()).with_metadata_endpoint(fake.url());
    match chain.provide().await {
        Ok(credentials) => match fake.issued().into_iter().find(|i| i.access_key_id == credentials.access_key_id()) {
            None => format!("static {}", credentials.access_key_id()),
            Some(issued) => match issued.issued_by.as_str() {
                "AssumeRole" => format!("assume-role {}", issued.role.unwrap_or_default()),
                "metadata" => "metadata".into(),
                "credentials-uri" => "uri".into(),
                _ => format!("oidc {}", issued.role.unwrap_or_default()),
            },
        },
        Err(error) if error.kind() == CredentialsErrorKind::NotConfigured => "none".into(),
        // A source chosen and then failing (a key STS does not know, a role the metadata service
        // lacks) is still the source chosen.
        Err(error) => {
            let source = error.source_name().unwrap_or_default();
            let role = || source.split(' ').nth(2).unwrap_or_default().to_string();
            if source.starts_with("AssumeRole of ") {
                format!("assume-role {}", role())
            } else if source.starts_with("AssumeRoleWith") {
                format!("oidc {}", role())
            } else if source.starts_with("ECS RAM role") || source.starts_with("CVM role") {
                "metadata".into()
            } else if source.starts_with("credentials URI") {
                "uri".into()
            } else {
                "invalid".into()
            }
        }
    }
}

/// The official chains' choice.
async fn official(root: &Path, home: &Path, vars: &[(String, String)]) -> serde_json::Value {
    let oracle = root.join("tests/credentials-oracle");
    let output = tokio::process::Command::new(oracle.join(".venv/bin/python"))
        .arg(oracle.join("oracle.py"))
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("LANG", "C.UTF-8")
        .env("HOME", home)
        .envs(vars.iter().map(|(k, v)| (k, v)))
        .current_dir(home)
        .stdin(Stdio::null())
        .output()
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    serde_json::from_str(stdout.trim()).unwrap_or_else(|_| {
        panic!(
            "oracle.py printed no answer ({}):\n{stdout}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_default_chains_choose_as_the_official_libraries_do_or_say_why_not() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let setup = tokio::process::Command::new("bash")
        .arg(root.join("tests/credentials-oracle/setup.sh"))
        .output()
        .await
        .unwrap();
    assert!(
        setup.status.success(),
        "tests/credentials-oracle/setup.sh failed:\n{}{}",
        String::from_utf8_lossy(&setup.stdout),
        String::from_utf8_lossy(&setup.stderr)
    );
    let specs = root.join("specs");
    let settings = Settings {
        rate_limits: false,
        metadata: Metadata { role: None, ..Metadata::default() },
        ..Settings::default()
    };
    let fake = FakeCloud::start_from(specs, "127.0.0.1:0".parse().unwrap(), settings).await.unwrap();
    let uri = format!("{}/_cloudspec/credentials-uri", fake.url());

    // The official libraries take a second or two per scenario: four at a time.
    let mut failures = Vec::new();
    for batch in SCENARIOS.chunks(4) {
        let mut runs = Vec::new();
        for scenario in batch {
            let home = tempfile::tempdir().unwrap();
            let place = |text: &str| text.replace("@HOME@", home.path().to_str().unwrap()).replace("@URI@", &uri);
            for (path, text) in scenario.files {
                let file = home.path().join(path);
                std::fs::create_dir_all(file.parent().unwrap()).unwrap();
                std::fs::write(file, place(text)).unwrap();
            }
            let vars: Vec<(String, String)> = scenario.vars.iter().map(|(k, v)| (k.to_string(), place(v))).collect();
            let (root, dir, python_vars) = (root.clone(), home.path().to_path_buf(), vars.clone());
            let python = tokio::spawn(async move { official(&root, &dir, &python_vars).await });
            runs.push((scenario, home, vars, python));
        }
        for (scenario, home, vars, python) in runs {
            let python = python.await.unwrap();
            let env = Environment::from_vars(
                vars.into_iter().chain([("HOME".to_string(), home.path().to_str().unwrap().to_string())]),
            );
            for (cloud, expected, tencent) in
                [("tencent", &scenario.tencent, true), ("alibaba", &scenario.alibaba, false)]
            {
                let theirs = python[cloud].as_str().unwrap_or_default().to_string();
                let ours = ours(&fake, tencent, env.clone()).await;
                if theirs != expected.python || ours != expected.ours {
                    failures.push(format!(
                        "{} ({cloud}): official `{theirs}` (expected `{}`), cloudspec `{ours}` (expected `{}`){}",
                        scenario.name,
                        expected.python,
                        expected.ours,
                        if expected.why.is_empty() { String::new() } else { format!(" — {}", expected.why) }
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} scenario(s) differ:\n{}", failures.len(), failures.join("\n"));
    let agreements = SCENARIOS.iter().flat_map(|s| [&s.tencent, &s.alibaba]).filter(|e| e.why.is_empty()).count();
    assert!(agreements >= 30, "most scenarios are agreements ({agreements})");
}
