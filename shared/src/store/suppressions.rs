//! Addresses a tenant no longer mails (T8): for good, when SES reported a permanent bounce or a
//! complaint; or about one conversation, when its owner followed an email's unsubscribe link
//! (G7). Each is one small item in the address's own partition, checked before every copy is
//! sent, and one row in the tenant's list, which the admin reads and lifts (both written and
//! deleted together).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::keys::{self, Key};
use super::transaction::{item, Condition, Failure, Transaction};
use super::{Store, StoreError};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suppression {
    pub email: String,
    /// `bounce`, `complaint` or `unsubscribe`.
    pub reason: String,
    pub at: DateTime<Utc>,
    /// The conversation whose mail stopped; none when all mail to the address stopped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation_id: Option<String>,
}

impl Suppression {
    fn key(&self, tenant_id: &str) -> Key {
        keys::suppression(tenant_id, &self.email, self.conversation_id.as_deref())
    }

    fn row(&self, tenant_id: &str) -> Key {
        keys::suppression_row(tenant_id, &self.email, self.conversation_id.as_deref())
    }
}

/// A page of a tenant's suppressions, and where the next starts.
#[derive(Debug, Default)]
pub struct SuppressionPage {
    pub suppressions: Vec<Suppression>,
    pub next: Option<String>,
}

impl Store {
    /// Suppresses an address (for good, or about one conversation). Writing it again changes
    /// nothing but its reason and time.
    pub async fn suppress(&self, tenant_id: &str, suppression: &Suppression) -> Result<(), StoreError> {
        let mut tx: Transaction<()> = Transaction::new();
        tx.put((), &self.table, item(suppression.key(tenant_id), suppression)?, None);
        tx.put((), &self.table, item(suppression.row(tenant_id), suppression)?, None);
        tx.commit(self).await.map_err(|failure| match failure {
            Failure::Store(err) => err,
            Failure::Refused(_) | Failure::Contended => StoreError::Conflict("the suppression list is busy"),
        })
    }

    /// Which of `emails` this tenant no longer mails (about `conversation`, when the mail is
    /// about one), in one read.
    pub async fn suppressed(
        &self,
        tenant_id: &str,
        conversation: Option<&str>,
        emails: &[&str],
    ) -> Result<Vec<Suppression>, StoreError> {
        if emails.is_empty() {
            return Ok(Vec::new());
        }
        let mut wanted = Vec::new();
        for email in emails {
            wanted.push(keys::suppression(tenant_id, email, None));
            if let Some(conversation) = conversation {
                wanted.push(keys::suppression(tenant_id, email, Some(conversation)));
            }
        }
        self.batch_get_counted::<Suppression>(wanted, true).await
    }

    /// The tenant's suppressions, a page at a time (ordered by address digest).
    pub async fn suppressions(
        &self,
        tenant_id: &str,
        after: Option<&str>,
        limit: usize,
    ) -> Result<SuppressionPage, StoreError> {
        let partition = keys::suppression_list(tenant_id);
        let from = after.map_or_else(|| keys::SUPPRESSION_ROW_PREFIX.to_string(), |a| format!("{a}~"));
        let high = format!("{}~", keys::SUPPRESSION_ROW_PREFIX);
        let items = self.query_page(partition, (from, high), false, limit + 1).await?;
        let mut rows = Vec::with_capacity(items.len());
        for mut item in items {
            let sk = match item.remove("sk") {
                Some(aws_sdk_dynamodb::types::AttributeValue::S(sk)) => sk,
                _ => continue,
            };
            item.remove("pk");
            rows.push((sk, serde_dynamo::from_item::<_, Suppression>(item)?));
        }
        let next = (rows.len() > limit).then(|| rows[limit - 1].0.clone());
        rows.truncate(limit);
        Ok(SuppressionPage { suppressions: rows.into_iter().map(|(_, s)| s).collect(), next })
    }

    /// Every suppression of an address (for good and per conversation).
    pub async fn suppressions_of(&self, tenant_id: &str, email: &str) -> Result<Vec<Suppression>, StoreError> {
        let (partition, prefix) = keys::suppressions_of(tenant_id, email);
        self.query_prefix(partition, &prefix).await
    }

    /// Lifts every suppression of an address (for good and per conversation); how many there were.
    pub async fn lift_suppressions(&self, tenant_id: &str, email: &str) -> Result<usize, StoreError> {
        let found = self.suppressions_of(tenant_id, email).await?;
        for suppression in &found {
            let mut tx: Transaction<()> = Transaction::new();
            tx.delete((), &self.table, suppression.key(tenant_id), Some(Condition::present()));
            tx.delete((), &self.table, suppression.row(tenant_id), None);
            match tx.commit(self).await {
                Ok(()) | Err(Failure::Refused(_)) => {}
                Err(Failure::Contended) => return Err(StoreError::Conflict("the suppression list is busy")),
                Err(Failure::Store(err)) => return Err(err),
            }
        }
        Ok(found.len())
    }
}
