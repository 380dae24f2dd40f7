//! Tencent Cloud's profile files: the SDKs' INI file ([`TencentCredentialsFile`]) and tccli's JSON
//! profiles ([`TccliProfile`]).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde_json::Value;

use super::ini::Ini;
use super::{Built, Context, listing, locate, read};
use crate::credentials::sts::StsEndpoint;
use crate::credentials::{
    AssumeRoleCredentials, Cloud, Credentials, CredentialsError, CredentialsFuture, Environment, ProvideCredentials,
    rfc3339,
};

/// The Tencent Cloud SDKs' credentials file: `[default]` with `secret_id` and `secret_key`.
///
/// Where: the file `TENCENTCLOUD_CREDENTIALS_FILE` names (the Go SDK's variable; it must exist), else
/// `~/.tencentcloud/credentials`, else `/etc/tencentcloud/credentials` (the Python SDK's fallback; read
/// only with the process's [`Environment`], since a described environment has no system files). Only
/// `[default]` is read, as in both SDKs (no variable selects another section). With a `role_arn` (and
/// optionally `role_session_name`) in `[default]`, the role is assumed with the key: the Python SDK
/// reads `role_arn` and then ignores it, signing as the key — not what whoever wrote it meant.
#[derive(Debug, Default)]
pub struct TencentCredentialsFile {
    path: Option<PathBuf>,
    context: Context,
    built: Built,
}

impl TencentCredentialsFile {
    /// The file of the process's environment.
    pub fn new() -> Self {
        TencentCredentialsFile::default()
    }

    /// This file, wherever the environment points.
    pub fn with_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Reads variables and the home directory from `environment`.
    pub fn with_environment(mut self, environment: Environment) -> Self {
        self.context.environment = environment;
        self
    }

    /// Sends the AssumeRole of a `role_arn` to this STS endpoint (a host or a URL).
    pub fn with_sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.context.sts_endpoint = Some(endpoint.into());
        self
    }

    pub(crate) fn with_context(mut self, context: Context) -> Self {
        self.context = context;
        self
    }

    fn build(&self) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
        const NAME: &str = "Tencent credentials file";
        let env = &self.context.environment;
        let mut candidates: Vec<PathBuf> = self.path.iter().cloned().collect();
        if self.path.is_none() {
            candidates.extend(env.home().map(|home| home.join(".tencentcloud/credentials")));
            if env.is_process() {
                candidates.push(PathBuf::from("/etc/tencentcloud/credentials"));
            }
        }
        let variable = if self.path.is_some() { "" } else { "TENCENTCLOUD_CREDENTIALS_FILE" };
        let Some((path, text)) = locate(env, variable, &candidates).map_err(|e| CredentialsError::invalid(NAME, e))?
        else {
            if let Some(path) = &self.path {
                return Err(CredentialsError::invalid(NAME, format!("{} does not exist", path.display())));
            }
            return Err(CredentialsError::not_configured(NAME, "no ~/.tencentcloud/credentials"));
        };
        let name = format!("Tencent credentials file {}", path.display());
        let ini = Ini::parse(&text).map_err(|e| CredentialsError::invalid(&name, e))?;
        let Some(section) = ini.section("default") else {
            let message = format!("has no [default] section{}", listing(&ini.names()));
            return Err(CredentialsError::invalid(&name, message));
        };
        let key =
            |k: &str| section.get(k).ok_or_else(|| CredentialsError::invalid(&name, format!("[default] has no `{k}`")));
        let credentials =
            Credentials::new(key("secret_id")?, key("secret_key")?).map_err(|e| e.attributed_to(&name))?;
        match section.get("role_arn") {
            None => Ok(Arc::new(credentials)),
            Some(role) => {
                let mut assume = AssumeRoleCredentials::with_source(Cloud::Tencent, Arc::new(credentials), role.into())
                    .with_sts_endpoint(self.context.sts(StsEndpoint::default()));
                if let Some(session) = section.get("role_session_name") {
                    assume = assume.with_session_name(session);
                }
                Ok(Arc::new(assume))
            }
        }
    }
}

impl ProvideCredentials for TencentCredentialsFile {
    fn provide(&self) -> CredentialsFuture<'_> {
        Box::pin(async move { self.built.get(|| self.build())?.provide().await })
    }
}

/// A tccli profile: `~/.tccli/<profile>.credential`, the profile named by `TCCLI_PROFILE`, else
/// `default` (tccli's own `--profile` flag has no counterpart here).
///
/// What its `type` says:
///
/// - none (or `default`): the key `secretId` / `secretKey`, with `token` when present; with
///   `role-arn` and `role-session-name`, the role is assumed with that key, through the STS endpoint
///   `<profile>.configure` names (`sts.endpoint`), as tccli does;
/// - `cvm-role`: the CVM instance role;
/// - `sso`, `oauth`: the temporary key tccli keeps in the file until `expiresAt`; the file is read
///   again when it expires (tccli refreshes it when it runs); expired, it is an error saying to sign
///   in again;
/// - any other type is refused by name.
///
/// tccli lets `TENCENTCLOUD_SECRET_ID` / `_KEY` override the file: in the chain, the environment
/// comes first anyway.
#[derive(Debug, Default)]
pub struct TccliProfile {
    profile: Option<String>,
    context: Context,
    built: Built,
}

impl TccliProfile {
    /// The profile of the process's environment.
    pub fn new() -> Self {
        TccliProfile::default()
    }

    /// This profile, whatever `TCCLI_PROFILE` says.
    pub fn with_profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into());
        self
    }

    /// Reads variables and the home directory from `environment`.
    pub fn with_environment(mut self, environment: Environment) -> Self {
        self.context.environment = environment;
        self
    }

    /// Sends the AssumeRole of a `role-arn` profile to this STS endpoint (a host or a URL).
    pub fn with_sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.context.sts_endpoint = Some(endpoint.into());
        self
    }

    /// Asks this metadata service for a `cvm-role` profile's role.
    pub fn with_metadata_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.context.metadata_endpoint = Some(endpoint.into());
        self
    }

    pub(crate) fn with_context(mut self, context: Context) -> Self {
        self.context = context;
        self
    }

    fn profile_name(&self) -> String {
        self.profile
            .clone()
            .or_else(|| self.context.environment.var("TCCLI_PROFILE"))
            .unwrap_or_else(|| "default".into())
    }

    fn build(&self) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
        let profile = self.profile_name();
        let name = format!("tccli profile `{profile}`");
        let Some(dir) = self.context.environment.home().map(|home| home.join(".tccli")) else {
            return Err(CredentialsError::not_configured(name, "no home directory"));
        };
        let path = dir.join(format!("{profile}.credential"));
        let Some(json) = read_json(&path, &name)? else {
            return Err(CredentialsError::not_configured(name, format!("no {}", path.display())));
        };
        let name = format!("tccli profile `{profile}` ({})", path.display());
        let kind = json.get("type").and_then(Value::as_str).unwrap_or_default();
        match kind {
            "" | "default" => {
                let credentials = static_key(&json, &name)?;
                let role = text(&json, "role-arn");
                let session = text(&json, "role-session-name");
                match (role, session) {
                    (None, None) => Ok(Arc::new(credentials)),
                    (Some(role), Some(session)) => {
                        let configure = read_json(&dir.join(format!("{profile}.configure")), &name)?;
                        let endpoint =
                            configure.as_ref().and_then(|c| c.pointer("/sts/endpoint")).and_then(Value::as_str);
                        let endpoint = StsEndpoint { url: endpoint.map(str::to_string), ..StsEndpoint::default() };
                        let assume = AssumeRoleCredentials::with_source(Cloud::Tencent, Arc::new(credentials), role)
                            .with_session_name(session)
                            .with_sts_endpoint(self.context.sts(endpoint));
                        Ok(Arc::new(assume))
                    }
                    (Some(_), None) => {
                        Err(CredentialsError::invalid(name, "has `role-arn` but no `role-session-name`"))
                    }
                    (None, Some(_)) => {
                        Err(CredentialsError::invalid(name, "has `role-session-name` but no `role-arn`"))
                    }
                }
            }
            "cvm-role" => Ok(Arc::new(self.context.cvm(None))),
            "sso" | "oauth" => {
                let temporary = TccliTemporary { path, name };
                temporary.load()?;
                Ok(Arc::new(temporary))
            }
            other => Err(CredentialsError::invalid(
                name,
                format!("type `{other}` is not supported (cloudspec reads the types default, cvm-role, sso and oauth)"),
            )),
        }
    }
}

impl ProvideCredentials for TccliProfile {
    fn provide(&self) -> CredentialsFuture<'_> {
        Box::pin(async move { self.built.get(|| self.build())?.provide().await })
    }
}

/// The temporary key of an `sso` or `oauth` profile, read from the file while it is valid.
#[derive(Debug)]
struct TccliTemporary {
    path: PathBuf,
    name: String,
}

impl TccliTemporary {
    fn load(&self) -> Result<Credentials, CredentialsError> {
        let name = &self.name;
        let json = read_json(&self.path, name)?
            .ok_or_else(|| CredentialsError::invalid(name, format!("{} no longer exists", self.path.display())))?;
        let expires = json.get("expiresAt").and_then(Value::as_u64).ok_or_else(|| {
            CredentialsError::invalid(
                name,
                "has no `expiresAt`: sign in again with `tccli sso login` or `tccli auth login`",
            )
        })?;
        let expiry = SystemTime::UNIX_EPOCH + Duration::from_secs(expires);
        // A minute's margin: a call signed now must still be valid when it arrives.
        if expiry < SystemTime::now() + Duration::from_secs(60) {
            return Err(CredentialsError::invalid(
                name,
                format!(
                    "its temporary key expired at {}: run tccli (which refreshes it) or sign in again with `tccli sso login` or `tccli auth login`",
                    rfc3339(expiry)
                ),
            ));
        }
        Ok(static_key(&json, name)?.with_expiry(expiry))
    }
}

impl ProvideCredentials for TccliTemporary {
    fn provide(&self) -> CredentialsFuture<'_> {
        Box::pin(async move { self.load() })
    }
}

/// A JSON object file: `Ok(None)` when it does not exist.
fn read_json(path: &std::path::Path, name: &str) -> Result<Option<Value>, CredentialsError> {
    let Some(text) = read(path).map_err(|e| CredentialsError::invalid(name, e))? else { return Ok(None) };
    let json: Value = serde_json::from_str(&text).map_err(|e| {
        let message = format!("{} is not JSON (line {}, column {})", path.display(), e.line(), e.column());
        CredentialsError::invalid(name, message)
    })?;
    if !json.is_object() {
        return Err(CredentialsError::invalid(name, format!("{} is not a JSON object", path.display())));
    }
    Ok(Some(json))
}

fn text(json: &Value, key: &str) -> Option<String> {
    json.get(key).and_then(Value::as_str).filter(|v| !v.is_empty()).map(str::to_string)
}

/// `secretId`, `secretKey` and `token`.
fn static_key(json: &Value, name: &str) -> Result<Credentials, CredentialsError> {
    let (Some(id), Some(secret)) = (text(json, "secretId"), text(json, "secretKey")) else {
        return Err(CredentialsError::invalid(name, "has no `secretId` and `secretKey`"));
    };
    let credentials = Credentials::new(id, secret).map_err(|e| e.attributed_to(name))?;
    match text(json, "token") {
        Some(token) => credentials.with_session_token(token).map_err(|e| e.attributed_to(name)),
        None => Ok(credentials),
    }
}
