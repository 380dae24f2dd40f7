//! The INI dialect of `~/.tencentcloud/credentials` and `~/.alibabacloud/credentials`.
//!
//! The official readers differ (Python's `configparser`, the Tencent Go SDK's own parser, Go's
//! `gopkg.in/ini.v1`); this one reads every file they agree on the same way, and settles the rest the
//! way that loses nothing a user wrote:
//!
//! - `[section]` headers; `key = value` or `key: value` (split at the first of the two, so ARNs with
//!   `:` survive after `=`); keys are case-insensitive (Python lower-cases them);
//! - whole-line comments start with `#` or `;`; an inline comment starts with whitespace and then `#`
//!   or `;` (as Go's `ini.v1`; Python cuts at any `#`, which truncates a secret containing one);
//! - surrounding quotes are removed (as `ini.v1`; the Tencent SDKs keep them, which makes a quoted key
//!   fail to sign);
//! - a duplicate section or key, a key before any section and a line that is none of these are errors
//!   naming the line (the Tencent Go parser keeps the last duplicate silently).
//!
//! Errors give the line number, never the line: it may hold a secret.

/// A parsed file: its sections in order, each with its keys in order.
#[derive(Debug, Default)]
pub(crate) struct Ini {
    sections: Vec<(String, Vec<(String, String)>)>,
}

impl Ini {
    /// Parses `text`, or says which line is wrong.
    pub(crate) fn parse(text: &str) -> Result<Ini, String> {
        let mut ini = Ini::default();
        for (index, raw) in text.lines().enumerate() {
            let number = index + 1;
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
                continue;
            }
            if let Some(rest) = line.strip_prefix('[') {
                let Some(name) = rest.strip_suffix(']').map(str::trim).filter(|n| !n.is_empty()) else {
                    return Err(format!("line {number}: a section header must be `[name]`"));
                };
                if ini.sections.iter().any(|(existing, _)| existing == name) {
                    return Err(format!("line {number}: section `[{name}]` appears twice"));
                }
                ini.sections.push((name.to_string(), Vec::new()));
                continue;
            }
            let Some(split) = line.find(['=', ':']) else {
                return Err(format!("line {number}: expected `key = value`"));
            };
            let key = line[..split].trim().to_ascii_lowercase();
            if key.is_empty() {
                return Err(format!("line {number}: a key is missing before `{}`", &line[split..=split]));
            }
            let value = unquote(strip_comment(line[split + 1..].trim()));
            let Some((section, keys)) = ini.sections.last_mut() else {
                return Err(format!("line {number}: `{key}` comes before any `[section]`"));
            };
            if keys.iter().any(|(existing, _)| *existing == key) {
                return Err(format!("line {number}: `{key}` appears twice in `[{section}]`"));
            }
            keys.push((key, value.to_string()));
        }
        Ok(ini)
    }

    /// A section's keys.
    pub(crate) fn section(&self, name: &str) -> Option<Section<'_>> {
        self.sections.iter().find(|(n, _)| n == name).map(|(_, keys)| Section { keys })
    }

    /// The sections' names, for did-you-mean messages.
    pub(crate) fn names(&self) -> Vec<&str> {
        self.sections.iter().map(|(name, _)| name.as_str()).collect()
    }
}

/// One section's keys.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Section<'a> {
    keys: &'a [(String, String)],
}

impl Section<'_> {
    /// A key's value (keys are lower-case); `None` when it is missing or empty.
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.keys.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str()).filter(|v| !v.is_empty())
    }
}

/// Cuts an inline comment: whitespace, then `#` or `;`, then anything.
fn strip_comment(value: &str) -> &str {
    let bytes = value.as_bytes();
    for i in 1..bytes.len() {
        if (bytes[i] == b'#' || bytes[i] == b';') && bytes[i - 1].is_ascii_whitespace() {
            return value[..i].trim_end();
        }
    }
    value
}

fn unquote(value: &str) -> &str {
    for quote in ['"', '\''] {
        if let Some(inner) = value.strip_prefix(quote).and_then(|v| v.strip_suffix(quote)) {
            return inner;
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_the_official_readers_agree_on_and_settles_the_rest() {
        let text = "# top\n[default]\nSECRET_ID = \"AKIDquoted\"\nsecret_key=k#1%cd ; note\ntype = access_key   # comment\n\n[client1]\nrole_arn: acs:ram::1:role/x\nrole_session_name = s:1\n";
        let ini = Ini::parse(text).unwrap();
        let default = ini.section("default").unwrap();
        assert_eq!(default.get("secret_id"), Some("AKIDquoted"));
        assert_eq!(default.get("secret_key"), Some("k#1%cd"));
        assert_eq!(default.get("type"), Some("access_key"));
        let client = ini.section("client1").unwrap();
        assert_eq!(client.get("role_arn"), Some("acs:ram::1:role/x"));
        assert_eq!(client.get("role_session_name"), Some("s:1"));
        assert!(ini.section("Default").is_none(), "section names are case-sensitive");
        assert_eq!(ini.names(), ["default", "client1"]);
    }

    #[test]
    fn errors_name_the_line_never_its_content() {
        for (text, expected) in [
            (
                "[default]\nsecret_key = s3cr3t\nsecret_key = other\n",
                "line 3: `secret_key` appears twice in `[default]`",
            ),
            ("secret_id = s3cr3t\n", "line 1: `secret_id` comes before any `[section]`"),
            ("[default]\ns3cr3t\n", "line 2: expected `key = value`"),
            ("[default\n", "line 1: a section header must be `[name]`"),
            ("[a]\n[a]\n", "line 2: section `[a]` appears twice"),
        ] {
            let error = Ini::parse(text).unwrap_err();
            assert_eq!(error, expected);
            assert!(!error.contains("s3cr3t"));
        }
    }
}
