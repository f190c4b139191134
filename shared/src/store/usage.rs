//! Bookings counted for billing (T2): per tenant and calendar month (UTC), written by the booking
//! transaction itself and summed over a few shards when read.

use chrono::{DateTime, Utc};
use rand::Rng;
use serde::{Deserialize, Serialize};

use super::keys::{self, Key};
use super::transaction::Condition;
use super::{Store, StoreError};
use crate::domain::meeting::BookedBy;
use crate::domain::time::billing_month;

const SHARDS: u32 = 8;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    pub bookings: u64,
    pub booked_by_guests: u64,
    pub booked_by_agents: u64,
}

#[derive(Deserialize)]
struct Shard {
    #[serde(default)]
    bookings: u64,
    #[serde(default)]
    booked_by_guests: u64,
    #[serde(default)]
    booked_by_agents: u64,
}

/// The transaction item that counts one booking: key, update expression and its values.
pub(crate) fn count_booking(tenant_id: &str, booked_by: BookedBy, at: DateTime<Utc>) -> (Key, &'static str, Condition) {
    let shard = rand::rng().random_range(0..SHARDS);
    let update = match booked_by {
        BookedBy::Guest => "ADD bookings :one, booked_by_guests :one",
        BookedBy::Agent => "ADD bookings :one, booked_by_agents :one",
    };
    (keys::usage(tenant_id, &billing_month(at), shard), update, Condition::new("").value(":one", keys::n(1)))
}

impl Store {
    /// The bookings a tenant made in `month` (`YYYY-MM`).
    pub async fn usage(&self, tenant_id: &str, month: &str) -> Result<Usage, StoreError> {
        let shards: Vec<Shard> =
            self.query_prefix(keys::tenant_partition(tenant_id), &keys::usage_prefix(month)).await?;
        Ok(shards.iter().fold(Usage::default(), |total, s| Usage {
            bookings: total.bookings + s.bookings,
            booked_by_guests: total.booked_by_guests + s.booked_by_guests,
            booked_by_agents: total.booked_by_agents + s.booked_by_agents,
        }))
    }
}
