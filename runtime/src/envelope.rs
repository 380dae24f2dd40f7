//! The response envelopes of the providers' protocols: where the payload, the request id and errors sit.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{ErrorMetadata, ServiceError};

/// A provider protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Protocol {
    /// Tencent Cloud API 3.0: `{"Response": {…, "RequestId": …}}`, errors in `Response.Error`, HTTP 200.
    TencentJson,
    /// Alibaba Cloud RPC: fields at the top, errors as `{"Code", "Message", "RequestId"}` with 4xx / 5xx.
    AlibabaRpc,
    /// Alibaba Cloud ROA: as RPC, on REST paths.
    AlibabaRoa,
}

/// Why a response body could not be turned into a result.
#[derive(Debug)]
pub enum Decoded<E> {
    /// The service answered with an error.
    Service(E),
    /// The body is not what the protocol promises; the reason, without the body.
    Undecodable(String),
}

/// Decodes a response body: the action's output on success, its typed error on an error envelope.
pub fn decode<T: DeserializeOwned, E: ServiceError>(
    protocol: Protocol,
    status: u16,
    body: &[u8],
) -> Result<T, Decoded<E>> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| Decoded::Undecodable(format!("the body is not JSON: {e}")))?;
    match protocol {
        Protocol::TencentJson => {
            let Some(payload) = value.get("Response").filter(|r| r.is_object()) else {
                return Err(Decoded::Undecodable("the body has no `Response` object".into()));
            };
            if let Some(error) = payload.get("Error").filter(|e| !e.is_null()) {
                return Err(match error_metadata(error, payload.get("RequestId")) {
                    Some(metadata) => Decoded::Service(E::from_metadata(metadata)),
                    None => Decoded::Undecodable("the error envelope has no string `Code`".into()),
                });
            }
            T::deserialize(payload)
                .map_err(|e| Decoded::Undecodable(format!("the response does not match the spec: {e}")))
        }
        Protocol::AlibabaRpc | Protocol::AlibabaRoa => {
            let is_error = !(200..300).contains(&status);
            if is_error {
                return Err(match error_metadata(&value, value.get("RequestId")) {
                    Some(metadata) => Decoded::Service(E::from_metadata(metadata)),
                    None => Decoded::Undecodable(format!("HTTP {status} without an error envelope")),
                });
            }
            T::deserialize(&value)
                .map_err(|e| Decoded::Undecodable(format!("the response does not match the spec: {e}")))
        }
    }
}

fn error_metadata(error: &Value, request_id: Option<&Value>) -> Option<ErrorMetadata> {
    let code = error.get("Code")?.as_str()?;
    let message = error.get("Message").and_then(Value::as_str).unwrap_or_default();
    let request_id = request_id.and_then(Value::as_str).map(str::to_string);
    Some(ErrorMetadata::new(code, message, request_id))
}
