//! Checks of a provider spec.

use std::collections::HashSet;

use super::cx::Sink;
use crate::diagnostics::{Diagnostic, JsonPath, Target};
use crate::load::Loaded;
use crate::names::table::ProviderNames;
use crate::spec::{ErrorCode, ProviderSpec};

/// Checks a provider spec; returns its names when it has no error.
pub(super) fn check(
    dir_name: &str,
    provider: &Loaded<ProviderSpec>,
    out: &mut Vec<Diagnostic>,
) -> Option<ProviderNames> {
    let spec = &provider.spec;
    let mut sink = Sink::new(&provider.file, out);
    if spec.provider.name != dir_name {
        sink.error(
            "name-mismatch",
            JsonPath::root().key("provider").key("name"),
            Target::Value,
            format!("the provider is named `{}` but its directory is `{dir_name}`", spec.provider.name),
            Some("the directory name is the provider's name in module paths; make them equal".into()),
        );
    }
    check_error_codes(&mut sink, &spec.common_errors, &JsonPath::root().key("common_errors"));
    for (key, pattern) in [
        ("default", &spec.endpoints.default),
        ("international", &spec.endpoints.international),
        ("regional", &spec.endpoints.regional),
    ] {
        if let Some(pattern) = pattern {
            check_host(&mut sink, pattern, &["{service}", "{region}"], JsonPath::root().key("endpoints").key(key));
        }
    }
    let names = super::names::provider_names(spec, &mut sink);
    (sink.errors() == 0).then_some(names)
}

/// Checks a list of error codes: syntax and duplicates (their variants are checked with the other names).
pub(super) fn check_error_codes(sink: &mut Sink<'_>, codes: &[ErrorCode], path: &JsonPath) {
    let mut seen = HashSet::new();
    for (i, error) in codes.iter().enumerate() {
        let here = path.index(i).key("code");
        if !crate::names::valid_error_code(&error.code) {
            sink.error(
                "invalid-error-code",
                here.clone(),
                Target::Value,
                format!(
                    "`{}` is not an error code: codes are 1 to {} ASCII letters, digits, `.`, `_`, `-`",
                    crate::diagnostics::abbreviate(&error.code, 60),
                    crate::names::MAX_NAME_LEN
                ),
                None,
            );
            continue;
        }
        if !seen.insert(error.code.as_str()) {
            sink.error(
                "duplicate-error-code",
                here,
                Target::Value,
                format!("error code `{}` is listed twice", error.code),
                None,
            );
            continue;
        }
        if error.throttling && !error.retryable {
            sink.error(
                "inconsistent-error",
                path.index(i).key("retryable"),
                Target::Value,
                format!("`{}` is marked as throttling but not retryable", error.code),
                Some("throttling errors are always worth retrying after a pause".into()),
            );
        }
    }
}

/// Checks a host or host pattern: lowercase DNS labels, only the allowed placeholders.
pub(super) fn check_host(sink: &mut Sink<'_>, host: &str, placeholders: &[&str], path: JsonPath) {
    let mut rest = host.to_string();
    for placeholder in placeholders {
        rest = rest.replace(placeholder, "x");
    }
    let valid = !rest.is_empty()
        && rest.len() <= 253
        && rest.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        });
    if !valid {
        let allowed = if placeholders.is_empty() {
            String::new()
        } else {
            format!(", with the placeholders {}", placeholders.join(" and "))
        };
        sink.error(
            "invalid-host",
            path,
            Target::Value,
            format!("`{}` is not a host name", crate::diagnostics::abbreviate(host, 80)),
            Some(format!("write a host such as `apigateway.tencentcloudapi.com` (no scheme, no path){allowed}")),
        );
    }
}
