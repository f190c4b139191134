//! POST /v1/book/{slug}/meetings: a guest books a slot through a booking page (B1–B4).

use serde_json::json;

use crate::app::book::{book as book_meeting, Booked, Order};
use crate::app::Deps;
use crate::domain::conversation::Author;
use crate::domain::meeting::{BookedBy, BookingRequest};
use crate::http::problem::Problem;
use crate::http::request::Ctx;
use crate::http::views::MeetingView;
use crate::http::Response;

pub async fn book(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let idempotency_key = idempotency_key(ctx)?;
    let request: BookingRequest = ctx.json()?;
    let page = deps.store.booking_page(ctx.slug()?, true).await?.ok_or_else(|| Problem::not_found("booking page"))?;
    tracing::Span::current().record("tenant", page.tenant_id.as_str());
    let order = Order {
        request: request.validate(page.default_duration())?,
        guest_cap: Some(page.availability.max_meetings_per_guest),
        page: &page,
        booked_by: BookedBy::Guest,
        author: Author::Guest,
        idempotency_key,
    };
    Ok(booked(book_meeting(deps, order).await?))
}

/// 201 with the meeting, its manage token and the conversation (the public link's token only in
/// the answer of the booking that opened the conversation).
pub fn booked(booked: Booked) -> Response {
    let meeting = &booked.meeting;
    let body = json!({
        "meeting": MeetingView::from(meeting),
        "manage_token": booked.manage_token,
        "conversation": { "id": meeting.conversation_id, "link_token": booked.link_token },
    });
    let mut response = crate::http::json(201, &body);
    if booked.replayed {
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
