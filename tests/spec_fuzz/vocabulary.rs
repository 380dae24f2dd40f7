//! The hostile vocabulary: names and text chosen to break a code generator (issue 15 §4). Every list
//! is a wire name as a spec would write it; the generator turns it into Rust identifiers, and these
//! are the ones most likely to collide with Rust's keywords, the prelude, or what the generator
//! itself emits.

use super::rng::Rng;

/// Rust's strict keywords that can be raw identifiers, in the case a wire name would carry them.
#[rustfmt::skip]
pub const STRICT_KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "else", "enum", "extern", "false", "fn", "for", "if", "impl", "in", "let",
    "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static", "struct", "trait", "true", "type",
    "unsafe", "use", "where", "while", "async", "await", "dyn",
];

/// Names no identifier can carry, not even raw: `check` must refuse them (or `rust_name` them).
pub const UNRAWABLE: &[&str] = &["self", "Self", "super", "crate", "_", "__", "Self_", "self."];

/// Reserved keywords (2024 edition) and weak ones, which are identifiers in some places only.
#[rustfmt::skip]
pub const RESERVED_KEYWORDS: &[&str] = &[
    "abstract", "become", "box", "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual",
    "yield", "try", "gen", "union", "macro_rules", "'static", "raw", "safe", "auto", "default", "r#type",
];

/// What the generator emits: methods of requests, builders, errors, enums and clients; the names its
/// modules import; the locals and parameters of generated bodies.
#[rustfmt::skip]
pub const GENERATED_NAMES: &[&str] = &[
    // Methods and associated items.
    "builder", "to_builder", "validate", "validate_at", "build", "build_unchecked", "check", "new", "from_runtime",
    "code", "message", "request_id", "is_retryable", "is_throttling", "parts", "into_parts", "classify",
    "from_metadata", "as_str", "as_i64", "is_known", "VALUES", "deserialize", "serialize", "fmt", "from", "into",
    "clone", "eq", "hash", "default", "config", "send", "call",
    // Imported types and traits.
    "Client", "CommonError", "Request", "Config", "Error", "SecretString", "Validator", "Pattern", "Object",
    "Serialize", "Deserialize", "Deserializer", "Decode", "ValidationError", "Violation", "ErrorMetadata", "ErrorParts",
    "ServiceError", "ActionMeta", "ServiceMeta", "EndpointsMeta", "RegionRule", "StatusFields", "ParamMeta",
    "ParamLocation", "ParamStyle", "Protocol", "LengthUnit", "IntRange", "FloatRange", "OffsetDateTime",
    "PrimitiveDateTime", "Date", "BTreeMap", "Future", "Call", "Decoded", "decode", "join", "Credentials", "Endpoint",
    "Outcome", "RateLimit", "RetryPolicy", "Timeouts", "TransportCause", "UndecodableResponse",
    "IncompleteResponse", "Incompleteness", "SERVICE", "Service", "Unknown", "Common",
    // Locals and parameters of generated bodies.
    "v", "path", "field", "value", "key", "i", "object", "deserializer", "metadata", "common", "other", "f", "D",
    "de", "body", "response", "request", "client", "error", "result",
];

/// The prelude, `std` and friends.
#[rustfmt::skip]
pub const PRELUDE_NAMES: &[&str] = &[
    "Option", "Result", "Some", "None", "Ok", "Err", "Vec", "String", "Box", "From", "Into", "TryFrom", "TryInto",
    "Default", "Clone", "Copy", "Debug", "Display", "Send", "Sync", "Sized", "Drop", "Fn", "FnMut", "FnOnce",
    "Iterator", "IntoIterator", "Extend", "ToString", "ToOwned", "AsRef", "AsMut", "PartialEq", "Eq", "PartialOrd",
    "Ord", "Hash", "Unpin", "std", "core", "alloc", "serde", "serde_json", "cloudspec_runtime", "str", "bool",
    "char", "u8", "i32", "i64", "u64", "f64", "usize",
];

/// Groups of names that become the same identifier after case or underscore changes, or after a
/// suffix the generator adds.
#[rustfmt::skip]
pub const LOOKALIKES: &[&[&str]] = &[
    &["SubDomain", "Subdomain", "Sub_Domain", "subDomain", "SUB_DOMAIN", "sub-domain", "Sub.Domain"],
    &["Build", "BuildValue", "build_value", "Build_Value"], &["Validate", "ValidateValue", "validate_value"],
    &["Check", "CheckValue", "check_value"], &["Builder", "BuilderValue", "builder_value"],
    &["ToBuilder", "ToBuilderValue", "to_builder_value"], &["BuildUnchecked", "BuildUncheckedValue"],
    &["Type", "TypeValue", "r#type", "type_"], &["Self", "SelfValue", "self_value"],
    &["HttpURI", "HttpUri", "HTTPUri", "http_uri"], &["V", "v", "V_"],
    &["Request", "RequestValue", "request_value"], &["Id", "ID", "id", "I_D"],
];

/// Names that start with a digit.
pub const DIGITS_FIRST: &[&str] = &["5xxPv", "1st", "2FA", "3D", "0", "9Lives", "_1", "1_", "404NotFound"];

/// Names that are not ASCII, or that change length or meaning under case mapping.
#[rustfmt::skip]
pub const NON_ASCII: &[&str] = &[
    "名称", "Ключ", "Émoji🔑", "ünïcode", "İstanbul", "straße", "ﬁle", "Ωhm", "Ａｂｃ", "A\u{200d}B", "e\u{301}", "ǅ",
];

/// Punctuation and other shapes that are not names at all.
#[rustfmt::skip]
pub const PUNCTUATION: &[&str] = &[
    "a.b", "a-b", "a b", "$ref", "@type", "a::b", "#[cfg]", "*/", "\"", "\\", "", " ", "..", "a/b", "x-acs-token",
    "TaskOption.HttpURI", "a\u{0}b", "Tab\there",
];

/// Action names that are valid UpperCamelCase but collide with modules, statics or types the
/// generator emits, or with crates and keywords once snake-cased.
#[rustfmt::skip]
pub const ACTION_NAMES: &[&str] = &[
    "Self", "Crate", "Super", "Client", "Types", "Mod", "New", "Service", "Common", "Examples", "Into", "TryInto",
    "Std", "Core", "Alloc", "Serde", "SerdeJson", "CloudspecRuntime", "Builder", "Default", "Error", "Request",
    "Response", "Config", "Match", "Type", "Async", "Gen", "Try", "Dyn", "Union", "Box", "Result", "Option",
    "Decode", "Validate", "Build", "Check", "Unknown", "Meta", "Static", "Loop", "Fn", "Impl", "Where",
    "ExampleProbe", "Main", "Test", "Tests", "Super2", "CommonError", "Validation", "ErrorParts",
];

/// Error codes: some collide with the variants every error enum has, some collide with each other once
/// converted.
#[rustfmt::skip]
pub const ERROR_CODES: &[&str] = &[
    "Common", "Unknown", "CommonCode", "UnknownCode", "Common.Code", "Unknown.Code", "InternalError",
    "Internal.Error", "Internal_Error", "internal-error", "INTERNAL_ERROR", "Self", "self", "Type", "Ok", "Err",
    "2FA.Failed", "名称", "Failed.Operation-Mixed_case", "FailedOperation", "Failed.Operation", "A", "a", "_",
    "ResourceNotFound.Instance", "ResourceNotFoundInstance",
];

/// Type names that collide with imports, the prelude, or with what the generator derives from other
/// names (`<Type>Builder`, `<Action>Request`).
#[rustfmt::skip]
pub const TYPE_NAMES: &[&str] = &[
    "Client", "Result", "Option", "Box", "Vec", "String", "Error", "Request", "Config", "CommonError", "Object",
    "Validator", "Pattern", "SecretString", "Serialize", "Deserialize", "Deserializer", "Decode", "Default", "From",
    "Into",
    "Unknown", "Types", "Examples", "Some", "None", "Ok", "Err", "Future", "BTreeMap", "Protocol", "Violation",
    "ValidationError", "ServiceMeta", "ActionMeta", "Decoded", "Debug", "Clone", "Send", "Sync", "Iterator", "Copy",
    "Hash", "Eq", "PartialEq", "Display", "Formatter", "Date", "OffsetDateTime", "Call",
];

/// Explicit `rust_name`s that are identifiers but hostile ones.
#[rustfmt::skip]
pub const RUST_NAMES: &[&str] = &[
    "Some", "None", "Ok", "Err", "type", "build", "validate", "check", "builder", "to_builder", "validate_at",
    "new", "v", "path", "__", "x_1", "Upper", "ALLCAPS", "String", "std", "build_value", "Unknown", "Common",
    "VALUES",
];

/// Explicit `rust_name`s `check` must refuse.
pub const REFUSED_RUST_NAMES: &[&str] = &["Self", "self", "super", "crate", "_", "r#type", "unicodé", "1abc", ""];

/// An explicit `rust_name`: mostly one `check` accepts.
pub fn rust_name(rng: &mut Rng) -> &'static str {
    if rng.percent(15) { rng.word(REFUSED_RUST_NAMES) } else { rng.word(RUST_NAMES) }
}

/// Unicode bidirectional controls (U+202A–U+202E, U+2066–U+2069).
pub const BIDI: &[char] =
    &['\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}'];

/// Text for descriptions, titles and examples that must survive doc comments and string literals.
#[rustfmt::skip]
pub const HOSTILE_TEXT: &[&str] = &[
    "*/ /* unclosed", "\"quoted\"", "back\\slash \\u0000", "```\nfn main() {}\n```",
    "```rust\nassert!(false);\n```", "#![deny(warnings)]", "#[doc = \"x\"]", "\r\nCRLF\r\n", "\u{0}nul",
    "\u{feff}bom", "`tick", "[link]", "[`Missing`]", "<script>alert(1)</script>", "{region}", "%s %n", "\t\ttabs",
    "    indented code block", "ü名🔑", "\u{85}next line", "\u{2028}line sep", "# Heading", "1. list\n2. list",
    "* bullet\nlazy continuation", "\\", "'", "r#\"raw\"#", "}}}{{{", "<T>", "&amp;", "http://example.com/a_b_",
    "--", "",
];

/// Ordinary names, so most of a generated spec is plausible and a failure points at its hostile part.
#[rustfmt::skip]
pub const PLAIN_NAMES: &[&str] = &[
    "Name", "InstanceId", "Tags", "Limit", "Offset", "Description", "Status", "CreatedTime", "Region", "ZoneId",
    "AccessKeyId", "Enabled", "Count", "Size", "Items", "Labels", "Owner", "Mode", "Kind", "Filters",
];

/// A field or member name: mostly plain, otherwise from one of the hostile groups.
pub fn field_name(rng: &mut Rng, hostility: u32) -> String {
    if !rng.percent(hostility) {
        return rng.pick(PLAIN_NAMES).to_string();
    }
    // Names `check` must refuse (non-ASCII, punctuation, too long) are rarer than names it must
    // accept and the generator must get right.
    let group = match rng.below(20) {
        0..=2 => STRICT_KEYWORDS,
        3..=4 => RESERVED_KEYWORDS,
        5..=9 => GENERATED_NAMES,
        10..=12 => PRELUDE_NAMES,
        13..=15 => *rng.pick(LOOKALIKES),
        16 => DIGITS_FIRST,
        17 => *rng.pick(&[NON_ASCII, UNRAWABLE]),
        18 => PUNCTUATION,
        _ => return long_name(rng),
    };
    rng.pick(group).to_string()
}

/// A type name: mostly plain UpperCamelCase, otherwise a hostile one.
pub fn type_name(rng: &mut Rng, hostility: u32) -> String {
    if !rng.percent(hostility) {
        return format!("{}{}", rng.pick(PLAIN_NAMES), rng.pick(&["Info", "Spec", "Item", "Set", "Detail"]));
    }
    match rng.below(6) {
        0..=2 => rng.pick(TYPE_NAMES).to_string(),
        3 => rng.pick(ACTION_NAMES).to_string(),
        4 => upper_camel(rng.word(GENERATED_NAMES)),
        _ => {
            let group = *rng.pick(LOOKALIKES);
            rng.pick(group).to_string()
        }
    }
}

/// An action name: UpperCamelCase ASCII (what `check` accepts), hostile with probability `hostility`.
pub fn action_name(rng: &mut Rng, hostility: u32) -> String {
    if rng.percent(hostility) {
        return rng.pick(ACTION_NAMES).to_string();
    }
    let verb = rng.pick(&["Create", "Describe", "Delete", "Modify", "List", "Reset", "Update", "Get"]);
    let noun = rng.pick(&["Widget", "ApiKey", "Instance", "Zone", "Secret", "Policy", "Gateway"]);
    format!("{verb}{noun}")
}

/// An error code.
pub fn error_code(rng: &mut Rng, hostility: u32) -> String {
    if rng.percent(hostility) {
        return rng.pick(ERROR_CODES).to_string();
    }
    let class = rng.pick(&["FailedOperation", "InvalidParameter", "LimitExceeded", "ResourceNotFound"]);
    let detail = rng.pick(&["Widget", "Quota", "Name", "Busy", "Format"]);
    format!("{class}.{detail}")
}

/// Description text, sometimes with hostile text, and with a bidirectional control when `bidi`.
pub fn text(rng: &mut Rng, hostility: u32, bidi: bool) -> String {
    let mut text = String::from(*rng.pick(&["The value.", "A field.", "Sets the thing.", "Returned on success."]));
    if rng.percent(hostility) {
        text.push(' ');
        text.push_str(rng.word(HOSTILE_TEXT));
    }
    if bidi && rng.percent(30) {
        let at = rng.below(text.chars().count() + 1);
        let mut chars: Vec<char> = text.chars().collect();
        chars.insert(at, *rng.pick(BIDI));
        text = chars.into_iter().collect();
    }
    text
}

/// A name of 100–1000 characters, around the generator's 128-character limit.
pub fn long_name(rng: &mut Rng) -> String {
    let len = *rng.pick(&[127usize, 128, 129, 200, 1000]);
    let mut name = String::from("Very");
    while name.len() < len {
        name.push_str(rng.word(&["Long", "Name", "Part", "X"]));
    }
    name.truncate(len);
    name
}

/// `to_builder` → `ToBuilder`, for names the generator emits in snake case.
pub fn upper_camel(name: &str) -> String {
    name.split('_')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map(|c| c.to_uppercase().chain(chars).collect::<String>()).unwrap_or_default()
        })
        .collect()
}
