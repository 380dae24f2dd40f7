//! From parsed JSON to the spec model, reporting every unknown key (with a did-you-mean drawn from the
//! format's JSON Schema) and the first shape error of each action and type.

use std::sync::LazyLock;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::{SourceFile, parse_json};
use crate::diagnostics::{Diagnostic, JsonPath, Segment, Severity, Target, did_you_mean};
use crate::spec::types::{Scalar, TypeExpr};
use crate::spec::{Action, FORMAT_VERSION, ProviderSpec, ServiceSpec, TypeDef};

static SCHEMA: LazyLock<Value> =
    LazyLock::new(|| serde_json::to_value(schemars::schema_for!(crate::spec::SpecFile)).unwrap_or(Value::Null));

/// Reads a service spec. Actions and types are decoded one by one, so one bad action does not hide
/// the problems of the others.
pub(super) fn service(file: &mut SourceFile, out: &mut Vec<Diagnostic>) -> Option<ServiceSpec> {
    let mut root = parse_json(file, out)?;
    file.unparsed_types = parse_types(file, &mut root, out);
    let file = &*file;
    let Some(object) = root.as_object_mut() else {
        out.push(file.diagnostic(
            Severity::Error,
            "not-an-object",
            JsonPath::root(),
            Target::Value,
            "a spec must be a JSON object",
        ));
        return None;
    };
    if object.contains_key("common_parameters") || object.get("provider").is_some_and(Value::is_object) {
        out.push(
            file.diagnostic(
                Severity::Error,
                "misplaced-provider",
                JsonPath::root(),
                Target::Value,
                "this is a provider spec, but it is not named `provider.json`",
            )
            .with_hint("a provider spec lives at specs/<provider>/provider.json"),
        );
        return None;
    }
    let actions = take_map(file, object, "actions", out);
    let types = take_map(file, object, "types", out);
    let spec: Option<ServiceSpec> = decode(file, &root, &JsonPath::root(), out);
    let actions = entries::<Action>(file, actions, "actions", out);
    let types = entries::<TypeDef>(file, types, "types", out);
    let (Some(mut spec), Some(actions), Some(types)) = (spec, actions, types) else {
        return None;
    };
    spec.actions = actions;
    spec.types = types;
    header_checks(file, spec.schema.as_deref(), spec.format_version, "../../", out);
    Some(spec)
}

/// Reads a provider spec.
pub(super) fn provider(file: &mut SourceFile, out: &mut Vec<Diagnostic>) -> Option<ProviderSpec> {
    let mut root = parse_json(file, out)?;
    file.unparsed_types = parse_types(file, &mut root, out);
    let file = &*file;
    if !root.is_object() {
        out.push(file.diagnostic(
            Severity::Error,
            "not-an-object",
            JsonPath::root(),
            Target::Value,
            "a spec must be a JSON object",
        ));
        return None;
    }
    let spec: ProviderSpec = decode(file, &root, &JsonPath::root(), out)?;
    header_checks(file, spec.schema.as_deref(), spec.format_version, "../", out);
    Some(spec)
}

fn header_checks(file: &SourceFile, schema: Option<&str>, version: u32, up: &str, out: &mut Vec<Diagnostic>) {
    if version != FORMAT_VERSION {
        out.push(file.diagnostic(
            Severity::Error,
            "unsupported-format-version",
            JsonPath::root().key("format_version"),
            Target::Value,
            format!("format version {version} is not supported; this cloudspec reads version {FORMAT_VERSION}"),
        ));
    }
    if schema.is_none() {
        out.push(
            file.diagnostic(
                Severity::Warning,
                "missing-schema",
                JsonPath::root(),
                Target::Value,
                "the spec does not name its JSON Schema",
            )
            .with_hint(format!("add \"$schema\": \"{up}cloudspec.schema.json\" so editors complete and check it")),
        );
    }
}

/// Decodes each entry of a map of named entries (actions, types) on its own, so one bad entry does not
/// hide the problems of the others; `None` when any failed.
fn entries<T: DeserializeOwned>(
    file: &SourceFile,
    map: Option<Map<String, Value>>,
    key: &str,
    out: &mut Vec<Diagnostic>,
) -> Option<indexmap::IndexMap<String, T>> {
    let mut decoded = indexmap::IndexMap::new();
    let mut ok = true;
    for (name, value) in map.unwrap_or_default() {
        match decode::<T>(file, &value, &JsonPath::root().key(key).key(name.clone()), out) {
            Some(entry) => {
                decoded.insert(name, entry);
            }
            None => ok = false,
        }
    }
    ok.then_some(decoded)
}

/// Removes `key` from `object` when it is an object of named entries.
fn take_map(
    file: &SourceFile,
    object: &mut Map<String, Value>,
    key: &str,
    out: &mut Vec<Diagnostic>,
) -> Option<Map<String, Value>> {
    match object.get(key)? {
        Value::Object(_) => match object.shift_remove(key) {
            Some(Value::Object(map)) => Some(map),
            _ => None,
        },
        _ => {
            out.push(file.diagnostic(
                Severity::Error,
                "invalid-value",
                JsonPath::root().key(key),
                Target::Value,
                format!("`{key}` must be an object keyed by name"),
            ));
            object.shift_remove(key);
            None
        }
    }
}

/// Deserializes `value` (found at `base`) into `T`, reporting unknown keys and the first shape error.
fn decode<T: DeserializeOwned>(
    file: &SourceFile,
    value: &Value,
    base: &JsonPath,
    out: &mut Vec<Diagnostic>,
) -> Option<T> {
    // Decoded without tracking the path of an error first: tracking cost about as much as decoding, and
    // only a failed decode needs it. A value that fails is decoded again, tracked, for the diagnostics.
    let mut unknown_keys = false;
    let mut note_unknown = |_: serde_ignored::Path<'_>| unknown_keys = true;
    let untracked = <T as serde::Deserialize>::deserialize(serde_ignored::Deserializer::new(value, &mut note_unknown));
    if let Ok(decoded) = untracked {
        if !unknown_keys {
            return Some(decoded);
        }
    }
    let mut unknown = Vec::new();
    let mut on_ignored = |path: serde_ignored::Path<'_>| unknown.push(ignored_path(&path));
    let deserializer = serde_ignored::Deserializer::new(value, &mut on_ignored);
    let result: Result<T, _> = serde_path_to_error::deserialize(deserializer);
    for relative in unknown {
        let path = JsonPath::from([base.segments(), relative.as_slice()].concat());
        let key = path.last_key().unwrap_or_default().to_string();
        let candidates = path.parent().map(|parent| schema_keys(&parent)).unwrap_or_default();
        let hint = did_you_mean(&key, candidates.iter().map(String::as_str)).or_else(|| {
            (!candidates.is_empty() && candidates.len() <= 12)
                .then(|| format!("expected one of: {}", candidates.join(", ")))
        });
        out.push(
            file.diagnostic(
                Severity::Error,
                "unknown-key",
                path,
                Target::Key,
                format!("unknown key `{}`", crate::diagnostics::abbreviate(&key, 60)),
            )
            .with_optional_hint(hint),
        );
    }
    match result {
        Ok(decoded) => Some(decoded),
        Err(error) => {
            let relative: Vec<Segment> = error
                .path()
                .iter()
                .filter_map(|segment| match segment {
                    serde_path_to_error::Segment::Seq { index } => Some(Segment::Index(*index)),
                    serde_path_to_error::Segment::Map { key } => Some(Segment::Key(key.clone())),
                    _ => None,
                })
                .collect();
            let path = JsonPath::from([base.segments(), relative.as_slice()].concat());
            let message = error.into_inner().to_string();
            let (code, message) = if let Some(field) = message.strip_prefix("missing field ") {
                ("missing-key", format!("missing required key {field}"))
            } else {
                ("invalid-value", message)
            };
            out.push(file.diagnostic(Severity::Error, code, path, Target::Value, message));
            None
        }
    }
}

/// Parses the `type` of every field once: a malformed one is reported at its `type` key (with the
/// closest type name as a hint) and read as `any`, so the rest of the file is still read and checked.
/// Returns the paths of those fields.
fn parse_types(file: &SourceFile, root: &mut Value, out: &mut Vec<Diagnostic>) -> Vec<JsonPath> {
    let declared: Vec<String> =
        root.get("types").and_then(Value::as_object).map(|types| types.keys().cloned().collect()).unwrap_or_default();
    let mut fields: Vec<(JsonPath, &mut Value)> = Vec::new();
    let Some(object) = root.as_object_mut() else { return Vec::new() };
    for (key, value) in object.iter_mut() {
        let path = JsonPath::root().key(key.clone());
        match key.as_str() {
            "actions" => {
                for (name, action) in value.as_object_mut().into_iter().flatten() {
                    let path = path.key(name.clone());
                    for (part, value) in action.as_object_mut().into_iter().flatten() {
                        match part.as_str() {
                            "request" | "response" => fields.extend(members(path.key(part.clone()), value)),
                            "http" => {
                                if let Some(body) = value.get_mut("response_body") {
                                    fields.push((path.key("http").key("response_body"), body));
                                }
                            }
                            _ => {}
                        }
                    }
                }
            }
            "types" => {
                for (name, def) in value.as_object_mut().into_iter().flatten() {
                    if let Some(members_value) = def.get_mut("fields") {
                        fields.extend(members(path.key(name.clone()).key("fields"), members_value));
                    }
                }
            }
            "common_parameters" => fields.extend(members(path, value)),
            _ => {}
        }
    }
    let mut unparsed = Vec::new();
    for (path, field) in fields {
        let Some(text) = field.get("type").and_then(Value::as_str) else { continue };
        let Err(error) = TypeExpr::parse(text) else { continue };
        let names = Scalar::ALL.iter().map(|(name, _)| *name).chain(declared.iter().map(String::as_str));
        let hint = did_you_mean(text, names);
        out.push(
            file.diagnostic(Severity::Error, "invalid-type", path.key("type"), Target::Value, error.message)
                .with_optional_hint(hint),
        );
        field["type"] = Value::String("any".into());
        unparsed.push(path);
    }
    unparsed
}

/// The members of an object of named fields, with their paths.
fn members(path: JsonPath, value: &mut Value) -> impl Iterator<Item = (JsonPath, &mut Value)> {
    value.as_object_mut().into_iter().flatten().map(move |(name, field)| (path.key(name.clone()), field))
}

fn ignored_path(path: &serde_ignored::Path<'_>) -> Vec<Segment> {
    use serde_ignored::Path;
    let mut segments = Vec::new();
    let mut current = path;
    loop {
        match current {
            Path::Root => break,
            Path::Seq { parent, index } => {
                segments.push(Segment::Index(*index));
                current = parent;
            }
            Path::Map { parent, key } => {
                segments.push(Segment::Key(key.clone()));
                current = parent;
            }
            Path::Some { parent } | Path::NewtypeStruct { parent } | Path::NewtypeVariant { parent } => {
                current = parent
            }
        }
    }
    segments.reverse();
    segments
}

/// The keys the format allows in the object at `path`, read from the JSON Schema.
fn schema_keys(path: &JsonPath) -> Vec<String> {
    let mut nodes = vec![&*SCHEMA];
    for segment in path.segments() {
        let mut next = Vec::new();
        for node in nodes.iter().flat_map(|n| expand(n)) {
            let child = match segment {
                Segment::Key(key) => node
                    .get("properties")
                    .and_then(|p| p.get(key))
                    .or_else(|| node.get("additionalProperties").filter(|a| a.is_object())),
                Segment::Index(_) => node.get("items"),
            };
            next.extend(child);
        }
        nodes = next;
    }
    let mut keys: Vec<String> = nodes
        .iter()
        .flat_map(|n| expand(n))
        .filter_map(|n| n.get("properties").and_then(Value::as_object))
        .flat_map(|p| p.keys().cloned())
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

/// A schema node with `$ref`s resolved and `anyOf` / `oneOf` / `allOf` branches spread out.
fn expand(node: &Value) -> Vec<&Value> {
    let mut out = Vec::new();
    let mut stack = vec![node];
    let mut steps = 0;
    while let Some(node) = stack.pop() {
        steps += 1;
        if steps > 64 {
            break;
        }
        if let Some(target) = node.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix("#/$defs/")) {
            if let Some(def) = SCHEMA.get("$defs").and_then(|d| d.get(target)) {
                stack.push(def);
            }
            continue;
        }
        for key in ["anyOf", "oneOf", "allOf"] {
            if let Some(branches) = node.get(key).and_then(Value::as_array) {
                stack.extend(branches);
            }
        }
        out.push(node);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_keys_follow_refs_and_maps() {
        let path = JsonPath::root().key("actions").key("X").key("request").key("F").key("constraints").key("length");
        assert_eq!(schema_keys(&path), ["max", "min", "unit"]);
        let action = schema_keys(&JsonPath::root().key("actions").key("X"));
        assert!(action.contains(&"rate_limit".to_string()), "{action:?}");
    }
}
