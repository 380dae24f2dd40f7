//! Alibaba Cloud ROA: routing a request to its action by method and path, and reading its parameters
//! from where the spec says they travel (path, query, headers, a JSON or form body).

use percent_encoding::percent_decode_str;
use serde_json::{Map, Value};

use cloudspec::spec::{Action, HttpMethod, ParamLocation};

use crate::served::Served;
use crate::wire::{Malformed, Wire, flattened, parse_json_styles};

/// A request routed to a ROA action.
pub(crate) struct Route<'a> {
    pub(crate) served: &'a Served,
    pub(crate) action: &'a str,
    /// Path parameters, percent-decoded.
    pub(crate) path_params: Vec<(String, String)>,
}

fn method_name(method: HttpMethod) -> &'static str {
    match method {
        HttpMethod::Get => "GET",
        HttpMethod::Post => "POST",
        HttpMethod::Put => "PUT",
        HttpMethod::Patch => "PATCH",
        HttpMethod::Delete => "DELETE",
        HttpMethod::Head => "HEAD",
    }
}

/// Matches a path template (`/clusters/{ClusterId}/nodepools`, optionally with a fixed query after `?`)
/// against a received path and query. Returns how specific the match is (literal segments count most,
/// then a template without a greedy label) and the path parameters, percent-decoded per segment.
///
/// A greedy label (`/{requestPath+}`) takes one or more whole segments, as many as the template's other
/// segments leave; its value is them, each decoded, joined by `/`.
pub(crate) fn match_template(
    template: &str,
    path: &str,
    query: &[(String, String)],
) -> Option<(usize, Vec<(String, String)>)> {
    let (template_path, fixed_query) = template.split_once('?').unwrap_or((template, ""));
    // A fixed query (`/clusters/{Id}?action=upgrade`) must be present as written.
    for pair in fixed_query.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        if !query.iter().any(|(k, v)| k == name && (value.is_empty() || v == value)) {
            return None;
        }
    }
    let wanted: Vec<&str> = template_path.split('/').collect();
    let got: Vec<&str> = path.split('/').collect();
    let greedy = wanted.iter().position(|w| w.starts_with('{') && w.ends_with("+}"));
    let spans = match greedy {
        // The greedy label takes what the other segments leave: at least one.
        Some(_) if got.len() >= wanted.len() => got.len() - wanted.len() + 1,
        None if got.len() == wanted.len() => 1,
        _ => return None,
    };
    let mut literal = 0;
    let mut params = Vec::new();
    let mut at = 0;
    for (i, want) in wanted.iter().enumerate() {
        if greedy == Some(i) {
            let mut value = Vec::with_capacity(spans);
            for raw in &got[at..at + spans] {
                let decoded = percent_decode_str(raw).decode_utf8().ok()?;
                if decoded.is_empty() {
                    return None;
                }
                value.push(decoded);
            }
            params.push((want[1..want.len() - 2].to_string(), value.join("/")));
            at += spans;
            continue;
        }
        let decoded = percent_decode_str(got[at]).decode_utf8().ok()?;
        at += 1;
        match (want.find('{'), want.rfind('}')) {
            (Some(open), Some(close)) if open < close => {
                let (prefix, name, suffix) = (&want[..open], &want[open + 1..close], &want[close + 1..]);
                let value = decoded.strip_prefix(prefix)?.strip_suffix(suffix)?;
                if value.is_empty() {
                    return None;
                }
                params.push((name.to_string(), value.to_string()));
            }
            _ => {
                if *want != decoded {
                    return None;
                }
                literal += usize::from(!want.is_empty());
            }
        }
    }
    Some((literal * 2 + usize::from(greedy.is_none()), params))
}

/// Whether `action` accepts `method` (an action that names no method accepts any).
fn accepts(action: &Action, method: &str) -> bool {
    action
        .http
        .as_ref()
        .is_none_or(|http| http.methods.is_empty() || http.methods.iter().any(|m| method_name(*m) == method))
}

/// What routing found.
pub(crate) enum Routed<'a> {
    /// One action.
    Found(Route<'a>),
    /// The path is a ROA action's, but not with this method.
    WrongMethod,
    /// No ROA action has this path.
    None,
}

/// Finds the ROA action of `method` and path, among the services of `version` (any version when the
/// request names none). The most specific template wins; `hint` (the `x-acs-action` header) breaks ties.
pub(crate) fn route<'a>(services: &'a [Served], wire: &Wire, version: Option<&str>, hint: Option<&str>) -> Routed<'a> {
    let mut best: Option<(usize, bool, Route<'a>)> = None;
    let mut path_matched = false;
    for served in services.iter().filter(|s| s.is_roa() && version.is_none_or(|v| s.spec.service.version == v)) {
        for (name, action) in &served.spec.actions {
            let Some(template) = action.http.as_ref().and_then(|h| h.path.as_deref()) else { continue };
            let Some((literal, path_params)) = match_template(template, &wire.path, &wire.query) else { continue };
            path_matched = true;
            if !accepts(action, &wire.method) {
                continue;
            }
            let hinted = hint == Some(name.as_str());
            let better = best.as_ref().is_none_or(|(l, h, _)| (literal, hinted) > (*l, *h));
            if better {
                best = Some((literal, hinted, Route { served, action: name, path_params }));
            }
        }
    }
    match best {
        Some((_, _, route)) => Routed::Found(route),
        None if path_matched => Routed::WrongMethod,
        None => Routed::None,
    }
}

/// The parameters of a routed request, split by how their values arrived: as text (path, query,
/// headers, form: every scalar a string) or as JSON (a JSON body: typed values).
#[derive(Debug, Default)]
pub(crate) struct Params {
    pub(crate) text: Map<String, Value>,
    pub(crate) json: Map<String, Value>,
}

/// Reads each request field of `action` from where the spec says it travels (query by default).
pub(crate) fn params(
    action: &Action,
    wire: &Wire,
    path_params: &[(String, String)],
    form: &[(String, String)],
) -> Result<Params, Malformed> {
    let query = flattened(action, &wire.query)?;
    let form = flattened(action, form)?;
    let is_json = wire.header("content-type").is_some_and(|c| {
        let c = c.to_ascii_lowercase();
        c.starts_with("application/json") || c.contains("+json")
    });
    // One body parameter is the whole body (cs `ModifyCluster`'s `body`); several are its members.
    let body_fields = action.request.values().filter(|f| f.location == Some(ParamLocation::Body)).count();
    let mut body = Map::new();
    if is_json && !wire.body.is_empty() {
        let whole = action.request.iter().find(|(_, f)| f.location == Some(ParamLocation::Body) && body_fields == 1);
        match (serde_json::from_slice::<Value>(&wire.body), whole) {
            (Ok(value), Some((name, _))) => {
                body.insert(name.clone(), value);
            }
            (Ok(Value::Object(object)), None) => body = object,
            (Ok(_), None) => return Err("the request body is not a JSON object".into()),
            // A string body parameter travels as it is.
            (Err(_), Some((name, field))) if field.ty == "string" => {
                body.insert(name.clone(), Value::String(String::from_utf8_lossy(&wire.body).into_owned()));
            }
            (Err(_), _) => return Err("the request body is not valid JSON".into()),
        }
    }
    let mut out = Params::default();
    for (name, field) in &action.request {
        let location = field.location.unwrap_or(ParamLocation::Query);
        let (value, is_text) = match location {
            ParamLocation::Path => {
                (path_params.iter().find(|(n, _)| n == name).map(|(_, v)| Value::String(v.clone())), true)
            }
            ParamLocation::Header => (wire.header(name).map(|v| Value::String(v.to_string())), true),
            ParamLocation::Query | ParamLocation::Host => (query.get(name).cloned(), true),
            ParamLocation::Form => (form.get(name).cloned(), true),
            ParamLocation::Body if is_json => (body.get(name).cloned(), false),
            ParamLocation::Body => (form.get(name).cloned(), true),
        };
        if let Some(value) = value {
            if is_text {
                out.text.insert(name.clone(), value);
            } else {
                out.json.insert(name.clone(), value);
            }
        }
    }
    parse_json_styles(action, &mut out.text);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn templates_match_per_segment_and_decode_parameters() {
        assert_eq!(
            match_template("/clusters/{ClusterId}/nodepools/{NodepoolId}", "/clusters/c%201/nodepools/np%2Fx", &[]),
            Some((5, q(&[("ClusterId", "c 1"), ("NodepoolId", "np/x")])))
        );
        assert_eq!(match_template("/clusters/{ClusterId}", "/clusters/", &[]), None);
        assert_eq!(match_template("/clusters/{ClusterId}", "/clusters/a/b", &[]), None);
        assert_eq!(match_template("/clusters", "/clusters", &[]), Some((3, vec![])));
        assert_eq!(match_template("/cluster/{Id}/config/", "/cluster/x/config/", &[]), Some((5, q(&[("Id", "x")]))));
        assert_eq!(match_template("/files/{Name}.json", "/files/a%C3%A9.json", &[]), Some((3, q(&[("Name", "aé")]))));
        // Invalid UTF-8 after decoding matches nothing.
        assert_eq!(match_template("/files/{Name}", "/files/%FF", &[]), None);
        // A fixed query in the template must be in the request.
        assert_eq!(match_template("/x/{Id}?action=upgrade", "/x/1", &[]), None);
        assert_eq!(
            match_template("/x/{Id}?action=upgrade", "/x/1", &q(&[("action", "upgrade")])),
            Some((3, q(&[("Id", "1")])))
        );
        assert_eq!(match_template("/x/{Id}?action=upgrade", "/x/1", &q(&[("action", "other")])), None);
    }

    #[test]
    fn a_greedy_label_takes_one_or_more_whole_segments() {
        let whole = "/{requestPath+}";
        assert_eq!(
            match_template(whole, "/api/v1/providers/Aliyun/resources/a%20b", &[]),
            Some((0, q(&[("requestPath", "api/v1/providers/Aliyun/resources/a b")])))
        );
        assert_eq!(match_template(whole, "/x", &[]), Some((0, q(&[("requestPath", "x")]))));
        // Nothing, or an empty segment, is not a value.
        assert_eq!(match_template(whole, "/", &[]), None);
        assert_eq!(match_template(whole, "/a//b", &[]), None);
        assert_eq!(match_template(whole, "/a/", &[]), None);
        // Literal segments around it still match as written.
        let around = "/objects/{Key+}/meta";
        assert_eq!(match_template(around, "/objects/a/b/meta", &[]), Some((4, q(&[("Key", "a/b")]))));
        assert_eq!(match_template(around, "/objects/meta", &[]), None);
        assert_eq!(match_template(around, "/objects/a/b", &[]), None);
        // Literal segments beat labels, and an ordinary label beats a greedy one.
        let task = match_template("/api/v1/tasks/{taskId}", "/api/v1/tasks/t-1", &[]).unwrap().0;
        assert!(task > match_template(whole, "/api/v1/tasks/t-1", &[]).unwrap().0);
        assert!(match_template("/{Id}", "/x", &[]).unwrap().0 > match_template(whole, "/x", &[]).unwrap().0);
    }
}
