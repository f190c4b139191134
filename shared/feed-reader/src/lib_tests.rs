//! Feeds shaped like real exports (Google: IANA TZID with VTIMEZONE, RRULE, EXDATE, a moved
//! instance, transparent and cancelled events, an all-day holiday; Outlook: Windows zone names,
//! DURATION, floating time), and feeds shaped to hurt.

use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Utc};

use super::*;

const GOOGLE: &str = include_str!("../tests/fixtures/google.ics");
const OUTLOOK: &str = include_str!("../tests/fixtures/outlook.ics");

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
}

fn horizon() -> Interval {
    utc("2027-03-24T00:00:00Z")..utc("2027-04-24T00:00:00Z")
}

fn read(text: &str) -> Result<Vec<Interval>, FeedError> {
    busy_times(text, chrono_tz::Europe::Rome, &horizon(), &Limits::default())
}

fn sorted(mut busy: Vec<Interval>) -> Vec<(String, String)> {
    busy.sort_by_key(|i| i.start);
    busy.iter().map(|i| (i.start.to_rfc3339(), i.end.to_rfc3339())).collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

#[test]
fn a_google_feed_recurs_on_its_own_wall_clock_with_its_exceptions() {
    let busy = sorted(read(GOOGLE).unwrap());
    let want = pairs(&[
        // Monday 29 March, after the DST change: 10:00 Rome is 08:00 UTC.
        ("2027-03-29T08:00:00+00:00", "2027-03-29T09:00:00+00:00"),
        // Good Friday, all day on the agent's wall clock.
        ("2027-04-01T22:00:00+00:00", "2027-04-02T22:00:00+00:00"),
        // 5 April is moved to Tuesday 6 April 15:00–16:00 Rome.
        ("2027-04-06T13:00:00+00:00", "2027-04-06T14:00:00+00:00"),
        // 12 April is an EXDATE; 19 April recurs.
        ("2027-04-19T08:00:00+00:00", "2027-04-19T09:00:00+00:00"),
    ]);
    assert_eq!(busy, want, "transparent and cancelled events are not busy");
}

#[test]
fn an_outlook_feed_names_zones_the_windows_way() {
    let busy = sorted(read(OUTLOOK).unwrap());
    assert_eq!(
        busy,
        pairs(&[
            ("2027-03-25T13:00:00+00:00", "2027-03-25T14:30:00+00:00"),
            // A floating time is on the agent's wall clock (Rome, still CET on 26 March).
            ("2027-03-26T08:00:00+00:00", "2027-03-26T08:45:00+00:00"),
        ])
    );
}

#[test]
fn what_is_not_a_calendar_is_an_error() {
    assert!(matches!(read("hello"), Err(FeedError::Malformed(_))));
    assert!(matches!(read(""), Err(FeedError::Malformed(_))));
}

fn calendar(body: &str) -> String {
    format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{body}END:VCALENDAR\r\n")
}

/// Each hostile shape is refused or read within a fraction of the time budget, without panicking.
fn quickly(text: &str) -> Result<Vec<Interval>, FeedError> {
    let started = Instant::now();
    let result = std::panic::catch_unwind(|| read(text)).expect("no panic");
    assert!(started.elapsed() < StdDuration::from_secs(2), "took {:?}", started.elapsed());
    result
}

#[test]
fn three_hundred_nested_blocks_are_refused_not_recursed() {
    let text = format!("BEGIN:VCALENDAR\r\n{}", "BEGIN:X\r\n".repeat(300));
    assert!(text.len() < 5 * 1024);
    assert!(matches!(quickly(&text), Err(FeedError::Malformed(_))));
}

#[test]
fn an_event_every_second_since_1970_fails_fast() {
    let text = calendar("BEGIN:VEVENT\r\nUID:x\r\nDTSTART:19700101T000000Z\r\nRRULE:FREQ=SECONDLY\r\nEND:VEVENT\r\n");
    assert!(matches!(quickly(&text), Err(FeedError::TooLarge(_))));
}

#[test]
fn twenty_thousand_events_every_two_minutes_fail_fast_in_little_memory() {
    let event = "BEGIN:VEVENT\r\nUID:m\r\nDTSTART:20270301T000000Z\r\nDTEND:20270301T000100Z\r\nRRULE:FREQ=MINUTELY;INTERVAL=2\r\nEND:VEVENT\r\n";
    let text = calendar(&event.repeat(20_000));
    assert!(text.len() < 3 * 1024 * 1024);
    assert!(matches!(quickly(&text), Err(FeedError::TooLarge(_))));
}

/// Before: a recurrence's occurrences were counted twice against the busy budget, so a feed
/// with 44,640 busy minutes was refused under a limit of 50,000.
#[test]
fn the_busy_budget_counts_each_busy_period_once() {
    let event = "BEGIN:VEVENT\r\nUID:m\r\nDTSTART:20270324T000000Z\r\nDTEND:20270324T000030Z\r\nRRULE:FREQ=MINUTELY\r\nEND:VEVENT\r\n";
    let busy = quickly(&calendar(event)).expect("within the budget");
    assert_eq!(busy.len(), 31 * 24 * 60, "one busy period a minute over the 31 days read");
    assert!(busy.len() < Limits::default().max_busy);
}

#[test]
fn absurd_durations_and_dates_do_not_panic() {
    for body in [
        "BEGIN:VEVENT\r\nUID:a\r\nDTSTART:20270325T100000Z\r\nDURATION:P99999999999999W\r\nEND:VEVENT\r\n",
        "BEGIN:VEVENT\r\nUID:b\r\nDTSTART:20270325T100000Z\r\nDURATION:P99999999D\r\nRRULE:FREQ=DAILY\r\nEND:VEVENT\r\n",
        "BEGIN:VEVENT\r\nUID:c\r\nDTSTART:99991231T235959Z\r\nDURATION:P36000D\r\nRRULE:FREQ=DAILY\r\nEND:VEVENT\r\n",
        "BEGIN:VEVENT\r\nUID:d\r\nDTSTART:00010101T000000Z\r\nDTEND:99991231T235959Z\r\nRRULE:FREQ=YEARLY\r\nEND:VEVENT\r\n",
        "BEGIN:VEVENT\r\nUID:e\r\nDTSTART;VALUE=DATE:99991231\r\nDTEND;VALUE=DATE:00010101\r\nEND:VEVENT\r\n",
        "BEGIN:VEVENT\r\nUID:f\r\nDTSTART;TZID=Nowhere/City:20270325T100000\r\nDURATION:-P1D\r\nRRULE:FREQ=WEEKLY;COUNT=4000000000\r\nEND:VEVENT\r\n",
    ] {
        let _ = quickly(&calendar(body));
    }
}

#[test]
fn a_century_long_event_covers_the_horizon() {
    let text = calendar("BEGIN:VEVENT\r\nUID:leave\r\nDTSTART:20000101T000000Z\r\nDURATION:P36500D\r\nEND:VEVENT\r\n");
    let busy = quickly(&text).unwrap();
    assert_eq!(busy.len(), 1);
    assert!(busy[0].start < horizon().start && busy[0].end > horizon().end);
}

#[test]
fn every_time_budget_stops_the_read() {
    let weekly = "BEGIN:VEVENT\r\nUID:w\r\nDTSTART:20270301T090000Z\r\nDTEND:20270301T093000Z\r\nRRULE:FREQ=DAILY\r\nEND:VEVENT\r\n";
    let text = calendar(&weekly.repeat(50));
    let tight = Limits { max_busy: 100, ..Limits::default() };
    assert!(matches!(busy_times(&text, chrono_tz::UTC, &horizon(), &tight), Err(FeedError::TooLarge(_))));
    let few_events = Limits { max_events: 10, ..Limits::default() };
    assert!(matches!(busy_times(&text, chrono_tz::UTC, &horizon(), &few_events), Err(FeedError::TooLarge(_))));
    let no_time = Limits { time: StdDuration::ZERO, max_steps: u64::MAX, ..Limits::default() };
    let big = calendar(&weekly.repeat(2000));
    assert_eq!(busy_times(&big, chrono_tz::UTC, &horizon(), &no_time), Err(FeedError::TimedOut));
}
