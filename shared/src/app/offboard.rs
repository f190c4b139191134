//! Offboarding an agent (T5), as the admin runs it. In order, each step safe to run again:
//!
//! 1. its record is started (what to do with the meetings, the services the agent was in), or
//!    the one there is carried on;
//! 2. the agent is deactivated: every credential refused at once, every page and link 404;
//! 3. the agent leaves every service;
//! 4. each of the agent's conversations waits, unassigned, in a service's queue (the one it was
//!    assigned through, or one the agent served), where the colleagues find it;
//! 5. each future meeting is handed over to a colleague free at its time (static members of the
//!    agent's services, in S10's order, checked by the one slot engine and taken with the same
//!    locks, one transaction per meeting that also records its outcome), or cancelled with the
//!    usual notices, as the admin chose; a meeting no colleague is free for is cancelled.
//!
//! A run stops before its budget of time is spent and says it is not done; the same call again
//! carries on. The report lists every meeting: to whom it went, or why it was cancelled.
//! Reactivation restores access only.

use std::time::{Duration as StdDuration, Instant};

use chrono::Duration;
use rand::Rng;
use thiserror::Error;

use super::change::{self, ChangeError, Current};
use super::deliver::deliver_now;
use super::Deps;
use crate::domain::assignment::{assign, requeue, MemberKind, Service};
use crate::domain::conversation::{Author, Event, Message};
use crate::domain::directory::Agent;
use crate::domain::hosts::{self, HostStats};
use crate::domain::meeting::Meeting;
use crate::domain::notification::{plan, Announcement, Reason};
use crate::domain::slots::{check_booking, BusyTimes, SlotRules};
use crate::secrets;
use crate::store::{
    keys, DirectoryError, HandoverConflict, HandoverWrite, LeftService, Offboarding, Outcome, ServiceError, StoreError,
};

pub use crate::store::Disposal;

/// A run stops starting work after this, so its answer comes well within a request's deadline.
const RUN_BUDGET: StdDuration = StdDuration::from_secs(5);
/// Conversations read from the inbox index at a time.
const PAGE: usize = 50;

#[derive(Debug, Error)]
pub enum OffboardError {
    #[error("no such agent")]
    NotFound,
    #[error(transparent)]
    Directory(#[from] DirectoryError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<ChangeError> for OffboardError {
    fn from(err: ChangeError) -> Self {
        match err {
            ChangeError::Store(err) => OffboardError::Store(err),
            other => OffboardError::Store(StoreError::Conflict(match other {
                ChangeError::VersionConflict => "a meeting changed meanwhile",
                _ => "a meeting could not be cancelled",
            })),
        }
    }
}

/// What an offboarding has done so far.
pub struct Report {
    pub record: Offboarding,
    pub agent_name: String,
    pub done: bool,
    /// Whether this run finished it (the first run to see it done).
    pub newly_done: bool,
}

impl Report {
    pub fn handed_over(&self) -> usize {
        self.record.outcomes.values().filter(|o| matches!(o, Outcome::HandedOver { .. })).count()
    }

    pub fn cancelled(&self) -> usize {
        self.record.outcomes.values().filter(|o| matches!(o, Outcome::Cancelled { .. })).count()
    }
}

pub async fn deactivate(
    deps: &Deps,
    tenant_id: &str,
    agent_id: &str,
    disposal: Disposal,
) -> Result<Report, OffboardError> {
    let deadline = Instant::now() + RUN_BUDGET;
    let now = deps.clock.now();
    let (agent, services) = tokio::join!(deps.store.agent(tenant_id, agent_id), deps.store.services(tenant_id));
    let (mut agent, mut token_hash) = agent?.ok_or(OffboardError::NotFound)?;
    let services = services?;

    // 1. The record: the first run's decision and the services as they were then stand.
    let left = services
        .iter()
        .filter_map(|s| {
            let kind = s.members.get(agent_id)?;
            Some(LeftService {
                id: s.id.clone(),
                name: s.name.clone(),
                pbx_id: s.pbx_id.clone(),
                was_static: *kind == MemberKind::Static,
            })
        })
        .collect();
    let fresh = Offboarding {
        agent_id: agent_id.to_string(),
        disposal,
        started_at: now,
        services: left,
        outcomes: Default::default(),
        requeued: 0,
        done: false,
    };
    let record = deps.store.start_offboarding(tenant_id, &fresh).await?;
    if record.done && !agent.active {
        return Ok(Report { record, agent_name: agent.name, done: true, newly_done: false });
    }

    // 2. Refused everywhere from this write on (the pages' snapshots say so too).
    while agent.active {
        let after = Agent { active: false, version: agent.version + 1, ..agent.clone() };
        match deps.store.save_agent(tenant_id, &after, &agent, &token_hash).await {
            Ok(()) => agent = after,
            Err(DirectoryError::VersionConflict) => {
                (agent, token_hash) = deps.store.agent(tenant_id, agent_id).await?.ok_or(OffboardError::NotFound)?;
            }
            Err(err) => return Err(err.into()),
        }
    }

    // 3. Out of every service.
    for service in &record.services {
        match deps.store.remove_member(tenant_id, &service.id, agent_id).await {
            Ok(()) | Err(ServiceError::UnknownAgent) | Err(ServiceError::UnknownService) => {}
            Err(ServiceError::Store(err)) => return Err(err.into()),
            Err(_) => return Err(StoreError::Conflict("a service changed meanwhile").into()),
        }
    }

    // 4. and 5.
    let (requeued, conversations_done) =
        requeue_conversations(deps, tenant_id, &agent, &record, &services, deadline).await?;
    let meetings_done = dispose_meetings(deps, tenant_id, &agent, &record, &services, deadline).await?;
    let done = conversations_done && meetings_done;
    deps.store.progress_offboarding(tenant_id, agent_id, requeued, done).await?;
    let record = deps.store.offboarding(tenant_id, agent_id).await?.unwrap_or(record);
    Ok(Report { record, agent_name: agent.name, done, newly_done: done })
}

/// Access again (T5): the agent's credentials open again and their pages come back; services
/// and meetings stay as the offboarding left them.
pub async fn reactivate(deps: &Deps, tenant_id: &str, agent_id: &str) -> Result<Agent, OffboardError> {
    loop {
        let (agent, token_hash) = deps.store.agent(tenant_id, agent_id).await?.ok_or(OffboardError::NotFound)?;
        if agent.active {
            return Ok(agent);
        }
        let after = Agent { active: true, version: agent.version + 1, ..agent.clone() };
        match deps.store.save_agent(tenant_id, &after, &agent, &token_hash).await {
            Ok(()) => {
                deps.store.forget_offboarding(tenant_id, agent_id).await?;
                return Ok(after);
            }
            Err(DirectoryError::VersionConflict) => continue,
            Err(err) => return Err(err.into()),
        }
    }
}

/// The service a conversation of the leaving agent waits in: the one it was assigned through,
/// else one the agent was a static member of on the conversation's PBX, one someone else still
/// serves first (a queue nobody reads helps no guest).
fn queue_for<'s>(
    conversation: &crate::domain::conversation::Conversation,
    agent: &Agent,
    record: &Offboarding,
    services: &'s [Service],
) -> Option<&'s Service> {
    let assigned = conversation.assignee.as_ref().filter(|a| a.agent_id == agent.id).map(|a| a.service_id.as_str());
    if let Some(service) = assigned.and_then(|id| services.iter().find(|s| s.id == id)) {
        return Some(service);
    }
    let candidates: Vec<&Service> = record
        .services
        .iter()
        .filter(|left| left.was_static && left.pbx_id == conversation.pbx_id)
        .filter_map(|left| services.iter().find(|s| s.id == left.id))
        .collect();
    let served_by_others =
        |s: &&&Service| s.members.iter().any(|(id, kind)| *id != agent.id && *kind == MemberKind::Static);
    candidates.iter().find(served_by_others).or(candidates.first()).copied()
}

/// Step 4: the agent's conversations (assigned to them, or waiting in their own queue) move to
/// a service's queue. Returns how many moved, and whether all that can move have.
async fn requeue_conversations(
    deps: &Deps,
    tenant_id: &str,
    agent: &Agent,
    record: &Offboarding,
    services: &[Service],
    deadline: Instant,
) -> Result<(u32, bool), StoreError> {
    let partitions = [keys::inbox_of(tenant_id, &agent.id), keys::queue_of(tenant_id, &agent.id)];
    let mut moved = 0;
    let mut before: Option<String> = None;
    loop {
        if Instant::now() > deadline {
            return Ok((moved, false));
        }
        let page = deps.store.inbox_page(&partitions, before.as_deref(), PAGE).await?;
        if page.entries.is_empty() {
            return Ok((moved, true));
        }
        let ids: Vec<&str> = page.entries.iter().map(|(_, a)| a.conversation_id.as_str()).collect();
        for id in ids {
            let Some((conversation, link_hash)) = deps.store.conversation(tenant_id, id).await? else { continue };
            let mine = conversation.assignee.as_ref().is_some_and(|a| a.agent_id == agent.id)
                || (conversation.assignee.is_none()
                    && conversation.agent_id == agent.id
                    && conversation.service_id.is_none());
            let Some(service) = queue_for(&conversation, agent, record, services).filter(|_| mine) else { continue };
            let (after, event) = requeue(&conversation, agent, service);
            let message = Message::event(deps.clock.now(), Author::System, event);
            match deps.store.save_conversation(tenant_id, &conversation, &after, &link_hash, &message, None).await {
                Ok(()) => moved += 1,
                // Changed meanwhile (a message, an assignment): the next run sees it as it is.
                Err(StoreError::Conflict(_)) => {}
                Err(err) => return Err(err),
            }
        }
        if !page.more {
            return Ok((moved, true));
        }
        before = page.entries.last().map(|(sort, _)| sort.clone());
    }
}

/// Step 5: each future meeting of the agent handed over or cancelled. Whether all are.
async fn dispose_meetings(
    deps: &Deps,
    tenant_id: &str,
    agent: &Agent,
    record: &Offboarding,
    services: &[Service],
    deadline: Instant,
) -> Result<bool, OffboardError> {
    let now = deps.clock.now();
    let range = now..now + Duration::days(400);
    let meetings = deps.store.agent_meetings(tenant_id, &agent.id, &range).await?;
    let colleagues = match record.disposal {
        Disposal::HandOver => colleagues(deps, tenant_id, agent, record, services).await?,
        Disposal::Cancel => Vec::new(),
    };
    let mut all = true;
    for meeting in meetings.iter().filter(|m| m.start > now && m.agent_id == agent.id) {
        if Instant::now() > deadline {
            return Ok(false);
        }
        let Some((meeting, hash)) = deps.store.meeting(tenant_id, &meeting.id).await? else { continue };
        if meeting.agent_id != agent.id || meeting.status != crate::domain::meeting::MeetingStatus::Scheduled {
            continue;
        }
        let handed = match record.disposal {
            Disposal::HandOver => hand_over(deps, tenant_id, agent, &colleagues, &meeting, &hash).await?,
            Disposal::Cancel => Handed::NoColleague,
        };
        if handed == Handed::Later {
            all = false;
            continue;
        }
        if handed == Handed::NoColleague {
            let reason = match record.disposal {
                Disposal::HandOver => "no colleague was free at that time",
                Disposal::Cancel => "the agent left",
            };
            let outcome = Outcome::Cancelled { start: meeting.start, reason: reason.into() };
            let current = Current { tenant_id, meeting: &meeting, manage_token_hash: &hash };
            match change::cancel_for_leaving(deps, current, agent, &outcome).await {
                Ok(_) | Err(ChangeError::NotChangeable(_)) => {}
                Err(ChangeError::VersionConflict) => all = false,
                Err(err) => return Err(err.into()),
            }
        }
    }
    Ok(all)
}

/// What came of handing one meeting over.
#[derive(Debug, PartialEq, Eq)]
enum Handed {
    Yes,
    /// No colleague is free at its time.
    NoColleague,
    /// It changed meanwhile: the next run sees it as it is.
    Later,
}

/// A colleague who may take the leaving agent's meetings, with the service they share.
struct Colleague {
    agent: Agent,
    service: Service,
}

/// The active static members of the services the agent was in, on the agent's PBX.
async fn colleagues(
    deps: &Deps,
    tenant_id: &str,
    agent: &Agent,
    record: &Offboarding,
    services: &[Service],
) -> Result<Vec<Colleague>, StoreError> {
    let agents = deps.store.agents(tenant_id).await?;
    let mut found: Vec<Colleague> = Vec::new();
    for left in record.services.iter().filter(|s| s.pbx_id == agent.pbx_id) {
        let Some(service) = services.iter().find(|s| s.id == left.id) else { continue };
        for (id, kind) in &service.members {
            if *kind != MemberKind::Static || *id == agent.id || found.iter().any(|c| c.agent.id == *id) {
                continue;
            }
            if let Some(colleague) = agents.iter().find(|a| a.id == *id && a.active && a.pbx_id == agent.pbx_id) {
                found.push(Colleague { agent: colleague.clone(), service: service.clone() });
            }
        }
    }
    Ok(found)
}

/// Hands one meeting to the first colleague free at its time, in S10's order.
async fn hand_over(
    deps: &Deps,
    tenant_id: &str,
    leaving: &Agent,
    colleagues: &[Colleague],
    meeting: &Meeting,
    manage_token_hash: &str,
) -> Result<Handed, OffboardError> {
    let now = deps.clock.now();
    let free: Vec<(&str, HostStats)> = colleagues.iter().map(|c| (c.agent.id.as_str(), HostStats::default())).collect();
    let order = hosts::order(&free, |n| rand::rng().random_range(0..n));
    for (id, _) in order {
        let Some(colleague) = colleagues.iter().find(|c| c.agent.id == id) else { continue };
        let to = &colleague.agent;
        // Free by the one engine: their hours, overrides, buffers and calendars (any notice).
        let rules = to.availability.for_handover(meeting.duration);
        let (external, _) =
            deps.calendars().busy(tenant_id, &to.id, &to.calendars, to.availability.time_zone, now, false).await?;
        let Ok(blocked) =
            check_booking(&SlotRules::new(&rules), &BusyTimes::new(external), now, meeting.start, meeting.duration)
        else {
            continue;
        };
        let Some((conversation, link_hash)) = deps.store.conversation(tenant_id, &meeting.conversation_id).await?
        else {
            return Ok(Handed::NoColleague);
        };
        let mut after = meeting.clone();
        after.agent_id = to.id.clone();
        after.booking_slug = to.slug.clone();
        after.blocked_from = blocked.start;
        after.blocked_to = blocked.end;
        after.version += 1;
        after.change_mail.last_at = Some(now);
        let mut messages = vec![Message::event(
            now,
            Author::System,
            Event::MeetingHandedOver {
                meeting_id: meeting.id.clone(),
                from_name: leaving.name.clone(),
                to_name: to.name.clone(),
            },
        )];
        // The conversation goes with the meeting, unless someone else has taken it on.
        let theirs = conversation.assignee.as_ref().is_some_and(|a| a.agent_id != leaving.id);
        let conversation_after = if theirs {
            conversation.clone()
        } else {
            let (assigned, event) = assign(&conversation, to, &colleague.service, &Author::System, now);
            messages.push(Message::event(now, Author::System, event));
            assigned
        };
        let announced = plan(Announcement {
            tenant_id,
            meeting: &after,
            agent: to.contact(),
            reason: Reason::HandedOver { previous_agent: leaving.name.clone() },
            manage_token: None,
            conversation_link: None,
            id: secrets::new_id(),
            now,
        });
        let outcome =
            Outcome::HandedOver { start: meeting.start, to_agent_id: to.id.clone(), to_name: to.name.clone() };
        let write = HandoverWrite {
            tenant_id,
            leaving: &leaving.id,
            before: meeting,
            after: &after,
            manage_token_hash,
            conversation: (&conversation, &conversation_after, &link_hash),
            messages: &messages,
            outbox: &announced.entries,
            outcome: &outcome,
            now,
        };
        match deps.store.write_handover(&write).await? {
            Ok(()) => {
                deliver_now(deps, tenant_id, announced.immediate()).await;
                return Ok(Handed::Yes);
            }
            // A racing booking took their time: the next colleague.
            Err(HandoverConflict::SlotTaken) => continue,
            Err(HandoverConflict::Moved) => return Ok(Handed::Later),
        }
    }
    Ok(Handed::NoColleague)
}
