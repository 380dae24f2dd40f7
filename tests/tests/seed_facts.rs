//! Every fact of the five seed documents is in the specs: constraints, rules, limits, error codes, hosts
//! and examples. Error codes and examples are compared with the seed pages themselves (`../shared/seeds`).

mod common;

use std::collections::BTreeSet;

use cloudspec::spec::{Action, EncodingKind, Field, RegionRequirement, ServiceSpec};

struct Specs {
    apigateway: ServiceSpec,
    teo: ServiceSpec,
    cloudapi: ServiceSpec,
}

fn specs() -> Specs {
    let set = cloudspec::load::load(&[common::specs()]).unwrap();
    let report = cloudspec::check::check(&set);
    assert_eq!(report.errors(), 0, "{:#?}", report.diagnostics);
    let find = |name: &str| {
        set.services
            .iter()
            .find(|s| s.spec.service.name == name)
            .map(|s| s.spec.clone())
            .unwrap_or_else(|| panic!("no {name} spec"))
    };
    Specs { apigateway: find("apigateway"), teo: find("teo"), cloudapi: find("cloudapi") }
}

fn seed(prefix: &str) -> String {
    let dir = common::specs().join("../../shared/seeds");
    let entry = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("the seed pages are expected at {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap();
    std::fs::read_to_string(entry).unwrap()
}

fn action<'a>(spec: &'a ServiceSpec, name: &str) -> &'a Action {
    spec.actions.get(name).unwrap_or_else(|| panic!("no action {name}"))
}

fn length(field: &Field) -> (Option<u64>, Option<u64>) {
    let length = field.constraints.length.as_ref().expect("a length constraint");
    (length.min, length.max)
}

#[test]
fn length_and_character_rules() {
    let s = specs();
    let create = action(&s.apigateway, "CreateApiKey");
    assert_eq!(length(&create.request["AccessKeyId"]), (Some(5), Some(50)));
    assert_eq!(length(&create.request["AccessKeySecret"]), (Some(10), Some(50)));
    let update = action(&s.apigateway, "UpdateApiKey");
    assert_eq!(length(&update.request["AccessKeySecret"]), (Some(10), Some(50)));
    for field in
        [&create.request["AccessKeyId"], &create.request["AccessKeySecret"], &update.request["AccessKeySecret"]]
    {
        let pattern = field.constraints.pattern.as_ref().expect("a pattern");
        assert_eq!(pattern.description, "letters, digits and underscores");
        let regex = regex::Regex::new(&pattern.regex).unwrap();
        assert!(regex.is_match("Abc_123"));
        for bad in ["abc-123", "abc 123", "abç", ""] {
            assert!(!regex.is_match(bad), "{bad:?} matched");
        }
    }
    // "required when a custom key is updated" depends on the stored key: documented, not checked.
    assert!(update.request["AccessKeySecret"].constraints.unchecked.iter().any(|r| r.contains("custom key")));

    let secret_key = &action(&s.teo, "ModifyMultiPathGatewaySecretKey").request["SecretKey"];
    let encoding = secret_key.constraints.encoding.as_ref().expect("an encoding");
    assert_eq!(encoding.kind, EncodingKind::Base64);
    let decoded = encoding.decoded_length.as_ref().unwrap();
    assert_eq!((decoded.min, decoded.max), (Some(32), Some(48)));

    let reset = action(&s.cloudapi, "ResetAppSecret");
    assert_eq!(reset.request["NewAppKey"].constraints.unchecked, ["must be globally unique"]);
    assert!(
        reset.request["NewAppSecret"]
            .deprecated
            .as_ref()
            .unwrap()
            .message
            .contains("we recommend that you use other parameters")
    );
}

#[test]
fn conditional_requirement_and_default() {
    let s = specs();
    let create = action(&s.apigateway, "CreateApiKey");
    for name in ["AccessKeyId", "AccessKeySecret"] {
        let condition = create.request[name].required_when.as_ref().expect("a condition");
        assert_eq!(condition.field, "AccessKeyType");
        assert_eq!(condition.equals, "manual");
        assert!(!create.request[name].required);
    }
    let key_type = &create.request["AccessKeyType"];
    assert_eq!(key_type.default.as_ref().unwrap(), "auto");
    let values: Vec<_> = s.apigateway.types[key_type.ty.named().unwrap()]
        .values
        .as_ref()
        .unwrap()
        .iter()
        .map(|v| v.value.clone())
        .collect();
    assert_eq!(values, ["auto", "manual"]);
    assert!(create.request["SecretName"].required);
}

#[test]
fn rate_limits_regions_and_idempotency() {
    let s = specs();
    for (spec, name, region) in [
        (&s.apigateway, "CreateApiKey", RegionRequirement::Optional),
        (&s.apigateway, "UpdateApiKey", RegionRequirement::Required),
        (&s.apigateway, "UpdateApiAppKey", RegionRequirement::Required),
        (&s.teo, "ModifyMultiPathGatewaySecretKey", RegionRequirement::Optional),
    ] {
        let a = action(spec, name);
        assert_eq!(a.rate_limit.as_ref().map(|r| r.requests_per_second), Some(20), "{name}");
        assert_eq!(a.region, Some(region), "{name}");
        assert!(!a.idempotent, "{name} rotates or creates keys");
    }
    let reset = action(&s.cloudapi, "ResetAppSecret");
    assert!(reset.rate_limit.is_none(), "the Alibaba page states no rate limit");
    assert!(!reset.idempotent);
    let auth = reset.authorization.as_ref().unwrap();
    assert_eq!(auth.action, "apigateway:ResetAppSecret");
    assert_eq!(auth.access_level, cloudspec::spec::AccessLevel::Write);
    assert_eq!(reset.history[0].date, "2023-04-23");
    assert_eq!(reset.history[0].added, ["NewAppKey"]);
    assert!(reset.notes.iter().any(|n| n.contains("do not contain the application secret")));
    let teo = action(&s.teo, "ModifyMultiPathGatewaySecretKey");
    assert!(teo.notes.iter().any(|n| n.contains("original key becomes invalid")));
}

#[test]
fn secrets_are_sensitive() {
    let s = specs();
    assert!(action(&s.apigateway, "CreateApiKey").request["AccessKeySecret"].sensitive);
    assert!(action(&s.apigateway, "UpdateApiKey").request["AccessKeySecret"].sensitive);
    assert!(action(&s.apigateway, "UpdateApiAppKey").request["ApiAppSecret"].sensitive);
    assert!(action(&s.teo, "ModifyMultiPathGatewaySecretKey").request["SecretKey"].sensitive);
    assert!(action(&s.cloudapi, "ResetAppSecret").request["NewAppSecret"].sensitive);
    assert!(s.apigateway.types["ApiKey"].fields.as_ref().unwrap()["AccessKeySecret"].sensitive);
}

#[test]
fn shared_types() {
    let s = specs();
    let api_key = s.apigateway.types["ApiKey"].fields.as_ref().unwrap();
    for name in
        ["AccessKeyId", "AccessKeySecret", "AccessKeyType", "SecretName", "Status", "CreatedTime", "ModifiedTime"]
    {
        assert!(api_key.contains_key(name), "ApiKey lacks {name}");
    }
    for name in ["CreatedTime", "ModifiedTime"] {
        assert_eq!(api_key[name].ty, "timestamp");
        assert_eq!(api_key[name].format, Some(cloudspec::spec::TimeFormat::Iso8601));
    }
    let status = s.apigateway.types[api_key["Status"].ty.named().unwrap()].values.as_ref().unwrap();
    let pairs: Vec<_> = status.iter().map(|v| (v.value.clone(), v.name.clone().unwrap())).collect();
    assert_eq!(pairs, [(0.into(), "Disabled".to_string()), (1.into(), "Enabled".to_string())]);
    assert!(s.apigateway.types.contains_key("Tag"));
    assert!(action(&s.apigateway, "CreateApiKey").response["Result"].nullable);
    assert!(action(&s.apigateway, "UpdateApiAppKey").response["Result"].nullable);
}

#[test]
fn hosts() {
    let s = specs();
    assert_eq!(s.apigateway.service.endpoints.default.as_deref(), Some("apigateway.tencentcloudapi.com"));
    assert_eq!(s.apigateway.service.endpoints.international.as_deref(), Some("apigateway.intl.tencentcloudapi.com"));
    assert_eq!(s.teo.service.endpoints.international.as_deref(), Some("teo.intl.tencentcloudapi.com"));
    assert_eq!(s.cloudapi.service.endpoints.regional.as_deref(), Some("apigateway.{region}.aliyuncs.com"));
    assert_eq!(s.cloudapi.service.endpoints.regions["cn-hangzhou"], "apigateway.cn-hangzhou.aliyuncs.com");
}

/// The error codes of a Tencent seed page: the first word of each line of its "Error Code" table.
fn page_error_codes(page: &str) -> BTreeSet<String> {
    let start = page.find("For other error codes, see Common Error Codes.").expect("an error code section");
    page[start..]
        .lines()
        .skip(1)
        .map(|line| line.trim().trim_start_matches('|').trim())
        .take_while(|line| !line.starts_with("Was this page helpful") && !line.starts_with("Contact Us"))
        .filter_map(|line| line.split([' ', '|']).next())
        .filter(|code| {
            code.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
        })
        .filter(|code| *code != "Error")
        .map(str::to_string)
        .collect()
}

#[test]
fn every_documented_error_code() {
    let s = specs();
    for (spec, name, page) in [
        (&s.apigateway, "CreateApiKey", "004"),
        (&s.apigateway, "UpdateApiKey", "001"),
        (&s.apigateway, "UpdateApiAppKey", "000"),
        (&s.teo, "ModifyMultiPathGatewaySecretKey", "003"),
    ] {
        let documented = page_error_codes(&seed(page));
        let specified: BTreeSet<String> = action(spec, name).errors.iter().map(|e| e.code.clone()).collect();
        assert!(documented.len() >= 4, "{name}: only {documented:?} found on the page");
        assert_eq!(specified, documented, "{name}");
        for error in &action(spec, name).errors {
            let page_text = seed(page);
            let line = page_text
                .lines()
                .find(|l| l.trim_start().trim_start_matches('|').trim_start().starts_with(&format!("{} ", error.code)));
            let says_retry = line.is_some_and(|l| l.to_lowercase().contains("try again") && !l.contains("unbind"));
            assert_eq!(error.retryable, says_retry || error.code == "InternalError", "{name} {}", error.code);
        }
    }
    assert!(action(&s.cloudapi, "ResetAppSecret").errors.is_empty(), "the Alibaba page lists no codes of its own");
}

fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn every_documented_example_verbatim() {
    let s = specs();
    for (spec, name, page) in [
        (&s.apigateway, "CreateApiKey", "004"),
        (&s.apigateway, "UpdateApiKey", "001"),
        (&s.apigateway, "UpdateApiAppKey", "000"),
        (&s.teo, "ModifyMultiPathGatewaySecretKey", "003"),
        (&s.cloudapi, "ResetAppSecret", "002"),
    ] {
        let page = squash(&seed(page));
        let examples = &action(spec, name).examples;
        assert_eq!(examples.len(), 1, "{name}");
        for text in examples.iter().flat_map(|e| e.input.iter().chain(e.output.iter())) {
            assert!(page.contains(&squash(text)), "{name}: example not on the page:\n{text}");
        }
        assert!(examples[0].output.is_some(), "{name}");
    }
    let create = &action(&s.apigateway, "CreateApiKey").examples[0];
    assert!(create.output.as_deref().unwrap().contains("AKID8my5MRr9i6VM98F3dZG9zV0KuBq5ID7pMG83"));
    assert!(create.input.as_deref().unwrap().contains("&SecretName=test"));
    let teo = &action(&s.teo, "ModifyMultiPathGatewaySecretKey").examples[0];
    assert!(teo.input.as_deref().unwrap().contains("b8sfnemqzF5TNCwwtshVmG/gyCJVi/rP+7A+jsBwqGY="));
}

#[test]
fn discrepancies_with_the_official_api_are_recorded() {
    let s = specs();
    let create = action(&s.apigateway, "CreateApiKey");
    assert!(create.request.contains_key("Tags"), "the current API accepts Tags");
    assert!(!create.request["Tags"].sources.is_empty(), "Tags cites the machine-readable source");
    assert!(create.discrepancies.iter().any(|d| d.subject == "request.Tags"));
    assert!(create.discrepancies.iter().any(|d| d.subject == "region"));
    let reset = action(&s.cloudapi, "ResetAppSecret");
    assert!(reset.discrepancies.iter().any(|d| d.description.contains("SecurityToken")));
    assert!(!reset.request.contains_key("SecurityToken"), "SecurityToken is a common parameter");
}
