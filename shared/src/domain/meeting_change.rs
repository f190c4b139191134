//! Changing a meeting (E1–E3): what may change, when, and what each change says in the
//! conversation. The booking rules themselves are re-checked by the slot engine.

use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use thiserror::Error;

use super::availability::Availability;
use super::conversation::Event;
use super::directory::LinkLimits;
use super::meeting::{DayCount, Meeting, MeetingStatus, MAX_SUBJECT_CHARS};
use super::time::Interval;
use super::validation::{self, FieldError};

/// The body of `PATCH /v1/meetings/{id}`: any of the three, and optionally the version read.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeetingChanges {
    #[serde(default)]
    pub start: Option<DateTime<Utc>>,
    #[serde(default)]
    pub duration: Option<u16>,
    #[serde(default)]
    pub subject: Option<String>,
    /// When sent, the change applies only to this version (the caller saw it); otherwise to the
    /// version the server reads now. Either way two concurrent changes cannot both land.
    #[serde(default)]
    pub version: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidChanges {
    pub start: Option<DateTime<Utc>>,
    pub duration: Option<u16>,
    pub subject: Option<String>,
    pub version: Option<u64>,
}

impl MeetingChanges {
    pub fn validate(self) -> Result<ValidChanges, FieldError> {
        if self.start.is_none() && self.duration.is_none() && self.subject.is_none() {
            return Err(FieldError::new("start", "send at least one of start, duration and subject"));
        }
        if let Some(start) = self.start {
            if start.timestamp_subsec_nanos() != 0 || start.timestamp() % 60 != 0 {
                return Err(FieldError::new("start", "must be on a whole minute, as listed by the slots endpoint"));
            }
        }
        let subject = match &self.subject {
            Some(s) => Some(validation::text("subject", s, MAX_SUBJECT_CHARS)?),
            None => None,
        };
        Ok(ValidChanges { start: self.start, duration: self.duration, subject, version: self.version })
    }
}

/// Why a meeting cannot be changed at all, whatever the change.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ChangeRefusal {
    #[error("the meeting was cancelled; it can no longer be changed")]
    Cancelled,
    #[error("the meeting has already started; it can no longer be changed")]
    Started,
    #[error("the meeting changed since version {expected}; it is now at version {actual}")]
    StaleVersion { expected: u64, actual: u64 },
    /// G7: the guest's side changed it as often as a day allows.
    #[error("this meeting was changed {MAX_GUEST_CHANGES_PER_DAY} times today; try again after {until}")]
    TooManyChanges { until: DateTime<Utc>, wait_seconds: u32 },
}

/// G7: changes a meeting takes in a day (UTC) from its guest's side; each mails everyone in it.
pub const MAX_GUEST_CHANGES_PER_DAY: u16 = 10;

/// G7: counts a change of the guest's side against the day's budget (an agent's changes are not
/// counted): the count to store, or the refusal with when the budget comes back.
pub fn count_change(
    changer: Changer,
    meeting: &Meeting,
    now: DateTime<Utc>,
) -> Result<Option<DayCount>, ChangeRefusal> {
    if changer == Changer::Agent {
        return Ok(meeting.guest_changes.clone());
    }
    let today = now.date_naive();
    let so_far = meeting.guest_changes.as_ref().filter(|c| c.day == today).map_or(0, |c| c.count);
    if so_far >= MAX_GUEST_CHANGES_PER_DAY {
        let until = (today + Duration::days(1)).and_hms_opt(0, 0, 0).map_or(now, |t| t.and_utc());
        let wait_seconds = u32::try_from((until - now).num_seconds().max(1)).unwrap_or(86_400);
        return Err(ChangeRefusal::TooManyChanges { until, wait_seconds });
    }
    Ok(Some(DayCount { day: today, count: so_far + 1 }))
}

/// E3: only a scheduled meeting that has not started can change.
pub fn check_changeable(
    meeting: &Meeting,
    now: DateTime<Utc>,
    expected_version: Option<u64>,
) -> Result<(), ChangeRefusal> {
    if meeting.status == MeetingStatus::Cancelled {
        return Err(ChangeRefusal::Cancelled);
    }
    if meeting.start <= now {
        return Err(ChangeRefusal::Started);
    }
    match expected_version {
        Some(expected) if expected != meeting.version => {
            Err(ChangeRefusal::StaleVersion { expected, actual: meeting.version })
        }
        _ => Ok(()),
    }
}

impl ValidChanges {
    /// The start and duration the meeting will have.
    pub fn target(&self, meeting: &Meeting) -> (DateTime<Utc>, u16) {
        (self.start.unwrap_or(meeting.start), self.duration.unwrap_or(meeting.duration))
    }

    /// Whether the change moves the meeting in time (and so must pass the slot engine again).
    pub fn moves(&self, meeting: &Meeting) -> bool {
        self.target(meeting) != (meeting.start, meeting.duration)
    }

    /// The meeting after the change, its version advanced, and the events it produces in order.
    /// `blocked` is the range the new time blocks (from the slot engine's check).
    pub fn apply(&self, meeting: &Meeting, blocked: Option<Interval>) -> (Meeting, Vec<Event>) {
        let (start, duration) = self.target(meeting);
        let mut after = meeting.clone();
        let mut events = Vec::new();
        after.start = start;
        after.duration = duration;
        after.end = start + Duration::minutes(duration.into());
        if let Some(blocked) = blocked {
            after.blocked_from = blocked.start;
            after.blocked_to = blocked.end;
        }
        if start != meeting.start {
            events.push(Event::MeetingRescheduled {
                meeting_id: meeting.id.clone(),
                from: meeting.start,
                start,
                end: after.end,
            });
        }
        if duration != meeting.duration {
            events.push(Event::DurationChanged {
                meeting_id: meeting.id.clone(),
                from_minutes: meeting.duration,
                to_minutes: duration,
                end: after.end,
            });
        }
        if let Some(subject) = self.subject.as_ref().filter(|s| **s != meeting.subject) {
            events.push(Event::SubjectChanged {
                meeting_id: meeting.id.clone(),
                from: meeting.subject.clone(),
                to: subject.clone(),
            });
            after.subject = subject.clone();
        }
        after.version += 1;
        (after, events)
    }
}

/// Who changes a meeting, which decides the rules its new time is held to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Changer {
    /// The guest, through the manage link.
    Guest,
    /// The meeting's agent.
    Agent,
}

/// The limits a change is checked against (A5, E1): a guest's change keeps the limits of the page
/// the meeting was booked through (as the agent's current settings allow); an agent's change
/// only the agent's own rules. The slot engine applies them with the agent's availability.
pub fn limits_for(changer: Changer, meeting: &Meeting, availability: &Availability) -> LinkLimits {
    match changer {
        Changer::Guest => meeting.limits.within(availability),
        Changer::Agent => LinkLimits::default(),
    }
}

/// The meeting cancelled, and what the conversation is told.
pub fn cancel(meeting: &Meeting) -> (Meeting, Event) {
    let mut after = meeting.clone();
    after.status = MeetingStatus::Cancelled;
    after.version += 1;
    (after, Event::MeetingCancelled { meeting_id: meeting.id.clone(), start: meeting.start })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
    }

    fn meeting() -> Meeting {
        crate::domain::meeting::sample()
    }

    #[test]
    fn a_change_produces_one_event_per_thing_changed_in_order() {
        let changes = MeetingChanges {
            start: Some(utc("2027-03-30T07:00:00Z")),
            duration: Some(45),
            subject: Some("Demo".into()),
            version: None,
        }
        .validate()
        .unwrap();
        let (after, events) = changes.apply(&meeting(), None);
        assert_eq!(after.end, utc("2027-03-30T07:45:00Z"));
        assert_eq!(after.version, 2);
        let kinds: Vec<&str> = events
            .iter()
            .map(|e| match e {
                Event::MeetingRescheduled { .. } => "rescheduled",
                Event::DurationChanged { .. } => "duration",
                Event::SubjectChanged { .. } => "subject",
                _ => "other",
            })
            .collect();
        assert_eq!(kinds, vec!["rescheduled", "duration", "subject"]);
    }

    #[test]
    fn cancelled_started_and_stale_meetings_refuse_changes() {
        let m = meeting();
        assert_eq!(check_changeable(&m, utc("2027-03-29T06:59:00Z"), None), Ok(()));
        assert_eq!(check_changeable(&m, utc("2027-03-29T07:00:00Z"), None), Err(ChangeRefusal::Started));
        assert_eq!(check_changeable(&cancel(&m).0, utc("2027-03-24T00:00:00Z"), None), Err(ChangeRefusal::Cancelled));
        assert!(matches!(
            check_changeable(&m, utc("2027-03-24T00:00:00Z"), Some(3)),
            Err(ChangeRefusal::StaleVersion { .. })
        ));
    }

    #[test]
    fn the_guests_side_changes_a_meeting_ten_times_a_day() {
        let mut m = meeting();
        let now = utc("2027-03-24T08:00:00Z");
        for n in 1..=MAX_GUEST_CHANGES_PER_DAY {
            m.guest_changes = count_change(Changer::Guest, &m, now).unwrap();
            assert_eq!(m.guest_changes.as_ref().unwrap().count, n);
        }
        assert_eq!(
            count_change(Changer::Guest, &m, now),
            Err(ChangeRefusal::TooManyChanges { until: utc("2027-03-25T00:00:00Z"), wait_seconds: 16 * 3600 })
        );
        assert_eq!(count_change(Changer::Agent, &m, now), Ok(m.guest_changes.clone()), "the agent's are not counted");
        let tomorrow = count_change(Changer::Guest, &m, utc("2027-03-25T00:00:01Z")).unwrap().unwrap();
        assert_eq!(tomorrow.count, 1, "a new day, a new budget");
    }

    #[test]
    fn an_empty_change_is_refused() {
        let empty = MeetingChanges { start: None, duration: None, subject: None, version: Some(1) };
        assert!(empty.validate().is_err());
    }
}
