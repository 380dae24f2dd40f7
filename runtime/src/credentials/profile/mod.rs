//! The profile files of the official SDKs and CLIs: Tencent's SDK file and tccli's profiles
//! ([`tencent`]), the aliyun CLI's `config.json` and Alibaba's SDK file ([`alibaba`]), and the INI
//! dialect two of them share ([`ini`]).
//!
//! A profile names a way to get credentials — a key, a role to assume with a key, the instance role,
//! an OIDC token — and becomes the source that does it. The file is read once, at the first call
//! (as the official libraries do), so an assumed role's cached credentials live as long as the
//! profile source. A profile in a mode cloudspec cannot honour is refused by name, never half-read: a
//! `RamRoleArn` profile never signs with its source key.

mod alibaba;
mod ini;
mod tencent;

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

pub use alibaba::{AlibabaCredentialsFile, AliyunCliProfile};
pub use tencent::{TccliProfile, TencentCredentialsFile};

use super::metadata::{CvmRoleCredentials, EcsRamRoleCredentials};
use super::sts::StsEndpoint;
use super::{CredentialsError, Environment, ProvideCredentials};

/// The largest profile file read.
const MAX_FILE_BYTES: u64 = 1 << 20;

/// What the sources of a chain share: where they read variables and files, and the endpoints a test
/// (or an unusual network) moves.
#[derive(Debug, Clone, Default)]
pub(crate) struct Context {
    pub(crate) environment: Environment,
    /// The instance metadata service, instead of the provider's.
    pub(crate) metadata_endpoint: Option<String>,
    /// Every STS call, instead of the endpoint the profile or the provider names.
    pub(crate) sts_endpoint: Option<String>,
}

impl Context {
    /// The CVM role source (`role`: its name, when known).
    pub(crate) fn cvm(&self, role: Option<&str>) -> CvmRoleCredentials {
        let mut source = CvmRoleCredentials::new();
        if let Some(endpoint) = &self.metadata_endpoint {
            source = source.with_endpoint(endpoint);
        }
        match role {
            Some(role) => source.with_role_name(role),
            None => source,
        }
    }

    /// The ECS RAM role source, with the environment's settings (`role`: its name, when known).
    pub(crate) fn ecs(&self, role: Option<&str>) -> EcsRamRoleCredentials {
        let mut source = EcsRamRoleCredentials::from_environment(&self.environment);
        if let Some(endpoint) = &self.metadata_endpoint {
            source = source.with_endpoint(endpoint);
        }
        match role {
            Some(role) => source.with_role_name(role),
            None => source,
        }
    }

    /// `endpoint`, unless the context moves every STS call.
    pub(crate) fn sts(&self, mut endpoint: StsEndpoint) -> StsEndpoint {
        if let Some(url) = &self.sts_endpoint {
            endpoint.url = Some(url.clone());
        }
        endpoint
    }
}

/// A file's text: `Ok(None)` when it does not exist; an error (naming the file) when it cannot be
/// read or is too large.
pub(crate) fn read(path: &Path) -> Result<Option<String>, String> {
    let shown = path.display();
    let metadata = match std::fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(format!("cannot read {shown}: {error}")),
    };
    if !metadata.is_file() {
        return Err(format!("{shown} is not a file"));
    }
    if metadata.len() > MAX_FILE_BYTES {
        return Err(format!("{shown} is larger than 1 MiB"));
    }
    std::fs::read_to_string(path).map(Some).map_err(|error| format!("cannot read {shown}: {error}"))
}

/// The file a variable names (which must exist), else the first of `candidates` that exists;
/// `Ok(None)` when none does.
pub(crate) fn locate(
    environment: &Environment,
    variable: &str,
    candidates: &[PathBuf],
) -> Result<Option<(PathBuf, String)>, String> {
    if let Some(named) = environment.var(variable) {
        let path = PathBuf::from(named);
        return match read(&path)? {
            Some(text) => Ok(Some((path, text))),
            None => Err(format!("{} (named by {variable}) does not exist", path.display())),
        };
    }
    for path in candidates {
        if let Some(text) = read(path)? {
            return Ok(Some((path.clone(), text)));
        }
    }
    Ok(None)
}

/// The source a profile becomes, built once: later calls go to the same source (and its cache).
#[derive(Debug, Default)]
pub(crate) struct Built {
    source: OnceLock<Arc<dyn ProvideCredentials>>,
}

impl Built {
    /// The source, built by `build` at the first call that succeeds.
    pub(crate) fn get(
        &self,
        build: impl FnOnce() -> Result<Arc<dyn ProvideCredentials>, CredentialsError>,
    ) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
        if let Some(source) = self.source.get() {
            return Ok(source.clone());
        }
        let built = build()?;
        // Two first calls at once may both build; the first one stored is used by everyone.
        Ok(self.source.get_or_init(|| built).clone())
    }
}

/// A did-you-mean list: `(it has: a, b)`, or nothing.
pub(crate) fn listing(names: &[&str]) -> String {
    if names.is_empty() { String::new() } else { format!(" (it has: {})", names.join(", ")) }
}
