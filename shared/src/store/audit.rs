//! The audit trail (T8): every admin action as one item in the tenant's trail partition, sorted
//! by when it happened, read newest first a page at a time. It says who acted (an admin key by
//! its id, an admin agent by theirs), what they did, to what; never a secret, never a guest's
//! address (an erasure names the address by its digest).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::keys;
use super::transaction::item;
use super::{Store, StoreError};

/// One admin action.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    /// `key:<id>` or `agent:<id>`.
    pub by: String,
    /// What was done, e.g. `admin_key.created`, `agent.deactivated`.
    pub action: String,
    /// What it was done to: an id, or `guest:<digest>`.
    pub target: String,
    /// A short description, free of secrets and addresses.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
}

/// A page of the trail, newest first, and where the next (older) page starts.
#[derive(Debug, Default)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub next: Option<String>,
}

impl Store {
    pub async fn audit(&self, tenant_id: &str, entry: &AuditEntry) -> Result<(), StoreError> {
        let key = keys::audit(tenant_id, entry.at, &crate::secrets::new_id());
        self.put(item(key, entry)?, None).await?;
        Ok(())
    }

    /// The trail, newest first, older than the cursor `before` when paging.
    pub async fn audit_page(
        &self,
        tenant_id: &str,
        before: Option<&str>,
        limit: usize,
    ) -> Result<AuditPage, StoreError> {
        let low = keys::AUDIT_PREFIX.to_string();
        let high = before.map_or_else(|| format!("{}~", keys::AUDIT_PREFIX), str::to_string);
        let wanted = limit + 1 + usize::from(before.is_some());
        let items = self.query_page(keys::audit_partition(tenant_id), (low, high), true, wanted).await?;
        let mut rows = Vec::with_capacity(items.len());
        for mut row in items {
            let sk = match row.remove("sk") {
                Some(aws_sdk_dynamodb::types::AttributeValue::S(sk)) => sk,
                _ => continue,
            };
            if before == Some(sk.as_str()) {
                continue;
            }
            row.remove("pk");
            rows.push((sk, serde_dynamo::from_item::<_, AuditEntry>(row)?));
        }
        let next = (rows.len() > limit).then(|| rows[limit - 1].0.clone());
        rows.truncate(limit);
        Ok(AuditPage { entries: rows.into_iter().map(|(_, e)| e).collect(), next })
    }
}
