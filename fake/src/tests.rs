//! The fake's request processing on two small hand-written Alibaba specs (`testdata/`): a ROA service
//! (paths with parameters, query, header, JSON and form bodies) and an RPC service (form body, list,
//! flat and JSON styles, dotted names). Requests are signed with the runtime's ACS3 code. The server
//! loop's own tests are in `connections`, hostile requests in `hostile`.

mod connections;
mod hostile;

use bytes::Bytes;
use cloudspec_runtime::signing::acs3;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::protocol::process;
use crate::settings::{DEFAULT_ID, DEFAULT_SECRET, Settings};
use crate::state::Shared;
use crate::wire::Wire;

fn shared() -> Shared {
    let dir = tempfile::tempdir().unwrap();
    let alibaba = dir.path().join("alibabacloud");
    for (path, text) in [
        ("provider.json", include_str!("../../specs/alibabacloud/provider.json")),
        ("roafake/2020-01-01.json", include_str!("testdata/roafake-2020-01-01.json")),
        ("rpcfake/2020-01-01.json", include_str!("testdata/rpcfake-2020-01-01.json")),
    ] {
        let file = alibaba.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }
    let set = cloudspec::load::load(&[dir.path().to_path_buf()]).unwrap();
    assert_eq!(cloudspec::check::check(&set).errors(), 0, "the test specs have errors");
    Shared::new(&set, Settings::default())
}

/// A request signed with ACS3-HMAC-SHA256 the way the official SDKs sign it.
struct Request<'a> {
    method: &'a str,
    /// The raw (percent-encoded) path.
    path: &'a str,
    query: &'a [(&'a str, &'a str)],
    headers: &'a [(&'a str, &'a str)],
    body: &'a [u8],
    action: Option<&'a str>,
    version: &'a str,
    secret: &'a str,
}

impl Default for Request<'_> {
    fn default() -> Self {
        Request {
            method: "GET",
            path: "/",
            query: &[],
            headers: &[],
            body: b"",
            action: None,
            version: "2020-01-01",
            secret: DEFAULT_SECRET,
        }
    }
}

fn wire(request: &Request<'_>) -> Wire {
    let date = time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let nonce = hex::encode(rand::random::<[u8; 16]>());
    let hashed = hex::encode(Sha256::digest(request.body));
    let mut headers: Vec<(String, String)> = vec![
        ("host".into(), "127.0.0.1:8080".into()),
        ("x-acs-version".into(), request.version.into()),
        ("x-acs-date".into(), date),
        ("x-acs-signature-nonce".into(), nonce),
        ("x-acs-content-sha256".into(), hashed.clone()),
    ];
    if let Some(action) = request.action {
        headers.push(("x-acs-action".into(), action.into()));
    }
    headers.extend(request.headers.iter().map(|(n, v)| (n.to_string(), v.to_string())));
    let pairs: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let signed = acs3::sign(
        &acs3::Acs3Request {
            method: request.method,
            canonical_uri: request.path,
            query: request.query,
            headers: &pairs,
            hashed_payload: &hashed,
        },
        DEFAULT_ID,
        request.secret,
    );
    headers.push(("authorization".into(), signed.authorization));
    Wire {
        method: request.method.into(),
        path: request.path.into(),
        raw_query: signed.canonical_query,
        query: request.query.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        headers,
        body: Bytes::copy_from_slice(request.body),
    }
}

/// Status, `x-acs-request-id` header and JSON body of the answer.
async fn send(shared: &Shared, request: &Request<'_>) -> (u16, Option<String>, Value) {
    let outcome = process(shared, &wire(request)).await;
    if let Some(entry) = outcome.entry {
        shared.lock().log.push(entry);
    }
    let response = outcome.answer.expect("an answer, not a reset");
    let status = response.status().as_u16();
    let id = response.headers().get("x-acs-request-id").map(|v| v.to_str().unwrap().to_string());
    let body = response.into_body().collect().await.unwrap().to_bytes();
    let body = serde_json::from_slice(&body).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&body).into()));
    (status, id, body)
}

fn code(body: &Value) -> &str {
    body["Code"].as_str().unwrap_or_default()
}

fn last_action(shared: &Shared) -> Option<String> {
    shared.lock().log.last().and_then(|e| e.action.clone())
}

#[tokio::test]
async fn roa_routes_by_method_and_path_and_answers_the_bare_example() {
    let shared = shared();
    let (status, id, body) = send(
        &shared,
        &Request {
            path: "/things/t%201",
            // As the official Python SDKs write booleans.
            query: &[("verbose", "True")],
            headers: &[("x-acs-thing-zone", "zone-a")],
            ..Request::default()
        },
    )
    .await;
    assert_eq!((status, &body), (200, &json!({"thing_id": "t-1", "name": "first"})));
    assert!(id.is_some_and(|id| id.len() == 36), "a request id in x-acs-request-id");
    assert_eq!(last_action(&shared).as_deref(), Some("DescribeThing"));

    // A literal segment is more specific than a parameter.
    let (status, _, body) = send(&shared, &Request { path: "/things/special", ..Request::default() }).await;
    assert_eq!((status, body), (200, json!({"special": true})));
    assert_eq!(last_action(&shared).as_deref(), Some("DescribeSpecialThing"));

    // Two path parameters and a JSON-style list in the query.
    let (status, _, body) = send(
        &shared,
        &Request {
            path: "/things/t1/items/i%2F2",
            query: &[("ids", r#"["a","b"]"#), ("page_size", "10")],
            ..Request::default()
        },
    )
    .await;
    assert_eq!((status, body), (200, json!({"items": ["a", "b"]})));
    let read = shared.lock().log.last().map(|e| e.params.clone()).unwrap_or_default();
    assert_eq!(read, ["ThingId", "ItemId", "ids", "page_size"]);

    // The same path with PUT and a form body is another action; the header hint is not needed.
    let (status, _, _) = send(
        &shared,
        &Request {
            method: "PUT",
            path: "/things/t1",
            headers: &[("content-type", "application/x-www-form-urlencoded")],
            body: b"name=new&size=3",
            action: Some("ModifyThing"),
            ..Request::default()
        },
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(last_action(&shared).as_deref(), Some("ModifyThing"));
}

#[tokio::test]
async fn roa_reads_a_json_body_and_validates_every_location() {
    let shared = shared();
    let create = |body: &'static [u8]| Request {
        method: "POST",
        path: "/things",
        headers: &[("content-type", "application/json; charset=utf-8")],
        body,
        action: Some("CreateThing"),
        ..Request::default()
    };
    let (status, _, body) =
        send(&shared, &create(br#"{"name":"abc","size":3,"tags":[{"key":"k","value":"v"}],"unknown":1}"#)).await;
    assert_eq!((status, body), (200, json!({"thing_id": "t-2"})));

    // Typed values in a JSON body: a string where an integer belongs is refused.
    let (status, _, body) = send(&shared, &create(br#"{"name":"abc","size":"3"}"#)).await;
    assert_eq!((status, code(&body)), (400, "InvalidParameter"), "{body}");
    let (status, _, body) = send(&shared, &create(br#"{"name":"abc","tags":[{"value":"v"}]}"#)).await;
    assert_eq!((status, code(&body)), (400, "MissingParameter"), "{body}");
    let (status, _, body) = send(&shared, &create(br#"{"size":3}"#)).await;
    assert_eq!((status, code(&body)), (400, "MissingParameter"), "{body}");
    let (status, _, body) = send(&shared, &create(br#"{"name":"x"}"#)).await;
    assert_eq!((status, code(&body)), (400, "InvalidParameter"), "{body}");
    assert!(body["RequestId"].is_string() && body["Message"].is_string(), "{body}");
    // A body that is not JSON: the provider's error, not a panic.
    let (status, _, body) = send(&shared, &create(b"{not json")).await;
    assert_eq!((status, code(&body)), (400, "InvalidParameter"), "{body}");
    let (status, _, body) = send(&shared, &create(b"[1,2]")).await;
    assert_eq!((status, code(&body)), (400, "InvalidParameter"), "{body}");

    // A single body parameter is the whole body.
    let replace = |body: &'static [u8]| Request {
        method: "PUT",
        path: "/things/t1/spec",
        headers: &[("content-type", "application/json; charset=utf-8")],
        body,
        ..Request::default()
    };
    let (status, _, body) = send(&shared, &replace(br#"{"color":"red","weight":1.5,"labels":{"a":"b"}}"#)).await;
    assert_eq!((status, body), (200, json!({"replaced": true})));
    let (status, _, body) = send(&shared, &replace(br#"{"weight":1.5}"#)).await;
    assert_eq!((status, code(&body)), (400, "MissingParameter"), "{body}");
    let (status, _, body) = send(&shared, &replace(b"")).await;
    assert_eq!((status, code(&body)), (400, "MissingParameter"), "{body}");

    // Query, path and header values are text, checked as the field's type.
    let items = |query: &'static [(&'static str, &'static str)]| Request {
        path: "/things/t1/items/i2",
        query,
        ..Request::default()
    };
    let (status, _, body) = send(&shared, &items(&[("page_size", "1000")])).await;
    assert_eq!((status, code(&body)), (400, "InvalidParameter"), "{body}");
    let (status, _, body) = send(&shared, &items(&[("ids", r#"["a","b","c","d"]"#)])).await;
    assert_eq!((status, code(&body)), (400, "InvalidParameter"), "{body}");
    let (status, _, body) =
        send(&shared, &Request { path: "/things/t1", query: &[("verbose", "maybe")], ..Request::default() }).await;
    assert_eq!((status, code(&body)), (400, "InvalidParameter"), "{body}");
    let long = format!("/things/{}", "x".repeat(41));
    let (status, _, body) = send(&shared, &Request { path: &long, ..Request::default() }).await;
    assert_eq!((status, code(&body)), (400, "InvalidParameter"), "{body}");
}

#[tokio::test]
async fn roa_refuses_unknown_routes_wrong_methods_and_bad_signatures() {
    let shared = shared();
    let (status, _, body) =
        send(&shared, &Request { method: "DELETE", path: "/things/t1", ..Request::default() }).await;
    assert_eq!((status, code(&body)), (404, "InvalidAction.NotFound"), "{body}");
    let (status, _, body) = send(&shared, &Request { path: "/nothing/here", ..Request::default() }).await;
    assert_eq!((status, code(&body)), (404, "InvalidAction.NotFound"), "{body}");
    // The version decides too.
    let (status, _, body) =
        send(&shared, &Request { path: "/things/t1", version: "2021-01-01", ..Request::default() }).await;
    assert_eq!((status, code(&body)), (404, "InvalidAction.NotFound"), "{body}");
    // A ROA action is not reached through the RPC path `/`.
    let (status, _, body) =
        send(&shared, &Request { method: "POST", action: Some("CreateThing"), ..Request::default() }).await;
    assert_eq!((status, code(&body)), (404, "InvalidAction.NotFound"), "{body}");

    let (status, _, body) = send(&shared, &Request { path: "/things/t1", secret: "wrong", ..Request::default() }).await;
    assert_eq!((status, code(&body)), (400, "SignatureDoesNotMatch"), "{body}");
    // The signature covers the path: the same signature on another path fails.
    let mut moved = wire(&Request { path: "/things/t1", ..Request::default() });
    moved.path = "/things/t2".into();
    let outcome = process(&shared, &moved).await;
    let body = outcome.answer.ok().unwrap().into_body().collect().await.unwrap().to_bytes();
    assert_eq!(code(&serde_json::from_slice(&body).unwrap()), "SignatureDoesNotMatch");
    // Unsigned: the provider's error in its envelope.
    let mut unsigned = wire(&Request { path: "/things/t1", ..Request::default() });
    unsigned.headers.retain(|(name, _)| name != "authorization");
    let outcome = process(&shared, &unsigned).await;
    let response = outcome.answer.ok().unwrap();
    assert_eq!(response.status().as_u16(), 400);
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(code(&serde_json::from_slice(&body).unwrap()), "IncompleteSignature");
    // Garbled paths: no panic, an answer.
    for path in ["/things/%FF", "/things/%C3", "//", "/things/t1/items/"] {
        let (status, _, _) = send(&shared, &Request { path, ..Request::default() }).await;
        assert!(status >= 400, "{path}: {status}");
    }
}

#[tokio::test]
async fn rpc_reads_form_bodies_styles_and_dotted_names() {
    let shared = shared();
    let set = |query: &'static [(&'static str, &'static str)], body: &'static [u8]| Request {
        method: "POST",
        query,
        headers: &[("content-type", "application/x-www-form-urlencoded")],
        body,
        action: Some("SetThing"),
        ..Request::default()
    };
    let query: &[(&str, &str)] = &[
        ("Name", "abc"),
        ("Tag.1.Key", "k1"),
        ("Tag.2.Key", "k2"),
        ("Tag.2.Value", "v2"),
        ("CpuOptions.Core", "4"),
        ("Options.Mode", "fast"),
        ("Options.Level", "2"),
        ("Settings", r#"{"Mode":"slow","Level":1}"#),
    ];
    let (status, _, body) = send(&shared, &set(query, b"Note=hello%20world")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["Done"], json!(true));
    assert!(body["RequestId"].as_str().is_some_and(|id| id != "X"), "a fresh RequestId: {body}");
    let read = shared.lock().log.last().map(|e| e.params.clone()).unwrap_or_default();
    assert_eq!(read, ["Name", "Note", "Tag", "CpuOptions.Core", "Options", "Settings"]);

    // The form parameter is required, and read from the body only.
    let (status, _, body) = send(&shared, &set(&[("Name", "abc")], b"")).await;
    assert_eq!((status, code(&body)), (400, "MissingParameter"), "{body}");
    // Each style is validated.
    for query in [
        &[("Name", "abc"), ("Tag.1.Value", "v")][..],
        &[("Name", "abc"), ("CpuOptions.Core", "65")][..],
        &[("Name", "abc"), ("Options.Level", "2")][..],
        &[("Name", "abc"), ("Settings", r#"{"Level":"x"}"#)][..],
        &[("Name", "a")][..],
    ] {
        let query: &'static [(&'static str, &'static str)] = Box::leak(query.to_vec().into_boxed_slice());
        let (status, _, body) = send(&shared, &set(query, b"Note=n")).await;
        assert_eq!(status, 400, "{query:?}: {body}");
        assert!(matches!(code(&body), "InvalidParameter" | "MissingParameter"), "{query:?}: {body}");
    }
    // A wrong secret over a form body.
    let mut wrong = set(query, b"Note=n");
    wrong.secret = "wrong";
    let (status, _, body) = send(&shared, &wrong).await;
    assert_eq!((status, code(&body)), (400, "SignatureDoesNotMatch"), "{body}");
    // A body changed after signing.
    let mut changed = wire(&set(query, b"Note=n"));
    changed.body = Bytes::from_static(b"Note=m");
    let outcome = process(&shared, &changed).await;
    let body = outcome.answer.ok().unwrap().into_body().collect().await.unwrap().to_bytes();
    assert_eq!(code(&serde_json::from_slice(&body).unwrap()), "SignatureDoesNotMatch");
}

/// Garbled requests get an answer (the provider's error, or a plain 400), never a panic: random paths,
/// queries, headers and bodies, signed and unsigned, bounded.
#[tokio::test]
async fn garbled_requests_never_panic() {
    let shared = shared();
    let pieces =
        ["", "/", "//", "things", "%", "%FF", "%2F", "{ThingId}", "special", "items", "spec", "?", "&", "=", "..", "é"];
    let bodies: [&[u8]; 7] = [b"", b"{", b"[]", b"null", b"{\"name\":{}}", b"\xff\xfe", b"name=%ZZ&size"];
    let content_types = ["", "application/json", "application/x-www-form-urlencoded", "text/plain"];
    for i in 0..400usize {
        let pick = |n: usize, salt: usize| (i.wrapping_mul(2654435761).wrapping_add(salt * 40503)) % n;
        let path: String = (0..pick(5, 1) + 1).map(|k| format!("/{}", pieces[pick(pieces.len(), k + 2)])).collect();
        let query: Vec<(&str, &str)> = match pick(4, 9) {
            0 => vec![],
            1 => vec![("ids", "[1,"), ("page_size", "x")],
            2 => vec![("Tag.1.Key", "a"), ("Tag.1", "b")],
            _ => vec![("verbose", "TRUE"), ("", "")],
        };
        let content_type = content_types[pick(content_types.len(), 11)];
        let headers: Vec<(&str, &str)> =
            if content_type.is_empty() { vec![] } else { vec![("content-type", content_type)] };
        let method = ["GET", "POST", "PUT", "DELETE", "PATCH"][pick(5, 13)];
        let request = Request {
            method,
            path: &path,
            query: &query,
            headers: &headers,
            body: bodies[pick(bodies.len(), 17)],
            action: [None, Some("CreateThing"), Some("SetThing"), Some("")][pick(4, 19)],
            version: ["2020-01-01", "", "x"][pick(3, 23)],
            ..Request::default()
        };
        let mut wire = wire(&request);
        if i % 3 == 0 {
            wire.headers.retain(|(name, _)| name != "authorization");
        }
        if i % 5 == 0 {
            wire.headers
                .push(("authorization".into(), "ACS3-HMAC-SHA256 Credential=,SignedHeaders=;;,Signature=".into()));
        }
        let outcome = process(&shared, &wire).await;
        let response = outcome.answer.expect("an answer, not a reset");
        assert!(response.status().as_u16() >= 200, "{method} {path}");
    }
}
