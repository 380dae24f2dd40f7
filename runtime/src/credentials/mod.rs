//! Credentials: what signs requests, and every place the official SDKs find them — from a laptop
//! (environment, the CLIs' profile files) to an instance (the metadata service's role) and a pod (an
//! OIDC token exchanged with STS).
//!
//! A client without explicit credentials asks its provider's [`DefaultCredentials`] chain. The
//! sources, in order (each module says how it reads its source and where it differs from the official
//! SDKs, which disagree with each other in places):
//!
//! | | Tencent Cloud | Alibaba Cloud |
//! | --- | --- | --- |
//! | 1 | [`EnvCredentials`]: `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY`, `TENCENTCLOUD_TOKEN` | [`EnvCredentials`]: `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, `ALIBABA_CLOUD_SECURITY_TOKEN` |
//! | 2 | [`OidcRoleCredentials`] (TKE): `TKE_REGION`, `TKE_PROVIDER_ID`, `TKE_WEB_IDENTITY_TOKEN_FILE`, `TKE_ROLE_ARN` | [`OidcRoleCredentials`] (RRSA): `ALIBABA_CLOUD_ROLE_ARN`, `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`, `ALIBABA_CLOUD_OIDC_TOKEN_FILE` |
//! | 3 | [`TencentCredentialsFile`]: `~/.tencentcloud/credentials` | [`AliyunCliProfile`]: `~/.aliyun/config.json` |
//! | 4 | [`TccliProfile`]: `~/.tccli/<profile>.credential` | [`AlibabaCredentialsFile`]: `~/.alibabacloud/credentials` |
//! | 5 | [`CvmRoleCredentials`]: the CVM instance role | [`EcsRamRoleCredentials`]: the ECS RAM role (IMDSv2) |
//! | 6 | | [`UriCredentials`]: `ALIBABA_CLOUD_CREDENTIALS_URI` |
//!
//! Rules every source keeps:
//!
//! - A source that is **not configured** (no variable, no file, not on an instance) lets the chain
//!   move on; a source that is configured but **broken** (a malformed file, an unsupported profile
//!   mode, a role STS refuses) stops it with that error, rather than falling through to another
//!   identity (the official Alibaba chain falls through; see [`chain`](DefaultCredentials)).
//! - Temporary credentials ([`AssumeRoleCredentials`], [`OidcRoleCredentials`], the instance roles,
//!   [`UriCredentials`]) are cached, shared by clones of a client, refreshed once (not once per call)
//!   before they expire, and fetched with timeouts on every network call.
//! - An error names the source it tried and says why, in one line, and never carries a secret: no
//!   secret key, session token or OIDC token reaches a `Debug`, `Display` or log line.

mod cache;
mod chain;
mod env;
mod fetch;
mod metadata;
mod oidc;
mod profile;
mod sts;
mod uri;

/// The runtime's own STS clients: `sts_generated.rs` is what the generator makes of
/// `specs/tencentcloud/sts/2018-08-13.json` and `specs/alibabacloud/sts/2015-04-01.json` (the
/// single-file layout); `tests/tests/sts_codegen.rs` fails when it is stale.
#[allow(dead_code, unreachable_pub, clippy::all)]
pub(crate) mod sts_generated {
    include!("sts_generated.rs");
}

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::SystemTime;

use crate::SecretString;

pub use chain::{CredentialsChain, DefaultCredentials};
pub use env::{EnvCredentials, Environment};
pub use metadata::{CvmRoleCredentials, EcsRamRoleCredentials};
pub use oidc::OidcRoleCredentials;
pub use profile::{AlibabaCredentialsFile, AliyunCliProfile, TccliProfile, TencentCredentialsFile};
pub use sts::AssumeRoleCredentials;
pub use uri::UriCredentials;

/// An access key, its secret, an optional session token and, for temporary credentials, when they
/// expire.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret: SecretString,
    session_token: Option<SecretString>,
    expiry: Option<SystemTime>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret", &self.secret)
            .field("session_token", &self.session_token.as_ref().map(|_| "***"))
            .field("expiry", &self.expiry.map(rfc3339))
            .finish()
    }
}

/// A time as `2024-01-02T03:04:05Z`, for messages.
pub(crate) fn rfc3339(at: SystemTime) -> String {
    let at = time::OffsetDateTime::from(at);
    at.replace_nanosecond(0)
        .unwrap_or(at)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| "an unrepresentable time".into())
}

/// How a source failed, which decides what a chain does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialsErrorKind {
    /// The source has nothing to offer here: its variables are unset, its file does not exist, the
    /// machine is not a cloud instance. A chain moves on to its next source.
    NotConfigured,
    /// The source is configured but cannot be used: a malformed file, an unsupported profile mode, a
    /// value with stray whitespace, a role the provider refuses. A chain stops here.
    Invalid,
    /// A network source did not answer usably (timed out, refused, a server error). A chain stops here.
    Unavailable,
}

/// Why no usable credentials were found: which source was tried, and why it failed. Its `Display` is
/// one line and never contains a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.line())]
pub struct CredentialsError {
    source_name: Option<String>,
    message: String,
    kind: CredentialsErrorKind,
}

impl CredentialsError {
    /// An error with a message (which must not contain a secret), of kind
    /// [`CredentialsErrorKind::Invalid`].
    pub fn new(message: impl Into<String>) -> Self {
        CredentialsError { source_name: None, message: message.into(), kind: CredentialsErrorKind::Invalid }
    }

    /// `source` (a name such as `environment (TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY)`) has
    /// nothing to offer: chains move on.
    pub fn not_configured(source: impl Into<String>, message: impl Into<String>) -> Self {
        CredentialsError::of(CredentialsErrorKind::NotConfigured, source, message)
    }

    /// `source` is configured but cannot be used.
    pub fn invalid(source: impl Into<String>, message: impl Into<String>) -> Self {
        CredentialsError::of(CredentialsErrorKind::Invalid, source, message)
    }

    /// `source`, a network source, did not answer usably.
    pub fn unavailable(source: impl Into<String>, message: impl Into<String>) -> Self {
        CredentialsError::of(CredentialsErrorKind::Unavailable, source, message)
    }

    fn of(kind: CredentialsErrorKind, source: impl Into<String>, message: impl Into<String>) -> Self {
        CredentialsError { source_name: Some(source.into()), message: message.into(), kind }
    }

    /// How the source failed.
    pub fn kind(&self) -> CredentialsErrorKind {
        self.kind
    }

    /// The source tried, when known.
    pub fn source_name(&self) -> Option<&str> {
        self.source_name.as_deref()
    }

    /// Why it failed.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The same failure, reported as `source`'s when it names none yet.
    pub(crate) fn attributed_to(mut self, source: &str) -> Self {
        if self.source_name.is_none() {
            self.source_name = Some(source.to_string());
        }
        self
    }

    /// The same failure, of another kind.
    pub(crate) fn with_kind(mut self, kind: CredentialsErrorKind) -> Self {
        self.kind = kind;
        self
    }

    /// `source: message`, on one line (a line break in a message from outside becomes a space).
    fn line(&self) -> String {
        let line = match &self.source_name {
            Some(source) => format!("{source}: {}", self.message),
            None => self.message.clone(),
        };
        line.replace(['\n', '\r'], " ")
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
        Ok(Credentials { access_key_id, secret, session_token: None, expiry: None })
    }

    /// Adds a session token (temporary credentials).
    pub fn with_session_token(mut self, token: impl Into<String>) -> Result<Self, CredentialsError> {
        let token = SecretString::new(token.into());
        check_part("session token", token.expose_secret())?;
        self.session_token = Some(token);
        Ok(self)
    }

    /// Sets when the credentials expire (temporary credentials).
    pub fn with_expiry(mut self, expiry: SystemTime) -> Self {
        self.expiry = Some(expiry);
        self
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

    /// When temporary credentials expire; `None` for long-term keys.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.expiry
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

impl<T: ProvideCredentials + ?Sized> ProvideCredentials for Arc<T> {
    fn provide(&self) -> CredentialsFuture<'_> {
        (**self).provide()
    }
}

/// Which provider a source belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cloud {
    Tencent,
    Alibaba,
}

/// A session name for a role session the user did not name: `cloudspec-<Unix milliseconds>`, within
/// both providers' length and character rules.
pub(crate) fn default_session_name() -> String {
    let millis = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_millis());
    format!("cloudspec-{millis}")
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
    fn errors_are_one_line_and_name_their_source() {
        let error = CredentialsError::invalid("Alibaba CLI profile `dev`", "mode `CloudSSO` is not supported\nat all");
        assert_eq!(error.to_string(), "Alibaba CLI profile `dev`: mode `CloudSSO` is not supported at all");
        assert_eq!(error.kind(), CredentialsErrorKind::Invalid);
        assert_eq!(error.source_name(), Some("Alibaba CLI profile `dev`"));
        let plain = CredentialsError::new("no").attributed_to("env");
        assert_eq!(plain.to_string(), "env: no");
    }

    #[test]
    fn expiry_is_kept_and_shown() {
        let at = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        let credentials = Credentials::new("id", "s").unwrap().with_expiry(at);
        assert_eq!(credentials.expiry(), Some(at));
        assert!(format!("{credentials:?}").contains("2023-11-14T22:13:20Z"));
    }
}
