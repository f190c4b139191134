//! Delivering the outbox (R1, R2, C3): claim an item, publish its event, send every recipient's
//! copy, record each as it goes, then mark it delivered; a refused address is recorded and the
//! others go on; on an outage, retry later with backoff, and park it as failed (its secrets
//! erased) after `MAX_ATTEMPTS`.
//!
//! Use cases call [`deliver_now`] right after their transaction commits, so mail goes out at
//! once when SES is up; the scheduled `delivery` function (and the local server's timer) calls
//! [`Delivery::run_due`] for everything still pending or due, such as reminders.

use chrono::Duration;
use thiserror::Error;

use crate::clock::Clock;
use crate::domain::conversation::{Author, Event, Message};
use crate::domain::notification::{Reason, Recipient};
use crate::events::EventSink;
use crate::mail::{self, Links, MailError, Mailer};
use crate::secrets;
use crate::store::Claimed;
use crate::store::{Store, StoreError};

pub const MAX_ATTEMPTS: u32 = 5;
/// Long enough for one item's emails; a dispatcher that dies holding it is replaced after this.
const LEASE_SECONDS: i64 = 120;
const BATCH: i32 = 100;

/// Where notifications go and how they are signed; built once per process.
#[derive(Clone)]
pub struct Notifier {
    pub mailer: Mailer,
    pub events: EventSink,
    /// `From:` of every email, e.g. `Meeting Scheduler <noreply@example.com>` (an SES-verified identity).
    pub sender: String,
    pub links: Links,
}

pub struct Delivery<'a> {
    pub store: &'a Store,
    pub notifier: &'a Notifier,
    pub clock: &'a dyn Clock,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Report {
    pub claimed: u32,
    pub emails: u32,
    pub events: u32,
    pub delivered: u32,
    pub retried: u32,
    pub parked: u32,
    /// Recipients whose address could not be mailed (recorded on the item; the others went on).
    pub refused: u32,
}

/// Why an item (not one recipient) could not be finished this time.
#[derive(Debug, Error)]
enum Failure {
    /// Nothing a retry can fix (the sender address is unusable): parked at once.
    #[error("{0}")]
    Permanent(String),
    /// An outage or a throttle: tried again later, from where it stopped.
    #[error("{0}")]
    Transient(String),
}

/// What became of one recipient's copy.
enum CopyOutcome {
    Sent,
    /// This address cannot be mailed; recorded, and the others go on.
    Refused(String),
}

impl Delivery<'_> {
    /// Delivers everything due now.
    pub async fn run_due(&self) -> Result<Report, StoreError> {
        let mut report = Report::default();
        for (tenant_id, id) in self.store.due_outbox(self.clock.now(), BATCH).await? {
            self.deliver_into(&tenant_id, &id, &mut report).await?;
        }
        Ok(report)
    }

    /// Delivers one item if it is due and unclaimed; a no-op otherwise.
    pub async fn deliver(&self, tenant_id: &str, id: &str) -> Result<Report, StoreError> {
        let mut report = Report::default();
        self.deliver_into(tenant_id, id, &mut report).await?;
        Ok(report)
    }

    async fn deliver_into(&self, tenant_id: &str, id: &str, report: &mut Report) -> Result<(), StoreError> {
        let owner = secrets::new_id();
        let now = self.clock.now();
        let Some(claimed) =
            self.store.claim_outbox(tenant_id, id, &owner, now, Duration::seconds(LEASE_SECONDS)).await?
        else {
            return Ok(());
        };
        report.claimed += 1;
        let n = &claimed.notification;
        let mut failure = None;

        // The domain event first: billing and integrations hear of the change whatever happens
        // to the emails, and the emails go out whatever happens to the event.
        if !claimed.event_sent {
            if let Some(event) = &n.event {
                match self.notifier.events.publish(event).await {
                    Ok(()) => {
                        if !self.store.record_event_sent(tenant_id, id, &owner).await? {
                            return Ok(()); // the lease was lost: whoever holds it now carries on
                        }
                        report.events += 1;
                    }
                    Err(err) => failure = Some(Failure::Transient(err.to_string())),
                }
            }
        }

        // Each recipient's copy: written from the notification, or (a digest) from what each
        // member missed, worked out now.
        let (copies, digest) = match &n.reason {
            Reason::Digest { conversation_id } => match self.digest(n, conversation_id).await? {
                Some((copies, run)) => (copies, Some(run)),
                None => (Vec::new(), None),
            },
            _ => {
                let copies = unique(&n.recipients)
                    .into_iter()
                    .filter_map(|r| mail::render(n, r, &self.notifier.links, now).map(|copy| (r.clone(), copy)))
                    .collect();
                (copies, None)
            }
        };
        // Addresses that bounced for good or complained are not mailed again (see `mail_events`).
        let waiting: Vec<&str> = copies
            .iter()
            .map(|(r, _)| r.email.as_str())
            .filter(|e| !claimed.sent_to.iter().any(|s| s == e) && !claimed.refused.iter().any(|s| s == e))
            .collect();
        let suppressed = self.store.suppressed(tenant_id, &waiting).await?;
        for (index, (recipient, rendered)) in copies.iter().enumerate() {
            if claimed.sent_to.contains(&recipient.email) || claimed.refused.contains(&recipient.email) {
                continue;
            }
            let outcome = match suppressed.iter().find(|s| s.email == recipient.email) {
                Some(s) => Ok(CopyOutcome::Refused(format!("suppressed: a {} on {}", s.reason, s.at.date_naive()))),
                None => self.send_copy(n, rendered, recipient, index, now).await,
            };
            match outcome {
                Ok(CopyOutcome::Sent) => {
                    if !self.store.record_sent(tenant_id, id, &owner, &recipient.email).await? {
                        return Ok(());
                    }
                    report.emails += 1;
                }
                Ok(CopyOutcome::Refused(reason)) => {
                    tracing::warn!(tenant = tenant_id, notification = id, %reason, "recipient refused; the others go on");
                    if !self.store.record_refused(tenant_id, id, &owner, &recipient.email, &reason).await? {
                        return Ok(());
                    }
                    report.refused += 1;
                }
                Err(err) => {
                    failure = Some(err);
                    break;
                }
            }
        }
        match failure {
            None => {
                self.post_reminder_message(&claimed).await?;
                if let Some(run) = digest {
                    self.finish_digest(n, run, now).await?;
                }
                self.store.complete_outbox(tenant_id, id, &owner, now).await?;
                report.delivered += 1;
            }
            Some(failure) if matches!(failure, Failure::Permanent(_)) || claimed.attempts >= MAX_ATTEMPTS => {
                tracing::error!(outcome = "parked", tenant = tenant_id, notification = id, attempts = claimed.attempts, error = %failure, "notification parked");
                crate::alarms::count(crate::alarms::Count::NotificationsParked);
                self.store.park_outbox(tenant_id, id, &owner, &failure.to_string(), now).await?;
                report.parked += 1;
            }
            Some(failure) => {
                let next = now + backoff(claimed.attempts);
                tracing::warn!(outcome = "retry", tenant = tenant_id, notification = id, attempts = claimed.attempts, error = %failure, %next, "notification will be retried");
                self.store.retry_outbox(tenant_id, id, &owner, next, &failure.to_string()).await?;
                report.retried += 1;
            }
        }
        Ok(())
    }

    /// C3: a reminder that went out appears in the meeting's conversation, once: the message is
    /// keyed by the reminder, so a delivery that races or resumes cannot post it twice.
    async fn post_reminder_message(&self, claimed: &Claimed) -> Result<(), StoreError> {
        let n = &claimed.notification;
        let (Reason::Reminder { lead_minutes }, Some(meeting)) = (&n.reason, &n.meeting) else {
            return Ok(());
        };
        let event =
            Event::ReminderSent { meeting_id: meeting.id.clone(), lead_minutes: *lead_minutes, start: meeting.start };
        let message = Message::event(claimed.due_at, Author::System, event);
        self.store.post_message_once(&n.tenant_id, &meeting.conversation_id, &message, &n.id).await?;
        Ok(())
    }

    async fn send_copy(
        &self,
        n: &crate::domain::notification::Notification,
        rendered: &mail::Rendered,
        to: &Recipient,
        index: usize,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<CopyOutcome, Failure> {
        let message_id = format!("{}.{index}", n.id);
        let raw = match mail::mime::compose(&self.notifier.sender, to, rendered, &message_id, now) {
            Ok(raw) => raw,
            Err(MailError::Refused(reason)) => return Ok(CopyOutcome::Refused(reason)),
            Err(err) => return Err(Failure::Permanent(err.to_string())),
        };
        let name = format!("{}-{}-{index}", now.format("%Y%m%dT%H%M%S"), n.id);
        let tags = crate::mail::Tags { tenant_id: &n.tenant_id, notification_id: &n.id };
        match self.notifier.mailer.send(sender_address(&self.notifier.sender), &to.email, raw, &name, &tags).await {
            Ok(_) => Ok(CopyOutcome::Sent),
            Err(MailError::Refused(reason)) => Ok(CopyOutcome::Refused(reason)),
            Err(MailError::Sender(reason)) => Err(Failure::Permanent(reason)),
            Err(err) => Err(Failure::Transient(err.to_string())),
        }
    }
}

/// How long a request spends delivering its own notification after its commit: the answer must
/// not wait on a slow mail service, and must never be a failure for something already done.
const INLINE_DELIVERY_BUDGET: std::time::Duration = std::time::Duration::from_millis(1500);

/// Tries to send a just-committed notification at once. Failure or slowness is fine: it stays in
/// the outbox and the scheduled delivery sends it (once its lease, if taken, runs out).
pub async fn deliver_now(deps: &super::Deps, tenant_id: &str, id: &str) {
    match tokio::time::timeout(INLINE_DELIVERY_BUDGET, deps.delivery().deliver(tenant_id, id)).await {
        Ok(Ok(_)) => {}
        Ok(Err(err)) => {
            tracing::warn!(%err, notification = id, "immediate delivery failed; scheduled delivery will retry")
        }
        Err(_) => {
            tracing::warn!(notification = id, "immediate delivery ran out of time; scheduled delivery will finish it")
        }
    }
}

/// 30 s, 2 min, 8 min, 32 min: quick enough for a blip, patient with an outage.
fn backoff(attempts: u32) -> Duration {
    Duration::seconds(30 * 4i64.pow(attempts.saturating_sub(1).min(5)))
}

/// A person on two roles (say, an additional member who is also the agent) gets one copy.
fn unique(recipients: &[Recipient]) -> Vec<&Recipient> {
    let mut seen: Vec<&str> = Vec::new();
    recipients
        .iter()
        .filter(|r| {
            let fresh = !seen.contains(&r.email.as_str());
            seen.push(&r.email);
            fresh
        })
        .collect()
}

/// The bare address of a `Name <address>` sender, which SES wants as the envelope source.
fn sender_address(sender: &str) -> &str {
    match (sender.rfind('<'), sender.rfind('>')) {
        (Some(open), Some(close)) if open < close => &sender[open + 1..close],
        _ => sender.trim(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_bounded() {
        let steps: Vec<i64> = (1..=7).map(|a| backoff(a).num_seconds()).collect();
        assert_eq!(steps, vec![30, 120, 480, 1920, 7680, 30720, 30720]);
    }

    #[test]
    fn the_envelope_sender_is_the_bare_address() {
        assert_eq!(sender_address("Meeting Scheduler <noreply@example.com>"), "noreply@example.com");
        assert_eq!(sender_address("noreply@example.com"), "noreply@example.com");
    }
}
