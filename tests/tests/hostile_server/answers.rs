//! Answers that are not what they should be: malformed bodies, secret-bearing responses of the wrong shape,
//! Alibaba errors with HTTP 200, escape codes in messages, refused ports and unresolvable hosts.

use super::*;

// ---------------------------------------------------------------------------------------------------
// Bytes that are not what the protocol promises.

#[tokio::test]
async fn malformed_bodies_are_undecodable_not_panics() {
    logs();
    let deep = {
        let mut text = String::from(r#"{"Response": {"RequestId": "r", "Result": "#);
        text.push_str(&"[".repeat(100_000));
        text.push_str(&"]".repeat(100_000));
        text.push_str("}}");
        text.into_bytes()
    };
    let mut not_utf8 = br#"{"Response": {"RequestId": "r-"#.to_vec();
    not_utf8.extend_from_slice(&[0xff, 0xfe, 0xc3]);
    not_utf8.extend_from_slice(br#"", "Result": {}}}"#);
    let out_of_range = format!(
        r#"{{"Response": {{"Result": {{"AccessKeyId": "a", "AccessKeySecret": "{RESPONSE_SECRET}", "AccessKeyType": "auto", "SecretName": "n", "Status": 1e400, "CreatedTime": "2020-02-26T06:10:01Z", "ModifiedTime": "2020-02-26T06:10:01Z"}}, "RequestId": "r"}}}}"#
    );
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("invalid UTF-8", http("200 OK", &[("Content-Type", "application/json")], &not_utf8)),
        (
            "an HTML error page",
            http("502 Bad Gateway", &[("Content-Type", "text/html")], b"<html><body><h1>502</h1></body></html>"),
        ),
        ("an HTML page with 200", http("200 OK", &[("Content-Type", "text/html")], b"<!doctype html><p>login</p>")),
        ("1e400 in a number field", http("200 OK", &[("Content-Type", "application/json")], out_of_range.as_bytes())),
        ("100,000-deep arrays", http("200 OK", &[("Content-Type", "application/json")], &deep)),
        ("only deep arrays", http("200 OK", &[], "[".repeat(100_000).as_bytes())),
    ];
    for (what, bytes) in cases {
        let expected_len = bytes.len();
        let server = RawServer::start(move |_, _| Script::Bytes(bytes.clone())).await;
        let error = Client::new(config(&server.url())).create_api_key(create_with_secret()).await.unwrap_err();
        let Error::Undecodable(response) = &error else { panic!("{what}: {error:?}") };
        assert!(response.body().len() < expected_len && !response.body().is_empty(), "{what}: the body is kept");
        assert!(!error.is_outcome_unknown(), "{what}: a complete answer");
        shown(&error);
        assert_eq!(server.received(), 1, "{what}: CreateApiKey is never repeated");
    }
}

#[tokio::test]
async fn a_secret_bearing_response_of_the_wrong_shape_quotes_no_value() {
    logs();
    let wrong_shapes = [
        // The whole object, double-encoded as a string.
        json!({"Response": {"Result": json!({"AccessKeySecret": RESPONSE_SECRET}).to_string(), "RequestId": "r"}}),
        // A field of the wrong type beside the secret.
        json!({"Response": {"Result": {"AccessKeyId": "a", "AccessKeySecret": RESPONSE_SECRET, "AccessKeyType": "auto",
            "SecretName": "n", "Status": RESPONSE_SECRET, "CreatedTime": "2020-02-26T06:10:01Z",
            "ModifiedTime": "2020-02-26T06:10:01Z"}, "RequestId": "r"}}),
        // The secret where a timestamp belongs, and as a list.
        json!({"Response": {"Result": {"AccessKeyId": "a", "AccessKeySecret": [RESPONSE_SECRET], "AccessKeyType": "auto",
            "SecretName": "n", "Status": 1, "CreatedTime": RESPONSE_SECRET, "ModifiedTime": "x"}, "RequestId": "r"}}),
    ];
    let expected = [
        "`Result`: invalid type: a string, expected a map",
        "`Result`: `Status`: invalid type: a string, expected i64",
        "`Result`: `AccessKeySecret`: invalid type: a list, expected a string",
    ];
    for (body, expected) in wrong_shapes.into_iter().zip(expected) {
        let server = RawServer::start(move |_, _| Script::Bytes(json_200(body.clone()))).await;
        let error = Client::new(config(&server.url())).create_api_key(create_with_secret()).await.unwrap_err();
        let Error::Undecodable(response) = &error else { panic!("{error:?}") };
        assert!(response.reason().ends_with(expected), "{}", response.reason());
        assert_eq!(response.request_id(), Some("r"));
        shown(&error);
        assert_eq!(server.received(), 1);
    }
}

// ---------------------------------------------------------------------------------------------------
// Alibaba errors with HTTP 200.

#[tokio::test]
async fn an_alibaba_error_with_http_200_is_an_error() {
    logs();
    let body = json!({"Code": "Forbidden.RAM", "Message": "no permission", "RequestId": "ali-200", "HostId": "h"});
    let server = RawServer::start(move |_, _| Script::Bytes(json_200(body.clone()))).await;
    let error = cloudapi::Client::new(config(&server.url())).reset_app_secret(reset_with_secret()).await.unwrap_err();
    let typed = error.service_error().unwrap_or_else(|| panic!("{error:?}"));
    assert_eq!((typed.code(), typed.request_id()), ("Forbidden.RAM", Some("ali-200")));
    shown(&error);
    assert_eq!(server.received(), 1);
}

/// An Alibaba action whose success response documents `Code` and `Success`, described by hand as
/// generated code describes one.
mod documented_code {
    use super::*;
    use cloudspec_runtime::envelope::Protocol;
    use cloudspec_runtime::meta::{ActionMeta, EndpointsMeta, RegionRule, ServiceMeta, StatusFields};

    static SERVICE: ServiceMeta = ServiceMeta {
        name: "sms",
        signing_name: "dysmsapi",
        version: "2017-05-25",
        protocol: Protocol::AlibabaRpc,
        endpoints: EndpointsMeta {
            default: Some("dysmsapi.aliyuncs.com"),
            international: None,
            regional: None,
            regions: &[],
        },
    };

    static SEND: ActionMeta = ActionMeta {
        service: &SERVICE,
        name: "SendSms",
        idempotent: false,
        rate_limit: None,
        region: RegionRule::Optional,
        method: "POST",
        path: "/",
        sensitive_output: false,
        params: &[],
        idempotency_token: None,
        status_fields: StatusFields { code: true, success: true },
    };

    struct Params(serde_json::Value);

    impl cloudspec_runtime::json::Encode for Params {
        fn encode(&self, out: &mut cloudspec_runtime::json::Encoder) {
            out.value(&self.0);
        }
    }

    impl cloudspec_runtime::Request for Params {
        fn validate(&self) -> Result<(), cloudspec_runtime::ValidationError> {
            Ok(())
        }
    }

    async fn call(body: serde_json::Value) -> Result<serde_json::Value, Error<cloudapi::ResetAppSecretError>> {
        let server = RawServer::start(move |_, _| Script::Bytes(json_200(body.clone()))).await;
        let client = cloudspec_runtime::Client::new(config(&server.url()));
        let result = client.execute(&SEND, &Params(json!({"PhoneNumbers": "1"}))).await;
        assert_eq!(server.received(), 1);
        result
    }

    #[tokio::test]
    async fn a_documented_code_is_a_success_and_a_documented_success_false_an_error() {
        logs();
        let ok = call(json!({"Code": "OK", "Message": "OK", "BizId": "9006197469364984^0", "RequestId": "r"}))
            .await
            .unwrap();
        assert_eq!(ok["Code"], "OK");
        let ok = call(json!({"Code": "200", "Message": "success", "Success": true, "RequestId": "r"})).await.unwrap();
        assert_eq!(ok["Success"], true);
        let error =
            call(json!({"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "limit", "Success": false, "RequestId": "r"}))
                .await
                .unwrap_err();
        assert_eq!(error.service_error().map(|e| e.code()), Some("isv.BUSINESS_LIMIT_CONTROL"), "{error:?}");
        shown(&error);
    }
}

// ---------------------------------------------------------------------------------------------------
// Terminal escapes.

#[tokio::test]
async fn escapes_and_bidi_controls_in_messages_are_neutralised() {
    logs();
    let message = "\u{1b}[2J\u{1b}]0;pwned\u{7}evil\u{202e}exe.txt\u{2066}\r\nforged line\u{9b}31m";
    let tencent = json!({"Response": {"Error": {"Code": "InternalError\u{1b}[31m", "Message": message}, "RequestId": "r\u{1b}[1A"}});
    let server = RawServer::start(move |_, _| Script::Bytes(json_200(tencent.clone()))).await;
    let error = Client::new(config(&server.url())).create_api_key(create_with_secret()).await.unwrap_err();
    let typed = error.service_error().unwrap_or_else(|| panic!("{error:?}"));
    assert_eq!(typed.message(), message, "the accessor keeps the raw value");
    for text in [error.to_string(), typed.to_string()] {
        assert!(
            !text.chars().any(|c| c.is_control()
                || ('\u{202a}'..='\u{202e}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)),
            "{text:?}"
        );
        assert!(text.contains("\\u{1b}[2J") && text.contains("\\u{202e}") && text.contains("r\\u{1b}[1A"), "{text}");
    }
    shown(&error);

    let alibaba = json!({"Code": "Bad\u{1b}[5m", "Message": "\u{2067}hidden\u{2069}\u{7f}", "RequestId": "a"});
    let server = RawServer::start(move |_, _| {
        Script::Bytes(http("400 Bad Request", &[("Content-Type", "application/json")], alibaba.to_string().as_bytes()))
    })
    .await;
    let error = cloudapi::Client::new(config(&server.url())).reset_app_secret(reset_with_secret()).await.unwrap_err();
    assert_eq!(error.to_string(), "service error: Bad\\u{1b}[5m: \\u{2067}hidden\\u{2069}\\u{7f} (request id a)");
    shown(&error);
}

// ---------------------------------------------------------------------------------------------------
// Transport failures and configuration.

#[tokio::test]
async fn a_refused_port_names_the_action_the_host_and_the_cause() {
    logs();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let error =
        Client::new(config(&format!("http://{address}"))).create_api_key(create_with_secret()).await.unwrap_err();
    let Error::Transport { cause, outcome, attempts, host, .. } = &error else { panic!("{error:?}") };
    assert_eq!((*cause, *outcome, *attempts), (TransportCause::Refused, Outcome::NotSent, 3));
    assert_eq!(host, &address.to_string());
    let texts = shown(&error);
    assert_eq!(
        texts[0],
        format!(
            "CreateApiKey could not reach {address} (connection refused) after 3 attempt(s); the request was not sent"
        )
    );
    // The cause's own text is in the source chain, not repeated in the line.
    assert!(texts.len() > 2, "{texts:?}");
    assert!(!texts[0].contains("os error"), "{}", texts[0]);
}

#[tokio::test]
async fn an_unresolvable_host_is_not_sent() {
    logs();
    // `.invalid` never resolves (RFC 6761); without DNS in a sandbox, resolution fails or times out.
    let config =
        config("https://cloudspec-hostile-test.invalid").with_retry(RetryPolicy::none()).with_timeouts(Timeouts {
            connect: Duration::from_secs(2),
            attempt: Duration::from_secs(4),
            total: Duration::from_secs(5),
        });
    let started = Instant::now();
    let error = Client::new(config).create_api_key(create_with_secret()).await.unwrap_err();
    let Error::Transport { cause, outcome, attempts, .. } = &error else { panic!("{error:?}") };
    assert!(matches!(cause, TransportCause::Dns | TransportCause::ConnectTimeout), "{error:?}");
    assert_eq!((*outcome, *attempts), (Outcome::NotSent, 1));
    let texts = shown(&error);
    assert!(texts[0].contains("could not reach cloudspec-hostile-test.invalid"), "{}", texts[0]);
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn an_endpoint_without_a_scheme_gets_a_hint() {
    logs();
    let error = Client::new(config("127.0.0.1:8080")).create_api_key(create_with_secret()).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "configuration: the endpoint `127.0.0.1:8080` has no scheme: add one, as in `http://127.0.0.1:8080`"
    );
}

#[test]
fn a_call_outside_tokio_is_a_configuration_error_not_a_panic() {
    use std::future::Future;
    use std::task::{Context, Poll, Waker};
    let client = Client::new(config("http://127.0.0.1:9"));
    let mut call = std::pin::pin!(client.create_api_key(create_with_secret()));
    match call.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(Err(Error::Configuration(message))) => {
            assert!(message.contains("outside a Tokio runtime"), "{message}")
        }
        Poll::Ready(other) => panic!("{other:?}"),
        Poll::Pending => panic!("the call waited for a runtime that is not there"),
    }
}
