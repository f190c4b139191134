//! Talking in a conversation (C4, C5): reading its timeline a page at a time, writing a message,
//! marking what one has read, muting it.
//!
//! A message is written in one transaction with the conversation's activity, only while both
//! are as the writer read them: the conversation at its version (the writer is still a member:
//! an assignment that removed them refuses the write) and the activity at its count (every
//! earlier message known, so the timeline's order is the order in which messages were written).
//! The first message of a quiet conversation also plans its digest, due a few minutes later.

use chrono::{DateTime, Utc};
use thiserror::Error;

use super::retry::backoff;
use super::Deps;
use crate::domain::conversation::{Conversation, Message, Viewer};
use crate::domain::notification::{self, AgentContact, Planned};
use crate::domain::timeline::{count_post, next_at, MAX_POSTS_PER_WINDOW};
use crate::domain::webhooks::EventType;
use crate::secrets;
use crate::store::{Activity, MessagePage, PageOf, PostConflict, PostKey, PostWrite, ReadPosition, StoreError};

/// Attempts at writing a message before it answers "busy, try again".
const MAX_ATTEMPTS: u32 = 8;

#[derive(Debug, Error)]
pub enum TalkError {
    /// The writer is not (or no longer) a member who may write.
    #[error("only the conversation's members may write in it")]
    NotAMember,
    #[error("the conversation is busy; try again")]
    Busy,
    #[error("no such conversation")]
    Gone,
    /// G7: the writer's fill of messages for now; seconds until the next may be written.
    #[error("you have written {MAX_POSTS_PER_WINDOW} messages here in the last ten minutes; wait a little")]
    TooMany(u32),
    #[error("this Idempotency-Key was used for a different message")]
    KeyReused,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A page of the timeline with the reader's place in it.
pub struct Timeline {
    pub page: MessagePage,
    pub activity: Activity,
}

/// A page of the timeline and the conversation's activity, read together.
pub async fn read(
    deps: &Deps,
    tenant_id: &str,
    conversation_id: &str,
    page: &PageOf,
    limit: usize,
) -> Result<Timeline, StoreError> {
    let (page, activity) = tokio::join!(
        deps.store.messages_page(tenant_id, conversation_id, page, limit),
        deps.store.activity(tenant_id, conversation_id)
    );
    Ok(Timeline { page: page?, activity: activity? })
}

/// A message written, or the one its `Idempotency-Key` wrote before.
pub struct Posted {
    pub sk: String,
    pub message: Message,
    pub replayed: bool,
}

/// Writes `text` as `writer`'s message (at most [`MAX_POSTS_PER_WINDOW`] of theirs in any
/// [`POST_WINDOW`] of this conversation, G7); a retry with the same `idempotency_key` finds the
/// message the first try wrote instead of writing it twice.
pub async fn post(
    deps: &Deps,
    tenant_id: &str,
    conversation: &Conversation,
    writer: &Viewer,
    text: String,
    idempotency_key: Option<&str>,
) -> Result<Posted, TalkError> {
    let mut conversation = conversation.clone();
    let id = secrets::new_id();
    let mut digest = None;
    // W2: the endpoints that hear `message.posted` get their webhook in the message's transaction.
    let endpoints = super::webhooks::hearing(&deps.store, tenant_id, EventType::MessagePosted).await?;
    let key = idempotency_key.map(|key| {
        let fingerprint = secrets::hash(&format!("{}\n{writer:?}\n{text}", conversation.id));
        (secrets::hash(key), fingerprint)
    });
    for attempt in 0..MAX_ATTEMPTS {
        let by = conversation.author_for(writer).ok_or(TalkError::NotAMember)?;
        let activity = deps.store.activity(tenant_id, &conversation.id).await?;
        let now = deps.clock.now();
        let posted = count_post(&activity.posted(writer), now).map_err(TalkError::TooMany)?;
        let message = Message::said(next_at(now, activity.last_at), by, text.clone());
        let sk = crate::store::keys::message_sk(message.at, &id, 0);
        // Planned once, however many tries the post takes.
        if activity.digest_pending.is_none() && digest.is_none() {
            digest = Some(digest_of(deps, tenant_id, &conversation, now).await?);
        }
        let planning = digest.as_ref().filter(|_| activity.digest_pending.is_none());
        let idempotency = key.as_ref().map(|(key_hash, fingerprint)| PostKey {
            key_hash: key_hash.clone(),
            fingerprint: fingerprint.clone(),
            message_sk: sk.clone(),
        });
        let data = serde_json::json!({
            "tenant_id": tenant_id,
            "conversation_id": conversation.id,
            "message_id": id,
            "author": message.by,
            "text": message.text(),
            "occurred_at": message.at,
        });
        let webhooks: Vec<_> = endpoints
            .iter()
            .map(|endpoint| {
                let body = super::webhooks::body_of(EventType::MessagePosted, data.clone(), now);
                let delivery = super::webhooks::delivery_id(&id, &endpoint.id);
                super::webhooks::planned(
                    tenant_id,
                    delivery,
                    endpoint,
                    EventType::MessagePosted.as_str(),
                    body,
                    &conversation.id,
                    now,
                )
            })
            .collect();
        let write = PostWrite {
            webhooks: &webhooks,
            tenant_id,
            conversation: &conversation,
            activity: &activity,
            sk: &sk,
            message: &message,
            writer,
            posted: &posted,
            digest: planning,
            idempotency: idempotency.as_ref(),
        };
        match deps.store.write_post(&write).await? {
            Ok(()) => return Ok(Posted { sk, message, replayed: false }),
            Err(PostConflict::KeyUsed) => {
                let (key_hash, fingerprint) = key.as_ref().expect("only a post with a key uses one");
                let found = deps.store.post_by_key(tenant_id, &conversation.id, key_hash).await?;
                return match found {
                    Some((record, Some(message))) if record.fingerprint == *fingerprint => {
                        Ok(Posted { sk: record.message_sk, message, replayed: true })
                    }
                    _ => Err(TalkError::KeyReused),
                };
            }
            Err(PostConflict::ConversationChanged) => {
                conversation = deps.store.conversation(tenant_id, &conversation.id).await?.ok_or(TalkError::Gone)?.0;
            }
            Err(PostConflict::ActivityMoved) => backoff(attempt).await,
        }
    }
    Err(TalkError::Busy)
}

/// The digest a quiet conversation's first new message plans (C5), for its agent.
async fn digest_of(
    deps: &Deps,
    tenant_id: &str,
    conversation: &Conversation,
    now: DateTime<Utc>,
) -> Result<Planned, StoreError> {
    let agent = deps.store.agent(tenant_id, &conversation.agent_id).await?.map(|(a, _)| a.contact());
    let agent = agent.unwrap_or_else(|| AgentContact::nobody(&conversation.agent_id));
    Ok(notification::digest(secrets::new_id(), tenant_id, &conversation.id, agent, now))
}

/// Marks the timeline read up to the message `up_to` (everything when `None`); a position never
/// moves back. Returns what is still unread.
pub async fn mark_read(
    deps: &Deps,
    tenant_id: &str,
    conversation_id: &str,
    reader: &Viewer,
    up_to: Option<&str>,
) -> Result<u64, TalkError> {
    for attempt in 0..MAX_ATTEMPTS {
        let activity = deps.store.activity(tenant_id, conversation_id).await?;
        let last = activity.last_sk.clone().unwrap_or_default();
        let position = match up_to {
            Some(sk) if sk < last.as_str() => {
                let after = deps.store.count_messages_after(tenant_id, conversation_id, sk).await?;
                ReadPosition { count: activity.message_count.saturating_sub(after), sk: sk.to_string() }
            }
            _ => ReadPosition { count: activity.message_count, sk: last },
        };
        let current = activity.read_position(reader);
        if position.count <= current.count {
            return Ok(activity.unread(reader));
        }
        if deps.store.set_read(tenant_id, conversation_id, reader, &position, activity.message_count).await? {
            return Ok(activity.message_count - position.count);
        }
        backoff(attempt).await;
    }
    Err(TalkError::Busy)
}

/// Mutes (or unmutes) the conversation's digests for one member (C5).
pub async fn mute(
    deps: &Deps,
    tenant_id: &str,
    conversation_id: &str,
    member: &Viewer,
    muted: bool,
) -> Result<(), StoreError> {
    deps.store.set_muted(tenant_id, conversation_id, member, muted).await
}
