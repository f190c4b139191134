//! The outbox (DESIGN "Notifications"): notifications written in the same transaction as the
//! change they announce, then delivered by whoever gets there first, once.
//!
//! Each item sits in its own partition (no hot key) and, while it waits, in a sparse index
//! (`gsi1pk = DUE#<shard>`, `gsi1sk = <due epoch>#…`) that the dispatcher queries for what is due.
//! Delivery claims the item with a conditional update that takes a lease; every recipient sent is
//! recorded under that lease, so a second dispatcher never sends what the first has claimed, and
//! one that crashed half-way is resumed from where it stopped once its lease runs out.

use aws_sdk_dynamodb::types::{AttributeValue, ReturnConsumedCapacity, ReturnValue};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::keys;
use super::transaction::{item, Condition, Item, Transaction};
use super::{Store, StoreError};
use crate::domain::notification::{Notification, Planned};

/// Attributes of a stored notification that hold secrets (a manage token, a conversation link, a
/// code) or personal data (who it went to, the meeting with its guest and subject): erased when
/// it is delivered or parked. What is kept says which meeting and conversation it was about, and
/// whom it reached only as keyed marks (`mail::recipient_mark`: enough to check a bounce, T7).
const ERASED_ONCE_DONE: &str = "manage_token, conversation_link, code, recipients, meeting";

/// The due index is split over this many partitions so that no single key takes every write,
/// and the delivery drains them side by side, one worker each (see `app::deliver`).
pub const DUE_SHARDS: u32 = 16;
pub const DUE_INDEX: &str = "due";
/// Delivered items are kept this long for inspection, then expire.
const KEEP_DELIVERED_DAYS: i64 = 30;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxStatus {
    Pending,
    Sending,
    Sent,
    /// Parked after repeated errors: visible, alarmed, never retried by itself.
    Failed,
}

#[derive(Serialize, Deserialize)]
struct OutboxItem {
    #[serde(flatten)]
    notification: Notification,
    status: OutboxStatus,
    due_at: i64,
    attempts: u32,
    /// The marks of the addresses sent (`mail::recipient_mark`): never the addresses.
    #[serde(default)]
    sent_to: Vec<String>,
    /// The marks of the addresses the mailer refused for good; delivery went on without them.
    #[serde(default)]
    refused: Vec<String>,
    /// Once delivered or parked, the meeting and conversation it was about (their ids).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    meeting_ref: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    conversation_ref: Option<String>,
    #[serde(default)]
    event_sent: bool,
    #[serde(default)]
    lease_until: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    lease_owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    last_error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expires_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    gsi1pk: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    gsi1sk: Option<String>,
}

/// An item due, as the due index lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Due {
    pub tenant_id: String,
    pub id: String,
    /// Epoch seconds.
    pub due_at: i64,
}

/// Where the next page of a shard's due items starts.
#[derive(Clone, Debug)]
pub struct DueCursor(std::collections::HashMap<String, AttributeValue>);

/// One page of a shard's due items.
pub struct DuePage {
    pub items: Vec<Due>,
    pub next: Option<DueCursor>,
}

/// A claimed item: what to send, and what an earlier, interrupted delivery already sent.
#[derive(Debug)]
pub struct Claimed {
    pub notification: Notification,
    pub due_at: DateTime<Utc>,
    pub sent_to: Vec<String>,
    pub refused: Vec<String>,
    pub event_sent: bool,
    pub attempts: u32,
}

/// An item's delivery state, for operators and tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxState {
    pub status: OutboxStatus,
    pub attempts: u32,
    pub sent_to: Vec<String>,
    pub refused: Vec<String>,
    /// Whether a secret (manage token, conversation link) is still held in the item.
    pub holds_secrets: bool,
    pub expires_at: Option<i64>,
    pub due_at: DateTime<Utc>,
    pub last_error: Option<String>,
}

/// The shard of a notification: that of what it is about (`notification::order_key`), so a
/// meeting's or a conversation's notifications share one and go out in their order.
fn shard(order: &str) -> u32 {
    order.bytes().fold(0u32, |acc, b| acc.wrapping_mul(31).wrapping_add(b.into())) % DUE_SHARDS
}

/// The outbox item of a planned notification, waiting and in the due index.
fn outbox_item(planned: &Planned) -> Result<Item, StoreError> {
    let n = &planned.notification;
    let due_at = planned.due_at.timestamp();
    let record = OutboxItem {
        notification: n.clone(),
        status: OutboxStatus::Pending,
        due_at,
        attempts: 0,
        sent_to: Vec::new(),
        refused: Vec::new(),
        event_sent: false,
        meeting_ref: None,
        conversation_ref: None,
        lease_until: 0,
        lease_owner: None,
        last_error: None,
        expires_at: None,
        gsi1pk: Some(keys::due_shard(shard(crate::domain::notification::order_key(n)))),
        gsi1sk: Some(keys::due_sort(due_at, &n.id)),
    };
    item(keys::outbox(&n.tenant_id, &n.id), &record)
}

/// Adds a planned notification to a transaction, replacing any item with the same id (a
/// reminder moved).
pub(crate) fn put_planned<P: Copy>(
    tx: &mut Transaction<P>,
    purpose: P,
    table: &str,
    planned: &Planned,
) -> Result<(), StoreError> {
    tx.put(purpose, table, outbox_item(planned)?, None);
    Ok(())
}

impl Store {
    /// A delivered (or parked) item sent again on request: pending and due as `planned` says,
    /// under the same id (a webhook's `webhook-id` stays the same).
    pub async fn requeue(&self, planned: &Planned) -> Result<(), StoreError> {
        self.put(outbox_item(planned)?, Some(super::transaction::Condition::present())).await.map(|_| ())
    }

    /// An outbox item written once (a calendar's alert of the day, a webhook of an event):
    /// `false` when an item of that id is there already.
    pub async fn put_planned_once(&self, planned: &Planned) -> Result<bool, StoreError> {
        self.put(outbox_item(planned)?, Some(super::transaction::Condition::absent())).await
    }

    /// Up to `limit` items of every shard due at `now`, as (tenant, id).
    pub async fn due_outbox(&self, now: DateTime<Utc>, limit: i32) -> Result<Vec<(String, String)>, StoreError> {
        let mut due = Vec::new();
        for shard in 0..DUE_SHARDS {
            due.extend(self.due_page(shard, now, limit, None).await?.items.into_iter().map(|d| (d.tenant_id, d.id)));
        }
        Ok(due)
    }

    /// One page of a shard's items due at `now`, oldest first, from `after` (the previous
    /// page's `next`). Reads the index, which is eventually consistent: an item written a moment
    /// ago may show up on the next run.
    pub async fn due_page(
        &self,
        shard: u32,
        now: DateTime<Utc>,
        limit: i32,
        after: Option<DueCursor>,
    ) -> Result<DuePage, StoreError> {
        let upper = keys::due_upper_bound(now.timestamp());
        let out = self
            .client()
            .query()
            .table_name(&self.table)
            .index_name(DUE_INDEX)
            .key_condition_expression("gsi1pk = :shard AND gsi1sk <= :upper")
            .expression_attribute_values(":shard", keys::s(keys::due_shard(shard)))
            .expression_attribute_values(":upper", keys::s(upper))
            .limit(limit)
            .set_exclusive_start_key(after.map(|cursor| cursor.0))
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .send()
            .await
            .map_err(StoreError::from_sdk)?;
        self.metrics.record(out.consumed_capacity());
        let items = out
            .items
            .unwrap_or_default()
            .iter()
            .filter_map(|item| {
                let Some(AttributeValue::S(pk)) = item.get("pk") else { return None };
                let due_at = match item.get("gsi1sk") {
                    Some(AttributeValue::S(sk)) => sk.split('#').next().and_then(|n| n.parse().ok()).unwrap_or(0),
                    _ => 0,
                };
                keys::parse_outbox(pk).map(|(tenant_id, id)| Due { tenant_id, id, due_at })
            })
            .collect();
        Ok(DuePage { items, next: out.last_evaluated_key.map(DueCursor) })
    }

    /// Takes the item for `lease` if it is due and nobody holds it (or a holder's lease ran out).
    pub async fn claim_outbox(
        &self,
        tenant_id: &str,
        id: &str,
        owner: &str,
        now: DateTime<Utc>,
        lease: Duration,
    ) -> Result<Option<Claimed>, StoreError> {
        let values = [
            (":sending", keys::value(OutboxStatus::Sending)),
            (":pending", keys::value(OutboxStatus::Pending)),
            (":me", keys::s(owner)),
            (":until", keys::n((now + lease).timestamp())),
            (":now", keys::n(now.timestamp())),
            (":one", keys::n(1)),
        ];
        let found = self
            .update_outbox(
                tenant_id,
                id,
                "SET #status = :sending, lease_owner = :me, lease_until = :until, attempts = attempts + :one",
                "due_at <= :now AND (#status = :pending OR (#status = :sending AND lease_until < :now))",
                &values,
                true,
            )
            .await?;
        match found {
            Some(item) => {
                let record: OutboxItem = serde_dynamo::from_item(item)?;
                Ok(Some(Claimed {
                    due_at: DateTime::from_timestamp(record.due_at, 0).unwrap_or_default(),
                    notification: record.notification,
                    sent_to: record.sent_to,
                    refused: record.refused,
                    event_sent: record.event_sent,
                    attempts: record.attempts,
                }))
            }
            None => Ok(None),
        }
    }

    /// Records one recipient as sent (by its mark, `mail::recipient_mark`); `false` if the lease
    /// was lost (stop: someone else has it).
    pub async fn record_sent(&self, tenant_id: &str, id: &str, owner: &str, mark: &str) -> Result<bool, StoreError> {
        let values = [(":me", keys::s(owner)), (":email", AttributeValue::L(vec![keys::s(mark)]))];
        let done = self
            .update_outbox(
                tenant_id,
                id,
                "SET sent_to = list_append(sent_to, :email)",
                "lease_owner = :me",
                &values,
                false,
            )
            .await?;
        Ok(done.is_some())
    }

    /// Records one recipient the mailer refused (and why); `false` if the lease was lost.
    pub async fn record_refused(
        &self,
        tenant_id: &str,
        id: &str,
        owner: &str,
        (email, mark): (&str, &str),
        reason: &str,
    ) -> Result<bool, StoreError> {
        let values = [
            (":me", keys::s(owner)),
            (":email", AttributeValue::L(vec![keys::s(mark)])),
            (":error", keys::s(truncate(&reason.replace(email, "the address")))),
        ];
        let update = "SET refused = list_append(if_not_exists(refused, :empty), :email), last_error = :error";
        let mut values = values.to_vec();
        values.push((":empty", AttributeValue::L(vec![])));
        let done = self.update_outbox(tenant_id, id, update, "lease_owner = :me", &values, false).await?;
        Ok(done.is_some())
    }

    pub async fn record_event_sent(&self, tenant_id: &str, id: &str, owner: &str) -> Result<bool, StoreError> {
        let values = [(":me", keys::s(owner)), (":yes", AttributeValue::Bool(true))];
        let done =
            self.update_outbox(tenant_id, id, "SET event_sent = :yes", "lease_owner = :me", &values, false).await?;
        Ok(done.is_some())
    }

    /// Delivered: out of the due index, its secrets and personal data erased (what it was about
    /// kept as ids), kept a while for inspection.
    pub async fn complete_outbox(
        &self,
        tenant_id: &str,
        id: &str,
        owner: &str,
        about: &Notification,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let (meeting, conversation) = refs(about);
        let values = [
            (":me", keys::s(owner)),
            (":sent", keys::value(OutboxStatus::Sent)),
            (":expires", keys::n((now + Duration::days(KEEP_DELIVERED_DAYS)).timestamp())),
            (":meeting", keys::s(meeting)),
            (":conversation", keys::s(conversation)),
        ];
        let update = format!(
            "SET #status = :sent, expires_at = :expires, meeting_ref = :meeting, conversation_ref = :conversation \
             REMOVE gsi1pk, gsi1sk, lease_owner, {ERASED_ONCE_DONE}"
        );
        Ok(self.update_outbox(tenant_id, id, &update, "lease_owner = :me", &values, false).await?.is_some())
    }

    /// Not delivered this time: back to pending, due again at `next`.
    pub async fn retry_outbox(
        &self,
        tenant_id: &str,
        id: &str,
        owner: &str,
        next: DateTime<Utc>,
        error: &str,
    ) -> Result<bool, StoreError> {
        let values = [
            (":me", keys::s(owner)),
            (":pending", keys::value(OutboxStatus::Pending)),
            (":due", keys::n(next.timestamp())),
            (":sk", keys::s(keys::due_sort(next.timestamp(), id))),
            (":error", keys::s(truncate(error))),
        ];
        let update = "SET #status = :pending, due_at = :due, gsi1sk = :sk, last_error = :error REMOVE lease_owner";
        Ok(self.update_outbox(tenant_id, id, update, "lease_owner = :me", &values, false).await?.is_some())
    }

    /// Given back by a delivery that was cut off (see `app::deliver::deliver_now`): pending again
    /// and due now, its lease released, so that the next delivery need not wait it out.
    pub async fn release_outbox(
        &self,
        tenant_id: &str,
        id: &str,
        owner: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let values = [
            (":me", keys::s(owner)),
            (":pending", keys::value(OutboxStatus::Pending)),
            (":due", keys::n(now.timestamp())),
            (":sk", keys::s(keys::due_sort(now.timestamp(), id))),
            (":zero", keys::n(0)),
        ];
        let update = "SET #status = :pending, due_at = :due, gsi1sk = :sk, lease_until = :zero REMOVE lease_owner";
        Ok(self.update_outbox(tenant_id, id, update, "lease_owner = :me", &values, false).await?.is_some())
    }

    /// Given up after repeated errors: parked as failed, out of the due index, every secret and
    /// all personal data it carried erased, kept a while for inspection and then expired.
    pub async fn park_outbox(
        &self,
        tenant_id: &str,
        id: &str,
        owner: &str,
        about: &Notification,
        error: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let (meeting, conversation) = refs(about);
        let values = [
            (":me", keys::s(owner)),
            (":failed", keys::value(OutboxStatus::Failed)),
            (":error", keys::s(truncate(error))),
            (":expires", keys::n((now + Duration::days(KEEP_DELIVERED_DAYS)).timestamp())),
            (":meeting", keys::s(meeting)),
            (":conversation", keys::s(conversation)),
        ];
        let update = format!(
            "SET #status = :failed, last_error = :error, expires_at = :expires, meeting_ref = :meeting, \
             conversation_ref = :conversation REMOVE gsi1pk, gsi1sk, lease_owner, {ERASED_ONCE_DONE}"
        );
        Ok(self.update_outbox(tenant_id, id, &update, "lease_owner = :me", &values, false).await?.is_some())
    }

    /// A waiting item without one address (T7: an additional member erased from a meeting whose
    /// reminder is still to come): gone from its recipients and from its copy of the meeting.
    /// `false` when the item is being delivered right now (the erasure carries on later).
    pub async fn scrub_outbox_recipient(&self, tenant_id: &str, id: &str, email: &str) -> Result<bool, StoreError> {
        let key = keys::outbox(tenant_id, id);
        let Some(mut item) = self.get::<OutboxItem>(key.clone(), true).await? else { return Ok(true) };
        if item.status != OutboxStatus::Pending {
            return Ok(item.status != OutboxStatus::Sending);
        }
        let n = &mut item.notification;
        n.recipients.retain(|r| !r.email.eq_ignore_ascii_case(email));
        if let Some(meeting) = n.meeting.as_mut() {
            meeting.additional_members.retain(|m| !m.eq_ignore_ascii_case(email));
        }
        let unclaimed = Condition::new("#status = :pending")
            .name("#status", "status")
            .value(":pending", keys::value(OutboxStatus::Pending));
        self.put(super::transaction::item(key, &item)?, Some(unclaimed)).await
    }

    /// The notification an outbox item carries (its secrets erased once delivered).
    pub async fn outbox_notification(&self, tenant_id: &str, id: &str) -> Result<Option<Notification>, StoreError> {
        let found: Option<OutboxItem> = self.get(keys::outbox(tenant_id, id), true).await?;
        Ok(found.map(|item| item.notification))
    }

    /// What a delivered outbox item was about (its meeting's and conversation's ids, when it was
    /// about one) and the marks of the addresses it was sent to.
    pub async fn outbox_sent(&self, tenant_id: &str, id: &str) -> Result<Option<SentNotification>, StoreError> {
        let found: Option<OutboxItem> = self.get(keys::outbox(tenant_id, id), true).await?;
        Ok(found.map(|item| {
            let (meeting, conversation) = refs(&item.notification);
            let known = |taken: String, kept: Option<String>| kept.or((!taken.is_empty()).then_some(taken));
            SentNotification {
                meeting_id: known(meeting, item.meeting_ref),
                conversation_id: known(conversation, item.conversation_ref),
                sent_to: item.sent_to,
            }
        }))
    }

    pub async fn outbox_state(&self, tenant_id: &str, id: &str) -> Result<Option<OutboxState>, StoreError> {
        let found: Option<OutboxItem> = self.get(keys::outbox(tenant_id, id), true).await?;
        Ok(found.map(|item| OutboxState {
            status: item.status,
            attempts: item.attempts,
            sent_to: item.sent_to,
            refused: item.refused,
            holds_secrets: item.notification.manage_token.is_some()
                || !item.notification.recipients.is_empty()
                || item.notification.meeting.is_some()
                || item.notification.conversation_link.is_some()
                || item.notification.code.is_some(),
            expires_at: item.expires_at,
            due_at: DateTime::from_timestamp(item.due_at, 0).unwrap_or_default(),
            last_error: item.last_error,
        }))
    }

    /// One conditional update of an outbox item; `None` when the condition was false.
    async fn update_outbox(
        &self,
        tenant_id: &str,
        id: &str,
        update: &str,
        condition: &str,
        values: &[(&str, AttributeValue)],
        return_new: bool,
    ) -> Result<Option<Item>, StoreError> {
        let mut condition = Condition::new(format!("attribute_exists(pk) AND ({condition})"));
        // DynamoDB refuses a declared name that no expression uses.
        if update.contains("#status") || condition.expression.contains("#status") {
            condition = condition.name("#status", "status");
        }
        for (placeholder, value) in values {
            condition = condition.value(*placeholder, value.clone());
        }
        let returning = if return_new { ReturnValue::AllNew } else { ReturnValue::None };
        let found = self.update_returning(keys::outbox(tenant_id, id), update, condition, returning).await?;
        self.metrics.count_as_delivery();
        Ok(found)
    }
}

/// What a delivered notification was about, as kept once its personal data is erased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentNotification {
    pub meeting_id: Option<String>,
    pub conversation_id: Option<String>,
    /// Digests of the addresses it was sent to.
    pub sent_to: Vec<String>,
}

/// The meeting and conversation a notification is about, as ids (empty when none).
fn refs(n: &Notification) -> (String, String) {
    let meeting = match (&n.meeting, &n.reason) {
        (Some(m), _) => m.id.clone(),
        (None, crate::domain::notification::Reason::ChangeMail { meeting_id }) => meeting_id.clone(),
        _ => String::new(),
    };
    (meeting, n.conversation_id().unwrap_or_default().to_string())
}

fn truncate(error: &str) -> String {
    error.chars().take(500).collect()
}
