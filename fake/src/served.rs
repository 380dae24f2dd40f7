//! The services a fake serves: each service spec with its provider's spec, as loaded at start.

use cloudspec::spec::Protocol;
use cloudspec::spec::{Action, ProviderSpec, ServiceSpec};

/// A spec the fake serves: the service and its provider.
pub(crate) struct Served {
    pub(crate) spec: ServiceSpec,
    pub(crate) provider: ProviderSpec,
}

impl Served {
    pub(crate) fn action(&self, name: &str) -> Option<&Action> {
        self.spec.actions.get(name)
    }

    /// The protocol the service speaks (its own, or its provider's).
    pub(crate) fn protocol(&self) -> Protocol {
        self.spec.service.protocol.unwrap_or(self.provider.protocol)
    }

    /// Whether the service speaks Alibaba ROA.
    pub(crate) fn is_roa(&self) -> bool {
        self.protocol() == Protocol::AlibabaRoa
    }
}
