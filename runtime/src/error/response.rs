//! Answers that cannot be used, kept whole: [`UndecodableResponse`] (not what the protocol promises)
//! and [`IncompleteResponse`] (the body did not arrive whole).

use std::fmt;

use super::{Neutralised, write_neutralised};

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
    /// The read error that cut the body short, when there was one: what `Error::source` returns.
    pub(crate) fn read_error(&self) -> Option<&(dyn std::error::Error + Send + Sync + 'static)> {
        self.0.source.as_deref()
    }

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
