//! Booking a meeting (B1–B6, A5, A6, C1, G1–G5, T2): a guest through a booking page, or an agent
//! for an external person from their own scheduler (B5: every rule but the guest cap).
//!
//! The whole flow, in order:
//! 1. the slot engine checks the time against the page's rules and the connected calendars'
//!    busy time (meetings are kept apart by the transaction's locks, not by this read);
//! 2. a guest who has not proven the address (G1) gets a **hold** instead: the slot is taken for
//!    ten minutes and one email carries a code and a one-click link (see `app::confirm`);
//! 3. otherwise the meeting is made whole (`Meeting::book`), conversation and places included:
//!    a verified guest (or the agent) books into the guest's one conversation with the agent, an
//!    unverified one (verification off) into a conversation of its own (G4);
//! 4. its notifications are planned from that final meeting;
//! 5. one transaction writes it all, or says which condition refused it: a taken slot ends the
//!    booking; a held place or an existing conversation is read and the booking tried again with
//!    a free place (if any) and that conversation; a used key returns the first answer.

use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};
use thiserror::Error;

use super::deliver::deliver_now;
use super::places::Claims;
use super::retry::backoff;
use super::Deps;
use crate::domain::conversation::{Author, Conversation, Event, Message};
use crate::domain::directory::BookingPage;
use crate::domain::identity::{needs_proof, Challenge, Hold, HoldStatus, Verification};
use crate::domain::meeting::{BookedAs, BookedBy, ClientPlace, Meeting, ValidBooking};
use crate::domain::notification::{
    code_mail, plan, Announcement, BookingSummary, CodeMail, ConfirmLink, Reason, Recipient, Role,
};
use crate::domain::places::PlaceKind;
use crate::domain::slots::{bookable_until, check_booking, BusyTimes, Refusal};
use crate::domain::time::Interval;
use crate::secrets::{self, TokenKind};
use crate::signing::Sealer;
use crate::store::{
    BookingWrite, Confirming, ConversationWrite, HoldReplay, HoldWrite, IdempotencyRecord, Scope, SessionRecord,
    StoreError, TimeSource,
};

/// Refused or contended attempts before a booking gives up with "busy, try again".
const MAX_ATTEMPTS: u32 = 8;
/// Seals the conversation link under the idempotency key apart from the manage token.
const LINK_SEAL: &[u8] = b"conversation-link-seal";

/// Who books.
#[derive(Clone, Copy, Debug)]
pub enum Booker<'a> {
    /// A guest through a booking page; `signed_in_as` is the address of the guest session that
    /// came with the request, if any (G3).
    Guest { signed_in_as: Option<&'a str> },
    /// The page's agent, for an external person (B5): no guest cap; the agent vouches for the address.
    Agent { agent_id: &'a str },
}

/// A booking as asked for.
pub struct Order<'a> {
    /// The page it is booked through: a booking link, the agent's own page, or (for an agent's
    /// own scheduling) the agent's page as the agent sees it.
    pub page: &'a BookingPage,
    pub request: ValidBooking,
    pub booker: Booker<'a>,
    pub idempotency_key: Option<&'a str>,
    /// The client it came from (`http::request::Ctx::client`): per-client bounds count by it.
    pub client: &'a str,
}

/// A booking made, or the one an idempotency key made before.
#[derive(Debug)]
pub struct Booked {
    pub meeting: Meeting,
    pub manage_token: String,
    /// The conversation's public link, only from the booking that opened the conversation.
    pub link_token: Option<String>,
    /// A guest session opened by this booking (a hold's confirmation), as its token.
    pub session: Option<(String, DateTime<Utc>)>,
    pub replayed: bool,
}

/// A booking waiting for the guest's code.
#[derive(Debug)]
pub struct Held {
    /// The hold's public id (it names its tenant).
    pub id: String,
    pub hold: Hold,
    pub replayed: bool,
}

#[derive(Debug)]
pub enum Outcome {
    Booked(Box<Booked>),
    Held(Box<Held>),
}

#[derive(Debug, Error)]
pub enum BookError {
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error("that time is no longer free")]
    SlotTaken,
    #[error("the guest already has {cap} scheduled meetings with this agent")]
    GuestCapReached { cap: u16 },
    /// A G5 limit: the address's open holds, codes or bookings, or the page's open holds.
    #[error("a limit on bookings was reached ({0:?})")]
    LimitReached(PlaceKind),
    #[error("this Idempotency-Key was used for a different booking")]
    IdempotencyKeyReused,
    #[error("the calendar is busy with other bookings; try again")]
    Contended,
    /// The tenant's guests took their bookings of the minute (its own bound, not anyone else's).
    #[error("the tenant takes no more bookings this minute")]
    TenantBusy,
    /// The hold being confirmed is gone: expired, dropped, confirmed already, or its time taken.
    #[error("the hold is no longer open")]
    HoldGone,
    /// Internal to the flow: the idempotency key was used before (the caller replays).
    #[error("the idempotency key was used before")]
    KeyUsed,
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub async fn book(deps: &Deps, order: Order<'_>) -> Result<Outcome, BookError> {
    let now = deps.clock.now();
    let page = order.page;
    let request = &order.request;
    let (external, _) = deps
        .calendars()
        .busy(&page.tenant_id, &page.agent_id, &page.calendars, page.availability.time_zone, now, false)
        .await?;
    let blocked = check_booking(&page.rules(), &BusyTimes::new(external), now, request.start, request.duration)?;
    let verified = match order.booker {
        Booker::Agent { .. } => true,
        Booker::Guest { signed_in_as } => {
            let setting = page.availability.verification();
            let email = &request.guest.email;
            let returning = setting == Verification::Returning
                && signed_in_as != Some(email.as_str())
                && returning(deps, page, email).await?;
            if needs_proof(setting, email, signed_in_as, returning) {
                return hold(deps, &order, blocked, now).await.map(|held| Outcome::Held(Box::new(held)));
            }
            signed_in_as == Some(email.as_str())
        }
    };
    book_now(deps, &order, blocked, verified, now).await.map(|booked| Outcome::Booked(Box::new(booked)))
}

/// A guest booking (or hold) takes one of its tenant's bookings of the minute, so that one
/// tenant's campaign meets its own bound and never another's guests. Taken once per request
/// (a service booking tries several hosts under it).
pub(crate) async fn tenant_bound(deps: &Deps, tenant_id: &str, now: DateTime<Utc>) -> Result<(), BookError> {
    let tenant = deps.store.tenant_recent(tenant_id).await?;
    let per_minute =
        tenant.and_then(|t| t.bookings_per_minute).unwrap_or_else(crate::settings::default_bookings_per_minute);
    match deps.store.take_tenant_booking(tenant_id, per_minute, now).await? {
        true => Ok(()),
        false => Err(BookError::TenantBusy),
    }
}

/// Whether an address already has meetings (proven or not) or a conversation with the agent
/// (G1 `returning`).
async fn returning(deps: &Deps, page: &BookingPage, email: &str) -> Result<bool, StoreError> {
    let (pair, met) = tokio::join!(
        deps.store.pair_conversation(&page.tenant_id, page.owner(), email),
        deps.store.guest_met_agent(&page.tenant_id, email, &page.agent_id)
    );
    Ok(pair?.is_some() || met?)
}

async fn book_now(
    deps: &Deps,
    order: &Order<'_>,
    blocked: Interval,
    verified: bool,
    now: DateTime<Utc>,
) -> Result<Booked, BookError> {
    let (booked_by, author) = match order.booker {
        Booker::Guest { .. } => (BookedBy::Guest, Author::Guest),
        Booker::Agent { agent_id } => (BookedBy::Agent, Author::agent(agent_id)),
    };
    let draft = Draft {
        id: secrets::new_id(),
        page: order.page,
        request: &order.request,
        blocked,
        booked_by,
        verified,
        author,
        time: DraftTime::Fresh,
        idempotency_key: order.idempotency_key,
        session: None,
        client: order.client,
    };
    match commit(deps, draft, now).await {
        Err(BookError::KeyUsed) => match replay(deps, order).await? {
            Outcome::Booked(booked) => Ok(*booked),
            Outcome::Held(_) => Err(BookError::IdempotencyKeyReused),
        },
        other => other,
    }
}

/// A meeting about to be written: by a booking, or by a hold's confirmation.
pub(crate) struct Draft<'a> {
    pub id: String,
    pub page: &'a BookingPage,
    pub request: &'a ValidBooking,
    pub blocked: Interval,
    pub booked_by: BookedBy,
    pub verified: bool,
    pub author: Author,
    pub time: DraftTime<'a>,
    pub idempotency_key: Option<&'a str>,
    /// A guest session to open with it (a hold's confirmation).
    pub session: Option<(&'a SessionRecord, String)>,
    /// The client it came from: an unproven booking takes its place under the client's bound (G9).
    pub client: &'a str,
}

/// Where a draft's time comes from.
pub(crate) enum DraftTime<'a> {
    /// Taken now.
    Fresh,
    /// Taken over from the hold being confirmed; its answer is sealed under the guest's proof
    /// (`seal`: the sealer and which proof, `code` or `link`) for a replay of the confirmation.
    Hold { hold: &'a Hold, link_hash: &'a str, seal: Option<(&'a Sealer, &'a str)> },
}

/// Writes a meeting with everything that goes with it: its manage token, its conversation (the
/// guest's one, or a new one), its cap places, its notifications; tried again with what a refusal
/// says was missing. `BookError::KeyUsed` leaves the replay to the caller.
pub(crate) async fn commit(deps: &Deps, draft: Draft<'_>, now: DateTime<Utc>) -> Result<Booked, BookError> {
    let page = draft.page;
    let request = draft.request;
    let manage = secrets::issue(TokenKind::Manage, &page.tenant_id, &draft.id);
    let mut opened = Conversation::open(
        secrets::new_id(),
        &page.agent_pbx_id,
        (&page.agent_id, &page.agent_name),
        (&request.guest.email, &request.guest.name),
        &request.additional_members,
        now,
    );
    opened.guest_language = request.guest.language;
    let host = (page.agent_id.as_str(), page.agent_name.as_str());
    if let Some(service) = &page.service {
        opened = opened.hosted_by(host, &service.id, now, true).unwrap_or(opened);
    }
    let link = secrets::issue(TokenKind::ConversationLink, &page.tenant_id, &opened.id);
    let mut claims = Claims::new(&page.tenant_id);
    match (draft.booked_by, draft.verified) {
        // G9: only a proven address takes a place under the cap, and counts its bookings.
        (BookedBy::Guest, true) => {
            let email = &request.guest.email;
            let cap = page.availability.max_meetings_per_guest;
            // S11: through a service, the cap counts per guest and service.
            let scope = Scope::GuestWithAgent { agent_id: page.owner(), email };
            claims.add_capped(PlaceKind::GuestMeeting, scope, cap, request_end(request));
            let until = PlaceKind::BookingMade.held_until(now).unwrap_or(now);
            claims.add(PlaceKind::BookingMade, Scope::Guest { email }, until);
        }
        // An unproven one is bounded per client instead: a made-up booking in someone's name
        // takes none of their places.
        (BookedBy::Guest, false) => {
            let scope = Scope::ClientWithAgent { agent_id: page.owner(), client: draft.client };
            claims.add(PlaceKind::UnverifiedMeeting, scope, request_end(request));
        }
        (BookedBy::Agent, _) => {}
    }
    // The guest's existing conversation with the agent, once a refused attempt has read it.
    let mut existing: Option<(Conversation, String)> = None;

    for attempt in 0..MAX_ATTEMPTS {
        let joined = existing.as_ref().map(|(c, hash)| {
            let members = c.joined_by(&request.additional_members, request.guest.language);
            // S11: a later meeting's different host becomes a member; the assignment stays.
            let hosted =
                page.service.as_ref().and_then(|s| members.as_ref().unwrap_or(c).hosted_by(host, &s.id, now, false));
            let after = match (members, hosted) {
                (_, Some(hosted)) => Some(Conversation { version: c.version + 1, ..hosted }),
                (members, None) => members,
            };
            (after, c, hash)
        });
        let conversation = match &joined {
            // G4: an unverified booking opens a conversation of its own, found by nobody else.
            None => {
                ConversationWrite::Open { conversation: &opened, link_token_hash: &link.hash, pair: draft.verified }
            }
            Some((Some(after), before, hash)) => {
                ConversationWrite::Update { after, read_version: before.version, link_token_hash: hash }
            }
            Some((None, before, _)) => ConversationWrite::Keep { id: &before.id },
        };
        let opens = matches!(conversation, ConversationWrite::Open { .. });
        let how = BookedAs {
            by: draft.booked_by,
            verified: draft.verified,
            guest_place: claims.place_of(PlaceKind::GuestMeeting),
            client_place: claims
                .place_of(PlaceKind::UnverifiedMeeting)
                .map(|place| ClientPlace { client: draft.client.to_string(), place }),
        };
        let meeting = Meeting::book(
            draft.id.clone(),
            conversation.id().to_string(),
            page,
            request,
            draft.blocked.clone(),
            how,
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
        let idempotency = draft.idempotency_key.map(|key| IdempotencyRecord {
            key_hash: secrets::hash(key),
            fingerprint: fingerprint(&page.slug, draft.booked_by, request),
            meeting_id: meeting.id.clone(),
            sealed_secret: Some(secrets::seal(&manage.secret, key)),
            sealed_link: opens.then(|| secrets::seal_labelled(LINK_SEAL, &link.secret, key)),
            hold: false,
        });
        let message = booked_message(&meeting, &draft.author, now);
        let places = claims.claims(&meeting.id);
        let replay = match (&draft.time, &draft.session) {
            (DraftTime::Hold { seal: Some((sealer, proof)), .. }, Some((session, token))) => Some(HoldReplay {
                proof: proof.to_string(),
                manage: sealer.seal("manage", &manage.secret),
                session_id: session.id.clone(),
                session: sealer.seal("session", &secrets::parse(token).map(|t| t.secret).unwrap_or_default()),
                session_expires_at: session.expires_at,
                link: opens.then(|| sealer.seal("link", &link.secret)),
            }),
            _ => None,
        };
        let time = match &draft.time {
            DraftTime::Fresh => TimeSource::Fresh,
            DraftTime::Hold { hold, link_hash, .. } => {
                TimeSource::Hold(Confirming { hold, link_hash, replay: replay.as_ref() })
            }
        };
        let write = BookingWrite {
            tenant_id: &page.tenant_id,
            meeting: &meeting,
            manage_token_hash: &manage.hash,
            time,
            idempotency: idempotency.as_ref(),
            places: &places,
            conversation,
            message: &message,
            outbox: &plan.entries,
            session: draft.session.as_ref().map(|(record, _)| *record),
            now,
        };
        let conflict = match deps.store.write_booking(&write).await? {
            Ok(()) => {
                deliver_now(deps, &page.tenant_id, plan.immediate()).await;
                let session = draft.session.as_ref().map(|(record, token)| {
                    (token.clone(), DateTime::from_timestamp(record.expires_at, 0).unwrap_or(now))
                });
                return Ok(Booked {
                    meeting,
                    manage_token: manage.token,
                    link_token: opens.then_some(link.token),
                    session,
                    replayed: false,
                });
            }
            Err(conflict) => conflict,
        };
        if conflict.key_used {
            return Err(BookError::KeyUsed);
        }
        let hold_places = [PlaceKind::OpenHold, PlaceKind::PageHold];
        if conflict.hold_gone || conflict.places_taken.iter().any(|k| hold_places.contains(k)) {
            return Err(BookError::HoldGone);
        }
        if conflict.slot_taken {
            return Err(match draft.time {
                DraftTime::Fresh => BookError::SlotTaken,
                DraftTime::Hold { .. } => BookError::HoldGone,
            });
        }
        if conflict.contended {
            backoff(attempt).await;
            continue;
        }
        // The reads that repair a refused attempt are independent: run them together.
        let store = &deps.store;
        let verified = draft.verified;
        let (repaired, found) = tokio::join!(claims.repair(store, &conflict.places_taken, now), async {
            if conflict.conversation_moved && verified {
                store.pair_conversation(&page.tenant_id, page.owner(), &request.guest.email).await.map(Some)
            } else {
                Ok(None)
            }
        });
        if let Err(kind) = repaired? {
            return Err(match kind {
                PlaceKind::GuestMeeting => BookError::GuestCapReached { cap: page.availability.max_meetings_per_guest },
                other => BookError::LimitReached(other),
            });
        }
        if let Some(found) = found? {
            existing = found;
        }
    }
    Err(BookError::Contended)
}

/// G2: the slot taken for ten minutes, the guest mailed a code and a one-click link.
async fn hold(deps: &Deps, order: &Order<'_>, blocked: Interval, now: DateTime<Utc>) -> Result<Held, BookError> {
    let page = order.page;
    let request = &order.request;
    let id = secrets::new_id();
    let code = secrets::new_code();
    let link = secrets::issue(TokenKind::HoldLink, &page.tenant_id, &id);
    let public_id = secrets::public_id(&page.tenant_id, &id);
    // G10: the hold ends no later than its slot stops being bookable.
    let bookable_until = bookable_until(&page.availability, request.start);
    let challenge = Challenge::for_hold(secrets::code_hash(&id, &code), now, bookable_until);
    let expires_at = DateTime::from_timestamp(challenge.expires_at, 0).unwrap_or(now);
    let email = &request.guest.email;
    let client = order.client;
    let signed_in = matches!(order.booker, Booker::Guest { signed_in_as: Some(_) });
    let mut claims = Claims::new(&page.tenant_id);
    claims.add(PlaceKind::OpenHold, Scope::Guest { email }, expires_at);
    // G8: the page's bound counts per client, and never stands in the way of a signed-in guest.
    if !signed_in {
        claims.add(PlaceKind::PageHold, Scope::Page { agent_id: &page.agent_id, slug: &page.slug, client }, expires_at);
    }
    claims.add_codes(email, client, now);
    let mail = CodeMail {
        code,
        expires_at,
        confirm: Some(ConfirmLink { hold_id: public_id.clone(), token: link.token.clone() }),
        sign_in: None,
        booking: Some(summary(request)),
    };

    for attempt in 0..MAX_ATTEMPTS {
        let hold = Hold {
            id: id.clone(),
            page: page.clone(),
            request: request.clone(),
            blocked_from: blocked.start,
            blocked_to: blocked.end,
            challenge: challenge.clone(),
            status: HoldStatus::Open,
            guest_place: claims.place_of(PlaceKind::OpenHold).unwrap_or(0),
            page_place: claims.place_of(PlaceKind::PageHold),
            client: client.to_string(),
            created_at: now,
        };
        let idempotency = order.idempotency_key.map(|key| IdempotencyRecord {
            key_hash: secrets::hash(key),
            fingerprint: fingerprint(&page.slug, BookedBy::Guest, request),
            meeting_id: id.clone(),
            sealed_secret: None,
            sealed_link: None,
            hold: true,
        });
        let to = guest_recipient(request, page);
        let email = code_mail(
            secrets::new_id(),
            &page.tenant_id,
            Reason::ConfirmBooking,
            to,
            page.agent_contact(),
            mail.clone(),
            now,
        );
        let places = claims.claims(&id);
        let write = HoldWrite {
            tenant_id: &page.tenant_id,
            hold: &hold,
            link_hash: &link.hash,
            idempotency: idempotency.as_ref(),
            places: &places,
            outbox: std::slice::from_ref(&email),
            now,
        };
        let conflict = match deps.store.write_hold(&write).await? {
            Ok(()) => {
                deliver_now(deps, &page.tenant_id, &email.notification.id).await;
                return Ok(Held { id: public_id, hold, replayed: false });
            }
            Err(conflict) => conflict,
        };
        if conflict.key_used {
            return match replay(deps, order).await? {
                Outcome::Held(held) => Ok(*held),
                Outcome::Booked(_) => Err(BookError::IdempotencyKeyReused),
            };
        }
        if conflict.slot_taken {
            return Err(BookError::SlotTaken);
        }
        if conflict.contended {
            backoff(attempt).await;
            continue;
        }
        if let Err(kind) = claims.repair(&deps.store, &conflict.places_taken, now).await? {
            return Err(BookError::LimitReached(kind));
        }
    }
    Err(BookError::Contended)
}

/// The guest as the code's only recipient, in their own zone.
pub(crate) fn guest_recipient(request: &ValidBooking, page: &BookingPage) -> Recipient {
    Recipient {
        email: request.guest.email.clone(),
        name: Some(request.guest.name.clone()),
        role: Role::Guest,
        time_zone: request.guest.time_zone.unwrap_or(page.availability.time_zone),
        language: request.guest.language.unwrap_or_default(),
    }
}

fn request_end(request: &ValidBooking) -> DateTime<Utc> {
    request.start + Duration::minutes(request.duration.into())
}

/// What a code email says of the booking it confirms.
pub(super) fn summary(request: &ValidBooking) -> BookingSummary {
    BookingSummary { subject: request.subject.clone(), start: request.start, end: request_end(request) }
}

/// The first answer to a booking made with this idempotency key, if it asked for the same thing.
async fn replay(deps: &Deps, order: &Order<'_>) -> Result<Outcome, BookError> {
    let key = order.idempotency_key.expect("only a booking with a key can be replayed");
    let page = order.page;
    let tenant_id = &page.tenant_id;
    let record = deps
        .store
        .idempotency_record(tenant_id, &page.agent_id, &secrets::hash(key))
        .await?
        .ok_or(StoreError::Conflict("idempotency record vanished"))?;
    let booked_by = match order.booker {
        Booker::Guest { .. } => BookedBy::Guest,
        Booker::Agent { .. } => BookedBy::Agent,
    };
    if record.fingerprint != fingerprint(&page.slug, booked_by, &order.request) {
        return Err(BookError::IdempotencyKeyReused);
    }
    if record.hold {
        let (hold, _) = deps
            .store
            .hold(tenant_id, &record.meeting_id)
            .await?
            .ok_or(StoreError::Corrupt("idempotency record names a missing hold".into()))?;
        let held = Held { id: secrets::public_id(tenant_id, &hold.id), hold, replayed: true };
        return Ok(Outcome::Held(Box::new(held)));
    }
    let (meeting, _) = deps
        .store
        .meeting(tenant_id, &record.meeting_id)
        .await?
        .ok_or(StoreError::Corrupt("idempotency record names a missing meeting".into()))?;
    let sealed = record.sealed_secret.ok_or(StoreError::Corrupt("a booking's record has no sealed token".into()))?;
    let manage_token = secrets::compose(TokenKind::Manage, tenant_id, &meeting.id, &secrets::unseal(&sealed, key));
    let link_token = record.sealed_link.map(|sealed| {
        let secret = secrets::unseal_labelled(LINK_SEAL, &sealed, key);
        secrets::compose(TokenKind::ConversationLink, tenant_id, &meeting.conversation_id, &secret)
    });
    Ok(Outcome::Booked(Box::new(Booked { meeting, manage_token, link_token, session: None, replayed: true })))
}

pub(crate) fn booked_message(meeting: &Meeting, by: &Author, now: DateTime<Utc>) -> Message {
    let event = Event::MeetingBooked {
        meeting_id: meeting.id.clone(),
        subject: meeting.subject.clone(),
        start: meeting.start,
        end: meeting.end,
    };
    Message::event(now, by.clone(), event)
}

/// What makes two requests "the same booking" for a replay: the page, who booked, and the request.
/// Not the language: the server may have chosen it (from `Accept-Language` or the tenant's
/// default), and a retry from another browser tab or after a default changed is the same booking.
fn fingerprint(slug: &str, booked_by: BookedBy, request: &ValidBooking) -> String {
    let mut request = request.clone();
    request.guest.language = None;
    let canonical = serde_json::to_vec(&(slug, booked_by, &request)).expect("bookings serialise");
    hex::encode(Sha256::digest(canonical))
}
