//! A received request as the rest of the fake reads it ([`Wire`]), and the helpers that turn its text
//! into parameter values: form bodies, flattened `Name.1.Key` pairs, JSON-style values and booleans
//! written the Python way. Every other module reads requests through this one, so it depends on none
//! of them.

use bytes::Bytes;
use indexmap::IndexMap;
use serde_json::{Map, Value};

use cloudspec::spec::types::{Scalar, TypeExpr};
use cloudspec::spec::{Action, Field, TypeDef};

/// A received request.
#[derive(Clone)]
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

/// Names and sizes only: a request carries signatures, access key ids, tokens and the values of
/// secret parameters, in its path, query, headers and body alike, and a `Debug` line must show none.
impl std::fmt::Debug for Wire {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let query: Vec<&str> = self.query.iter().map(|(name, _)| name.as_str()).collect();
        let headers: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("Wire")
            .field("method", &self.method)
            .field("path_bytes", &self.path.len())
            .field("query", &query)
            .field("headers", &headers)
            .field("body_bytes", &self.body.len())
            .finish()
    }
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

    /// The pairs of a `application/x-www-form-urlencoded` body; none for any other body.
    pub(crate) fn form(&self) -> Vec<(String, String)> {
        if self.header("content-type").is_some_and(|c| c.starts_with("application/x-www-form-urlencoded")) {
            url::form_urlencoded::parse(&self.body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
        } else {
            Vec::new()
        }
    }
}

/// A malformed request: the message for `InvalidParameter`.
pub(crate) type Malformed = String;

/// The most segments a flattened name may have (`Tag.1.Key` has three). Documented names nest a few
/// levels; a name of thousands would build a value so deep that walking or dropping it overflows the
/// stack, which aborts the whole process.
pub(crate) const MAX_NAME_SEGMENTS: usize = 32;

/// `Name.1.Key=v` pairs as nested values; a name the action declares as written (`CpuOptions.Core`,
/// `Filter.1.Key`) stays one parameter.
pub(crate) fn flattened(action: &Action, pairs: &[(String, String)]) -> Result<Map<String, Value>, Malformed> {
    flatten(pairs, |name| action.request.contains_key(name))
}

/// `Name.1.Key=v` pairs as nested values, except names `verbatim` keeps as written.
pub(crate) fn flatten(
    pairs: &[(String, String)],
    verbatim: impl Fn(&str) -> bool,
) -> Result<Map<String, Value>, Malformed> {
    let mut params = Map::new();
    for (name, value) in pairs {
        if verbatim(name) {
            params.insert(name.clone(), Value::String(value.clone()));
            continue;
        }
        if name.split('.').nth(MAX_NAME_SEGMENTS).is_some() {
            return Err(format!("the parameter name {} nests more than {MAX_NAME_SEGMENTS} levels", shorten(name)));
        }
        if cloudspec::check::examples::insert_flattened(&mut params, name, Value::String(value.clone())).is_err() {
            return Err(format!("the parameter {} is malformed", shorten(name)));
        }
    }
    cloudspec::check::examples::numeric_objects_to_lists(&mut params);
    Ok(params)
}

/// A name as an error message quotes it: at most 64 characters.
fn shorten(name: &str) -> String {
    match name.char_indices().nth(64) {
        Some((end, _)) => format!("{}…", &name[..end]),
        None => name.to_string(),
    }
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

/// The official Python SDKs write booleans in queries and forms as Python does, `True` / `False`; Alibaba
/// reads them regardless of case, so the fake reads them as `true` / `false`.
pub(crate) fn normalize_bools(
    fields: &IndexMap<String, Field>,
    types: &IndexMap<String, TypeDef>,
    params: &mut Map<String, Value>,
) {
    fn walk(ty: &TypeExpr, types: &IndexMap<String, TypeDef>, value: &mut Value, depth: usize) {
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
