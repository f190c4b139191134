//! Looking up free slots (A1–A7): the dates are the viewer's (midnight to midnight on their wall
//! clock); the slot engine lists starts on the agent's rules and the page's limits, against the
//! agent's meetings and the connected calendars' busy time (refreshed when stale, within a bounded
//! wait), read side by side.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use thiserror::Error;

use super::Deps;
use crate::domain::availability::MAX_BLOCKED_MINUTES;
use crate::domain::directory::BookingPage;
use crate::domain::slots::{free_slots, BusyTimes, Refusal, Slot};
use crate::domain::time::{local_date, wall_to_instant, ClockTime, Edge};
use crate::feeds::busy::CalendarStatus;
use crate::store::StoreError;

/// A calendar month view shows six weeks; more than that in one call is refused.
pub const MAX_RANGE_DAYS: i64 = 42;
const DEFAULT_RANGE_DAYS: i64 = 7;

/// A lookup as asked for; what is left out takes its default.
pub struct Query {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub duration: Option<u16>,
    /// The viewer's zone; the agent's when not given.
    pub time_zone: Option<Tz>,
}

pub struct Lookup {
    pub time_zone: Tz,
    pub duration: u16,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub slots: Vec<Slot>,
    /// Which connected calendars were read, and whether any is showing its last good copy.
    pub calendars: Vec<CalendarStatus>,
}

#[derive(Debug, Error)]
pub enum LookupError {
    #[error("`to` must not be before `from`")]
    Reversed,
    #[error("at most {MAX_RANGE_DAYS} days in one request")]
    TooLong,
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The days a lookup covers, on `zone`'s calendar: those asked for, else a week from today; at
/// most [`MAX_RANGE_DAYS`], in order.
pub(super) fn dates(query: &Query, zone: Tz, now: DateTime<Utc>) -> Result<(NaiveDate, NaiveDate), LookupError> {
    let from = query.from.unwrap_or_else(|| local_date(zone, now));
    let to = query.to.unwrap_or(from + Duration::days(DEFAULT_RANGE_DAYS - 1));
    if to < from {
        return Err(LookupError::Reversed);
    }
    if (to - from).num_days() >= MAX_RANGE_DAYS {
        return Err(LookupError::TooLong);
    }
    Ok((from, to))
}

pub async fn lookup(deps: &Deps, page: &BookingPage, query: Query) -> Result<Lookup, LookupError> {
    let now = deps.clock.now();
    let zone = query.time_zone.unwrap_or(page.availability.time_zone);
    let (from, to) = dates(&query, zone, now)?;
    let duration = query.duration.unwrap_or_else(|| page.default_duration());
    let range = wall_to_instant(zone, from, ClockTime::MIDNIGHT, Edge::Start)
        ..wall_to_instant(zone, to, ClockTime::END_OF_DAY, Edge::Start);
    let (busy, calendars) = busy_around(deps, page, &range, now).await?;
    let slots = free_slots(&page.rules(), &busy, now, duration, &range)?;
    Ok(Lookup { time_zone: zone, duration, from, to, slots, calendars })
}

/// The agent's meetings and connected calendars around `range`, read side by side (the latter
/// only if any); nothing at all when nothing in the range can be booked.
pub(crate) async fn busy_around(
    deps: &Deps,
    page: &BookingPage,
    range: &std::ops::Range<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(BusyTimes, Vec<CalendarStatus>), StoreError> {
    let window_end = now + Duration::days(page.availability.booking_window_days.into());
    if range.end <= now || range.start > window_end {
        return Ok((BusyTimes::default(), Vec::new()));
    }
    let reach = Duration::minutes(MAX_BLOCKED_MINUTES.into());
    let around = (range.start - reach)..(range.end + reach);
    let reader = deps.calendars();
    let zone = page.availability.time_zone;
    let (spans, external) = tokio::join!(
        deps.store.busy_spans(&page.tenant_id, &page.agent_id, &around, now),
        reader.busy(&page.tenant_id, &page.agent_id, &page.calendars, zone, now, true)
    );
    let (external, calendars) = external?;
    Ok((BusyTimes::new(spans?.into_iter().chain(external).collect()), calendars))
}
