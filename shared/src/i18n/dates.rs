//! Dates and times as each language writes them (L2), from the names and patterns in
//! `messages/<language>/dates.ftl` (taken from CLDR's "full" and "abbreviated" formats). Times
//! are on the 24-hour clock, as all five write them in business mail, and every time a reader
//! sees names its zone.

use chrono::{DateTime, Datelike, TimeZone, Utc};
use chrono_tz::Tz;

use super::{format, text, Lang};

const WEEKDAYS: [&str; 7] = ["weekday-1", "weekday-2", "weekday-3", "weekday-4", "weekday-5", "weekday-6", "weekday-7"];
const WEEKDAYS_SHORT: [&str; 7] = [
    "weekday-short-1",
    "weekday-short-2",
    "weekday-short-3",
    "weekday-short-4",
    "weekday-short-5",
    "weekday-short-6",
    "weekday-short-7",
];
const MONTHS: [&str; 12] = [
    "month-1", "month-2", "month-3", "month-4", "month-5", "month-6", "month-7", "month-8", "month-9", "month-10",
    "month-11", "month-12",
];
const MONTHS_SHORT: [&str; 12] = [
    "month-short-1",
    "month-short-2",
    "month-short-3",
    "month-short-4",
    "month-short-5",
    "month-short-6",
    "month-short-7",
    "month-short-8",
    "month-short-9",
    "month-short-10",
    "month-short-11",
    "month-short-12",
];

/// The day of the month as the language writes it: "1er" in French, a plain number otherwise.
fn day(lang: Lang, at: &DateTime<Tz>) -> String {
    match at.day() {
        1 => text(lang, "date-day-1").to_string(),
        n => n.to_string(),
    }
}

fn clock<T: TimeZone>(at: &DateTime<T>) -> String
where
    T::Offset: std::fmt::Display,
{
    at.format("%H:%M").to_string()
}

/// "Monday 29 March 2027", "lunedì 29 marzo 2027", "Montag, 29. März 2027".
pub fn full_date(lang: Lang, at: &DateTime<Tz>) -> String {
    let weekday = text(lang, WEEKDAYS[at.weekday().num_days_from_monday() as usize]);
    let month = text(lang, MONTHS[at.month0() as usize]);
    let (day, year) = (day(lang, at), at.year().to_string());
    format(lang, "date-full", &[("weekday", weekday), ("day", &day), ("month", month), ("year", &year)])
}

/// A meeting's time on a reader's wall clock: "lunedì 29 marzo 2027, 12:30–13:00 (Europe/Rome)".
pub fn when(lang: Lang, zone: Tz, start: DateTime<Utc>, end: DateTime<Utc>) -> String {
    let (s, e) = (start.with_timezone(&zone), end.with_timezone(&zone));
    format(
        lang,
        "date-when",
        &[("date", &full_date(lang, &s)), ("start", &clock(&s)), ("end", &clock(&e)), ("zone", zone.name())],
    )
}

/// A time of day with its zone: "12:30 (Europe/Rome)".
pub fn time_in(lang: Lang, zone: Tz, at: DateTime<Utc>) -> String {
    format(lang, "date-time-in", &[("time", &clock(&at.with_timezone(&zone))), ("zone", zone.name())])
}

/// A message's moment in a digest, short: "Wed 24 Mar, 09:00", "mer 24 mar, 09:00".
pub fn short_stamp(lang: Lang, zone: Tz, at: DateTime<Utc>) -> String {
    let at = at.with_timezone(&zone);
    let weekday = text(lang, WEEKDAYS_SHORT[at.weekday().num_days_from_monday() as usize]);
    let month = text(lang, MONTHS_SHORT[at.month0() as usize]);
    let day = day(lang, &at);
    let date = format(lang, "date-short", &[("weekday", weekday), ("day", &day), ("month", month)]);
    format(lang, "date-stamp", &[("date", &date), ("time", &clock(&at))])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn each_language_writes_a_meeting_time_its_own_way_and_names_the_zone() {
        let (start, end) = (at("2027-03-29T10:30:00Z"), at("2027-03-29T11:00:00Z"));
        let rome = chrono_tz::Europe::Rome;
        let cases = [
            (Lang::En, "Monday 29 March 2027, 12:30–13:00 (Europe/Rome)"),
            (Lang::It, "lunedì 29 marzo 2027, 12:30–13:00 (Europe/Rome)"),
            (Lang::De, "Montag, 29. März 2027, 12:30–13:00 (Europe/Rome)"),
            (Lang::Fr, "lundi 29 mars 2027, 12:30–13:00 (Europe/Rome)"),
            (Lang::Es, "lunes, 29 de marzo de 2027, 12:30–13:00 (Europe/Rome)"),
        ];
        for (lang, expected) in cases {
            assert_eq!(when(lang, rome, start, end), expected);
        }
        assert_eq!(short_stamp(Lang::It, rome, at("2027-03-24T08:00:00Z")), "mer 24 mar, 09:00");
        assert_eq!(short_stamp(Lang::De, rome, at("2027-03-24T08:00:00Z")), "Mi., 24. März, 09:00");
        assert_eq!(time_in(Lang::Fr, rome, start), "12:30 (Europe/Rome)");
        let first = at("2027-04-01T08:00:00Z");
        assert_eq!(full_date(Lang::Fr, &first.with_timezone(&rome)), "jeudi 1er avril 2027");
        assert_eq!(full_date(Lang::De, &first.with_timezone(&rome)), "Donnerstag, 1. April 2027");
    }

    #[test]
    fn every_day_and_month_has_a_name_in_every_language() {
        for lang in Lang::ALL {
            for key in WEEKDAYS.iter().chain(&WEEKDAYS_SHORT).chain(&MONTHS).chain(&MONTHS_SHORT) {
                assert_ne!(text(lang, key), *key, "{}: {key}", lang.code());
            }
        }
    }
}
