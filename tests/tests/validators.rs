//! The generated validators, serializers, enums and error enums of the seed actions.

use cloudspec_apis::alibabacloud::cloudapi::v20160714 as cloudapi;
use cloudspec_apis::tencentcloud::apigateway::v20180808::*;
use cloudspec_apis::tencentcloud::teo::v20220901 as teo;
use cloudspec_runtime::validation::{LengthUnit, Rule};
use cloudspec_runtime::{ErrorMetadata, ServiceError};

fn manual_key(id: &str, secret: &str) -> Result<CreateApiKeyRequest, cloudspec_apis::ValidationError> {
    CreateApiKeyRequest::builder()
        .secret_name("name")
        .access_key_type("manual")
        .access_key_id(id)
        .access_key_secret(secret)
        .build()
}

#[test]
fn access_key_id_length_at_and_beyond_its_limits() {
    let secret = "s".repeat(20);
    for (len, ok) in [(4, false), (5, true), (50, true), (51, false)] {
        let result = manual_key(&"a".repeat(len), &secret);
        assert_eq!(result.is_ok(), ok, "AccessKeyId of {len} characters: {result:?}");
        if let Err(error) = result {
            assert_eq!(error.violations().len(), 1);
            assert_eq!(error.violations()[0].field, "AccessKeyId");
            assert_eq!(
                error.violations()[0].rule,
                Rule::Length { min: Some(5), max: Some(50), unit: LengthUnit::Chars, actual: len as u64 }
            );
        }
    }
}

#[test]
fn access_key_secret_length_at_and_beyond_its_limits() {
    for (len, ok) in [(9, false), (10, true), (50, true), (51, false)] {
        assert_eq!(manual_key("key_id", &"s".repeat(len)).is_ok(), ok, "AccessKeySecret of {len} characters");
        let update = UpdateApiKeyRequest::builder().access_key_id("AKID1").access_key_secret("s".repeat(len)).build();
        assert_eq!(update.is_ok(), ok, "UpdateApiKey AccessKeySecret of {len} characters");
    }
}

#[test]
fn forbidden_characters() {
    for bad in ["key-id", "key id", "kéy_id", "key.id"] {
        let error = manual_key(bad, "secret_value_1").unwrap_err();
        assert_eq!(
            error.violations()[0].rule,
            Rule::Pattern { description: "letters, digits and underscores".into() },
            "{bad}"
        );
    }
    assert!(manual_key("Key_ID_09", "Secret_Value_09").is_ok());
}

#[test]
fn manual_keys_need_an_id_and_a_secret_and_auto_keys_do_not() {
    let error = CreateApiKeyRequest::builder().secret_name("name").access_key_type("manual").build().unwrap_err();
    let rules: Vec<(&str, &Rule)> = error.violations().iter().map(|v| (v.field.as_str(), &v.rule)).collect();
    let manual = Rule::RequiredWhen { field: "AccessKeyType".into(), equals: "manual".into() };
    assert_eq!(rules, [("AccessKeyId", &manual), ("AccessKeySecret", &manual)]);
    // AccessKeyType defaults to auto, which needs neither.
    assert!(CreateApiKeyRequest::builder().secret_name("name").build().is_ok());
    assert!(CreateApiKeyRequest::builder().secret_name("name").access_key_type(AccessKeyType::Auto).build().is_ok());
}

#[test]
fn missing_required_fields_come_first_then_every_broken_rule_together() {
    // A value with a required field missing cannot be checked further: the error lists every missing one.
    let error = CreateApiKeyRequest::builder().access_key_type("manual").access_key_id("a-b").build().unwrap_err();
    let fields: Vec<&str> = error.violations().iter().map(|v| v.field.as_str()).collect();
    assert_eq!(fields, ["SecretName"], "{error}");
    let error = teo::ModifyMultiPathGatewaySecretKeyRequest::builder().build().unwrap_err();
    let fields: Vec<&str> = error.violations().iter().map(|v| v.field.as_str()).collect();
    assert_eq!(fields, ["ZoneId", "SecretKey"], "{error}");
    // With them set, every rule is checked and every violation listed.
    let error = CreateApiKeyRequest::builder()
        .secret_name("name")
        .access_key_type("manual")
        .access_key_id("a-b")
        .build()
        .unwrap_err();
    let fields: Vec<&str> = error.violations().iter().map(|v| v.field.as_str()).collect();
    // AccessKeyId too short and with a hyphen, AccessKeySecret missing.
    assert_eq!(fields, ["AccessKeyId", "AccessKeyId", "AccessKeySecret"], "{error}");
    assert!(error.to_string().starts_with("invalid request: 3 problems"), "{error}");
}

#[test]
fn unknown_enum_values_are_refused_when_sending() {
    let error = CreateApiKeyRequest::builder().secret_name("name").access_key_type("automatic").build().unwrap_err();
    assert_eq!(error.violations()[0].rule, Rule::OneOf { allowed: vec!["auto".into(), "manual".into()] });
    let unchecked =
        CreateApiKeyRequest::builder().secret_name("name").access_key_type("automatic").build_unchecked().unwrap();
    assert!(unchecked.validate().is_err(), "validate() checks what build_unchecked let through");
}

#[test]
fn required_fields_are_required_even_unchecked() {
    let error = CreateApiKeyRequest::builder().build_unchecked().unwrap_err();
    assert_eq!(error.violations()[0].field, "SecretName");
    assert_eq!(error.violations()[0].rule, Rule::Required);
}

#[test]
fn secret_key_base64_decoded_length_at_and_beyond_its_limits() {
    use base64_engine::encode;
    for (len, ok) in [(31, false), (32, true), (48, true), (49, false)] {
        let result =
            teo::ModifyMultiPathGatewaySecretKeyRequest::builder().zone_id("zone-1").secret_key(encode(len)).build();
        assert_eq!(result.is_ok(), ok, "decoded length {len}: {result:?}");
    }
    let error = teo::ModifyMultiPathGatewaySecretKeyRequest::builder()
        .zone_id("zone-1")
        .secret_key("not base64!")
        .build()
        .unwrap_err();
    assert_eq!(error.violations()[0].rule, Rule::Base64);
}

/// Standard base64 of `len` bytes, without pulling a base64 crate into the test.
mod base64_engine {
    pub fn encode(len: usize) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let bytes: Vec<u8> = (0..len).map(|i| (i * 37 % 256) as u8).collect();
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let n = (u32::from(chunk[0]) << 16)
                | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
                | u32::from(*chunk.get(2).unwrap_or(&0));
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    }
}

#[test]
fn no_secret_value_in_errors_or_debug_output() {
    let secrets = ["Sup3r-Secret-Value", "short", "the_secret_is_long_enough_but_has_a_bad_char!"];
    for secret in secrets {
        let builder = CreateApiKeyRequest::builder()
            .secret_name("n")
            .access_key_type("manual")
            .access_key_id("id_12345")
            .access_key_secret(secret);
        let debug_builder = format!("{builder:?}");
        let outcome = format!("{:?}", builder.clone().build());
        let display = builder.build().err().map(|e| e.to_string()).unwrap_or_default();
        for text in [&debug_builder, &outcome, &display] {
            assert!(!text.contains(secret), "a secret leaked: {text}");
        }
    }
    let request = manual_key("id_12345", "GoodSecret_123").unwrap();
    assert!(!format!("{request:?}").contains("GoodSecret_123"));
    assert!(format!("{request:?}").contains("***"));
    let app = UpdateApiAppKeyRequest::builder()
        .api_app_id("app-1")
        .api_app_key("key")
        .api_app_secret("AppSecret_42")
        .build()
        .unwrap();
    assert!(!format!("{app:?}").contains("AppSecret_42"));
    #[allow(deprecated)]
    let reset = cloudapi::ResetAppSecretRequest::builder().app_key("60030986").new_app_secret("NewSecret_42");
    let reset = reset.build().unwrap();
    assert!(!format!("{reset:?}").contains("NewSecret_42"));
}

#[test]
fn requests_serialize_to_the_wire_shape() {
    let request = CreateApiKeyRequest::builder()
        .secret_name("test")
        .access_key_type("manual")
        .access_key_id("key_id")
        .access_key_secret("key_secret_1")
        .tags(vec![Tag::builder().key("k").value("v").build().unwrap()])
        .build()
        .unwrap();
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        serde_json::json!({"SecretName": "test", "AccessKeyType": "manual", "AccessKeyId": "key_id", "AccessKeySecret": "key_secret_1", "Tags": [{"Key": "k", "Value": "v"}]})
    );
    let minimal = CreateApiKeyRequest::builder().secret_name("test").build().unwrap();
    assert_eq!(serde_json::to_string(&minimal).unwrap(), r#"{"SecretName":"test"}"#);
}

#[test]
fn nested_objects_are_validated_with_their_path() {
    let tag = Tag::builder().key("k").build_unchecked();
    assert!(tag.is_err(), "Value is required");
    let error = Tag::builder().key("k").build().unwrap_err();
    assert_eq!(error.violations()[0].field, "Value");
}

#[test]
fn responses_decode_secrets_timestamps_and_unknown_values() {
    let body = r#"{"Result": {"AccessKeyId": "AKID1", "AccessKeySecret": "TopSecret", "AccessKeyType": "temporary",
        "SecretName": "n", "Status": 2, "CreatedTime": "2020-02-26T06:10:01Z", "ModifiedTime": "2020-02-26T06:45:57+08:00",
        "NewField": [1, 2]}, "RequestId": "r-1"}"#;
    let response: CreateApiKeyResponse = serde_json::from_str(body).unwrap();
    let key = response.result.as_ref().unwrap();
    assert_eq!(key.access_key_secret.expose_secret(), "TopSecret");
    assert_eq!(key.access_key_type, AccessKeyType::Unknown("temporary".into()));
    assert_eq!(key.status, ApiKeyStatus::Unknown(2));
    assert_eq!(key.created_time.unix_timestamp(), 1_582_697_401);
    assert_eq!(key.modified_time.offset().whole_hours(), 8);
    assert!(!format!("{response:?}").contains("TopSecret"));
    let null: CreateApiKeyResponse = serde_json::from_str(r#"{"Result": null, "RequestId": "r-2"}"#).unwrap();
    assert!(null.result.is_none());
}

#[test]
fn error_codes_become_typed_variants() {
    let error = CreateApiKeyError::from_metadata(ErrorMetadata::new(
        "FailedOperation.AccessKeyExist",
        "exists",
        Some("r-1".into()),
    ));
    assert!(matches!(error, CreateApiKeyError::FailedOperationAccessKeyExist(_)));
    assert_eq!(
        (error.code(), error.message(), error.request_id()),
        ("FailedOperation.AccessKeyExist", "exists", Some("r-1"))
    );
    assert!(!error.is_retryable());
    assert_eq!(error.to_string(), "FailedOperation.AccessKeyExist: exists (request id r-1)");

    let busy = CreateApiKeyError::from_metadata(ErrorMetadata::new("InternalError.ApigwException", "busy", None));
    assert!(busy.is_retryable());

    let throttled = CreateApiKeyError::from_metadata(ErrorMetadata::new("RequestLimitExceeded", "slow down", None));
    assert!(matches!(throttled, CreateApiKeyError::Common(CommonError::RequestLimitExceeded(_))));
    assert!(throttled.is_retryable() && throttled.is_throttling());

    let unknown = CreateApiKeyError::from_metadata(ErrorMetadata::new("Brand.NewCode", "new", Some("r-9".into())));
    match &unknown {
        CreateApiKeyError::Unknown(unknown) => {
            assert_eq!(
                (unknown.code(), unknown.message(), unknown.request_id()),
                ("Brand.NewCode", "new", Some("r-9"))
            );
        }
        other => panic!("expected Unknown, got {other:?}"),
    }
    let source: &dyn std::error::Error = &unknown;
    assert_eq!(source.to_string(), "Brand.NewCode: new (request id r-9)");

    // An action's own documentation wins over the provider's common list.
    let teo_internal =
        teo::ModifyMultiPathGatewaySecretKeyError::from_metadata(ErrorMetadata::new("InternalError", "", None));
    assert!(matches!(teo_internal, teo::ModifyMultiPathGatewaySecretKeyError::InternalError(_)));
    let alibaba = cloudapi::ResetAppSecretError::from_metadata(ErrorMetadata::new("Throttling.User", "", None));
    assert!(alibaba.is_throttling());
}
