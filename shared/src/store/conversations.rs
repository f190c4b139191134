//! Conversations: the record, its timeline (system messages and members' messages, C3–C4), and
//! the pair item that finds a guest's conversation with an agent again (C1).

use serde::{Deserialize, Serialize};

use super::activity::{put_messages, Activity, ActivityUpdate, ReadPosition};
use super::keys;
use super::outbox::put_planned;
use super::transaction::{item, Condition, Failure, Transaction};
use super::{Store, StoreError};
use crate::domain::conversation::{Conversation, Message, Viewer};
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

/// Which page of a timeline to read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PageOf {
    /// The newest messages (a conversation opened).
    Newest,
    /// The messages just before this sort key (scrolling back).
    Before(String),
    /// The messages just after this sort key (what is new since).
    After(String),
}

/// A page of a timeline, oldest first, each message with its sort key.
#[derive(Debug, Default)]
pub struct MessagePage {
    pub messages: Vec<(String, Message)>,
    /// Whether older messages exist before the first of this page.
    pub more_before: bool,
    /// Whether newer messages exist after the last of this page.
    pub more_after: bool,
}

/// How a post went: written, or refused because the conversation or its activity moved on
/// since they were read (read them again and retry), or its key was used before.
#[derive(Debug, PartialEq, Eq)]
pub enum PostConflict {
    /// The conversation's members or title changed (an assignment may have removed the writer).
    ConversationChanged,
    /// Another message (or a digest) was written first.
    ActivityMoved,
    /// The `Idempotency-Key` made a post before: read it with `post_by_key`.
    KeyUsed,
}

/// What a post with an `Idempotency-Key` leaves behind for 24 hours: which message it wrote, and
/// what was asked (a replay must ask for the same thing).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostKey {
    pub key_hash: String,
    pub fingerprint: String,
    pub message_sk: String,
}

#[derive(Serialize, Deserialize)]
struct PostKeyItem {
    #[serde(flatten)]
    key: PostKey,
    expires_at: i64,
}

/// Everything one member's message writes (see [`Store::write_post`]).
pub struct PostWrite<'a> {
    pub tenant_id: &'a str,
    pub conversation: &'a Conversation,
    pub activity: &'a Activity,
    pub sk: &'a str,
    pub message: &'a Message,
    pub writer: &'a Viewer,
    /// The writer's posts in the window, this one included (G7).
    pub posted: &'a [i64],
    pub digest: Option<&'a Planned>,
    pub idempotency: Option<&'a PostKey>,
    /// The tenant's `message.posted` webhooks (W2), in the message's own transaction.
    pub webhooks: &'a [Planned],
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PostPurpose {
    Conversation,
    Message,
    Activity,
    Outbox,
    Idempotency,
}

impl Store {
    /// The conversation and its link token hash.
    pub async fn conversation(&self, tenant_id: &str, id: &str) -> Result<Option<(Conversation, String)>, StoreError> {
        let found: Option<ConversationItem> = self.get(keys::conversation(tenant_id, id), true).await?;
        Ok(found.map(|c| (c.conversation, c.link_token_hash)))
    }

    /// One page of a conversation's timeline, at most `limit` messages, oldest first.
    pub async fn messages_page(
        &self,
        tenant_id: &str,
        conversation_id: &str,
        page: &PageOf,
        limit: usize,
    ) -> Result<MessagePage, StoreError> {
        let low = keys::MESSAGE_PREFIX.to_string();
        let high = format!("{}~", keys::MESSAGE_PREFIX);
        // Bounds are inclusive; the cursor's own message is dropped below (hence one extra).
        let (from, to, newest_first, cursor) = match page {
            PageOf::Newest => (low, high, true, None),
            PageOf::Before(sk) => (low, sk.clone(), true, Some(sk)),
            PageOf::After(sk) => (sk.clone(), high, false, Some(sk)),
        };
        let wanted = limit + 1 + usize::from(cursor.is_some());
        let items = self
            .query_page(keys::conversation_partition(tenant_id, conversation_id), (from, to), newest_first, wanted)
            .await?;
        let mut messages = Vec::with_capacity(items.len());
        for mut item in items {
            let sk = match item.remove("sk") {
                Some(aws_sdk_dynamodb::types::AttributeValue::S(sk)) => sk,
                _ => continue,
            };
            if Some(&sk) == cursor {
                continue;
            }
            item.remove("pk");
            messages.push((sk, serde_dynamo::from_item::<_, Message>(item)?));
        }
        let more = messages.len() > limit;
        messages.truncate(limit);
        if newest_first {
            messages.reverse();
        }
        let (more_before, more_after) = match page {
            PageOf::Newest => (more, false),
            PageOf::Before(_) => (more, true),
            PageOf::After(_) => (true, more),
        };
        Ok(MessagePage { messages, more_before, more_after })
    }

    /// The conversations of `ids` that exist, in no particular order.
    pub async fn conversations(&self, tenant_id: &str, ids: &[&str]) -> Result<Vec<Conversation>, StoreError> {
        let keys = ids.iter().map(|id| keys::conversation(tenant_id, id)).collect();
        Ok(self.batch_get::<ConversationItem>(keys).await?.into_iter().map(|c| c.conversation).collect())
    }

    /// How many messages come after the one at `sk` (up to a bound: a reader's position is
    /// seldom far behind, and one far behind counts as the bound).
    pub async fn count_messages_after(
        &self,
        tenant_id: &str,
        conversation_id: &str,
        sk: &str,
    ) -> Result<u64, StoreError> {
        const MOST: usize = 10_000;
        let mut counted = 0u64;
        let mut start = None;
        for _ in 0..10 {
            let out = self
                .client()
                .query()
                .table_name(&self.table)
                // Messages are the partition's last sort keys (`ACTIVITY`, `CONVERSATION` < `MSG#`).
                .key_condition_expression("pk = :pk AND sk > :after")
                .expression_attribute_values(":pk", keys::s(keys::conversation_partition(tenant_id, conversation_id)))
                .expression_attribute_values(":after", keys::s(sk))
                .select(aws_sdk_dynamodb::types::Select::Count)
                .consistent_read(true)
                .set_exclusive_start_key(start)
                .return_consumed_capacity(aws_sdk_dynamodb::types::ReturnConsumedCapacity::Total)
                .send()
                .await
                .map_err(StoreError::from_sdk)?;
            self.metrics.record(out.consumed_capacity());
            counted += u64::try_from(out.count).unwrap_or(0);
            start = out.last_evaluated_key;
            if start.is_none() || counted >= MOST as u64 {
                break;
            }
        }
        Ok(counted)
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
        let mut tx = Transaction::new();
        let written = [(keys::message_sk(message.at, source, 0), message)];
        let activity = ActivityUpdate::messages(tenant_id, conversation_id, &written, None);
        put_messages(
            &mut tx,
            (PostPurpose::Message, PostPurpose::Activity),
            &self.table,
            tenant_id,
            conversation_id,
            &written,
            activity,
        )?;
        match tx.commit(self).await {
            Ok(()) => Ok(true),
            Err(Failure::Refused(_)) => Ok(false),
            Err(Failure::Contended) => Err(StoreError::Conflict("the conversation is busy")),
            Err(Failure::Store(err)) => Err(err),
        }
    }

    /// Writes a member's message (C4): only while the conversation is at the version read (the
    /// writer is still a member) and its activity as read (every earlier message known, so the
    /// timeline's order is the order of writing, and the writer's recent posts as counted, G7);
    /// the writer's read position moves past it, a digest is planned if none waits, and an
    /// `Idempotency-Key` is recorded so that a retry finds this message.
    pub async fn write_post(&self, p: &PostWrite<'_>) -> Result<Result<(), PostConflict>, StoreError> {
        let (tenant_id, conversation) = (p.tenant_id, p.conversation);
        let mut tx = Transaction::new();
        tx.check(
            PostPurpose::Conversation,
            &self.table,
            keys::conversation(tenant_id, &conversation.id),
            version_is(conversation.version),
        );
        let written = [(p.sk.to_string(), p.message)];
        let read = ReadPosition { count: p.activity.message_count + 1, sk: p.sk.to_string() };
        let mut update = ActivityUpdate::messages(tenant_id, &conversation.id, &written, Some(conversation))
            .read_by(p.writer, &read)
            .posted_by(p.writer, p.posted);
        for planned in p.webhooks {
            put_planned(&mut tx, PostPurpose::Outbox, &self.table, planned)?;
        }
        if let Some(planned) = p.digest {
            update = update.digest_planned(&planned.notification.id);
            put_planned(&mut tx, PostPurpose::Outbox, &self.table, planned)?;
        }
        let update = update.only_if_unchanged(p.activity);
        let purposes = (PostPurpose::Message, PostPurpose::Activity);
        put_messages(&mut tx, purposes, &self.table, tenant_id, &conversation.id, &written, update)?;
        if let Some(key) = p.idempotency {
            let record =
                PostKeyItem { key: key.clone(), expires_at: (p.message.at + chrono::Duration::hours(24)).timestamp() };
            let key_item =
                (keys::conversation_partition(tenant_id, &conversation.id), keys::idempotency_sk(&key.key_hash));
            tx.put(PostPurpose::Idempotency, &self.table, item(key_item, &record)?, Some(Condition::absent()));
        }
        match tx.commit(self).await {
            Ok(()) => Ok(Ok(())),
            Err(Failure::Refused(refused)) if refused.contains(&PostPurpose::Idempotency) => {
                Ok(Err(PostConflict::KeyUsed))
            }
            Err(Failure::Refused(refused)) if refused.contains(&PostPurpose::Conversation) => {
                Ok(Err(PostConflict::ConversationChanged))
            }
            Err(Failure::Refused(_)) | Err(Failure::Contended) => Ok(Err(PostConflict::ActivityMoved)),
            Err(Failure::Store(err)) => Err(err),
        }
    }

    /// The post an `Idempotency-Key` made in a conversation (kept 24 hours), and its message.
    pub async fn post_by_key(
        &self,
        tenant_id: &str,
        conversation_id: &str,
        key_hash: &str,
    ) -> Result<Option<(PostKey, Option<Message>)>, StoreError> {
        let partition = keys::conversation_partition(tenant_id, conversation_id);
        let found: Option<PostKeyItem> = self.get((partition.clone(), keys::idempotency_sk(key_hash)), true).await?;
        let Some(found) = found else { return Ok(None) };
        let message: Option<Message> = self.get((partition, found.key.message_sk.clone()), true).await?;
        Ok(Some((found.key, message)))
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
        let key = keys::conversation(tenant_id, &after.id);
        tx.put((), &self.table, item(key, &record)?, Some(version_is(before.version)));
        let written = [(keys::message_sk(message.at, &after.id, after.version), message)];
        let activity = ActivityUpdate::messages(tenant_id, &after.id, &written, Some(after));
        put_messages(&mut tx, ((), ()), &self.table, tenant_id, &after.id, &written, activity)?;
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
