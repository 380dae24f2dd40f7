//! Types no finite value can have: shared object types that hold one another in a cycle of fields
//! the generated structs always carry (present, one value: not a list, a map or an `Option`). Rust
//! would compile them (the cycle is boxed) but nothing could build or decode one, and checking one
//! would recurse forever.

use super::cx::ServiceCx;
use crate::diagnostics::{JsonPath, Target, abbreviate};
use crate::names::table::Usage;
use crate::spec::Field;
use crate::spec::types::TypeExpr;

/// Reports each cycle of always-present fields once, at its first field.
pub(super) fn check_required_cycles(cx: &mut ServiceCx<'_, '_>) {
    let spec = cx.spec;
    let usage = super::names::type_usage(spec);
    let edges: Vec<Vec<(&str, usize)>> = spec
        .types
        .values()
        .zip(&usage)
        .map(|(def, usage)| {
            def.fields
                .iter()
                .flatten()
                .filter(|(_, field)| always_present(field, *usage))
                .filter_map(|(wire, field)| match &field.ty {
                    TypeExpr::Named(name) => spec.types.get_index_of(name).map(|to| (wire.as_str(), to)),
                    _ => None,
                })
                .collect()
        })
        .collect();
    let mut reported = vec![false; edges.len()];
    for start in 0..edges.len() {
        if reported[start] {
            continue;
        }
        let Some(cycle) = cycle_through(start, &edges) else { continue };
        let name = |index: usize| spec.types.get_index(index).map_or("", |(name, _)| name.as_str());
        // `A.X` must always hold a `B`, `B.Y` a `C`, and `C.Z` an `A`.
        let mut steps: Vec<String> = Vec::new();
        for (i, (from, wire)) in cycle.iter().enumerate() {
            let to = cycle.get(i + 1).map_or(start, |(next, _)| *next);
            let field = format!("`{}.{}`", abbreviate(name(*from), 60), abbreviate(wire, 60));
            let to = format!("`{}`", abbreviate(name(to), 60));
            steps.push(match i {
                0 => format!("{field} must always hold a {to}"),
                _ if i + 1 == cycle.len() => format!("and {field} a {to}"),
                _ => format!("{field} a {to}"),
            });
        }
        for (from, _) in &cycle {
            reported[*from] = true;
        }
        let first = name(start);
        cx.sink.error(
            "required-cycle",
            JsonPath::root().key("types").key(first).key("fields").key(cycle[0].1),
            Target::Key,
            format!("no value of `{}` can be finite: {}", abbreviate(first, 60), steps.join(", ")),
            Some("make one field of the cycle optional (drop `required`), or a list".into()),
        );
    }
}

/// Whether the generated struct always carries the field: how resolution decides `Option`s (a type
/// both sent and received has none; a received one keeps `nullable` fields optional).
fn always_present(field: &Field, usage: Usage) -> bool {
    match (usage.input, usage.output) {
        (true, true) => false,
        (true, false) => field.required,
        _ => field.required && !field.nullable,
    }
}

/// The fields of a cycle from type `start` back to it, as `(type, field)` steps, if there is one.
fn cycle_through<'a>(start: usize, edges: &[Vec<(&'a str, usize)>]) -> Option<Vec<(usize, &'a str)>> {
    let mut visited = vec![false; edges.len()];
    // Depth-first, with the path so far and the next edge to try at each step.
    let mut path: Vec<(usize, usize)> = vec![(start, 0)];
    visited[start] = true;
    while let Some((node, next)) = path.last_mut() {
        let Some(&(_, to)) = edges[*node].get(*next) else {
            path.pop();
            continue;
        };
        *next += 1;
        if to == start {
            return Some(path.iter().map(|(node, next)| (*node, edges[*node][next - 1].0)).collect());
        }
        if !visited[to] {
            visited[to] = true;
            path.push((to, 0));
        }
    }
    None
}
