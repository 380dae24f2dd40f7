//! The connection limits through the public API on real sockets (127.0.0.1, port 0): the settings reach
//! the TCP server. The timing itself is tested under a paused clock inside the crate; here every wait
//! is a generous upper bound, or a check that something does *not* happen, so a slow machine cannot
//! make a test fail.

use std::time::Duration;

use cloudspec_fake::{FakeCloud, Settings};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn fake(settings: Settings) -> FakeCloud {
    let specs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    FakeCloud::start_from(specs, "127.0.0.1:0".parse().unwrap(), settings).await.unwrap()
}

/// Reads until the fake closes the connection; what arrived, or `None` if it stays open `within`.
async fn until_closed(stream: &mut TcpStream, within: Duration) -> Option<Vec<u8>> {
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    tokio::time::timeout(within, async {
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => return received,
                Ok(n) => received.extend_from_slice(&buffer[..n]),
            }
        }
    })
    .await
    .ok()
}

#[tokio::test]
async fn silent_and_half_sent_connections_are_closed() {
    let settings = Settings {
        header_read_timeout: Duration::from_millis(300),
        idle_timeout: Duration::from_millis(200),
        ..Settings::default()
    };
    let fake = fake(settings).await;
    let mut silent = TcpStream::connect(fake.address()).await.unwrap();
    let mut half = TcpStream::connect(fake.address()).await.unwrap();
    half.write_all(b"GET /_cloudspec/log HTTP/1.1\r\nhost: fake\r\n").await.unwrap();
    let mut stalled = TcpStream::connect(fake.address()).await.unwrap();
    stalled.write_all(b"POST /_cloudspec/faults HTTP/1.1\r\nhost: fake\r\ncontent-length: 50\r\n\r\n[").await.unwrap();
    for (name, stream) in [("silent", &mut silent), ("half a head", &mut half), ("a stalled body", &mut stalled)] {
        let closed = until_closed(stream, Duration::from_secs(30)).await;
        assert!(closed.is_some(), "the connection with {name} is still open after 30 s");
    }
}

#[tokio::test]
async fn beyond_the_connection_cap_a_connection_waits_for_one_to_close() {
    let settings = Settings { max_connections: 1, ..Settings::default() };
    let fake = fake(settings).await;
    // An answer on the first connection shows the fake accepted it; kept alive, it holds the one slot.
    let mut first = TcpStream::connect(fake.address()).await.unwrap();
    first.write_all(b"GET /_cloudspec/log HTTP/1.1\r\nhost: fake\r\n\r\n").await.unwrap();
    let mut answer = Vec::new();
    while !answer.ends_with(b"[]") {
        let mut buffer = [0u8; 1024];
        let n = tokio::time::timeout(Duration::from_secs(30), first.read(&mut buffer)).await.unwrap().unwrap();
        assert!(n > 0, "the first connection was closed");
        answer.extend_from_slice(&buffer[..n]);
    }
    let mut second = TcpStream::connect(fake.address()).await.unwrap();
    second.write_all(b"GET /_cloudspec/log HTTP/1.1\r\nhost: fake\r\nconnection: close\r\n\r\n").await.unwrap();
    assert_eq!(until_closed(&mut second, Duration::from_millis(500)).await, None, "served beyond the cap");
    drop(first);
    let answer = until_closed(&mut second, Duration::from_secs(30)).await.expect("never served");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}
