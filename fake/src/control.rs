//! What a test tells the fake and reads back from it: the faults to inject ([`FaultRule`]) and the log
//! of the requests it received ([`LogEntry`]), both also served as JSON under `/_cloudspec/`.

use serde::{Deserialize, Serialize};

/// A fault to inject into the next matching requests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fault {
    /// Answer after a delay (the request is processed).
    Latency {
        /// Milliseconds.
        ms: u64,
    },
    /// Answer with an HTTP status and a body that is not an envelope (the request is not processed).
    Status {
        /// The status.
        status: u16,
        /// The body.
        #[serde(default)]
        body: String,
    },
    /// Close the connection before processing the request.
    ResetBefore,
    /// Process the request, then close the connection without answering.
    ResetAfter,
    /// Answer with the provider's throttling error (not processed).
    Throttle,
    /// Answer with this error code in the provider's envelope (not processed).
    Error {
        /// The code.
        code: String,
    },
    /// Process the request, then answer with a body that is not JSON.
    Malformed,
    /// Process the request, then answer with the first half of the real body.
    Truncated,
}

/// A fault and the requests it applies to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaultRule {
    /// The action it applies to; every action when absent.
    #[serde(default)]
    pub action: Option<String>,
    /// What happens.
    pub fault: Fault,
    /// How many requests it applies to (default 1).
    #[serde(default = "one")]
    pub times: u32,
}

fn one() -> u32 {
    1
}

/// One request the fake received.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogEntry {
    /// The action, when it could be told.
    pub action: Option<String>,
    /// The service, when it could be told.
    pub service: Option<String>,
    /// The request passed authentication and validation and its effect was applied.
    pub processed: bool,
    /// The error code answered, if any.
    pub error: Option<String>,
    /// The HTTP status answered (0 when the connection was closed instead).
    pub status: u16,
    /// The action's parameters the processed request carried, by wire name, top level, in the spec's
    /// order (names only: values may be secrets). Empty for a request that was not processed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<String>,
}
