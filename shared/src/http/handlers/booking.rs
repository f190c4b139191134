//! POST /v1/book/{slug}/meetings: a guest books a slot (B1–B4).
//!
//! Two round trips: the slug's booking page (consistent read), then one transaction. The slot
//! engine checks every rule except "is it free"; the transaction's time locks decide that, so
//! concurrent bookings cannot both win.

use serde_json::json;
use sha2::{Digest, Sha256};

use crate::domain::meeting::{BookedBy, BookingRequest, Meeting, MeetingStatus};
use crate::domain::slots::{check_booking, BusyTimes};
use crate::http::deps::Deps;
use crate::http::problem::Problem;
use crate::http::request::Ctx;
use crate::http::views::MeetingView;
use crate::http::Response;
use crate::secrets::{self, TokenKind};
use crate::store::{BookingOutcome, IdempotencyRecord, NewBooking};

pub async fn book(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let idempotency_key = idempotency_key(ctx)?;
    let request: BookingRequest = ctx.json()?;
    let page =
        deps.store.booking_page(ctx.param("slug"), true).await?.ok_or_else(|| Problem::not_found("booking page"))?;
    let booking = request.validate(page.default_duration())?;
    let now = deps.clock.now();
    let blocked = check_booking(&page.rules(), &BusyTimes::default(), now, booking.start, booking.duration)?;

    let meeting = Meeting {
        id: secrets::new_id(),
        agent_id: page.agent_id.clone(),
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
        booked_by: BookedBy::Guest,
        created_at: now,
        version: 1,
    };
    let token = secrets::issue(TokenKind::Manage, &page.tenant_id, &meeting.id);
    let idempotency = idempotency_key.map(|key| IdempotencyRecord {
        key_hash: secrets::hash(key),
        fingerprint: fingerprint(&page.slug, &booking),
        meeting_id: meeting.id.clone(),
        sealed_secret: secrets::seal(&token.secret, key),
    });
    let outcome = deps
        .store
        .book(NewBooking {
            tenant_id: page.tenant_id.clone(),
            meeting,
            manage_token_hash: token.hash,
            idempotency,
            guest_cap: Some(page.availability.max_meetings_per_guest),
            now,
        })
        .await?;
    tracing::Span::current().record("tenant", page.tenant_id.as_str());

    let (meeting, manage_token, replayed) = match outcome {
        BookingOutcome::Booked(meeting) => (meeting, token.token, false),
        BookingOutcome::Replayed { meeting, sealed_secret } => {
            let key = idempotency_key.expect("a replay needs a key");
            let secret = secrets::unseal(&sealed_secret, key);
            let token = secrets::compose(TokenKind::Manage, &page.tenant_id, &meeting.id, &secret);
            (meeting, token, true)
        }
    };
    let body = json!({ "meeting": MeetingView::from(&meeting), "manage_token": manage_token });
    let mut response = crate::http::json(201, &body);
    if replayed {
        response.headers_mut().insert("idempotent-replayed", http::HeaderValue::from_static("true"));
    }
    Ok(response)
}

/// `Idempotency-Key`: optional; when sent, 16–255 visible ASCII characters (a UUID is ideal),
/// because it also seals the manage token kept for the replay.
fn idempotency_key(ctx: &Ctx) -> Result<Option<&str>, Problem> {
    let Some(raw) = ctx.headers_raw("idempotency-key") else {
        return Ok(None);
    };
    let key = raw.to_str().ok().filter(|k| (16..=255).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()));
    key.map(Some).ok_or_else(|| Problem::invalid("Idempotency-Key", "16 to 255 visible ASCII characters, e.g. a UUID"))
}

/// What makes two requests "the same booking" for a replay.
fn fingerprint(slug: &str, booking: &crate::domain::meeting::ValidBooking) -> String {
    let canonical = serde_json::to_vec(&(slug, booking)).expect("bookings serialise");
    hex::encode(Sha256::digest(canonical))
}
