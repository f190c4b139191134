//! Who hosts a meeting when a service, not a person, is booked (S10), or when a meeting is handed
//! over to a colleague (T5): among the members free at that time, by priority (higher first),
//! then the fewest meetings booked through the service this month (a member who joined this
//! month counts from the fewest there were when they joined, so a newcomer is not flooded), then
//! the one booked least recently (never booked first), then at random. Pure: the counts and the
//! random source are given.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What decides a member's turn.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostStats {
    /// A member setting: higher goes first.
    #[serde(default)]
    pub priority: i32,
    /// Meetings (not cancelled) booked through the service with them this month.
    #[serde(default)]
    pub meetings_this_month: u32,
    /// For a member who joined this month: the fewest meetings a member had when they joined,
    /// counted as theirs too.
    #[serde(default)]
    pub start_count: u32,
    /// When they were last booked through the service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_booked: Option<DateTime<Utc>>,
}

impl HostStats {
    /// The count their turn is judged by.
    pub fn count(&self) -> u32 {
        self.meetings_this_month.saturating_add(self.start_count)
    }
}

/// Why a host was chosen, as the meeting records it (S10).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HostReason {
    /// The only member free then.
    OnlyFree,
    /// The highest priority among those free.
    Priority,
    /// The fewest meetings this month at the highest priority.
    FewestMeetings,
    /// As few as others, but booked least recently.
    LeastRecent,
    /// Equal in every way: drawn at random.
    Random,
}

/// The members free at a slot in the order they are tried, each with why they stand there: the
/// first is the host, the rest are tried in turn if a racing booking takes the first's time.
/// `draw(n)` picks one of `n` equals (random in production).
pub fn order<'a>(free: &[(&'a str, HostStats)], mut draw: impl FnMut(usize) -> usize) -> Vec<(&'a str, HostReason)> {
    let mut left: Vec<(&'a str, &HostStats)> = free.iter().map(|(id, stats)| (*id, stats)).collect();
    let mut ordered = Vec::with_capacity(left.len());
    while !left.is_empty() {
        let best = |l: &[(&str, &HostStats)]| l.iter().map(|(_, s)| s.priority).max();
        let top = best(&left);
        let at_top: Vec<usize> = (0..left.len()).filter(|i| Some(left[*i].1.priority) == top).collect();
        let fewest = at_top.iter().map(|i| left[*i].1.count()).min();
        let with_fewest: Vec<usize> = at_top.iter().copied().filter(|i| Some(left[*i].1.count()) == fewest).collect();
        let oldest = with_fewest.iter().map(|i| left[*i].1.last_booked).min();
        let least_recent: Vec<usize> =
            with_fewest.iter().copied().filter(|i| left[*i].1.last_booked == oldest.flatten()).collect();
        let reason = if left.len() == 1 {
            HostReason::OnlyFree
        } else if at_top.len() == 1 {
            HostReason::Priority
        } else if with_fewest.len() == 1 {
            HostReason::FewestMeetings
        } else if least_recent.len() == 1 {
            HostReason::LeastRecent
        } else {
            HostReason::Random
        };
        let chosen = least_recent[draw(least_recent.len()).min(least_recent.len() - 1)];
        ordered.push((left[chosen].0, reason));
        left.remove(chosen);
    }
    ordered
}

/// S10: what a member who joins a service this month starts from: the fewest meetings any member
/// already has this month (so they are neither flooded nor left idle); 0 for the first.
pub fn joining_count(members: &[HostStats]) -> u32 {
    members.iter().map(HostStats::count).min().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(hour: u32) -> Option<DateTime<Utc>> {
        Some(DateTime::parse_from_rfc3339(&format!("2027-03-24T{hour:02}:00:00Z")).unwrap().with_timezone(&Utc))
    }

    fn stats(priority: i32, count: u32, last: Option<DateTime<Utc>>) -> HostStats {
        HostStats { priority, meetings_this_month: count, start_count: 0, last_booked: last }
    }

    /// One row: what it shows, the free hosts, and the order they must be tried in (and why).
    type Row = (&'static str, Vec<(&'static str, HostStats)>, Vec<(&'static str, HostReason)>);

    #[test]
    fn hosts_are_tried_by_priority_then_count_then_recency_then_chance() {
        let first = |_: usize| 0;
        let table: Vec<Row> = vec![
            ("one free", vec![("ann", stats(0, 9, at(9)))], vec![("ann", HostReason::OnlyFree)]),
            (
                "priority beats count",
                vec![("ann", stats(0, 0, None)), ("bob", stats(5, 20, at(9)))],
                vec![("bob", HostReason::Priority), ("ann", HostReason::OnlyFree)],
            ),
            (
                "fewest meetings at the top priority",
                vec![("ann", stats(1, 4, None)), ("bob", stats(1, 2, at(9))), ("cid", stats(0, 0, None))],
                vec![("bob", HostReason::FewestMeetings), ("ann", HostReason::Priority), ("cid", HostReason::OnlyFree)],
            ),
            (
                "equal counts: least recently booked, never booked first",
                vec![("ann", stats(0, 2, at(11))), ("bob", stats(0, 2, at(8))), ("cid", stats(0, 2, None))],
                vec![("cid", HostReason::LeastRecent), ("bob", HostReason::LeastRecent), ("ann", HostReason::OnlyFree)],
            ),
            (
                "equal in every way: drawn",
                vec![("ann", stats(0, 2, at(8))), ("bob", stats(0, 2, at(8)))],
                vec![("ann", HostReason::Random), ("bob", HostReason::OnlyFree)],
            ),
        ];
        for (what, free, want) in table {
            assert_eq!(order(&free, first), want, "{what}");
        }
        let drawn = order(&[("ann", stats(0, 2, at(8))), ("bob", stats(0, 2, at(8)))], |n| n - 1);
        assert_eq!(drawn[0], ("bob", HostReason::Random), "the draw decides among equals");
    }

    #[test]
    fn a_newcomer_starts_at_the_fewest_and_is_not_flooded() {
        let members = [stats(0, 7, at(8)), stats(0, 5, at(9))];
        let start = joining_count(&members);
        assert_eq!(start, 5);
        let newcomer = HostStats { start_count: start, ..HostStats::default() };
        let free = [("old", members[1].clone()), ("new", newcomer)];
        let ordered = order(&free, |_| 0);
        assert_eq!(ordered[0].0, "new", "equal counts; the newcomer was never booked");
        let busier = [
            ("old", stats(0, 5, at(9))),
            ("new", HostStats { meetings_this_month: 1, start_count: 5, last_booked: at(10), ..HostStats::default() }),
        ];
        assert_eq!(order(&busier, |_| 0)[0].0, "old", "one meeting more and the newcomer waits");
        assert_eq!(joining_count(&[]), 0);
    }
}
