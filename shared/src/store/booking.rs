//! Writing a booking (B2, B3, B4, T2): one `TransactWriteItems` that puts the meeting, its span
//! and its time locks, claims the cap place it was given, records the idempotency key, writes the
//! conversation as the caller decided, the system message, the notifications and the usage
//! count, or writes nothing and says which condition refused it. Every decision (which place,
//! which conversation, what to announce) is the caller's (`app::book`).
//!
//! - No double booking: one lock item per 5-minute granule of the blocked range, each put only if
//!   absent. Two overlapping meetings share a granule, so DynamoDB lets exactly one commit.
//! - The cap place is claimable when absent or when its meeting has ended.
//! - The idempotency record is put only if absent.
//! - A new conversation claims the (agent, guest) pair item only if absent; an existing one is
//!   written only at the version it was read at.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::conversations::{message_sk, version_is, ConversationItem, PairItem};
use super::keys;
use super::outbox::put_planned;
use super::spans::SpanItem;
use super::transaction::{item, Condition, Failure, Transaction};
use super::{Store, StoreError};
use crate::domain::conversation::{Conversation, Message};
use crate::domain::meeting::{lock_granules, Meeting};
use crate::domain::notification::Planned;
use crate::domain::places::Held;

const IDEMPOTENCY_HOURS: i64 = 24;

/// How a booking writes its conversation, as the caller decided (C1).
pub enum ConversationWrite<'a> {
    /// A new conversation. `pair` registers it as the guest's conversation with the agent (the
    /// one later bookings join); an unpaired one is never found again by email.
    Open { conversation: &'a Conversation, link_token_hash: &'a str, pair: bool },
    /// The guest's conversation with members added, at the version it was read at.
    Update { after: &'a Conversation, read_version: u64, link_token_hash: &'a str },
    /// The guest's conversation, unchanged but for the new message.
    Keep { id: &'a str },
}

impl ConversationWrite<'_> {
    pub fn id(&self) -> &str {
        match self {
            ConversationWrite::Open { conversation, .. } => &conversation.id,
            ConversationWrite::Update { after, .. } => &after.id,
            ConversationWrite::Keep { id } => id,
        }
    }
}

/// Everything one booking writes.
pub struct BookingWrite<'a> {
    pub tenant_id: &'a str,
    /// The meeting, complete: its conversation and its cap place are the ones written here.
    pub meeting: &'a Meeting,
    pub manage_token_hash: &'a str,
    pub idempotency: Option<&'a IdempotencyRecord>,
    pub conversation: ConversationWrite<'a>,
    /// The "meeting booked" system message.
    pub message: &'a Message,
    /// The notifications and reminders this booking sends.
    pub outbox: &'a [Planned],
    pub now: DateTime<Utc>,
}

/// What a booking made with an `Idempotency-Key` leaves behind, for 24 hours.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct IdempotencyRecord {
    /// SHA-256 of the key: the table never holds the key itself.
    pub key_hash: String,
    /// SHA-256 of the normalised request: a replay must ask for the same thing.
    pub fingerprint: String,
    pub meeting_id: String,
    /// The manage token's secret sealed under the key (see `secrets::seal`).
    pub sealed_secret: String,
    /// The conversation link's secret, sealed the same way, when this booking opened the conversation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sealed_link: Option<String>,
}

/// Why a booking's transaction did not commit: the conditions that refused it.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct BookingConflict {
    /// A lock of the blocked range is held by another meeting.
    pub slot_taken: bool,
    /// The idempotency key was used before.
    pub key_used: bool,
    /// The cap place asked for is held.
    pub place_taken: bool,
    /// The guest already has a conversation with the agent, or it changed since it was read.
    pub conversation_moved: bool,
    /// Another transaction was touching the same items; trying again may succeed.
    pub contended: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Purpose {
    Meeting,
    Span,
    Lock,
    Idempotency,
    GuestPlace,
    Pair,
    Conversation,
    Message,
    Outbox,
    Usage,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct MeetingItem {
    #[serde(flatten)]
    pub meeting: Meeting,
    pub tenant_id: String,
    pub manage_token_hash: String,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct LockItem {
    meeting_id: String,
    expires_at: i64,
}

impl LockItem {
    pub(crate) fn of(meeting_id: &str, granule: DateTime<Utc>) -> Self {
        Self { meeting_id: meeting_id.to_string(), expires_at: (granule + Duration::days(2)).timestamp() }
    }
}

#[derive(Serialize, Deserialize)]
pub(crate) struct GuestPlaceItem {
    place: u16,
    meeting_id: String,
    /// Epoch seconds; the place frees itself once the meeting has ended.
    ends_at: i64,
    expires_at: i64,
}

impl GuestPlaceItem {
    pub(crate) fn of(meeting: &Meeting, place: u16) -> Self {
        Self {
            place,
            meeting_id: meeting.id.clone(),
            ends_at: meeting.end.timestamp(),
            expires_at: (meeting.end + Duration::days(1)).timestamp(),
        }
    }
}

#[derive(Serialize, Deserialize)]
struct IdempotencyItem {
    #[serde(flatten)]
    record: IdempotencyRecord,
    expires_at: i64,
}

impl Store {
    /// One attempt at writing a booking; on refusal, which conditions refused it.
    pub async fn write_booking(&self, b: &BookingWrite<'_>) -> Result<Result<(), BookingConflict>, StoreError> {
        match self.booking_transaction(b)?.commit(self).await {
            Ok(()) => Ok(Ok(())),
            Err(Failure::Refused(refused)) => {
                let conflict = BookingConflict {
                    slot_taken: refused.contains(&Purpose::Lock),
                    key_used: refused.contains(&Purpose::Idempotency),
                    place_taken: refused.contains(&Purpose::GuestPlace),
                    conversation_moved: refused.contains(&Purpose::Pair) || refused.contains(&Purpose::Conversation),
                    contended: false,
                };
                if conflict == BookingConflict::default() {
                    return Err(StoreError::Conflict("meeting id collision"));
                }
                Ok(Err(conflict))
            }
            Err(Failure::Contended) => Ok(Err(BookingConflict { contended: true, ..Default::default() })),
            Err(Failure::Store(err)) => Err(err),
        }
    }

    fn booking_transaction(&self, b: &BookingWrite) -> Result<Transaction<Purpose>, StoreError> {
        let m = b.meeting;
        let partition = keys::agent_partition(b.tenant_id, &m.agent_id);
        let mut tx = Transaction::new();

        let record = MeetingItem {
            meeting: m.clone(),
            tenant_id: b.tenant_id.to_string(),
            manage_token_hash: b.manage_token_hash.to_string(),
        };
        tx.put(
            Purpose::Meeting,
            &self.table,
            item(keys::meeting(b.tenant_id, &m.id), &record)?,
            Some(Condition::absent()),
        );
        let span = SpanItem::of(m);
        tx.put(
            Purpose::Span,
            &self.table,
            item((partition.clone(), keys::span_sk(m.blocked_from, &m.id)), &span)?,
            None,
        );
        for granule in lock_granules(&m.blocked()) {
            let lock = LockItem::of(&m.id, granule);
            let key = (partition.clone(), keys::lock_sk(granule));
            tx.put(Purpose::Lock, &self.table, item(key, &lock)?, Some(Condition::absent()));
        }

        if let Some(record) = b.idempotency {
            let key = (partition.clone(), keys::idempotency_sk(&record.key_hash));
            let idem = IdempotencyItem {
                record: record.clone(),
                expires_at: (b.now + Duration::hours(IDEMPOTENCY_HOURS)).timestamp(),
            };
            tx.put(Purpose::Idempotency, &self.table, item(key, &idem)?, Some(Condition::absent()));
        }

        if let Some(place) = m.guest_place {
            let claim = GuestPlaceItem::of(m, place);
            let key = (partition.clone(), keys::guest_place_sk(&m.guest.email, place));
            let free =
                Condition::new("attribute_not_exists(pk) OR ends_at <= :now").value(":now", keys::n(b.now.timestamp()));
            tx.put(Purpose::GuestPlace, &self.table, item(key, &claim)?, Some(free));
        }

        let conversation_key = keys::conversation(b.tenant_id, b.conversation.id());
        match &b.conversation {
            ConversationWrite::Open { conversation, link_token_hash, pair } => {
                if *pair {
                    let pair_item = PairItem { conversation_id: conversation.id.clone() };
                    let pair_key = keys::conversation_pair(b.tenant_id, &m.agent_id, &m.guest.email);
                    tx.put(Purpose::Pair, &self.table, item(pair_key, &pair_item)?, Some(Condition::absent()));
                }
                let record = ConversationItem {
                    conversation: (*conversation).clone(),
                    link_token_hash: link_token_hash.to_string(),
                };
                let key = conversation_key.clone();
                tx.put(Purpose::Conversation, &self.table, item(key, &record)?, Some(Condition::absent()));
            }
            ConversationWrite::Update { after, read_version, link_token_hash } => {
                let record =
                    ConversationItem { conversation: (*after).clone(), link_token_hash: link_token_hash.to_string() };
                let key = conversation_key.clone();
                tx.put(Purpose::Conversation, &self.table, item(key, &record)?, Some(version_is(*read_version)));
            }
            ConversationWrite::Keep { .. } => {}
        }
        let message_key = (conversation_key.0, message_sk(b.message, &m.id, m.version * 10));
        tx.put(Purpose::Message, &self.table, item(message_key, b.message)?, None);

        // T2: counted once, in the booking's own transaction: a refused or replayed booking
        // never commits this, and nothing ever takes it back.
        let (key, update, counts) = super::usage::count_booking(b.tenant_id, m.booked_by, b.now);
        tx.update(Purpose::Usage, &self.table, key, update, counts);

        for planned in b.outbox {
            put_planned(&mut tx, Purpose::Outbox, &self.table, planned)?;
        }
        Ok(tx)
    }

    /// The cap places a guest holds with an agent, as last written.
    pub async fn guest_places(&self, tenant_id: &str, agent_id: &str, email: &str) -> Result<Vec<Held>, StoreError> {
        let partition = keys::agent_partition(tenant_id, agent_id);
        let places: Vec<GuestPlaceItem> = self.query_prefix(partition, &keys::guest_prefix(email)).await?;
        Ok(places.iter().map(|p| Held { place: p.place, until: p.ends_at }).collect())
    }

    /// The record a booking with this idempotency key left, if it is still kept.
    pub async fn idempotency_record(
        &self,
        tenant_id: &str,
        agent_id: &str,
        key_hash: &str,
    ) -> Result<Option<IdempotencyRecord>, StoreError> {
        let key = (keys::agent_partition(tenant_id, agent_id), keys::idempotency_sk(key_hash));
        let stored: Option<IdempotencyItem> = self.get(key, true).await?;
        Ok(stored.map(|s| s.record))
    }

    /// A meeting and its manage token hash.
    pub async fn meeting(&self, tenant_id: &str, meeting_id: &str) -> Result<Option<(Meeting, String)>, StoreError> {
        let found: Option<MeetingItem> = self.get(keys::meeting(tenant_id, meeting_id), true).await?;
        Ok(found.map(|m| (m.meeting, m.manage_token_hash)))
    }
}
