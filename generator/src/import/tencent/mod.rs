//! Tencent Cloud: the tccli catalogue (`tccli/services/<svc>/<version>/api.json` + `examples.json`).
//!
//! Mapping decisions, following the catalogue audit (`shared/research/tencent-catalogue/AUDIT.md`):
//!
//! - **Types.** `string` → `string`; `int` + `int64`/`uint64` → `int64`/`uint64`; `float` → `float64`;
//!   `bool` → `bool`; `binary` → `binary`; `list` + member → `list<member>`; `object` + member → the member
//!   object's name. `datetime`, `datetime_iso` and `date` become `string`, with the declared format stated in
//!   the description: the documented examples use `0000-00-00 00:00:00`, `-`, `""` and other shapes (§3, §8),
//!   so a typed timestamp would reject real responses.
//! - **Objects.** An action's `input`/`output` objects are inlined as its `request`/`response`; every object
//!   reachable from a member becomes a shared `types` entry of kind `object`.
//! - **Required.** Request fields keep `required`. Response fields are never required: examples omit fields
//!   flagged `output_required` often enough that only all-`Option` responses decode ≥ 99 % of them (§8.2).
//!   Members of shared objects are required only when the object is reachable from requests alone.
//!   `value_allowed_null` becomes `nullable`.
//! - **Idempotency.** The catalogue does not say. Actions whose name starts with a read-only verb
//!   (`Describe`, `Get`, `List`, `Inquiry`, `Check`, `Query`) are marked idempotent, every other one is not.
//! - **Names.** Members whose snake_case names collide within one object, or that differ from an earlier
//!   member only in case, get a `rust_name` with a numeric suffix. Object names that would shadow prelude
//!   types or collide with the names generated for actions get a `rust_name` too.
//! - **Examples.** Kept verbatim when their output parses as JSON; the rest are dropped. After the spec is
//!   written, `cloudspec check` runs on it and every example it rejects is dropped as well; both are counted.
//! - **Errors.** `api.json` lists no error codes. The only ones the catalogue shows are in example responses
//!   that are error envelopes (`Response.Error.Code`/`Message`); those codes become the action's errors, with
//!   the example's message as description and retryability inherited from the provider's common code of their
//!   class (`InternalError.X` from `InternalError`). Codes the provider already lists are not repeated.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use rayon::prelude::*;
use serde::Deserialize;
use serde_json::Value;

mod enums;

use std::cell::RefCell;

use super::{ImportError, ImportReport, ServiceReport};
use crate::diagnostics::{Segment, Severity};
use crate::spec::{
    Action, ActionStatus, EnumValue, ErrorCode, Example, Field, ServiceInfo, ServiceSpec, Source, SourceKind, TypeDef,
    TypeKind,
};

/// The provider spec written next to the imported services when the output has none.
const PROVIDER_JSON: &str = include_str!("../../../../specs/tencentcloud/provider.json");

/// The provider directory name under the output directory.
const PROVIDER: &str = "tencentcloud";

/// Action name prefixes taken to mean a read-only, hence idempotent, action.
const READ_ONLY_PREFIXES: &[&str] = &["Describe", "Get", "List", "Inquiry", "Check", "Query"];

/// Object names that would shadow a type the generated code relies on.
const SHADOWING_NAMES: &[&str] = &["Result", "Option", "Error", "Box", "Vec", "String", "Some", "None", "Ok", "Err"];

#[derive(Debug, Deserialize)]
struct ApiFile {
    #[serde(default)]
    metadata: Metadata,
    #[serde(default)]
    actions: IndexMap<String, ApiAction>,
    #[serde(default)]
    objects: IndexMap<String, ApiObject>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Metadata {
    #[serde(default)]
    api_version: Option<String>,
    #[serde(default, rename = "serviceNameCN")]
    service_name_cn: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ApiAction {
    #[serde(default)]
    document: Option<String>,
    input: String,
    #[serde(default)]
    name: Option<String>,
    output: String,
    #[serde(default)]
    status: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ApiObject {
    #[serde(default)]
    document: Option<String>,
    #[serde(default)]
    members: Vec<ApiMember>,
}

#[derive(Debug, Deserialize)]
struct ApiMember {
    name: String,
    #[serde(rename = "type")]
    ty: String,
    #[serde(default)]
    member: String,
    #[serde(default)]
    document: Option<String>,
    #[serde(default)]
    example: Option<Value>,
    #[serde(default, deserialize_with = "flag")]
    required: Option<bool>,
    #[serde(default, deserialize_with = "flag")]
    value_allowed_null: Option<bool>,
}

/// A catalogue flag: mostly a JSON bool, sometimes `0`/`1` or `"true"`/`"false"` (databuddy).
fn flag<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<bool>, D::Error> {
    use serde::de::Error;
    match Option::<Value>::deserialize(deserializer)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(b)),
        Some(Value::Number(n)) if n.as_u64() == Some(0) => Ok(Some(false)),
        Some(Value::Number(n)) if n.as_u64() == Some(1) => Ok(Some(true)),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Ok(Some(true)),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Ok(Some(false)),
        Some(other) => Err(D::Error::custom(format!("expected a boolean flag, found {other}"))),
    }
}

#[derive(Debug, Default, Deserialize)]
struct ExamplesFile {
    #[serde(default)]
    actions: IndexMap<String, Vec<ApiExample>>,
}

#[derive(Debug, Deserialize)]
struct ApiExample {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    document: Option<String>,
    #[serde(default)]
    input: Option<String>,
    #[serde(default)]
    output: Option<String>,
}

/// Imports every service version under `services_dir` (tccli's `tccli/services`), or only the services
/// named in `only`, into `out/tencentcloud/<service>/<YYYY-MM-DD>.json`. Writes `out/tencentcloud/provider.json`
/// when it is missing, so the output checks on its own.
pub fn import(services_dir: &Path, out: &Path, only: &[String]) -> Result<ImportReport, ImportError> {
    let mut targets = Vec::new();
    for service_dir in sorted_dirs(services_dir)? {
        let service = file_name(&service_dir);
        if !only.is_empty() && !only.contains(&service) {
            continue;
        }
        for version_dir in sorted_dirs(&service_dir)? {
            let version = file_name(&version_dir);
            if wire_version(&version).is_some() && version_dir.join("api.json").is_file() {
                targets.push((service.clone(), version_dir));
            }
        }
    }
    for name in only {
        if !targets.iter().any(|(service, _)| service == name) {
            return Err(ImportError::Nothing(format!(
                "{}: no service `{name}` with a `v<YYYYMMDD>/api.json`",
                services_dir.display()
            )));
        }
    }
    if targets.is_empty() {
        return Err(ImportError::Nothing(format!(
            "{}: no `<service>/v<YYYYMMDD>/api.json` found; expected tccli's `tccli/services` directory",
            services_dir.display()
        )));
    }

    // The specs name their JSON Schema (as hand-written specs do), so editors check them and the loader does not
    // warn about every file.
    let schema_path = out.join("cloudspec.schema.json");
    if !schema_path.is_file() {
        crate::write_atomically(&schema_path, crate::spec::json_schema().as_bytes())
            .map_err(|source| ImportError::Io { path: schema_path.clone(), source })?;
    }
    let provider_dir = out.join(PROVIDER);
    let provider_path = provider_dir.join(crate::load::PROVIDER_FILE);
    if !provider_path.is_file() {
        crate::write_atomically(&provider_path, PROVIDER_JSON.as_bytes())
            .map_err(|source| ImportError::Io { path: provider_path.clone(), source })?;
    }

    // Service versions are independent: import them in parallel, report them in directory order.
    let bar = super::progress(targets.len() as u64, "service versions");
    let services = targets
        .par_iter()
        .map(|(service, version_dir)| {
            let report = import_version(service, version_dir, &provider_dir);
            bar.set_message(format!("{service} {}", file_name(version_dir)));
            bar.inc(1);
            report
        })
        .collect::<Result<Vec<_>, _>>();
    bar.finish_and_clear();
    Ok(ImportReport { services: services? })
}

/// Imports one `<service>/v<YYYYMMDD>` directory and checks what was written.
fn import_version(service: &str, version_dir: &Path, provider_dir: &Path) -> Result<ServiceReport, ImportError> {
    let dir_version = file_name(version_dir);
    let api_path = version_dir.join("api.json");
    let examples_path = version_dir.join("examples.json");
    let api: ApiFile = read_json(&api_path)?;
    let examples: ExamplesFile =
        if examples_path.is_file() { read_json(&examples_path)? } else { ExamplesFile::default() };
    let version = wire_version(&dir_version).ok_or_else(|| ImportError::Unmappable {
        path: api_path.clone(),
        entry: "metadata.apiVersion".into(),
        message: format!("the directory `{dir_version}` is not `v<YYYYMMDD>`"),
    })?;
    if let Some(declared) = &api.metadata.api_version {
        if *declared != version {
            return Err(ImportError::Unmappable {
                path: api_path.clone(),
                entry: "metadata.apiVersion".into(),
                message: format!("`{declared}` does not match the directory `{dir_version}`"),
            });
        }
    }

    let mut report = ServiceReport { service: service.to_string(), version: version.clone(), ..Default::default() };
    let observed = observed_values(&api, &examples);
    let cx = Cx { api: &api, path: &api_path, enums: RefCell::default(), observed: &observed };
    let mut spec = cx.service(service, &version, &dir_version, examples_path.is_file())?;
    for (name, action) in &mut spec.actions {
        for example in examples.actions.get(name).into_iter().flatten() {
            let output = example.output.clone().filter(|o| !o.trim().is_empty());
            let parsed = output.as_deref().map(serde_json::from_str::<Value>);
            if parsed.as_ref().is_some_and(Result::is_err) {
                report.examples_not_json += 1;
                continue;
            }
            if let Some((code, message)) = parsed.and_then(Result::ok).as_ref().and_then(example_error) {
                if !action.errors.iter().any(|e| e.code == code) && !COMMON_ERRORS.iter().any(|(c, _, _)| *c == code) {
                    let class = code.split('.').next().unwrap_or_default();
                    let (retryable, throttling) = COMMON_ERRORS
                        .iter()
                        .find(|(c, _, _)| *c == class)
                        .map_or((false, false), |(_, retryable, throttling)| (*retryable, *throttling));
                    action.errors.push(ErrorCode {
                        code,
                        description: message.map(|m| format!("Shown in a documented response: {m}")),
                        retryable,
                        http_status: None,
                        throttling,
                    });
                    report.errors_from_examples += 1;
                }
            }
            action.examples.push(Example {
                title: example.title.clone().filter(|t| !t.trim().is_empty()).unwrap_or_else(|| name.clone()),
                description: non_empty(example.document.as_deref()),
                input: example.input.clone().filter(|i| !i.trim().is_empty()),
                output,
            });
        }
    }

    let path = provider_dir.join(service).join(format!("{version}.json"));
    report.path = path.clone();
    report.actions = spec.actions.len();
    report.types = spec.types.len();
    report.enums = cx.enums.borrow().types.len();
    report.enum_members = cx.enums.borrow().members;
    // Each round drops the examples the check rejects; it ends when no example is rejected (a dropped example
    // can hide another problem of the same action only behind itself, so the rounds are few).
    loop {
        write_spec(&path, &spec)?;
        let set = crate::load::load(std::slice::from_ref(&path))
            .map_err(|e| ImportError::Nothing(format!("cannot check {}: {e}", path.display())))?;
        let checked = crate::check::check(&set);
        let errors: Vec<_> = checked.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
        let mut drop: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
        for error in &errors {
            if let [Segment::Key(actions), Segment::Key(action), Segment::Key(examples), Segment::Index(index), ..] =
                error.path.segments()
            {
                if actions == "actions" && examples == "examples" {
                    drop.entry(action.clone()).or_default().insert(*index);
                    *report.rejections.entry(error.code).or_default() += 1;
                }
            }
        }
        let rejected_before = report.examples_rejected;
        if drop.is_empty() {
            report.remaining_errors = errors.iter().map(|d| d.render()).collect();
            break;
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
        if report.examples_rejected == rejected_before {
            // Nothing could be dropped: report what is left rather than loop.
            report.remaining_errors = errors.iter().map(|d| d.render()).collect();
            break;
        }
    }
    report.examples_kept = spec.actions.values().map(|a| a.examples.len()).sum();
    Ok(report)
}

/// The catalogue of one service version, with the file it came from for error messages.
struct Cx<'a> {
    api: &'a ApiFile,
    path: &'a Path,
    /// The enumerations extracted from request members' prose so far.
    enums: RefCell<Enums>,
    /// The string values the documented requests give each member (`(object, member)`).
    observed: &'a Observed,
}

/// String values seen in the documented requests, by object and member name.
type Observed = HashMap<(String, String), BTreeSet<String>>;

/// The string values the request examples give members, walking each example along the action's input object.
fn observed_values(api: &ApiFile, examples: &ExamplesFile) -> Observed {
    fn walk(api: &ApiFile, value: &Value, object: &str, out: &mut Observed, depth: usize) {
        let (Some(object_def), Some(map), true) = (api.objects.get(object), value.as_object(), depth < 32) else {
            return;
        };
        for member in &object_def.members {
            let Some(value) = map.get(&member.name) else { continue };
            match (member.ty.as_str(), value) {
                ("string", Value::String(text)) => {
                    out.entry((object.to_string(), member.name.clone())).or_default().insert(text.clone());
                }
                ("object", _) => walk(api, value, &member.member, out, depth + 1),
                ("list", Value::Array(items)) if object_reference(member).is_some() => {
                    for item in items {
                        walk(api, item, &member.member, out, depth + 1);
                    }
                }
                _ => {}
            }
        }
    }
    let mut out = Observed::new();
    for (name, list) in &examples.actions {
        let Some(action) = api.actions.get(name) else { continue };
        for input in list.iter().filter_map(|e| e.input.as_deref()) {
            if let Ok(parsed) = crate::check::parse_example_input(input, &[]) {
                walk(api, &Value::Object(parsed.params), &action.input, &mut out, 0);
            }
        }
    }
    out
}

/// Enumerations extracted from prose, by type name, and the Rust type names already taken.
#[derive(Default)]
struct Enums {
    types: IndexMap<String, Vec<enums::Value>>,
    /// Members given an enumeration type.
    members: usize,
    taken: HashSet<String>,
}

impl Cx<'_> {
    fn unmappable(&self, entry: impl Into<String>, message: impl Into<String>) -> ImportError {
        ImportError::Unmappable { path: self.path.to_path_buf(), entry: entry.into(), message: message.into() }
    }

    fn object(&self, name: &str, entry: &str) -> Result<&ApiObject, ImportError> {
        self.api.objects.get(name).ok_or_else(|| self.unmappable(entry, format!("no object `{name}` in `objects`")))
    }

    fn service(
        &self,
        service: &str,
        version: &str,
        dir_version: &str,
        has_examples: bool,
    ) -> Result<ServiceSpec, ImportError> {
        let file = |name: &str| format!("tccli/services/{service}/{dir_version}/{name}");
        let mut sources = IndexMap::new();
        let api_source = format!("tccli-{service}");
        sources.insert(
            api_source.clone(),
            Source {
                title: format!("tccli api.json, {service} {version}"),
                kind: SourceKind::MachineReadable,
                url: None,
                last_updated: None,
                language: None,
                retrieved_from: Some(file("api.json")),
            },
        );
        if has_examples {
            sources.insert(
                format!("tccli-{service}-examples"),
                Source {
                    title: format!("tccli examples.json, {service} {version}"),
                    kind: SourceKind::MachineReadable,
                    url: None,
                    last_updated: None,
                    language: None,
                    retrieved_from: Some(file("examples.json")),
                },
            );
        }

        // Objects reachable from requests and from responses, through members.
        let mut from_inputs = BTreeSet::new();
        let mut from_outputs = BTreeSet::new();
        for (name, action) in &self.api.actions {
            let entry = format!("actions.{name}");
            self.reach(&action.input, &format!("{entry}.input"), &mut from_inputs)?;
            self.reach(&action.output, &format!("{entry}.output"), &mut from_outputs)?;
        }

        let generated: HashSet<String> = self
            .api
            .actions
            .keys()
            .flat_map(|a| [format!("{a}Request"), format!("{a}Response"), format!("{a}Builder"), a.clone()])
            .collect();
        {
            let mut enums = self.enums.borrow_mut();
            enums.taken.extend(generated.iter().cloned());
            enums.taken.extend(SHADOWING_NAMES.iter().map(|n| n.to_string()));
            enums.taken.extend(self.api.objects.keys().map(|n| crate::names::camel(n).unwrap_or_else(|_| n.clone())));
        }
        let mut types = IndexMap::new();
        for (name, object) in &self.api.objects {
            if !from_inputs.contains(name) && !from_outputs.contains(name) {
                continue;
            }
            let entry = format!("objects.{name}");
            let required = if from_outputs.contains(name) { Requiredness::Never } else { Requiredness::AsDocumented };
            let owner = from_inputs.contains(name).then_some(name.as_str());
            let fields = self.fields(object, &entry, required, name, owner)?;
            let camel = crate::names::camel(name).unwrap_or_else(|_| name.clone());
            let rust_name = (SHADOWING_NAMES.contains(&camel.as_str()) || generated.contains(&camel))
                .then(|| format!("{camel}Object"));
            types.insert(
                name.clone(),
                TypeDef {
                    kind: TypeKind::Object,
                    description: non_empty(object.document.as_deref()),
                    fields: Some(fields),
                    base: None,
                    values: None,
                    rust_name,
                    sources: Vec::new(),
                },
            );
        }

        let mut actions = IndexMap::new();
        for (name, action) in &self.api.actions {
            let entry = format!("actions.{name}");
            let status = match action.status.as_deref() {
                None | Some("online") | Some("") => ActionStatus::Online,
                Some("deprecated") => ActionStatus::Deprecated,
                Some("offline") => ActionStatus::Offline,
                Some(other) => {
                    return Err(self.unmappable(format!("{entry}.status"), format!("unknown status `{other}`")));
                }
            };
            let document = non_empty(action.document.as_deref());
            let title = non_empty(action.name.as_deref());
            let summary =
                document.as_deref().map(first_sentence).or_else(|| title.clone()).unwrap_or_else(|| name.clone());
            let description = document.filter(|d| d.trim() != summary);
            let input = self.object(&action.input, &format!("{entry}.input"))?;
            let output = self.object(&action.output, &format!("{entry}.output"))?;
            let request = self.fields(
                input,
                &format!("objects.{}", action.input),
                Requiredness::AsDocumented,
                &action.input,
                Some(name),
            )?;
            let response =
                self.fields(output, &format!("objects.{}", action.output), Requiredness::Never, &action.output, None)?;
            actions.insert(
                name.clone(),
                Action {
                    summary,
                    title,
                    description,
                    sources: vec![api_source.clone()],
                    status,
                    rate_limit: None,
                    region: None,
                    http: None,
                    idempotent: READ_ONLY_PREFIXES.iter().any(|p| name.starts_with(p)),
                    idempotency_token: None,
                    operation_type: None,
                    authorization: None,
                    notes: Vec::new(),
                    history: Vec::new(),
                    request,
                    response,
                    errors: Vec::new(),
                    examples: Vec::new(),
                    discrepancies: Vec::new(),
                },
            );
        }

        for (name, values) in &self.enums.borrow().types {
            let values = values
                .iter()
                .map(|v| EnumValue {
                    value: Value::String(v.value.clone()),
                    name: None,
                    description: v.description.clone(),
                })
                .collect();
            types.insert(
                name.clone(),
                TypeDef {
                    kind: TypeKind::Enum,
                    description: Some("Values stated in the documentation of the members that use this type.".into()),
                    fields: None,
                    base: None,
                    values: Some(values),
                    rust_name: None,
                    sources: Vec::new(),
                },
            );
        }

        Ok(ServiceSpec {
            schema: Some("../../cloudspec.schema.json".to_string()),
            format_version: 1,
            provider: PROVIDER.to_string(),
            service: ServiceInfo {
                name: service.to_string(),
                title: non_empty(self.api.metadata.service_name_cn.as_deref()).unwrap_or_else(|| service.to_string()),
                version: version.to_string(),
                signing_name: None,
                product_code: None,
                protocol: None,
                description: None,
                endpoints: crate::spec::Endpoints {
                    default: Some(format!("{service}.tencentcloudapi.com")),
                    ..Default::default()
                },
            },
            sources,
            actions,
            types,
        })
    }

    /// The enumeration type for a request string member whose prose states a closed list of values (see
    /// [`enums`]), registered under the member's name or, when that is taken by other values, qualified by its
    /// owner (`CreateApiKeyAccessKeyType`). `None` when the prose states no such list, or the member's own
    /// example is not one of the values (then the list is not the whole story).
    fn prose_enum(&self, member: &ApiMember, object: &str, owner: &str, example: Option<&Value>) -> Option<String> {
        let values = enums::extract(member.document.as_deref()?)?;
        let known = |text: &str| values.iter().any(|v| v.value == text);
        if example.and_then(Value::as_str).is_some_and(|e| !known(e)) {
            return None;
        }
        // A documented request that sends another value shows the list is not the whole story.
        if let Some(seen) = self.observed.get(&(object.to_string(), member.name.clone())) {
            if seen.iter().any(|s| !known(s)) {
                return None;
            }
        }
        let mut enums = self.enums.borrow_mut();
        enums.members += 1;
        let owner = owner.strip_suffix("Request").unwrap_or(owner);
        let mut candidates = vec![member.name.clone(), format!("{owner}{}", member.name)];
        candidates.extend((2..).map(|n| format!("{owner}{}{n}", member.name)).take(100));
        for candidate in candidates {
            if let Some(known) = enums.types.get(&candidate) {
                if *known == values {
                    return Some(candidate);
                }
                continue;
            }
            let Ok(camel) = crate::names::camel(&candidate) else { continue };
            if enums.taken.insert(camel) {
                enums.types.insert(candidate.clone(), values);
                return Some(candidate);
            }
        }
        enums.members -= 1;
        None
    }

    /// Adds every object reachable through the members of object `name` (not `name` itself) to `seen`.
    fn reach(&self, name: &str, entry: &str, seen: &mut BTreeSet<String>) -> Result<(), ImportError> {
        let mut stack = vec![(name.to_string(), entry.to_string())];
        while let Some((name, entry)) = stack.pop() {
            let object = self.object(&name, &entry)?;
            for (i, member) in object.members.iter().enumerate() {
                if let Some(target) = object_reference(member) {
                    if seen.insert(target.to_string()) {
                        stack.push((target.to_string(), format!("objects.{name}.members[{i}]")));
                    }
                }
            }
        }
        Ok(())
    }

    fn fields(
        &self,
        object: &ApiObject,
        entry: &str,
        required: Requiredness,
        object_name: &str,
        enum_owner: Option<&str>,
    ) -> Result<IndexMap<String, Field>, ImportError> {
        let mut fields = IndexMap::new();
        let mut snake_names = HashSet::new();
        let mut lower_names = HashSet::new();
        for (i, member) in object.members.iter().enumerate() {
            let entry = format!("{entry}.members[{i}]");
            if fields.contains_key(&member.name) {
                return Err(self.unmappable(entry, format!("`{}` is listed twice", member.name)));
            }
            let (ty, format) = self.member_type(member, &entry)?;
            let mut field = Field::plain(&ty);
            field.required = match required {
                Requiredness::AsDocumented => member.required.unwrap_or(false),
                Requiredness::Never => false,
            };
            field.nullable = member.value_allowed_null.unwrap_or(false);
            let mut description = non_empty(member.document.as_deref());
            if let Some(format) = format {
                let note = format!("Declared format: {format}; kept as a string, since documented values vary.");
                description = Some(match description {
                    Some(text) => format!("{text}\n\n{note}"),
                    None => note,
                });
            }
            field.description = description;
            if ty == "string" && format.is_none() {
                field.example = member.example.clone().filter(|e| e.as_str().is_some_and(|s| !placeholder(s)));
                if let Some(owner) = enum_owner {
                    if let Some(name) = self.prose_enum(member, object_name, owner, field.example.as_ref()) {
                        field.ty = name;
                    }
                }
            }
            // `super`, `self` and `crate` cannot even be raw identifiers: those get a trailing `_`.
            let (snake, renamed) = match crate::names::snake(&member.name) {
                Ok(snake) => (snake, false),
                Err(crate::names::NameError::Reserved(name)) => (format!("{name}_"), true),
                Err(e) => return Err(self.unmappable(&entry, format!("no Rust name for `{}`: {e}", member.name))),
            };
            let lower = member.name.to_ascii_lowercase();
            if renamed && !snake_names.contains(&snake) && !lower_names.contains(&lower) {
                field.rust_name = Some(snake.clone());
                snake_names.insert(snake);
            } else if snake_names.contains(&snake) || lower_names.contains(&lower) {
                let mut n = 2;
                while snake_names.contains(&format!("{snake}_{n}")) {
                    n += 1;
                }
                let unique = format!("{snake}_{n}");
                snake_names.insert(unique.clone());
                field.rust_name = Some(unique);
            } else {
                snake_names.insert(snake);
            }
            lower_names.insert(lower);
            fields.insert(member.name.clone(), field);
        }
        Ok(fields)
    }

    /// The spec type of a member, and the declared date/time format it was widened from.
    fn member_type(&self, member: &ApiMember, entry: &str) -> Result<(String, Option<&'static str>), ImportError> {
        if member.ty == "object" {
            self.object(&member.member, entry)?;
            return Ok((member.member.clone(), None));
        }
        if member.ty == "list" {
            if let Some((scalar, format)) = scalar_type(&member.member) {
                return Ok((format!("list<{scalar}>"), format));
            }
            self.object(&member.member, entry)?;
            return Ok((format!("list<{}>", member.member), None));
        }
        let scalar = match (member.ty.as_str(), member.member.as_str()) {
            ("int", m @ ("int64" | "uint64")) => scalar_type(m),
            ("string", m) => scalar_type(m).filter(|(t, _)| *t == "string"),
            ("bool" | "float" | "binary", m) if m == member.ty || m.is_empty() => scalar_type(&member.ty),
            _ => None,
        };
        scalar.map(|(t, f)| (t.to_string(), f)).ok_or_else(|| {
            self.unmappable(
                entry,
                format!("`{}`: type `{}` with member `{}` has no mapping", member.name, member.ty, member.member),
            )
        })
    }
}

/// Whether a shared object's `required` flags are kept.
#[derive(Clone, Copy)]
enum Requiredness {
    /// Requests: the flag says what the caller must send.
    AsDocumented,
    /// Responses: nothing is required, since examples omit flagged fields (see the module docs).
    Never,
}

/// The spec type of a scalar member, and the declared format when it is a widened date/time.
fn scalar_type(member: &str) -> Option<(&'static str, Option<&'static str>)> {
    Some(match member {
        "string" => ("string", None),
        "int64" => ("int64", None),
        "uint64" => ("uint64", None),
        "float" => ("float64", None),
        "bool" => ("bool", None),
        "binary" => ("binary", None),
        "datetime" => ("string", Some("`YYYY-MM-DD HH:MM:SS` (datetime)")),
        "datetime_iso" => ("string", Some("ISO 8601 (datetime_iso)")),
        "date" => ("string", Some("`YYYY-MM-DD` (date)")),
        _ => return None,
    })
}

/// The object a member refers to, if any.
fn object_reference(member: &ApiMember) -> Option<&str> {
    match member.ty.as_str() {
        "object" => Some(&member.member),
        "list" if scalar_type(&member.member).is_none() => Some(&member.member),
        _ => None,
    }
}

/// `v20180808` → `2018-08-08`.
fn wire_version(dir: &str) -> Option<String> {
    let digits = dir.strip_prefix('v')?;
    if digits.len() != 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(format!("{}-{}-{}", &digits[..4], &digits[4..6], &digits[6..]))
}

/// The provider's common error codes (`specs/tencentcloud/provider.json`), with whether they are retryable and
/// throttling: an action's own code inherits these from its class (`InternalError.X` from `InternalError`).
static COMMON_ERRORS: std::sync::LazyLock<Vec<(String, bool, bool)>> = std::sync::LazyLock::new(|| {
    let provider: Value = serde_json::from_str(PROVIDER_JSON).unwrap_or_default();
    provider["common_errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| Some((e["code"].as_str()?.to_string(), e["retryable"] == true, e["throttling"] == true)))
        .collect()
});

/// The error code and message of an example response that is an error envelope (`{"Response": {"Error":
/// {"Code": …, "Message": …}}}`), when the code can name a Rust variant.
fn example_error(output: &Value) -> Option<(String, Option<String>)> {
    let error = output.get("Response")?.get("Error")?.as_object()?;
    let code = error.get("Code")?.as_str()?.trim();
    let valid = code.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_');
    valid.then(|| (code.to_string(), error.get("Message").and_then(Value::as_str).and_then(|m| non_empty(Some(m)))))
}

/// Whether a member's example is a placeholder rather than a value: empty, `无` ("none"), `-`, `null`, or only
/// `x`s (`xx`, `xxx`), as the catalogue gives for members it has no real example of.
fn placeholder(example: &str) -> bool {
    let example = example.trim();
    example.is_empty()
        || ["无", "-", "--", "null", "none"].iter().any(|p| example.eq_ignore_ascii_case(p))
        || example.chars().all(|c| c.eq_ignore_ascii_case(&'x'))
}

/// The first sentence of a description, on one line.
fn first_sentence(text: &str) -> String {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or_default();
    let end = [". ", "。"].iter().filter_map(|stop| line.find(stop).map(|at| at + stop.len())).min();
    end.map_or(line, |end| &line[..end]).trim().to_string()
}

fn non_empty(text: Option<&str>) -> Option<String> {
    text.map(str::trim).filter(|t| !t.is_empty()).map(str::to_string)
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

fn sorted_dirs(dir: &Path) -> Result<Vec<PathBuf>, ImportError> {
    let entries = std::fs::read_dir(dir).map_err(|source| ImportError::Io { path: dir.to_path_buf(), source })?;
    let mut dirs = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| ImportError::Io { path: dir.to_path_buf(), source })?;
        if entry.path().is_dir() {
            dirs.push(entry.path());
        }
    }
    dirs.sort();
    Ok(dirs)
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, ImportError> {
    let text = std::fs::read_to_string(path).map_err(|source| ImportError::Io { path: path.to_path_buf(), source })?;
    let mut deserializer = serde_json::Deserializer::from_str(&text);
    serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|e| ImportError::Json { path: path.to_path_buf(), message: format!("{}: {}", e.path(), e.inner()) })
}

fn write_spec(path: &Path, spec: &ServiceSpec) -> Result<(), ImportError> {
    let mut text = serde_json::to_string_pretty(spec)
        .map_err(|e| ImportError::Json { path: path.to_path_buf(), message: e.to_string() })?;
    text.push('\n');
    crate::write_atomically(path, text.as_bytes())
        .map_err(|source| ImportError::Io { path: path.to_path_buf(), source })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_not_examples() {
        for p in ["", " ", "无", "xx", "XXX", "-", "null", "None"] {
            assert!(placeholder(p), "{p:?}");
        }
        for v in ["auto", "x1", "test", "0"] {
            assert!(!placeholder(v), "{v:?}");
        }
    }

    #[test]
    fn versions_and_sentences() {
        assert_eq!(wire_version("v20180808").as_deref(), Some("2018-08-08"));
        assert_eq!(wire_version("v2018080"), None);
        assert_eq!(first_sentence("Creates a key. Then more."), "Creates a key.");
        assert_eq!(first_sentence("\nNo stop here"), "No stop here");
    }
}
