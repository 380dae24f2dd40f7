//! Openmeta schemas (JSON-Schema-like nodes) → cloudspec type expressions, shared types and enumerations.
//! Constraints are read in `constraints`, member names decided in `members`; see the parent module for the
//! mapping decisions.

use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;
use serde_json::{Map, Value};

use super::families::{FamilyReport, NO_PROSE_ENUM};
use super::members::Notes;
use super::report::Tally;
use cloudspec::names;
use cloudspec::spec::{Deprecation, EnumValue, Field, TypeDef, TypeKind};

/// Which way a value travels: requests keep constraints and `required`, responses are all-optional.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Dir {
    Request,
    Response,
}

/// Names a generated type must not take (prelude types, the service module's own items).
const RESERVED_TYPES: &[&str] =
    &["Result", "Option", "Error", "Box", "Vec", "String", "Some", "None", "Ok", "Err", "Client", "Value"];

/// Type names are cut to this length (plus a numeric suffix) to stay far below the 128-character limit.
const MAX_TYPE_NAME: usize = 100;

/// The state of one file's mapping: its components and the types written so far.
pub(super) struct Mapper<'a> {
    /// `product/version`, for samples.
    pub(super) label: String,
    components: &'a Map<String, Value>,
    /// The spec's shared types, keyed by their (valid UpperCamelCase) names.
    pub(super) types: IndexMap<String, TypeDef>,
    /// Names taken: types, and the names generated for actions.
    taken: HashSet<String>,
    /// Components already mapped, by name, to their type expression.
    component_types: HashMap<String, String>,
    /// Components being mapped (a cycle through them becomes a reference to the named type).
    in_progress: HashSet<String>,
    pub(super) validators: Tally,
    pub(super) mapped: Tally,
    pub(super) defects: Tally,
    /// The numbered families folded, and those left flat.
    pub(super) families: FamilyReport,
    /// What the catalogue documents and the spec leaves out (the spec's `omitted`).
    pub(super) omitted: Vec<cloudspec::spec::Omitted>,
}

impl<'a> Mapper<'a> {
    pub(super) fn new(label: String, components: &'a Map<String, Value>, action_names: &[&str]) -> Self {
        let mut taken: HashSet<String> =
            RESERVED_TYPES.iter().chain(cloudspec::names::Scope::Types.reserved()).map(|s| s.to_string()).collect();
        for action in action_names {
            let camel = names::camel(action).unwrap_or_else(|_| action.to_string());
            for suffix in ["", "Request", "Response", "Error", "RequestBuilder", "ResponseBuilder"] {
                taken.insert(format!("{camel}{suffix}"));
            }
        }
        Mapper {
            label,
            components,
            types: IndexMap::new(),
            taken,
            component_types: HashMap::new(),
            in_progress: HashSet::new(),
            validators: Tally::default(),
            mapped: Tally::default(),
            defects: Tally::default(),
            families: FamilyReport::default(),
            omitted: Vec::new(),
        }
    }

    /// A component schema by name.
    pub(super) fn component(&self, name: &str) -> Option<&'a Value> {
        self.components.get(name)
    }

    fn at(&self, entry: &str) -> String {
        format!("{}: {entry}", self.label)
    }

    /// Where member naming records what it did.
    pub(super) fn naming_notes(&mut self) -> Notes<'_> {
        Notes { label: &self.label, mapped: &mut self.mapped, defects: &mut self.defects }
    }

    pub(super) fn defect(&mut self, kind: &str, entry: &str) {
        let at = self.at(entry);
        self.defects.add(kind, || at);
    }

    /// A fresh type name from a hint: UpperCamelCase, not taken, not too long.
    pub(super) fn claim_name(&mut self, hint: &str) -> String {
        let mut base = names::camel(hint).unwrap_or_else(|_| "Object".into());
        if base.len() > MAX_TYPE_NAME {
            base.truncate(MAX_TYPE_NAME);
        }
        // `camel` must give the name back unchanged, or the spec's key and its Rust name would differ.
        if names::camel(&base).ok().as_deref() != Some(base.as_str()) {
            base = format!("T{}", base.chars().filter(char::is_ascii_alphanumeric).collect::<String>());
        }
        let mut name = base.clone();
        let mut n = 2;
        while self.taken.contains(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        self.taken.insert(name.clone());
        name
    }

    /// The type expression of a schema node. `hint` names the types it creates; `entry` is its JSON path.
    pub(super) fn ty(&mut self, schema: &Value, hint: &str, entry: &str, dir: Dir) -> String {
        let Some(node) = schema.as_object() else {
            self.defect("schema-not-an-object", entry);
            return "any".into();
        };
        if let Some(reference) = node.get("$ref") {
            return self.reference(reference, entry, dir);
        }
        let declared = node.get("type").and_then(Value::as_str);
        let kind = match declared {
            Some(kind) => kind,
            None if node.contains_key("properties") => "object",
            None if node.contains_key("items") => "array",
            None => {
                self.defect("untyped-schema-as-any", entry);
                return "any".into();
            }
        };
        let enum_values = node.get("enum").and_then(Value::as_array).filter(|v| !v.is_empty());
        match kind {
            "string" => {
                if let Some(values) = enum_values {
                    let titles = node.get("enumValueTitles").and_then(Value::as_object);
                    if let Some(name) = self.enumeration(titles, values, false, hint, entry) {
                        return name;
                    }
                } else if let Some(name) = self.prose_enumeration(node, hint, entry) {
                    return name;
                }
                "string".into()
            }
            "integer" => {
                if let Some(values) = enum_values {
                    let titles = node.get("enumValueTitles").and_then(Value::as_object);
                    if let Some(name) = self.enumeration(titles, values, true, hint, entry) {
                        return name;
                    }
                }
                match node.get("format").and_then(Value::as_str) {
                    Some("int32") if dir == Dir::Request => "int32".into(),
                    Some("int32") => {
                        self.mapped.count("response-int32-widened-to-int64", 1);
                        "int64".into()
                    }
                    Some("int64") => "int64".into(),
                    _ => {
                        self.mapped.count("integer-without-format-as-int64", 1);
                        "int64".into()
                    }
                }
            }
            "number" => {
                if enum_values.is_some() {
                    self.defect("enum-on-number-kept-as-docs", entry);
                }
                "float64".into()
            }
            "boolean" => {
                if enum_values.is_some() {
                    self.mapped.count("enum-on-boolean-ignored", 1);
                }
                "bool".into()
            }
            "array" => match node.get("items") {
                Some(items) => {
                    let inner = self.ty(items, hint, &format!("{entry}.items"), dir);
                    format!("list<{inner}>")
                }
                None => {
                    self.defect("array-without-items", entry);
                    "list<any>".into()
                }
            },
            "object" => self.object(node, hint, entry, dir),
            "any" => {
                self.mapped.count("any", 1);
                "any".into()
            }
            other => {
                let kind = format!("unknown-type-as-any:{other}");
                self.defect(&kind, entry);
                "any".into()
            }
        }
    }

    fn object(&mut self, node: &Map<String, Value>, hint: &str, entry: &str, dir: Dir) -> String {
        let properties = node.get("properties").and_then(Value::as_object).filter(|p| !p.is_empty());
        if let Some(properties) = properties {
            if node.get("itemNode").and_then(Value::as_bool) == Some(true) {
                self.mapped.count("item-node-wrapper", 1);
            }
            let name = self.claim_name(hint);
            // Reserve the slot first, so that the type order follows first use.
            self.types.insert(name.clone(), object_def(None, IndexMap::new()));
            let fields = self.fields(properties, &name, &format!("{entry}.properties"), dir, required_list(node));
            let description = text(node.get("description"));
            self.types.insert(name.clone(), object_def(description, fields));
            self.mapped.count("object-type", 1);
            return name;
        }
        match node.get("additionalProperties") {
            Some(Value::Object(values)) => {
                self.mapped.count("map", 1);
                let inner =
                    self.ty(&Value::Object(values.clone()), hint, &format!("{entry}.additionalProperties"), dir);
                format!("map<{inner}>")
            }
            Some(Value::Bool(true)) => {
                self.mapped.count("map", 1);
                "map<any>".into()
            }
            _ => {
                self.defect("free-form-object-as-any", entry);
                "any".into()
            }
        }
    }

    /// A `$ref` to `#/components/schemas/X`: the component's type, or `any` when it is missing.
    fn reference(&mut self, reference: &Value, entry: &str, dir: Dir) -> String {
        let target = reference.as_str().and_then(|r| r.strip_prefix("#/components/schemas/"));
        let Some((name, schema)) = target.and_then(|t| self.components.get_key_value(t)) else {
            self.defect("dangling-ref-as-any", entry);
            return "any".into();
        };
        if let Some(ty) = self.component_types.get(name) {
            return ty.clone();
        }
        let is_object = schema.get("properties").and_then(Value::as_object).is_some_and(|p| !p.is_empty());
        if !is_object {
            if !self.in_progress.insert(name.clone()) {
                self.defect("self-referencing-non-object-component-as-any", entry);
                return "any".into();
            }
            let ty = self.ty(schema, name, &format!("components.schemas.{name}"), Dir::Response);
            self.in_progress.remove(name);
            self.component_types.insert(name.clone(), ty.clone());
            return ty;
        }
        // Objects get their name first, so that a component that refers to itself finds it.
        let type_name = self.claim_name(name);
        self.component_types.insert(name.clone(), type_name.clone());
        self.types.insert(type_name.clone(), object_def(None, IndexMap::new()));
        let node = schema.as_object().cloned().unwrap_or_default();
        let properties = node.get("properties").and_then(Value::as_object).cloned().unwrap_or_default();
        let here = format!("components.schemas.{name}");
        // Components are shared by requests and responses: they are mapped the response way (all optional,
        // int32 widened), which requests can send as well.
        let _ = dir;
        let fields = self.fields(&properties, &type_name, &format!("{here}.properties"), Dir::Response, Vec::new());
        self.types.insert(type_name.clone(), object_def(text(node.get("description")), fields));
        self.mapped.count("component-object-type", 1);
        type_name
    }

    /// The members of an object.
    pub(super) fn fields(
        &mut self,
        properties: &Map<String, Value>,
        owner: &str,
        entry: &str,
        dir: Dir,
        required: Vec<String>,
    ) -> IndexMap<String, Field> {
        let mut fields = IndexMap::new();
        let mut entries = Vec::new();
        for (wire, schema) in properties {
            let here = format!("{entry}.{wire}");
            let hint = format!("{owner}{}", names::camel(wire).unwrap_or_default());
            let mut field = self.field(schema, &hint, &here, dir);
            if dir == Dir::Request && required.contains(wire) && !field.required {
                field.required = true;
                self.validators.count("required", 1);
            }
            // `default` is for request parameters only; a member's default stays documented.
            if let Some(default) = field.default.take() {
                let note = format!("Default: `{}`.", cloudspec::check::values::display(&default));
                field.description = Some(match field.description.take() {
                    Some(text) => format!("{text}\n\n{note}"),
                    None => note,
                });
                self.mapped.count("member-default-documented", 1);
            }
            fields.insert(wire.clone(), field);
            entries.push(here);
        }
        super::members::name(&mut fields, &entries, &mut self.naming_notes());
        fields
    }

    /// A field from a schema node: type, description, constraints, example, default, deprecation.
    pub(super) fn field(&mut self, schema: &Value, hint: &str, entry: &str, dir: Dir) -> Field {
        let ty = self.ty(schema, hint, entry, dir);
        let mut field = Field::plain(crate::type_expr(&ty));
        let Some(node) = schema.as_object() else { return field };
        let mut description = text(node.get("description"));
        if let Some(format) = node.get("format").and_then(Value::as_str).filter(|_| ty == "string") {
            let note = match format {
                "iso8601" => Some("Format: ISO 8601 date and time (kept as text: documented values vary)."),
                "iso8601_normal" => Some("Format: `YYYY-MM-DD HH:MM:SS` (kept as text)."),
                "int32" | "int64" => Some("Format: an integer, as text."),
                "float" | "double" => Some("Format: a number, as text."),
                "byte" => Some("Format: base64-encoded bytes."),
                "binary" => Some("Format: binary content."),
                _ => None,
            };
            if let Some(note) = note {
                self.mapped.count("string-format-noted", 1);
                description = Some(match description {
                    Some(text) => format!("{text}\n\n{note}"),
                    None => note.to_string(),
                });
            }
        }
        field.description = description;
        if node.get("deprecated").and_then(Value::as_bool) == Some(true) {
            field.deprecated = Some(Deprecation { message: "Deprecated in the provider's metadata.".into() });
            self.validators.count("deprecated", 1);
        }
        if dir == Dir::Request {
            if node.get("required").and_then(Value::as_bool) == Some(true) {
                field.required = true;
                self.validators.count("required", 1);
            }
            field.constraints = self.constraints(node, &ty, entry);
            field.default = node.get("default").and_then(|d| Self::scalar_value(d, &ty, self.enum_base(&ty)));
        }
        field.example = node.get("example").and_then(|e| Self::scalar_value(e, &ty, self.enum_base(&ty)));
        field
    }

    /// The base of an enumeration type, when `ty` names one.
    fn enum_base(&self, ty: &str) -> Option<bool> {
        let def = self.types.get(ty).filter(|d| d.kind == TypeKind::Enum)?;
        Some(def.base.as_deref().is_some_and(|b| b.starts_with("int")))
    }

    /// An open enumeration for a text member whose description states a closed list of values and
    /// that has no `enum` key, as the Tencent importer makes them (see [`crate::prose_enums`]).
    fn prose_enumeration(&mut self, node: &Map<String, Value>, hint: &str, entry: &str) -> Option<String> {
        // A family's indices that document different lists leave no single closed list.
        if node.get(NO_PROSE_ENUM).is_some() {
            return None;
        }
        // Markdown escapes (`cloud\_essd`) are not part of the values.
        let description = node.get("description").and_then(Value::as_str)?.replace("\\_", "_");
        let extracted = crate::prose_enums::extract(&description)?;
        // The Chinese title sometimes states the values too; when the two statements disagree (`stables`
        // beside `stable`), neither is taken for a closed list.
        let title = node.get("title").and_then(Value::as_str).and_then(crate::prose_enums::extract);
        if title.is_some_and(|title| {
            let mut a: Vec<&str> = title.iter().map(|v| v.value.as_str()).collect();
            let mut b: Vec<&str> = extracted.iter().map(|v| v.value.as_str()).collect();
            a.sort_unstable();
            b.sort_unstable();
            a != b
        }) {
            self.defect("enum-prose-disagrees-with-title-kept-as-text", entry);
            return None;
        }
        let values: Vec<Value> = extracted.iter().map(|v| Value::String(v.value.clone())).collect();
        let titles: Map<String, Value> =
            extracted.into_iter().filter_map(|v| Some((v.value, Value::String(v.description?)))).collect();
        let name = self.enumeration(Some(&titles), &values, false, hint, entry)?;
        self.mapped.count("enum-from-prose", 1);
        Some(name)
    }

    /// An enumeration type for `values` (each described by its entry in `titles`, if any), or `None` (with
    /// a defect) when they do not fit the base.
    fn enumeration(
        &mut self,
        titles: Option<&Map<String, Value>>,
        values: &[Value],
        integer: bool,
        hint: &str,
        entry: &str,
    ) -> Option<String> {
        let mut out: Vec<EnumValue> = Vec::new();
        let mut variants = HashSet::new();
        for (i, raw) in values.iter().enumerate() {
            let value = if integer {
                let n = match raw {
                    Value::Number(n) => n.as_i64(),
                    Value::String(s) => s.trim().parse::<i64>().ok(),
                    _ => None,
                };
                match n {
                    Some(n) => Value::from(n),
                    None => {
                        self.defect("integer-enum-with-non-integer-member-as-plain", entry);
                        return None;
                    }
                }
            } else {
                match raw {
                    Value::String(s) => Value::String(s.clone()),
                    Value::Number(_) | Value::Bool(_) => Value::String(raw.to_string()),
                    _ => {
                        self.defect("enum-with-non-scalar-member-as-plain", entry);
                        return None;
                    }
                }
            };
            if out.iter().any(|v| v.value == value) {
                self.defect("enum-duplicate-value-dropped", entry);
                continue;
            }
            let text = cloudspec::check::values::display(&value);
            let title = titles.and_then(|t| t.get(&text)).and_then(Value::as_str).map(str::trim);
            let derived = match value.as_i64() {
                // A number's variant takes the name the catalogue gives it (`0` titled `Deleted`), if any.
                Some(_) if title.and_then(variant_from_title).is_some_and(|n| !variants.contains(&n)) => {
                    title.and_then(variant_from_title).unwrap_or_default()
                }
                Some(n) if n < 0 => format!("Minus{}", n.unsigned_abs()),
                Some(n) => format!("V{n}"),
                None => names::camel(&text).unwrap_or_default(),
            };
            let name = if derived.is_empty()
                || names::Scope::EnumVariants.is_reserved(&derived)
                || variants.contains(&derived)
            {
                format!("Value{}", i + 1)
            } else {
                derived.clone()
            };
            variants.insert(name.clone());
            let description = title.filter(|t| !t.is_empty());
            out.push(EnumValue {
                // Integer variants always need a name; string ones only when the derived one is not usable.
                name: (integer || name != derived).then_some(name),
                value,
                description: description.map(str::to_string),
            });
        }
        let name = self.claim_name(hint);
        self.types.insert(
            name.clone(),
            TypeDef {
                kind: TypeKind::Enum,
                description: None,
                fields: None,
                base: integer.then(|| "int64".to_string()),
                values: Some(out),
                rust_name: None,
                sources: Vec::new(),
            },
        );
        self.validators.count("enum", 1);
        Some(name)
    }
}

fn object_def(description: Option<String>, fields: IndexMap<String, Field>) -> TypeDef {
    TypeDef {
        kind: TypeKind::Object,
        description,
        fields: Some(fields),
        base: None,
        values: None,
        rust_name: None,
        sources: Vec::new(),
    }
}

/// The names in an object schema's `required` list (the JSON Schema form, rare in Openmeta).
fn required_list(node: &Map<String, Value>) -> Vec<String> {
    node.get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).map(str::to_string).collect())
        .unwrap_or_default()
}

/// Trimmed, non-empty text.
pub(super) fn text(value: Option<&Value>) -> Option<String> {
    value.and_then(Value::as_str).map(str::trim).filter(|t| !t.is_empty()).map(str::to_string)
}

/// The variant name a title makes (`Deleted`, `WEB` → `Web`), when it is a short name rather than prose.
fn variant_from_title(title: &str) -> Option<String> {
    let starts_with_letter = title.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
    let name_like = title.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '_' | '-'));
    if !starts_with_letter || !name_like || title.split_whitespace().count() > 4 {
        return None;
    }
    names::camel(title).ok().filter(|name| name != "Unknown")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn documented_value_lists_become_enumerations() {
        let components = Map::new();
        let mut mapper = Mapper::new("p/v".into(), &components, &["Act"]);
        let charge = json!({"type": "string", "description":
            "The billing method. Valid values:\n\n*   PrePaid: subscription\n*   PostPaid: pay-as-you-go\n\nDefault value: PostPaid."});
        let ty = mapper.ty(&charge, "ActChargeType", "x", Dir::Request);
        let values = mapper.types[&ty].values.clone().unwrap();
        let wire: Vec<&str> = values.iter().map(|v| v.value.as_str().unwrap()).collect();
        assert_eq!(wire, ["PrePaid", "PostPaid"]);
        assert_eq!(values[0].description.as_deref(), Some("subscription"));
        assert_eq!(mapper.mapped.get("enum-from-prose"), 1);
        // Values the Chinese title states otherwise stay text.
        let disputed = json!({"type": "string", "title": "可取值：\n- patch\n- stable", "description":
            "Valid values:\n\n*   patch: x.\n*   stables: y.\n"});
        assert_eq!(mapper.ty(&disputed, "ActChannel", "w", Dir::Request), "string");
        assert_eq!(mapper.defects.get("enum-prose-disagrees-with-title-kept-as-text"), 1);
        // An open list stays text.
        let open = json!({"type": "string", "description": "Valid values: a, b, etc."});
        assert_eq!(mapper.ty(&open, "ActOpen", "y", Dir::Request), "string");
        // Numbers take the names the catalogue gives them, where it gives short ones.
        let kept = json!({"type": "integer", "enum": [0, 1, 2], "enumValueTitles": {"0": "Deleted", "1": "WEB", "2": "a long sentence that describes the value"}});
        let ty = mapper.ty(&kept, "ActKept", "z", Dir::Request);
        let names: Vec<String> =
            mapper.types[&ty].values.as_ref().unwrap().iter().map(|v| v.name.clone().unwrap()).collect();
        assert_eq!(names, ["Deleted", "Web", "V2"]);
    }

    #[test]
    fn enum_variants_are_always_valid_and_distinct() {
        let components = Map::new();
        let mut mapper = Mapper::new("p/v".into(), &components, &["Act"]);
        let schema = json!({"type": "string", "enum": ["a-b", "a_b", "", "Unknown", "中文", "a-b"]});
        let ty = mapper.ty(&schema, "ActKind", "x", Dir::Request);
        let def = &mapper.types[&ty];
        let names: Vec<String> = def
            .values
            .as_ref()
            .unwrap()
            .iter()
            .map(|v| v.name.clone().unwrap_or_else(|| names::camel(v.value.as_str().unwrap()).unwrap()))
            .collect();
        assert_eq!(names, ["AB", "Value2", "Value3", "Value4", "Value5"]);
        assert_eq!(mapper.defects.get("enum-duplicate-value-dropped"), 1);
        // Names the generated code uses are never taken by a type.
        assert_ne!(mapper.claim_name("ActRequest"), "ActRequest");
        assert_ne!(mapper.claim_name("Object"), "Object");
    }
}
