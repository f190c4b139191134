//! Where finished messages go: SES in AWS and in the tests (moto), `.eml` files in a folder on
//! the local server. Chosen by configuration; nothing else changes.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use aws_sdk_ses::primitives::Blob;
use aws_sdk_ses::types::{MessageTag, RawMessage};

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

/// SES, its client built on first use (a function that sends no email never builds it),
/// sending through the configuration set whose bounce and complaint events come back to the
/// service (see `app::mail_events`).
#[derive(Clone)]
pub struct Ses {
    config: Arc<aws_sdk_ses::Config>,
    client: Arc<OnceLock<aws_sdk_ses::Client>>,
    configuration_set: Option<String>,
}

impl Ses {
    pub fn new(config: aws_sdk_ses::Config, configuration_set: Option<String>) -> Self {
        Ses { config: Arc::new(config), client: Arc::default(), configuration_set }
    }

    fn client(&self) -> &aws_sdk_ses::Client {
        self.client.get_or_init(|| aws_sdk_ses::Client::from_conf((*self.config).clone()))
    }
}

#[derive(Clone)]
pub enum Mailer {
    Ses(Ses),
    /// RFC 5322 files, one per message, for a person to open.
    Folder(PathBuf),
}

/// What a message is about, carried with it so that its bounce or complaint finds its way back:
/// SES message tags (letters, digits, `_` and `-` only, which our ids are).
pub struct Tags<'a> {
    pub tenant_id: &'a str,
    pub notification_id: &'a str,
}

impl Mailer {
    /// Sends one message to one recipient; returns the provider's message id.
    pub async fn send(
        &self,
        from: &str,
        to: &str,
        raw: Vec<u8>,
        name: &str,
        tags: &Tags<'_>,
    ) -> Result<String, MailError> {
        match self {
            Mailer::Ses(ses) => {
                let tag = |name: &str, value: &str| {
                    MessageTag::builder().name(name).value(value).build().map_err(|e| MailError::Build(e.to_string()))
                };
                let out = ses
                    .client()
                    .send_raw_email()
                    .set_configuration_set_name(ses.configuration_set.clone())
                    .tags(tag("tenant", tags.tenant_id)?)
                    .tags(tag("notification", tags.notification_id)?)
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
