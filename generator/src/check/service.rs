//! Checks of a service spec: identity, sources, actions, errors and history; then its names, and last
//! its documented examples.

use super::cx::{ServiceCx, Sink};
use super::provider::{check_error_codes, check_host};
use super::values::is_date;
use super::{examples, fields, paging};
use crate::diagnostics::{JsonPath, Target, did_you_mean};
use crate::names::{self, table::ServiceNames};
use crate::spec::{Action, OmittedKind, ProviderSpec, ServiceSpec};

/// Checks a service spec; returns its names when it has no error.
pub(super) fn check(
    spec: &ServiceSpec,
    provider: Option<&ProviderSpec>,
    provider_dir: &str,
    sink: &mut Sink<'_>,
) -> Option<ServiceNames> {
    let mut cx = ServiceCx { spec, provider, sink };
    identity(&mut cx, provider_dir);
    for (id, _) in &spec.sources {
        if id.trim().is_empty() {
            cx.sink.error(
                "invalid-name",
                JsonPath::root().key("sources").key(id.clone()),
                Target::Key,
                "source ids must not be empty",
                None,
            );
        }
    }
    action_names(&mut cx);
    omitted(&mut cx);
    fields::check_types(&mut cx);
    super::cycles::check_required_cycles(&mut cx);
    for (name, action) in &spec.actions {
        check_action(&mut cx, name, action);
    }
    let names = super::names::service_names(&mut cx);
    // Examples are only meaningful against a sound spec: a broken rule would make every example fail.
    if cx.sink.errors() == 0 {
        for (name, action) in &spec.actions {
            examples::check_examples(&mut cx, name, action, &JsonPath::root().key("actions").key(name.clone()));
        }
    }
    names.filter(|_| cx.sink.errors() == 0)
}

/// `omitted` lists what is not generated: each entry needs a name and a reason, and an action it lists
/// must not also be defined (the README would say it is missing while the crate has it).
fn omitted(cx: &mut ServiceCx<'_, '_>) {
    for (index, entry) in cx.spec.omitted.iter().enumerate() {
        let at = JsonPath::root().key("omitted").index(index);
        for (key, text) in [("name", &entry.name), ("reason", &entry.reason)] {
            if text.trim().is_empty() {
                cx.sink.error(
                    "empty-omitted",
                    at.key(key),
                    Target::Value,
                    format!("an omitted entry needs a {key}"),
                    None,
                );
            }
        }
        if let (OmittedKind::Action, Some(_)) = (entry.kind, &entry.action) {
            cx.sink.error(
                "omitted-action-of-action",
                at.key("action"),
                Target::Key,
                "an omitted action belongs to no action: `action` is for members and error codes",
                None,
            );
        }
        if let (OmittedKind::Member | OmittedKind::ErrorCode, None) = (entry.kind, &entry.action) {
            cx.sink.error(
                "omitted-without-action",
                at.clone(),
                Target::Value,
                format!("an omitted {} names the action it belongs to in `action`", entry.kind.label()),
                None,
            );
        }
        if entry.kind == OmittedKind::Action && cx.spec.actions.contains_key(&entry.name) {
            cx.sink.error(
                "omitted-but-defined",
                at.key("name"),
                Target::Value,
                format!("`{}` is listed as omitted but is defined under `actions`", entry.name),
                Some("remove it from `omitted`, or remove the action".into()),
            );
        }
    }
}

fn identity(cx: &mut ServiceCx<'_, '_>, provider_dir: &str) {
    let spec = cx.spec;
    let file = &cx.sink.file.path;
    if !provider_dir.is_empty() && spec.provider != provider_dir {
        cx.sink.error(
            "name-mismatch",
            JsonPath::root().key("provider"),
            Target::Value,
            format!("the spec says provider `{}` but sits under `{provider_dir}/`", spec.provider),
            Some("service specs live at specs/<provider>/<service>/<version>.json".into()),
        );
    }
    let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    if stem != spec.service.version {
        cx.sink.error(
            "name-mismatch",
            JsonPath::root().key("service").key("version"),
            Target::Value,
            format!("the version is `{}` but the file is named `{stem}.json`", spec.service.version),
            Some(format!("rename the file to `{}.json`", spec.service.version)),
        );
    }
    let dir = file
        .parent()
        .and_then(|p| std::path::absolute(p).ok())
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()));
    if dir.as_deref().is_some_and(|dir| dir != spec.service.name) {
        cx.sink.error(
            "name-mismatch",
            JsonPath::root().key("service").key("name"),
            Target::Value,
            format!("the service is named `{}` but its directory is `{}`", spec.service.name, dir.unwrap_or_default()),
            None,
        );
    }
    let version_ok = crate::names::valid_version(&spec.service.version);
    if !version_ok {
        cx.sink.error(
            "invalid-version",
            JsonPath::root().key("service").key("version"),
            Target::Value,
            format!(
                "`{}` is not an API version: a date `YYYY-MM-DD`, or letters, digits, `.`, `_` and `-` (at most 32)",
                crate::diagnostics::abbreviate(&spec.service.version, 40)
            ),
            None,
        );
    }
    if let Err(error) = names::snake(&spec.service.name) {
        cx.sink.error(
            "invalid-name",
            JsonPath::root().key("service").key("name"),
            Target::Value,
            error.to_string(),
            None,
        );
    }
    let endpoints = &spec.service.endpoints;
    let path = JsonPath::root().key("service").key("endpoints");
    for (key, host) in [("default", &endpoints.default), ("international", &endpoints.international)] {
        if let Some(host) = host {
            check_host(cx.sink, host, &[], path.key(key));
        }
    }
    if let Some(host) = &endpoints.regional {
        check_host(cx.sink, host, &["{region}"], path.key("regional"));
        if !host.contains("{region}") {
            cx.sink.error(
                "invalid-host",
                path.key("regional"),
                Target::Value,
                "a regional host pattern must contain `{region}`",
                None,
            );
        }
    }
    for (region, host) in &endpoints.regions {
        check_host(cx.sink, host, &[], path.key("regions").key(region.clone()));
    }
    let provider_has_default =
        cx.provider.is_some_and(|p| p.endpoints.default.is_some() || p.endpoints.regional.is_some());
    if endpoints.default.is_none()
        && endpoints.regional.is_none()
        && endpoints.regions.is_empty()
        && !provider_has_default
    {
        cx.sink.error(
            "missing-endpoint",
            path,
            Target::Value,
            "neither the service nor its provider says which host to call",
            Some("add `default` or `regional` to the service's endpoints".into()),
        );
    }
}

/// Action names are wire names of ASCII letters and digits, starting with a letter — UpperCamelCase almost
/// always, but a provider may name one `createInstance` (Alibaba Elasticsearch): the Rust names
/// (`create_instance`, `CreateInstanceRequest`) read the same. They are checked with the rest.
/// A version needs one: its client would have no method, and nothing would use its types.
fn action_names(cx: &mut ServiceCx<'_, '_>) {
    if cx.spec.actions.is_empty() {
        cx.sink.error(
            "no-actions",
            JsonPath::root().key("actions"),
            Target::Key,
            "the service version has no actions, so there is no client to generate",
            Some("transcribe at least one action, or remove this version's file".into()),
        );
    }
    for name in cx.spec.actions.keys() {
        let valid = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && name.chars().all(|c| c.is_ascii_alphanumeric());
        if !valid || name.len() > names::MAX_NAME_LEN {
            cx.sink.error(
                "invalid-name",
                JsonPath::root().key("actions").key(name.clone()),
                Target::Key,
                format!(
                    "`{}` is not an action name: actions are named with ASCII letters and digits, starting with a letter, at most {} characters",
                    crate::diagnostics::abbreviate(name, 60),
                    names::MAX_NAME_LEN
                ),
                None,
            );
        }
    }
}

fn check_action(cx: &mut ServiceCx<'_, '_>, name: &str, action: &Action) {
    let path = JsonPath::root().key("actions").key(name);
    if action.summary.trim().is_empty() {
        cx.sink.error(
            "missing-doc",
            path.key("summary"),
            Target::Value,
            "the summary is empty",
            Some("copy the documentation's one-line description".into()),
        );
    }
    cx.check_sources(&action.sources, &path.key("sources"));
    if let Some(limit) = &action.rate_limit {
        if limit.requests_per_second == 0 {
            cx.sink.error(
                "invalid-value",
                path.key("rate_limit").key("requests_per_second"),
                Target::Value,
                "a rate limit of 0 requests per second would forbid every call",
                Some("remove `rate_limit` when the documentation states none".into()),
            );
        }
    }
    if let Some(token) = &action.idempotency_token {
        // `Param.member`: a member of an object-typed parameter (Alibaba's `body.clientToken`).
        let nested = token.split_once('.').is_some_and(|(param, member)| {
            action
                .request
                .get(param)
                .and_then(|f| f.ty.named())
                .and_then(|named| cx.spec.types.get(named))
                .and_then(|d| d.fields.as_ref())
                .is_some_and(|fields| fields.contains_key(member))
        });
        if !action.request.contains_key(token) && !nested {
            let hint = did_you_mean(token, action.request.keys().map(String::as_str));
            cx.sink.error(
                "unknown-field",
                path.key("idempotency_token"),
                Target::Value,
                format!("the idempotency token `{token}` is not a request field"),
                hint,
            );
        }
    }
    super::http_path::check_http_path(cx, &path, action, action.http.as_ref().and_then(|h| h.path.as_deref()));
    fields::check_fields(cx, &action.request, &path.key("request"), fields::Role::Request);
    fields::check_fields(cx, &action.response, &path.key("response"), fields::Role::Response);
    if let Some(body) = action.http.as_ref().and_then(|h| h.response_body.as_ref()) {
        let here = path.key("http").key("response_body");
        if !action.response.is_empty() {
            cx.sink.error(
                "invalid-key",
                here.clone(),
                Target::Key,
                "`response_body` describes the whole response, so `response` must be empty",
                Some("keep the fields in `response` when the body is an object, or move them into a type".into()),
            );
        }
        fields::check_body(cx, body, &here);
    }
    paging::check_pagination(cx, &path, action);
    check_error_codes(cx.sink, &action.errors, &path.key("errors"));
    if let Some(provider) = cx.provider {
        for (i, error) in action.errors.iter().enumerate() {
            let common = provider.common_errors.iter().find(|c| c.code == error.code);
            if let Some(common) = common.filter(|c| c.retryable != error.retryable) {
                cx.sink.warning(
                    "inconsistent-error",
                    path.key("errors").index(i).key("retryable"),
                    Target::Value,
                    format!(
                        "`{}` is {} here but {} in the provider's common errors",
                        error.code,
                        if error.retryable { "retryable" } else { "not retryable" },
                        if common.retryable { "retryable" } else { "not retryable" },
                    ),
                    Some("a code means the same for every action; make them agree".into()),
                );
            }
        }
    }
    for (i, change) in action.history.iter().enumerate() {
        if !is_date(&change.date) {
            cx.sink.error(
                "invalid-date",
                path.key("history").index(i).key("date"),
                Target::Value,
                format!("`{}` is not a date: write `YYYY-MM-DD`", crate::diagnostics::abbreviate(&change.date, 40)),
                None,
            );
        }
        // Removed fields are gone from the spec; added ones must be in it.
        for (j, field) in change.added.iter().enumerate() {
            if !action.request.contains_key(field) && !action.response.contains_key(field) {
                cx.sink.error(
                    "unknown-field",
                    path.key("history").index(i).key("added").index(j),
                    Target::Value,
                    format!("`{field}` was added, but the action has no such request or response field"),
                    did_you_mean(field, action.request.keys().chain(action.response.keys()).map(String::as_str)),
                );
            }
        }
    }
    for (i, discrepancy) in action.discrepancies.iter().enumerate() {
        let here = path.key("discrepancies").index(i);
        cx.check_sources(&discrepancy.sources, &here.key("sources"));
        if discrepancy.sources.is_empty() {
            cx.sink.error(
                "missing-source",
                here.key("sources"),
                Target::Value,
                "a discrepancy must cite the sources that disagree",
                None,
            );
        }
    }
}
