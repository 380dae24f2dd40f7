//! The HTTP side: accepting connections, serving HTTP/1.1 on each, and turning each request into an
//! admin answer or an API one.

use std::sync::Arc;

use http_body_util::BodyExt;
use hyper::Request;
use hyper::body::Incoming;

use crate::admin;
use crate::envelope::{Answer, plain};
use crate::protocol;
use crate::state::Shared;
use crate::wire::Wire;

/// The most a request body may be.
const MAX_BODY: usize = 8 * 1024 * 1024;

/// Accepts connections on `listener` and serves each until `stop` changes.
pub(crate) async fn serve(
    listener: tokio::net::TcpListener,
    shared: Arc<Shared>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = stop.changed() => return,
        };
        let Ok((stream, _)) = accepted else { continue };
        let _ = stream.set_nodelay(true);
        let shared = shared.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| handle(shared.clone(), request));
            let io = hyper_util::rt::TokioIo::new(stream);
            // An `Err` from the service closes the connection without an answer: a reset.
            let _ = hyper::server::conn::http1::Builder::new().serve_connection(io, service).await;
        });
    }
}

async fn handle(shared: Arc<Shared>, request: Request<Incoming>) -> Answer {
    let (parts, body) = request.into_parts();
    let body = match http_body_util::Limited::new(body, MAX_BODY).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => return Ok(plain(413, "the request body is too large or was cut off")),
    };
    if admin::is_admin(parts.uri.path()) {
        return Ok(admin::answer(&shared, &parts, &body));
    }
    let wire = Wire::new(&parts, body);
    let outcome = protocol::process(&shared, &wire).await;
    if let Some(entry) = outcome.entry {
        shared.lock().log.push(entry);
    }
    outcome.answer
}
