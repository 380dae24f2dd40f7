//! The fake's answers in each provider's own shape: Tencent's `{"Response": {...}}` (errors with HTTP
//! 200), Alibaba's flat `{"Code", "Message", "RequestId"}` with the error's status, ROA's bare body with
//! the request id in `x-acs-request-id`; the documented examples success answers are built from; and
//! the log entry each answer leaves.

use bytes::Bytes;
use http_body_util::Full;
use hyper::Response;
use serde_json::{Map, Value, json};

use cloudspec::spec::Action;

use crate::control::LogEntry;
use crate::served::Served;
use crate::wire::Wire;

/// An answer, or [`Reset`]: close the connection without one.
pub(crate) type Answer = Result<Response<Full<Bytes>>, Reset>;

/// Closes the connection without answering.
#[derive(Debug)]
pub(crate) struct Reset;

impl std::fmt::Display for Reset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection reset by the fake (injected fault)")
    }
}

impl std::error::Error for Reset {}

/// The answer and what the log records.
pub(crate) struct Outcome {
    pub(crate) answer: Answer,
    /// What the log records, unless it was recorded already.
    pub(crate) entry: Option<LogEntry>,
}

/// The protocol a request speaks, which decides the shape of its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Tencent,
    AlibabaV3,
    AlibabaRpc,
    /// Alibaba ROA (signature V3), routed by method and path.
    AlibabaRoa,
}

/// A request id in the providers' usual shape.
fn request_id() -> String {
    let b: [u8; 16] = rand::random();
    let h = hex::encode(b);
    format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..]).to_uppercase()
}

/// What the fake knows about a request so far: its protocol, and once routed its service and action.
pub(crate) struct Call<'a> {
    pub(crate) kind: Kind,
    pub(crate) served: Option<&'a Served>,
    pub(crate) action: Option<String>,
}

impl Call<'_> {
    pub(crate) fn entry(&self, processed: bool, error: Option<&str>, status: u16) -> LogEntry {
        LogEntry {
            action: self.action.clone(),
            service: self.served.map(|s| s.spec.service.name.clone()),
            processed,
            error: error.map(str::to_string),
            status,
            params: Vec::new(),
        }
    }

    /// An error in the provider's envelope (boxed: phases pass it up as their `Err`).
    pub(crate) fn error(&self, code: &str, message: &str, status: u16) -> Box<Outcome> {
        let id = request_id();
        let (status, body) = match self.kind {
            Kind::Tencent => (200, json!({"Response": {"Error": {"Code": code, "Message": message}, "RequestId": id}})),
            _ => (
                status,
                json!({"RequestId": id, "HostId": "cloudspec-fake", "Code": code, "Message": message, "Recommend": ""}),
            ),
        };
        Box::new(Outcome {
            answer: Ok(json_response(status, &body)),
            entry: Some(self.entry(false, Some(code), status)),
        })
    }

    /// The provider's throttling error.
    pub(crate) fn throttled(&self) -> Box<Outcome> {
        match self.kind {
            Kind::Tencent => {
                self.error("RequestLimitExceeded", "the number of requests exceeds the frequency limit", 200)
            }
            _ => self.error("Throttling.User", "request was denied due to user flow control", 400),
        }
    }

    /// A success: `payload` with a fresh `RequestId`, in the provider's envelope.
    pub(crate) fn success(&self, mut payload: Map<String, Value>) -> Response<Full<Bytes>> {
        payload.insert("RequestId".into(), Value::String(request_id()));
        let body = match self.kind {
            Kind::Tencent => json!({ "Response": payload }),
            _ => Value::Object(payload),
        };
        json_response(200, &body)
    }

    /// A ROA answer: the bare body, the request id in the `x-acs-request-id` header.
    pub(crate) fn roa_success(&self, body: &Value) -> Response<Full<Bytes>> {
        let mut response = json_response(200, body);
        if let Ok(id) = hyper::header::HeaderValue::from_str(&request_id()) {
            response.headers_mut().insert("x-acs-request-id", id);
        }
        response
    }
}

/// Alibaba's message for a request no action answers. It names the method but not the path, whose
/// segments may be the values of secret path parameters.
pub(crate) fn not_found(wire: &Wire) -> String {
    format!("Specified api is not found, please check your url and method ({})", wire.method)
}

/// A ROA action's answer: its first documented success example as it is (any JSON value), or `{}`.
pub(crate) fn roa_example(action: &Action) -> Value {
    action
        .examples
        .iter()
        .filter_map(|e| e.output.as_deref())
        .filter_map(|output| serde_json::from_str::<Value>(output).ok())
        .find(|body| !(body.get("Code").is_some() && body.get("Message").is_some()))
        .unwrap_or_else(|| Value::Object(Map::new()))
}

/// The first documented success example's payload, or an empty one.
pub(crate) fn example_payload(action: &Action, kind: Kind) -> Map<String, Value> {
    for output in action.examples.iter().filter_map(|e| e.output.as_deref()) {
        let Ok(body) = serde_json::from_str::<Value>(output) else { continue };
        let payload = if kind == Kind::Tencent { body.get("Response").cloned() } else { Some(body) };
        if let Some(Value::Object(payload)) = payload {
            if !payload.contains_key("Error") && !payload.contains_key("Code") {
                return payload;
            }
        }
    }
    Map::new()
}

/// A plain-text answer (a status no envelope describes).
pub(crate) fn plain(status: u16, text: &str) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(text.to_string())));
    *response.status_mut() = hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    response
}

/// A JSON answer.
pub(crate) fn json_response(status: u16, value: &Value) -> Response<Full<Bytes>> {
    let mut response = plain(status, &value.to_string());
    response.headers_mut().insert("content-type", hyper::header::HeaderValue::from_static("application/json"));
    response
}
