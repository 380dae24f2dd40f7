//! The HTTP path template of an action: it starts with `/`, its `{Name}` labels are request fields whose
//! location is `path` and every path field has a label; a greedy label `{Name+}` (its value spans
//! segments, Smithy's convention) fills whole segments, is the only greedy one and the last label, and
//! names a string field.

use super::cx::ServiceCx;
use crate::diagnostics::{JsonPath, Target, did_you_mean};
use crate::spec::{Action, ParamLocation};

/// One `{…}` label of a template.
struct Label<'t> {
    /// The field it names (without the greedy `+`).
    name: &'t str,
    /// `{Name+}`: the value spans segments.
    greedy: bool,
    /// The label fills a whole segment (`/{Name}/` or `/{Name}` at the end).
    whole_segment: bool,
}

/// The labels of `template` in order; `Err` when a `{` is not closed.
fn labels(template: &str) -> Result<Vec<Label<'_>>, ()> {
    let mut out = Vec::new();
    let mut rest = template;
    let mut before = "";
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|i| open + i) else { return Err(()) };
        let label = &rest[open + 1..close];
        let after = &rest[close + 1..];
        let starts_segment = if open == 0 { before.ends_with('/') } else { rest[..open].ends_with('/') };
        let ends_segment = after.is_empty() || after.starts_with('/') || after.starts_with('?');
        let (name, greedy) = match label.strip_suffix('+') {
            Some(name) => (name, true),
            None => (label, false),
        };
        out.push(Label { name, greedy, whole_segment: starts_segment && ends_segment });
        before = &rest[..close + 1];
        rest = after;
    }
    Ok(out)
}

pub(super) fn check_http_path(cx: &mut ServiceCx<'_, '_>, path: &JsonPath, action: &Action, http_path: Option<&str>) {
    let here = path.key("http").key("path");
    let template = http_path.unwrap_or("/");
    if !template.starts_with('/') {
        cx.sink.error("invalid-path", here.clone(), Target::Value, "an HTTP path starts with `/`", None);
    }
    let in_path = template.split_once('?').map_or(template, |(p, _)| p);
    let labels = match labels(template) {
        Ok(labels) => labels,
        Err(()) => {
            cx.sink.error("invalid-path", here.clone(), Target::Value, "a `{` in the path is not closed by `}`", None);
            Vec::new()
        }
    };
    greedy_labels(cx, path, action, in_path, &labels);
    for Label { name, .. } in &labels {
        match action.request.get(*name) {
            Some(field) if field.location == Some(ParamLocation::Path) => {}
            Some(_) => cx.sink.error(
                "invalid-path",
                path.key("request").key(*name).key("location"),
                Target::Value,
                format!("`{name}` appears in the path, so its location must be `path`"),
                None,
            ),
            None => cx.sink.error(
                "unknown-field",
                here.clone(),
                Target::Value,
                format!("the path names `{{{name}}}`, which is not a request field"),
                did_you_mean(name, action.request.keys().map(String::as_str)),
            ),
        }
    }
    for (name, field) in &action.request {
        if field.location == Some(ParamLocation::Path) && !labels.iter().any(|l| l.name == name) {
            cx.sink.error(
                "invalid-path",
                path.key("request").key(name.clone()).key("location"),
                Target::Value,
                format!("`{name}` is a path parameter, but the path `{template}` has no `{{{name}}}`"),
                None,
            );
        }
    }
}

/// The rules of greedy labels: one per path, the last label, whole segments, before any `?`, a string.
fn greedy_labels(cx: &mut ServiceCx<'_, '_>, path: &JsonPath, action: &Action, in_path: &str, labels: &[Label<'_>]) {
    let here = path.key("http").key("path");
    let greedy: Vec<&Label<'_>> = labels.iter().filter(|l| l.greedy).collect();
    if greedy.len() > 1 {
        let names: Vec<String> = greedy.iter().map(|l| format!("`{{{}+}}`", l.name)).collect();
        cx.sink.error(
            "invalid-path",
            here.clone(),
            Target::Value,
            format!(
                "the path has {} greedy labels ({}): only one label may span segments, or the split between them is ambiguous",
                greedy.len(),
                names.join(", ")
            ),
            None,
        );
    }
    let Some(first) = greedy.first() else { return };
    if let Some(next) = labels.iter().skip_while(|l| !l.greedy).nth(1).filter(|l| !l.greedy) {
        cx.sink.error(
            "invalid-path",
            here.clone(),
            Target::Value,
            format!(
                "`{{{}+}}` spans segments, so it must be the path's last label, but `{{{}}}` follows it",
                first.name, next.name
            ),
            None,
        );
    }
    for label in &greedy {
        let name = label.name;
        if !label.whole_segment || !in_path.contains(&format!("{{{name}+}}")) {
            cx.sink.error(
                "invalid-path",
                here.clone(),
                Target::Value,
                format!("`{{{name}+}}` spans segments, so it fills whole ones: write it between `/`s, before any `?`"),
                None,
            );
        }
        if let Some(field) = action.request.get(name).filter(|f| f.ty != "string") {
            cx.sink.error(
                "invalid-path",
                path.key("request").key(name).key("type"),
                Target::Value,
                format!("`{{{name}+}}` spans segments, so `{name}` is a `string`, not `{}`", field.ty),
                None,
            );
        }
    }
}
