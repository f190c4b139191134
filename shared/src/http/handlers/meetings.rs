//! GET, PATCH, DELETE /v1/meetings/{id}: the guest (manage token, header or `?token=`) or the
//! agent reads, reschedules, changes the duration or subject, or cancels a meeting (E1–E3).

use crate::domain::conversation::Message;
use crate::domain::meeting_change::{cancel, check_changeable, MeetingChanges};
use crate::domain::slots::{check_booking, BusyTimes, SlotRules};
use crate::http::auth::{self, Actor, MeetingAccess};
use crate::http::deps::Deps;
use crate::http::problem::Problem;
use crate::http::request::Ctx;
use crate::http::views::MeetingView;
use crate::http::{json, Response};
use crate::store::MeetingChange;

/// E3: a stale manage link shows the meeting as it is now, cancelled or moved.
pub async fn get(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let access = auth::meeting(deps, ctx, ctx.param("id")).await?;
    Ok(json(200, &MeetingView::from(&access.meeting)))
}

pub async fn change(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let access = auth::meeting(deps, ctx, ctx.param("id")).await?;
    let changes = ctx.json::<MeetingChanges>()?.validate()?;
    let now = deps.clock.now();
    let before = &access.meeting;
    check_changeable(before, now, changes.version)?;

    let blocked = if changes.moves(before) {
        // Every booking rule again, for the new time, under the agent's current settings. The
        // meeting's own locks do not block it: the store takes the new range "if free or mine".
        let availability = match &access.actor {
            Actor::Agent(caller) => caller.agent.availability.clone(),
            Actor::Guest => {
                let (agent, _) = deps
                    .store
                    .agent(&access.tenant_id, &before.agent_id)
                    .await?
                    .ok_or_else(|| Problem::not_found("agent"))?;
                agent.availability
            }
        };
        let (start, duration) = changes.target(before);
        Some(check_booking(&SlotRules::new(&availability), &BusyTimes::default(), now, start, duration)?)
    } else {
        None
    };
    let (after, events) = changes.apply(before, blocked);
    if events.is_empty() {
        return Ok(json(200, &MeetingView::from(before)));
    }
    let by = access.actor.label();
    let messages: Vec<Message> = events.into_iter().map(|event| Message { at: now, by: by.clone(), event }).collect();
    save(deps, &access, &after, &messages).await?;
    Ok(json(200, &MeetingView::from(&after)))
}

/// DELETE cancels: the meeting stays readable, its time and the guest's place are released.
pub async fn cancel_meeting(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let access = auth::meeting(deps, ctx, ctx.param("id")).await?;
    let now = deps.clock.now();
    check_changeable(&access.meeting, now, None)?;
    let (after, event) = cancel(&access.meeting);
    let messages = [Message { at: now, by: access.actor.label(), event }];
    save(deps, &access, &after, &messages).await?;
    Ok(json(200, &MeetingView::from(&after)))
}

async fn save(
    deps: &Deps,
    access: &MeetingAccess,
    after: &crate::domain::meeting::Meeting,
    messages: &[Message],
) -> Result<(), Problem> {
    let change = MeetingChange {
        tenant_id: &access.tenant_id,
        before: &access.meeting,
        after,
        manage_token_hash: &access.manage_token_hash,
        messages,
    };
    deps.store.change_meeting(change).await?;
    Ok(())
}
