//! Email: rendering (text, HTML, iCalendar), MIME composition and sending.

pub mod html;
pub mod ics;
pub mod mime;
pub mod render;
pub mod sender;

use thiserror::Error;

pub use render::{render, Links, Rendered};
pub use sender::Mailer;

#[derive(Debug, Error)]
pub enum MailError {
    #[error("bad address: {0}")]
    Address(String),
    #[error("could not build the message: {0}")]
    Build(String),
    #[error("could not send: {0}")]
    Send(String),
}
