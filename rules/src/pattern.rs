//! [`Pattern`]: a regular expression compiled on first use, declared in a `static`.

use std::sync::OnceLock;

use regex::Regex;

/// A pattern from a spec. cloudspec compiles every pattern while generating code, so compiling it here
/// cannot fail for generated code; a hand-written invalid pattern matches nothing.
#[derive(Debug)]
pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<Option<Regex>>,
}

impl Pattern {
    /// Declares a pattern; nothing is compiled until it is first used.
    pub const fn new(source: &'static str) -> Self {
        Pattern { source, compiled: OnceLock::new() }
    }

    /// The expression as written in the spec.
    pub fn as_str(&self) -> &'static str {
        self.source
    }

    /// Whether `value` matches.
    pub fn is_match(&self, value: &str) -> bool {
        self.compiled.get_or_init(|| Regex::new(self.source).ok()).as_ref().is_some_and(|regex| regex.is_match(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static WORD: Pattern = Pattern::new("^[A-Za-z0-9_]+$");
    static BROKEN: Pattern = Pattern::new("(unclosed");

    #[test]
    fn matches_lazily() {
        assert!(WORD.is_match("abc_1"));
        assert!(!WORD.is_match("abc-1"));
        assert!(!BROKEN.is_match("(unclosed"));
    }
}
