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
use crate::secrets::{self, LinkKind};
use crate::signing::Key;

pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
    pub calendar: Option<(Method, String)>,
    /// The one-click unsubscribe address (G7; RFC 8058's `List-Unsubscribe`), on every email
    /// but a code the recipient asked for.
    pub unsubscribe: Option<String>,
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

    /// The one-click sign-in page of a sign-in's email (G8).
    pub fn sign_in(&self, sign_in_id: &str, token: &str) -> String {
        format!("{}/b/sign-in/{sign_in_id}?token={token}", self.base())
    }

    /// The agent's connected calendars in the console.
    pub fn console_calendars(&self) -> String {
        format!("{}/console#/calendars", self.base())
    }

    /// A meeting in the agents' console (AC4).
    pub fn console_meeting(&self, meeting_id: &str) -> String {
        format!("{}/console#/meetings/{meeting_id}", self.base())
    }

    /// A conversation in the agents' console (AC4): an agent is never sent to the guest's page.
    pub fn console_conversation(&self, conversation_id: &str) -> String {
        format!("{}/console#/conversations/{conversation_id}", self.base())
    }

    /// Where one recipient's copy of a conversation's email leads, and how they stop that
    /// conversation's mail (G7, G11, AC4): a person's link opens the conversation as that member
    /// (signed for them; never their manage token), an agent's opens the console.
    pub fn for_recipient(&self, key: &Key, tenant_id: &str, conversation_id: &str, to: &Recipient) -> RecipientLinks {
        let member = secrets::address_digest(&to.email);
        let conversation = match to.role {
            Role::Agent => self.console_conversation(conversation_id),
            Role::Guest | Role::Additional => {
                let token = secrets::sign_link(key, LinkKind::ConversationMember, tenant_id, conversation_id, &member);
                self.conversation(tenant_id, conversation_id, Some(&token))
            }
        };
        let token = secrets::sign_link(key, LinkKind::Unsubscribe, tenant_id, conversation_id, &member);
        RecipientLinks { conversation, unsubscribe: format!("{}/v1/unsubscribe/{token}", self.base()) }
    }
}

/// See [`Links::for_recipient`].
pub struct RecipientLinks {
    pub conversation: String,
    /// The one-click unsubscribe address (RFC 8058): a GET shows a page, a POST unsubscribes.
    pub unsubscribe: String,
}

fn when(zone: Tz, start: DateTime<Utc>, end: DateTime<Utc>) -> String {
    let (s, e) = (start.with_timezone(&zone), end.with_timezone(&zone));
    format!("{}–{} ({})", s.format("%A %-d %B %Y, %H:%M"), e.format("%H:%M"), zone.name())
}

/// A recipient's copy: of a meeting's notification, or of a code; `None` for one with nothing
/// to mail (an event-only entry). `key` signs the recipient's own links.
pub fn render(n: &Notification, to: &Recipient, links: &Links, key: &Key, stamp: DateTime<Utc>) -> Option<Rendered> {
    match (&n.meeting, &n.code, &n.reason) {
        (Some(meeting), _, _) => Some(render_meeting(n, meeting, to, links, key, stamp)),
        (None, Some(code), _) => Some(render_code(n, code, to, links)),
        (None, None, Reason::CalendarUnreadable { host, error, .. }) => {
            Some(render_calendar_alert(host, error, to, links))
        }
        (None, None, Reason::WebhookDisabled { host, .. }) => Some(render_webhook_disabled(host, to, links)),
        (None, None, _) => None,
    }
}

/// An endpoint failed for a day and was disabled (W3).
fn render_webhook_disabled(host: &str, to: &Recipient, links: &Links) -> Rendered {
    let body = Body {
        greeting: greeting(to),
        headline: "A webhook endpoint failed for a day and was disabled: it gets no more events until it is enabled again. Its log says what it answered.".into(),
        facts: vec![("Endpoint".into(), single_line(host))],
        links: vec![("The console".into(), format!("{}/console#/admin/webhooks", links.base()))],
        footer: "The deliveries it missed can be sent again from its log.".into(),
    };
    Rendered {
        subject: "A webhook endpoint was disabled".into(),
        text: body.text(),
        html: body.html(),
        calendar: None,
        unsubscribe: None,
    }
}

/// A connected calendar stopped being readable (A3): what it means for the agent's slots, and
/// where to look.
fn render_calendar_alert(host: &str, error: &str, to: &Recipient, links: &Links) -> Rendered {
    let body = Body {
        greeting: greeting(to),
        headline: "One of your connected calendars cannot be read. Until it can, its busy time is missing from your free slots, so guests may book times you are busy.".into(),
        facts: vec![("Calendar".into(), single_line(host)), ("Why".into(), single_line(error))],
        links: vec![("Your calendars in the console".into(), links.console_calendars())],
        footer: "You get this email at most once a day per calendar.".into(),
    };
    Rendered {
        subject: "A connected calendar cannot be read".into(),
        text: body.text(),
        html: body.html(),
        calendar: None,
        unsubscribe: None,
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

fn render_meeting(
    n: &Notification,
    m: &Meeting,
    to: &Recipient,
    links: &Links,
    key: &Key,
    stamp: DateTime<Utc>,
) -> Rendered {
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
        Reason::HandedOver { previous_agent } => (
            format!(
                "This meeting is now with {}: {} has left.",
                single_line(&n.agent.name),
                single_line(previous_agent)
            ),
            format!("Meeting updated: {subject_line}"),
        ),
        Reason::ManageLink => (
            "Your meeting has a new link to reschedule, change or cancel it. The earlier link no longer works."
                .to_string(),
            format!("New link for your meeting: {subject_line}"),
        ),
        Reason::Booked
        | Reason::ConfirmBooking
        | Reason::SignIn
        | Reason::ConsoleSignIn
        | Reason::CalendarUnreadable { .. }
        | Reason::Webhook { .. }
        | Reason::WebhookDisabled { .. }
        | Reason::Digest { .. }
        | Reason::ChangeMail { .. } => ("A meeting was booked.".to_string(), format!("Meeting booked: {subject_line}")),
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
    match to.role {
        Role::Guest => match &n.manage_token {
            Some(token) => links_out.push(("Reschedule, change or cancel".into(), links.manage(&m.id, token))),
            None => facts.push(("Manage".into(), "use the link in your booking confirmation".into())),
        },
        // AC4: the agent's copy opens the meeting in the console.
        Role::Agent => links_out.push(("Open in the console".into(), links.console_meeting(&m.id))),
        Role::Additional => {}
    }
    // C7, G11, AC4: everyone's copy leads to the conversation, as themselves.
    let own = links.for_recipient(key, &n.tenant_id, &m.conversation_id, to);
    links_out.push(("Conversation".into(), own.conversation));
    links_out.push(("Stop emails about this conversation".into(), own.unsubscribe.clone()));
    let body = Body {
        greeting: greeting(to),
        headline: headline.clone(),
        facts,
        links: links_out,
        footer: format!("Meeting reference: {}", m.id),
    };

    let method = match n.reason {
        Reason::Booked | Reason::Changed { .. } | Reason::HandedOver { .. } => Some(Method::Request),
        Reason::Cancelled => Some(Method::Cancel),
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
        | Reason::ManageLink => None,
    };
    let calendar = method.map(|method| {
        let description = format!("{headline}\nMeeting reference: {}", m.id);
        let url = links.conversation(&n.tenant_id, &m.conversation_id, None);
        (method, ics::invitation(m, &n.agent, &n.recipients, &description, &url, method, stamp))
    });
    Rendered { subject, text: body.text(), html: body.html(), calendar, unsubscribe: Some(own.unsubscribe) }
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
        (Reason::ConsoleSignIn, _) => (
            "Sign in to the console with this code.".to_string(),
            format!("{} is your console sign-in code", code.code),
        ),
        _ => (
            format!("Sign in with this code to see your meetings with {agent}."),
            format!("{} is your sign-in code", code.code),
        ),
    };
    let mut links_out = Vec::new();
    if let Some(confirm) = &code.confirm {
        links_out.push(("Confirm my booking".to_string(), links.confirm(&confirm.hold_id, &confirm.token)));
    }
    if let Some(sign_in) = &code.sign_in {
        links_out.push(("Sign in without the code".to_string(), links.sign_in(&sign_in.hold_id, &sign_in.token)));
    }
    let body = Body {
        greeting: greeting(to),
        headline,
        facts,
        links: links_out,
        footer: "If you did not ask for this, ignore this email: nothing is booked without the code.".into(),
    };
    Rendered { subject, text: body.text(), html: body.html(), calendar: None, unsubscribe: None }
}
