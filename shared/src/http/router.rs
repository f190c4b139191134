//! Turns a request into a response: resolve the route, read the body within limits, run the
//! handler, map any refusal to problem+json, log one line.

use std::time::Instant;

use lambda_http::{Body, Request};
use tracing::Instrument;

use super::problem::{Problem, ProblemKind};
use super::request::{Ctx, MAX_BODY_BYTES};
use super::routes::{resolve, Resolved};
use super::Response;
use crate::app::Deps;
use crate::function::Function;

/// Handles one request, answered within the configured deadline (`settings::Timeouts`) whatever
/// a dependency does. `function` restricts the routes to one Lambda function's; the local
/// server passes `None` and serves them all.
pub async fn handle(deps: &Deps, request: Request, function: Option<Function>) -> Response {
    let started = Instant::now();
    let method = request.method().as_str().to_string();
    let path = request.uri().path().to_string();
    let span = tracing::info_span!("request", %method, route = tracing::field::Empty, tenant = tracing::field::Empty);
    async move {
        let outcome =
            tokio::time::timeout(deps.config.timeouts.request_deadline, route_and_run(deps, request, function)).await;
        let mut response = match outcome {
            Ok(Ok(response)) => response,
            Ok(Err(problem)) => problem.into_response(),
            Err(_) => Problem::deadline_exceeded().into_response(),
        };
        // Answers carry tokens and personal data (a meeting, a guest's address, a conversation):
        // no cache keeps them, unless a handler says otherwise (the pages' static assets).
        if !response.headers().contains_key(http::header::CACHE_CONTROL) {
            response.headers_mut().insert(http::header::CACHE_CONTROL, http::HeaderValue::from_static("no-store"));
        }
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

async fn route_and_run(deps: &Deps, request: Request, function: Option<Function>) -> Result<Response, Problem> {
    let (route, params) = match resolve(request.method().as_str(), request.uri().path()) {
        Resolved::Found(route, params) if function.is_none_or(|f| f == route.function) => (route, params),
        Resolved::MethodNotAllowed(allowed) => {
            return Err(Problem::new(
                405,
                ProblemKind::MethodNotAllowed,
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
            ProblemKind::PayloadTooLarge,
            "The body is too large",
            format!("bodies are limited to {MAX_BODY_BYTES} bytes"),
        ));
    }
    let client = parts.extensions.get::<super::request::ClientAddress>();
    let ctx = Ctx::new(route, params, parts.uri.query(), parts.headers, body, client);
    (route.handler)(deps, &ctx).await
}
