//! What a failed call says: the [`Error`] every call returns, the [`ErrorMetadata`] of a service's
//! error envelope and the [`ServiceError`] trait every generated per-action error enum implements, the
//! raw answers kept when a response cannot be used ([`UndecodableResponse`], [`IncompleteResponse`]),
//! and how server-supplied text is neutralised before `Display` shows it.
//!
//! Every `Display` here is one line that names what happened and whether the service may have
//! processed the request. A cause is either part of that line or returned by `source()`, never both,
//! so error reporters (`anyhow`, `eyre`) that print the chain print each fact once. Text that comes
//! from a server (codes, messages, request ids, reasons) is written with control characters and Unicode
//! bidirectional controls escaped (`\u{1b}`), so a hostile message cannot move the cursor, recolour
//! a terminal or reorder what is shown; accessors return the raw values.

use std::fmt::{self, Write as _};

use crate::validation::ValidationError;

/// Whether a character could change how a terminal or a text view shows the text around it: C0 and C1
/// controls and DEL (colours, cursor moves, line breaks), the Unicode line and paragraph separators,
/// and the bidirectional controls (embeddings, overrides, isolates and marks) that reorder a line.
fn is_disruptive(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// A `fmt::Write` that escapes disruptive characters (`\u{1b}`) and passes everything else through.
struct Neutralising<'a, W: fmt::Write + ?Sized>(&'a mut W);

impl<W: fmt::Write + ?Sized> fmt::Write for Neutralising<'_, W> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        let mut rest = text;
        while let Some(at) = rest.find(is_disruptive) {
            self.0.write_str(&rest[..at])?;
            let c = rest[at..].chars().next().unwrap_or_default();
            write!(self.0, "{}", c.escape_unicode())?;
            rest = &rest[at + c.len_utf8()..];
        }
        self.0.write_str(rest)
    }
}

/// Text from a server, displayed with control and bidirectional characters escaped.
#[derive(Debug, Clone, Copy)]
pub struct Neutralised<'a>(pub &'a str);

impl fmt::Display for Neutralised<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Neutralising(f).write_str(self.0)
    }
}

/// Writes formatted text through [`Neutralised`]'s escaping.
fn write_neutralised(f: &mut fmt::Formatter<'_>, args: fmt::Arguments<'_>) -> fmt::Result {
    Neutralising(f).write_fmt(args)
}

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

impl fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.parts(), f)
    }
}

/// Whether a request that got no usable answer may have been processed by the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The request never left the client: nothing happened.
    NotSent,
    /// The request was sent and no answer came back: the service may or may not have processed it.
    Unknown,
}

impl Outcome {
    /// The clause `Display` ends with.
    fn clause(self) -> &'static str {
        match self {
            Outcome::NotSent => "the request was not sent",
            Outcome::Unknown => {
                "the outcome is unknown: the service may have processed the request, so check before repeating it"
            }
        }
    }
}

/// At most this much of a non-sensitive body is shown by `Debug`.
const SHOWN_BODY: usize = 512;

/// `Debug`'s view of a body: its first bytes when they cannot carry a secret, its length otherwise.
fn debug_body(debug: &mut fmt::DebugStruct<'_, '_>, body: &[u8], len: usize, sensitive: bool) {
    if sensitive {
        debug.field("body", &format_args!("<{len} bytes, not shown: the response may carry a secret>"));
    } else {
        let text = String::from_utf8_lossy(&body[..body.len().min(SHOWN_BODY)]).into_owned();
        debug.field("body", &text).field("body_len", &len);
    }
}

/// A response that is not what the protocol promises (an HTML page, truncated JSON, an empty body,
/// an error status without an error envelope). It keeps the status and the raw body, so nothing the
/// server returned is lost; `Debug` and `Display` never show a body that may carry a secret, and the
/// reason names JSON paths and expected types, never values.
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

    /// The request id, when the response carried one (in its body or its headers).
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// Whether the action's responses may carry secrets (the body is then never shown).
    pub fn is_sensitive(&self) -> bool {
        self.sensitive
    }
}

impl fmt::Debug for UndecodableResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("UndecodableResponse");
        debug.field("status", &self.status).field("reason", &self.reason).field("request_id", &self.request_id);
        debug_body(&mut debug, &self.body, self.body.len(), self.sensitive);
        debug.finish()
    }
}

impl fmt::Display for UndecodableResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_neutralised(
            f,
            format_args!("undecodable response (HTTP {}, {} bytes): {}", self.status, self.body.len(), self.reason),
        )?;
        if let Some(request_id) = &self.request_id {
            write!(f, " (request id {})", Neutralised(request_id))?;
        }
        Ok(())
    }
}

/// Why a response body did not arrive whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Incompleteness {
    /// The body is larger than the configured limit ([`Config::with_max_response_bytes`]); reading
    /// stopped there.
    ///
    /// [`Config::with_max_response_bytes`]: crate::Config::with_max_response_bytes
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
        /// The size the response declared (`Content-Length`), when it declared one.
        declared: Option<u64>,
    },
    /// The connection closed before the body ended.
    Closed,
    /// The connection was reset while the body was arriving.
    Reset,
    /// The body did not arrive before the attempt's timeout.
    TimedOut,
    /// Reading the body failed otherwise (see `source()`).
    Failed,
}

/// A response whose status line and headers arrived but whose body did not arrive whole: the service
/// received the request and answered, so it may have processed it (Tencent reports errors with HTTP
/// 200, so the status alone does not say how). It keeps the status, the request id from the headers,
/// and — for actions whose responses carry no secret — the first bytes of the body.
pub struct IncompleteResponse(Box<Incomplete>);

/// The parts of an [`IncompleteResponse`], boxed so that `Error` stays small.
struct Incomplete {
    action: &'static str,
    status: u16,
    request_id: Option<String>,
    incompleteness: Incompleteness,
    received: u64,
    head: bytes::Bytes,
    sensitive: bool,
    attempts: u32,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl IncompleteResponse {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        action: &'static str,
        status: u16,
        request_id: Option<String>,
        incompleteness: Incompleteness,
        received: u64,
        head: bytes::Bytes,
        sensitive: bool,
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        let head = if sensitive { bytes::Bytes::new() } else { head };
        IncompleteResponse(Box::new(Incomplete {
            action,
            status,
            request_id,
            incompleteness,
            received,
            head,
            sensitive,
            attempts: 1,
            source,
        }))
    }

    pub(crate) fn with_attempts(mut self, attempts: u32) -> Self {
        self.0.attempts = attempts;
        self
    }

    /// The action.
    pub fn action(&self) -> &'static str {
        self.0.action
    }

    /// The HTTP status the service answered with.
    pub fn status(&self) -> u16 {
        self.0.status
    }

    /// The request id, when the response headers carried one (`x-acs-request-id`).
    pub fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }

    /// Why the body is incomplete.
    pub fn incompleteness(&self) -> Incompleteness {
        self.0.incompleteness
    }

    /// Bytes of the body received before reading stopped.
    pub fn received(&self) -> u64 {
        self.0.received
    }

    /// The first bytes of the body, for an action whose responses carry no secret (empty otherwise).
    pub fn head(&self) -> &[u8] {
        &self.0.head
    }

    /// Attempts made, this one included.
    pub fn attempts(&self) -> u32 {
        self.0.attempts
    }
}

impl fmt::Debug for IncompleteResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let this = &self.0;
        let mut debug = f.debug_struct("IncompleteResponse");
        debug
            .field("action", &this.action)
            .field("status", &this.status)
            .field("request_id", &this.request_id)
            .field("incompleteness", &this.incompleteness)
            .field("received", &this.received)
            .field("attempts", &this.attempts)
            .field("source", &this.source);
        debug_body(&mut debug, &this.head, this.head.len(), this.sensitive);
        debug.finish()
    }
}

impl fmt::Display for IncompleteResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let this = &self.0;
        let (action, status, received) = (this.action, this.status, this.received);
        write!(f, "{action}: the service answered HTTP {status} but the response is incomplete: ")?;
        match this.incompleteness {
            Incompleteness::TooLarge { limit, declared: Some(declared) } => write!(
                f,
                "it declares {declared} bytes, over the {limit}-byte limit (Config::with_max_response_bytes), so it was not read"
            )?,
            Incompleteness::TooLarge { limit, declared: None } => write!(
                f,
                "it is larger than the {limit}-byte limit (Config::with_max_response_bytes); reading stopped there"
            )?,
            Incompleteness::Closed => write!(f, "the connection closed after {received} bytes of the body")?,
            Incompleteness::Reset => write!(f, "the connection was reset after {received} bytes of the body")?,
            Incompleteness::TimedOut => write!(f, "the body did not arrive in time ({received} bytes received)")?,
            Incompleteness::Failed => write!(f, "reading the body failed after {received} bytes")?,
        }
        if let Some(request_id) = &this.request_id {
            write!(f, " (request id {})", Neutralised(request_id))?;
        }
        write!(
            f,
            "; {} attempt(s); the request was sent and answered, so the service may have processed it: check before repeating it",
            this.attempts
        )
    }
}

/// What kept a request from reaching the service, or broke the connection before an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportCause {
    /// The host name did not resolve.
    Dns,
    /// Nothing listens on the port (the connection was refused).
    Refused,
    /// The TLS handshake failed (certificate, protocol).
    Tls,
    /// Connecting took longer than the connect timeout.
    ConnectTimeout,
    /// The connection was reset or closed before an answer came.
    Closed,
    /// Another failure (see `source()`).
    Other,
}

impl fmt::Display for TransportCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportCause::Dns => "the host name did not resolve",
            TransportCause::Refused => "connection refused",
            TransportCause::Tls => "the TLS handshake failed",
            TransportCause::ConnectTimeout => "connecting timed out",
            TransportCause::Closed => "the connection closed before an answer",
            TransportCause::Other => "the connection failed",
        })
    }
}

/// Why a call failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The request broke the spec's rules; nothing was sent.
    Validation(ValidationError),
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
    /// The connection failed before an answer came.
    #[non_exhaustive]
    Transport {
        /// The action.
        action: &'static str,
        /// The host (and port) called.
        host: String,
        /// What failed, read from the source chain.
        cause: TransportCause,
        /// Whether the service may have processed the request.
        outcome: Outcome,
        /// Attempts made.
        attempts: u32,
        /// The underlying error (without the URL, whose query may carry parameters).
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The server answered with a redirect (HTTP 3xx). Cloud APIs never redirect, and following one
    /// would send the body, the session token and the signature to another host: the client never
    /// follows redirects, so nothing was sent to the location.
    #[non_exhaustive]
    Redirect {
        /// The action.
        action: &'static str,
        /// The host (and port) called, which answered.
        host: String,
        /// The HTTP status.
        status: u16,
        /// The host (and port) of the `Location`, never its path or query; `None` when the location
        /// is missing or not a URL with a host.
        location: Option<String>,
        /// Attempts made.
        attempts: u32,
    },
    /// The service answered, but the body did not arrive whole (cut, reset, too large, too slow).
    Incomplete(IncompleteResponse),
    /// The response could not be decoded; the raw response is kept.
    Undecodable(UndecodableResponse),
    /// No usable credentials.
    Credentials(crate::credentials::CredentialsError),
    /// The client is misconfigured (no region for a regional endpoint, a plain-HTTP URL that is not
    /// loopback, a call outside a Tokio runtime).
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
}

impl<E> Error<E> {
    /// Whether the request may have been processed although the call failed: it was sent and no
    /// usable answer came back (a timeout or broken connection after sending, an incomplete body, a
    /// redirect). Check the resource before repeating such a call.
    pub fn is_outcome_unknown(&self) -> bool {
        matches!(
            self,
            Error::Timeout { outcome: Outcome::Unknown, .. }
                | Error::Transport { outcome: Outcome::Unknown, .. }
                | Error::Incomplete(_)
                | Error::Redirect { .. }
        )
    }
}

impl<E: fmt::Display> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Validation(error) => match error.violations() {
                [only] => write_neutralised(f, format_args!("invalid request: {only}")),
                all => {
                    write!(f, "invalid request: {} problems: ", all.len())?;
                    for (i, violation) in all.iter().enumerate() {
                        let separator = if i == 0 { "" } else { "; " };
                        write_neutralised(f, format_args!("{separator}{violation}"))?;
                    }
                    Ok(())
                }
            },
            Error::Service(error) => write_neutralised(f, format_args!("service error: {error}")),
            Error::Timeout { action, outcome, attempts } => {
                write!(f, "{action} timed out after {attempts} attempt(s); {}", outcome.clause())
            }
            Error::Transport { action, host, cause, outcome: Outcome::NotSent, attempts, .. } => write_neutralised(
                f,
                format_args!(
                    "{action} could not reach {host} ({cause}) after {attempts} attempt(s); {}",
                    Outcome::NotSent.clause()
                ),
            ),
            Error::Transport { action, host, cause, outcome, attempts, .. } => write_neutralised(
                f,
                format_args!(
                    "{action}: the connection to {host} failed ({cause}) after {attempts} attempt(s); {}",
                    outcome.clause()
                ),
            ),
            Error::Redirect { action, host, status, location, attempts } => {
                let location = location.as_deref().unwrap_or("a location without a host");
                write_neutralised(
                    f,
                    format_args!(
                        "{action}: {host} answered HTTP {status}, a redirect to {location}, which is never followed: \
                         nothing was sent there; {attempts} attempt(s); whether {host} processed the request is \
                         unknown, so check before repeating it"
                    ),
                )
            }
            Error::Incomplete(response) => write!(f, "{response}"),
            Error::Undecodable(response) => write!(f, "{response}"),
            Error::Credentials(error) => write_neutralised(f, format_args!("credentials: {error}")),
            Error::Configuration(message) => write_neutralised(f, format_args!("configuration: {message}")),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for Error<E> {
    /// Only the causes `Display` does not already include: the transport error under a connection
    /// failure or an incomplete body. Service, validation and credentials errors are part of the line.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport { source, .. } => Some(source.as_ref()),
            Error::Incomplete(response) => {
                response.0.source.as_deref().map(|source| source as &(dyn std::error::Error + 'static))
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_escapes_controls_and_bidi_but_accessors_keep_raw_values() {
        let metadata = ErrorMetadata::new(
            "Code\u{1b}[2J",
            "evil \u{1b}]0;title\u{7}\u{202e}txt.exe\u{2066}\nsecond line\u{85}\u{7f}",
            Some("req\r\n-1".into()),
        );
        let shown = metadata.to_string();
        assert_eq!(
            shown,
            "Code\\u{1b}[2J: evil \\u{1b}]0;title\\u{7}\\u{202e}txt.exe\\u{2066}\\u{a}second line\\u{85}\\u{7f} \
             (request id req\\u{d}\\u{a}-1)"
        );
        assert!(!shown.chars().any(is_disruptive), "{shown:?}");
        assert_eq!(metadata.message(), "evil \u{1b}]0;title\u{7}\u{202e}txt.exe\u{2066}\nsecond line\u{85}\u{7f}");
        // Ordinary text, accents and CJK pass unchanged.
        assert_eq!(Neutralised("clé 密钥 – ok").to_string(), "clé 密钥 – ok");
    }

    #[derive(Debug)]
    struct Typed(ErrorMetadata);

    impl fmt::Display for Typed {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            self.0.fmt(f)
        }
    }

    impl std::error::Error for Typed {}

    #[test]
    fn every_error_is_one_line_and_its_cause_is_shown_once() {
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused by the peer");
        let transport: Error<Typed> = Error::Transport {
            action: "CreateApiKey",
            host: "127.0.0.1:9".into(),
            cause: TransportCause::Refused,
            outcome: Outcome::NotSent,
            attempts: 3,
            source: Box::new(io),
        };
        let shown = transport.to_string();
        assert_eq!(
            shown,
            "CreateApiKey could not reach 127.0.0.1:9 (connection refused) after 3 attempt(s); the request was not sent"
        );
        // The cause is left to `source()`: its text is not repeated.
        assert!(!shown.contains("refused by the peer"));
        assert_eq!(
            std::error::Error::source(&transport).map(|s| s.to_string()).as_deref(),
            Some("refused by the peer")
        );

        let service: Error<Typed> = Error::Service(Typed(ErrorMetadata::new("Bad\nCode", "m\u{1b}", None)));
        assert_eq!(service.to_string(), "service error: Bad\\u{a}Code: m\\u{1b}");
        assert!(std::error::Error::source(&service).is_none(), "the service error is part of the line");

        let incomplete: Error<Typed> = Error::Incomplete(
            IncompleteResponse::new(
                "ResetAppSecret",
                200,
                Some("rid\u{1b}".into()),
                Incompleteness::Closed,
                10,
                bytes::Bytes::from_static(b"{\"NewAppSecret\""),
                true,
                None,
            )
            .with_attempts(1),
        );
        let shown = format!("{incomplete} {incomplete:?}");
        assert!(shown.contains("answered HTTP 200 but the response is incomplete"), "{shown}");
        assert!(shown.contains("rid\\u{1b}"), "{shown}");
        assert!(!shown.contains("NewAppSecret"), "a sensitive head is never kept: {shown}");
        assert!(incomplete.is_outcome_unknown());

        for error in [transport, service, incomplete] {
            let shown = error.to_string();
            assert!(!shown.contains('\n'), "{shown}");
        }
    }
}
