//! One request through the fake, as a sequence of small phases in the style of smithy-rs's
//! orchestrator (`try_op` / `try_attempt`): [`detect`] the protocol → [`route`] to the service and
//! action → [`strike`] an injected fault → [`authenticate`] → read and check the [`parameters`] → rate
//! limit → [`answer`]. Each phase returns what the next one needs or, early, the request's [`Outcome`]:
//! the provider's error envelope (or an injected fault) and the log entry it leaves.

use bytes::Bytes;
use http_body_util::Full;
use hyper::Response;
use serde_json::{Map, Value};

use cloudspec::spec::{Action, Protocol};

use crate::auth::{self, Verifier};
use crate::control::{Fault, LogEntry};
use crate::emulate;
use crate::envelope::{Answer, Call, Kind, Outcome, Reset, example_payload, not_found, plain, roa_example};
use crate::params;
use crate::roa;
use crate::served::Served;
use crate::state::Shared;
use crate::wire::Wire;

/// A phase's result: what the next phase needs, or the request's outcome, decided early.
type Phase<T> = Result<T, Box<Outcome>>;

/// Processes one API request (not an admin one) and says how to answer it.
pub(crate) async fn process(shared: &Shared, wire: &Wire) -> Outcome {
    match try_process(shared, wire).await {
        Ok(outcome) => outcome,
        Err(early) => *early,
    }
}

async fn try_process(shared: &Shared, wire: &Wire) -> Phase<Outcome> {
    let form = wire.form();
    let detected = detect(wire, &form);
    let target = route(&shared.services, wire, detected)?;
    let fault = strike(shared, &target)?;
    authenticate(shared, wire, &form, &target)?;
    let params = parameters(wire, &form, &target)?;
    if !shared.admit(target.served, target.action, &target.name) {
        return Err(target.call.throttled());
    }
    answer(shared, &target, &params, fault).await
}

/// What the request says about itself before routing.
struct Detected {
    kind: Kind,
    action: Option<String>,
    version: Option<String>,
}

/// Which protocol the request speaks, and the action and version it names (if it names them).
fn detect(wire: &Wire, form: &[(String, String)]) -> Detected {
    let param = |name: &str| wire.query.iter().chain(form).find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let header = |name: &str| wire.header(name).map(str::to_string);
    let authorization = wire.header("authorization").unwrap_or_default();
    if wire.header("x-tc-action").is_some() || authorization.starts_with("TC3-") {
        Detected { kind: Kind::Tencent, action: header("x-tc-action"), version: header("x-tc-version") }
    } else if authorization.starts_with("ACS3-")
        || (wire.header("x-acs-action").is_some() && param("Signature").is_none())
    {
        Detected { kind: Kind::AlibabaV3, action: header("x-acs-action"), version: header("x-acs-version") }
    } else if param("Signature").is_some() {
        // The official SDKs send `x-acs-action` and `x-acs-version` with the legacy signature too:
        // the `Signature` parameter, without an ACS3 Authorization header, decides.
        Detected { kind: Kind::AlibabaRpc, action: param("Action"), version: param("Version") }
    } else {
        // Perhaps an unsigned ROA request: routed next, and refused by the signature check.
        Detected { kind: Kind::AlibabaRoa, action: None, version: header("x-acs-version") }
    }
}

/// A request routed to one action of one served service.
struct Target<'a> {
    call: Call<'a>,
    served: &'a Served,
    name: String,
    action: &'a Action,
    /// A ROA request's path parameters, percent-decoded.
    path_params: Vec<(String, String)>,
}

impl Target<'_> {
    fn kind(&self) -> Kind {
        self.call.kind
    }
}

/// The service and action: a ROA request by its method and path (the `x-acs-action` header only
/// breaks ties), any other by the action and version it names.
fn route<'a>(services: &'a [Served], wire: &Wire, detected: Detected) -> Phase<Target<'a>> {
    let Detected { kind, action, version } = detected;
    if matches!(kind, Kind::AlibabaV3 | Kind::AlibabaRoa) {
        let call = Call { kind: Kind::AlibabaRoa, served: None, action: action.clone() };
        match roa::route(services, wire, version.as_deref(), action.as_deref()) {
            roa::Routed::Found(route) => {
                return target(Kind::AlibabaRoa, route.served, route.action.to_string(), route.path_params);
            }
            roa::Routed::WrongMethod => return Err(call.error("InvalidAction.NotFound", &not_found(wire), 404)),
            roa::Routed::None if kind == Kind::AlibabaRoa => return Err(unrecognized()),
            roa::Routed::None => {}
        }
    }
    let mut call = Call { kind, served: None, action: action.clone() };
    if kind == Kind::AlibabaV3 && action.is_none() {
        return Err(call.error("InvalidAction.NotFound", &not_found(wire), 404));
    }
    let (Some(action), Some(version)) = (action, version) else {
        return Err(call.error("MissingParameter", "the action and the version are required", 400));
    };
    let Some(served) = service_of(services, wire, kind, &action, &version) else {
        let (code, status) =
            if kind == Kind::Tencent { ("InvalidAction", 200) } else { ("InvalidAction.NotFound", 404) };
        return Err(call.error(code, &format!("the action {action} of version {version} does not exist"), status));
    };
    if served.is_roa() {
        // A ROA action is reached by its path only.
        call.served = Some(served);
        return Err(call.error("InvalidAction.NotFound", &not_found(wire), 404));
    }
    target(kind, served, action, Vec::new())
}

fn target(kind: Kind, served: &Served, name: String, path_params: Vec<(String, String)>) -> Phase<Target<'_>> {
    let call = Call { kind, served: Some(served), action: Some(name.clone()) };
    let Some(action) = served.action(&name) else {
        return Err(call.error("InvalidAction", "unknown action", 404));
    };
    Ok(Target { call, served, name, action, path_params })
}

/// The service whose protocol, version and actions match (the credential scope decides a tie).
fn service_of<'a>(services: &'a [Served], wire: &Wire, kind: Kind, action: &str, version: &str) -> Option<&'a Served> {
    let scope_service =
        wire.header("authorization").and_then(|a| a.split("Credential=").nth(1)).and_then(|c| c.split('/').nth(2));
    let candidates: Vec<&Served> = services
        .iter()
        .filter(|s| {
            (s.protocol() == Protocol::TencentJson) == (kind == Kind::Tencent)
                && s.spec.service.version == version
                && s.spec.actions.contains_key(action)
        })
        .collect();
    candidates
        .iter()
        .find(|s| {
            scope_service
                .is_some_and(|scope| s.spec.service.signing_name.as_deref().unwrap_or(&s.spec.service.name) == scope)
        })
        .or(candidates.first())
        .copied()
}

/// Neither provider's request: a plain 400.
fn unrecognized() -> Box<Outcome> {
    let entry = LogEntry {
        action: None,
        service: None,
        processed: false,
        error: Some("UnrecognizedRequest".into()),
        status: 400,
        params: Vec::new(),
    };
    Box::new(Outcome { answer: Ok(plain(400, "not a Tencent Cloud or Alibaba Cloud API request")), entry: Some(entry) })
}

/// Takes the fault injected for this action. Those that strike before anything is processed end the
/// request here; the others are applied to its answer.
fn strike(shared: &Shared, target: &Target<'_>) -> Phase<Option<Fault>> {
    let call = &target.call;
    let fault = shared.take_fault(&target.name);
    match &fault {
        Some(Fault::ResetBefore) => {
            Err(Box::new(Outcome { answer: Err(Reset), entry: Some(call.entry(false, None, 0)) }))
        }
        Some(Fault::Status { status, body }) => {
            Err(Box::new(Outcome { answer: Ok(plain(*status, body)), entry: Some(call.entry(false, None, *status)) }))
        }
        Some(Fault::Throttle) => Err(call.throttled()),
        Some(Fault::Error { code }) => {
            let provider = &target.served.provider;
            let documented = target.action.errors.iter().chain(&provider.common_errors).find(|e| &e.code == code);
            let description = documented.and_then(|e| e.description.clone()).unwrap_or_else(|| "injected error".into());
            let status =
                provider.common_errors.iter().find(|e| &e.code == code).and_then(|e| e.http_status).unwrap_or(400);
            Err(call.error(code, &description, status))
        }
        _ => Ok(fault),
    }
}

/// The signature, the request's time and (Alibaba) its nonce, against the fake's credentials and clock.
fn authenticate(shared: &Shared, wire: &Wire, form: &[(String, String)], target: &Target<'_>) -> Phase<()> {
    let (offset, credentials) = {
        let state = shared.lock();
        (state.settings.clock_offset_seconds, state.settings.credentials.clone())
    };
    let secret_of = |id: &str| credentials.get(id).cloned();
    let mut remember = |nonce: &str| shared.lock().nonces.remember(nonce, std::time::Instant::now());
    let mut verifier = Verifier::new(offset, &secret_of, &mut remember);
    let verified = match target.kind() {
        Kind::Tencent => auth::tencent(wire, &mut verifier),
        Kind::AlibabaRoa if wire.header("authorization").is_some_and(|a| a.starts_with("acs ")) => {
            auth::alibaba_roa_v1(wire, &mut verifier)
        }
        Kind::AlibabaV3 | Kind::AlibabaRoa => auth::alibaba_v3(wire, &mut verifier),
        Kind::AlibabaRpc => {
            let params: Vec<(String, String)> = wire.query.iter().chain(form).cloned().collect();
            auth::alibaba_rpc(wire, &params, &mut verifier)
        }
    };
    verified.map(drop).map_err(|denied| target.call.error(denied.code, &denied.message, denied.status))
}

/// The action's parameters, read from where the protocol carries them and checked with the rules
/// generated validators apply.
fn parameters(wire: &Wire, form: &[(String, String)], target: &Target<'_>) -> Phase<Map<String, Value>> {
    let request =
        params::Request { wire, form, served: target.served, action: target.action, path: &target.path_params };
    params::read_and_check(&request, &target.call)
}

/// Applies the request's effect (an emulated seed action, or none), logs it, and answers with the
/// emulated result or the documented example — through the fault that strikes after processing, if any.
async fn answer(
    shared: &Shared,
    target: &Target<'_>,
    params: &Map<String, Value>,
    fault: Option<Fault>,
) -> Phase<Outcome> {
    let call = &target.call;
    let response = if target.kind() == Kind::AlibabaRoa {
        call.roa_success(&roa_example(target.action))
    } else {
        let emulated = {
            let mut state = shared.lock();
            let state = &mut *state;
            emulate::run(&mut state.emulation, &mut state.settings, target.served, &target.name, params)
        };
        let payload = match emulated {
            Some(Err((code, message))) => return Err(call.error(&code, &message, 400)),
            Some(Ok(payload)) => payload,
            None => example_payload(target.action, target.kind()),
        };
        call.success(payload)
    };
    // The effect is applied: log it now, before any delay, so a client that gives up meanwhile
    // still finds it in the log.
    let mut entry = call.entry(true, None, 200);
    entry.params = target.action.request.keys().filter(|name| params.contains_key(*name)).cloned().collect();
    shared.lock().log.push(entry);
    Ok(Outcome { answer: deliver(response, fault).await, entry: None })
}

/// The answer as a fault that strikes after processing leaves it.
async fn deliver(response: Response<Full<Bytes>>, fault: Option<Fault>) -> Answer {
    match fault {
        Some(Fault::Latency { ms }) => {
            tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
            Ok(response)
        }
        Some(Fault::ResetAfter) => Err(Reset),
        Some(Fault::Malformed) => Ok(plain(200, "<html><body>not JSON</body></html>")),
        Some(Fault::Truncated) => {
            let body =
                http_body_util::BodyExt::collect(response.into_body()).await.map(|c| c.to_bytes()).unwrap_or_default();
            let mut cut = Response::new(Full::new(body.slice(..body.len() / 2)));
            cut.headers_mut().insert("content-type", hyper::header::HeaderValue::from_static("application/json"));
            Ok(cut)
        }
        _ => Ok(response),
    }
}
