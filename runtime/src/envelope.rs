//! The response envelopes of the providers' protocols: where the payload, the request id and errors sit,
//! and how to tell an error from a success when the status does not (Tencent answers errors with HTTP
//! 200; so do some Alibaba services, see [`StatusFields`]).

use std::fmt;

use crate::error::{ErrorMetadata, ServiceError};
use crate::json::raw::{Document, Node};
use crate::json::{Decode, DecodeError, Reader};
use crate::meta::{ActionMeta, StatusFields};

pub use cloudspec_rules::Protocol;

/// What a response body says, before it is turned into typed values.
#[derive(Debug)]
pub enum Inspected {
    /// A success: the payload (inside the protocol's wrapper), ready to decode.
    Success(Payload),
    /// An error envelope.
    ServiceError(ErrorMetadata),
    /// Not what the protocol promises; the reason, without the body.
    Undecodable(String),
}

/// A success payload: the body parsed once, where the payload and its request id sit in it. It is
/// decoded later, from the same parse, into the action's output type; every read takes the body the
/// payload was found in.
#[derive(Clone)]
pub struct Payload {
    document: Document,
    /// The payload's place on the document's tape.
    root: usize,
    /// The place of its request id, a string.
    request_id: Option<usize>,
}

/// Without the body's values, which may be secrets.
impl fmt::Debug for Payload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Payload").field("document", &self.document).field("root", &self.root).finish_non_exhaustive()
    }
}

impl Payload {
    /// The request id of the payload, if any.
    pub fn request_id<'a>(&'a self, body: &'a [u8]) -> Option<&'a str> {
        self.document.node(body, self.request_id?).as_str()
    }

    /// Decodes the payload into the action's output, and says why it does not decode.
    pub fn decode<T: Decode>(&self, body: &[u8]) -> Result<T, String> {
        self.node(body).decode().map_err(mismatch)
    }

    /// The payload as a value of the parsed body.
    pub(crate) fn node<'a>(&'a self, body: &'a [u8]) -> Node<'a> {
        self.document.node(body, self.root)
    }
}

impl Inspected {
    /// The request id the body carries, if any (`body` is the body inspected).
    pub fn request_id<'a>(&'a self, body: &'a [u8]) -> Option<&'a str> {
        match self {
            Inspected::Success(payload) => payload.request_id(body),
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

/// Parses the body once, onto a tape kept for decoding the payload, and reads the envelope from it.
fn inspect_with(protocol: Protocol, status_fields: Option<StatusFields>, status: u16, body: &[u8]) -> Inspected {
    let document = match Document::parse(body) {
        Ok(document) => document,
        Err(_) if body.is_empty() => return Inspected::Undecodable(format!("HTTP {status} with an empty body")),
        Err(e) => return Inspected::Undecodable(format!("HTTP {status} with a body that is not JSON: {e}")),
    };
    let top = document.node(body, 0);
    let (root, request_id) = match protocol {
        Protocol::TencentJson => {
            let Some(response) = top.member("Response").filter(|r| r.is_object()) else {
                return Inspected::Undecodable(format!("HTTP {status} without a `Response` object"));
            };
            if let Some(error) = response.member("Error").filter(|e| !e.is_null()) {
                return match error_metadata(error, response) {
                    Some(metadata) => Inspected::ServiceError(metadata),
                    None => Inspected::Undecodable("an error envelope without a string `Code`".into()),
                };
            }
            if !(200..300).contains(&status) {
                return Inspected::Undecodable(format!("HTTP {status} without an error envelope"));
            }
            (response.index(), string_member(response, "RequestId"))
        }
        Protocol::AlibabaRpc | Protocol::AlibabaRoa => {
            // A body that is not an object has no members: not an error envelope.
            if !(200..300).contains(&status) {
                return match top_error_metadata(top) {
                    Some(metadata) => Inspected::ServiceError(metadata),
                    None => Inspected::Undecodable(format!("HTTP {status} without an error envelope")),
                };
            }
            if let Some(metadata) = status_fields.and_then(|fields| error_in_success(top, fields)) {
                return Inspected::ServiceError(metadata);
            }
            (top.index(), string_member(top, "RequestId"))
        }
    };
    Inspected::Success(Payload { document, root, request_id })
}

/// The place of a member that is a string.
fn string_member(object: Node<'_>, name: &str) -> Option<usize> {
    object.member(name).filter(|value| value.as_str().is_some()).map(Node::index)
}

/// A member that is a string, copied.
fn string(object: Node<'_>, name: &str) -> Option<String> {
    object.member(name).and_then(Node::as_str).map(str::to_string)
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
        Inspected::Success(payload) => payload.decode(body).map_err(Decoded::Undecodable),
        Inspected::ServiceError(metadata) => Err(Decoded::Service(E::from_metadata(metadata))),
        Inspected::Undecodable(reason) => Err(Decoded::Undecodable(reason)),
    }
}

/// Decodes a documented success body into the action's output type, and says why it does not.
/// Catalogue checks use it through generated `example_probe` modules.
pub fn probe<T: Decode, E: ServiceError>(protocol: Protocol, body: &str) -> Result<(), String> {
    // The typed error `E` is not built: its code is the envelope's. Only `decode_only` is per type: a
    // function pointer, where a closure would bring a vtable of shims per type.
    probe_with(protocol, body.as_bytes(), decode_only::<T>)
}

/// Decodes a `T` and drops it.
fn decode_only<T: Decode>(reader: &mut Reader<'_, '_>) -> Result<(), DecodeError> {
    match T::decode(reader) {
        Ok(_) => Ok(()),
        Err(error) => Err(error),
    }
}

/// [`probe`] for any type, compiled once.
fn probe_with(
    protocol: Protocol,
    body: &[u8],
    read: fn(&mut Reader<'_, '_>) -> Result<(), DecodeError>,
) -> Result<(), String> {
    match inspect(protocol, 200, body) {
        Inspected::Success(payload) => read(&mut payload.node(body).reader()).map_err(mismatch),
        Inspected::ServiceError(metadata) => Err(format!("an error envelope, not a success body: {}", metadata.code())),
        Inspected::Undecodable(reason) => Err(reason),
    }
}

/// Why a payload did not decode, as [`Decoded::Undecodable`] says it.
fn mismatch(error: DecodeError) -> String {
    format!("the response does not match the spec: {error}")
}

/// The error an Alibaba 2xx body reports, by the rule of [`StatusFields`]: a documented `Success` that
/// is false, or an undocumented string `Code` with a string `Message`.
fn error_in_success(top: Node<'_>, fields: StatusFields) -> Option<ErrorMetadata> {
    let is_string = |name| top.member(name).is_some_and(|value| value.as_str().is_some());
    let unsuccessful = fields.success && top.member("Success").and_then(bool_from) == Some(false);
    let undocumented_code = !fields.code && is_string("Code") && is_string("Message");
    if !(unsuccessful || undocumented_code) {
        return None;
    }
    let code = match top.member("Code").and_then(Node::scalar) {
        Some(serde_json::Value::String(code)) => code,
        Some(serde_json::Value::Number(code)) => code.to_string(),
        _ => "Unsuccessful".to_string(),
    };
    let message = string(top, "Message").unwrap_or_else(|| "the response says `Success: false`".to_string());
    Some(ErrorMetadata::new(code, message, string(top, "RequestId")))
}

/// A boolean as the providers write it: `true`, `1`, `"true"`, `"1"` (any case) and their opposites.
fn bool_from(value: Node<'_>) -> Option<bool> {
    match value.scalar()? {
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
fn error_metadata(error: Node<'_>, beside: Node<'_>) -> Option<ErrorMetadata> {
    // `member` finds nothing in a value that is not an object.
    let code = string(error, "Code")?;
    let message = string(error, "Message").unwrap_or_default();
    Some(ErrorMetadata::new(code, message, string(beside, "RequestId")))
}

/// An Alibaba error envelope: `Code`, `Message` and `RequestId` at the top.
fn top_error_metadata(top: Node<'_>) -> Option<ErrorMetadata> {
    let code = string(top, "Code")?;
    let message = string(top, "Message").unwrap_or_default();
    Some(ErrorMetadata::new(code, message, string(top, "RequestId")))
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

    /// The payload decoded as a free-form value, from the one parse of the body.
    fn payload_value(payload: &Payload, body: &[u8]) -> serde_json::Value {
        payload.decode(body).unwrap()
    }

    #[test]
    fn the_envelope_and_the_payload_are_read_from_one_parse_of_the_body() {
        // The payload is the `Response` object, escapes and all; members elsewhere do not count.
        let body =
            br#" { "Other": [1, {"Response": 2}], "Response" : {"Result": {"Id": "a\u0062"}, "RequestId": "r-1"} } "#;
        let Inspected::Success(payload) = inspect(Protocol::TencentJson, 200, body) else { panic!("not a success") };
        assert_eq!(payload.request_id(body), Some("r-1"));
        assert_eq!(payload_value(&payload, body), serde_json::json!({"Result": {"Id": "ab"}, "RequestId": "r-1"}));
        // Escaped member names are names; the last of duplicate members wins, as a decoder's would.
        let body =
            br#"{"Response": {"Error": {"Code": "X", "Message": "m"}}, "\u0052esponse": {"RequestId": "r-\u0032"}}"#;
        let Inspected::Success(payload) = inspect(Protocol::TencentJson, 200, body) else { panic!("not a success") };
        assert_eq!(payload.request_id(body), Some("r-2"));
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
            (br#"{"Response": {"Error": "text"}}"#, "an error envelope without a string `Code`"),
            (br#"{"Response": "text"}"#, "HTTP 200 without a `Response` object"),
            (br#"[{"Response": {}}]"#, "HTTP 200 without a `Response` object"),
            (br#"{"Response": {}} {"#, "HTTP 200 with a body that is not JSON"),
            (b"", "HTTP 200 with an empty body"),
        ] {
            let Inspected::Undecodable(found) = inspect(Protocol::TencentJson, 200, body) else { panic!("{reason}") };
            assert!(found.starts_with(reason), "{found}");
        }
        // A request id that is not a string is none; the payload still decodes.
        let body = br#"{"Response": {"RequestId": 5}}"#;
        let Inspected::Success(payload) = inspect(Protocol::TencentJson, 200, body) else { panic!("not a success") };
        assert_eq!(payload.request_id(body), None);
        // Alibaba: the whole body is the payload.
        let body = br#"{"RequestId": "r-4", "Data": 1}"#;
        let Inspected::Success(payload) = inspect(Protocol::AlibabaRpc, 200, body) else { panic!("not a success") };
        assert_eq!(payload.request_id(body), Some("r-4"));
        assert_eq!(payload_value(&payload, body), serde_json::json!({"RequestId": "r-4", "Data": 1}));
    }

    #[test]
    fn a_payload_shows_no_value_of_the_body() {
        let body = br#"{"Response": {"Secret": "s3cr3t", "Escaped\u0021": "s3\u0063r3t", "RequestId": "r"}}"#;
        let inspected = inspect(Protocol::TencentJson, 200, body);
        let shown = format!("{inspected:?}");
        assert!(!shown.contains("r3t") && !shown.contains("Escaped") && !shown.contains("Secret"), "{shown}");
    }

    #[test]
    fn the_alibaba_rules_read_scalars_as_sent() {
        // `Success` as the providers write it, a number code kept as its text.
        for (success, error) in
            [("false", true), ("0", true), ("\"FALSE\"", true), ("\"0\"", true), ("true", false), ("2", false)]
        {
            let body = format!(r#"{{"Success": {success}, "Code": 4.5, "RequestId": "r"}}"#);
            let inspected = alibaba(BOTH, 200, &body);
            assert_eq!(matches!(inspected, Inspected::ServiceError(_)), error, "{body}");
            if let Inspected::ServiceError(metadata) = inspected {
                assert_eq!((metadata.code(), metadata.request_id()), ("4.5", Some("r")));
                assert_eq!(metadata.message(), "the response says `Success: false`");
            }
        }
    }
}
