//! Holds (G2): a booking waiting for its guest's code. Writing one takes its time as a meeting
//! would (a span and locks, marked with the hold's expiry, so they count as free once it passes),
//! claims its G5 places and queues the email with the code, in one transaction; a wrong code is
//! counted with a condition; the last wrong one drops it and frees its time at once.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::booking::{hold_places, put_idempotency, take_time, BookingConflict, IdempotencyRecord, Purpose, Taken};
use super::keys;
use super::outbox::put_planned;
use super::places::{self, Claim};
use super::transaction::{item, Condition, Failure, Transaction};
use super::{Store, StoreError};
use crate::domain::identity::{Hold, HoldStatus};
use crate::domain::meeting::lock_granules;
use crate::domain::notification::Planned;

/// What a confirmation handed out, sealed (see `signing::Sealer`) under the proof it came with:
/// a retry with the same code or link gets the same answer, and the table alone opens nothing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoldReplay {
    /// `code` or `link`: the proof the seal is under.
    pub proof: String,
    pub manage: String,
    pub session_id: String,
    pub session: String,
    pub session_expires_at: i64,
    /// The conversation's public link, when the confirmation opened the conversation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct HoldItem {
    #[serde(flatten)]
    pub hold: Hold,
    pub tenant_id: String,
    /// SHA-256 of the one-click confirmation link's secret.
    #[serde(default)]
    pub link_hash: String,
    /// Kept a day past its expiry for inspection, then expired.
    pub expires_at: i64,
    /// A confirmed hold's answer, for its replay.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replay: Option<HoldReplay>,
}

impl HoldItem {
    pub(crate) fn of(tenant_id: &str, hold: &Hold) -> Self {
        Self {
            hold: hold.clone(),
            tenant_id: tenant_id.to_string(),
            link_hash: String::new(),
            expires_at: hold.challenge.expires_at + 86_400,
            replay: None,
        }
    }
}

/// Everything a hold writes.
pub struct HoldWrite<'a> {
    pub tenant_id: &'a str,
    pub hold: &'a Hold,
    pub link_hash: &'a str,
    pub idempotency: Option<&'a IdempotencyRecord>,
    /// Its G5 places: the guest's open holds, the page's open holds, the guest's codes this hour.
    pub places: &'a [Claim<'a>],
    /// The email with the code and the confirmation link, to the guest alone.
    pub outbox: &'a [Planned],
    pub now: DateTime<Utc>,
}

/// The hold is still open and, given the time, unexpired.
pub(crate) fn hold_open(now: Option<DateTime<Utc>>) -> Condition {
    let open =
        Condition::new("#status = :open").name("#status", "status").value(":open", keys::value(HoldStatus::Open));
    match now {
        None => open,
        Some(now) => Condition { expression: format!("{} AND challenge.expires_at > :now", open.expression), ..open }
            .value(":now", keys::n(now.timestamp())),
    }
}

impl Store {
    /// One attempt at writing a hold; on refusal, which conditions refused it.
    pub async fn write_hold(&self, w: &HoldWrite<'_>) -> Result<Result<(), BookingConflict>, StoreError> {
        let h = w.hold;
        let partition = keys::agent_partition(w.tenant_id, &h.page.agent_id);
        let mut tx = Transaction::new();
        let record = HoldItem { link_hash: w.link_hash.to_string(), ..HoldItem::of(w.tenant_id, h) };
        tx.put(Purpose::Hold, &self.table, item(keys::hold(w.tenant_id, &h.id), &record)?, Some(Condition::absent()));
        let taken =
            Taken { partition: &partition, id: &h.id, blocked: &h.blocked(), hold_until: Some(h.challenge.expires_at) };
        take_time(&mut tx, (Purpose::Span, Purpose::Lock), &self.table, &taken, w.now)?;
        if let Some(record) = w.idempotency {
            put_idempotency(&mut tx, Purpose::Idempotency, &self.table, &partition, record, w.now)?;
        }
        for place in w.places {
            places::claim(&mut tx, Purpose::Place(place.kind), &self.table, w.tenant_id, place, w.now)?;
        }
        for planned in w.outbox {
            put_planned(&mut tx, Purpose::Outbox, &self.table, planned)?;
        }
        let ending = super::guests::Ending {
            email: &h.request.guest.email,
            kind: super::guests::IndexKind::Hold,
            id: &h.id,
            expires_at: h.challenge.expires_at,
        };
        super::guests::index_ending(&mut tx, Purpose::Index, &self.table, w.tenant_id, &ending)?;
        BookingConflict::from_commit(tx.commit(self).await)
    }

    /// A hold and its link's hash.
    pub async fn hold(&self, tenant_id: &str, id: &str) -> Result<Option<(Hold, String)>, StoreError> {
        Ok(self.hold_with_replay(tenant_id, id).await?.map(|(hold, hash, _)| (hold, hash)))
    }

    /// A hold, its link's hash, and (once confirmed) its sealed answer.
    pub async fn hold_with_replay(
        &self,
        tenant_id: &str,
        id: &str,
    ) -> Result<Option<(Hold, String, Option<HoldReplay>)>, StoreError> {
        let found: Option<HoldItem> = self.get(keys::hold(tenant_id, id), true).await?;
        Ok(found.map(|h| (h.hold, h.link_hash, h.replay)))
    }

    /// Takes one try of a confirmed hold's code, for a replay of its confirmation: the same
    /// budget of tries as before it was confirmed.
    pub async fn take_replay_try(&self, tenant_id: &str, hold: &Hold) -> Result<Option<u32>, StoreError> {
        let confirmed = Condition::new("#status = :confirmed")
            .name("#status", "status")
            .value(":confirmed", keys::value(HoldStatus::Confirmed));
        self.take_try(keys::hold(tenant_id, &hold.id), confirmed).await
    }

    /// Takes one try of an open hold's code, before the code is compared (see
    /// `store::challenges`): the tries taken before it, or `None` when the hold is no longer open
    /// or has no tries left.
    pub async fn take_code_try(&self, tenant_id: &str, hold: &Hold) -> Result<Option<u32>, StoreError> {
        self.take_try(keys::hold(tenant_id, &hold.id), hold_open(None)).await
    }

    /// Drops an open hold (its last code was wrong, or its confirmation cannot be completed): it
    /// is marked dropped, and its span, locks and G5 places are given back at once.
    pub async fn drop_hold(&self, tenant_id: &str, hold: &Hold) -> Result<bool, StoreError> {
        let partition = keys::agent_partition(tenant_id, &hold.page.agent_id);
        let mut tx: Transaction<Purpose> = Transaction::new();
        let mut dropped = hold.clone();
        dropped.status = HoldStatus::Dropped;
        tx.put(
            Purpose::Hold,
            &self.table,
            item(keys::hold(tenant_id, &hold.id), &HoldItem::of(tenant_id, &dropped))?,
            Some(hold_open(None)),
        );
        let ours = || Condition::new("meeting_id = :me").value(":me", keys::s(&hold.id));
        tx.delete(
            Purpose::Span,
            &self.table,
            (partition.clone(), keys::span_sk(hold.blocked_from, &hold.id)),
            Some(ours()),
        );
        for granule in lock_granules(&hold.blocked()) {
            tx.delete(Purpose::Lock, &self.table, (partition.clone(), keys::lock_sk(granule)), Some(ours()));
        }
        for place in hold_places(hold) {
            places::release(&mut tx, Purpose::Place(place.kind), &self.table, tenant_id, &place);
        }
        match tx.commit(self).await {
            Ok(()) => Ok(true),
            Err(Failure::Refused(_)) | Err(Failure::Contended) => Ok(false),
            Err(Failure::Store(err)) => Err(err),
        }
    }

    /// A new code for an open hold: its hash replaces the old one (and the tries start again),
    /// with the email that carries it and the guest's code place, in one transaction.
    pub async fn renew_code(
        &self,
        tenant_id: &str,
        hold: &Hold,
        code_hash: &str,
        places: &[Claim<'_>],
        outbox: &[Planned],
        now: DateTime<Utc>,
    ) -> Result<Result<(), BookingConflict>, StoreError> {
        let mut tx: Transaction<Purpose> = Transaction::new();
        let condition = hold_open(Some(now)).value(":hash", keys::s(code_hash)).value(":zero", keys::n(0));
        tx.update(
            Purpose::Hold,
            &self.table,
            keys::hold(tenant_id, &hold.id),
            "SET challenge.code_hash = :hash, challenge.attempts = :zero",
            condition,
        );
        for place in places {
            places::claim(&mut tx, Purpose::Place(place.kind), &self.table, tenant_id, place, now)?;
        }
        for planned in outbox {
            put_planned(&mut tx, Purpose::Outbox, &self.table, planned)?;
        }
        BookingConflict::from_commit(tx.commit(self).await)
    }
}
