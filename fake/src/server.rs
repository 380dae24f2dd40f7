//! The HTTP side: accepting connections (at most [`Limits::max_connections`] at once, backing off when
//! accepting fails), serving HTTP/1.1 on each within its header-read and idle timeouts, and turning
//! each request into an admin answer or an API one.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use http_body_util::BodyExt;
use hyper::Request;
use hyper::body::Incoming;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};

use crate::admin;
use crate::connection::{Activity, Watched};
use crate::envelope::{Answer, plain};
use crate::protocol;
use crate::settings::Limits;
use crate::state::Shared;
use crate::wire::Wire;

/// The most a request body may be.
const MAX_BODY: usize = 8 * 1024 * 1024;

/// Where connections come from: a TCP listener, or in tests a scripted source.
pub(crate) trait Acceptor: Send + 'static {
    /// A connection.
    type Io: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static;
    /// The next connection, or why there is none now.
    fn accept(&mut self) -> impl Future<Output = std::io::Result<Self::Io>> + Send;
}

impl Acceptor for tokio::net::TcpListener {
    type Io = tokio::net::TcpStream;

    async fn accept(&mut self) -> std::io::Result<Self::Io> {
        let (stream, _) = tokio::net::TcpListener::accept(self).await?;
        let _ = stream.set_nodelay(true);
        Ok(stream)
    }
}

/// The pause after a failed accept: 5 ms, doubling up to a second, back to the start once one succeeds.
/// At the file-descriptor limit (`EMFILE`, `ENFILE`) every accept fails at once until a connection
/// closes; retrying at once would only burn a core. Other failures (a connection reset before it was
/// accepted) are rare enough that the short first pause costs nothing.
#[derive(Debug)]
struct Backoff {
    next: Duration,
}

impl Backoff {
    const FIRST: Duration = Duration::from_millis(5);
    const LONGEST: Duration = Duration::from_secs(1);

    fn new() -> Backoff {
        Backoff { next: Backoff::FIRST }
    }

    /// The pause before the next attempt; the one after is twice as long, up to a second.
    fn pause(&mut self) -> Duration {
        let pause = self.next;
        self.next = self.next.saturating_mul(2).min(Backoff::LONGEST);
        pause
    }

    fn reset(&mut self) {
        self.next = Backoff::FIRST;
    }
}

/// Accepts connections from `acceptor` and serves each until `stop` changes.
pub(crate) async fn serve<A: Acceptor>(
    mut acceptor: A,
    shared: Arc<Shared>,
    limits: Limits,
    mut stop: watch::Receiver<bool>,
) {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let mut backoff = Backoff::new();
    loop {
        // At the cap, accept nothing until a connection closes: new ones wait in the listen backlog.
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot,
            _ = stop.changed() => return,
        };
        let Ok(slot) = slot else { return };
        let accepted = tokio::select! {
            accepted = acceptor.accept() => accepted,
            _ = stop.changed() => return,
        };
        match accepted {
            Ok(io) => {
                backoff.reset();
                tokio::spawn(connection(io, shared.clone(), limits, slot));
            }
            Err(_) => {
                drop(slot);
                tokio::select! {
                    _ = tokio::time::sleep(backoff.pause()) => {}
                    _ = stop.changed() => return,
                }
            }
        }
    }
}

/// Serves one connection until it closes, breaks a timeout or stays silent too long; `_slot` is its
/// place under the connection cap, given back when it ends.
async fn connection<I>(io: I, shared: Arc<Shared>, limits: Limits, _slot: OwnedSemaphorePermit)
where
    I: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let activity = Activity::new();
    let working = activity.clone();
    let service = hyper::service::service_fn(move |request| handle(shared.clone(), working.clone(), request));
    let io = hyper_util::rt::TokioIo::new(Watched::new(io, activity.clone()));
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder.timer(hyper_util::rt::TokioTimer::new()).header_read_timeout(limits.header_read_timeout);
    // An `Err` from the service closes the connection without an answer: a reset. Dropping the
    // connection when it has been silent too long closes it too.
    tokio::select! {
        _ = builder.serve_connection(io, service) => {}
        () = activity.silent_for(limits.idle_timeout) => {}
    }
}

async fn handle(shared: Arc<Shared>, activity: Arc<Activity>, request: Request<Incoming>) -> Answer {
    let (parts, body) = request.into_parts();
    // Reading the body is waiting on the client: its silence counts.
    let body = match http_body_util::Limited::new(body, MAX_BODY).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => return Ok(plain(413, "the request body is too large or was cut off")),
    };
    let _busy = activity.busy();
    if admin::is_admin(parts.uri.path()) {
        return Ok(admin::answer(&shared, &parts, &body));
    }
    let wire = Wire::new(&parts, body);
    let outcome = protocol::process(&shared, &wire).await;
    if let Some(entry) = outcome.entry {
        shared.lock().log.push(entry);
    }
    outcome.answer
}
