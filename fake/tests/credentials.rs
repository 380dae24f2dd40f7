//! The temporary credentials the fake hands out — STS of both providers, the instance metadata
//! services, the credentials URI — driven by the runtime's own credential sources on 127.0.0.1: what
//! is issued is accepted for signed calls (here an `AssumeRole` signed with the previous one), only
//! with its token and only until it expires; the OIDC actions go unsigned; the Alibaba metadata
//! service's token modes behave as ECS's.

use std::sync::Arc;
use std::time::Duration;

use cloudspec_fake::{DEFAULT_ID, DEFAULT_SECRET, FakeCloud, ImdsToken, Metadata, Settings};
use cloudspec_runtime::{
    AssumeRoleCredentials, Credentials, CredentialsErrorKind, CvmRoleCredentials, EcsRamRoleCredentials,
    OidcRoleCredentials, ProvideCredentials, UriCredentials,
};
use sha2::{Digest, Sha256};

async fn fake() -> FakeCloud {
    let specs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let settings = Settings { rate_limits: false, ..Settings::default() };
    FakeCloud::start_from(specs, "127.0.0.1:0".parse().unwrap(), settings).await.unwrap()
}

fn long_term() -> Credentials {
    Credentials::new(DEFAULT_ID, DEFAULT_SECRET).unwrap()
}

#[tokio::test]
async fn assumed_roles_sign_calls_with_their_token_until_they_expire() {
    let fake = fake().await;
    for (tencent, role) in [(true, "qcs::cam::uin/100:roleName/first"), (false, "acs:ram::100:role/first")] {
        let assume = |source: Credentials, role: &str| {
            let source = if tencent {
                AssumeRoleCredentials::tencent(source, role)
            } else {
                AssumeRoleCredentials::alibaba(source, role)
            };
            source.with_endpoint(fake.url()).with_session_name("fake-test")
        };
        let first = assume(long_term(), role).provide().await.unwrap();
        assert!(first.session_token().is_some() && first.expiry().is_some());
        // Signed with the temporary credentials, token included: accepted.
        let second = assume(first.clone(), "acs:ram::100:role/second").provide().await.unwrap();
        let issued = fake.issued();
        let chained = issued.iter().find(|i| i.access_key_id == second.access_key_id()).unwrap();
        assert_eq!(chained.source_access_key_id.as_deref(), Some(first.access_key_id()));
        assert_eq!(chained.session_name.as_deref(), Some("fake-test"));
        // Without the token, or with another one: refused with the provider's code.
        let bare = Credentials::new(first.access_key_id(), first.secret().expose_secret()).unwrap();
        let wrong = bare.clone().with_session_token("not-the-token").unwrap();
        for (source, code) in [
            (bare, if tencent { "AuthFailure.TokenFailure" } else { "MissingSecurityToken" }),
            (wrong, if tencent { "AuthFailure.TokenFailure" } else { "InvalidSecurityToken.MismatchWithAccessKey" }),
        ] {
            let error = assume(source, role).provide().await.unwrap_err();
            assert_eq!(error.kind(), CredentialsErrorKind::Invalid, "{error}");
            assert!(error.to_string().contains(code), "{error}");
        }
    }
    // Expired: refused.
    fake.set_temporary_lifetime(Some(Duration::from_secs(2)));
    let short = AssumeRoleCredentials::alibaba(long_term(), "acs:ram::100:role/short").with_endpoint(fake.url());
    let short = short.provide().await.unwrap();
    tokio::time::sleep(Duration::from_millis(2200)).await;
    let error = AssumeRoleCredentials::alibaba(short, "acs:ram::100:role/x").with_endpoint(fake.url()).provide().await;
    assert!(error.unwrap_err().to_string().contains("InvalidSecurityToken.Expired"));
}

#[tokio::test]
async fn oidc_roles_are_assumed_unsigned_with_the_token_of_the_file() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("token");
    std::fs::write(&file, "eyJhbGciOiJSUzI1NiJ9.fake-payload.fake-signature\n").unwrap();
    let digest = hex::encode(Sha256::digest(b"eyJhbGciOiJSUzI1NiJ9.fake-payload.fake-signature"));
    let sources: [Arc<dyn ProvideCredentials>; 2] = [
        Arc::new(
            OidcRoleCredentials::tencent("OIDC", "qcs::cam::uin/100:roleName/pod", &file).with_endpoint(fake.url()),
        ),
        Arc::new(
            OidcRoleCredentials::alibaba("acs:ram::100:oidc-provider/ack", "acs:ram::100:role/pod", &file)
                .with_endpoint(fake.url()),
        ),
    ];
    for source in sources {
        let credentials = source.provide().await.unwrap();
        let issued = fake.issued().into_iter().find(|i| i.access_key_id == credentials.access_key_id()).unwrap();
        assert_eq!(issued.oidc_token_sha256.as_deref(), Some(digest.as_str()), "the file's token, trimmed");
        assert!(issued.source_access_key_id.is_none(), "unsigned");
    }
    for action in ["AssumeRoleWithWebIdentity", "AssumeRoleWithOIDC"] {
        let entry = fake.log().into_iter().find(|e| e.action.as_deref() == Some(action)).unwrap();
        assert!(entry.processed && entry.access_key_id.is_none(), "{entry:?}");
    }
}

#[tokio::test]
async fn the_metadata_services_hand_out_the_instance_role() {
    let fake = fake().await;
    let cvm = CvmRoleCredentials::new().with_endpoint(fake.url()).provide().await.unwrap();
    let issued = fake.issued().into_iter().find(|i| i.access_key_id == cvm.access_key_id()).unwrap();
    assert_eq!((issued.issued_by.as_str(), issued.role.as_deref()), ("metadata", Some("cloudspec-fake-role")));
    let ecs = EcsRamRoleCredentials::new().with_endpoint(fake.url());
    assert!(ecs.provide().await.unwrap().session_token().is_some());
    let tokens = |fake: &FakeCloud| fake.log().iter().filter(|e| e.action.as_deref() == Some("MetadataToken")).count();
    assert_eq!(tokens(&fake), 1, "one token per refresh");

    // Tokens required: the source has one, so it works.
    fake.set_metadata(Metadata { role: Some("r".into()), token: ImdsToken::Required });
    let required = EcsRamRoleCredentials::new().with_endpoint(fake.url()).with_imds_v1(false);
    assert!(required.provide().await.is_ok());
    // Tokens refused: IMDSv1 goes on without one, unless it is disabled.
    fake.set_metadata(Metadata { role: Some("r".into()), token: ImdsToken::Refused });
    assert!(EcsRamRoleCredentials::new().with_endpoint(fake.url()).provide().await.is_ok());
    let strict = EcsRamRoleCredentials::new().with_endpoint(fake.url()).with_imds_v1(false).provide().await;
    let error = strict.unwrap_err();
    assert!(error.to_string().contains("HTTP 403, and IMDSv1 is disabled"), "{error}");
    // No role bound: not configured, so a chain moves on.
    fake.set_metadata(Metadata { role: None, token: ImdsToken::Optional });
    for source in [
        Arc::new(CvmRoleCredentials::new().with_endpoint(fake.url())) as Arc<dyn ProvideCredentials>,
        Arc::new(EcsRamRoleCredentials::new().with_endpoint(fake.url())),
    ] {
        let error = source.provide().await.unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::NotConfigured, "{error}");
        assert!(error.to_string().contains("role"), "{error}");
    }
}

#[tokio::test]
async fn the_credentials_uri_serves_alibaba_shaped_credentials() {
    let fake = fake().await;
    let uri = format!("{}/_cloudspec/credentials-uri", fake.url());
    let credentials = UriCredentials::new(&uri).provide().await.unwrap();
    assert!(credentials.access_key_id().starts_with("STS.") && credentials.expiry().is_some());
    let signed = AssumeRoleCredentials::alibaba(credentials, "acs:ram::100:role/x").with_endpoint(fake.url());
    assert!(signed.provide().await.is_ok(), "the fake accepts what it handed out");
}
