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
