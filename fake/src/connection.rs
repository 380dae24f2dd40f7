//! Telling a silent connection from a working one: [`Watched`] wraps a connection's stream and notes
//! every byte that moves, the request handler marks the fake's own work with [`Activity::busy`], and
//! [`Activity::silent_for`] resolves once the connection has been silent, with the fake not working,
//! for the idle timeout — whereupon the server drops it. Hyper's header-read timeout covers the other
//! case, a client that keeps trickling bytes but never finishes a request head.

use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::Instant;

/// When a connection last moved a byte, and whether the fake is working on one of its requests.
#[derive(Debug)]
pub(crate) struct Activity {
    last: Mutex<Instant>,
    busy: AtomicUsize,
    /// Signalled when the fake's work on a request ends.
    done: tokio::sync::Notify,
}

impl Activity {
    pub(crate) fn new() -> Arc<Activity> {
        Arc::new(Activity {
            last: Mutex::new(Instant::now()),
            busy: AtomicUsize::new(0),
            done: tokio::sync::Notify::new(),
        })
    }

    fn touch(&self) {
        *self.last.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = Instant::now();
    }

    fn last(&self) -> Instant {
        *self.last.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Marks the fake's own work (processing a request, an injected latency) until the guard drops:
    /// it is not the client's silence.
    pub(crate) fn busy(self: &Arc<Self>) -> Busy {
        self.busy.fetch_add(1, Ordering::SeqCst);
        Busy(self.clone())
    }

    /// Resolves once the connection has moved no byte for `limit` while the fake was not working.
    pub(crate) async fn silent_for(&self, limit: Duration) {
        loop {
            if self.busy.load(Ordering::SeqCst) > 0 {
                // The clock restarts when the work ends (`Busy::drop` notes the time, then wakes this;
                // a wake-up that comes before the wait is kept, so none is missed).
                self.done.notified().await;
                continue;
            }
            // A limit too far to add to the clock never elapses.
            let Some(deadline) = self.last().checked_add(limit) else { return std::future::pending().await };
            if Instant::now() >= deadline {
                return;
            }
            tokio::time::sleep_until(deadline).await;
        }
    }
}

/// The fake is working on a request of the connection while this lives.
pub(crate) struct Busy(Arc<Activity>);

impl Drop for Busy {
    fn drop(&mut self) {
        // The client's silence counts from the end of the fake's work, not from its last byte.
        self.0.touch();
        self.0.busy.fetch_sub(1, Ordering::SeqCst);
        self.0.done.notify_one();
    }
}

/// A connection's stream that notes in its [`Activity`] every byte read or written.
pub(crate) struct Watched<T> {
    inner: T,
    activity: Arc<Activity>,
}

impl<T> Watched<T> {
    pub(crate) fn new(inner: T, activity: Arc<Activity>) -> Self {
        Watched { inner, activity }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Watched<T> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.touch();
        }
        polled
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Watched<T> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(written)) if written > 0) {
            self.activity.touch();
        }
        polled
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(written)) if written > 0) {
            self.activity.touch();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
