//! What people are told (B6, E2, R1): who receives which message about which meeting, and when
//! reminders fall due. Pure: rendering lives in `mail`, delivery in `dispatch`.

use crate::i18n::Lang;
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::availability::zone_name;
use super::meeting::{ChangeMail, Meeting, MeetingStatus, PendingChange, Told};

/// Why a notification is sent; decides its wording and its invitation method.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    Booked,
    /// One or more of start, duration and subject changed; `previous_start` when it moved.
    Changed {
        previous_start: Option<DateTime<Utc>>,
        previous_subject: Option<String>,
    },
    Cancelled,
    Reminder {
        lead_minutes: u32,
    },
    /// A conversation was assigned: no email, only the `ConversationAssigned` event.
    Assigned,
    /// A code for the guest to confirm a hold (G2).
    ConfirmBooking,
    /// A code for the guest to sign in (G3).
    SignIn,
    /// An endpoint failed for a day and was disabled (W3): its tenant's admin agents are told
    /// (who they are is worked out when it goes out).
    WebhookDisabled {
        endpoint_id: String,
        host: String,
    },
    /// A webhook to one endpoint (W1–W3): its body as first built (the same for every try), and
    /// what it is about (its meeting or conversation: they keep their order).
    Webhook {
        endpoint_id: String,
        event_type: String,
        body: String,
        about: String,
    },
    /// An agent's code to sign in to the console (AC1).
    ConsoleSignIn,
    /// A connected calendar of the agent's could not be read (A3): its busy time is missing
    /// from the slots until it can. Its recipient is worked out when it goes out, from the
    /// agent as stored (whoever wrote the alert cannot choose where it goes).
    CalendarUnreadable {
        agent_id: String,
        /// The feed's host only: its full address is a secret of the agent's.
        host: String,
        error: String,
    },
    /// New messages in a conversation that members have not read (C5): who is told of what is
    /// worked out when it goes out.
    Digest {
        conversation_id: String,
    },
    /// A meeting's changes, told in one email (G7): what it says (changed from what, or
    /// cancelled) is worked out from the meeting when it goes out.
    ChangeMail {
        meeting_id: String,
    },
    /// The guest's manage link was replaced (G11): the new one, to the guest alone.
    ManageLink,
    /// The meeting went to another agent when its agent left (T5): the invitation's organiser
    /// changes (same UID, higher SEQUENCE).
    HandedOver {
        previous_agent: String,
    },
}

/// A code on its way to a guest (G2, G3): what the email says and links to. Secret: erased from
/// the stored notification once sent, like a manage token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeMail {
    pub code: String,
    pub expires_at: DateTime<Utc>,
    /// The hold's one-click confirmation (none for a sign-in).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirm: Option<ConfirmLink>,
    /// The sign-in's one-click link (G8): its recipient gets in without the code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_in: Option<ConfirmLink>,
    /// What the code confirms, shown in the email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booking: Option<BookingSummary>,
}

/// A one-click link of a code email: the hold's (or the sign-in's) public id and its token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfirmLink {
    /// The hold's (or sign-in's) public id (it names its tenant).
    pub hold_id: String,
    pub token: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingSummary {
    pub subject: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Agent,
    Guest,
    Additional,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipient {
    pub email: String,
    pub name: Option<String>,
    pub role: Role,
    /// The zone their copy shows times in.
    #[serde(with = "zone_name")]
    pub time_zone: Tz,
    /// The language their copy is written in (L1).
    #[serde(default)]
    pub language: Lang,
}

/// The agent as the messages name them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentContact {
    pub id: String,
    pub name: String,
    pub email: String,
    #[serde(with = "zone_name")]
    pub time_zone: Tz,
    /// The agent's language setting (L1).
    #[serde(default)]
    pub language: Lang,
}

impl AgentContact {
    /// An agent known by id only (none, or no longer readable): nobody is mailed as them.
    pub fn nobody(agent_id: &str) -> Self {
        AgentContact {
            id: agent_id.to_string(),
            name: String::new(),
            email: String::new(),
            time_zone: chrono_tz::UTC,
            language: Lang::default(),
        }
    }
}

/// What to tell whom, as things stood when it happened: enough to write every copy later.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub id: String,
    pub tenant_id: String,
    pub reason: Reason,
    /// The meeting the emails are about; `None` for an event-only entry (an assignment).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting: Option<Meeting>,
    pub agent: AgentContact,
    /// Empty once delivered: a delivered notification keeps no personal data (T7).
    #[serde(default)]
    pub recipients: Vec<Recipient>,
    /// The guest's manage token, when this message is the one that hands it over; erased from
    /// the stored copy once the guest's email has gone out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manage_token: Option<String>,
    /// The public conversation link token, when the booking opened the conversation (erased likewise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation_link: Option<String>,
    /// A code for the guest, when this message carries one (erased likewise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<CodeMail>,
    /// The domain event to publish with it, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<DomainEvent>,
    pub created_at: DateTime<Utc>,
}

impl Notification {
    /// The conversation its emails are about, if any: a meeting's, or a digest's.
    pub fn conversation_id(&self) -> Option<&str> {
        match (&self.reason, &self.meeting) {
            (Reason::Digest { conversation_id }, _) => Some(conversation_id),
            (_, Some(meeting)) => Some(&meeting.conversation_id),
            _ => None,
        }
    }
}

/// What an event for integrations and billing says happened: its EventBridge `detail-type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventKind {
    MeetingScheduled,
    MeetingRescheduled,
    /// The duration or subject changed, not the start.
    MeetingChanged,
    MeetingCancelled,
    ConversationAssigned,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::MeetingScheduled => "MeetingScheduled",
            EventKind::MeetingRescheduled => "MeetingRescheduled",
            EventKind::MeetingChanged => "MeetingChanged",
            EventKind::MeetingCancelled => "MeetingCancelled",
            EventKind::ConversationAssigned => "ConversationAssigned",
        }
    }
}

/// An event for integrations and billing, published on EventBridge.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainEvent {
    pub detail_type: EventKind,
    pub detail: serde_json::Value,
}

/// A notification and when it is due: what the outbox holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Planned {
    pub notification: Notification,
    pub due_at: DateTime<Utc>,
}

/// What a booking or a change of a meeting tells people (B6, E2, R1): one notification now, with
/// its domain event, and the meeting's reminders at start minus each lead time.
pub struct Announcement<'a> {
    pub tenant_id: &'a str,
    /// The meeting as it now is, conversation and all.
    pub meeting: &'a Meeting,
    pub agent: AgentContact,
    pub reason: Reason,
    /// The guest's manage token, when this message hands it over.
    pub manage_token: Option<String>,
    /// The conversation's public link, when the booking opened it.
    pub conversation_link: Option<String>,
    /// The id the immediate notification gets (reminders have ids of their own).
    pub id: String,
    pub now: DateTime<Utc>,
}

/// The outbox entries an announcement writes, and the reminders it takes back.
pub struct Plan {
    /// The immediate notification first, then the reminders.
    pub entries: Vec<Planned>,
    /// Reminders of a time the meeting no longer has (moved or cancelled), by id.
    pub retract: Vec<String>,
}

impl Plan {
    /// The id of the notification that should go out right away.
    pub fn immediate(&self) -> &str {
        &self.entries[0].notification.id
    }
}

/// The email that carries a code to a guest, alone (no other recipient, no event).
pub fn code_mail(
    id: String,
    tenant_id: &str,
    reason: Reason,
    to: Recipient,
    agent: AgentContact,
    code: CodeMail,
    now: DateTime<Utc>,
) -> Planned {
    let notification =
        Notification { recipients: vec![to], code: Some(code), ..about(id, tenant_id, reason, agent, now) };
    Planned { notification, due_at: now }
}

/// The alert that a connected calendar stopped being readable: one per calendar and day (its
/// id says which), due now, for the agent.
pub fn calendar_alert(
    tenant_id: &str,
    agent_id: &str,
    calendar_id: &str,
    host: &str,
    error: &str,
    now: DateTime<Utc>,
) -> Planned {
    let id = format!("{CALENDAR_ALERT_PREFIX}{agent_id}-{calendar_id}-{}", now.format("%Y%m%d"));
    let reason = Reason::CalendarUnreadable {
        agent_id: agent_id.to_string(),
        host: host.chars().take(100).collect(),
        error: error.chars().take(300).collect(),
    };
    Planned { notification: about(id, tenant_id, reason, AgentContact::nobody(agent_id), now), due_at: now }
}

/// The ids of calendar alerts start so: the one kind of outbox item a slot lookup may write.
pub const CALENDAR_ALERT_PREFIX: &str = "calendar-";

/// The digest a quiet conversation's first new message plans (C5): due after the delay; its
/// recipients and messages are worked out when it goes out.
pub fn digest(id: String, tenant_id: &str, conversation_id: &str, agent: AgentContact, now: DateTime<Utc>) -> Planned {
    let reason = Reason::Digest { conversation_id: conversation_id.to_string() };
    Planned { notification: about(id, tenant_id, reason, agent, now), due_at: now + super::timeline::DIGEST_DELAY }
}

/// The assignee's email and the `ConversationAssigned` event of an assignment (S2), due now.
pub fn assignment(
    id: String,
    tenant_id: &str,
    conversation: &super::conversation::Conversation,
    assignee: AgentContact,
    now: DateTime<Utc>,
) -> Planned {
    let notification = Notification {
        event: assignment_event(tenant_id, conversation, now),
        ..about(id, tenant_id, Reason::Assigned, assignee, now)
    };
    Planned { notification, due_at: now }
}

/// A notification about no meeting, to no one yet, carrying nothing secret.
pub fn about(id: String, tenant_id: &str, reason: Reason, agent: AgentContact, now: DateTime<Utc>) -> Notification {
    Notification {
        id,
        tenant_id: tenant_id.to_string(),
        reason,
        meeting: None,
        agent,
        recipients: Vec::new(),
        manage_token: None,
        conversation_link: None,
        code: None,
        event: None,
        created_at: now,
    }
}

/// Plans an announcement from the meeting's final state. Reminders already past are skipped;
/// those of a time the meeting no longer has are retracted.
pub fn plan(a: Announcement) -> Plan {
    let m = a.meeting;
    let notification = Notification {
        id: a.id,
        tenant_id: a.tenant_id.to_string(),
        event: meeting_event(a.tenant_id, m, &a.reason, a.now),
        reason: a.reason.clone(),
        meeting: Some(m.clone()),
        recipients: recipients(m, &a.agent),
        agent: a.agent,
        manage_token: a.manage_token,
        conversation_link: a.conversation_link,
        code: None,
        created_at: a.now,
    };
    let due = reminder_times(m, &m.reminder_lead_times, a.now);
    let mut entries = vec![Planned { notification: notification.clone(), due_at: a.now }];
    for (lead, due_at) in &due {
        let reminder = Notification {
            id: reminder_id(&m.id, *lead),
            reason: Reason::Reminder { lead_minutes: *lead },
            manage_token: None,
            conversation_link: None,
            event: None,
            ..notification.clone()
        };
        entries.push(Planned { notification: reminder, due_at: *due_at });
    }
    let moved_or_cancelled = matches!(a.reason, Reason::Cancelled | Reason::Changed { previous_start: Some(_), .. });
    let retract = if moved_or_cancelled {
        m.reminder_lead_times
            .iter()
            .filter(|lead| !due.iter().any(|(kept, _)| kept == *lead))
            .map(|lead| reminder_id(&m.id, *lead))
            .collect()
    } else {
        Vec::new()
    };
    Plan { entries, retract }
}

/// Everyone a meeting's messages go to: the agent, the guest, the additional members (B6).
pub fn recipients(meeting: &Meeting, agent: &AgentContact) -> Vec<Recipient> {
    let guest_zone = meeting.guest.time_zone.unwrap_or(agent.time_zone);
    // Those the guest invited read the guest's language: it is the only one known for them.
    let guest_language = meeting.guest.language.unwrap_or_default();
    let mut list = vec![
        Recipient {
            email: agent.email.clone(),
            name: Some(agent.name.clone()),
            role: Role::Agent,
            time_zone: agent.time_zone,
            language: agent.language,
        },
        Recipient {
            email: meeting.guest.email.clone(),
            name: Some(meeting.guest.name.clone()),
            role: Role::Guest,
            time_zone: guest_zone,
            language: guest_language,
        },
    ];
    for email in &meeting.additional_members {
        list.push(Recipient {
            email: email.clone(),
            name: None,
            role: Role::Additional,
            time_zone: guest_zone,
            language: guest_language,
        });
    }
    list
}

/// The event a booking or change publishes; `MeetingScheduled` carries what billing needs (T2).
pub fn meeting_event(tenant_id: &str, meeting: &Meeting, reason: &Reason, at: DateTime<Utc>) -> Option<DomainEvent> {
    let detail_type = match reason {
        Reason::Booked => EventKind::MeetingScheduled,
        Reason::Changed { previous_start: Some(_), .. } => EventKind::MeetingRescheduled,
        Reason::Changed { .. } | Reason::HandedOver { .. } => EventKind::MeetingChanged,
        Reason::Cancelled => EventKind::MeetingCancelled,
        Reason::Reminder { .. }
        | Reason::Assigned
        | Reason::ConfirmBooking
        | Reason::SignIn
        | Reason::ConsoleSignIn
        | Reason::CalendarUnreadable { .. }
        | Reason::Webhook { .. }
        | Reason::WebhookDisabled { .. }
        | Reason::Digest { .. }
        | Reason::ChangeMail { .. }
        | Reason::ManageLink => return None,
    };
    let detail = serde_json::json!({
        "tenant_id": tenant_id,
        "meeting_id": meeting.id,
        "agent_id": meeting.agent_id,
        "conversation_id": meeting.conversation_id,
        "start": meeting.start,
        "end": meeting.end,
        "duration_minutes": meeting.duration,
        "status": meeting.status,
        "booked_by": meeting.booked_by,
        // A booking counts once for billing: only the event of the booking itself says so.
        "billable": matches!(reason, Reason::Booked),
        "billing_month": super::time::billing_month(at),
        "version": meeting.version,
        "occurred_at": at,
        // What a receiver needs beside the ids: the service it was booked through, and for a
        // reschedule the time it moved from.
        "service_id": meeting.host.as_ref().map(|h| &h.service_id),
        "previous_start": match reason {
            Reason::Changed { previous_start: Some(previous), .. } => Some(*previous),
            _ => None,
        },
    });
    Some(DomainEvent { detail_type, detail })
}

/// `ConversationAssigned`, for integrations (S2).
pub fn assignment_event(
    tenant_id: &str,
    conversation: &super::conversation::Conversation,
    at: DateTime<Utc>,
) -> Option<DomainEvent> {
    let assignee = conversation.assignee.as_ref()?;
    Some(DomainEvent {
        detail_type: EventKind::ConversationAssigned,
        detail: serde_json::json!({
            "tenant_id": tenant_id,
            "conversation_id": conversation.id,
            "agent_id": assignee.agent_id,
            "service_id": assignee.service_id,
            "assigned_by": assignee.assigned_by,
            "occurred_at": at,
        }),
    })
}

/// How long a meeting's people go between two change emails at least (G7).
pub const CHANGE_MAIL_GAP: Duration = Duration::minutes(2);

/// G7: what a change of `before` does to its change emails. A change email waiting (and not yet
/// taken by a delivery) will tell the final state: nothing more is planned. Otherwise a new one
/// is, due as soon as the last email is two minutes old, telling the change from `before` (what
/// people last heard). Returns the meeting's change-mail state after the change, and the new
/// email's id and due time when one is planned.
pub fn plan_change_mail(
    before: &Meeting,
    new_id: impl FnOnce() -> String,
    now: DateTime<Utc>,
) -> (ChangeMail, Option<(String, DateTime<Utc>)>) {
    let mail = &before.change_mail;
    match &mail.pending {
        Some(pending) if !pending.taken => (mail.clone(), None),
        taken => {
            // An email being sent now counts as sent now.
            let last = if taken.is_some() { Some(now) } else { mail.last_at };
            let due_at = last.map_or(now, |last| (last + CHANGE_MAIL_GAP).max(now));
            let id = new_id();
            let pending = PendingChange { id: id.clone(), due_at, before: Told::of(before), taken: false };
            (ChangeMail { pending: Some(pending), ..mail.clone() }, Some((id, due_at)))
        }
    }
}

/// What a change email says when it goes out: the meeting cancelled, or changed from what people
/// last heard; `None` when it is back as it was (nothing to tell).
pub fn change_reason(meeting: &Meeting, told: &Told) -> Option<Reason> {
    if meeting.status == MeetingStatus::Cancelled {
        return Some(Reason::Cancelled);
    }
    let moved = meeting.start != told.start;
    let renamed = meeting.subject != told.subject;
    if !moved && !renamed && meeting.end == told.end {
        return None;
    }
    Some(Reason::Changed {
        previous_start: moved.then_some(told.start),
        previous_subject: renamed.then(|| told.subject.clone()),
    })
}

/// The change email's outbox entry (G7): no recipients and no event of its own; the delivery
/// works out who and what from the meeting.
pub fn change_mail(
    id: String,
    tenant_id: &str,
    meeting: &Meeting,
    agent: AgentContact,
    due_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Planned {
    let reason = Reason::ChangeMail { meeting_id: meeting.id.clone() };
    let notification = Notification { meeting: Some(meeting.clone()), ..about(id, tenant_id, reason, agent, now) };
    Planned { notification, due_at }
}

/// When each reminder of a meeting falls due, skipping those already past (R1). Meetings start
/// on the quarter hour, so their reminders would all fall due together: each is spread a little
/// earlier, by the meeting's own (fixed) share of a tenth of its lead, at most three minutes.
pub fn reminder_times(meeting: &Meeting, lead_times: &[u32], now: DateTime<Utc>) -> Vec<(u32, DateTime<Utc>)> {
    if meeting.status == MeetingStatus::Cancelled {
        return Vec::new();
    }
    lead_times
        .iter()
        .map(|lead| (*lead, meeting.start - Duration::minutes((*lead).into()) - reminder_spread(&meeting.id, *lead)))
        .filter(|(_, due)| *due > now)
        .collect()
}

/// How much earlier than its lead a meeting's reminder falls due (see [`reminder_times`]).
pub fn reminder_spread(meeting_id: &str, lead_minutes: u32) -> Duration {
    let window = (i64::from(lead_minutes) * 6).min(180);
    if window == 0 {
        return Duration::zero();
    }
    let share = meeting_id.bytes().fold(0i64, |acc, b| (acc * 31 + i64::from(b)) % 1_000_003);
    Duration::seconds(share % window)
}

/// What a notification is about, which decides its due shard: a meeting's, a conversation's
/// or an agent's notifications share a shard and so go out in their order.
pub fn order_key(n: &Notification) -> &str {
    match (&n.reason, &n.meeting) {
        (Reason::ChangeMail { meeting_id }, _) => meeting_id,
        (Reason::Digest { conversation_id }, _) => conversation_id,
        (Reason::CalendarUnreadable { agent_id, .. }, _) => agent_id,
        (Reason::Webhook { about, .. }, _) => about,
        (_, Some(meeting)) => &meeting.id,
        _ => &n.id,
    }
}

/// The id of a meeting's reminder for one lead time: fixed, so a reschedule overwrites it and a
/// cancellation deletes it.
pub fn reminder_id(meeting_id: &str, lead_minutes: u32) -> String {
    format!("reminder-{meeting_id}-{lead_minutes}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::meeting::Guest;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
    }

    fn meeting() -> Meeting {
        Meeting {
            guest: Guest {
                name: "G".into(),
                email: "g@example.com".into(),
                time_zone: Some("America/New_York".parse().unwrap()),
                language: Some(Lang::It),
            },
            additional_members: vec!["b@example.com".into()],
            reminder_lead_times: vec![15, 1440],
            ..crate::domain::meeting::sample()
        }
    }

    #[test]
    fn reminders_already_past_are_skipped() {
        let m = meeting();
        assert_eq!(reminder_times(&m, &[15, 1440], utc("2027-03-24T08:00:00Z")).len(), 2);
        let late = reminder_times(&m, &[15, 1440], utc("2027-03-28T08:00:00Z"));
        let due = utc("2027-03-29T06:45:00Z") - reminder_spread(&m.id, 15);
        assert_eq!(late, vec![(15, due)], "15 minutes before, spread a little earlier");
        assert!(due > utc("2027-03-29T06:43:30Z"), "by at most a tenth of the lead");
        assert!(reminder_times(&m, &[15], due).is_empty(), "due now is already too late");
    }

    #[test]
    fn everyone_gets_a_copy_in_their_zone() {
        let agent = AgentContact {
            id: "a1".into(),
            name: "Ada".into(),
            email: "ada@x.io".into(),
            time_zone: "Europe/Rome".parse().unwrap(),
            language: Lang::De,
        };
        let list = recipients(&meeting(), &agent);
        let languages: Vec<Lang> = list.iter().map(|r| r.language).collect();
        assert_eq!(languages, [Lang::De, Lang::It, Lang::It], "the agent's own; the guest's, for whom they invited");
        let roles: Vec<Role> = list.iter().map(|r| r.role).collect();
        assert_eq!(roles, vec![Role::Agent, Role::Guest, Role::Additional]);
        assert_eq!(list[1].time_zone.name(), "America/New_York");
        assert_eq!(list[2].time_zone.name(), "America/New_York", "added guests see the guest's zone");
    }

    #[test]
    fn changes_within_two_minutes_wait_for_one_email() {
        let now = utc("2027-03-24T08:00:00Z");
        let mut m = meeting();
        m.change_mail.last_at = Some(now - Duration::seconds(30));
        let (mail, planned) = plan_change_mail(&m, || "x1".into(), now);
        let (id, due) = planned.expect("the first change plans an email");
        assert_eq!((id.as_str(), due), ("x1", now + Duration::seconds(90)), "two minutes after the invitation");
        m.change_mail = mail;
        let (again, planned) = plan_change_mail(&m, || "x2".into(), now + Duration::seconds(10));
        assert!(planned.is_none(), "the waiting email will say the final state");
        assert_eq!(again, m.change_mail);
        m.change_mail.pending.as_mut().unwrap().taken = true;
        let later = now + Duration::seconds(100);
        let (_, planned) = plan_change_mail(&m, || "x3".into(), later);
        assert_eq!(planned, Some(("x3".into(), later + CHANGE_MAIL_GAP)), "after the one going out now");
        m.change_mail = ChangeMail::default();
        assert_eq!(plan_change_mail(&m, || "x4".into(), now).1, Some(("x4".into(), now)), "nothing sent yet: at once");
    }

    #[test]
    fn a_change_email_says_what_changed_since_people_last_heard() {
        let m = meeting();
        let told = Told::of(&m);
        assert_eq!(change_reason(&m, &told), None, "moved and moved back: nothing to tell");
        let mut moved = m.clone();
        moved.start += Duration::hours(1);
        moved.end += Duration::hours(1);
        moved.subject = "Demo".into();
        assert_eq!(
            change_reason(&moved, &told),
            Some(Reason::Changed { previous_start: Some(m.start), previous_subject: Some("Intro".into()) })
        );
        let mut cancelled = moved;
        cancelled.status = MeetingStatus::Cancelled;
        assert_eq!(change_reason(&cancelled, &told), Some(Reason::Cancelled));
    }

    #[test]
    fn only_the_booking_itself_is_billable() {
        let m = meeting();
        let at = utc("2027-03-24T08:00:00Z");
        assert_eq!(meeting_event("t", &m, &Reason::Booked, at).unwrap().detail["billable"], true);
        let moved = Reason::Changed { previous_start: Some(at), previous_subject: None };
        let event = meeting_event("t", &m, &moved, at).unwrap();
        assert_eq!(
            (event.detail_type, &event.detail["billable"]),
            (EventKind::MeetingRescheduled, &serde_json::json!(false))
        );
        assert!(meeting_event("t", &m, &Reason::Reminder { lead_minutes: 15 }, at).is_none());
    }
}
