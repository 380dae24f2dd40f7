//! Chains of sources: [`CredentialsChain`] tries sources in order and keeps to the first that
//! works; [`DefaultCredentials`] is each provider's official chain.

use std::sync::{Arc, OnceLock, RwLock};

use super::env::EnvCredentials;
use super::oidc::OidcRoleCredentials;
use super::profile::{AlibabaCredentialsFile, AliyunCliProfile, Context, TccliProfile, TencentCredentialsFile};
use super::uri::UriCredentials;
use super::{
    Cloud, Credentials, CredentialsError, CredentialsErrorKind, CredentialsFuture, Environment, ProvideCredentials,
};

/// Tries sources in order and keeps to the first that yields credentials.
///
/// A source that is [not configured](CredentialsErrorKind::NotConfigured) lets the chain move on; any
/// other error stops it — a broken profile is reported rather than passed over for another identity
/// (the official Alibaba chain passes over every error, so a `RamRoleArn` profile STS refuses falls
/// through to the instance role). When no source is configured, the error lists why each was not, on
/// one line. After a success the chain asks only that source (as the official chains do), so its
/// cached temporary credentials serve every later call; a first call that fails is tried afresh by
/// the next one. Clones share the choice.
#[derive(Debug, Clone)]
pub struct CredentialsChain {
    inner: Arc<ChainInner>,
}

#[derive(Debug)]
struct ChainInner {
    sources: Vec<Arc<dyn ProvideCredentials>>,
    chosen: RwLock<Option<Arc<dyn ProvideCredentials>>>,
    /// Held while the sources are tried, so concurrent first calls try them once.
    choosing: tokio::sync::Mutex<()>,
}

impl CredentialsChain {
    /// A chain of sources.
    pub fn new(sources: Vec<Arc<dyn ProvideCredentials>>) -> Self {
        CredentialsChain {
            inner: Arc::new(ChainInner { sources, chosen: RwLock::new(None), choosing: tokio::sync::Mutex::new(()) }),
        }
    }

    fn chosen(&self) -> Option<Arc<dyn ProvideCredentials>> {
        self.inner.chosen.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        if let Some(source) = self.chosen() {
            return source.provide().await;
        }
        let _choosing = self.inner.choosing.lock().await;
        if let Some(source) = self.chosen() {
            return source.provide().await;
        }
        let mut reasons = Vec::new();
        for (position, source) in self.inner.sources.iter().enumerate() {
            match source.provide().await {
                Ok(credentials) => {
                    let kind = std::any::type_name_of_val(&**source).rsplit("::").next().unwrap_or_default();
                    tracing::debug!(position, source = kind, "credentials found");
                    *self.inner.chosen.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(source.clone());
                    return Ok(credentials);
                }
                Err(error) if error.kind() == CredentialsErrorKind::NotConfigured => {
                    tracing::debug!("credentials source not configured: {error}");
                    reasons.push(error.to_string());
                }
                Err(error) => return Err(error),
            }
        }
        Err(CredentialsError {
            source_name: None,
            message: format!("no credentials found: {}", reasons.join("; ")),
            kind: CredentialsErrorKind::NotConfigured,
        })
    }
}

impl ProvideCredentials for CredentialsChain {
    fn provide(&self) -> CredentialsFuture<'_> {
        Box::pin(self.credentials())
    }
}

/// A provider's default chain: what a client uses when it is given no credentials.
///
/// | | Tencent Cloud | Alibaba Cloud |
/// | --- | --- | --- |
/// | 1 | [`EnvCredentials::TENCENT`] | [`EnvCredentials::ALIBABA`] |
/// | 2 | TKE OIDC ([`OidcRoleCredentials`]), when `TKE_PROVIDER_ID`, `TKE_WEB_IDENTITY_TOKEN_FILE` or `TKE_ROLE_ARN` is set | RRSA OIDC ([`OidcRoleCredentials`]), when `ALIBABA_CLOUD_OIDC_PROVIDER_ARN` or `ALIBABA_CLOUD_OIDC_TOKEN_FILE` is set |
/// | 3 | [`TencentCredentialsFile`] | [`AliyunCliProfile`] |
/// | 4 | [`TccliProfile`] | [`AlibabaCredentialsFile`] |
/// | 5 | [`CvmRoleCredentials`](super::CvmRoleCredentials) | [`EcsRamRoleCredentials`](super::EcsRamRoleCredentials), unless `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true` |
/// | 6 | | [`UriCredentials`], when `ALIBABA_CLOUD_CREDENTIALS_URI` is set |
///
/// The Alibaba order is the official libraries'. The Tencent SDKs disagree (Python: environment, INI
/// file, CVM role, TKE; Go: no TKE step; neither reads tccli's profiles): cloudspec puts the pod's
/// OIDC identity before the files and the instance role, as Alibaba does — on a TKE node with a CVM
/// role, the Python SDK signs as the node rather than the pod — and reads tccli's profiles after the
/// SDK file, so that a machine set up with tccli alone works.
///
/// The variables are read at the first call (or from [`with_environment`](Self::with_environment)).
/// Clones share the chosen source and its cached credentials.
#[derive(Debug, Clone)]
pub struct DefaultCredentials {
    cloud: Cloud,
    context: Context,
    chain: Arc<OnceLock<CredentialsChain>>,
}

impl DefaultCredentials {
    /// Tencent Cloud's chain.
    pub fn tencent() -> Self {
        DefaultCredentials::new(Cloud::Tencent)
    }

    /// Alibaba Cloud's chain.
    pub fn alibaba() -> Self {
        DefaultCredentials::new(Cloud::Alibaba)
    }

    pub(crate) fn new(cloud: Cloud) -> Self {
        DefaultCredentials { cloud, context: Context::default(), chain: Arc::new(OnceLock::new()) }
    }

    /// Reads variables and the home directory from `environment` instead of the process.
    pub fn with_environment(mut self, environment: Environment) -> Self {
        self.context.environment = environment;
        self.chain = Arc::new(OnceLock::new());
        self
    }

    /// Asks this instance metadata service (`http://127.0.0.1:8080` for a local fake) instead of the
    /// provider's.
    pub fn with_metadata_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.context.metadata_endpoint = Some(endpoint.into());
        self.chain = Arc::new(OnceLock::new());
        self
    }

    /// Sends every STS call (AssumeRole, OIDC) to this endpoint, a host or a URL, whatever the profiles
    /// and variables say.
    pub fn with_sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.context.sts_endpoint = Some(endpoint.into());
        self.chain = Arc::new(OnceLock::new());
        self
    }

    /// The chain's sources; an environment that configures one badly (half of the OIDC variables) is
    /// reported by a source that always fails with that error.
    fn sources(&self) -> Vec<Arc<dyn ProvideCredentials>> {
        let context = &self.context;
        let env = &context.environment;
        let mut sources: Vec<Arc<dyn ProvideCredentials>> =
            vec![Arc::new(EnvCredentials::of(self.cloud).with_environment(env.clone()))];
        let oidc = match self.cloud {
            Cloud::Tencent => OidcRoleCredentials::tke(env),
            Cloud::Alibaba => OidcRoleCredentials::rrsa(env),
        };
        match oidc {
            Ok(Some(oidc)) => {
                let endpoint = context.sts(oidc.endpoint().clone());
                sources.push(Arc::new(oidc.with_sts_endpoint(endpoint)));
            }
            Ok(None) => {}
            Err(error) => sources.push(Arc::new(Broken(error))),
        }
        match self.cloud {
            Cloud::Tencent => {
                sources.push(Arc::new(TencentCredentialsFile::new().with_context(context.clone())));
                sources.push(Arc::new(TccliProfile::new().with_context(context.clone())));
                sources.push(Arc::new(context.cvm(None)));
            }
            Cloud::Alibaba => {
                sources.push(Arc::new(AliyunCliProfile::new().with_context(context.clone())));
                sources.push(Arc::new(AlibabaCredentialsFile::new().with_context(context.clone())));
                if !env.is_true("ALIBABA_CLOUD_ECS_METADATA_DISABLED") {
                    sources.push(Arc::new(context.ecs(None)));
                }
                if let Some(uri) = env.var("ALIBABA_CLOUD_CREDENTIALS_URI") {
                    sources.push(Arc::new(UriCredentials::new(uri)));
                }
            }
        }
        sources
    }
}

impl ProvideCredentials for DefaultCredentials {
    fn provide(&self) -> CredentialsFuture<'_> {
        self.chain.get_or_init(|| CredentialsChain::new(self.sources())).provide()
    }
}

/// A source the environment configures badly: it reports that, every time.
#[derive(Debug)]
struct Broken(CredentialsError);

impl ProvideCredentials for Broken {
    fn provide(&self) -> CredentialsFuture<'_> {
        let error = self.0.clone();
        Box::pin(async move { Err(error) })
    }
}
