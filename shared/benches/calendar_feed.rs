//! A connected calendar of 2,000 events, 200 of them recurring weekly (issue 5's size): the cost
//! of reading it (parse and expand, paid at most every five minutes per feed) and of a slot
//! lookup over 31 days with its busy time (paid on every lookup).
//!
//! `cargo bench -p shared --bench calendar_feed`

use chrono::{DateTime, Duration, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use feed_reader::{busy_times, Limits};
use shared::domain::availability::Availability;
use shared::domain::slots::{free_slots, BusyTimes, SlotRules};

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
}

/// 1,800 single events and 200 weekly ones over two months, in Google's shape.
fn feed() -> String {
    let mut seed: u64 = 0x5eed;
    let mut next = || {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        seed >> 33
    };
    let base = utc("2027-03-01T00:00:00Z");
    let mut ics = String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//EN\r\n");
    for i in 0..2000 {
        let start = base + Duration::minutes((next() % (61 * 24 * 4)) as i64 * 15);
        let end = start + Duration::minutes(15 * (1 + (next() % 8) as i64));
        ics.push_str(&format!(
            "BEGIN:VEVENT\r\nUID:event-{i}\r\nDTSTART;TZID=Europe/Rome:{}\r\nDTEND;TZID=Europe/Rome:{}\r\n{}SUMMARY:Busy {i}\r\nEND:VEVENT\r\n",
            start.format("%Y%m%dT%H%M%S"),
            end.format("%Y%m%dT%H%M%S"),
            if i % 10 == 0 { "RRULE:FREQ=WEEKLY;COUNT=12\r\n" } else { "" },
        ));
    }
    ics.push_str("END:VCALENDAR\r\n");
    ics
}

fn bench(c: &mut Criterion) {
    let ics = feed();
    let now = utc("2027-03-10T07:00:00Z");
    let horizon = (now - Duration::days(1))..(now + Duration::days(62));
    let zone = chrono_tz::Europe::Rome;
    let busy = busy_times(&ics, zone, &horizon, &Limits::default()).unwrap();
    println!("feed of {} bytes: {} busy intervals in the horizon", ics.len(), busy.len());

    c.bench_function("read_feed_2000_events_200_recurring", |b| {
        b.iter(|| busy_times(&ics, zone, &horizon, &Limits::default()).unwrap())
    });

    let availability = Availability::new(zone);
    let rules = SlotRules::new(&availability);
    let range = now..now + Duration::days(31);
    c.bench_function("slot_lookup_31_days_with_that_feed", |b| {
        b.iter(|| free_slots(&rules, &BusyTimes::new(busy.clone()), now, 30, &range).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
