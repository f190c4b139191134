//! The RFC 5322 message itself, built with lettre: headers are encoded by the library (no user
//! text can start a header of its own), the body is multipart/alternative with the invitation as
//! a text/calendar part, which Google Calendar and Outlook both pick up.

use chrono::{DateTime, Utc};
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::Message;

use super::render::Rendered;
use super::MailError;
use crate::domain::notification::Recipient;

pub fn compose(
    from: &str,
    to: &Recipient,
    rendered: &Rendered,
    message_id: &str,
    date: DateTime<Utc>,
) -> Result<Vec<u8>, MailError> {
    let from: Mailbox = from.parse().map_err(|e| MailError::Sender(format!("{from}: {e}")))?;
    let address = to.email.parse().map_err(|e| MailError::Refused(format!("{}: {e}", to.email)))?;
    let to = Mailbox::new(to.name.clone(), address);
    let mut body = MultiPart::alternative()
        .singlepart(SinglePart::plain(rendered.text.clone()))
        .singlepart(SinglePart::html(rendered.html.clone()));
    if let Some((method, ics)) = &rendered.calendar {
        let content_type = ContentType::parse(&format!("text/calendar; charset=utf-8; method={}", method.as_str()))
            .map_err(|e| MailError::Build(e.to_string()))?;
        body = body.singlepart(SinglePart::builder().header(content_type).body(ics.clone()));
    }
    let mut message = Message::builder()
        .from(from)
        .to(to)
        .subject(rendered.subject.clone())
        .message_id(Some(format!("<{message_id}@meeting-scheduler>")))
        .date(date.into());
    if let Some(url) = &rendered.unsubscribe {
        // RFC 8058: mail clients show "Unsubscribe" and POST `List-Unsubscribe=One-Click` to it.
        message = message.header(ListUnsubscribe(url.clone())).header(ListUnsubscribePost);
    }
    let message = message.multipart(body).map_err(|e| MailError::Build(e.to_string()))?;
    Ok(message.formatted())
}

/// `List-Unsubscribe: <https://…>` (RFC 2369). The URL is ours (a signed token in the path),
/// never user text.
#[derive(Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(s.trim_start_matches('<').trim_end_matches('>').to_string()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), format!("<{}>", self.0))
    }
}

/// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058).
#[derive(Clone)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".into())
    }
}
