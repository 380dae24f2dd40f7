//! The server loop on scripted connections, under paused time: the accept loop backs off when accepting
//! fails and stops accepting at the connection cap; silent, dawdling and stalled connections are
//! closed by the header-read and idle timeouts, while the fake's own work and a slow but steady client
//! are not cut. In-memory duplex streams stand in for sockets, and tokio's paused clock jumps to the
//! next timer whenever everything waits, so no test waits on the wall clock or depends on its speed.

use std::io;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};
use tokio::sync::{mpsc, watch};
use tokio::time::Instant;

use super::{Request, shared, wire};
use crate::control::{Fault, FaultRule};
use crate::server::{Acceptor, serve};
use crate::settings::Limits;
use crate::state::Shared;
use crate::wire::Wire;

/// Hands out what the test scripts, one step per `accept`; when the script runs dry, waits for more.
/// Every call is recorded with the (paused) time it was made.
struct Scripted {
    steps: mpsc::UnboundedReceiver<io::Result<DuplexStream>>,
    attempts: Arc<Mutex<Vec<Instant>>>,
}

impl Acceptor for Scripted {
    type Io = DuplexStream;

    async fn accept(&mut self) -> io::Result<DuplexStream> {
        self.attempts.lock().unwrap().push(Instant::now());
        match self.steps.recv().await {
            Some(step) => step,
            None => std::future::pending().await,
        }
    }
}

/// A fake served from a script.
struct Harness {
    shared: Arc<Shared>,
    steps: mpsc::UnboundedSender<io::Result<DuplexStream>>,
    attempts: Arc<Mutex<Vec<Instant>>>,
    _stop: watch::Sender<bool>,
}

impl Harness {
    fn start(limits: Limits) -> Harness {
        let shared = Arc::new(shared());
        let (steps, script) = mpsc::unbounded_channel();
        let attempts = Arc::new(Mutex::new(Vec::new()));
        let (stop, stopped) = watch::channel(false);
        let acceptor = Scripted { steps: script, attempts: attempts.clone() };
        tokio::spawn(serve(acceptor, shared.clone(), limits, stopped));
        Harness { shared, steps, attempts, _stop: stop }
    }

    /// A new connection: the client's end (the fake gets the other when it next accepts).
    fn connect(&self) -> DuplexStream {
        let (client, server) = tokio::io::duplex(64 * 1024);
        self.steps.send(Ok(server)).unwrap();
        client
    }

    /// `accept` fails, as at the file-descriptor limit.
    fn fail_accept(&self) {
        self.steps.send(Err(io::Error::from_raw_os_error(24))).unwrap(); // EMFILE
    }

    fn attempts(&self) -> Vec<Instant> {
        self.attempts.lock().unwrap().clone()
    }
}

fn limits(header_read_timeout: u64, idle_timeout: u64, max_connections: usize) -> Limits {
    Limits {
        header_read_timeout: Duration::from_secs(header_read_timeout),
        idle_timeout: Duration::from_secs(idle_timeout),
        max_connections,
    }
}

/// Longer than any test's timeouts: a connection still open by then is never closed.
const NEVER: Duration = Duration::from_secs(3600);

/// When the fake closes the connection (reads until the end, discarding what arrives).
async fn closed_at(client: &mut (impl AsyncReadExt + Unpin)) -> Option<Instant> {
    let mut buffer = [0u8; 4096];
    tokio::time::timeout(NEVER, async {
        loop {
            match client.read(&mut buffer).await {
                Ok(0) | Err(_) => return Instant::now(),
                Ok(_) => {}
            }
        }
    })
    .await
    .ok()
}

/// Reads one answer: its status and body.
async fn answer(client: &mut (impl AsyncReadExt + Unpin)) -> Option<(u16, String)> {
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    tokio::time::timeout(NEVER, async {
        loop {
            let text = String::from_utf8_lossy(&received).into_owned();
            if let Some((head, body)) = text.split_once("\r\n\r\n") {
                let length = head
                    .lines()
                    .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_string()))
                    .and_then(|v| v.parse::<usize>().ok())
                    .unwrap_or(0);
                if body.len() >= length {
                    let status = head.split(' ').nth(1)?.parse().ok()?;
                    return Some((status, body.to_string()));
                }
            }
            match client.read(&mut buffer).await {
                Ok(0) | Err(_) => return None,
                Ok(n) => received.extend_from_slice(&buffer[..n]),
            }
        }
    })
    .await
    .ok()
    .flatten()
}

/// A request as bytes on the wire.
fn raw(wire: &Wire) -> Vec<u8> {
    let target =
        if wire.raw_query.is_empty() { wire.path.clone() } else { format!("{}?{}", wire.path, wire.raw_query) };
    let mut text = format!("{} {target} HTTP/1.1\r\n", wire.method);
    for (name, value) in &wire.headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str(&format!("content-length: {}\r\n\r\n", wire.body.len()));
    let mut bytes = text.into_bytes();
    bytes.extend_from_slice(&wire.body);
    bytes
}

const READ_LOG: &[u8] = b"GET /_cloudspec/log HTTP/1.1\r\nhost: fake\r\n\r\n";

#[tokio::test(start_paused = true)]
async fn a_connection_that_sends_nothing_is_closed_after_the_idle_timeout() {
    let fake = Harness::start(limits(30, 5, 8));
    let opened = Instant::now();
    let mut client = fake.connect();
    let closed = closed_at(&mut client).await.expect("the silent connection was never closed");
    let after = closed - opened;
    assert!(after >= Duration::from_secs(5) && after < Duration::from_secs(6), "closed after {after:?}");
}

#[tokio::test(start_paused = true)]
async fn a_head_sent_a_byte_at_a_time_is_cut_at_the_header_read_timeout() {
    let fake = Harness::start(limits(10, 5, 8));
    let opened = Instant::now();
    let (mut reader, mut writer) = tokio::io::split(fake.connect());
    // A byte every two seconds keeps the connection from being idle, but the head never ends.
    tokio::spawn(async move {
        for byte in b"GET /_cloudspec/log HTTP/1.1\r\nhost: a-very-slow-client\r\n".iter().cycle() {
            if writer.write_all(&[*byte]).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
    });
    let closed = closed_at(&mut reader).await.expect("the dawdling connection was never closed");
    let after = closed - opened;
    assert!(after >= Duration::from_secs(10) && after < Duration::from_secs(11), "closed after {after:?}");
}

#[tokio::test(start_paused = true)]
async fn a_body_that_stops_arriving_is_closed_after_the_idle_timeout() {
    let fake = Harness::start(limits(30, 5, 8));
    let mut client = fake.connect();
    client
        .write_all(b"POST /_cloudspec/faults HTTP/1.1\r\nhost: fake\r\ncontent-length: 100\r\n\r\n[{\"fault\"")
        .await
        .unwrap();
    let stalled = Instant::now();
    let closed = closed_at(&mut client).await.expect("the stalled body's connection was never closed");
    let after = closed - stalled;
    assert!(after >= Duration::from_secs(5) && after < Duration::from_secs(6), "closed after {after:?}");
}

#[tokio::test(start_paused = true)]
async fn a_kept_alive_connection_is_closed_when_idle_and_served_until_then() {
    let fake = Harness::start(limits(30, 5, 8));
    let mut client = fake.connect();
    for _ in 0..3 {
        client.write_all(READ_LOG).await.unwrap();
        assert_eq!(answer(&mut client).await.map(|(status, _)| status), Some(200));
        tokio::time::sleep(Duration::from_secs(4)).await;
    }
    let answered = Instant::now();
    let closed = closed_at(&mut client).await.expect("the idle kept-alive connection was never closed");
    // Four of the five seconds passed already.
    assert!(closed - answered < Duration::from_secs(2), "closed {:?} after the last answer", closed - answered);
}

#[tokio::test(start_paused = true)]
async fn the_fakes_own_work_and_a_slow_steady_body_are_not_idleness() {
    let fake = Harness::start(limits(30, 5, 8));
    fake.shared.lock().faults.push(FaultRule {
        action: Some("DescribeThing".into()),
        fault: Fault::Latency { ms: 60_000 },
        times: 1,
    });
    let mut client = fake.connect();
    client.write_all(&raw(&wire(&Request { path: "/things/t1", ..Request::default() }))).await.unwrap();
    let sent = Instant::now();
    let (status, body) = answer(&mut client).await.expect("no answer after an injected latency");
    assert_eq!(status, 200, "{body}");
    assert!(Instant::now() - sent >= Duration::from_secs(60));

    // A body trickling in a byte every two seconds, under a five-second idle timeout.
    let body = br#"[{"fault":{"kind":"throttle"}}]"#;
    let head = format!("POST /_cloudspec/faults HTTP/1.1\r\nhost: fake\r\ncontent-length: {}\r\n\r\n", body.len());
    client.write_all(head.as_bytes()).await.unwrap();
    for byte in body {
        client.write_all(&[*byte]).await.unwrap();
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
    assert_eq!(answer(&mut client).await, Some((200, r#"{"injected":1}"#.to_string())));
}

#[tokio::test(start_paused = true)]
async fn at_the_connection_cap_new_connections_wait_until_one_closes() {
    let fake = Harness::start(limits(3600, 3600, 2));
    let first = fake.connect();
    let _second = fake.connect();
    let mut third = fake.connect();
    third.write_all(READ_LOG).await.unwrap();
    tokio::time::sleep(Duration::from_secs(10)).await;
    assert_eq!(fake.attempts().len(), 2, "the loop accepts no third connection while two are open");
    assert_eq!(tokio::time::timeout(Duration::from_secs(10), answer(&mut third)).await.ok(), None);

    drop(first);
    let (status, _) = answer(&mut third).await.expect("the waiting connection is served once one closes");
    assert_eq!(status, 200);
    assert_eq!(fake.attempts().len(), 3);
}

#[tokio::test(start_paused = true)]
async fn failing_accepts_back_off_exponentially_up_to_a_second() {
    let fake = Harness::start(limits(30, 15, 8));
    for _ in 0..1000 {
        fake.fail_accept();
    }
    tokio::time::sleep(Duration::from_secs(10)).await;
    let attempts = fake.attempts();
    // 5 ms doubling to 1 s: 0, 5, 15, 35, ... 1275, 2275, ... about 17 attempts in ten seconds; a loop
    // that retries at once makes all thousand.
    assert!((10..=20).contains(&attempts.len()), "{} accept attempts in ten seconds", attempts.len());
    let gaps: Vec<Duration> = attempts.windows(2).map(|pair| pair[1] - pair[0]).collect();
    assert!(gaps[0] >= Duration::from_millis(5), "{gaps:?}");
    assert!(gaps.windows(2).all(|pair| pair[1] >= pair[0]), "the pauses grow: {gaps:?}");
    assert!(gaps.iter().all(|gap| *gap <= Duration::from_millis(1010)), "at most a second: {gaps:?}");
    assert!(gaps.last().is_some_and(|gap| *gap >= Duration::from_secs(1)), "{gaps:?}");
}

#[tokio::test(start_paused = true)]
async fn an_accepted_connection_resets_the_back_off() {
    let fake = Harness::start(limits(30, 15, 8));
    for _ in 0..6 {
        fake.fail_accept();
    }
    let mut client = fake.connect();
    fake.fail_accept();
    client.write_all(READ_LOG).await.unwrap();
    assert_eq!(answer(&mut client).await.map(|(status, _)| status), Some(200));
    tokio::time::sleep(Duration::from_secs(1)).await;
    let attempts = fake.attempts();
    assert!(attempts.len() >= 9, "{attempts:?}");
    // The 7th attempt accepted; the 8th follows at once and fails; the 9th waits the first pause again.
    let gap = attempts[8] - attempts[7];
    assert!(gap >= Duration::from_millis(5) && gap < Duration::from_millis(10), "{gap:?}");
}
