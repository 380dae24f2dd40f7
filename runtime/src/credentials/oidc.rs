//! A role assumed with an OIDC token from a file — the token Kubernetes projects into a pod — through
//! STS `AssumeRoleWithWebIdentity` (Tencent TKE) or `AssumeRoleWithOIDC` (Alibaba RRSA). The calls are
//! not signed: the token is the proof.
//!
//! The token file is read again at each refresh (Kubernetes rotates it), trimmed of surrounding
//! whitespace (a JWT has none; a hand-made file often ends with a line break), and never shown.

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

use super::cache::Cache;
use super::sts::{StsEndpoint, alibaba_credentials, failure, seconds, tencent_credentials};
use super::sts_generated::alibabacloud::sts::v20150401 as alibaba;
use super::sts_generated::tencentcloud::sts::v20180813 as tencent;
use super::{
    Cloud, Credentials, CredentialsError, CredentialsFuture, Environment, ProvideCredentials, default_session_name,
};

/// The most an OIDC token file may hold (Alibaba accepts tokens up to 20,000 characters).
const MAX_TOKEN_BYTES: u64 = 64 * 1024;

/// The temporary credentials of a role, for the holder of an OIDC token.
///
/// In the default chains: Tencent's TKE variables `TKE_REGION`, `TKE_PROVIDER_ID`,
/// `TKE_WEB_IDENTITY_TOKEN_FILE`, `TKE_ROLE_ARN`; Alibaba's RRSA variables `ALIBABA_CLOUD_ROLE_ARN`,
/// `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`, `ALIBABA_CLOUD_OIDC_TOKEN_FILE` (with
/// `ALIBABA_CLOUD_ROLE_SESSION_NAME`, `ALIBABA_CLOUD_STS_REGION` and
/// `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED`). The Tencent request goes to the TKE region (the official Go
/// SDK sends `ap-guangzhou` whatever `TKE_REGION` says, which is a bug).
#[derive(Debug)]
pub struct OidcRoleCredentials {
    cloud: Cloud,
    provider: String,
    role_arn: String,
    token_file: PathBuf,
    session_name: Option<String>,
    duration: Option<Duration>,
    policy: Option<String>,
    endpoint: StsEndpoint,
    client: OnceLock<crate::Client>,
    cache: Cache,
}

impl OidcRoleCredentials {
    /// Tencent Cloud `AssumeRoleWithWebIdentity`: the identity provider's name (`ProviderId`), the
    /// role, and the token's file.
    pub fn tencent(
        provider_id: impl Into<String>,
        role_arn: impl Into<String>,
        token_file: impl Into<PathBuf>,
    ) -> Self {
        OidcRoleCredentials::new(Cloud::Tencent, provider_id.into(), role_arn.into(), token_file.into())
    }

    /// Alibaba Cloud `AssumeRoleWithOIDC`: the OIDC provider's ARN, the role, and the token's file.
    pub fn alibaba(
        provider_arn: impl Into<String>,
        role_arn: impl Into<String>,
        token_file: impl Into<PathBuf>,
    ) -> Self {
        OidcRoleCredentials::new(Cloud::Alibaba, provider_arn.into(), role_arn.into(), token_file.into())
    }

    fn new(cloud: Cloud, provider: String, role_arn: String, token_file: PathBuf) -> Self {
        OidcRoleCredentials {
            cloud,
            provider,
            role_arn,
            token_file,
            session_name: None,
            duration: None,
            policy: None,
            endpoint: StsEndpoint::default(),
            client: OnceLock::new(),
            cache: Cache::default(),
        }
    }

    /// The role session's name (default `cloudspec-<Unix milliseconds>`, new at each refresh).
    pub fn with_session_name(mut self, name: impl Into<String>) -> Self {
        self.session_name = Some(name.into());
        self
    }

    /// How long the credentials live (`DurationSeconds`).
    pub fn with_duration(mut self, duration: Duration) -> Self {
        self.duration = Some(duration);
        self
    }

    /// Alibaba: a policy that narrows the role's permissions (`Policy`).
    pub fn with_policy(mut self, policy: impl Into<String>) -> Self {
        self.policy = Some(policy.into());
        self
    }

    /// The STS endpoint: a host or a URL (`http://127.0.0.1:8080` for a local fake).
    pub fn with_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint.url = Some(endpoint.into());
        self
    }

    /// The region: Tencent's `X-TC-Region` (the TKE region); for Alibaba, the regional host.
    pub fn with_region(mut self, region: impl Into<String>) -> Self {
        self.endpoint.region = Some(region.into());
        self
    }

    /// Alibaba: the VPC host `sts-vpc.<region>.aliyuncs.com` (with a region).
    pub fn with_vpc_endpoint(mut self, vpc: bool) -> Self {
        self.endpoint.vpc = vpc;
        self
    }

    pub(crate) fn with_sts_endpoint(mut self, endpoint: StsEndpoint) -> Self {
        self.endpoint = endpoint;
        self
    }

    pub(crate) fn endpoint(&self) -> &StsEndpoint {
        &self.endpoint
    }

    /// The TKE variables, when any of them is set: `Ok(None)` when none is (`TKE_REGION` alone does
    /// not count), an error naming those missing when some are.
    pub(crate) fn tke(environment: &Environment) -> Result<Option<OidcRoleCredentials>, CredentialsError> {
        const VARS: [&str; 4] = ["TKE_REGION", "TKE_PROVIDER_ID", "TKE_WEB_IDENTITY_TOKEN_FILE", "TKE_ROLE_ARN"];
        let values: Vec<Option<String>> = VARS.iter().map(|name| environment.var(name)).collect();
        if values[1..].iter().all(Option::is_none) {
            return Ok(None);
        }
        let missing: Vec<&str> = VARS.iter().zip(&values).filter(|(_, v)| v.is_none()).map(|(name, _)| *name).collect();
        let [Some(region), Some(provider), Some(file), Some(role)] =
            <[Option<String>; 4]>::try_from(values).unwrap_or_default()
        else {
            return Err(CredentialsError::invalid(
                "TKE OIDC role (environment)",
                format!("{} not set", missing.join(", ")),
            ));
        };
        Ok(Some(OidcRoleCredentials::tencent(provider, role, file).with_region(region)))
    }

    /// The RRSA variables, when `ALIBABA_CLOUD_OIDC_PROVIDER_ARN` or `ALIBABA_CLOUD_OIDC_TOKEN_FILE` is
    /// set (`ALIBABA_CLOUD_ROLE_ARN` alone is a RamRoleArn default, not an OIDC setting); an error
    /// naming those missing when some are.
    pub(crate) fn rrsa(environment: &Environment) -> Result<Option<OidcRoleCredentials>, CredentialsError> {
        const VARS: [&str; 3] =
            ["ALIBABA_CLOUD_ROLE_ARN", "ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "ALIBABA_CLOUD_OIDC_TOKEN_FILE"];
        let values: Vec<Option<String>> = VARS.iter().map(|name| environment.var(name)).collect();
        if values[1..].iter().all(Option::is_none) {
            return Ok(None);
        }
        let missing: Vec<&str> = VARS.iter().zip(&values).filter(|(_, v)| v.is_none()).map(|(name, _)| *name).collect();
        let [Some(role), Some(provider), Some(file)] = <[Option<String>; 3]>::try_from(values).unwrap_or_default()
        else {
            return Err(CredentialsError::invalid(
                "RRSA OIDC role (environment)",
                format!("{} not set", missing.join(", ")),
            ));
        };
        let mut source = OidcRoleCredentials::alibaba(provider, role, file);
        source.session_name = environment.var("ALIBABA_CLOUD_ROLE_SESSION_NAME");
        source.endpoint = StsEndpoint::from_alibaba_environment(environment);
        Ok(Some(source))
    }

    fn name(&self) -> String {
        let action = if self.cloud == Cloud::Tencent { "AssumeRoleWithWebIdentity" } else { "AssumeRoleWithOIDC" };
        format!("{action} of {} (STS {})", self.role_arn, self.endpoint.shown(self.cloud))
    }

    /// The token, read now.
    fn token(&self, name: &str) -> Result<String, CredentialsError> {
        let path = self.token_file.display();
        let read = std::fs::metadata(&self.token_file).and_then(|meta| {
            if meta.len() > MAX_TOKEN_BYTES {
                return Err(std::io::Error::other(format!("it is larger than {} KiB", MAX_TOKEN_BYTES / 1024)));
            }
            std::fs::read_to_string(&self.token_file)
        });
        let token =
            read.map_err(|e| CredentialsError::invalid(name, format!("cannot read the token file {path}: {e}")))?;
        let token = token.trim();
        if token.is_empty() {
            return Err(CredentialsError::invalid(name, format!("the token file {path} is empty")));
        }
        Ok(token.to_string())
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let name = self.name();
        let token = self.token(&name)?;
        let session = self.session_name.clone().unwrap_or_else(default_session_name);
        let client = self.client.get_or_init(|| self.endpoint.client(self.cloud, None)).clone();
        match self.cloud {
            Cloud::Tencent => {
                let mut builder = tencent::AssumeRoleWithWebIdentityRequest::builder()
                    .provider_id(&self.provider)
                    .web_identity_token(token)
                    .role_arn(&self.role_arn)
                    .role_session_name(session);
                if let Some(duration) = self.duration {
                    builder = builder.duration_seconds(seconds(duration));
                }
                let request = builder.build().map_err(|e| CredentialsError::invalid(&name, e.to_string()))?;
                let response = tencent::Client::from_runtime(client)
                    .assume_role_with_web_identity(request)
                    .await
                    .map_err(|e| failure(&name, "AssumeRoleWithWebIdentity", e))?;
                tencent_credentials(&name, response.credentials, response.expired_time)
            }
            Cloud::Alibaba => {
                let mut builder = alibaba::AssumeRoleWithOidcRequest::builder()
                    .oidc_provider_arn(&self.provider)
                    .oidc_token(token)
                    .role_arn(&self.role_arn)
                    .role_session_name(session);
                if let Some(duration) = self.duration {
                    builder = builder.duration_seconds(seconds(duration));
                }
                if let Some(policy) = &self.policy {
                    builder = builder.policy(policy);
                }
                let request = builder.build().map_err(|e| CredentialsError::invalid(&name, e.to_string()))?;
                let response = alibaba::Client::from_runtime(client)
                    .assume_role_with_oidc(request)
                    .await
                    .map_err(|e| failure(&name, "AssumeRoleWithOIDC", e))?;
                let c = response.credentials;
                alibaba_credentials(&name, c.access_key_id, &c.access_key_secret, &c.security_token, &c.expiration)
            }
        }
    }
}

impl ProvideCredentials for OidcRoleCredentials {
    fn provide(&self) -> CredentialsFuture<'_> {
        Box::pin(async move { self.cache.get(&self.name(), || self.fetch()).await })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::CredentialsErrorKind;

    #[test]
    fn the_environment_configures_it_only_when_it_means_to() {
        let env = |vars: &[(&str, &str)]| Environment::from_vars(vars.iter().copied());
        assert!(OidcRoleCredentials::tke(&env(&[("TKE_REGION", "ap-shanghai")])).unwrap().is_none());
        let partial = OidcRoleCredentials::tke(&env(&[("TKE_ROLE_ARN", "r")])).unwrap_err();
        assert_eq!(partial.kind(), CredentialsErrorKind::Invalid);
        assert!(
            partial.to_string().contains("TKE_REGION, TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE not set"),
            "{partial}"
        );
        let all = [
            ("TKE_REGION", "ap-shanghai"),
            ("TKE_PROVIDER_ID", "p"),
            ("TKE_WEB_IDENTITY_TOKEN_FILE", "/t"),
            ("TKE_ROLE_ARN", "r"),
        ];
        let tke = OidcRoleCredentials::tke(&env(&all)).unwrap().unwrap();
        assert_eq!(tke.endpoint.region.as_deref(), Some("ap-shanghai"));
        assert!(OidcRoleCredentials::rrsa(&env(&[("ALIBABA_CLOUD_ROLE_ARN", "r")])).unwrap().is_none());
        let rrsa = [
            ("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/r"),
            ("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "acs:ram::1:oidc-provider/p"),
            ("ALIBABA_CLOUD_OIDC_TOKEN_FILE", "/t"),
            ("ALIBABA_CLOUD_STS_REGION", "cn-beijing"),
            ("ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED", "true"),
        ];
        let source = OidcRoleCredentials::rrsa(&env(&rrsa)).unwrap().unwrap();
        assert_eq!(
            source.name(),
            "AssumeRoleWithOIDC of acs:ram::1:role/r (STS https://sts-vpc.cn-beijing.aliyuncs.com/)"
        );
    }

    #[test]
    fn a_missing_token_file_is_named_and_its_content_never_shown() {
        let source = OidcRoleCredentials::alibaba("p", "r", "/nonexistent/cloudspec/token");
        let error = source.token("n").unwrap_err();
        assert!(error.to_string().contains("/nonexistent/cloudspec/token"), "{error}");
        let dir = std::env::temp_dir().join(format!("cloudspec-oidc-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("token");
        std::fs::write(&file, "eyJ.secret.jwt\n").unwrap();
        let source = OidcRoleCredentials::tencent("p", "r", &file);
        assert_eq!(source.token("n").unwrap(), "eyJ.secret.jwt");
        assert!(!format!("{source:?}").contains("eyJ"));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
