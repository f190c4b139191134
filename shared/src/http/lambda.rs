//! The body of every function's `main`: configuration and clients once, then the runtime loop.

use std::convert::Infallible;
use std::sync::Arc;

use lambda_http::{service_fn, Request, RequestExt};

use super::router;
use crate::app::Deps;
use crate::clock::SystemClock;
use crate::function::Function;

/// Runs `function` under the Lambda runtime: its routes, or the scheduled delivery.
pub async fn run_function(function: Function) -> Result<(), lambda_http::Error> {
    match function {
        Function::Delivery => run_delivery().await,
        Function::MailEvents => run_mail_events().await,
        function => run(function).await,
    }
}

/// Serves the routes of `function` (a name from the route table) under the Lambda runtime.
async fn run(function: Function) -> Result<(), lambda_http::Error> {
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
    deps.notifier.links.learn(|| public_base(&request));
    let mut request = without_stage(request);
    if let Some(address) = source_ip(&request) {
        request.extensions_mut().insert(super::request::ClientAddress(address));
    }
    router::handle(deps, request, Some(function)).await
}

/// The address a request reached, as API Gateway reports it: its `execute-api` domain with the
/// stage, or a custom domain (whose base path mapping hides the stage).
fn public_base(request: &Request) -> Option<String> {
    use lambda_http::request::RequestContext;
    let (domain, stage) = match request.request_context_ref()? {
        RequestContext::ApiGatewayV1(c) => (c.domain_name.clone()?, c.stage.clone()),
        RequestContext::ApiGatewayV2(c) => (c.domain_name.clone()?, c.stage.clone()),
        _ => return None,
    };
    let host_like = domain.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
    if !host_like || domain.is_empty() {
        return None;
    }
    Some(match stage.filter(|s| domain.ends_with(".amazonaws.com") && s != "$default") {
        Some(stage) => format!("https://{domain}/{stage}"),
        None => format!("https://{domain}"),
    })
}

/// The client's address as API Gateway saw it (not as any header claims).
fn source_ip(request: &Request) -> Option<String> {
    use lambda_http::request::RequestContext;
    match request.request_context_ref()? {
        RequestContext::ApiGatewayV1(c) => c.identity.source_ip.clone(),
        RequestContext::ApiGatewayV2(c) => c.http.source_ip.clone(),
        _ => None,
    }
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
/// delivers whatever in the outbox is due, then sweeps the tenants' retentions (T7).
async fn run_delivery() -> Result<(), lambda_runtime::Error> {
    super::telemetry::init();
    let deps = Deps::from_env(Arc::new(SystemClock)).await?;
    let deps = &deps;
    lambda_runtime::run(lambda_runtime::service_fn(
        move |_: lambda_runtime::LambdaEvent<serde_json::Value>| async move {
            let report = deps.delivery().run_due().await?;
            tracing::info!(?report, "delivery run");
            let swept = crate::app::privacy::sweep_retention(deps).await?;
            Ok::<_, lambda_runtime::Error>(serde_json::json!({
                "retention_meetings": swept.meetings,
                "retention_conversations": swept.conversations,
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

/// SES's bounce and complaint events, as SNS delivers them: each record's message handled in
/// turn. A store failure fails the invocation, so SNS tries again (handling twice is harmless).
async fn run_mail_events() -> Result<(), lambda_runtime::Error> {
    super::telemetry::init();
    let deps = Deps::from_env(Arc::new(SystemClock)).await?;
    let deps = &deps;
    lambda_runtime::run(lambda_runtime::service_fn(
        move |event: lambda_runtime::LambdaEvent<serde_json::Value>| async move {
            handle_mail_events(deps, &event.payload).await.map_err(lambda_runtime::Error::from)
        },
    ))
    .await
}

/// One SNS invocation: `Records[].Sns.Message` (what the tests feed, too).
pub async fn handle_mail_events(
    deps: &Deps,
    payload: &serde_json::Value,
) -> Result<serde_json::Value, crate::store::StoreError> {
    let records = payload["Records"].as_array().map(Vec::as_slice).unwrap_or_default();
    let (mut suppressed, mut told) = (0, 0);
    for record in records.iter().take(100) {
        // Only the configuration set's own topic speaks for SES.
        let topic = record["Sns"]["TopicArn"].as_str().unwrap_or("");
        if deps.config.mail_events_topic.as_deref().is_some_and(|ours| ours != topic) {
            tracing::warn!(topic, "a message from another topic; ignored");
            continue;
        }
        if let Some(text) = record["Sns"]["Message"].as_str() {
            let handled = crate::app::mail_events::handle(deps, text).await?;
            suppressed += handled.suppressed;
            told += handled.told;
        }
    }
    Ok(serde_json::json!({ "suppressed": suppressed, "told": told }))
}
