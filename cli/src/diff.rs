//! `cloudspec diff`: what changed between two spec trees, classified by its effect on the generated
//! Rust API and on the wire, with a semver recommendation.
//!
//! Breaking: a removed service, action, parameter, field, type, enum value or error code; a new
//! required parameter; a parameter made required; a changed type; a field whose Rust type changes
//! (`T` ↔ `Option<T>`); a narrowed request constraint. Compatible: additions and widened
//! constraints. Patch: documentation and metadata.

use std::collections::BTreeMap;
use std::fmt;

use indexmap::IndexMap;

use cloudspec::load::SpecSet;
use cloudspec::spec::{Constraints, Field, ServiceSpec, TypeDef};

/// How a change affects users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Impact {
    /// Documentation, metadata: a patch release.
    Patch,
    /// An addition: a minor release.
    Compatible,
    /// Code or requests that worked may stop working: a major release.
    Breaking,
}

/// One classified change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The service version it belongs to (`tencentcloud/apigateway/2018-08-08`).
    pub service: String,
    /// Its effect.
    pub impact: Impact,
    /// The rule (`removed-action`, `narrowed-constraint`, …).
    pub rule: &'static str,
    /// Where: `tencentcloud/apigateway/2018-08-08 CreateApiKey request.AccessKeyId`.
    pub location: String,
    /// What happened.
    pub message: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let impact = match self.impact {
            Impact::Breaking => "breaking",
            Impact::Compatible => "compatible",
            Impact::Patch => "patch",
        };
        write!(f, "{impact:<10} {:<24} {}: {}", self.rule, self.location, self.message)
    }
}

/// The release a set of changes calls for: `major`, `minor`, `patch`, or `none`.
pub fn recommendation(changes: &[Change]) -> &'static str {
    match changes.iter().map(|c| c.impact).max() {
        Some(Impact::Breaking) => "major",
        Some(Impact::Compatible) => "minor",
        Some(Impact::Patch) => "patch",
        None => "none",
    }
}

struct Diff {
    /// The service version being compared.
    service: String,
    changes: Vec<Change>,
}

impl Diff {
    fn push(&mut self, impact: Impact, rule: &'static str, location: impl Into<String>, message: impl Into<String>) {
        let service = self.service.clone();
        self.changes.push(Change { service, impact, rule, location: location.into(), message: message.into() });
    }
}

fn service_id(spec: &ServiceSpec) -> String {
    format!("{}/{}/{}", spec.provider, spec.service.name, spec.service.version)
}

/// Compares two loaded spec trees.
pub fn diff(old: &SpecSet, new: &SpecSet) -> Vec<Change> {
    let index = |set: &SpecSet| -> BTreeMap<String, ServiceSpec> {
        set.services.iter().map(|s| (service_id(&s.spec), s.spec.clone())).collect()
    };
    let (old, new) = (index(old), index(new));
    let mut d = Diff { service: String::new(), changes: Vec::new() };
    for (id, old_spec) in &old {
        d.service = id.clone();
        match new.get(id) {
            None => d.push(Impact::Breaking, "removed-service", id.clone(), "the service version was removed"),
            Some(new_spec) => service(&mut d, id, old_spec, new_spec),
        }
    }
    for id in new.keys().filter(|id| !old.contains_key(*id)) {
        d.service = id.clone();
        d.push(Impact::Compatible, "added-service", id.clone(), "a service version was added");
    }
    d.changes
}

fn service(d: &mut Diff, id: &str, old: &ServiceSpec, new: &ServiceSpec) {
    for (name, old_action) in &old.actions {
        let at = format!("{id} {name}");
        let Some(new_action) = new.actions.get(name) else {
            d.push(Impact::Breaking, "removed-action", at, "the action was removed");
            continue;
        };
        fields(d, &format!("{at} request"), &old_action.request, &new_action.request, true);
        fields(d, &format!("{at} response"), &old_action.response, &new_action.response, false);
        for error in &old_action.errors {
            if !new_action.errors.iter().any(|e| e.code == error.code) {
                d.push(
                    Impact::Breaking,
                    "removed-error-code",
                    at.clone(),
                    format!("error code `{}` was removed (its variant disappears)", error.code),
                );
            }
        }
        for error in &new_action.errors {
            if !old_action.errors.iter().any(|e| e.code == error.code) {
                d.push(
                    Impact::Compatible,
                    "added-error-code",
                    at.clone(),
                    format!("error code `{}` was added", error.code),
                );
            }
        }
        if old_action.idempotent != new_action.idempotent
            || old_action.rate_limit.as_ref().map(|r| r.requests_per_second)
                != new_action.rate_limit.as_ref().map(|r| r.requests_per_second)
            || old_action.summary != new_action.summary
            || old_action.description != new_action.description
        {
            d.push(Impact::Patch, "changed-metadata", at, "documentation, idempotency or rate limit changed");
        }
    }
    for name in new.actions.keys().filter(|n| !old.actions.contains_key(*n)) {
        d.push(Impact::Compatible, "added-action", format!("{id} {name}"), "an action was added");
    }
    for (name, old_type) in &old.types {
        let at = format!("{id} types.{name}");
        match new.types.get(name) {
            None => d.push(Impact::Breaking, "removed-type", at, "the type was removed"),
            Some(new_type) => type_def(d, &at, old_type, new_type),
        }
    }
    for name in new.types.keys().filter(|n| !old.types.contains_key(*n)) {
        d.push(Impact::Compatible, "added-type", format!("{id} types.{name}"), "a type was added");
    }
}

fn type_def(d: &mut Diff, at: &str, old: &TypeDef, new: &TypeDef) {
    if old.kind != new.kind || old.base != new.base {
        d.push(Impact::Breaking, "changed-type", at, "the type's kind or base changed");
        return;
    }
    if let (Some(old_fields), Some(new_fields)) = (&old.fields, &new.fields) {
        // A shared object may travel both ways: judge it as a request would be (the stricter side).
        fields(d, at, old_fields, new_fields, true);
    }
    let values = |def: &TypeDef| def.values.iter().flatten().map(|v| v.value.to_string()).collect::<Vec<_>>();
    let (old_values, new_values) = (values(old), values(new));
    for value in old_values.iter().filter(|v| !new_values.contains(v)) {
        d.push(
            Impact::Breaking,
            "removed-enum-value",
            at,
            format!("value {value} was removed (its variant disappears)"),
        );
    }
    for value in new_values.iter().filter(|v| !old_values.contains(v)) {
        d.push(Impact::Compatible, "added-enum-value", at, format!("value {value} was added"));
    }
}

fn fields(d: &mut Diff, at: &str, old: &IndexMap<String, Field>, new: &IndexMap<String, Field>, request: bool) {
    for (name, old_field) in old {
        let here = format!("{at}.{name}");
        let Some(new_field) = new.get(name) else {
            let what = if request { "parameter" } else { "field" };
            d.push(
                Impact::Breaking,
                if request { "removed-parameter" } else { "removed-field" },
                here,
                format!("the {what} was removed"),
            );
            continue;
        };
        if old_field.ty != new_field.ty || old_field.format != new_field.format {
            d.push(
                Impact::Breaking,
                "changed-type",
                here.clone(),
                format!("type `{}` became `{}`", old_field.ty, new_field.ty),
            );
        }
        if old_field.sensitive != new_field.sensitive {
            d.push(Impact::Breaking, "changed-type", here.clone(), "sensitivity changed (String ↔ SecretString)");
        }
        if request {
            if !old_field.required && new_field.required {
                d.push(Impact::Breaking, "optional-to-required", here.clone(), "the parameter became required");
            } else if old_field.required && !new_field.required {
                d.push(
                    Impact::Breaking,
                    "required-to-optional",
                    here.clone(),
                    "the parameter became optional (its getter now returns an Option)",
                );
            }
            if old_field.required_when.is_none() && new_field.required_when.is_some() {
                d.push(Impact::Breaking, "narrowed-constraint", here.clone(), "a conditional requirement was added");
            }
            constraints(d, &here, &old_field.constraints, &new_field.constraints);
        } else {
            let optional = |f: &Field| !f.required || f.nullable;
            if optional(old_field) != optional(new_field) {
                d.push(
                    Impact::Breaking,
                    "changed-optionality",
                    here.clone(),
                    "the field's Rust type changes between T and Option<T>",
                );
            }
        }
        if old_field.description != new_field.description || old_field.example != new_field.example {
            d.push(Impact::Patch, "changed-docs", here, "documentation changed");
        }
    }
    for (name, field) in new.iter().filter(|(n, _)| !old.contains_key(*n)) {
        let here = format!("{at}.{name}");
        if request && field.required {
            d.push(Impact::Breaking, "new-required-parameter", here, "a required parameter was added");
        } else {
            d.push(
                Impact::Compatible,
                if request { "added-parameter" } else { "added-field" },
                here,
                "an optional member was added",
            );
        }
    }
}

/// Whether `new` admits less than `old` (`None` is unbounded).
fn narrower_min(old: Option<f64>, new: Option<f64>) -> Option<bool> {
    match (old, new) {
        (None, Some(_)) => Some(true),
        (Some(_), None) => Some(false),
        (Some(a), Some(b)) if a != b => Some(b > a),
        _ => None,
    }
}

fn narrower_max(old: Option<f64>, new: Option<f64>) -> Option<bool> {
    match (old, new) {
        (None, Some(_)) => Some(true),
        (Some(_), None) => Some(false),
        (Some(a), Some(b)) if a != b => Some(b < a),
        _ => None,
    }
}

fn constraints(d: &mut Diff, at: &str, old: &Constraints, new: &Constraints) {
    let f = |n: Option<u64>| n.map(|n| n as f64);
    let g = |n: &Option<serde_json::Number>| n.as_ref().and_then(serde_json::Number::as_f64);
    let mut bounds: Vec<(&str, Option<bool>)> = Vec::new();
    let pair = |old: Option<(Option<f64>, Option<f64>)>, new: Option<(Option<f64>, Option<f64>)>| {
        let (o, n) = (old.unwrap_or((None, None)), new.unwrap_or((None, None)));
        [narrower_min(o.0, n.0), narrower_max(o.1, n.1)]
    };
    for (name, verdicts) in [
        (
            "length",
            pair(old.length.as_ref().map(|l| (f(l.min), f(l.max))), new.length.as_ref().map(|l| (f(l.min), f(l.max)))),
        ),
        (
            "range",
            pair(
                old.range.as_ref().map(|r| (g(&r.min), g(&r.max))),
                new.range.as_ref().map(|r| (g(&r.min), g(&r.max))),
            ),
        ),
        (
            "items",
            pair(old.items.as_ref().map(|r| (f(r.min), f(r.max))), new.items.as_ref().map(|r| (f(r.min), f(r.max)))),
        ),
        (
            "decoded length",
            pair(
                old.encoding.as_ref().and_then(|e| e.decoded_length.as_ref()).map(|r| (f(r.min), f(r.max))),
                new.encoding.as_ref().and_then(|e| e.decoded_length.as_ref()).map(|r| (f(r.min), f(r.max))),
            ),
        ),
    ] {
        for verdict in verdicts {
            bounds.push((name, verdict));
        }
    }
    for (name, verdict) in bounds {
        match verdict {
            Some(true) => d.push(Impact::Breaking, "narrowed-constraint", at, format!("the {name} bound was narrowed")),
            Some(false) => {
                d.push(Impact::Compatible, "widened-constraint", at, format!("the {name} bound was widened"))
            }
            None => {}
        }
    }
    match (&old.pattern, &new.pattern) {
        (None, Some(_)) => d.push(Impact::Breaking, "narrowed-constraint", at, "a pattern was added"),
        (Some(a), Some(b)) if a.regex != b.regex => {
            d.push(Impact::Breaking, "narrowed-constraint", at, "the pattern changed")
        }
        (Some(_), None) => d.push(Impact::Compatible, "widened-constraint", at, "the pattern was removed"),
        _ => {}
    }
    if old.encoding.is_none() && new.encoding.is_some() {
        d.push(Impact::Breaking, "narrowed-constraint", at, "an encoding rule was added");
    }
}
