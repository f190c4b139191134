//! A guest's index in a tenant (G3): one small item per meeting booked with the address and per
//! conversation opened for it, in the guest's own partition, so a signed-in guest's list is one
//! query and one batch read whatever agents they met.

use serde::{Deserialize, Serialize};

use super::booking::MeetingItem;
use super::conversations::ConversationItem;
use super::keys::{self, Key};
use super::transaction::{item, Transaction};
use super::{Store, StoreError};
use crate::domain::conversation::Conversation;
use crate::domain::meeting::Meeting;

/// The most entries a guest's list reads: plenty for a person, bounded for a table.
pub const MAX_LISTED: usize = 200;

#[derive(Serialize, Deserialize)]
struct IndexItem {
    kind: IndexKind,
    id: String,
    agent_id: String,
}

#[derive(Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum IndexKind {
    Meeting,
    Conversation,
}

pub(crate) fn index_meeting<P: Copy>(
    tx: &mut Transaction<P>,
    purpose: P,
    table: &str,
    tenant_id: &str,
    meeting: &Meeting,
) -> Result<(), StoreError> {
    let record = IndexItem { kind: IndexKind::Meeting, id: meeting.id.clone(), agent_id: meeting.agent_id.clone() };
    tx.put(purpose, table, item(keys::guest_meeting(tenant_id, &meeting.guest.email, &meeting.id), &record)?, None);
    Ok(())
}

pub(crate) fn index_conversation<P: Copy>(
    tx: &mut Transaction<P>,
    purpose: P,
    table: &str,
    tenant_id: &str,
    meeting: &Meeting,
    conversation_id: &str,
) -> Result<(), StoreError> {
    let record = IndexItem {
        kind: IndexKind::Conversation,
        id: conversation_id.to_string(),
        agent_id: meeting.agent_id.clone(),
    };
    let key = keys::guest_conversation(tenant_id, &meeting.guest.email, conversation_id);
    tx.put(purpose, table, item(key, &record)?, None);
    Ok(())
}

impl Store {
    /// Whether an address has had a meeting with the agent (proven or not): one bounded query of
    /// its index (G1 `returning`).
    pub async fn guest_met_agent(&self, tenant_id: &str, email: &str, agent_id: &str) -> Result<bool, StoreError> {
        let prefix = format!("{}MEETING#", keys::GUEST_INDEX_PREFIX);
        let entries = self
            .query_page(
                keys::guest_partition(tenant_id, email),
                (prefix.clone(), format!("{prefix}~")),
                false,
                MAX_LISTED,
            )
            .await?;
        Ok(entries
            .into_iter()
            .filter_map(|item| serde_dynamo::from_item::<_, IndexItem>(item).ok())
            .any(|e| e.agent_id == agent_id))
    }

    /// The meetings and conversations of a guest address in a tenant (at most [`MAX_LISTED`]).
    pub async fn guest_index(
        &self,
        tenant_id: &str,
        email: &str,
    ) -> Result<(Vec<Meeting>, Vec<Conversation>), StoreError> {
        // One bounded page: an address's index only grows, and the list shows the first entries.
        let prefix = keys::GUEST_INDEX_PREFIX;
        let entries = self
            .query_page(
                keys::guest_partition(tenant_id, email),
                (prefix.to_string(), format!("{prefix}~")),
                false,
                MAX_LISTED,
            )
            .await?
            .into_iter()
            .map(serde_dynamo::from_item)
            .collect::<Result<Vec<IndexItem>, _>>()?;
        let meeting_keys: Vec<Key> =
            entries.iter().filter(|e| e.kind == IndexKind::Meeting).map(|e| keys::meeting(tenant_id, &e.id)).collect();
        let conversation_keys: Vec<Key> = entries
            .iter()
            .filter(|e| e.kind == IndexKind::Conversation)
            .map(|e| keys::conversation(tenant_id, &e.id))
            .collect();
        let (meetings, conversations) = tokio::join!(
            self.batch_get::<MeetingItem>(meeting_keys),
            self.batch_get::<ConversationItem>(conversation_keys)
        );
        let mut meetings: Vec<Meeting> = meetings?.into_iter().map(|m| m.meeting).collect();
        meetings.sort_by_key(|m| m.start);
        Ok((meetings, conversations?.into_iter().map(|c| c.conversation).collect()))
    }
}
