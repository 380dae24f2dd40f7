//! Lists that page: a paged action (one whose spec states `pagination`) answers from a seeded list of
//! items made up from the item type, honouring the request's offset, page number or token and its page
//! size, with the total count and the next token where the spec says they are. A list's length is set
//! per action ([`Settings::lists`](crate::Settings::lists), [`ListRule`], `POST /_cloudspec/lists`) or
//! for every paged action ([`Settings::list_length`](crate::Settings::list_length), `cloudspec serve
//! --list-length`), and can change between two pages, as a real list does when items are added or
//! removed while a client pages through it. A paged action without a length answers with its
//! documented example, as every other action does.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use cloudspec::spec::types::{Scalar, TypeExpr};
use cloudspec::spec::{Action, Field, PageKind, Pagination, TimeFormat, TypeDef, response_field};

/// The page size when the request sets none and the spec documents no default.
const DEFAULT_PAGE_SIZE: u64 = 10;

/// The prefix of the fake's page tokens: `cloudspec-page-<offset>`.
const TOKEN_PREFIX: &str = "cloudspec-page-";

/// Objects nested deeper than this in a made-up item are left out (or `null` when required).
const MAX_DEPTH: usize = 4;

/// How the last page of a token-paged list says that it is the last.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LastToken {
    /// No next token at all.
    #[default]
    Absent,
    /// A next token of `""`.
    Empty,
    /// A next token of `null`.
    Null,
}

/// The list of one paged action: how many items it has, and how its last page ends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListRule {
    /// The paged action (`DescribeInstances`).
    pub action: String,
    /// How many items the list has.
    pub length: usize,
    /// How a token-paged list's last page says so.
    #[serde(default)]
    pub last_token: LastToken,
}

/// A paging request the list cannot answer: the provider's error code and message.
pub(crate) type Refusal = (String, String);

/// One page of `action`'s list of `length` items, as the payload fields to answer with on top of
/// `base` (the documented example's).
pub(crate) fn page(
    action: &Action,
    paging: &Pagination,
    types: &IndexMap<String, TypeDef>,
    params: &Map<String, Value>,
    rule: &ListRule,
    mut base: Map<String, Value>,
) -> Result<Map<String, Value>, Refusal> {
    let size = paging
        .page_size
        .as_deref()
        .and_then(|name| {
            params.get(name).and_then(count).or_else(|| action.request.get(name)?.default.as_ref().and_then(count))
        })
        .unwrap_or(DEFAULT_PAGE_SIZE)
        .max(1);
    let cursor = paging.cursor_field().and_then(|name| params.get(name));
    let start = match paging.kind {
        PageKind::Offset => cursor.map_or(Some(0), count).ok_or_else(|| invalid("the offset is not a count"))?,
        PageKind::PageNumber => {
            let page = cursor.map_or(Some(paging.first_page()), count).ok_or_else(|| invalid("not a page number"))?;
            let index = page.checked_sub(paging.first_page()).ok_or_else(|| invalid("the page number is too small"))?;
            index.saturating_mul(size)
        }
        PageKind::Token => match cursor.and_then(Value::as_str).filter(|t| !t.is_empty()) {
            None => 0,
            Some(token) => {
                token.strip_prefix(TOKEN_PREFIX).and_then(|n| n.parse().ok()).ok_or_else(|| invalid("unknown token"))?
            }
        },
    };
    // Responses that echo the page number and size (Alibaba's `PageNumber`, `PageSize`) get them back.
    for (name, value) in
        [(paging.page_number.as_deref(), cursor.cloned()), (paging.page_size.as_deref(), Some(Value::from(size)))]
    {
        if let (Some(name), Some(value)) = (name, value) {
            if action.response.contains_key(name) {
                base.insert(name.to_string(), value);
            }
        }
    }
    let length = rule.length as u64;
    let end = start.saturating_add(size).min(length);
    let item_type = response_field(&action.response, types, &paging.items).ok().and_then(|field| match &field.ty {
        TypeExpr::List(item) => Some((item.as_ref().clone(), field)),
        _ => None,
    });
    let items: Vec<Value> = match &item_type {
        Some((ty, field)) => (start..end).map(|i| made_up(ty, field, types, i, 0)).collect(),
        None => Vec::new(),
    };
    set(&mut base, &paging.items, Value::Array(items));
    if let Some(total) = &paging.total {
        set(&mut base, total, Value::from(length));
    }
    if let Some(next) = &paging.next_token {
        match (end < length, rule.last_token) {
            (true, _) => set(&mut base, next, Value::from(format!("{TOKEN_PREFIX}{end}"))),
            (false, LastToken::Absent) => remove(&mut base, next),
            (false, LastToken::Empty) => set(&mut base, next, Value::from("")),
            (false, LastToken::Null) => set(&mut base, next, Value::Null),
        }
    }
    Ok(base)
}

/// The list `action` answers from: its rule, or one of the default length; none when neither is set.
pub(crate) fn rule_for(rules: &BTreeMap<String, ListRule>, default: Option<usize>, action: &str) -> Option<ListRule> {
    rules
        .get(action)
        .cloned()
        .or_else(|| Some(ListRule { action: action.to_string(), length: default?, last_token: LastToken::default() }))
}

fn invalid(message: &str) -> Refusal {
    ("InvalidParameterValue".into(), format!("paging: {message}"))
}

/// A count or position: a non-negative integer, or its decimal text.
fn count(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

/// Sets the value at a dotted path, making the objects on the way.
fn set(payload: &mut Map<String, Value>, path: &str, value: Value) {
    let mut segments: Vec<&str> = path.split('.').collect();
    let Some(last) = segments.pop() else { return };
    let mut object = payload;
    for segment in segments {
        let entry = object.entry(segment.to_string()).or_insert_with(|| Value::Object(Map::new()));
        if !entry.is_object() {
            *entry = Value::Object(Map::new());
        }
        let Value::Object(next) = entry else { return };
        object = next;
    }
    object.insert(last.to_string(), value);
}

/// Removes the value at a dotted path.
fn remove(payload: &mut Map<String, Value>, path: &str) {
    let mut segments: Vec<&str> = path.split('.').collect();
    let Some(last) = segments.pop() else { return };
    let mut object = payload;
    for segment in segments {
        let Some(Value::Object(next)) = object.get_mut(segment) else { return };
        object = next;
    }
    object.remove(last);
}

/// The `index`th item of a list of `ty` (the list field is `field`): every string names its field and
/// the index (`InstanceId-7`), every number is the index, so items tell apart.
fn made_up(ty: &TypeExpr, field: &Field, types: &IndexMap<String, TypeDef>, index: u64, depth: usize) -> Value {
    made_up_named(ty, field, "item", types, index, depth)
}

fn made_up_named(
    ty: &TypeExpr,
    field: &Field,
    wire: &str,
    types: &IndexMap<String, TypeDef>,
    index: u64,
    depth: usize,
) -> Value {
    match ty {
        TypeExpr::Scalar(scalar) => scalar_value(*scalar, field, wire, index),
        TypeExpr::List(_) | TypeExpr::Map(_) if depth > 0 => empty_collection(ty),
        TypeExpr::List(item) => Value::Array(vec![made_up_named(item, field, wire, types, index, depth + 1)]),
        TypeExpr::Map(_) => Value::Object(Map::new()),
        TypeExpr::Named(name) => match types.get(name) {
            Some(def) => match (&def.fields, &def.values) {
                (Some(fields), _) if depth < MAX_DEPTH => {
                    let mut object = Map::new();
                    for (member, member_field) in fields {
                        let keep = member_field.required || depth < 2;
                        if keep {
                            let value = made_up_named(&member_field.ty, member_field, member, types, index, depth + 1);
                            object.insert(member.clone(), value);
                        }
                    }
                    Value::Object(object)
                }
                (_, Some(values)) => values.first().map(|v| v.value.clone()).unwrap_or(Value::Null),
                _ => Value::Null,
            },
            None => Value::Null,
        },
    }
}

fn empty_collection(ty: &TypeExpr) -> Value {
    match ty {
        TypeExpr::List(_) => Value::Array(Vec::new()),
        _ => Value::Object(Map::new()),
    }
}

fn scalar_value(scalar: Scalar, field: &Field, wire: &str, index: u64) -> Value {
    match scalar {
        Scalar::String => Value::from(format!("{wire}-{index}")),
        Scalar::Bool => Value::from(index % 2 == 0),
        Scalar::Int32 | Scalar::Int64 | Scalar::Uint32 | Scalar::Uint64 => Value::from(index),
        Scalar::Float32 | Scalar::Float64 => Value::from(index as f64),
        Scalar::Timestamp => match field.format {
            Some(TimeFormat::EpochSeconds) => Value::from(1_577_836_800u64),
            Some(TimeFormat::EpochMillis) => Value::from(1_577_836_800_000u64),
            Some(TimeFormat::Datetime) => Value::from("2020-01-01 00:00:00"),
            _ => Value::from("2020-01-01T00:00:00Z"),
        },
        Scalar::Date => Value::from("2020-01-01"),
        Scalar::Binary => Value::from("AAAA"),
        Scalar::Any => Value::Object(Map::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_made_and_removed() {
        let mut payload = Map::new();
        set(&mut payload, "Instances.Instance", Value::from(1));
        set(&mut payload, "Instances.Next", Value::from("t"));
        assert_eq!(Value::Object(payload.clone()), serde_json::json!({"Instances": {"Instance": 1, "Next": "t"}}));
        remove(&mut payload, "Instances.Next");
        remove(&mut payload, "Missing.Next");
        assert_eq!(Value::Object(payload), serde_json::json!({"Instances": {"Instance": 1}}));
    }
}
