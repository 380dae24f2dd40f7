//! `cloudspec serve`: a local fake of the providers' APIs, driven by the specs.
//!
//! It speaks Tencent Cloud API 3.0, Alibaba Cloud RPC (signature V3 and the legacy HMAC-SHA1) and
//! Alibaba Cloud ROA (signature V3 and the legacy `acs id:signature`): a ROA request is routed by its
//! method and path to the action whose `http.path` template matches (literal segments beat `{Param}`
//! ones, a `?fixed` query in the template must be present), and each parameter is read from where its
//! `location` says (path segment, percent-decoded; query; header; a JSON body, where a single `body`
//! parameter is the whole body; a form). ROA answers are the bare documented example with the request
//! id in `x-acs-request-id`; errors use the provider's envelope (`Code`, `Message`, `RequestId`) and
//! status. It verifies signatures against configured credentials, rejects stale timestamps and reused nonces,
//! checks every parameter with the same rules generated validators apply, paces each action to its
//! documented rate limit, answers with documented examples (and emulates the seed actions with
//! state), and lets tests inject faults and read a log of what it processed.
//!
//! It is also a server that stays up against clients that misbehave: connections that send nothing, a
//! request head a byte at a time or a body that stops arriving are closed by a header-read and an idle
//! timeout, at most [`Settings::max_connections`] are served at once, a failing accept (at the file
//! descriptor limit) backs off instead of spinning, and request numbers never overflow into a panic.
//! Nothing it logs or answers repeats a signature, a secret or a parameter the spec marks `sensitive`.
//!
//! Tests start it in-process with [`FakeCloud::start`]; `cloudspec serve` runs the same server.
//!
//! Modules, leaves first: `wire` (a received request), `served`, `settings`, `control` (faults and the
//! log), `emulate`, `state`, `auth`, `roa`, `envelope` (the providers' answers), `params`, `protocol`
//! (one request's phases), `admin`, `connection` (idleness), `server` (the accept loop).

mod admin;
mod auth;
mod connection;
mod control;
mod emulate;
mod envelope;
mod params;
mod protocol;
mod roa;
mod served;
mod server;
mod settings;
mod state;
#[cfg(test)]
mod tests;
mod wire;

use std::net::SocketAddr;
use std::sync::Arc;

use cloudspec::load::SpecSet;

pub use control::{Fault, FaultRule, LogEntry};
pub use settings::{DEFAULT_ID, DEFAULT_SECRET, Settings};
pub use wire::Wire;

use state::Shared;

/// A running fake.
pub struct FakeCloud {
    address: SocketAddr,
    shared: Arc<Shared>,
    shutdown: tokio::sync::watch::Sender<bool>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl std::fmt::Debug for FakeCloud {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeCloud").field("address", &self.address).finish_non_exhaustive()
    }
}

/// Why the fake could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The specs could not be read.
    #[error("cannot read the specs: {0}")]
    Load(String),
    /// The specs have errors.
    #[error("the specs have {0} error(s); run `cloudspec check`")]
    InvalidSpecs(usize),
    /// The address could not be bound.
    #[error("cannot listen on {address}: {source}")]
    Bind {
        /// The address.
        address: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
}

impl FakeCloud {
    /// Starts a fake of every service of the spec tree at `specs` (files or directories, as
    /// `cloudspec check` takes them) on `address` (port 0 picks a free one): what a test needs.
    pub async fn start_from(
        specs: impl AsRef<std::path::Path>,
        address: SocketAddr,
        settings: Settings,
    ) -> Result<FakeCloud, ServeError> {
        let set =
            cloudspec::load::load(&[specs.as_ref().to_path_buf()]).map_err(|e| ServeError::Load(e.to_string()))?;
        FakeCloud::start(&set, address, settings).await
    }

    /// Starts a fake of every service in `set` on `address` (port 0 picks a free one).
    pub async fn start(set: &SpecSet, address: SocketAddr, settings: Settings) -> Result<FakeCloud, ServeError> {
        let report = cloudspec::check::check(set);
        if report.errors() > 0 {
            return Err(ServeError::InvalidSpecs(report.errors()));
        }
        let shared = Arc::new(Shared::new(set, settings));
        let listener =
            tokio::net::TcpListener::bind(address).await.map_err(|source| ServeError::Bind { address, source })?;
        let address = listener.local_addr().map_err(|source| ServeError::Bind { address, source })?;
        let (shutdown, stop) = tokio::sync::watch::channel(false);
        let limits = shared.lock().settings.limits();
        let task = tokio::spawn(server::serve(listener, shared.clone(), limits, stop));
        Ok(FakeCloud { address, shared, shutdown, task: Some(task) })
    }

    /// The bound address.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// `http://<address>`, for a client's endpoint.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Injects a fault.
    pub fn inject(&self, rule: FaultRule) {
        self.shared.lock().faults.push(rule);
    }

    /// Every request received so far.
    pub fn log(&self) -> Vec<LogEntry> {
        self.shared.lock().log.clone()
    }

    /// How many requests of `action` were processed.
    pub fn processed(&self, action: &str) -> usize {
        self.shared.lock().log.iter().filter(|e| e.processed && e.action.as_deref() == Some(action)).count()
    }

    /// Sets the fake's clock offset, to test clock skew.
    pub fn set_clock_offset(&self, seconds: i64) {
        self.shared.lock().settings.clock_offset_seconds = seconds;
    }

    /// Adds or replaces a credential.
    pub fn add_credential(&self, id: impl Into<String>, secret: impl Into<String>) {
        self.shared.lock().settings.credentials.insert(id.into(), secret.into());
    }

    /// Clears faults, the log and emulated state.
    pub fn reset(&self) {
        self.shared.reset();
    }

    /// Stops the fake.
    pub async fn stop(mut self) {
        let _ = self.shutdown.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for FakeCloud {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
    }
}
