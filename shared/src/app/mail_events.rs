//! What SES tells us after sending (through the configuration set's SNS topic): a permanent
//! bounce or a complaint. The address is suppressed for the tenant (delivery skips it from then
//! on, and records why), and the meeting's conversation says the email did not reach them, so
//! the agent sees it. Transient bounces and deliveries are only logged. Each message carries the
//! tenant and the notification as SES message tags (see `mail::Tags`); one without them is not
//! ours and is ignored. Handling a message twice changes nothing.

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::Deps;
use crate::domain::conversation::{Author, Event, Message};
use crate::domain::validation;
use crate::store::{StoreError, Suppression};

/// An SES event (configuration-set event publishing) or an identity notification: the parts read.
#[derive(Debug, Deserialize)]
struct MailEvent {
    #[serde(alias = "notificationType", rename = "eventType")]
    kind: String,
    #[serde(default)]
    bounce: Option<Bounce>,
    #[serde(default)]
    complaint: Option<Complaint>,
    mail: Mail,
}

#[derive(Debug, Deserialize)]
struct Bounce {
    #[serde(rename = "bounceType")]
    kind: String,
    #[serde(default)]
    timestamp: Option<DateTime<Utc>>,
    #[serde(rename = "bouncedRecipients", default)]
    recipients: Vec<Recipient>,
}

#[derive(Debug, Deserialize)]
struct Complaint {
    #[serde(default)]
    timestamp: Option<DateTime<Utc>>,
    #[serde(rename = "complainedRecipients", default)]
    recipients: Vec<Recipient>,
}

#[derive(Debug, Deserialize)]
struct Recipient {
    #[serde(rename = "emailAddress")]
    email: String,
}

#[derive(Debug, Deserialize)]
struct Mail {
    #[serde(default)]
    tags: std::collections::HashMap<String, Vec<String>>,
}

/// What one message led to.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Handled {
    pub suppressed: usize,
    pub told: usize,
}

/// Handles one SNS message's text (SES's JSON); a message that is not an SES event of ours is
/// ignored (and logged), never an error: SNS would only redeliver it.
pub async fn handle(deps: &Deps, text: &str) -> Result<Handled, StoreError> {
    let Ok(event) = serde_json::from_str::<MailEvent>(text) else {
        tracing::warn!("an SNS message that is not an SES event; ignored");
        return Ok(Handled::default());
    };
    let (recipients, complaint, at) = match (event.kind.as_str(), &event.bounce, &event.complaint) {
        ("Bounce", Some(bounce), _) if bounce.kind == "Permanent" => (&bounce.recipients, false, bounce.timestamp),
        ("Complaint", _, Some(complaint)) => (&complaint.recipients, true, complaint.timestamp),
        (kind, _, _) => {
            tracing::info!(kind, "mail event noted");
            return Ok(Handled::default());
        }
    };
    let tag = |name: &str| event.mail.tags.get(name).and_then(|v| v.first()).filter(|v| is_id(v)).cloned();
    let (Some(tenant_id), Some(notification_id)) = (tag("tenant"), tag("notification")) else {
        tracing::warn!("a bounce or complaint without our tags; ignored");
        return Ok(Handled::default());
    };
    // The tags are the sender's word, not SES's proof: the notification must exist and have been
    // sent to the address, or nothing is suppressed.
    let Some(sent) = deps.store.outbox_sent(&tenant_id, &notification_id).await? else {
        tracing::warn!(tenant = tenant_id.as_str(), "a bounce or complaint for no notification of ours; ignored");
        return Ok(Handled::default());
    };
    // The meeting it was about, as it is now: who the address is to it.
    let meeting = match &sent.meeting_id {
        Some(id) => deps.store.meeting(&tenant_id, id).await?.map(|(m, _)| m),
        None => None,
    };
    // What the notification recorded of its recipients is keyed (`mail::recipient_mark`).
    let key = deps.notifier.signer.key().await.map_err(|err| StoreError::Unavailable(err.to_string()))?;
    let mut handled = Handled::default();
    // When SES saw it: the same message handled twice writes the same records.
    let now = at.unwrap_or_else(|| deps.clock.now());
    for recipient in recipients.iter().take(50) {
        let Ok(email) = validation::email("email", &recipient.email) else { continue };
        if !sent.sent_to.contains(&crate::mail::recipient_mark(key, &notification_id, &email)) {
            tracing::warn!(
                tenant = tenant_id.as_str(),
                "a bounce or complaint for an address the notification was not sent to; ignored"
            );
            continue;
        }
        let reason = if complaint { "complaint" } else { "bounce" };
        let suppression = Suppression { email: email.clone(), reason: reason.into(), at: now, conversation_id: None };
        deps.store.suppress(&tenant_id, &suppression).await?;
        handled.suppressed += 1;
        tracing::warn!(
            tenant = tenant_id.as_str(),
            notification = notification_id.as_str(),
            reason,
            "address suppressed"
        );

        // The agent hears of it in the meeting's conversation, once per notification and address.
        let Some(meeting) = &meeting else { continue };
        let name = if meeting.guest.email == email {
            meeting.guest.name.clone()
        } else if meeting.additional_members.contains(&email) {
            "an additional member".to_string()
        } else {
            "the agent".to_string()
        };
        let event = Event::EmailUndelivered { meeting_id: meeting.id.clone(), to: name, complaint };
        let message = Message::event(now, Author::System, event);
        let source = format!("undelivered-{notification_id}-{}", &crate::store::keys::guest(&email)[..16]);
        if deps.store.post_message_once(&tenant_id, &meeting.conversation_id, &message, &source).await? {
            handled.told += 1;
        }
    }
    Ok(handled)
}

/// Our ids are short runs of letters and digits; a tag that is not one is not ours.
fn is_id(value: &str) -> bool {
    (8..=64).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_alphanumeric())
}
