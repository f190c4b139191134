//! Conversations as one viewer sees them: the title they see, the members (addresses for
//! members only), a page of the timeline with who wrote what, their unread count; and the
//! agent's inbox entries.

use serde::Serialize;

use crate::domain::assignment::Assignee;
use crate::domain::conversation::{Author, Body, Conversation, ConversationKind, Event, Member, Message, Viewer};
use crate::domain::time::render_utc;
use crate::store::{keys, Activity, MessagePage};

#[derive(Serialize)]
pub struct ConversationView<'a> {
    pub id: &'a str,
    pub title: String,
    pub kind: ConversationKind,
    pub assignee: Option<&'a Assignee>,
    pub members: Vec<MemberView<'a>>,
    /// The newest messages, oldest first.
    pub messages: Vec<MessageView<'a>>,
    /// The cursor to read the messages before these (`GET …/messages?before=`), if any.
    pub older: Option<String>,
    /// Messages the viewer has not read (a public-link reader has no position: all of them).
    pub unread: u64,
    pub muted: bool,
    /// Whether the viewer may write here (C4): members may; the public link and a service
    /// colleague looking at an unassigned conversation read only.
    pub may_write: bool,
    pub created_at: String,
}

#[derive(Serialize)]
pub struct MemberView<'a> {
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'a str>,
    /// Shown to members only; a public-link reader sees names, not addresses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<&'a str>,
}

/// One message of a timeline.
#[derive(Serialize)]
pub struct MessageView<'a> {
    /// Its cursor: read on from here with `?after=`, back with `?before=`, mark read `up_to`.
    pub id: String,
    pub at: String,
    /// `system`, `guest`, `agent:<id>` or `member:<email>` (`member` to a public-link reader).
    pub by: String,
    /// The writer's name as the conversation knows them.
    pub author: String,
    /// Whether the viewer wrote it.
    pub mine: bool,
    /// What it says: the member's words, or one line for a system message.
    pub text: String,
    /// For a system message, what happened, for a client to show in its own words and zone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event: Option<&'a Event>,
}

impl<'a> MessageView<'a> {
    pub fn new(c: &Conversation, viewer: &Viewer, sk: &str, m: &'a Message) -> Self {
        let public = *viewer == Viewer::Outsider(None);
        let by = match &m.by {
            Author::Member(_) if public => "member".to_string(),
            other => other.to_string(),
        };
        let author = match (&m.by, public) {
            // A public reader sees names, never addresses: an additional member is "A member".
            (Author::Member(email), true)
                if !c.members.iter().any(|x| matches!(x, Member::Guest { email: e, .. } if e == email)) =>
            {
                "A member".to_string()
            }
            _ => c.author_name(&m.by),
        };
        let event = match &m.body {
            Body::Event(event) => Some(event),
            Body::Text(_) => None,
        };
        Self {
            id: keys::cursor_of_message_sk(sk),
            at: render_utc(m.at),
            by,
            author,
            mine: m.is_by(viewer),
            text: m.text(),
            event,
        }
    }

    pub fn page(c: &Conversation, viewer: &Viewer, page: &'a MessagePage) -> Vec<Self> {
        page.messages.iter().map(|(sk, m)| MessageView::new(c, viewer, sk, m)).collect()
    }
}

impl<'a> ConversationView<'a> {
    pub fn new(c: &'a Conversation, viewer: &Viewer, page: &'a MessagePage, activity: &Activity) -> Self {
        let public = *viewer == Viewer::Outsider(None);
        let members = c
            .members
            .iter()
            .map(|m| match m {
                Member::Agent { agent_id, name } => {
                    MemberView { kind: "agent", agent_id: Some(agent_id), name: Some(name), email: None }
                }
                Member::Guest { email, name } => MemberView {
                    kind: "guest",
                    agent_id: None,
                    name: Some(name),
                    email: (!public).then_some(email.as_str()),
                },
                Member::Additional { email } => MemberView {
                    kind: "additional",
                    agent_id: None,
                    name: None,
                    email: (!public).then_some(email.as_str()),
                },
            })
            .collect();
        let older =
            page.more_before.then(|| page.messages.first().map(|(sk, _)| keys::cursor_of_message_sk(sk))).flatten();
        Self {
            id: &c.id,
            title: c.title_for(viewer),
            kind: c.kind,
            assignee: c.assignee.as_ref(),
            members,
            messages: MessageView::page(c, viewer, page),
            older,
            unread: activity.unread(viewer),
            muted: activity.muted(viewer),
            may_write: c.may_post(viewer),
            created_at: render_utc(c.created_at),
        }
    }
}

/// A conversation in a list: what it is called for the viewer, without its timeline.
#[derive(Serialize)]
pub struct ConversationSummary<'a> {
    pub id: &'a str,
    pub title: String,
    pub kind: ConversationKind,
    pub created_at: String,
}

impl<'a> ConversationSummary<'a> {
    pub fn new(c: &'a Conversation, viewer: &Viewer) -> Self {
        Self { id: &c.id, title: c.title_for(viewer), kind: c.kind, created_at: render_utc(c.created_at) }
    }
}

/// A conversation in an agent's inbox (C6).
#[derive(Serialize)]
pub struct InboxEntryView<'a> {
    pub id: &'a str,
    pub title: String,
    pub kind: ConversationKind,
    pub assignee: Option<&'a Assignee>,
    /// Whether the agent is a member; otherwise it waits, unassigned, in a service they serve.
    pub member: bool,
    pub last_message: Option<LastMessageView>,
    pub unread: u64,
    pub last_activity_at: Option<String>,
}

#[derive(Serialize)]
pub struct LastMessageView {
    pub at: String,
    pub by: String,
    pub author: String,
    pub text: String,
}

impl<'a> InboxEntryView<'a> {
    pub fn new(c: &'a Conversation, activity: &Activity, member: bool, viewer: &Viewer) -> Self {
        let last_message = match (&activity.last_at, &activity.last_by, &activity.last_text) {
            (Some(at), Some(by), Some(text)) => Some(LastMessageView {
                at: render_utc(*at),
                by: by.to_string(),
                author: c.author_name(by),
                text: text.clone(),
            }),
            _ => None,
        };
        Self {
            id: &c.id,
            title: c.title_for(viewer),
            kind: c.kind,
            assignee: c.assignee.as_ref(),
            member,
            last_message,
            unread: activity.unread(viewer),
            last_activity_at: activity.last_at.map(render_utc),
        }
    }
}
