//! One recipient's copy of a notification: subject, plain text, HTML and (for a meeting) the
//! invitation, with times on the recipient's own wall clock and every piece of user text made
//! one line and escaped for its medium.

use std::sync::{Arc, OnceLock};

use chrono::{DateTime, Utc};

use super::html;
use super::ics::{self, Method};
use crate::domain::meeting::Meeting;
use crate::domain::notification::{CodeMail, Notification, Reason, Recipient, Role};
use crate::domain::validation::single_line;
use crate::i18n::{self, dates, Lang};
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

    /// A guest page's address in the reader's language (L1): the page opens in it whatever the
    /// browser that follows the link asks for.
    fn in_language(url: String, lang: Lang) -> String {
        let joiner = if url.contains('?') { '&' } else { '?' };
        format!("{url}{joiner}lang={}", lang.code())
    }

    pub fn manage(&self, meeting_id: &str, token: &str, lang: Lang) -> String {
        Self::in_language(format!("{}/b/manage/{meeting_id}?token={token}", self.base()), lang)
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
    pub fn confirm(&self, hold_id: &str, token: &str, lang: Lang) -> String {
        Self::in_language(format!("{}/b/confirm/{hold_id}?token={token}", self.base()), lang)
    }

    /// The one-click sign-in page of a sign-in's email (G8).
    pub fn sign_in(&self, sign_in_id: &str, token: &str, lang: Lang) -> String {
        Self::in_language(format!("{}/b/sign-in/{sign_in_id}?token={token}", self.base()), lang)
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
                Self::in_language(self.conversation(tenant_id, conversation_id, Some(&token)), to.language)
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

/// A message in the recipient's language.
fn t(to: &Recipient, key: &'static str) -> String {
    i18n::text(to.language, key).to_string()
}

/// A message with its variables, in the recipient's language.
fn tf(to: &Recipient, key: &'static str, args: &[(&str, &str)]) -> String {
    i18n::format(to.language, key, args)
}

/// A meeting's time as the recipient reads it: their language, their zone, named.
fn when(to: &Recipient, start: DateTime<Utc>, end: DateTime<Utc>) -> String {
    dates::when(to.language, to.time_zone, start, end)
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
        hello: hello(to),
        headline: t(to, "mail-webhook-headline"),
        facts: vec![(t(to, "mail-label-endpoint"), single_line(host))],
        links: vec![(t(to, "mail-link-console"), format!("{}/console#/admin/webhooks", links.base()))],
        footer: t(to, "mail-webhook-footer"),
    };
    Rendered {
        subject: t(to, "mail-webhook-subject"),
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
        hello: hello(to),
        headline: t(to, "mail-calendar-headline"),
        facts: vec![(t(to, "mail-label-calendar"), single_line(host)), (t(to, "mail-label-why"), single_line(error))],
        links: vec![(t(to, "mail-link-calendars"), links.console_calendars())],
        footer: t(to, "mail-calendar-footer"),
    };
    Rendered {
        subject: t(to, "mail-calendar-subject"),
        text: body.text(),
        html: body.html(),
        calendar: None,
        unsubscribe: None,
    }
}

/// The parts every email has: greeting, headline, facts as label and value, links, a footer.
struct Body {
    /// "Hello Grace," in the recipient's language.
    hello: String,
    headline: String,
    facts: Vec<(String, String)>,
    links: Vec<(String, String)>,
    footer: String,
}

impl Body {
    fn text(&self) -> String {
        let mut text = format!("{}\n\n{}\n\n", self.hello, self.headline);
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
        let mut body =
            format!("<p>{}</p>\n<p>{}</p>\n<table>\n", html::escape(&self.hello), html::escape(&self.headline));
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

/// "Hello Grace," in the recipient's language.
fn hello(to: &Recipient) -> String {
    tf(to, "mail-hello", &[("name", &greeting(to))])
}

fn render_meeting(
    n: &Notification,
    m: &Meeting,
    to: &Recipient,
    links: &Links,
    key: &Key,
    stamp: DateTime<Utc>,
) -> Rendered {
    let subject_line = single_line(&m.subject);
    let about = [("subject", subject_line.as_str())];
    let (headline, subject) = match &n.reason {
        Reason::Changed { .. } => (t(to, "mail-changed-headline"), tf(to, "mail-changed-subject", &about)),
        Reason::Cancelled => (t(to, "mail-cancelled-headline"), tf(to, "mail-cancelled-subject", &about)),
        Reason::Reminder { lead_minutes } => (
            tf(to, "mail-reminder-headline", &[("minutes", &lead_minutes.to_string())]),
            tf(
                to,
                "mail-reminder-subject",
                &[("subject", &subject_line), ("time", &dates::time_in(to.language, to.time_zone, m.start))],
            ),
        ),
        Reason::Assigned => (t(to, "mail-assigned-headline"), tf(to, "mail-assigned-subject", &about)),
        Reason::HandedOver { previous_agent } => (
            tf(
                to,
                "mail-handed-over-headline",
                &[("agent", &single_line(&n.agent.name)), ("previous", &single_line(previous_agent))],
            ),
            tf(to, "mail-changed-subject", &about),
        ),
        Reason::ManageLink => (t(to, "mail-manage-link-headline"), tf(to, "mail-manage-link-subject", &about)),
        Reason::Booked
        | Reason::ConfirmBooking
        | Reason::SignIn
        | Reason::ConsoleSignIn
        | Reason::CalendarUnreadable { .. }
        | Reason::Webhook { .. }
        | Reason::WebhookDisabled { .. }
        | Reason::Digest { .. }
        | Reason::ChangeMail { .. } => (t(to, "mail-booked-headline"), tf(to, "mail-booked-subject", &about)),
    };

    let with = match to.role {
        Role::Agent => single_line(&m.guest.name),
        _ => single_line(&n.agent.name),
    };
    let mut facts: Vec<(String, String)> = vec![
        (t(to, "mail-label-subject"), subject_line.clone()),
        (t(to, "mail-label-when"), when(to, m.start, m.end)),
        (t(to, "mail-label-with"), with.clone()),
    ];
    if let Reason::Changed { previous_start, previous_subject } = &n.reason {
        if let Some(previous) = previous_start {
            let before = when(to, *previous, *previous + (m.end - m.start));
            facts.push((t(to, "mail-label-previously"), before));
        }
        if let Some(previous) = previous_subject {
            facts.push((t(to, "mail-label-previous-subject"), single_line(previous)));
        }
    }
    if !m.additional_members.is_empty() {
        facts.push((t(to, "mail-label-also-invited"), m.additional_members.join(", ")));
    }

    let mut links_out: Vec<(String, String)> = Vec::new();
    match to.role {
        Role::Guest => match &n.manage_token {
            Some(token) => links_out.push((t(to, "mail-link-manage"), links.manage(&m.id, token, to.language))),
            None => facts.push((t(to, "mail-label-manage"), t(to, "mail-manage-use-confirmation"))),
        },
        // AC4: the agent's copy opens the meeting in the console.
        Role::Agent => links_out.push((t(to, "mail-link-console-meeting"), links.console_meeting(&m.id))),
        Role::Additional => {}
    }
    // C7, G11, AC4: everyone's copy leads to the conversation, as themselves.
    let own = links.for_recipient(key, &n.tenant_id, &m.conversation_id, to);
    links_out.push((t(to, "mail-link-conversation"), own.conversation));
    links_out.push((t(to, "mail-link-unsubscribe"), own.unsubscribe.clone()));
    let reference = tf(to, "mail-reference", &[("id", &m.id)]);
    let body =
        Body { hello: hello(to), headline: headline.clone(), facts, links: links_out, footer: reference.clone() };

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
    // L2: the invitation's title and description in the recipient's language too.
    let calendar = method.map(|method| {
        let summary = tf(to, "mail-invitation-summary", &[("subject", &subject_line), ("with", &with)]);
        let description = format!("{headline}\n{reference}");
        let url = links.conversation(&n.tenant_id, &m.conversation_id, None);
        let text = ics::Text { summary: &summary, description: &description, url: &url };
        (method, ics::invitation(m, &n.agent, &n.recipients, &text, method, stamp))
    });
    Rendered { subject, text: body.text(), html: body.html(), calendar, unsubscribe: Some(own.unsubscribe) }
}

/// A code for the guest: to confirm a booking (with the booking and the one-click link), or to
/// sign in. The code is in the subject, so a phone shows it without opening the email.
fn render_code(n: &Notification, code: &CodeMail, to: &Recipient, links: &Links) -> Rendered {
    let until = dates::time_in(to.language, to.time_zone, code.expires_at);
    let agent = single_line(&n.agent.name);
    let mut facts = vec![(t(to, "mail-label-code"), code.code.clone()), (t(to, "mail-label-valid-until"), until)];
    let the_code = [("code", code.code.as_str())];
    let (headline, subject) = match (&n.reason, &code.booking) {
        (Reason::ConfirmBooking, Some(booking)) => {
            facts.push((t(to, "mail-label-subject"), single_line(&booking.subject)));
            facts.push((t(to, "mail-label-when"), when(to, booking.start, booking.end)));
            facts.push((t(to, "mail-label-with"), agent));
            (t(to, "mail-confirm-headline"), tf(to, "mail-confirm-subject", &the_code))
        }
        (Reason::ConsoleSignIn, _) => {
            (t(to, "mail-console-sign-in-headline"), tf(to, "mail-console-sign-in-subject", &the_code))
        }
        _ => (tf(to, "mail-sign-in-headline", &[("agent", &agent)]), tf(to, "mail-sign-in-subject", &the_code)),
    };
    let mut links_out = Vec::new();
    if let Some(confirm) = &code.confirm {
        links_out.push((t(to, "mail-link-confirm"), links.confirm(&confirm.hold_id, &confirm.token, to.language)));
    }
    if let Some(sign_in) = &code.sign_in {
        links_out.push((t(to, "mail-link-sign-in"), links.sign_in(&sign_in.hold_id, &sign_in.token, to.language)));
    }
    let body = Body { hello: hello(to), headline, facts, links: links_out, footer: t(to, "mail-code-footer") };
    Rendered { subject, text: body.text(), html: body.html(), calendar: None, unsubscribe: None }
}
