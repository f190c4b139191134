//! A conversation's activity (C4–C6): how many messages it has, its last one, each member's read
//! position, mute and digest state, and where it sits in the inbox index. One small item beside
//! the conversation, updated in the same transaction as every message written, so the inbox and
//! the unread counts never need to read a timeline.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{DateTime, Utc};

use super::keys;
use super::transaction::{Condition, Item, Transaction};
use super::{Store, StoreError};
use crate::domain::conversation::{Author, Conversation, Message, Viewer};

/// The inbox shows this much of the last message.
const LAST_TEXT_CHARS: usize = 200;

/// A member's read position: how many messages they have read, up to which one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReadPosition {
    pub count: u64,
    pub sk: String,
}

/// The activity item as read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Activity {
    pub conversation_id: String,
    pub message_count: u64,
    pub last_at: Option<DateTime<Utc>>,
    pub last_by: Option<Author>,
    pub last_text: Option<String>,
    pub last_sk: Option<String>,
    /// The digest notification waiting to go out, if any (C5).
    pub digest_pending: Option<String>,
    attributes: Item,
}

impl Activity {
    pub(crate) fn from_item(item: Item) -> Self {
        let s = |name: &str| match item.get(name) {
            Some(AttributeValue::S(v)) => Some(v.clone()),
            _ => None,
        };
        let n = |name: &str| match item.get(name) {
            Some(AttributeValue::N(v)) => v.parse().ok(),
            _ => None,
        };
        Activity {
            conversation_id: s("conversation_id").unwrap_or_default(),
            message_count: n("message_count").unwrap_or(0),
            last_at: s("last_at").and_then(|t| DateTime::parse_from_rfc3339(&t).ok()).map(|t| t.with_timezone(&Utc)),
            last_by: s("last_by").and_then(|b| b.parse().ok()),
            last_text: s("last_text"),
            last_sk: s("last_sk"),
            digest_pending: s("digest_pending"),
            attributes: item,
        }
    }

    pub fn read_position(&self, viewer: &Viewer) -> ReadPosition {
        match self.attributes.get(&keys::member_attribute("read", viewer)) {
            Some(AttributeValue::M(m)) => ReadPosition {
                count: match m.get("count") {
                    Some(AttributeValue::N(v)) => v.parse().unwrap_or(0),
                    _ => 0,
                },
                sk: match m.get("sk") {
                    Some(AttributeValue::S(v)) => v.clone(),
                    _ => String::new(),
                },
            },
            _ => ReadPosition::default(),
        }
    }

    /// Messages the viewer has not read (their own count as read when they write).
    pub fn unread(&self, viewer: &Viewer) -> u64 {
        self.message_count.saturating_sub(self.read_position(viewer).count)
    }

    /// The last message a digest told this member of (C5).
    pub fn notified_sk(&self, viewer: &Viewer) -> Option<&str> {
        match self.attributes.get(&keys::member_attribute("notified", viewer)) {
            Some(AttributeValue::S(v)) => Some(v),
            _ => None,
        }
    }

    /// When the member posted their recent messages (epoch seconds; G7 counts them).
    pub fn posted(&self, viewer: &Viewer) -> Vec<i64> {
        match self.attributes.get(&keys::member_attribute("posted", viewer)) {
            Some(AttributeValue::L(list)) => list
                .iter()
                .filter_map(|v| match v {
                    AttributeValue::N(n) => n.parse().ok(),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    pub fn muted(&self, viewer: &Viewer) -> bool {
        matches!(self.attributes.get(&keys::member_attribute("muted", viewer)), Some(AttributeValue::Bool(true)))
    }
}

/// Where a conversation's activity sits in the inbox index: its assignee's inbox; while nobody
/// is assigned, its service's queue once it belongs to one, else its agent's queue.
pub(crate) fn inbox_partition(tenant_id: &str, conversation: &Conversation) -> String {
    match (&conversation.assignee, &conversation.service_id) {
        (Some(assignee), _) => keys::inbox_of(tenant_id, &assignee.agent_id),
        (None, Some(service)) => keys::service_queue(tenant_id, service),
        (None, None) => keys::queue_of(tenant_id, &conversation.agent_id),
    }
}

/// One update of the activity item, built up by what a transaction does to it.
pub(crate) struct ActivityUpdate {
    sets: Vec<&'static str>,
    condition: Condition,
    adds: Vec<&'static str>,
}

impl ActivityUpdate {
    /// Messages written (in this order): counted, the last one remembered, the inbox order moved.
    /// `inbox` is the conversation as the writer knows it (it files the activity under its agent
    /// member); writers that did not read it leave the filing as it is.
    pub(crate) fn messages(
        tenant_id: &str,
        conversation_id: &str,
        written: &[(String, &Message)],
        inbox: Option<&Conversation>,
    ) -> Self {
        let (last_sk, last) = written.last().expect("at least one message");
        let text: String = last.text().chars().take(LAST_TEXT_CHARS).collect();
        let mut update = ActivityUpdate { sets: Vec::new(), condition: Condition::new(""), adds: Vec::new() };
        // To the microsecond: the next message is placed after it (see `domain::timeline::next_at`).
        let last_at = last.at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        update.set("last_at = :last_at", ":last_at", keys::s(last_at));
        update.set("last_by = :last_by", ":last_by", keys::s(last.by.to_string()));
        update.set("last_text = :last_text", ":last_text", keys::s(text));
        update.set("last_sk = :last_sk", ":last_sk", keys::s(last_sk.clone()));
        update.set("conversation_id = :conversation", ":conversation", keys::s(conversation_id));
        update.set("inbox_sk = :inbox_sk", ":inbox_sk", keys::s(keys::inbox_sort(last.at, conversation_id)));
        if let Some(conversation) = inbox {
            update.set("inbox_pk = :inbox_pk", ":inbox_pk", keys::s(inbox_partition(tenant_id, conversation)));
        }
        update.adds.push("message_count :written");
        update.condition.values.push((":written".into(), keys::n(written.len())));
        update
    }

    /// The writer has read everything, their own message included.
    pub(crate) fn read_by(mut self, viewer: &Viewer, position: &ReadPosition) -> Self {
        self.condition.names.push(("#read".into(), keys::member_attribute("read", viewer)));
        self.set("#read = :read", ":read", position_value(position));
        self
    }

    /// The writer's recent posts, this one counted (G7).
    pub(crate) fn posted_by(mut self, viewer: &Viewer, posted: &[i64]) -> Self {
        self.condition.names.push(("#posted".into(), keys::member_attribute("posted", viewer)));
        let list = AttributeValue::L(posted.iter().map(keys::n).collect());
        self.set("#posted = :posted", ":posted", list);
        self
    }

    /// A digest of new messages is now waiting (C5).
    pub(crate) fn digest_planned(mut self, id: &str) -> Self {
        self.set("digest_pending = :digest", ":digest", keys::s(id));
        self
    }

    /// Applies only while the activity is as the writer read it: its count of messages and its
    /// pending digest unchanged. Posting is ordered by this: each message is written knowing
    /// every message before it.
    pub(crate) fn only_if_unchanged(mut self, activity: &Activity) -> Self {
        let count = "(attribute_not_exists(message_count) OR message_count = :seen_count)";
        let digest = match &activity.digest_pending {
            Some(id) => {
                self.condition.values.push((":seen_digest".into(), keys::s(id)));
                "digest_pending = :seen_digest"
            }
            None => "attribute_not_exists(digest_pending)",
        };
        self.condition.expression = if activity.message_count == 0 {
            format!("attribute_not_exists(message_count) AND {digest}")
        } else {
            self.condition.values.push((":seen_count".into(), keys::n(activity.message_count)));
            format!("{count} AND {digest}")
        };
        self
    }

    fn set(&mut self, clause: &'static str, placeholder: &'static str, value: AttributeValue) {
        self.sets.push(clause);
        self.condition.values.push((placeholder.into(), value));
    }

    pub(crate) fn add_to<P: Copy>(self, tx: &mut Transaction<P>, purpose: P, table: &str, key: keys::Key) {
        let mut expression = String::new();
        if !self.sets.is_empty() {
            expression.push_str(&format!("SET {}", self.sets.join(", ")));
        }
        if !self.adds.is_empty() {
            expression.push_str(&format!(" ADD {}", self.adds.join(", ")));
        }
        tx.update(purpose, table, key, expression.trim(), self.condition);
    }
}

fn position_value(position: &ReadPosition) -> AttributeValue {
    AttributeValue::M(HashMap::from([
        ("count".to_string(), keys::n(position.count)),
        ("sk".to_string(), keys::s(position.sk.clone())),
    ]))
}

/// Puts messages (each under its sort key) and updates the activity once for all of them: the
/// one way a message enters a timeline.
pub(crate) fn put_messages<P: Copy>(
    tx: &mut Transaction<P>,
    purposes: (P, P),
    table: &str,
    tenant_id: &str,
    conversation_id: &str,
    written: &[(String, &Message)],
    activity: ActivityUpdate,
) -> Result<(), StoreError> {
    let partition = keys::conversation_partition(tenant_id, conversation_id);
    for (sk, message) in written {
        let record = super::transaction::item((partition.clone(), sk.clone()), message)?;
        tx.put(purposes.0, table, record, Some(Condition::absent()));
    }
    activity.add_to(tx, purposes.1, table, keys::activity(tenant_id, conversation_id));
    Ok(())
}

impl Store {
    /// A conversation's activity (an empty one for a conversation nothing was written in yet).
    pub async fn activity(&self, tenant_id: &str, conversation_id: &str) -> Result<Activity, StoreError> {
        let found = self.get_item(keys::activity(tenant_id, conversation_id), true).await?;
        Ok(found.map(Activity::from_item).unwrap_or_default())
    }

    /// Sets a member's read position, only while the activity still holds `seen_count` messages
    /// (the position's count was worked out from it); `false` when it changed meanwhile.
    pub async fn set_read(
        &self,
        tenant_id: &str,
        conversation_id: &str,
        viewer: &Viewer,
        position: &ReadPosition,
        seen_count: u64,
    ) -> Result<bool, StoreError> {
        let condition = Condition::new("message_count = :seen")
            .name("#read", keys::member_attribute("read", viewer))
            .value(":seen", keys::n(seen_count))
            .value(":read", position_value(position));
        self.update_one(keys::activity(tenant_id, conversation_id), "SET #read = :read", condition).await
    }

    /// Mutes or unmutes a conversation for one member (C5).
    pub async fn set_muted(
        &self,
        tenant_id: &str,
        conversation_id: &str,
        viewer: &Viewer,
        muted: bool,
    ) -> Result<(), StoreError> {
        let condition = Condition::new("")
            .name("#muted", keys::member_attribute("muted", viewer))
            .value(":muted", AttributeValue::Bool(muted));
        self.update_one(keys::activity(tenant_id, conversation_id), "SET #muted = :muted", condition).await?;
        Ok(())
    }

    /// Ends a digest's run (C5): each member it told is marked as told up to `newest`. The digest
    /// stops being pending if no message came since it counted `covered`; otherwise `next` takes
    /// its place, so that what came meanwhile is told in its turn.
    #[allow(clippy::too_many_arguments)]
    pub async fn finish_digest(
        &self,
        tenant_id: &str,
        conversation_id: &str,
        digest_id: &str,
        told: &[Viewer],
        newest: Option<&str>,
        covered: u64,
        next: &crate::domain::notification::Planned,
    ) -> Result<(), StoreError> {
        for closing in [true, false] {
            let mut tx: Transaction<()> = Transaction::new();
            let mut sets = Vec::new();
            let mut condition = Condition::new(if closing {
                "digest_pending = :id AND message_count = :covered"
            } else {
                "digest_pending = :id"
            })
            .value(":id", keys::s(digest_id));
            if let Some(newest) = newest {
                for (i, member) in told.iter().enumerate() {
                    sets.push(format!("#told{i} = :newest"));
                    condition = condition.name(format!("#told{i}"), keys::member_attribute("notified", member));
                }
                if !told.is_empty() {
                    condition = condition.value(":newest", keys::s(newest));
                }
            }
            let update = if closing {
                condition = condition.value(":covered", keys::n(covered));
                let set = if sets.is_empty() { String::new() } else { format!("SET {} ", sets.join(", ")) };
                format!("{set}REMOVE digest_pending")
            } else {
                sets.push("digest_pending = :next".into());
                condition = condition.value(":next", keys::s(&next.notification.id));
                super::outbox::put_planned(&mut tx, (), &self.table, next)?;
                format!("SET {}", sets.join(", "))
            };
            tx.update((), &self.table, keys::activity(tenant_id, conversation_id), &update, condition);
            match tx.commit(self).await {
                Ok(()) => return Ok(()),
                Err(super::transaction::Failure::Store(err)) => return Err(err),
                // A message came meanwhile: plan the next digest. (Refused again: another run
                // already moved the digest on, and there is nothing left to do.)
                Err(_) => continue,
            }
        }
        Ok(())
    }
}
