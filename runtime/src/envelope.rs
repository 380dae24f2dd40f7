//! The response envelopes of the providers' protocols: where the payload, the request id and errors sit.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{ErrorMetadata, ServiceError};

pub use cloudspec_rules::Protocol;

/// What a response body says, before it is turned into typed values.
#[derive(Debug)]
pub enum Inspected {
    /// A success: the payload (inside the protocol's wrapper).
    Success(Value),
    /// An error envelope.
    ServiceError(ErrorMetadata),
    /// Not what the protocol promises; the reason, without the body.
    Undecodable(String),
}

impl Inspected {
    /// The request id the body carries, if any.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Inspected::Success(payload) => payload.get("RequestId").and_then(Value::as_str),
            Inspected::ServiceError(metadata) => metadata.request_id(),
            Inspected::Undecodable(_) => None,
        }
    }
}

/// Reads a response body according to the protocol's envelope.
pub fn inspect(protocol: Protocol, status: u16, body: &[u8]) -> Inspected {
    let value: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(_) if body.is_empty() => return Inspected::Undecodable(format!("HTTP {status} with an empty body")),
        Err(e) => return Inspected::Undecodable(format!("HTTP {status} with a body that is not JSON: {e}")),
    };
    match protocol {
        Protocol::TencentJson => {
            let Some(payload) = value.get("Response").filter(|r| r.is_object()) else {
                return Inspected::Undecodable(format!("HTTP {status} without a `Response` object"));
            };
            if let Some(error) = payload.get("Error").filter(|e| !e.is_null()) {
                return match error_metadata(error, payload.get("RequestId")) {
                    Some(metadata) => Inspected::ServiceError(metadata),
                    None => Inspected::Undecodable("an error envelope without a string `Code`".into()),
                };
            }
            if !(200..300).contains(&status) {
                return Inspected::Undecodable(format!("HTTP {status} without an error envelope"));
            }
            match value {
                Value::Object(mut object) => Inspected::Success(object.remove("Response").unwrap_or_default()),
                _ => Inspected::Undecodable("the body is not an object".into()),
            }
        }
        Protocol::AlibabaRpc | Protocol::AlibabaRoa => {
            if !(200..300).contains(&status) {
                return match error_metadata(&value, value.get("RequestId")) {
                    Some(metadata) => Inspected::ServiceError(metadata),
                    None => Inspected::Undecodable(format!("HTTP {status} without an error envelope")),
                };
            }
            Inspected::Success(value)
        }
    }
}

/// Why a response body could not be turned into a result.
#[derive(Debug)]
pub enum Decoded<E> {
    /// The service answered with an error.
    Service(E),
    /// The body is not what the protocol and the spec promise; the reason, without the body.
    Undecodable(String),
}

/// Decodes a response body: the action's output on success, its typed error on an error envelope.
pub fn decode<T: DeserializeOwned, E: ServiceError>(
    protocol: Protocol,
    status: u16,
    body: &[u8],
) -> Result<T, Decoded<E>> {
    match inspect(protocol, status, body) {
        Inspected::Success(payload) => decode_payload(payload).map_err(Decoded::Undecodable),
        Inspected::ServiceError(metadata) => Err(Decoded::Service(E::from_metadata(metadata))),
        Inspected::Undecodable(reason) => Err(Decoded::Undecodable(reason)),
    }
}

/// Decodes a documented success body into the action's output type, and says why it does not.
/// Catalogue checks use it through generated `example_probe` modules.
pub fn probe<T: DeserializeOwned, E: ServiceError>(protocol: Protocol, body: &str) -> Result<(), String> {
    match decode::<T, E>(protocol, 200, body.as_bytes()) {
        Ok(_) => Ok(()),
        Err(Decoded::Service(error)) => Err(format!("an error envelope, not a success body: {}", error.code())),
        Err(Decoded::Undecodable(reason)) => Err(reason),
    }
}

/// Decodes a success payload into the action's output.
pub fn decode_payload<T: DeserializeOwned>(payload: Value) -> Result<T, String> {
    crate::json::from_value(payload).map_err(|e| format!("the response does not match the spec: {e}"))
}

fn error_metadata(error: &Value, request_id: Option<&Value>) -> Option<ErrorMetadata> {
    let code = error.get("Code")?.as_str()?;
    let message = error.get("Message").and_then(Value::as_str).unwrap_or_default();
    let request_id = request_id.and_then(Value::as_str).map(str::to_string);
    Some(ErrorMetadata::new(code, message, request_id))
}
