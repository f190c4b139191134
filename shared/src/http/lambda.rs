//! The body of every function's `main`: configuration and clients once, then the runtime loop.

use std::convert::Infallible;
use std::sync::Arc;

use lambda_http::{service_fn, Request, RequestExt};

use super::router;
use crate::app::Deps;
use crate::clock::SystemClock;
use crate::function::Function;

/// Serves the routes of `function` (a name from the route table) under the Lambda runtime.
pub async fn run(function: Function) -> Result<(), lambda_http::Error> {
    super::telemetry::init();
    let deps = Deps::from_env(Arc::new(SystemClock)).await?;
    let deps = &deps;
    lambda_http::run(service_fn(move |request: Request| async move {
        Ok::<_, Infallible>(handle(deps, function, request).await)
    }))
    .await
}

/// One API Gateway request to `function`, as the runtime hands it over: what `run` serves, and
/// what the tests feed API Gateway's own events through.
///
/// A REST API's `execute-api` address carries the stage (`/prod/v1/health`), which lambda_http
/// keeps in the URI; the routes are the API's own paths, so the path API Gateway matched
/// (without the stage) is the one routed. A custom domain has no stage in the first place.
pub async fn handle(deps: &Deps, function: Function, request: Request) -> super::Response {
    let request = without_stage(request);
    router::handle(deps, request, Some(function)).await
}

fn without_stage(request: Request) -> Request {
    let raw = request.raw_http_path().to_string();
    if raw.is_empty() || raw == request.uri().path() {
        return request;
    }
    let (mut parts, body) = request.into_parts();
    let path_and_query = match parts.uri.query() {
        Some(query) => format!("{raw}?{query}"),
        None => raw,
    };
    if let Ok(uri) = path_and_query.parse() {
        parts.uri = uri;
    }
    Request::from_parts(parts, body)
}

/// The scheduled outbox delivery: every invocation (an EventBridge schedule, every minute)
/// delivers whatever in the outbox is due.
pub async fn run_delivery() -> Result<(), lambda_runtime::Error> {
    super::telemetry::init();
    let deps = Deps::from_env(Arc::new(SystemClock)).await?;
    let deps = &deps;
    lambda_runtime::run(lambda_runtime::service_fn(
        move |_: lambda_runtime::LambdaEvent<serde_json::Value>| async move {
            let report = deps.delivery().run_due().await?;
            tracing::info!(?report, "delivery run");
            Ok::<_, lambda_runtime::Error>(serde_json::json!({
                "claimed": report.claimed,
                "emails": report.emails,
                "events": report.events,
                "delivered": report.delivered,
                "retried": report.retried,
                "parked": report.parked,
            }))
        },
    ))
    .await
}
