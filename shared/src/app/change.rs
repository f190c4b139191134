//! Changing a meeting (E1–E3, A5): reschedule, change the duration or the subject, or cancel.
//!
//! The flow: the meeting must still be changeable (scheduled, not started, at the version the
//! caller saw); a new time passes every booking rule again, with the limits of whoever changes it
//! (a guest is held to the page the meeting was booked through, an agent to their own rules);
//! the change, its system messages, its notifications and its moved or retracted reminders are
//! written in one transaction; the notification goes out at once if it can.

use thiserror::Error;

use super::deliver::deliver_now;
use super::retry::backoff;
use super::Deps;
use crate::domain::conversation::{Author, Message};
use crate::domain::directory::Agent;
use crate::domain::meeting::Meeting;
use crate::domain::meeting_change::{
    cancel as cancelled, check_changeable, count_change, limits_for, ChangeRefusal, Changer, ValidChanges,
};
use crate::domain::notification::{change_mail, plan, plan_change_mail, Announcement, Reason};
use crate::domain::slots::{check_booking, BusyTimes, Refusal};
use crate::secrets;
use crate::store::{ChangeConflict, MeetingChange, StoreError};

const MAX_ATTEMPTS: u32 = 6;

/// Who is changing the meeting.
pub enum Actor {
    /// The guest, with the manage token they came with (their email carries it back), or with a
    /// guest session (which has no manage token to hand back).
    Guest { manage_token: Option<String> },
    /// The meeting's agent (already read to authenticate).
    Agent(Box<Agent>),
}

impl Actor {
    fn changer(&self) -> Changer {
        match self {
            Actor::Guest { .. } => Changer::Guest,
            Actor::Agent(_) => Changer::Agent,
        }
    }

    fn author(&self) -> Author {
        match self {
            Actor::Guest { .. } => Author::Guest,
            Actor::Agent(agent) => Author::agent(&agent.id),
        }
    }
}

/// A meeting as read, with what a write of it needs.
pub struct Current<'a> {
    pub tenant_id: &'a str,
    pub meeting: &'a Meeting,
    pub manage_token_hash: &'a str,
}

#[derive(Debug, Error)]
pub enum ChangeError {
    #[error(transparent)]
    NotChangeable(#[from] ChangeRefusal),
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error("that time is no longer free")]
    SlotTaken,
    #[error("the meeting changed since it was read; read it again and retry")]
    VersionConflict,
    #[error("the meeting's agent no longer exists")]
    AgentGone,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Reschedules, changes the duration or the subject; returns the meeting as it now is.
pub async fn change(
    deps: &Deps,
    current: Current<'_>,
    actor: &Actor,
    changes: ValidChanges,
) -> Result<Meeting, ChangeError> {
    let now = deps.clock.now();
    let before = current.meeting;
    check_changeable(before, now, changes.version)?;
    let agent = agent_of(deps, &current, actor).await?;
    let blocked = if changes.moves(before) {
        // Every booking rule again, for the new time. The meeting's own locks do not block it:
        // the store takes the new range "if free or mine".
        let (start, duration) = changes.target(before);
        let availability = &agent.availability;
        let limits = limits_for(actor.changer(), before, availability);
        let (external, _) = deps
            .calendars()
            .busy(current.tenant_id, &agent.id, &agent.calendars, availability.time_zone, now, false)
            .await?;
        Some(check_booking(&limits.rules(availability), &BusyTimes::new(external), now, start, duration)?)
    } else {
        None
    };
    let (mut after, events) = changes.apply(before, blocked);
    if events.is_empty() {
        return Ok(before.clone());
    }
    after.guest_changes = count_change(actor.changer(), before, now)?;
    let by = actor.author();
    let messages: Vec<Message> = events.into_iter().map(|event| Message::event(now, by.clone(), event)).collect();
    let reason = Reason::Changed {
        previous_start: (after.start != before.start).then_some(before.start),
        previous_subject: (after.subject != before.subject).then(|| before.subject.clone()),
    };
    save(deps, &current, &agent, &after, &messages, reason, None).await
}

/// Cancels: the meeting stays readable, its time and the guest's place are released.
pub async fn cancel(deps: &Deps, current: Current<'_>, actor: &Actor) -> Result<Meeting, ChangeError> {
    let now = deps.clock.now();
    check_changeable(current.meeting, now, None)?;
    let agent = agent_of(deps, &current, actor).await?;
    let (after, event) = cancelled(current.meeting);
    let messages = [Message::event(now, actor.author(), event)];
    save(deps, &current, &agent, &after, &messages, Reason::Cancelled, None).await
}

/// Cancels a meeting on someone's behalf (an erasure's, T7): `by` is who the conversation says
/// cancelled it.
pub async fn cancel_as(deps: &Deps, current: Current<'_>, agent: &Agent, by: Author) -> Result<Meeting, ChangeError> {
    let now = deps.clock.now();
    check_changeable(current.meeting, now, None)?;
    let (after, event) = cancelled(current.meeting);
    let messages = [Message::event(now, by, event)];
    save(deps, &current, agent, &after, &messages, Reason::Cancelled, None).await
}

/// Cancels a meeting of an agent who is leaving (T5), recording the outcome in the offboarding's
/// record in the same write (so a run carried on after a stop knows it was done).
pub async fn cancel_for_leaving(
    deps: &Deps,
    current: Current<'_>,
    leaving: &Agent,
    outcome: &crate::store::Outcome,
) -> Result<Meeting, ChangeError> {
    let now = deps.clock.now();
    check_changeable(current.meeting, now, None)?;
    let (after, event) = cancelled(current.meeting);
    let messages = [Message::event(now, Author::agent(&leaving.id), event)];
    save(deps, &current, leaving, &after, &messages, Reason::Cancelled, Some((&leaving.id, outcome))).await
}

/// The meeting's agent: the actor when it is the agent, else one read.
async fn agent_of(deps: &Deps, current: &Current<'_>, actor: &Actor) -> Result<Agent, ChangeError> {
    match actor {
        Actor::Agent(agent) => Ok((**agent).clone()),
        Actor::Guest { .. } => {
            let found = deps.store.agent(current.tenant_id, &current.meeting.agent_id).await?;
            found.map(|(agent, _)| agent).ok_or(ChangeError::AgentGone)
        }
    }
}

/// Writes the change with its messages, its event and reminders, and its change email (G7: the
/// one waiting, or a new one due when the last is two minutes old) in one transaction, then
/// sends what is due at once. Returns the meeting as saved.
async fn save(
    deps: &Deps,
    current: &Current<'_>,
    agent: &Agent,
    after: &Meeting,
    messages: &[Message],
    reason: Reason,
    offboarding: Option<(&str, &crate::store::Outcome)>,
) -> Result<Meeting, ChangeError> {
    let now = deps.clock.now();
    let mut plan = plan(Announcement {
        tenant_id: current.tenant_id,
        meeting: after,
        agent: agent.contact(),
        reason,
        manage_token: None,
        conversation_link: None,
        id: secrets::new_id(),
        now,
    });
    // The change's own notification is its event alone; its people hear of it in the change
    // email, which says the final state of however many changes come within two minutes.
    plan.entries[0].notification.recipients.clear();
    let mut before = current.meeting.clone();
    let mut token_hash = current.manage_token_hash.to_string();
    for attempt in 0..MAX_ATTEMPTS {
        let (mail, planned) = plan_change_mail(&before, secrets::new_id, now);
        let saved = Meeting { change_mail: mail, ..after.clone() };
        let mut outbox = plan.entries.clone();
        if let Some((id, due_at)) = &planned {
            outbox.push(change_mail(id.clone(), current.tenant_id, &saved, agent.contact(), *due_at, now));
        }
        let change = MeetingChange {
            tenant_id: current.tenant_id,
            before: &before,
            after: &saved,
            manage_token_hash: &token_hash,
            messages,
            outbox: &outbox,
            retract: &plan.retract,
            offboarding,
            now,
        };
        match deps.store.write_change(&change).await? {
            Ok(()) => {
                deliver_now(deps, current.tenant_id, plan.immediate()).await;
                if let Some((id, due_at)) = planned.filter(|(_, due_at)| *due_at <= now) {
                    let _ = due_at;
                    deliver_now(deps, current.tenant_id, &id).await;
                }
                return Ok(saved);
            }
            Err(ChangeConflict::SlotTaken) => return Err(ChangeError::SlotTaken),
            Err(ChangeConflict::Moved) => {
                // Another change, or only a delivery moving the change email along (or the manage
                // link replaced): read again, and try again unless the meeting itself changed.
                match deps.store.meeting(current.tenant_id, &before.id).await? {
                    Some((fresh, hash)) if fresh.version == before.version && fresh.status == before.status => {
                        before = fresh;
                        token_hash = hash;
                    }
                    _ => return Err(ChangeError::VersionConflict),
                }
            }
            Err(ChangeConflict::Contended) => backoff(attempt).await,
        }
    }
    Err(ChangeError::VersionConflict)
}
