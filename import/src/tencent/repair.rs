//! The examples of a merged service version, with the English outputs that are not JSON repaired from
//! their Chinese twins.
//!
//! An action's examples are the English package's when it has any for the action, else the Chinese
//! package's. About 5 % of the English outputs are not JSON: translated lines were put back without
//! their commas or quotes (`shared/research/tencent-catalogue/AUDIT.md` §2). Such an output is replaced
//! by its twin — the Chinese example of the same action at the same position — when all of these hold,
//! and otherwise left as it is (the import then drops it and counts it as not JSON):
//!
//! 1. the twin exists and parses as JSON;
//! 2. its `Response` fits the action's response shape: every key, at every depth, is a member of the
//!    object the merged `api.json` declares there (`RequestId` and `Error` are allowed in `Response`);
//! 3. every key the broken English text names (`"Key":`, read without parsing) is a key of the twin,
//!    so the repair loses nothing the English example shows (the English example may be newer).
//!
//! The repaired example keeps its English title, input and description, and its description says that
//! the output is the Chinese catalogue's.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::catalogue::{ApiExample, ApiFile, ExamplesFile, object_reference};

/// Why an English output that is not JSON was not repaired.
pub const NO_TWIN: &str = "no Chinese twin (no Chinese example of the action at that position)";
/// The twin does not parse either.
pub const TWIN_NOT_JSON: &str = "the Chinese twin is not JSON either";
/// The twin has keys the response shape lacks.
pub const TWIN_OFF_SHAPE: &str = "the Chinese twin has keys the response does not declare";
/// The English text names keys the twin lacks.
pub const ENGLISH_HAS_MORE: &str = "the English example names keys its Chinese twin lacks";

/// The note added to a repaired example's description.
pub const REPAIRED_NOTE: &str =
    "Output from the Chinese catalogue (tccli): the English catalogue's output for this example is not JSON.";

/// How the English outputs that are not JSON fared.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Repairs {
    /// Replaced by their Chinese twin.
    pub repaired: usize,
    /// Left as they are, by reason ([`NO_TWIN`], …).
    pub unrepaired: BTreeMap<&'static str, usize>,
}

/// The examples of every action of the merged `api`: the English ones when English has some for the
/// action (outputs repaired as the module says), else the Chinese ones.
pub(super) fn merge_examples(api: &ApiFile, english: ExamplesFile, chinese: ExamplesFile) -> (ExamplesFile, Repairs) {
    let mut repairs = Repairs::default();
    let mut english = english.actions;
    let mut chinese = chinese.actions;
    let mut merged = ExamplesFile::default();
    for (name, action) in &api.actions {
        let twins = chinese.shift_remove(name).unwrap_or_default();
        let list = match english.shift_remove(name).filter(|l| !l.is_empty()) {
            Some(mut list) => {
                for (index, example) in list.iter_mut().enumerate() {
                    repair(api, &action.output, example, twins.get(index), &mut repairs);
                }
                list
            }
            None => twins,
        };
        if !list.is_empty() {
            merged.actions.insert(name.clone(), list);
        }
    }
    (merged, repairs)
}

/// Replaces `example`'s output by `twin`'s when it is not JSON and the twin fits (see the module docs).
fn repair(api: &ApiFile, output: &str, example: &mut ApiExample, twin: Option<&ApiExample>, repairs: &mut Repairs) {
    let Some(broken) = example.output.as_deref().filter(|o| !o.trim().is_empty()) else { return };
    if serde_json::from_str::<Value>(broken).is_ok() {
        return;
    }
    let verdict = match twin.and_then(|t| t.output.as_deref()) {
        None => Err(NO_TWIN),
        Some(text) => match serde_json::from_str::<Value>(text) {
            Err(_) => Err(TWIN_NOT_JSON),
            Ok(value) => {
                let mut keys = BTreeSet::new();
                keys_of(&value, &mut keys);
                if !fits_response(api, output, &value) {
                    Err(TWIN_OFF_SHAPE)
                } else if !keys_named(broken).iter().all(|k| keys.contains(k)) {
                    Err(ENGLISH_HAS_MORE)
                } else {
                    Ok(text.to_string())
                }
            }
        },
    };
    match verdict {
        Ok(text) => {
            example.output = Some(text);
            example.document = Some(match example.document.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
                Some(document) => format!("{document}\n\n{REPAIRED_NOTE}"),
                None => REPAIRED_NOTE.to_string(),
            });
            repairs.repaired += 1;
        }
        Err(reason) => *repairs.unrepaired.entry(reason).or_default() += 1,
    }
}

/// Every object key anywhere in `value`.
fn keys_of(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                out.insert(key.clone());
                keys_of(item, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                keys_of(item, out);
            }
        }
        _ => {}
    }
}

/// Whether `document`'s `Response` is an object whose keys, at every depth, are members of the objects
/// the action's output object `output` declares there.
fn fits_response(api: &ApiFile, output: &str, document: &Value) -> bool {
    let Some(response) = document.get("Response").and_then(Value::as_object) else { return false };
    response.iter().all(|(key, value)| match key.as_str() {
        "RequestId" | "Error" => true,
        _ => fits_member(api, output, key, value, 0),
    })
}

/// Whether `value`, given for member `key` of object `object`, fits the declared shape.
fn fits_member(api: &ApiFile, object: &str, key: &str, value: &Value, depth: usize) -> bool {
    let Some(member) = api.objects.get(object).and_then(|o| o.members.iter().find(|m| m.name == key)) else {
        return false;
    };
    let Some(target) = object_reference(member) else { return true };
    if depth > 64 {
        return true;
    }
    let fits_object = |item: &Value| match item {
        Value::Object(map) => map.iter().all(|(k, v)| fits_member(api, target, k, v, depth + 1)),
        // A scalar or list where an object belongs is a type problem the check reports, not a key problem.
        _ => true,
    };
    match value {
        Value::Array(items) => items.iter().all(fits_object),
        other => fits_object(other),
    }
}

/// The keys a text that may not be JSON names: every string literal followed by `:`.
pub(super) fn keys_named(text: &str) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if c != '"' {
            continue;
        }
        let mut end = None;
        while let Some((at, c)) = chars.next() {
            match c {
                '\\' => {
                    chars.next();
                }
                '"' => {
                    end = Some(at);
                    break;
                }
                '\n' => break,
                _ => {}
            }
        }
        let Some(end) = end else { continue };
        while chars.peek().is_some_and(|(_, c)| *c == ' ' || *c == '\t') {
            chars.next();
        }
        if chars.peek().is_some_and(|(_, c)| *c == ':') {
            keys.insert(text[start + 1..end].to_string());
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::keys_named;

    #[test]
    fn keys_are_read_from_broken_json() {
        let text = "{\"Response\": {\n\"Name\": \"a: b\"\n\"Items\" : [1,],\n\"Quoted \\\" key\": 1, \"v\"}}";
        let keys: Vec<String> = keys_named(text).into_iter().collect();
        assert_eq!(keys, ["Items", "Name", "Quoted \\\" key", "Response"]);
    }
}
