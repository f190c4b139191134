//! What a booking or a change tells people (B6, E2, R1): one notification now, with its domain
//! event, and the meeting's reminders at start minus each lead time. Reminders of a time the
//! meeting no longer has are retracted; those already past are skipped.

use chrono::{DateTime, Utc};

use crate::domain::meeting::Meeting;
use crate::domain::notification::{
    meeting_event, recipients, reminder_id, reminder_times, AgentContact, Notification, Reason,
};
use crate::http::deps::Deps;
use crate::secrets;
use crate::store::OutboxEntry;

pub struct Announcement<'a> {
    pub tenant_id: &'a str,
    /// The meeting as it now is.
    pub meeting: &'a Meeting,
    pub agent: AgentContact,
    pub reason: Reason,
    pub manage_token: Option<String>,
    pub conversation_link: Option<String>,
    pub now: DateTime<Utc>,
}

pub struct Plan {
    /// The notification first, then the reminders.
    pub entries: Vec<OutboxEntry>,
    pub retract: Vec<String>,
}

impl Plan {
    /// The id of the notification that should go out right away.
    pub fn immediate(&self) -> &str {
        &self.entries[0].notification.id
    }
}

pub fn plan(a: Announcement) -> Plan {
    let m = a.meeting;
    let everyone = recipients(m, &a.agent);
    let notification = Notification {
        id: secrets::new_id(),
        tenant_id: a.tenant_id.to_string(),
        event: meeting_event(a.tenant_id, m, &a.reason, a.now),
        reason: a.reason.clone(),
        meeting: Some(m.clone()),
        agent: a.agent.clone(),
        recipients: everyone.clone(),
        manage_token: a.manage_token,
        conversation_link: a.conversation_link,
        created_at: a.now,
    };
    let mut entries = vec![OutboxEntry { notification: notification.clone(), due_at: a.now }];

    let due = reminder_times(m, &m.reminder_lead_times, a.now);
    for (lead, due_at) in &due {
        let reminder = Notification {
            id: reminder_id(&m.id, *lead),
            reason: Reason::Reminder { lead_minutes: *lead },
            manage_token: None,
            conversation_link: None,
            event: None,
            ..notification.clone()
        };
        entries.push(OutboxEntry { notification: reminder, due_at: *due_at });
    }
    let moved_or_cancelled = matches!(a.reason, Reason::Cancelled | Reason::Changed { previous_start: Some(_), .. });
    let retract = if moved_or_cancelled {
        m.reminder_lead_times
            .iter()
            .filter(|lead| !due.iter().any(|(kept, _)| kept == *lead))
            .map(|lead| reminder_id(&m.id, *lead))
            .collect()
    } else {
        Vec::new()
    };
    Plan { entries, retract }
}

/// How long a request spends delivering its own notification after its commit: the answer must
/// not wait on a slow mail service, and must never be a failure for something already done.
const INLINE_DELIVERY_BUDGET: std::time::Duration = std::time::Duration::from_millis(1500);

/// Tries to send a just-committed notification at once. Failure or slowness is fine: it stays in
/// the outbox and the scheduled delivery sends it (once its lease, if taken, runs out).
pub async fn deliver_now(deps: &Deps, tenant_id: &str, id: &str) {
    match tokio::time::timeout(INLINE_DELIVERY_BUDGET, deps.dispatcher().deliver(tenant_id, id)).await {
        Ok(Ok(_)) => {}
        Ok(Err(err)) => {
            tracing::warn!(%err, notification = id, "immediate delivery failed; scheduled delivery will retry")
        }
        Err(_) => {
            tracing::warn!(notification = id, "immediate delivery ran out of time; scheduled delivery will finish it")
        }
    }
}
