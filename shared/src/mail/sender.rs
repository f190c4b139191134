//! Where finished messages go: SES in AWS and in the tests (moto), `.eml` files in a folder on
//! the local server. Chosen by configuration; nothing else changes.

use std::path::PathBuf;

use aws_sdk_ses::primitives::Blob;
use aws_sdk_ses::types::RawMessage;

use super::MailError;

/// SES's answer, sorted into what a retry can fix and what it cannot.
fn classify(err: aws_sdk_ses::error::SdkError<aws_sdk_ses::operation::send_raw_email::SendRawEmailError>) -> MailError {
    use aws_sdk_ses::error::ProvideErrorMetadata;
    use aws_sdk_ses::operation::send_raw_email::SendRawEmailError;
    let detail = format!("{}", aws_sdk_ses::error::DisplayErrorContext(&err));
    match err.as_service_error() {
        // The recipient (or the message to them) is refused for good: retrying cannot help.
        Some(SendRawEmailError::MessageRejected(_)) => MailError::Refused(detail),
        Some(e) if e.code() == Some("InvalidParameterValue") => MailError::Refused(detail),
        Some(SendRawEmailError::MailFromDomainNotVerifiedException(_)) => MailError::Sender(detail),
        _ => MailError::Send(detail),
    }
}

#[derive(Clone)]
pub enum Mailer {
    Ses(aws_sdk_ses::Client),
    /// RFC 5322 files, one per message, for a person to open.
    Folder(PathBuf),
}

impl Mailer {
    /// Sends one message to one recipient; returns the provider's message id.
    pub async fn send(&self, from: &str, to: &str, raw: Vec<u8>, name: &str) -> Result<String, MailError> {
        match self {
            Mailer::Ses(client) => {
                let out = client
                    .send_raw_email()
                    .source(from)
                    .destinations(to)
                    .raw_message(
                        RawMessage::builder()
                            .data(Blob::new(raw))
                            .build()
                            .map_err(|e| MailError::Build(e.to_string()))?,
                    )
                    .send()
                    .await
                    .map_err(classify)?;
                Ok(out.message_id)
            }
            Mailer::Folder(dir) => {
                tokio::fs::create_dir_all(dir).await.map_err(|e| MailError::Send(e.to_string()))?;
                let path = dir.join(format!("{name}.eml"));
                tokio::fs::write(&path, raw).await.map_err(|e| MailError::Send(e.to_string()))?;
                Ok(path.display().to_string())
            }
        }
    }
}
