//! The instance metadata services the fake plays, beside the APIs on the same address — Tencent CVM's
//! role endpoints and Alibaba ECS's, with its IMDSv2 token — and a credentials URI
//! (`GET /_cloudspec/credentials-uri`, the shape `ALIBABA_CLOUD_CREDENTIALS_URI` serves). The
//! credentials they hand out are issued like STS's, so the fake accepts them for signed calls.

use bytes::Bytes;
use http_body_util::Full;
use hyper::Response;
use serde_json::json;

use crate::control::LogEntry;
use crate::emulate::random_text;
use crate::envelope::{json_response, plain};
use crate::settings::ImdsToken;
use crate::state::Shared;
use crate::temporary::{METADATA_LIFETIME, Request, now, rfc3339};

const TOKEN_PATH: &str = "/latest/api/token";
const ECS_ROLES: &str = "/latest/meta-data/ram/security-credentials/";
const CVM_ROLES: &str = "/latest/meta-data/cam/security-credentials/";
const CREDENTIALS_URI: &str = "/_cloudspec/credentials-uri";

/// The most metadata tokens remembered at once.
const MAX_TOKENS: usize = 10_000;

/// Whether a request is for the metadata services (or the credentials URI).
pub(crate) fn is_metadata(method: &str, path: &str) -> bool {
    match method {
        "PUT" => path == TOKEN_PATH,
        "GET" => path.starts_with(ECS_ROLES) || path.starts_with(CVM_ROLES) || path == CREDENTIALS_URI,
        _ => false,
    }
}

/// Answers a metadata request, and logs it.
pub(crate) fn answer(shared: &Shared, parts: &hyper::http::request::Parts) -> Response<Full<Bytes>> {
    let path = parts.uri.path();
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
    let (action, response, issued) = if parts.method == "PUT" {
        ("MetadataToken", token(shared, header("x-aliyun-ecs-metadata-token-ttl-seconds")), None)
    } else if path == CREDENTIALS_URI {
        let (response, id) = credentials(shared, None, true, "credentials-uri");
        ("CredentialsUri", response, id)
    } else {
        let alibaba = path.starts_with(ECS_ROLES);
        let prefix = if alibaba { ECS_ROLES } else { CVM_ROLES };
        let role = &path[prefix.len()..];
        if alibaba && !token_ok(shared, header("x-aliyun-ecs-metadata-token")) {
            ("MetadataCredentials", plain(401, "a valid X-aliyun-ecs-metadata-token is required"), None)
        } else if role.is_empty() {
            ("MetadataRole", discovery(shared), None)
        } else {
            let (response, id) = credentials(shared, Some(role), alibaba, "metadata");
            ("MetadataCredentials", response, id)
        }
    };
    let status = response.status().as_u16();
    let entry = LogEntry {
        action: Some(action.into()),
        service: Some("metadata".into()),
        processed: status == 200,
        error: (status != 200).then(|| format!("HTTP {status}")),
        status,
        params: Vec::new(),
        access_key_id: issued,
    };
    shared.lock().log.push(entry);
    response
}

/// `PUT /latest/api/token`: a token for the TTL the header asks.
fn token(shared: &Shared, ttl: Option<&str>) -> Response<Full<Bytes>> {
    let mut state = shared.lock();
    if state.settings.metadata.token == ImdsToken::Refused {
        return plain(403, "tokens are turned off");
    }
    let Some(ttl) = ttl.and_then(|t| t.trim().parse::<u64>().ok()).filter(|t| (1..=21600).contains(t)) else {
        return plain(400, "X-aliyun-ecs-metadata-token-ttl-seconds must be 1 to 21600");
    };
    let token = random_text(44);
    let expires = std::time::Instant::now() + std::time::Duration::from_secs(ttl);
    let tokens = &mut state.metadata_tokens;
    if tokens.len() >= MAX_TOKENS {
        let now = std::time::Instant::now();
        tokens.retain(|_, until| *until > now);
        if tokens.len() >= MAX_TOKENS {
            tokens.clear();
        }
    }
    tokens.insert(token.clone(), expires);
    plain(200, &token)
}

/// Whether an ECS request may be answered: with a valid token, or without one unless tokens are
/// required.
fn token_ok(shared: &Shared, token: Option<&str>) -> bool {
    let state = shared.lock();
    match token {
        Some(token) => state.metadata_tokens.get(token).is_some_and(|until| *until > std::time::Instant::now()),
        None => state.settings.metadata.token != ImdsToken::Required,
    }
}

/// The role's name, or 404 without one.
fn discovery(shared: &Shared) -> Response<Full<Bytes>> {
    match &shared.lock().settings.metadata.role {
        Some(role) => plain(200, role),
        None => plain(404, "no role is bound to this instance"),
    }
}

/// The credentials of `role` (any role for the credentials URI), in the provider's shape.
fn credentials(
    shared: &Shared,
    role: Option<&str>,
    alibaba: bool,
    issued_by: &str,
) -> (Response<Full<Bytes>>, Option<String>) {
    let mut state = shared.lock();
    let state = &mut *state;
    let bound = state.settings.metadata.role.clone();
    if role.is_some() && role != bound.as_deref() {
        return (plain(404, "no such role"), None);
    }
    let now = now(&state.settings);
    let request = Request {
        issued_by,
        alibaba,
        role: role.map(str::to_string),
        session_name: None,
        source: None,
        oidc_token: None,
        asked: None,
        default: METADATA_LIFETIME,
    };
    let issued = state.temporary.issue(&state.settings, request, now);
    let info = &issued.info;
    let body = if alibaba {
        json!({
            "Code": "Success", "AccessKeyId": info.access_key_id, "AccessKeySecret": issued.secret,
            "SecurityToken": issued.token, "Expiration": rfc3339(info.expires_at), "LastUpdated": rfc3339(now)
        })
    } else {
        json!({
            "Code": "Success", "TmpSecretId": info.access_key_id, "TmpSecretKey": issued.secret, "Token": issued.token,
            "ExpiredTime": info.expires_at, "Expiration": rfc3339(info.expires_at)
        })
    };
    (json_response(200, &body), Some(info.access_key_id.clone()))
}
