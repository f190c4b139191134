//! A tenant's webhook endpoints (W1) and each endpoint's log of attempts (W3). At most ten
//! endpoints: a counter beside them, taken in the transaction that writes one.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::keys;
use super::transaction::{item, Condition, Failure, Transaction};
use super::{Store, StoreError};
use crate::domain::webhooks::{Endpoint, LOG_SIZE, MAX_ENDPOINTS};

/// One attempt to deliver, as the endpoint's log keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attempt {
    /// The delivery (its outbox item), which a retry names.
    pub delivery_id: String,
    /// The `webhook-id` sent: the same for every attempt of one delivery.
    pub webhook_id: String,
    pub event_type: String,
    pub at: DateTime<Utc>,
    /// The receiver's status, if it answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    pub latency_ms: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct AttemptItem {
    #[serde(flatten)]
    attempt: Attempt,
    expires_at: i64,
}

impl Store {
    /// A new endpoint, refused (`Ok(false)`) when the tenant has its ten.
    pub async fn create_endpoint(&self, tenant_id: &str, endpoint: &Endpoint) -> Result<bool, StoreError> {
        self.endpoints_seen.forget(tenant_id);
        let mut tx: Transaction<bool> = Transaction::new();
        tx.put(false, &self.table, item(keys::webhook(tenant_id, &endpoint.id), endpoint)?, Some(Condition::absent()));
        let room = Condition::new("attribute_not_exists(endpoints) OR endpoints < :most")
            .value(":most", keys::n(i64::from(MAX_ENDPOINTS)))
            .value(":one", keys::n(1));
        tx.update(true, &self.table, keys::webhook_count(tenant_id), "ADD endpoints :one", room);
        match tx.commit(self).await {
            Ok(()) => Ok(true),
            Err(Failure::Refused(refused)) if refused.contains(&true) => Ok(false),
            Err(Failure::Refused(_)) | Err(Failure::Contended) => {
                Err(StoreError::Conflict("the endpoints changed meanwhile"))
            }
            Err(Failure::Store(err)) => Err(err),
        }
    }

    /// The tenant's endpoints as this process read them at most 30 s ago (a message asks, every
    /// time, whether anyone hears it); a change made through this process is seen at once.
    pub async fn endpoints_recent(&self, tenant_id: &str) -> Result<std::sync::Arc<Vec<Endpoint>>, StoreError> {
        if let Some(seen) = self.endpoints_seen.get(tenant_id) {
            return Ok(seen);
        }
        let (pk, prefix) = keys::webhooks_of(tenant_id);
        let read = std::sync::Arc::new(self.query_prefix_eventually(pk, &prefix).await?);
        self.endpoints_seen.put(tenant_id, std::sync::Arc::clone(&read));
        Ok(read)
    }

    pub async fn endpoints(&self, tenant_id: &str) -> Result<Vec<Endpoint>, StoreError> {
        let (pk, prefix) = keys::webhooks_of(tenant_id);
        self.query_prefix(pk, &prefix).await
    }

    pub async fn endpoint(&self, tenant_id: &str, id: &str) -> Result<Option<Endpoint>, StoreError> {
        self.get(keys::webhook(tenant_id, id), true).await
    }

    /// Writes an endpoint's new state (it must still exist).
    pub async fn save_endpoint(&self, tenant_id: &str, endpoint: &Endpoint) -> Result<bool, StoreError> {
        self.endpoints_seen.forget(tenant_id);
        self.put(item(keys::webhook(tenant_id, &endpoint.id), endpoint)?, Some(Condition::present())).await
    }

    /// Removes an endpoint (its place given back); `false` if it did not exist.
    pub async fn delete_endpoint(&self, tenant_id: &str, id: &str) -> Result<bool, StoreError> {
        self.endpoints_seen.forget(tenant_id);
        let mut tx: Transaction<()> = Transaction::new();
        tx.delete((), &self.table, keys::webhook(tenant_id, id), Some(Condition::present()));
        tx.update(
            (),
            &self.table,
            keys::webhook_count(tenant_id),
            "ADD endpoints :less",
            Condition::new("").value(":less", keys::n(-1)),
        );
        match tx.commit(self).await {
            Ok(()) => Ok(true),
            Err(Failure::Refused(_)) => Ok(false),
            Err(Failure::Contended) => Err(StoreError::Conflict("the endpoints changed meanwhile")),
            Err(Failure::Store(err)) => Err(err),
        }
    }

    /// Logs an attempt; the log keeps an endpoint's newest (see [`Store::attempts`]) and forgets
    /// the rest in a week.
    pub async fn log_attempt(&self, tenant_id: &str, endpoint_id: &str, attempt: &Attempt) -> Result<(), StoreError> {
        let record =
            AttemptItem { attempt: attempt.clone(), expires_at: (attempt.at + chrono::Duration::days(7)).timestamp() };
        let key = keys::webhook_attempt(tenant_id, endpoint_id, attempt.at, &secrets_free_id(attempt));
        self.put(item(key, &record)?, None).await.map(|_| ())
    }

    /// An endpoint's last [`LOG_SIZE`] attempts, newest first.
    pub async fn attempts(&self, tenant_id: &str, endpoint_id: &str) -> Result<Vec<Attempt>, StoreError> {
        let (pk, prefix) = keys::webhook_attempts(tenant_id, endpoint_id);
        let items = self.query_page(pk, (prefix.clone(), format!("{prefix}~")), true, LOG_SIZE).await?;
        items
            .into_iter()
            .map(|i| serde_dynamo::from_item::<_, AttemptItem>(i).map(|a| a.attempt).map_err(StoreError::from))
            .collect()
    }
}

/// An attempt's own key part: its delivery and a random suffix (two attempts in one second).
fn secrets_free_id(attempt: &Attempt) -> String {
    format!("{}#{}", attempt.delivery_id, &crate::secrets::new_id()[..6])
}
