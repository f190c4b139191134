//! POST /v1/book/{slug}/meetings: a guest books a slot (B1–B4, B6 conversation part).
//!
//! Two round trips for a guest's first booking: the slug's booking page (consistent read), then
//! one transaction. The slot engine checks every rule except "is it free"; the transaction's time
//! locks decide that, so concurrent bookings cannot both win.

use chrono::{DateTime, Utc};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::domain::conversation::{Conversation, Event, Message};
use crate::domain::directory::ConnectedCalendar;
use crate::domain::meeting::{BookedBy, BookingRequest, Meeting, MeetingStatus, ValidBooking};
use crate::domain::notification::{AgentContact, Reason};
use crate::domain::slots::{check_booking, BusyTimes, SlotRules};
use crate::http::deps::Deps;
use crate::http::handlers::announce::{self, Announcement};
use crate::http::problem::Problem;
use crate::http::request::Ctx;
use crate::http::views::MeetingView;
use crate::http::Response;
use crate::secrets::{self, TokenKind};
use crate::store::{BookingOutcome, IdempotencyRecord, NewBooking};

pub async fn book(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let idempotency_key = idempotency_key(ctx)?;
    let request: BookingRequest = ctx.json()?;
    let page = deps.store.booking_page(ctx.slug()?, true).await?.ok_or_else(|| Problem::not_found("booking page"))?;
    let booking = request.validate(page.default_duration())?;
    tracing::Span::current().record("tenant", page.tenant_id.as_str());
    let order = Order {
        tenant_id: &page.tenant_id,
        agent: page.agent_contact(),
        pbx_id: &page.agent_pbx_id,
        slug: &page.slug,
        calendars: &page.calendars,
        rules: page.rules(),
        fingerprint_scope: &page.slug,
        booked_by: BookedBy::Guest,
        guest_cap: Some(page.availability.max_meetings_per_guest),
        by: "guest".into(),
    };
    place(deps, order, booking, idempotency_key).await
}

/// Everything that differs between a guest's booking and an agent's own scheduling (B5).
pub struct Order<'a> {
    pub tenant_id: &'a str,
    pub agent: AgentContact,
    pub pbx_id: &'a str,
    /// The booking link used (recorded on the meeting).
    pub slug: &'a str,
    pub calendars: &'a [ConnectedCalendar],
    pub rules: SlotRules<'a>,
    /// What an idempotency key is scoped to besides the request itself.
    pub fingerprint_scope: &'a str,
    pub booked_by: BookedBy,
    pub guest_cap: Option<u16>,
    /// Who the conversation's message names.
    pub by: String,
}

/// Checks the rules, books, and answers 201 with the meeting, its manage token and the conversation.
pub async fn place(
    deps: &Deps,
    order: Order<'_>,
    booking: ValidBooking,
    idempotency_key: Option<&str>,
) -> Result<Response, Problem> {
    let now = deps.clock.now();
    // Meetings are kept apart by the transaction's locks; connected calendars by this check,
    // against the same copies the slot lookup showed.
    let zone = order.rules.availability.time_zone;
    let (external, _) =
        deps.calendars().busy(order.tenant_id, &order.agent.id, order.calendars, zone, now, false).await?;
    let blocked = check_booking(&order.rules, &BusyTimes::new(external), now, booking.start, booking.duration)?;
    let (agent_id, agent_name) = (order.agent.id.as_str(), order.agent.name.as_str());
    let meeting = Meeting {
        id: secrets::new_id(),
        agent_id: agent_id.to_string(),
        conversation_id: String::new(),
        booking_slug: order.slug.to_string(),
        subject: booking.subject.clone(),
        start: booking.start,
        end: booking.start + chrono::Duration::minutes(booking.duration.into()),
        duration: booking.duration,
        guest: booking.guest.clone(),
        additional_members: booking.additional_members.clone(),
        status: MeetingStatus::Scheduled,
        blocked_from: blocked.start,
        blocked_to: blocked.end,
        guest_place: None,
        booked_by: order.booked_by,
        reminder_lead_times: order.rules.availability.reminder_lead_times.clone(),
        created_at: now,
        version: 1,
    };
    let conversation = Conversation::open(
        secrets::new_id(),
        order.pbx_id,
        (agent_id, agent_name),
        (&booking.guest.email, &booking.guest.name),
        &booking.additional_members,
        now,
    );
    let token = secrets::issue(TokenKind::Manage, order.tenant_id, &meeting.id);
    let link = secrets::issue(TokenKind::ConversationLink, order.tenant_id, &conversation.id);
    let idempotency = idempotency_key.map(|key| IdempotencyRecord {
        key_hash: secrets::hash(key),
        fingerprint: fingerprint(order.fingerprint_scope, &booking),
        meeting_id: meeting.id.clone(),
        sealed_secret: secrets::seal(&token.secret, key),
        sealed_link: Some(secrets::seal_labelled(LINK_SEAL, &link.secret, key)),
    });
    let message = booked_message(&meeting, &order.by, now);
    let plan = announce::plan(Announcement {
        tenant_id: order.tenant_id,
        meeting: &meeting,
        agent: order.agent.clone(),
        reason: Reason::Booked,
        manage_token: Some(token.token.clone()),
        conversation_link: Some(link.token.clone()),
        now,
    });
    let immediate = plan.immediate().to_string();
    let outcome = deps
        .store
        .book(NewBooking {
            tenant_id: order.tenant_id.to_string(),
            meeting,
            manage_token_hash: token.hash,
            idempotency,
            guest_cap: order.guest_cap,
            conversation,
            link_token_hash: link.hash,
            message,
            outbox: plan.entries,
            now,
        })
        .await?;

    let (meeting, manage_token, link_token, replayed) = match outcome {
        BookingOutcome::Booked { meeting, opened, .. } => {
            announce::deliver_now(deps, order.tenant_id, &immediate).await;
            (meeting, token.token, opened.then_some(link.token), false)
        }
        BookingOutcome::Replayed { meeting, sealed_secret, sealed_link } => {
            let key = idempotency_key.expect("a replay needs a key");
            let secret = secrets::unseal(&sealed_secret, key);
            let manage = secrets::compose(TokenKind::Manage, order.tenant_id, &meeting.id, &secret);
            let link = sealed_link.map(|sealed| {
                let secret = secrets::unseal_labelled(LINK_SEAL, &sealed, key);
                secrets::compose(TokenKind::ConversationLink, order.tenant_id, &meeting.conversation_id, &secret)
            });
            (meeting, manage, link, true)
        }
    };
    let body = json!({
        "meeting": MeetingView::from(&meeting),
        "manage_token": manage_token,
        // The public link's token exists only in the response of the booking that opened the conversation.
        "conversation": { "id": meeting.conversation_id, "link_token": link_token },
    });
    let mut response = crate::http::json(201, &body);
    if replayed {
        response.headers_mut().insert("idempotent-replayed", http::HeaderValue::from_static("true"));
    }
    Ok(response)
}

const LINK_SEAL: &[u8] = b"conversation-link-seal";

fn booked_message(meeting: &Meeting, by: &str, now: DateTime<Utc>) -> Message {
    Message {
        at: now,
        by: by.to_string(),
        event: Event::MeetingBooked {
            meeting_id: meeting.id.clone(),
            subject: meeting.subject.clone(),
            start: meeting.start,
            end: meeting.end,
        },
    }
}

/// `Idempotency-Key`: optional; when sent, 16–255 visible ASCII characters (a UUID is ideal),
/// because it also seals the tokens kept for the replay.
pub fn idempotency_key(ctx: &Ctx) -> Result<Option<&str>, Problem> {
    let Some(raw) = ctx.headers_raw("idempotency-key") else {
        return Ok(None);
    };
    let key = raw.to_str().ok().filter(|k| (16..=255).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()));
    key.map(Some).ok_or_else(|| Problem::invalid("Idempotency-Key", "16 to 255 visible ASCII characters, e.g. a UUID"))
}

/// What makes two requests "the same booking" for a replay.
fn fingerprint(scope: &str, booking: &ValidBooking) -> String {
    let canonical = serde_json::to_vec(&(scope, booking)).expect("bookings serialise");
    hex::encode(Sha256::digest(canonical))
}
