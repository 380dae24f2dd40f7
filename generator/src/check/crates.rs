//! Catalogue crate names: a service whose crate would take the name of a crate behind another, split
//! service (`foo_part1` beside a `foo` over the budget of actions a crate, which becomes `foo`,
//! `foo-shared` and `foo-part1`, …) is refused here, and so is a crate whose name differs from another's
//! only by `_` against `-` (provider `MyCloud`'s service `A` and provider `My`'s service `CloudA`:
//! `my_cloud-a` and `my-cloud-a`), which crates.io and cargo's library names cannot tell apart. So every
//! spec `check` accepts generates a catalogue that compiles and publishes. The crates and their names
//! come from [`crate::names`], by the rules the catalogue layout splits with.

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
/// `budget` actions a crate (`None`: services are never split), and each whose name another crate's
/// spells the same but for `_` and `-`.
pub(super) fn crate_collisions(
    set: &SpecSet,
    services: &[Option<ServiceNames>],
    providers: &BTreeMap<String, ProviderNames>,
    budget: Option<usize>,
    out: &mut Vec<Diagnostic>,
) {
    let crates = service_crates(set, services, providers, budget);
    if let Some(budget) = budget {
        split_collisions(&crates, budget, out);
    }
    spelling_collisions(&crates, out);
}

/// The catalogue's service crates, in set order, each with the crates behind it under `budget`.
fn service_crates<'a>(
    set: &'a SpecSet,
    services: &[Option<ServiceNames>],
    providers: &BTreeMap<String, ProviderNames>,
    budget: Option<usize>,
) -> Vec<ServiceCrate<'a>> {
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
    crates
}

/// Reports each service crate whose name a crate behind another service's split takes.
fn split_collisions(crates: &[ServiceCrate<'_>], budget: usize, out: &mut Vec<Diagnostic>) {
    // Names behind a split are unique to it (`-shared`, `-part<N>` end no other crate's), so only a
    // service's own crate can meet one.
    let behind: BTreeMap<&str, &ServiceCrate<'_>> =
        crates.iter().flat_map(|k| k.behind.iter().map(move |dir| (dir.as_str(), k))).collect();
    for krate in crates {
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
             the budget of {budget} actions a crate, so it is split into its own crate, a shared crate and part crates",
            service.spec.service.name,
            catalogue_package(&krate.dir),
            split.versions[0].spec.service.name,
            split.versions[0].file.name,
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

/// Reports each service crate one of whose names (its own, or one behind it) another service's crate
/// spells the same but for `_` and `-`: crates.io refuses the second, and both would have one library
/// name. (Names spelled exactly alike are the same crate, or [`split_collisions`]'.)
fn spelling_collisions(crates: &[ServiceCrate<'_>], out: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<String, (&str, &ServiceCrate<'_>)> = BTreeMap::new();
    for krate in crates {
        let names = std::iter::once(&krate.dir).chain(&krate.behind);
        let clash = names.into_iter().find_map(|dir| {
            let key = dir.replace('_', "-");
            match seen.get(&key) {
                Some(&(other, owner)) if other != dir.as_str() => Some((dir, other, owner)),
                _ => None,
            }
        });
        if let Some((dir, other, owner)) = clash {
            let service = krate.versions[0];
            let message = format!(
                "service `{}` would make the crate `{}`, which crates.io and cargo's library names cannot tell from                  `{}` of service `{}` ({}): the two names differ only in `_` and `-`",
                service.spec.service.name,
                catalogue_package(dir),
                catalogue_package(other),
                owner.versions[0].spec.service.name,
                owner.versions[0].file.name,
            );
            Sink::new(&service.file, out).error(
                "crate-collision",
                JsonPath::root().key("service").key("name"),
                Target::Value,
                message,
                Some("rename this service or its provider so that the two names differ in letters or digits".into()),
            );
            continue;
        }
        for dir in std::iter::once(&krate.dir).chain(&krate.behind) {
            seen.entry(dir.replace('_', "-")).or_insert((dir.as_str(), krate));
        }
    }
}
