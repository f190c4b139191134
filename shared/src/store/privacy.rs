//! What a guest's export and erasure (T7) read and rewrite: everything of an address is found
//! from its index (`store::guests`); each rewrite is idempotent (what is erased no longer names
//! the address), and each read is bounded, so an erasure cut off half-way carries on.

use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

use super::activity::Activity;
use super::booking::MeetingItem;
use super::conversations::ConversationItem;
use super::guests::IndexItem;
pub use super::guests::IndexKind;
use super::holds::HoldItem;
use super::keys::{self, Key};
use super::transaction::{item, Condition, Item};
use super::{Store, StoreError};
use crate::domain::conversation::{Conversation, Message};
use crate::domain::identity::Hold;
use crate::domain::meeting::Meeting;

/// What an erasure leaves where a name, an address, a subject or a message was.
pub const ERASED: &str = "[erased]";
/// The address an erased guest's records carry: no one's, and not an address anyone can be mailed at.
pub const ERASED_ADDRESS: &str = "erased@erased.invalid";

/// One entry of an address's index.
#[derive(Clone, Debug)]
pub struct IndexEntry {
    pub kind: IndexKind,
    pub id: String,
    pub agent_id: String,
    sort_key: String,
}

/// An erasure's record while it goes on (a run may stop half-way): where it stands, and the
/// counts its receipt gives. Forgotten once done, so it is no trace of the address either.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Erasure {
    /// The receipt's id.
    #[serde(default)]
    pub id: String,
    /// The digest of the address (never the address), the record's key while it goes on.
    pub guest: String,
    pub started_at: DateTime<Utc>,
    #[serde(default)]
    pub cancelled: Vec<String>,
    #[serde(default)]
    pub meetings: u32,
    #[serde(default)]
    pub conversations: u32,
    #[serde(default)]
    pub messages: u32,
    #[serde(default)]
    pub removed: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<DateTime<Utc>>,
    /// While it goes on: the names the address went by (system messages that name it are
    /// scrubbed), its own meetings (their subjects are), the conversations still to scrub.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub names: BTreeSet<String>,
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub their_meetings: BTreeSet<String>,
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub pending_conversations: BTreeSet<String>,
}

impl Store {
    /// Up to `limit` entries of an address's index.
    pub async fn guest_entries(
        &self,
        tenant_id: &str,
        email: &str,
        limit: usize,
    ) -> Result<Vec<IndexEntry>, StoreError> {
        let prefix = keys::GUEST_INDEX_PREFIX;
        let items = self
            .query_page(keys::guest_partition(tenant_id, email), (prefix.into(), format!("{prefix}~")), false, limit)
            .await?;
        let mut entries = Vec::with_capacity(items.len());
        for mut raw in items {
            let Some(AttributeValue::S(sort_key)) = raw.remove("sk") else { continue };
            let found: IndexItem = serde_dynamo::from_item(raw)?;
            entries.push(IndexEntry { kind: found.kind, id: found.id, agent_id: found.agent_id, sort_key });
        }
        Ok(entries)
    }

    /// Forgets one index entry.
    pub async fn drop_entry(&self, tenant_id: &str, email: &str, entry: &IndexEntry) -> Result<(), StoreError> {
        self.delete((keys::guest_partition(tenant_id, email), entry.sort_key.clone())).await
    }

    /// Every item of an address's own partition left (places, suppressions): deleted, a page at a
    /// time; how many.
    pub async fn clear_guest_partition(&self, tenant_id: &str, email: &str, limit: usize) -> Result<u32, StoreError> {
        let pk = keys::guest_partition(tenant_id, email);
        let items = self.query_page(pk.clone(), keys::every_sort_key(), false, limit).await?;
        let mut removed = 0;
        for raw in items {
            if let Some(AttributeValue::S(sk)) = raw.get("sk") {
                self.delete((pk.clone(), sk.clone())).await?;
                removed += 1;
            }
        }
        Ok(removed)
    }

    /// Deletes the items of a partition whose sort keys start with `prefix` (a page at a time).
    pub async fn delete_prefixed(&self, pk: String, prefix: &str, limit: usize) -> Result<u32, StoreError> {
        let items = self.query_page(pk.clone(), (prefix.to_string(), format!("{prefix}~")), false, limit).await?;
        let mut removed = 0;
        for raw in items {
            if let Some(AttributeValue::S(sk)) = raw.get("sk") {
                self.delete((pk.clone(), sk.clone())).await?;
                removed += 1;
            }
        }
        Ok(removed)
    }

    /// Writes a meeting record back as erased (its manage token's hash kept).
    pub async fn put_meeting(
        &self,
        tenant_id: &str,
        meeting: &Meeting,
        manage_token_hash: &str,
    ) -> Result<(), StoreError> {
        let record = MeetingItem {
            meeting: meeting.clone(),
            tenant_id: tenant_id.into(),
            manage_token_hash: manage_token_hash.into(),
        };
        self.put(item(keys::meeting(tenant_id, &meeting.id), &record)?, None).await?;
        Ok(())
    }

    /// Writes a conversation back as erased (its link's hash kept).
    pub async fn put_conversation(
        &self,
        tenant_id: &str,
        conversation: &Conversation,
        link_hash: &str,
    ) -> Result<(), StoreError> {
        let record = ConversationItem { conversation: conversation.clone(), link_token_hash: link_hash.into() };
        self.put(item(keys::conversation(tenant_id, &conversation.id), &record)?, None).await?;
        Ok(())
    }

    /// A hold, erased in place.
    pub async fn put_hold(&self, tenant_id: &str, hold: &Hold) -> Result<(), StoreError> {
        let found: Option<HoldItem> = self.get(keys::hold(tenant_id, &hold.id), true).await?;
        let Some(found) = found else { return Ok(()) };
        let record = HoldItem { hold: hold.clone(), ..found };
        self.put(item(keys::hold(tenant_id, &hold.id), &record)?, None).await?;
        Ok(())
    }

    /// A page of a conversation's messages from `after` on (a sort key), each with its key.
    pub async fn messages_from(
        &self,
        tenant_id: &str,
        conversation_id: &str,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<(String, Message)>, StoreError> {
        let low = after.map_or_else(|| keys::MESSAGE_PREFIX.to_string(), |a| format!("{a}~"));
        let items = self
            .query_page(
                keys::conversation_partition(tenant_id, conversation_id),
                (low, format!("{}~", keys::MESSAGE_PREFIX)),
                false,
                limit,
            )
            .await?;
        let mut found = Vec::with_capacity(items.len());
        for mut raw in items {
            let Some(AttributeValue::S(sk)) = raw.remove("sk") else { continue };
            raw.remove("pk");
            found.push((sk, serde_dynamo::from_item(raw)?));
        }
        Ok(found)
    }

    /// Writes a message back as erased, under its own key.
    pub async fn put_message(
        &self,
        tenant_id: &str,
        conversation_id: &str,
        sk: &str,
        message: &Message,
    ) -> Result<(), StoreError> {
        let key: Key = (keys::conversation_partition(tenant_id, conversation_id), sk.to_string());
        self.put(item(key, message)?, None).await?;
        Ok(())
    }

    /// A conversation's activity without a member's state, and its last message erased when it
    /// was theirs (`last_said`: whether to erase the last message's text).
    pub async fn erase_from_activity(
        &self,
        tenant_id: &str,
        conversation_id: &str,
        member_attributes: &[String],
        erase_last: bool,
    ) -> Result<(), StoreError> {
        let mut clauses = Vec::new();
        let mut condition = Condition::new("attribute_exists(pk)");
        for (i, name) in member_attributes.iter().enumerate() {
            clauses.push(format!("#m{i}"));
            condition = condition.name(format!("#m{i}"), name.clone());
        }
        let mut update = String::new();
        if erase_last {
            update.push_str("SET last_text = :erased, last_by = :by ");
            condition =
                condition.value(":erased", keys::s(ERASED)).value(":by", keys::s(format!("member:{ERASED_ADDRESS}")));
        }
        if !clauses.is_empty() {
            update.push_str(&format!("REMOVE {}", clauses.join(", ")));
        }
        if update.is_empty() {
            return Ok(());
        }
        self.update_one(keys::activity(tenant_id, conversation_id), update.trim(), condition).await?;
        Ok(())
    }

    /// A conversation's activity as it stands (for whether its last message was theirs).
    pub async fn activity_of(&self, tenant_id: &str, conversation_id: &str) -> Result<Activity, StoreError> {
        self.activity(tenant_id, conversation_id).await
    }

    /// Deletes an outbox item whatever its state (a notification about an erased guest).
    pub async fn delete_outbox(&self, tenant_id: &str, id: &str) -> Result<(), StoreError> {
        self.delete(keys::outbox(tenant_id, id)).await
    }

    /// Makes a waiting outbox item due now (an erasure's cancellation notices go out before the
    /// addresses they go to are erased).
    pub async fn due_now(&self, tenant_id: &str, id: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
        let condition = Condition::new("attribute_exists(gsi1pk)")
            .value(":due", keys::n(now.timestamp()))
            .value(":sk", keys::s(keys::due_sort(now.timestamp(), id)));
        self.update_one(keys::outbox(tenant_id, id), "SET due_at = :due, gsi1sk = :sk", condition).await?;
        Ok(())
    }

    pub async fn erasure(&self, tenant_id: &str, digest: &str) -> Result<Option<Erasure>, StoreError> {
        self.get(keys::erasure(tenant_id, digest), true).await
    }

    pub async fn save_erasure(&self, tenant_id: &str, erasure: &Erasure) -> Result<(), StoreError> {
        self.put(item(keys::erasure(tenant_id, &erasure.guest), erasure)?, None).await?;
        Ok(())
    }

    /// An erasure is done: its record goes (the receipt was the answer).
    pub async fn forget_erasure(&self, tenant_id: &str, erasure: &Erasure) -> Result<(), StoreError> {
        self.delete(keys::erasure(tenant_id, &erasure.guest)).await
    }

    /// An item as stored (a test's scan, an export's raw read).
    pub async fn raw(&self, key: Key) -> Result<Option<Item>, StoreError> {
        self.get_item(key, true).await
    }
}

/// A tenant whose past meetings are erased after a number of days (T7), as the scheduled sweep
/// finds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Retention {
    pub tenant_id: String,
    pub days: u16,
}

impl Store {
    /// Registers (or, with `None`, forgets) a tenant's retention for the sweep.
    pub async fn set_retention(&self, tenant_id: &str, days: Option<u16>) -> Result<(), StoreError> {
        match days {
            Some(days) => {
                let record = Retention { tenant_id: tenant_id.into(), days };
                self.put(item(keys::retention(tenant_id), &record)?, None).await?;
            }
            None => self.delete(keys::retention(tenant_id)).await?,
        }
        Ok(())
    }

    /// The tenants with a retention (a page of them: the sweep takes turns).
    pub async fn retentions(&self, limit: usize) -> Result<Vec<Retention>, StoreError> {
        let (pk, _) = keys::retention("");
        let items = self.query_page(pk, keys::every_sort_key(), false, limit).await?;
        items.into_iter().map(|i| serde_dynamo::from_item(i).map_err(StoreError::from)).collect()
    }

    /// Up to `limit` of an agent's meetings that ended before `before` (their spans), oldest first.
    pub async fn ended_meetings(
        &self,
        tenant_id: &str,
        agent_id: &str,
        before: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<String>, StoreError> {
        let low = keys::span_bound(DateTime::<Utc>::UNIX_EPOCH);
        let high = keys::span_bound(before);
        let items = self.query_page(keys::agent_partition(tenant_id, agent_id), (low, high), false, limit).await?;
        Ok(items
            .into_iter()
            .filter_map(|i| serde_dynamo::from_item::<_, super::spans::SpanItem>(i).ok())
            .filter(|s| s.hold_until.is_none() && s.blocked_to < before)
            .map(|s| s.meeting_id)
            .collect())
    }

    /// Forgets a meeting's span (the sweep's mark that it is done with it).
    pub async fn drop_span(&self, tenant_id: &str, meeting: &Meeting) -> Result<(), StoreError> {
        self.delete((
            keys::agent_partition(tenant_id, &meeting.agent_id),
            keys::span_sk(meeting.blocked_from, &meeting.id),
        ))
        .await
    }

    /// Sets when DynamoDB's TTL may remove an item (erased already: TTL only tidies up, late).
    pub async fn expire(&self, key: Key, at: DateTime<Utc>) -> Result<(), StoreError> {
        let condition = Condition::new("attribute_exists(pk)").value(":at", keys::n(at.timestamp()));
        self.update_one(key, "SET expires_at = :at", condition).await?;
        Ok(())
    }
}
