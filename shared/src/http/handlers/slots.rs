//! GET /v1/book/{slug}/slots?from=DATE&to=DATE&duration=MIN&time_zone=ZONE: free slots (A1–A7).
//!
//! Two reads: the slug's booking page (settings snapshot) and the agent's calendar spans (with
//! the connected calendars' copies beside them when there are any).

use chrono::NaiveDate;
use serde_json::json;

use crate::app::services_booking;
use crate::app::slots::{lookup, LookupError, Query, MAX_RANGE_DAYS};
use crate::app::Deps;
use crate::domain::availability::parse_zone;
use crate::http::problem::Problem;
use crate::http::request::Ctx;
use crate::http::views::SlotView;
use crate::http::{json, Response};
use crate::store::Page;

pub async fn list(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let time_zone = match ctx.query("time_zone") {
        Some(name) => Some(
            parse_zone(name)
                .ok_or_else(|| Problem::invalid("time_zone", format!("`{name}` is not an IANA time zone")))?,
        ),
        None => None,
    };
    let duration = match ctx.query("duration") {
        Some(text) => Some(text.parse::<u16>().map_err(|_| Problem::invalid("duration", "minutes as a whole number"))?),
        None => None,
    };
    let query = Query { from: date_param(ctx, "from")?, to: date_param(ctx, "to")?, duration, time_zone };
    let page = match super::profile::page(deps, ctx, false).await? {
        Page::Agent(page) => page,
        Page::Service(service) => {
            let found = services_booking::lookup(deps, &service, query).await.map_err(refused)?;
            return Ok(json(
                200,
                &json!({
                    "slug": service.slug,
                    "time_zone": found.time_zone.name(),
                    "duration": found.duration,
                    "from": found.from,
                    "to": found.to,
                    "slots": found.slots.iter().map(|s| SlotView::new(s.start, s.end, time_zone)).collect::<Vec<_>>(),
                    // The members' calendars are theirs: a service's page says nothing of them.
                    "calendars": [],
                }),
            ));
        }
    };
    let found = lookup(deps, &page, query).await.map_err(refused)?;
    Ok(json(
        200,
        &json!({
            "slug": page.slug,
            "time_zone": found.time_zone.name(),
            "duration": found.duration,
            "from": found.from,
            "to": found.to,
            "slots": found.slots.iter().map(|s| SlotView::new(s.start, s.end, time_zone)).collect::<Vec<_>>(),
            "calendars": found.calendars,
        }),
    ))
}

fn refused(err: LookupError) -> Problem {
    match err {
        LookupError::Reversed => Problem::invalid("to", "must not be before `from`"),
        LookupError::TooLong => Problem::invalid("to", format!("at most {MAX_RANGE_DAYS} days in one request")),
        LookupError::Refused(refusal) => refusal.into(),
        LookupError::Store(err) => err.into(),
    }
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
