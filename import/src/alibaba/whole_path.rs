//! ROA paths with a `*` segment (cloudcontrol's `/api/v1/providers/{provider}/products/{product}/resources/*`):
//! the caller gives the whole path in one `in: path` parameter the template does not name (`requestPath`),
//! and the official SDK sends it as the request path. Such an action becomes `/{requestPath+}` (a greedy
//! label), its parameter required and constrained to the documented shape; any other `*` path is left
//! out with the reason.

use indexmap::IndexMap;

use super::schema::Mapper;
use cloudspec::spec::{Field, ParamLocation, Pattern};

/// One path segment, not empty and neither `.` nor `..` (the runtime refuses those: they would move the
/// request elsewhere).
const SEGMENT: &str = r"(?:[^/.][^/]*|\.[^/.][^/]*|\.\.[^/]+)";

/// Whether the path parameter `wire` may carry the whole of `path`: the path has a `*` segment and does not
/// name `wire`.
pub(super) fn may_carry(path: &str, wire: &str) -> bool {
    path.split('/').any(|s| s.contains('*')) && !named(path, wire)
}

fn named(path: &str, wire: &str) -> bool {
    path.contains(&format!("{{{wire}}}")) || path.contains(&format!("[{wire}]"))
}

/// When `path` has a `*` segment: the greedy template that replaces it (`/{requestPath+}`), after making
/// the parameter that carries the path required and giving it the documented shape as a pattern.
/// `Ok(None)` when the path has no `*`; `Err` (the JSON path and the reason: the action is omitted) when no
/// single parameter can carry the path.
pub(super) fn whole_path(
    mapper: &mut Mapper<'_>,
    path: &str,
    request: &mut IndexMap<String, Field>,
    entry: &str,
) -> Result<Option<String>, (String, String)> {
    let segments: Vec<&str> = path.split('/').collect();
    if !segments.iter().any(|s| s.contains('*')) {
        return Ok(None);
    }
    let fail = |reason: String| Err((format!("{entry}.path"), reason));
    if let Some(odd) = segments.iter().find(|s| s.contains('*') && **s != "*") {
        return fail(format!(
            "the path `{path}` has `*` inside the segment `{odd}`; only a whole `*` segment is read as \"the rest of the path\""
        ));
    }
    if path.contains('?') {
        return fail(format!("the path `{path}` has both a `*` segment and a fixed query"));
    }
    let path_params: Vec<&String> =
        request.iter().filter(|(_, f)| f.location == Some(ParamLocation::Path)).map(|(w, _)| w).collect();
    let (unnamed, named): (Vec<&String>, Vec<&String>) = path_params.into_iter().partition(|w| !named(path, w));
    let carrier = match (unnamed.as_slice(), named.as_slice()) {
        ([one], []) => (*one).clone(),
        ([], _) => {
            return fail(format!(
                "the path `{path}` ends in `*` (the caller gives the whole path), but no `in: path` parameter outside \
                 the template carries it"
            ));
        }
        ([_], named) => {
            let named: Vec<String> = named.iter().map(|w| format!("`{w}`")).collect();
            return fail(format!(
                "the path `{path}` ends in `*`, carried whole by one parameter, but it also names the path parameters \
                 {}, which a whole path would leave out",
                named.join(", ")
            ));
        }
        (several, _) => {
            let several: Vec<String> = several.iter().map(|w| format!("`{w}`")).collect();
            return fail(format!(
                "the path `{path}` ends in `*`, and {} path parameters could carry it ({}): which one does is not said",
                several.len(),
                several.join(", ")
            ));
        }
    };
    let Some(field) = request.get_mut(&carrier) else { return Ok(None) };
    if field.ty != "string" {
        return fail(format!(
            "`{carrier}` would carry the whole path `{path}`, but it is a `{}`, not a string",
            field.ty
        ));
    }
    if !field.required {
        field.required = true;
        mapper.validators.count("required", 1);
    }
    if field.constraints.pattern.is_none() {
        field.constraints.pattern = Some(shape(path));
        mapper.validators.count("pattern", 1);
    }
    mapper.mapped.count("star-path-whole-path-parameter", 1);
    Ok(Some(format!("/{{{carrier}+}}")))
}

/// The documented template as a pattern: a literal segment as it is, `{name}` one segment, `*` one or more
/// segments; the leading `/` may be left out (the runtime adds it).
fn shape(template: &str) -> Pattern {
    let mut regex = String::from("^/?");
    for (i, segment) in template.trim_start_matches('/').split('/').enumerate() {
        if i > 0 {
            regex.push('/');
        }
        if segment == "*" {
            regex.push_str(&format!("{SEGMENT}(?:/{SEGMENT})*"));
        } else if segment.starts_with('{') && segment.ends_with('}') {
            regex.push_str(SEGMENT);
        } else {
            regex.push_str(&regex::escape(segment));
        }
    }
    regex.push('$');
    Pattern {
        regex,
        description: format!(
            "a path of the form `{template}`: each `{{…}}` one segment, `*` one or more, no empty, `.` or `..` \
             segment (the leading `/` may be left out)"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_template_becomes_a_pattern() {
        let pattern = shape("/api/v1/providers/{provider}/products/{product}/resources/*");
        let regex = regex::Regex::new(&pattern.regex).unwrap();
        for good in [
            "/api/v1/providers/Aliyun/products/Redis/resources/DBInstance",
            "api/v1/providers/Aliyun/products/Redis/resources/DBInstance/r-8vbf5abe31c/Account",
            "/api/v1/providers/Aliyun/products/Redis/resources/.hidden/a..b/...",
        ] {
            assert!(regex.is_match(good), "{good}");
        }
        for bad in [
            "/api/v1/providers/Aliyun/products/Redis/resources",
            "/api/v1/providers/Aliyun/products/Redis/resources/",
            "/api/v1/providers/Aliyun/products/Redis/resources/a//b",
            "/api/v1/providers/Aliyun/products/Redis/resources/../../../tasks/t-1",
            "/api/v1/providers/Aliyun/products/Redis/resources/a/.",
            "/api/v1/providers//products/Redis/resources/x",
            "/api/v2/providers/Aliyun/products/Redis/resources/x",
            "//api/v1/providers/Aliyun/products/Redis/resources/x",
        ] {
            assert!(!regex.is_match(bad), "{bad}");
        }
        assert!(pattern.description.contains("`/api/v1/providers/{provider}/products/{product}/resources/*`"));
        // Literal segments are escaped.
        assert!(regex::Regex::new(&shape("/a.b/*").regex).unwrap().is_match("/a.b/c"));
        assert!(!regex::Regex::new(&shape("/a.b/*").regex).unwrap().is_match("/aXb/c"));
    }
}
