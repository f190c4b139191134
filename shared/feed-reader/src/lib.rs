//! An iCalendar feed (the private "iCal address" Google Calendar and Outlook publish) → the busy
//! time it holds over a horizon (rule A3).
//!
//! A feed is a file someone else wrote, fetched from a host someone else runs, so reading it may
//! cost only a bounded amount of anything, whatever it contains:
//!
//! - no recursion: components are read in one pass with a depth limit ([`lines`]);
//! - one budget of work, busy intervals and wall-clock time for the whole feed ([`budget`]);
//! - recurrence rules advanced arithmetically to the horizon, never stepped from 1970 ([`recur`]);
//! - checked date arithmetic everywhere: no value can panic ([`values`]).
//!
//! What counts as busy: TRANSP:TRANSPARENT and STATUS:CANCELLED events are free; a recurring
//! event is busy at each occurrence minus its EXDATEs and minus the instances a RECURRENCE-ID
//! override replaces (the override is an event of its own); TZIDs by IANA name, Windows name or
//! VTIMEZONE `X-LIC-LOCATION`; UTC times as they are; floating times and all-day dates on the
//! agent's wall clock.

pub mod budget;
pub mod lines;
pub mod recur;
pub mod values;
pub mod zones;

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use thiserror::Error;

pub use budget::Limits;
use budget::Meter;
use lines::Component;
use recur::{Rule, Until};
use values::{parse_duration, whens, When};

/// A half-open span of absolute time.
pub type Interval = Range<DateTime<Utc>>;

/// Why a feed could not be read. Every variant is the feed's fault, and is reported as such.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum FeedError {
    #[error("not a readable iCalendar feed: {0}")]
    Malformed(String),
    #[error("the feed is too large or too complex: {0}")]
    TooLarge(String),
    #[error("reading the feed took longer than allowed")]
    TimedOut,
}

/// How long each occurrence lasts: whole days on the wall clock for all-day events (so a day
/// stays a day across a daylight-saving change), an exact length otherwise.
#[derive(Clone, Copy, Debug)]
enum Length {
    Days(i64),
    Exact(Duration),
}

struct Event {
    uid: String,
    start: When,
    length: Length,
    rule: Option<Rule>,
    exdates: Vec<When>,
    recurrence_id: Option<When>,
    busy: bool,
}

/// The stretch of time the service reads a feed for, from `now`: a day back (an event under
/// way) to past the longest booking window, with a margin.
pub fn horizon(now: DateTime<Utc>) -> Interval {
    (now - Duration::days(1))..(now + Duration::days(62))
}

/// What the fuzz target and the regression test run: any bytes as a feed, read the way the
/// service reads one (Europe/Rome, a fixed "now", the default limits), with the promises every
/// answer keeps checked. A panic here is a bug, whatever the input.
#[doc(hidden)]
pub fn read_any(bytes: &[u8]) -> Result<Vec<Interval>, FeedError> {
    let text = String::from_utf8_lossy(bytes);
    let now = DateTime::<Utc>::from_timestamp(1_805_184_000, 0).expect("2027-03-15");
    let horizon = horizon(now);
    let limits = Limits::default();
    let busy = busy_times(&text, chrono_tz::Europe::Rome, &horizon, &limits)?;
    assert!(busy.len() <= limits.max_busy, "{} busy intervals", busy.len());
    assert!(busy.iter().all(|i| i.start < i.end && i.end > horizon.start && i.start < horizon.end));
    Ok(busy)
}

/// The busy intervals of `text` that overlap `horizon` (unmerged), or why it cannot be read.
pub fn busy_times(text: &str, agent_zone: Tz, horizon: &Interval, limits: &Limits) -> Result<Vec<Interval>, FeedError> {
    let mut meter = Meter::new(limits);
    let unfolded = lines::unfold(text);
    let components = lines::components(&unfolded, &mut meter)?;
    let zones = declared_zones(&components);
    let mut events = Vec::new();
    for c in components.iter().filter(|c| c.is("VEVENT")) {
        if events.len() >= limits.max_events {
            return Err(FeedError::TooLarge(format!("more than {} events", limits.max_events)));
        }
        meter.step()?;
        if let Some(event) = read_event(c, &zones, agent_zone) {
            events.push(event);
        }
    }

    // Instances that an override (RECURRENCE-ID) replaces, by UID and original start.
    let replaced: HashSet<(&str, DateTime<Utc>)> =
        events.iter().filter_map(|e| Some((e.uid.as_str(), e.recurrence_id?.instant(agent_zone)?))).collect();

    let mut busy = Vec::new();
    for event in events.iter().filter(|e| e.busy) {
        match &event.rule {
            Some(rule) if event.recurrence_id.is_none() => {
                for occurrence in occurrences(event, rule, agent_zone, horizon, &mut meter)? {
                    if !replaced.contains(&(event.uid.as_str(), occurrence.start)) {
                        // Counted against the busy budget as it was expanded.
                        push(&mut busy, occurrence.start, occurrence.end, horizon, None)?;
                    }
                }
            }
            _ => {
                if let Some((start, end)) = span(event.start, event.length, agent_zone) {
                    push(&mut busy, start, end, horizon, Some(&mut meter))?;
                }
            }
        }
    }
    Ok(busy)
}

/// Keeps a busy period that overlaps the horizon, counting it against the busy budget unless it
/// was counted already (`meter` is `None`).
fn push(
    busy: &mut Vec<Interval>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    horizon: &Interval,
    meter: Option<&mut Meter>,
) -> Result<(), FeedError> {
    if start < end && end > horizon.start && start < horizon.end {
        if let Some(meter) = meter {
            meter.busy()?;
        }
        busy.push(start..end);
    }
    Ok(())
}

/// Start and end of one occurrence beginning at `start`; `None` when either falls off the calendar.
fn span(start: When, length: Length, agent_zone: Tz) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let begin = start.instant(agent_zone)?;
    let end = match (length, start) {
        (Length::Days(days), When::Date(date)) => {
            When::Date(date.checked_add_signed(Duration::try_days(days)?)?).instant(agent_zone)?
        }
        (Length::Days(days), _) => begin.checked_add_signed(Duration::try_days(days)?)?,
        (Length::Exact(length), _) => begin.checked_add_signed(length)?,
    };
    Some((begin, end))
}

/// Time zones the feed declares in VTIMEZONE blocks, by their TZID.
fn declared_zones(components: &[Component]) -> HashMap<String, Tz> {
    components
        .iter()
        .filter(|c| c.is("VTIMEZONE"))
        .take(1000)
        .filter_map(|c| {
            let tzid = c.value("TZID")?;
            zones::resolve(tzid, c.value("X-LIC-LOCATION")).map(|zone| (tzid.to_string(), zone))
        })
        .collect()
}

fn read_event(c: &Component, zones: &HashMap<String, Tz>, agent_zone: Tz) -> Option<Event> {
    let first = |name: &str| c.property(name).and_then(|p| whens(p, zones, agent_zone).into_iter().next());
    let start = first("DTSTART")?;
    let end = first("DTEND");
    let transparent = c.value("TRANSP").is_some_and(|t| t.trim().eq_ignore_ascii_case("TRANSPARENT"));
    let cancelled = c.value("STATUS").is_some_and(|s| s.trim().eq_ignore_ascii_case("CANCELLED"));
    let length = match (start, end, c.value("DURATION").and_then(parse_duration)) {
        (When::Date(from), Some(When::Date(to)), _) => Length::Days(to.signed_duration_since(from).num_days().max(1)),
        (_, Some(end), _) => Length::Exact(end.instant(agent_zone)?.signed_duration_since(start.instant(agent_zone)?)),
        (When::Date(_), None, Some(d)) if d.num_seconds() % 86_400 == 0 => Length::Days(d.num_days()),
        (_, None, Some(duration)) => Length::Exact(duration),
        (When::Date(_), None, None) => Length::Days(1),
        _ => Length::Exact(Duration::zero()),
    };
    Some(Event {
        uid: c.value("UID").unwrap_or_default().to_string(),
        start,
        length,
        // An unreadable rule leaves the event as its first occurrence.
        rule: c.value("RRULE").and_then(Rule::parse),
        exdates: c
            .properties
            .iter()
            .filter(|p| p.is("EXDATE"))
            .take(1000)
            .flat_map(|p| whens(p, zones, agent_zone))
            .collect(),
        recurrence_id: c.property("RECURRENCE-ID").and_then(|p| whens(p, zones, agent_zone).into_iter().next()),
        busy: !transparent && !cancelled,
    })
}

/// Each occurrence of a recurring event that can reach into the horizon.
fn occurrences(
    event: &Event,
    rule: &Rule,
    agent_zone: Tz,
    horizon: &Interval,
    meter: &mut Meter,
) -> Result<Vec<Interval>, FeedError> {
    // The rule runs on the event's own wall clock, so a weekly 10:00 stays at 10:00 across DST.
    let (zone, start) = event.start.wall_clock(agent_zone);
    let reach = match event.length {
        Length::Days(days) => Duration::try_days(days),
        Length::Exact(length) => Some(length),
    };
    // Occurrences start before the horizon's end and end after its start; a day of slack each
    // side covers the gap between this wall clock and UTC.
    let slack = Duration::days(1);
    let wall = |at: DateTime<Utc>| at.with_timezone(&zone).naive_local();
    let Some(from) =
        reach.and_then(|r| wall(horizon.start).checked_sub_signed(r.max(Duration::zero()))?.checked_sub_signed(slack))
    else {
        return Ok(Vec::new());
    };
    let Some(to) = wall(horizon.end).checked_add_signed(slack) else {
        return Ok(Vec::new());
    };
    let until = rule.until.map(|until| match until {
        Until::Wall(at) => at,
        Until::Utc(at) => DateTime::<Utc>::from_naive_utc_and_offset(at, Utc).with_timezone(&zone).naive_local(),
    });
    let excluded: HashSet<DateTime<Utc>> = event.exdates.iter().filter_map(|w| w.instant(agent_zone)).collect();
    let excluded_days: HashSet<NaiveDate> =
        event.exdates.iter().filter_map(|w| if let When::Date(d) = w { Some(*d) } else { None }).collect();

    let mut out = Vec::new();
    for naive in recur::expand(rule, start, from, to, until, meter)? {
        let at = match event.start {
            When::Date(_) => When::Date(naive.date()),
            When::Utc(_) => When::Utc(DateTime::<Utc>::from_naive_utc_and_offset(naive, Utc)),
            When::Local(_, zone) => When::Local(naive, zone),
        };
        let Some((begin, end)) = span(at, event.length, agent_zone) else {
            continue;
        };
        if excluded.contains(&begin) || excluded_days.contains(&naive.date()) {
            continue;
        }
        out.push(begin..end);
    }
    Ok(out)
}

#[cfg(test)]
#[path = "lib_tests.rs"]
mod tests;
