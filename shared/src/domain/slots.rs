//! The slot engine (A1–A6): which start times a guest may book, and whether one booking may stand.
//!
//! Listing and the booking check share one candidate generator, so "every listed slot can be
//! booked and nothing unlisted can" (A6) holds by construction; the property test at the bottom
//! checks it anyway. Pure: the clock and the busy times are arguments.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use thiserror::Error;

use super::availability::Availability;
use super::time::{local_date, merge, wall_to_instant, Edge, Interval};

/// Dates (on the agent's wall clock) a booking link allows; `None` leaves that side open (A5).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BookableDates {
    pub first: Option<NaiveDate>,
    pub last: Option<NaiveDate>,
}

impl BookableDates {
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.first.is_none_or(|first| date >= first) && self.last.is_none_or(|last| date <= last)
    }
}

/// What the engine needs to know about the agent and the page the guest came through.
#[derive(Clone, Copy, Debug)]
pub struct SlotRules<'a> {
    pub availability: &'a Availability,
    pub dates: BookableDates,
    /// A booking link may offer fewer durations than the agent allows; `None` means the agent's.
    pub durations: Option<&'a [u16]>,
}

impl<'a> SlotRules<'a> {
    pub fn new(availability: &'a Availability) -> Self {
        Self { availability, dates: BookableDates::default(), durations: None }
    }

    pub fn allowed_durations(&self) -> &[u16] {
        self.durations.unwrap_or(&self.availability.durations)
    }
}

/// Time the agent cannot be booked: meetings' blocked ranges and external calendars' events.
/// Kept sorted and merged so that a lookup is one binary search.
#[derive(Clone, Debug, Default)]
pub struct BusyTimes {
    merged: Vec<Interval>,
}

impl BusyTimes {
    pub fn new(intervals: Vec<Interval>) -> Self {
        Self { merged: merge(intervals) }
    }

    /// True when nothing busy overlaps `interval` (touching at an edge is not overlapping).
    pub fn is_free(&self, interval: &Interval) -> bool {
        // Merged intervals are disjoint and sorted, so their ends are sorted too.
        let first_ending_after = self.merged.partition_point(|busy| busy.end <= interval.start);
        self.merged.get(first_ending_after).is_none_or(|busy| busy.start >= interval.end)
    }

    pub fn intervals(&self) -> &[Interval] {
        &self.merged
    }
}

/// A bookable meeting time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Slot {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// Why a requested time cannot be booked. Each maps to its own problem type.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum Refusal {
    #[error("a meeting of {requested} minutes is not offered; choose one of {allowed:?}")]
    DurationNotAllowed { requested: u16, allowed: Vec<u16> },
    #[error("meetings must be booked at least {minimum_notice} minutes ahead; the earliest start is {earliest}")]
    TooSoon { minimum_notice: u32, earliest: DateTime<Utc> },
    #[error("meetings can be booked at most {window_days} days ahead; the latest start is {latest}")]
    BeyondWindow { window_days: u16, latest: DateTime<Utc> },
    #[error("this booking link does not allow that date")]
    OutsideBookingDates,
    #[error("that time is not one of the agent's slots (outside working hours or not on the slot grid)")]
    OutsideWorkingHours,
    #[error("that time is no longer free")]
    SlotTaken,
}

/// The range a meeting at `start` blocks on the agent's calendar: itself plus the buffers.
pub fn blocked_range(availability: &Availability, start: DateTime<Utc>, duration: u16) -> Interval {
    let before = Duration::minutes(availability.buffer_before.into());
    let after = Duration::minutes(availability.buffer_after.into());
    (start - before)..(start + Duration::minutes(duration.into()) + after)
}

/// Every free slot of `duration` minutes that starts within `range`, in order.
pub fn free_slots(
    rules: &SlotRules,
    busy: &BusyTimes,
    now: DateTime<Utc>,
    duration: u16,
    range: &Interval,
) -> Result<Vec<Slot>, Refusal> {
    check_duration(rules, duration)?;
    let length = Duration::minutes(duration.into());
    Ok(candidates(rules, now, duration, range)
        .into_iter()
        .filter(|start| busy.is_free(&blocked_range(rules.availability, *start, duration)))
        .map(|start| Slot { start, end: start + length })
        .collect())
}

/// Checks a booking of `duration` minutes at `start`; returns the range it will block.
///
/// The refusals are tried from the cheapest to explain to the most specific, but the verdict is
/// always "is `start` a candidate, and is it free": exactly what [`free_slots`] lists.
pub fn check_booking(
    rules: &SlotRules,
    busy: &BusyTimes,
    now: DateTime<Utc>,
    start: DateTime<Utc>,
    duration: u16,
) -> Result<Interval, Refusal> {
    check_duration(rules, duration)?;
    let a = rules.availability;
    let earliest = earliest_start(a, now);
    if start < earliest {
        return Err(Refusal::TooSoon { minimum_notice: a.minimum_notice, earliest });
    }
    let latest = latest_start(a, now);
    if start > latest {
        return Err(Refusal::BeyondWindow { window_days: a.booking_window_days, latest });
    }
    if !rules.dates.contains(local_date(a.time_zone, start)) {
        return Err(Refusal::OutsideBookingDates);
    }
    let just_this = start..start + Duration::seconds(1);
    if !candidates(rules, now, duration, &just_this).contains(&start) {
        return Err(Refusal::OutsideWorkingHours);
    }
    let blocked = blocked_range(a, start, duration);
    if !busy.is_free(&blocked) {
        return Err(Refusal::SlotTaken);
    }
    Ok(blocked)
}

fn check_duration(rules: &SlotRules, duration: u16) -> Result<(), Refusal> {
    let allowed = rules.allowed_durations();
    if allowed.contains(&duration) {
        Ok(())
    } else {
        Err(Refusal::DurationNotAllowed { requested: duration, allowed: allowed.to_vec() })
    }
}

fn earliest_start(a: &Availability, now: DateTime<Utc>) -> DateTime<Utc> {
    now + Duration::minutes(a.minimum_notice.into())
}

/// The last moment a meeting at `start` may still be booked: its start less the minimum notice
/// (the inverse of the earliest start; G10 ends a hold there).
pub fn bookable_until(a: &Availability, start: DateTime<Utc>) -> DateTime<Utc> {
    start - Duration::minutes(a.minimum_notice.into())
}

fn latest_start(a: &Availability, now: DateTime<Utc>) -> DateTime<Utc> {
    now + Duration::days(a.booking_window_days.into())
}

/// Start times in `range` that fall on the slot grid of a working interval, leave room for the
/// whole meeting in the agent's working time, and respect notice, window and link dates. Busy
/// time is not considered here.
///
/// The grid is anchored at the start of each day's own interval and steps in absolute time, so
/// slots stay on the agent's wall-clock marks (09:00, 09:15, …) in :30 and :45 zones, and a day
/// with a skipped or repeated hour has exactly the real minutes it has. Anchoring per interval
/// (not per merged stretch) makes a start's candidacy depend only on its own day, which is what
/// lets the booking check look at one instant and agree with the listing.
fn candidates(rules: &SlotRules, now: DateTime<Utc>, duration: u16, range: &Interval) -> Vec<DateTime<Utc>> {
    let a = rules.availability;
    let lower = range.start.max(earliest_start(a, now));
    let latest = latest_start(a, now);
    if lower >= range.end || lower > latest {
        return Vec::new();
    }
    let upper = range.end.min(latest + Duration::seconds(1));
    let step = Duration::minutes(a.slot_step.into());
    let length = Duration::minutes(duration.into());

    let intervals = day_intervals(rules, lower, upper);
    // Touching intervals (a day ending at 24:00, the next starting at 00:00) form one stretch
    // that a meeting may run across.
    let stretches = merge(intervals.clone());
    let mut starts = Vec::new();
    for interval in intervals.iter().filter(|i| i.end > lower && i.start < upper) {
        let stretch = stretches.partition_point(|s| s.end <= interval.start);
        let stretch_end = stretches[stretch].end;
        let mut k = 0;
        if lower > interval.start {
            // Jump straight to the first grid point at or after `lower`.
            let behind = (lower - interval.start).num_seconds();
            k = (behind + step.num_seconds() - 1) / step.num_seconds();
        }
        loop {
            let start = interval.start + step * k as i32;
            if start >= upper || start >= interval.end || start + length > stretch_end {
                break;
            }
            if rules.dates.contains(local_date(a.time_zone, start)) {
                starts.push(start);
            }
            k += 1;
        }
    }
    starts.sort();
    starts.dedup();
    starts
}

/// The agent's working intervals of every local day around `[from, to)`, as absolute time.
fn day_intervals(rules: &SlotRules, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Interval> {
    let a = rules.availability;
    let zone = a.time_zone;
    // One day of slack each side: a local day's hours can begin or end on the neighbouring UTC day.
    let first_day = local_date(zone, from).pred_opt().unwrap_or(NaiveDate::MIN);
    let last_day = local_date(zone, to).succ_opt().unwrap_or(NaiveDate::MAX);

    let mut intervals: Vec<Interval> = Vec::new();
    for day in first_day.iter_days().take_while(|d| *d <= last_day) {
        if !rules.dates.contains(day) {
            continue;
        }
        for hours in a.intervals_on(day) {
            let start = wall_to_instant(zone, day, hours.start, Edge::Start);
            let end = wall_to_instant(zone, day, hours.end, Edge::End);
            if start < end {
                intervals.push(start..end);
            }
        }
    }
    intervals.sort_by_key(|i| i.start);
    intervals
}

#[cfg(test)]
#[path = "slots_tests.rs"]
pub(crate) mod tests;
