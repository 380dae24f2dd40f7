//! What a service says when an action fails: [`ErrorMetadata`], and the [`ServiceError`] trait every
//! generated per-action error enum implements.

use std::fmt;

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

    /// The provider's error code (`FailedOperation.AccessKeyExist`).
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The provider's message.
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

/// Writes `code: message (request id …)`, the one-line form every service error displays.
pub fn write_error(f: &mut fmt::Formatter<'_>, code: &str, message: &str, request_id: Option<&str>) -> fmt::Result {
    write!(f, "{code}")?;
    if !message.is_empty() {
        write!(f, ": {message}")?;
    }
    if let Some(request_id) = request_id {
        write!(f, " (request id {request_id})")?;
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

/// Whether a failed request may have been processed by the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The request never left the client: nothing happened.
    NotSent,
    /// The request was sent and no answer came back: the service may or may not have processed it.
    Unknown,
}

/// A response that is not what the protocol promises (an HTML page, truncated JSON, an empty body,
/// an error status without an error envelope). It keeps the status and the raw body, so nothing the
/// server returned is lost; `Debug` and `Display` never show a body that may carry a secret.
#[derive(Clone)]
pub struct UndecodableResponse {
    status: u16,
    body: bytes::Bytes,
    reason: String,
    request_id: Option<String>,
    sensitive: bool,
}

impl UndecodableResponse {
    pub(crate) fn new(
        status: u16,
        body: bytes::Bytes,
        reason: String,
        request_id: Option<String>,
        sensitive: bool,
    ) -> Self {
        UndecodableResponse { status, body, reason, request_id, sensitive }
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The raw body, exactly as received. It may carry a secret (a freshly generated key): handle it
    /// with care.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// Why it could not be decoded.
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// The request id, when the response carried one.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// Whether the action's responses may carry secrets (the body is then never shown).
    pub fn is_sensitive(&self) -> bool {
        self.sensitive
    }
}

/// At most this much of a non-sensitive body is shown by `Debug`.
const SHOWN_BODY: usize = 512;

impl fmt::Debug for UndecodableResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("UndecodableResponse");
        debug.field("status", &self.status).field("reason", &self.reason).field("request_id", &self.request_id);
        if self.sensitive {
            debug.field(
                "body",
                &format_args!("<{} bytes, not shown: the response may carry a secret>", self.body.len()),
            );
        } else {
            let text = String::from_utf8_lossy(&self.body[..self.body.len().min(SHOWN_BODY)]).into_owned();
            debug.field("body", &text).field("body_len", &self.body.len());
        }
        debug.finish()
    }
}

impl fmt::Display for UndecodableResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "undecodable response (HTTP {}, {} bytes): {}", self.status, self.body.len(), self.reason)?;
        if let Some(request_id) = &self.request_id {
            write!(f, " (request id {request_id})")?;
        }
        Ok(())
    }
}

/// Why a call failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The request broke the spec's rules; nothing was sent.
    Validation(crate::ValidationError),
    /// The service answered with an error: the action's typed error.
    Service(E),
    /// No answer in time.
    Timeout {
        /// The action.
        action: &'static str,
        /// Whether the service may have processed the request.
        outcome: Outcome,
        /// Attempts made.
        attempts: u32,
    },
    /// The connection failed.
    Transport {
        /// The action.
        action: &'static str,
        /// Whether the service may have processed the request.
        outcome: Outcome,
        /// Attempts made.
        attempts: u32,
        /// The underlying error.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The response could not be decoded; the raw response is kept.
    Undecodable(UndecodableResponse),
    /// No usable credentials.
    Credentials(crate::credentials::CredentialsError),
    /// The client is misconfigured (no region for a regional endpoint, a plain-HTTP URL that is not
    /// loopback).
    Configuration(String),
}

impl<E: ServiceError> Error<E> {
    /// The service's typed error, if the service answered with one.
    pub fn service_error(&self) -> Option<&E> {
        match self {
            Error::Service(error) => Some(error),
            _ => None,
        }
    }

    /// Whether the request may have been processed although the call failed: a non-idempotent
    /// action that timed out or lost its connection after sending. Check the resource before
    /// repeating such a call.
    pub fn is_outcome_unknown(&self) -> bool {
        matches!(
            self,
            Error::Timeout { outcome: Outcome::Unknown, .. } | Error::Transport { outcome: Outcome::Unknown, .. }
        )
    }
}

impl<E: fmt::Display> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let outcome = |outcome: &Outcome| match outcome {
            Outcome::NotSent => "; the request was not sent",
            Outcome::Unknown => {
                "; the outcome is unknown: the service may have processed the request, so check before repeating it"
            }
        };
        match self {
            Error::Validation(error) => write!(f, "{error}"),
            Error::Service(error) => write!(f, "service error: {error}"),
            Error::Timeout { action, outcome: o, attempts } => {
                write!(f, "{action} timed out after {attempts} attempt(s){}", outcome(o))
            }
            Error::Transport { action, outcome: o, attempts, source } => {
                write!(f, "{action} failed to reach the service after {attempts} attempt(s): {source}{}", outcome(o))
            }
            Error::Undecodable(response) => write!(f, "{response}"),
            Error::Credentials(error) => write!(f, "credentials: {error}"),
            Error::Configuration(message) => write!(f, "configuration: {message}"),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Validation(error) => Some(error),
            Error::Service(error) => Some(error),
            Error::Transport { source, .. } => Some(source.as_ref()),
            Error::Credentials(error) => Some(error),
            _ => None,
        }
    }
}

/// The accessors, `Display` and `std::error::Error` of a generated error enum, all read from its
/// `parts()`: every action's error type has the same ones, so generated code names them in one line
/// (`cloudspec_runtime::error_impls!(CreateApiKeyError);`) instead of repeating them.
#[macro_export]
macro_rules! error_impls {
    ($error:ident) => {
        impl $error {
            /// The provider's error code.
            pub fn code(&self) -> &str {
                self.parts().code
            }

            /// The provider's message.
            pub fn message(&self) -> &str {
                self.parts().message
            }

            /// The id of the failed request, for the provider's support.
            pub fn request_id(&self) -> ::core::option::Option<&str> {
                self.parts().request_id
            }

            /// The spec marks the code transient; clients retry it only for idempotent actions.
            pub fn is_retryable(&self) -> bool {
                self.parts().retryable
            }

            /// The code signals throttling.
            pub fn is_throttling(&self) -> bool {
                self.parts().throttling
            }
        }

        impl ::core::fmt::Display for $error {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Display::fmt(&self.parts(), f)
            }
        }

        impl ::std::error::Error for $error {}
    };
}
