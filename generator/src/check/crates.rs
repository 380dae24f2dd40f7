//! Catalogue crate names: a service whose crate would take the name of a crate behind another, split
//! service (`foo_part1` beside a `foo` over the budget of actions a crate, which becomes `foo`,
//! `foo-shared` and `foo-part1`, …) is refused here, so every spec `check` accepts generates a
//! catalogue that compiles. The crates and their names come from [`crate::names`], by the rules the
//! catalogue layout splits with.

use std::collections::BTreeMap;

use super::Sink;
use crate::diagnostics::{Diagnostic, JsonPath, Target};
use crate::load::{Loaded, SpecSet};
use crate::names::table::{ProviderNames, ServiceNames};
use crate::names::{catalogue_crate_dir, catalogue_package, crates_behind};
use crate::spec::ServiceSpec;

/// A service crate of the catalogue: its versions' specs, in set order.
struct ServiceCrate<'a> {
    dir: String,
    versions: Vec<&'a Loaded<ServiceSpec>>,
    /// The crates behind it, when it is split.
    behind: Vec<String>,
}

impl ServiceCrate<'_> {
    fn actions(&self) -> usize {
        self.versions.iter().map(|v| v.spec.actions.len()).sum()
    }
}

/// Reports each service crate whose name a crate behind another service's split takes, under
/// `budget` actions a crate (`None`: services are never split, and no name can be taken).
pub(super) fn crate_collisions(
    set: &SpecSet,
    services: &[Option<ServiceNames>],
    providers: &BTreeMap<String, ProviderNames>,
    budget: Option<usize>,
    out: &mut Vec<Diagnostic>,
) {
    if budget.is_none() {
        return;
    }
    let mut crates: Vec<ServiceCrate<'_>> = Vec::new();
    let mut by_dir: BTreeMap<String, usize> = BTreeMap::new();
    for (service, names) in set.services.iter().zip(services) {
        let (Some(names), Some(provider)) = (names, providers.get(&super::provider_name(service))) else { continue };
        let dir = catalogue_crate_dir(&provider.module, &names.service_module);
        match by_dir.get(&dir) {
            Some(&index) => crates[index].versions.push(service),
            None => {
                by_dir.insert(dir.clone(), crates.len());
                crates.push(ServiceCrate { dir, versions: vec![service], behind: Vec::new() });
            }
        }
    }
    for krate in &mut crates {
        let actions: Vec<usize> = krate.versions.iter().map(|v| v.spec.actions.len()).collect();
        krate.behind = crates_behind(&krate.dir, &actions, budget);
    }
    // Names behind a split are unique to it (`-shared`, `-part<N>` end no other crate's), so only a
    // service's own crate can meet one.
    let behind: BTreeMap<&str, &ServiceCrate<'_>> =
        crates.iter().flat_map(|k| k.behind.iter().map(move |dir| (dir.as_str(), k))).collect();
    for krate in &crates {
        let Some(split) = behind.get(krate.dir.as_str()) else { continue };
        let service = krate.versions[0];
        let total = split.actions();
        let role = if krate.dir == split.behind[0] {
            "the shared crate".to_string()
        } else {
            let n = split.behind.iter().position(|d| *d == krate.dir).unwrap_or_default();
            format!("part crate {n} of {}", split.behind.len() - 1)
        };
        let message = format!(
            "service `{}` would be the crate `{}`, which is {role} of service `{}` ({}): its {total} actions are over \
             the budget of {} actions a crate, so it is split into its own crate, a shared crate and part crates",
            service.spec.service.name,
            catalogue_package(&krate.dir),
            split.versions[0].spec.service.name,
            split.versions[0].file.name,
            budget.unwrap_or_default(),
        );
        let hint = format!(
            "rename this service (`service.name`; `signing_name` keeps its signing scope), or check and generate \
             with --max-actions-per-crate {total} or more (0: never split), which keeps `{}` one crate",
            split.versions[0].spec.service.name
        );
        Sink::new(&service.file, out).error(
            "crate-collision",
            JsonPath::root().key("service").key("name"),
            Target::Value,
            message,
            Some(hint),
        );
    }
}
