//! The endpoints under `/_cloudspec/` through which a test (or a developer with `curl`) steers a
//! running fake: inject faults, read the log, reset, move the clock.

use bytes::Bytes;
use http_body_util::Full;
use hyper::Response;
use serde_json::Value;

use crate::control::FaultRule;
use crate::envelope::{json_response, plain};
use crate::state::Shared;

/// Whether a path is an admin endpoint's.
pub(crate) fn is_admin(path: &str) -> bool {
    path.starts_with("/_cloudspec/")
}

/// `/_cloudspec/faults` (POST a rule or a list), `/_cloudspec/log` (GET), `/_cloudspec/reset` (POST),
/// `/_cloudspec/clock` (POST `{"offset_seconds": N}`).
pub(crate) fn answer(shared: &Shared, parts: &hyper::http::request::Parts, body: &Bytes) -> Response<Full<Bytes>> {
    match (parts.method.as_str(), parts.uri.path()) {
        ("POST", "/_cloudspec/faults") => {
            let rules: Result<Vec<FaultRule>, _> = serde_json::from_slice::<Vec<FaultRule>>(body)
                .or_else(|_| serde_json::from_slice::<FaultRule>(body).map(|rule| vec![rule]));
            match rules {
                Ok(rules) => {
                    let count = rules.len();
                    shared.lock().faults.extend(rules);
                    json_response(200, &serde_json::json!({ "injected": count }))
                }
                Err(error) => plain(400, &format!("not a fault rule: {error}")),
            }
        }
        ("GET", "/_cloudspec/log") => json_response(200, &serde_json::to_value(&shared.lock().log).unwrap_or_default()),
        ("POST", "/_cloudspec/reset") => {
            shared.reset();
            json_response(200, &serde_json::json!({ "reset": true }))
        }
        ("POST", "/_cloudspec/clock") => {
            match serde_json::from_slice::<Value>(body).ok().and_then(|v| v["offset_seconds"].as_i64()) {
                Some(offset) => {
                    shared.lock().settings.clock_offset_seconds = offset;
                    json_response(200, &serde_json::json!({ "offset_seconds": offset }))
                }
                None => plain(400, "expected {\"offset_seconds\": N}"),
            }
        }
        _ => plain(
            404,
            "unknown admin endpoint: /_cloudspec/faults, /_cloudspec/log, /_cloudspec/reset, /_cloudspec/clock",
        ),
    }
}
