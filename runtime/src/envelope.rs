//! The response envelopes of the providers' protocols: where the payload, the request id and errors sit,
//! and how to tell an error from a success when the status does not (Tencent answers errors with HTTP
//! 200; so do some Alibaba services, see [`StatusFields`]).

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{ErrorMetadata, ServiceError};
use crate::meta::{ActionMeta, StatusFields};

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

/// Reads a response body according to the protocol's envelope, without the action's metadata: an
/// Alibaba answer with a 2xx status is taken as a success. Documented examples are decoded this way;
/// calls use [`inspect_action`].
pub fn inspect(protocol: Protocol, status: u16, body: &[u8]) -> Inspected {
    inspect_with(protocol, None, status, body)
}

/// Reads the response of an action: as [`inspect`], and an Alibaba answer with a 2xx status is an error
/// when its body is an error envelope the action's documented response does not explain
/// ([`StatusFields`]).
pub fn inspect_action(action: &ActionMeta, status: u16, body: &[u8]) -> Inspected {
    inspect_with(action.service.protocol, Some(action.status_fields), status, body)
}

fn inspect_with(protocol: Protocol, status_fields: Option<StatusFields>, status: u16, body: &[u8]) -> Inspected {
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
            if let Some(metadata) = status_fields.and_then(|fields| error_in_success(&value, fields)) {
                return Inspected::ServiceError(metadata);
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

/// The error an Alibaba 2xx body reports, by the rule of [`StatusFields`]: a documented `Success` that
/// is false, or an undocumented string `Code` with a string `Message`.
fn error_in_success(body: &Value, fields: StatusFields) -> Option<ErrorMetadata> {
    let object = body.as_object()?;
    let unsuccessful = fields.success && object.get("Success").and_then(crate::json::bool_from) == Some(false);
    let undocumented_code = !fields.code
        && object.get("Code").is_some_and(Value::is_string)
        && object.get("Message").is_some_and(Value::is_string);
    if !(unsuccessful || undocumented_code) {
        return None;
    }
    let code = match object.get("Code") {
        Some(Value::String(code)) => code.clone(),
        Some(Value::Number(code)) => code.to_string(),
        _ => "Unsuccessful".to_string(),
    };
    let message = object.get("Message").and_then(Value::as_str).unwrap_or("the response says `Success: false`");
    let request_id = object.get("RequestId").and_then(Value::as_str).map(str::to_string);
    Some(ErrorMetadata::new(code, message, request_id))
}

fn error_metadata(error: &Value, request_id: Option<&Value>) -> Option<ErrorMetadata> {
    let code = error.get("Code")?.as_str()?;
    let message = error.get("Message").and_then(Value::as_str).unwrap_or_default();
    let request_id = request_id.and_then(Value::as_str).map(str::to_string);
    Some(ErrorMetadata::new(code, message, request_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alibaba(fields: StatusFields, status: u16, body: &str) -> Inspected {
        inspect_with(Protocol::AlibabaRpc, Some(fields), status, body.as_bytes())
    }

    const NONE: StatusFields = StatusFields { code: false, success: false };
    const CODE: StatusFields = StatusFields { code: true, success: false };
    const BOTH: StatusFields = StatusFields { code: true, success: true };

    #[test]
    fn an_alibaba_error_envelope_with_http_200_is_an_error() {
        let envelope = r#"{"Code": "Forbidden.RAM", "Message": "no permission", "RequestId": "r-1", "HostId": "h"}"#;
        let Inspected::ServiceError(metadata) = alibaba(NONE, 200, envelope) else { panic!("taken as a success") };
        assert_eq!(
            (metadata.code(), metadata.message(), metadata.request_id()),
            ("Forbidden.RAM", "no permission", Some("r-1"))
        );
        // A documented `Success: false`, with or without a code.
        let Inspected::ServiceError(metadata) =
            alibaba(BOTH, 200, r#"{"Code": "InvalidApp", "Message": "m", "Success": false, "RequestId": "r"}"#)
        else {
            panic!("Success: false taken as a success")
        };
        assert_eq!(metadata.code(), "InvalidApp");
        let Inspected::ServiceError(metadata) = alibaba(BOTH, 200, r#"{"Success": "false", "RequestId": "r"}"#) else {
            panic!("Success: \"false\" taken as a success")
        };
        assert_eq!(metadata.code(), "Unsuccessful");
    }

    #[test]
    fn a_documented_code_or_success_is_part_of_a_success() {
        for (fields, body) in [
            (CODE, r#"{"Code": "200", "Message": "OK", "RequestId": "r", "Data": {}}"#),
            (BOTH, r#"{"Code": "200", "Message": "OK", "Success": true, "RequestId": "r"}"#),
            (CODE, r#"{"Code": "Anything", "Message": "OK", "Success": false}"#),
            // Without a message, a stray `Code` is not an error envelope.
            (NONE, r#"{"Code": "X", "RequestId": "r"}"#),
            (NONE, r#"{"Code": 5, "Message": "number codes are not envelopes", "RequestId": "r"}"#),
            (NONE, r#"[{"Code": "X", "Message": "a list body"}]"#),
        ] {
            assert!(matches!(alibaba(fields, 200, body), Inspected::Success(_)), "{body}");
        }
        // Without the action's metadata (documented examples), a 2xx is a success.
        let envelope = r#"{"Code": "Forbidden.RAM", "Message": "no permission", "RequestId": "r-1"}"#;
        assert!(matches!(inspect(Protocol::AlibabaRpc, 200, envelope.as_bytes()), Inspected::Success(_)));
        // Error statuses are errors, as before.
        assert!(matches!(alibaba(CODE, 403, envelope), Inspected::ServiceError(_)));
    }
}
