//! One Openmeta API as a spec action: protocol and HTTP binding, parameters by location and style, the
//! response schema, error codes, examples and deprecation.

use std::collections::HashSet;

use indexmap::IndexMap;
use serde_json::{Map, Value};

use super::families::{self, FamilyReport};
use super::members;
use super::outputs;
use super::schema::{Dir, Mapper, text};
use super::whole_path;
use cloudspec::spec::{
    Action, ActionStatus, ErrorCode, Example, HttpBinding, HttpMethod, Omitted, OmittedKind, OperationType,
    ParamLocation, ParamStyle, Protocol,
};

pub(super) type ActionError = (String, String);

pub(super) fn map_action(
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
    let mut entries = Vec::new();
    let parameters = api.get("parameters").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    let mut families = FamilyReport::default();
    let parameters = families::fold(parameters, &mapper.label, name, entry, &mut families);
    for (i, parameter) in &parameters {
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
        let mut schema = parameter.get("schema").cloned().unwrap_or(Value::Object(Map::new()));
        if location == Some(ParamLocation::Path)
            && protocol == Protocol::AlibabaRoa
            && whole_path::may_carry(&path, wire)
        {
            // The "valid values" a whole path documents are its variables (`provider`, `product`), not a
            // closed list of paths.
            if let Value::Object(node) = &mut schema {
                node.insert(families::NO_PROSE_ENUM.into(), Value::Bool(true));
            }
        }
        let hint = format!("{name}{}", cloudspec::names::camel(wire).unwrap_or_default());
        let mut field = mapper.field(&schema, &hint, &format!("{here}.schema"), Dir::Request);
        field.location = location;
        field.style = style;
        request.insert(wire.to_string(), field);
        entries.push(here);
    }
    members::name(&mut request, &entries, &mut mapper.naming_notes());
    // Path template and path parameters.
    if protocol == Protocol::AlibabaRoa {
        if let Some(greedy) = whole_path::whole_path(mapper, &path, &mut request, entry)? {
            path = greedy;
        }
        for (wire, field) in request.iter_mut() {
            let labelled = path.contains(&format!("{{{wire}}}")) || path.contains(&format!("{{{wire}+}}"));
            if field.location != Some(ParamLocation::Path) || labelled {
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
            let label = &rest[open + 1..open + close];
            let param = label.strip_suffix('+').unwrap_or(label);
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
                    mapper.omitted.push(Omitted {
                        name: code.to_string(),
                        kind: OmittedKind::ErrorCode,
                        action: Some(name.to_string()),
                        reason: "the code is not letters, digits, `.`, `_`, `-` and `%`, so it cannot name a variant \
                                 of the action's error enum; an answer with it decodes as an unlisted code"
                            .into(),
                    });
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
    match outputs::json_response_demo(api) {
        Ok(Some(example)) if serde_json::from_str::<Value>(&example).is_ok() => examples.push(Example {
            title: "Sample success response".into(),
            description: Some("JSON format".into()),
            input: None,
            output: Some(example),
        }),
        Ok(Some(_)) => {
            let at = format!("{}: {entry}.responseDemo", mapper.label);
            mapper.defects.add("response-example-not-json", || at);
        }
        Ok(None) => {}
        Err(outputs::NotAList) => {
            let at = format!("{}: {entry}.responseDemo", mapper.label);
            mapper.defects.add("response-demo-not-a-json-list", || at);
        }
    }

    let schemes = api
        .get("schemes")
        .and_then(Value::as_array)
        .map(|s| s.iter().filter_map(Value::as_str).map(str::to_string).collect())
        .unwrap_or_default();
    mapper.families.merge(families);
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
        pagination: None,
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
