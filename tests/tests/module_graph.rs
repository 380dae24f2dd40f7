//! The module graph of every hand-written crate is a tree with cross links, never a cycle: a module that
//! uses another is not used by it, directly or through others. A cycle is always one item living in the
//! wrong file; this test names the modules of any cycle so it can be moved.
//!
//! Modules are files. An edge is a `crate::…`, `super::…` or `self::…` path in a file (outside its
//! `#[cfg(test)]` modules) that names another module of the crate, resolved to the longest module
//! prefix of the path.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every module of the crate under `src`: its path (`check::names`) and its file.
fn modules(src: &Path) -> BTreeMap<Vec<String>, PathBuf> {
    let mut out = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let relative = path.strip_prefix(src).unwrap().with_extension("");
            let mut module: Vec<String> = relative.iter().map(|c| c.to_string_lossy().into_owned()).collect();
            if matches!(module.last().map(String::as_str), Some("mod" | "lib" | "main")) {
                module.pop();
            }
            // `tests.rs` beside a module and `bin/` targets are not part of the library's graph.
            if module.last().is_some_and(|m| m == "tests") || path.starts_with(src.join("bin")) {
                continue;
            }
            out.insert(module, path);
        }
    }
    out
}

/// The source without its comments (doc links are references, not dependencies) and its
/// `#[cfg(test)]` modules.
fn without_tests(text: &str) -> String {
    let mut out = String::new();
    let mut skipping = None;
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if let Some(indent) = skipping {
            if line.len() - line.trim_start().len() == indent && line.trim() == "}" {
                skipping = None;
            }
            continue;
        }
        if line.trim() == "#[cfg(test)]" && lines.peek().is_some_and(|next| next.trim_start().starts_with("mod ")) {
            let next = lines.next().unwrap_or_default();
            if next.trim_end().ends_with('{') {
                skipping = Some(next.len() - next.trim_start().len());
            }
            continue;
        }
        if !line.trim_start().starts_with("//") {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The modules `module`'s source refers to.
fn edges(module: &[String], text: &str, all: &BTreeMap<Vec<String>, PathBuf>) -> BTreeSet<Vec<String>> {
    let mut out = BTreeSet::new();
    let text = without_tests(text);
    // `use a::{b, c::d}` groups are flattened into paths first.
    for path in paths(&text) {
        // `super` is the parent module (of a file and of a `mod.rs` alike), `self` the module itself.
        let mut base: Vec<String> = module.to_vec();
        let mut rest: Vec<&str> = Vec::new();
        for (i, segment) in path.split("::").enumerate() {
            match (i, segment) {
                (0, "crate") => base.clear(),
                (_, "super") if rest.is_empty() => {
                    base.pop();
                }
                (0, "self") => {}
                _ => rest.push(segment),
            }
        }
        base.extend(rest.iter().map(|s| s.to_string()));
        // The longest prefix that is a module.
        while !base.is_empty() && !all.contains_key(&base) {
            base.pop();
        }
        if base != module {
            out.insert(base);
        }
    }
    out
}

/// Every `crate::…`, `super::…` and `self::…` path of the source, `use` groups expanded.
fn paths(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let bytes: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < bytes.len() {
        let starts = ["crate::", "super::", "self::"].iter().find(|p| text_at(&bytes, i).starts_with(**p));
        let preceded = i > 0 && (bytes[i - 1].is_alphanumeric() || bytes[i - 1] == '_' || bytes[i - 1] == ':');
        if let (Some(_), false) = (starts, preceded) {
            let (path, end) = read_path(&bytes, i);
            out.extend(path);
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

fn text_at(chars: &[char], at: usize) -> String {
    chars[at..(at + 8).min(chars.len())].iter().collect()
}

/// Reads a path at `at`, expanding a `{…}` group; returns the paths and where it ended.
fn read_path(chars: &[char], mut at: usize) -> (Vec<String>, usize) {
    let mut prefix = String::new();
    while at < chars.len() && (chars[at].is_alphanumeric() || chars[at] == '_' || chars[at] == ':') {
        prefix.push(chars[at]);
        at += 1;
    }
    if at < chars.len() && chars[at] == '{' && prefix.ends_with("::") {
        let mut depth = 0;
        let mut inner = String::new();
        while at < chars.len() {
            match chars[at] {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
            inner.push(chars[at]);
            at += 1;
            if depth == 0 {
                break;
            }
        }
        let inner = &inner[1..inner.len().saturating_sub(1)];
        let mut out = Vec::new();
        for part in split_top(inner) {
            let part = part.trim();
            let part = part.split(" as ").next().unwrap_or(part).trim();
            if part.is_empty() || part == "self" {
                out.push(prefix.trim_end_matches("::").to_string());
                continue;
            }
            let chars: Vec<char> = format!("{prefix}{part}").chars().collect();
            out.extend(read_path(&chars, 0).0);
        }
        return (out, at);
    }
    (vec![prefix.trim_end_matches("::").to_string()], at)
}

/// Splits a `use` group at its top-level commas.
fn split_top(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

/// The strongly connected components of more than one module (Tarjan's algorithm, iteratively).
fn cycles(graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Vec<Vec<String>> {
    let nodes: Vec<&Vec<String>> = graph.keys().collect();
    let index_of: BTreeMap<&Vec<String>, usize> = nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let adjacency: Vec<Vec<usize>> =
        nodes.iter().map(|n| graph[*n].iter().filter_map(|m| index_of.get(m).copied()).collect()).collect();
    let n = nodes.len();
    let (mut index, mut low, mut on_stack) = (vec![usize::MAX; n], vec![0; n], vec![false; n]);
    let (mut stack, mut next, mut found) = (Vec::new(), 0, Vec::new());
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work = vec![(root, 0usize)];
        while let Some(&mut (v, ref mut edge)) = work.last_mut() {
            if *edge == 0 && index[v] == usize::MAX {
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = adjacency[v].get(*edge) {
                *edge += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component.push(nodes[w].join("::"));
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.sort();
                    found.push(component);
                }
            }
        }
    }
    found
}

fn graph_of(src: &Path) -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let all = modules(src);
    all.iter()
        .map(|(module, path)| {
            let text = std::fs::read_to_string(path).unwrap();
            (module.clone(), edges(module, &text, &all))
        })
        .collect()
}

#[test]
fn no_crate_has_a_module_cycle() {
    let mut problems = Vec::new();
    for krate in ["generator", "runtime", "rules", "import", "fake", "cli"] {
        let graph = graph_of(&repo().join(krate).join("src"));
        assert!(graph.len() > 1 || krate == "rules", "{krate}: no modules found");
        for cycle in cycles(&graph) {
            problems.push(format!("{krate}: {}", cycle.join(" <-> ")));
        }
    }
    assert!(problems.is_empty(), "module cycles:\n{}", problems.join("\n"));
}

#[test]
fn the_cycle_finder_finds_cycles() {
    let m = |s: &str| s.split("::").map(String::from).collect::<Vec<_>>();
    let mut graph = BTreeMap::new();
    graph.insert(m("a"), BTreeSet::from([m("b")]));
    graph.insert(m("b"), BTreeSet::from([m("c")]));
    graph.insert(m("c"), BTreeSet::from([m("a")]));
    graph.insert(m("d"), BTreeSet::from([m("a")]));
    assert_eq!(cycles(&graph), [vec!["a".to_string(), "b".into(), "c".into()]]);
    // Paths in `use` groups resolve to their longest module prefix.
    let all: BTreeMap<Vec<String>, PathBuf> =
        [(m("x"), PathBuf::from("x.rs")), (m("y::z"), PathBuf::from("y/z.rs")), (m("y"), PathBuf::from("y/mod.rs"))]
            .into_iter()
            .collect();
    let found = edges(&m("x"), "use crate::y::{z::Item, Other};\nfn f() { crate::x::g(); }", &all);
    assert_eq!(found, BTreeSet::from([m("y::z"), m("y")]));
}
