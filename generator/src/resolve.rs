//! From checked specs to the [`crate::ir`]: every Rust name, type and doc line is decided here.
//!
//! Resolution assumes [`crate::check`] found no errors; where a spec is still inconsistent it degrades
//! (an unknown type becomes JSON) rather than panicking.

use std::collections::BTreeMap;

use heck::ToSnakeCase;
use indexmap::IndexMap;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::docs;
use crate::ir::*;
use crate::load::{Loaded, SpecSet};
use crate::names;
use crate::spec::types::{Scalar, TypeExpr};
use crate::spec::{
    Action, ErrorCode, Field, ProviderSpec, RegionRequirement, ServiceSpec, SourceKind, TypeDef, TypeKind,
};

/// Methods every request and its builder have: a field of that name gets `_value` appended, as the
/// AWS SDK for Rust does (`build` → `build_value`).
const BUILDER_METHODS: &[&str] = &["builder", "to_builder", "validate", "build", "build_unchecked", "check"];

/// Resolves every service of `set` (whose provider is loaded), grouped by provider.
///
/// `root` is the specs directory; generated headers name spec files relative to it.
pub fn resolve(set: &SpecSet, root: &std::path::Path) -> Vec<ProviderIr> {
    use rayon::prelude::*;
    // Services resolve independently; in parallel, then grouped in their original order.
    let resolved: Vec<Option<ServiceIr>> = set
        .services
        .par_iter()
        .map(|service| {
            let provider = set.providers.get(&service.spec.provider)?;
            Some(resolve_service(service, &provider.spec, root))
        })
        .collect();
    let mut providers: BTreeMap<String, ProviderIr> = BTreeMap::new();
    for (service, resolved) in set.services.iter().zip(resolved) {
        let (Some(provider), Some(resolved)) = (set.providers.get(&service.spec.provider), resolved) else { continue };
        let entry = providers.entry(service.spec.provider.clone()).or_insert_with(|| ProviderIr {
            module: names::snake(&provider.spec.provider.name).unwrap_or_else(|_| "provider".into()),
            title: provider.spec.provider.title.clone(),
            common_errors: provider.spec.common_errors.iter().map(|e| error_variant(e, &[])).collect(),
            services: Vec::new(),
            spec_file: file_ref(&provider.file, root),
        });
        entry.services.push(resolved);
    }
    let mut providers: Vec<ProviderIr> = providers.into_values().collect();
    for provider in &mut providers {
        provider
            .services
            .sort_by(|a, b| (&a.service_module, &a.version_module).cmp(&(&b.service_module, &b.version_module)));
    }
    providers
}

fn file_ref(file: &crate::load::SourceFile, root: &std::path::Path) -> SpecFileRef {
    let relative = std::path::absolute(&file.path)
        .ok()
        .zip(std::path::absolute(root).ok())
        .and_then(|(path, root)| path.strip_prefix(root).ok().map(|p| p.to_path_buf()))
        .unwrap_or_else(|| file.path.file_name().map(Into::into).unwrap_or_default());
    let path =
        relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/");
    SpecFileRef { path, sha256: hex::encode(Sha256::digest(file.text.as_bytes())) }
}

/// The module name of an API version: `2018-08-08` → `v20180808`.
/// The module of an API version: `2018-08-08` → `v20180808`, `iap_1.0` → `iap_1_0`.
pub fn version_module(version: &str) -> String {
    let mut module: String = version
        .chars()
        .filter(|c| *c != '-')
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' })
        .collect();
    if !module.starts_with(|c: char| c.is_ascii_lowercase()) {
        module.insert(0, 'v');
    }
    module
}

fn resolve_service(loaded: &Loaded<ServiceSpec>, provider: &ProviderSpec, root: &std::path::Path) -> ServiceIr {
    let spec = &loaded.spec;
    let usage = type_usage(spec);
    let cx = Cx { spec, provider };
    let mut types = Vec::new();
    for (name, def) in &spec.types {
        let usage = usage.get(name.as_str()).copied().unwrap_or(Usage { input: false, output: true });
        types.push(match def.kind {
            TypeKind::Object => TypeIr::Struct(cx.object_type(name, def, usage)),
            TypeKind::Enum => TypeIr::Enum(cx.enum_type(name, def)),
        });
    }
    box_cycles(&mut types);
    let actions = spec.actions.iter().map(|(name, action)| cx.action(name, action)).collect();
    let mut module_docs =
        vec![format!("{} ({}) API version {}.", spec.service.title, spec.service.name, spec.service.version)];
    if let Some(description) = &spec.service.description {
        module_docs.push(String::new());
        module_docs.extend(docs::text(description));
    }
    let hosts: Vec<String> =
        [&spec.service.endpoints.default, &spec.service.endpoints.international, &spec.service.endpoints.regional]
            .into_iter()
            .flatten()
            .map(|host| format!("`{host}`"))
            .collect();
    if !hosts.is_empty() {
        module_docs.push(String::new());
        module_docs.push(format!("Hosts: {}.", hosts.join(", ")));
    }
    let expand = |pattern: &Option<String>| pattern.as_ref().map(|p| p.replace("{service}", &spec.service.name));
    let own = &spec.service.endpoints;
    let endpoints = EndpointsIr {
        default: own.default.clone().or_else(|| {
            if own.regional.is_some() || !own.regions.is_empty() { None } else { expand(&provider.endpoints.default) }
        }),
        international: own.international.clone().or_else(|| expand(&provider.endpoints.international)),
        regional: own.regional.clone().or_else(|| expand(&provider.endpoints.regional)),
        regions: own.regions.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
    };
    ServiceIr {
        name: spec.service.name.clone(),
        title: spec.service.title.clone(),
        version: spec.service.version.clone(),
        signing_name: spec.service.signing_name.clone().unwrap_or_else(|| spec.service.name.clone()),
        endpoints,
        service_module: names::snake(&spec.service.name).unwrap_or_else(|_| "service".into()),
        version_module: version_module(&spec.service.version),
        feature: format!("{}-{}", spec.provider, spec.service.name),
        docs: module_docs,
        protocol: spec.service.protocol.unwrap_or(provider.protocol),
        spec_file: file_ref(&loaded.file, root),
        types,
        actions,
    }
}

/// Marks the fields that close a cycle of structs through plain (not list, not map) fields as `boxed`, so
/// that every generated struct has a finite size (Tencent cls `EscalateNoticeInfo` holds an
/// `EscalateNoticeInfo`). A depth-first walk over the structs, in spec order, boxes each edge that leads back
/// to a struct still on the walk's stack; removing those back edges leaves no cycle, and the choice is
/// deterministic.
pub fn box_cycles(types: &mut [TypeIr]) {
    let index: BTreeMap<String, usize> = types
        .iter()
        .enumerate()
        .filter_map(|(i, t)| match t {
            TypeIr::Struct(s) => Some((s.ident.clone(), i)),
            TypeIr::Enum(_) => None,
        })
        .collect();
    let edges: Vec<Vec<(usize, usize)>> = types
        .iter()
        .map(|t| match t {
            TypeIr::Struct(s) => s
                .fields
                .iter()
                .enumerate()
                .filter_map(|(f, field)| match &field.ty {
                    RustType::Struct(name) => index.get(name).map(|&to| (f, to)),
                    _ => None,
                })
                .collect(),
            TypeIr::Enum(_) => Vec::new(),
        })
        .collect();
    // 0: not visited, 1: on the stack, 2: done.
    let mut state = vec![0u8; types.len()];
    let mut back_edges = Vec::new();
    for start in 0..types.len() {
        if state[start] != 0 || edges[start].is_empty() {
            continue;
        }
        // An explicit stack of (node, next edge index), so deep type graphs cannot overflow the call stack.
        let mut stack = vec![(start, 0usize)];
        state[start] = 1;
        while let Some((node, next)) = stack.last_mut() {
            let node = *node;
            if let Some(&(field, to)) = edges[node].get(*next) {
                *next += 1;
                match state[to] {
                    0 => {
                        state[to] = 1;
                        stack.push((to, 0));
                    }
                    1 => back_edges.push((node, field)),
                    _ => {}
                }
            } else {
                state[node] = 2;
                stack.pop();
            }
        }
    }
    for (node, field) in back_edges {
        if let TypeIr::Struct(s) = &mut types[node] {
            s.fields[field].boxed = true;
        }
    }
}

/// Which shared types are sent, received, or both.
fn type_usage(spec: &ServiceSpec) -> BTreeMap<&str, Usage> {
    let mut usage: BTreeMap<&str, Usage> = BTreeMap::new();
    let mut stack: Vec<(&str, bool)> = Vec::new();
    for action in spec.actions.values() {
        stack.extend(action.request.values().filter_map(|f| named(&f.ty)).map(|name| (name, true)));
        stack.extend(action.response.values().filter_map(|f| named(&f.ty)).map(|name| (name, false)));
        let body = action.http.as_ref().and_then(|h| h.response_body.as_ref());
        stack.extend(body.and_then(|f| named(&f.ty)).map(|name| (name, false)));
    }
    while let Some((name, input)) = stack.pop() {
        let Some((key, def)) = spec.types.get_key_value(name) else { continue };
        let entry = usage.entry(key.as_str()).or_insert(Usage { input: false, output: false });
        let seen = if input { entry.input } else { entry.output };
        if seen {
            continue;
        }
        if input {
            entry.input = true;
        } else {
            entry.output = true;
        }
        if let Some(fields) = &def.fields {
            stack.extend(fields.values().filter_map(|f| named(&f.ty)).map(|name| (name, input)));
        }
    }
    usage
}

fn named(ty: &str) -> Option<&str> {
    let start = ty.rfind('<').map_or(0, |i| i + 1);
    let end = ty.find('>').unwrap_or(ty.len());
    let name = ty.get(start..end)?.trim();
    Scalar::ALL.iter().all(|(scalar, _)| *scalar != name).then_some(name)
}

struct Cx<'a> {
    spec: &'a ServiceSpec,
    provider: &'a ProviderSpec,
}

impl Cx<'_> {
    fn type_ident(&self, name: &str) -> String {
        match self.spec.types.get(name).and_then(|d| d.rust_name.clone()) {
            Some(explicit) => explicit,
            None => names::camel(name).unwrap_or_else(|_| "UnnamedType".into()),
        }
    }

    fn rust_type(&self, expr: &TypeExpr, field: &Field) -> RustType {
        match expr {
            TypeExpr::Scalar(scalar) => match scalar {
                Scalar::String if field.sensitive => RustType::Secret,
                Scalar::String | Scalar::Binary => RustType::String,
                Scalar::Bool => RustType::Bool,
                Scalar::Int32 => RustType::I32,
                Scalar::Int64 => RustType::I64,
                Scalar::Uint32 => RustType::U32,
                Scalar::Uint64 => RustType::U64,
                Scalar::Float32 => RustType::F32,
                Scalar::Float64 => RustType::F64,
                Scalar::Timestamp => match field.format {
                    Some(format) => RustType::Timestamp(format),
                    None => RustType::String,
                },
                Scalar::Date => RustType::Date,
                Scalar::Any => RustType::Json,
            },
            // Timestamps inside collections stay text: serde adapters apply to whole fields only.
            TypeExpr::List(inner) => RustType::List(Box::new(self.collection_item(inner, field))),
            TypeExpr::Map(inner) => RustType::Map(Box::new(self.collection_item(inner, field))),
            TypeExpr::Named(name) => match self.spec.types.get(name) {
                Some(def) if def.kind == TypeKind::Enum => {
                    let base = if def.base.as_deref().is_some_and(|b| b.starts_with("int")) {
                        EnumBase::Int
                    } else {
                        EnumBase::String
                    };
                    RustType::Enum(self.type_ident(name), base)
                }
                Some(_) => RustType::Struct(self.type_ident(name)),
                None => RustType::Json,
            },
        }
    }

    fn collection_item(&self, inner: &TypeExpr, field: &Field) -> RustType {
        match self.rust_type(inner, field) {
            RustType::Timestamp(_) | RustType::Date => RustType::String,
            other => other,
        }
    }

    fn field(&self, wire: &str, field: &Field, siblings: &IndexMap<String, Field>, input: bool) -> FieldIr {
        let expr = TypeExpr::parse(&field.ty).unwrap_or(TypeExpr::Scalar(Scalar::Any));
        let ty = self.rust_type(&expr, field);
        let mut ident = match &field.rust_name {
            Some(explicit) => explicit.clone(),
            None => names::snake(wire).unwrap_or_else(|_| format!("field_{}", wire.to_snake_case())),
        };
        // Request fields become methods of the request and its builder, beside the generated ones.
        if input && BUILDER_METHODS.contains(&ident.as_str()) {
            ident.push_str("_value");
        }
        let required = if input { field.required } else { field.required && !field.nullable };
        let checks = if input { self.checks(field, &ty, siblings) } else { Vec::new() };
        FieldIr {
            wire: wire.to_string(),
            ident,
            docs: self.field_docs(wire, field, &ty, input),
            deprecated: field.deprecated.as_ref().map(|d| d.message.clone()),
            required,
            ty,
            checks,
            default: field.default.clone(),
            example: field.example.clone(),
            boxed: false,
        }
    }

    fn checks(&self, field: &Field, ty: &RustType, siblings: &IndexMap<String, Field>) -> Vec<Check> {
        let mut checks = Vec::new();
        let c = &field.constraints;
        if let RustType::List(_) = ty {
            if let Some(items) = &c.items {
                checks.push(Check::Items { min: items.min, max: items.max });
            }
        }
        if let Some(length) = &c.length {
            checks.push(Check::Length { min: length.min, max: length.max, unit: length.unit });
        }
        if let Some(pattern) = &c.pattern {
            checks.push(Check::Pattern { regex: pattern.regex.clone(), description: pattern.description.clone() });
        }
        if let Some(encoding) = &c.encoding {
            let (min, max) = encoding.decoded_length.as_ref().map_or((None, None), |r| (r.min, r.max));
            checks.push(Check::Base64 { min, max });
        }
        if let Some(range) = &c.range {
            let item = match ty {
                RustType::List(inner) | RustType::Map(inner) => inner.as_ref(),
                other => other,
            };
            if matches!(item, RustType::F32 | RustType::F64) {
                let bound = |n: &Option<serde_json::Number>| n.as_ref().and_then(serde_json::Number::as_f64);
                checks.push(Check::FloatRange {
                    min: bound(&range.min),
                    max: bound(&range.max),
                    exclusive_min: range.exclusive_min,
                    exclusive_max: range.exclusive_max,
                });
            } else {
                let bound = |n: &Option<serde_json::Number>| n.as_ref().and_then(serde_json::Number::as_i128);
                checks.push(Check::IntRange {
                    min: bound(&range.min),
                    max: bound(&range.max),
                    exclusive_min: range.exclusive_min,
                    exclusive_max: range.exclusive_max,
                });
            }
        }
        // Enumerations and objects are checked however deep in lists and maps they sit.
        let mut item = ty;
        while let RustType::List(inner) | RustType::Map(inner) = item {
            item = inner.as_ref();
        }
        match item {
            RustType::Enum(name, _) => {
                let def =
                    self.spec.types.values().zip(self.spec.types.keys()).find(|(_, key)| self.type_ident(key) == *name);
                let allowed = def
                    .and_then(|(def, _)| def.values.as_ref())
                    .map(|values| values.iter().map(|v| display(&v.value)).collect())
                    .unwrap_or_default();
                checks.push(Check::Known { allowed });
            }
            RustType::Struct(_) => checks.push(Check::Nested),
            _ => {}
        }
        if let Some(condition) = &field.required_when {
            if let Some(other) = siblings.get(&condition.field) {
                let other_expr = TypeExpr::parse(&other.ty).unwrap_or(TypeExpr::Scalar(Scalar::Any));
                checks.push(Check::RequiredWhen {
                    other_ident: other
                        .rust_name
                        .clone()
                        .unwrap_or_else(|| names::snake(&condition.field).unwrap_or_default()),
                    other_wire: condition.field.clone(),
                    other_ty: self.rust_type(&other_expr, other),
                    other_default: other.default.clone(),
                    equals: condition.equals.clone(),
                });
            }
        }
        checks
    }

    fn field_docs(&self, wire: &str, field: &Field, ty: &RustType, input: bool) -> Vec<String> {
        let mut lines = field.description.as_deref().map(docs::text).unwrap_or_default();
        if lines.is_empty() {
            // Undocumented in the source: the wire name at least, so that every public item has docs.
            lines.push(format!("`{}` (undocumented).", docs::code(wire)));
        }
        let mut rules = Vec::new();
        let c = &field.constraints;
        if let Some(length) = &c.length {
            let unit = match length.unit {
                crate::spec::LengthUnit::Chars => "characters",
                crate::spec::LengthUnit::Bytes => "bytes",
            };
            rules.push(format!("Length: {}.", docs::bounds(length.min, length.max, unit)));
        }
        if let Some(pattern) = &c.pattern {
            rules.push(format!("Allowed: {} (`{}`).", docs::escape(&pattern.description), docs::code(&pattern.regex)));
        }
        if let Some(encoding) = &c.encoding {
            let decoded = encoding
                .decoded_length
                .as_ref()
                .map(|r| format!(", decoding to {}", docs::bounds(r.min, r.max, "bytes")));
            rules.push(format!("Base64{}.", decoded.unwrap_or_default()));
        }
        if let Some(range) = &c.range {
            let show = |n: &Option<serde_json::Number>| n.as_ref().map(|n| n.to_string());
            let mut parts = Vec::new();
            if let Some(min) = show(&range.min) {
                parts.push(if range.exclusive_min { format!("greater than {min}") } else { format!("at least {min}") });
            }
            if let Some(max) = show(&range.max) {
                parts.push(if range.exclusive_max { format!("less than {max}") } else { format!("at most {max}") });
            }
            rules.push(format!("Range: {}.", parts.join(" and ")));
        }
        if let Some(items) = &c.items {
            rules.push(format!("Items: {}.", docs::bounds(items.min, items.max, "items")));
        }
        if let Some(condition) = &field.required_when {
            rules.push(format!(
                "Required when `{}` is `{}`.",
                docs::code(&condition.field),
                docs::code(&display(&condition.equals))
            ));
        }
        for rule in &c.unchecked {
            rules.push(format!("Not checked locally: {}.", docs::escape(rule.trim_end_matches('.'))));
        }
        if let Some(default) = &field.default {
            rules.push(format!("Default: `{}`.", docs::code(&display(default))));
        }
        if let Some(example) = field.example.as_ref().filter(|_| !field.sensitive) {
            rules.push(format!("Example: `{}`.", docs::code(&docs::abbreviate(&display(example), 80))));
        }
        if field.sensitive {
            rules.push("Sensitive: shown as `***` in `Debug` output and zeroed on drop.".into());
        }
        if input && field.nullable {
            rules.push("May be null.".into());
        }
        if !input && field.nullable && !matches!(ty, RustType::Json) {
            rules.push("The provider may return null.".into());
        }
        if !rules.is_empty() {
            if !lines.is_empty() {
                lines.push(String::new());
            }
            lines.extend(rules);
        }
        lines
    }

    fn object_type(&self, name: &str, def: &TypeDef, usage: Usage) -> StructIr {
        let empty = IndexMap::new();
        let fields = def.fields.as_ref().unwrap_or(&empty);
        let mut lines = def.description.as_deref().map(docs::text).unwrap_or_default();
        if lines.is_empty() {
            lines.push(format!("The `{}` object.", docs::code(name)));
        }
        StructIr {
            ident: self.type_ident(name),
            docs: lines,
            fields: fields.iter().map(|(wire, f)| self.field(wire, f, fields, usage.input)).collect(),
            usage,
            body: false,
        }
    }

    fn enum_type(&self, name: &str, def: &TypeDef) -> EnumIr {
        let base =
            if def.base.as_deref().is_some_and(|b| b.starts_with("int")) { EnumBase::Int } else { EnumBase::String };
        let mut lines = def.description.as_deref().map(docs::text).unwrap_or_default();
        if lines.is_empty() {
            lines.push(format!("The values of `{}`.", docs::code(name)));
        }
        lines.push(String::new());
        lines.push("Values the provider adds after this spec was written decode as `Unknown`.".into());
        let variants = def
            .values
            .iter()
            .flatten()
            .map(|value| {
                let ident = match (&value.name, value.value.as_str()) {
                    (Some(name), _) => name.clone(),
                    (None, Some(text)) => names::camel(text).unwrap_or_else(|_| "Value".into()),
                    (None, None) => format!("Value{}", display(&value.value)),
                };
                let mut docs = vec![format!("`{}`", docs::code(&display(&value.value)))];
                if let Some(description) = &value.description {
                    docs[0].push_str(": ");
                    docs[0].push_str(&docs::escape(description));
                }
                VariantIr { ident, value: value.value.clone(), docs }
            })
            .collect();
        EnumIr { ident: self.type_ident(name), docs: lines, base, variants }
    }

    fn action(&self, name: &str, action: &Action) -> ActionIr {
        let module = names::snake(name).unwrap_or_else(|_| name.to_snake_case());
        let about = self.action_about(action);
        let mut request_docs = vec![format!("The request of `{name}`: {}", docs::escape(&action.summary))];
        let method_docs: Vec<String> = std::iter::once(docs::escape(&action.summary))
            .chain(std::iter::once(String::new()))
            .chain(about.iter().cloned())
            .collect();
        if let Some(description) = action.description.as_deref().filter(|d| d.trim() != action.summary.trim()) {
            request_docs.push(String::new());
            request_docs.extend(docs::text(description));
        }
        request_docs.push(String::new());
        request_docs.extend(about);
        let request = StructIr {
            ident: format!("{name}Request"),
            docs: request_docs,
            fields: action.request.iter().map(|(wire, f)| self.field(wire, f, &action.request, true)).collect(),
            usage: Usage { input: true, output: false },
            body: false,
        };
        let response_body = action.http.as_ref().and_then(|h| h.response_body.as_ref());
        let response = match response_body {
            Some(body) => {
                let mut field = self.field("body", body, &IndexMap::new(), false);
                field.required = false;
                StructIr {
                    ident: format!("{name}Response"),
                    docs: vec![
                        format!("The response of `{name}`."),
                        String::new(),
                        "The body is not an object of named fields: `body` holds all of it.".into(),
                    ],
                    fields: vec![field],
                    usage: Usage { input: false, output: true },
                    body: true,
                }
            }
            None => StructIr {
                ident: format!("{name}Response"),
                docs: vec![format!("The response of `{name}`.")],
                fields: action.response.iter().map(|(wire, f)| self.field(wire, f, &action.response, false)).collect(),
                usage: Usage { input: false, output: true },
                body: false,
            },
        };
        let common_codes: Vec<&str> = self.provider.common_errors.iter().map(|e| e.code.as_str()).collect();
        let error = ErrorEnumIr {
            ident: format!("{name}Error"),
            docs: vec![
                format!("The errors of `{name}`: one variant per documented code, the provider's common codes"),
                "in `Common`, and `Unknown` for codes the spec does not list.".into(),
            ],
            variants: action.errors.iter().map(|e| error_variant(e, &common_codes)).collect(),
        };
        // Action modules are private (their items are re-exported), so their own docs stay short;
        // the request type carries the full documentation.
        let action_docs = vec![format!("`{name}`: {}", docs::escape(&action.summary))];
        let sensitive_output = action.response.values().any(|f| f.sensitive) || self.reaches_secret(&action.response);
        let protocol = self.spec.service.protocol.unwrap_or(self.provider.protocol);
        let default_method = match protocol {
            crate::spec::Protocol::TencentJson | crate::spec::Protocol::AlibabaRpc => crate::spec::HttpMethod::Post,
            crate::spec::Protocol::AlibabaRoa => crate::spec::HttpMethod::Get,
        };
        let http = action.http.as_ref();
        let method = http.and_then(|h| h.methods.first().copied()).unwrap_or(default_method);
        let meta = ActionMetaIr {
            ident: module.to_ascii_uppercase(),
            idempotent: action.idempotent,
            idempotency_token: action.idempotency_token.clone(),
            rate_limit: action.rate_limit.as_ref().map(|r| r.requests_per_second),
            region_required: action.region == Some(RegionRequirement::Required),
            method: serde_json::to_value(method)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_else(|| "POST".into()),
            path: http.and_then(|h| h.path.clone()).unwrap_or_else(|| "/".into()),
            params: action
                .request
                .iter()
                .filter(|(_, f)| f.location.is_some() || f.style.is_some())
                .map(|(wire, f)| (wire.clone(), f.location.unwrap_or(protocol.default_location()), f.style))
                .collect(),
        };
        ActionIr {
            meta,
            examples: self.examples(name, &module, action),
            wire: name.to_string(),
            module,
            docs: action_docs,
            method_docs,
            request,
            response,
            error,
            sensitive_output,
        }
    }

    fn reaches_secret(&self, fields: &IndexMap<String, Field>) -> bool {
        let mut stack: Vec<&str> = fields.values().filter_map(|f| named(&f.ty)).collect();
        let mut seen = Vec::new();
        while let Some(name) = stack.pop() {
            if seen.contains(&name) {
                continue;
            }
            seen.push(name);
            if let Some(fields) = self.spec.types.get(name).and_then(|d| d.fields.as_ref()) {
                if fields.values().any(|f| f.sensitive) {
                    return true;
                }
                stack.extend(fields.values().filter_map(|f| named(&f.ty)));
            }
        }
        false
    }

    /// Rate limit, idempotency, region, notes and sources, as doc lines.
    fn action_about(&self, action: &Action) -> Vec<String> {
        let mut lines = Vec::new();
        if let Some(limit) = &action.rate_limit {
            lines.push(format!("- Rate limit: {} requests per second.", limit.requests_per_second));
        }
        // The token line comes first: the client emitter reads the token's name from it.
        lines.push(if let Some(token) = &action.idempotency_token {
            format!("- Idempotent through `{}`: retries reuse the token.", docs::code(token))
        } else if action.idempotent {
            "- Idempotent: retried automatically on transient errors.".into()
        } else {
            "- Not idempotent: never retried after the request may have reached the server.".into()
        });
        match action.region {
            Some(RegionRequirement::Required) => lines.push("- Region: required.".into()),
            Some(RegionRequirement::Optional) => lines.push("- Region: optional.".into()),
            None => {}
        }
        if let Some(auth) = &action.authorization {
            let level = match auth.access_level {
                crate::spec::AccessLevel::Read => "read",
                crate::spec::AccessLevel::Write => "write",
                crate::spec::AccessLevel::List => "list",
            };
            lines.push(format!("- Permission: `{}` ({level} access).", docs::code(&auth.action)));
        }
        for note in &action.notes {
            lines.push(format!("- {}", docs::escape(note)));
        }
        for id in &action.sources {
            if let Some(source) = self.spec.sources.get(id) {
                let kind = match source.kind {
                    SourceKind::Documentation => "documentation",
                    SourceKind::MachineReadable => "metadata",
                };
                let updated = source
                    .last_updated
                    .as_ref()
                    .map(|d| format!(", last updated {}", docs::escape(d)))
                    .unwrap_or_default();
                lines.push(match &source.url {
                    Some(url) => format!("- Source: [{}]({url}) ({kind}{updated}).", docs::escape(&source.title)),
                    None => format!("- Source: {} ({kind}{updated}).", docs::escape(&source.title)),
                });
            }
        }
        lines
    }

    fn examples(&self, name: &str, module: &str, action: &Action) -> Vec<ExampleIr> {
        let common: Vec<&str> = self.provider.common_parameters.keys().map(String::as_str).collect();
        let envelope = &self.provider.envelope;
        action
            .examples
            .iter()
            .enumerate()
            .map(|(i, example)| {
                let input = example
                    .input
                    .as_deref()
                    .and_then(|text| crate::check::parse_example_input(text, &common).ok())
                    .filter(|parsed| parsed.action.as_deref().is_none_or(|a| a == name))
                    .map(|parsed| parsed.params);
                let mut output = None;
                let mut error_output = None;
                if let Some(text) = &example.output {
                    if let Ok(body) = serde_json::from_str::<Value>(text) {
                        let payload = match &envelope.wrapper {
                            Some(wrapper) => body.get(wrapper).cloned().unwrap_or(Value::Null),
                            None => body.clone(),
                        };
                        let error = match &envelope.error.container {
                            Some(container) => payload.get(container).filter(|e| !e.is_null()).cloned(),
                            // A code key that is a documented response field (`"Code": "OK"`) is a success.
                            None => (payload.get(&envelope.error.code).is_some()
                                && !action.response.contains_key(&envelope.error.code))
                            .then(|| payload.clone()),
                        };
                        match error
                            .and_then(|e| e.get(&envelope.error.code).and_then(Value::as_str).map(str::to_string))
                        {
                            Some(code) => error_output = Some((text.clone(), code)),
                            None => output = Some(text.clone()),
                        }
                    }
                }
                ExampleIr {
                    test_ident: format!("{module}_example_{}", i + 1),
                    title: example.title.clone(),
                    input,
                    output,
                    error_output,
                }
            })
            .collect()
    }
}

fn error_variant(error: &ErrorCode, common: &[&str]) -> ErrorVariantIr {
    let mut ident = names::camel(&error.code).unwrap_or_else(|_| "UnnamedCode".into());
    if matches!(ident.as_str(), "Common" | "Unknown") {
        ident.push_str("Code");
    }
    let mut lines = vec![format!("`{}`", docs::code(&error.code))];
    if let Some(description) = &error.description {
        lines[0].push_str(": ");
        lines[0].push_str(&docs::escape(description));
    }
    if common.contains(&error.code.as_str()) {
        lines.push(String::new());
        lines.push("Also a common code of the provider; documented for this action.".into());
    }
    ErrorVariantIr {
        ident,
        code: error.code.clone(),
        docs: lines,
        retryable: error.retryable,
        throttling: error.throttling,
    }
}

/// A JSON value as text: strings without quotes.
pub fn display(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod cycle_tests {
    use super::*;

    fn field(wire: &str, ty: RustType) -> FieldIr {
        FieldIr {
            wire: wire.into(),
            ident: wire.to_ascii_lowercase(),
            ty,
            required: false,
            docs: Vec::new(),
            deprecated: None,
            checks: Vec::new(),
            default: None,
            example: None,
            boxed: false,
        }
    }

    fn object(ident: &str, fields: Vec<FieldIr>) -> TypeIr {
        TypeIr::Struct(StructIr {
            ident: ident.into(),
            docs: Vec::new(),
            fields,
            usage: Usage { input: false, output: true },
            body: false,
        })
    }

    fn boxed(types: &[TypeIr]) -> Vec<String> {
        types
            .iter()
            .flat_map(|t| match t {
                TypeIr::Struct(s) => {
                    s.fields.iter().filter(|f| f.boxed).map(|f| format!("{}.{}", s.ident, f.wire)).collect()
                }
                TypeIr::Enum(_) => Vec::new(),
            })
            .collect()
    }

    #[test]
    fn boxes_exactly_the_edges_that_close_cycles() {
        let s = |name: &str| RustType::Struct(name.into());
        let mut types = vec![
            // A → B → A (a two-step cycle), A → A (a self-loop), C → A (no cycle through C).
            object("A", vec![field("B", s("B")), field("Me", s("A")), field("Name", RustType::String)]),
            object("B", vec![field("Back", s("A")), field("Many", RustType::List(Box::new(s("B"))))]),
            object("C", vec![field("A", s("A"))]),
            // Lists and maps are already indirect: no Box.
            object(
                "D",
                vec![field("Ds", RustType::List(Box::new(s("D")))), field("M", RustType::Map(Box::new(s("D"))))],
            ),
        ];
        box_cycles(&mut types);
        assert_eq!(boxed(&types), ["A.Me", "B.Back"]);
    }

    #[test]
    fn a_long_chain_does_not_overflow_the_stack() {
        let n = 20_000;
        let mut types: Vec<TypeIr> = (0..n)
            .map(|i| object(&format!("T{i}"), vec![field("Next", RustType::Struct(format!("T{}", (i + 1) % n)))]))
            .collect();
        box_cycles(&mut types);
        assert_eq!(boxed(&types), [format!("T{}.Next", n - 1)]);
    }
}

#[cfg(test)]
mod version_tests {
    use super::version_module;
    use crate::names::valid_version;

    #[test]
    fn versions_name_modules() {
        assert_eq!(version_module("2018-08-08"), "v20180808");
        assert_eq!(version_module("20240611"), "v20240611");
        assert_eq!(version_module("iap_1.0"), "iap_1_0");
        assert!(valid_version("iap_1.0") && valid_version("2018-08-08"));
        for bad in ["", "_x", "1.0/2", "v 1", "ü", &"9".repeat(33)] {
            assert!(!valid_version(bad), "{bad:?}");
        }
    }
}
