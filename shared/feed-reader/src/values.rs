//! DATE, DATE-TIME and DURATION values (RFC 5545 §3.3), parsed strictly and converted to instants
//! with checked arithmetic only: a value from a feed can name any year or any length, and none
//! of them may panic or wrap.

use std::collections::HashMap;

use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::lines::Property;
use crate::zones;

/// EXDATE and RDATE may list several values; past this many the rest are ignored.
const MAX_LISTED: usize = 1000;

/// A date or time as a feed writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    /// An all-day value, on the agent's wall clock.
    Date(NaiveDate),
    Utc(DateTime<Utc>),
    /// Wall-clock time in a zone (the agent's, when the feed named none: "floating" time).
    Local(NaiveDateTime, Tz),
}

impl When {
    /// The instant this value names; `None` only where no instant exists (out of range).
    pub fn instant(self, agent_zone: Tz) -> Option<DateTime<Utc>> {
        match self {
            When::Utc(at) => Some(at),
            When::Local(naive, zone) => resolve(zone, naive),
            When::Date(date) => resolve(agent_zone, date.and_time(NaiveTime::MIN)),
        }
    }

    /// The zone the value's wall clock runs on and its wall-clock reading: where a recurrence
    /// rule steps, so a weekly 10:00 stays at 10:00 across daylight-saving changes.
    pub fn wall_clock(self, agent_zone: Tz) -> (Tz, NaiveDateTime) {
        match self {
            When::Utc(at) => (chrono_tz::UTC, at.naive_utc()),
            When::Local(naive, zone) => (zone, naive),
            When::Date(date) => (agent_zone, date.and_time(NaiveTime::MIN)),
        }
    }
}

/// The instant a wall-clock reading names in `zone` (RFC 5545 §3.3.5): a repeated time is its
/// first occurrence; a time inside a gap is read with the offset in force before the gap.
pub fn resolve(zone: Tz, naive: NaiveDateTime) -> Option<DateTime<Utc>> {
    match zone.from_local_datetime(&naive) {
        LocalResult::Single(at) => Some(at.with_timezone(&Utc)),
        LocalResult::Ambiguous(first, _) => Some(first.with_timezone(&Utc)),
        LocalResult::None => {
            // Gaps last an hour or two (a whole day once, Samoa 2011): look back half an hour at a
            // time, at most a day and a half, for a reading that exists, and use its offset.
            for back in 1..=72 {
                let before = naive.checked_sub_signed(Duration::minutes(30 * back))?;
                if let Some(at) = zone.from_local_datetime(&before).earliest() {
                    let offset = at.naive_local().signed_duration_since(at.naive_utc());
                    return naive.checked_sub_signed(offset).map(|utc| Utc.from_utc_datetime(&utc));
                }
            }
            None
        }
    }
}

/// `YYYYMMDD`, exactly.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = text.get(range)?;
        part.bytes().all(|b| b.is_ascii_digit()).then(|| part.parse().ok())?
    };
    if text.len() != 8 {
        return None;
    }
    NaiveDate::from_ymd_opt(digits(0..4)? as i32, digits(4..6)?, digits(6..8)?)
}

/// `YYYYMMDDTHHMMSS`, exactly (a trailing `Z` is the caller's business). Second 60 (a leap
/// second) reads as 59.
pub fn parse_date_time(text: &str) -> Option<NaiveDateTime> {
    if text.len() != 15 || text.as_bytes()[8] != b'T' {
        return None;
    }
    let date = parse_date(&text[..8])?;
    let time = &text[9..];
    if !time.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m, s): (u32, u32, u32) = (time[0..2].parse().ok()?, time[2..4].parse().ok()?, time[4..6].parse().ok()?);
    Some(date.and_time(NaiveTime::from_hms_opt(h, m, s.min(59))?))
}

/// One DATE or DATE-TIME value; `zone` is the property's TZID, if it named one we know.
pub fn parse_when(text: &str, is_date: bool, zone: Option<Tz>, agent_zone: Tz) -> Option<When> {
    let text = text.trim();
    if is_date || text.len() == 8 {
        return parse_date(text).map(When::Date);
    }
    if let Some(utc) = text.strip_suffix('Z').or_else(|| text.strip_suffix('z')) {
        return parse_date_time(utc).map(|n| When::Utc(Utc.from_utc_datetime(&n)));
    }
    parse_date_time(text).map(|n| When::Local(n, zone.unwrap_or(agent_zone)))
}

/// The values of a DATE or DATE-TIME property (EXDATE may list several, comma-separated).
pub fn whens(p: &Property, zones: &HashMap<String, Tz>, agent_zone: Tz) -> Vec<When> {
    let is_date = p.param("VALUE").is_some_and(|v| v.eq_ignore_ascii_case("DATE"));
    let zone = p.param("TZID").and_then(|tzid| zones.get(tzid).copied().or_else(|| zones::resolve(tzid, None)));
    p.value.split(',').take(MAX_LISTED).filter_map(|text| parse_when(text, is_date, zone, agent_zone)).collect()
}

/// The longest DURATION believed: a century. Anything longer is not a calendar entry.
const MAX_DURATION_SECONDS: i64 = 100 * 366 * 24 * 3600;

/// `P1W`, `P2D`, `PT1H30M`, `-P1DT2H`: a DURATION value, or `None` for anything malformed or
/// longer than a century (the arithmetic is checked: no value can overflow).
pub fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let body = text.strip_prefix('P')?;
    let mut total: i64 = 0;
    let mut number: Option<i64> = None;
    let mut in_time = false;
    let mut any = false;
    for c in body.chars() {
        match c {
            '0'..='9' => {
                let digit = i64::from(c as u8 - b'0');
                number = Some(number.unwrap_or(0).checked_mul(10)?.checked_add(digit)?);
                if number? > MAX_DURATION_SECONDS {
                    return None;
                }
            }
            'T' if !in_time && number.is_none() => in_time = true,
            unit => {
                let unit_seconds = match (unit, in_time) {
                    ('W', false) => 7 * 24 * 3600,
                    ('D', false) => 24 * 3600,
                    ('H', true) => 3600,
                    ('M', true) => 60,
                    ('S', true) => 1,
                    _ => return None,
                };
                total = total.checked_add(number.take()?.checked_mul(unit_seconds)?)?;
                any = true;
            }
        }
    }
    if !any || number.is_some() || total > MAX_DURATION_SECONDS {
        return None;
    }
    Duration::try_seconds(if negative { -total } else { total })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_and_extremes_are_refused_not_panicked() {
        assert_eq!(parse_duration("PT1H30M"), Some(Duration::minutes(90)));
        assert_eq!(parse_duration("P1DT2H"), Some(Duration::hours(26)));
        assert_eq!(parse_duration("P1W"), Some(Duration::weeks(1)));
        assert_eq!(parse_duration("-PT15M"), Some(Duration::minutes(-15)));
        for bad in ["1H", "P", "PT", "P1H", "PT1D", "P1", "P99999999999999W", "P99999999D", "PT1H9999999999S"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
        assert!(parse_duration("P36500D").is_some(), "a century is the longest believed");
    }

    #[test]
    fn dates_and_times_are_read_strictly() {
        assert_eq!(parse_date("20270402"), NaiveDate::from_ymd_opt(2027, 4, 2));
        for bad in ["2027042", "202704021", "2027-4-2", "20271302", "+0270402", "99999999"] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        assert!(parse_date_time("20270402T235960").is_some(), "a leap second reads as :59");
        for bad in ["20270402T2400000", "20270402 100000", "20270402T1000", "20270402T-10000"] {
            assert_eq!(parse_date_time(bad), None, "{bad}");
        }
        let far = parse_when("99991231T235959Z", false, None, chrono_tz::UTC).unwrap();
        assert!(far.instant(chrono_tz::UTC).is_some());
    }

    #[test]
    fn a_time_in_a_gap_uses_the_offset_before_it_and_a_repeated_time_its_first_occurrence() {
        let rome = chrono_tz::Europe::Rome;
        let at = |text: &str| parse_date_time(text).unwrap();
        // 02:30 does not exist on 2027-03-28 in Rome; read with CET (+1) it is 01:30Z.
        assert_eq!(resolve(rome, at("20270328T023000")).unwrap().to_rfc3339(), "2027-03-28T01:30:00+00:00");
        // 02:30 happens twice on 2027-10-31; the first is CEST (+2), 00:30Z.
        assert_eq!(resolve(rome, at("20271031T023000")).unwrap().to_rfc3339(), "2027-10-31T00:30:00+00:00");
    }
}
