//! One recipient's copy of a notification: subject, plain text, HTML and (for a meeting) the
//! invitation, with times on the recipient's own wall clock and every piece of user text made
//! one line and escaped for its medium.

use std::sync::{Arc, OnceLock};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::html;
use super::ics::{self, Method};
use crate::domain::meeting::Meeting;
use crate::domain::notification::{CodeMail, Notification, Reason, Recipient, Role};
use crate::domain::validation::single_line;

pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
    pub calendar: Option<(Method, String)>,
}

/// Where links in emails point: the deployment's public address. Configured (a custom domain,
/// the local server), or learnt from the first request API Gateway hands a function: its own
/// domain and stage, as API Gateway (not the client) reports them. So one deploy needs no
/// address it can only know afterwards; a function that serves no requests (the scheduled
/// delivery) is given it in its environment.
#[derive(Clone, Debug)]
pub struct Links {
    configured: Option<String>,
    learnt: Arc<OnceLock<String>>,
}

impl Links {
    pub fn fixed(base: impl Into<String>) -> Self {
        Links { configured: Some(base.into()), learnt: Arc::default() }
    }

    /// An address to learn from the first request (see [`Links::learn`]).
    pub fn learning() -> Self {
        Links { configured: None, learnt: Arc::default() }
    }

    /// `PUBLIC_BASE_URL` when it is set and not empty; otherwise learnt.
    pub fn from_env() -> Self {
        match std::env::var("PUBLIC_BASE_URL") {
            Ok(base) if !base.trim().is_empty() => Links::fixed(base.trim()),
            _ => Links::learning(),
        }
    }

    /// Takes the address API Gateway says a request came to, unless one is configured or learnt.
    pub fn learn(&self, base: impl FnOnce() -> Option<String>) {
        if self.configured.is_none() && self.learnt.get().is_none() {
            if let Some(base) = base() {
                let _ = self.learnt.set(base);
            }
        }
    }

    pub fn base(&self) -> &str {
        let base = self.configured.as_deref().or_else(|| self.learnt.get().map(String::as_str)).unwrap_or("");
        base.trim_end_matches('/')
    }

    pub fn manage(&self, meeting_id: &str, token: &str) -> String {
        format!("{}/b/manage/{meeting_id}?token={token}", self.base())
    }

    /// The conversation's page (C7). Its address names the tenant, so a reader without a token
    /// (from a digest or a calendar entry) can sign in there; a token in the query opens it at once.
    pub fn conversation(&self, tenant_id: &str, conversation_id: &str, token: Option<&str>) -> String {
        let page = format!("{}/c/{}", self.base(), crate::secrets::public_id(tenant_id, conversation_id));
        match token {
            Some(token) => format!("{page}?token={token}"),
            None => page,
        }
    }

    /// The one-click confirmation page of a hold.
    pub fn confirm(&self, hold_id: &str, token: &str) -> String {
        format!("{}/b/confirm/{hold_id}?token={token}", self.base())
    }
}

fn when(zone: Tz, start: DateTime<Utc>, end: DateTime<Utc>) -> String {
    let (s, e) = (start.with_timezone(&zone), end.with_timezone(&zone));
    format!("{}–{} ({})", s.format("%A %-d %B %Y, %H:%M"), e.format("%H:%M"), zone.name())
}

/// A recipient's copy: of a meeting's notification, or of a code; `None` for one with nothing
/// to mail (an event-only entry).
pub fn render(n: &Notification, to: &Recipient, links: &Links, stamp: DateTime<Utc>) -> Option<Rendered> {
    match (&n.meeting, &n.code) {
        (Some(meeting), _) => Some(render_meeting(n, meeting, to, links, stamp)),
        (None, Some(code)) => Some(render_code(n, code, to, links)),
        (None, None) => None,
    }
}

/// The parts every email has: greeting, headline, facts as label and value, links, a footer.
struct Body {
    greeting: String,
    headline: String,
    facts: Vec<(String, String)>,
    links: Vec<(String, String)>,
    footer: String,
}

impl Body {
    fn text(&self) -> String {
        let mut text = format!("Hello {},\n\n{}\n\n", self.greeting, self.headline);
        for (label, value) in &self.facts {
            text.push_str(&format!("{label}: {value}\n"));
        }
        for (label, url) in &self.links {
            text.push_str(&format!("\n{label}: {url}\n"));
        }
        text.push_str(&format!("\n{}\n", self.footer));
        text
    }

    fn html(&self) -> String {
        let mut body = format!(
            "<p>Hello {},</p>\n<p>{}</p>\n<table>\n",
            html::escape(&self.greeting),
            html::escape(&self.headline)
        );
        for (label, value) in &self.facts {
            body.push_str(&format!(
                "<tr><th align=\"left\">{}</th><td>{}</td></tr>\n",
                html::escape(label),
                html::paragraph(value)
            ));
        }
        body.push_str("</table>\n");
        for (label, url) in &self.links {
            body.push_str(&format!("<p><a href=\"{}\">{}</a></p>\n", html::escape(url), html::escape(label)));
        }
        body.push_str(&format!("<p style=\"color:#666\">{}</p>\n", html::escape(&self.footer)));
        page(&body)
    }
}

/// An email's HTML document around its body.
pub(super) fn page(body: &str) -> String {
    format!("<!doctype html>\n<html><body>\n{body}</body></html>\n")
}

/// How an email addresses its recipient: by name, or by address.
pub(super) fn greeting(to: &Recipient) -> String {
    single_line(to.name.as_deref().unwrap_or(&to.email))
}

fn render_meeting(n: &Notification, m: &Meeting, to: &Recipient, links: &Links, stamp: DateTime<Utc>) -> Rendered {
    let zone = to.time_zone;
    let subject_line = single_line(&m.subject);
    let (headline, subject) = match &n.reason {
        Reason::Changed { .. } => ("A meeting was changed.".to_string(), format!("Meeting updated: {subject_line}")),
        Reason::Cancelled => ("A meeting was cancelled.".to_string(), format!("Meeting cancelled: {subject_line}")),
        Reason::Reminder { lead_minutes } => (
            format!("Your meeting starts in {lead_minutes} minutes."),
            format!("Reminder: {subject_line} at {}", m.start.with_timezone(&zone).format("%H:%M")),
        ),
        Reason::Assigned => ("A conversation was assigned.".to_string(), format!("Assigned: {subject_line}")),
        Reason::Booked | Reason::ConfirmBooking | Reason::SignIn | Reason::Digest { .. } => {
            ("A meeting was booked.".to_string(), format!("Meeting booked: {subject_line}"))
        }
    };

    let with = match to.role {
        Role::Agent => single_line(&m.guest.name),
        _ => single_line(&n.agent.name),
    };
    let mut facts: Vec<(String, String)> = vec![
        ("Subject".into(), subject_line.clone()),
        ("When".into(), when(zone, m.start, m.end)),
        ("With".into(), with),
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
    // C7: everyone's copy leads to the conversation. The guest's first copy opens it with their
    // manage token (they can write at once); an additional member's first copy with the public
    // link (reading); any other copy asks whoever opens it to sign in.
    let token = match to.role {
        Role::Guest => n.manage_token.as_deref(),
        Role::Additional => n.conversation_link.as_deref(),
        Role::Agent => None,
    };
    links_out.push(("Conversation".into(), links.conversation(&n.tenant_id, &m.conversation_id, token)));
    let body = Body {
        greeting: greeting(to),
        headline: headline.clone(),
        facts,
        links: links_out,
        footer: format!("Meeting reference: {}", m.id),
    };

    let method = match n.reason {
        Reason::Booked | Reason::Changed { .. } => Some(Method::Request),
        Reason::Cancelled => Some(Method::Cancel),
        Reason::Reminder { .. }
        | Reason::Assigned
        | Reason::ConfirmBooking
        | Reason::SignIn
        | Reason::Digest { .. } => None,
    };
    let calendar = method.map(|method| {
        let description = format!("{headline}\nMeeting reference: {}", m.id);
        let url = links.conversation(&n.tenant_id, &m.conversation_id, None);
        (method, ics::invitation(m, &n.agent, &n.recipients, &description, &url, method, stamp))
    });
    Rendered { subject, text: body.text(), html: body.html(), calendar }
}

/// A code for the guest: to confirm a booking (with the booking and the one-click link), or to
/// sign in. The code is in the subject, so a phone shows it without opening the email.
fn render_code(n: &Notification, code: &CodeMail, to: &Recipient, links: &Links) -> Rendered {
    let zone = to.time_zone;
    let until = code.expires_at.with_timezone(&zone).format("%H:%M (%Z)").to_string();
    let agent = single_line(&n.agent.name);
    let mut facts = vec![("Code".to_string(), code.code.clone()), ("Valid until".to_string(), until)];
    let (headline, subject) = match (&n.reason, &code.booking) {
        (Reason::ConfirmBooking, Some(booking)) => {
            facts.push(("Subject".into(), single_line(&booking.subject)));
            facts.push(("When".into(), when(zone, booking.start, booking.end)));
            facts.push(("With".into(), agent));
            (
                "Confirm your booking with this code, or with the link below. Until then the time is only held for you."
                    .to_string(),
                format!("{} is your code to confirm your booking", code.code),
            )
        }
        _ => (
            format!("Sign in with this code to see your meetings with {agent}."),
            format!("{} is your sign-in code", code.code),
        ),
    };
    let links_out = match &code.confirm {
        Some(confirm) => vec![("Confirm my booking".to_string(), links.confirm(&confirm.hold_id, &confirm.token))],
        None => Vec::new(),
    };
    let body = Body {
        greeting: greeting(to),
        headline,
        facts,
        links: links_out,
        footer: "If you did not ask for this, ignore this email: nothing is booked without the code.".into(),
    };
    Rendered { subject, text: body.text(), html: body.html(), calendar: None }
}
