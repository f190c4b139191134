//! Webhooks (W1–W3): endpoints registered (their address checked by the guarded client that
//! reads calendar feeds), their secrets sealed under the deployment's key and rotated with a day
//! of overlap; every domain event fanned out to the endpoints that hear it as outbox items of
//! their own (by the delivery that publishes the event, so a booking never waits for them), each
//! sent signed the Standard Webhooks way, logged, retried with backoff and jitter for a day.

use chrono::{DateTime, Utc};
use rand::Rng;
use thiserror::Error;

use crate::domain::notification::{self, AgentContact, DomainEvent, Notification, Planned, Reason};
use crate::domain::webhooks::{payload, payload_of, secret_text, signature, Endpoint, EventType, ROTATION_OVERLAP};
use crate::feeds::fetch::{check_url, FeedPolicy};
use crate::secrets;
use crate::signing::{Key, Sealer};
use crate::store::{Store, StoreError};

#[derive(Debug, Error)]
pub enum WebhookError {
    #[error("{0}")]
    AddressRefused(String),
    #[error("a tenant has at most ten endpoints")]
    TooMany,
    #[error("no such endpoint")]
    NotFound,
    #[error(transparent)]
    Signing(#[from] crate::signing::SigningError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A secret's seal: under the deployment's key, the endpoint and which of its secrets it is.
fn sealer(key: &Key, tenant_id: &str, endpoint_id: &str) -> Sealer {
    Sealer::new(key, &["webhook", tenant_id, endpoint_id])
}

/// A new secret: its text (shown once) and its seal under `serial`.
fn new_secret(key: &Key, tenant_id: &str, endpoint_id: &str, serial: &str) -> (String, String) {
    let mut bytes = [0u8; 24];
    rand::rng().fill(&mut bytes);
    let sealed = sealer(key, tenant_id, endpoint_id).seal(serial, &hex::encode(bytes));
    (secret_text(&bytes), format!("{serial}:{sealed}"))
}

/// The secret a seal holds.
fn open(key: &Key, tenant_id: &str, endpoint_id: &str, sealed: &str) -> Option<String> {
    let (serial, sealed) = sealed.split_once(':')?;
    let bytes = hex::decode(sealer(key, tenant_id, endpoint_id).open(serial, sealed)).ok()?;
    Some(secret_text(&bytes))
}

/// W1: an endpoint registered; its secret, shown once.
pub async fn register(
    store: &Store,
    key: &Key,
    policy: &FeedPolicy,
    tenant_id: &str,
    url: &str,
    types: &[EventType],
    now: DateTime<Utc>,
) -> Result<(Endpoint, String), WebhookError> {
    check_url(url, policy).map_err(|err| WebhookError::AddressRefused(err.to_string()))?;
    let id = secrets::new_id();
    let (secret, sealed) = new_secret(key, tenant_id, &id, &now.timestamp_millis().to_string());
    let mut types = types.to_vec();
    types.sort();
    types.dedup();
    let endpoint = Endpoint {
        id,
        url: url.to_string(),
        types,
        enabled: true,
        secret_sealed: sealed,
        previous_sealed: None,
        previous_until: None,
        failing_since: None,
        disabled_reason: None,
        created_at: now,
    };
    match store.create_endpoint(tenant_id, &endpoint).await? {
        true => Ok((endpoint, secret)),
        false => Err(WebhookError::TooMany),
    }
}

/// W1: a new secret; the old one keeps signing beside it for a day. The new one, shown once.
pub async fn rotate(
    store: &Store,
    key: &Key,
    tenant_id: &str,
    id: &str,
    now: DateTime<Utc>,
) -> Result<String, WebhookError> {
    let mut endpoint = store.endpoint(tenant_id, id).await?.ok_or(WebhookError::NotFound)?;
    let (secret, sealed) = new_secret(key, tenant_id, id, &now.timestamp_millis().to_string());
    endpoint.previous_sealed = Some(std::mem::replace(&mut endpoint.secret_sealed, sealed));
    endpoint.previous_until = Some(now + ROTATION_OVERLAP);
    match store.save_endpoint(tenant_id, &endpoint).await? {
        true => Ok(secret),
        false => Err(WebhookError::NotFound),
    }
}

/// The outbox item of one webhook to one endpoint: due now, the same id (the `webhook-id`) for
/// every try, about what `about` names (its meeting or conversation: they keep their order).
pub fn planned(
    tenant_id: &str,
    id: String,
    endpoint: &Endpoint,
    event: &str,
    body: String,
    about: &str,
    now: DateTime<Utc>,
) -> Planned {
    let reason = Reason::Webhook {
        endpoint_id: endpoint.id.clone(),
        event_type: event.to_string(),
        body,
        about: about.to_string(),
    };
    let notification = notification::about(id, tenant_id, reason, AgentContact::nobody(""), now);
    Planned { notification, due_at: now }
}

/// W2: a domain event fanned out, one outbox item per endpoint that hears it, each written once
/// however often this runs (its id is the event's and the endpoint's). How many.
pub async fn fan_out(
    store: &Store,
    n: &Notification,
    event: &DomainEvent,
    now: DateTime<Utc>,
) -> Result<u32, StoreError> {
    // As this process read them at most 30 s ago: an endpoint registered elsewhere hears the
    // events of the moment after.
    let endpoints = store.endpoints_recent(&n.tenant_id).await?;
    let (kind, body) = payload_of(event, n.created_at);
    let about = crate::domain::notification::order_key(n).to_string();
    let mut written = 0;
    for endpoint in endpoints.iter().filter(|e| e.hears(kind)) {
        let id = delivery_id(&n.id, &endpoint.id);
        let item = planned(&n.tenant_id, id, endpoint, kind.as_str(), body.to_string(), &about, now);
        written += u32::from(store.put_planned_once(&item).await?);
    }
    Ok(written)
}

/// A delivery's id (and `webhook-id`): one per event and endpoint, however often it is planned.
pub fn delivery_id(event_id: &str, endpoint_id: &str) -> String {
    format!("wh_{}", &secrets::hash(&format!("{event_id}/{endpoint_id}"))[..32])
}

/// The endpoints of a tenant that hear `event` now.
pub async fn hearing(store: &Store, tenant_id: &str, event: EventType) -> Result<Vec<Endpoint>, StoreError> {
    Ok(store.endpoints_recent(tenant_id).await?.iter().filter(|e| e.hears(event)).cloned().collect())
}

/// W2 for an event with no domain event of its own (a guest erased): one item per endpoint
/// that hears it, each written once.
pub async fn announce(
    store: &Store,
    tenant_id: &str,
    event: EventType,
    event_id: &str,
    data: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    for endpoint in hearing(store, tenant_id, event).await? {
        let body = body_of(event, data.clone(), now);
        let item =
            planned(tenant_id, delivery_id(event_id, &endpoint.id), &endpoint, event.as_str(), body, event_id, now);
        store.put_planned_once(&item).await?;
    }
    Ok(())
}

/// A test ping (W3): `{"type": "webhook.ping"}` to one endpoint, through the outbox like any.
pub async fn ping(store: &Store, tenant_id: &str, id: &str, now: DateTime<Utc>) -> Result<String, WebhookError> {
    let endpoint = store.endpoint(tenant_id, id).await?.ok_or(WebhookError::NotFound)?;
    let body = serde_json::json!({ "type": "webhook.ping", "version": 1, "timestamp": now, "data": { "tenant_id": tenant_id, "endpoint_id": id } });
    let delivery = format!("wh_{}", secrets::new_id());
    let item = planned(tenant_id, delivery.clone(), &endpoint, "webhook.ping", body.to_string(), id, now);
    store.put_planned_once(&item).await?;
    Ok(delivery)
}

/// What the headers of one try carry: the id, the time, and a signature per secret in force
/// (after a rotation, the old one's too, for a day).
pub fn headers(
    key: &Key,
    tenant_id: &str,
    endpoint: &Endpoint,
    id: &str,
    body: &str,
    now: DateTime<Utc>,
) -> Option<[(String, String); 3]> {
    let timestamp = now.timestamp();
    let mut secrets = vec![open(key, tenant_id, &endpoint.id, &endpoint.secret_sealed)?];
    if let (Some(previous), Some(until)) = (&endpoint.previous_sealed, endpoint.previous_until) {
        if until > now {
            secrets.extend(open(key, tenant_id, &endpoint.id, previous));
        }
    }
    let signatures: Vec<String> = secrets.iter().filter_map(|s| signature(s, id, timestamp, body)).collect();
    Some([
        ("webhook-id".to_string(), id.to_string()),
        ("webhook-timestamp".to_string(), timestamp.to_string()),
        ("webhook-signature".to_string(), signatures.join(" ")),
    ])
}

/// The JSON body of an event without a domain event of its own (a message, an erasure).
pub fn body_of(event: EventType, data: serde_json::Value, at: DateTime<Utc>) -> String {
    payload(event, &data, at).to_string()
}

/// W3: the email that tells a tenant's admins an endpoint was disabled; one per endpoint and day.
pub fn disabled_notice(tenant_id: &str, endpoint: &Endpoint, now: DateTime<Utc>) -> Planned {
    let host =
        reqwest::Url::parse(&endpoint.url).ok().and_then(|u| u.host_str().map(str::to_string)).unwrap_or_default();
    let id = format!("webhook-disabled-{}-{}", endpoint.id, now.format("%Y%m%d"));
    let mut told = planned(tenant_id, id, endpoint, "webhook.disabled", String::new(), &endpoint.id, now);
    told.notification.reason = Reason::WebhookDisabled { endpoint_id: endpoint.id.clone(), host };
    told
}
