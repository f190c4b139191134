//! A guest's index in a tenant (G3): one small item per meeting booked with the address (as its
//! guest or an additional member) and per conversation opened for it, and one per session, hold
//! and sign-in of the address, in the guest's own partition: a signed-in guest's list is one query
//! and one batch read whatever agents they met, and everything the tenant holds about an address
//! is found from here (T4: its sessions revoked at once; T7: its export and erasure).

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
pub(crate) struct IndexItem {
    pub kind: IndexKind,
    pub id: String,
    #[serde(default)]
    pub agent_id: String,
    /// Epoch seconds, for what ends (a session, a hold, a sign-in): TTL tidies it up after.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<i64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndexKind {
    Meeting,
    Conversation,
    Session,
    Hold,
    SignIn,
}

/// Something of an address that ends (a session, a hold, a sign-in), as its index knows it.
pub(crate) struct Ending<'a> {
    pub email: &'a str,
    pub kind: IndexKind,
    pub id: &'a str,
    /// Epoch seconds.
    pub expires_at: i64,
}

/// An index entry of something of an address that ends.
pub(crate) fn index_ending<P: Copy>(
    tx: &mut Transaction<P>,
    purpose: P,
    table: &str,
    tenant_id: &str,
    e: &Ending<'_>,
) -> Result<(), StoreError> {
    let record = IndexItem {
        kind: e.kind,
        id: e.id.to_string(),
        agent_id: String::new(),
        expires_at: Some(e.expires_at + 86_400),
    };
    tx.put(purpose, table, item(keys::guest_index_entry(tenant_id, e.email, kind_label(e.kind), e.id), &record)?, None);
    Ok(())
}

fn kind_label(kind: IndexKind) -> &'static str {
    match kind {
        IndexKind::Meeting => "MEETING",
        IndexKind::Conversation => "CONVERSATION",
        IndexKind::Session => "SESSION",
        IndexKind::Hold => "HOLD",
        IndexKind::SignIn => "SIGNIN",
    }
}

pub(crate) fn index_meeting<P: Copy>(
    tx: &mut Transaction<P>,
    purpose: P,
    table: &str,
    tenant_id: &str,
    meeting: &Meeting,
) -> Result<(), StoreError> {
    // The guest's, and each additional member's: everything of an address is found from its index.
    for email in std::iter::once(&meeting.guest.email).chain(&meeting.additional_members) {
        let record = IndexItem {
            kind: IndexKind::Meeting,
            id: meeting.id.clone(),
            agent_id: meeting.agent_id.clone(),
            expires_at: None,
        };
        tx.put(purpose, table, item(keys::guest_meeting(tenant_id, email, &meeting.id), &record)?, None);
    }
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
        expires_at: None,
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
        // Only the address's own: a meeting where it is an additional member is listed too.
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
