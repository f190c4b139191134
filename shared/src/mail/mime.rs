//! The RFC 5322 message itself, built with lettre: headers are encoded by the library (no user
//! text can start a header of its own), the body is multipart/alternative with the invitation as
//! a text/calendar part, which Google Calendar and Outlook both pick up.

use chrono::{DateTime, Utc};
use lettre::message::header::ContentType;
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
    let message = Message::builder()
        .from(from)
        .to(to)
        .subject(rendered.subject.clone())
        .message_id(Some(format!("<{message_id}@meeting-scheduler>")))
        .date(date.into())
        .multipart(body)
        .map_err(|e| MailError::Build(e.to_string()))?;
    Ok(message.formatted())
}
