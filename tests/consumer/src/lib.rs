//! An example consumer of cloudspec: its `build.rs` generates a typed client for Tencent Cloud API
//! Gateway from the specs in this crate's own `specs/` directory, as `prost-build` users generate code
//! from `.proto` files, and this library includes the result in [`api`].
//!
//! Editing a spec regenerates the client on the next `cargo build`; a bad spec fails the build with
//! cloudspec's diagnostics.

use std::fmt;

/// The code `build.rs` generated: `api::tencentcloud::apigateway::v20180808` holds the requests,
/// responses, typed errors and the `Client` of API Gateway 2018-08-08.
pub mod api {
    include!(concat!(env!("OUT_DIR"), "/cloudspec.rs"));
}

use api::tencentcloud::apigateway::v20180808::{
    ApiKey, Client, CreateApiKeyError, CreateApiKeyRequest, UpdateApiKeyError, UpdateApiKeyRequest,
};

/// An API key as [`rotate_key`] created it, and the same key after its secret was rotated.
#[derive(Debug, Clone)]
pub struct RotatedKey {
    /// The key as `CreateApiKey` returned it.
    pub created: ApiKey,
    /// The key as `UpdateApiKey` returned it: the same ID, a new secret.
    pub rotated: ApiKey,
}

/// Why [`rotate_key`] failed.
#[derive(Debug)]
pub enum RotateError {
    /// The request could not be built (the name broke the spec's rules).
    Invalid(cloudspec_runtime::ValidationError),
    /// `CreateApiKey` failed; no key was created, or (after a lost answer) one may have been.
    Create(cloudspec_runtime::Error<CreateApiKeyError>),
    /// `UpdateApiKey` failed; the key with this ID exists with its first secret, or (after a lost
    /// answer) perhaps a new one.
    Rotate {
        /// The created key's ID.
        access_key_id: String,
        /// What went wrong.
        error: cloudspec_runtime::Error<UpdateApiKeyError>,
    },
    /// The service answered without the key it documents (`Result` was null).
    MissingKey(&'static str),
}

impl fmt::Display for RotateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RotateError::Invalid(error) => write!(f, "invalid request: {error}"),
            RotateError::Create(error) => write!(f, "CreateApiKey failed: {error}"),
            RotateError::Rotate { access_key_id, error } => {
                write!(f, "UpdateApiKey failed for key {access_key_id}: {error}")
            }
            RotateError::MissingKey(action) => write!(f, "{action} answered without a key"),
        }
    }
}

impl std::error::Error for RotateError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RotateError::Invalid(error) => Some(error),
            RotateError::Create(error) => Some(error),
            RotateError::Rotate { error, .. } => Some(error),
            RotateError::MissingKey(_) => None,
        }
    }
}

/// Creates an API key named `name` (an automatically generated key pair), then rotates its secret
/// with `UpdateApiKey`. The client's configuration needs a region: `UpdateApiKey` requires one.
///
/// Neither action is idempotent, so the client never retries them after a request may have reached
/// the server; a failure says which step failed.
pub async fn rotate_key(client: &Client, name: &str) -> Result<RotatedKey, RotateError> {
    let create = CreateApiKeyRequest::builder().secret_name(name).build().map_err(RotateError::Invalid)?;
    let created = client
        .create_api_key(create)
        .await
        .map_err(RotateError::Create)?
        .result
        .ok_or(RotateError::MissingKey("CreateApiKey"))?;
    let access_key_id = created.access_key_id.clone();
    let update =
        UpdateApiKeyRequest::builder().access_key_id(access_key_id.clone()).build().map_err(RotateError::Invalid)?;
    let rotated = client
        .update_api_key(update)
        .await
        .map_err(|error| RotateError::Rotate { access_key_id, error })?
        .result
        .ok_or(RotateError::MissingKey("UpdateApiKey"))?;
    Ok(RotatedKey { created, rotated })
}
