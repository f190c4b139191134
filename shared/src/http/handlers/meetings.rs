//! GET, PATCH, DELETE /v1/meetings/{id}: the guest (manage token, header or `?token=`) or the
//! agent reads, reschedules, changes the duration or subject, or cancels a meeting (E1–E3).

use crate::domain::conversation::Message;
use crate::domain::directory::Agent;
use crate::domain::meeting::Meeting;
use crate::domain::meeting_change::{cancel, check_changeable, MeetingChanges};
use crate::domain::notification::{AgentContact, Reason};
use crate::domain::slots::{check_booking, BusyTimes, SlotRules};
use crate::http::auth::{self, Actor, MeetingAccess};
use crate::http::deps::Deps;
use crate::http::handlers::announce::{self, Announcement};
use crate::http::problem::Problem;
use crate::http::request::Ctx;
use crate::http::views::MeetingView;
use crate::http::{json, Response};
use crate::store::MeetingChange;

/// E3: a stale manage link shows the meeting as it is now, cancelled or moved.
pub async fn get(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let access = auth::meeting(deps, ctx, &ctx.id("id", "meeting")?).await?;
    Ok(json(200, &MeetingView::from(&access.meeting)))
}

pub async fn change(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let access = auth::meeting(deps, ctx, &ctx.id("id", "meeting")?).await?;
    let changes = ctx.json::<MeetingChanges>()?.validate()?;
    let now = deps.clock.now();
    let before = &access.meeting;
    check_changeable(before, now, changes.version)?;

    // The agent's current settings decide the new time; their contact goes on the emails.
    let agent = agent_of(deps, &access).await?;
    let blocked = if changes.moves(before) {
        // Every booking rule again, for the new time. The meeting's own locks do not block it:
        // the store takes the new range "if free or mine".
        let (start, duration) = changes.target(before);
        let zone = agent.availability.time_zone;
        let (external, _) =
            deps.calendars().busy(&access.tenant_id, &agent.id, &agent.calendars, zone, now, false).await?;
        Some(check_booking(&SlotRules::new(&agent.availability), &BusyTimes::new(external), now, start, duration)?)
    } else {
        None
    };
    let (after, events) = changes.apply(before, blocked);
    if events.is_empty() {
        return Ok(json(200, &MeetingView::from(before)));
    }
    let by = access.actor.label();
    let messages: Vec<Message> = events.into_iter().map(|event| Message { at: now, by: by.clone(), event }).collect();
    let reason = Reason::Changed {
        previous_start: (after.start != before.start).then_some(before.start),
        previous_subject: (after.subject != before.subject).then(|| before.subject.clone()),
    };
    save(deps, ctx, &access, &after, &messages, agent.contact(), reason).await?;
    Ok(json(200, &MeetingView::from(&after)))
}

/// DELETE cancels: the meeting stays readable, its time and the guest's place are released.
pub async fn cancel_meeting(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let access = auth::meeting(deps, ctx, &ctx.id("id", "meeting")?).await?;
    let now = deps.clock.now();
    check_changeable(&access.meeting, now, None)?;
    let (after, event) = cancel(&access.meeting);
    let messages = [Message { at: now, by: access.actor.label(), event }];
    let agent = agent_of(deps, &access).await?.contact();
    save(deps, ctx, &access, &after, &messages, agent, Reason::Cancelled).await?;
    Ok(json(200, &MeetingView::from(&after)))
}

/// The meeting's agent: the caller when it is the agent (already read to authenticate), else one read.
async fn agent_of(deps: &Deps, access: &MeetingAccess) -> Result<Agent, Problem> {
    match &access.actor {
        Actor::Agent(caller) => Ok(caller.agent.clone()),
        Actor::Guest => {
            let found = deps.store.agent(&access.tenant_id, &access.meeting.agent_id).await?;
            Ok(found.ok_or_else(|| Problem::not_found("agent"))?.0)
        }
    }
}

/// Writes the change with its messages and notifications in one transaction, then tries to send
/// the notification at once.
async fn save(
    deps: &Deps,
    ctx: &Ctx,
    access: &MeetingAccess,
    after: &Meeting,
    messages: &[Message],
    agent: AgentContact,
    reason: Reason,
) -> Result<(), Problem> {
    // A guest acting through their link gets it back in the email; an agent's change cannot
    // include it (the token is only ever stored as a hash).
    let manage_token =
        matches!(access.actor, Actor::Guest).then(|| ctx.bearer().or(ctx.link_token()).unwrap_or_default().to_string());
    let plan = announce::plan(Announcement {
        tenant_id: &access.tenant_id,
        meeting: after,
        agent,
        reason,
        manage_token,
        conversation_link: None,
        now: deps.clock.now(),
    });
    let change = MeetingChange {
        tenant_id: &access.tenant_id,
        before: &access.meeting,
        after,
        manage_token_hash: &access.manage_token_hash,
        messages,
        outbox: &plan.entries,
        retract: &plan.retract,
    };
    deps.store.change_meeting(change).await?;
    announce::deliver_now(deps, &access.tenant_id, plan.immediate()).await;
    Ok(())
}
