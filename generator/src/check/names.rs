//! Names: every Rust identifier the generated code will use, decided once with the rules of
//! [`crate::names`] and checked for collisions on those final names — within each scope, and against
//! what generated code itself puts there ([`Scope::reserved`]). The result is the names table that
//! resolution reads; a spec whose names collide gets a diagnostic here instead of a rustc error later.

use std::collections::HashMap;

use indexmap::IndexMap;

use super::cx::{ServiceCx, Sink};
use crate::diagnostics::{JsonPath, Target, abbreviate};
use crate::names::table::{ActionNames, PaginatorNames, ProviderNames, ServiceNames, TypeNames, Usage};
use crate::names::{self, NameError, Scope};
use crate::spec::{ErrorCode, Field, ProviderSpec, ServiceSpec, TypeKind};

/// A scope being filled: each name with what took it, for collision messages.
struct Taken<'s> {
    scope: Scope,
    owners: HashMap<String, String>,
    /// What the scope holds, for messages (`Rust field`, `variant`).
    what: &'s str,
    /// What takes its names, in the plural, when they are all of one kind (`values`, `error codes`):
    /// owners are then just their names.
    owners_are: Option<&'s str>,
    /// Where a diagnostic points: at the key naming the owner, or at its value.
    target: Target,
}

impl<'s> Taken<'s> {
    fn new(scope: Scope, what: &'s str) -> Self {
        Taken { scope, owners: HashMap::new(), what, owners_are: None, target: Target::Key }
    }

    /// A scope whose names are all taken by one kind of thing, named by a value (`"code": "…"`).
    fn of_values(scope: Scope, what: &'s str, owners_are: &'s str) -> Self {
        Taken { owners_are: Some(owners_are), target: Target::Value, ..Taken::new(scope, what) }
    }

    /// Takes `name` for `owner`; reports a collision with generated code or an earlier owner.
    fn take(&mut self, sink: &mut Sink<'_>, name: &str, owner: String, at: &JsonPath, hint: &str) {
        let what = self.what;
        let problem = if self.scope.is_reserved(name) {
            // `value `1``, `error code `X``: an owner named by its value alone says what it is.
            let owner = match self.owners_are {
                Some(kind) => format!("{} {owner}", kind.strip_suffix('s').unwrap_or(kind)),
                None => owner.clone(),
            };
            Some(format!("{owner} would become the {what} `{name}`, which the generated code uses itself"))
        } else {
            self.owners.get(name).map(|earlier| match self.owners_are {
                Some(kind) => format!("{kind} {earlier} and {owner} would both become the {what} `{name}`"),
                None => format!("{earlier} and {owner} would both become the {what} `{name}`"),
            })
        };
        match problem {
            Some(message) => sink.error("name-collision", at.clone(), self.target, message, Some(hint.to_string())),
            None => {
                self.owners.insert(name.to_string(), owner);
            }
        }
    }
}

/// Reports a name that cannot be an identifier, and gives a placeholder so checking goes on.
fn named(sink: &mut Sink<'_>, result: Result<String, NameError>, at: JsonPath, target: Target, hint: &str) -> String {
    result.unwrap_or_else(|error| {
        sink.error("invalid-name", at, target, error.to_string(), Some(hint.to_string()));
        String::new()
    })
}

/// The provider's module and common error variants.
pub(super) fn provider_names(spec: &ProviderSpec, sink: &mut Sink<'_>) -> ProviderNames {
    let module = named(
        sink,
        names::snake(&spec.provider.name),
        JsonPath::root().key("provider").key("name"),
        Target::Value,
        "name the provider with letters and digits",
    );
    let mut variants = Taken::of_values(Scope::ErrorVariants, "variant", "error codes");
    let common_errors =
        error_variants(sink, &spec.common_errors, &JsonPath::root().key("common_errors"), &mut variants);
    ProviderNames { module, common_errors }
}

fn error_variants(sink: &mut Sink<'_>, codes: &[ErrorCode], path: &JsonPath, taken: &mut Taken<'_>) -> Vec<String> {
    codes
        .iter()
        .enumerate()
        .map(|(i, error)| {
            // A malformed or repeated code has its own diagnostic.
            let repeated = codes[..i].iter().any(|earlier| earlier.code == error.code);
            if repeated || !names::valid_error_code(&error.code) {
                return String::new();
            }
            let at = path.index(i).key("code");
            let variant =
                named(sink, names::error_variant(&error.code), at.clone(), Target::Value, "codes need letters");
            if !variant.is_empty() {
                let owner = format!("`{}`", abbreviate(&error.code, 60));
                let hint = "codes that differ only in punctuation or case cannot both be documented for one action";
                taken.take(sink, &variant, owner, &at, hint);
            }
            variant
        })
        .collect()
}

/// Every name of a service version, or `None` when one of them is unusable (the check has reported it).
pub(super) fn service_names(cx: &mut ServiceCx<'_, '_>) -> Option<ServiceNames> {
    let before = cx.sink.errors();
    let spec = cx.spec;
    let service_module = names::snake(&spec.service.name).unwrap_or_default();
    let usage = type_usage(spec);
    let mut types_scope = Taken::new(Scope::Types, "Rust type");
    let mut types = Vec::with_capacity(spec.types.len());
    for (i, (name, def)) in spec.types.iter().enumerate() {
        let path = JsonPath::root().key("types").key(name.clone());
        let (at, target) = match def.rust_name {
            Some(_) => (path.key("rust_name"), Target::Value),
            None => (path.clone(), Target::Key),
        };
        let ident = named(
            cx.sink,
            names::type_name(name, def.rust_name.as_deref()),
            at,
            target,
            "set `rust_name` to an UpperCamelCase Rust type name",
        );
        let usage = usage[i];
        let builder =
            (def.kind == TypeKind::Object && usage.input && !ident.is_empty()).then(|| names::builder(&ident));
        let hint = format!("set `rust_name` on the type (for example \"{ident}Type\")");
        if !ident.is_empty() {
            types_scope.take(cx.sink, &ident, format!("type `{name}`"), &path, &hint);
        }
        if let Some(builder) = &builder {
            types_scope.take(cx.sink, builder, format!("the builder of type `{name}`"), &path, &hint);
        }
        let fields = match &def.fields {
            Some(fields) => {
                let scope = if usage.input { Scope::InputFields } else { Scope::OutputFields };
                field_names(cx.sink, fields, &path.key("fields"), scope)
            }
            None => Vec::new(),
        };
        let variants = match def.kind {
            TypeKind::Enum => enum_variants(cx, name, &path),
            TypeKind::Object => Vec::new(),
        };
        types.push(TypeNames { ident, usage, builder, fields, variants });
    }
    let mut modules = Taken::new(Scope::ActionModules, "module");
    let mut methods = Taken::new(Scope::ClientMethods, "client method");
    let mut statics = HashMap::new();
    let mut actions = Vec::with_capacity(spec.actions.len());
    for (name, action) in &spec.actions {
        let path = JsonPath::root().key("actions").key(name.clone());
        let (at, target) = match action.rust_name {
            Some(_) => (path.key("rust_name"), Target::Value),
            None => (path.clone(), Target::Key),
        };
        let hint = "set the action's `rust_name` (a snake_case name for its module and method)";
        let module = named(cx.sink, names::action(name, action.rust_name.as_deref()), at.clone(), target, hint);
        let owner = format!("action `{name}`");
        if !module.is_empty() {
            modules.take(cx.sink, &module, owner.clone(), &at, hint);
            methods.take(cx.sink, &module, owner.clone(), &at, hint);
        }
        let meta_static = names::action_static(&module);
        if meta_static == SERVICE_STATIC {
            cx.sink.error(
                "name-collision",
                at.clone(),
                Target::Key,
                format!(
                    "{owner} would need the name `{SERVICE_STATIC}`, which the client module keeps for the service"
                ),
                Some(hint.into()),
            );
        } else if let Some(earlier) = statics.insert(meta_static.clone(), name) {
            cx.sink.error(
                "name-collision",
                at.clone(),
                Target::Key,
                format!("actions `{earlier}` and `{name}` would both keep their metadata in `{meta_static}`"),
                Some(hint.into()),
            );
        }
        let paginators = match &action.pagination {
            Some(_) if !module.is_empty() => {
                let [pages, items] = names::paginators(&module);
                let paginator_hint = "set the action's `rust_name`: its paginators are named after its method";
                for method in [&pages, &items] {
                    methods.take(cx.sink, method, format!("a paginator of action `{name}`"), &at, paginator_hint);
                }
                let paging_static = names::paging_static(&module);
                if let Some(earlier) = statics.insert(paging_static.clone(), name) {
                    cx.sink.error(
                        "name-collision",
                        at.clone(),
                        Target::Key,
                        format!("actions `{earlier}` and `{name}` would both keep their metadata in `{paging_static}`"),
                        Some(paginator_hint.into()),
                    );
                }
                Some(PaginatorNames { pages, items, paging_static })
            }
            _ => None,
        };
        let camel = match &action.rust_name {
            Some(rust_name) => names::camel(rust_name).unwrap_or_default(),
            // Read as words like every other type name (`DescribeDBInstances` → `DescribeDbInstances`, as
            // its `DbNode` members read).
            None => names::camel(name).unwrap_or_else(|_| name.clone()),
        };
        let [request, builder, response, error] = names::action_types(&camel);
        for generated in [&request, &builder, &response, &error] {
            types_scope.take(cx.sink, generated, format!("the generated type of action `{name}`"), &at, hint);
        }
        let request_fields = field_names(cx.sink, &action.request, &path.key("request"), Scope::InputFields);
        let response_fields = match action.http.as_ref().and_then(|h| h.response_body.as_ref()) {
            Some(_) => vec!["body".to_string()],
            None => field_names(cx.sink, &action.response, &path.key("response"), Scope::OutputFields),
        };
        let mut variants = Taken::of_values(Scope::ErrorVariants, "variant", "error codes");
        let errors = error_variants(cx.sink, &action.errors, &path.key("errors"), &mut variants);
        actions.push(ActionNames {
            module,
            meta_static,
            request,
            builder,
            response,
            error,
            request_fields,
            response_fields,
            errors,
            paginators,
        });
    }
    if cx.sink.errors() > before {
        return None;
    }
    Some(ServiceNames {
        version_module: names::version_module(&spec.service.version),
        feature: format!("{}-{}", spec.provider, spec.service.name),
        service_module,
        types,
        actions,
    })
}

/// The `static` the client module keeps the service's metadata in.
const SERVICE_STATIC: &str = "SERVICE";

fn field_names(sink: &mut Sink<'_>, fields: &IndexMap<String, Field>, path: &JsonPath, scope: Scope) -> Vec<String> {
    let mut taken = Taken::new(scope, "Rust field");
    fields
        .iter()
        .map(|(wire, field)| {
            let here = path.key(wire.clone());
            let (at, target) = match field.rust_name {
                Some(_) => (here.key("rust_name"), Target::Value),
                None => (here.clone(), Target::Key),
            };
            let hint = "set \"rust_name\" to a valid snake_case identifier";
            let name = named(sink, names::field(wire, field.rust_name.as_deref(), scope), at, target, hint);
            if !name.is_empty() {
                let hint = format!("set \"rust_name\" on `{}` (for example \"{name}_2\")", abbreviate(wire, 60));
                taken.take(sink, &name, format!("`{}`", abbreviate(wire, 60)), &here, &hint);
            }
            name
        })
        .collect()
}

fn enum_variants(cx: &mut ServiceCx<'_, '_>, type_name: &str, path: &JsonPath) -> Vec<String> {
    let Some(values) = cx.spec.types.get(type_name).and_then(|d| d.values.as_deref()) else { return Vec::new() };
    let mut taken = Taken::of_values(Scope::EnumVariants, "variant", "values");
    values
        .iter()
        .enumerate()
        .map(|(i, value)| {
            // A repeated value has its own diagnostic.
            if values[..i].iter().any(|earlier| earlier.value == value.value) {
                return String::new();
            }
            let here = path.key("values").index(i);
            let text = super::values::display(&value.value);
            let result = match (&value.name, value.value.as_str()) {
                (Some(name), _) => names::enum_variant(&text, Some(name)),
                (None, Some(text)) => names::enum_variant(text, None),
                // The check of the enumeration reports an integer value without a name.
                (None, None) => return String::new(),
            };
            let (at, target) = match value.name {
                Some(_) => (here.key("name"), Target::Value),
                None => (here.key("value"), Target::Value),
            };
            let variant =
                named(cx.sink, result, at.clone(), target, "set `name` to a valid UpperCamelCase variant name");
            if !variant.is_empty() {
                taken.take(
                    cx.sink,
                    &variant,
                    format!("`{}`", abbreviate(&text, 60)),
                    &at,
                    "set `name` on the value to another variant name",
                );
            }
            variant
        })
        .collect()
}

/// Marks each `(type, sent)` of `stack` and every type its fields name, transitively.
fn propagate<'s>(spec: &'s ServiceSpec, usage: &mut [Usage], mut stack: Vec<(&'s str, bool)>) {
    while let Some((name, input)) = stack.pop() {
        let Some((index, _, def)) = spec.types.get_full(name) else { continue };
        let entry = &mut usage[index];
        let seen = if input { entry.input } else { entry.output };
        if seen {
            continue;
        }
        if input {
            entry.input = true;
        } else {
            entry.output = true;
        }
        if let Some(fields) = &def.fields {
            stack.extend(fields.values().filter_map(|f| f.ty.named()).map(|name| (name, input)));
        }
    }
}

/// Which shared types are sent, received, or both, in the order of `spec.types`.
pub(super) fn type_usage(spec: &ServiceSpec) -> Vec<Usage> {
    let mut usage = vec![Usage::default(); spec.types.len()];
    let mut stack: Vec<(&str, bool)> = Vec::new();
    for action in spec.actions.values() {
        stack.extend(action.request.values().filter_map(|f| f.ty.named()).map(|name| (name, true)));
        stack.extend(action.response.values().filter_map(|f| f.ty.named()).map(|name| (name, false)));
        let body = action.http.as_ref().and_then(|h| h.response_body.as_ref());
        stack.extend(body.and_then(|f| f.ty.named()).map(|name| (name, false)));
    }
    propagate(spec, &mut usage, stack);
    // A type no action reaches is still generated, as a received one, and so are the types its fields
    // name (they must decode with it).
    let unreached: Vec<(&str, bool)> = spec
        .types
        .keys()
        .zip(&usage)
        .filter(|(_, entry)| !entry.input && !entry.output)
        .map(|(name, _)| (name.as_str(), false))
        .collect();
    propagate(spec, &mut usage, unreached);
    usage
}
