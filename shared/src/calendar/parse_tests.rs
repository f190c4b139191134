//! Feeds shaped like real exports: Google (IANA TZID with VTIMEZONE, RRULE, EXDATE, a moved
//! instance, transparent and cancelled events, an all-day holiday) and Outlook (Windows zone
//! names, DURATION, floating time).

use chrono::{DateTime, Utc};

use super::*;

/// Shared with the integration tests, which serve them over HTTP.
pub const GOOGLE: &str = include_str!("fixtures/google.ics");
pub const OUTLOOK: &str = include_str!("fixtures/outlook.ics");

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
}

fn horizon() -> Interval {
    utc("2027-03-24T00:00:00Z")..utc("2027-04-24T00:00:00Z")
}

fn sorted(mut busy: Vec<Interval>) -> Vec<(String, String)> {
    busy.sort_by_key(|i| i.start);
    busy.iter().map(|i| (i.start.to_rfc3339(), i.end.to_rfc3339())).collect()
}

#[test]
fn a_google_feed_recurs_on_its_own_wall_clock_with_its_exceptions() {
    let busy = sorted(busy_times(GOOGLE, chrono_tz::Europe::Rome, &horizon()).unwrap());
    let want: Vec<(String, String)> = [
        // Monday 29 March, after the DST change: 10:00 Rome is 08:00 UTC.
        ("2027-03-29T08:00:00+00:00", "2027-03-29T09:00:00+00:00"),
        // Good Friday, all day on the agent's wall clock.
        ("2027-04-01T22:00:00+00:00", "2027-04-02T22:00:00+00:00"),
        // 5 April is moved to Tuesday 6 April 15:00–16:00 Rome.
        ("2027-04-06T13:00:00+00:00", "2027-04-06T14:00:00+00:00"),
        // 12 April is an EXDATE; 19 April recurs.
        ("2027-04-19T08:00:00+00:00", "2027-04-19T09:00:00+00:00"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(busy, want, "transparent and cancelled events are not busy");
}

#[test]
fn an_outlook_feed_names_zones_the_windows_way() {
    let busy = sorted(busy_times(OUTLOOK, chrono_tz::Europe::Rome, &horizon()).unwrap());
    assert_eq!(
        busy,
        vec![
            ("2027-03-25T13:00:00+00:00".to_string(), "2027-03-25T14:30:00+00:00".to_string()),
            // A floating time is on the agent's wall clock (Rome, still CET on 26 March).
            ("2027-03-26T08:00:00+00:00".to_string(), "2027-03-26T08:45:00+00:00".to_string()),
        ]
    );
}

#[test]
fn what_is_not_a_calendar_is_an_error_and_durations_parse() {
    assert!(busy_times("hello", chrono_tz::UTC, &horizon()).is_err());
    assert_eq!(iso_duration("PT1H30M"), Some(Duration::minutes(90)));
    assert_eq!(iso_duration("P1DT2H"), Some(Duration::hours(26)));
    assert_eq!(iso_duration("P1W"), Some(Duration::weeks(1)));
    assert_eq!(iso_duration("1H"), None);
}
