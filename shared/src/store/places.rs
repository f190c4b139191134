//! Capped places (see `domain::places`): one item per place, claimed in the transaction of what
//! it counts, only if it is free; read back when a claim was refused, to pick a free one.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::keys::{self, Key};
use super::transaction::{item, Condition, Transaction};
use super::{Store, StoreError};
use crate::domain::places::{Held, PlaceKind};

/// What a place counts per: the key its places share. A `client` is the digest of the address a
/// request came from (`keys::client`).
#[derive(Clone, Copy, Debug)]
pub enum Scope<'a> {
    /// A guest address with one agent (B2).
    GuestWithAgent { agent_id: &'a str, email: &'a str },
    /// A guest address in the tenant (G5).
    Guest { email: &'a str },
    /// One client on one booking page (G5, G8).
    Page { agent_id: &'a str, slug: &'a str, client: &'a str },
    /// One client in the tenant (G8).
    Client { client: &'a str },
    /// One client with one agent (G9).
    ClientWithAgent { agent_id: &'a str, client: &'a str },
    /// The tenant itself (T4: its admin keys).
    Tenant,
}

/// One place to claim: which, for whom, and until when.
#[derive(Clone, Copy, Debug)]
pub struct Claim<'a> {
    pub kind: PlaceKind,
    pub scope: Scope<'a>,
    pub place: u16,
    /// The meeting, hold or challenge that holds it.
    pub holder: &'a str,
    pub until: DateTime<Utc>,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct PlaceItem {
    place: u16,
    holder: String,
    /// Epoch seconds; the place is free from then on.
    until: i64,
    expires_at: i64,
}

impl PlaceItem {
    fn of(c: &Claim) -> Self {
        // Kept a day past its end for inspection; conditions, not TTL, decide whether it is free.
        let expires_at = (c.until + Duration::days(1)).timestamp();
        PlaceItem { place: c.place, holder: c.holder.to_string(), until: c.until.timestamp(), expires_at }
    }
}

fn key(tenant_id: &str, kind: PlaceKind, scope: Scope, place: u16) -> Key {
    let (pk, prefix) = prefix(tenant_id, kind, scope);
    (pk, format!("{prefix}{place:03}"))
}

pub(crate) fn prefix(tenant_id: &str, kind: PlaceKind, scope: Scope) -> (String, String) {
    match scope {
        Scope::GuestWithAgent { agent_id, email } => keys::places_of_guest_with_agent(tenant_id, agent_id, email),
        Scope::Guest { email } => keys::places_of_guest(tenant_id, kind, email),
        Scope::Page { agent_id, slug, client } => keys::places_of_page(tenant_id, agent_id, slug, client),
        Scope::Client { client } => keys::places_of_client(tenant_id, client),
        Scope::ClientWithAgent { agent_id, client } => keys::places_of_client_with_agent(tenant_id, agent_id, client),
        Scope::Tenant => keys::places_of_tenant(tenant_id),
    }
}

/// Adds the claim of a place to a transaction: put only if the place is free at `now`.
pub(crate) fn claim<P: Copy>(
    tx: &mut Transaction<P>,
    purpose: P,
    table: &str,
    tenant_id: &str,
    c: &Claim,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let record = PlaceItem::of(c);
    let free = Condition::new("attribute_not_exists(pk) OR #until <= :now")
        .name("#until", "until")
        .value(":now", keys::n(now.timestamp()));
    tx.put(purpose, table, item(key(tenant_id, c.kind, c.scope, c.place), &record)?, Some(free));
    Ok(())
}

/// Moves a held place's end (a rescheduled meeting) while it is still this holder's.
pub(crate) fn extend<P: Copy>(
    tx: &mut Transaction<P>,
    purpose: P,
    table: &str,
    tenant_id: &str,
    c: &Claim,
) -> Result<(), StoreError> {
    let record = PlaceItem::of(c);
    let mine = Condition::new("holder = :me").value(":me", keys::s(c.holder));
    tx.put(purpose, table, item(key(tenant_id, c.kind, c.scope, c.place), &record)?, Some(mine));
    Ok(())
}

/// A place someone holds.
#[derive(Clone, Copy, Debug)]
pub struct PlaceOf<'a> {
    pub kind: PlaceKind,
    pub scope: Scope<'a>,
    pub number: u16,
    pub holder: &'a str,
}

/// Gives a place back (a cancelled meeting, a confirmed hold) while it is still this holder's.
pub(crate) fn release<P: Copy>(tx: &mut Transaction<P>, purpose: P, table: &str, tenant_id: &str, place: &PlaceOf) {
    let mine = Condition::new("holder = :me").value(":me", keys::s(place.holder));
    tx.delete(purpose, table, key(tenant_id, place.kind, place.scope, place.number), Some(mine));
}

impl Store {
    /// The places of one kind and scope, as last written.
    pub async fn places(&self, tenant_id: &str, kind: PlaceKind, scope: Scope<'_>) -> Result<Vec<Held>, StoreError> {
        let (pk, prefix) = prefix(tenant_id, kind, scope);
        let found: Vec<PlaceItem> = self.query_prefix(pk, &prefix).await?;
        Ok(found.iter().map(|p| Held { place: p.place, until: p.until }).collect())
    }
}
