//! Actions: the request and response structs, the error enum, the documented examples, and what the
//! runtime needs to send the action.

use indexmap::IndexMap;
use serde_json::Value;

use super::Cx;
use super::types::reaches_secret;
use crate::docs;
use crate::ir::*;
use crate::names::table::ActionNames;
use crate::spec::{AccessLevel, Action, ActionStatus, ErrorCode, HttpMethod, Protocol, RegionRequirement, SourceKind};

impl Cx<'_> {
    /// The `index`th action of the service.
    pub(super) fn action(&self, index: usize, action: &Action) -> ActionIr {
        let (name, _) = self.spec.actions.get_index(index).map(|(k, v)| (k.as_str(), v)).unwrap_or(("", action));
        let names = &self.names.actions[index];
        let about = self.action_about(action);
        let summary = self.inline(&action.summary);
        let method_docs: Vec<String> = [summary.clone(), String::new()].into_iter().chain(about.clone()).collect();
        let mut request_docs = vec![format!("The request of `{name}`: {summary}")];
        if let Some(description) = action.description.as_deref().filter(|d| d.trim() != action.summary.trim()) {
            request_docs.push(String::new());
            request_docs.extend(self.text(description));
        }
        // The action's facts (rate limit, idempotency, region, sources, notes) are documented once, on
        // the client method that sends the request: they are the call's behaviour.
        request_docs.push(String::new());
        request_docs.push(sent_by(&names.module, &about));
        let request = StructIr {
            ident: names.request.clone(),
            builder: Some(names.builder.clone()),
            docs: request_docs,
            fields: self.fields(&action.request, &names.request_fields, Usage { input: true, output: false }),
            usage: Usage { input: true, output: false },
            body: false,
        };
        let response = self.response(name, action, names);
        let common_codes = super::common_codes(self.provider);
        let error = ErrorEnumIr {
            ident: names.error.clone(),
            docs: vec![format!(
                "The errors of `{name}`: one variant per documented code, the provider's common codes in \
                 `Common`, and `Unknown` for codes the spec does not list."
            )],
            variants: action
                .errors
                .iter()
                .zip(&names.errors)
                .map(|(error, ident)| error_variant(error, ident, &common_codes, self.spec.service.docs))
                .collect(),
        };
        let sensitive_output = response.fields.iter().any(|f| reaches_secret(&f.ty, &self.spec.types));
        ActionIr {
            meta: self.meta(action, names, &response),
            examples: self.examples(name, &names.module, action),
            wire: name.to_string(),
            module: names.module.clone(),
            // Action modules are private (their items are re-exported), so their own docs stay short;
            // the request type carries the full documentation.
            docs: vec![format!("`{name}`: {summary}")],
            method_docs,
            request,
            response,
            error,
            sensitive_output,
            paging: self.paging(name, action, names),
            deprecated: match action.status {
                ActionStatus::Online => None,
                ActionStatus::Deprecated => Some(format!("the provider deprecated `{name}`; see its documentation")),
                ActionStatus::Offline => Some(format!("the provider has taken `{name}` offline; calls fail")),
            },
        }
    }

    fn response(&self, name: &str, action: &Action, names: &ActionNames) -> StructIr {
        let response_body = action.http.as_ref().and_then(|h| h.response_body.as_ref());
        match response_body {
            Some(body) => {
                let output = Usage { input: false, output: true };
                let mut field = self.field("body", body, "body", &IndexMap::new(), &[], output);
                field.required = false;
                StructIr {
                    ident: names.response.clone(),
                    builder: None,
                    docs: vec![
                        format!("The response of `{name}`."),
                        String::new(),
                        "The body is not an object of named fields: `body` holds all of it.".into(),
                    ],
                    fields: vec![field],
                    usage: Usage { input: false, output: true },
                    body: true,
                }
            }
            None => StructIr {
                ident: names.response.clone(),
                builder: None,
                docs: vec![format!("The response of `{name}`.")],
                fields: self.fields(&action.response, &names.response_fields, Usage { input: false, output: true }),
                usage: Usage { input: false, output: true },
                body: false,
            },
        }
    }

    fn meta(&self, action: &Action, names: &ActionNames, response: &StructIr) -> ActionMetaIr {
        let protocol = self.spec.service.protocol.unwrap_or(self.provider.protocol);
        let default_method = match protocol {
            Protocol::TencentJson | Protocol::AlibabaRpc => HttpMethod::Post,
            Protocol::AlibabaRoa => HttpMethod::Get,
        };
        let http = action.http.as_ref();
        let method = http.and_then(|h| h.methods.first().copied()).unwrap_or(default_method);
        // Whether the success response documents the members of Alibaba's error envelope; a body that is
        // not an object of named fields documents none.
        let documents = |wire: &str| !response.body && response.fields.iter().any(|f| f.wire == wire);
        ActionMetaIr {
            ident: names.meta_static.clone(),
            idempotent: action.idempotent,
            idempotency_token: action.idempotency_token.clone(),
            rate_limit: action.rate_limit.as_ref().map(|r| r.requests_per_second),
            region_required: action.region == Some(RegionRequirement::Required),
            method: serde_json::to_value(method)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_else(|| "POST".into()),
            path: http.and_then(|h| h.path.clone()).unwrap_or_else(|| "/".into()),
            params: action
                .request
                .iter()
                .filter(|(_, f)| f.location.is_some() || f.style.is_some())
                .map(|(wire, f)| (wire.clone(), f.location.unwrap_or(protocol.default_location()), f.style))
                .collect(),
            documents_code: documents("Code"),
            documents_success: documents("Success"),
        }
    }

    /// Rate limit, idempotency, region, notes and sources, as doc lines.
    fn action_about(&self, action: &Action) -> Vec<String> {
        let mut lines = Vec::new();
        if let Some(limit) = &action.rate_limit {
            lines.push(format!("- Rate limit: {} requests per second.", limit.requests_per_second));
        }
        let mut idempotency = if let Some(token) = &action.idempotency_token {
            format!("- Idempotent through `{}`: retries reuse the token.", docs::code(token))
        } else if action.idempotent {
            "- Idempotent: retried automatically on transient errors.".into()
        } else {
            "- Not idempotent: never retried after the request may have reached the server.".into()
        };
        // A note that explains the idempotency joins its line instead of stating it again.
        let (lead, _) = idempotency.split_once(':').unwrap_or_default();
        let lead = lead.trim_start_matches("- ").to_string();
        let mut notes: Vec<&String> = action.notes.iter().collect();
        if let Some(i) =
            notes.iter().position(|n| n.strip_prefix(lead.as_str()).is_some_and(|rest| rest.starts_with(':')))
        {
            let explained = notes.remove(i)[lead.len() + 1..].trim();
            let mut chars = explained.chars();
            let capitalized: String = chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default();
            idempotency.push(' ');
            idempotency.push_str(&self.inline(&capitalized));
        }
        lines.push(idempotency);
        match action.region {
            Some(RegionRequirement::Required) => lines.push("- Region: required.".into()),
            Some(RegionRequirement::Optional) => lines.push("- Region: optional.".into()),
            None => {}
        }
        if let Some(auth) = &action.authorization {
            let level = match auth.access_level {
                AccessLevel::Read => "read",
                AccessLevel::Write => "write",
                AccessLevel::List => "list",
            };
            lines.push(format!("- Permission: `{}` ({level} access).", docs::code(&auth.action)));
        }
        for note in notes {
            lines.push(format!("- {}", self.inline(note)));
        }
        for id in &action.sources {
            if let Some(source) = self.spec.sources.get(id) {
                let kind = match source.kind {
                    SourceKind::Documentation => "documentation",
                    SourceKind::MachineReadable => "metadata",
                };
                let updated = source
                    .last_updated
                    .as_ref()
                    .map(|d| format!(", last updated {}", docs::escape(d)))
                    .unwrap_or_default();
                lines.push(match &source.url {
                    Some(url) => format!("- Source: [{}]({url}) ({kind}{updated}).", docs::escape(&source.title)),
                    None => format!("- Source: {} ({kind}{updated}).", docs::escape(&source.title)),
                });
            }
        }
        lines
    }

    fn examples(&self, name: &str, module: &str, action: &Action) -> Vec<ExampleIr> {
        let common: Vec<&str> = self.provider.common_parameters.keys().map(String::as_str).collect();
        let envelope = &self.provider.envelope;
        action
            .examples
            .iter()
            .enumerate()
            .map(|(i, example)| {
                let input = example
                    .input
                    .as_deref()
                    .and_then(|text| crate::check::parse_example_input(text, &common).ok())
                    .filter(|parsed| parsed.action.as_deref().is_none_or(|a| a == name))
                    .map(|parsed| parsed.params);
                let mut output = None;
                let mut error_output = None;
                if let Some(text) = &example.output {
                    if let Ok(body) = serde_json::from_str::<Value>(text) {
                        let payload = match &envelope.wrapper {
                            Some(wrapper) => body.get(wrapper).cloned().unwrap_or(Value::Null),
                            None => body.clone(),
                        };
                        let error = match &envelope.error.container {
                            Some(container) => payload.get(container).filter(|e| !e.is_null()).cloned(),
                            // A code key that is a documented response field (`"Code": "OK"`) is a success.
                            None => (payload.get(&envelope.error.code).is_some()
                                && !action.response.contains_key(&envelope.error.code))
                            .then(|| payload.clone()),
                        };
                        match error
                            .and_then(|e| e.get(&envelope.error.code).and_then(Value::as_str).map(str::to_string))
                        {
                            Some(code) => error_output = Some((text.clone(), code)),
                            None => output = Some(text.clone()),
                        }
                    }
                }
                ExampleIr {
                    test_ident: format!("{module}_example_{}", i + 1),
                    title: example.title.clone(),
                    input,
                    output,
                    error_output,
                }
            })
            .collect()
    }
}

/// The request's pointer to its client method, `method`, naming what the method's documentation
/// (`about`, from `action_about`) tells of the action.
fn sent_by(method: &str, about: &[String]) -> String {
    let mut topics: Vec<&str> = Vec::new();
    for line in about {
        let topic = match line.split(':').next().unwrap_or_default() {
            "- Rate limit" => "rate limit",
            "- Region" => "region",
            "- Permission" => "permission",
            "- Source" => "sources",
            lead if lead.contains("dempotent") => "idempotency",
            _ => "notes",
        };
        if !topics.contains(&topic) {
            topics.push(topic);
        }
    }
    let topics = match topics.split_last() {
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => "behaviour".to_string(),
    };
    // A link path names a method as it is spelled without `r#` (rustdoc reads no raw identifiers).
    format!("Sent by [`Client::{method}`](super::Client::{method}), which documents the action's {topics}.")
}

/// A documented error code as a variant named `ident`, its description written in `format`. `common`
/// are the provider's common codes: an action that documents one of them says so in the variant's docs.
pub(super) fn error_variant(
    error: &ErrorCode,
    ident: &str,
    common: &[&str],
    format: crate::spec::DocFormat,
) -> ErrorVariantIr {
    let mut lines = vec![format!("`{}`", docs::code(&error.code))];
    if let Some(description) = &error.description {
        lines[0].push_str(": ");
        lines[0].push_str(&docs::inline(description, format));
    }
    if common.contains(&error.code.as_str()) {
        lines.push(String::new());
        lines.push("Also a common code of the provider; documented for this action.".into());
    }
    ErrorVariantIr {
        ident: ident.to_string(),
        code: error.code.clone(),
        docs: lines,
        retryable: error.retryable,
        throttling: error.throttling,
    }
}
