//! An iCalendar feed (the private "iCal address" Google Calendar and Outlook publish) → the busy
//! time it holds over a horizon (A3). The parsing is the `icalendar` crate's, the recurrence
//! expansion the `rrule` crate's; this file decides what counts as busy:
//!
//! - TRANSP:TRANSPARENT and STATUS:CANCELLED events are not busy;
//! - RRULE occurrences, minus EXDATEs, minus instances a RECURRENCE-ID override replaces (the
//!   override is an event of its own, busy or not);
//! - TZID by IANA name, Windows name or VTIMEZONE `X-LIC-LOCATION`; UTC times as they are;
//!   floating times and all-day dates on the agent's wall clock.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use icalendar::parser::{Component, Property};
use thiserror::Error;

use super::zones;
use crate::domain::time::{wall_to_instant, ClockTime, Edge, Interval};

/// Events past this many are ignored, and a rule yields at most this many occurrences: a feed
/// is someone else's file, and it must not cost us without bound.
const MAX_EVENTS: usize = 20_000;
const MAX_OCCURRENCES: u16 = 2_000;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum FeedError {
    #[error("not an iCalendar feed: {0}")]
    Malformed(String),
}

/// A date or time as a feed writes it.
#[derive(Clone, Copy, Debug, PartialEq)]
enum When {
    Date(NaiveDate),
    Utc(DateTime<Utc>),
    /// Wall-clock time in a zone (the agent's, when the feed gave none).
    Local(NaiveDateTime, Tz),
}

impl When {
    fn instant(self, agent_zone: Tz) -> DateTime<Utc> {
        match self {
            When::Utc(at) => at,
            When::Local(naive, zone) => on_wall_clock(zone, naive),
            When::Date(date) => wall_to_instant(agent_zone, date, ClockTime::MIDNIGHT, Edge::Start),
        }
    }
}

fn on_wall_clock(zone: Tz, naive: NaiveDateTime) -> DateTime<Utc> {
    let minutes = (naive.hour() * 60 + naive.minute()) as u16;
    wall_to_instant(zone, naive.date(), ClockTime::from_minutes(minutes).unwrap_or(ClockTime::MIDNIGHT), Edge::Start)
        + Duration::seconds(naive.second().into())
}

struct Event {
    uid: String,
    start: When,
    end: Option<When>,
    duration: Option<Duration>,
    rule: Option<String>,
    exdates: Vec<When>,
    recurrence_id: Option<When>,
    busy: bool,
}

/// The busy intervals of `text` that overlap `horizon` (unmerged; `BusyTimes` merges).
pub fn busy_times(text: &str, agent_zone: Tz, horizon: &Interval) -> Result<Vec<Interval>, FeedError> {
    let unfolded = icalendar::parser::unfold(text);
    let calendar = icalendar::parser::read_calendar(&unfolded).map_err(|e| FeedError::Malformed(first_line(&e)))?;
    let components = flatten(&calendar.components);
    let zones = declared_zones(&components);
    let events: Vec<Event> = components
        .iter()
        .filter(|c| c.name.as_str() == "VEVENT")
        .take(MAX_EVENTS)
        .filter_map(|c| read_event(c, &zones, agent_zone))
        .collect();

    // Instances that an override (RECURRENCE-ID) replaces, by UID and original start.
    let replaced: HashSet<(String, DateTime<Utc>)> =
        events.iter().filter_map(|e| e.recurrence_id.map(|id| (e.uid.clone(), id.instant(agent_zone)))).collect();

    let mut busy = Vec::new();
    for event in events.iter().filter(|e| e.busy) {
        let length = length_of(event, agent_zone);
        match &event.rule {
            Some(rule) if event.recurrence_id.is_none() => {
                for start in occurrences(event, rule, length, agent_zone, horizon) {
                    if !replaced.contains(&(event.uid.clone(), start)) {
                        push(&mut busy, start, start + length, horizon);
                    }
                }
            }
            _ => {
                let start = event.start.instant(agent_zone);
                let end = match (event.end, event.start) {
                    (Some(end), _) => end.instant(agent_zone),
                    _ => start + length,
                };
                push(&mut busy, start, end, horizon);
            }
        }
    }
    Ok(busy)
}

fn push(busy: &mut Vec<Interval>, start: DateTime<Utc>, end: DateTime<Utc>, horizon: &Interval) {
    if start < end && end > horizon.start && start < horizon.end {
        busy.push(start..end);
    }
}

/// VCALENDAR wraps the rest; some exporters nest further. Everything, one level.
fn flatten<'a>(components: &'a [Component<'a>]) -> Vec<&'a Component<'a>> {
    let mut all = Vec::new();
    for c in components {
        all.push(c);
        all.extend(flatten(&c.components));
    }
    all
}

fn declared_zones(components: &[&Component]) -> HashMap<String, Tz> {
    components
        .iter()
        .filter(|c| c.name.as_str() == "VTIMEZONE")
        .filter_map(|c| {
            let tzid = value(c, "TZID")?;
            let location = value(c, "X-LIC-LOCATION");
            zones::resolve(tzid, location).map(|zone| (tzid.to_string(), zone))
        })
        .collect()
}

fn value<'a>(component: &'a Component, name: &str) -> Option<&'a str> {
    property(component, name).map(|p| p.val.as_str())
}

fn property<'a>(component: &'a Component, name: &str) -> Option<&'a Property<'a>> {
    component.properties.iter().find(|p| p.name.as_str().eq_ignore_ascii_case(name))
}

fn param<'a>(property: &'a Property, name: &str) -> Option<&'a str> {
    property
        .params
        .iter()
        .find(|p| p.key.as_str().eq_ignore_ascii_case(name))
        .and_then(|p| p.val.as_ref())
        .map(|v| v.as_str())
}

fn read_event(c: &Component, zones: &HashMap<String, Tz>, agent_zone: Tz) -> Option<Event> {
    let start = when(property(c, "DTSTART")?, zones, agent_zone).into_iter().next()?;
    let transparent = value(c, "TRANSP").is_some_and(|t| t.eq_ignore_ascii_case("TRANSPARENT"));
    let cancelled = value(c, "STATUS").is_some_and(|s| s.eq_ignore_ascii_case("CANCELLED"));
    Some(Event {
        uid: value(c, "UID").unwrap_or_default().to_string(),
        start,
        end: property(c, "DTEND").and_then(|p| when(p, zones, agent_zone).into_iter().next()),
        duration: value(c, "DURATION").and_then(iso_duration),
        rule: value(c, "RRULE").map(str::to_string),
        exdates: c
            .properties
            .iter()
            .filter(|p| p.name.as_str().eq_ignore_ascii_case("EXDATE"))
            .flat_map(|p| when(p, zones, agent_zone))
            .collect(),
        recurrence_id: property(c, "RECURRENCE-ID").and_then(|p| when(p, zones, agent_zone).into_iter().next()),
        busy: !transparent && !cancelled,
    })
}

/// A DATE or DATE-TIME property (EXDATE may list several, comma-separated).
fn when(p: &Property, zones: &HashMap<String, Tz>, agent_zone: Tz) -> Vec<When> {
    let is_date = param(p, "VALUE").is_some_and(|v| v.eq_ignore_ascii_case("DATE"));
    let zone = param(p, "TZID").and_then(|tzid| zones.get(tzid).copied().or_else(|| zones::resolve(tzid, None)));
    p.val
        .as_str()
        .split(',')
        .filter_map(|text| {
            let text = text.trim();
            if is_date || text.len() == 8 {
                return NaiveDate::parse_from_str(text, "%Y%m%d").ok().map(When::Date);
            }
            if let Some(utc) = text.strip_suffix('Z') {
                return NaiveDateTime::parse_from_str(utc, "%Y%m%dT%H%M%S")
                    .ok()
                    .map(|n| When::Utc(Utc.from_utc_datetime(&n)));
            }
            let naive = NaiveDateTime::parse_from_str(text, "%Y%m%dT%H%M%S").ok()?;
            Some(When::Local(naive, zone.unwrap_or(agent_zone)))
        })
        .collect()
}

/// How long each occurrence lasts: DTEND − DTSTART, else DURATION, else a day for a date.
fn length_of(event: &Event, agent_zone: Tz) -> Duration {
    match (event.start, event.end, event.duration) {
        (When::Date(start), Some(When::Date(end)), _) => Duration::days((end - start).num_days().max(1)),
        (_, Some(end), _) => end.instant(agent_zone) - event.start.instant(agent_zone),
        (_, None, Some(duration)) => duration,
        (When::Date(_), None, None) => Duration::days(1),
        _ => Duration::zero(),
    }
}

/// Occurrence starts of a recurring event that can reach into the horizon.
fn occurrences(event: &Event, rule: &str, length: Duration, agent_zone: Tz, horizon: &Interval) -> Vec<DateTime<Utc>> {
    // The rule runs on the event's own wall clock, so a weekly 10:00 stays at 10:00 across DST.
    let (zone, naive) = match event.start {
        When::Utc(at) => (chrono_tz::UTC, at.naive_utc()),
        When::Local(naive, zone) => (zone, naive),
        When::Date(date) => (agent_zone, date.and_hms_opt(0, 0, 0).expect("midnight")),
    };
    let rzone = rrule::Tz::from(zone);
    let Some(start) = rzone.from_local_datetime(&naive).earliest() else {
        return Vec::new();
    };
    let Ok(unvalidated) = rule.parse::<rrule::RRule<rrule::Unvalidated>>() else {
        tracing::debug!(rule, "unreadable RRULE skipped");
        return Vec::new();
    };
    let Ok(mut set) = unvalidated.build(start) else {
        return Vec::new();
    };
    for exdate in &event.exdates {
        let at = exdate.instant(agent_zone).with_timezone(&rzone);
        set = set.exdate(at);
    }
    let from = (horizon.start - length - Duration::seconds(1)).with_timezone(&rzone);
    let to = horizon.end.with_timezone(&rzone);
    set.after(from).before(to).all(MAX_OCCURRENCES).dates.into_iter().map(|d| d.with_timezone(&Utc)).collect()
}

/// `P1W`, `P2D`, `PT1H30M`, `P1DT2H`: the forms DURATION takes in practice.
fn iso_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let body = text.strip_prefix('P')?;
    let mut total = Duration::zero();
    let mut number = String::new();
    let mut in_time = false;
    for c in body.chars() {
        match c {
            '0'..='9' => number.push(c),
            'T' => in_time = true,
            unit => {
                let n: i64 = number.parse().ok()?;
                number.clear();
                total += match (unit, in_time) {
                    ('W', false) => Duration::weeks(n),
                    ('D', false) => Duration::days(n),
                    ('H', true) => Duration::hours(n),
                    ('M', true) => Duration::minutes(n),
                    ('S', true) => Duration::seconds(n),
                    _ => return None,
                };
            }
        }
    }
    Some(if negative { -total } else { total })
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or("").chars().take(200).collect()
}

#[cfg(test)]
#[path = "parse_tests.rs"]
mod tests;
