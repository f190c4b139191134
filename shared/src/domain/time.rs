//! Wall-clock times and their conversion to instants in an IANA zone.
//!
//! Working hours are wall-clock rules ("09:00–13:00 in Europe/Rome"), but everything that is stored,
//! compared or returned is an instant. The conversion is where daylight saving bites, so it lives
//! here, once, with its two rules spelled out.

use std::fmt;
use std::ops::Range;

use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A half-open span of absolute time `[start, end)`.
pub type Interval = Range<DateTime<Utc>>;

/// Minutes in a day; a [`ClockTime`] of this value means "24:00", the end of the day.
pub const MINUTES_PER_DAY: u16 = 24 * 60;

/// A time of day on the wall clock, in whole minutes since midnight (`00:00` ..= `24:00`).
///
/// `24:00` exists so that a working interval can run to the end of the day and join the next
/// day's `00:00` interval without a one-minute hole.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClockTime(u16);

impl ClockTime {
    pub const MIDNIGHT: ClockTime = ClockTime(0);
    pub const END_OF_DAY: ClockTime = ClockTime(MINUTES_PER_DAY);

    pub fn from_minutes(minutes: u16) -> Option<Self> {
        (minutes <= MINUTES_PER_DAY).then_some(ClockTime(minutes))
    }

    pub fn hm(hour: u16, minute: u16) -> Self {
        Self::from_minutes(hour * 60 + minute).expect("valid clock time")
    }

    pub fn minutes(self) -> u16 {
        self.0
    }

    /// Parses `HH:MM` (24-hour clock, `24:00` allowed).
    pub fn parse(text: &str) -> Option<Self> {
        let (h, m) = text.split_once(':')?;
        if h.len() != 2 || m.len() != 2 || !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
            return None;
        }
        let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
        if m >= 60 {
            return None;
        }
        Self::from_minutes(h * 60 + m)
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

impl Serialize for ClockTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ClockTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        ClockTime::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("`{text}` is not a time of day as HH:MM (00:00 to 24:00)")))
    }
}

/// Which end of an interval a wall-clock time is, which decides how a repeated hour resolves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edge {
    Start,
    End,
}

/// The instant at which the wall clock in `zone` shows `time` on `date`.
///
/// Two daylight-saving rules, chosen so that an interval keeps all the wall-clock time it names:
/// - a time that does not exist (the clocks jump over it) is the moment of the jump, i.e. the first
///   instant after the gap: "02:30" on the spring-forward day in Rome is 03:00 CEST;
/// - a time that happens twice (the clocks fall back) is its first occurrence as the start of an
///   interval and its second as the end, so "01:00–02:30" on the fall-back day covers the whole
///   repeated hour.
pub fn wall_to_instant(zone: Tz, date: NaiveDate, time: ClockTime, edge: Edge) -> DateTime<Utc> {
    let (date, minutes) =
        if time == ClockTime::END_OF_DAY { (date.succ_opt().unwrap_or(date), 0) } else { (date, time.minutes()) };
    let naive = date.and_time(NaiveTime::MIN) + Duration::minutes(i64::from(minutes));
    match zone.from_local_datetime(&naive) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(first, second) => match edge {
            Edge::Start => first.with_timezone(&Utc),
            Edge::End => second.with_timezone(&Utc),
        },
        LocalResult::None => {
            // Walk to the first wall-clock minute after the gap: it is the instant of the jump.
            // Gaps are an hour or less in today's zones; a whole skipped day (Samoa, 2011) is the
            // longest on record, so two days bounds the walk.
            let mut probe = naive;
            for _ in 0..2 * MINUTES_PER_DAY {
                probe += Duration::minutes(1);
                if let Some(t) = zone.from_local_datetime(&probe).earliest() {
                    return t.with_timezone(&Utc);
                }
            }
            // Unreachable with the tz database; fall back to reading the time as UTC.
            Utc.from_utc_datetime(&naive)
        }
    }
}

/// Sorts intervals and joins those that overlap or touch; empty ones are dropped.
pub fn merge(mut intervals: Vec<Interval>) -> Vec<Interval> {
    intervals.retain(|i| i.start < i.end);
    intervals.sort_by_key(|i| i.start);
    let mut merged: Vec<Interval> = Vec::with_capacity(intervals.len());
    for interval in intervals {
        match merged.last_mut() {
            Some(last) if interval.start <= last.end => last.end = last.end.max(interval.end),
            _ => merged.push(interval),
        }
    }
    merged
}

/// The calendar date the wall clock shows in `zone` at `instant`.
pub fn local_date(zone: Tz, instant: DateTime<Utc>) -> NaiveDate {
    instant.with_timezone(&zone).date_naive()
}

/// RFC 3339 rendering of an instant on a zone's wall clock, e.g. `2027-03-28T10:00:00+02:00`.
pub fn render_local(zone: Tz, instant: DateTime<Utc>) -> String {
    instant.with_timezone(&zone).to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

/// The billing period a booking made at `at` counts in (T2): its calendar month in UTC, `YYYY-MM`.
pub fn billing_month(at: DateTime<Utc>) -> String {
    use chrono::Datelike;
    format!("{:04}-{:02}", at.year(), at.month())
}

/// RFC 3339 rendering in UTC with a `Z`, the form every instant takes in the API and the store.
pub fn render_utc(instant: DateTime<Utc>) -> String {
    instant.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
    }

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn clock_time_parses_and_prints_the_24_hour_form() {
        assert_eq!(ClockTime::parse("09:05"), Some(ClockTime::hm(9, 5)));
        assert_eq!(ClockTime::parse("24:00"), Some(ClockTime::END_OF_DAY));
        for bad in ["24:01", "9:00", "09:60", "0900", "ab:cd", "", "09:00:00"] {
            assert_eq!(ClockTime::parse(bad), None, "{bad}");
        }
        assert_eq!(ClockTime::hm(14, 30).to_string(), "14:30");
    }

    #[test]
    fn wall_clock_resolution_table() {
        use Edge::*;
        let rome: Tz = "Europe/Rome".parse().unwrap();
        let lord_howe: Tz = "Australia/Lord_Howe".parse().unwrap();
        let kolkata: Tz = "Asia/Kolkata".parse().unwrap();
        let cases = [
            // an ordinary winter morning: CET is UTC+1
            (rome, "2027-03-27", ClockTime::hm(9, 0), Start, "2027-03-27T08:00:00Z"),
            // spring forward: 02:00–03:00 does not exist; 02:30 is the jump, 01:00Z
            (rome, "2027-03-28", ClockTime::hm(2, 30), Start, "2027-03-28T01:00:00Z"),
            (rome, "2027-03-28", ClockTime::hm(9, 0), Start, "2027-03-28T07:00:00Z"),
            // fall back: 02:30 happens at 00:30Z (CEST) and again at 01:30Z (CET)
            (rome, "2027-10-31", ClockTime::hm(2, 30), Start, "2027-10-31T00:30:00Z"),
            (rome, "2027-10-31", ClockTime::hm(2, 30), End, "2027-10-31T01:30:00Z"),
            // 24:00 is the next day's midnight
            (rome, "2027-03-27", ClockTime::END_OF_DAY, End, "2027-03-27T23:00:00Z"),
            // half-hour offset, no DST
            (kolkata, "2027-06-01", ClockTime::hm(9, 0), Start, "2027-06-01T03:30:00Z"),
            // Lord Howe moves by 30 minutes: 02:00–02:30 is skipped on 2027-10-03
            (lord_howe, "2027-10-03", ClockTime::hm(2, 15), Start, "2027-10-02T15:30:00Z"),
        ];
        for (zone, date, time, edge, want) in cases {
            assert_eq!(wall_to_instant(zone, day(date), time, edge), utc(want), "{zone} {date} {time} {edge:?}");
        }
    }
}
