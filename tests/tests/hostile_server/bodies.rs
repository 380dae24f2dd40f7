//! Bodies: endless, oversized, cut, reset and stalled — bounded memory and exact outcomes.

use super::*;

// ---------------------------------------------------------------------------------------------------
// Bodies: too large, endless, cut, reset, slow.

/// The process's peak resident memory (`VmHWM`), in KiB.
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

#[tokio::test]
async fn an_endless_body_stops_at_the_limit_with_bounded_memory() {
    logs();
    let chunk = {
        let data = "a".repeat(64 * 1024);
        format!("{:x}\r\n{data}\r\n", data.len()).into_bytes()
    };
    let head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    let server = RawServer::start(move |_, _| Script::Stream {
        head: head.clone(),
        chunk: chunk.clone(),
        // Bounded, and far above the limit: a client that does not stop would read 1 GiB.
        limit: 1 << 30,
    })
    .await;
    let started = Instant::now();
    // The default limit (32 MiB).
    let error = Client::new(config(&server.url())).create_api_key(create_with_secret()).await.unwrap_err();
    let Error::Incomplete(response) = &error else { panic!("{error:?}") };
    assert_eq!(
        response.incompleteness(),
        Incompleteness::TooLarge { limit: cloudspec_runtime::DEFAULT_MAX_RESPONSE_BYTES, declared: None }
    );
    assert!(response.received() > cloudspec_runtime::DEFAULT_MAX_RESPONSE_BYTES as u64);
    assert!(response.received() <= cloudspec_runtime::DEFAULT_MAX_RESPONSE_BYTES as u64 + 70_000);
    assert_eq!((response.status(), response.attempts()), (200, 1));
    assert!(response.head().is_empty(), "CreateApiKey responses carry secrets: no bytes are kept");
    assert!(error.is_outcome_unknown());
    let texts = shown(&error);
    assert!(texts[0].contains("larger than the 33554432-byte limit"), "{}", texts[0]);
    assert_eq!(server.received(), 1, "a body over the limit is not retried");

    // An idempotent action is not retried either: the same answer would come again.
    let error = weird::Client::new(config(&server.url()).with_max_response_bytes(1 << 20))
        .r#match(match_request())
        .await
        .unwrap_err();
    let Error::Incomplete(response) = &error else { panic!("{error:?}") };
    assert_eq!(response.attempts(), 1);
    assert!(!response.head().is_empty(), "a non-sensitive action keeps the first bytes");
    assert!(response.head().len() <= 1024);
    assert_eq!(server.received(), 2);

    let peak = peak_rss_kib();
    eprintln!("peak RSS (VmHWM) after the endless body: {} MiB", peak / 1024);
    assert!(peak < 256 * 1024, "peak RSS {peak} KiB: the body was not bounded");
    assert!(started.elapsed() < Duration::from_secs(20), "{:?}", started.elapsed());
}

#[tokio::test]
async fn a_declared_200_mb_body_is_not_read() {
    logs();
    let head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 209715200\r\n\r\n".to_vec();
    let server = RawServer::start(move |_, _| Script::Stream {
        head: head.clone(),
        chunk: vec![b' '; 64 * 1024],
        limit: 200 << 20,
    })
    .await;
    let error = Client::new(config(&server.url())).create_api_key(create_with_secret()).await.unwrap_err();
    let Error::Incomplete(response) = &error else { panic!("{error:?}") };
    assert_eq!(
        response.incompleteness(),
        Incompleteness::TooLarge { limit: cloudspec_runtime::DEFAULT_MAX_RESPONSE_BYTES, declared: Some(209_715_200) }
    );
    assert_eq!(response.received(), 0);
    let texts = shown(&error);
    assert!(texts[0].contains("declares 209715200 bytes"), "{}", texts[0]);
    assert_eq!(server.received(), 1);
}

#[tokio::test]
async fn a_cut_body_is_sent_and_answered_not_unreachable() {
    logs();
    // Content-Length larger than what is sent, then the server closes.
    let cut = || {
        let mut bytes =
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nx-acs-request-id: cut-1\r\nContent-Length: 1000\r\n\r\n".to_vec();
        bytes.extend_from_slice(
            &format!(r#"{{"Response": {{"Result": {{"AccessKeySecret": "{RESPONSE_SECRET}""#).into_bytes()[..60],
        );
        bytes
    };
    let server = RawServer::start(move |_, _| Script::Bytes(cut())).await;
    let error = Client::new(config(&server.url())).create_api_key(create_with_secret()).await.unwrap_err();
    let Error::Incomplete(response) = &error else { panic!("{error:?}") };
    assert_eq!(response.incompleteness(), Incompleteness::Closed);
    assert_eq!((response.status(), response.received(), response.attempts()), (200, 60, 1));
    assert_eq!(response.request_id(), Some("cut-1"));
    assert!(error.is_outcome_unknown());
    let texts = shown(&error);
    assert!(texts[0].contains("answered HTTP 200 but the response is incomplete"), "{}", texts[0]);
    assert!(texts[0].contains("connection closed after 60 bytes"), "{}", texts[0]);
    assert!(!texts[0].contains("failed to reach") && !texts[0].contains("not sent"), "{}", texts[0]);
    assert_eq!(server.received(), 1, "CreateApiKey is not idempotent: never repeated");

    // An idempotent action is retried, and every attempt is counted.
    let server = RawServer::start(move |_, _| Script::Bytes(cut())).await;
    let error = weird::Client::new(config(&server.url())).r#match(match_request()).await.unwrap_err();
    let Error::Incomplete(response) = &error else { panic!("{error:?}") };
    assert_eq!(response.attempts(), 3);
    assert_eq!(server.received(), 3);
}

#[tokio::test]
async fn a_reset_mid_body_is_sent_and_answered() {
    logs();
    let mut bytes = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n".to_vec();
    bytes.extend_from_slice(b"{\"Response\": {\"RequestId\": \"");
    let server = RawServer::start(move |_, _| Script::ThenReset(bytes.clone())).await;
    let error = Client::new(config(&server.url())).create_api_key(create_with_secret()).await.unwrap_err();
    let Error::Incomplete(response) = &error else { panic!("{error:?}") };
    assert_eq!(response.incompleteness(), Incompleteness::Reset, "{error}");
    assert_eq!((response.status(), response.attempts()), (200, 1));
    assert!(std::error::Error::source(&error).is_some(), "the read error is the source");
    let texts = shown(&error);
    assert!(texts[0].contains("connection was reset after"), "{}", texts[0]);
    assert_eq!(server.received(), 1);
}

#[tokio::test]
async fn a_stalled_body_times_out_as_incomplete() {
    logs();
    let mut bytes = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n".to_vec();
    bytes.extend_from_slice(b"{\"Response\": ");
    let server = RawServer::start(move |_, _| Script::ThenStall(bytes.clone(), Duration::from_secs(3))).await;
    let config = config(&server.url()).with_timeouts(Timeouts {
        connect: Duration::from_secs(1),
        attempt: Duration::from_millis(300),
        total: Duration::from_secs(5),
    });
    let error = Client::new(config).create_api_key(create_with_secret()).await.unwrap_err();
    let Error::Incomplete(response) = &error else { panic!("{error:?}") };
    assert_eq!(response.incompleteness(), Incompleteness::TimedOut);
    assert_eq!((response.received(), response.attempts()), (13, 1));
    shown(&error);
    assert_eq!(server.received(), 1);
}

#[tokio::test]
async fn an_earlier_attempt_that_may_have_been_processed_is_not_hidden_by_a_later_refusal() {
    logs();
    // One connection, answered with a cut body; then the listener is gone and connections are refused.
    let server = RawServer::start_limited(1, |_, _| {
        Script::Bytes(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"Resp".to_vec())
    })
    .await;
    let error = weird::Client::new(config(&server.url())).r#match(match_request()).await.unwrap_err();
    let Error::Transport { outcome, attempts, cause, .. } = &error else { panic!("{error:?}") };
    assert_eq!((*outcome, *attempts, *cause), (Outcome::Unknown, 3, TransportCause::Refused), "{error}");
    assert!(error.is_outcome_unknown());
    assert!(shown(&error)[0].contains("the outcome is unknown"));
    assert_eq!(server.received(), 1);
}
