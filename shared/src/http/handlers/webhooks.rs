//! A tenant's webhook endpoints (admin, W1–W3): register (the secret shown once), list, change,
//! remove, rotate the secret, read the log of attempts, send a delivery again, send a test ping.

use serde::Deserialize;
use serde_json::json;

use crate::app::webhooks::{self, WebhookError};
use crate::app::{self, Deps};
use crate::domain::time::render_utc;
use crate::domain::webhooks::{Endpoint, EventType};
use crate::http::problem::{Problem, ProblemKind};
use crate::http::request::Ctx;
use crate::http::{auth, json, Response};

fn view(e: &Endpoint) -> serde_json::Value {
    json!({
        "id": e.id,
        "url": e.url,
        "types": e.types,
        "enabled": e.enabled,
        "disabled_reason": e.disabled_reason,
        "failing_since": e.failing_since.map(render_utc),
        "previous_secret_until": e.previous_until.map(render_utc),
        "created_at": render_utc(e.created_at),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewEndpoint {
    url: String,
    types: Vec<EventType>,
}

fn types(types: &[EventType]) -> Result<(), Problem> {
    match types.is_empty() {
        true => Err(Problem::invalid("types", "at least one event type")),
        false => Ok(()),
    }
}

/// POST /v1/webhooks: the endpoint, and its secret once.
pub async fn create(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let admin = auth::admin(deps, ctx).await?;
    let body: NewEndpoint = ctx.json()?;
    types(&body.types)?;
    let key = deps.notifier.signer.key().await?;
    let now = deps.clock.now();
    let (endpoint, secret) =
        webhooks::register(&deps.store, key, deps.feeds.policy(), &admin.id, body.url.trim(), &body.types, now).await?;
    app::audit::record(deps, &admin.id, &admin.by, "webhook.created", &endpoint.id, endpoint.url.clone()).await;
    Ok(json(201, &json!({ "endpoint": view(&endpoint), "secret": secret })))
}

pub async fn list(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let admin = auth::admin(deps, ctx).await?;
    let endpoints = deps.store.endpoints(&admin.id).await?;
    Ok(json(200, &json!({ "endpoints": endpoints.iter().map(view).collect::<Vec<_>>() })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Changes {
    url: Option<String>,
    types: Option<Vec<EventType>>,
    /// `true` enables it again (after W3 disabled it), `false` pauses it.
    enabled: Option<bool>,
}

/// PATCH /v1/webhooks/{id}
pub async fn update(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let admin = auth::admin(deps, ctx).await?;
    let id = ctx.id("id", "webhook endpoint")?;
    let body: Changes = ctx.json()?;
    let mut endpoint =
        deps.store.endpoint(&admin.id, &id).await?.ok_or_else(|| Problem::not_found("webhook endpoint"))?;
    if let Some(url) = &body.url {
        crate::feeds::fetch::check_url(url.trim(), deps.feeds.policy())
            .map_err(|err| Problem::invalid("url", err.to_string()))?;
        endpoint.url = url.trim().to_string();
    }
    if let Some(wanted) = &body.types {
        types(wanted)?;
        endpoint.types = wanted.clone();
    }
    if let Some(enabled) = body.enabled {
        endpoint.enabled = enabled;
        if enabled {
            endpoint.failing_since = None;
            endpoint.disabled_reason = None;
        }
    }
    if !deps.store.save_endpoint(&admin.id, &endpoint).await? {
        return Err(Problem::not_found("webhook endpoint"));
    }
    app::audit::record(deps, &admin.id, &admin.by, "webhook.changed", &id, endpoint.url.clone()).await;
    Ok(json(200, &view(&endpoint)))
}

/// DELETE /v1/webhooks/{id}
pub async fn remove(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let admin = auth::admin(deps, ctx).await?;
    let id = ctx.id("id", "webhook endpoint")?;
    if !deps.store.delete_endpoint(&admin.id, &id).await? {
        return Err(Problem::not_found("webhook endpoint"));
    }
    app::audit::record(deps, &admin.id, &admin.by, "webhook.removed", &id, "").await;
    Ok(crate::http::no_content())
}

/// POST /v1/webhooks/{id}/rotate-secret: the new secret once; the old one signs beside it for a day.
pub async fn rotate(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let admin = auth::admin(deps, ctx).await?;
    let id = ctx.id("id", "webhook endpoint")?;
    let key = deps.notifier.signer.key().await?;
    let now = deps.clock.now();
    let secret = webhooks::rotate(&deps.store, key, &admin.id, &id, now).await?;
    app::audit::record(deps, &admin.id, &admin.by, "webhook.secret_rotated", &id, "").await;
    let until = now + crate::domain::webhooks::ROTATION_OVERLAP;
    Ok(json(201, &json!({ "secret": secret, "previous_secret_until": render_utc(until) })))
}

/// GET /v1/webhooks/{id}/deliveries: the last 100 attempts, newest first.
pub async fn deliveries(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let admin = auth::admin(deps, ctx).await?;
    let id = ctx.id("id", "webhook endpoint")?;
    deps.store.endpoint(&admin.id, &id).await?.ok_or_else(|| Problem::not_found("webhook endpoint"))?;
    let attempts = deps.store.attempts(&admin.id, &id).await?;
    let rows: Vec<_> = attempts
        .iter()
        .map(|a| {
            json!({
                "delivery_id": a.delivery_id, "webhook_id": a.webhook_id, "type": a.event_type,
                "at": render_utc(a.at), "status": a.status, "latency_ms": a.latency_ms, "error": a.error,
            })
        })
        .collect();
    Ok(json(200, &json!({ "attempts": rows })))
}

/// POST /v1/webhooks/{id}/deliveries/{delivery}/retry: sent again, with the same `webhook-id`.
pub async fn retry(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let admin = auth::admin(deps, ctx).await?;
    let id = ctx.id("id", "webhook endpoint")?;
    let delivery = ctx.param("delivery");
    let not_found = || Problem::not_found("delivery");
    if delivery.len() > 40 || !delivery.starts_with("wh_") || !delivery[3..].bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(not_found());
    }
    let found = deps.store.outbox_notification(&admin.id, delivery).await?.ok_or_else(not_found)?;
    let crate::domain::notification::Reason::Webhook { endpoint_id, .. } = &found.reason else {
        return Err(not_found());
    };
    if *endpoint_id != id {
        return Err(not_found());
    }
    let now = deps.clock.now();
    deps.store.requeue(&crate::domain::notification::Planned { notification: found, due_at: now }).await?;
    app::audit::record(deps, &admin.id, &admin.by, "webhook.resent", &id, delivery).await;
    Ok(json(202, &json!({ "delivery_id": delivery })))
}

/// POST /v1/webhooks/{id}/ping: a `webhook.ping` through the outbox, as any delivery.
pub async fn ping(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let admin = auth::admin(deps, ctx).await?;
    let id = ctx.id("id", "webhook endpoint")?;
    let delivery = webhooks::ping(&deps.store, &admin.id, &id, deps.clock.now()).await?;
    Ok(json(202, &json!({ "delivery_id": delivery })))
}

impl From<WebhookError> for Problem {
    fn from(err: WebhookError) -> Self {
        let detail = err.to_string();
        match err {
            WebhookError::AddressRefused(why) => Problem::invalid("url", why),
            WebhookError::TooMany => Problem::new(409, ProblemKind::TooManyEndpoints, "Ten endpoints already", detail),
            WebhookError::NotFound => Problem::not_found("webhook endpoint"),
            WebhookError::Signing(err) => err.into(),
            WebhookError::Store(err) => err.into(),
        }
    }
}
