//! Booking a meeting (B1–B6, A5, A6, C1, T2): a guest through a booking page, or an agent for an
//! external person from their own scheduler (B5: every rule but the guest cap).
//!
//! The whole flow, in order:
//! 1. the slot engine checks the time against the page's rules and the connected calendars'
//!    busy time (meetings are kept apart by the transaction's locks, not by this read);
//! 2. the meeting is made whole (`Meeting::book`): its conversation and cap place included;
//! 3. its notifications are planned from that final meeting;
//! 4. one transaction writes it all, or says which condition refused it: a taken slot ends the
//!    booking; a held cap place or an existing conversation is read and the booking tried again
//!    with a free place (if any) and that conversation; a used key returns the first answer.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use thiserror::Error;

use super::deliver::deliver_now;
use super::retry::backoff;
use super::Deps;
use crate::domain::conversation::{Author, Conversation, Event, Message};
use crate::domain::directory::BookingPage;
use crate::domain::meeting::{BookedBy, Meeting, ValidBooking};
use crate::domain::notification::{plan, Announcement, Reason};
use crate::domain::places::first_free;
use crate::domain::slots::{check_booking, BusyTimes, Refusal};
use crate::secrets::{self, TokenKind};
use crate::store::{BookingWrite, ConversationWrite, IdempotencyRecord, StoreError};

/// Refused or contended attempts before a booking gives up with "busy, try again".
const MAX_ATTEMPTS: u32 = 8;
/// Seals the conversation link under the idempotency key apart from the manage token.
const LINK_SEAL: &[u8] = b"conversation-link-seal";

/// A booking as asked for.
pub struct Order<'a> {
    /// The page it is booked through: a booking link, the agent's own page, or (for an agent's
    /// own scheduling) the agent's page as the agent sees it.
    pub page: &'a BookingPage,
    pub request: ValidBooking,
    pub booked_by: BookedBy,
    /// Who the conversation's message names.
    pub author: Author,
    /// The guest's cap (B2); `None` when an agent books for an external person (B5).
    pub guest_cap: Option<u16>,
    pub idempotency_key: Option<&'a str>,
}

/// A booking made, or the one an idempotency key made before.
#[derive(Debug)]
pub struct Booked {
    pub meeting: Meeting,
    pub manage_token: String,
    /// The conversation's public link, only from the booking that opened the conversation.
    pub link_token: Option<String>,
    pub replayed: bool,
}

#[derive(Debug, Error)]
pub enum BookError {
    #[error(transparent)]
    Refused(#[from] Refusal),
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

pub async fn book(deps: &Deps, order: Order<'_>) -> Result<Booked, BookError> {
    let now = deps.clock.now();
    let page = order.page;
    let request = &order.request;
    let (external, _) = deps
        .calendars()
        .busy(&page.tenant_id, &page.agent_id, &page.calendars, page.availability.time_zone, now, false)
        .await?;
    let blocked = check_booking(&page.rules(), &BusyTimes::new(external), now, request.start, request.duration)?;

    let meeting_id = secrets::new_id();
    let manage = secrets::issue(TokenKind::Manage, &page.tenant_id, &meeting_id);
    let opened = Conversation::open(
        secrets::new_id(),
        &page.agent_pbx_id,
        (&page.agent_id, &page.agent_name),
        (&request.guest.email, &request.guest.name),
        &request.additional_members,
        now,
    );
    let link = secrets::issue(TokenKind::ConversationLink, &page.tenant_id, &opened.id);
    let mut place = order.guest_cap.map(|_| 0u16);
    // The guest's existing conversation with the agent, once a refused attempt has read it.
    let mut existing: Option<(Conversation, String)> = None;

    for attempt in 0..MAX_ATTEMPTS {
        let joined = existing.as_ref().map(|(c, hash)| (c.joined_by(&request.additional_members), c, hash));
        let conversation = match &joined {
            None => ConversationWrite::Open { conversation: &opened, link_token_hash: &link.hash, pair: true },
            Some((Some(after), before, hash)) => {
                ConversationWrite::Update { after, read_version: before.version, link_token_hash: hash }
            }
            Some((None, before, _)) => ConversationWrite::Keep { id: &before.id },
        };
        let opens = matches!(conversation, ConversationWrite::Open { .. });
        let meeting = Meeting::book(
            meeting_id.clone(),
            conversation.id().to_string(),
            page,
            request,
            blocked.clone(),
            order.booked_by,
            place,
            now,
        );
        let plan = plan(Announcement {
            tenant_id: &page.tenant_id,
            meeting: &meeting,
            agent: page.agent_contact(),
            reason: Reason::Booked,
            manage_token: Some(manage.token.clone()),
            conversation_link: opens.then(|| link.token.clone()),
            id: secrets::new_id(),
            now,
        });
        let idempotency = order.idempotency_key.map(|key| IdempotencyRecord {
            key_hash: secrets::hash(key),
            fingerprint: fingerprint(&page.slug, order.booked_by, request),
            meeting_id: meeting.id.clone(),
            sealed_secret: secrets::seal(&manage.secret, key),
            sealed_link: opens.then(|| secrets::seal_labelled(LINK_SEAL, &link.secret, key)),
        });
        let message = booked_message(&meeting, &order.author, now);
        let write = BookingWrite {
            tenant_id: &page.tenant_id,
            meeting: &meeting,
            manage_token_hash: &manage.hash,
            idempotency: idempotency.as_ref(),
            conversation,
            message: &message,
            outbox: &plan.entries,
            now,
        };
        let conflict = match deps.store.write_booking(&write).await? {
            Ok(()) => {
                deliver_now(deps, &page.tenant_id, plan.immediate()).await;
                return Ok(Booked {
                    meeting,
                    manage_token: manage.token,
                    link_token: opens.then_some(link.token),
                    replayed: false,
                });
            }
            Err(conflict) => conflict,
        };
        if conflict.key_used {
            return replay(deps, &order, &meeting.agent_id).await;
        }
        if conflict.slot_taken {
            return Err(BookError::SlotTaken);
        }
        if conflict.contended {
            backoff(attempt).await;
            continue;
        }
        // The two reads that repair a refused attempt are independent: run them together.
        let store = &deps.store;
        let (held, found) = tokio::join!(
            async {
                match order.guest_cap {
                    Some(_) if conflict.place_taken => {
                        store.guest_places(&page.tenant_id, &page.agent_id, &request.guest.email).await.map(Some)
                    }
                    _ => Ok(None),
                }
            },
            async {
                if conflict.conversation_moved {
                    store.pair_conversation(&page.tenant_id, &page.agent_id, &request.guest.email).await.map(Some)
                } else {
                    Ok(None)
                }
            }
        );
        if let (Some(held), Some(cap)) = (held?, order.guest_cap) {
            place = Some(first_free(&held, cap, now).ok_or(BookError::GuestCapReached { cap })?);
        }
        if let Some(found) = found? {
            existing = found;
        }
    }
    Err(BookError::Contended)
}

/// The first answer to a booking made with this idempotency key, if it asked for the same thing.
async fn replay(deps: &Deps, order: &Order<'_>, agent_id: &str) -> Result<Booked, BookError> {
    let key = order.idempotency_key.expect("only a booking with a key can be replayed");
    let tenant_id = &order.page.tenant_id;
    let record = deps
        .store
        .idempotency_record(tenant_id, agent_id, &secrets::hash(key))
        .await?
        .ok_or(StoreError::Conflict("idempotency record vanished"))?;
    if record.fingerprint != fingerprint(&order.page.slug, order.booked_by, &order.request) {
        return Err(BookError::IdempotencyKeyReused);
    }
    let (meeting, _) = deps
        .store
        .meeting(tenant_id, &record.meeting_id)
        .await?
        .ok_or(StoreError::Corrupt("idempotency record names a missing meeting".into()))?;
    let secret = secrets::unseal(&record.sealed_secret, key);
    let manage_token = secrets::compose(TokenKind::Manage, tenant_id, &meeting.id, &secret);
    let link_token = record.sealed_link.map(|sealed| {
        let secret = secrets::unseal_labelled(LINK_SEAL, &sealed, key);
        secrets::compose(TokenKind::ConversationLink, tenant_id, &meeting.conversation_id, &secret)
    });
    Ok(Booked { meeting, manage_token, link_token, replayed: true })
}

fn booked_message(meeting: &Meeting, by: &Author, now: DateTime<Utc>) -> Message {
    Message {
        at: now,
        by: by.clone(),
        event: Event::MeetingBooked {
            meeting_id: meeting.id.clone(),
            subject: meeting.subject.clone(),
            start: meeting.start,
            end: meeting.end,
        },
    }
}

/// What makes two requests "the same booking" for a replay: the page, who booked, and the request.
fn fingerprint(slug: &str, booked_by: BookedBy, request: &ValidBooking) -> String {
    let canonical = serde_json::to_vec(&(slug, booked_by, request)).expect("bookings serialise");
    hex::encode(Sha256::digest(canonical))
}
