//! The response envelopes of the providers' protocols: where the payload, the request id and errors sit,
//! and how to tell an error from a success when the status does not (Tencent answers errors with HTTP
//! 200; so do some Alibaba services, see [`StatusFields`]).

use std::ops::Range;

use crate::json::Decode;
use serde_json::value::RawValue;

use crate::error::{ErrorMetadata, ServiceError};
use crate::json::raw::{self, Members};
use crate::meta::{ActionMeta, StatusFields};

pub use cloudspec_rules::Protocol;

/// What a response body says, before it is turned into typed values.
#[derive(Debug)]
pub enum Inspected {
    /// A success: where the payload (inside the protocol's wrapper) sits in the body.
    Success(Payload),
    /// An error envelope.
    ServiceError(ErrorMetadata),
    /// Not what the protocol promises; the reason, without the body.
    Undecodable(String),
}

/// A success payload: its place in the body (decoded later, straight from there, into the action's
/// output type) and the request id it carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payload {
    range: Range<usize>,
    request_id: Option<String>,
}

impl Payload {
    /// The payload's bytes in the body it was found in.
    pub fn text<'a>(&self, body: &'a [u8]) -> &'a [u8] {
        body.get(self.range.clone()).unwrap_or_default()
    }

    /// The request id of the payload, if any.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

impl Inspected {
    /// The request id the body carries, if any.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Inspected::Success(payload) => payload.request_id(),
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

/// Reads the envelope from borrowed slices of the body: its members are found without decoding their
/// values, and the payload is left in place for [`decode_payload`].
fn inspect_with(protocol: Protocol, status_fields: Option<StatusFields>, status: u16, body: &[u8]) -> Inspected {
    let top = match raw::members(body) {
        Ok(top) => top,
        Err(_) if body.is_empty() => return Inspected::Undecodable(format!("HTTP {status} with an empty body")),
        Err(e) => return Inspected::Undecodable(format!("HTTP {status} with a body that is not JSON: {e}")),
    };
    match protocol {
        Protocol::TencentJson => {
            let Some(response) = top.as_ref().and_then(|top| top.get("Response")).filter(|r| raw::is_object(r)) else {
                return Inspected::Undecodable(format!("HTTP {status} without a `Response` object"));
            };
            let payload = raw::members_of(response).unwrap_or_default();
            if let Some(error) = payload.get("Error").filter(|e| !raw::is_null(e)) {
                return match error_metadata(error, &payload) {
                    Some(metadata) => Inspected::ServiceError(metadata),
                    None => Inspected::Undecodable("an error envelope without a string `Code`".into()),
                };
            }
            if !(200..300).contains(&status) {
                return Inspected::Undecodable(format!("HTTP {status} without an error envelope"));
            }
            Inspected::Success(Payload {
                range: raw::range_in(body, response),
                request_id: payload.string("RequestId"),
            })
        }
        Protocol::AlibabaRpc | Protocol::AlibabaRoa => {
            let top = top.unwrap_or_default();
            if !(200..300).contains(&status) {
                return match top_error_metadata(&top) {
                    Some(metadata) => Inspected::ServiceError(metadata),
                    None => Inspected::Undecodable(format!("HTTP {status} without an error envelope")),
                };
            }
            if let Some(metadata) = status_fields.and_then(|fields| error_in_success(&top, fields)) {
                return Inspected::ServiceError(metadata);
            }
            Inspected::Success(Payload { range: 0..body.len(), request_id: top.string("RequestId") })
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
pub fn decode<T: Decode, E: ServiceError>(protocol: Protocol, status: u16, body: &[u8]) -> Result<T, Decoded<E>> {
    match inspect(protocol, status, body) {
        Inspected::Success(payload) => decode_payload(payload.text(body)).map_err(Decoded::Undecodable),
        Inspected::ServiceError(metadata) => Err(Decoded::Service(E::from_metadata(metadata))),
        Inspected::Undecodable(reason) => Err(Decoded::Undecodable(reason)),
    }
}

/// Decodes a documented success body into the action's output type, and says why it does not.
/// Catalogue checks use it through generated `example_probe` modules.
pub fn probe<T: Decode, E: ServiceError>(protocol: Protocol, body: &str) -> Result<(), String> {
    // The typed error `E` is not built: its code is the envelope's. Only the closure is per type.
    probe_with(protocol, body.as_bytes(), &mut |reader| T::decode(reader).map(drop))
}

/// [`probe`] for any type, compiled once.
fn probe_with(
    protocol: Protocol,
    body: &[u8],
    read: &mut dyn FnMut(&mut crate::json::Reader<'_, '_>) -> Result<(), crate::json::DecodeError>,
) -> Result<(), String> {
    match inspect(protocol, 200, body) {
        Inspected::Success(payload) => crate::json::read_text(payload.text(body), read).map_err(mismatch),
        Inspected::ServiceError(metadata) => Err(format!("an error envelope, not a success body: {}", metadata.code())),
        Inspected::Undecodable(reason) => Err(reason),
    }
}

/// Decodes a success payload ([`Payload::text`]) straight from its text into the action's output.
pub fn decode_payload<T: Decode>(payload: &[u8]) -> Result<T, String> {
    crate::json::from_slice(payload).map_err(mismatch)
}

/// Why a payload did not decode, as [`Decoded::Undecodable`] says it.
fn mismatch(error: crate::json::DecodeError) -> String {
    format!("the response does not match the spec: {error}")
}

/// The error an Alibaba 2xx body reports, by the rule of [`StatusFields`]: a documented `Success` that
/// is false, or an undocumented string `Code` with a string `Message`.
fn error_in_success(top: &Members<'_>, fields: StatusFields) -> Option<ErrorMetadata> {
    let unsuccessful = fields.success && top.get("Success").and_then(bool_from) == Some(false);
    let undocumented_code = !fields.code
        && top.get("Code").is_some_and(|code| code.get().starts_with('"'))
        && top.get("Message").is_some_and(|message| message.get().starts_with('"'));
    if !(unsuccessful || undocumented_code) {
        return None;
    }
    let code = match top.get("Code").and_then(raw::scalar) {
        Some(serde_json::Value::String(code)) => code,
        Some(serde_json::Value::Number(code)) => code.to_string(),
        _ => "Unsuccessful".to_string(),
    };
    let message = top.string("Message").unwrap_or_else(|| "the response says `Success: false`".to_string());
    Some(ErrorMetadata::new(code, message, top.string("RequestId")))
}

/// A boolean as the providers write it: `true`, `1`, `"true"`, `"1"` (any case) and their opposites.
fn bool_from(value: &RawValue) -> Option<bool> {
    match raw::scalar(value)? {
        serde_json::Value::Bool(b) => Some(b),
        serde_json::Value::Number(n) => match n.as_u64() {
            Some(0) => Some(false),
            Some(1) => Some(true),
            _ => None,
        },
        serde_json::Value::String(s) => crate::json::bool_from_text(&s),
        _ => None,
    }
}

/// A Tencent error object (`Code`, `Message`) and the request id beside it.
fn error_metadata(error: &RawValue, beside: &Members<'_>) -> Option<ErrorMetadata> {
    let error = raw::members_of(error)?;
    let code = error.string("Code")?;
    let message = error.string("Message").unwrap_or_default();
    Some(ErrorMetadata::new(code, message, beside.string("RequestId")))
}

/// An Alibaba error envelope: `Code`, `Message` and `RequestId` at the top.
fn top_error_metadata(top: &Members<'_>) -> Option<ErrorMetadata> {
    let code = top.string("Code")?;
    let message = top.string("Message").unwrap_or_default();
    Some(ErrorMetadata::new(code, message, top.string("RequestId")))
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

    #[test]
    fn the_envelope_is_read_from_slices_of_the_body() {
        // The payload is the `Response` object as it sits in the body, whitespace and escapes included.
        let body =
            br#" { "Other": [1, {"Response": 2}], "Response" : {"Result": {"Id": "a\u0062"}, "RequestId": "r-1"} } "#;
        let Inspected::Success(payload) = inspect(Protocol::TencentJson, 200, body) else { panic!("not a success") };
        assert_eq!(payload.request_id(), Some("r-1"));
        assert_eq!(payload.text(body), br#"{"Result": {"Id": "a\u0062"}, "RequestId": "r-1"}"#);
        // Escaped member names are names; the last of duplicate members wins, as a decoder's would.
        let body = br#"{"Response": {"Error": {"Code": "X", "Message": "m"}}, "\u0052esponse": {"RequestId": "r-2"}}"#;
        let Inspected::Success(payload) = inspect(Protocol::TencentJson, 200, body) else { panic!("not a success") };
        assert_eq!(payload.request_id(), Some("r-2"));
        // An error: code, message and the request id beside it; a null `Error` is no error.
        let body = br#"{"Response": {"Error": {"Code": "AuthFailure", "Message": "m"}, "RequestId": "r-3"}}"#;
        let Inspected::ServiceError(metadata) = inspect(Protocol::TencentJson, 200, body) else { panic!("no error") };
        assert_eq!((metadata.code(), metadata.message(), metadata.request_id()), ("AuthFailure", "m", Some("r-3")));
        assert!(matches!(
            inspect(Protocol::TencentJson, 200, br#"{"Response": {"Error": null, "RequestId": "r"}}"#),
            Inspected::Success(_)
        ));
        for (body, reason) in [
            (&br#"{"Response": {"Error": {"Code": 5}}}"#[..], "an error envelope without a string `Code`"),
            (br#"{"Response": "text"}"#, "HTTP 200 without a `Response` object"),
            (br#"[{"Response": {}}]"#, "HTTP 200 without a `Response` object"),
            (br#"{"Response": {}} {"#, "HTTP 200 with a body that is not JSON"),
            (b"", "HTTP 200 with an empty body"),
        ] {
            let Inspected::Undecodable(found) = inspect(Protocol::TencentJson, 200, body) else { panic!("{reason}") };
            assert!(found.starts_with(reason), "{found}");
        }
        // Alibaba: the whole body is the payload.
        let body = br#"{"RequestId": "r-4", "Data": 1}"#;
        let Inspected::Success(payload) = inspect(Protocol::AlibabaRpc, 200, body) else { panic!("not a success") };
        assert_eq!((payload.request_id(), payload.text(body)), (Some("r-4"), &body[..]));
    }
}
