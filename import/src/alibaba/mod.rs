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
//! - **Names.** Keywords stay (generated as `r#type`); names with `.`, `-`, `*` or a leading digit get an
//!   explicit `rust_name`; case-only and snake_case collisions get a numeric suffix; type names never take
//!   the names generated for actions (`UnifiedSearchRequest`) or prelude names.

mod report;
mod schema;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use rayon::prelude::*;
use serde_json::{Map, Value};

pub use self::report::{AlibabaReport, Skipped, StyleCounts, Tally, VersionReport};
use self::schema::{Dir, FieldNames, Mapper, text};
use super::{Failure, ImportError, Overwrite, check_overwrites, parse_catalogue, read_catalogue, sorted_dirs};
use cloudspec::diagnostics::{Segment, Severity};
use cloudspec::spec::{
    Action, ActionStatus, Endpoints, ErrorCode, Example, Field, HttpBinding, HttpMethod, ImportedFrom, OperationType,
    ParamLocation, ParamStyle, Protocol, ServiceInfo, ServiceSpec, Source, SourceKind,
};

/// The provider spec written next to the imported services when the output has none.
const PROVIDER_JSON: &str = include_str!("../../../specs/alibabacloud/provider.json");

/// The provider directory name under the output directory.
const PROVIDER: &str = "alibabacloud";

/// The catalogue's name in `imported_from`.
const CATALOGUE: &str = "openmeta";

/// The catalogue file in each `<product>/<version>` directory.
const API_DOCS: &str = "api-docs.json";

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
        let valid_name = name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            && name.chars().all(|c| c.is_ascii_alphanumeric())
            && name.len() <= cloudspec::names::MAX_NAME_LEN;
        if !valid_name {
            outcome.skipped.push(Skipped {
                version: label.clone(),
                action: Some(name.clone()),
                file: file.to_path_buf(),
                entry,
                reason: "the action name is not UpperCamelCase ASCII".into(),
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
            file: Some(format!("{product}/{version}/{API_DOCS}")),
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
    };
    let source_id = format!("openmeta-{product}-en");
    for action in spec.actions.values_mut() {
        action.sources = vec![source_id.clone()];
    }
    scrub_documented_values(&mut spec, &mut mapper);

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
        ..Default::default()
    };
    let spec = check_and_write(&path, spec, provider, &mut report, &mut outcome.rejections)?;
    report.examples_kept = spec.actions.values().map(|a| a.examples.len()).sum();
    outcome.version = Some(report);
    outcome.validators = mapper.validators;
    outcome.mapped = mapper.mapped;
    outcome.defects = mapper.defects;
    Ok(outcome)
}

fn names_check(product: &str) -> Result<String, cloudspec::names::NameError> {
    cloudspec::names::snake(product)
}

type ActionError = (String, String);

fn map_action(
    mapper: &mut Mapper<'_>,
    name: &str,
    api: &Value,
    entry: &str,
    protocol: Protocol,
    common_retryable: &HashSet<&str>,
) -> Result<Action, ActionError> {
    let Some(api) = api.as_object() else { return Err((entry.to_string(), "the action is not an object".into())) };
    let summary = text(api.get("summary")).or_else(|| text(api.get("title"))).unwrap_or_else(|| name.to_string());
    let description = text(api.get("description")).filter(|d| *d != summary);
    let status = if api.get("deprecated").and_then(Value::as_bool) == Some(true) {
        ActionStatus::Deprecated
    } else {
        ActionStatus::Online
    };

    // Methods and path.
    let mut methods = Vec::new();
    for (i, method) in api.get("methods").and_then(Value::as_array).into_iter().flatten().enumerate() {
        let method = match method.as_str().map(str::to_ascii_lowercase).as_deref() {
            Some("get") => HttpMethod::Get,
            Some("post") => HttpMethod::Post,
            Some("put") => HttpMethod::Put,
            Some("patch") => HttpMethod::Patch,
            Some("delete") => HttpMethod::Delete,
            Some("head") => HttpMethod::Head,
            _ => return Err((format!("{entry}.methods[{i}]"), format!("unknown HTTP method {method}"))),
        };
        if !methods.contains(&method) {
            methods.push(method);
        }
    }
    let mut path = match protocol {
        Protocol::AlibabaRoa => api.get("path").and_then(Value::as_str).unwrap_or("/").to_string(),
        _ => "/".to_string(),
    };
    if !path.starts_with('/') {
        path.insert(0, '/');
    }
    if path.contains('?') {
        mapper.mapped.count("roa-path-with-query", 1);
    }

    // Parameters.
    let mut request = IndexMap::new();
    let mut seen = HashSet::new();
    let mut names = FieldNames::default();
    let parameters = api.get("parameters").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    for (i, parameter) in parameters.iter().enumerate() {
        let here = format!("{entry}.parameters[{i}]");
        let Some(wire) = parameter.get("name").and_then(Value::as_str).filter(|n| !n.is_empty()) else {
            return Err((here, "a parameter without a name".into()));
        };
        if !seen.insert(wire.to_string()) {
            let at = format!("{}: {here} ({wire})", mapper.label);
            mapper.defects.add("duplicate-parameter-dropped", || at);
            continue;
        }
        let location = match parameter.get("in").and_then(Value::as_str) {
            None | Some("query") => None,
            Some("formData") => Some(ParamLocation::Form),
            Some("body") => Some(ParamLocation::Body),
            Some("path") => Some(ParamLocation::Path),
            Some("header") => Some(ParamLocation::Header),
            Some("host") => Some(ParamLocation::Host),
            Some(other) => return Err((format!("{here}.in"), format!("unknown parameter position `{other}`"))),
        };
        let style = match parameter.get("style").and_then(Value::as_str) {
            None => None,
            Some("repeatList") => Some(ParamStyle::RepeatList),
            Some("json") => Some(ParamStyle::Json),
            Some("flat") => Some(ParamStyle::Flat),
            Some("simple") => Some(ParamStyle::Simple),
            Some("xml") => Some(ParamStyle::Xml),
            Some(other) => {
                let at = format!("{}: {here}.style ({other})", mapper.label);
                mapper.defects.add("unknown-style-dropped", || at);
                None
            }
        };
        if let Some(style) = style {
            mapper.mapped.count(&format!("style:{}", style_name(style)), 1);
        }
        let schema = parameter.get("schema").cloned().unwrap_or(Value::Object(Map::new()));
        let hint = format!("{name}{}", cloudspec::names::camel(wire).unwrap_or_default());
        let mut field = mapper.field(&schema, &hint, &format!("{here}.schema"), Dir::Request);
        field.location = location;
        field.style = style;
        field.rust_name = names.rust_name(wire, mapper, &here);
        request.insert(wire.to_string(), field);
    }
    // Path template and path parameters.
    if protocol == Protocol::AlibabaRoa {
        for (wire, field) in request.iter_mut() {
            if field.location != Some(ParamLocation::Path) || path.contains(&format!("{{{wire}}}")) {
                continue;
            }
            let at = format!("{}: {entry} ({wire})", mapper.label);
            if path.contains(&format!("[{wire}]")) {
                path = path.replace(&format!("[{wire}]"), &format!("{{{wire}}}"));
                mapper.defects.add("path-template-brackets-repaired", || at);
            } else {
                field.location = None;
                mapper.defects.add("path-parameter-not-in-template-sent-in-query", || at);
            }
        }
        let mut rest = path.as_str();
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                return Err((format!("{entry}.path"), format!("`{path}` has a `{{` without `}}`")));
            };
            let param = &rest[open + 1..open + close];
            if request.get(param).is_none_or(|f| f.location != Some(ParamLocation::Path)) {
                return Err((
                    format!("{entry}.path"),
                    format!("the path `{path}` names `{{{param}}}`, which is not declared as a path parameter"),
                ));
            }
            rest = &rest[open + close + 1..];
        }
    } else {
        for field in request.values_mut() {
            if field.location == Some(ParamLocation::Path) {
                field.location = None;
                let at = format!("{}: {entry}", mapper.label);
                mapper.defects.add("rpc-path-parameter-sent-in-query", || at);
            }
        }
    }

    // Idempotency.
    let operation_type = match api.get("systemTags").and_then(|t| t.get("operationType")).and_then(Value::as_str) {
        Some("get") => Some(OperationType::Get),
        Some("list") => Some(OperationType::List),
        Some("create") => Some(OperationType::Create),
        Some("update") => Some(OperationType::Update),
        Some("delete") => Some(OperationType::Delete),
        Some("none") => Some(OperationType::None),
        _ => None,
    };
    let is_token =
        |n: &str| n.chars().filter(|c| !matches!(c, '_' | '-')).collect::<String>().to_lowercase() == "clienttoken";
    let mut idempotency_token = request.keys().find(|n| is_token(n)).cloned();
    if idempotency_token.is_none() {
        for (wire, field) in &request {
            if field.location != Some(ParamLocation::Body) {
                continue;
            }
            let members = field.ty.named().map(|name| mapper_fields(&mapper.types, name)).unwrap_or_default();
            if let Some(member) = members.into_iter().find(|m| is_token(m)) {
                idempotency_token = Some(format!("{wire}.{member}"));
                break;
            }
        }
    }
    // A top-level token is filled by the client with a fresh UUID per call (kept across its retries); a
    // member of the body (`body.clientToken`) is documented but left to the caller, so it does not make
    // blind retries safe.
    let top_level_token = idempotency_token.as_ref().is_some_and(|t| request.contains_key(t));
    let idempotent = matches!(operation_type, Some(OperationType::Get | OperationType::List)) || top_level_token;
    if idempotency_token.is_some() {
        mapper.mapped.count("idempotency-token", 1);
    }

    // Response.
    let mut response = IndexMap::new();
    let mut response_body = None;
    let response_name = format!("{name}Response");
    if let Some(schema) = api.get("responses").and_then(|r| r.get("200")).and_then(|r| r.get("schema")) {
        let here = format!("{entry}.responses.200.schema");
        let resolved = resolve_ref(mapper, schema);
        let properties = resolved.get("properties").and_then(Value::as_object).filter(|p| !p.is_empty());
        match properties {
            Some(properties) if resolved.get("type").and_then(Value::as_str).is_none_or(|t| t == "object") => {
                let here = format!("{here}.properties");
                response = mapper.fields(properties, &response_name, &here, Dir::Response, Vec::new());
            }
            _ => {
                let field = mapper.field(schema, &format!("{response_name}Body"), &here, Dir::Response);
                let kind = match field.ty.to_string().as_str() {
                    t if t.starts_with("list<") => "response-body:list",
                    t if t.starts_with("map<") => "response-body:map",
                    "string" => "response-body:string",
                    "any" => "response-body:any",
                    _ => "response-body:other",
                };
                let at = format!("{}: {here}", mapper.label);
                mapper.mapped.add(kind, || at);
                response_body = Some(field);
            }
        }
    } else {
        mapper.mapped.count("no-200-schema", 1);
    }

    // Errors.
    let mut errors = Vec::new();
    let mut codes = HashSet::new();
    let mut variants = HashSet::new();
    if let Some(by_status) = api.get("errorCodes").and_then(Value::as_object) {
        for (status, list) in by_status {
            let http_status = status.parse::<u16>().ok().filter(|s| (100..=599).contains(s));
            if http_status.is_none() {
                let at = format!("{}: {entry}.errorCodes.{status}", mapper.label);
                mapper.defects.add("error-status-not-http", || at);
            }
            for (j, item) in list.as_array().into_iter().flatten().enumerate() {
                let Some(code) = item.get("errorCode").and_then(Value::as_str).map(str::trim) else { continue };
                let at = || format!("{}: {entry}.errorCodes.{status}[{j}] ({code})", mapper.label);
                let valid = !code.is_empty()
                    && code.len() <= cloudspec::names::MAX_NAME_LEN
                    && code.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '%'));
                if !valid {
                    let at = at();
                    mapper.defects.add("error-code-not-an-identifier-dropped", || at);
                    continue;
                }
                let variant = cloudspec::names::camel(code).unwrap_or_default();
                if !codes.insert(code.to_string()) || !variants.insert(variant) {
                    let at = at();
                    mapper.defects.add("error-code-repeated-merged", || at);
                    continue;
                }
                if code.contains('%') {
                    mapper.mapped.count("error-code-with-placeholder", 1);
                }
                let message = text(item.get("errorMessage"));
                let extra = text(item.get("description"));
                let description = match (message, extra) {
                    (Some(m), Some(d)) if m != d => Some(format!("{m} {d}")),
                    (m, d) => m.or(d),
                };
                let throttling = code.starts_with("Throttling");
                errors.push(ErrorCode {
                    code: code.to_string(),
                    description,
                    retryable: throttling || common_retryable.contains(code),
                    http_status,
                    throttling,
                });
            }
        }
    }

    // The JSON output example.
    let mut examples = Vec::new();
    if let Some(demo) = api.get("responseDemo").and_then(Value::as_str).filter(|d| !d.trim().is_empty()) {
        match serde_json::from_str::<Value>(demo) {
            Ok(Value::Array(items)) => {
                let json = items.iter().find(|i| {
                    i.get("type").and_then(Value::as_str) == Some("json")
                        && i.get("example").and_then(Value::as_str).is_some_and(|e| !e.trim().is_empty())
                });
                if let Some(example) = json.and_then(|i| i.get("example")).and_then(Value::as_str) {
                    if serde_json::from_str::<Value>(example).is_ok() {
                        examples.push(Example {
                            title: "Sample success response".into(),
                            description: Some("JSON format".into()),
                            input: None,
                            output: Some(example.to_string()),
                        });
                    } else {
                        let at = format!("{}: {entry}.responseDemo", mapper.label);
                        mapper.defects.add("response-example-not-json", || at);
                    }
                }
            }
            _ => {
                let at = format!("{}: {entry}.responseDemo", mapper.label);
                mapper.defects.add("response-demo-not-a-json-list", || at);
            }
        }
    }

    let schemes = api
        .get("schemes")
        .and_then(Value::as_array)
        .map(|s| s.iter().filter_map(Value::as_str).map(str::to_string).collect())
        .unwrap_or_default();
    Ok(Action {
        summary,
        title: None,
        description,
        sources: Vec::new(),
        status,
        rate_limit: None,
        region: None,
        http: Some(HttpBinding { methods, path: Some(path), schemes, response_body }),
        idempotent,
        idempotency_token,
        operation_type,
        authorization: None,
        notes: Vec::new(),
        history: Vec::new(),
        request,
        response,
        errors,
        examples,
        discrepancies: Vec::new(),
        rust_name: None,
    })
}

/// The member names of the object type `ty`, if it is one.
fn mapper_fields(types: &IndexMap<String, cloudspec::spec::TypeDef>, ty: &str) -> Vec<String> {
    types.get(ty).and_then(|d| d.fields.as_ref()).map(|f| f.keys().cloned().collect()).unwrap_or_default()
}

/// A `$ref` root resolved to its component (for deciding whether a response is an object of fields).
fn resolve_ref(mapper: &Mapper<'_>, schema: &Value) -> Value {
    schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
        .and_then(|name| mapper.component(name))
        .unwrap_or(schema)
        .clone()
}

fn style_name(style: ParamStyle) -> &'static str {
    match style {
        ParamStyle::RepeatList => "repeat_list",
        ParamStyle::Json => "json",
        ParamStyle::Flat => "flat",
        ParamStyle::Simple => "simple",
        ParamStyle::Xml => "xml",
    }
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

/// Converts nothing, but checks every documented example and default against its field with the rules
/// `cloudspec check` applies, and drops (and counts) the ones that break them.
fn scrub_documented_values(spec: &mut ServiceSpec, mapper: &mut Mapper<'_>) {
    use cloudspec::check::values::{Direction, ValueChecker};
    let types = spec.types.clone();
    let checker_request = ValueChecker::new(&types, Direction::Request);
    let checker_response = ValueChecker::new(&types, Direction::Response);
    let mut scrub = |field: &mut Field, request: bool, at: &dyn Fn() -> String| {
        let ty = field.ty.clone();
        let probe = field_shape(field);
        let field_ty = field.ty.to_string();
        for (which, value) in [("default", &mut field.default), ("example", &mut field.example)] {
            let Some(v) = value.as_ref() else { continue };
            let checker = if request || which == "default" { &checker_request } else { &checker_response };
            let mut validator = cloudspec_rules::Validator::new();
            checker.value(&probe, &ty, v, "value", &mut validator);
            if let Err(error) = validator.finish() {
                let kind = match field_ty.as_str() {
                    "bool" if v.is_string() => "not-true-or-false",
                    "int32" | "int64" if v.is_string() => "not-an-integer",
                    "float64" if v.is_string() => "not-a-number",
                    _ => violation_kind(&error.violations()[0].to_string(), v),
                };
                let masked = v.as_str().is_some_and(|s| s.contains('*'));
                let label = format!("{which}:{kind}{}", if masked { " (masked)" } else { "" });
                let at = at();
                mapper.defects.add(&label, || at);
                *value = None;
            }
        }
    };
    let label = mapper.label.clone();
    for (name, action) in &mut spec.actions {
        for (wire, field) in &mut action.request {
            scrub(field, true, &|| format!("{label}: apis.{name} request {wire}"));
        }
        for (wire, field) in &mut action.response {
            scrub(field, false, &|| format!("{label}: apis.{name} response {wire}"));
        }
        if let Some(body) = action.http.as_mut().and_then(|h| h.response_body.as_mut()) {
            scrub(body, false, &|| format!("{label}: apis.{name} response body"));
        }
    }
    for (name, def) in &mut spec.types {
        for (wire, field) in def.fields.iter_mut().flatten() {
            scrub(field, true, &|| format!("{label}: types.{name}.{wire}"));
        }
    }
}

/// A copy of a field's type and rules, for checking one of its documented values.
fn field_shape(field: &Field) -> Field {
    Field {
        ty: field.ty.clone(),
        format: field.format,
        constraints: field.constraints.clone(),
        nullable: field.nullable,
        ..Field::plain(field.ty.clone())
    }
}

/// A short kind for a violation message (`not-an-integer`, `outside-the-enum`, `pattern`, …).
fn violation_kind(message: &str, value: &Value) -> &'static str {
    let m = message.to_ascii_lowercase();
    if m.contains("one of") || m.contains("allowed values") {
        "outside-the-enum"
    } else if m.contains("pattern") || m.contains("match") {
        "fails-its-pattern"
    } else if m.contains("at least") && m.contains("character") {
        "shorter-than-min-length"
    } else if m.contains("at most") && m.contains("character") {
        "longer-than-max-length"
    } else if m.contains("at least") || m.contains("greater") {
        "below-the-minimum"
    } else if m.contains("at most") || m.contains("less") {
        "above-the-maximum"
    } else if value.is_string() && m.contains("integer") {
        "not-an-integer"
    } else if value.is_string() && m.contains("bool") {
        "not-true-or-false"
    } else if value.is_string() && m.contains("number") {
        "not-a-number"
    } else if m.contains("range") || m.contains("integer") {
        "outside-the-integer-range"
    } else {
        "wrong-type"
    }
}

/// The provider spec the written services are checked against.
struct ProviderContext {
    path: PathBuf,
    text: String,
    spec: cloudspec::spec::ProviderSpec,
}

impl ProviderContext {
    fn load(path: &Path) -> Result<ProviderContext, ImportError> {
        let set = cloudspec::load::load(std::slice::from_ref(&path.to_path_buf()))
            .map_err(|e| ImportError::Nothing(format!("cannot read {}: {e}", path.display())))?;
        let errors: Vec<String> =
            set.diagnostics.iter().filter(|d| d.severity == Severity::Error).map(|d| d.render()).collect();
        match set.providers.into_values().next() {
            Some(loaded) if errors.is_empty() => {
                Ok(ProviderContext { path: path.to_path_buf(), text: loaded.file.text.clone(), spec: loaded.spec })
            }
            _ => Err(ImportError::Nothing(format!(
                "{} is not a valid provider spec:\n{}",
                path.display(),
                errors.join("\n")
            ))),
        }
    }
}

/// Checks the spec as `cloudspec check` would (in memory, against the provider spec), drops the output
/// examples it rejects, and writes the result. One round is enough: each example is checked on its own, so
/// dropping one cannot change what the check says about the others or about the rest of the spec.
fn check_and_write(
    path: &Path,
    spec: ServiceSpec,
    provider: &ProviderContext,
    report: &mut VersionReport,
    rejections: &mut BTreeMap<String, usize>,
) -> Result<ServiceSpec, ImportError> {
    let text = spec_text(path, &spec)?;
    let mut set = cloudspec::load::SpecSet::default();
    set.providers.insert(
        PROVIDER.to_string(),
        cloudspec::load::Loaded {
            file: cloudspec::load::SourceFile::without_positions(provider.path.clone(), provider.text.clone()),
            spec: provider.spec.clone(),
        },
    );
    set.files_read = 2;
    let file = cloudspec::load::SourceFile::without_positions(path.to_path_buf(), text);
    set.services.push(cloudspec::load::Loaded { file, spec });
    let diagnostics = cloudspec::check::check(&set).diagnostics;
    let Some(cloudspec::load::Loaded { file, mut spec }) = set.services.pop() else {
        return Err(ImportError::Nothing(format!("{}: the check lost the spec", path.display())));
    };
    let mut drop: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    for error in diagnostics.iter().filter(|d| d.severity == Severity::Error) {
        if let [Segment::Key(actions), Segment::Key(action), Segment::Key(examples), Segment::Index(index), ..] =
            error.path.segments()
        {
            if actions == "actions" && examples == "examples" {
                drop.entry(action.clone()).or_default().insert(*index);
                *rejections.entry(error.code.to_string()).or_default() += 1;
                continue;
            }
        }
        report.remaining_errors.push(error.render());
    }
    if drop.is_empty() {
        return cloudspec::write_atomically(path, file.text.as_bytes())
            .map(|()| spec)
            .map_err(|source| ImportError::Io { path: path.to_path_buf(), source });
    }
    for (action, indexes) in drop {
        if let Some(action) = spec.actions.get_mut(&action) {
            for index in indexes.into_iter().rev() {
                if index < action.examples.len() {
                    action.examples.remove(index);
                    report.examples_rejected += 1;
                }
            }
        }
    }
    let text = spec_text(path, &spec)?;
    cloudspec::write_atomically(path, text.as_bytes())
        .map_err(|source| ImportError::Io { path: path.to_path_buf(), source })?;
    Ok(spec)
}

fn spec_text(path: &Path, spec: &ServiceSpec) -> Result<String, ImportError> {
    let mut text = serde_json::to_string_pretty(spec)
        .map_err(|e| ImportError::Json { path: path.to_path_buf(), message: e.to_string() })?;
    text.push('\n');
    Ok(text)
}
