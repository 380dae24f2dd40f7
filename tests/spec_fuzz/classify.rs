//! Failure classes: each failure of a spec is reduced to a short key (a panic's location, a compile
//! error's code and message with the names taken out), so thousands of failing specs become a short
//! list of distinct bugs, each with its count, its most frequent generated constructs and its smallest
//! examples.

use std::collections::BTreeMap;
use std::io;
use std::path::Path;

use super::compile::Issue;
use super::examine::Failure;
use super::secrets::Leak;
use super::tree::Case;

/// One failure of one spec.
#[derive(Debug, Clone)]
pub struct Finding {
    /// The class key.
    pub class: String,
    /// The generated construct it points at, with names taken out (empty when not a compile issue).
    pub construct: String,
    /// Everything known about it, for the kept report.
    pub detail: String,
}

/// The findings of a failure before compilation.
pub fn of_failure(failure: &Failure) -> Finding {
    let (class, detail) = match failure {
        Failure::Panic { stage, message, location } => (
            format!("panic in {} at {}", stage.name(), strip_home(location)),
            format!("panic in {}: {message}\n  at {location}", stage.name()),
        ),
        Failure::Hang { stage } => {
            (format!("hang in {}", stage.name()), format!("no answer within the limit in {}", stage.name()))
        }
        Failure::Unlocated { codes } => (
            format!("rejected without a located diagnostic: {}", codes.join(", ")),
            format!("every error lacks a file position: {}", codes.join(", ")),
        ),
        Failure::LoadError(message) => (format!("load error: {}", without_names(message)), message.clone()),
        Failure::GenerateError(message) => (format!("generate error: {}", without_names(message)), message.clone()),
    };
    Finding { class, construct: String::new(), detail }
}

/// The finding of a sensitive field the generated code would show.
pub fn of_leak(leak: &Leak) -> Finding {
    Finding {
        class: "secret shown by Debug: a sensitive field of a type other than string becomes a plain type".into(),
        construct: format!("`{}` → {}", leak.spec_type, leak.rust_type),
        detail: format!("{}: `{}` is sensitive, but its Rust type is {}", leak.place, leak.spec_type, leak.rust_type),
    }
}

/// The findings of a compile issue.
pub fn of_issue(issue: &Issue) -> Finding {
    let code = if issue.code.is_empty() { "-" } else { issue.code.as_str() };
    Finding {
        class: format!("{} {code}: {}", issue.level, without_names(&issue.message)),
        construct: shape(&issue.construct),
        detail: issue.rendered.clone(),
    }
}

/// A panic location relative to the repository or registry, so one bug has one key everywhere.
fn strip_home(location: &str) -> String {
    location.rsplit_once("/generator/").map_or_else(|| location.to_string(), |(_, rest)| format!("generator/{rest}"))
}

/// The message with every `quoted` part and number replaced, so the same bug on different names is one
/// class.
pub fn without_names(message: &str) -> String {
    let mut out = String::new();
    let mut quoted = false;
    for part in message.split('`') {
        if quoted {
            out.push_str("`…`");
        } else {
            let mut digits = false;
            for c in part.chars() {
                if c.is_ascii_digit() {
                    if !digits {
                        out.push('N');
                    }
                    digits = true;
                } else {
                    digits = false;
                    out.push(c);
                }
            }
        }
        quoted = !quoted;
    }
    out.chars().take(160).collect()
}

/// Words a construct keeps: keywords and the generator's own vocabulary; every other identifier
/// becomes `x`, every literal `"…"`.
const KEPT: &[&str] = &[
    "pub",
    "fn",
    "let",
    "mut",
    "self",
    "Self",
    "impl",
    "for",
    "struct",
    "enum",
    "use",
    "mod",
    "crate",
    "super",
    "match",
    "if",
    "else",
    "return",
    "Some",
    "None",
    "Ok",
    "Err",
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Into",
    "From",
    "impl",
    "const",
    "static",
    "type",
    "where",
    "as",
    "in",
    "ref",
    "derive",
    "serde",
    "doc",
    "deprecated",
    "v",
    "path",
    "Validator",
    "ValidationError",
    "SecretString",
    "Object",
    "Deserialize",
    "Serialize",
    "Deserializer",
    "Decode",
    "CommonError",
    "Unknown",
    "Common",
    "builder",
    "to_builder",
    "build",
    "build_unchecked",
    "validate",
    "validate_at",
    "check",
    "required",
    "required_when",
    "join",
    "std",
    "core",
    "cloudspec_runtime",
    "Request",
    "Config",
    "Error",
    "Client",
    "VALUES",
    "as_str",
    "is_known",
    "new",
    "Future",
    "ActionMeta",
    "ServiceMeta",
];

/// The construct with names and literals taken out: `pub fn x(mut self, x: impl Into<String>) -> Self {`.
pub fn shape(construct: &str) -> String {
    let mut out = String::new();
    let mut chars = construct.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '"' {
            while let Some(d) = chars.next() {
                if d == '\\' {
                    chars.next();
                } else if d == '"' {
                    break;
                }
            }
            out.push_str("\"…\"");
        } else if c.is_alphanumeric() || c == '_' || c == '#' {
            let mut word = String::from(c);
            while let Some(&d) = chars.peek() {
                if d.is_alphanumeric() || d == '_' {
                    word.push(d);
                    chars.next();
                } else {
                    break;
                }
            }
            let bare = word.trim_start_matches("r#");
            if KEPT.contains(&word.as_str()) || word.starts_with('#') && !word.starts_with("r#") {
                out.push_str(&word);
            } else if word.starts_with("r#") && KEPT.contains(&bare) {
                out.push_str("r#x");
            } else if word.chars().all(|c| c.is_ascii_digit()) {
                out.push('N');
            } else {
                out.push('x');
            }
        } else {
            out.push(c);
        }
    }
    out.chars().take(120).collect()
}

/// Every class seen, with the specs that hit it.
#[derive(Debug, Default)]
pub struct Classes {
    /// By class key.
    pub classes: BTreeMap<String, Class>,
}

/// One class of failure.
#[derive(Debug, Default)]
pub struct Class {
    /// How many specs hit it.
    pub specs: usize,
    /// Its constructs, with how many specs showed each.
    pub constructs: BTreeMap<String, usize>,
    /// The smallest examples: the case, its details and its generated code.
    pub examples: Vec<(Case, String, Option<String>)>,
}

/// How many examples each class keeps.
const KEPT_EXAMPLES: usize = 3;

impl Classes {
    /// Records the findings of one spec (each class counted once per spec).
    pub fn record(&mut self, case: &Case, findings: &[Finding], code: Option<&str>) {
        let mut by_class: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
        for finding in findings {
            by_class.entry(&finding.class).or_default().push(finding);
        }
        for (key, findings) in by_class {
            let class = self.classes.entry(key.to_string()).or_default();
            class.specs += 1;
            let mut constructs: Vec<&str> =
                findings.iter().map(|f| f.construct.as_str()).filter(|c| !c.is_empty()).collect();
            constructs.sort();
            constructs.dedup();
            for construct in constructs {
                *class.constructs.entry(construct.to_string()).or_default() += 1;
            }
            let detail: Vec<&str> = findings.iter().map(|f| f.detail.as_str()).collect();
            class.examples.push((case.clone(), detail.join("\n"), code.map(str::to_string)));
            class.examples.sort_by_key(|(case, _, _)| case.tree.len());
            class.examples.truncate(KEPT_EXAMPLES);
        }
    }

    /// How many specs failed in any way, given the set of failing labels is not kept: the caller counts.
    pub fn summary(&self) -> String {
        let mut lines = Vec::new();
        let mut classes: Vec<(&String, &Class)> = self.classes.iter().collect();
        classes.sort_by(|a, b| b.1.specs.cmp(&a.1.specs).then(a.0.cmp(b.0)));
        for (key, class) in classes {
            lines.push(format!("{:>6}  {key}", class.specs));
            let mut constructs: Vec<(&String, &usize)> = class.constructs.iter().collect();
            constructs.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            for (construct, count) in constructs.into_iter().take(4) {
                lines.push(format!("          {count:>5} × {construct}"));
            }
            if let Some((case, _, _)) = class.examples.first() {
                lines.push(format!("          smallest: {} ({} bytes)", case.label, case.tree.len()));
            }
        }
        lines.join("\n")
    }

    /// Writes each class's examples under `dir/<class>/<n>/`: the spec tree, `failure.txt` and the
    /// generated code.
    pub fn keep(&self, dir: &Path) -> io::Result<()> {
        for (key, class) in &self.classes {
            let class_dir = dir.join(slug(key));
            for (i, (case, detail, code)) in class.examples.iter().enumerate() {
                let example = class_dir.join(i.to_string());
                let _ = std::fs::remove_dir_all(&example);
                case.tree.write_to(&example.join("specs"))?;
                std::fs::write(example.join("failure.txt"), format!("{}\n{key}\n\n{detail}\n", case.label))?;
                if let Some(code) = code {
                    std::fs::write(example.join("generated.rs"), code)?;
                }
            }
        }
        Ok(())
    }
}

/// A directory name for a class key: lowercase ASCII words joined by `-`, at most 80 characters.
pub fn slug(key: &str) -> String {
    let mut out = String::new();
    for c in key.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').chars().take(80).collect::<String>().trim_end_matches('-').to_string()
}
