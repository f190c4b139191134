//! The expander against the RFC's own examples, against the `rrule` crate on random everyday rules
//! (an independent implementation of the same RFC), and against rules built to cost.

use chrono::NaiveDateTime;
use proptest::prelude::*;

use super::*;
use crate::budget::Limits;

fn at(text: &str) -> NaiveDateTime {
    crate::values::parse_date_time(text).expect("YYYYMMDDTHHMMSS")
}

fn expand_text(rule: &str, start: &str, from: &str, to: &str) -> Result<Vec<String>, FeedError> {
    let rule = Rule::parse(rule).expect("a valid rule");
    let until = rule.until.map(|u| match u {
        Until::Wall(t) | Until::Utc(t) => t,
    });
    let mut meter = Meter::new(&Limits::default());
    let found = expand(&rule, at(start), at(from), at(to), until, &mut meter)?;
    Ok(found.iter().map(|t| t.format("%Y%m%dT%H%M%S").to_string()).collect())
}

fn dates(found: &[String]) -> Vec<&str> {
    found.iter().map(|s| &s[..8]).collect()
}

#[test]
fn the_rfcs_examples() {
    // RFC 5545 §3.8.5.3: "Every other week on Monday, Wednesday, and Friday until December 24, 1997".
    let found = expand_text(
        "FREQ=WEEKLY;INTERVAL=2;WKST=SU;UNTIL=19971224T000000Z;BYDAY=MO,WE,FR",
        "19970901T090000",
        "19970901T000000",
        "19980101T000000",
    )
    .unwrap();
    assert_eq!(
        dates(&found),
        [
            "19970901", "19970903", "19970905", "19970915", "19970917", "19970919", "19970929", "19971001", "19971003",
            "19971013", "19971015", "19971017", "19971027", "19971029", "19971031", "19971110", "19971112", "19971114",
            "19971124", "19971126", "19971128", "19971208", "19971210", "19971212", "19971222"
        ]
    );
    // "Monthly on the second-to-last Monday of the month for 6 months".
    let found = expand_text("FREQ=MONTHLY;COUNT=6;BYDAY=-2MO", "19970922T090000", "19970901T000000", "19990101T000000")
        .unwrap();
    assert_eq!(dates(&found), ["19970922", "19971020", "19971117", "19971222", "19980119", "19980216"]);
    // "The last work day of the month".
    let found = expand_text(
        "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
        "19970929T090000",
        "19970901T000000",
        "19980101T000000",
    )
    .unwrap();
    assert_eq!(dates(&found), ["19970930", "19971031", "19971128", "19971231"]);
    // "Every 20th Monday of the year, forever".
    let found = expand_text("FREQ=YEARLY;BYDAY=20MO", "19970519T090000", "19970101T000000", "20000101T000000").unwrap();
    assert_eq!(dates(&found), ["19970519", "19980518", "19990517"]);
    // "Every day in January, for 3 years" (the BYDAY form).
    let found = expand_text(
        "FREQ=YEARLY;UNTIL=20000131T140000Z;BYMONTH=1;BYDAY=SU,MO,TU,WE,TH,FR,SA",
        "19980101T090000",
        "19980101T000000",
        "20010101T000000",
    )
    .unwrap();
    assert_eq!(found.len(), 3 * 31);
    // "Monthly on the 2nd and 15th of the month for 10 occurrences".
    let found =
        expand_text("FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15", "19970902T090000", "19970101T000000", "20000101T000000")
            .unwrap();
    assert_eq!(dates(&found)[..4], ["19970902", "19970915", "19971002", "19971015"]);
    assert_eq!(found.len(), 10);
    // "Every 3 hours from 9:00 AM to 5:00 PM on a specific day".
    let found = expand_text(
        "FREQ=HOURLY;INTERVAL=3;UNTIL=19970902T170000Z",
        "19970902T090000",
        "19970902T000000",
        "19970903T000000",
    )
    .unwrap();
    assert_eq!(found, ["19970902T090000", "19970902T120000", "19970902T150000"]);
    // ISO week 20, Mondays.
    let found =
        expand_text("FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO", "19970512T090000", "19970101T000000", "20000101T000000")
            .unwrap();
    assert_eq!(dates(&found), ["19970512", "19980511", "19990517"]);
}

#[test]
fn a_rule_from_long_ago_is_advanced_not_stepped() {
    // Weekly since 1601 (Outlook's VTIMEZONE style) and secondly since 1970: only the window costs.
    let weekly = Rule::parse("FREQ=WEEKLY;BYDAY=MO").unwrap();
    let mut meter = Meter::new(&Limits::default());
    let found =
        expand(&weekly, at("16010101T100000"), at("20270301T000000"), at("20270501T000000"), None, &mut meter).unwrap();
    assert_eq!(found.len(), 9);
    assert!(meter.steps() < 200, "{} steps", meter.steps());

    let secondly = Rule::parse("FREQ=SECONDLY").unwrap();
    let mut meter = Meter::new(&Limits::default());
    let found =
        expand(&secondly, at("19700101T000000"), at("20270301T000000"), at("20270301T000100"), None, &mut meter)
            .unwrap();
    assert_eq!(found.len(), 60, "one minute of seconds, found without walking from 1970");
    assert!(meter.steps() < 1000, "{} steps", meter.steps());
}

#[test]
fn rules_that_would_cost_without_bound_fail_the_read() {
    let dense = Rule::parse("FREQ=SECONDLY").unwrap();
    let mut meter = Meter::new(&Limits::default());
    let result = expand(&dense, at("19700101T000000"), at("20270301T000000"), at("20270501T000000"), None, &mut meter);
    assert!(matches!(result, Err(FeedError::TooLarge(_))), "{:?}", result.map(|r| r.len()));

    // With COUNT nothing may be skipped: every second since 1970 would have to be counted.
    let counted = Rule::parse("FREQ=SECONDLY;COUNT=4000000000").unwrap();
    let mut meter = Meter::new(&Limits::default());
    let result =
        expand(&counted, at("19700101T000000"), at("20270301T000000"), at("20270501T000000"), None, &mut meter);
    assert!(matches!(result, Err(FeedError::TooLarge(_))), "{:?}", result.map(|r| r.len()));
    // A filter that never matches is passed a day at a time, COUNT or not.
    let never = Rule::parse("FREQ=MINUTELY;COUNT=5;BYMONTH=2;BYMONTHDAY=30").unwrap();
    let mut meter = Meter::new(&Limits::default());
    let found =
        expand(&never, at("19700101T000000"), at("20270301T000000"), at("20270501T000000"), None, &mut meter).unwrap();
    assert!(found.is_empty());
    assert!(meter.steps() < 100_000, "{} steps", meter.steps());

    // Every five minutes of every day of the year in one period: refused before it is built.
    let days: Vec<String> = (1..=31).map(|d| d.to_string()).collect();
    let hours: Vec<String> = (0..24).map(|h| h.to_string()).collect();
    let wide = Rule::parse(&format!(
        "FREQ=YEARLY;BYMONTHDAY={};BYHOUR={};BYMINUTE=0,5,10,15,20,25,30,35,40,45,50,55",
        days.join(","),
        hours.join(",")
    ))
    .unwrap();
    let mut meter = Meter::new(&Limits::default());
    let result = expand(&wide, at("20270101T000000"), at("20270301T000000"), at("20270501T000000"), None, &mut meter);
    assert!(matches!(result, Err(FeedError::TooLarge(_))), "{:?}", result.map(|r| r.len()));

    // A skipped filter on a sub-daily rule is passed a day at a time.
    let february = Rule::parse("FREQ=SECONDLY;BYMONTH=2").unwrap();
    let mut meter = Meter::new(&Limits::default());
    let found =
        expand(&february, at("19700101T000000"), at("20270301T000000"), at("20270501T000000"), None, &mut meter)
            .unwrap();
    assert!(found.is_empty());
    assert!(meter.steps() < 1000, "{} steps", meter.steps());
}

#[test]
fn rules_that_run_off_the_calendar_end_quietly() {
    for (rule, start) in [
        ("FREQ=YEARLY;INTERVAL=1000000", "99991231T235959"),
        ("FREQ=MONTHLY;BYMONTHDAY=31", "99991231T000000"),
        ("FREQ=DAILY", "99991231T120000"),
        ("FREQ=WEEKLY;INTERVAL=1000000", "00010101T000000"),
    ] {
        let result = expand_text(rule, start, "99990101T000000", "99991231T235959");
        assert!(result.is_ok(), "{rule}: {result:?}");
    }
    for bad in
        ["FREQ=DAILY;INTERVAL=0", "FREQ=SOMETIMES", "INTERVAL=2", "FREQ=MONTHLY;BYDAY=99MO", "FREQ=DAILY;BYHOUR=24"]
    {
        assert_eq!(Rule::parse(bad), None, "{bad}");
    }
}

/// Everyday rules, as calendar apps write them.
fn everyday_rule() -> impl Strategy<Value = String> {
    let days = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
    (
        prop::sample::select(vec!["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]),
        1u32..4,
        prop::option::of(1u32..40),
        prop::sample::subsequence(days.to_vec(), 0..4),
        prop::option::of(prop::sample::select(vec![1i32, 2, 15, 28, 31, -1])),
        prop::option::of(prop::sample::select(vec![1i32, 2, -1])),
    )
        .prop_map(|(freq, interval, count, byday, monthday, setpos)| {
            let mut rule = format!("FREQ={freq};INTERVAL={interval}");
            if let Some(count) = count {
                rule.push_str(&format!(";COUNT={count}"));
            }
            match (freq, byday.is_empty(), monthday) {
                ("WEEKLY", false, _) => rule.push_str(&format!(";BYDAY={}", byday.join(","))),
                ("MONTHLY", false, None) => {
                    rule.push_str(&format!(";BYDAY={}", byday.join(",")));
                    if let Some(pos) = setpos {
                        rule.push_str(&format!(";BYSETPOS={pos}"));
                    }
                }
                ("MONTHLY", _, Some(day)) => rule.push_str(&format!(";BYMONTHDAY={day}")),
                ("YEARLY", _, Some(day)) => rule.push_str(&format!(";BYMONTH=3;BYMONTHDAY={day}")),
                _ => {}
            }
            rule
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// The same rule, expanded by this module and by the `rrule` crate, gives the same times.
    #[test]
    fn agrees_with_the_rrule_crate(rule in everyday_rule(), day in 0u32..120, hour in 8u32..18) {
        let start = at("20261001T000000") + chrono::Duration::days(day.into()) + chrono::Duration::hours(hour.into());
        let (from, to) = (at("20270101T000000"), at("20270401T000000"));
        let text = format!("DTSTART:{}Z\nRRULE:{rule}", start.format("%Y%m%dT%H%M%S"));
        let theirs: rrule::RRuleSet = text.parse().expect("rrule accepts it");
        let theirs: Vec<NaiveDateTime> = theirs
            .all(800)
            .dates
            .into_iter()
            .map(|d| d.naive_utc())
            .filter(|d| *d >= from && *d < to)
            .collect();
        let parsed = Rule::parse(&rule).expect("a valid rule");
        let mut meter = Meter::new(&Limits::default());
        let ours = expand(&parsed, start, from, to, None, &mut meter).unwrap();
        prop_assert_eq!(ours, theirs, "{}", text);
    }
}
