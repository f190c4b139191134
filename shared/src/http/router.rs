//! Turns a request into a response: resolve the route, read the body within limits, run the
//! handler, map any refusal to problem+json, log one line.

use std::time::Instant;

use lambda_http::{Body, Request};
use tracing::Instrument;

use super::deps::Deps;
use super::handlers;
use super::problem::Problem;
use super::request::{Ctx, MAX_BODY_BYTES};
use super::routes::{resolve, Resolved};
use super::Response;

/// Handles one request. `function` restricts the routes to one Lambda function's; the local
/// server passes `None` and serves them all.
pub async fn handle(deps: &Deps, request: Request, function: Option<&str>) -> Response {
    let started = Instant::now();
    let method = request.method().as_str().to_string();
    let path = request.uri().path().to_string();
    let span = tracing::info_span!("request", %method, route = tracing::field::Empty, tenant = tracing::field::Empty);
    async move {
        let response = match route_and_run(deps, request, function).await {
            Ok(response) => response,
            Err(problem) => problem.into_response(),
        };
        let status = response.status().as_u16();
        let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
        if status >= 500 {
            tracing::error!(status, latency_ms, %path, "request failed");
        } else {
            tracing::info!(status, latency_ms, %path, "request");
        }
        response
    }
    .instrument(span)
    .await
}

async fn route_and_run(deps: &Deps, request: Request, function: Option<&str>) -> Result<Response, Problem> {
    let (route, params) = match resolve(request.method().as_str(), request.uri().path()) {
        Resolved::Found(route, params) if function.is_none_or(|f| f == route.function) => (route, params),
        Resolved::MethodNotAllowed(allowed) => {
            return Err(Problem::new(
                405,
                "method-not-allowed",
                "Method not allowed",
                format!("this path accepts {}", allowed.join(", ")),
            ))
        }
        _ => return Err(Problem::not_found("route")),
    };
    tracing::Span::current().record("route", route.path);
    let (parts, body) = request.into_parts();
    let body = match body {
        Body::Empty => Vec::new(),
        Body::Text(text) => text.into_bytes(),
        Body::Binary(bytes) => bytes,
        _ => Vec::new(),
    };
    if body.len() > MAX_BODY_BYTES {
        return Err(Problem::new(
            413,
            "payload-too-large",
            "The body is too large",
            format!("bodies are limited to {MAX_BODY_BYTES} bytes"),
        ));
    }
    let ctx = Ctx::new(route, params, parts.uri.query(), parts.headers, body);
    handlers::dispatch(deps, &ctx).await
}
