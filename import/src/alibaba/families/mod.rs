//! Numbered parameter families: an action's separate parameters `Filter.1.Key` … `Filter.4.Value` (or
//! `RemovalPolicy.1` … `RemovalPolicy.3`) folded into one list parameter, `Filter`, of an object type
//! `{Key, Value}` (or of the scalar), as the official SDKs take them.
//!
//! The fold is a rewrite of the Openmeta parameter list, before mapping: the family's parameters are
//! replaced, where the first of them stood, by one `repeatList` array parameter with `maxItems` set to the
//! number of indices documented, so that the ordinary mapping gives it its type, its items validator and its
//! wire style. `repeatList` sends item N's members as `Filter.N.Key`, exactly the names the flat parameters
//! had (`tests/tests/import_alibaba_families.rs` compares the runtime's serialization of both).
//!
//! A group folds when its names share a prefix, its indices run 1, 2, … without a gap, every index has
//! the same members (or every one is a scalar), and each member's schema is the same at every index apart
//! from its documentation (description, example, title). The per-index texts are merged: what every index
//! says is kept once (with the index written `N`), what differs is listed per wire name. A group that
//! misses one of these rules is left flat and reported as a near miss with the reason and its location.
//! A family whose prefix is already a list parameter holding those members (ecs `DescribePrice`'s
//! `DataDisk.1.Size` beside the `DataDisk` list) duplicates that list's wire names: its parameters are
//! dropped, as the official SDK has only the list.

mod describe;

use std::collections::BTreeSet;

use indexmap::IndexMap;
use serde::Serialize;
use serde_json::{Map, Value, json};

use self::describe::merge_descriptions;

/// The schema key, private to the importer, that tells the mapper not to read a closed list of values
/// from a merged description: the indices document different lists.
pub(super) const NO_PROSE_ENUM: &str = "x-cloudspec-no-prose-enum";

/// Schema keys that only document a parameter: they may differ between the indices of a family.
const DOCUMENTATION_KEYS: &[&str] = &["description", "example", "title", "enumValueTitles", "examples"];

/// A family folded into one list parameter.
#[derive(Debug, Clone, Serialize)]
pub struct Family {
    /// `product/version`.
    pub version: String,
    /// The action.
    pub action: String,
    /// The list parameter's wire name (`Filter`).
    pub name: String,
    /// The members of each item (`Key`, `Value`); empty for a list of scalars.
    pub members: Vec<String>,
    /// The number of indices, the list's documented maximum.
    pub max_items: usize,
    /// The flat parameters folded.
    pub parameters: usize,
    /// Whether the family only repeated the wire names of an existing list parameter and was dropped.
    pub merged_into_existing: bool,
}

/// A group of numbered parameters left flat, and why.
#[derive(Debug, Clone, Serialize)]
pub struct FamilyNearMiss {
    /// `product/version`.
    pub version: String,
    /// The JSON path of the first parameter of the group (`apis.X.parameters[3]`).
    pub entry: String,
    /// The group's prefix (`ScalingGroupName`).
    pub name: String,
    /// Its parameters.
    pub parameters: usize,
    /// Why it was not folded.
    pub reason: String,
}

/// Every family folded and every group left flat.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FamilyReport {
    /// Families folded (or dropped into an existing list), in import order.
    pub folded: Vec<Family>,
    /// Groups left flat.
    pub near_misses: Vec<FamilyNearMiss>,
}

impl FamilyReport {
    /// Adds another report into this one.
    pub fn merge(&mut self, other: FamilyReport) {
        self.folded.extend(other.folded);
        self.near_misses.extend(other.near_misses);
    }

    /// The flat parameters folded away, over every family.
    pub fn parameters_folded(&self) -> usize {
        self.folded.iter().map(|f| f.parameters).sum()
    }

    /// One line for the terminal.
    pub fn summary(&self) -> String {
        let merged = self.folded.iter().filter(|f| f.merged_into_existing).count();
        format!(
            "numbered families: {} grouped into lists ({} of them already a list parameter), {} parameters folded, \
             {} near misses left flat",
            self.folded.len(),
            merged,
            self.parameters_folded(),
            self.near_misses.len()
        )
    }

    /// The Markdown section of the import report: every family and every near miss.
    pub fn markdown(&self) -> String {
        let mut out = format!("## Numbered parameter families\n\n{}.\n\n", self.summary());
        out.push_str(
            "| version | action | list | members | max items | parameters folded |\n|---|---|---|---|---|---|\n",
        );
        for f in &self.folded {
            let members = if f.members.is_empty() { "(scalars)".to_string() } else { f.members.join(", ") };
            let list = if f.merged_into_existing { format!("{} (existing list)", f.name) } else { f.name.clone() };
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} |\n",
                f.version, f.action, list, members, f.max_items, f.parameters
            ));
        }
        if !self.near_misses.is_empty() {
            out.push_str("\nLeft flat:\n\n| version | entry | prefix | parameters | reason |\n|---|---|---|---|---|\n");
            for m in &self.near_misses {
                out.push_str(&format!(
                    "| {} | `{}` | {} | {} | {} |\n",
                    m.version,
                    m.entry,
                    m.name,
                    m.parameters,
                    m.reason.replace('|', "\\|")
                ));
            }
        }
        out.push('\n');
        out
    }
}

/// One numbered parameter: `Filter.2.Key` is (`Filter`, 2, `Some("Key")`).
struct Numbered<'p> {
    position: usize,
    index: usize,
    member: Option<String>,
    parameter: &'p Value,
}

/// Splits a wire name at its first all-digit segment: the prefix, the index, and the member after it.
fn split(name: &str) -> Option<(String, usize, Option<String>)> {
    let segments: Vec<&str> = name.split('.').collect();
    let at = segments.iter().position(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))?;
    if at == 0 || segments[..at].iter().any(|s| s.is_empty()) {
        return None;
    }
    let index: usize = segments[at].parse().ok()?;
    let member = (at + 1 < segments.len()).then(|| segments[at + 1..].join("."));
    if member.as_deref().is_some_and(|m| m.split('.').any(str::is_empty)) {
        return None;
    }
    Some((segments[..at].join("."), index, member))
}

/// Folds the families among `parameters` (an Openmeta action's list), returning the new list, each
/// parameter with its position in the original one (a folded family takes its first member's). `version`
/// and `entry` (`apis.X`) locate what the report records.
pub(super) fn fold(
    parameters: &[Value],
    version: &str,
    action: &str,
    entry: &str,
    report: &mut FamilyReport,
) -> Vec<(usize, Value)> {
    let name_of = |p: &Value| p.get("name").and_then(Value::as_str).map(str::to_string);
    let mut groups: IndexMap<String, Vec<Numbered<'_>>> = IndexMap::new();
    for (position, parameter) in parameters.iter().enumerate() {
        if let Some((prefix, index, member)) = name_of(parameter).as_deref().and_then(split) {
            groups.entry(prefix).or_default().push(Numbered { position, index, member, parameter });
        }
    }
    // What replaces each position: a folded parameter at the family's first one, nothing at the others.
    let mut replacement: Vec<Option<Option<Value>>> = vec![None; parameters.len()];
    for (prefix, group) in &groups {
        let existing = parameters.iter().position(|p| name_of(p).as_deref() == Some(prefix.as_str()));
        let outcome = assess(prefix, group, existing.map(|i| &parameters[i]));
        let first = group[0].position;
        match outcome {
            Ok(folded) => {
                let merged_into_existing = folded.is_none();
                for numbered in group {
                    replacement[numbered.position] = Some(None);
                }
                replacement[first] = Some(folded);
                report.folded.push(Family {
                    version: version.to_string(),
                    action: action.to_string(),
                    name: prefix.clone(),
                    members: ordered_members(group),
                    max_items: group.iter().map(|n| n.index).max().unwrap_or(0),
                    parameters: group.len(),
                    merged_into_existing,
                });
            }
            Err(reason) => report.near_misses.push(FamilyNearMiss {
                version: version.to_string(),
                entry: format!("{entry}.parameters[{first}]"),
                name: prefix.clone(),
                parameters: group.len(),
                reason,
            }),
        }
    }
    let mut out = Vec::with_capacity(parameters.len());
    for (position, (parameter, replaced)) in parameters.iter().zip(replacement).enumerate() {
        match replaced {
            None => out.push((position, parameter.clone())),
            Some(Some(folded)) => out.push((position, folded)),
            Some(None) => {}
        }
    }
    out
}

/// Members in the order they first appear.
fn ordered_members(group: &[Numbered<'_>]) -> Vec<String> {
    let mut members: Vec<String> = Vec::new();
    for member in group.iter().filter_map(|n| n.member.as_ref()) {
        if !members.contains(member) {
            members.push(member.clone());
        }
    }
    members
}

/// The folded parameter (`None` when the family duplicates the existing list parameter `existing`), or
/// why the group stays flat.
fn assess(prefix: &str, group: &[Numbered<'_>], existing: Option<&Value>) -> Result<Option<Value>, String> {
    let wire = |n: &Numbered<'_>| match &n.member {
        Some(member) => format!("{prefix}.{}.{member}", n.index),
        None => format!("{prefix}.{}", n.index),
    };
    let scalar = group[0].member.is_none();
    if group.iter().any(|n| n.member.is_none() != scalar) {
        return Err(format!("it mixes scalars (`{prefix}.N`) and members (`{prefix}.N.Member`)"));
    }
    let indices: BTreeSet<usize> = group.iter().map(|n| n.index).collect();
    let count = indices.len();
    if indices.iter().copied().ne(1..=count) {
        let list: Vec<String> = indices.iter().map(usize::to_string).collect();
        return Err(format!("its indices ({}) do not run from 1 without a gap", list.join(", ")));
    }
    let mut seen = BTreeSet::new();
    if let Some(repeated) = group.iter().find(|n| !seen.insert((n.index, n.member.clone()))) {
        return Err(format!("`{}` is listed twice", wire(repeated)));
    }
    let members = ordered_members(group);
    for index in 1..=count {
        let at_index: BTreeSet<&str> =
            group.iter().filter(|n| n.index == index).filter_map(|n| n.member.as_deref()).collect();
        if !scalar && at_index.len() != members.len() {
            let missing: Vec<&str> = members.iter().map(String::as_str).filter(|m| !at_index.contains(m)).collect();
            return Err(format!("index {index} lacks {}", missing.join(", ")));
        }
    }
    let location = |n: &Numbered<'_>| n.parameter.get("in").cloned();
    if let Some(other) = group.iter().find(|n| location(n) != location(&group[0])) {
        return Err(format!("`{}` travels in another place than `{}`", wire(other), wire(&group[0])));
    }
    if let Some(styled) = group.iter().find(|n| n.parameter.get("style").is_some()) {
        return Err(format!("`{}` has a serialization style of its own", wire(styled)));
    }
    // Each member (or the scalar) must have the same schema at every index, documentation aside.
    let keys: Vec<Option<String>> = if scalar { vec![None] } else { members.iter().cloned().map(Some).collect() };
    let mut merged_members = Map::new();
    let mut item_schema = None;
    for key in &keys {
        let at: Vec<&Numbered<'_>> = group.iter().filter(|n| n.member == *key).collect();
        let schemas: Vec<Map<String, Value>> = at.iter().map(|n| schema(n.parameter)).collect();
        let rules = |s: &Map<String, Value>| {
            let mut s = s.clone();
            s.retain(|k, _| !DOCUMENTATION_KEYS.contains(&k.as_str()));
            s
        };
        let first_rules = rules(&schemas[0]);
        for (n, s) in at.iter().zip(&schemas).skip(1) {
            let other = rules(s);
            if other != first_rules {
                let differing: BTreeSet<&String> = first_rules
                    .keys()
                    .chain(other.keys())
                    .filter(|k| first_rules.get(k.as_str()) != other.get(k.as_str()))
                    .collect();
                let differing: Vec<String> = differing.into_iter().map(|k| format!("`{k}`")).collect();
                return Err(format!("`{}` differs from `{}` in {}", wire(n), wire(at[0]), differing.join(", ")));
            }
        }
        let labels: Vec<String> = at.iter().map(|n| wire(n)).collect();
        let texts: Vec<Option<&str>> = schemas.iter().map(|s| s.get("description").and_then(Value::as_str)).collect();
        let (description, diverged) =
            merge_descriptions(prefix, &labels, &texts, &at.iter().map(|n| n.index).collect::<Vec<_>>());
        let mut merged = schemas[0].clone();
        merged.remove("description");
        if let Some(description) = description {
            merged.insert("description".into(), Value::String(description));
        }
        if diverged {
            merged.insert(NO_PROSE_ENUM.into(), Value::Bool(true));
        }
        match key {
            Some(member) => {
                merged_members.insert(member.clone(), Value::Object(merged));
            }
            None => item_schema = Some(merged),
        }
    }
    if let Some(existing) = existing {
        return covered_by(prefix, existing, scalar, &members, &item_schema).map(|()| None);
    }
    let required = group.iter().all(|n| schema(n.parameter).get("required").and_then(Value::as_bool) == Some(true));
    let wire_names: Vec<String> = match scalar {
        true => vec![format!("`{prefix}.N`")],
        false => members.iter().map(|m| format!("`{prefix}.N.{m}`")).collect(),
    };
    let sent_as = format!("Sent as {}, N from 1 to {count}.", wire_names.join(", "));
    let (items, description) = match item_schema {
        Some(mut item) => {
            item.remove("required");
            let description = match item.get("description").and_then(Value::as_str) {
                Some(text) => format!("{text}\n\n{sent_as}"),
                None => sent_as,
            };
            (Value::Object(item), description)
        }
        // A member required at every index stays required in every item.
        None => (json!({"type": "object", "properties": merged_members}), sent_as),
    };
    let mut list = json!({"type": "array", "description": description, "items": items, "maxItems": count});
    if required {
        list["required"] = Value::Bool(true);
        list["minItems"] = Value::from(count);
    }
    let mut parameter = json!({"name": prefix, "style": "repeatList", "schema": list});
    if let Some(location) = group[0].parameter.get("in") {
        parameter["in"] = location.clone();
    }
    Ok(Some(parameter))
}

/// Whether the existing parameter `prefix` is a list whose items hold the family: then the family's flat
/// parameters only repeat its wire names.
fn covered_by(
    prefix: &str,
    existing: &Value,
    scalar: bool,
    members: &[String],
    item: &Option<Map<String, Value>>,
) -> Result<(), String> {
    let style = existing.get("style").and_then(Value::as_str);
    let schema = schema(existing);
    let is_list = schema.get("type").and_then(Value::as_str) == Some("array")
        && matches!(style, None | Some("repeatList") | Some("flat"));
    let items = schema.get("items").and_then(Value::as_object);
    let covered = is_list
        && match (scalar, items) {
            (true, Some(items)) => {
                items.get("type") == item.as_ref().and_then(|i| i.get("type")) && !items.contains_key("properties")
            }
            (false, Some(items)) => {
                let properties = items.get("properties").and_then(Value::as_object);
                properties.is_some_and(|p| members.iter().all(|m| p.contains_key(m)))
            }
            _ => false,
        };
    if covered {
        Ok(())
    } else {
        Err(format!("`{prefix}` is also a parameter of its own, which the list would have to replace"))
    }
}

fn schema(parameter: &Value) -> Map<String, Value> {
    parameter.get("schema").and_then(Value::as_object).cloned().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(folded: Vec<(usize, Value)>) -> Vec<Value> {
        folded.into_iter().map(|(_, v)| v).collect()
    }

    fn parameter(name: &str, description: &str, example: &str) -> Value {
        json!({"name": name, "in": "query", "schema": {"type": "string", "description": description, "example": example}})
    }

    fn filters(count: usize) -> Vec<Value> {
        let keys = ["CreationStartTime", "CreationEndTime", "ExpiredStartTime", "ExpiredEndTime"];
        let mut out = vec![json!({"name": "RegionId", "in": "query", "schema": {"type": "string"}})];
        for i in 1..=count {
            out.push(parameter(
                &format!("Filter.{i}.Key"),
                &format!("The key of filter {i} used to query resources. Set the value to `{}`.", keys[i - 1]),
                keys[i - 1],
            ));
        }
        for i in 1..=count {
            out.push(parameter(
                &format!("Filter.{i}.Value"),
                &format!("The value of filter {i}. You must also specify `Filter.{i}.Key`. The time must be in UTC."),
                "2017-12-05T22:40Z",
            ));
        }
        out.push(json!({"name": "DryRun", "schema": {"type": "boolean"}}));
        out
    }

    #[test]
    fn names_split_at_their_first_index() {
        assert_eq!(split("Filter.2.Key"), Some(("Filter".into(), 2, Some("Key".into()))));
        assert_eq!(split("RemovalPolicy.3"), Some(("RemovalPolicy".into(), 3, None)));
        assert_eq!(split("A.B.10.C.D"), Some(("A.B".into(), 10, Some("C.D".into()))));
        assert_eq!(split("Tag"), None);
        assert_eq!(split("1.Key"), None);
        assert_eq!(split("X.1."), None);
    }

    #[test]
    fn a_family_of_members_becomes_one_list_of_objects() {
        let mut report = FamilyReport::default();
        let out =
            values(fold(&filters(4), "ecs/2014-05-26", "DescribeInstances", "apis.DescribeInstances", &mut report));
        let names: Vec<&str> = out.iter().map(|p| p["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["RegionId", "Filter", "DryRun"]);
        let filter = &out[1];
        assert_eq!(filter["style"], "repeatList");
        assert_eq!(filter["in"], "query");
        assert_eq!(filter["schema"]["maxItems"], 4);
        assert!(filter["schema"].get("minItems").is_none());
        let properties = filter["schema"]["items"]["properties"].as_object().unwrap();
        assert_eq!(properties.keys().collect::<Vec<_>>(), ["Key", "Value"]);
        // What every index says once, with N; what differs, per wire name.
        let key = properties["Key"]["description"].as_str().unwrap();
        assert!(key.starts_with("The key of filter N used to query resources.\n\n"), "{key}");
        assert!(key.contains("*   `Filter.1.Key`: Set the value to `CreationStartTime`."), "{key}");
        assert!(key.contains("*   `Filter.4.Key`: Set the value to `ExpiredEndTime`."), "{key}");
        assert_eq!(properties["Key"][NO_PROSE_ENUM], true);
        let value = properties["Value"]["description"].as_str().unwrap();
        assert_eq!(value, "The value of filter N. You must also specify `Filter.N.Key`. The time must be in UTC.");
        assert!(properties["Value"].get(NO_PROSE_ENUM).is_none());
        assert_eq!(properties["Key"]["example"], "CreationStartTime");
        assert!(filter["schema"]["description"].as_str().unwrap().contains("`Filter.N.Key`, `Filter.N.Value`"));
        assert_eq!(report.folded.len(), 1);
        assert_eq!((report.folded[0].parameters, report.folded[0].max_items), (8, 4));
        assert_eq!(report.folded[0].members, ["Key", "Value"]);
        assert!(report.near_misses.is_empty());
    }

    #[test]
    fn a_family_of_scalars_becomes_a_list_of_them() {
        let parameters: Vec<Value> = (1..=3)
            .map(|i| parameter(&format!("RemovalPolicy.{i}"), &format!("RemovalPolicy.{i} is a policy."), "x"))
            .collect();
        let mut report = FamilyReport::default();
        let out = values(fold(&parameters, "ess/v", "CreateScalingGroup", "apis.CreateScalingGroup", &mut report));
        assert_eq!(out.len(), 1);
        assert_eq!(out[0]["name"], "RemovalPolicy");
        assert_eq!(out[0]["schema"]["items"]["type"], "string");
        assert_eq!(out[0]["schema"]["maxItems"], 3);
        let description = out[0]["schema"]["description"].as_str().unwrap();
        assert_eq!(description, "RemovalPolicy.N is a policy.\n\nSent as `RemovalPolicy.N`, N from 1 to 3.");
        assert_eq!(report.parameters_folded(), 3);
    }

    #[test]
    fn near_misses_stay_flat_with_a_located_reason() {
        let cases: Vec<(Vec<Value>, &str)> = vec![
            (vec![parameter("A.1", "", ""), parameter("A.3", "", "")], "do not run from 1"),
            (vec![parameter("A.1.K", "", ""), parameter("A.2.V", "", "")], "lacks"),
            (vec![parameter("A.1", "", ""), parameter("A.2.K", "", "")], "mixes"),
            (
                vec![
                    parameter("A.1", "", ""),
                    json!({"name": "A.2", "in": "query", "schema": {"type": "string", "maxLength": 3}}),
                ],
                "differs from `A.1` in `maxLength`",
            ),
            (vec![json!({"name": "A", "schema": {"type": "string"}}), parameter("A.1", "", "")], "of its own"),
        ];
        for (parameters, reason) in cases {
            let mut report = FamilyReport::default();
            let out = values(fold(&parameters, "p/v", "Act", "apis.Act", &mut report));
            assert_eq!(out, parameters, "{reason}");
            assert_eq!(report.near_misses.len(), 1, "{reason}");
            assert!(report.near_misses[0].reason.contains(reason), "{:?}", report.near_misses[0]);
            assert!(report.near_misses[0].entry.starts_with("apis.Act.parameters["));
        }
    }

    #[test]
    fn a_family_an_existing_list_already_holds_is_dropped_into_it() {
        let list = json!({"name": "DataDisk", "style": "repeatList", "schema": {"type": "array", "maxItems": 16,
            "items": {"type": "object", "properties": {"Size": {"type": "integer"}, "Category": {"type": "string"}}}}});
        let parameters = vec![
            json!({"name": "DataDisk.1.Size", "schema": {"type": "integer"}}),
            json!({"name": "DataDisk.2.Size", "schema": {"type": "integer"}}),
            list.clone(),
        ];
        let mut report = FamilyReport::default();
        assert_eq!(fold(&parameters, "ecs/v", "DescribePrice", "apis.DescribePrice", &mut report), vec![(2, list)]);
        assert!(report.folded[0].merged_into_existing);
    }
}
