//! A plain HTTP/1.1 server that hands each request to the same router the Lambda functions use.

use std::convert::Infallible;
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use shared::app::Deps;
use shared::http::router;
use shared::http::Response;

/// Bodies past this are cut off before they reach the router (which refuses past 64 KiB anyway).
const MAX_READ_BYTES: usize = 1024 * 1024;

pub async fn run(listener: tokio::net::TcpListener, deps: Deps) -> Result<(), Box<dyn std::error::Error>> {
    let deps = Arc::new(deps);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => accepted?,
            _ = tokio::signal::ctrl_c() => return Ok(()),
        };
        let deps = deps.clone();
        tokio::spawn(async move {
            let service = service_fn(move |mut request: hyper::Request<Incoming>| {
                let deps = deps.clone();
                // The peer is the client, as API Gateway's source IP is in AWS.
                request.extensions_mut().insert(shared::http::request::ClientAddress(peer.ip().to_string()));
                async move { Ok::<_, Infallible>(answer(&deps, request).await) }
            });
            let _ = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
        });
    }
}

async fn answer(deps: &Deps, request: hyper::Request<Incoming>) -> hyper::Response<Full<Bytes>> {
    let (parts, body) = request.into_parts();
    let body = match Limited::new(body, MAX_READ_BYTES).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => {
            let problem = shared::http::problem::Problem::new(
                413,
                shared::http::problem::ProblemKind::PayloadTooLarge,
                "The body is too large",
                "bodies are limited to 64 KiB",
            );
            return to_hyper(problem.into_response());
        }
    };
    let body = if body.is_empty() { lambda_http::Body::Empty } else { lambda_http::Body::Binary(body.to_vec()) };
    let response = router::handle(deps, lambda_http::Request::from_parts(parts, body), None).await;
    to_hyper(response)
}

fn to_hyper(response: Response) -> hyper::Response<Full<Bytes>> {
    let (parts, body) = response.into_parts();
    let bytes = match body {
        lambda_http::Body::Text(text) => Bytes::from(text),
        lambda_http::Body::Binary(bytes) => Bytes::from(bytes),
        _ => Bytes::new(),
    };
    hyper::Response::from_parts(parts, Full::new(bytes))
}
