//! Changing a booked meeting in one transaction (E1, E2, B3): the meeting (only if still at the
//! version that was read), its calendar span, its time locks (taking the new range's, releasing
//! the old range's), its guest place and the conversation's messages, or nothing at all.

use std::collections::BTreeSet;

use super::activity::{put_messages, ActivityUpdate};
use super::booking::{lock_free_or_mine, LockItem, MeetingItem};
use super::conversations::{version_is, ConversationItem};
use super::keys;
use super::outbox::put_planned;
use super::places::{self, Claim, PlaceOf, Scope};
use super::spans::SpanItem;
use super::transaction::{item, Condition, Failure, Transaction, MAX_TRANSACTION_ITEMS};
use super::{Store, StoreError};
use crate::domain::conversation::{Conversation, Message};
use crate::domain::meeting::{lock_granules, Meeting, MeetingStatus};
use crate::domain::notification::Planned;
use crate::domain::places::PlaceKind;

pub struct MeetingChange<'a> {
    pub tenant_id: &'a str,
    pub before: &'a Meeting,
    /// The meeting after the change; its `version` is `before.version + 1`.
    pub after: &'a Meeting,
    pub manage_token_hash: &'a str,
    /// System messages for the conversation, in the order they happened.
    pub messages: &'a [Message],
    /// Notifications and (re)scheduled reminders to write with the change.
    pub outbox: &'a [Planned],
    /// Outbox items to delete: reminders of a time the meeting no longer has.
    pub retract: &'a [String],
    /// An offboarding that cancels it (T5): the agent leaving, and the outcome its record keeps.
    pub offboarding: Option<(&'a str, &'a super::offboarding::Outcome)>,
    /// Its conversation as read and after, with its link's hash: written when a service meeting
    /// moves to another host, who joins it (S11).
    pub conversation: Option<(&'a Conversation, &'a Conversation, &'a str)>,
    pub now: chrono::DateTime<chrono::Utc>,
}

/// Why a change's transaction did not commit.
#[derive(Debug, PartialEq, Eq)]
pub enum ChangeConflict {
    /// The meeting is no longer at the version read (or no longer scheduled).
    Moved,
    /// A lock of the new range is held by another meeting.
    SlotTaken,
    /// Another transaction was touching the same items; trying again may succeed.
    Contended,
    /// The conversation changed since it was read (a new host joining it): read it again.
    ConversationMoved,
    /// More items than one transaction takes: only a move to another host can come to that (see
    /// `MAX_BLOCKED_MINUTES`), which then cannot go to this host.
    TooLarge,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Purpose {
    Meeting,
    Span,
    Lock,
    Release,
    GuestPlace,
    Message,
    Outbox,
    Conversation,
}

impl Store {
    /// One attempt at writing a change; on refusal, why.
    pub async fn write_change(&self, change: &MeetingChange<'_>) -> Result<Result<(), ChangeConflict>, StoreError> {
        let tx = self.change_transaction(change)?;
        if tx.len() > MAX_TRANSACTION_ITEMS {
            return Ok(Err(ChangeConflict::TooLarge));
        }
        match tx.commit(self).await {
            Ok(()) => Ok(Ok(())),
            Err(Failure::Refused(refused)) if refused.contains(&Purpose::Lock) => Ok(Err(ChangeConflict::SlotTaken)),
            Err(Failure::Refused(refused)) if refused.contains(&Purpose::Conversation) => {
                Ok(Err(ChangeConflict::ConversationMoved))
            }
            Err(Failure::Refused(_)) => Ok(Err(ChangeConflict::Moved)),
            Err(Failure::Contended) => Ok(Err(ChangeConflict::Contended)),
            Err(Failure::Store(err)) => Err(err),
        }
    }

    fn change_transaction(&self, c: &MeetingChange) -> Result<Transaction<Purpose>, StoreError> {
        let (before, after) = (c.before, c.after);
        // A service meeting rescheduled onto another host (S11) leaves its old host's partition.
        let old_partition = keys::agent_partition(c.tenant_id, &before.agent_id);
        let partition = keys::agent_partition(c.tenant_id, &after.agent_id);
        let rehosted = before.agent_id != after.agent_id;
        let cancelled = after.status == MeetingStatus::Cancelled;
        let mut tx = Transaction::new();

        let record = MeetingItem {
            meeting: after.clone(),
            tenant_id: c.tenant_id.to_string(),
            manage_token_hash: c.manage_token_hash.to_string(),
        };
        // As read: its version, and its change email's revision (a delivery moves that along).
        let rev = match before.change_mail.rev {
            0 => "(attribute_not_exists(change_mail.rev) OR change_mail.rev = :rev)",
            _ => "change_mail.rev = :rev",
        };
        // And its manage token as read: the record is written whole, and a replaced token (G11)
        // must not come back.
        let unchanged_and_scheduled = Condition::new(format!(
            "version = :version AND #status = :scheduled AND manage_token_hash = :hash AND {rev}"
        ))
        .value(":hash", keys::s(c.manage_token_hash))
        .name("#status", "status")
        .value(":version", keys::n(before.version))
        .value(":rev", keys::n(before.change_mail.rev))
        .value(":scheduled", keys::value(MeetingStatus::Scheduled));
        tx.put(
            Purpose::Meeting,
            &self.table,
            item(keys::meeting(c.tenant_id, &after.id), &record)?,
            Some(unchanged_and_scheduled),
        );

        let mine = || Condition::new("meeting_id = :me").value(":me", keys::s(&after.id));
        if before.blocked() != after.blocked() || cancelled || rehosted {
            // The span: its key carries the start of the blocked range.
            let old_span = keys::span_sk(before.blocked_from, &before.id);
            let new_span = keys::span_sk(after.blocked_from, &after.id);
            if cancelled || rehosted || old_span != new_span {
                tx.delete(Purpose::Span, &self.table, (old_partition.clone(), old_span), None);
            }
            if !cancelled {
                let span = SpanItem::of(after);
                tx.put(Purpose::Span, &self.table, item((partition.clone(), new_span), &span)?, None);
            }

            // Locks: take every granule of the new range (unless already ours), release the rest
            // (all of the old host's, when it moves to another).
            let old: BTreeSet<_> = lock_granules(&before.blocked()).into_iter().collect();
            let new: BTreeSet<_> =
                if cancelled { BTreeSet::new() } else { lock_granules(&after.blocked()).into_iter().collect() };
            for granule in &new {
                let lock = LockItem::of(&after.id, *granule, None);
                let key = (partition.clone(), keys::lock_sk(*granule));
                tx.put(Purpose::Lock, &self.table, item(key, &lock)?, Some(lock_free_or_mine(c.now, &after.id)));
            }
            let released: Vec<_> = match rehosted {
                true => old.iter().collect(),
                false => old.difference(&new).collect(),
            };
            for granule in released {
                let key = (old_partition.clone(), keys::lock_sk(*granule));
                tx.delete(Purpose::Release, &self.table, key, Some(mine()));
            }
        }

        // S10: a cancelled meeting no longer counts for its host's turn; a moved one counts for
        // its new host instead (in the month it was booked in).
        let counts = match (cancelled, rehosted) {
            (true, _) => vec![(before, -1)],
            (false, true) => vec![(before, -1), (after, 1)],
            (false, false) => Vec::new(),
        };
        for (meeting, delta) in counts {
            if let Some((key, update, values)) = super::hosts::count_host(c.tenant_id, meeting, c.now, delta) {
                tx.update(Purpose::GuestPlace, &self.table, key, &update, values);
            }
        }
        if let Some((read, joined, link_hash)) = c.conversation {
            let record = ConversationItem { conversation: joined.clone(), link_token_hash: link_hash.to_string() };
            let key = keys::conversation(c.tenant_id, &joined.id);
            tx.put(Purpose::Conversation, &self.table, item(key, &record)?, Some(version_is(read.version)));
        }

        // The place it holds (the guest's under the cap, or its client's: G9) follows the
        // meeting's end, or is given back.
        for (kind, scope, place) in meeting_places(after) {
            if cancelled {
                let held = PlaceOf { kind, scope, number: place, holder: &after.id };
                places::release(&mut tx, Purpose::GuestPlace, &self.table, c.tenant_id, &held);
            } else if after.end != before.end {
                let claim = Claim { kind, scope, place, holder: &after.id, until: after.end };
                places::extend(&mut tx, Purpose::GuestPlace, &self.table, c.tenant_id, &claim)?;
            }
        }

        let written: Vec<(String, &Message)> = c
            .messages
            .iter()
            .enumerate()
            .map(|(k, message)| (keys::message_sk(message.at, &after.id, after.version * 10 + k as u64), message))
            .collect();
        if !written.is_empty() {
            let conversation = &after.conversation_id;
            let activity = ActivityUpdate::messages(c.tenant_id, conversation, &written, None);
            let purposes = (Purpose::Message, Purpose::Message);
            put_messages(&mut tx, purposes, &self.table, c.tenant_id, conversation, &written, activity)?;
        }
        for planned in c.outbox {
            put_planned(&mut tx, Purpose::Outbox, &self.table, planned)?;
        }
        for id in c.retract {
            tx.delete(Purpose::Outbox, &self.table, keys::outbox(c.tenant_id, id), None);
        }
        if let Some((leaving, outcome)) = c.offboarding {
            super::offboarding::record_outcome(
                &mut tx,
                Purpose::Outbox,
                &self.table,
                c.tenant_id,
                leaving,
                &after.id,
                outcome,
            )?;
        }
        Ok(tx)
    }
}

/// The capped places a meeting holds until it ends: its guest's (B2) or its client's (G9).
pub(crate) fn meeting_places(meeting: &Meeting) -> Vec<(PlaceKind, Scope<'_>, u16)> {
    let agent_id = meeting.owner();
    let mut held = Vec::new();
    if let Some(place) = meeting.guest_place {
        held.push((PlaceKind::GuestMeeting, Scope::GuestWithAgent { agent_id, email: &meeting.guest.email }, place));
    }
    if let Some(p) = &meeting.client_place {
        held.push((PlaceKind::UnverifiedMeeting, Scope::ClientWithAgent { agent_id, client: &p.client }, p.place));
    }
    held
}
