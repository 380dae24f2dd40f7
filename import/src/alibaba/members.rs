//! The Rust names of one object's members (or one action's parameters), decided with the generator's own
//! rules (`cloudspec::names`) so that the names the importer writes are the names the generator takes.
//!
//! Keywords stay (the emitter writes `r#type`); names that are not identifiers as written
//! (`TaskOption.HttpURI`, `x-acs-…`, `5xxPv`) get an explicit `rust_name`; names that collide after
//! snake_case, or differ from another only in case, get a numeric suffix — except deprecated duplicates:
//! where the catalogue keeps a deprecated spelling beside the current one (ecs `Tag.N.key` beside
//! `Tag.N.Key`, "We recommend that you use Tag.N.Key"), the current member always takes the natural name
//! (`key`), whatever the order of the data, and the deprecated one takes `key_deprecated` and is marked
//! deprecated, so that its setter carries `#[deprecated]` and `.key("env")` never sends it.

use std::collections::HashSet;
use std::sync::LazyLock;

use indexmap::IndexMap;
use regex::Regex;

use super::report::Tally;
use cloudspec::names::{self, Scope};
use cloudspec::spec::{Deprecation, Field};

/// Prose that deprecates a member on its own.
static DEPRECATED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\bdeprecated\b|will be (?:removed|discontinued)|no longer (?:supported|used|maintained)|\bobsolete\b",
    )
    .expect("a valid regex")
});

/// Prose that points readers elsewhere.
static RECOMMENDS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\brecommend|\binstead\b|\breplaced by\b").expect("a valid regex"));

/// Where naming records what it did: the spec's label (`product/version`, for samples) and the report's
/// tallies of what was mapped and of the catalogue's defects.
pub(super) struct Notes<'a> {
    pub(super) label: &'a str,
    pub(super) mapped: &'a mut Tally,
    pub(super) defects: &'a mut Tally,
}

impl Notes<'_> {
    fn note(&mut self, kind: &str, entry: &str) {
        let label = self.label;
        self.mapped.add(kind, || format!("{label}: {entry}"));
    }

    fn defect(&mut self, kind: &str, entry: &str) {
        let label = self.label;
        self.defects.add(kind, || format!("{label}: {entry}"));
    }
}

/// Names `fields` (whose JSON paths are `entries`, in the same order), setting `rust_name` where the
/// generator's default would not do, and marking deprecated duplicates.
pub(super) fn name(fields: &mut IndexMap<String, Field>, entries: &[String], mapper: &mut Notes<'_>) {
    let superseded = deprecated_duplicates(fields);
    let mut names = FieldNames::default();
    // Current members first, so that they take the natural names; then the deprecated ones.
    for pass in [false, true] {
        for (i, (wire, field)) in fields.iter_mut().enumerate() {
            let Some(replacement) = superseded.iter().find(|(w, _)| w == wire).map(|(_, r)| r) else {
                if !pass {
                    field.rust_name = names.rust_name(wire, None, mapper, &entries[i]);
                }
                continue;
            };
            if !pass {
                continue;
            }
            let base = format!("{}_deprecated", names::snake(replacement).unwrap_or_else(|_| "field".into()));
            field.rust_name = names.rust_name(wire, Some(&base), mapper, &entries[i]);
            if field.deprecated.is_none() {
                field.deprecated = Some(Deprecation { message: format!("Use `{replacement}` instead.") });
            }
            let at = format!("{}: {} ({wire} beside {replacement})", mapper.label, entries[i]);
            mapper.mapped.add("deprecated-duplicate-renamed", || at);
        }
    }
}

/// The members that differ from a sibling only in case and are deprecated in its favour, each with that
/// sibling's wire name.
fn deprecated_duplicates(fields: &IndexMap<String, Field>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (wire, field) in fields {
        let lower = wire.to_ascii_lowercase();
        let siblings: Vec<&String> = fields.keys().filter(|w| *w != wire && w.to_ascii_lowercase() == lower).collect();
        if siblings.is_empty() || !superseded(field, &siblings) {
            continue;
        }
        // The current spelling is a sibling that is not itself deprecated.
        let current = siblings.into_iter().find(|s| !superseded(&fields[s.as_str()], &[wire]));
        if let Some(current) = current {
            out.push((wire.clone(), current.clone()));
        }
    }
    out
}

/// Whether `field` says it is deprecated, or recommends one of `siblings` (by its exact spelling, as
/// `Tag.N.Key`, `` `Key` `` or "the Key parameter").
fn superseded(field: &Field, siblings: &[&String]) -> bool {
    if field.deprecated.is_some() {
        return true;
    }
    let Some(text) = field.description.as_deref() else { return false };
    if DEPRECATED.is_match(text) {
        return true;
    }
    RECOMMENDS.is_match(text)
        && siblings.iter().any(|sibling| {
            let quoted = format!("`{sibling}`");
            let dotted = Regex::new(&format!(r"\.{}\b", regex::escape(sibling))).expect("an escaped regex");
            let named = format!("the {sibling} parameter");
            text.contains(&quoted) || dotted.is_match(text) || text.contains(&named)
        })
}

/// Names taken in one object so far, as the generator will spell them in both field scopes (a sent struct
/// reserves a few names for its own methods, `build` → `build_value`), and by lower-case wire name.
#[derive(Default)]
struct FieldNames {
    taken: HashSet<String>,
    lower: HashSet<String>,
}

impl FieldNames {
    /// The `rust_name` of `wire` (`None` when the generator's default is the name), from `preferred` when
    /// given.
    fn rust_name(
        &mut self,
        wire: &str,
        preferred: Option<&str>,
        mapper: &mut Notes<'_>,
        entry: &str,
    ) -> Option<String> {
        let (snake, mut explicit) = match preferred {
            Some(name) => (name.to_string(), true),
            None => match names::snake(wire) {
                Ok(snake) => {
                    let plain = wire.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                        && wire.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                    if !plain {
                        mapper.note("renamed-field", entry);
                    }
                    (snake, !plain)
                }
                Err(names::NameError::Reserved(name)) => {
                    mapper.note("renamed-field", entry);
                    (format!("{name}_"), true)
                }
                Err(_) => {
                    mapper.defect("field-without-usable-name-renamed", entry);
                    ("field".to_string(), true)
                }
            },
        };
        let lower = wire.to_ascii_lowercase();
        let mut name = snake.clone();
        if self.collides(&name) || (preferred.is_none() && self.lower.contains(&lower)) {
            mapper.note("name-collision-disambiguated", entry);
            let mut n = 2;
            while self.collides(&format!("{snake}_{n}")) {
                n += 1;
            }
            name = format!("{snake}_{n}");
            explicit = true;
        }
        for scope in [Scope::InputFields, Scope::OutputFields] {
            self.taken.insert(names::field(wire, Some(&name), scope).unwrap_or_else(|_| name.clone()));
        }
        self.lower.insert(lower);
        explicit.then_some(name)
    }

    fn collides(&self, name: &str) -> bool {
        [Scope::InputFields, Scope::OutputFields]
            .into_iter()
            .any(|scope| names::field(name, Some(name), scope).is_ok_and(|n| self.taken.contains(&n)))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Map;

    use super::super::schema::Mapper;
    use super::*;

    fn field(description: &str) -> Field {
        let mut field = Field::plain(crate::type_expr("string"));
        field.description = Some(description.to_string());
        field
    }

    fn named(members: &[(&str, Field)]) -> (IndexMap<String, Field>, Mapper<'static>) {
        static COMPONENTS: LazyLock<Map<String, serde_json::Value>> = LazyLock::new(Map::new);
        let mut mapper = Mapper::new("ecs/v".into(), &COMPONENTS, &["Act"]);
        let mut fields: IndexMap<String, Field> = members.iter().cloned().map(|(w, f)| (w.to_string(), f)).collect();
        let entries: Vec<String> = fields.keys().map(|w| format!("x.{w}")).collect();
        name(&mut fields, &entries, &mut mapper.naming_notes());
        (fields, mapper)
    }

    fn rust(fields: &IndexMap<String, Field>, wire: &str) -> String {
        let field = &fields[wire];
        names::field(wire, field.rust_name.as_deref(), Scope::InputFields).unwrap()
    }

    #[test]
    fn the_current_member_takes_the_natural_name_whatever_the_order() {
        let old = "The key of the tag.\n\n> We recommend that you use Tag.N.Key to ensure future compatibility.";
        for order in [[0, 1], [1, 0]] {
            let members = [("key", field(old)), ("Key", field("The key of tag N."))];
            let (fields, mapper) = named(&[members[order[0]].clone(), members[order[1]].clone()]);
            assert_eq!(rust(&fields, "Key"), "key");
            assert_eq!(rust(&fields, "key"), "key_deprecated");
            assert!(fields["Key"].deprecated.is_none());
            assert_eq!(fields["key"].deprecated.as_ref().unwrap().message, "Use `Key` instead.");
            assert_eq!(mapper.mapped.get("deprecated-duplicate-renamed"), 1);
        }
    }

    #[test]
    fn a_deprecation_flag_or_prose_also_decides() {
        let mut flagged = field("The time.");
        flagged.deprecated = Some(Deprecation { message: "Deprecated in the provider's metadata.".into() });
        let (fields, _) = named(&[("TimeStamp", flagged), ("Timestamp", field("The time."))]);
        assert_eq!(rust(&fields, "Timestamp"), "timestamp");
        assert_eq!(rust(&fields, "TimeStamp"), "timestamp_deprecated");
        let (fields, _) = named(&[
            ("value", field("The value. This parameter will be removed in the future.")),
            ("Value", field("V")),
        ]);
        assert_eq!(rust(&fields, "Value"), "value");
        assert_eq!(rust(&fields, "value"), "value_deprecated");
    }

    #[test]
    fn duplicates_neither_deprecated_keep_a_numeric_suffix_in_order() {
        let (fields, mapper) = named(&[("Paths", field("A")), ("paths", field("B"))]);
        assert_eq!(rust(&fields, "Paths"), "paths");
        assert_eq!(rust(&fields, "paths"), "paths_2");
        assert!(fields["paths"].deprecated.is_none());
        assert_eq!(mapper.mapped.get("name-collision-disambiguated"), 1);
    }

    #[test]
    fn names_the_generator_changes_are_seen_as_it_spells_them() {
        // `Build` becomes `build_value` in a sent struct: `BuildValue` must not take that name too.
        let (fields, _) = named(&[("Build", field("")), ("BuildValue", field(""))]);
        assert_eq!(rust(&fields, "Build"), "build_value");
        assert_eq!(rust(&fields, "BuildValue"), "build_value_2");
    }
}
