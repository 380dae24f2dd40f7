//! How spec names become Rust names, and which names generated code keeps for itself.
//!
//! Everything that decides an identifier lives here: the conversion rules ([`snake`], [`camel`],
//! [`explicit_snake`], [`explicit_camel`]), the one list of names generated code adds to each scope
//! ([`Scope::reserved`]), and the small decisions made on top of a converted name (a request field named
//! like a builder method gets `_value`, an error code named like a generated variant gets `Code`).
//! [`crate::check`] applies them to every spec once and keeps the result in a table (`table`) that
//! resolution reads; the importers call the same functions to pick names that will check.

pub(crate) mod table;

/// Rust's strict and reserved keywords (2024 edition), which need `r#` to be identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn", "else", "enum",
    "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod", "move",
    "mut", "override", "priv", "pub", "ref", "return", "static", "struct", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const UNRAWABLE: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Names longer than this are refused: no real API has them, and they make unreadable code.
pub const MAX_NAME_LEN: usize = 128;

/// A namespace of generated code, with the names generated code itself puts there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The types and modules of a service version's module: shared types, the four types of each
    /// action, and the modules beside them.
    Types,
    /// The modules of a service version: one per action, beside `types`, `client` and `examples`.
    ActionModules,
    /// The methods of a service's `Client`: one per action.
    ClientMethods,
    /// The fields of a sent struct (a request, or a shared type sent in one): each is also a getter
    /// of the struct and a setter of its builder.
    InputFields,
    /// The fields of a received struct.
    OutputFields,
    /// The variants of an action's error enum: one per documented code.
    ErrorVariants,
    /// The variants of an open enumeration: one per documented value.
    EnumVariants,
}

impl Scope {
    /// The names generated code puts in this scope (or imports into it, or finds in the prelude),
    /// which no name from a spec may take.
    pub fn reserved(self) -> &'static [&'static str] {
        match self {
            Scope::Types => TYPE_NAMES,
            Scope::ActionModules => MODULE_NAMES,
            Scope::ClientMethods => &["new", "from_runtime"],
            Scope::InputFields => INPUT_METHODS,
            Scope::OutputFields => &[],
            Scope::ErrorVariants => &["Common", "Unknown"],
            // `VALUES` is the enumeration's associated constant, in the same namespace as its variants.
            Scope::EnumVariants => &["Unknown", "VALUES"],
        }
    }

    /// Whether `name` is taken by generated code in this scope.
    pub fn is_reserved(self, name: &str) -> bool {
        self.reserved().contains(&name)
    }
}

/// The type namespace of a generated service-version module: the Rust prelude, what generated files
/// import (`use cloudspec_runtime::…`, `serde`, `std`), and what every version module defines.
const TYPE_NAMES: &[&str] = &[
    // The Rust 2024 prelude: generated code names these types, traits and variants unqualified.
    "AsMut",
    "AsRef",
    "AsyncFn",
    "AsyncFnMut",
    "AsyncFnOnce",
    "Box",
    "Clone",
    "Copy",
    "Default",
    "DoubleEndedIterator",
    "Drop",
    "Eq",
    "Err",
    "ExactSizeIterator",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Future",
    "Hash",
    "Into",
    "IntoFuture",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
    "Debug",
    // What generated files import.
    "ActionMeta",
    "BTreeMap",
    "Call",
    "Config",
    "Date",
    "Decode",
    "Deserialize",
    "Deserializer",
    "EndpointsMeta",
    "Error",
    "ErrorMetadata",
    "ErrorParts",
    "Fields",
    "FloatRange",
    "IntRange",
    "LengthUnit",
    "Object",
    "OffsetDateTime",
    "ParamLocation",
    "ParamMeta",
    "ParamStyle",
    "Pattern",
    "PrimitiveDateTime",
    "Protocol",
    "RegionRule",
    "Request",
    "SecretString",
    "Serialize",
    "ServiceError",
    "ServiceMeta",
    // The slots a received struct's `Deserialize` reads its members into (a local type).
    "Slots",
    "StatusFields",
    "UnknownCode",
    "UnknownValue",
    "ValidationError",
    "Validator",
    // What the `examples` test module imports beside `use super::*` (an explicit import hides a type
    // of the same name).
    "Decoded",
    // What every version module defines or re-exports.
    "Client",
    "CommonError",
];

/// The modules of a service version other than its actions', and the crates generated code names by
/// path (a module of the same name would make those paths ambiguous).
const MODULE_NAMES: &[&str] = &[
    "client",
    "types",
    "examples",
    "example_probe",
    // `<action>.rs` beside the version's own `mod.rs`.
    "mod",
    "std",
    "core",
    "alloc",
    "serde",
    "serde_json",
    "cloudspec_runtime",
];

/// The methods of a request (and of a shared type sent in one) and of its builder, beside the
/// getters and setters named after its fields.
const INPUT_METHODS: &[&str] =
    &["builder", "to_builder", "validate", "validate_at", "build", "build_unchecked", "check"];

/// Why a name cannot become an identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameError {
    /// Too long.
    TooLong(usize),
    /// Nothing usable is left after case conversion (only punctuation, or non-ASCII).
    Empty,
    /// The result is not ASCII.
    NonAscii(String),
    /// `self`, `super`, `crate` and `Self` cannot be raw identifiers.
    Reserved(String),
    /// An explicit name does not follow Rust's case conventions for what it names.
    WrongCase {
        /// The name.
        name: String,
        /// `snake_case` or `UpperCamelCase`.
        expected: &'static str,
    },
}

impl std::fmt::Display for NameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NameError::TooLong(len) => {
                write!(f, "the name is {len} characters long; names are limited to {MAX_NAME_LEN}")
            }
            NameError::Empty => f.write_str("the name has no letters or digits to build a Rust identifier from"),
            NameError::NonAscii(name) => write!(f, "the Rust name `{name}` would not be ASCII"),
            NameError::Reserved(name) => {
                write!(f, "`{name}` is a Rust keyword that cannot be used as an identifier, not even as `r#{name}`")
            }
            NameError::WrongCase { name, expected } => {
                write!(f, "`{name}` is not {expected}, so the generated code would not be warning-free")
            }
        }
    }
}

/// Whether a Rust name needs `r#`.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// The snake_case identifier for a field, method or module (`AccessKeyId` → `access_key_id`), without
/// `r#`.
pub fn snake(wire: &str) -> Result<String, NameError> {
    thread_local! {
        static SNAKE: Memo = Memo::new(MEMO_BOUND);
    }
    SNAKE.with(|memo| {
        memo.get_or(wire, || {
            let words: Vec<String> = words(wire).iter().map(|w| w.to_lowercase()).collect();
            convert(wire, words.join("_"), "_")
        })
    })
}

/// Conversions already made on this thread: a catalogue converts the same few hundred thousand wire
/// names again and again (each field's name in import, check, and each service's every use), and
/// splitting a name into [`words`] was import's hottest spot.
type Memo = crate::memo::Memo<Result<String, NameError>>;

/// Past this many names a thread's memo starts again.
const MEMO_BOUND: usize = 1 << 20;

/// serde's `rename_all = "PascalCase"` applied to a field's Rust name (without `r#`), exactly as
/// serde_derive spells it: each `_` dropped, and the first letter and each one after a `_` in ASCII
/// upper case (`request_id` → `RequestId`, `db_node` → `DbNode`). The generator leaves a field's wire
/// name to the rule only where this gives it back; the derives apply the same conversion.
pub fn pascal_case(field: &str) -> String {
    let mut pascal = String::with_capacity(field.len());
    let mut capitalize = true;
    for c in field.chars() {
        if c == '_' {
            capitalize = true;
        } else if capitalize {
            pascal.push(c.to_ascii_uppercase());
            capitalize = false;
        } else {
            pascal.push(c);
        }
    }
    pascal
}

/// The UpperCamelCase identifier for a type or variant (`FailedOperation.AccessKeyExist` →
/// `FailedOperationAccessKeyExist`).
pub fn camel(wire: &str) -> Result<String, NameError> {
    thread_local! {
        static CAMEL: Memo = Memo::new(MEMO_BOUND);
    }
    CAMEL.with(|memo| {
        memo.get_or(wire, || {
            let words: String = words(wire).iter().map(|w| capitalized(w)).collect();
            convert(wire, words, "V")
        })
    })
}

/// Spellings that are one word however their letters' case reads: split by case they would become
/// `d_do_s` or `i_pv6`.
const MIXED_CASE_WORDS: &[&str] = &[
    "DDoS",
    "IPv4",
    "IPv6",
    "OAuth",
    "MySQL",
    "PostgreSQL",
    "NoSQL",
    "GraphQL",
    "MongoDB",
    "MariaDB",
    "TiDB",
    "CynosDB",
    "TDSQL",
    "iOS",
    "macOS",
    "gRPC",
    "eKYC",
    "WeChat",
    "SaaS",
    "PaaS",
    "IaaS",
    "QoS",
];

/// The words of a wire name, as people read them: `DescribeDBInstances` → Describe, DB, Instances;
/// `CreateDDoSAi` → Create, DDoS, Ai; `Convert3DFormat` → Convert, 3D, Format; `ListVPCs` → List, VPCs;
/// `CreateL7Rule` → Create, L7, Rule. Anything but letters and digits separates words.
pub fn words(wire: &str) -> Vec<String> {
    let mut words = Vec::new();
    for part in wire.split(|c: char| !c.is_alphanumeric()).filter(|p| !p.is_empty()) {
        let chars: Vec<char> = part.chars().collect();
        let mut i = 0;
        let mut current = String::new();
        let flush = |current: &mut String, words: &mut Vec<String>| {
            if !current.is_empty() {
                words.push(std::mem::take(current));
            }
        };
        while i < chars.len() {
            if let Some(word) = MIXED_CASE_WORDS.iter().find(|w| starts_word(&chars[i..], w)) {
                flush(&mut current, &mut words);
                words.push(word.to_string());
                i += word.chars().count();
                continue;
            }
            let c = chars[i];
            let previous = current.chars().last();
            let next = chars.get(i + 1).copied();
            let boundary = match previous {
                None => false,
                // `xY`: a new word; `1X` after a letter-and-digits word (`L7Rule`): a new word.
                Some(p) if p.is_lowercase() && c.is_uppercase() => true,
                Some(p) if p.is_ascii_digit() && c.is_uppercase() => {
                    // `3DFormat`: a digit run and one capital make a word (`3D`); after a word that has
                    // letters (`L7`), a capital starts the next word.
                    current.chars().any(char::is_alphabetic) || next.is_some_and(char::is_lowercase)
                }
                // `HTTPSListener`: the capital before a lower-case letter starts a word, except the `s`
                // of a plural acronym (`VPCs`), which ends it.
                Some(p) if p.is_uppercase() && c.is_uppercase() => {
                    next.is_some_and(|n| n.is_lowercase() && !plural_s(&chars, i + 1))
                }
                // `Convert3DFormat`: a digit run with one capital after it is a word of its own (`3D`);
                // otherwise digits stay with the letters before them (`Ec2Instance`, `Ipv6`, `L7`).
                Some(p) if p.is_alphabetic() && c.is_ascii_digit() => digit_word(&chars, i),
                _ => false,
            };
            if boundary {
                flush(&mut current, &mut words);
            }
            current.push(c);
            i += 1;
        }
        flush(&mut current, &mut words);
    }
    words
}

/// Whether the digit run at `at` and the one capital after it make a word (`3D` in `Convert3DFormat`,
/// `Get3D`), rather than ending the word before them (`Ec2Instance`, `Ec2VPC`).
fn digit_word(chars: &[char], at: usize) -> bool {
    let end = at + chars[at..].iter().take_while(|c| c.is_ascii_digit()).count();
    let capital = chars.get(end).is_some_and(|c| c.is_uppercase());
    let after = chars.get(end + 1);
    capital
        && (after.is_none()
            || after.is_some_and(|c| c.is_uppercase())
                && chars.get(end + 2).is_some_and(|c| c.is_lowercase() && !plural_s(chars, end + 2)))
}

/// Whether `chars` starts with `word` ending there (followed by nothing, a digit or a capital).
fn starts_word(chars: &[char], word: &str) -> bool {
    // Compared in place: this runs for every word of the list at every letter of every name (a
    // catalogue has millions), where collecting the word first made it the check's hottest spot.
    let mut len = 0;
    for expected in word.chars() {
        if chars.get(len) != Some(&expected) {
            return false;
        }
        len += 1;
    }
    chars.get(len).is_none_or(|c| !c.is_lowercase())
}

/// Whether the lower-case letter at `at` is the `s` that makes an acronym plural (`VPCs`, `IDs`).
fn plural_s(chars: &[char], at: usize) -> bool {
    chars[at] == 's' && chars.get(at + 1).is_none_or(|c| !c.is_lowercase())
}

/// A word with its first letter upper-case and the rest lower-case (`DB` → `Db`, `3D` → `3d`).
fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars.flat_map(char::to_lowercase)).collect(),
        None => String::new(),
    }
}

/// Checks a snake_case name given explicitly (a `rust_name` of a field or action).
pub fn explicit_snake(name: &str) -> Result<String, NameError> {
    let name = explicit(name)?;
    if !is_snake_case(&name) {
        return Err(NameError::WrongCase { name, expected: "snake_case" });
    }
    Ok(name)
}

/// Checks an UpperCamelCase name given explicitly (a `rust_name` of a type, a `name` of an enum value).
pub fn explicit_camel(name: &str) -> Result<String, NameError> {
    let name = explicit(name)?;
    if !is_camel_case(&name) {
        return Err(NameError::WrongCase { name, expected: "UpperCamelCase" });
    }
    Ok(name)
}

/// A name given explicitly: it must already be a valid identifier.
fn explicit(name: &str) -> Result<String, NameError> {
    let valid = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name != "_";
    if name.len() > MAX_NAME_LEN {
        return Err(NameError::TooLong(name.chars().count()));
    }
    if UNRAWABLE.contains(&name) {
        return Err(NameError::Reserved(name.to_string()));
    }
    if !valid {
        return Err(if name.is_ascii() { NameError::Empty } else { NameError::NonAscii(name.to_string()) });
    }
    Ok(name.to_string())
}

/// rustc's `non_snake_case` rule: no upper-case letter, no doubled underscore inside.
fn is_snake_case(name: &str) -> bool {
    let inner = name.trim_matches('_');
    !inner.contains("__") && !inner.chars().any(|c| c.is_ascii_uppercase())
}

/// rustc's `non_camel_case_types` rule: no lower-case first letter, no doubled underscore, no
/// underscore beside a letter.
fn is_camel_case(name: &str) -> bool {
    let inner = name.trim_matches('_');
    let chars: Vec<char> = inner.chars().collect();
    !chars.first().is_some_and(char::is_ascii_lowercase)
        && !inner.contains("__")
        && !chars
            .windows(2)
            .any(|w| (w[0] == '_' && w[1].is_ascii_alphabetic()) || (w[1] == '_' && w[0].is_ascii_alphabetic()))
}

fn convert(wire: &str, converted: String, digit_prefix: &str) -> Result<String, NameError> {
    let len = wire.chars().count();
    if len > MAX_NAME_LEN {
        return Err(NameError::TooLong(len));
    }
    // heck keeps letters and digits of any script and drops everything else.
    let converted = converted.trim_matches('_').to_string();
    if converted.is_empty() {
        return Err(NameError::Empty);
    }
    if !converted.is_ascii() {
        return Err(NameError::NonAscii(converted));
    }
    if UNRAWABLE.contains(&converted.as_str()) {
        return Err(NameError::Reserved(converted));
    }
    // An identifier cannot start with a digit (`5xxPv`).
    Ok(if converted.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{digit_prefix}{converted}")
    } else {
        converted
    })
}

/// The Rust name of a field: its `rust_name`, or its wire name in snake_case. A field of a sent struct
/// becomes a getter and a setter too, so one named like a generated method gets `_value`, as the AWS
/// SDK for Rust does (`build` → `build_value`).
pub fn field(wire: &str, rust_name: Option<&str>, scope: Scope) -> Result<String, NameError> {
    let mut name = match rust_name {
        Some(explicit) => explicit_snake(explicit)?,
        None => snake(wire)?,
    };
    if scope.is_reserved(&name) {
        name.push_str("_value");
    }
    Ok(name)
}

/// The Rust name of a shared type: its `rust_name`, or its wire name in UpperCamelCase.
pub fn type_name(wire: &str, rust_name: Option<&str>) -> Result<String, NameError> {
    match rust_name {
        Some(explicit) => explicit_camel(explicit),
        None => camel(wire),
    }
}

/// The variant of an error code (`FailedOperation.AccessKeyExist` → `FailedOperationAccessKeyExist`);
/// a code named like a generated variant (`Common`, `Unknown`) or like `Self` gets `Code`: codes are
/// the provider's, and a spec cannot rename them.
pub fn error_variant(code: &str) -> Result<String, NameError> {
    let mut name = match camel(code) {
        Err(NameError::Reserved(name)) => name,
        other => other?,
    };
    if Scope::ErrorVariants.is_reserved(&name) || UNRAWABLE.contains(&name.as_str()) {
        name.push_str("Code");
    }
    Ok(name)
}

/// The variant of an enumeration value: its `name`, or the value in UpperCamelCase.
pub fn enum_variant(value: &str, name: Option<&str>) -> Result<String, NameError> {
    match name {
        Some(explicit) => explicit_camel(explicit),
        None => camel(value),
    }
}

/// The module and method of an action: its `rust_name`, or its name in snake_case.
pub fn action(wire: &str, rust_name: Option<&str>) -> Result<String, NameError> {
    match rust_name {
        Some(explicit) => explicit_snake(explicit),
        None => snake(wire),
    }
}

/// The `static` holding an action's metadata in the client module (`CREATE_API_KEY`).
pub fn action_static(module: &str) -> String {
    module.to_ascii_uppercase()
}

/// The client methods of a paged action's paginators, from its method: its pages and its items
/// (`describe_instances` → `describe_instances_pages`, `describe_instances_items`).
pub fn paginators(method: &str) -> [String; 2] {
    ["pages", "items"].map(|suffix| format!("{method}_{suffix}"))
}

/// The `static` holding a paged action's paging metadata in the client module (`DESCRIBE_INSTANCES_PAGING`).
pub fn paging_static(module: &str) -> String {
    format!("{}_PAGING", action_static(module))
}

/// The four types an action generates, from its UpperCamelCase name: request, request builder,
/// response, error.
pub fn action_types(camel: &str) -> [String; 4] {
    ["Request", "RequestBuilder", "Response", "Error"].map(|suffix| format!("{camel}{suffix}"))
}

/// The builder of a sent struct.
pub fn builder(type_name: &str) -> String {
    format!("{type_name}Builder")
}

/// Whether `code` can be an error code: 1 to 128 ASCII letters, digits, `.`, `_`, `-`, `%`.
pub fn valid_error_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= MAX_NAME_LEN
        && code.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '%'))
}

/// The module of an API version: `2018-08-08` → `v20180808`, `iap_1.0` → `iap_1_0`.
pub fn version_module(version: &str) -> String {
    let mut module: String = version
        .chars()
        .filter(|c| *c != '-')
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' })
        .collect();
    if !module.starts_with(|c: char| c.is_ascii_lowercase()) {
        module.insert(0, 'v');
    }
    module
}

/// Whether `version` can be an API version: a date `YYYY-MM-DD`, as nearly every service has, or a
/// label of ASCII letters, digits, `.`, `_` and `-` that starts with a letter or digit, at most 32
/// characters (Alibaba's AliGenie `iap_1.0`, aicontent `20240611`).
pub fn valid_version(version: &str) -> bool {
    version.len() <= 32
        && version.starts_with(|c: char| c.is_ascii_alphanumeric())
        && version.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

#[cfg(test)]
mod tests;

/// The directory of a catalogue's crate for a provider's service (`tencentcloud-cvm`); its package is
/// [`catalogue_package`] of it. Every catalogue crate name is decided here.
pub fn catalogue_crate_dir(provider_module: &str, service_module: &str) -> String {
    format!("{provider_module}-{}", service_module.replace('_', "-"))
}

/// The package of the catalogue crate in directory `dir` (`cloudspec-tencentcloud-cvm`).
pub fn catalogue_package(dir: &str) -> String {
    format!("cloudspec-{dir}")
}

/// The directory of the crate holding what the parts of a split service crate share (`alibabacloud-sas`
/// → `alibabacloud-sas-shared`).
pub fn shared_crate_dir(service_dir: &str) -> String {
    format!("{service_dir}-shared")
}

/// The directory of the `n`th (from 1) part crate of a split service crate (`alibabacloud-sas-part1`).
pub fn part_crate_dir(service_dir: &str, n: usize) -> String {
    format!("{service_dir}-part{n}")
}

/// The sizes of the part crates one version of `count` actions is cut into, over `budget` actions a
/// crate: as few as the budget allows, their sizes differing by one at most (7 actions over a budget
/// of 3: 3, 2 and 2). None for a version without actions.
pub fn part_sizes(count: usize, budget: usize) -> Vec<usize> {
    let parts = count.div_ceil(budget.max(1));
    (0..parts).map(|n| count / parts + usize::from(n < count % parts)).collect()
}

/// Whether a service crate of `total` actions is split over `budget` actions a crate.
pub fn is_split(total: usize, budget: Option<usize>) -> bool {
    budget.is_some_and(|budget| total > budget.max(1))
}

/// The directories of the crates behind the service crate in `service_dir` whose versions have
/// `actions` actions each, over `budget` actions a crate (`None`: no budget): its shared crate, then
/// its parts, in the order they are published; none when it is not split. The layout splits by the
/// same rules, so `check` refuses names these would take.
pub fn crates_behind(service_dir: &str, actions: &[usize], budget: Option<usize>) -> Vec<String> {
    let Some(budget) = budget.filter(|_| is_split(actions.iter().sum(), budget)) else { return Vec::new() };
    let parts: usize = actions.iter().map(|&count| part_sizes(count, budget).len()).sum();
    std::iter::once(shared_crate_dir(service_dir)).chain((1..=parts).map(|n| part_crate_dir(service_dir, n))).collect()
}
