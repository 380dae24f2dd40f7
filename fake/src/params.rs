//! The parameters phase: reading an action's parameters from where its protocol carries them (a
//! Tencent JSON body or flattened GET query; Alibaba query and form pairs; ROA path, query, headers and
//! body) and checking them with the very rules generated validators apply, answering the first
//! violation with the provider's code.

use indexmap::IndexMap;
use serde_json::{Map, Value};

use cloudspec::check::values::{Direction, ValueChecker};
use cloudspec::spec::{Action, Field, RegionRequirement};
use cloudspec_runtime::validation::{Rule, Validator};

use crate::envelope::{Call, Kind, Outcome};
use crate::roa;
use crate::served::Served;
use crate::wire::{Wire, flatten, flattened, normalize_bools, parse_json_styles};

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

/// A routed request, as the parameters phase reads it.
pub(crate) struct Request<'a> {
    pub(crate) wire: &'a Wire,
    /// The pairs of a form body.
    pub(crate) form: &'a [(String, String)],
    pub(crate) served: &'a Served,
    pub(crate) action: &'a Action,
    /// A ROA request's path parameters.
    pub(crate) path: &'a [(String, String)],
}

/// The parameters split by how their values arrived: as text (query, form, path, headers: every
/// scalar a string) or typed (a JSON body).
struct Read {
    text: Map<String, Value>,
    json: Option<Map<String, Value>>,
}

/// Reads and checks the action's parameters; the first violation is answered in the provider's
/// envelope. The parameters come back merged, by wire name.
pub(crate) fn read_and_check(request: &Request<'_>, call: &Call<'_>) -> Result<Map<String, Value>, Box<Outcome>> {
    let read = read(request, call)?;
    if call.kind == Kind::Tencent
        && request.action.region == Some(RegionRequirement::Required)
        && request.wire.header("x-tc-region").is_none()
    {
        return Err(call.error("MissingParameter", "the Region parameter is required for this action", 200));
    }
    check(request, call, &read)?;
    let Read { mut text, json } = read;
    text.extend(json.unwrap_or_default());
    Ok(text)
}

fn read(request: &Request<'_>, call: &Call<'_>) -> Result<Read, Box<Outcome>> {
    let Request { wire, form, served, action, path } = *request;
    let text = |text| Ok(Read { text, json: None });
    match call.kind {
        // A GET (the SDKs' `reqMethod="GET"`) carries the action's parameters flattened in the query
        // (`Tags.0.Key=...`), every value as text.
        Kind::Tencent if wire.method == "GET" => match flatten(&wire.query, |_| false) {
            Ok(params) => text(params),
            Err(message) => Err(call.error("InvalidParameter", &message, 200)),
        },
        Kind::Tencent if wire.body.is_empty() => text(Map::new()),
        Kind::Tencent => match serde_json::from_slice::<Value>(&wire.body) {
            Ok(Value::Object(object)) => text(object),
            _ => Err(call.error("InvalidParameter", "the request body is not a JSON object", 200)),
        },
        Kind::AlibabaRoa => match roa::params(action, wire, path, form) {
            Ok(mut params) => {
                normalize_bools(&action.request, &served.spec.types, &mut params.text);
                Ok(Read { text: params.text, json: Some(params.json) })
            }
            Err(message) => Err(call.error("InvalidParameter", &message, 400)),
        },
        Kind::AlibabaV3 | Kind::AlibabaRpc => {
            // A common parameter's name may also be the action's own (ecs `RegionId`).
            let pairs: Vec<(String, String)> = wire
                .query
                .iter()
                .chain(form)
                .filter(|(k, _)| action.request.contains_key(k) || !ALIBABA_COMMON.contains(&k.as_str()))
                .cloned()
                .collect();
            let mut params = flattened(action, &pairs).map_err(|m| call.error("InvalidParameter", &m, 400))?;
            parse_json_styles(action, &mut params);
            normalize_bools(&action.request, &served.spec.types, &mut params);
            // Alibaba ignores parameters it does not know.
            params.retain(|name, _| action.request.contains_key(name));
            text(params)
        }
    }
}

/// Checks the parameters with the generated validators' rules: those that arrived as text apart from
/// those of a JSON body.
fn check(request: &Request<'_>, call: &Call<'_>, read: &Read) -> Result<(), Box<Outcome>> {
    let (types, fields) = (&request.served.spec.types, &request.action.request);
    let kind = call.kind;
    let mut validator = Validator::new();
    let mut checker = ValueChecker::new(types, Direction::Request);
    match &read.json {
        None => {
            checker.scalars_as_strings = kind != Kind::Tencent || request.wire.method == "GET";
            checker.object(fields, &read.text, "", &mut validator);
        }
        Some(json) => {
            let (json_fields, text_fields): (IndexMap<String, Field>, IndexMap<String, Field>) =
                fields.iter().map(|(n, f)| (n.clone(), f.clone())).partition(|(n, _)| json.contains_key(n));
            checker.scalars_as_strings = true;
            checker.object(&text_fields, &read.text, "", &mut validator);
            checker.scalars_as_strings = false;
            checker.object(&json_fields, json, "", &mut validator);
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
    let Some(&fallback) = violations.first() else { return Ok(()) };
    // Like the providers, report a missing parameter before a malformed one.
    let is_missing = |rule: &Rule| matches!(rule, Rule::Required | Rule::RequiredWhen { .. });
    let first = violations.iter().copied().find(|v| is_missing(&v.rule)).unwrap_or(fallback);
    let (code, status) = match (&first.rule, kind) {
        (rule, Kind::Tencent) if is_missing(rule) => ("MissingParameter", 200),
        (Rule::Unknown, Kind::Tencent) => ("UnknownParameter", 200),
        (_, Kind::Tencent) => ("InvalidParameterValue", 200),
        (rule, _) if is_missing(rule) => ("MissingParameter", 400),
        _ => ("InvalidParameter", 400),
    };
    Err(call.error(code, &first.to_string(), status))
}
