//! The booking transaction (B2, B3, B4): one `TransactWriteItems` that writes the meeting, its
//! calendar span and its time locks, claims a place under the guest's cap and records the
//! idempotency key, or writes nothing.
//!
//! - No double booking: one lock item per 5-minute granule of the blocked range, each put only if
//!   absent. Two overlapping meetings share a granule, so DynamoDB lets exactly one commit.
//! - Guest cap: places `0..cap` per guest and agent, each claimable when empty or when its meeting
//!   has ended. The first attempt optimistically claims place 0; only if that is held does the
//!   store read the guest's places to pick a free one, so a guest's first booking costs one write.
//! - Idempotency: the record is put only if absent; when it already exists the first result is
//!   read back and returned instead.
//! - Conversation (C1): the first attempt opens a new one, claiming the (agent, guest) pair item
//!   only if absent; if the guest already has one, the store reads it and books into it instead.

use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::calendar::SpanItem;
use super::conversations::{message_sk, version_is, ConversationItem, PairItem};
use super::keys;
use super::outbox::OutboxEntry;
use super::transaction::{item, Condition, Failure, Transaction};
use super::{Store, StoreError};
use crate::domain::conversation::{Conversation, Message};
use crate::domain::meeting::{lock_granules, Meeting};

/// Contention retries before a booking gives up with "busy, try again".
const MAX_ATTEMPTS: u32 = 8;
const IDEMPOTENCY_HOURS: i64 = 24;

pub struct NewBooking {
    pub tenant_id: String,
    /// The meeting to write; the store fills in `guest_place`.
    pub meeting: Meeting,
    pub manage_token_hash: String,
    pub idempotency: Option<IdempotencyRecord>,
    /// The guest's cap (B2); `None` when an agent books for an external person (B5).
    pub guest_cap: Option<u16>,
    /// The conversation to open if the guest has none with this agent yet; otherwise the store
    /// books into the existing one and adds the meeting's additional members to it.
    pub conversation: Conversation,
    pub link_token_hash: String,
    /// The "meeting booked" system message.
    pub message: Message,
    /// The notifications and reminders this booking sends, written with it.
    pub outbox: Vec<OutboxEntry>,
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

#[derive(Debug)]
pub enum BookingOutcome {
    /// Booked; `opened` says whether the conversation is new (and its link token the one sent).
    Booked { meeting: Meeting, opened: bool },
    /// The same request was booked before under this idempotency key.
    Replayed { meeting: Meeting, sealed_secret: String, sealed_link: Option<String> },
}

#[derive(Debug, Error)]
pub enum BookingError {
    #[error("that time is no longer free")]
    SlotTaken,
    #[error("the guest already has {cap} scheduled meetings with this agent")]
    GuestCapReached { cap: u16 },
    #[error("this Idempotency-Key was used for a different booking")]
    IdempotencyKeyReused,
    #[error("the calendar is busy with other bookings; try again")]
    Contended,
    #[error(transparent)]
    Store(#[from] StoreError),
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

/// How this attempt writes the conversation.
enum ConversationWrite {
    Open(Conversation),
    /// The guest's existing conversation, with members added (its version advanced).
    Update {
        after: Conversation,
        expected_version: u64,
        link_token_hash: String,
    },
    /// The existing conversation needs no change beyond the message.
    Reuse(Conversation),
}

impl ConversationWrite {
    fn conversation(&self) -> &Conversation {
        match self {
            ConversationWrite::Open(c) | ConversationWrite::Reuse(c) => c,
            ConversationWrite::Update { after, .. } => after,
        }
    }
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
    pub async fn book(&self, mut booking: NewBooking) -> Result<BookingOutcome, BookingError> {
        let mut place: u16 = 0;
        let mut existing: Option<(Conversation, String)> = None;
        for attempt in 0..MAX_ATTEMPTS {
            booking.meeting.guest_place = booking.guest_cap.map(|_| place);
            let write = match &existing {
                None => ConversationWrite::Open(booking.conversation.clone()),
                Some((before, link_token_hash)) => {
                    let mut after = before.clone();
                    if after.add_additional(&booking.meeting.additional_members) {
                        after.version += 1;
                        ConversationWrite::Update {
                            after,
                            expected_version: before.version,
                            link_token_hash: link_token_hash.clone(),
                        }
                    } else {
                        ConversationWrite::Reuse(after)
                    }
                }
            };
            booking.meeting.conversation_id = write.conversation().id.clone();
            let tx = self.booking_transaction(&booking, &write)?;
            match tx.commit(self).await {
                Ok(()) => {
                    let opened = matches!(write, ConversationWrite::Open(_));
                    return Ok(BookingOutcome::Booked { meeting: booking.meeting, opened });
                }
                Err(Failure::Refused(refused)) => {
                    if refused.contains(&Purpose::Idempotency) {
                        return self.replay(&booking).await;
                    }
                    if refused.contains(&Purpose::Lock) {
                        return Err(BookingError::SlotTaken);
                    }
                    // The two reads that repair a refused attempt are independent: run them together.
                    let place_refused = refused.contains(&Purpose::GuestPlace) && booking.guest_cap.is_some();
                    let pair_refused = refused.contains(&Purpose::Pair) || refused.contains(&Purpose::Conversation);
                    let understood = place_refused || pair_refused;
                    let m = &booking.meeting;
                    let (free_place, found) = tokio::join!(
                        async {
                            match booking.guest_cap {
                                Some(cap) if place_refused => self.free_guest_place(&booking, cap).await.map(Some),
                                _ => Ok(None),
                            }
                        },
                        async {
                            if pair_refused {
                                self.pair_conversation(&booking.tenant_id, &m.agent_id, &m.guest.email).await.map(Some)
                            } else {
                                Ok(None)
                            }
                        }
                    );
                    if let Some(free) = free_place? {
                        let cap = booking.guest_cap.unwrap_or_default();
                        place = free.ok_or(BookingError::GuestCapReached { cap })?;
                    }
                    if let Some(found) = found? {
                        existing = found;
                    }
                    if !understood {
                        return Err(StoreError::Conflict("meeting id collision").into());
                    }
                }
                Err(Failure::Contended) => backoff(attempt).await,
                Err(Failure::Store(err)) => return Err(err.into()),
            }
        }
        Err(BookingError::Contended)
    }

    fn booking_transaction(
        &self,
        b: &NewBooking,
        write: &ConversationWrite,
    ) -> Result<Transaction<Purpose>, StoreError> {
        let m = &b.meeting;
        let calendar = keys::calendar(&b.tenant_id, &m.agent_id);
        let mut tx = Transaction::new();

        let record = MeetingItem {
            meeting: m.clone(),
            tenant_id: b.tenant_id.clone(),
            manage_token_hash: b.manage_token_hash.clone(),
        };
        tx.put(
            Purpose::Meeting,
            &self.table,
            item(keys::meeting(&b.tenant_id, &m.id), &record)?,
            Some(Condition::absent()),
        );

        let span = SpanItem::of(m);
        tx.put(
            Purpose::Span,
            &self.table,
            item((calendar.clone(), keys::span_sk(m.blocked_from, &m.id)), &span)?,
            None,
        );

        for granule in lock_granules(&m.blocked()) {
            let lock = LockItem::of(&m.id, granule);
            tx.put(
                Purpose::Lock,
                &self.table,
                item((calendar.clone(), keys::lock_sk(granule)), &lock)?,
                Some(Condition::absent()),
            );
        }

        if let Some(record) = &b.idempotency {
            let mut record = record.clone();
            if !matches!(write, ConversationWrite::Open(_)) {
                record.sealed_link = None;
            }
            let key = (calendar.clone(), keys::idempotency_sk(&record.key_hash));
            let idem = IdempotencyItem { record, expires_at: (b.now + Duration::hours(IDEMPOTENCY_HOURS)).timestamp() };
            tx.put(Purpose::Idempotency, &self.table, item(key, &idem)?, Some(Condition::absent()));
        }

        if let Some(place) = m.guest_place {
            let claim = GuestPlaceItem::of(m, place);
            let key = (calendar.clone(), keys::guest_place_sk(&m.guest.email, place));
            let free =
                Condition::new("attribute_not_exists(pk) OR ends_at <= :now").value(":now", keys::n(b.now.timestamp()));
            tx.put(Purpose::GuestPlace, &self.table, item(key, &claim)?, Some(free));
        }

        let conversation_key = keys::conversation(&b.tenant_id, &write.conversation().id);
        match write {
            ConversationWrite::Open(conversation) => {
                let pair = PairItem { conversation_id: conversation.id.clone() };
                let pair_key = keys::conversation_pair(&b.tenant_id, &m.agent_id, &m.guest.email);
                tx.put(Purpose::Pair, &self.table, item(pair_key, &pair)?, Some(Condition::absent()));
                let record =
                    ConversationItem { conversation: conversation.clone(), link_token_hash: b.link_token_hash.clone() };
                tx.put(
                    Purpose::Conversation,
                    &self.table,
                    item(conversation_key.clone(), &record)?,
                    Some(Condition::absent()),
                );
            }
            ConversationWrite::Update { after, expected_version, link_token_hash } => {
                let record = ConversationItem { conversation: after.clone(), link_token_hash: link_token_hash.clone() };
                let key = conversation_key.clone();
                tx.put(Purpose::Conversation, &self.table, item(key, &record)?, Some(version_is(*expected_version)));
            }
            ConversationWrite::Reuse(_) => {}
        }
        let message_key = (conversation_key.0, message_sk(&b.message, &m.id, m.version * 10));
        tx.put(Purpose::Message, &self.table, item(message_key, &b.message)?, None);

        // T2: counted once, in the booking's own transaction: a refused or replayed booking
        // never commits this, and nothing ever takes it back.
        let (key, update, counts) = super::usage::count_booking(&b.tenant_id, m.booked_by, b.now);
        tx.update(Purpose::Usage, &self.table, key, update, counts);

        for entry in &b.outbox {
            let mut entry = entry.clone();
            if let Some(meeting) = entry.notification.meeting.as_mut() {
                meeting.conversation_id = m.conversation_id.clone();
                meeting.guest_place = m.guest_place;
            }
            if !matches!(write, ConversationWrite::Open(_)) {
                // Only the booking that opened the conversation hands out its link.
                entry.notification.conversation_link = None;
            }
            entry.put_into(&mut tx, Purpose::Outbox, &self.table)?;
        }
        Ok(tx)
    }

    /// The lowest place `0..cap` the guest does not hold with a meeting still to come, if any.
    async fn free_guest_place(&self, b: &NewBooking, cap: u16) -> Result<Option<u16>, StoreError> {
        let calendar = keys::calendar(&b.tenant_id, &b.meeting.agent_id);
        let places: Vec<GuestPlaceItem> =
            self.query_prefix(calendar, &keys::guest_prefix(&b.meeting.guest.email)).await?;
        let now = b.now.timestamp();
        let held: Vec<u16> = places.iter().filter(|p| p.ends_at > now).map(|p| p.place).collect();
        Ok((0..cap).find(|p| !held.contains(p)))
    }

    async fn replay(&self, b: &NewBooking) -> Result<BookingOutcome, BookingError> {
        let asked = b.idempotency.as_ref().expect("replay only follows an idempotent booking");
        let key = (keys::calendar(&b.tenant_id, &b.meeting.agent_id), keys::idempotency_sk(&asked.key_hash));
        let stored: IdempotencyItem =
            self.get(key, true).await?.ok_or(StoreError::Conflict("idempotency record vanished"))?;
        if stored.record.fingerprint != asked.fingerprint {
            return Err(BookingError::IdempotencyKeyReused);
        }
        let (meeting, _) = self
            .meeting(&b.tenant_id, &stored.record.meeting_id)
            .await?
            .ok_or(StoreError::Corrupt("idempotency record names a missing meeting".into()))?;
        Ok(BookingOutcome::Replayed {
            meeting,
            sealed_secret: stored.record.sealed_secret,
            sealed_link: stored.record.sealed_link,
        })
    }

    /// A meeting and its manage token hash.
    pub async fn meeting(&self, tenant_id: &str, meeting_id: &str) -> Result<Option<(Meeting, String)>, StoreError> {
        let found: Option<MeetingItem> = self.get(keys::meeting(tenant_id, meeting_id), true).await?;
        Ok(found.map(|m| (m.meeting, m.manage_token_hash)))
    }
}

/// Exponential backoff with jitter, so racing bookings spread out instead of colliding again.
pub(crate) async fn backoff(attempt: u32) {
    let base = 5u64 << attempt.min(6);
    let jitter = rand::rng().random_range(0..=base);
    tokio::time::sleep(StdDuration::from_millis(base + jitter)).await;
}
