//! Documented examples: their inputs and outputs are parsed and checked against the action's own spec.

use cloudspec_rules::validation::Validator;
use percent_encoding::percent_decode_str;
use serde_json::{Map, Value};

use super::cx::ServiceCx;
use super::values::{Direction, ValueChecker};
use crate::diagnostics::{JsonPath, Target, abbreviate};
use crate::spec::Action;

/// A documented request example, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct ExampleInput {
    /// The action the example names (`Action=…` or `X-TC-Action: …`), if it names one.
    pub action: Option<String>,
    /// The action's parameters; common parameters are left out.
    pub params: Map<String, Value>,
    /// Whether the parameters were written as `Name=value` text, so every scalar is a string.
    pub query_style: bool,
}

/// Signature and common parameters of the older query-string APIs, which examples still show.
const LEGACY_COMMON: &[&str] = &[
    "Nonce",
    "SecretId",
    "Signature",
    "SignatureMethod",
    "Timestamp",
    "Token",
    "Language",
    "Region",
    "Version",
    "RequestClient",
];

/// Parses a documented request: a query-style listing (`https://host/?Action=X\n&Name=value\n&<Common
/// request parameters>`) or an HTTP transcript (`POST / HTTP/1.1`, headers, a blank line, a JSON body).
/// Names in `common` are dropped from the parameters.
pub fn parse_example_input(text: &str, common: &[&str]) -> Result<ExampleInput, String> {
    let text = text.trim();
    let first = text.lines().next().unwrap_or_default().trim();
    let is_common = |name: &str| common.contains(&name) || LEGACY_COMMON.contains(&name);
    if is_request_line(first) {
        let mut action = None;
        let mut lines = text.lines().skip(1);
        for line in lines.by_ref() {
            let line = line.trim();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                if name.trim().eq_ignore_ascii_case("x-tc-action") || name.trim().eq_ignore_ascii_case("x-acs-action") {
                    action = Some(value.trim().to_string());
                }
            }
        }
        let body: String = lines.collect::<Vec<_>>().join("\n");
        let mut params = Map::new();
        let mut query_style = false;
        if let Some((_, query)) = first.split_whitespace().nth(1).and_then(|target| target.split_once('?')) {
            query_style = true;
            parse_query(query, &mut params, &mut action, &is_common)?;
        }
        if !body.trim().is_empty() {
            match serde_json::from_str::<Value>(body.trim()) {
                Ok(Value::Object(object)) => {
                    params.extend(object.into_iter().filter(|(name, _)| !is_common(name)));
                }
                Ok(_) => return Err("the request body is not a JSON object".into()),
                Err(error) => return Err(format!("the request body is not JSON: {error}")),
            }
        }
        return Ok(ExampleInput { action, params, query_style });
    }
    if first.starts_with("https://") || first.starts_with("http://") {
        let joined: String = text.lines().map(str::trim).collect();
        let query = joined.split_once('?').map_or("", |(_, q)| q);
        let mut params = Map::new();
        let mut action = None;
        parse_query(query, &mut params, &mut action, &is_common)?;
        return Ok(ExampleInput { action, params, query_style: true });
    }
    Err("the input is neither a query-style listing (`https://host/?Action=…`) nor an HTTP transcript".into())
}

fn is_request_line(line: &str) -> bool {
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default();
    let _target = parts.next();
    let version = parts.next().unwrap_or_default();
    matches!(method, "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD") && version.starts_with("HTTP/")
}

fn parse_query(
    query: &str,
    params: &mut Map<String, Value>,
    action: &mut Option<String>,
    is_common: &dyn Fn(&str) -> bool,
) -> Result<(), String> {
    for pair in query.split('&').map(str::trim).filter(|p| !p.is_empty()) {
        // `<Common request parameters>` stands for what the runtime adds.
        if pair.starts_with('<') {
            continue;
        }
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let decode = |s: &str| {
            percent_decode_str(s)
                .decode_utf8()
                .map(|c| c.into_owned())
                .map_err(|_| format!("`{}` is not valid percent-encoded UTF-8", abbreviate(s, 40)))
        };
        let (name, value) = (decode(name)?, decode(value)?);
        if name == "Action" {
            *action = Some(value);
            continue;
        }
        if is_common(&name) {
            continue;
        }
        insert_flattened(params, &name, Value::String(value))?;
    }
    numeric_objects_to_lists(params);
    Ok(())
}

/// Inserts `Filters.0.Name=value` as `{"Filters": {"0": {"Name": value}}}`; numbered objects become lists later.
pub fn insert_flattened(params: &mut Map<String, Value>, name: &str, value: Value) -> Result<(), String> {
    let mut segments = name.split('.');
    let first = segments.next().unwrap_or_default();
    let mut rest: Vec<&str> = segments.collect();
    if rest.is_empty() {
        params.insert(first.to_string(), value);
        return Ok(());
    }
    let mut current = params.entry(first.to_string()).or_insert_with(|| Value::Object(Map::new()));
    let last = rest.pop().unwrap_or_default();
    for segment in rest {
        let Value::Object(map) = current else { return Err(format!("`{name}` mixes a value and nested parameters")) };
        current = map.entry(segment.to_string()).or_insert_with(|| Value::Object(Map::new()));
    }
    let Value::Object(map) = current else { return Err(format!("`{name}` mixes a value and nested parameters")) };
    map.insert(last.to_string(), value);
    Ok(())
}

/// Turns every object whose keys are all numbers (`{"1": a, "2": b}`, from `Name.1=a&Name.2=b`) into a
/// list, in key order.
pub fn numeric_objects_to_lists(params: &mut Map<String, Value>) {
    for value in params.values_mut() {
        convert_lists(value);
    }
}

fn convert_lists(value: &mut Value) {
    if let Value::Object(map) = value {
        for inner in map.values_mut() {
            convert_lists(inner);
        }
        if !map.is_empty() && map.keys().all(|k| k.parse::<u32>().is_ok()) {
            let mut items: Vec<(u32, Value)> =
                std::mem::take(map).into_iter().map(|(k, v)| (k.parse().unwrap_or(0), v)).collect();
            items.sort_by_key(|(k, _)| *k);
            *value = Value::Array(items.into_iter().map(|(_, v)| v).collect());
        }
    }
}

pub(super) fn check_examples(cx: &mut ServiceCx<'_, '_>, name: &str, action: &Action, path: &JsonPath) {
    let common: Vec<&str> =
        cx.provider.map(|p| p.common_parameters.keys().map(String::as_str).collect()).unwrap_or_default();
    for (i, example) in action.examples.iter().enumerate() {
        let here = path.key("examples").index(i);
        if let Some(input) = &example.input {
            check_input(cx, name, action, input, &common, &here.key("input"));
        }
        if let Some(output) = &example.output {
            check_output(cx, action, output, &here.key("output"));
        }
        if example.input.is_none() && example.output.is_none() {
            cx.sink.error("empty-example", here, Target::Value, "the example has neither an input nor an output", None);
        }
    }
}

fn check_input(cx: &mut ServiceCx<'_, '_>, name: &str, action: &Action, input: &str, common: &[&str], path: &JsonPath) {
    let parsed = match parse_example_input(input, common) {
        Ok(parsed) => parsed,
        Err(reason) => {
            cx.sink.warning(
                "unparsed-example",
                path.clone(),
                Target::Value,
                format!("the input example cannot be checked: {reason}"),
                None,
            );
            return;
        }
    };
    if let Some(named) = parsed.action.as_deref().filter(|named| *named != name) {
        cx.sink.error(
            "example-violates-spec",
            path.clone(),
            Target::Value,
            format!("the input example calls `{}`, not `{name}`", abbreviate(named, 60)),
            None,
        );
    }
    let mut checker = ValueChecker::new(&cx.spec.types, Direction::Request);
    checker.scalars_as_strings = parsed.query_style;
    let mut v = Validator::new();
    checker.object(&action.request, &parsed.params, "", &mut v);
    report(cx, "input", path, v);
}

fn check_output(cx: &mut ServiceCx<'_, '_>, action: &Action, output: &str, path: &JsonPath) {
    let body: Value = match serde_json::from_str(output) {
        Ok(body) => body,
        Err(error) => {
            cx.sink.error(
                "example-violates-spec",
                path.clone(),
                Target::Value,
                format!("the output example is not JSON: {error}"),
                None,
            );
            return;
        }
    };
    let Some(provider) = cx.provider else { return };
    let envelope = &provider.envelope;
    if let Some(field) = action.http.as_ref().and_then(|h| h.response_body.as_ref()) {
        // The whole body is one value; an object carrying the error code is still an error envelope.
        let is_error = body.get(&envelope.error.code).is_some_and(Value::is_string) && envelope.wrapper.is_none();
        if !is_error {
            let mut v = Validator::new();
            ValueChecker::new(&cx.spec.types, Direction::Response).value(field, &field.ty, &body, "body", &mut v);
            report(cx, "output", path, v);
            return;
        }
    }
    let payload = match &envelope.wrapper {
        Some(wrapper) => match body.get(wrapper) {
            Some(Value::Object(payload)) => payload,
            _ => {
                cx.sink.error(
                    "example-violates-spec",
                    path.clone(),
                    Target::Value,
                    format!("the output example has no `{wrapper}` object, which every response of this provider has"),
                    None,
                );
                return;
            }
        },
        None => match &body {
            Value::Object(payload) => payload,
            _ => {
                cx.sink.error(
                    "example-violates-spec",
                    path.clone(),
                    Target::Value,
                    "the output example is not a JSON object",
                    None,
                );
                return;
            }
        },
    };
    let error = match &envelope.error.container {
        Some(container) => payload.get(container).filter(|e| !e.is_null()).and_then(Value::as_object),
        // A body whose code key is a documented response field (Alibaba's `"Code": "OK"`) is a success.
        None => (payload.contains_key(&envelope.error.code) && !action.response.contains_key(&envelope.error.code))
            .then_some(payload),
    };
    if let Some(error) = error {
        let code = error.get(&envelope.error.code).and_then(Value::as_str).unwrap_or_default();
        let known = action.errors.iter().chain(&provider.common_errors).any(|e| e.code == code);
        if !known {
            cx.sink.warning(
                "undocumented-error",
                path.clone(),
                Target::Value,
                format!(
                    "the output example is an error `{}` that neither the action nor the provider documents",
                    abbreviate(code, 60)
                ),
                None,
            );
        }
        return;
    }
    let mut v = Validator::new();
    ValueChecker::new(&cx.spec.types, Direction::Response).object(&action.response, payload, "", &mut v);
    report(cx, "output", path, v);
}

fn report(cx: &mut ServiceCx<'_, '_>, which: &str, path: &JsonPath, v: Validator) {
    if let Err(error) = v.finish() {
        for violation in error.violations() {
            cx.sink.error(
                "example-violates-spec",
                path.clone(),
                Target::Value,
                format!("the {which} example breaks the spec: {violation}"),
                None,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_query_style_inputs() {
        let input = "https://apigateway.tencentcloudapi.com/?Action=CreateApiKey\n&SecretName=test\n&Filters.0.Name=a%20b\n&Filters.1.Name=c\n&<Common request parameters>";
        let parsed = parse_example_input(input, &["Region"]).unwrap();
        assert_eq!(parsed.action.as_deref(), Some("CreateApiKey"));
        assert_eq!(
            Value::Object(parsed.params),
            serde_json::json!({"SecretName": "test", "Filters": [{"Name": "a b"}, {"Name": "c"}]})
        );
        assert!(parsed.query_style);
    }

    #[test]
    fn parses_http_transcripts() {
        let input = "POST / HTTP/1.1\nHost: teo.intl.tencentcloudapi.com\nContent-Type: application/json\nX-TC-Action: ModifyMultiPathGatewaySecretKey\n<Common request parameters>\n\n{\n    \"ZoneId\": \"zone-27q0p0bal192\"\n}";
        let parsed = parse_example_input(input, &[]).unwrap();
        assert_eq!(parsed.action.as_deref(), Some("ModifyMultiPathGatewaySecretKey"));
        assert_eq!(Value::Object(parsed.params), serde_json::json!({"ZoneId": "zone-27q0p0bal192"}));
        assert!(!parsed.query_style);
    }

    #[test]
    fn refuses_other_text() {
        assert!(parse_example_input("just prose", &[]).is_err());
        assert!(parse_example_input("POST / HTTP/1.1\n\n[1, 2]", &[]).is_err());
    }
}
