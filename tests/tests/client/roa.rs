//! Alibaba ROA requests and client tokens, with actions described by hand as generated code describes
//! them. Every request the server sees is checked byte for byte, and its signature is recomputed from
//! what the server received (path, decoded query, headers, body).

use super::*;
use cloudspec_runtime::envelope::Protocol;
use cloudspec_runtime::meta::{
    ActionMeta, EndpointsMeta, ParamLocation, ParamMeta, ParamStyle, RegionRule, ServiceMeta,
};
use cloudspec_runtime::signing::acs3;
use sha2::Digest;

static SERVICE: ServiceMeta = ServiceMeta {
    name: "cs",
    signing_name: "cs",
    version: "2015-12-15",
    protocol: Protocol::AlibabaRoa,
    endpoints: EndpointsMeta { default: Some("cs.aliyuncs.com"), international: None, regional: None, regions: &[] },
};

const fn action(
    name: &'static str,
    method: &'static str,
    path: &'static str,
    params: &'static [ParamMeta],
    idempotency_token: Option<&'static str>,
) -> ActionMeta {
    ActionMeta {
        service: &SERVICE,
        name,
        idempotent: false,
        rate_limit: None,
        region: RegionRule::Optional,
        method,
        path,
        sensitive_output: false,
        params,
        idempotency_token,
        status_fields: cloudspec_runtime::meta::StatusFields { code: false, success: false },
    }
}

const fn param(name: &'static str, location: ParamLocation, style: Option<ParamStyle>) -> ParamMeta {
    ParamMeta { name, location, style }
}

static GET_POOLS: ActionMeta = action(
    "DescribeClusterNodePools",
    "GET",
    "/clusters/{ClusterId}/nodepools/{PoolId}",
    &[
        param("ClusterId", ParamLocation::Path, None),
        param("PoolId", ParamLocation::Path, None),
        param("Ids", ParamLocation::Query, Some(ParamStyle::Simple)),
        param("Filter", ParamLocation::Query, Some(ParamStyle::Json)),
    ],
    None,
);
static CREATE_POOL: ActionMeta = action(
    "CreateClusterNodePool",
    "POST",
    "/clusters/{ClusterId}/nodepools",
    &[
        param("ClusterId", ParamLocation::Path, None),
        param("body", ParamLocation::Body, Some(ParamStyle::Json)),
        param("x-acs-resource-group-id", ParamLocation::Header, None),
        param("X-Trace", ParamLocation::Header, None),
    ],
    None,
);
static UPDATE_FORM: ActionMeta = action(
    "UpdateWithForm",
    "PUT",
    "/apps/{AppId}?action=update",
    &[
        param("AppId", ParamLocation::Path, None),
        param("Name", ParamLocation::Form, None),
        param("Tag", ParamLocation::Form, Some(ParamStyle::RepeatList)),
        param("Config", ParamLocation::Form, Some(ParamStyle::Json)),
    ],
    None,
);
static CREATE_WITH_TOKEN: ActionMeta =
    action("CreateCluster", "POST", "/clusters", &[param("body", ParamLocation::Body, None)], Some("ClientToken"));

struct Params(serde_json::Value);

impl cloudspec_runtime::json::Encode for Params {
    fn encode(&self, out: &mut cloudspec_runtime::json::Encoder) {
        out.value(&self.0);
    }
}

impl cloudspec_runtime::Request for Params {
    fn validate(&self) -> Result<(), cloudspec_runtime::ValidationError> {
        Ok(())
    }
}

async fn call(
    server: &MockServer,
    action: &'static ActionMeta,
    params: serde_json::Value,
) -> Result<serde_json::Value, Error<cloudapi::ResetAppSecretError>> {
    let client = cloudspec_runtime::Client::new(config(server));
    client.execute(action, &Params(params)).await
}

async fn ok_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"RequestId": "roa-1"})))
        .mount(&server)
        .await;
    server
}

fn get(request: &Request, name: &str) -> Option<String> {
    request.headers.get(name).map(|v| v.to_str().unwrap().to_string())
}

/// Recomputes the ACS3 signature from what the server received and checks the body hash.
fn verify_signature(request: &Request) {
    let authorization = get(request, "authorization").expect("an Authorization header");
    let hashed = hex::encode(sha2::Sha256::digest(&request.body));
    assert_eq!(get(request, "x-acs-content-sha256").as_deref(), Some(hashed.as_str()));
    let headers: Vec<(String, String)> = request
        .headers
        .iter()
        .map(|(name, value)| (name.as_str().to_string(), value.to_str().unwrap().to_string()))
        .collect();
    let header_pairs: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let query: Vec<(String, String)> =
        request.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    let query_pairs: Vec<(&str, &str)> = query.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let expected = acs3::sign(
        &acs3::Acs3Request {
            method: request.method.as_str(),
            canonical_uri: request.url.path(),
            query: &query_pairs,
            headers: &header_pairs,
            hashed_payload: &hashed,
        },
        SECRET_ID,
        SECRET_KEY,
    );
    assert_eq!(authorization, expected.authorization, "canonical request:\n{}", expected.canonical_request);
}

#[tokio::test]
async fn a_get_substitutes_and_encodes_path_parameters() {
    let server = ok_server().await;
    let params = json!({
        "ClusterId": "c 1/é?#%", "PoolId": 7, "Ids": ["a", "b c", 3, true], "Filter": {"k": [1, 0.5], "ü": null},
    });
    let response = call(&server, &GET_POOLS, params).await.unwrap();
    assert_eq!(response["RequestId"], "roa-1");
    let requests = received(&server).await;
    let request = &requests[0];
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), "/clusters/c%201%2F%C3%A9%3F%23%25/nodepools/7");
    assert_eq!(
        request.url.query(),
        Some("Filter=%7B%22k%22%3A%5B1%2C0.5%5D%2C%22%C3%BC%22%3Anull%7D&Ids=a%2Cb%20c%2C3%2Ctrue")
    );
    assert!(request.body.is_empty());
    assert_eq!(get(request, "content-type"), None);
    assert_eq!(get(request, "x-acs-action").as_deref(), Some("DescribeClusterNodePools"));
    assert_eq!(get(request, "x-acs-version").as_deref(), Some("2015-12-15"));
    verify_signature(request);
}

#[tokio::test]
async fn a_post_sends_the_body_parameter_as_the_json_body_and_header_parameters_as_headers() {
    let server = ok_server().await;
    let params = json!({
        "ClusterId": "c-1",
        "body": {"name": "pool é", "count": 2, "ratio": 1e-7, "enabled": true, "tags": [{"k": "v"}], "none": null},
        "x-acs-resource-group-id": "rg-1",
        "X-Trace": "t 1",
    });
    call(&server, &CREATE_POOL, params).await.unwrap();
    let requests = received(&server).await;
    let request = &requests[0];
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), "/clusters/c-1/nodepools");
    assert_eq!(request.url.query(), None);
    assert_eq!(
        std::str::from_utf8(&request.body).unwrap(),
        r#"{"name":"pool é","count":2,"ratio":1e-07,"enabled":true,"tags":[{"k":"v"}],"none":null}"#
    );
    assert_eq!(get(request, "content-type").as_deref(), Some("application/json; charset=utf-8"));
    assert_eq!(get(request, "x-acs-resource-group-id").as_deref(), Some("rg-1"));
    assert_eq!(get(request, "x-trace").as_deref(), Some("t 1"));
    let authorization = get(request, "authorization").unwrap();
    // x-acs-* header parameters are signed, others are not.
    assert!(authorization.contains("x-acs-resource-group-id;"), "{authorization}");
    assert!(!authorization.contains("x-trace"), "{authorization}");
    verify_signature(request);
}

#[tokio::test]
async fn form_parameters_make_a_sorted_urlencoded_body_and_fixed_queries_join_the_query() {
    let server = ok_server().await;
    let params = json!({
        "AppId": "app/1", "Name": "a b+c~*", "Tag": [{"Key": "k", "Value": "中"}], "Config": {"x": [true]},
    });
    call(&server, &UPDATE_FORM, params).await.unwrap();
    let requests = received(&server).await;
    let request = &requests[0];
    assert_eq!(request.method.as_str(), "PUT");
    assert_eq!(request.url.path(), "/apps/app%2F1");
    assert_eq!(request.url.query(), Some("action=update"));
    assert_eq!(
        std::str::from_utf8(&request.body).unwrap(),
        "Config=%7B%22x%22%3A%5Btrue%5D%7D&Name=a+b%2Bc~%2A&Tag.1.Key=k&Tag.1.Value=%E4%B8%AD"
    );
    assert_eq!(get(request, "content-type").as_deref(), Some("application/x-www-form-urlencoded"));
    verify_signature(request);
}

#[tokio::test]
async fn refused_requests_never_reach_the_server() {
    let server = ok_server().await;
    // The path parameter is missing: no request to another resource.
    let error = call(&server, &CREATE_POOL, json!({"body": {}})).await.unwrap_err();
    assert!(matches!(&error, Error::Configuration(message) if message.contains("`ClusterId`")), "{error:?}");
    assert!(received(&server).await.is_empty());
}

fn token_of(request: &Request) -> String {
    request.url.query_pairs().find(|(k, _)| k == "ClientToken").map(|(_, v)| v.into_owned()).unwrap_or_default()
}

#[tokio::test]
async fn a_client_token_is_filled_once_per_call_and_kept_across_retries() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/clusters"))
        .respond_with(Sequence::new(vec![
            ResponseTemplate::new(503).set_body_string("busy"),
            ResponseTemplate::new(200).set_body_json(json!({"RequestId": "roa-2"})),
        ]))
        .mount(&server)
        .await;
    // Not idempotent by itself: the token makes the retry after a 503 safe.
    call(&server, &CREATE_WITH_TOKEN, json!({"body": {"name": "c"}})).await.unwrap();
    call(&server, &CREATE_WITH_TOKEN, json!({"body": {"name": "c"}, "ClientToken": null})).await.unwrap();
    call(&server, &CREATE_WITH_TOKEN, json!({"body": {"name": "c"}, "ClientToken": "mine-1"})).await.unwrap();
    let requests = received(&server).await;
    assert_eq!(requests.len(), 4, "the first call is retried once");
    let tokens: Vec<String> = requests.iter().map(token_of).collect();
    let uuid = regex::Regex::new("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$").unwrap();
    assert!(uuid.is_match(&tokens[0]), "{tokens:?}");
    assert_eq!(tokens[0], tokens[1], "both attempts of one call carry the same token");
    assert!(uuid.is_match(&tokens[2]), "{tokens:?}");
    assert_ne!(tokens[1], tokens[2], "another call gets another token");
    assert_eq!(tokens[3], "mine-1", "a caller's token is kept");
    for request in &requests {
        verify_signature(request);
        assert_eq!(std::str::from_utf8(&request.body).unwrap(), r#"{"name":"c"}"#);
    }
}
