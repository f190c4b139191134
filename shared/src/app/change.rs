//! Changing a meeting (E1–E3, A5): reschedule, change the duration or the subject, or cancel.
//!
//! The flow: the meeting must still be changeable (scheduled, not started, at the version the
//! caller saw); a new time passes every booking rule again, with the limits of whoever changes it
//! (a guest is held to the page the meeting was booked through, an agent to their own rules);
//! the change, its system messages, its notifications and its moved or retracted reminders are
//! written in one transaction; the notification goes out at once if it can.

use chrono::{DateTime, Utc};
use thiserror::Error;

use super::deliver::deliver_now;
use super::retry::backoff;
use super::services_booking::turns;
use super::Deps;
use crate::domain::conversation::{Author, Conversation, Event, Message};
use crate::domain::directory::Agent;
use crate::domain::meeting::{HostChoice, Meeting};
use crate::domain::meeting_change::{
    cancel as cancelled, check_changeable, count_change, limits_for, ChangeRefusal, Changer, ValidChanges,
};
use crate::domain::notification::{
    about, change_mail, plan, plan_change_mail, Announcement, Notification, Planned, Reason,
};
use crate::domain::service_page::ServicePage;
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
    #[error("the conversation changed since it was read; read it again and retry")]
    ConversationMoved,
    /// More than one transaction can carry: only a move to another host comes to that.
    #[error("that time is no longer free")]
    TooLarge,
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
        match check_booking(&limits.rules(availability), &BusyTimes::new(external), now, start, duration) {
            Ok(blocked) => Some(blocked),
            Err(refused) => return rehost_or(deps, &current, actor, &changes, &agent, refused.into()).await,
        }
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
    match save(deps, &current, &agent, &after, &messages, reason, Also::default()).await {
        Err(ChangeError::SlotTaken) => rehost_or(deps, &current, actor, &changes, &agent, ChangeError::SlotTaken).await,
        saved => saved,
    }
}

/// S11: a guest's move of a service's meeting to a time its host is not free goes to the member
/// S10 picks among those free then; `refused` (the host's answer) when none is, or it is not a
/// guest's move of a service's meeting.
async fn rehost_or(
    deps: &Deps,
    current: &Current<'_>,
    actor: &Actor,
    changes: &ValidChanges,
    host: &Agent,
    refused: ChangeError,
) -> Result<Meeting, ChangeError> {
    let before = current.meeting;
    let Some(choice) = before.host.as_ref().filter(|_| matches!(actor, Actor::Guest { .. })) else {
        return Err(refused);
    };
    let Some(service) = deps.store.service(current.tenant_id, &choice.service_id).await? else { return Err(refused) };
    // Through the service as it takes guests now: a service no longer bookable picks nobody.
    let Some(page) = ServicePage::of(current.tenant_id, &service).filter(ServicePage::is_open) else {
        return Err(refused);
    };
    let now = deps.clock.now();
    // Counted (and refused past the day's cap) before anything is read for it.
    let guest_changes = count_change(Changer::Guest, before, now)?;
    let (start, duration) = changes.target(before);
    let turns = turns(deps, &page, start, duration, now).await?;
    // Read once, and again only when a write finds it changed.
    let mut read = None;
    'turns: for turn in turns.into_iter().filter(|t| t.host.id != before.agent_id) {
        let to = &turn.host;
        let (mut after, events) = changes.apply(before, Some(turn.blocked.clone()));
        after.agent_id = to.id.clone();
        after.host = Some(HostChoice { reason: turn.reason, ..choice.clone() });
        // Held from now on to the new host's page through the service, as if booked with them.
        after.limits = page.for_host(to, turn.reason).limits;
        after.guest_changes = guest_changes.clone();
        let mut messages: Vec<Message> =
            events.into_iter().map(|event| Message::event(now, actor.author(), event)).collect();
        messages.push(Message::event(
            now,
            Author::System,
            Event::MeetingRehosted {
                meeting_id: before.id.clone(),
                from_name: host.name.clone(),
                to_name: to.name.clone(),
            },
        ));
        let reason = Reason::Changed {
            previous_start: (after.start != before.start).then_some(before.start),
            previous_subject: (after.subject != before.subject).then(|| before.subject.clone()),
        };
        // A conversation changed meanwhile is read again (a bounded number of times).
        for _ in 0..3 {
            if read.is_none() {
                read = deps.store.conversation(current.tenant_id, &before.conversation_id).await?;
            }
            let Some((conversation, link_hash)) = &read else { return Err(refused) };
            // The new host joins the conversation; its assignment stays (S11).
            let joined = conversation.hosted_by((&to.id, &to.name), &choice.service_id, now, false);
            let also = Also {
                offboarding: None,
                conversation: joined.as_ref().map(|joined| (conversation, joined, link_hash.as_str())),
                told: vec![
                    host_notice(current.tenant_id, &cancelled(before).0, host, Reason::Cancelled, now),
                    host_notice(current.tenant_id, &after, to, Reason::Booked, now),
                ],
            };
            match save(deps, current, to, &after, &messages, reason.clone(), also).await {
                Err(ChangeError::ConversationMoved) => read = None,
                // A racing booking took this member's time, or the move is more than one write
                // can carry with them: the next one (S10).
                Err(ChangeError::SlotTaken | ChangeError::TooLarge) => continue 'turns,
                saved => return saved,
            }
        }
        return Err(ChangeError::VersionConflict);
    }
    Err(refused)
}

/// A host's own notice of a meeting moving between hosts (S11), to them alone and with no event
/// of its own: the old host's copy cancelled (its invitation withdrawn), the new host's booked.
fn host_notice(tenant_id: &str, meeting: &Meeting, to: &Agent, reason: Reason, now: DateTime<Utc>) -> Planned {
    let notification = Notification {
        meeting: Some(meeting.clone()),
        recipients: vec![to.recipient()],
        ..about(secrets::new_id(), tenant_id, reason, to.contact(), now)
    };
    Planned { notification, due_at: now }
}

/// What a change writes besides the meeting and what its people are told.
#[derive(Default)]
struct Also<'a> {
    /// An offboarding that cancels it (T5), with the outcome its record keeps.
    offboarding: Option<(&'a str, &'a crate::store::Outcome)>,
    /// The conversation as read and after a new host joins it, with its link's hash (S11).
    conversation: Option<(&'a Conversation, &'a Conversation, &'a str)>,
    /// Notices sent at once beside the change's own (the old and new hosts', S11).
    told: Vec<Planned>,
}

/// Cancels: the meeting stays readable, its time and the guest's place are released.
pub async fn cancel(deps: &Deps, current: Current<'_>, actor: &Actor) -> Result<Meeting, ChangeError> {
    let now = deps.clock.now();
    check_changeable(current.meeting, now, None)?;
    let agent = agent_of(deps, &current, actor).await?;
    let (after, event) = cancelled(current.meeting);
    let messages = [Message::event(now, actor.author(), event)];
    save(deps, &current, &agent, &after, &messages, Reason::Cancelled, Also::default()).await
}

/// Cancels a meeting on someone's behalf (an erasure's, T7): `by` is who the conversation says
/// cancelled it.
pub async fn cancel_as(deps: &Deps, current: Current<'_>, agent: &Agent, by: Author) -> Result<Meeting, ChangeError> {
    let now = deps.clock.now();
    check_changeable(current.meeting, now, None)?;
    let (after, event) = cancelled(current.meeting);
    let messages = [Message::event(now, by, event)];
    save(deps, &current, agent, &after, &messages, Reason::Cancelled, Also::default()).await
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
    let also = Also { offboarding: Some((&leaving.id, outcome)), ..Also::default() };
    save(deps, &current, leaving, &after, &messages, Reason::Cancelled, also).await
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
    also: Also<'_>,
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
        outbox.extend(also.told.iter().cloned());
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
            offboarding: also.offboarding,
            conversation: also.conversation,
            now,
        };
        match deps.store.write_change(&change).await? {
            Ok(()) => {
                deliver_now(deps, current.tenant_id, plan.immediate()).await;
                for told in &also.told {
                    deliver_now(deps, current.tenant_id, &told.notification.id).await;
                }
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
            Err(ChangeConflict::ConversationMoved) => return Err(ChangeError::ConversationMoved),
            Err(ChangeConflict::TooLarge) => return Err(ChangeError::TooLarge),
        }
    }
    Err(ChangeError::VersionConflict)
}
