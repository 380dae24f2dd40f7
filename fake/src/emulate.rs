//! State for the seed actions: API keys that are created, rotated and used as credentials, and the
//! secrets of apps and gateways that are replaced.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::served::Served;
use crate::settings::Settings;

/// An API key kept by the fake.
#[derive(Debug, Clone)]
pub(crate) struct ApiKey {
    secret: String,
    kind: String,
    name: String,
    created: String,
    modified: String,
}

/// Everything the emulated actions remember.
#[derive(Debug, Default)]
pub(crate) struct Store {
    api_keys: BTreeMap<String, ApiKey>,
    app_secrets: BTreeMap<String, String>,
    gateway_keys: BTreeMap<String, String>,
}

impl Store {
    /// A fresh store holding the resources the documented examples refer to, so every documented
    /// example works against a fresh fake (the key `UpdateApiKey`'s example rotates exists).
    pub(crate) fn seeded(services: &[Served]) -> Store {
        let mut store = Store::default();
        for served in services.iter().filter(|s| s.spec.service.name == "apigateway") {
            let common: Vec<&str> = served.provider.common_parameters.keys().map(String::as_str).collect();
            let inputs =
                served.action("UpdateApiKey").into_iter().flat_map(|a| &a.examples).filter_map(|e| e.input.as_deref());
            for input in inputs {
                let Ok(parsed) = cloudspec::check::parse_example_input(input, &common) else { continue };
                if let Some(id) = text(&parsed.params, "AccessKeyId") {
                    let time = now();
                    let key = ApiKey {
                        secret: random_text(40),
                        kind: "auto".into(),
                        name: "documented".into(),
                        created: time.clone(),
                        modified: time,
                    };
                    store.api_keys.insert(id, key);
                }
            }
        }
        store
    }
}

fn random_text(len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    (0..len).map(|_| ALPHABET[rand::random_range(0..ALPHABET.len())] as char).collect()
}

fn now() -> String {
    let now = time::OffsetDateTime::now_utc().replace_nanosecond(0).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    now.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

fn text(params: &Map<String, Value>, name: &str) -> Option<String> {
    params.get(name).and_then(Value::as_str).map(str::to_string)
}

fn key_json(id: &str, key: &ApiKey) -> Value {
    json!({
        "AccessKeyId": id, "AccessKeySecret": key.secret, "AccessKeyType": key.kind, "SecretName": key.name,
        "Status": 1, "CreatedTime": key.created, "ModifiedTime": key.modified
    })
}

type Outcome = Result<Map<String, Value>, (String, String)>;

fn fail(code: &str, message: &str) -> Option<Outcome> {
    Some(Err((code.to_string(), message.to_string())))
}

fn ok(value: Value) -> Option<Outcome> {
    match value {
        Value::Object(map) => Some(Ok(map)),
        _ => Some(Ok(Map::new())),
    }
}

/// Runs an emulated action on `store`; `None` when the action is not emulated (it answers its example).
/// Keys it hands out are added to `settings`' credentials.
pub(crate) fn run(
    store: &mut Store,
    settings: &mut Settings,
    served: &Served,
    action: &str,
    params: &Map<String, Value>,
) -> Option<Outcome> {
    let limit = settings.api_key_limit;
    let service = served.spec.service.name.as_str();
    match (service, action) {
        ("apigateway", "CreateApiKey") => {
            let manual = text(params, "AccessKeyType").as_deref() == Some("manual");
            let (id, secret) = if manual {
                (text(params, "AccessKeyId").unwrap_or_default(), text(params, "AccessKeySecret").unwrap_or_default())
            } else {
                (format!("AKID{}", random_text(32)), random_text(40))
            };
            if store.api_keys.contains_key(&id) {
                return fail("FailedOperation.AccessKeyExist", "The custom key already exists.");
            }
            if store.api_keys.len() >= limit {
                return fail("LimitExceeded.ApiKeyCountLimitExceeded", "The number of keys exceeds the limit.");
            }
            let time = now();
            let key = ApiKey {
                secret: secret.clone(),
                kind: if manual { "manual" } else { "auto" }.into(),
                name: text(params, "SecretName").unwrap_or_default(),
                created: time.clone(),
                modified: time,
            };
            let result = key_json(&id, &key);
            store.api_keys.insert(id.clone(), key);
            // Keys the fake hands out also sign requests to it, so tests can see a rotated key stop working.
            settings.credentials.insert(id, secret);
            ok(json!({ "Result": result }))
        }
        ("apigateway", "UpdateApiKey") => {
            let id = text(params, "AccessKeyId").unwrap_or_default();
            let Some(key) = store.api_keys.get_mut(&id) else {
                return fail("ResourceNotFound.InvalidAccessKeyId", "The key does not exist.");
            };
            key.secret = text(params, "AccessKeySecret").unwrap_or_else(|| random_text(40));
            key.modified = now();
            let (result, secret) = (key_json(&id, key), key.secret.clone());
            settings.credentials.insert(id, secret);
            ok(json!({ "Result": result }))
        }
        ("apigateway", "UpdateApiAppKey") => {
            let app = text(params, "ApiAppId").unwrap_or_default();
            let secret = text(params, "ApiAppSecret").unwrap_or_else(|| random_text(40));
            store.app_secrets.insert(app, secret);
            ok(json!({ "Result": true }))
        }
        ("teo", "ModifyMultiPathGatewaySecretKey") => {
            let zone = text(params, "ZoneId").unwrap_or_default();
            store.gateway_keys.insert(zone, text(params, "SecretKey").unwrap_or_default());
            ok(json!({}))
        }
        ("cloudapi", "ResetAppSecret") => {
            let app_key = text(params, "AppKey").unwrap_or_default();
            let new_key = text(params, "NewAppKey").unwrap_or_else(|| app_key.clone());
            store.app_secrets.remove(&app_key);
            store.app_secrets.insert(new_key, text(params, "NewAppSecret").unwrap_or_else(|| random_text(32)));
            ok(json!({}))
        }
        _ => None,
    }
}
