//! Conversations: the record, its system messages, and the pair item that finds a guest's
//! conversation with an agent again (C1).

use chrono::SecondsFormat;
use serde::{Deserialize, Serialize};

use super::keys;
use super::outbox::put_planned;
use super::transaction::{item, Condition, Failure, Transaction};
use super::{Store, StoreError};
use crate::domain::conversation::{Conversation, Message};
use crate::domain::notification::Planned;

#[derive(Serialize, Deserialize)]
pub(crate) struct ConversationItem {
    #[serde(flatten)]
    pub conversation: Conversation,
    /// SHA-256 of the public link's secret: anyone with the link may read (C1, "public by link").
    pub link_token_hash: String,
}

/// `(tenant, agent, guest email) → conversation`, written once when the conversation opens.
#[derive(Serialize, Deserialize)]
pub(crate) struct PairItem {
    pub conversation_id: String,
}

/// The sort key that orders a conversation's messages: time first, then the record that caused
/// the message and its own sequence (a meeting's version), so one meeting's changes made within
/// the same instant still read in the order they happened.
pub(crate) fn message_sk(message: &Message, source: &str, sequence: u64) -> String {
    format!("MSG#{}#{source}#{sequence:08}", message.at.to_rfc3339_opts(SecondsFormat::Micros, true))
}

impl Store {
    /// The conversation and its link token hash.
    pub async fn conversation(&self, tenant_id: &str, id: &str) -> Result<Option<(Conversation, String)>, StoreError> {
        let found: Option<ConversationItem> = self.get(keys::conversation(tenant_id, id), true).await?;
        Ok(found.map(|c| (c.conversation, c.link_token_hash)))
    }

    /// All system messages of a conversation, oldest first.
    pub async fn messages(&self, tenant_id: &str, id: &str) -> Result<Vec<Message>, StoreError> {
        self.query_prefix(keys::conversation(tenant_id, id).0, keys::MESSAGE_PREFIX).await
    }

    /// Posts a system message that must appear once however many times it is posted (a
    /// reminder's, by deliveries that race or resume): its key comes from `source`, and a second
    /// post finds it there and writes nothing. `true` when this call wrote it.
    pub async fn post_message_once(
        &self,
        tenant_id: &str,
        conversation_id: &str,
        message: &Message,
        source: &str,
    ) -> Result<bool, StoreError> {
        let key = (keys::conversation(tenant_id, conversation_id).0, message_sk(message, source, 0));
        self.put(item(key, message)?, Some(Condition::absent())).await
    }

    /// The guest's existing conversation with the agent, if any.
    pub async fn pair_conversation(
        &self,
        tenant_id: &str,
        agent_id: &str,
        guest_email: &str,
    ) -> Result<Option<(Conversation, String)>, StoreError> {
        let pair: Option<PairItem> = self.get(keys::conversation_pair(tenant_id, agent_id, guest_email), true).await?;
        match pair {
            Some(pair) => self.conversation(tenant_id, &pair.conversation_id).await,
            None => Ok(None),
        }
    }

    /// Saves a changed conversation (renamed, assigned) only if it is still at the version `before`
    /// was read at, with the message saying what happened and, if any, the event to publish: one
    /// conditional write, so two changes made from the same read never both land.
    pub async fn save_conversation(
        &self,
        tenant_id: &str,
        before: &Conversation,
        after: &Conversation,
        link_token_hash: &str,
        message: &Message,
        event: Option<&Planned>,
    ) -> Result<(), StoreError> {
        let mut tx = Transaction::new();
        let record = ConversationItem { conversation: after.clone(), link_token_hash: link_token_hash.to_string() };
        let (pk, sk) = keys::conversation(tenant_id, &after.id);
        tx.put((), &self.table, item((pk.clone(), sk), &record)?, Some(version_is(before.version)));
        tx.put((), &self.table, item((pk, message_sk(message, &after.id, after.version)), message)?, None);
        if let Some(event) = event {
            put_planned(&mut tx, (), &self.table, event)?;
        }
        tx.commit(self).await.map_err(|failure| match failure {
            Failure::Refused(_) | Failure::Contended => StoreError::Conflict("the conversation changed meanwhile"),
            Failure::Store(err) => err,
        })
    }
}

pub(crate) fn version_is(version: u64) -> Condition {
    Condition::new("version = :version").value(":version", keys::n(version))
}
