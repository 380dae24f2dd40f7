//! What a service says when an action fails: [`ErrorMetadata`], the [`ServiceError`] trait every
//! generated per-action error enum implements, and [`UnknownCode`] for codes the spec does not list.

use std::fmt;

use super::Neutralised;

/// The code, message and request id of an error response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorMetadata {
    code: String,
    message: String,
    request_id: Option<String>,
}

impl ErrorMetadata {
    /// Metadata as read from an error response.
    pub fn new(code: impl Into<String>, message: impl Into<String>, request_id: Option<String>) -> Self {
        ErrorMetadata { code: code.into(), message: message.into(), request_id }
    }

    /// The provider's error code (`FailedOperation.AccessKeyExist`), as received.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The provider's message, as received (`Display` escapes its control characters).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The id of the failed request, for the provider's support.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// Takes the parts apart.
    pub fn into_parts(self) -> (String, String, Option<String>) {
        (self.code, self.message, self.request_id)
    }
}

impl fmt::Display for ErrorMetadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_error(f, &self.code, &self.message, self.request_id.as_deref())
    }
}

/// Writes `code: message (request id …)`, the one-line form every service error displays, with the
/// server's text neutralised.
pub fn write_error(f: &mut fmt::Formatter<'_>, code: &str, message: &str, request_id: Option<&str>) -> fmt::Result {
    write!(f, "{}", Neutralised(code))?;
    if !message.is_empty() {
        write!(f, ": {}", Neutralised(message))?;
    }
    if let Some(request_id) = request_id {
        write!(f, " (request id {})", Neutralised(request_id))?;
    }
    Ok(())
}

/// What an error value says: code, message, request id, and how the spec classifies the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorParts<'a> {
    /// The provider's error code.
    pub code: &'a str,
    /// The provider's message.
    pub message: &'a str,
    /// The id of the failed request.
    pub request_id: Option<&'a str>,
    /// The spec marks the code transient.
    pub retryable: bool,
    /// The spec marks the code as throttling.
    pub throttling: bool,
}

impl<'a> ErrorParts<'a> {
    /// The parts of documented metadata, with the spec's classification.
    pub fn documented(metadata: &'a ErrorMetadata, retryable: bool, throttling: bool) -> Self {
        ErrorParts {
            code: &metadata.code,
            message: &metadata.message,
            request_id: metadata.request_id.as_deref(),
            retryable,
            throttling,
        }
    }

    /// The parts of a code the spec does not list: neither retryable nor throttling.
    pub fn unknown(code: &'a str, message: &'a str, request_id: Option<&'a str>) -> Self {
        ErrorParts { code, message, request_id, retryable: false, throttling: false }
    }
}

impl fmt::Display for ErrorParts<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_error(f, self.code, self.message, self.request_id)
    }
}

/// A typed error of one action, as generated from the spec.
pub trait ServiceError: std::error::Error + Send + Sync + Sized + 'static {
    /// Classifies an error response by its code.
    fn from_metadata(metadata: ErrorMetadata) -> Self;

    /// What the error says, and how the spec classifies it.
    fn parts(&self) -> ErrorParts<'_>;

    /// The provider's error code.
    fn code(&self) -> &str {
        self.parts().code
    }

    /// The provider's message.
    fn message(&self) -> &str {
        self.parts().message
    }

    /// The id of the failed request, for the provider's support.
    fn request_id(&self) -> Option<&str> {
        self.parts().request_id
    }

    /// The spec marks the code transient: the same request may succeed later. Whether a client
    /// retries also depends on the action being idempotent.
    fn is_retryable(&self) -> bool {
        self.parts().retryable
    }

    /// The code signals throttling.
    fn is_throttling(&self) -> bool {
        self.parts().throttling
    }
}

/// An error code the spec does not list, in the `Unknown` variant of every generated error enum.
///
/// Its code, message and request id are there to read, not to match on: a match on the code would
/// silently stop matching the day the code is documented and gets a variant of its own (the AWS SDK
/// for Rust deprecated exactly that shape). Match the documented variants, and treat `Unknown(_)` as
/// "anything else".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCode(ErrorMetadata);

impl UnknownCode {
    /// Wraps the metadata of an error whose code the spec does not list (generated code calls this).
    pub fn new(metadata: ErrorMetadata) -> Self {
        UnknownCode(metadata)
    }

    /// The provider's error code.
    pub fn code(&self) -> &str {
        self.0.code()
    }

    /// The provider's message.
    pub fn message(&self) -> &str {
        self.0.message()
    }

    /// The id of the failed request, for the provider's support.
    pub fn request_id(&self) -> Option<&str> {
        self.0.request_id()
    }

    /// What the error says: neither retryable nor throttling, since the spec says nothing of it.
    pub fn parts(&self) -> ErrorParts<'_> {
        ErrorParts::unknown(self.code(), self.message(), self.request_id())
    }
}

impl From<ErrorMetadata> for UnknownCode {
    /// [`UnknownCode::new`], for generated code's fallback (`Self::Unknown(metadata.into())`).
    fn from(metadata: ErrorMetadata) -> Self {
        UnknownCode(metadata)
    }
}

impl fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.parts(), f)
    }
}
