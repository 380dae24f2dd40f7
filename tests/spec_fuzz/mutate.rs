//! The seeded mutation engine over the seed specs (issue 14): rename, retype, add and remove keys,
//! inject hostile strings and shapes, swap constraints, change a value's kind — on the parsed JSON —
//! and break the text at the byte level (truncation, flipped bytes, invalid UTF-8, duplicated lines,
//! deep nesting).
//!
//! A mutant is one seed's provider file and one of its service files with one to a few mutations;
//! renames carry their references along most of the time, so many mutants still pass `check` and get
//! compiled.

use std::io;
use std::path::Path;

use serde_json::{Map, Value, json};

use super::bytes;
use super::rng::Rng;
use super::tree::{Case, SpecTree};
use super::vocabulary as vocab;

/// The trees mutants start from: each provider with one of its service files.
#[derive(Debug, Clone)]
pub struct Seeds {
    trees: Vec<SpecTree>,
}

impl Seeds {
    /// The seed specs of the repository at `repo`: `specs/tencentcloud/**`, `specs/alibabacloud/**`
    /// and the hostile spec's `weird` service.
    pub fn load(repo: &Path) -> io::Result<Seeds> {
        let mut trees = Vec::new();
        for (dir, provider) in [
            (repo.join("specs/tencentcloud"), "tencentcloud"),
            (repo.join("specs/alibabacloud"), "alibabacloud"),
            (repo.join("tests/hostile-spec/hostilecloud"), "hostilecloud"),
        ] {
            let all = SpecTree::read_dir(&dir, provider)?;
            let provider_path = format!("{provider}/provider.json");
            let Some(provider_file) = all.get(&provider_path) else { continue };
            for service in all.service_paths() {
                // The hostile spec's other services are the regression cases, compiled on their own.
                if provider == "hostilecloud" && !service.contains("/weird/") {
                    continue;
                }
                let mut tree = SpecTree::new();
                tree.insert(provider_path.clone(), provider_file.to_vec());
                tree.insert(service.clone(), all.get(&service).unwrap_or_default().to_vec());
                trees.push(tree);
            }
        }
        if trees.is_empty() {
            return Err(io::Error::new(io::ErrorKind::NotFound, "no seed specs under specs/"));
        }
        Ok(Seeds { trees })
    }

    /// The mutant of seed `seed`.
    pub fn mutant(&self, seed: u64, label: String) -> Case {
        let mut rng = Rng::new(seed);
        let mut tree = rng.pick(&self.trees).clone();
        let paths: Vec<String> = tree.files().map(|(p, _)| p.to_string()).collect();
        let target = if rng.percent(80) {
            paths.iter().find(|p| !p.ends_with("/provider.json")).cloned()
        } else {
            paths.iter().find(|p| p.ends_with("/provider.json")).cloned()
        }
        .unwrap_or_else(|| paths[0].clone());
        let original = tree.get(&target).unwrap_or_default().to_vec();
        let mut how = vec![target.clone()];
        let mut text = match serde_json::from_slice::<Value>(&original) {
            Ok(mut value) => {
                let count = 1 + (0..3).take_while(|_| rng.percent(40)).count();
                for _ in 0..count {
                    how.push(mutate_value(&mut rng, &mut value));
                }
                let text =
                    if rng.percent(80) { serde_json::to_string_pretty(&value) } else { serde_json::to_string(&value) };
                text.unwrap_or_default().into_bytes()
            }
            Err(_) => original,
        };
        if rng.percent(15) {
            for _ in 0..rng.between(1, 3) {
                how.push(bytes::mutate(&mut rng, &mut text));
            }
        }
        tree.insert(target, text);
        Case { label: format!("{label} ({})", how.join("; ")), tree }
    }
}

/// A step of a path into a JSON document.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

/// Every node's path, the root's included.
fn all_paths(value: &Value, prefix: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(prefix.clone());
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                prefix.push(Step::Key(key.clone()));
                all_paths(child, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                prefix.push(Step::Index(i));
                all_paths(child, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

fn node<'a>(value: &'a Value, path: &[Step]) -> Option<&'a Value> {
    path.iter().try_fold(value, |node, step| match step {
        Step::Key(key) => node.get(key.as_str()),
        Step::Index(i) => node.get(*i),
    })
}

fn node_mut<'a>(value: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    path.iter().try_fold(value, |node, step| match step {
        Step::Key(key) => node.get_mut(key.as_str()),
        Step::Index(i) => node.get_mut(*i),
    })
}

fn show(path: &[Step]) -> String {
    let parts: Vec<String> = path
        .iter()
        .map(|s| match s {
            Step::Key(k) => vocab_abbreviate(k),
            Step::Index(i) => i.to_string(),
        })
        .collect();
    parts.join(".")
}

fn vocab_abbreviate(text: &str) -> String {
    let short: String = text.chars().take(30).collect();
    if short.len() < text.len() { format!("{short}…") } else { short }
}

/// Paths whose node satisfies `keep`.
fn paths_where(value: &Value, keep: impl Fn(&[Step], &Value) -> bool) -> Vec<Vec<Step>> {
    let mut all = Vec::new();
    all_paths(value, &mut Vec::new(), &mut all);
    all.into_iter().filter(|p| node(value, p).is_some_and(|n| keep(p, n))).collect()
}

/// Whether the node at `path` is a field: a member of `request`, `response` or `fields`.
fn is_field(path: &[Step], node: &Value) -> bool {
    let parent = path.len().checked_sub(2).and_then(|i| path.get(i));
    node.get("type").is_some_and(Value::is_string)
        && matches!(parent, Some(Step::Key(k)) if k == "request" || k == "response" || k == "fields")
}

/// Applies one mutation, returning what it did.
fn mutate_value(rng: &mut Rng, value: &mut Value) -> String {
    match rng.below(11) {
        0 | 1 => rename_key(rng, value),
        2 => retype(rng, value),
        3 | 4 => add_key(rng, value),
        5 => remove_key(rng, value),
        6 => inject_string(rng, value),
        7 => swap_constraints(rng, value),
        8 => change_kind(rng, value),
        9 => duplicate_lookalike(rng, value),
        _ => add_shape(rng, value),
    }
}

fn rename_key(rng: &mut Rng, value: &mut Value) -> String {
    let objects = paths_where(value, |_, n| n.as_object().is_some_and(|m| !m.is_empty()));
    if objects.is_empty() {
        return "rename: nothing".into();
    }
    let path = rng.pick(&objects).clone();
    let context = path.last().cloned();
    let Some(Value::Object(map)) = node_mut(value, &path) else { return "rename: gone".into() };
    let keys: Vec<String> = map.keys().cloned().collect();
    let old = rng.pick(&keys).clone();
    let new = match context {
        Some(Step::Key(k)) if k == "actions" => vocab::action_name(rng, 80),
        Some(Step::Key(k)) if k == "types" => vocab::type_name(rng, 80),
        _ if rng.percent(20) => lookalike(rng, &old),
        _ => vocab::field_name(rng, 90),
    };
    if map.contains_key(&new) {
        return format!("rename {}: `{new}` exists", show(&path));
    }
    let renamed: Map<String, Value> =
        std::mem::take(map).into_iter().map(|(k, v)| if k == old { (new.clone(), v) } else { (k, v) }).collect();
    *map = renamed;
    // Most of the time the references follow, so the mutant stays consistent.
    if rng.percent(70) {
        replace_references(value, &old, &new);
    }
    format!("rename {}.{old} → {new}", show(&path))
}

/// A name equal to `name` after case or underscore changes, or after a suffix the generator adds.
fn lookalike(rng: &mut Rng, name: &str) -> String {
    match rng.below(5) {
        0 => name.to_lowercase(),
        1 => name.to_uppercase(),
        2 => format!("{name}Value"),
        3 => name.chars().flat_map(|c| if c.is_uppercase() { vec!['_', c] } else { vec![c] }).collect(),
        _ => format!("{name}_"),
    }
}

/// Renames `old` to `new` wherever a type expression, condition or token names it.
fn replace_references(value: &mut Value, old: &str, new: &str) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                match (key.as_str(), &*child) {
                    ("type", Value::String(ty)) => *child = json!(rename_in_type(ty, old, new)),
                    ("field" | "idempotency_token", Value::String(s)) if s == old => *child = json!(new),
                    _ => replace_references(child, old, new),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| replace_references(i, old, new)),
        _ => {}
    }
}

fn rename_in_type(ty: &str, old: &str, new: &str) -> String {
    let inner = ty.trim_start_matches("list<").trim_start_matches("map<").trim_end_matches('>');
    if inner == old { ty.replacen(old, new, 1) } else { ty.to_string() }
}

fn random_type(rng: &mut Rng, value: &Value) -> String {
    let named: Vec<String> =
        value.get("types").and_then(Value::as_object).map(|t| t.keys().cloned().collect()).unwrap_or_default();
    let base = match rng.below(10) {
        0..=3 if !named.is_empty() => rng.pick(&named).clone(),
        4 => rng
            .pick(&[
                "list<",
                "map<map<>>",
                "Strin",
                "list<string",
                "",
                "list<list<list<list<list<list<list<list<list<int32>>>>>>>>>",
            ])
            .to_string(),
        _ => rng
            .pick(&["string", "bool", "int32", "int64", "uint64", "float64", "timestamp", "date", "binary", "any"])
            .to_string(),
    };
    match rng.below(6) {
        0 => format!("list<{base}>"),
        1 => format!("map<{base}>"),
        2 => format!("map<list<{base}>>"),
        3 => format!("list<map<{base}>>"),
        _ => base,
    }
}

fn retype(rng: &mut Rng, value: &mut Value) -> String {
    let fields = paths_where(value, is_field);
    if fields.is_empty() {
        return "retype: no field".into();
    }
    let path = rng.pick(&fields).clone();
    let ty = random_type(rng, value);
    let Some(field) = node_mut(value, &path) else { return "retype: gone".into() };
    field["type"] = json!(ty);
    if ty.contains("timestamp") && rng.percent(80) {
        field["format"] = json!(rng.pick(&["iso8601", "datetime", "epoch_seconds", "epoch_millis"]));
    }
    format!("retype {} → {ty}", show(&path))
}

fn random_json(rng: &mut Rng) -> Value {
    match rng.below(12) {
        0 => Value::Null,
        1 => json!(true),
        2 => json!(0),
        3 => json!(-1),
        4 => json!(1e308),
        5 => json!(u64::MAX),
        6 => json!(i64::MIN),
        7 => json!(""),
        8 => json!([]),
        9 => json!({}),
        10 => json!(1.5),
        _ => json!(hostile_text(rng)),
    }
}

fn add_key(rng: &mut Rng, value: &mut Value) -> String {
    let fields = paths_where(value, is_field);
    if fields.is_empty() {
        return "add: no field".into();
    }
    let path = rng.pick(&fields).clone();
    let siblings: Vec<String> = node_mut(value, &path[..path.len() - 1])
        .and_then(|m| m.as_object().map(|m| m.keys().cloned().collect()))
        .unwrap_or_default();
    let (key, new) = match rng.below(12) {
        0 => ("sensitive", json!(true)),
        1 => ("nullable", json!(true)),
        2 => ("required", json!(rng.percent(70))),
        3 => ("required_when", json!({ "field": rng.pick(&siblings), "equals": random_json(rng) })),
        4 => ("rust_name", json!(vocab::rust_name(rng))),
        5 => ("default", random_json(rng)),
        6 => ("example", random_json(rng)),
        7 => ("deprecated", json!({ "message": hostile_text(rng) })),
        8 => ("constraints", random_constraints(rng)),
        9 => ("location", json!(rng.pick(&["query", "body", "form", "header", "path", "host", "nowhere"]))),
        10 => ("style", json!(rng.pick(&["repeat_list", "json", "flat", "simple", "xml"]))),
        _ => ("format", json!(rng.pick(&["iso8601", "datetime", "epoch_seconds", "epoch_millis", "rfc2822"]))),
    };
    let Some(field) = node_mut(value, &path) else { return "add: gone".into() };
    field[key] = new.clone();
    format!("add {}.{key} = {}", show(&path), vocab_abbreviate(&new.to_string()))
}

fn random_constraints(rng: &mut Rng) -> Value {
    let bound = |rng: &mut Rng| json!(*rng.pick(&[0i64, 1, -1, 5, 100, i64::MAX, i64::MIN, 9_007_199_254_740_993]));
    match rng.below(6) {
        0 => json!({ "length": { "min": bound(rng), "max": bound(rng) } }),
        1 => json!({ "range": { "min": bound(rng), "max": bound(rng), "exclusive_min": rng.percent(50) } }),
        2 => json!({ "items": { "min": bound(rng), "max": bound(rng) } }),
        3 => {
            json!({ "pattern": { "regex": rng.pick(&["^[a-z]+$", "(", "(a{1000}){1000}", "\\p{Han}+", "^\\d{4}$", ""]), "description": hostile_text(rng) } })
        }
        4 => json!({ "encoding": { "kind": "base64", "decoded_length": { "min": bound(rng), "max": bound(rng) } } }),
        _ => json!({ "unchecked": [hostile_text(rng)] }),
    }
}

fn remove_key(rng: &mut Rng, value: &mut Value) -> String {
    let objects = paths_where(value, |_, n| n.as_object().is_some_and(|m| !m.is_empty()));
    if objects.is_empty() {
        return "remove: nothing".into();
    }
    let path = rng.pick(&objects).clone();
    let Some(Value::Object(map)) = node_mut(value, &path) else { return "remove: gone".into() };
    let keys: Vec<String> = map.keys().cloned().collect();
    let key = rng.pick(&keys).clone();
    map.shift_remove(&key);
    format!("remove {}.{key}", show(&path))
}

fn inject_string(rng: &mut Rng, value: &mut Value) -> String {
    let strings = paths_where(value, |_, n| n.is_string());
    if strings.is_empty() {
        return "inject: no string".into();
    }
    let path = rng.pick(&strings).clone();
    let hostile = match rng.below(4) {
        0 => vocab::field_name(rng, 100),
        1 => vocab::long_name(rng),
        2 => rng.pick(vocab::BIDI).to_string(),
        _ => rng.pick(vocab::HOSTILE_TEXT).to_string(),
    };
    let Some(Value::String(text)) = node_mut(value, &path) else { return "inject: gone".into() };
    if rng.percent(50) {
        text.push_str(&hostile);
    } else {
        *text = hostile.clone();
    }
    format!("inject {} ← {}", show(&path), vocab_abbreviate(&hostile.escape_debug().to_string()))
}

fn swap_constraints(rng: &mut Rng, value: &mut Value) -> String {
    let fields = paths_where(value, is_field);
    if fields.len() < 2 {
        return "swap: too few fields".into();
    }
    let (a, b) = (rng.pick(&fields).clone(), rng.pick(&fields).clone());
    let take = |value: &mut Value, path: &[Step]| {
        node_mut(value, path).and_then(|f| f.as_object_mut()).and_then(|f| f.shift_remove("constraints"))
    };
    let (from_a, from_b) = (take(value, &a), take(value, &b));
    for (path, constraints) in [(&a, from_b), (&b, from_a)] {
        if let (Some(field), Some(constraints)) = (node_mut(value, path), constraints) {
            field["constraints"] = constraints;
        }
    }
    format!("swap constraints {} ↔ {}", show(&a), show(&b))
}

fn change_kind(rng: &mut Rng, value: &mut Value) -> String {
    let mut all = Vec::new();
    all_paths(value, &mut Vec::new(), &mut all);
    all.retain(|p| !p.is_empty());
    if all.is_empty() {
        return "kind: empty".into();
    }
    let path = rng.pick(&all).clone();
    let new = random_json(rng);
    let Some(node) = node_mut(value, &path) else { return "kind: gone".into() };
    *node = new.clone();
    format!("set {} = {}", show(&path), vocab_abbreviate(&new.to_string()))
}

fn duplicate_lookalike(rng: &mut Rng, value: &mut Value) -> String {
    let fields = paths_where(value, is_field);
    if fields.is_empty() {
        return "lookalike: no field".into();
    }
    let path = rng.pick(&fields).clone();
    let Some(Step::Key(name)) = path.last().cloned() else { return "lookalike: not a key".into() };
    let twin = lookalike(rng, &name);
    let field = node_mut(value, &path).cloned().unwrap_or(Value::Null);
    let Some(Value::Object(map)) = node_mut(value, &path[..path.len() - 1]) else { return "lookalike: gone".into() };
    map.insert(twin.clone(), field);
    format!("lookalike {} + {twin}", show(&path))
}

/// Adds a hostile shape: a recursive or mutually recursive type, an enum whose values collide, an
/// error code named like a generated variant, or a field using one of them.
fn add_shape(rng: &mut Rng, value: &mut Value) -> String {
    if value.get("actions").is_none() {
        if let Some(Value::Array(errors)) = value.get_mut("common_errors") {
            let code = rng.pick(vocab::ERROR_CODES);
            errors.push(json!({ "code": code, "description": "Added.", "retryable": false }));
            return format!("common error {code}");
        }
        return "shape: not a service".into();
    }
    let name = vocab::type_name(rng, 60);
    let other = format!("{name}Peer");
    let (shape, defs) = match rng.below(4) {
        0 => (
            "recursive",
            vec![(
                name.clone(),
                json!({ "kind": "object", "description": "Recursive.", "fields": {
            "Children": { "type": format!("list<{name}>"), "description": "Children." },
            "Parent": { "type": name.clone(), "description": "Parent." },
            "Index": { "type": format!("map<list<{name}>>"), "description": "Index." } } }),
            )],
        ),
        1 => (
            "mutual",
            vec![
                (
                    name.clone(),
                    json!({ "kind": "object", "description": "One half.", "fields": { "Peer": { "type": other.clone(), "required": true, "description": "The other half." } } }),
                ),
                (
                    other.clone(),
                    json!({ "kind": "object", "description": "Other half.", "fields": { "Back": { "type": name.clone(), "description": "Back.", "sensitive": true } } }),
                ),
            ],
        ),
        2 => (
            "colliding enum",
            vec![(
                name.clone(),
                json!({ "kind": "enum", "description": "Colliding values.", "values": [
            { "value": "a-b" }, { "value": "a_b" }, { "value": "A B" }, { "value": "unknown" } ] }),
            )],
        ),
        _ => (
            "integer enum",
            vec![(
                name.clone(),
                json!({ "kind": "enum", "base": "int64", "description": "Integers.", "values": [
            { "value": 1, "name": vocab::rust_name(rng) }, { "value": -1, "name": "Minus" } ] }),
            )],
        ),
    };
    let types = value.as_object_mut().map(|m| m.entry("types").or_insert_with(|| json!({})));
    if let Some(Value::Object(types)) = types {
        for (name, def) in defs {
            types.insert(name, def);
        }
    }
    let fields = paths_where(value, is_field);
    let field_ty = format!("{}<{name}>", rng.pick(&["list", "map"]));
    let parent = (!fields.is_empty()).then(|| {
        let path = rng.pick(&fields);
        path[..path.len() - 1].to_vec()
    });
    let (member, sensitive) = (vocab::field_name(rng, 50), rng.percent(50));
    if let Some(Value::Object(map)) = parent.and_then(|path| node_mut(value, &path)) {
        map.insert(member, json!({ "type": field_ty, "description": "Uses the shape.", "sensitive": sensitive }));
    }
    format!("shape {shape} {name}")
}

/// Hostile text, with a bidirectional control in one in five.
fn hostile_text(rng: &mut Rng) -> String {
    let bidi = rng.percent(20);
    vocab::text(rng, 100, bidi)
}
