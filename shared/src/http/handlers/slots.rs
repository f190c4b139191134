//! GET /v1/book/{slug}/slots?from=DATE&to=DATE&duration=MIN&time_zone=ZONE: free slots (A1–A7).
//!
//! Two reads: the slug's booking page (settings snapshot) and the agent's calendar spans.

use chrono::{Duration, NaiveDate};
use chrono_tz::Tz;
use serde_json::json;

use crate::app::Deps;
use crate::domain::availability::{parse_zone, MAX_BLOCKED_MINUTES};
use crate::domain::slots::{free_slots, BusyTimes};
use crate::domain::time::{local_date, wall_to_instant, ClockTime, Edge};
use crate::http::problem::Problem;
use crate::http::request::Ctx;
use crate::http::views::SlotView;
use crate::http::{json, Response};

/// A calendar month view shows six weeks; more than that in one call is refused.
pub const MAX_RANGE_DAYS: i64 = 42;
const DEFAULT_RANGE_DAYS: i64 = 7;

pub async fn list(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let guest_zone: Option<Tz> = match ctx.query("time_zone") {
        Some(name) => Some(
            parse_zone(name)
                .ok_or_else(|| Problem::invalid("time_zone", format!("`{name}` is not an IANA time zone")))?,
        ),
        None => None,
    };
    let from = date_param(ctx, "from")?;
    let to = date_param(ctx, "to")?;
    let duration = match ctx.query("duration") {
        Some(text) => Some(text.parse::<u16>().map_err(|_| Problem::invalid("duration", "minutes as a whole number"))?),
        None => None,
    };

    let page = deps.store.booking_page(ctx.slug()?, false).await?.ok_or_else(|| Problem::not_found("booking page"))?;
    let zone = guest_zone.unwrap_or(page.availability.time_zone);
    let now = deps.clock.now();
    let from = from.unwrap_or_else(|| local_date(zone, now));
    let to = to.unwrap_or(from + Duration::days(DEFAULT_RANGE_DAYS - 1));
    if to < from {
        return Err(Problem::invalid("to", "must not be before `from`"));
    }
    if (to - from).num_days() >= MAX_RANGE_DAYS {
        return Err(Problem::invalid("to", format!("at most {MAX_RANGE_DAYS} days in one request")));
    }
    let duration = duration.unwrap_or_else(|| page.default_duration());

    // The dates are the viewer's: midnight to midnight on their wall clock.
    let range = wall_to_instant(zone, from, ClockTime::MIDNIGHT, Edge::Start)
        ..wall_to_instant(zone, to, ClockTime::END_OF_DAY, Edge::Start);
    let rules = page.rules();
    let window_end = now + Duration::days(page.availability.booking_window_days.into());
    let (busy, calendars) = if range.end <= now || range.start > window_end {
        // Nothing there can be booked: answer without reading the calendar.
        (BusyTimes::default(), Vec::new())
    } else {
        let reach = Duration::minutes(MAX_BLOCKED_MINUTES.into());
        let around = (range.start - reach)..(range.end + reach);
        // Meetings and connected calendars are read side by side (the latter only if any).
        let reader = deps.calendars();
        let (spans, external) = tokio::join!(
            deps.store.busy_spans(&page.tenant_id, &page.agent_id, &around),
            reader.busy(&page.tenant_id, &page.agent_id, &page.calendars, page.availability.time_zone, now, true)
        );
        let (external, calendars) = external?;
        (BusyTimes::new(spans?.into_iter().chain(external).collect()), calendars)
    };
    let slots = free_slots(&rules, &busy, now, duration, &range)?;
    Ok(json(
        200,
        &json!({
            "slug": page.slug,
            "time_zone": zone.name(),
            "duration": duration,
            "from": from,
            "to": to,
            "slots": slots.iter().map(|s| SlotView::new(s.start, s.end, guest_zone)).collect::<Vec<_>>(),
            // Which connected calendars were read, and whether any is showing its last good copy.
            "calendars": calendars,
        }),
    ))
}

pub fn date_param(ctx: &Ctx, name: &str) -> Result<Option<NaiveDate>, Problem> {
    match ctx.query(name) {
        None => Ok(None),
        Some(text) => match text.parse::<NaiveDate>() {
            Ok(date) if (1970..=9000).contains(&chrono::Datelike::year(&date)) => Ok(Some(date)),
            _ => Err(Problem::invalid(name, "a date as YYYY-MM-DD")),
        },
    }
}
