//! Redirects that are never followed, and absurd retry hints, timeouts and back-offs that neither crash nor
//! stall the client.

use super::*;

// ---------------------------------------------------------------------------------------------------
// Redirects.

#[tokio::test]
async fn redirects_to_another_port_are_never_followed() {
    logs();
    for status in
        ["301 Moved Permanently", "302 Found", "303 See Other", "307 Temporary Redirect", "308 Permanent Redirect"]
    {
        let elsewhere = RawServer::start(|_, _| Script::Bytes(json_200(api_key_body("elsewhere")))).await;
        let target = format!("http://127.0.0.1:{}/steal?NewAppSecret={NEW_APP_SECRET}&x=1", elsewhere.port);
        let redirecting = {
            let target = target.clone();
            RawServer::start(move |_, _| Script::Bytes(http(status, &[("Location", &target)], b""))).await
        };
        let code: u16 = status[..3].parse().unwrap();

        let error = Client::new(config(&redirecting.url())).create_api_key(create_with_secret()).await.unwrap_err();
        let Error::Redirect { status: got, location, attempts, host, .. } = &error else { panic!("{error:?}") };
        assert_eq!((*got, *attempts), (code, 1), "{error}");
        assert_eq!(location.as_deref(), Some(format!("127.0.0.1:{}", elsewhere.port).as_str()));
        assert_eq!(host, &format!("127.0.0.1:{}", redirecting.port));
        assert!(error.is_outcome_unknown());
        let texts = shown(&error);
        assert!(texts[0].contains(&format!("HTTP {code}")) && texts[0].contains("never followed"), "{}", texts[0]);
        assert!(!texts.iter().any(|t| t.contains("steal") || t.contains("NewAppSecret")), "{texts:?}");

        // Alibaba: the secret travels in the query, the token in a header.
        let error =
            cloudapi::Client::new(config(&redirecting.url())).reset_app_secret(reset_with_secret()).await.unwrap_err();
        assert!(matches!(error, Error::Redirect { attempts: 1, .. }), "{error:?}");
        shown(&error);

        // A client of the user's own making, which would follow ten redirects: not these.
        let own = reqwest::Client::builder().redirect(reqwest::redirect::Policy::limited(10)).referer(true);
        let error = Client::new(config(&redirecting.url()).with_http_client_builder(own))
            .create_api_key(create_with_secret())
            .await
            .unwrap_err();
        assert!(matches!(error, Error::Redirect { attempts: 1, .. }), "{error:?}");

        assert_eq!(redirecting.received(), 3, "{status}: one request per call, no retry");
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(elsewhere.connections(), 0, "{status}: the other host received a connection");
    }
    let log = log_text();
    assert!(log.contains("redirect not followed") && log.contains("cloudspec.call"), "the sweep saw no log");
    if std::env::var_os("SWEEP_DUMP").is_some() {
        eprintln!("{log}");
    }
}

#[tokio::test]
async fn a_redirect_loop_sends_the_request_once() {
    logs();
    let server = RawServer::start(|_, port| {
        Script::Bytes(http("307 Temporary Redirect", &[("Location", &format!("http://127.0.0.1:{port}/"))], b""))
    })
    .await;
    let error = Client::new(config(&server.url())).create_api_key(create_with_secret()).await.unwrap_err();
    assert!(matches!(error, Error::Redirect { status: 307, attempts: 1, .. }), "{error:?}");
    shown(&error);
    assert_eq!(server.received(), 1);
    // A relative location, a location that is not a URL: reported without a host.
    for location in ["/again?NewAppSecret=x", "::not a url::"] {
        let server =
            RawServer::start(move |_, _| Script::Bytes(http("302 Found", &[("Location", location)], b""))).await;
        let error = Client::new(config(&server.url())).create_api_key(create_with_secret()).await.unwrap_err();
        assert!(matches!(&error, Error::Redirect { location: None, attempts: 1, .. }), "{error:?}");
        assert!(!error.to_string().contains("NewAppSecret"));
        assert_eq!(server.received(), 1);
    }
}

// ---------------------------------------------------------------------------------------------------
// Retry hints.

#[tokio::test]
async fn absurd_retry_hints_neither_crash_nor_stall_the_client() {
    logs();
    let throttled_tencent = |name: &'static str, value: &'static str| {
        let body =
            json!({"Response": {"Error": {"Code": "RequestLimitExceeded", "Message": "slow down"}, "RequestId": "t"}});
        http("200 OK", &[(name, value), ("Content-Type", "application/json")], body.to_string().as_bytes())
    };
    let throttled_alibaba = |name: &'static str, value: &'static str| {
        let body = json!({"Code": "Throttling.User", "Message": "slow down", "RequestId": "t"});
        http("400 Bad Request", &[(name, value), ("Content-Type", "application/json")], body.to_string().as_bytes())
    };
    let hints = [
        ("Retry-After", "18446744073709551615"),
        ("Retry-After", "99999999999999999999999999"),
        ("Retry-After", "-5"),
        ("Retry-After", "soon"),
        ("Retry-After", "Fri, 31 Dec 9999 23:59:59 GMT"),
        ("Retry-After", "Thu, 01 Jan 1970 00:00:00 GMT"),
        ("x-acs-retry-after", "18446744073709551615"),
        ("x-acs-retry-after", "-1"),
        ("x-acs-retry-after", "NaN"),
    ];
    for (name, value) in hints {
        let started = Instant::now();
        let server = RawServer::start(move |_, _| Script::Bytes(throttled_tencent(name, value))).await;
        let error = Client::new(config(&server.url())).create_api_key(create_with_secret()).await.unwrap_err();
        assert!(error.service_error().is_some_and(|e| e.is_throttling()), "{name}: {value}: {error:?}");
        shown(&error);
        // Throttling is retried for every action: all three attempts, each back-off at most 50 ms.
        assert_eq!(server.received(), 3, "{name}: {value}");

        let server = RawServer::start(move |_, _| Script::Bytes(throttled_alibaba(name, value))).await;
        let error =
            cloudapi::Client::new(config(&server.url())).reset_app_secret(reset_with_secret()).await.unwrap_err();
        assert_eq!(error.service_error().map(|e| e.code()), Some("Throttling.User"), "{error:?}");
        shown(&error);
        assert_eq!(server.received(), 3, "{name}: {value}");
        assert!(started.elapsed() < Duration::from_secs(3), "{name}: {value}: {:?}", started.elapsed());
    }

    // A hint that does not fit in the call's total time ends the call at once, after one attempt.
    let server = RawServer::start(move |_, _| Script::Bytes(throttled_tencent("Retry-After", "5"))).await;
    let config = config(&server.url())
        .with_retry(RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(10),
            max_backoff: Duration::from_secs(60),
        })
        .with_timeouts(Timeouts {
            connect: Duration::from_secs(1),
            attempt: Duration::from_secs(1),
            total: Duration::from_secs(2),
        });
    let started = Instant::now();
    let error = Client::new(config).create_api_key(create_with_secret()).await.unwrap_err();
    assert!(matches!(error, Error::Service(_)), "{error:?}");
    assert_eq!(server.received(), 1);
    assert!(started.elapsed() < Duration::from_secs(1), "{:?}", started.elapsed());
}

#[tokio::test]
async fn absurd_timeouts_and_back_offs_do_not_overflow() {
    logs();
    let server = RawServer::start(|index, _| {
        if index == 0 {
            let body =
                json!({"Response": {"Error": {"Code": "RequestLimitExceeded", "Message": "m"}, "RequestId": "t"}});
            Script::Bytes(http("200 OK", &[("Retry-After", "0")], body.to_string().as_bytes()))
        } else {
            Script::Bytes(json_200(api_key_body(RESPONSE_SECRET)))
        }
    })
    .await;
    let config = config(&server.url())
        .with_retry(RetryPolicy { max_attempts: u32::MAX, initial_backoff: Duration::MAX, max_backoff: Duration::MAX })
        .with_timeouts(Timeouts { connect: Duration::MAX, attempt: Duration::MAX, total: Duration::MAX });
    let response = Client::new(config).create_api_key(create_with_secret()).await.unwrap();
    assert_eq!(response.request_id, "req-ok");
    assert_eq!(server.received(), 2);
    assert_no_secret(&[format!("{response:?}")]);
}
