//! The slot engine at the size the issue names: a 31-day window against 10,000 busy intervals
//! (target: under 1 ms for a listing), plus the single booking check.
//!
//! `cargo bench -p shared --bench slot_engine`

use chrono::{DateTime, Duration, Utc};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use shared::domain::availability::Availability;
use shared::domain::service_slots::{union_slots, Member};
use shared::domain::slots::{check_booking, free_slots, BusyTimes, SlotRules};
use shared::domain::time::Interval;

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
}

/// `count` busy intervals of 5–60 minutes scattered over the month (a deterministic LCG, so every
/// run measures the same calendar). Many overlap, as a dense external calendar's do.
fn busy(count: usize, from: DateTime<Utc>) -> Vec<Interval> {
    let mut seed: u64 = 0x5eed;
    let mut next = || {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        seed >> 33
    };
    (0..count)
        .map(|_| {
            let start = from + Duration::minutes((next() % (31 * 24 * 12)) as i64 * 5);
            start..start + Duration::minutes(5 + (next() % 12) as i64 * 5)
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let availability = Availability::new("Europe/Rome".parse().unwrap());
    let rules = SlotRules::new(&availability);
    // The month spans the spring-forward weekend.
    let now = utc("2027-03-10T07:00:00Z");
    let range = now..now + Duration::days(31);

    let mut group = c.benchmark_group("free_slots_31_days");
    for count in [0usize, 1_000, 10_000] {
        let intervals = busy(count, now);
        group.bench_with_input(BenchmarkId::new("busy_intervals", count), &intervals, |b, intervals| {
            // Building BusyTimes (sort + merge) is part of every lookup, so it is measured too.
            b.iter(|| {
                let busy = BusyTimes::new(intervals.clone());
                free_slots(&rules, &busy, now, 30, &range).unwrap()
            })
        });
    }
    group.finish();

    let dense = BusyTimes::new(busy(10_000, now));
    c.bench_function("check_booking_with_10000_busy", |b| {
        b.iter(|| check_booking(&rules, &dense, now, utc("2027-03-29T07:00:00Z"), 30))
    });

    // S9: a service's month is the union of its members' (each with 200 meetings and a calendar's
    // 300 busy periods), through the one engine.
    let mut group = c.benchmark_group("service_union_31_days");
    for members in [1usize, 5, 20, 50] {
        let calendars: Vec<BusyTimes> = (0..members).map(|_| BusyTimes::new(busy(500, now))).collect();
        let ids: Vec<String> = (0..members).map(|k| format!("m{k}")).collect();
        group.bench_with_input(BenchmarkId::new("members", members), &calendars, |b, calendars| {
            b.iter(|| {
                let members: Vec<Member> = calendars
                    .iter()
                    .zip(&ids)
                    .map(|(busy, id)| Member { id, rules: SlotRules::new(&availability), busy })
                    .collect();
                union_slots(&members, now, 30, &range).len()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
