//! From one service version's catalogue to a cloudspec [`ServiceSpec`]: types, fields, names, enumerations.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashSet};
use std::path::Path;

use indexmap::IndexMap;
use serde_json::Value;

use super::PROVIDER;
use super::catalogue::{ApiFile, ApiMember, ApiObject, Observed, object_reference, scalar_type};
use crate::ImportError;
use crate::prose_enums as enums;
use cloudspec::spec::{
    Action, ActionStatus, EnumValue, Field, ServiceInfo, ServiceSpec, Source, SourceKind, TypeDef, TypeKind,
};

/// Action name prefixes taken to mean a read-only, hence idempotent, action.
const READ_ONLY_PREFIXES: &[&str] = &["Describe", "Get", "List", "Inquiry", "Check", "Query"];

/// Object names that would shadow a type the generated code relies on.
const SHADOWING_NAMES: &[&str] = &["Result", "Option", "Error", "Box", "Vec", "String", "Some", "None", "Ok", "Err"];

/// Whether a type of this Rust name would shadow a prelude name or clash with what generated code imports.
fn shadows(name: &str) -> bool {
    SHADOWING_NAMES.contains(&name) || cloudspec::names::Scope::Types.is_reserved(name)
}

/// The catalogue of one service version, with the file it came from for error messages.
pub(super) struct Cx<'a> {
    pub(super) api: &'a ApiFile,
    pub(super) path: &'a Path,
    /// The enumerations extracted from request members' prose so far.
    pub(super) enums: RefCell<Enums>,
    /// The string values the documented requests give each member (`(object, member)`).
    pub(super) observed: &'a Observed,
    /// Required members kept in objects that responses carry too (they used to be relaxed).
    pub(super) nested_required: std::cell::Cell<usize>,
}

/// Enumerations extracted from prose, by type name, and the Rust type names already taken.
#[derive(Default)]
pub(super) struct Enums {
    pub(super) types: IndexMap<String, Vec<enums::Value>>,
    /// Members given an enumeration type.
    pub(super) members: usize,
    taken: HashSet<String>,
}

impl Cx<'_> {
    fn unmappable(&self, entry: impl Into<String>, message: impl Into<String>) -> ImportError {
        ImportError::Unmappable { path: self.path.to_path_buf(), entry: entry.into(), message: message.into() }
    }

    fn object(&self, name: &str, entry: &str) -> Result<&ApiObject, ImportError> {
        self.api.objects.get(name).ok_or_else(|| self.unmappable(entry, format!("no object `{name}` in `objects`")))
    }

    pub(super) fn service(
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
            .flat_map(|a| {
                [
                    format!("{a}Request"),
                    format!("{a}RequestBuilder"),
                    format!("{a}Response"),
                    format!("{a}Builder"),
                    format!("{a}Error"),
                    a.clone(),
                ]
            })
            .chain(["Client".to_string(), "CommonError".to_string()])
            .collect();
        {
            let mut enums = self.enums.borrow_mut();
            enums.taken.extend(generated.iter().cloned());
            enums
                .taken
                .extend(SHADOWING_NAMES.iter().chain(cloudspec::names::Scope::Types.reserved()).map(|n| n.to_string()));
            enums
                .taken
                .extend(self.api.objects.keys().map(|n| cloudspec::names::camel(n).unwrap_or_else(|_| n.clone())));
        }
        let mut types = IndexMap::new();
        let mut used_names = HashSet::new();
        for (name, object) in &self.api.objects {
            if !from_inputs.contains(name) && !from_outputs.contains(name) {
                continue;
            }
            let entry = format!("objects.{name}");
            // Objects that requests carry keep their required rules, also when responses carry them too.
            let required = if from_inputs.contains(name) { Requiredness::AsDocumented } else { Requiredness::Never };
            let owner = from_inputs.contains(name).then_some(name.as_str());
            let fields = self.fields(object, &entry, required, name, owner)?;
            if from_inputs.contains(name) && from_outputs.contains(name) {
                let kept = fields.values().filter(|f| f.required).count();
                self.nested_required.set(self.nested_required.get() + kept);
            }
            // Object names can differ only in `_` (`GetWsTokenReq_Label`), which camel case removes: the later
            // one then gets a numbered name, as does one whose Rust name is already taken by `…Object`.
            let camel = cloudspec::names::camel(name).unwrap_or_else(|_| name.clone());
            let mut rust_name = (shadows(&camel) || generated.contains(&camel)).then(|| format!("{camel}Object"));
            let mut n = 2;
            while used_names.contains(rust_name.as_ref().unwrap_or(&camel)) {
                rust_name = Some(format!("{camel}{n}"));
                n += 1;
            }
            used_names.insert(rust_name.clone().unwrap_or(camel));
            types.insert(
                name.clone(),
                TypeDef {
                    kind: TypeKind::Object,
                    description: Some(
                        non_empty(object.document.as_deref())
                            .unwrap_or_else(|| format!("`{name}` (not documented in the catalogue).")),
                    ),
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
                    pagination: None,
                    errors: Vec::new(),
                    examples: Vec::new(),
                    discrepancies: Vec::new(),
                    rust_name: None,
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
            imported_from: None,
            provider: PROVIDER.to_string(),
            service: ServiceInfo {
                name: service.to_string(),
                title: non_empty(self.api.metadata.service_name_cn.as_deref()).unwrap_or_else(|| service.to_string()),
                version: version.to_string(),
                signing_name: None,
                product_code: None,
                protocol: None,
                description: None,
                docs: cloudspec::spec::DocFormat::Text,
                endpoints: cloudspec::spec::Endpoints {
                    default: Some(format!("{service}.tencentcloudapi.com")),
                    ..Default::default()
                },
            },
            sources,
            actions,
            types,
            // Nothing is left out piecemeal: what cannot be mapped fails the whole version, and the import
            // reports that version by name.
            omitted: Vec::new(),
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
            let Ok(camel) = cloudspec::names::camel(&candidate) else { continue };
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
            let mut field = Field::plain(crate::type_expr(&ty));
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
            // Generated code documents every field; say plainly when the catalogue does not.
            field.description =
                Some(description.unwrap_or_else(|| format!("`{}` (not documented in the catalogue).", member.name)));
            if ty == "string" && format.is_none() {
                field.example = member.example.clone().filter(|e| e.as_str().is_some_and(|s| !placeholder(s)));
                if let Some(owner) = enum_owner {
                    if let Some(name) = self.prose_enum(member, object_name, owner, field.example.as_ref()) {
                        field.ty = crate::type_expr(&name);
                    }
                }
            }
            // `super`, `self` and `crate` cannot even be raw identifiers: those get a trailing `_`.
            let (snake, renamed) = match cloudspec::names::snake(&member.name) {
                Ok(snake) => (snake, false),
                Err(cloudspec::names::NameError::Reserved(name)) => (format!("{name}_"), true),
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
pub(super) enum Requiredness {
    /// Requests: the flag says what the caller must send.
    AsDocumented,
    /// Responses: nothing is required, since examples omit flagged fields (see the module docs).
    Never,
}

/// Whether a member's example is a placeholder rather than a value: empty, `无` ("none"), `-`, `null`, or only
/// `x`s (`xx`, `xxx`), as the catalogue gives for members it has no real example of.
pub(super) fn placeholder(example: &str) -> bool {
    let example = example.trim();
    example.is_empty()
        || ["无", "-", "--", "null", "none"].iter().any(|p| example.eq_ignore_ascii_case(p))
        || example.chars().all(|c| c.eq_ignore_ascii_case(&'x'))
}

/// The first sentence of a description, on one line.
pub(super) fn first_sentence(text: &str) -> String {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or_default();
    let end = [". ", "。"].iter().filter_map(|stop| line.find(stop).map(|at| at + stop.len())).min();
    end.map_or(line, |end| &line[..end]).trim().to_string()
}

pub(super) fn non_empty(text: Option<&str>) -> Option<String> {
    text.map(str::trim).filter(|t| !t.is_empty()).map(str::to_string)
}
