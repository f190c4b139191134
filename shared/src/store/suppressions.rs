//! Addresses a tenant no longer mails (SES reported a permanent bounce or a complaint): one small
//! item in the address's own partition, checked before every copy is sent.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::keys;
use super::transaction::item;
use super::{Store, StoreError};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suppression {
    pub email: String,
    /// `bounce` or `complaint`.
    pub reason: String,
    pub at: DateTime<Utc>,
}

impl Store {
    pub async fn suppress(&self, tenant_id: &str, suppression: &Suppression) -> Result<(), StoreError> {
        self.put(item(keys::suppression(tenant_id, &suppression.email), suppression)?, None).await?;
        Ok(())
    }

    /// Which of `emails` this tenant no longer mails, in one read.
    pub async fn suppressed(&self, tenant_id: &str, emails: &[&str]) -> Result<Vec<Suppression>, StoreError> {
        if emails.is_empty() {
            return Ok(Vec::new());
        }
        let keys = emails.iter().map(|e| keys::suppression(tenant_id, e)).collect();
        self.batch_get_counted::<Suppression>(keys, true).await
    }
}
