//! Alibaba Cloud: the Openmeta catalogue (`<product>/<version>/api-docs.json`, the metadata Alibaba's own
//! SDKs are generated from).
//!
//! Mapping decisions, following the catalogue audit (`shared/research/alibaba-openmeta/AUDIT.md`):
//!
//! - **Protocol.** `info.style` `RPC` → `alibaba_rpc` (path `/`), `ROA` → `alibaba_roa` (the REST path and
//!   methods as listed). The product-specific styles are decided from the data: `FC`, `PDS` and `AliGenie`
//!   are REST APIs signed with ACS3 like ROA, so they map to `alibaba_roa` (PDS's `in: host` parameters
//!   keep the `host` location; AliGenie's versions such as `iap_1.0` name modules like `iap_1_0`); `V3`
//!   maps to `alibaba_roa` when any action has a REST path and to `alibaba_rpc` otherwise. `OSS` (its own
//!   signature, XML bodies, buckets in the host) is skipped, with the reason in the report.
//! - **Parameters.** `in` → `location` (`query` is the default and stays implicit, `formData` → `form`,
//!   `body`, `path`, `header`, `host`); `style` → `style` (`struct`, used once, has no counterpart and is
//!   reported). An `in: body` parameter is the whole request body (no action has more than one). A name
//!   listed twice keeps its first entry. A path parameter missing from the template is repaired when the
//!   template writes it `[name]`, and sent in the query otherwise; a template naming an undeclared parameter
//!   (cloudcontrol's `…/resources/*`) makes the action unmappable.
//! - **Types.** `string` → `string` (declared formats such as `iso8601` are stated in the description: the
//!   values vary too much for a typed timestamp); `integer` → `int32`/`int64`, response `int32` widened to
//!   `int64`; `number` → `float64`; `boolean` → `bool`; `array` → `list<T>`; `object` with `properties` → a
//!   shared object type named after its place (`DescribeInstancesResponseInstances`), with
//!   `additionalProperties` → `map<T>`, with neither → `any`; `any` → `any`; `$ref` → the component's type
//!   (objects become shared types under their own name), dangling → `any`. `itemNode` wrappers map as the
//!   objects they are in JSON.
//! - **Constraints** (requests only): `minLength`/`maxLength` → `length`, `minimum`/`maximum` (strings in
//!   the data) and `exclusive*` → `range`, `pattern` → `pattern`, `minItems`/`maxItems` → `items`, `enum`
//!   → an enumeration type (with `enumValueTitles` as value docs; requests check membership, responses
//!   accept unknown values), `required`, `deprecated`. Contradictory or inapplicable constraints are dropped
//!   and reported.
//! - **Examples and defaults** of parameters are documentation: converted to the field's type, checked
//!   with the same rules `cloudspec check` applies, and dropped (and counted by kind) when they break them.
//! - **Responses.** Every response field is optional. A `200` schema that is not an object of named fields
//!   (a list, a string, a map, a free-form object) becomes `http.response_body`. The JSON `responseDemo`
//!   becomes the output example; `cloudspec check` runs on every written spec and the examples it rejects
//!   are dropped and counted, as in the Tencent importer.
//! - **Idempotency.** `systemTags.operationType` → `operation_type`; `get` and `list` are idempotent, and so
//!   is any action with a top-level `ClientToken`/`clientToken` parameter, which becomes
//!   `idempotency_token` (the client fills it with a fresh UUID per call). A token that is a member of the
//!   body parameter is recorded as `body.clientToken` but does not make the action idempotent: the client
//!   fills top-level parameters only.
//! - **Errors.** `errorCodes` → `errors`: the status key as `http_status` when it is an HTTP status, a code
//!   listed twice kept once, codes that are not identifiers reported and left out; `Throttling*` codes are
//!   throttling, and the codes the provider spec calls transient are retryable.
//! - **Mark and failures.** Every spec written carries `imported_from` (`openmeta` and the file's
//!   `<product>/<version>/api-docs.json`); an existing spec without it is not overwritten unless forced,
//!   and an existing `provider.json` is never replaced. A file that cannot be read or mapped is reported
//!   with its path and the others are imported.
//! - **Numbered families.** `Filter.1.Key` … `Filter.4.Value` (or `RemovalPolicy.1` … `.3`) become one
//!   `repeatList` list parameter (`Filter`: a list of `{Key, Value}`, at most 4 items), which sends the same
//!   wire names; groups that do not fit are left flat and reported (`families`).
//! - **Names.** Keywords stay (generated as `r#type`); names with `.`, `-`, `*` or a leading digit get an
//!   explicit `rust_name`; case-only and snake_case collisions get a numeric suffix, except that a
//!   deprecated spelling beside the current one (`key` beside `Key`) takes `key_deprecated` and is marked
//!   deprecated (`members`); type names never take the names generated for actions
//!   (`UnifiedSearchRequest`) or prelude names.

mod action;
mod constraints;
mod families;
mod members;
mod outputs;
mod report;
mod schema;
mod whole_path;
mod write;

use self::action::map_action;
use self::write::{PROVIDER, ProviderContext, check_and_write, scrub_documented_values};

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use rayon::prelude::*;
use serde_json::{Map, Value};

pub use self::families::{Family, FamilyNearMiss, FamilyReport};
use self::outputs::{API_DOCS, catalogue_file};
pub use self::outputs::{OutputExample, output_examples};
pub use self::report::{AlibabaReport, Skipped, StyleCounts, Tally, VersionReport};
use self::schema::Mapper;
use super::{Failure, ImportError, Overwrite, check_overwrites, parse_catalogue, read_catalogue, sorted_dirs};
use cloudspec::spec::{Endpoints, ImportedFrom, Protocol, ServiceInfo, ServiceSpec, Source, SourceKind};

/// The provider spec written next to the imported services when the output has none.
/// (`import/providers/` links to the repository's `specs/`, so the packaged crate carries the file.)
const PROVIDER_JSON: &str = include_str!("../../providers/alibabacloud.json");

/// The catalogue's name in `imported_from`.
pub const CATALOGUE: &str = "openmeta";

/// Imports every `api-docs.json` found under `inputs` (files, or directories searched two levels deep as
/// `<product>/<version>/api-docs.json`), or only the products named in `only`, into
/// `out/alibabacloud/<product>/<version>.json`. Writes `out/alibabacloud/provider.json` when it is missing.
/// Existing specs are replaced as `overwrite` allows; when one may not be, nothing is written. A file that
/// cannot be imported is listed in the report's failures and the others are imported. `progress` is called
/// once per product version done, from any thread, with how many are done, how many there are, and the one
/// just done (`ecs/2014-05-26`).
pub fn import(
    inputs: &[PathBuf],
    out: &Path,
    only: &[String],
    overwrite: Overwrite,
    progress: &(dyn Fn(usize, usize, &str) + Sync),
) -> Result<AlibabaReport, ImportError> {
    let mut files = Vec::new();
    for input in inputs {
        find_files(input, &mut files)?;
    }
    files.sort();
    files.dedup();
    let mut targets = Vec::new();
    for file in files {
        let (product, version) = product_version(&file)?;
        if only.is_empty() || only.contains(&product) {
            targets.push((product, version, file));
        }
    }
    for name in only {
        if !targets.iter().any(|(product, _, _)| product == name) {
            return Err(ImportError::Usage(format!("no `{name}/<version>/{API_DOCS}` among the inputs")));
        }
    }
    if targets.is_empty() {
        return Err(ImportError::Usage(format!(
            "no `<product>/<version>/{API_DOCS}` found in {}",
            inputs.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
        )));
    }
    let provider_dir = out.join(PROVIDER);
    let written: Vec<PathBuf> = targets
        .iter()
        .map(|(product, version, _)| provider_dir.join(product).join(format!("{version}.json")))
        .collect();
    check_overwrites(&written, overwrite)?;
    let provider_path = provider_dir.join(cloudspec::load::PROVIDER_FILE);
    if !provider_path.is_file() {
        cloudspec::write_atomically(&provider_path, PROVIDER_JSON.as_bytes())
            .map_err(|source| ImportError::Io { path: provider_path.clone(), source })?;
    }
    let provider = ProviderContext::load(&provider_path)?;
    let (done, total) = (std::sync::atomic::AtomicUsize::new(0), targets.len());
    let outcomes: Vec<Result<Outcome, ImportError>> = targets
        .par_iter()
        .map(|(product, version, file)| {
            let outcome = import_file(product, version, file, &provider_dir, &provider);
            let done = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            progress(done, total, &format!("{product}/{version}"));
            outcome
        })
        .collect();
    let mut report = AlibabaReport::default();
    for ((_, _, file), outcome) in targets.iter().zip(outcomes) {
        let outcome = match outcome {
            Ok(outcome) => outcome,
            Err(error) => {
                report.failures.push(Failure { file: file.clone(), error: error.to_string() });
                continue;
            }
        };
        let style = report.styles.entry(outcome.style.clone()).or_default();
        style.versions += 1;
        style.apis += outcome.apis;
        if let Some(version) = outcome.version {
            style.versions_imported += 1;
            style.apis_imported += version.actions;
            report.versions.push(version);
        }
        report.skipped.extend(outcome.skipped);
        report.validators.merge(outcome.validators);
        report.mapped.merge(outcome.mapped);
        report.defects.merge(outcome.defects);
        for (code, n) in outcome.rejections {
            *report.rejections.entry(code).or_default() += n;
        }
        report.paging.merge(outcome.paging);
        report.families.merge(outcome.families);
    }
    Ok(report)
}

/// What one file produced.
struct Outcome {
    style: String,
    apis: usize,
    version: Option<VersionReport>,
    skipped: Vec<Skipped>,
    validators: Tally,
    mapped: Tally,
    defects: Tally,
    rejections: BTreeMap<String, usize>,
    paging: crate::paging::PagingReport,
    families: FamilyReport,
}

fn find_files(input: &Path, out: &mut Vec<PathBuf>) -> Result<(), ImportError> {
    if input.is_file() {
        out.push(input.to_path_buf());
        return Ok(());
    }
    if input.join(API_DOCS).is_file() {
        out.push(input.join(API_DOCS));
        return Ok(());
    }
    if !input.is_dir() {
        return Err(ImportError::Usage(format!("{}: no such file or directory", input.display())));
    }
    for product in sorted_dirs(input)? {
        if product.join(API_DOCS).is_file() {
            out.push(product.join(API_DOCS));
            continue;
        }
        for version in sorted_dirs(&product)? {
            if version.join(API_DOCS).is_file() {
                out.push(version.join(API_DOCS));
            }
        }
    }
    Ok(())
}

/// `<product>/<version>/api-docs.json` → (product, version), from the directory names.
fn product_version(file: &Path) -> Result<(String, String), ImportError> {
    let name = |p: Option<&Path>| p.and_then(Path::file_name).map(|n| n.to_string_lossy().into_owned());
    let version_dir = file.parent();
    match (name(version_dir.and_then(Path::parent)), name(version_dir)) {
        (Some(product), Some(version)) if !product.is_empty() && !version.is_empty() => Ok((product, version)),
        _ => Err(ImportError::Unmappable {
            path: file.to_path_buf(),
            entry: "(path)".into(),
            message: "expected the file at `<product>/<version>/api-docs.json`".into(),
        }),
    }
}

fn import_file(
    product: &str,
    version: &str,
    file: &Path,
    provider_dir: &Path,
    provider: &ProviderContext,
) -> Result<Outcome, ImportError> {
    let doc: Value = parse_catalogue(file, &read_catalogue(file)?)?;
    let unmappable = |entry: &str, message: String| ImportError::Unmappable {
        path: file.to_path_buf(),
        entry: entry.to_string(),
        message,
    };
    let Some(root) = doc.as_object() else { return Err(unmappable("$", "the file is not a JSON object".into())) };
    let style = root
        .get("info")
        .and_then(|i| i.get("style"))
        .and_then(Value::as_str)
        .ok_or_else(|| unmappable("info.style", "missing: every api-docs.json states RPC or ROA".into()))?
        .to_string();
    let apis = root
        .get("apis")
        .and_then(Value::as_object)
        .ok_or_else(|| unmappable("apis", "missing or not an object of actions".into()))?;
    let label = format!("{product}/{version}");
    let mut outcome = Outcome {
        style: style.clone(),
        apis: apis.len(),
        version: None,
        skipped: Vec::new(),
        validators: Tally::default(),
        mapped: Tally::default(),
        defects: Tally::default(),
        rejections: BTreeMap::new(),
        paging: Default::default(),
        families: FamilyReport::default(),
    };
    let skip_version = |reason: &str| Skipped {
        version: label.clone(),
        action: None,
        file: file.to_path_buf(),
        entry: "info.style".into(),
        reason: reason.to_string(),
    };
    let has_rest_path = apis.values().any(|a| a.get("path").and_then(Value::as_str).is_some_and(|p| p != "/"));
    let protocol = match style.as_str() {
        "RPC" => Protocol::AlibabaRpc,
        "ROA" | "FC" | "PDS" | "AliGenie" => Protocol::AlibabaRoa,
        "V3" if has_rest_path => Protocol::AlibabaRoa,
        "V3" => Protocol::AlibabaRpc,
        "OSS" => {
            outcome.skipped.push(skip_version(
                "OSS uses its own signature (OSS4-HMAC-SHA256), bucket hosts and XML bodies, which neither \
                 alibaba_rpc nor alibaba_roa describes",
            ));
            return Ok(outcome);
        }
        other => {
            outcome.skipped.push(skip_version(&format!("the `{other}` style has no mapping to RPC or ROA")));
            return Ok(outcome);
        }
    };
    if !cloudspec::names::valid_version(version) {
        outcome.skipped.push(Skipped {
            entry: "info.version".into(),
            ..skip_version(&format!("the version `{version}` cannot name a module"))
        });
        return Ok(outcome);
    }
    if names_check(product).is_err() {
        return Err(unmappable("info.product", format!("`{product}` cannot become a Rust module name")));
    }
    let empty = Map::new();
    let components = root.get("components").and_then(|c| c.get("schemas")).and_then(Value::as_object).unwrap_or(&empty);
    let action_names: Vec<&str> = apis.keys().map(String::as_str).collect();
    let mut mapper = Mapper::new(label.clone(), components, &action_names);
    let common_retryable: HashSet<&str> = ["InternalError", "ServiceUnavailable", "InternalError.Timeout"].into();

    let mut actions = IndexMap::new();
    for (name, api) in apis {
        let entry = format!("apis.{name}");
        // A lower-case first letter (Elasticsearch `createInstance`) is a naming matter only: the Rust names
        // read as words (`create_instance`, `CreateInstanceRequest`) and the wire keeps the name as it is.
        let valid_name = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && name.chars().all(|c| c.is_ascii_alphanumeric())
            && name.len() <= cloudspec::names::MAX_NAME_LEN;
        let twin = apis.keys().find(|other| *other != name && other.eq_ignore_ascii_case(name));
        if !valid_name || twin.is_some() {
            let reason = match twin {
                Some(twin) if valid_name => format!("`{name}` and `{twin}` would get the same Rust names"),
                _ => "the action name is not ASCII letters and digits starting with a letter".into(),
            };
            outcome.skipped.push(Skipped {
                version: label.clone(),
                action: Some(name.clone()),
                file: file.to_path_buf(),
                entry,
                reason,
            });
            continue;
        }
        // A failed action leaves no trace in the mapper's tallies worth keeping; its types may remain and are
        // harmless (unused types are still generated and checked).
        match map_action(&mut mapper, name, api, &entry, protocol, &common_retryable) {
            Ok(action) => {
                actions.insert(name.clone(), action);
            }
            Err((at, reason)) => outcome.skipped.push(Skipped {
                version: label.clone(),
                action: Some(name.clone()),
                file: file.to_path_buf(),
                entry: at,
                reason,
            }),
        }
    }

    let mut spec = ServiceSpec {
        schema: Some("../../cloudspec.schema.json".into()),
        format_version: 1,
        imported_from: Some(ImportedFrom {
            catalogue: CATALOGUE.into(),
            version: None,
            file: Some(catalogue_file(product, version)),
        }),
        provider: PROVIDER.into(),
        service: ServiceInfo {
            name: product.to_string(),
            title: root
                .get("info")
                .and_then(|i| i.get("title"))
                .and_then(Value::as_str)
                .or_else(|| root.get("info").and_then(|i| i.get("product")).and_then(Value::as_str))
                .unwrap_or(product)
                .to_string(),
            version: version.to_string(),
            signing_name: None,
            product_code: root.get("info").and_then(|i| i.get("product")).and_then(Value::as_str).map(str::to_string),
            protocol: Some(protocol),
            description: None,
            // Openmeta's descriptions are Markdown.
            docs: cloudspec::spec::DocFormat::Markdown,
            endpoints: endpoints(root.get("endpoints"), &mut mapper),
        },
        sources: IndexMap::from([(
            format!("openmeta-{product}-en"),
            Source {
                title: format!("Alibaba Cloud OpenAPI metadata (Openmeta) api-docs.json, {product} {version}, English"),
                kind: SourceKind::MachineReadable,
                url: Some(format!(
                    "https://api.aliyun.com/meta/v1/products/{}/versions/{version}/api-docs.json?language=EN_US",
                    root.get("info").and_then(|i| i.get("product")).and_then(Value::as_str).unwrap_or(product)
                )),
                last_updated: None,
                language: Some("en".into()),
                retrieved_from: Some(format!("en_us/{product}/{version}/{API_DOCS}")),
            },
        )]),
        actions,
        types: std::mem::take(&mut mapper.types),
        omitted: Vec::new(),
    };
    spec.omitted = omitted(&outcome.skipped, std::mem::take(&mut mapper.omitted), &spec.actions);
    let source_id = format!("openmeta-{product}-en");
    for action in spec.actions.values_mut() {
        action.sources = vec![source_id.clone()];
    }
    scrub_documented_values(&mut spec, &mut mapper);
    let sensitive = crate::sensitive::mark(&mut spec);
    outcome.paging = crate::paging::detect(&mut spec, &format!("{product} {version}"));

    if spec.actions.is_empty() {
        // Every API was skipped (listed in `outcome.skipped`): a version without actions is no
        // client, and `check` rejects it (no-actions), so nothing is written for it.
        return Ok(outcome);
    }
    let path = provider_dir.join(product).join(format!("{version}.json"));
    let mut report = VersionReport {
        product: product.to_string(),
        version: version.to_string(),
        style,
        protocol: match protocol {
            Protocol::AlibabaRoa => "alibaba_roa",
            _ => "alibaba_rpc",
        }
        .into(),
        path: path.clone(),
        apis: apis.len(),
        actions: spec.actions.len(),
        types: spec.types.len(),
        sensitive,
        ..Default::default()
    };
    let spec = check_and_write(&path, spec, provider, &mut report, &mut outcome.rejections)?;
    report.examples_kept = spec.actions.values().map(|a| a.examples.len()).sum();
    outcome.version = Some(report);
    outcome.validators = mapper.validators;
    outcome.mapped = mapper.mapped;
    outcome.defects = mapper.defects;
    outcome.families = mapper.families;
    Ok(outcome)
}

fn names_check(product: &str) -> Result<String, cloudspec::names::NameError> {
    cloudspec::names::snake(product)
}

/// `endpoints` → `regions`, plus the regional pattern (or the single default host) when the hosts agree.
fn endpoints(value: Option<&Value>, mapper: &mut Mapper<'_>) -> Endpoints {
    let mut out = Endpoints::default();
    let mut prefixes = BTreeSet::new();
    let mut hosts = BTreeSet::new();
    for (i, item) in value.and_then(Value::as_array).into_iter().flatten().enumerate() {
        let region = item.get("regionId").and_then(Value::as_str).unwrap_or_default();
        let host = item.get("endpoint").and_then(Value::as_str).unwrap_or_default().trim().to_ascii_lowercase();
        let valid = |s: &str| {
            !s.is_empty()
                && s.split('.').all(|l| {
                    !l.is_empty() && !l.starts_with('-') && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                })
        };
        if region.is_empty() || !valid(&host) {
            let at = format!("{}: endpoints[{i}]", mapper.label);
            mapper.defects.add("endpoint-invalid-dropped", || at);
            continue;
        }
        match host.strip_suffix(&format!(".{region}.aliyuncs.com")) {
            Some(prefix) => prefixes.insert(Some(prefix.to_string())),
            None => prefixes.insert(None),
        };
        hosts.insert(host.clone());
        out.regions.insert(region.to_string(), host);
    }
    if let ([Some(prefix)], true) = (prefixes.iter().collect::<Vec<_>>().as_slice(), hosts.len() > 1) {
        out.regional = Some(format!("{prefix}.{{region}}.aliyuncs.com"));
    } else if hosts.len() == 1 {
        out.default = hosts.into_iter().next();
    }
    out
}

/// The spec's `omitted`: every action skipped (with the report's reason), then what the kept actions
/// lost (an error code of an action that was skipped whole is not listed again).
fn omitted(
    skipped: &[Skipped],
    lost: Vec<cloudspec::spec::Omitted>,
    actions: &IndexMap<String, cloudspec::spec::Action>,
) -> Vec<cloudspec::spec::Omitted> {
    let whole = skipped.iter().filter_map(|s| {
        s.action.as_ref().map(|name| cloudspec::spec::Omitted {
            name: name.clone(),
            kind: cloudspec::spec::OmittedKind::Action,
            action: None,
            reason: s.reason.clone(),
        })
    });
    let kept = lost.into_iter().filter(|o| o.action.as_ref().is_some_and(|a| actions.contains_key(a)));
    whole.chain(kept).collect()
}
