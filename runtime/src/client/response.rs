//! Reading the answer to one attempt, with nothing taken on trust: a redirect is reported (never
//! followed), the provider's retry-after hint is parsed without overflow, the request id is read from
//! the headers, and the body is read up to the configured limit and the attempt's deadline, so a
//! server can neither exhaust memory nor make a cut answer look like a network failure. Failures of the
//! connection itself are classified by walking their source chain.

use std::pin::Pin;
use std::time::{Duration, SystemTime};

use bytes::{Bytes, BytesMut};
use reqwest::header::{HeaderMap, HeaderName};
use tokio::time::Sleep;

use crate::error::{Incompleteness, TransportCause};

/// An attempt's deadline: one timer that every step of the attempt (sending, then each chunk of the
/// body) races against. It is registered with Tokio's timer once per attempt, where a
/// `timeout_at` per step would register and cancel one per step. The timer lives in the attempt's
/// own future (see [`Deadline::at`]), not in an allocation of its own.
pub(super) struct Deadline<'a>(Option<Pin<&'a mut Sleep>>);

impl<'a> Deadline<'a> {
    /// A deadline on `timer`, pinned by the caller (`std::pin::pin!(instant.map(sleep_until))`); none
    /// when the caller has no deadline.
    pub(super) fn at(timer: Pin<&'a mut Option<Sleep>>) -> Deadline<'a> {
        Deadline(timer.as_pin_mut())
    }

    /// Runs a future until the deadline; `Err(())` when the deadline passed first. The future is polled
    /// first, as `timeout_at` does, so an answer that is ready is never lost to a deadline that is too.
    pub(super) async fn within<F: std::future::Future>(&mut self, future: F) -> Result<F::Output, ()> {
        match &mut self.0 {
            None => Ok(future.await),
            Some(sleep) => tokio::select! {
                biased;
                output = future => Ok(output),
                () = sleep.as_mut() => Err(()),
            },
        }
    }
}

/// What an attempt's response came to.
pub(super) enum Answer {
    /// The whole body arrived.
    Complete {
        /// The HTTP status.
        status: u16,
        /// The headers, read only when needed: the provider's hint of when to retry ([`retry_after`])
        /// for an answer that is retried, the request id ([`header_request_id`]) for one whose body
        /// has none.
        headers: HeaderMap,
        /// The body.
        body: Bytes,
    },
    /// A 3xx: reported, never followed.
    Redirect {
        /// The HTTP status.
        status: u16,
        /// The `Location`'s host and port only.
        location: Option<String>,
    },
    /// The status and headers arrived, the body did not arrive whole.
    Incomplete {
        /// The HTTP status.
        status: u16,
        /// The request id in the headers.
        request_id: Option<String>,
        /// Why.
        incompleteness: Incompleteness,
        /// Body bytes received.
        received: u64,
        /// The first bytes received.
        head: Bytes,
        /// The read error, if one broke the body.
        source: Option<reqwest::Error>,
    },
}

/// How much of a cut body is kept for the error (only for actions whose responses carry no secret).
const KEPT_HEAD: usize = 1024;

/// A request id longer than this is not one: it is cut, so an error stays one readable line.
const MAX_REQUEST_ID: usize = 128;

// The headers read from every answer, named at compile time: a lookup by `&str` parses the name first.
const X_ACS_RETRY_AFTER: HeaderName = HeaderName::from_static("x-acs-retry-after");
const X_ACS_REQUEST_ID: HeaderName = HeaderName::from_static("x-acs-request-id");
const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Reads a response: the status, then the body up to `limit` bytes, before `deadline`.
pub(super) async fn read(mut response: reqwest::Response, limit: usize, deadline: &mut Deadline<'_>) -> Answer {
    let status = response.status().as_u16();
    if (300..400).contains(&status) {
        return Answer::Redirect { status, location: location_host(response.headers()) };
    }
    // Taken, not copied: the body is read without them.
    let headers = std::mem::take(response.headers_mut());
    let incomplete = |incompleteness, received: usize, head: &[u8], source| Answer::Incomplete {
        status,
        request_id: header_request_id(&headers),
        incompleteness,
        received: received as u64,
        head: Bytes::copy_from_slice(&head[..head.len().min(KEPT_HEAD)]),
        source,
    };
    let declared = response.content_length();
    if let Some(declared) = declared.filter(|&declared| declared > limit as u64) {
        // Not a byte is read: the declared size alone is over the limit.
        return incomplete(Incompleteness::TooLarge { limit, declared: Some(declared) }, 0, &[], None);
    }
    let mut body = Body::new(declared);
    loop {
        match deadline.within(response.chunk()).await {
            Err(()) => {
                let head = body.bytes();
                return incomplete(Incompleteness::TimedOut, head.len(), &head, None);
            }
            Ok(Err(error)) => {
                let incompleteness = body_failure(&error);
                let head = body.bytes();
                return incomplete(incompleteness, head.len(), &head, Some(error.without_url()));
            }
            Ok(Ok(None)) => break,
            Ok(Ok(Some(chunk))) => {
                let received = body.len().saturating_add(chunk.len());
                if received > limit {
                    let head = body.bytes();
                    return incomplete(Incompleteness::TooLarge { limit, declared: None }, received, &head, None);
                }
                body.push(chunk);
            }
        }
    }
    Answer::Complete { status, headers, body: body.bytes() }
}

/// A body as it arrives: a body of one chunk (most answers) is that chunk, never copied; the chunks of
/// a longer one are gathered into one buffer.
struct Body {
    only: Option<Bytes>,
    gathered: BytesMut,
    /// The declared size, which only sizes the buffer's first allocation, and never past 1 MiB: it
    /// is not trusted.
    declared: Option<u64>,
}

impl Body {
    fn new(declared: Option<u64>) -> Body {
        Body { only: None, gathered: BytesMut::new(), declared }
    }

    fn len(&self) -> usize {
        self.only.as_ref().map_or(self.gathered.len(), Bytes::len)
    }

    fn push(&mut self, chunk: Bytes) {
        match self.only.take() {
            None if self.gathered.is_empty() => self.only = Some(chunk),
            first => {
                if self.gathered.is_empty() {
                    let hint = self.declared.map_or(0, |n| n.min(1 << 20) as usize);
                    self.gathered.reserve(hint.max(first.as_ref().map_or(0, Bytes::len) + chunk.len()));
                }
                if let Some(first) = first {
                    self.gathered.extend_from_slice(&first);
                }
                self.gathered.extend_from_slice(&chunk);
            }
        }
    }

    /// The bytes received so far.
    fn bytes(&mut self) -> Bytes {
        match self.only.take() {
            Some(only) => only,
            None => std::mem::take(&mut self.gathered).freeze(),
        }
    }
}

/// The host (and port) a redirect points to; never the path or the query, which may carry the
/// request's parameters.
fn location_host(headers: &HeaderMap) -> Option<String> {
    let location = headers.get(reqwest::header::LOCATION)?.to_str().ok()?;
    let url = url::Url::parse(location.trim()).ok()?;
    let host = url.host_str()?;
    Some(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    })
}

/// The provider's hint of when to retry: Alibaba's `x-acs-retry-after` in milliseconds, else
/// `Retry-After` in seconds or as an HTTP date. Negative, fractional and unreadable values are ignored;
/// a date in the past means now (asked of `now` only then). The caller clamps the result: it may be up
/// to `u64::MAX` seconds.
pub(super) fn retry_after(headers: &HeaderMap, now: impl FnOnce() -> SystemTime) -> Option<Duration> {
    let text = |name: &HeaderName| headers.get(name).and_then(|value| value.to_str().ok()).map(str::trim);
    if let Some(millis) = text(&X_ACS_RETRY_AFTER).and_then(|text| text.parse::<u64>().ok()) {
        return Some(Duration::from_millis(millis));
    }
    let text = text(&reqwest::header::RETRY_AFTER)?;
    if let Ok(seconds) = text.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(text).ok()?;
    Some(date.duration_since(now()).unwrap_or(Duration::ZERO))
}

/// The request id in the headers (Alibaba sends `x-acs-request-id`), cut to a sane length.
pub(super) fn header_request_id(headers: &HeaderMap) -> Option<String> {
    let id = [X_ACS_REQUEST_ID, X_REQUEST_ID]
        .iter()
        .find_map(|name| headers.get(name).and_then(|value| value.to_str().ok()))?
        .trim();
    if id.is_empty() {
        return None;
    }
    Some(id.chars().take(MAX_REQUEST_ID).collect())
}

/// The errors in a source chain, the outermost first.
fn chain<'a>(
    error: &'a (dyn std::error::Error + 'static),
) -> impl Iterator<Item = &'a (dyn std::error::Error + 'static)> {
    std::iter::successors(Some(error), |error| error.source())
}

/// The kind of the first I/O error in a source chain.
fn io_kind(error: &(dyn std::error::Error + 'static)) -> Option<std::io::ErrorKind> {
    chain(error).find_map(|error| error.downcast_ref::<std::io::Error>()).map(std::io::Error::kind)
}

/// Whether any error of the chain says one of these phrases (lower case). reqwest and hyper do not
/// expose the DNS and TLS failures as types, only as messages.
fn says(error: &(dyn std::error::Error + 'static), phrases: &[&str]) -> bool {
    chain(error).any(|error| {
        let text = error.to_string().to_ascii_lowercase();
        phrases.iter().any(|phrase| text.contains(phrase))
    })
}

/// What failed, for an error that came before any answer.
pub(super) fn transport_cause(error: &reqwest::Error) -> TransportCause {
    use std::io::ErrorKind;
    let root: &(dyn std::error::Error + 'static) = error;
    let kind = io_kind(root);
    if error.is_connect() {
        if kind == Some(ErrorKind::ConnectionRefused) {
            return TransportCause::Refused;
        }
        if says(root, &["dns error", "failed to lookup address", "name or service not known", "no such host"]) {
            return TransportCause::Dns;
        }
        if says(root, &["certificate", "tls", "handshake"]) {
            return TransportCause::Tls;
        }
        if error.is_timeout() || kind == Some(ErrorKind::TimedOut) {
            return TransportCause::ConnectTimeout;
        }
        return TransportCause::Other;
    }
    match kind {
        Some(
            ErrorKind::ConnectionReset
            | ErrorKind::ConnectionAborted
            | ErrorKind::BrokenPipe
            | ErrorKind::UnexpectedEof,
        ) => TransportCause::Closed,
        _ if says(root, &["connection closed", "incomplete message"]) => TransportCause::Closed,
        _ => TransportCause::Other,
    }
}

/// Why reading a body failed.
fn body_failure(error: &reqwest::Error) -> Incompleteness {
    use std::io::ErrorKind;
    match io_kind(error) {
        Some(ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted | ErrorKind::BrokenPipe) => {
            Incompleteness::Reset
        }
        Some(ErrorKind::UnexpectedEof) => Incompleteness::Closed,
        Some(ErrorKind::TimedOut) => Incompleteness::TimedOut,
        _ if says(error, &["end of file", "connection closed", "incomplete"]) => Incompleteness::Closed,
        _ => Incompleteness::Failed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn retry_after_reads_every_form_and_ignores_nonsense() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
        let read = |pairs: &[(&'static str, &str)]| retry_after(&headers(pairs), || now);
        assert_eq!(read(&[("x-acs-retry-after", "300")]), Some(Duration::from_millis(300)));
        assert_eq!(read(&[("retry-after", " 7 ")]), Some(Duration::from_secs(7)));
        assert_eq!(read(&[("retry-after", "18446744073709551615")]), Some(Duration::from_secs(u64::MAX)));
        assert_eq!(read(&[("x-acs-retry-after", "18446744073709551615")]), Some(Duration::from_millis(u64::MAX)));
        assert_eq!(read(&[("retry-after", "Sun, 06 Nov 1994 08:49:47 GMT")]), Some(Duration::from_secs(10)));
        assert_eq!(read(&[("retry-after", "Sun, 06 Nov 1994 08:40:00 GMT")]), Some(Duration::ZERO));
        for nonsense in ["-5", "1.5", "soon", "", "99999999999999999999999", "Mon, 99 Foo 1994 99:99:99 GMT"] {
            assert_eq!(read(&[("retry-after", nonsense), ("x-acs-retry-after", nonsense)]), None, "{nonsense}");
        }
        // An unreadable Alibaba hint falls back to the standard header.
        assert_eq!(read(&[("x-acs-retry-after", "-1"), ("retry-after", "2")]), Some(Duration::from_secs(2)));
    }

    #[test]
    fn a_redirect_names_only_the_host_of_its_location() {
        let host = |location: &str| location_host(&headers(&[("location", location)]));
        assert_eq!(host("https://evil.example:8443/steal?NewAppSecret=abc#x").as_deref(), Some("evil.example:8443"));
        assert_eq!(host("http://user:pass@10.0.0.1/").as_deref(), Some("10.0.0.1"));
        assert_eq!(host("/relative?NewAppSecret=abc"), None);
        assert_eq!(location_host(&HeaderMap::new()), None);
    }

    #[test]
    fn request_ids_come_from_the_headers_and_are_cut() {
        assert_eq!(header_request_id(&headers(&[("x-acs-request-id", "abc")])).as_deref(), Some("abc"));
        let long = "x".repeat(1000);
        assert_eq!(header_request_id(&headers(&[("x-request-id", &long)])).map(|id| id.len()), Some(MAX_REQUEST_ID));
        assert_eq!(header_request_id(&headers(&[("x-acs-request-id", " ")])), None);
    }
}
