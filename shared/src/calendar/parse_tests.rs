//! Feeds shaped like real exports: Google (IANA TZID with VTIMEZONE, RRULE, EXDATE, a moved
//! instance, transparent and cancelled events, an all-day holiday) and Outlook (Windows zone
//! names, DURATION, floating time).

use chrono::{DateTime, Utc};

use super::*;

pub const GOOGLE: &str = "BEGIN:VCALENDAR\r
PRODID:-//Google Inc//Google Calendar 70.9054//EN\r
VERSION:2.0\r
CALSCALE:GREGORIAN\r
METHOD:PUBLISH\r
X-WR-TIMEZONE:Europe/Rome\r
BEGIN:VTIMEZONE\r
TZID:Europe/Rome\r
X-LIC-LOCATION:Europe/Rome\r
BEGIN:DAYLIGHT\r
TZOFFSETFROM:+0100\r
TZOFFSETTO:+0200\r
TZNAME:CEST\r
DTSTART:19700329T020000\r
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r
END:DAYLIGHT\r
BEGIN:STANDARD\r
TZOFFSETFROM:+0200\r
TZOFFSETTO:+0100\r
TZNAME:CET\r
DTSTART:19701025T030000\r
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r
END:STANDARD\r
END:VTIMEZONE\r
BEGIN:VEVENT\r
DTSTART;TZID=Europe/Rome:20270301T100000\r
DTEND;TZID=Europe/Rome:20270301T110000\r
RRULE:FREQ=WEEKLY;BYDAY=MO\r
EXDATE;TZID=Europe/Rome:20270412T100000\r
DTSTAMP:20270301T000000Z\r
UID:weekly-sync@google.com\r
SUMMARY:Weekly sync\r
STATUS:CONFIRMED\r
TRANSP:OPAQUE\r
END:VEVENT\r
BEGIN:VEVENT\r
DTSTART;TZID=Europe/Rome:20270406T150000\r
DTEND;TZID=Europe/Rome:20270406T160000\r
DTSTAMP:20270301T000000Z\r
UID:weekly-sync@google.com\r
RECURRENCE-ID;TZID=Europe/Rome:20270405T100000\r
SUMMARY:Weekly sync (moved to Tuesday)\r
END:VEVENT\r
BEGIN:VEVENT\r
DTSTART:20270330T080000Z\r
DTEND:20270330T090000Z\r
UID:free@google.com\r
TRANSP:TRANSPARENT\r
SUMMARY:Focus time (free)\r
END:VEVENT\r
BEGIN:VEVENT\r
DTSTART:20270331T080000Z\r
DTEND:20270331T090000Z\r
UID:cancelled@google.com\r
STATUS:CANCELLED\r
SUMMARY:Called off\r
END:VEVENT\r
BEGIN:VEVENT\r
DTSTART;VALUE=DATE:20270402\r
DTEND;VALUE=DATE:20270403\r
UID:holiday@google.com\r
SUMMARY:Good Friday\r
END:VEVENT\r
END:VCALENDAR\r
";

pub const OUTLOOK: &str = "BEGIN:VCALENDAR\r
METHOD:PUBLISH\r
PRODID:Microsoft Exchange Server 2010\r
VERSION:2.0\r
BEGIN:VTIMEZONE\r
TZID:W. Europe Standard Time\r
BEGIN:STANDARD\r
DTSTART:16010101T030000\r
TZOFFSETFROM:+0200\r
TZOFFSETTO:+0100\r
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10\r
END:STANDARD\r
BEGIN:DAYLIGHT\r
DTSTART:16010101T020000\r
TZOFFSETFROM:+0100\r
TZOFFSETTO:+0200\r
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3\r
END:DAYLIGHT\r
END:VTIMEZONE\r
BEGIN:VEVENT\r
UID:040000008200E00074C5B7101A82E0080000000010D4\r
SUMMARY:Busy\r
DTSTART;TZID=W. Europe Standard Time:20270325T140000\r
DTEND;TZID=W. Europe Standard Time:20270325T153000\r
CLASS:PUBLIC\r
TRANSP:OPAQUE\r
STATUS:CONFIRMED\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:floating-1\r
SUMMARY:Dentist\r
DTSTART:20270326T090000\r
DURATION:PT45M\r
END:VEVENT\r
END:VCALENDAR\r
";

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
