//! Shrinks a failing spec tree to a small one that still fails the same way (same class): the repro a
//! bug report needs. Each round removes, one at a time, each of the largest JSON members and array
//! elements of every file (and each whole service file), examines and compiles all those candidates together (one scratch-crate
//! check per round), then keeps every removal that preserved the class at once if that still
//! fails the same way, else the single largest one.

use std::collections::BTreeSet;
use std::io;
use std::path::Path;
use std::time::Duration;

use serde_json::Value;

use super::classify;
use super::compile::ScratchCrate;
use super::examine::{self, Verdict};
use super::tree::{Case, SpecTree};

/// Candidates tried per round: the largest removable parts.
const CANDIDATES: usize = 80;

/// Where a removable part sits: the file and the path of steps into it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Part {
    file: String,
    path: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    Key(String),
    Index(usize),
}

/// The smallest tree found, within `rounds` rounds, that still fails with `class`; the case itself
/// when its files are not JSON.
pub fn reduce(
    case: &Case,
    class: &str,
    scratch: &ScratchCrate,
    work: &Path,
    limit: Duration,
    rounds: usize,
) -> io::Result<Case> {
    let mut files: Vec<(String, Value)> = Vec::new();
    for (path, bytes) in case.tree.files() {
        match serde_json::from_slice::<Value>(bytes) {
            Ok(value) => files.push((path.to_string(), value)),
            Err(_) => return Ok(case.clone()),
        }
    }
    let label = format!("{} (reduced)", case.label.split(' ').next().unwrap_or_default());
    for _ in 0..rounds {
        let mut parts = Vec::new();
        for (file, value) in &files {
            // A whole service file can go; the provider file cannot.
            if !file.ends_with("/provider.json") {
                parts.push((value.to_string().len(), Part { file: file.clone(), path: Vec::new() }));
            }
            removable(value, &mut Vec::new(), file, &mut parts);
        }
        parts.sort_by_key(|(size, part)| (std::cmp::Reverse(*size), part.clone()));
        parts.truncate(CANDIDATES);
        let candidates: Vec<Vec<(String, Value)>> = parts.iter().map(|(_, part)| without(&files, &[part])).collect();
        let kept = still_failing(&candidates, class, scratch, work, limit)?;
        let keepers: Vec<&Part> = parts.iter().zip(&kept).filter(|(_, k)| **k).map(|((_, p), _)| p).collect();
        let Some(first) = keepers.first() else { break };
        let all = without(&files, &keepers);
        files = if keepers.len() > 1 && still_failing(std::slice::from_ref(&all), class, scratch, work, limit)?[0] {
            all
        } else {
            without(&files, &[first])
        };
    }
    Ok(Case { label, tree: tree_of(&files) })
}

fn tree_of(files: &[(String, Value)]) -> SpecTree {
    let mut tree = SpecTree::new();
    for (path, value) in files {
        let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
        text.push('\n');
        tree.insert(path.clone(), text);
    }
    tree
}

/// Every member and element below the root, with the size of its JSON text.
fn removable(value: &Value, prefix: &mut Vec<Step>, file: &str, out: &mut Vec<(usize, Part)>) {
    let children: Vec<(Step, &Value)> = match value {
        Value::Object(map) => map.iter().map(|(k, v)| (Step::Key(k.clone()), v)).collect(),
        Value::Array(items) => items.iter().enumerate().map(|(i, v)| (Step::Index(i), v)).collect(),
        _ => return,
    };
    for (step, child) in children {
        prefix.push(step);
        let size = child.to_string().len() + 8;
        out.push((size, Part { file: file.to_string(), path: prefix.clone() }));
        removable(child, prefix, file, out);
        prefix.pop();
    }
}

/// The files with `parts` removed: the deepest and last first, so earlier indices stay valid; a part
/// inside another removed part is skipped.
fn without(files: &[(String, Value)], parts: &[&Part]) -> Vec<(String, Value)> {
    let mut files = files.to_vec();
    let mut sorted: Vec<&Part> = parts.to_vec();
    sorted.sort_by(|a, b| b.cmp(a));
    let mut removed: Vec<&Part> = Vec::new();
    for part in sorted {
        if removed.iter().any(|r| r.file == part.file && part.path.starts_with(&r.path)) {
            continue;
        }
        if part.path.is_empty() {
            files.retain(|(f, _)| *f != part.file);
            removed.push(part);
            continue;
        }
        let Some((_, value)) = files.iter_mut().find(|(f, _)| *f == part.file) else { continue };
        let Some((last, parent)) = part.path.split_last() else { continue };
        let node = parent.iter().try_fold(&mut *value, |node, step| match step {
            Step::Key(key) => node.get_mut(key.as_str()),
            Step::Index(i) => node.get_mut(*i),
        });
        match (node, last) {
            (Some(Value::Object(map)), Step::Key(key)) => drop(map.shift_remove(key)),
            (Some(Value::Array(items)), Step::Index(i)) if *i < items.len() => drop(items.remove(*i)),
            _ => continue,
        }
        removed.push(part);
    }
    files
}

/// Whether each candidate still fails with `class`: examined in turn, the accepted ones compiled
/// together.
fn still_failing(
    candidates: &[Vec<(String, Value)>],
    class: &str,
    scratch: &ScratchCrate,
    work: &Path,
    limit: Duration,
) -> io::Result<Vec<bool>> {
    // Only a compiler's classes need the accepted candidates compiled.
    let compiled = class.starts_with("error ") || class.starts_with("warning ");
    let mut classes: Vec<BTreeSet<String>> = vec![BTreeSet::new(); candidates.len()];
    let mut accepted: Vec<(usize, String)> = Vec::new();
    for (i, files) in candidates.iter().enumerate() {
        let case = Case { label: String::new(), tree: tree_of(files) };
        match examine::examine(&case, work, limit).verdict {
            Verdict::Rejected { .. } => {}
            Verdict::Failed(failure) => {
                classes[i].insert(classify::of_failure(&failure).class);
            }
            Verdict::Accepted { code, leaks } => {
                classes[i].extend(leaks.iter().map(|l| classify::of_leak(l).class));
                if compiled {
                    accepted.push((i, code));
                }
            }
        }
    }
    let units: Vec<&str> = accepted.iter().map(|(_, code)| code.as_str()).collect();
    let outcomes = if units.is_empty() { Vec::new() } else { scratch.check_all(&units)? };
    for ((i, _), issues) in accepted.iter().zip(outcomes) {
        classes[*i].extend(issues.iter().map(|issue| classify::of_issue(issue).class));
    }
    Ok(classes.iter().map(|c| c.contains(class)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(path: &[Step]) -> Part {
        Part { file: "f".into(), path: path.to_vec() }
    }

    #[test]
    fn removals_keep_later_indices_and_skip_parts_inside_removed_ones() {
        let files = vec![("f".to_string(), serde_json::json!({ "a": [0, 1, 2, 3], "b": { "c": 1, "d": 2 } }))];
        let (one, three) =
            (part(&[Step::Key("a".into()), Step::Index(1)]), part(&[Step::Key("a".into()), Step::Index(3)]));
        let (b, c) = (part(&[Step::Key("b".into())]), part(&[Step::Key("b".into()), Step::Key("c".into())]));
        let left = without(&files, &[&one, &three, &c, &b]);
        assert_eq!(left[0].1, serde_json::json!({ "a": [0, 2] }));
        let mut parts = Vec::new();
        removable(&files[0].1, &mut Vec::new(), "f", &mut parts);
        assert_eq!(parts.len(), 8, "{parts:?}");
    }
}
