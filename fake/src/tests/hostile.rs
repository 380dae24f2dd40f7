//! Hostile requests and settings: clocks and times at the ends of `i64`, parameter names nested far
//! deeper than any spec, and secrets — values of parameters the spec marks `sensitive`, signatures,
//! the credential's secret — that must come back in no answer, no log entry and no `Debug` line.

use http_body_util::BodyExt;
use serde_json::Value;

use super::{Request, shared, wire};
use crate::protocol::process;
use crate::settings::DEFAULT_SECRET;
use crate::state::Shared;
use crate::wire::Wire;

/// Status and body (as text) of the answer to `wire`, logged as the server logs it.
async fn exchange(shared: &Shared, wire: &Wire) -> (u16, String) {
    let outcome = process(shared, wire).await;
    if let Some(entry) = outcome.entry {
        shared.lock().log.push(entry);
    }
    let response = outcome.answer.expect("an answer, not a reset");
    let status = response.status().as_u16();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

fn code(body: &str) -> String {
    serde_json::from_str::<Value>(body).ok().and_then(|v| v["Code"].as_str().map(str::to_string)).unwrap_or_default()
}

#[tokio::test]
async fn clock_offsets_at_the_ends_of_i64_are_stale_requests_not_overflows() {
    let shared = shared();
    let describe = Request { path: "/things/t1", ..Request::default() };
    for offset in [i64::MAX, i64::MIN, i64::MAX / 2, i64::MIN / 2, -1_000_000_000_000] {
        shared.lock().settings.clock_offset_seconds = offset;
        let (status, body) = exchange(&shared, &wire(&describe)).await;
        assert_eq!((status, code(&body).as_str()), (400, "InvalidTimeStamp.Expired"), "offset {offset}: {body}");
    }
    shared.lock().settings.clock_offset_seconds = 0;
    assert_eq!(exchange(&shared, &wire(&describe)).await.0, 200);
}

#[tokio::test]
async fn names_nested_far_deeper_than_any_spec_are_refused_without_exhausting_the_stack() {
    let shared = shared();
    // Half a million levels in a form body, a few thousand in a query: built into nested values, either
    // would overflow the stack when walked or dropped, aborting the whole process.
    let deep_form = format!("{}b=x", "a.".repeat(500_000));
    let set_thing = Request {
        method: "POST",
        headers: &[("content-type", "application/x-www-form-urlencoded")],
        body: deep_form.as_bytes(),
        action: Some("SetThing"),
        ..Request::default()
    };
    let (status, body) = exchange(&shared, &wire(&set_thing)).await;
    assert_eq!((status, code(&body).as_str()), (400, "InvalidParameter"), "{}", &body[..body.len().min(300)]);
    assert!(body.len() < 1000, "the message quotes the name in part only: {} bytes", body.len());

    let deep_name = format!("{}b", "Tag.1.".repeat(3000));
    let query = [(deep_name.as_str(), "x")];
    let describe = Request { path: "/things/t1", query: &query, ..Request::default() };
    let (status, body) = exchange(&shared, &wire(&describe)).await;
    assert_eq!((status, code(&body).as_str()), (400, "InvalidParameter"), "{}", &body[..body.len().min(300)]);

    // Names as deep as documented ones still work.
    let tagged = [("Name", "abc"), ("Tag.1.Key", "k"), ("Options.Mode", "fast")];
    let set_thing = Request { query: &tagged, body: b"Note=n", ..set_thing };
    assert_eq!(exchange(&shared, &wire(&set_thing)).await.0, 200);
}

/// Values that must never come back.
const PASSWORD: &str = "Canary0Password0Value";
const PASSPHRASE: &str = "Canary1Passphrase1Value";
const TOKEN: &str = "Canary2VaultToken2Value";

#[tokio::test]
async fn sensitive_values_signatures_and_secrets_reach_no_answer_log_or_debug_line() {
    let shared = shared();
    let form = [("content-type", "application/x-www-form-urlencoded")];
    let set_thing = |query: &'static [(&'static str, &'static str)], secret| Request {
        method: "POST",
        query,
        headers: &form,
        body: b"Note=n",
        action: Some("SetThing"),
        secret,
        ..Request::default()
    };
    let vault = format!("/vaults/{PASSPHRASE}");
    let short_vault = "/vaults/Canary3";
    let vault_headers = [("x-acs-vault-token", TOKEN)];
    let short_token = [("x-acs-vault-token", "Canary4")];
    let cases: Vec<(Request<'_>, u16, &str)> = vec![
        (set_thing(&[("Name", "abc"), ("Password", PASSWORD)], DEFAULT_SECRET), 200, ""),
        // Against its pattern, its length, and with a wrong signature.
        (
            set_thing(&[("Name", "abc"), ("Password", "Canary0Password0Value!")], DEFAULT_SECRET),
            400,
            "InvalidParameter",
        ),
        (
            set_thing(&[("Name", "abc"), ("Password", "Canary0Password0ValueCanary0Password0Value")], DEFAULT_SECRET),
            400,
            "InvalidParameter",
        ),
        (set_thing(&[("Name", "abc"), ("Password", PASSWORD)], "wrong"), 400, "SignatureDoesNotMatch"),
        (Request { path: &vault, headers: &vault_headers, ..Request::default() }, 200, ""),
        // A method the path does not take: Alibaba's not-found message must not quote the path.
        (
            Request { method: "DELETE", path: &vault, headers: &vault_headers, ..Request::default() },
            404,
            "InvalidAction.NotFound",
        ),
        (Request { path: short_vault, headers: &vault_headers, ..Request::default() }, 400, "InvalidParameter"),
        (Request { path: &vault, headers: &short_token, ..Request::default() }, 400, "InvalidParameter"),
    ];
    let canaries = [PASSWORD, PASSPHRASE, TOKEN, "Canary3", "Canary4", DEFAULT_SECRET];
    for (request, status, expected) in &cases {
        let wire = wire(request);
        let signature =
            wire.header("authorization").and_then(|a| a.split("Signature=").nth(1)).unwrap_or_default().to_string();
        let (answered, body) = exchange(&shared, &wire).await;
        let what = format!("{} {}", request.method, request.path);
        assert_eq!((answered, code(&body).as_str()), (*status, *expected), "{what}: {body}");
        let debug = format!("{wire:?}");
        for (place, text) in [("answer", &body), ("Debug", &debug)] {
            for secret in canaries.iter().chain([&signature.as_str()]) {
                assert!(!text.contains(secret), "{what}: the {place} holds `{secret}`: {text}");
            }
        }
    }
    let log = serde_json::to_string(&shared.lock().log).unwrap();
    for secret in canaries {
        assert!(!log.contains(secret), "the log holds `{secret}`: {log}");
    }
    assert!(log.contains("\"Password\""), "the log names the parameters a processed request carried: {log}");
}
