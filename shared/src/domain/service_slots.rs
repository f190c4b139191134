//! A service's slots (S9): the union of its members' free slots, each member by their own rules
//! (hours, zone, overrides, notice, window, buffers, calendars and meetings) through the one slot
//! engine, so A6 holds for the service page as for an agent's: every listed slot books with a
//! member free at it, and nothing unlisted books.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::slots::{check_booking, free_slots, BusyTimes, Slot, SlotRules};
use super::time::Interval;

/// One member as the union sees them.
pub struct Member<'a> {
    pub id: &'a str,
    /// Their rules within the service page's limits.
    pub rules: SlotRules<'a>,
    pub busy: &'a BusyTimes,
}

/// The union of the members' free slots of `duration` in `range`, by start, each with the
/// members free at it (in the order given). A member who does not offer the duration adds none.
pub fn union_slots<'a>(
    members: &[Member<'a>],
    now: DateTime<Utc>,
    duration: u16,
    range: &Interval,
) -> Vec<(Slot, Vec<&'a str>)> {
    let mut by_start: BTreeMap<DateTime<Utc>, (Slot, Vec<&'a str>)> = BTreeMap::new();
    for member in members {
        let Ok(slots) = free_slots(&member.rules, member.busy, now, duration, range) else { continue };
        for slot in slots {
            by_start.entry(slot.start).or_insert_with(|| (slot.clone(), Vec::new())).1.push(member.id);
        }
    }
    by_start.into_values().collect()
}

/// The members free at `start` for `duration` (S10 chooses among them), each with the range
/// their meeting would block.
pub fn free_at<'a>(
    members: &[Member<'a>],
    now: DateTime<Utc>,
    start: DateTime<Utc>,
    duration: u16,
) -> Vec<(&'a str, Interval)> {
    members
        .iter()
        .filter_map(|m| check_booking(&m.rules, m.busy, now, start, duration).ok().map(|blocked| (m.id, blocked)))
        .collect()
}

#[cfg(test)]
mod tests {
    use chrono::Duration;
    use proptest::prelude::*;

    use super::*;
    use crate::domain::slots::tests::arb_availability;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(100))]

        /// S9 and A6 for a service: for random members (hours, zones, steps, buffers, notice,
        /// windows) and meetings, the service's slots are exactly the union of the members' own,
        /// each listed slot books with every member said to be free at it, and a start books with
        /// some member exactly when it is listed.
        #[test]
        fn a_services_slots_are_the_union_of_its_members_and_each_books(
            availabilities in prop::collection::vec(arb_availability(), 1..=4),
            now_offset in 0i64..365 * 24 * 3600,
            busy_seeds in prop::collection::vec(prop::collection::vec((0i64..20 * 288, 1i64..=24), 0..15), 4),
            probes in prop::collection::vec(0i64..20 * 288, 40),
        ) {
            let now = utc("2027-01-01T00:00:00Z") + Duration::seconds(now_offset);
            let grid = |k: i64| utc("2027-01-01T00:00:00Z") + Duration::seconds(now_offset - now_offset % 300) + Duration::minutes(5 * k);
            // Every member offers the service's one duration.
            let availabilities: Vec<_> = availabilities.into_iter().map(|mut a| { a.durations = vec![30]; a.default_duration = 30; a }).collect();
            let busy: Vec<BusyTimes> = busy_seeds.iter().map(|seeds| BusyTimes::new(seeds.iter().map(|(k, len)| grid(*k)..grid(*k + len)).collect())).collect();
            let ids = ["ann", "bob", "cid", "dan"];
            let members: Vec<Member> = availabilities.iter().enumerate().map(|(i, a)| Member { id: ids[i], rules: SlotRules::new(a), busy: &busy[i] }).collect();
            let range = now - Duration::days(1)..now + Duration::days(20);
            let union = union_slots(&members, now, 30, &range);

            // Exactly the union of each member's own listing.
            let mut expected: Vec<DateTime<Utc>> = members.iter()
                .flat_map(|m| free_slots(&m.rules, m.busy, now, 30, &range).unwrap().into_iter().map(|s| s.start))
                .collect();
            expected.sort();
            expected.dedup();
            let listed: Vec<DateTime<Utc>> = union.iter().map(|(s, _)| s.start).collect();
            prop_assert_eq!(&listed, &expected);

            for (slot, free) in &union {
                prop_assert!(!free.is_empty());
                let booking = free_at(&members, now, slot.start, 30);
                let bookable: Vec<&str> = booking.iter().map(|(id, _)| *id).collect();
                prop_assert_eq!(&bookable, free, "the members said free at {} book it", slot.start);
            }
            for start in probes.iter().map(|k| grid(*k)) {
                let books = !free_at(&members, now, start, 30).is_empty();
                prop_assert_eq!(books, listed.contains(&start), "probe {}", start);
            }
        }
    }
}
