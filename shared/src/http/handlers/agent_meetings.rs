//! POST and GET /v1/me/meetings: an agent schedules a meeting for an external person from their
//! own scheduler (B5: every rule but the guest cap), and lists their meetings; GET
//! /v1/me/calendar.ics: the same meetings as a feed a calendar app subscribes to.

use chrono::Duration;
use serde_json::json;

use crate::app::book::{book, Booker, Order, Outcome};
use crate::app::Deps;
use crate::domain::directory::BookingPage;
use crate::domain::meeting::BookingRequest;
use crate::domain::time::{local_date, wall_to_instant, ClockTime, Edge};
use crate::http::auth;
use crate::http::handlers::booking::{booked, idempotency_key};
use crate::http::handlers::slots::date_param;
use crate::http::problem::{Problem, ProblemKind};
use crate::http::request::Ctx;
use crate::http::views::MeetingView;
use crate::http::{json, Response};

const MAX_LIST_DAYS: i64 = 62;
const DEFAULT_LIST_DAYS: i64 = 31;

/// The body is a booking request whose `name` and `email` are the external person's; the booking
/// goes through the agent's own page, without the guest cap (B5).
pub async fn schedule(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let idempotency_key = idempotency_key(ctx)?;
    let caller = auth::agent(deps, ctx).await?;
    let mut request: BookingRequest = ctx.json()?;
    // The external person's language: the one the agent names, else the tenant's default (the
    // agent's browser says nothing about the person's).
    request.language = Some(crate::app::language::of_guest(deps, request.language, None, &caller.tenant_id).await?);
    let page = BookingPage::for_agent(&caller.tenant_id, &caller.agent);
    let order = Order {
        request: request.validate(page.default_duration())?,
        page: &page,
        booker: Booker::Agent { agent_id: &caller.agent.id },
        idempotency_key,
        client: ctx.client(),
    };
    match book(deps, order).await? {
        Outcome::Booked(done) => Ok(booked(*done)),
        Outcome::Held(_) => {
            Err(Problem::new(500, ProblemKind::Internal, "Internal error", "an agent's booking became a hold"))
        }
    }
}

/// `?from=DATE&to=DATE` on the agent's wall clock (default: today and the next 30 days).
pub async fn list(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let caller = auth::agent(deps, ctx).await?;
    let zone = caller.agent.availability.time_zone;
    let from = date_param(ctx, "from")?.unwrap_or_else(|| local_date(zone, deps.clock.now()));
    let to = date_param(ctx, "to")?.unwrap_or(from + Duration::days(DEFAULT_LIST_DAYS - 1));
    if to < from || (to - from).num_days() >= MAX_LIST_DAYS {
        return Err(Problem::invalid("to", format!("on or after `from`, at most {MAX_LIST_DAYS} days in one request")));
    }
    let range = wall_to_instant(zone, from, ClockTime::MIDNIGHT, Edge::Start)
        ..wall_to_instant(zone, to, ClockTime::END_OF_DAY, Edge::Start);
    let meetings = deps.store.agent_meetings(&caller.tenant_id, &caller.agent.id, &range).await?;
    let listed: Vec<_> = meetings
        .iter()
        .filter(|m| m.start >= range.start && m.start < range.end)
        .map(|m| MeetingView::seen_in(m, Some(zone)))
        .collect();
    Ok(json(200, &json!({ "time_zone": zone.name(), "from": from, "to": to, "meetings": listed })))
}

/// Meetings from a month back to two months ahead, as an iCalendar feed. Calendar apps subscribe
/// by URL, so the feed's own read-only token may ride in `?token=` (see `calendar_feed`).
pub async fn feed(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let (tenant_id, agent) = auth::calendar_feed_reader(deps, ctx).await?;
    let now = deps.clock.now();
    let range = (now - Duration::days(31))..(now + Duration::days(62));
    let meetings = deps.store.agent_meetings(&tenant_id, &agent.id, &range).await?;
    let body = crate::mail::ics::feed(&format!("Meetings with {}", agent.name), &meetings, now);
    Ok(http::Response::builder()
        .status(200)
        .header("content-type", "text/calendar; charset=utf-8")
        .body(lambda_http::Body::Text(body))
        .expect("valid response"))
}

/// POST /v1/me/calendar-feed: a new read-only token for the agent's calendar feed, and the URL to
/// subscribe to; any earlier token stops working. DELETE revokes it.
pub async fn issue_feed_token(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let caller = auth::agent(deps, ctx).await?;
    let token = crate::secrets::issue(crate::secrets::TokenKind::CalendarFeed, &caller.tenant_id, &caller.agent.id);
    deps.store.set_calendar_feed_token(&caller.tenant_id, &caller.agent.id, Some(&token.hash)).await?;
    let url = format!("{}/v1/me/calendar.ics?token={}", deps.notifier.links.base(), token.token);
    Ok(json(201, &json!({ "token": token.token, "url": url })))
}

pub async fn revoke_feed_token(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let caller = auth::agent(deps, ctx).await?;
    deps.store.set_calendar_feed_token(&caller.tenant_id, &caller.agent.id, None).await?;
    Ok(crate::http::no_content())
}
