//! Table-driven tests of the slot engine: DST days, odd offsets, breaks, overrides, edges, and the
//! A6 property (listing and booking agree).

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use proptest::prelude::*;

use super::*;
use crate::domain::availability::{Availability, WeeklyHours, WorkingInterval};
use crate::domain::time::{render_local, ClockTime};

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
}

fn hours(spec: &str) -> Vec<WorkingInterval> {
    spec.split(',')
        .filter(|s| !s.is_empty())
        .map(|part| {
            let (a, b) = part.split_once('-').unwrap();
            WorkingInterval::new(ClockTime::parse(a).unwrap(), ClockTime::parse(b).unwrap())
        })
        .collect()
}

/// An agent in `zone` with the same `spec` hours every day of the week.
fn every_day(zone: &str, spec: &str) -> Availability {
    let mut a = Availability::new(zone.parse().unwrap());
    let day = hours(spec);
    a.weekly_hours = WeeklyHours {
        monday: day.clone(),
        tuesday: day.clone(),
        wednesday: day.clone(),
        thursday: day.clone(),
        friday: day.clone(),
        saturday: day.clone(),
        sunday: day,
    };
    a.minimum_notice = 0;
    a
}

/// Slots of one local date, rendered on the agent's wall clock. `now` defaults to two days before.
fn local_slots_on(
    a: &Availability,
    date: &str,
    duration: u16,
    now: Option<DateTime<Utc>>,
    busy: &BusyTimes,
) -> Vec<String> {
    let date: NaiveDate = date.parse().unwrap();
    let from = wall_to_instant(a.time_zone, date, ClockTime::MIDNIGHT, Edge::Start);
    let now = now.unwrap_or(from - Duration::days(2));
    let to = wall_to_instant(a.time_zone, date, ClockTime::END_OF_DAY, Edge::Start);
    free_slots(&SlotRules::new(a), busy, now, duration, &(from..to))
        .unwrap()
        .into_iter()
        .map(|s| render_local(a.time_zone, s.start)[11..].to_string())
        .collect()
}

#[test]
fn daylight_saving_and_odd_offset_days() {
    struct Case {
        what: &'static str,
        zone: &'static str,
        hours: &'static str,
        step: u16,
        duration: u16,
        date: &'static str,
        want: &'static [&'static str],
    }
    let cases = [
        Case {
            what: "Rome, spring forward: 02:00-03:00 does not exist, so 01:00-04:00 holds two hours",
            zone: "Europe/Rome",
            hours: "01:00-04:00",
            step: 60,
            duration: 60,
            date: "2027-03-28",
            want: &["01:00:00+01:00", "03:00:00+02:00"],
        },
        Case {
            what: "Rome, the day before: an ordinary three hours",
            zone: "Europe/Rome",
            hours: "01:00-04:00",
            step: 60,
            duration: 60,
            date: "2027-03-27",
            want: &["01:00:00+01:00", "02:00:00+01:00", "03:00:00+01:00"],
        },
        Case {
            what: "Rome, fall back: 02:00-03:00 happens twice, so 01:00-04:00 holds four hours",
            zone: "Europe/Rome",
            hours: "01:00-04:00",
            step: 60,
            duration: 60,
            date: "2027-10-31",
            want: &["01:00:00+02:00", "02:00:00+02:00", "02:00:00+01:00", "03:00:00+01:00"],
        },
        Case {
            what: "Rome, office hours on the fall-back day stay on the wall clock",
            zone: "Europe/Rome",
            hours: "09:00-10:00",
            step: 30,
            duration: 30,
            date: "2027-10-31",
            want: &["09:00:00+01:00", "09:30:00+01:00"],
        },
        Case {
            what: "New York, spring forward at 02:00",
            zone: "America/New_York",
            hours: "01:00-04:00",
            step: 30,
            duration: 30,
            date: "2027-03-14",
            want: &["01:00:00-05:00", "01:30:00-05:00", "03:00:00-04:00", "03:30:00-04:00"],
        },
        Case {
            what: "New York, the Monday after keeps 09:00 local",
            zone: "America/New_York",
            hours: "09:00-10:00",
            step: 30,
            duration: 30,
            date: "2027-03-15",
            want: &["09:00:00-04:00", "09:30:00-04:00"],
        },
        Case {
            what: "Kolkata, a :30 offset: slots on the local quarter hours",
            zone: "Asia/Kolkata",
            hours: "09:00-10:00",
            step: 15,
            duration: 30,
            date: "2027-06-01",
            want: &["09:00:00+05:30", "09:15:00+05:30", "09:30:00+05:30"],
        },
        Case {
            what: "Kathmandu, a :45 offset",
            zone: "Asia/Kathmandu",
            hours: "09:00-10:00",
            step: 30,
            duration: 30,
            date: "2027-06-01",
            want: &["09:00:00+05:45", "09:30:00+05:45"],
        },
        Case {
            what: "Lord Howe, a 30-minute DST shift: 02:00-02:30 is skipped",
            zone: "Australia/Lord_Howe",
            hours: "01:00-04:00",
            step: 30,
            duration: 30,
            date: "2027-10-03",
            want: &["01:00:00+10:30", "01:30:00+10:30", "02:30:00+11:00", "03:00:00+11:00", "03:30:00+11:00"],
        },
        Case {
            what: "Lord Howe, the 30-minute fall back: 01:30-02:00 happens twice",
            zone: "Australia/Lord_Howe",
            hours: "01:00-03:00",
            step: 30,
            duration: 30,
            date: "2027-04-04",
            want: &["01:00:00+11:00", "01:30:00+11:00", "01:30:00+10:30", "02:00:00+10:30", "02:30:00+10:30"],
        },
    ];
    for case in cases {
        let mut a = every_day(case.zone, case.hours);
        a.slot_step = case.step;
        a.durations = vec![case.duration];
        a.default_duration = case.duration;
        let got = local_slots_on(&a, case.date, case.duration, None, &BusyTimes::default());
        let got_end_times: Vec<&str> = got.iter().map(|s| s.as_str()).collect();
        assert_eq!(got_end_times, case.want, "{}", case.what);
    }
}

#[test]
fn a_break_splits_the_day_and_no_slot_straddles_it() {
    let a = every_day("Europe/Rome", "09:00-13:00,14:00-18:00");
    let got = local_slots_on(&a, "2027-06-07", 60, None, &BusyTimes::default());
    assert!(got.contains(&"12:00:00+02:00".to_string()), "ends exactly when the break starts");
    assert!(!got.iter().any(|s| s.starts_with("12:15") || s.starts_with("12:30") || s.starts_with("13:")));
    assert_eq!(got.first().unwrap(), "09:00:00+02:00");
    assert_eq!(got.last().unwrap(), "17:00:00+02:00");
    assert_eq!(got.len(), 13 + 13, "09:00..12:00 and 14:00..17:00 every 15 minutes");
}

#[test]
fn date_overrides_close_a_day_or_change_its_hours() {
    let mut a = every_day("Europe/Rome", "09:00-18:00");
    a.date_overrides.insert("2027-06-07".parse().unwrap(), vec![]);
    a.date_overrides.insert("2027-06-08".parse().unwrap(), hours("10:00-11:00"));
    let now = None;
    assert!(local_slots_on(&a, "2027-06-07", 30, now, &BusyTimes::default()).is_empty(), "holiday");
    assert_eq!(
        local_slots_on(&a, "2027-06-08", 30, now, &BusyTimes::default()),
        vec!["10:00:00+02:00", "10:15:00+02:00", "10:30:00+02:00"]
    );
    assert_eq!(local_slots_on(&a, "2027-06-09", 30, now, &BusyTimes::default()).len(), 35, "untouched day");
}

#[test]
fn hours_running_to_midnight_join_the_next_day() {
    let mut a = every_day("UTC", "");
    a.weekly_hours.monday = hours("22:00-24:00");
    a.weekly_hours.tuesday = hours("00:00-01:00");
    let rules = SlotRules::new(&a);
    let range = utc("2027-06-07T00:00:00Z")..utc("2027-06-09T00:00:00Z");
    let slots = free_slots(&rules, &BusyTimes::default(), utc("2027-06-06T00:00:00Z"), 60, &range).unwrap();
    assert!(slots.iter().any(|s| s.start == utc("2027-06-07T23:30:00Z")), "a meeting may span midnight");
    assert_eq!(slots.last().unwrap().start, utc("2027-06-08T00:00:00Z"));
}

#[test]
fn minimum_notice_edges() {
    let mut a = every_day("Europe/Rome", "09:00-12:00");
    a.minimum_notice = 60;
    // 08:00 local: exactly an hour before opening, so 09:00 is bookable.
    let got = local_slots_on(&a, "2027-06-07", 30, Some(utc("2027-06-07T06:00:00Z")), &BusyTimes::default());
    assert_eq!(got.first().unwrap(), "09:00:00+02:00");
    // One minute later, the next grid point.
    let got = local_slots_on(&a, "2027-06-07", 30, Some(utc("2027-06-07T06:01:00Z")), &BusyTimes::default());
    assert_eq!(got.first().unwrap(), "09:15:00+02:00");
    let rules = SlotRules::new(&a);
    let refused =
        check_booking(&rules, &BusyTimes::default(), utc("2027-06-07T06:01:00Z"), utc("2027-06-07T07:00:00Z"), 30);
    assert!(matches!(refused, Err(Refusal::TooSoon { minimum_notice: 60, .. })), "{refused:?}");
}

#[test]
fn booking_window_edges() {
    let mut a = every_day("UTC", "00:00-24:00");
    a.booking_window_days = 31;
    a.slot_step = 60;
    let now = utc("2027-06-01T10:00:00Z");
    let rules = SlotRules::new(&a);
    let free = BusyTimes::default();
    assert!(check_booking(&rules, &free, now, utc("2027-07-02T10:00:00Z"), 30).is_ok(), "exactly 31 days ahead");
    assert!(matches!(
        check_booking(&rules, &free, now, utc("2027-07-02T11:00:00Z"), 30),
        Err(Refusal::BeyondWindow { window_days: 31, .. })
    ));
    let range = utc("2027-07-01T00:00:00Z")..utc("2027-07-05T00:00:00Z");
    let slots = free_slots(&rules, &free, now, 30, &range).unwrap();
    assert_eq!(slots.last().unwrap().start, utc("2027-07-02T10:00:00Z"), "nothing listed past the window");
    a.booking_window_days = 7;
    let rules = SlotRules::new(&a);
    assert!(check_booking(&rules, &free, now, utc("2027-06-09T10:00:00Z"), 30).is_err());
}

#[test]
fn busy_time_and_buffers_hide_slots() {
    let mut a = every_day("UTC", "09:00-12:00");
    a.slot_step = 30;
    let busy = BusyTimes::new(vec![utc("2027-06-07T10:00:00Z")..utc("2027-06-07T10:30:00Z")]);
    let now = None;
    assert_eq!(
        local_slots_on(&a, "2027-06-07", 30, now, &busy),
        vec!["09:00:00+00:00", "09:30:00+00:00", "10:30:00+00:00", "11:00:00+00:00", "11:30:00+00:00"]
    );
    a.buffer_before = 15;
    a.buffer_after = 15;
    assert_eq!(
        local_slots_on(&a, "2027-06-07", 30, now, &busy),
        vec!["09:00:00+00:00", "11:00:00+00:00", "11:30:00+00:00"],
        "a 15-minute buffer each side keeps 09:30 and 10:30 clear"
    );
}

#[test]
fn refusals_say_why() {
    let mut a = every_day("Europe/Rome", "09:00-12:00");
    a.weekly_hours.sunday = vec![];
    let busy = BusyTimes::new(vec![utc("2027-06-07T08:00:00Z")..utc("2027-06-07T08:30:00Z")]);
    let now = utc("2027-06-01T00:00:00Z");
    let mut rules = SlotRules::new(&a);
    let check = |rules: &SlotRules, start: &str, duration| check_booking(rules, &busy, now, utc(start), duration);
    assert!(matches!(
        check(&rules, "2027-06-07T07:00:00Z", 20),
        Err(Refusal::DurationNotAllowed { requested: 20, .. })
    ));
    assert_eq!(check(&rules, "2027-06-07T08:00:00Z", 30), Err(Refusal::SlotTaken));
    assert_eq!(check(&rules, "2027-06-07T08:15:00Z", 30), Err(Refusal::SlotTaken));
    assert_eq!(check(&rules, "2027-06-07T06:00:00Z", 30), Err(Refusal::OutsideWorkingHours), "08:00 local");
    assert_eq!(check(&rules, "2027-06-07T07:05:00Z", 30), Err(Refusal::OutsideWorkingHours), "off the grid");
    assert_eq!(check(&rules, "2027-06-07T09:45:00Z", 30), Err(Refusal::OutsideWorkingHours), "runs past 12:00");
    assert_eq!(check(&rules, "2027-06-06T07:00:00Z", 30), Err(Refusal::OutsideWorkingHours), "Sunday");
    assert!(check(&rules, "2027-06-07T07:00:00Z", 30).is_ok());
    rules.dates = BookableDates { first: Some("2027-06-08".parse().unwrap()), last: None };
    assert_eq!(check(&rules, "2027-06-07T07:00:00Z", 30), Err(Refusal::OutsideBookingDates));
    let durations = [45u16];
    rules.durations = Some(&durations);
    assert!(matches!(check(&rules, "2027-06-08T07:00:00Z", 30), Err(Refusal::DurationNotAllowed { .. })));
}

#[test]
fn busy_times_merge_and_answer_overlaps() {
    let busy = BusyTimes::new(vec![
        utc("2027-06-07T10:00:00Z")..utc("2027-06-07T11:00:00Z"),
        utc("2027-06-07T10:30:00Z")..utc("2027-06-07T12:00:00Z"),
        utc("2027-06-07T12:00:00Z")..utc("2027-06-07T12:15:00Z"),
        utc("2027-06-07T15:00:00Z")..utc("2027-06-07T15:00:00Z"),
    ]);
    assert_eq!(busy.intervals(), &[utc("2027-06-07T10:00:00Z")..utc("2027-06-07T12:15:00Z")]);
    assert!(busy.is_free(&(utc("2027-06-07T09:00:00Z")..utc("2027-06-07T10:00:00Z"))), "touching is free");
    assert!(!busy.is_free(&(utc("2027-06-07T12:10:00Z")..utc("2027-06-07T13:00:00Z"))));
    assert!(busy.is_free(&(utc("2027-06-07T12:15:00Z")..utc("2027-06-07T13:00:00Z"))));
}

// ---- A6 as a property: whatever the settings, the listing and the booking check agree. ----

const ZONES: &[&str] =
    &["Europe/Rome", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Asia/Kathmandu", "UTC"];

fn arb_day() -> impl Strategy<Value = Vec<WorkingInterval>> {
    // Up to three intervals on 15-minute marks, made ordered and disjoint by construction.
    prop::collection::vec((0u16..=96, 1u16..=24), 0..=3).prop_map(|pieces| {
        let mut day = Vec::new();
        let mut cursor = 0u16;
        for (gap, len) in pieces {
            let start = cursor + gap * 15 / 4;
            let start = start - start % 15;
            let end = (start + len * 15).min(1440);
            if start >= 1440 || start >= end {
                break;
            }
            day.push(WorkingInterval::new(
                ClockTime::from_minutes(start).unwrap(),
                ClockTime::from_minutes(end).unwrap(),
            ));
            cursor = end;
        }
        day
    })
}

pub(crate) fn arb_availability() -> impl Strategy<Value = Availability> {
    (
        prop::sample::select(ZONES),
        prop::collection::vec(arb_day(), 7),
        prop::sample::select(vec![5u16, 10, 15, 20, 30, 60]),
        prop::sample::select(vec![15u16, 20, 30, 45, 60]),
        prop::sample::select(vec![0u16, 5, 15]),
        prop::sample::select(vec![0u16, 10, 30]),
        0u32..=48,
        1u16..=31,
    )
        .prop_map(|(zone, days, step, duration, before, after, notice, window)| {
            let mut a = Availability::new(zone.parse::<Tz>().unwrap());
            let d = days;
            a.weekly_hours = WeeklyHours {
                monday: d[0].clone(),
                tuesday: d[1].clone(),
                wednesday: d[2].clone(),
                thursday: d[3].clone(),
                friday: d[4].clone(),
                saturday: d[5].clone(),
                sunday: d[6].clone(),
            };
            a.slot_step = step;
            a.durations = vec![duration];
            a.default_duration = duration;
            a.buffer_before = before;
            a.buffer_after = after;
            a.minimum_notice = notice * 5;
            a.booking_window_days = window;
            a
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn every_listed_slot_books_and_nothing_unlisted_does(
        a in arb_availability(),
        // "now" anywhere in 2027, to the second, so DST days are crossed often.
        now_offset in 0i64..365 * 24 * 3600,
        busy_seeds in prop::collection::vec((0i64..40 * 288, 1i64..=24), 0..40),
        probes in prop::collection::vec(0i64..40 * 288, 60),
    ) {
        let now = utc("2027-01-01T00:00:00Z") + Duration::seconds(now_offset);
        let grid = |k: i64| utc("2027-01-01T00:00:00Z") + Duration::seconds(now_offset - now_offset % 300) + Duration::minutes(5 * k);
        let busy = BusyTimes::new(busy_seeds.iter().map(|(k, len)| grid(*k)..grid(*k + len)).collect());
        let duration = a.default_duration;
        let rules = SlotRules::new(&a);
        let range = now - Duration::days(1)..now + Duration::days(33);
        let listed: Vec<DateTime<Utc>> = free_slots(&rules, &busy, now, duration, &range).unwrap().into_iter().map(|s| s.start).collect();

        for start in &listed {
            prop_assert!(check_booking(&rules, &busy, now, *start, duration).is_ok(), "listed {start} refused");
        }
        // Every grid point and every listed slot nudged by a granule: booked exactly when listed.
        let nudged = listed.iter().flat_map(|s| [*s - Duration::minutes(5), *s + Duration::minutes(5)]);
        for start in probes.iter().map(|k| grid(*k)).chain(nudged) {
            let books = check_booking(&rules, &busy, now, start, duration).is_ok();
            prop_assert_eq!(books, listed.contains(&start), "probe {}", start);
        }
        prop_assert!(listed.windows(2).all(|w| w[0] < w[1]), "sorted and distinct");
    }
}
