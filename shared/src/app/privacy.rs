//! A guest's privacy requests (T7): everything the tenant holds about one address, exported; and
//! the address erased. Everything of an address is found from its index (meetings as the guest
//! or an additional member, conversations, sessions, holds, sign-ins); what is not indexed holds
//! none of it (a delivered notification keeps only digests and ids).
//!
//! An erasure, in order, each step safe to run again:
//! 1. its future meetings are cancelled with the usual notices, and those notices sent at once
//!    (they go to the address about to be erased);
//! 2. once they are out, its names, address, meetings' subjects and the messages it wrote are
//!    replaced by a marker in every item that holds them (meetings, conversations, messages,
//!    activities, holds); its sessions, sign-ins, places, suppressions and index go, and the
//!    notifications still waiting about its meetings; billing counts stay;
//! 3. a receipt says what was done.
//!
//! A run stops before its budget of time is spent; the same call again carries on. A tenant's
//! retention (a number of days) erases past meetings and their conversations the same way, run
//! by the scheduled delivery.

use std::collections::BTreeSet;
use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Duration, Utc};
use thiserror::Error;

use super::change::{self, ChangeError, Current};
use super::deliver::deliver_now;
use super::Deps;
use crate::domain::conversation::{Author, Body, Conversation, Event, Member, Message, Viewer};
use crate::domain::meeting::{Meeting, MeetingStatus};
use crate::domain::notification::reminder_id;
use crate::domain::time::render_utc;
use crate::secrets;
use crate::store::{keys, Erasure, IndexKind, SessionRecord, StoreError, Suppression, ERASED, ERASED_ADDRESS};

/// A run stops starting work after this.
const RUN_BUDGET: StdDuration = StdDuration::from_secs(5);
/// Index entries read at a time.
const PAGE: usize = 100;
/// How long an erasure waits for its cancellation notices to go out before it erases anyway.
const NOTICE_WAIT: Duration = Duration::hours(1);

#[derive(Debug, Error)]
pub enum PrivacyError {
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<ChangeError> for PrivacyError {
    fn from(err: ChangeError) -> Self {
        match err {
            ChangeError::Store(err) => PrivacyError::Store(err),
            _ => PrivacyError::Store(StoreError::Conflict("a meeting changed meanwhile; try again")),
        }
    }
}

/// Everything about one address (T7).
pub struct Export {
    pub email: String,
    pub meetings: Vec<Meeting>,
    pub conversations: Vec<Conversation>,
    /// The messages the address wrote, by conversation.
    pub messages: Vec<(String, Message)>,
    pub sessions: Vec<SessionRecord>,
    pub suppressions: Vec<Suppression>,
    /// The meetings as an iCalendar file.
    pub calendar: String,
}

/// The most messages an export reads per conversation.
const EXPORT_MESSAGES: usize = 2000;

pub async fn export(deps: &Deps, tenant_id: &str, email: &str) -> Result<Export, PrivacyError> {
    let entries = deps.store.guest_entries(tenant_id, email, 1000).await?;
    let ids =
        |kind: IndexKind| -> Vec<String> { entries.iter().filter(|e| e.kind == kind).map(|e| e.id.clone()).collect() };
    let mut meetings = Vec::new();
    for id in ids(IndexKind::Meeting) {
        if let Some((meeting, _)) = deps.store.meeting(tenant_id, &id).await? {
            meetings.push(meeting);
        }
    }
    meetings.sort_by_key(|m| m.start);
    let mut conversation_ids: BTreeSet<String> = ids(IndexKind::Conversation).into_iter().collect();
    conversation_ids.extend(meetings.iter().map(|m| m.conversation_id.clone()));
    let mut conversations = Vec::new();
    let mut messages = Vec::new();
    for id in &conversation_ids {
        let Some((conversation, _)) = deps.store.conversation(tenant_id, id).await? else { continue };
        let mut after: Option<String> = None;
        let mut read = 0;
        while read < EXPORT_MESSAGES {
            let page = deps.store.messages_from(tenant_id, id, after.as_deref(), 200).await?;
            if page.is_empty() {
                break;
            }
            read += page.len();
            after = page.last().map(|(sk, _)| sk.clone());
            messages.extend(page.into_iter().filter(|(_, m)| wrote(m, email)).map(|(_, m)| (id.clone(), m)));
        }
        conversations.push(conversation);
    }
    let mut sessions = Vec::new();
    for id in ids(IndexKind::Session) {
        if let Some(mut session) = deps.store.session(tenant_id, &id).await? {
            session.token_hash = String::new();
            sessions.push(session);
        }
    }
    let suppressions = deps.store.suppressions_of(tenant_id, email).await?;
    let calendar = crate::mail::ics::feed(&format!("Meetings of {email}"), &meetings, deps.clock.now());
    Ok(Export { email: email.to_string(), meetings, conversations, messages, sessions, suppressions, calendar })
}

/// Whether `email` wrote the message.
fn wrote(message: &Message, email: &str) -> bool {
    matches!(&message.by, Author::Member(by) if by == email)
}

/// What an erasure has done so far.
pub struct Receipt {
    pub erasure: Erasure,
    pub done: bool,
}

pub async fn erase(deps: &Deps, tenant_id: &str, email: &str) -> Result<Receipt, PrivacyError> {
    erase_within(deps, tenant_id, email, RUN_BUDGET).await
}

/// One run of an erasure with `budget` of time: it stops after the step that outlasts it (at
/// least one step a run, so even a budget of nothing gets there, one step at a time).
pub async fn erase_within(
    deps: &Deps,
    tenant_id: &str,
    email: &str,
    budget: StdDuration,
) -> Result<Receipt, PrivacyError> {
    let deadline = Instant::now() + budget;
    let mut stepped = false;
    let mut out_of_time = move || std::mem::replace(&mut stepped, true) && Instant::now() > deadline;
    let now = deps.clock.now();
    let digest = secrets::address_digest(email);
    let mut erasure = deps.store.erasure(tenant_id, &digest).await?.unwrap_or(Erasure {
        id: secrets::new_id(),
        guest: digest.clone(),
        started_at: now,
        ..Erasure::default()
    });
    erasure.finished_at = None;
    let entries = deps.store.guest_entries(tenant_id, email, PAGE).await?;

    // 1. Its future meetings cancelled, the notices sent at once (they go to the address about
    //    to be erased, so nothing is erased until they are out, or an hour has passed).
    for entry in entries.iter().filter(|e| e.kind == IndexKind::Meeting) {
        let Some((meeting, hash)) = deps.store.meeting(tenant_id, &entry.id).await? else { continue };
        if meeting.guest.email != email || meeting.status != MeetingStatus::Scheduled || meeting.start <= now {
            continue;
        }
        let Some((agent, _)) = deps.store.agent(tenant_id, &meeting.agent_id).await? else { continue };
        let current = Current { tenant_id, meeting: &meeting, manage_token_hash: &hash };
        match change::cancel_as(deps, current, &agent, Author::System).await {
            Ok(_) => erasure.cancelled.push(meeting.id.clone()),
            Err(ChangeError::NotChangeable(_)) => {}
            Err(err) => return Err(err.into()),
        }
    }
    if now - erasure.started_at < NOTICE_WAIT {
        let mut waiting = false;
        for id in &erasure.cancelled {
            let pending = deps.store.meeting(tenant_id, id).await?.and_then(|(m, _)| m.change_mail.pending);
            if let Some(pending) = pending {
                send_now(deps, tenant_id, &pending.id, now).await?;
                waiting |=
                    deps.store.meeting(tenant_id, id).await?.is_some_and(|(m, _)| m.change_mail.pending.is_some());
            }
        }
        if waiting {
            deps.store.save_erasure(tenant_id, &erasure).await?;
            return Ok(Receipt { erasure, done: false });
        }
    }

    // 2. Everything that names the address, entry by entry of its index. What an entry teaches
    //    (the names the address went by, its meetings, the conversations to scrub) is saved in
    //    the erasure's record before the entry goes, so a run stopped anywhere (its budget, or
    //    the Lambda's end) is carried on by the next, and every step drops an entry.
    loop {
        let entries = deps.store.guest_entries(tenant_id, email, PAGE).await?;
        if entries.is_empty() {
            break;
        }
        for entry in &entries {
            if out_of_time() {
                deps.store.save_erasure(tenant_id, &erasure).await?;
                return Ok(Receipt { erasure, done: false });
            }
            match entry.kind {
                IndexKind::Meeting => {
                    if let Some((meeting, hash)) = deps.store.meeting(tenant_id, &entry.id).await? {
                        if meeting.guest.email == email {
                            erasure.names.insert(meeting.guest.name.clone());
                            erasure.their_meetings.insert(meeting.id.clone());
                        }
                        erasure.pending_conversations.insert(meeting.conversation_id.clone());
                        erase_meeting(deps, tenant_id, &meeting, &hash, email, &mut erasure).await?;
                    }
                }
                IndexKind::Conversation => {
                    erasure.pending_conversations.insert(entry.id.clone());
                }
                IndexKind::Hold => {
                    if let Some((mut hold, _)) = deps.store.hold(tenant_id, &entry.id).await? {
                        if hold.request.guest.email == email {
                            erasure.names.insert(hold.request.guest.name.clone());
                            hold.request.guest.email = ERASED_ADDRESS.into();
                            hold.request.guest.name = ERASED.into();
                            hold.request.subject = ERASED.into();
                        }
                        hold.request.additional_members.retain(|m| m != email);
                        deps.store.put_hold(tenant_id, &hold).await?;
                    }
                }
                IndexKind::Session => deps.store.revoke_session(tenant_id, &entry.id).await?,
                IndexKind::SignIn => deps.store.delete(keys::sign_in(tenant_id, &entry.id)).await?,
            }
            erasure.removed += 1;
            deps.store.save_erasure(tenant_id, &erasure).await?;
            deps.store.drop_entry(tenant_id, email, entry).await?;
        }
    }
    // The conversations its entries named, one at a time.
    for id in erasure.pending_conversations.clone() {
        if out_of_time() {
            deps.store.save_erasure(tenant_id, &erasure).await?;
            return Ok(Receipt { erasure, done: false });
        }
        let (names, theirs) = (erasure.names.clone(), erasure.their_meetings.clone());
        erase_conversation(deps, tenant_id, &id, email, &names, &theirs, &mut erasure).await?;
        erasure.pending_conversations.remove(&id);
    }
    // Its suppressions, places and whatever else is left in its own partition.
    deps.store.lift_suppressions(tenant_id, email).await?;
    while !out_of_time() {
        let removed = deps.store.clear_guest_partition(tenant_id, email, PAGE).await?;
        erasure.removed += removed;
        if removed == 0 {
            erasure.finished_at = Some(deps.clock.now());
            // W1: the tenant's systems hear of it (never the address: the receipt's id and counts).
            let data = serde_json::json!({
                "tenant_id": tenant_id,
                "erasure_id": erasure.id,
                "meetings_cancelled": erasure.cancelled.len(),
                "meetings_erased": erasure.meetings,
                "occurred_at": deps.clock.now(),
            });
            let erased = crate::domain::webhooks::EventType::GuestErased;
            super::webhooks::announce(&deps.store, tenant_id, erased, &erasure.id, data, deps.clock.now()).await?;
            deps.store.forget_erasure(tenant_id, &erasure).await?;
            return Ok(Receipt { erasure, done: true });
        }
    }
    deps.store.save_erasure(tenant_id, &erasure).await?;
    Ok(Receipt { erasure, done: false })
}

/// Sends a waiting notification now (an erasure's cancellation notice).
async fn send_now(deps: &Deps, tenant_id: &str, id: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
    deps.store.due_now(tenant_id, id, now).await?;
    deliver_now(deps, tenant_id, id).await;
    Ok(())
}

/// A meeting without the address: as its guest, its name, address and subject replaced; as an
/// additional member, gone from the list. Its cap place and waiting notifications go.
async fn erase_meeting(
    deps: &Deps,
    tenant_id: &str,
    meeting: &Meeting,
    hash: &str,
    email: &str,
    erasure: &mut Erasure,
) -> Result<(), StoreError> {
    let mut after = meeting.clone();
    if after.guest.email == email {
        after.guest.email = ERASED_ADDRESS.into();
        after.guest.name = ERASED.into();
        after.subject = ERASED.into();
        if let Some(pending) = after.change_mail.pending.as_mut() {
            pending.before.subject = ERASED.into();
        }
        for lead in &meeting.reminder_lead_times {
            deps.store.delete_outbox(tenant_id, &reminder_id(&meeting.id, *lead)).await?;
        }
        if let Some(pending) = &meeting.change_mail.pending {
            deps.store.delete_outbox(tenant_id, &pending.id).await?;
        }
        let (pk, prefix) = keys::places_of_guest_with_agent(tenant_id, meeting.owner(), email);
        erasure.removed += deps.store.delete_prefixed(pk, &prefix, 50).await?;
    } else if after.additional_members.iter().any(|m| m == email) {
        // A member of someone else's meeting: its waiting emails go to the others only.
        let waiting = meeting.reminder_lead_times.iter().map(|lead| reminder_id(&meeting.id, *lead));
        for id in waiting.chain(meeting.change_mail.pending.iter().map(|p| p.id.clone())) {
            if !deps.store.scrub_outbox_recipient(tenant_id, &id, email).await? {
                return Err(StoreError::Conflict("an email about the meeting is being sent; erase again"));
            }
        }
    }
    after.additional_members.retain(|m| m != email);
    if after != *meeting {
        deps.store.put_meeting(tenant_id, &after, hash).await?;
        erasure.meetings += 1;
    }
    Ok(())
}

/// A conversation without the address: its member entry, the messages it wrote, the system
/// messages that name it or its meetings' subjects, its read and mute state, its pair item.
async fn erase_conversation(
    deps: &Deps,
    tenant_id: &str,
    id: &str,
    email: &str,
    names: &BTreeSet<String>,
    their_meetings: &BTreeSet<String>,
    erasure: &mut Erasure,
) -> Result<(), StoreError> {
    let Some((conversation, link_hash)) = deps.store.conversation(tenant_id, id).await? else { return Ok(()) };
    let mut after = conversation.clone();
    for member in after.members.iter_mut() {
        if let Member::Guest { email: e, name } = member {
            if e == email {
                *e = ERASED_ADDRESS.into();
                *name = ERASED.into();
            }
        }
    }
    after.members.retain(|m| !matches!(m, Member::Additional { email: e } if e == email));
    if after.guest_email == email {
        after.guest_email = ERASED_ADDRESS.into();
        deps.store.delete(keys::conversation_pair(tenant_id, &conversation.agent_id, email)).await?;
    }
    if after != conversation {
        deps.store.put_conversation(tenant_id, &after, &link_hash).await?;
        erasure.conversations += 1;
    }
    let mut from: Option<String> = None;
    loop {
        let page = deps.store.messages_from(tenant_id, id, from.as_deref(), 200).await?;
        if page.is_empty() {
            break;
        }
        for (sk, message) in &page {
            if let Some(erased) = erased_message(message, email, names, their_meetings) {
                deps.store.put_message(tenant_id, id, sk, &erased).await?;
                erasure.messages += 1;
            }
        }
        from = page.last().map(|(sk, _)| sk.clone());
    }
    let viewer = Viewer::Outsider(Some(email.to_string()));
    let state: Vec<String> =
        ["read", "notified", "muted", "posted"].iter().map(|s| keys::member_attribute(s, &viewer)).collect();
    let activity = deps.store.activity_of(tenant_id, id).await?;
    let last_theirs = activity.last_by.as_ref().is_some_and(|by| matches!(by, Author::Member(e) if e == email))
        || activity
            .last_text
            .as_ref()
            .is_some_and(|t| names.iter().any(|n| !n.is_empty() && t.contains(n.as_str())) || t.contains(email));
    deps.store.erase_from_activity(tenant_id, id, &state, last_theirs).await?;
    Ok(())
}

/// A message as it is once the address is erased, or `None` when it names nothing of it.
fn erased_message(
    message: &Message,
    email: &str,
    names: &BTreeSet<String>,
    meetings: &BTreeSet<String>,
) -> Option<Message> {
    let named = |text: &str| names.contains(text) || text == email;
    let mut after = message.clone();
    if wrote(message, email) {
        after.by = Author::Member(ERASED_ADDRESS.into());
        after.body = Body::Text(ERASED.into());
    }
    if let Body::Event(event) = &mut after.body {
        match event {
            Event::MeetingBooked { meeting_id, subject, .. } if meetings.contains(meeting_id) => {
                *subject = ERASED.into()
            }
            Event::SubjectChanged { meeting_id, from, to } if meetings.contains(meeting_id) => {
                *from = ERASED.into();
                *to = ERASED.into();
            }
            Event::EmailUndelivered { to, .. } if named(to) => *to = ERASED.into(),
            Event::Unsubscribed { name } if named(name) => *name = ERASED.into(),
            _ => {}
        }
    }
    (after != *message).then_some(after)
}

/// The receipt's body: what was done, never the address nor its digest.
pub fn receipt_json(receipt: &Receipt) -> serde_json::Value {
    let e = &receipt.erasure;
    serde_json::json!({
        "id": e.id,
        "done": receipt.done,
        "started_at": render_utc(e.started_at),
        "finished_at": e.finished_at.map(render_utc),
        "meetings_cancelled": e.cancelled.len(),
        "meetings_erased": e.meetings,
        "conversations_erased": e.conversations,
        "messages_erased": e.messages,
        "items_removed": e.removed,
    })
}

/// What one sweep of the tenants' retentions did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Swept {
    pub meetings: u32,
    pub conversations: u32,
}

/// The retention sweep (T7), run by the scheduled delivery: each tenant with a retention has its
/// meetings that ended more than that many days ago erased (the guest's and members' names and
/// addresses, the subject), their notifications and index entries gone; a conversation is
/// erased the same way once nothing has happened in it for that long. Bounded per run; what is
/// left is swept next time. Erased records are also given to DynamoDB's TTL, which removes the
/// husks (late, as TTL does: what matters was erased at once).
pub async fn sweep_retention(deps: &Deps) -> Result<Swept, StoreError> {
    let deadline = Instant::now() + RUN_BUDGET;
    let now = deps.clock.now();
    let mut swept = Swept::default();
    for retention in deps.store.retentions(100).await? {
        let cutoff = now - Duration::days(retention.days.into());
        let tenant_id = &retention.tenant_id;
        for agent in deps.store.agents(tenant_id).await? {
            for id in deps.store.ended_meetings(tenant_id, &agent.id, cutoff, PAGE).await? {
                if Instant::now() > deadline {
                    return Ok(swept);
                }
                let Some((meeting, hash)) = deps.store.meeting(tenant_id, &id).await? else { continue };
                swept.conversations += sweep_meeting(deps, tenant_id, &meeting, &hash, cutoff).await?;
                swept.meetings += 1;
            }
        }
    }
    Ok(swept)
}

/// One meeting past the retention erased, and its conversation if it is quiet that long too.
async fn sweep_meeting(
    deps: &Deps,
    tenant_id: &str,
    meeting: &Meeting,
    hash: &str,
    cutoff: DateTime<Utc>,
) -> Result<u32, StoreError> {
    let now = deps.clock.now();
    let people: Vec<String> =
        std::iter::once(meeting.guest.email.clone()).chain(meeting.additional_members.clone()).collect();
    let names: BTreeSet<String> = [meeting.guest.name.clone()].into();
    let mut erasure = Erasure::default();
    let mut conversations = 0;
    let activity = deps.store.activity_of(tenant_id, &meeting.conversation_id).await?;
    let quiet = activity.last_at.is_none_or(|at| at < cutoff);
    for email in &people {
        if email == ERASED_ADDRESS {
            continue;
        }
        erase_meeting(
            deps,
            tenant_id,
            &deps.store.meeting(tenant_id, &meeting.id).await?.map(|(m, _)| m).unwrap_or_else(|| meeting.clone()),
            hash,
            email,
            &mut erasure,
        )
        .await?;
        deps.store.delete(keys::guest_meeting(tenant_id, email, &meeting.id)).await?;
        if quiet {
            let their: BTreeSet<String> = [meeting.id.clone()].into();
            erase_conversation(deps, tenant_id, &meeting.conversation_id, email, &names, &their, &mut erasure).await?;
            deps.store.delete(keys::guest_conversation(tenant_id, email, &meeting.conversation_id)).await?;
        }
    }
    if quiet {
        conversations += 1;
        deps.store.expire(keys::conversation(tenant_id, &meeting.conversation_id), now).await?;
    }
    deps.store.expire(keys::meeting(tenant_id, &meeting.id), now).await?;
    deps.store.drop_span(tenant_id, meeting).await?;
    Ok(conversations)
}
