//! Email: rendering (text, HTML, iCalendar), MIME composition and sending.

pub mod digest;
pub mod html;
pub mod ics;
pub mod mime;
pub mod render;
pub mod sender;

use thiserror::Error;

pub use render::{render, Links, RecipientLinks, Rendered};
pub use sender::{Mailer, Ses, Tags};

/// How a notification remembers that it was sent to (or refused for) an address, and how a
/// bounce is matched to it: an HMAC of the notification and the address under the deployment's
/// signing key. Not the address, nor anything computable from it without that key, so the
/// outbox keeps no trace of a guest once they are erased (T7).
pub fn recipient_mark(key: &crate::signing::Key, notification_id: &str, email: &str) -> String {
    key.sign(&["sent-to", notification_id, &email.to_ascii_lowercase()])
}

#[derive(Debug, Error)]
pub enum MailError {
    /// The sender address is not usable: a deployment problem, not a recipient's.
    #[error("bad sender address: {0}")]
    Sender(String),
    /// This recipient cannot be mailed (the address, or the provider refused it for good).
    #[error("recipient refused: {0}")]
    Refused(String),
    #[error("could not build the message: {0}")]
    Build(String),
    /// Sending failed this time (network, throttling, an outage); a later try may succeed.
    #[error("could not send: {0}")]
    Send(String),
}
