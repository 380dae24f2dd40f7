//! The environment credential sources read — the process's, or a fixed set for tests and for
//! programs that keep credentials elsewhere ([`Environment`]) — and the first source of both chains,
//! keys in environment variables ([`EnvCredentials`]).
//!
//! An empty variable counts as unset everywhere (CI templates often write `NAME=`), as the official
//! Python SDKs and the Alibaba Go library treat it.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use super::{Cloud, Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};

/// Where credential sources read variables and the home directory from.
///
/// [`Environment::process`] (the default) reads the process's environment each time a source looks;
/// [`Environment::from_vars`] is a fixed set, so a test or a program can describe an environment
/// without touching the process's (which other threads may read at the same time); with it, no
/// system-wide file (`/etc/tencentcloud/credentials`) is read either. `Debug` shows the variables'
/// names, never their values.
#[derive(Clone, Default)]
pub struct Environment {
    fixed: Option<BTreeMap<String, String>>,
}

impl fmt::Debug for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.fixed {
            None => f.write_str("Environment::process()"),
            Some(vars) => f.debug_tuple("Environment::from_vars").field(&vars.keys().collect::<Vec<_>>()).finish(),
        }
    }
}

impl Environment {
    /// The process's environment, read when a source looks.
    pub fn process() -> Self {
        Environment { fixed: None }
    }

    /// A fixed set of variables; `HOME` in it is the home directory (without it, there is none).
    pub fn from_vars<K: Into<String>, V: Into<String>>(vars: impl IntoIterator<Item = (K, V)>) -> Self {
        Environment { fixed: Some(vars.into_iter().map(|(k, v)| (k.into(), v.into())).collect()) }
    }

    /// A variable's value; `None` when it is unset, empty or not Unicode.
    pub fn var(&self, name: &str) -> Option<String> {
        let value = match &self.fixed {
            Some(vars) => vars.get(name).cloned(),
            None => std::env::var(name).ok(),
        };
        value.filter(|v| !v.is_empty())
    }

    /// Whether this is the process's environment (a fixed one describes a whole environment, so
    /// system-wide files such as `/etc/tencentcloud/credentials` are not read with it).
    pub(crate) fn is_process(&self) -> bool {
        self.fixed.is_none()
    }

    /// Whether a variable says `true` (in any case), as the official SDKs read their switches.
    pub fn is_true(&self, name: &str) -> bool {
        self.var(name).is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }

    /// The home directory: `HOME` (on Windows, `USERPROFILE` when `HOME` is unset).
    pub fn home(&self) -> Option<PathBuf> {
        self.var("HOME").or_else(|| if cfg!(windows) { self.var("USERPROFILE") } else { None }).map(PathBuf::from)
    }
}

/// Keys from environment variables: the first source of both chains.
///
/// Both the id and the secret set → these credentials (a value with stray whitespace is refused, as
/// the official Python SDK refuses it). Neither set → not configured. Only one of them set → an error
/// naming the missing one: the official SDKs skip that case silently, but a half-set key is a mistake
/// worth reporting before another identity is picked up.
///
/// The session token: `ALIBABA_CLOUD_SECURITY_TOKEN` (the official name); for Tencent Cloud
/// `TENCENTCLOUD_TOKEN`, the name tccli reads (the SDKs read no token variable), or else
/// `TENCENTCLOUD_SESSION_TOKEN`, which earlier cloudspec versions read.
#[derive(Debug, Clone)]
pub struct EnvCredentials {
    id_var: &'static str,
    secret_var: &'static str,
    token_vars: &'static [&'static str],
    environment: Environment,
}

impl EnvCredentials {
    /// `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY`, `TENCENTCLOUD_TOKEN`, from the process.
    pub const TENCENT: EnvCredentials = EnvCredentials {
        id_var: "TENCENTCLOUD_SECRET_ID",
        secret_var: "TENCENTCLOUD_SECRET_KEY",
        token_vars: &["TENCENTCLOUD_TOKEN", "TENCENTCLOUD_SESSION_TOKEN"],
        environment: Environment { fixed: None },
    };

    /// `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, `ALIBABA_CLOUD_SECURITY_TOKEN`,
    /// from the process.
    pub const ALIBABA: EnvCredentials = EnvCredentials {
        id_var: "ALIBABA_CLOUD_ACCESS_KEY_ID",
        secret_var: "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
        token_vars: &["ALIBABA_CLOUD_SECURITY_TOKEN"],
        environment: Environment { fixed: None },
    };

    pub(crate) fn of(cloud: Cloud) -> EnvCredentials {
        match cloud {
            Cloud::Tencent => EnvCredentials::TENCENT,
            Cloud::Alibaba => EnvCredentials::ALIBABA,
        }
    }

    /// The same variables, read from `environment`.
    pub fn with_environment(mut self, environment: Environment) -> Self {
        self.environment = environment;
        self
    }

    fn name(&self) -> String {
        format!("environment ({}, {})", self.id_var, self.secret_var)
    }

    /// Reads the variables now.
    pub fn load(&self) -> Result<Credentials, CredentialsError> {
        let env = &self.environment;
        let (id, secret) = match (env.var(self.id_var), env.var(self.secret_var)) {
            (Some(id), Some(secret)) => (id, secret),
            (None, None) => return Err(CredentialsError::not_configured(self.name(), "not set")),
            (Some(_), None) => {
                let message = format!("{} is set but {} is not", self.id_var, self.secret_var);
                return Err(CredentialsError::invalid(self.name(), message));
            }
            (None, Some(_)) => {
                let message = format!("{} is set but {} is not", self.secret_var, self.id_var);
                return Err(CredentialsError::invalid(self.name(), message));
            }
        };
        let credentials = Credentials::new(id, secret).map_err(|e| e.attributed_to(&self.name()))?;
        match self.token_vars.iter().find_map(|name| env.var(name).map(|token| (name, token))) {
            Some((name, token)) => credentials
                .with_session_token(token)
                .map_err(|e| CredentialsError::invalid(format!("environment ({name})"), e.message())),
            None => Ok(credentials),
        }
    }
}

impl ProvideCredentials for EnvCredentials {
    fn provide(&self) -> CredentialsFuture<'_> {
        Box::pin(async move { self.load() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::CredentialsErrorKind;

    fn tencent(vars: &[(&str, &str)]) -> Result<Credentials, CredentialsError> {
        EnvCredentials::TENCENT.with_environment(Environment::from_vars(vars.iter().copied())).load()
    }

    #[test]
    fn both_keys_are_needed_and_a_half_set_pair_is_reported() {
        let found = tencent(&[("TENCENTCLOUD_SECRET_ID", "AKIDenv"), ("TENCENTCLOUD_SECRET_KEY", "k")]).unwrap();
        assert_eq!(found.access_key_id(), "AKIDenv");
        assert!(found.session_token().is_none());
        let none = tencent(&[("TENCENTCLOUD_SECRET_ID", ""), ("TENCENTCLOUD_SECRET_KEY", "")]).unwrap_err();
        assert_eq!(none.kind(), CredentialsErrorKind::NotConfigured);
        let half = tencent(&[("TENCENTCLOUD_SECRET_ID", "AKIDenv")]).unwrap_err();
        assert_eq!(half.kind(), CredentialsErrorKind::Invalid);
        assert!(half.to_string().contains("TENCENTCLOUD_SECRET_KEY is not"), "{half}");
    }

    #[test]
    fn tokens_come_from_the_official_name_first() {
        let both = [
            ("TENCENTCLOUD_SECRET_ID", "AKIDenv"),
            ("TENCENTCLOUD_SECRET_KEY", "k"),
            ("TENCENTCLOUD_SESSION_TOKEN", "old"),
            ("TENCENTCLOUD_TOKEN", "tccli"),
        ];
        assert_eq!(tencent(&both).unwrap().session_token().unwrap().expose_secret(), "tccli");
        assert_eq!(tencent(&both[..3]).unwrap().session_token().unwrap().expose_secret(), "old");
        let spaced = tencent(&[("TENCENTCLOUD_SECRET_ID", "AKIDenv "), ("TENCENTCLOUD_SECRET_KEY", "k")]).unwrap_err();
        assert_eq!(spaced.kind(), CredentialsErrorKind::Invalid);
        assert!(spaced.to_string().starts_with("environment (TENCENTCLOUD_SECRET_ID"), "{spaced}");
    }

    #[test]
    fn debug_shows_names_only() {
        let env = Environment::from_vars([("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "very-secret")]);
        let shown = format!("{env:?} {:?}", EnvCredentials::ALIBABA.with_environment(env.clone()));
        assert!(shown.contains("ALIBABA_CLOUD_ACCESS_KEY_SECRET") && !shown.contains("very-secret"), "{shown}");
        assert!(Environment::from_vars([("X", "TRUE")]).is_true("X"));
        assert!(!Environment::from_vars([("X", "1")]).is_true("X"));
        assert_eq!(Environment::from_vars([("HOME", "/h")]).home(), Some(PathBuf::from("/h")));
    }
}
