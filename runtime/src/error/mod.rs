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

pub mod documented;
mod neutral;
mod response;
mod service;

use std::fmt;

use crate::validation::ValidationError;

pub use neutral::Neutralised;
pub(crate) use neutral::write_neutralised;
pub use response::{IncompleteResponse, Incompleteness, UndecodableResponse};
pub use service::{ErrorMetadata, ErrorParts, ServiceError, UnknownCode, write_error};

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
    /// The total count of a paged list changed between two pages: items were added or removed while
    /// paging, so some may be missed or seen twice. A paginator reports it before the page that shows
    /// the new total and goes on; skip the item to ignore it, or ask for none with
    /// `allow_total_changes()`.
    TotalChanged {
        /// The action.
        action: &'static str,
        /// The total of the page before.
        before: u64,
        /// The total of this page.
        after: u64,
    },
    /// A paged list's service returned, as the next page's token, the token it was sent: following it
    /// would never end, so the paginator stopped after that page.
    PagingStuck {
        /// The action.
        action: &'static str,
    },
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
            Error::TotalChanged { action, before, after } => write!(
                f,
                "{action}: the total count changed from {before} to {after} while paging; items may have been \
                 missed or seen twice"
            ),
            Error::PagingStuck { action } => write!(
                f,
                "{action}: the service returned the token it was sent as the next one, so paging stopped there"
            ),
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
                response.read_error().map(|source| source as &(dyn std::error::Error + 'static))
            }
            _ => None,
        }
    }
}

/// The accessors, `Display` and `std::error::Error` of a generated error enum, all read from its
/// `parts()`: every action's error type has the same ones, so generated code names them in one line
/// (`cloudspec_runtime::error_impls!(CreateApiKeyError);`) instead of repeating them. Each is
/// `#[inline]`, so a crate of hundreds of actions compiles them only where they are called.
#[macro_export]
macro_rules! error_impls {
    ($error:ident) => {
        impl $error {
            /// The provider's error code.
            #[inline]
            pub fn code(&self) -> &str {
                self.parts().code
            }

            /// The provider's message.
            #[inline]
            pub fn message(&self) -> &str {
                self.parts().message
            }

            /// The id of the failed request, for the provider's support.
            #[inline]
            pub fn request_id(&self) -> ::core::option::Option<&str> {
                self.parts().request_id
            }

            /// The spec marks the code transient; clients retry it only for idempotent actions.
            #[inline]
            pub fn is_retryable(&self) -> bool {
                self.parts().retryable
            }

            /// The code signals throttling.
            #[inline]
            pub fn is_throttling(&self) -> bool {
                self.parts().throttling
            }
        }

        impl ::core::fmt::Display for $error {
            #[inline]
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Display::fmt(&self.parts(), f)
            }
        }

        impl ::std::error::Error for $error {}
    };
}

#[cfg(test)]
mod tests {
    use super::neutral::is_disruptive;
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
