//! Offboarding an agent (T5) as it goes: its record (what it was asked to do with the meetings,
//! the services the agent left, what became of each meeting), and the handover of one meeting
//! to a colleague in one transaction, which records its outcome in the same write. So a run cut
//! off half-way and run again hands over each meeting once, and its report is whole.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::activity::{put_messages, ActivityUpdate};
use super::booking::{take_time, MeetingItem, Taken};
use super::conversations::{version_is, ConversationItem};
use super::keys::{self, Key};
use super::outbox::put_planned;
use super::transaction::{item, Condition, Failure, Transaction};
use super::{Store, StoreError};
use crate::domain::conversation::{Conversation, Message};
use crate::domain::meeting::{lock_granules, Meeting, MeetingStatus};
use crate::domain::notification::Planned;

/// What becomes of a leaving agent's future meetings (T5), as the admin chose.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Disposal {
    /// Each to a colleague free at its time (or cancelled when none is).
    HandOver,
    Cancel,
}

/// What became of one meeting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    HandedOver { start: DateTime<Utc>, to_agent_id: String, to_name: String },
    Cancelled { start: DateTime<Utc>, reason: String },
}

/// A service the agent left.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeftService {
    pub id: String,
    pub name: String,
    pub pbx_id: String,
    /// Whether they were a static member (only static members' conversations wait there).
    pub was_static: bool,
}

/// An offboarding's record, kept after it is done (its report can be read again).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offboarding {
    pub agent_id: String,
    pub disposal: Disposal,
    pub started_at: DateTime<Utc>,
    pub services: Vec<LeftService>,
    /// Meeting id → what became of it.
    #[serde(default)]
    pub outcomes: BTreeMap<String, Outcome>,
    /// Conversations that now wait in a service's queue.
    #[serde(default)]
    pub requeued: u32,
    #[serde(default)]
    pub done: bool,
}

/// Everything one handover writes.
pub struct HandoverWrite<'a> {
    pub tenant_id: &'a str,
    pub leaving: &'a str,
    pub before: &'a Meeting,
    /// With its new agent, blocked range, version and booking page.
    pub after: &'a Meeting,
    pub manage_token_hash: &'a str,
    /// The meeting's conversation as read, and after (assigned to the new host), with its link's hash.
    pub conversation: (&'a Conversation, &'a Conversation, &'a str),
    pub messages: &'a [Message],
    pub outbox: &'a [Planned],
    pub outcome: &'a Outcome,
    pub now: DateTime<Utc>,
}

/// Why a handover did not commit.
#[derive(Debug, PartialEq, Eq)]
pub enum HandoverConflict {
    /// The colleague's time is taken (a racing booking): try the next.
    SlotTaken,
    /// The meeting or its conversation changed meanwhile: read again.
    Moved,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Purpose {
    Meeting,
    Lock,
    Other,
}

fn record_key(tenant_id: &str, agent_id: &str) -> Key {
    keys::offboarding(tenant_id, agent_id)
}

/// Adds "`meeting` came to `outcome`" to an offboarding's record, in a transaction.
pub(crate) fn record_outcome<P: Copy>(
    tx: &mut Transaction<P>,
    purpose: P,
    table: &str,
    tenant_id: &str,
    agent_id: &str,
    meeting_id: &str,
    outcome: &Outcome,
) -> Result<(), StoreError> {
    let value = serde_dynamo::to_attribute_value(outcome)?;
    let condition = Condition::new("attribute_exists(pk)").name("#m", meeting_id).value(":o", value);
    tx.update(purpose, table, record_key(tenant_id, agent_id), "SET outcomes.#m = :o", condition);
    Ok(())
}

impl Store {
    pub async fn offboarding(&self, tenant_id: &str, agent_id: &str) -> Result<Option<Offboarding>, StoreError> {
        self.get(record_key(tenant_id, agent_id), true).await
    }

    /// Starts an offboarding's record, unless one is there (a run carried on): the one there wins.
    pub async fn start_offboarding(&self, tenant_id: &str, record: &Offboarding) -> Result<Offboarding, StoreError> {
        if self.put(item(record_key(tenant_id, &record.agent_id), record)?, Some(Condition::absent())).await? {
            return Ok(record.clone());
        }
        self.offboarding(tenant_id, &record.agent_id).await?.ok_or(StoreError::Conflict("the offboarding vanished"))
    }

    /// Counts conversations moved to a service's queue, and marks the offboarding done.
    pub async fn progress_offboarding(
        &self,
        tenant_id: &str,
        agent_id: &str,
        requeued: u32,
        done: bool,
    ) -> Result<(), StoreError> {
        let condition = Condition::new("attribute_exists(pk)")
            .value(":n", keys::n(requeued))
            .value(":done", aws_sdk_dynamodb::types::AttributeValue::Bool(done));
        self.update_one(record_key(tenant_id, agent_id), "SET requeued = requeued + :n, done = :done", condition)
            .await?;
        Ok(())
    }

    /// Forgets a finished offboarding (the agent was reactivated: a later one starts afresh).
    pub async fn forget_offboarding(&self, tenant_id: &str, agent_id: &str) -> Result<(), StoreError> {
        self.delete(record_key(tenant_id, agent_id)).await
    }

    /// One handover: the meeting moves to its new agent (their time taken only if free, the old
    /// agent's given back), its conversation goes with it, people are told, and the outcome is
    /// recorded, or nothing is written.
    pub async fn write_handover(&self, h: &HandoverWrite<'_>) -> Result<Result<(), HandoverConflict>, StoreError> {
        let (before, after) = (h.before, h.after);
        let mut tx: Transaction<Purpose> = Transaction::new();
        let record = MeetingItem {
            meeting: after.clone(),
            tenant_id: h.tenant_id.to_string(),
            manage_token_hash: h.manage_token_hash.to_string(),
        };
        let unchanged = Condition::new("version = :version AND #status = :scheduled AND agent_id = :leaving")
            .name("#status", "status")
            .value(":version", keys::n(before.version))
            .value(":scheduled", keys::value(MeetingStatus::Scheduled))
            .value(":leaving", keys::s(h.leaving));
        tx.put(Purpose::Meeting, &self.table, item(keys::meeting(h.tenant_id, &after.id), &record)?, Some(unchanged));

        // The leaving agent's time given back.
        let old = keys::agent_partition(h.tenant_id, &before.agent_id);
        tx.delete(Purpose::Other, &self.table, (old.clone(), keys::span_sk(before.blocked_from, &before.id)), None);
        let mine = || Condition::new("meeting_id = :me").value(":me", keys::s(&before.id));
        for granule in lock_granules(&before.blocked()) {
            tx.delete(Purpose::Other, &self.table, (old.clone(), keys::lock_sk(granule)), Some(mine()));
        }
        // The new agent's taken, only where free.
        let new = keys::agent_partition(h.tenant_id, &after.agent_id);
        let taken = Taken { partition: &new, id: &after.id, blocked: &after.blocked(), hold_until: None };
        take_time(&mut tx, (Purpose::Other, Purpose::Lock), &self.table, &taken, h.now)?;

        let (conversation_before, conversation_after, link_hash) = h.conversation;
        let conversation =
            ConversationItem { conversation: conversation_after.clone(), link_token_hash: link_hash.to_string() };
        let key = keys::conversation(h.tenant_id, &conversation_after.id);
        tx.put(Purpose::Meeting, &self.table, item(key, &conversation)?, Some(version_is(conversation_before.version)));
        let written: Vec<(String, &Message)> = h
            .messages
            .iter()
            .enumerate()
            .map(|(k, m)| (keys::message_sk(m.at, &after.id, after.version * 10 + k as u64), m))
            .collect();
        let activity =
            ActivityUpdate::messages(h.tenant_id, &conversation_after.id, &written, Some(conversation_after));
        put_messages(
            &mut tx,
            (Purpose::Other, Purpose::Other),
            &self.table,
            h.tenant_id,
            &conversation_after.id,
            &written,
            activity,
        )?;
        for planned in h.outbox {
            put_planned(&mut tx, Purpose::Other, &self.table, planned)?;
        }
        record_outcome(&mut tx, Purpose::Other, &self.table, h.tenant_id, h.leaving, &after.id, h.outcome)?;
        match tx.commit(self).await {
            Ok(()) => Ok(Ok(())),
            Err(Failure::Refused(refused)) if refused.contains(&Purpose::Lock) => Ok(Err(HandoverConflict::SlotTaken)),
            Err(Failure::Refused(_)) | Err(Failure::Contended) => Ok(Err(HandoverConflict::Moved)),
            Err(Failure::Store(err)) => Err(err),
        }
    }
}
