//! Credentials: what signs requests, and where it comes from (given, environment, profile files, or
//! any [`ProvideCredentials`] a user plugs in — STS, instance roles).

use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;

use crate::SecretString;

/// An access key, its secret and an optional session token.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret: SecretString,
    session_token: Option<SecretString>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret", &self.secret)
            .field("session_token", &self.session_token.as_ref().map(|_| "***"))
            .finish()
    }
}

/// Why no usable credentials were found. Never contains a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct CredentialsError {
    message: String,
}

impl CredentialsError {
    /// An error with a message (which must not contain a secret).
    pub fn new(message: impl Into<String>) -> Self {
        CredentialsError { message: message.into() }
    }
}

fn check_part(what: &str, value: &str) -> Result<(), CredentialsError> {
    if value.is_empty() {
        return Err(CredentialsError::new(format!("the {what} is empty")));
    }
    if value.trim() != value || value.contains(['\n', '\r', '\t']) {
        return Err(CredentialsError::new(format!(
            "the {what} has leading, trailing or embedded whitespace; copy it again without spaces or line breaks"
        )));
    }
    Ok(())
}

impl Credentials {
    /// Credentials from an access key id and secret. Empty values and stray whitespace are refused.
    pub fn new(access_key_id: impl Into<String>, secret: impl Into<String>) -> Result<Self, CredentialsError> {
        let access_key_id = access_key_id.into();
        let secret = SecretString::new(secret.into());
        check_part("access key id", &access_key_id)?;
        check_part("access key secret", secret.expose_secret())?;
        Ok(Credentials { access_key_id, secret, session_token: None })
    }

    /// Adds a session token (temporary credentials).
    pub fn with_session_token(mut self, token: impl Into<String>) -> Result<Self, CredentialsError> {
        let token = SecretString::new(token.into());
        check_part("session token", token.expose_secret())?;
        self.session_token = Some(token);
        Ok(self)
    }

    /// The access key id (Tencent `SecretId`).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret (Tencent `SecretKey`).
    pub fn secret(&self) -> &SecretString {
        &self.secret
    }

    /// The session token, for temporary credentials.
    pub fn session_token(&self) -> Option<&SecretString> {
        self.session_token.as_ref()
    }
}

/// A future yielding credentials.
pub type CredentialsFuture<'a> = Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>;

/// A source of credentials, asked before every call (so it may refresh them).
pub trait ProvideCredentials: fmt::Debug + Send + Sync {
    /// The current credentials.
    fn provide(&self) -> CredentialsFuture<'_>;
}

impl ProvideCredentials for Credentials {
    fn provide(&self) -> CredentialsFuture<'_> {
        let credentials = self.clone();
        Box::pin(async move { Ok(credentials) })
    }
}

/// Credentials from environment variables.
#[derive(Debug, Clone)]
pub struct EnvCredentials {
    id_var: &'static str,
    secret_var: &'static str,
    token_var: &'static str,
}

impl EnvCredentials {
    /// `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY`, `TENCENTCLOUD_SESSION_TOKEN`.
    pub const TENCENT: EnvCredentials = EnvCredentials {
        id_var: "TENCENTCLOUD_SECRET_ID",
        secret_var: "TENCENTCLOUD_SECRET_KEY",
        token_var: "TENCENTCLOUD_SESSION_TOKEN",
    };

    /// `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, `ALIBABA_CLOUD_SECURITY_TOKEN`.
    pub const ALIBABA: EnvCredentials = EnvCredentials {
        id_var: "ALIBABA_CLOUD_ACCESS_KEY_ID",
        secret_var: "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
        token_var: "ALIBABA_CLOUD_SECURITY_TOKEN",
    };

    /// Reads the variables now.
    pub fn load(&self) -> Result<Credentials, CredentialsError> {
        let read = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let (Some(id), Some(secret)) = (read(self.id_var), read(self.secret_var)) else {
            return Err(CredentialsError::new(format!("{} and {} are not both set", self.id_var, self.secret_var)));
        };
        let credentials = Credentials::new(id, secret)
            .map_err(|e| CredentialsError::new(format!("{} / {}: {e}", self.id_var, self.secret_var)))?;
        match read(self.token_var) {
            Some(token) => credentials
                .with_session_token(token)
                .map_err(|e| CredentialsError::new(format!("{}: {e}", self.token_var))),
            None => Ok(credentials),
        }
    }
}

impl ProvideCredentials for EnvCredentials {
    fn provide(&self) -> CredentialsFuture<'_> {
        Box::pin(async move { self.load() })
    }
}

/// Credentials from a provider's profile file.
#[derive(Debug, Clone)]
pub enum ProfileCredentials {
    /// `~/.tccli/<profile>.credential`: `{"secretId": …, "secretKey": …, "token": …}`.
    Tencent {
        /// The file.
        path: PathBuf,
    },
    /// `~/.aliyun/config.json`: the `current` profile (or a named one) of mode `AK` or `StsToken`.
    Alibaba {
        /// The file.
        path: PathBuf,
        /// The profile; `None` for the file's `current`.
        profile: Option<String>,
    },
}

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE")).map(PathBuf::from)
}

impl ProfileCredentials {
    /// The Tencent CLI's default profile, `~/.tccli/default.credential`.
    pub fn tencent_default() -> Self {
        ProfileCredentials::Tencent { path: home().unwrap_or_default().join(".tccli/default.credential") }
    }

    /// The Alibaba CLI's current profile in `~/.aliyun/config.json`.
    pub fn alibaba_default() -> Self {
        ProfileCredentials::Alibaba { path: home().unwrap_or_default().join(".aliyun/config.json"), profile: None }
    }

    /// Reads the file now.
    pub fn load(&self) -> Result<Credentials, CredentialsError> {
        let path = match self {
            ProfileCredentials::Tencent { path } | ProfileCredentials::Alibaba { path, .. } => path,
        };
        let text =
            std::fs::read_to_string(path).map_err(|e| CredentialsError::new(format!("{}: {e}", path.display())))?;
        let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
            CredentialsError::new(format!("{}: not JSON (line {}, column {})", path.display(), e.line(), e.column()))
        })?;
        let string = |value: &serde_json::Value, key: &str| {
            value.get(key).and_then(|v| v.as_str()).filter(|v| !v.is_empty()).map(str::to_string)
        };
        let at = |what: &str| CredentialsError::new(format!("{}: {what}", path.display()));
        match self {
            ProfileCredentials::Tencent { .. } => {
                let (Some(id), Some(secret)) = (string(&json, "secretId"), string(&json, "secretKey")) else {
                    return Err(at("no `secretId` and `secretKey`"));
                };
                let credentials = Credentials::new(id, secret).map_err(|e| at(&e.to_string()))?;
                match string(&json, "token") {
                    Some(token) => credentials.with_session_token(token).map_err(|e| at(&e.to_string())),
                    None => Ok(credentials),
                }
            }
            ProfileCredentials::Alibaba { profile, .. } => {
                let wanted = profile.clone().or_else(|| string(&json, "current")).unwrap_or_else(|| "default".into());
                let profiles = json.get("profiles").and_then(|p| p.as_array()).cloned().unwrap_or_default();
                let Some(entry) = profiles.iter().find(|p| string(p, "name").as_deref() == Some(wanted.as_str()))
                else {
                    return Err(at(&format!("no profile `{wanted}`")));
                };
                let (Some(id), Some(secret)) = (string(entry, "access_key_id"), string(entry, "access_key_secret"))
                else {
                    return Err(at(&format!("profile `{wanted}` has no access_key_id and access_key_secret")));
                };
                let credentials = Credentials::new(id, secret).map_err(|e| at(&e.to_string()))?;
                match string(entry, "sts_token") {
                    Some(token) => credentials.with_session_token(token).map_err(|e| at(&e.to_string())),
                    None => Ok(credentials),
                }
            }
        }
    }
}

impl ProvideCredentials for ProfileCredentials {
    fn provide(&self) -> CredentialsFuture<'_> {
        Box::pin(async move { self.load() })
    }
}

/// Tries providers in order and returns the first credentials found.
#[derive(Debug, Clone)]
pub struct CredentialsChain {
    providers: Vec<Arc<dyn ProvideCredentials>>,
}

impl CredentialsChain {
    /// A chain of providers.
    pub fn new(providers: Vec<Arc<dyn ProvideCredentials>>) -> Self {
        CredentialsChain { providers }
    }

    /// Environment, then the CLI profile file, for a protocol's provider.
    pub fn default_for(protocol: cloudspec_rules::Protocol) -> Self {
        use cloudspec_rules::Protocol;
        match protocol {
            Protocol::TencentJson => CredentialsChain::new(vec![
                Arc::new(EnvCredentials::TENCENT),
                Arc::new(ProfileCredentials::tencent_default()),
            ]),
            _ => CredentialsChain::new(vec![
                Arc::new(EnvCredentials::ALIBABA),
                Arc::new(ProfileCredentials::alibaba_default()),
            ]),
        }
    }
}

impl ProvideCredentials for CredentialsChain {
    fn provide(&self) -> CredentialsFuture<'_> {
        Box::pin(async move {
            let mut reasons = Vec::new();
            for provider in &self.providers {
                match provider.provide().await {
                    Ok(credentials) => return Ok(credentials),
                    Err(error) => reasons.push(error.to_string()),
                }
            }
            Err(CredentialsError::new(format!("no credentials found: {}", reasons.join("; "))))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stray_whitespace_is_refused_without_echoing_the_secret() {
        let error = Credentials::new("AKID1", "secret-value\n").unwrap_err();
        assert!(error.to_string().contains("whitespace"));
        assert!(!error.to_string().contains("secret-value"));
        assert!(Credentials::new(" AKID1", "s").is_err());
        assert!(Credentials::new("AKID1", "").is_err());
        let ok = Credentials::new("AKID1", "s3cr3t").unwrap().with_session_token("tok3n").unwrap();
        let debug = format!("{ok:?}");
        assert!(debug.contains("AKID1") && !debug.contains("s3cr3t") && !debug.contains("tok3n"), "{debug}");
    }

    #[test]
    fn reads_profile_files() {
        let dir = std::env::temp_dir().join(format!("cloudspec-profile-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let tencent = dir.join("default.credential");
        std::fs::write(&tencent, r#"{"secretId": "AKIDx", "secretKey": "k1"}"#).unwrap();
        let loaded = ProfileCredentials::Tencent { path: tencent }.load().unwrap();
        assert_eq!((loaded.access_key_id(), loaded.secret().expose_secret()), ("AKIDx", "k1"));
        let alibaba = dir.join("config.json");
        std::fs::write(&alibaba, r#"{"current": "work", "profiles": [{"name": "default", "access_key_id": "a", "access_key_secret": "b"}, {"name": "work", "mode": "StsToken", "access_key_id": "LTAIw", "access_key_secret": "sw", "sts_token": "t"}]}"#).unwrap();
        let loaded = ProfileCredentials::Alibaba { path: alibaba.clone(), profile: None }.load().unwrap();
        assert_eq!(loaded.access_key_id(), "LTAIw");
        assert!(loaded.session_token().is_some());
        let missing = ProfileCredentials::Alibaba { path: alibaba, profile: Some("nope".into()) }.load().unwrap_err();
        assert!(missing.to_string().contains("no profile `nope`"));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
