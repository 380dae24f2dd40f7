//! The documentation of a field: its description, then every rule in words. A rule the validator
//! checks is rendered from that very [`Check`], so documentation and validation cannot drift; the
//! redaction line is rendered from the resolved type, so it is there exactly when `Debug` hides the
//! value.

use crate::docs;
use crate::ir::*;
use crate::spec::{DocFormat, Field, LengthUnit};

use super::types::display;

/// The doc lines of a field.
pub(super) fn field_docs(
    wire: &str,
    field: &Field,
    ty: &RustType,
    checks: &[Check],
    usage: Usage,
    format: DocFormat,
) -> Vec<String> {
    let input = usage.input;
    let mut lines = field.description.as_deref().map(|d| docs::render(d, format)).unwrap_or_default();
    if lines.is_empty() {
        // Undocumented in the source: the wire name at least, so that every public item has docs.
        lines.push(format!("`{}` (undocumented).", docs::code(wire)));
    }
    let mut ranked: Vec<(u8, String)> = checks.iter().filter_map(describe).collect();
    // The order people read rules in, whatever order the validator checks them.
    ranked.sort_by_key(|(rank, _)| *rank);
    let mut rules: Vec<String> = ranked.into_iter().map(|(_, line)| line).collect();
    for rule in &field.constraints.unchecked {
        rules.push(format!("Not checked locally: {}.", docs::escape(rule.trim_end_matches('.'))));
    }
    if let Some(default) = &field.default {
        rules.push(format!("Default: `{}`.", docs::code(&display(default))));
    }
    let secret = holds_secret(ty);
    if let Some(example) = field.example.as_ref().filter(|_| !secret) {
        rules.push(format!("Example: `{}`.", docs::code(&docs::abbreviate(&display(example), 80))));
    }
    if secret {
        rules.push("Sensitive: shown as `***` in `Debug` output and zeroed on drop.".into());
    }
    if usage.input && usage.output && field.required {
        rules.push("Required in requests; a response may lack it.".into());
    }
    if input && field.nullable {
        rules.push("May be null.".into());
    }
    if !input && field.nullable && !matches!(ty, RustType::Json) {
        rules.push("The provider may return null.".into());
    }
    if !rules.is_empty() {
        lines.push(String::new());
        lines.extend(rules);
    }
    lines
}

/// Whether the value is a `SecretString`, or a list or map of them.
fn holds_secret(ty: &RustType) -> bool {
    match ty {
        RustType::Secret => true,
        RustType::List(inner) | RustType::Map(inner) => holds_secret(inner),
        _ => false,
    }
}

/// A check in words, with its place among the rules of a field's docs; `None` for checks that say
/// nothing beyond the field's type (a known enumeration value, a nested object's own rules).
fn describe(check: &Check) -> Option<(u8, String)> {
    Some(match check {
        Check::Length { min, max, unit } => {
            let unit = match unit {
                LengthUnit::Chars => "characters",
                LengthUnit::Bytes => "bytes",
            };
            (0, format!("Length: {}.", docs::bounds(*min, *max, unit)))
        }
        Check::Pattern { regex, description } => {
            (1, format!("Allowed: {} (`{}`).", docs::escape(description), docs::code(regex)))
        }
        Check::Base64 { min, max } => {
            let decoded = (min.is_some() || max.is_some())
                .then(|| format!(", decoding to {}", docs::bounds(*min, *max, "bytes")));
            (2, format!("Base64{}.", decoded.unwrap_or_default()))
        }
        Check::IntRange { min, max, exclusive_min, exclusive_max } => {
            (3, range(min.map(|n| n.to_string()), max.map(|n| n.to_string()), *exclusive_min, *exclusive_max))
        }
        Check::FloatRange { min, max, exclusive_min, exclusive_max } => {
            (3, range(min.map(|n| n.to_string()), max.map(|n| n.to_string()), *exclusive_min, *exclusive_max))
        }
        Check::Items { min, max } => (4, format!("Items: {}.", docs::bounds(*min, *max, "items"))),
        Check::RequiredWhen { other_wire, equals, .. } => {
            (5, format!("Required when `{}` is `{}`.", docs::code(other_wire), docs::code(&display(equals))))
        }
        Check::Known { .. } | Check::Nested => return None,
    })
}

fn range(min: Option<String>, max: Option<String>, exclusive_min: bool, exclusive_max: bool) -> String {
    let mut parts = Vec::new();
    if let Some(min) = min {
        parts.push(if exclusive_min { format!("greater than {min}") } else { format!("at least {min}") });
    }
    if let Some(max) = max {
        parts.push(if exclusive_max { format!("less than {max}") } else { format!("at most {max}") });
    }
    format!("Range: {}.", parts.join(" and "))
}
