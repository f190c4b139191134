//! One recipient's copy of a notification: subject, plain text, HTML and the invitation, with
//! times on the recipient's own wall clock and every piece of user text escaped for its medium.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::html;
use super::ics::{self, Method};
use crate::domain::meeting::Meeting;
use crate::domain::notification::{Notification, Reason, Recipient, Role};
use crate::domain::validation::single_line;

pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
    pub calendar: Option<(Method, String)>,
}

/// Where links in emails point: the public base URL of the deployment.
#[derive(Clone, Debug)]
pub struct Links {
    pub base_url: String,
}

impl Links {
    pub fn manage(&self, meeting_id: &str, token: &str) -> String {
        format!("{}/b/manage/{meeting_id}?token={token}", self.base_url.trim_end_matches('/'))
    }

    pub fn conversation(&self, conversation_id: &str, token: &str) -> String {
        format!("{}/v1/conversations/{conversation_id}?token={token}", self.base_url.trim_end_matches('/'))
    }
}

fn when(zone: Tz, start: DateTime<Utc>, end: DateTime<Utc>) -> String {
    let (s, e) = (start.with_timezone(&zone), end.with_timezone(&zone));
    format!("{}–{} ({})", s.format("%A %-d %B %Y, %H:%M"), e.format("%H:%M"), zone.name())
}

/// `m` is the notification's meeting (only notifications about a meeting have recipients).
pub fn render(n: &Notification, m: &Meeting, to: &Recipient, links: &Links, stamp: DateTime<Utc>) -> Rendered {
    let zone = to.time_zone;
    let when_now = when(zone, m.start, m.end);
    let subject_line = single_line(&m.subject);
    let (headline, subject) = match &n.reason {
        Reason::Booked => ("A meeting was booked.".to_string(), format!("Meeting booked: {subject_line}")),
        Reason::Changed { .. } => ("A meeting was changed.".to_string(), format!("Meeting updated: {subject_line}")),
        Reason::Cancelled => ("A meeting was cancelled.".to_string(), format!("Meeting cancelled: {subject_line}")),
        Reason::Reminder { lead_minutes } => (
            format!("Your meeting starts in {lead_minutes} minutes."),
            format!("Reminder: {subject_line} at {}", m.start.with_timezone(&zone).format("%H:%M")),
        ),
        Reason::Assigned => ("A conversation was assigned.".to_string(), format!("Assigned: {subject_line}")),
    };

    let mut facts: Vec<(String, String)> = vec![
        ("Subject".into(), subject_line.clone()),
        ("When".into(), when_now),
        (
            "With".into(),
            match to.role {
                Role::Agent => single_line(&m.guest.name),
                _ => single_line(&n.agent.name),
            },
        ),
    ];
    if let Reason::Changed { previous_start, previous_subject } = &n.reason {
        if let Some(previous) = previous_start {
            let before = when(zone, *previous, *previous + (m.end - m.start));
            facts.push(("Previously".into(), before));
        }
        if let Some(previous) = previous_subject {
            facts.push(("Previous subject".into(), single_line(previous)));
        }
    }
    if !m.additional_members.is_empty() {
        facts.push(("Also invited".into(), m.additional_members.join(", ")));
    }

    let mut links_out: Vec<(String, String)> = Vec::new();
    if to.role == Role::Guest {
        match &n.manage_token {
            Some(token) => links_out.push(("Reschedule, change or cancel".into(), links.manage(&m.id, token))),
            None => facts.push(("Manage".into(), "use the link in your booking confirmation".into())),
        }
    }
    if to.role != Role::Agent {
        if let Some(token) = &n.conversation_link {
            links_out.push(("Conversation".into(), links.conversation(&m.conversation_id, token)));
        }
    }

    let greeting = single_line(to.name.as_deref().unwrap_or(&to.email));
    let mut text = format!("Hello {greeting},\n\n{headline}\n\n");
    for (label, value) in &facts {
        text.push_str(&format!("{label}: {value}\n"));
    }
    for (label, url) in &links_out {
        text.push_str(&format!("\n{label}: {url}\n"));
    }
    text.push_str(&format!("\nMeeting reference: {}\n", m.id));

    let mut body = format!("<p>Hello {},</p>\n<p>{}</p>\n<table>\n", html::escape(&greeting), html::escape(&headline));
    for (label, value) in &facts {
        body.push_str(&format!(
            "<tr><th align=\"left\">{}</th><td>{}</td></tr>\n",
            html::escape(label),
            html::paragraph(value)
        ));
    }
    body.push_str("</table>\n");
    for (label, url) in &links_out {
        body.push_str(&format!("<p><a href=\"{}\">{}</a></p>\n", html::escape(url), html::escape(label)));
    }
    body.push_str(&format!("<p style=\"color:#666\">Meeting reference: {}</p>\n", html::escape(&m.id)));
    let html = format!("<!doctype html>\n<html><body>\n{body}</body></html>\n");

    let method = match n.reason {
        Reason::Booked | Reason::Changed { .. } => Some(Method::Request),
        Reason::Cancelled => Some(Method::Cancel),
        Reason::Reminder { .. } | Reason::Assigned => None,
    };
    let calendar = method.map(|method| {
        let description = format!("{headline}\nMeeting reference: {}", m.id);
        (method, ics::invitation(m, &n.agent, &n.recipients, &description, method, stamp))
    });
    Rendered { subject, text, html, calendar }
}
