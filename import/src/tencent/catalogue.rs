//! The tccli catalogue files as they are read: `api.json` (actions, objects, members) and `examples.json`.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value;

use crate::{ImportError, parse_catalogue, read_catalogue};

/// A service version's `api.json`, relative to the services directory: `imported_from.file`.
pub(super) fn catalogue_file(service: &str, version_dir: &str) -> String {
    format!("{service}/{version_dir}/api.json")
}

/// The last component of `path` (a service or version directory).
pub(super) fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Reads and parses a catalogue file, within the importers' limits.
pub(super) fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, ImportError> {
    parse_catalogue(path, &read_catalogue(path)?)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(super) struct ApiFile {
    #[serde(default)]
    pub(super) metadata: Metadata,
    #[serde(default)]
    pub(super) actions: IndexMap<String, ApiAction>,
    #[serde(default)]
    pub(super) objects: IndexMap<String, ApiObject>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Metadata {
    #[serde(default)]
    pub(super) api_version: Option<String>,
    #[serde(default, rename = "serviceNameCN")]
    pub(super) service_name_cn: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub(super) struct ApiAction {
    #[serde(default)]
    pub(super) document: Option<String>,
    pub(super) input: String,
    #[serde(default)]
    pub(super) name: Option<String>,
    pub(super) output: String,
    #[serde(default)]
    pub(super) status: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub(super) struct ApiObject {
    #[serde(default)]
    pub(super) document: Option<String>,
    #[serde(default)]
    pub(super) members: Vec<ApiMember>,
}

#[derive(Debug, Clone, Deserialize)]
pub(super) struct ApiMember {
    pub(super) name: String,
    #[serde(rename = "type")]
    pub(super) ty: String,
    #[serde(default)]
    pub(super) member: String,
    #[serde(default)]
    pub(super) document: Option<String>,
    #[serde(default)]
    pub(super) example: Option<Value>,
    #[serde(default, deserialize_with = "flag")]
    pub(super) required: Option<bool>,
    #[serde(default, deserialize_with = "flag")]
    pub(super) value_allowed_null: Option<bool>,
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

#[derive(Debug, Clone, Default, Deserialize)]
pub(super) struct ExamplesFile {
    #[serde(default)]
    pub(super) actions: IndexMap<String, Vec<ApiExample>>,
}

#[derive(Debug, Clone, Deserialize)]
pub(super) struct ApiExample {
    #[serde(default)]
    pub(super) title: Option<String>,
    #[serde(default)]
    pub(super) document: Option<String>,
    #[serde(default)]
    pub(super) input: Option<String>,
    #[serde(default)]
    pub(super) output: Option<String>,
}

/// String values seen in the documented requests, by object and member name.
pub(super) type Observed = HashMap<(String, String), BTreeSet<String>>;

/// The string values the request examples give members, walking each example along the action's input object.
pub(super) fn observed_values(api: &ApiFile, examples: &ExamplesFile) -> Observed {
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
            if let Ok(parsed) = cloudspec::check::parse_example_input(input, &[]) {
                walk(api, &Value::Object(parsed.params), &action.input, &mut out, 0);
            }
        }
    }
    out
}

/// The spec type of a scalar member, and the declared format when it is a widened date/time.
pub(super) fn scalar_type(member: &str) -> Option<(&'static str, Option<&'static str>)> {
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
pub(super) fn object_reference(member: &ApiMember) -> Option<&str> {
    match member.ty.as_str() {
        "object" => Some(&member.member),
        "list" if scalar_type(&member.member).is_none() => Some(&member.member),
        _ => None,
    }
}
