//! The body of every function's `main`: configuration and clients once, then the runtime loop.

use std::convert::Infallible;
use std::sync::Arc;

use lambda_http::{service_fn, Request};

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
        Ok::<_, Infallible>(router::handle(deps, request, Some(function)).await)
    }))
    .await
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
