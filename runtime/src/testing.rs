//! What the tests generated from documented examples call (each crate's `examples` module): a
//! documented output decodes into its action's response type, a documented error into its action's
//! error with the documented code. Each helper panics with the reason, as a failing test does, so a
//! generated test is one call and its assertions, not the same dozen lines per example.

use std::fmt::Debug;

use crate::envelope::{Inspected, Protocol, inspect};
use crate::error::ServiceError;
use crate::json::Decode;

/// The documented success `body` of an action, decoded into its response type `T` as a call decodes
/// it ([`crate::envelope::decode`] with status 200).
///
/// # Panics
///
/// When the body does not decode, or is an error envelope: "the documented output does not decode",
/// with the reason (never the body).
#[track_caller]
// `T`'s bound is `Payload::decode`'s, whatever decodes a call's output.
pub fn decodes<T: Decode>(protocol: Protocol, body: &str) -> T {
    let bytes = body.as_bytes();
    let reason = match inspect(protocol, 200, bytes) {
        Inspected::Success(payload) => match payload.decode(bytes) {
            Ok(value) => return value,
            Err(reason) => reason,
        },
        Inspected::ServiceError(metadata) => format!("an error envelope, not a success body: {metadata:?}"),
        Inspected::Undecodable(reason) => reason,
    };
    panic!("the documented output does not decode: {reason}")
}

/// The documented error `body` of an action, decoded into its error type `E` (status 400) and
/// checked to carry `code`.
///
/// # Panics
///
/// When the body is not an error envelope, or its error's code is not `code`.
#[track_caller]
pub fn decodes_error<E: ServiceError + Debug>(protocol: Protocol, body: &str, code: &str) -> E {
    match inspect(protocol, 400, body.as_bytes()) {
        Inspected::ServiceError(metadata) => {
            let error = E::from_metadata(metadata);
            assert_eq!(error.code(), code, "the documented error decodes with another code: {error:?}");
            error
        }
        other => panic!("expected the documented error, got {other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ErrorMetadata, ErrorParts};

    #[derive(Debug, crate::Decode)]
    #[serde(rename_all = "PascalCase")]
    struct Output {
        request_id: String,
    }

    #[derive(Debug)]
    struct Failure(ErrorMetadata);

    impl std::fmt::Display for Failure {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(self.0.code())
        }
    }

    impl std::error::Error for Failure {}

    impl ServiceError for Failure {
        fn from_metadata(metadata: ErrorMetadata) -> Self {
            Failure(metadata)
        }

        fn parts(&self) -> ErrorParts<'_> {
            let m = &self.0;
            ErrorParts {
                code: m.code(),
                message: m.message(),
                request_id: m.request_id(),
                retryable: false,
                throttling: false,
            }
        }
    }

    const OUTPUT: &str = r#"{"Response": {"RequestId": "r-1"}}"#;
    const ERROR: &str = r#"{"Response": {"Error": {"Code": "LimitExceeded", "Message": "m"}, "RequestId": "r-2"}}"#;

    #[test]
    fn a_documented_output_decodes() {
        let output: Output = decodes(Protocol::TencentJson, OUTPUT);
        assert_eq!(output.request_id, "r-1");
    }

    #[test]
    #[should_panic(expected = "the documented output does not decode")]
    fn an_output_that_does_not_match_its_type_fails() {
        let _: Output = decodes(Protocol::TencentJson, r#"{"Response": {"Other": []}}"#);
    }

    #[test]
    #[should_panic(expected = "an error envelope, not a success body")]
    fn an_error_envelope_is_not_an_output() {
        let _: Output = decodes(Protocol::TencentJson, ERROR);
    }

    #[test]
    fn a_documented_error_decodes_with_its_code() {
        let error: Failure = decodes_error(Protocol::TencentJson, ERROR, "LimitExceeded");
        assert_eq!(error.request_id(), Some("r-2"));
    }

    #[test]
    #[should_panic(expected = "decodes with another code")]
    fn an_error_with_another_code_fails() {
        let _: Failure = decodes_error(Protocol::TencentJson, ERROR, "InternalError");
    }

    #[test]
    #[should_panic(expected = "expected the documented error")]
    fn a_success_is_not_an_error() {
        let _: Failure = decodes_error(Protocol::TencentJson, OUTPUT, "LimitExceeded");
    }
}
