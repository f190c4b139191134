//! POST /v1/book/{slug}/meetings: a guest books a slot through a booking page (B1–B4, G1–G5):
//! 201 with the meeting when it stands, 202 with a hold when the guest must first confirm the code
//! emailed to them (a guest session in `Authorization` proves the address and books at once).

use crate::app::language;
use serde_json::json;

use crate::app::book::{book as book_meeting, Booked, Booker, Held, Order, Outcome};
use crate::app::services_booking::{self, ServiceOrder};
use crate::app::Deps;
use crate::domain::meeting::BookingRequest;
use crate::domain::time::render_utc;
use crate::http::auth;
use crate::http::problem::Problem;
use crate::http::request::Ctx;
use crate::http::views::MeetingView;
use crate::http::Response;
use crate::store::Page;

pub async fn book(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let idempotency_key = idempotency_key(ctx)?;
    let mut request: BookingRequest = ctx.json()?;
    let accept_language = ctx.header("accept-language");
    let page = match super::profile::page(deps, ctx, true).await? {
        Page::Agent(page) => page,
        Page::Service(service) => {
            tracing::Span::current().record("tenant", service.tenant_id.as_str());
            crate::app::book::tenant_bound(deps, &service.tenant_id, deps.clock.now()).await?;
            let language = language::of_guest(deps, request.language, accept_language, &service.tenant_id).await?;
            request.language = Some(language);
            let session = auth::guest_session(deps, ctx, &service.tenant_id).await?;
            let default = service.durations.first().copied().unwrap_or(30);
            let order = ServiceOrder {
                request: request.validate(default)?,
                signed_in_as: session.as_ref().map(|s| s.email.as_str()),
                idempotency_key,
                client: ctx.client(),
            };
            return Ok(match services_booking::book(deps, &service, order).await? {
                Outcome::Booked(done) => booked(*done),
                Outcome::Held(held) => held_response(*held),
            });
        }
    };
    tracing::Span::current().record("tenant", page.tenant_id.as_str());
    crate::app::book::tenant_bound(deps, &page.tenant_id, deps.clock.now()).await?;
    request.language = Some(language::of_guest(deps, request.language, accept_language, &page.tenant_id).await?);
    // A session of another tenant proves nothing here.
    let session = auth::guest_session(deps, ctx, &page.tenant_id).await?;
    let signed_in_as = session.as_ref().map(|s| s.email.as_str());
    let order = Order {
        request: request.validate(page.default_duration())?,
        page: &page,
        booker: Booker::Guest { signed_in_as },
        idempotency_key,
        client: ctx.client(),
    };
    Ok(match book_meeting(deps, order).await? {
        Outcome::Booked(done) => booked(*done),
        Outcome::Held(held) => held_response(*held),
    })
}

/// 201 with the meeting, its manage token and the conversation (the public link's token only in
/// the answer of the booking that opened the conversation), and the session a confirmation opened.
pub fn booked(booked: Booked) -> Response {
    let meeting = &booked.meeting;
    let mut body = json!({
        "meeting": MeetingView::from(meeting),
        "manage_token": booked.manage_token,
        "conversation": { "id": meeting.conversation_id, "link_token": booked.link_token },
    });
    if let Some((token, expires_at)) = &booked.session {
        body["session"] =
            json!({ "token": token, "email": meeting.guest.email, "expires_at": render_utc(*expires_at) });
    }
    let mut response = crate::http::json(201, &body);
    if booked.replayed {
        response.headers_mut().insert("idempotent-replayed", http::HeaderValue::from_static("true"));
    }
    response
}

/// 202 with the hold: where the code went and until when it can be confirmed. Nothing of the
/// guest's other meetings or conversations is in it.
fn held_response(held: Held) -> Response {
    let hold = &held.hold;
    let body = json!({
        "hold": {
            "id": held.id,
            "email": hold.request.guest.email,
            "start": render_utc(hold.request.start),
            "duration": hold.request.duration,
            "expires_at": render_utc(chrono::DateTime::from_timestamp(hold.challenge.expires_at, 0).unwrap_or_default()),
        }
    });
    let mut response = crate::http::json(202, &body);
    if held.replayed {
        response.headers_mut().insert("idempotent-replayed", http::HeaderValue::from_static("true"));
    }
    response
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
