//! Writing a booking (B2, B3, B4, G2, T2): one `TransactWriteItems` that puts the meeting, takes
//! its time (a span and one lock per granule), claims the capped places it was given, records the
//! idempotency key, writes the conversation as the caller decided, the system message, the
//! notifications, the guest's index entries and the usage count, or writes nothing and says which
//! condition refused it. Every decision (which place, which conversation, what to announce) is
//! the caller's (`app::book`, `app::confirm`).
//!
//! - No double booking: one lock item per 5-minute granule of the blocked range, each put only if
//!   absent or left by a hold past its expiry. Two overlapping meetings share a granule, so
//!   DynamoDB lets exactly one commit.
//! - A hold's confirmation takes over its own span and locks (only while they are still the
//!   hold's) and turns the hold into the meeting only while it is open and unexpired.
//! - A place is claimable when absent or when its holder's time has ended.
//! - A new conversation claims the (agent, guest) pair item only if absent; an existing one is
//!   written only at the version it was read at.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::activity::{put_messages, ActivityUpdate};
use super::conversations::{version_is, ConversationItem, PairItem};
use super::guests::{index_conversation, index_meeting};
use super::holds::{hold_open, HoldItem, HoldReplay};
use super::keys;
use super::outbox::put_planned;
use super::places::{self, Claim, PlaceOf, Scope};
use super::sessions::{put_session, SessionRecord};
use super::spans::SpanItem;
use super::transaction::{item, Condition, Failure, Transaction};
use super::{Store, StoreError};
use crate::domain::conversation::{Conversation, Message};
use crate::domain::identity::{Hold, HoldStatus};
use crate::domain::meeting::{lock_granules, Meeting};
use crate::domain::notification::Planned;
use crate::domain::places::PlaceKind;

const IDEMPOTENCY_HOURS: i64 = 24;

/// How a booking writes its conversation, as the caller decided (C1).
pub enum ConversationWrite<'a> {
    /// A new conversation. `pair` registers it as the guest's conversation with the agent (the
    /// one later verified bookings join); an unpaired one is never found again by email (G4).
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

/// Where the meeting's time comes from.
#[derive(Clone, Copy)]
pub enum TimeSource<'a> {
    /// Taken now: span and locks put, the locks only if free.
    Fresh,
    /// Taken over from the hold being confirmed, which must still hold it.
    Hold(Confirming<'a>),
}

/// A hold being confirmed: as read, and what its confirmed record keeps (its link's hash, and
/// the sealed answer for a replay).
#[derive(Clone, Copy)]
pub struct Confirming<'a> {
    pub hold: &'a Hold,
    pub link_hash: &'a str,
    pub replay: Option<&'a HoldReplay>,
}

/// Everything one booking writes.
pub struct BookingWrite<'a> {
    pub tenant_id: &'a str,
    /// The meeting, complete: its conversation is the one written here.
    pub meeting: &'a Meeting,
    pub manage_token_hash: &'a str,
    pub time: TimeSource<'a>,
    pub idempotency: Option<&'a IdempotencyRecord>,
    /// The capped places this booking takes (its guest's cap place, its place in the hourly
    /// count of the guest's bookings), each only if free.
    pub places: &'a [Claim<'a>],
    pub conversation: ConversationWrite<'a>,
    /// The "meeting booked" system message.
    pub message: &'a Message,
    /// The notifications and reminders this booking sends.
    pub outbox: &'a [Planned],
    /// The guest session a confirmation opens (G3).
    pub session: Option<&'a SessionRecord>,
    pub now: DateTime<Utc>,
}

/// What a booking made with an `Idempotency-Key` leaves behind, for 24 hours.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct IdempotencyRecord {
    /// SHA-256 of the key: the table never holds the key itself.
    pub key_hash: String,
    /// SHA-256 of the normalised request: a replay must ask for the same thing.
    pub fingerprint: String,
    /// The meeting (or the hold, which becomes it) the key made.
    pub meeting_id: String,
    /// The manage token's secret sealed under the key (see `secrets::seal`); none for a hold,
    /// which hands out no token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sealed_secret: Option<String>,
    /// The conversation link's secret, sealed the same way, when this booking opened the conversation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sealed_link: Option<String>,
    /// Whether the key made a hold rather than a meeting.
    #[serde(default)]
    pub hold: bool,
}

/// Why a booking's transaction did not commit: the conditions that refused it.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct BookingConflict {
    /// A lock of the blocked range is held by another meeting or an open hold.
    pub slot_taken: bool,
    /// The idempotency key was used before.
    pub key_used: bool,
    /// The places asked for that are held, by kind.
    pub places_taken: Vec<PlaceKind>,
    /// The guest already has a conversation with the agent, or it changed since it was read.
    pub conversation_moved: bool,
    /// The hold being confirmed is no longer open (confirmed, dropped, expired, taken over).
    pub hold_gone: bool,
    /// Another transaction was touching the same items; trying again may succeed.
    pub contended: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Purpose {
    Meeting,
    Hold,
    Span,
    Lock,
    Idempotency,
    Place(PlaceKind),
    Pair,
    Conversation,
    Message,
    Outbox,
    Index,
    Session,
    Usage,
}

impl BookingConflict {
    /// A booking-shaped transaction's result: done, refused by which conditions, or failed.
    pub(crate) fn from_commit(result: Result<(), Failure<Purpose>>) -> Result<Result<(), Self>, StoreError> {
        match result {
            Ok(()) => Ok(Ok(())),
            Err(Failure::Refused(refused)) => {
                let conflict = Self::of(&refused);
                // Refused by none of the conditions a booking expects: only a new id that exists.
                if conflict == Self::default() {
                    return Err(StoreError::Conflict("id collision"));
                }
                Ok(Err(conflict))
            }
            Err(Failure::Contended) => Ok(Err(Self { contended: true, ..Default::default() })),
            Err(Failure::Store(err)) => Err(err),
        }
    }

    pub(crate) fn of(refused: &[Purpose]) -> Self {
        BookingConflict {
            slot_taken: refused.contains(&Purpose::Lock),
            key_used: refused.contains(&Purpose::Idempotency),
            places_taken: refused
                .iter()
                .filter_map(|p| if let Purpose::Place(kind) = p { Some(*kind) } else { None })
                .collect(),
            conversation_moved: refused.contains(&Purpose::Pair) || refused.contains(&Purpose::Conversation),
            hold_gone: refused.contains(&Purpose::Hold),
            contended: false,
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
    /// A hold's lock (G2): the time is taken only until then (epoch seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    hold_until: Option<i64>,
    expires_at: i64,
}

impl LockItem {
    pub(crate) fn of(meeting_id: &str, granule: DateTime<Utc>, hold_until: Option<i64>) -> Self {
        Self { meeting_id: meeting_id.to_string(), hold_until, expires_at: (granule + Duration::days(2)).timestamp() }
    }
}

/// A lock may be taken when nobody holds its granule, or only a hold past its expiry does.
pub(crate) fn lock_free(now: DateTime<Utc>) -> Condition {
    Condition::new("attribute_not_exists(pk) OR hold_until <= :now").value(":now", keys::n(now.timestamp()))
}

/// As [`lock_free`], or already held by the meeting `id` (a change keeps its own granules).
pub(crate) fn lock_free_or_mine(now: DateTime<Utc>, id: &str) -> Condition {
    let free = lock_free(now);
    Condition { expression: format!("{} OR meeting_id = :me", free.expression), ..free }.value(":me", keys::s(id))
}

/// A range of an agent's time taken by a meeting or (with `hold_until`) a hold.
pub(crate) struct Taken<'a> {
    pub partition: &'a str,
    pub id: &'a str,
    pub blocked: &'a crate::domain::time::Interval,
    pub hold_until: Option<i64>,
}

/// Puts the span and the locks of a range, the locks only where free at `now`.
pub(crate) fn take_time<P: Copy>(
    tx: &mut Transaction<P>,
    (span, lock): (P, P),
    table: &str,
    taken: &Taken,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let Taken { partition, id, blocked, hold_until } = *taken;
    let record = SpanItem::new(id, blocked.clone(), hold_until);
    tx.put(span, table, item((partition.to_string(), keys::span_sk(blocked.start, id)), &record)?, None);
    for granule in lock_granules(blocked) {
        let record = LockItem::of(id, granule, hold_until);
        let key = (partition.to_string(), keys::lock_sk(granule));
        tx.put(lock, table, item(key, &record)?, Some(lock_free(now)));
    }
    Ok(())
}

#[derive(Serialize, Deserialize)]
struct IdempotencyItem {
    #[serde(flatten)]
    record: IdempotencyRecord,
    expires_at: i64,
}

pub(crate) fn put_idempotency<P: Copy>(
    tx: &mut Transaction<P>,
    purpose: P,
    table: &str,
    partition: &str,
    record: &IdempotencyRecord,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let key = (partition.to_string(), keys::idempotency_sk(&record.key_hash));
    let idem =
        IdempotencyItem { record: record.clone(), expires_at: (now + Duration::hours(IDEMPOTENCY_HOURS)).timestamp() };
    tx.put(purpose, table, item(key, &idem)?, Some(Condition::absent()));
    Ok(())
}

/// The G5 places a hold holds: its guest's open-hold place and its client's on the page (G8;
/// none for a signed-in guest).
pub(crate) fn hold_places(hold: &Hold) -> Vec<PlaceOf<'_>> {
    let (email, page) = (&hold.request.guest.email, &hold.page);
    let mut held = vec![PlaceOf {
        kind: PlaceKind::OpenHold,
        scope: Scope::Guest { email },
        number: hold.guest_place,
        holder: &hold.id,
    }];
    if let Some(number) = hold.page_place {
        held.push(PlaceOf {
            kind: PlaceKind::PageHold,
            scope: Scope::Page { agent_id: &page.agent_id, slug: &page.slug, client: &hold.client },
            number,
            holder: &hold.id,
        });
    }
    held
}

impl Store {
    /// One attempt at writing a booking; on refusal, which conditions refused it.
    pub async fn write_booking(&self, b: &BookingWrite<'_>) -> Result<Result<(), BookingConflict>, StoreError> {
        BookingConflict::from_commit(self.booking_transaction(b)?.commit(self).await)
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
        let meeting_key = keys::meeting(b.tenant_id, &m.id);
        tx.put(Purpose::Meeting, &self.table, item(meeting_key, &record)?, Some(Condition::absent()));

        match b.time {
            TimeSource::Fresh => {
                let taken = Taken { partition: &partition, id: &m.id, blocked: &m.blocked(), hold_until: None };
                take_time(&mut tx, (Purpose::Span, Purpose::Lock), &self.table, &taken, b.now)?;
            }
            TimeSource::Hold(confirming) => self.take_over_hold(&mut tx, b, confirming, &partition)?,
        }

        if let Some(record) = b.idempotency {
            put_idempotency(&mut tx, Purpose::Idempotency, &self.table, &partition, record, b.now)?;
        }
        for place in b.places {
            places::claim(&mut tx, Purpose::Place(place.kind), &self.table, b.tenant_id, place, b.now)?;
        }

        let conversation_key = keys::conversation(b.tenant_id, b.conversation.id());
        match &b.conversation {
            ConversationWrite::Open { conversation, link_token_hash, pair } => {
                if *pair {
                    let pair_item = PairItem { conversation_id: conversation.id.clone() };
                    let pair_key = keys::conversation_pair(b.tenant_id, m.owner(), &m.guest.email);
                    tx.put(Purpose::Pair, &self.table, item(pair_key, &pair_item)?, Some(Condition::absent()));
                    index_conversation(&mut tx, Purpose::Index, &self.table, b.tenant_id, m, &conversation.id)?;
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
        let filed = match &b.conversation {
            ConversationWrite::Open { conversation, .. } => Some(*conversation),
            ConversationWrite::Update { after, .. } => Some(*after),
            ConversationWrite::Keep { .. } => None,
        };
        let written = [(keys::message_sk(b.message.at, &m.id, m.version * 10), b.message)];
        let activity = ActivityUpdate::messages(b.tenant_id, b.conversation.id(), &written, filed);
        let purposes = (Purpose::Message, Purpose::Message);
        put_messages(&mut tx, purposes, &self.table, b.tenant_id, b.conversation.id(), &written, activity)?;
        index_meeting(&mut tx, Purpose::Index, &self.table, b.tenant_id, m)?;
        if let Some(session) = b.session {
            put_session(&mut tx, Purpose::Session, &self.table, b.tenant_id, session)?;
        }

        // T2: counted once, in the booking's own transaction: a refused or replayed booking
        // never commits this, and nothing ever takes it back.
        let (key, update, counts) = super::usage::count_booking(b.tenant_id, m.booked_by, b.now);
        tx.update(Purpose::Usage, &self.table, key, update, counts);
        // S10: the host's count through the service, in the same transaction.
        if let Some((key, update, values)) = super::hosts::count_host(b.tenant_id, m, b.now, 1) {
            tx.update(Purpose::Usage, &self.table, key, &update, values);
        }

        for planned in b.outbox {
            put_planned(&mut tx, Purpose::Outbox, &self.table, planned)?;
        }
        Ok(tx)
    }

    /// The confirmed hold's own span and locks become the meeting's (only while they are still
    /// the hold's); the hold is marked confirmed (only while open and unexpired) and its G5
    /// places are given back.
    fn take_over_hold(
        &self,
        tx: &mut Transaction<Purpose>,
        b: &BookingWrite,
        confirming: Confirming,
        partition: &str,
    ) -> Result<(), StoreError> {
        let hold = confirming.hold;
        let mut confirmed = hold.clone();
        confirmed.status = HoldStatus::Confirmed;
        let still_open = hold_open(Some(b.now));
        let record = HoldItem {
            link_hash: confirming.link_hash.to_string(),
            replay: confirming.replay.cloned(),
            ..HoldItem::of(b.tenant_id, &confirmed)
        };
        tx.put(Purpose::Hold, &self.table, item(keys::hold(b.tenant_id, &hold.id), &record)?, Some(still_open));

        let ours = || Condition::new("meeting_id = :me").value(":me", keys::s(&hold.id));
        let span = SpanItem::new(&hold.id, hold.blocked(), None);
        let span_key = (partition.to_string(), keys::span_sk(hold.blocked_from, &hold.id));
        tx.put(Purpose::Span, &self.table, item(span_key, &span)?, Some(ours()));
        for granule in lock_granules(&hold.blocked()) {
            let lock = LockItem::of(&hold.id, granule, None);
            let key = (partition.to_string(), keys::lock_sk(granule));
            tx.put(Purpose::Lock, &self.table, item(key, &lock)?, Some(ours()));
        }
        for place in hold_places(hold) {
            places::release(tx, Purpose::Place(place.kind), &self.table, b.tenant_id, &place);
        }
        Ok(())
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

    /// Replaces a meeting's manage token (only while its hash is `old_hash`) and queues the email
    /// that carries the new one; `false` when the token changed meanwhile.
    pub async fn replace_manage_token(
        &self,
        tenant_id: &str,
        meeting_id: &str,
        old_hash: &str,
        new_hash: &str,
        email: &Planned,
    ) -> Result<bool, StoreError> {
        let mut tx: Transaction<()> = Transaction::new();
        let condition = Condition::new("manage_token_hash = :old")
            .value(":old", keys::s(old_hash))
            .value(":new", keys::s(new_hash));
        tx.update((), &self.table, keys::meeting(tenant_id, meeting_id), "SET manage_token_hash = :new", condition);
        put_planned(&mut tx, (), &self.table, email)?;
        match tx.commit(self).await {
            Ok(()) => Ok(true),
            Err(Failure::Refused(_)) | Err(Failure::Contended) => Ok(false),
            Err(Failure::Store(err)) => Err(err),
        }
    }

    /// A meeting and its manage token hash.
    pub async fn meeting(&self, tenant_id: &str, meeting_id: &str) -> Result<Option<(Meeting, String)>, StoreError> {
        let found: Option<MeetingItem> = self.get(keys::meeting(tenant_id, meeting_id), true).await?;
        Ok(found.map(|m| (m.meeting, m.manage_token_hash)))
    }
}
