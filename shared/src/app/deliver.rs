//! Delivering the outbox (R1, R2, C3): claim an item, publish its event, send every recipient's
//! copy, record each as it goes, then mark it delivered; a refused address is recorded and the
//! others go on; on an outage, retry later with backoff, and park it as failed (its secrets
//! erased) after `MAX_ATTEMPTS`.
//!
//! Use cases call [`deliver_now`] right after their transaction commits, so mail goes out at
//! once when SES is up; the scheduled `delivery` function (and the local server's timer) calls
//! [`Delivery::run_due`] for everything still pending or due, such as reminders.

use std::sync::Arc;

use chrono::Duration;
use thiserror::Error;

use crate::clock::Clock;
use crate::domain::conversation::{Author, Event, Message};
use crate::domain::notification::{change_reason, recipients, Reason, Recipient};
use crate::events::EventSink;
use crate::mail::{self, Links, MailError, Mailer};
use crate::secrets;
use crate::signing::Signer;
use crate::store::{Claimed, DUE_SHARDS};
use crate::store::{Store, StoreError};

pub const MAX_ATTEMPTS: u32 = 5;
/// Long enough for one item's emails; a dispatcher that dies holding it is replaced after this.
const LEASE_SECONDS: i64 = 60;
/// A delivery starts no new copy after this (one copy may take SES's own timeout, twice), and
/// gives the item back to be resumed at once, well within its lease.
const SEND_WITHIN: std::time::Duration = std::time::Duration::from_secs(40);
const BATCH: i32 = 100;
/// A run starts no new item after this: the delivery function's own time (60 s) less an item's
/// longest send ([`SEND_WITHIN`]) and a margin; what is left is the next run's.
const RUN_BUDGET: std::time::Duration = std::time::Duration::from_secs(15);

/// Where notifications go and how they are signed; built once per process.
#[derive(Clone)]
pub struct Notifier {
    pub mailer: Mailer,
    pub events: EventSink,
    /// `From:` of every email, e.g. `Meeting Scheduler <noreply@example.com>` (an SES-verified identity).
    pub sender: String,
    pub links: Links,
    /// Signs the links emails carry for their recipients (a member's conversation, unsubscribe).
    pub signer: Arc<Signer>,
}

pub struct Delivery<'a> {
    pub store: &'a Store,
    pub notifier: &'a Notifier,
    pub clock: &'a dyn Clock,
    /// The guarded client, for webhooks (W3).
    pub fetcher: &'a crate::feeds::fetch::Fetcher,
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
    /// How late the most overdue item was when the run found it (seconds): what the delivery
    /// lag alarm watches.
    pub oldest_due_seconds: i64,
}

impl std::ops::AddAssign for Report {
    fn add_assign(&mut self, other: Report) {
        self.claimed += other.claimed;
        self.emails += other.emails;
        self.events += other.events;
        self.delivered += other.delivered;
        self.retried += other.retried;
        self.parked += other.parked;
        self.refused += other.refused;
        self.oldest_due_seconds = self.oldest_due_seconds.max(other.oldest_due_seconds);
    }
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
    /// Delivers everything due now: every shard drained to its end side by side (one worker
    /// each: a meeting's notifications share a shard, so they go out in their order), until the
    /// run's budget is spent; the rest is the next run's.
    pub async fn run_due(&self) -> Result<Report, StoreError> {
        self.run_due_with(DUE_SHARDS as usize).await
    }

    /// The same with at most `workers` shards drained at once (1: one item after another, as the
    /// delivery was before it fanned out; the drain benchmark compares the two).
    pub async fn run_due_with(&self, workers: usize) -> Result<Report, StoreError> {
        use futures::stream::{self, StreamExt};
        let deadline = std::time::Instant::now() + RUN_BUDGET;
        let now = self.clock.now();
        let drains: Vec<_> = (0..DUE_SHARDS).map(|shard| self.drain(shard, now, deadline)).collect();
        let drained: Vec<_> = stream::iter(drains).buffer_unordered(workers.max(1)).collect().await;
        let mut report = Report::default();
        let mut failed = None;
        for shard in drained {
            match shard {
                Ok(done) => report += done,
                Err(err) => failed = Some(err),
            }
        }
        if report.oldest_due_seconds > 0 {
            crate::alarms::gauge(crate::alarms::Gauge::DeliveryLagSeconds, report.oldest_due_seconds as f64);
        }
        match failed {
            Some(err) if report.claimed == 0 => Err(err),
            _ => Ok(report),
        }
    }

    /// One shard's due items, oldest first, page after page.
    async fn drain(
        &self,
        shard: u32,
        now: chrono::DateTime<chrono::Utc>,
        deadline: std::time::Instant,
    ) -> Result<Report, StoreError> {
        let mut report = Report::default();
        let mut after = None;
        loop {
            let page = self.store.due_page(shard, now, BATCH, after).await?;
            if let Some(oldest) = page.items.first() {
                report.oldest_due_seconds = report.oldest_due_seconds.max(now.timestamp() - oldest.due_at);
            }
            for due in &page.items {
                if std::time::Instant::now() > deadline {
                    return Ok(report);
                }
                self.deliver_into(&due.tenant_id, &due.id, &mut report).await?;
            }
            match page.next {
                Some(next) => after = Some(next),
                None => return Ok(report),
            }
        }
    }

    /// Delivers one item if it is due and unclaimed; a no-op otherwise.
    pub async fn deliver(&self, tenant_id: &str, id: &str) -> Result<Report, StoreError> {
        let mut report = Report::default();
        self.deliver_into(tenant_id, id, &mut report).await?;
        Ok(report)
    }

    async fn deliver_into(&self, tenant_id: &str, id: &str, report: &mut Report) -> Result<(), StoreError> {
        self.deliver_as(tenant_id, id, &secrets::new_id(), report).await
    }

    /// Delivers one item under the lease of `owner` (a caller that may be cut off knows whose
    /// lease to give back: see [`deliver_now`]).
    async fn deliver_as(&self, tenant_id: &str, id: &str, owner: &str, report: &mut Report) -> Result<(), StoreError> {
        let started = std::time::Instant::now();
        let now = self.clock.now();
        let Some(claimed) =
            self.store.claim_outbox(tenant_id, id, owner, now, Duration::seconds(LEASE_SECONDS)).await?
        else {
            return Ok(());
        };
        report.claimed += 1;
        let n = &claimed.notification;
        if let Reason::Webhook { .. } = n.reason {
            return self.send_webhook(tenant_id, id, owner, &claimed, now, report).await;
        }
        let mut failure = None;

        // The domain event first: billing and integrations hear of the change whatever happens
        // to the emails, and the emails go out whatever happens to the event. The tenant's
        // webhooks (W2) are written first, one item per endpoint that hears it, so that the
        // event is marked sent only once they are in the outbox.
        if !claimed.event_sent {
            if let Some(event) = &n.event {
                if let Err(err) = super::webhooks::fan_out(self.store, n, event, now).await {
                    return self.retry(tenant_id, id, owner, &claimed, &err.to_string(), now, report).await;
                }
                match self.notifier.events.publish(event).await {
                    Ok(()) => {
                        if !self.store.record_event_sent(tenant_id, id, owner).await? {
                            return Ok(()); // the lease was lost: whoever holds it now carries on
                        }
                        report.events += 1;
                    }
                    Err(err) => failure = Some(Failure::Transient(err.to_string())),
                }
            }
        }

        // Each recipient's copy: written from the notification, or worked out now (a digest:
        // what each member missed; a change email: the meeting as it now is). Their links are
        // signed, so the key is read first (an event alone needs none).
        let mails = !n.recipients.is_empty()
            || matches!(
                n.reason,
                Reason::Digest { .. }
                    | Reason::ChangeMail { .. }
                    | Reason::CalendarUnreadable { .. }
                    | Reason::WebhookDisabled { .. }
            );
        let key = match mails {
            false => None,
            true => match self.notifier.signer.key().await {
                Ok(key) => Some(key),
                Err(err) => return self.retry(tenant_id, id, owner, &claimed, &err.to_string(), now, report).await,
            },
        };
        let mut digest = None;
        let mut change = None;
        let copies: Vec<(Recipient, mail::Rendered)> = match (&n.reason, key) {
            (_, None) => Vec::new(),
            (Reason::Digest { conversation_id }, Some(key)) => match self.digest(n, conversation_id, key).await? {
                Some((copies, run)) => {
                    digest = Some(run);
                    copies
                }
                None => Vec::new(),
            },
            (Reason::ChangeMail { meeting_id }, Some(key)) => {
                match self.change_copies(n, meeting_id, key, now).await? {
                    Some(copies) => {
                        change = Some(meeting_id.clone());
                        copies
                    }
                    None => Vec::new(),
                }
            }
            // The agent as stored, never an address the alert carries (a slot lookup wrote it).
            (Reason::CalendarUnreadable { agent_id, .. }, Some(key)) => {
                match self.store.agent(tenant_id, agent_id).await? {
                    Some((agent, _)) if agent.active => {
                        let to = agent.recipient();
                        mail::render(n, &to, &self.notifier.links, key, now)
                            .map(|copy| (to, copy))
                            .into_iter()
                            .collect()
                    }
                    _ => Vec::new(),
                }
            }
            // The tenant's admin agents as they are now.
            (Reason::WebhookDisabled { .. }, Some(key)) => {
                let admins = self.store.agents(tenant_id).await?;
                admins
                    .iter()
                    .filter(|a| a.active && a.role == crate::domain::directory::AgentRole::Admin)
                    .filter_map(|a| {
                        let to = a.recipient();
                        mail::render(n, &to, &self.notifier.links, key, now).map(|copy| (to, copy))
                    })
                    .collect()
            }
            (_, Some(key)) => unique(&n.recipients)
                .into_iter()
                .filter_map(|r| mail::render(n, r, &self.notifier.links, key, now).map(|copy| (r.clone(), copy)))
                .collect(),
        };
        // Addresses that bounced for good, complained, or unsubscribed from this conversation
        // are not mailed again (see `mail_events`, `unsubscribe`).
        // Sent and refused addresses are kept as marks (never the addresses).
        let mark = |email: &str| key.map(|key| mail::recipient_mark(key, &n.id, email)).unwrap_or_default();
        let done = |email: &str| {
            let mark = mark(email);
            claimed.sent_to.contains(&mark) || claimed.refused.contains(&mark)
        };
        let waiting: Vec<&str> = copies.iter().map(|(r, _)| r.email.as_str()).filter(|e| !done(e)).collect();
        let conversation = n.conversation_id();
        let suppressed = self.store.suppressed(tenant_id, conversation, &waiting).await?;
        for (index, (recipient, rendered)) in copies.iter().enumerate() {
            if done(&recipient.email) {
                continue;
            }
            // A delivery that has run long gives the rest back rather than outlive its lease.
            if started.elapsed() > SEND_WITHIN {
                return self
                    .retry(tenant_id, id, owner, &claimed, "ran out of time; resumed at once", now, report)
                    .await;
            }
            let outcome = match suppressed.iter().find(|s| s.email == recipient.email) {
                Some(s) => Ok(CopyOutcome::Refused(format!("suppressed: {} on {}", s.reason, s.at.date_naive()))),
                None => self.send_copy(n, rendered, recipient, index, now).await,
            };
            match outcome {
                Ok(CopyOutcome::Sent) => {
                    if !self.store.record_sent(tenant_id, id, owner, &mark(&recipient.email)).await? {
                        return Ok(());
                    }
                    report.emails += 1;
                }
                Ok(CopyOutcome::Refused(reason)) => {
                    tracing::warn!(tenant = tenant_id, notification = id, %reason, "recipient refused; the others go on");
                    if !self
                        .store
                        .record_refused(tenant_id, id, owner, (&recipient.email, &mark(&recipient.email)), &reason)
                        .await?
                    {
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
                if let Some(meeting_id) = change {
                    self.store.finish_change_mail(tenant_id, &meeting_id, id, now).await?;
                }
                self.store.complete_outbox(tenant_id, id, owner, n, now).await?;
                report.delivered += 1;
            }
            Some(failure) if matches!(failure, Failure::Permanent(_)) || claimed.attempts >= MAX_ATTEMPTS => {
                tracing::error!(outcome = "parked", tenant = tenant_id, notification = id, attempts = claimed.attempts, error = %failure, "notification parked");
                crate::alarms::count(crate::alarms::Count::NotificationsParked);
                self.store.park_outbox(tenant_id, id, owner, n, &failure.to_string(), now).await?;
                report.parked += 1;
            }
            Some(failure) => {
                let next = now + backoff(claimed.attempts);
                tracing::warn!(outcome = "retry", tenant = tenant_id, notification = id, attempts = claimed.attempts, error = %failure, %next, "notification will be retried");
                self.store.retry_outbox(tenant_id, id, owner, next, &failure.to_string()).await?;
                report.retried += 1;
            }
        }
        Ok(())
    }

    /// Gives an item back to be tried again at once (the signing key could not be read yet, or
    /// the delivery ran long); it keeps what it has sent.
    /// One webhook to one endpoint (W1–W3): signed with each secret in force, posted through the
    /// guarded client, logged; a failure tried again with backoff and jitter for a day, and an
    /// endpoint failing that long disabled (its admins are told).
    async fn send_webhook(
        &self,
        tenant_id: &str,
        id: &str,
        owner: &str,
        claimed: &Claimed,
        now: chrono::DateTime<chrono::Utc>,
        report: &mut Report,
    ) -> Result<(), StoreError> {
        use crate::domain::webhooks::{next_try, TRY_FOR};
        let n = &claimed.notification;
        let Reason::Webhook { endpoint_id, event_type, body, .. } = &n.reason else { return Ok(()) };
        let endpoint = self.store.endpoint(tenant_id, endpoint_id).await?;
        // Removed or disabled since: nothing to send.
        let Some(mut endpoint) = endpoint.filter(|e| e.enabled) else {
            self.store.complete_outbox(tenant_id, id, owner, n, now).await?;
            return Ok(());
        };
        let key = match self.notifier.signer.key().await {
            Ok(key) => key,
            Err(err) => return self.retry(tenant_id, id, owner, claimed, &err.to_string(), now, report).await,
        };
        let Some(headers) = super::webhooks::headers(key, tenant_id, &endpoint, id, body, now) else {
            self.store.park_outbox(tenant_id, id, owner, n, "the endpoint's secret cannot be read", now).await?;
            report.parked += 1;
            return Ok(());
        };
        let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let started = std::time::Instant::now();
        let answer = self.fetcher.post(&endpoint.url, &headers, body).await;
        let error = match &answer {
            Ok(status) if (200..300).contains(status) => None,
            Ok(status) => Some(format!("the endpoint answered {status}")),
            Err(err) => Some(err.to_string()),
        };
        let attempt = crate::store::Attempt {
            delivery_id: id.to_string(),
            webhook_id: id.to_string(),
            event_type: event_type.clone(),
            at: now,
            status: answer.as_ref().ok().copied(),
            latency_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            error: error.clone(),
        };
        self.store.log_attempt(tenant_id, &endpoint.id, &attempt).await?;
        let Some(error) = error else {
            if endpoint.failing_since.take().is_some() {
                self.store.save_endpoint(tenant_id, &endpoint).await?;
            }
            self.store.complete_outbox(tenant_id, id, owner, n, now).await?;
            report.delivered += 1;
            return Ok(());
        };
        let since = *endpoint.failing_since.get_or_insert(now);
        if now - since >= TRY_FOR {
            endpoint.enabled = false;
            endpoint.disabled_reason = Some(format!("failing since {since}: {error}"));
            self.store.save_endpoint(tenant_id, &endpoint).await?;
            let told = super::webhooks::disabled_notice(tenant_id, &endpoint, now);
            self.store.put_planned_once(&told).await?;
        } else if endpoint.failing_since == Some(now) {
            self.store.save_endpoint(tenant_id, &endpoint).await?;
        }
        let draw = rand::Rng::random_range(&mut rand::rng(), 0..1000);
        match next_try(claimed.attempts, n.created_at, now, draw).filter(|_| endpoint.enabled) {
            Some(next) => {
                tracing::warn!(outcome = "retry", tenant = tenant_id, webhook = id, %error, %next, "webhook will be tried again");
                self.store.retry_outbox(tenant_id, id, owner, next, &error).await?;
                report.retried += 1;
            }
            None => {
                tracing::error!(outcome = "parked", tenant = tenant_id, webhook = id, %error, "webhook given up");
                self.store.park_outbox(tenant_id, id, owner, n, &error, now).await?;
                report.parked += 1;
            }
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    async fn retry(
        &self,
        tenant_id: &str,
        id: &str,
        owner: &str,
        claimed: &Claimed,
        why: &str,
        now: chrono::DateTime<chrono::Utc>,
        report: &mut Report,
    ) -> Result<(), StoreError> {
        tracing::warn!(
            tenant = tenant_id,
            notification = id,
            attempts = claimed.attempts,
            why,
            "notification given back"
        );
        self.store.retry_outbox(tenant_id, id, owner, now, why).await?;
        report.retried += 1;
        Ok(())
    }

    /// The copies of a meeting's change email (G7): taken first (a change from now on plans an
    /// email of its own), then written from the meeting as it is against what its people last
    /// heard, to its people as they are. `None` when it is no longer the email waiting, or there
    /// is nothing to tell (moved, then moved back).
    async fn change_copies(
        &self,
        n: &crate::domain::notification::Notification,
        meeting_id: &str,
        key: &crate::signing::Key,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Option<Vec<(Recipient, mail::Rendered)>>, StoreError> {
        let Some(meeting) = self.store.take_change_mail(&n.tenant_id, meeting_id, &n.id).await? else {
            return Ok(None);
        };
        let Some(told) = meeting.change_mail.pending.as_ref().map(|p| p.before.clone()) else {
            return Ok(None);
        };
        let reason = change_reason(&meeting, &told);
        let copies = match reason {
            None => Vec::new(),
            Some(reason) => {
                // The meeting's host now: a service's meeting may have moved to another host
                // since the email was planned (S11), and the old host is told apart.
                let agent = match meeting.agent_id == n.agent.id {
                    true => n.agent.clone(),
                    false => match self.store.agent(&n.tenant_id, &meeting.agent_id).await? {
                        Some((agent, _)) => agent.contact(),
                        None => crate::domain::notification::AgentContact::nobody(&meeting.agent_id),
                    },
                };
                let said = crate::domain::notification::Notification {
                    reason,
                    // (An agent no longer readable is nobody, with no address to mail.)
                    recipients: recipients(&meeting, &agent).into_iter().filter(|r| !r.email.is_empty()).collect(),
                    agent,
                    meeting: Some(meeting),
                    ..n.clone()
                };
                unique(&said.recipients)
                    .into_iter()
                    .filter_map(|r| mail::render(&said, r, &self.notifier.links, key, now).map(|c| (r.clone(), c)))
                    .collect()
            }
        };
        Ok(Some(copies))
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
/// the outbox and the scheduled delivery sends it. Cut off by its budget, it gives the item back
/// at once (its lease released), so the next delivery need not wait the lease out.
pub async fn deliver_now(deps: &super::Deps, tenant_id: &str, id: &str) {
    let owner = secrets::new_id();
    let delivery = deps.delivery();
    let mut report = Report::default();
    match tokio::time::timeout(INLINE_DELIVERY_BUDGET, delivery.deliver_as(tenant_id, id, &owner, &mut report)).await {
        Ok(Ok(())) => {}
        Ok(Err(err)) => {
            tracing::warn!(%err, notification = id, "immediate delivery failed; scheduled delivery will retry")
        }
        Err(_) => {
            tracing::warn!(notification = id, "immediate delivery ran out of time; its claim is given back");
            let released = deps.store.release_outbox(tenant_id, id, &owner, deps.clock.now());
            if let Ok(Err(err)) = tokio::time::timeout(INLINE_DELIVERY_BUDGET, released).await {
                tracing::warn!(%err, notification = id, "the claim could not be given back; it ends with its lease");
            }
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
