//! One request through the fake: which protocol, service and action; authentication; parameters;
//! rate limit; faults; the answer in the provider's own envelope.

use bytes::Bytes;
use http_body_util::Full;
use hyper::Response;
use serde_json::{Map, Value, json};

use super::{
    Answer, Fault, LogEntry, Reset, Served, Shared, auth, delay, emulate, json as json_response, plain, roa, take_fault,
};
use cloudspec::check::values::{Direction, ValueChecker};
use cloudspec::spec::types::{Scalar, TypeExpr};
use cloudspec::spec::{Action, Field, Protocol, RegionRequirement};
use cloudspec_runtime::validation::{Rule, Validator};
use indexmap::IndexMap;

/// A received request.
#[derive(Debug, Clone)]
pub struct Wire {
    /// The method.
    pub method: String,
    /// The path, as received.
    pub path: String,
    /// The query string, as received.
    pub raw_query: String,
    /// The query, decoded.
    pub query: Vec<(String, String)>,
    /// Headers, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Bytes,
}

impl Wire {
    pub(crate) fn new(parts: &hyper::http::request::Parts, body: Bytes) -> Wire {
        let raw_query = parts.uri.query().unwrap_or_default().to_string();
        let query =
            url::form_urlencoded::parse(raw_query.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        let headers = parts
            .headers
            .iter()
            .filter_map(|(name, value)| Some((name.as_str().to_ascii_lowercase(), value.to_str().ok()?.to_string())))
            .collect();
        Wire {
            method: parts.method.as_str().to_string(),
            path: parts.uri.path().to_string(),
            raw_query,
            query,
            headers,
            body,
        }
    }

    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }
}

/// The answer and what the log records.
pub(crate) struct Outcome {
    pub(crate) answer: Answer,
    /// What the log records, unless it was recorded already.
    pub(crate) entry: Option<LogEntry>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Tencent,
    AlibabaV3,
    AlibabaRpc,
    /// Alibaba ROA (signature V3), routed by method and path.
    AlibabaRoa,
}

/// A request id in the providers' usual shape.
fn request_id() -> String {
    let b: [u8; 16] = rand::random();
    let h = hex::encode(b);
    format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..]).to_uppercase()
}

struct Call<'a> {
    kind: Kind,
    served: Option<&'a Served>,
    action: Option<String>,
}

impl Call<'_> {
    fn entry(&self, processed: bool, error: Option<&str>, status: u16) -> LogEntry {
        LogEntry {
            action: self.action.clone(),
            service: self.served.map(|s| s.spec.service.name.clone()),
            processed,
            error: error.map(str::to_string),
            status,
            params: Vec::new(),
        }
    }

    /// An error in the provider's envelope.
    fn error(&self, code: &str, message: &str, status: u16) -> Outcome {
        let id = request_id();
        let (status, body) = match self.kind {
            Kind::Tencent => (200, json!({"Response": {"Error": {"Code": code, "Message": message}, "RequestId": id}})),
            _ => (
                status,
                json!({"RequestId": id, "HostId": "cloudspec-fake", "Code": code, "Message": message, "Recommend": ""}),
            ),
        };
        Outcome { answer: Ok(json_response(status, &body)), entry: Some(self.entry(false, Some(code), status)) }
    }

    fn success(&self, mut payload: Map<String, Value>) -> Response<Full<Bytes>> {
        payload.insert("RequestId".into(), Value::String(request_id()));
        let body = match self.kind {
            Kind::Tencent => json!({ "Response": payload }),
            _ => Value::Object(payload),
        };
        json_response(200, &body)
    }

    /// A ROA answer: the bare body, the request id in the `x-acs-request-id` header.
    fn roa_success(&self, body: &Value) -> Response<Full<Bytes>> {
        let mut response = json_response(200, body);
        if let Ok(id) = hyper::header::HeaderValue::from_str(&request_id()) {
            response.headers_mut().insert("x-acs-request-id", id);
        }
        response
    }
}

/// Common parameters of Alibaba's legacy RPC requests, which are not the action's.
const ALIBABA_COMMON: &[&str] = &[
    "Action",
    "Version",
    "Format",
    "Timestamp",
    "SignatureMethod",
    "SignatureVersion",
    "SignatureNonce",
    "SignatureType",
    "AccessKeyId",
    "Signature",
    "SecurityToken",
    "RegionId",
];

pub(crate) async fn process(shared: &Shared, wire: &Wire) -> Outcome {
    let form: Vec<(String, String)> =
        if wire.header("content-type").is_some_and(|c| c.starts_with("application/x-www-form-urlencoded")) {
            url::form_urlencoded::parse(&wire.body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
        } else {
            Vec::new()
        };
    let query_get = |name: &str| wire.query.iter().chain(&form).find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let is_v3 = wire.header("authorization").is_some_and(|a| a.starts_with("ACS3-"));
    let (mut kind, action, version) = if wire.header("x-tc-action").is_some()
        || wire.header("authorization").is_some_and(|a| a.starts_with("TC3-"))
    {
        (Kind::Tencent, wire.header("x-tc-action").map(str::to_string), wire.header("x-tc-version").map(str::to_string))
    } else if is_v3 || (wire.header("x-acs-action").is_some() && query_get("Signature").is_none()) {
        (
            Kind::AlibabaV3,
            wire.header("x-acs-action").map(str::to_string),
            wire.header("x-acs-version").map(str::to_string),
        )
    } else if query_get("Signature").is_some() {
        // The official SDKs send `x-acs-action` and `x-acs-version` with the legacy signature too:
        // the `Signature` parameter, without an ACS3 Authorization header, decides.
        (Kind::AlibabaRpc, query_get("Action"), query_get("Version"))
    } else {
        // Perhaps an unsigned ROA request: routed below, and refused by the signature check.
        (Kind::AlibabaRoa, None, wire.header("x-acs-version").map(str::to_string))
    };
    // ROA: the method and the path name the action (the `x-acs-action` header only breaks ties).
    let mut roa_route = None;
    if matches!(kind, Kind::AlibabaV3 | Kind::AlibabaRoa) {
        let call = Call { kind: Kind::AlibabaRoa, served: None, action: action.clone() };
        match roa::route(&shared.services, wire, version.as_deref(), action.as_deref()) {
            roa::Routed::Found(route) => {
                kind = Kind::AlibabaRoa;
                roa_route = Some(route);
            }
            roa::Routed::WrongMethod => {
                return call.error("InvalidAction.NotFound", &not_found(wire), 404);
            }
            roa::Routed::None if kind == Kind::AlibabaRoa => {
                let entry = LogEntry {
                    action: None,
                    service: None,
                    processed: false,
                    error: Some("UnrecognizedRequest".into()),
                    status: 400,
                    params: Vec::new(),
                };
                return Outcome {
                    answer: Ok(plain(400, "not a Tencent Cloud or Alibaba Cloud API request")),
                    entry: Some(entry),
                };
            }
            roa::Routed::None => {}
        }
    }
    let (served, action) = if let Some(route) = &roa_route {
        (route.served, route.action.to_string())
    } else {
        let mut call = Call { kind, served: None, action: action.clone() };
        if kind == Kind::AlibabaV3 && action.is_none() {
            return call.error("InvalidAction.NotFound", &not_found(wire), 404);
        }
        let (Some(action), Some(version)) = (action, version) else {
            return call.error("MissingParameter", "the action and the version are required", 400);
        };
        // The service: the one whose protocol, version and actions match (the credential scope decides a tie).
        let scope_service = wire
            .header("authorization")
            .and_then(|a| a.split("Credential=").nth(1))
            .and_then(|c| c.split('/').nth(2))
            .map(str::to_string);
        let candidates: Vec<&Served> = shared
            .services
            .iter()
            .filter(|s| {
                let protocol = s.spec.service.protocol.unwrap_or(s.provider.protocol);
                (protocol == Protocol::TencentJson) == (kind == Kind::Tencent)
                    && s.spec.service.version == version
                    && s.spec.actions.contains_key(&action)
            })
            .collect();
        let served = candidates
            .iter()
            .find(|s| {
                scope_service.as_deref().is_some_and(|scope| {
                    s.spec.service.signing_name.as_deref().unwrap_or(&s.spec.service.name) == scope
                })
            })
            .or(candidates.first())
            .copied();
        let Some(served) = served else {
            let (code, status) =
                if kind == Kind::Tencent { ("InvalidAction", 200) } else { ("InvalidAction.NotFound", 404) };
            return call.error(code, &format!("the action {action} of version {version} does not exist"), status);
        };
        if roa::is_roa(served) {
            // A ROA action is reached by its path only.
            call.served = Some(served);
            return call.error("InvalidAction.NotFound", &not_found(wire), 404);
        }
        (served, action)
    };
    let call = Call { kind, served: Some(served), action: Some(action.clone()) };
    let Some(spec_action) = served.action(&action) else {
        return call.error("InvalidAction", "unknown action", 404);
    };

    // Faults that strike before anything is processed.
    let fault = take_fault(shared, &action);
    match &fault {
        Some(Fault::ResetBefore) => return Outcome { answer: Err(Reset), entry: Some(call.entry(false, None, 0)) },
        Some(Fault::Status { status, body }) => {
            return Outcome { answer: Ok(plain(*status, body)), entry: Some(call.entry(false, None, *status)) };
        }
        Some(Fault::Throttle) => return throttled(&call),
        Some(Fault::Error { code }) => {
            let description = spec_action
                .errors
                .iter()
                .chain(&served.provider.common_errors)
                .find(|e| &e.code == code)
                .and_then(|e| e.description.clone())
                .unwrap_or_else(|| "injected error".into());
            let status = served
                .provider
                .common_errors
                .iter()
                .find(|e| &e.code == code)
                .and_then(|e| e.http_status)
                .unwrap_or(400);
            return call.error(code, &description, status);
        }
        _ => {}
    }

    // Authentication.
    let (offset, credentials) = {
        let state = shared.lock();
        (state.settings.clock_offset_seconds, state.settings.credentials.clone())
    };
    let secret_of = |id: &str| credentials.get(id).cloned();
    let mut remember = |nonce: &str| shared.lock().nonces.insert(nonce.to_string());
    let all_params: Vec<(String, String)> = wire.query.iter().chain(&form).cloned().collect();
    let verified = match kind {
        Kind::Tencent => auth::tencent(wire, &secret_of, offset),
        Kind::AlibabaRoa if wire.header("authorization").is_some_and(|a| a.starts_with("acs ")) => {
            auth::alibaba_roa_v1(wire, &secret_of, offset, &mut remember)
        }
        Kind::AlibabaV3 | Kind::AlibabaRoa => auth::alibaba_v3(wire, &secret_of, offset, &mut remember),
        Kind::AlibabaRpc => auth::alibaba_rpc(wire, &all_params, &secret_of, offset, &mut remember),
    };
    if let Err(denied) = verified {
        return call.error(denied.code, &denied.message, denied.status);
    }

    // Parameters, checked with the generated validators' rules: those that arrived as text (query,
    // form, path, headers: every scalar a string) apart from those of a JSON body (typed values).
    let (params, json_params) = match kind {
        // A GET (the SDKs' `reqMethod="GET"`) carries the action's parameters flattened in the query
        // (`Tags.0.Key=...`), every value as text.
        Kind::Tencent if wire.method == "GET" => {
            let mut params = Map::new();
            for (name, value) in &wire.query {
                if cloudspec::check::examples::insert_flattened(&mut params, name, Value::String(value.clone()))
                    .is_err()
                {
                    return call.error("InvalidParameter", &format!("the parameter {name} is malformed"), 200);
                }
            }
            cloudspec::check::examples::numeric_objects_to_lists(&mut params);
            (params, None)
        }
        Kind::Tencent if wire.body.is_empty() => (Map::new(), None),
        Kind::Tencent => match serde_json::from_slice::<Value>(&wire.body) {
            Ok(Value::Object(object)) => (object, None),
            _ => return call.error("InvalidParameter", "the request body is not a JSON object", 200),
        },
        Kind::AlibabaRoa => {
            let path_params = roa_route.as_ref().map(|r| r.path_params.as_slice()).unwrap_or_default();
            match roa::params(spec_action, wire, path_params, &form) {
                Ok(mut params) => {
                    normalize_bools(&spec_action.request, &served.spec.types, &mut params.text);
                    (params.text, Some(params.json))
                }
                Err(message) => return call.error("InvalidParameter", &message, 400),
            }
        }
        Kind::AlibabaV3 | Kind::AlibabaRpc => {
            // A common parameter's name may also be the action's own (ecs `RegionId`).
            let pairs: Vec<(String, String)> = all_params
                .iter()
                .filter(|(k, _)| spec_action.request.contains_key(k) || !ALIBABA_COMMON.contains(&k.as_str()))
                .cloned()
                .collect();
            let mut params = match roa::flattened(spec_action, &pairs) {
                Ok(params) => params,
                Err(message) => return call.error("InvalidParameter", &message, 400),
            };
            parse_json_styles(spec_action, &mut params);
            normalize_bools(&spec_action.request, &served.spec.types, &mut params);
            // Alibaba ignores parameters it does not know.
            params.retain(|name, _| spec_action.request.contains_key(name));
            (params, None)
        }
    };
    if kind == Kind::Tencent
        && spec_action.region == Some(RegionRequirement::Required)
        && wire.header("x-tc-region").is_none()
    {
        return call.error("MissingParameter", "the Region parameter is required for this action", 200);
    }
    let mut validator = Validator::new();
    match &json_params {
        None => {
            let mut checker = ValueChecker::new(&served.spec.types, Direction::Request);
            checker.scalars_as_strings = kind != Kind::Tencent || wire.method == "GET";
            checker.object(&spec_action.request, &params, "", &mut validator);
        }
        Some(json_params) => {
            let in_json = |name: &String| json_params.contains_key(name);
            let (json_fields, text_fields): (IndexMap<String, Field>, IndexMap<String, Field>) =
                spec_action.request.iter().map(|(n, f)| (n.clone(), f.clone())).partition(|(n, _)| in_json(n));
            let mut checker = ValueChecker::new(&served.spec.types, Direction::Request);
            checker.scalars_as_strings = true;
            checker.object(&text_fields, &params, "", &mut validator);
            checker.scalars_as_strings = false;
            checker.object(&json_fields, json_params, "", &mut validator);
        }
    }
    // Alibaba ignores members it does not know, in JSON bodies too (the official SDKs send members
    // newer than the metadata, such as cs `maintenance_window.exclusions`).
    let error = validator.finish().err();
    let violations: Vec<_> = error
        .iter()
        .flat_map(|e| e.violations())
        .filter(|v| kind == Kind::Tencent || !matches!(v.rule, Rule::Unknown))
        .collect();
    if let Some(&fallback) = violations.first() {
        // Like the providers, report a missing parameter before a malformed one.
        let first = violations
            .iter()
            .copied()
            .find(|v| matches!(v.rule, Rule::Required | Rule::RequiredWhen { .. }))
            .unwrap_or(fallback);
        let (code, status) = match (&first.rule, kind) {
            (Rule::Required | Rule::RequiredWhen { .. }, Kind::Tencent) => ("MissingParameter", 200),
            (Rule::Unknown, Kind::Tencent) => ("UnknownParameter", 200),
            (_, Kind::Tencent) => ("InvalidParameterValue", 200),
            (Rule::Required | Rule::RequiredWhen { .. }, _) => ("MissingParameter", 400),
            _ => ("InvalidParameter", 400),
        };
        return call.error(code, &first.to_string(), status);
    }
    let mut params = params;
    params.extend(json_params.unwrap_or_default());

    if !shared.admit(served, spec_action, &action) {
        return throttled(&call);
    }

    // Processing: the emulated seed actions, or the documented example.
    let response = if kind == Kind::AlibabaRoa {
        call.roa_success(&roa_example(spec_action))
    } else {
        let result = emulate::run(shared, served, &action, &params);
        let payload = match result {
            Some(Err((code, message))) => return call.error(&code, &message, 400),
            Some(Ok(payload)) => payload,
            None => example_payload(served, &action, kind),
        };
        call.success(payload)
    };
    // The effect is applied: log it now, before any delay, so a client that gives up meanwhile
    // still finds it in the log.
    let mut entry = call.entry(true, None, 200);
    entry.params = spec_action.request.keys().filter(|name| params.contains_key(*name)).cloned().collect();
    shared.lock().log.push(entry);
    let answer = match fault {
        Some(Fault::Latency { ms }) => {
            delay(ms).await;
            Ok(response)
        }
        Some(Fault::ResetAfter) => Err(Reset),
        Some(Fault::Malformed) => Ok(plain(200, "<html><body>not JSON</body></html>")),
        Some(Fault::Truncated) => {
            let body =
                http_body_util::BodyExt::collect(response.into_body()).await.map(|c| c.to_bytes()).unwrap_or_default();
            let mut cut = Response::new(Full::new(body.slice(..body.len() / 2)));
            cut.headers_mut().insert("content-type", hyper::header::HeaderValue::from_static("application/json"));
            Ok(cut)
        }
        _ => Ok(response),
    };
    Outcome { answer, entry: None }
}

fn throttled(call: &Call<'_>) -> Outcome {
    match call.kind {
        Kind::Tencent => call.error("RequestLimitExceeded", "the number of requests exceeds the frequency limit", 200),
        _ => call.error("Throttling.User", "request was denied due to user flow control", 400),
    }
}

/// The official Python SDKs write booleans in queries and forms as Python does, `True` / `False`; Alibaba
/// reads them regardless of case, so the fake reads them as `true` / `false`.
pub(crate) fn normalize_bools(
    fields: &IndexMap<String, Field>,
    types: &IndexMap<String, cloudspec::spec::TypeDef>,
    params: &mut Map<String, Value>,
) {
    fn walk(ty: &TypeExpr, types: &IndexMap<String, cloudspec::spec::TypeDef>, value: &mut Value, depth: usize) {
        if depth > 32 {
            return;
        }
        match (value, ty) {
            (Value::String(text), TypeExpr::Scalar(Scalar::Bool))
                if text.eq_ignore_ascii_case("true") || text.eq_ignore_ascii_case("false") =>
            {
                *text = text.to_ascii_lowercase();
            }
            (Value::Array(items), TypeExpr::List(inner)) => {
                for item in items {
                    walk(inner, types, item, depth + 1);
                }
            }
            (Value::Object(members), TypeExpr::Map(inner)) => {
                for member in members.values_mut() {
                    walk(inner, types, member, depth + 1);
                }
            }
            (Value::Object(members), TypeExpr::Named(name)) => {
                if let Some(fields) = types.get(name).and_then(|t| t.fields.as_ref()) {
                    for (name, member) in members.iter_mut() {
                        if let Some(field) = fields.get(name) {
                            walk(&field.ty, types, member, depth + 1);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    for (name, value) in params.iter_mut() {
        if let Some(field) = fields.get(name) {
            walk(&field.ty, types, value, 0);
        }
    }
}

/// Alibaba's message for a request no action answers.
fn not_found(wire: &Wire) -> String {
    format!("Specified api is not found, please check your url and method: {} {}", wire.method, wire.path)
}

/// JSON-style parameters carry a list or an object as one string: parsed where the field is structured.
pub(crate) fn parse_json_styles(action: &Action, params: &mut Map<String, Value>) {
    for (name, value) in params.iter_mut() {
        let Some(field) = action.request.get(name) else { continue };
        let Value::String(text) = value else { continue };
        let trimmed = text.trim_start();
        let is_structured = !matches!(field.ty, TypeExpr::Scalar(_));
        if is_structured && (trimmed.starts_with('[') || trimmed.starts_with('{')) {
            if let Ok(parsed) = serde_json::from_str::<Value>(text) {
                *value = parsed;
            }
        }
    }
}

/// A ROA action's answer: its first documented success example as it is (any JSON value), or `{}`.
fn roa_example(action: &Action) -> Value {
    action
        .examples
        .iter()
        .filter_map(|e| e.output.as_deref())
        .filter_map(|output| serde_json::from_str::<Value>(output).ok())
        .find(|body| !(body.get("Code").is_some() && body.get("Message").is_some()))
        .unwrap_or_else(|| Value::Object(Map::new()))
}

/// The first documented success example's payload, or an empty one.
fn example_payload(served: &Served, action: &str, kind: Kind) -> Map<String, Value> {
    let outputs = served
        .action(action)
        .map(|a| a.examples.iter().filter_map(|e| e.output.as_deref()).collect::<Vec<_>>())
        .unwrap_or_default();
    for output in outputs {
        let Ok(body) = serde_json::from_str::<Value>(output) else { continue };
        let payload = if kind == Kind::Tencent { body.get("Response").cloned() } else { Some(body) };
        if let Some(Value::Object(payload)) = payload {
            if !payload.contains_key("Error") && !payload.contains_key("Code") {
                return payload;
            }
        }
    }
    Map::new()
}
