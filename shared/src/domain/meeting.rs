//! Meetings and the guest's booking request (B1, B2).

use crate::i18n::Lang;
use chrono::{DateTime, Duration, DurationRound, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::availability::{optional_zone_name, GRANULE_MINUTES};
use super::directory::{BookingPage, LinkLimits};
use super::time::Interval;
use super::validation::{self, FieldError};

pub const MAX_SUBJECT_CHARS: usize = 200;
pub const MAX_NAME_CHARS: usize = 100;
/// G7: each additional member is mailed on every change, so a booking names only a few.
pub const MAX_ADDITIONAL_MEMBERS: usize = 5;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingStatus {
    Scheduled,
    Cancelled,
}

/// Who put the meeting on the calendar; an agent's own bookings are exempt from the guest cap (B5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BookedBy {
    Guest,
    Agent,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Guest {
    pub name: String,
    /// Lower-cased; the identity the per-guest cap counts by.
    pub email: String,
    #[serde(default, with = "optional_zone_name", skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<Tz>,
    /// The language they booked in (L1): their emails, later ones too, are in it. `None` for a
    /// meeting booked before languages were kept (English).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Lang>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    pub id: String,
    pub agent_id: String,
    /// The conversation this meeting belongs to: the guest's one with this agent (C1).
    pub conversation_id: String,
    /// The booking link it was booked through (the agent's own slug for an agent's booking): where
    /// the guest's manage page finds slots to move it to.
    #[serde(default)]
    pub booking_slug: String,
    /// The limits of that link when it was booked (A5): a guest's later change is held to them.
    #[serde(default)]
    pub limits: LinkLimits,
    pub subject: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub duration: u16,
    pub guest: Guest,
    #[serde(default)]
    pub additional_members: Vec<String>,
    pub status: MeetingStatus,
    /// The range this meeting keeps off the agent's calendar: itself plus the buffers in force
    /// when it was booked, so a later settings change does not move other meetings' edges.
    pub blocked_from: DateTime<Utc>,
    pub blocked_to: DateTime<Utc>,
    /// Which of the guest's cap places this meeting holds (B2: a proven guest's booking only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guest_place: Option<u16>,
    /// The place an unproven booking holds under its client's bound instead (G9).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_place: Option<ClientPlace>,
    pub booked_by: BookedBy,
    /// Whether the guest proved the address (a code, a session) or the agent booked it (G4). An
    /// unverified meeting is alone in its conversation, and its manage token reaches only it.
    #[serde(default)]
    pub verified: bool,
    /// Minutes before the start at which reminders go out, as the agent had set them at booking.
    #[serde(default)]
    pub reminder_lead_times: Vec<u32>,
    /// What its people last heard of it by email, and the change email waiting (G7).
    #[serde(default)]
    pub change_mail: ChangeMail,
    /// Changes from the guest's side today (G7: at most `MAX_GUEST_CHANGES_PER_DAY`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guest_changes: Option<DayCount>,
    pub created_at: DateTime<Utc>,
    /// Optimistic-concurrency version: every change must name the version it read.
    pub version: u64,
    /// Booked through a service's page (S10): which service, and why this host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<HostChoice>,
}

/// How a meeting booked through a service found its host (S10).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostChoice {
    pub service_id: String,
    pub reason: super::hosts::HostReason,
    /// The month its booking counts in for the service's fairness (`YYYY-MM`, UTC).
    pub month: String,
}

/// What people were told of a meeting: the email a change email says it changed from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Told {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub subject: String,
}

impl Told {
    pub fn of(meeting: &Meeting) -> Self {
        Told { start: meeting.start, end: meeting.end, subject: meeting.subject.clone() }
    }
}

/// A change email waiting to go out (G7): it tells the meeting as it is when it goes, against
/// what people last heard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingChange {
    /// Its outbox item.
    pub id: String,
    pub due_at: DateTime<Utc>,
    pub before: Told,
    /// A delivery has taken it and is sending it now: a later change waits for an email of its own.
    #[serde(default)]
    pub taken: bool,
}

/// A meeting's change emails (G7): the one waiting, when the last went out, and a revision that
/// each step of a delivery advances, so a change and a delivery never both act on one reading.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeMail {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending: Option<PendingChange>,
    /// When an email about the meeting last went out to its people (the invitation included).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub rev: u64,
}

/// A count of something on one day (UTC).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayCount {
    pub day: chrono::NaiveDate,
    pub count: u16,
}

/// A place under a client's bound (G9): which client (a digest), which place.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientPlace {
    pub client: String,
    pub place: u16,
}

/// How a meeting came to be booked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BookedAs {
    pub by: BookedBy,
    /// See [`Meeting::verified`].
    pub verified: bool,
    /// The cap place it holds (B2; a proven guest's booking only).
    pub guest_place: Option<u16>,
    /// The client place it holds (G9; an unproven booking only).
    pub client_place: Option<ClientPlace>,
}

impl Meeting {
    /// A new meeting booked through `page`: the one place a meeting is made, so none exists
    /// without its end, status, version, conversation, the page's limits and its reminders.
    /// `blocked` is the range the slot engine's check returned.
    pub fn book(
        id: String,
        conversation_id: String,
        page: &BookingPage,
        request: &ValidBooking,
        blocked: Interval,
        how: BookedAs,
        now: DateTime<Utc>,
    ) -> Meeting {
        Meeting {
            id,
            agent_id: page.agent_id.clone(),
            conversation_id,
            booking_slug: page.slug.clone(),
            limits: page.limits.clone(),
            subject: request.subject.clone(),
            start: request.start,
            end: request.start + Duration::minutes(request.duration.into()),
            duration: request.duration,
            guest: request.guest.clone(),
            additional_members: request.additional_members.clone(),
            status: MeetingStatus::Scheduled,
            blocked_from: blocked.start,
            blocked_to: blocked.end,
            guest_place: how.guest_place,
            client_place: how.client_place,
            booked_by: how.by,
            verified: how.verified,
            reminder_lead_times: page.availability.reminder_lead_times.clone(),
            // The invitation goes out now: a change soon after waits its turn (G7).
            change_mail: ChangeMail { pending: None, last_at: Some(now), rev: 0 },
            guest_changes: None,
            created_at: now,
            version: 1,
            host: page.service.as_ref().map(|s| HostChoice {
                service_id: s.id.clone(),
                reason: s.reason,
                month: super::time::billing_month(now),
            }),
        }
    }

    /// Whose guest cap and conversation it counts under: its service's, else its agent's (S11).
    pub fn owner(&self) -> &str {
        self.host.as_ref().map_or(&self.agent_id, |h| &h.service_id)
    }

    pub fn blocked(&self) -> Interval {
        self.blocked_from..self.blocked_to
    }
}

/// The body of `POST /v1/book/{slug}/meetings` as sent.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BookingRequest {
    pub subject: String,
    /// Minutes; the agent's default duration when omitted.
    #[serde(default)]
    pub duration: Option<u16>,
    pub start: DateTime<Utc>,
    pub name: String,
    pub email: String,
    #[serde(default)]
    pub additional_members: Vec<String>,
    #[serde(default, with = "optional_zone_name")]
    pub time_zone: Option<Tz>,
    /// The language chosen on the page; the handler fills it in from `Accept-Language`, else
    /// the tenant's default, when the request names none.
    #[serde(default)]
    pub language: Option<Lang>,
}

/// A booking request whose every field passed its checks, normalised.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidBooking {
    pub subject: String,
    pub duration: u16,
    pub start: DateTime<Utc>,
    pub guest: Guest,
    pub additional_members: Vec<String>,
}

impl BookingRequest {
    pub fn validate(self, default_duration: u16) -> Result<ValidBooking, FieldError> {
        let subject = validation::text("subject", &self.subject, MAX_SUBJECT_CHARS)?;
        let name = validation::text("name", &self.name, MAX_NAME_CHARS)?;
        let email = validation::email("email", &self.email)?;
        if self.additional_members.len() > MAX_ADDITIONAL_MEMBERS {
            return Err(FieldError::new(
                "additional_members",
                format!("at most {MAX_ADDITIONAL_MEMBERS} additional members"),
            ));
        }
        let mut additional_members: Vec<String> = Vec::new();
        for (i, member) in self.additional_members.iter().enumerate() {
            let member = validation::email(&format!("additional_members[{i}]"), member)?;
            if member != email && !additional_members.contains(&member) {
                additional_members.push(member);
            }
        }
        if self.start.timestamp_subsec_nanos() != 0 || self.start.timestamp() % 60 != 0 {
            return Err(FieldError::new("start", "must be on a whole minute, as listed by the slots endpoint"));
        }
        Ok(ValidBooking {
            subject,
            duration: self.duration.unwrap_or(default_duration),
            start: self.start,
            guest: Guest { name, email, time_zone: self.time_zone, language: self.language },
            additional_members,
        })
    }
}

/// A scheduled 30-minute meeting on Monday 2027-03-29 at 07:00 UTC, for unit tests.
#[cfg(test)]
pub fn sample() -> Meeting {
    let at = |text: &str| DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc);
    Meeting {
        id: "m1".into(),
        agent_id: "a1".into(),
        conversation_id: "c1".into(),
        booking_slug: "ada".into(),
        limits: LinkLimits::default(),
        subject: "Intro".into(),
        start: at("2027-03-29T07:00:00Z"),
        end: at("2027-03-29T07:30:00Z"),
        duration: 30,
        guest: Guest { name: "G".into(), email: "g@example.com".into(), time_zone: None, language: None },
        additional_members: vec![],
        status: MeetingStatus::Scheduled,
        blocked_from: at("2027-03-29T07:00:00Z"),
        blocked_to: at("2027-03-29T07:30:00Z"),
        guest_place: Some(0),
        client_place: None,
        booked_by: BookedBy::Guest,
        verified: true,
        reminder_lead_times: vec![15],
        change_mail: ChangeMail::default(),
        guest_changes: None,
        created_at: at("2027-03-24T08:00:00Z"),
        version: 1,
        host: None,
    }
}

/// The lock granules that cover a blocked range: one item per granule makes overlapping
/// meetings collide on at least one key, which DynamoDB's conditional writes then refuse.
/// Floor and ceiling make the cover a superset, so an off-grid range can never slip through.
pub fn lock_granules(blocked: &Interval) -> Vec<DateTime<Utc>> {
    let granule = Duration::minutes(GRANULE_MINUTES.into());
    let first = blocked.start.duration_trunc(granule).expect("granule divides a day");
    let mut granules = Vec::new();
    let mut at = first;
    while at < blocked.end {
        granules.push(at);
        at += granule;
    }
    granules
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
    }

    fn request() -> BookingRequest {
        serde_json::from_value(serde_json::json!({
            "subject": " Quarterly review ",
            "start": "2027-06-07T08:00:00Z",
            "name": "Ada Lovelace",
            "email": "Ada@Example.com",
            "additional_members": ["bob@example.com", "BOB@example.com", "ada@example.com"],
            "time_zone": "America/New_York"
        }))
        .unwrap()
    }

    #[test]
    fn a_request_is_normalised() {
        let valid = request().validate(30).unwrap();
        assert_eq!(valid.subject, "Quarterly review");
        assert_eq!(valid.duration, 30, "the agent's default");
        assert_eq!(valid.guest.email, "ada@example.com");
        assert_eq!(valid.additional_members, vec!["bob@example.com"], "deduplicated, guest dropped");
    }

    #[test]
    fn bad_fields_are_named() {
        let mut r = request();
        r.additional_members = vec!["x".into(); 6];
        assert_eq!(r.validate(30).unwrap_err().field, "additional_members");
        let mut r = request();
        r.additional_members = vec!["ok@example.com".into(), "nope".into()];
        assert_eq!(r.validate(30).unwrap_err().field, "additional_members[1]");
        let mut r = request();
        r.start = utc("2027-06-07T08:00:30Z");
        assert_eq!(r.validate(30).unwrap_err().field, "start");
        let mut r = request();
        r.subject = "x".repeat(201);
        assert_eq!(r.validate(30).unwrap_err().field, "subject");
    }

    #[test]
    fn granules_cover_the_blocked_range() {
        let g = lock_granules(&(utc("2027-06-07T08:00:00Z")..utc("2027-06-07T08:30:00Z")));
        assert_eq!(g.len(), 6);
        assert_eq!(g[0], utc("2027-06-07T08:00:00Z"));
        assert_eq!(g[5], utc("2027-06-07T08:25:00Z"));
        let off_grid = lock_granules(&(utc("2027-06-07T08:03:00Z")..utc("2027-06-07T08:11:00Z")));
        assert_eq!(
            off_grid,
            vec![utc("2027-06-07T08:00:00Z"), utc("2027-06-07T08:05:00Z"), utc("2027-06-07T08:10:00Z")]
        );
    }
}
