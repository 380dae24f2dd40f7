//! Alibaba Cloud's profile files: the aliyun CLI's `~/.aliyun/config.json` ([`AliyunCliProfile`]) and
//! the SDKs' INI file ([`AlibabaCredentialsFile`]).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use super::ini::{Ini, Section};
use super::{Built, Context, listing, locate};
use crate::credentials::sts::StsEndpoint;
use crate::credentials::{
    AssumeRoleCredentials, Cloud, Credentials, CredentialsError, CredentialsFuture, Environment, OidcRoleCredentials,
    ProvideCredentials, UriCredentials,
};

/// The modes of `config.json` cloudspec reads, for messages.
const MODES: &str =
    "AK, StsToken, RamRoleArn, EcsRamRole, OIDC, ChainableRamRoleArn, RamRoleArnWithRoleName, CredentialsURI";

/// A profile of the aliyun CLI's `~/.aliyun/config.json` (or the file `ALIBABA_CLOUD_CONFIG_FILE`
/// names, as the Go library reads it): the profile `ALIBABA_CLOUD_PROFILE` names, else the file's
/// `current`. `ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true` skips the file.
///
/// Every mode the CLI writes that can be honoured without running its sign-in flows:
///
/// | `mode` | becomes |
/// | --- | --- |
/// | `AK` | `access_key_id`, `access_key_secret` |
/// | `StsToken` | the same and `sts_token` |
/// | `RamRoleArn` | [`AssumeRoleCredentials`] of `ram_role_arn`, signed with the profile's key (and its `sts_token`, as the CLI does) |
/// | `EcsRamRole` | the instance's RAM role (`ram_role_name`, else discovered) |
/// | `OIDC` | [`OidcRoleCredentials`] of `ram_role_arn`, `oidc_provider_arn`, `oidc_token_file` |
/// | `ChainableRamRoleArn` | [`AssumeRoleCredentials`] signed with the credentials of `source_profile` (any mode; a loop is an error) |
/// | `RamRoleArnWithRoleName` | [`AssumeRoleCredentials`] signed with the instance's RAM role `ram_role_name` |
/// | `CredentialsURI` | [`UriCredentials`] of `credentials_uri` (else `ALIBABA_CLOUD_CREDENTIALS_URI`) |
///
/// Role sessions: `ram_session_name` (the CLI's key; for `OIDC` the Python library reads
/// `role_session_name`, which is read second), else `ALIBABA_CLOUD_ROLE_SESSION_NAME`; `expired_seconds`
/// (default 3600), `policy`, `external_id`. STS: `sts_endpoint` (the CLI's key), else `sts_region` with
/// `enable_vpc`, else `ALIBABA_CLOUD_STS_ENDPOINT`, `ALIBABA_CLOUD_STS_REGION`,
/// `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED`, else `sts.aliyuncs.com`. Modes compare without regard to case,
/// as the CLI compares them. Any other mode (`CloudSSO`, `OAuth`, `External`, `RsaKeyPair`,
/// `BearerToken`, …) is refused by name, and so is a profile without a mode: nothing is half-read.
#[derive(Debug, Default)]
pub struct AliyunCliProfile {
    path: Option<PathBuf>,
    profile: Option<String>,
    context: Context,
    built: Built,
}

impl AliyunCliProfile {
    /// The profile of the process's environment.
    pub fn new() -> Self {
        AliyunCliProfile::default()
    }

    /// This file, wherever the environment points.
    pub fn with_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// This profile, whatever `ALIBABA_CLOUD_PROFILE` and the file's `current` say.
    pub fn with_profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into());
        self
    }

    /// Reads variables and the home directory from `environment`.
    pub fn with_environment(mut self, environment: Environment) -> Self {
        self.context.environment = environment;
        self
    }

    /// Sends every STS call of the profile to this endpoint (a host or a URL).
    pub fn with_sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.context.sts_endpoint = Some(endpoint.into());
        self
    }

    /// Asks this metadata service for an instance role.
    pub fn with_metadata_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.context.metadata_endpoint = Some(endpoint.into());
        self
    }

    pub(crate) fn with_context(mut self, context: Context) -> Self {
        self.context = context;
        self
    }

    fn build(&self) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
        const NAME: &str = "Alibaba CLI profile";
        let env = &self.context.environment;
        if self.path.is_none() && env.is_true("ALIBABA_CLOUD_CLI_PROFILE_DISABLED") {
            return Err(CredentialsError::not_configured(NAME, "skipped (ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true)"));
        }
        let mut candidates: Vec<PathBuf> = self.path.iter().cloned().collect();
        if self.path.is_none() {
            candidates.extend(env.home().map(|home| home.join(".aliyun/config.json")));
        }
        let variable = if self.path.is_some() { "" } else { "ALIBABA_CLOUD_CONFIG_FILE" };
        let Some((path, text)) = locate(env, variable, &candidates).map_err(|e| CredentialsError::invalid(NAME, e))?
        else {
            if let Some(path) = &self.path {
                return Err(CredentialsError::invalid(NAME, format!("{} does not exist", path.display())));
            }
            return Err(CredentialsError::not_configured(NAME, "no ~/.aliyun/config.json"));
        };
        let file = format!("Alibaba CLI config {}", path.display());
        let json: Value = serde_json::from_str(&text).map_err(|e| {
            // Never the parser's own message: it may quote the file, secrets included.
            CredentialsError::invalid(&file, format!("not JSON (line {}, column {})", e.line(), e.column()))
        })?;
        let profiles = json.get("profiles").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
        if profiles.is_empty() {
            return Err(CredentialsError::not_configured(&file, "has no profiles"));
        }
        let (wanted, from_variable) = match (&self.profile, env.var("ALIBABA_CLOUD_PROFILE")) {
            (Some(profile), _) => (profile.clone(), false),
            (None, Some(profile)) => (profile, true),
            (None, None) => (text_of(&json, "current").unwrap_or_else(|| "default".into()), false),
        };
        let cli = Cli { path: &path, profiles, context: &self.context };
        if cli.profile(&wanted).is_none() && from_variable {
            // The variable also names a section of the INI file: the next source may have it.
            let message = format!("has no profile `{wanted}` (ALIBABA_CLOUD_PROFILE){}", listing(&cli.names()));
            return Err(CredentialsError::not_configured(file, message));
        }
        cli.source(&wanted, &mut Vec::new())
    }
}

impl ProvideCredentials for AliyunCliProfile {
    fn provide(&self) -> CredentialsFuture<'_> {
        Box::pin(async move { self.built.get(|| self.build())?.provide().await })
    }
}

/// One `config.json`, resolving profiles into sources.
struct Cli<'a> {
    path: &'a Path,
    profiles: &'a [Value],
    context: &'a Context,
}

impl Cli<'_> {
    fn profile(&self, name: &str) -> Option<&Value> {
        self.profiles.iter().find(|p| p.get("name").and_then(Value::as_str) == Some(name))
    }

    fn names(&self) -> Vec<&str> {
        self.profiles.iter().filter_map(|p| p.get("name").and_then(Value::as_str)).collect()
    }

    /// The source profile `name` becomes; `chain` holds the profiles that led here (for loops).
    fn source(&self, name: &str, chain: &mut Vec<String>) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
        let source_name = format!("Alibaba CLI profile `{name}` ({})", self.path.display());
        let invalid = |message: String| CredentialsError::invalid(&source_name, message);
        if chain.iter().any(|seen| seen == name) {
            chain.push(name.to_string());
            return Err(invalid(format!("source_profile loop: {}", chain.join(" → "))));
        }
        chain.push(name.to_string());
        let Some(profile) = self.profile(name) else {
            return Err(invalid(format!("no such profile{}", listing(&self.names()))));
        };
        let field = |key: &str| text_of(profile, key);
        let required = |key: &str| field(key).ok_or_else(|| invalid(format!("has no `{key}`")));
        let Some(mode) = field("mode") else {
            return Err(invalid(format!("has no `mode` (the aliyun CLI writes one of {MODES})")));
        };
        let env = &self.context.environment;
        let key = || -> Result<Credentials, CredentialsError> {
            Credentials::new(required("access_key_id")?, required("access_key_secret")?)
                .map_err(|e| e.attributed_to(&source_name))
        };
        let source: Arc<dyn ProvideCredentials> = match mode.to_ascii_lowercase().as_str() {
            "ak" => Arc::new(key()?),
            "ststoken" => {
                Arc::new(key()?.with_session_token(required("sts_token")?).map_err(|e| e.attributed_to(&source_name))?)
            }
            "ramrolearn" => {
                let mut credentials = key()?;
                if let Some(token) = field("sts_token") {
                    credentials = credentials.with_session_token(token).map_err(|e| e.attributed_to(&source_name))?;
                }
                Arc::new(self.assume(profile, Arc::new(credentials), &source_name)?)
            }
            "chainableramrolearn" => {
                let upstream = self.source(&required("source_profile")?, chain)?;
                Arc::new(self.assume(profile, upstream, &source_name)?)
            }
            "ramrolearnwithrolename" => {
                let instance = Arc::new(self.context.ecs(field("ram_role_name").as_deref()));
                Arc::new(self.assume(profile, instance, &source_name)?)
            }
            "ecsramrole" => Arc::new(self.context.ecs(field("ram_role_name").as_deref())),
            "oidc" => {
                let mut oidc = OidcRoleCredentials::alibaba(
                    required("oidc_provider_arn")?,
                    required("ram_role_arn")?,
                    required("oidc_token_file")?,
                );
                let session = field("ram_session_name")
                    .or_else(|| field("role_session_name"))
                    .or_else(|| env.var("ALIBABA_CLOUD_ROLE_SESSION_NAME"));
                if let Some(session) = session {
                    oidc = oidc.with_session_name(session);
                }
                if let Some(duration) = duration(profile, &source_name)? {
                    oidc = oidc.with_duration(duration);
                }
                if let Some(policy) = field("policy") {
                    oidc = oidc.with_policy(policy);
                }
                Arc::new(oidc.with_sts_endpoint(self.context.sts(endpoint(profile, env))))
            }
            "credentialsuri" => {
                let uri = field("credentials_uri").or_else(|| env.var("ALIBABA_CLOUD_CREDENTIALS_URI"));
                Arc::new(UriCredentials::new(uri.ok_or_else(|| invalid("has no `credentials_uri`".into()))?))
            }
            _ => {
                return Err(invalid(format!(
                    "mode `{mode}` is not supported (cloudspec reads {MODES}); choose another profile with \
                     ALIBABA_CLOUD_PROFILE, or skip the file with ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true"
                )));
            }
        };
        tracing::debug!(source = %source_name, mode, "profile read");
        Ok(source)
    }

    /// The AssumeRole of a `RamRoleArn`-like profile, signed by `upstream`.
    fn assume(
        &self,
        profile: &Value,
        upstream: Arc<dyn ProvideCredentials>,
        name: &str,
    ) -> Result<AssumeRoleCredentials, CredentialsError> {
        let env = &self.context.environment;
        let role =
            text_of(profile, "ram_role_arn").ok_or_else(|| CredentialsError::invalid(name, "has no `ram_role_arn`"))?;
        let mut assume = AssumeRoleCredentials::with_source(Cloud::Alibaba, upstream, role)
            .with_sts_endpoint(self.context.sts(endpoint(profile, env)));
        if let Some(session) =
            text_of(profile, "ram_session_name").or_else(|| env.var("ALIBABA_CLOUD_ROLE_SESSION_NAME"))
        {
            assume = assume.with_session_name(session);
        }
        assume = assume.with_duration(duration(profile, name)?.unwrap_or(Duration::from_secs(3600)));
        if let Some(policy) = text_of(profile, "policy") {
            assume = assume.with_policy(policy);
        }
        if let Some(external_id) = text_of(profile, "external_id") {
            assume = assume.with_external_id(external_id);
        }
        Ok(assume)
    }
}

/// A string field, non-empty.
fn text_of(json: &Value, key: &str) -> Option<String> {
    json.get(key).and_then(Value::as_str).filter(|v| !v.is_empty()).map(str::to_string)
}

/// `expired_seconds`: a number (the CLI writes one) or a string of one.
fn duration(profile: &Value, name: &str) -> Result<Option<Duration>, CredentialsError> {
    match profile.get("expired_seconds") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) if n.as_u64().is_some_and(|s| s > 0) => Ok(n.as_u64().map(Duration::from_secs)),
        Some(Value::Number(n)) if n.as_u64() == Some(0) => Ok(None),
        Some(Value::String(s)) if s.trim().parse::<u64>().is_ok() => Ok(s.trim().parse().ok().map(Duration::from_secs)),
        Some(_) => Err(CredentialsError::invalid(name, "`expired_seconds` is not a number of seconds")),
    }
}

/// Where a profile's STS calls go.
fn endpoint(profile: &Value, env: &Environment) -> StsEndpoint {
    let vpc = match profile.get("enable_vpc") {
        Some(Value::Bool(vpc)) => *vpc,
        Some(Value::String(vpc)) => vpc.eq_ignore_ascii_case("true"),
        _ => env.is_true("ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED"),
    };
    StsEndpoint {
        url: text_of(profile, "sts_endpoint").or_else(|| env.var("ALIBABA_CLOUD_STS_ENDPOINT")),
        region: text_of(profile, "sts_region").or_else(|| env.var("ALIBABA_CLOUD_STS_REGION")),
        vpc,
    }
}

/// The Alibaba Cloud SDKs' INI credentials file.
///
/// Where: the file `ALIBABA_CLOUD_CREDENTIALS_FILE` names (it must exist), else
/// `~/.alibabacloud/credentials` (where the Go library looks), else `~/.alibabacloud/credentials.ini`
/// (where the Python library looks). The section: `ALIBABA_CLOUD_PROFILE`, else `default`. Its `type`:
///
/// | `type` | keys |
/// | --- | --- |
/// | `access_key` | `access_key_id`, `access_key_secret` |
/// | `ram_role_arn` | the same, `role_arn`, `role_session_name`, `policy` → [`AssumeRoleCredentials`] |
/// | `ecs_ram_role` | `role_name` (else discovered) → the instance's RAM role |
/// | `oidc_role_arn` | `role_arn`, `oidc_provider_arn`, `oidc_token_file_path`, `role_session_name`, `policy` → [`OidcRoleCredentials`] (read by the Python library, not the Go one) |
///
/// `rsa_key_pair` (a retired Japan-site scheme) and any other type are refused by name.
#[derive(Debug, Default)]
pub struct AlibabaCredentialsFile {
    path: Option<PathBuf>,
    profile: Option<String>,
    context: Context,
    built: Built,
}

impl AlibabaCredentialsFile {
    /// The file of the process's environment.
    pub fn new() -> Self {
        AlibabaCredentialsFile::default()
    }

    /// This file, wherever the environment points.
    pub fn with_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// This section, whatever `ALIBABA_CLOUD_PROFILE` says.
    pub fn with_profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into());
        self
    }

    /// Reads variables and the home directory from `environment`.
    pub fn with_environment(mut self, environment: Environment) -> Self {
        self.context.environment = environment;
        self
    }

    /// Sends every STS call of the section to this endpoint (a host or a URL).
    pub fn with_sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.context.sts_endpoint = Some(endpoint.into());
        self
    }

    /// Asks this metadata service for an instance role.
    pub fn with_metadata_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.context.metadata_endpoint = Some(endpoint.into());
        self
    }

    pub(crate) fn with_context(mut self, context: Context) -> Self {
        self.context = context;
        self
    }

    fn build(&self) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
        const NAME: &str = "Alibaba credentials file";
        let env = &self.context.environment;
        let mut candidates: Vec<PathBuf> = self.path.iter().cloned().collect();
        if self.path.is_none() {
            if let Some(home) = env.home() {
                candidates.extend([home.join(".alibabacloud/credentials"), home.join(".alibabacloud/credentials.ini")]);
            }
        }
        let variable = if self.path.is_some() { "" } else { "ALIBABA_CLOUD_CREDENTIALS_FILE" };
        let Some((path, text)) = locate(env, variable, &candidates).map_err(|e| CredentialsError::invalid(NAME, e))?
        else {
            if let Some(path) = &self.path {
                return Err(CredentialsError::invalid(NAME, format!("{} does not exist", path.display())));
            }
            return Err(CredentialsError::not_configured(NAME, "no ~/.alibabacloud/credentials (or credentials.ini)"));
        };
        let file = format!("Alibaba credentials file {}", path.display());
        let ini = Ini::parse(&text).map_err(|e| CredentialsError::invalid(&file, e))?;
        let wanted =
            self.profile.clone().or_else(|| env.var("ALIBABA_CLOUD_PROFILE")).unwrap_or_else(|| "default".into());
        let Some(section) = ini.section(&wanted) else {
            let message = format!("has no section [{wanted}]{}", listing(&ini.names()));
            return Err(CredentialsError::not_configured(file, message));
        };
        let name = format!("Alibaba credentials file {} [{wanted}]", path.display());
        self.section_source(section, &name)
    }

    fn section_source(
        &self,
        section: Section<'_>,
        name: &str,
    ) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
        let env = &self.context.environment;
        let required =
            |key: &str| section.get(key).ok_or_else(|| CredentialsError::invalid(name, format!("has no `{key}`")));
        let key = || {
            Credentials::new(required("access_key_id")?, required("access_key_secret")?)
                .map_err(|e| e.attributed_to(name))
        };
        let session = || {
            section.get("role_session_name").map(str::to_string).or_else(|| env.var("ALIBABA_CLOUD_ROLE_SESSION_NAME"))
        };
        let endpoint = self.context.sts(StsEndpoint::from_alibaba_environment(env));
        let kind = required("type")?;
        let source: Arc<dyn ProvideCredentials> = match kind {
            "access_key" => Arc::new(key()?),
            "ram_role_arn" => {
                let mut assume =
                    AssumeRoleCredentials::with_source(Cloud::Alibaba, Arc::new(key()?), required("role_arn")?.into())
                        .with_sts_endpoint(endpoint)
                        .with_duration(Duration::from_secs(3600));
                if let Some(session) = session() {
                    assume = assume.with_session_name(session);
                }
                if let Some(policy) = section.get("policy") {
                    assume = assume.with_policy(policy);
                }
                Arc::new(assume)
            }
            "ecs_ram_role" => Arc::new(self.context.ecs(section.get("role_name"))),
            "oidc_role_arn" => {
                let mut oidc = OidcRoleCredentials::alibaba(
                    required("oidc_provider_arn")?,
                    required("role_arn")?,
                    required("oidc_token_file_path")?,
                )
                .with_sts_endpoint(endpoint);
                if let Some(session) = session() {
                    oidc = oidc.with_session_name(session);
                }
                if let Some(policy) = section.get("policy") {
                    oidc = oidc.with_policy(policy);
                }
                Arc::new(oidc)
            }
            other => {
                return Err(CredentialsError::invalid(
                    name,
                    format!(
                        "type `{other}` is not supported (cloudspec reads access_key, ram_role_arn, ecs_ram_role and oidc_role_arn)"
                    ),
                ));
            }
        };
        tracing::debug!(source = name, kind, "profile read");
        Ok(source)
    }
}

impl ProvideCredentials for AlibabaCredentialsFile {
    fn provide(&self) -> CredentialsFuture<'_> {
        Box::pin(async move { self.built.get(|| self.build())?.provide().await })
    }
}
