//! The capped places one write claims (B2, G5), and the repair of a refused claim: read the
//! places of the kinds that were refused, pick the first free one (`domain::places`), and let the
//! caller try again; none free means the limit is reached.

use chrono::{DateTime, Utc};

use crate::domain::places::{first_free, PlaceKind};
use crate::store::{Claim, Scope, Store, StoreError};

struct Wanted<'a> {
    kind: PlaceKind,
    scope: Scope<'a>,
    cap: u16,
    place: u16,
    until: DateTime<Utc>,
}

pub(crate) struct Claims<'a> {
    tenant_id: &'a str,
    wanted: Vec<Wanted<'a>>,
}

impl<'a> Claims<'a> {
    pub fn new(tenant_id: &'a str) -> Self {
        Self { tenant_id, wanted: Vec::new() }
    }

    /// A place of a kind with a fixed cap, held until `until`.
    pub fn add(&mut self, kind: PlaceKind, scope: Scope<'a>, until: DateTime<Utc>) {
        let cap = kind.cap().expect("a kind with a fixed cap");
        self.add_capped(kind, scope, cap, until);
    }

    /// The places one code email takes (G5, G8): one of its address's codes this hour, and one of
    /// its requesting client's.
    pub fn add_codes(&mut self, email: &'a str, client: &'a str, now: DateTime<Utc>) {
        let until = PlaceKind::CodeSent.held_until(now).unwrap_or(now);
        self.add(PlaceKind::CodeSent, Scope::Guest { email }, until);
        self.add(PlaceKind::CodeSentByClient, Scope::Client { client }, until);
    }

    /// A place of a kind whose cap is a setting (the guest cap, B2).
    pub fn add_capped(&mut self, kind: PlaceKind, scope: Scope<'a>, cap: u16, until: DateTime<Utc>) {
        // The first attempt asks for place 0: a guest's first booking costs no read.
        self.wanted.push(Wanted { kind, scope, cap, place: 0, until });
    }

    /// The place number asked for, for a kind.
    pub fn place_of(&self, kind: PlaceKind) -> Option<u16> {
        self.wanted.iter().find(|w| w.kind == kind).map(|w| w.place)
    }

    /// The claims to write, held by `holder`.
    pub fn claims<'h>(&'h self, holder: &'h str) -> Vec<Claim<'h>> {
        self.wanted
            .iter()
            .map(|w| Claim { kind: w.kind, scope: w.scope, place: w.place, holder, until: w.until })
            .collect()
    }

    /// After a refusal: a free place for each refused kind, or the first kind with none left.
    pub async fn repair(
        &mut self,
        store: &Store,
        refused: &[PlaceKind],
        now: DateTime<Utc>,
    ) -> Result<Result<(), PlaceKind>, StoreError> {
        for wanted in self.wanted.iter_mut().filter(|w| refused.contains(&w.kind)) {
            let held = store.places(self.tenant_id, wanted.kind, wanted.scope).await?;
            match first_free(&held, wanted.cap, now) {
                Some(place) => wanted.place = place,
                None => return Ok(Err(wanted.kind)),
            }
        }
        Ok(Ok(()))
    }
}
