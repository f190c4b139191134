//! Conversations (C1–C4): one per guest and agent, shared by all their meetings, with a title
//! that depends on who looks, a system message for everything that happens, and what its members
//! write, all in one timeline.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::assignment::Assignee;

/// A conversation of an agent and one guest, or a group (added members, or assigned: S4).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConversationKind {
    #[default]
    OneToOne,
    Group,
}

/// Someone in a conversation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Member {
    Agent {
        agent_id: String,
        name: String,
    },
    Guest {
        email: String,
        name: String,
    },
    /// An additional member of a meeting, known by email only.
    Additional {
        email: String,
    },
}

impl Member {
    pub fn email(&self) -> Option<&str> {
        match self {
            Member::Agent { .. } => None,
            Member::Guest { email, .. } | Member::Additional { email } => Some(email),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conversation {
    pub id: String,
    pub agent_id: String,
    /// The PBX of the agent it was opened for: it is handled there and nowhere else (S7).
    pub pbx_id: String,
    /// The guest the conversation was opened for; the pair (agent, guest email) finds it again.
    pub guest_email: String,
    pub members: Vec<Member>,
    /// A rename, seen by everyone; `None` shows each viewer the other side's names (C2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default)]
    pub kind: ConversationKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee: Option<Assignee>,
    /// The service it belongs to once one is known (assigned through it, or waiting in its
    /// queue after its agent left: T5); until then, the services of its agent (S8, C6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub version: u64,
    /// The language of the guest it was opened for (L1): the digests to its guest and
    /// additional members are written in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guest_language: Option<crate::i18n::Lang>,
}

/// Who is looking at a conversation, which decides the title they see.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Viewer {
    Agent(String),
    /// A guest or additional member, by email; also anyone holding the public link (no email).
    Outsider(Option<String>),
}

impl Conversation {
    /// A new conversation between an agent and a guest, with the meeting's additional members.
    pub fn open(
        id: String,
        pbx_id: &str,
        agent: (&str, &str),
        guest: (&str, &str),
        additional: &[String],
        now: DateTime<Utc>,
    ) -> Self {
        let mut conversation = Self {
            id,
            agent_id: agent.0.to_string(),
            pbx_id: pbx_id.to_string(),
            guest_email: guest.0.to_string(),
            members: vec![
                Member::Agent { agent_id: agent.0.to_string(), name: agent.1.to_string() },
                Member::Guest { email: guest.0.to_string(), name: guest.1.to_string() },
            ],
            title: None,
            kind: ConversationKind::OneToOne,
            assignee: None,
            service_id: None,
            created_at: now,
            version: 1,
            guest_language: None,
        };
        conversation.add_additional(additional);
        conversation
    }

    /// Appends additional members not yet present; returns whether anything changed.
    pub fn add_additional(&mut self, emails: &[String]) -> bool {
        let mut changed = false;
        for email in emails {
            if !self.members.iter().any(|m| m.email() == Some(email.as_str())) {
                self.members.push(Member::Additional { email: email.clone() });
                self.kind = ConversationKind::Group;
                changed = true;
            }
        }
        changed
    }

    /// The conversation a new meeting joins (C1): with the meeting's additional members added,
    /// the guest's language now the one they booked in (L1: the digests follow it), and its
    /// version advanced; `None` when nothing changes (only the message is written).
    pub fn joined_by(&self, additional: &[String], language: Option<crate::i18n::Lang>) -> Option<Conversation> {
        let mut after = self.clone();
        let mut changed = after.add_additional(additional);
        if language.is_some() && after.guest_language != language {
            after.guest_language = language;
            changed = true;
        }
        changed.then(|| {
            after.version += 1;
            after
        })
    }

    /// S11: a conversation booked through a service is assigned to the service and its host from
    /// the start (when it opens: `assign` the host; later bookings: a different host joins as a
    /// member, the assignment stays). `None` when nothing changes.
    pub fn hosted_by(
        &self,
        host: (&str, &str),
        service_id: &str,
        now: DateTime<Utc>,
        opening: bool,
    ) -> Option<Conversation> {
        let mut after = self.clone();
        let (id, name) = host;
        let mut changed = false;
        if !after.has_agent(id) {
            after.members.push(Member::Agent { agent_id: id.to_string(), name: name.to_string() });
            changed = true;
        }
        if opening {
            after.members.retain(|m| !matches!(m, Member::Agent { agent_id, .. } if agent_id != id));
            after.assignee = Some(super::assignment::Assignee {
                agent_id: id.to_string(),
                service_id: service_id.to_string(),
                assigned_at: now,
                assigned_by: Author::System,
            });
            after.service_id = Some(service_id.to_string());
            changed = true;
        }
        changed.then(|| {
            after.version += u64::from(!opening);
            after
        })
    }

    pub fn has_agent(&self, agent_id: &str) -> bool {
        self.members.iter().any(|m| matches!(m, Member::Agent { agent_id: id, .. } if id == agent_id))
    }

    pub fn has_email(&self, email: &str) -> bool {
        self.members.iter().any(|m| m.email() == Some(email))
    }

    /// The address of the first member (the guest or an additional member) whose address
    /// `matches` (a link names a member by a digest of it).
    pub fn member_email(&self, matches: impl Fn(&str) -> bool) -> Option<&str> {
        self.members.iter().filter_map(Member::email).find(|email| matches(email))
    }

    /// C2: a rename wins for everyone; otherwise an agent sees the guest and added members, and
    /// anyone else sees the agents and the added members other than themselves.
    pub fn title_for(&self, viewer: &Viewer) -> String {
        if let Some(title) = &self.title {
            return title.clone();
        }
        let names: Vec<&str> = self
            .members
            .iter()
            .filter_map(|m| match (m, viewer) {
                (Member::Agent { .. }, Viewer::Agent(_)) => None,
                (Member::Agent { name, .. }, Viewer::Outsider(_)) => Some(name.as_str()),
                (Member::Guest { .. }, Viewer::Outsider(Some(me))) if m.email() == Some(me) => None,
                (Member::Guest { name, .. }, _) => Some(name.as_str()),
                (Member::Additional { email }, Viewer::Outsider(Some(me))) if email == me => None,
                // A public-link reader sees names, never addresses: added guests are counted.
                (Member::Additional { .. }, Viewer::Outsider(None)) => None,
                (Member::Additional { email }, _) => Some(email.as_str()),
            })
            .collect();
        let hidden = match viewer {
            Viewer::Outsider(None) => self.members.iter().filter(|m| matches!(m, Member::Additional { .. })).count(),
            _ => 0,
        };
        match hidden {
            0 => names.join(", "),
            n => format!("{} and {n} more", names.join(", ")),
        }
    }
}

/// What happened, as the system message records it (C3).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    MeetingBooked {
        meeting_id: String,
        subject: String,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    },
    MeetingRescheduled {
        meeting_id: String,
        from: DateTime<Utc>,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    },
    DurationChanged {
        meeting_id: String,
        from_minutes: u16,
        to_minutes: u16,
        end: DateTime<Utc>,
    },
    SubjectChanged {
        meeting_id: String,
        from: String,
        to: String,
    },
    MeetingCancelled {
        meeting_id: String,
        start: DateTime<Utc>,
    },
    Renamed {
        title: Option<String>,
    },
    Assigned {
        agent_id: String,
        agent_name: String,
        service_id: String,
        service_name: String,
    },
    /// A meeting's reminder went out (R1, C3).
    ReminderSent {
        meeting_id: String,
        lead_minutes: u32,
        start: DateTime<Utc>,
    },
    /// An email about a meeting did not reach someone (SES said it bounced for good, or they
    /// marked it as spam): no more email goes to them, and the agent sees why.
    EmailUndelivered {
        meeting_id: String,
        /// Their name, never their address (a public-link reader sees this too).
        to: String,
        complaint: bool,
    },
    /// The conversation's agent left (T5): it waits, unassigned, in a service's queue.
    AgentLeft {
        agent_name: String,
        service_name: String,
    },
    /// The service it belonged to was removed (T6): it waits for its agent again.
    ServiceRemoved {
        service_name: String,
        agent_name: String,
    },
    /// A meeting went to another agent when its agent left (T5).
    MeetingHandedOver {
        meeting_id: String,
        from_name: String,
        to_name: String,
    },
    /// A guest moved a service's meeting to a time its host is not free, so another member free
    /// then hosts it (S11).
    MeetingRehosted {
        meeting_id: String,
        from_name: String,
        to_name: String,
    },
    /// A member stopped this conversation's emails with an email's unsubscribe link (G7).
    Unsubscribed {
        /// Their name, or their address (what the conversation shows of them anyway).
        name: String,
    },
}

impl Event {
    /// One line of plain text, times in UTC; clients render `event` in the viewer's zone.
    pub fn text(&self) -> String {
        let t = |at: &DateTime<Utc>| at.format("%Y-%m-%d %H:%M UTC").to_string();
        match self {
            Event::MeetingBooked { subject, start, end, .. } => {
                format!("Meeting booked: \"{subject}\" on {} until {}", t(start), end.format("%H:%M UTC"))
            }
            Event::MeetingRescheduled { from, start, .. } => format!("Meeting moved from {} to {}", t(from), t(start)),
            Event::DurationChanged { from_minutes, to_minutes, .. } => {
                format!("Meeting duration changed from {from_minutes} to {to_minutes} minutes")
            }
            Event::SubjectChanged { from, to, .. } => format!("Meeting subject changed from \"{from}\" to \"{to}\""),
            Event::MeetingCancelled { start, .. } => format!("Meeting on {} cancelled", t(start)),
            Event::Renamed { title: Some(title) } => format!("Conversation renamed to \"{title}\""),
            Event::Renamed { title: None } => "Conversation name reset".to_string(),
            Event::Assigned { agent_name, service_name, .. } => {
                format!("Conversation assigned to {agent_name} ({service_name})")
            }
            Event::ReminderSent { lead_minutes, start, .. } => {
                format!("Reminder sent: the meeting on {} starts in {lead_minutes} minutes", t(start))
            }
            Event::EmailUndelivered { to, complaint: false, .. } => {
                format!("The email to {to} bounced: they may not have the latest invitation, and get no more email")
            }
            Event::EmailUndelivered { to, complaint: true, .. } => {
                format!("{to} marked an email as spam: they get no more email")
            }
            Event::Unsubscribed { name } => format!("{name} stopped emails about this conversation"),
            Event::AgentLeft { agent_name, service_name } => {
                format!("{agent_name} left; the conversation waits for {service_name}")
            }
            Event::ServiceRemoved { service_name, agent_name } => {
                format!("The service {service_name} was removed; the conversation waits for {agent_name}")
            }
            Event::MeetingHandedOver { from_name, to_name, .. } => {
                format!("The meeting is now with {to_name} ({from_name} left)")
            }
            Event::MeetingRehosted { from_name, to_name, .. } => {
                format!("The meeting is now with {to_name} ({from_name} is not free at the new time)")
            }
        }
    }
}

/// Who did something: written `system`, `guest`, `agent:<id>` or `member:<email>` wherever it is
/// stored or shown.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Author {
    /// The service itself (a reminder going out).
    System,
    /// A meeting's guest (through their manage link).
    Guest,
    Agent(String),
    /// A member known by email (the guest or an additional member) writing a message (C4).
    Member(String),
}

impl Author {
    pub fn agent(id: &str) -> Self {
        Author::Agent(id.to_string())
    }
}

impl std::fmt::Display for Author {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Author::System => f.write_str("system"),
            Author::Guest => f.write_str("guest"),
            Author::Agent(id) => write!(f, "agent:{id}"),
            Author::Member(email) => write!(f, "member:{email}"),
        }
    }
}

impl std::str::FromStr for Author {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        match text {
            "system" => Ok(Author::System),
            "guest" => Ok(Author::Guest),
            _ => {
                let not = || format!("`{text}` is not an author");
                match text.split_once(':') {
                    Some(("agent", id)) if !id.is_empty() => Ok(Author::agent(id)),
                    Some(("member", email)) if !email.is_empty() => Ok(Author::Member(email.to_string())),
                    _ => Err(not()),
                }
            }
        }
    }
}

impl Serialize for Author {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Author {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?.parse().map_err(serde::de::Error::custom)
    }
}

/// What a message says: what happened (a system message, C3), or what a member wrote (C4).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Body {
    Event(Event),
    /// Plain text as the member wrote it (see `validation::message_text`).
    Text(String),
}

/// One entry of a conversation's timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub at: DateTime<Utc>,
    /// Who caused it, or wrote it.
    pub by: Author,
    #[serde(flatten)]
    pub body: Body,
}

impl Message {
    /// A system message: what happened, caused by `by`.
    pub fn event(at: DateTime<Utc>, by: Author, event: Event) -> Self {
        Message { at, by, body: Body::Event(event) }
    }

    /// A message a member wrote.
    pub fn said(at: DateTime<Utc>, by: Author, text: String) -> Self {
        Message { at, by, body: Body::Text(text) }
    }

    /// Its text: the member's words, or the system's one line.
    pub fn text(&self) -> String {
        match &self.body {
            Body::Event(event) => event.text(),
            Body::Text(text) => text.clone(),
        }
    }

    pub fn is_said(&self) -> bool {
        matches!(self.body, Body::Text(_))
    }

    /// Whether `viewer` wrote or caused it (nobody is told of their own messages, C5).
    pub fn is_by(&self, viewer: &Viewer) -> bool {
        match (&self.by, viewer) {
            (Author::Agent(id), Viewer::Agent(me)) => id == me,
            (Author::Member(email), Viewer::Outsider(Some(me))) => email == me,
            _ => false,
        }
    }
}

impl Conversation {
    /// C4: who may write: its members (an agent member; the guest or an additional member, by the
    /// address they proved or their meeting's manage token). Holding the public link is reading.
    pub fn may_post(&self, viewer: &Viewer) -> bool {
        match viewer {
            Viewer::Agent(id) => self.has_agent(id),
            Viewer::Outsider(Some(email)) => self.has_email(email),
            Viewer::Outsider(None) => false,
        }
    }

    /// The member a viewer is, as the author of what they write.
    pub fn author_for(&self, viewer: &Viewer) -> Option<Author> {
        if !self.may_post(viewer) {
            return None;
        }
        match viewer {
            Viewer::Agent(id) => Some(Author::agent(id)),
            Viewer::Outsider(Some(email)) => Some(Author::Member(email.clone())),
            Viewer::Outsider(None) => None,
        }
    }

    /// How a message's author is shown: the member's name, or their address.
    pub fn author_name(&self, by: &Author) -> String {
        let found = self.members.iter().find(|m| match (m, by) {
            (Member::Agent { agent_id, .. }, Author::Agent(id)) => agent_id == id,
            (Member::Guest { .. }, Author::Guest) => true,
            (_, Author::Member(email)) => m.email() == Some(email.as_str()),
            _ => false,
        });
        match (found, by) {
            (Some(Member::Agent { name, .. } | Member::Guest { name, .. }), _) => name.clone(),
            (Some(Member::Additional { email }), _) => email.clone(),
            (None, Author::System) => "Meeting Scheduler".into(),
            (None, Author::Agent(_)) => "An agent".into(),
            (None, Author::Member(email)) => email.clone(),
            (None, Author::Guest) => "The guest".into(),
        }
    }

    /// The members a digest of new messages may go to (C5), as viewers; agents by id.
    pub fn member_viewers(&self) -> Vec<Viewer> {
        self.members
            .iter()
            .map(|m| match m {
                Member::Agent { agent_id, .. } => Viewer::Agent(agent_id.clone()),
                Member::Guest { email, .. } | Member::Additional { email } => Viewer::Outsider(Some(email.clone())),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conversation() -> Conversation {
        let now = DateTime::parse_from_rfc3339("2027-03-24T08:00:00Z").unwrap().with_timezone(&Utc);
        Conversation::open(
            "c1".into(),
            "p1",
            ("a1", "Ada Lovelace"),
            ("grace@example.com", "Grace Hopper"),
            &["bob@example.com".into()],
            now,
        )
    }

    #[test]
    fn each_side_sees_the_other_and_added_guests_are_appended() {
        let mut c = conversation();
        assert_eq!(c.title_for(&Viewer::Agent("a1".into())), "Grace Hopper, bob@example.com");
        assert_eq!(c.title_for(&Viewer::Outsider(Some("grace@example.com".into()))), "Ada Lovelace, bob@example.com");
        assert_eq!(c.title_for(&Viewer::Outsider(Some("bob@example.com".into()))), "Ada Lovelace, Grace Hopper");
        assert_eq!(c.title_for(&Viewer::Outsider(None)), "Ada Lovelace, Grace Hopper and 1 more", "no address");
        assert!(c.add_additional(&["eve@example.com".into(), "bob@example.com".into()]));
        assert!(!c.add_additional(&["grace@example.com".into()]), "the guest is already a member");
        assert_eq!(c.title_for(&Viewer::Agent("a1".into())), "Grace Hopper, bob@example.com, eve@example.com");
    }

    #[test]
    fn members_write_and_the_link_reads() {
        let c = conversation();
        assert!(c.may_post(&Viewer::Agent("a1".into())));
        assert!(!c.may_post(&Viewer::Agent("a2".into())), "another agent is not a member");
        assert!(c.may_post(&Viewer::Outsider(Some("bob@example.com".into()))), "an additional member writes");
        assert!(!c.may_post(&Viewer::Outsider(Some("eve@example.com".into()))));
        assert!(!c.may_post(&Viewer::Outsider(None)), "the public link reads only");
        assert_eq!(
            c.author_for(&Viewer::Outsider(Some("grace@example.com".into()))),
            Some(Author::Member("grace@example.com".into()))
        );
        assert_eq!(c.author_name(&Author::Member("grace@example.com".into())), "Grace Hopper");
        assert_eq!(c.author_name(&Author::agent("a1")), "Ada Lovelace");
    }

    #[test]
    fn messages_keep_the_stored_shape_of_system_messages() {
        let at = DateTime::parse_from_rfc3339("2027-03-24T08:00:00Z").unwrap().with_timezone(&Utc);
        let old = serde_json::json!({ "at": "2027-03-24T08:00:00Z", "by": "guest", "event": { "type": "renamed", "title": "x" } });
        let read: Message = serde_json::from_value(old).unwrap();
        assert_eq!(read, Message::event(at, Author::Guest, Event::Renamed { title: Some("x".into()) }));
        let said = Message::said(at, Author::Member("bob@example.com".into()), "Hi\nthere".into());
        let round: Message = serde_json::from_value(serde_json::to_value(&said).unwrap()).unwrap();
        assert_eq!(round, said);
        assert_eq!("member:bob@example.com".parse::<Author>().unwrap(), Author::Member("bob@example.com".into()));
        assert!("member:".parse::<Author>().is_err());
    }

    #[test]
    fn a_rename_is_seen_by_all() {
        let mut c = conversation();
        c.title = Some("Onboarding".into());
        assert_eq!(c.title_for(&Viewer::Agent("a1".into())), "Onboarding");
        assert_eq!(c.title_for(&Viewer::Outsider(None)), "Onboarding");
    }
}
