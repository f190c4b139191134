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

use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::calendar::SpanItem;
use super::keys;
use super::transaction::{item, Condition, Failure, Transaction};
use super::{Store, StoreError};
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
}

#[derive(Debug)]
pub enum BookingOutcome {
    Booked(Meeting),
    /// The same request was booked before under this idempotency key.
    Replayed {
        meeting: Meeting,
        sealed_secret: String,
    },
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
}

#[derive(Serialize, Deserialize)]
pub(crate) struct MeetingItem {
    #[serde(flatten)]
    pub meeting: Meeting,
    pub tenant_id: String,
    pub manage_token_hash: String,
}

#[derive(Serialize, Deserialize)]
struct LockItem {
    meeting_id: String,
    expires_at: i64,
}

#[derive(Serialize, Deserialize)]
struct GuestPlaceItem {
    place: u16,
    meeting_id: String,
    /// Epoch seconds; the place frees itself once the meeting has ended.
    ends_at: i64,
    expires_at: i64,
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
        for attempt in 0..MAX_ATTEMPTS {
            booking.meeting.guest_place = booking.guest_cap.map(|_| place);
            let tx = self.booking_transaction(&booking)?;
            match tx.commit(self).await {
                Ok(()) => return Ok(BookingOutcome::Booked(booking.meeting)),
                Err(Failure::Refused(refused)) => {
                    if refused.contains(&Purpose::Idempotency) {
                        return self.replay(&booking).await;
                    }
                    if refused.contains(&Purpose::Lock) {
                        return Err(BookingError::SlotTaken);
                    }
                    if let (true, Some(cap)) = (refused.contains(&Purpose::GuestPlace), booking.guest_cap) {
                        place =
                            self.free_guest_place(&booking, cap).await?.ok_or(BookingError::GuestCapReached { cap })?;
                        continue;
                    }
                    return Err(StoreError::Conflict("meeting id collision").into());
                }
                Err(Failure::Contended) => backoff(attempt).await,
                Err(Failure::Store(err)) => return Err(err.into()),
            }
        }
        Err(BookingError::Contended)
    }

    fn booking_transaction(&self, b: &NewBooking) -> Result<Transaction<Purpose>, StoreError> {
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

        let span = SpanItem {
            meeting_id: m.id.clone(),
            blocked_from: m.blocked_from,
            blocked_to: m.blocked_to,
            expires_at: (m.blocked_to + Duration::days(400)).timestamp(),
        };
        tx.put(
            Purpose::Span,
            &self.table,
            item((calendar.clone(), keys::span_sk(m.blocked_from, &m.id)), &span)?,
            None,
        );

        for granule in lock_granules(&m.blocked()) {
            let lock = LockItem { meeting_id: m.id.clone(), expires_at: (granule + Duration::days(2)).timestamp() };
            tx.put(
                Purpose::Lock,
                &self.table,
                item((calendar.clone(), keys::lock_sk(granule)), &lock)?,
                Some(Condition::absent()),
            );
        }

        if let Some(record) = &b.idempotency {
            let idem = IdempotencyItem {
                record: record.clone(),
                expires_at: (b.now + Duration::hours(IDEMPOTENCY_HOURS)).timestamp(),
            };
            let key = (calendar.clone(), keys::idempotency_sk(&record.key_hash));
            tx.put(Purpose::Idempotency, &self.table, item(key, &idem)?, Some(Condition::absent()));
        }

        if let Some(place) = m.guest_place {
            let claim = GuestPlaceItem {
                place,
                meeting_id: m.id.clone(),
                ends_at: m.end.timestamp(),
                expires_at: (m.end + Duration::days(1)).timestamp(),
            };
            let key = (calendar, keys::guest_place_sk(&m.guest.email, place));
            let free =
                Condition::new("attribute_not_exists(pk) OR ends_at <= :now").value(":now", keys::n(b.now.timestamp()));
            tx.put(Purpose::GuestPlace, &self.table, item(key, &claim)?, Some(free));
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
        Ok(BookingOutcome::Replayed { meeting, sealed_secret: stored.record.sealed_secret })
    }

    /// A meeting and its manage token hash.
    pub async fn meeting(&self, tenant_id: &str, meeting_id: &str) -> Result<Option<(Meeting, String)>, StoreError> {
        let found: Option<MeetingItem> = self.get(keys::meeting(tenant_id, meeting_id), true).await?;
        Ok(found.map(|m| (m.meeting, m.manage_token_hash)))
    }
}

/// Exponential backoff with jitter, so racing bookings spread out instead of colliding again.
async fn backoff(attempt: u32) {
    let base = 5u64 << attempt.min(6);
    let jitter = rand::rng().random_range(0..=base);
    tokio::time::sleep(StdDuration::from_millis(base + jitter)).await;
}
